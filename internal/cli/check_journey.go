package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/journey"
	"github.com/vpclab/vpclab/internal/progress"
)

// checkJourney is where the learner is after a check run: this run's
// results over the recorded history (read after recording, so that a pass
// of this run is history too).
func checkJourney(env *Env, lab *content.Lab, cfg aws.Config, rep checkrun.Report, at time.Time) *journey.Journey {
	now := map[string]journey.Result{}
	for _, r := range rep.Results {
		now[r.Check] = journey.Result{Status: statusOf(r.Status), Reason: r.Reason, Step: r.Step}
	}
	var hist map[string]progress.Record
	if path, err := progress.DefaultPath(); err == nil {
		if p, _, err := progress.Open(path).Load(); err == nil {
			hist = p.Lab(rep.Account, rep.Region, lab.ID)
		}
	}
	return journey.Of(journey.Input{Lab: lab, Now: now, History: hist, At: at, Sandbox: isSandbox(env, cfg)})
}

// isSandbox: the checks ran against the local sandbox, where steps marked
// sandbox="…" cannot be done.
func isSandbox(env *Env, cfg aws.Config) bool {
	if cfg.BaseEndpoint != nil && journey.IsSandbox(*cfg.BaseEndpoint) {
		return true
	}
	return journey.IsSandbox(env.Getenv("AWS_ENDPOINT_URL")) || journey.IsSandbox(env.Getenv("AWS_ENDPOINT_URL_EC2"))
}

// journeyExit is a whole-lab check's exit status: whether the learner's
// work so far is right. Steps not reached yet are no failure; a step that
// was done and fails now is.
func journeyExit(j *journey.Journey, rep checkrun.Report) int {
	if len(j.Regressions()) > 0 {
		return ExitFail
	}
	if checkrun.Summarize(rep.Results).Error > 0 {
		return ExitAWS
	}
	return ExitOK
}

// reached keeps the results a learner needs to read now: the steps done
// now, the current step and the regressions. Steps not reached, optional
// steps not taken and steps done earlier (deleted by the clean-up) are in
// the step list instead, not counted as failures.
func reached(j *journey.Journey, rep checkrun.Report) checkrun.Report {
	show := map[string]bool{}
	for _, s := range j.Steps {
		switch s.State {
		case journey.Done, journey.Current, journey.Regression:
			show[s.ID] = true
		}
	}
	// A failure shown that follows from a check of a step not shown (an
	// optional step done, and done wrong) brings that check along: the
	// message points to it, and it holds the fix.
	cause := map[string]bool{}
	for grew := true; grew; {
		grew = false
		for _, r := range rep.Results {
			if (show[r.Step] || cause[r.Check]) && r.RootCause != "" && !cause[r.RootCause] {
				cause[r.RootCause], grew = true, true
			}
		}
	}
	out := rep
	out.Results = nil
	for _, r := range rep.Results {
		if show[r.Step] || cause[r.Check] {
			out.Results = append(out.Results, r)
		}
	}
	return out
}

// JSONStep is one step in --format json.
type JSONStep struct {
	ID          string     `json:"id"`
	Number      int        `json:"number"`
	Role        string     `json:"role"`
	State       string     `json:"state"`
	FirstDoneAt *time.Time `json:"first_done_at"`
	Reason      string     `json:"reason,omitempty"`
}

// JSONCheckReport is --format json of vpclab check: the report of every
// check, and where the learner is.
type JSONCheckReport struct {
	JSONReport
	CurrentStep  string     `json:"current_step"`
	CurrentSince *time.Time `json:"current_since,omitempty"`
	Complete     bool       `json:"complete"`
	Regressions  []string   `json:"regressions"`
	RequiredDone int        `json:"required_done"`
	Required     int        `json:"required_total"`
	Steps        []JSONStep `json:"steps"`
}

func writeCheckJSON(env *Env, j *journey.Journey, rep checkrun.Report, meter *awsx.Meter) {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(checkJSONReport(env, j, rep, meter))
}

// checkJSONReport is --format json of vpclab check, and the local server's
// answer to the page (which updates its step list from Steps).
func checkJSONReport(env *Env, j *journey.Journey, rep checkrun.Report, meter *awsx.Meter) JSONCheckReport {
	out := JSONCheckReport{JSONReport: jsonReport(env.Loc, rep, meter), CurrentStep: j.Current, Complete: j.Complete,
		Regressions: []string{}, RequiredDone: j.RequiredDone, Required: j.RequiredTotal, Steps: []JSONStep{}}
	if !j.CurrentSince.IsZero() {
		t := j.CurrentSince.UTC()
		out.CurrentSince = &t
	}
	for _, s := range j.Regressions() {
		out.Regressions = append(out.Regressions, s.ID)
	}
	for _, s := range j.Steps {
		js := JSONStep{ID: s.ID, Number: s.Number, Role: string(s.Role), State: string(s.State), Reason: j.Reason(&s, env.Loc.Lang())}
		if !s.FirstDoneAt.IsZero() {
			t := s.FirstDoneAt.UTC()
			js.FirstDoneAt = &t
		}
		out.Steps = append(out.Steps, js)
	}
	return out
}

var journeyMarks = map[journey.State]string{journey.Done: "✓", journey.DoneEarlier: "✓", journey.Current: "→",
	journey.NotReached: "·", journey.Regression: "✗", journey.Optional: "○", journey.Unavailable: "~"}

// JourneyStateMsg names each state's message, for every view.
var JourneyStateMsg = map[journey.State]string{journey.Done: "JourneyDone", journey.DoneEarlier: "JourneyDoneEarlier",
	journey.Current: "JourneyCurrent", journey.NotReached: "JourneyNotReached", journey.Regression: "JourneyRegression",
	journey.Optional: "JourneyOptional", journey.Unavailable: "JourneyUnavailable"}

// writeJourney prints the step list and what to do next, after the report.
func writeJourney(env *Env, w io.Writer, lab *content.Lab, j *journey.Journey, rep checkrun.Report) {
	loc := env.Loc
	page := lab.Page(loc.Lang())
	title := func(s *journey.Step) string {
		if ps := page.StepByID(s.ID); ps != nil {
			return ps.Title
		}
		return s.ID
	}
	fmt.Fprintf(w, "\n%s\n", loc.T("JourneyHeader", i18n.M{"Done": j.RequiredDone, "Total": j.RequiredTotal}))
	for i := range j.Steps {
		s := &j.Steps[i]
		num := "  "
		if s.Number > 0 {
			num = fmt.Sprintf("%d.", s.Number)
		}
		state := loc.T(JourneyStateMsg[s.State], i18n.M{"Reason": j.Reason(s, loc.Lang())})
		if s.Role == content.RoleOptional && s.State != journey.Optional && s.State != journey.Unavailable {
			state += " · " + loc.T("JourneyOptional")
		}
		fmt.Fprintf(w, "  %s %3s %s  #%s  — %s\n", journeyMarks[s.State], num, title(s), s.ID, state)
	}
	fmt.Fprintln(w)
	next := "JourneyRegressionNext"
	if j.AllRequiredDone() {
		next = "JourneyRegressionAfterDone" // the learner may rather clean up
	}
	for _, s := range j.Regressions() {
		fmt.Fprintln(w, loc.T(next, i18n.M{"Number": s.Number, "Title": title(s), "Step": s.ID}))
	}
	switch cur := j.CurrentStep(); {
	case j.Complete:
		fmt.Fprintln(w, loc.T("JourneyComplete"))
	case cur != nil:
		msg := ""
		for _, r := range rep.Results {
			if r.Check == cur.Failing {
				msg = loc.T(r.Message.ID, r.Message.Data)
				break
			}
		}
		id := "JourneyNext"
		if cur.Role == content.RoleCleanup {
			id = "JourneyNextCleanup"
		}
		fmt.Fprintln(w, loc.T(id, i18n.M{"Number": cur.Number, "Title": title(cur), "Step": cur.ID}))
		if msg != "" {
			fmt.Fprintf(w, "  %s\n", msg)
		}
		fmt.Fprintf(w, "  vpclab check %s --step %s\n", lab.ID, cur.ID)
	}
}
