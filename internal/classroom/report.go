package classroom

import (
	"cmp"
	"slices"
	"time"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/journey"
	"github.com/vpclab/vpclab/internal/progress"
)

// Text is a message in every language vpclab speaks.
type Text map[i18n.Lang]string

// In is the text in lang (English when missing).
func (t Text) In(lang i18n.Lang) string {
	if s, ok := t[lang]; ok {
		return s
	}
	return t[i18n.EN]
}

// State is where a learner is with one step: internal/journey's states,
// and Errored for a learner or check that could not be judged.
type State string

const (
	Passed       State = "done"          // every check of the step passes now
	PassedBefore State = "done-earlier"  // passed before, not now (e.g. cleaned up)
	Current      State = "current"       // the learner's current step
	NotReached   State = "not-reached"   // after the current step
	Failing      State = "failing"       // done before, broken now: a regression
	Optional     State = "optional"      // an optional step not done: neutral
	NotCheckable State = "not-checkable" // cannot be done on the sandbox
	Errored      State = "error"         // the learner, or a check, could not be judged
)

// Learner statuses (Row.Status).
const (
	StatusNotStarted = "not-started"
	StatusInProgress = "in-progress"
	StatusCleanup    = "cleanup" // every required step done; the clean-up is next
	StatusComplete   = "complete"
	StatusFailing    = "failing" // a step broke again
	StatusError      = "error"
)

// Report is a class's progress: the data behind the dashboard, the CSV and
// the JSON. Build makes one from a run's outcomes.
type Report struct {
	Generated time.Time `json:"generated"`
	Labs      []Lab     `json:"labs"`
	// Steps are the grid's columns: every step with checks, lab by lab.
	Steps    []Step    `json:"steps"`
	Learners []Row     `json:"learners"`
	Failures []Failure `json:"failures"`
	Summary  Summary   `json:"summary"`
	Cost     ClassCost `json:"cost"`
}

// Lab is one lab of the report.
type Lab struct {
	ID    string `json:"id"`
	Title Text   `json:"title"`
}

// Step is one column of the grid.
type Step struct {
	Lab    string `json:"lab"`
	ID     string `json:"id"`
	Title  Text   `json:"title"`
	Checks int    `json:"checks"`
	Number int    `json:"number"`
	Role   string `json:"role"` // required, optional, cleanup
	// Cleanup: the clean-up phase; it is judged only for learners who
	// did every required step (the cost column is everyone's).
	Cleanup bool `json:"cleanup,omitempty"`
	// Done of Of learners who could be checked have done the step (now or
	// earlier).
	Done int `json:"done"`
	Of   int `json:"of"`
}

// Key names the step as lab/step.
func (s Step) Key() string { return s.Lab + "/" + s.ID }

// Row is one learner.
type Row struct {
	Name    string `json:"name"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region"`
	// Cells are the learner's steps, aligned with Report.Steps.
	Cells []Cell `json:"cells"`
	// Done is how many steps pass, of Total.
	Done    int `json:"steps_done"`
	Total   int `json:"steps_total"`
	Percent int `json:"percent"`
	// Status is where the learner is overall: not-started, in-progress,
	// cleanup, complete, failing, error.
	Status string `json:"status"`
	// Next is the learner's current step (lab/step): the first required
	// step not yet done, or the clean-up; "" when complete or not checked.
	Next         string `json:"current_step,omitempty"`
	CurrentTitle Text   `json:"current_step_title,omitempty"`
	// Since is when the learner reached the current step (nil: unknown),
	// and Minutes how long ago that was when the report was made.
	Since   *time.Time `json:"current_since,omitempty"`
	Minutes int        `json:"minutes_on_step"`
	// Regressions are steps (lab/step) done before that fail now.
	Regressions []string `json:"regressions,omitempty"`
	Cost        *RowCost `json:"cost"`
	// CostProblem says why Cost is unknown for a learner who was checked.
	CostProblem Text        `json:"cost_problem,omitempty"`
	Problem     *RowProblem `json:"problem,omitempty"`
	Note        Text        `json:"note,omitempty"`
}

// Checked reports whether the learner could be checked.
func (r Row) Checked() bool { return r.Problem == nil }

// Cell is one learner's state in one step.
type Cell struct {
	State State `json:"state"`
	// Check and Reason are the first check that keeps the step from
	// passing and its reason code; Message is what it told the learner.
	Check   string `json:"check,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Message Text   `json:"message,omitempty"`
}

// RowProblem is why a learner could not be checked.
type RowProblem struct {
	Code    string `json:"code"`
	Action  string `json:"action,omitempty"`
	Message Text   `json:"message"`
}

// RowCost is what one learner leaves billing; nil in a Row when unknown.
type RowCost struct {
	USDPerHour   float64    `json:"usd_per_hour"`
	USDPer30Days float64    `json:"usd_per_30_days"`
	Items        []CostItem `json:"items"`
	Estimate     bool       `json:"estimate,omitempty"`
}

// CostItem is one billable resource.
type CostItem struct {
	Type       string  `json:"type"`
	ID         string  `json:"id"`
	Name       string  `json:"name,omitempty"`
	USDPerHour float64 `json:"usd_per_hour"`
	Delete     string  `json:"delete,omitempty"`
	AfterNAT   bool    `json:"after_nat_gateway_deleted,omitempty"` // Delete works once the NAT gateway is deleted
}

// Failure is a failure several learners share: what to explain again.
type Failure struct {
	Lab       string `json:"lab"`
	Step      string `json:"step"`
	StepTitle Text   `json:"step_title"`
	Check     string `json:"check"`
	Reason    string `json:"reason"`
	Count     int    `json:"count"`
	// Learners are the names of those who have it, in roster order.
	Learners []string `json:"learners"`
	// Example is one learner's message, to show what it looks like.
	Example Text `json:"example"`
}

// Summary counts learners.
type Summary struct {
	Learners   int `json:"learners"`
	Checked    int `json:"checked"`
	Errors     int `json:"errors"`
	Complete   int `json:"complete"`    // every required step done, then cleaned up
	NotStarted int `json:"not_started"` // nothing done or begun yet
	Failing    int `json:"failing"`     // a step that was done fails now
}

// ClassCost is what the class leaves billing.
type ClassCost struct {
	USDPerHour   float64 `json:"usd_per_hour"`
	USDPer30Days float64 `json:"usd_per_30_days"`
	// Billing is how many learners have something billing; Unknown how
	// many were checked but their cost could not be read (learners who
	// could not be checked at all are counted in Summary.Errors).
	Billing      int    `json:"learners_billing"`
	Unknown      int    `json:"learners_unknown"`
	Estimate     bool   `json:"estimate,omitempty"`
	PriceSource  string `json:"price_source"`
	PriceChecked string `json:"price_checked"`
}

// MaxFailures is how many of the most frequent failures a report lists.
const MaxFailures = 10

// BuildOptions change how a report is built.
type BuildOptions struct {
	// Now is the report's time (zero: time.Now).
	Now time.Time
	// History is the progress store's content, read before this run's
	// results are recorded: when each step was first done (a step done
	// before stays done after the clean-up) and how long each learner has
	// been on their current step. Nil: only the current results count.
	History *progress.Progress
	// Sandbox: the learners' accounts are the sandbox, where steps marked
	// sandbox="…" cannot be done.
	Sandbox bool
}

// Build makes the report of outcomes (in roster order) for labs. Messages
// are rendered in every language, so one report serves every page.
func Build(labs []*content.Lab, outcomes []Outcome, opts BuildOptions) *Report {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	locs := map[i18n.Lang]*i18n.Localizer{}
	for _, l := range i18n.Langs {
		locs[l] = i18n.New(l)
	}
	text := func(m i18n.Msg) Text {
		t := Text{}
		for l, loc := range locs {
			t[l] = loc.T(m.ID, m.Data)
		}
		return t
	}
	table := billing.PriceTable()
	rep := &Report{Generated: now.UTC(), Labs: []Lab{}, Steps: []Step{}, Learners: []Row{}, Failures: []Failure{},
		Cost: ClassCost{PriceSource: table.Source, PriceChecked: table.Checked}}
	for _, lab := range labs {
		l := Lab{ID: lab.ID, Title: Text{}}
		for _, lang := range i18n.Langs {
			l.Title[lang] = lab.Page(lang).Meta.Title
		}
		rep.Labs = append(rep.Labs, l)
		page := lab.Page(i18n.EN)
		for _, s := range page.Steps {
			if !s.IsStep() {
				continue
			}
			st := Step{Lab: lab.ID, ID: s.ID, Title: Text{}, Checks: len(s.Checks), Number: page.Number(s), Role: string(s.Role),
				Cleanup: s.Role == content.RoleCleanup}
			for _, lang := range i18n.Langs {
				st.Title[lang] = s.Title
				if ps := lab.Page(lang).StepByID(s.ID); ps != nil {
					st.Title[lang] = ps.Title
				}
			}
			rep.Steps = append(rep.Steps, st)
		}
	}
	index := map[string]int{}
	required := 0
	for i, st := range rep.Steps {
		index[st.Key()] = i
		if st.Role == string(content.RoleRequired) {
			required++
		}
	}

	type failKey struct{ lab, step, check, reason string }
	failures := map[failKey]*Failure{}
	for _, o := range outcomes {
		row := Row{Name: o.Learner.Name, Account: o.Account, Region: o.Region, Cells: make([]Cell, len(rep.Steps))}
		if o.Note != nil {
			row.Note = text(*o.Note)
		}
		if o.Problem != nil {
			row.Problem = &RowProblem{Code: o.Problem.Code, Action: o.Problem.Action, Message: text(o.Problem.Msg)}
			row.Status, row.Total = StatusError, required
			for i := range row.Cells {
				row.Cells[i] = Cell{State: Errored}
			}
		} else {
			rep.Summary.Checked++
			started, complete, cleanup := false, true, true
			vpcCleanedUp := false // the note's missing VPC is of a lab whose steps are all done
			for _, lr := range o.Labs {
				results := map[string]journey.Result{}
				byCheck := map[string]checks.Result{}
				for _, r := range lr.Results {
					results[r.Check] = journey.Result{Status: progress.Status(r.Status), Reason: r.Reason, Step: r.Step}
					byCheck[r.Check] = r
				}
				j := journey.Of(journey.Input{Lab: lr.Lab, Now: results, History: opts.History.Lab(row.Account, row.Region, lr.Lab.ID),
					At: now, Sandbox: opts.Sandbox})
				started = started || j.Started
				if o.Note != nil && o.Note.ID == "ClassNoteNoLabVPC" && j.AllRequiredDone() && missingVPC([]LabResult{lr}) == o.Note.Data["Name"] {
					vpcCleanedUp = true // this lab's steps are all done: its VPC was there
				}
				complete = complete && j.Complete
				cleanup = cleanup && j.AllRequiredDone()
				row.Done += j.RequiredDone
				row.Total += j.RequiredTotal
				for _, reg := range j.Regressions() {
					row.Regressions = append(row.Regressions, lr.Lab.ID+"/"+reg.ID)
				}
				if row.Next == "" && j.Current != "" {
					key := lr.Lab.ID + "/" + j.Current
					row.Next = key
					if i, ok := index[key]; ok {
						row.CurrentTitle = rep.Steps[i].Title
					}
					if !j.CurrentSince.IsZero() {
						since := j.CurrentSince.UTC()
						row.Since = &since
						row.Minutes = max(0, int(now.Sub(since).Minutes()))
					}
				}
				for _, js := range j.Steps {
					i, ok := index[lr.Lab.ID+"/"+js.ID]
					if !ok {
						continue
					}
					c := Cell{State: State(js.State)}
					if js.Failing != "" && (c.State == Current || c.State == Failing || c.State == PassedBefore) {
						if r, ok := byCheck[js.Failing]; ok {
							c.Check, c.Reason, c.Message = r.Check, r.Reason, text(r.Message)
							if r.Status == checks.Error {
								c.State = Errored
							}
						}
					}
					if js.State == journey.Unavailable {
						// The reason is prose, worded by each language's
						// page; the CSV's reason column keeps codes.
						c.Reason = "NOT_ON_SANDBOX"
						c.Message = Text{}
						for _, l := range i18n.Langs {
							c.Message[l] = j.Reason(&js, l)
						}
					}
					row.Cells[i] = c
					st := &rep.Steps[i]
					st.Of++
					if !js.FirstDoneAt.IsZero() || (st.Cleanup && (c.State == Passed || c.State == PassedBefore)) {
						st.Done++
					}
					// What blocks people now: the first failing check of
					// their current step (or of a step they broke again).
					// A current step not begun (nothing found yet) is not a
					// failure, and the clean-up fails by design until done.
					r, found := byCheck[js.Failing]
					blocking := found && r.Status == checks.Fail && !st.Cleanup &&
						(c.State == Failing || c.State == Current && (r.Reason != "NOT_FOUND" || begun(js.Step, byCheck)))
					if blocking {
						k := failKey{st.Lab, st.ID, r.Check, r.Reason}
						f := failures[k]
						if f == nil {
							f = &Failure{Lab: st.Lab, Step: st.ID, StepTitle: st.Title, Check: r.Check, Reason: r.Reason, Example: c.Message}
							failures[k] = f
						}
						f.Count++
						f.Learners = append(f.Learners, o.Learner.Name)
					}
				}
			}
			// "No VPC yet" is for a learner who has not built it: one who
			// did every required step of that lab had it, and deleted it.
			if vpcCleanedUp {
				row.Note = text(i18n.Msg{ID: "ClassNoteLabVPCGone", Data: o.Note.Data})
			}
			switch {
			case len(row.Regressions) > 0:
				row.Status = StatusFailing
				rep.Summary.Failing++
			case complete && started:
				row.Status = StatusComplete
				rep.Summary.Complete++
			case !started:
				row.Status = StatusNotStarted
				rep.Summary.NotStarted++
			case cleanup:
				row.Status = StatusCleanup
			default:
				row.Status = StatusInProgress
			}
		}
		if row.Total > 0 {
			row.Percent = row.Done * 100 / row.Total
		}
		if o.Cost != nil {
			rc := &RowCost{USDPerHour: billing.USD(o.Cost.USDPerHour), USDPer30Days: billing.USD(o.Cost.USDPerHour * billing.HoursPerMonth), Items: []CostItem{}, Estimate: o.Cost.Estimate}
			for _, it := range o.Cost.Items {
				rc.Items = append(rc.Items, CostItem{Type: string(it.Type), ID: it.ID, Name: it.Name, USDPerHour: billing.USD(it.USDPerHr), Delete: billing.InRegion(it.DeleteCmd, o.Region), AfterNAT: it.AfterNAT})
			}
			row.Cost = rc
			rep.Cost.USDPerHour += rc.USDPerHour
			if len(rc.Items) > 0 {
				rep.Cost.Billing++
			}
			rep.Cost.Estimate = rep.Cost.Estimate || rc.Estimate
		} else if o.Problem == nil {
			rep.Cost.Unknown++ // checked, but the cost could not be read
			if o.CostProblem != nil {
				row.CostProblem = text(o.CostProblem.Msg)
			}
		}
		rep.Learners = append(rep.Learners, row)
	}
	sortLearners(rep.Learners)
	rep.Summary.Learners = len(outcomes)
	rep.Summary.Errors = rep.Summary.Learners - rep.Summary.Checked
	rep.Cost.USDPerHour, rep.Cost.USDPer30Days = billing.USD(rep.Cost.USDPerHour), billing.USD(rep.Cost.USDPerHour*billing.HoursPerMonth)

	for _, f := range failures {
		rep.Failures = append(rep.Failures, *f)
	}
	order := map[string]int{}
	for i, st := range rep.Steps {
		order[st.Key()] = i
	}
	slices.SortFunc(rep.Failures, func(a, b Failure) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(order[a.Lab+"/"+a.Step], order[b.Lab+"/"+b.Step]),
			cmp.Compare(a.Check, b.Check), cmp.Compare(a.Reason, b.Reason))
	})
	if len(rep.Failures) > MaxFailures {
		rep.Failures = rep.Failures[:MaxFailures]
	}
	return rep
}

// begun reports whether some check of the step passes: the learner has
// started it, so what is missing is a failure, not work not done yet.
func begun(s *content.Step, results map[string]checks.Result) bool {
	for _, c := range s.Checks {
		if results[c.ID].OK() {
			return true
		}
	}
	return false
}

// statusOrder puts the learners who may need help first: those on a step
// (oldest first: who has been stuck longest), then those who have not
// started, then those finished, then those who could not be checked.
var statusOrder = map[string]int{StatusFailing: 0, StatusInProgress: 0, StatusCleanup: 1, StatusNotStarted: 2, StatusComplete: 3, StatusError: 4}

// sortLearners orders rows by status group, then by time on the current
// step, longest first; ties keep roster order.
func sortLearners(rows []Row) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		if c := cmp.Compare(statusOrder[a.Status], statusOrder[b.Status]); c != 0 {
			return c
		}
		switch {
		case a.Since == nil && b.Since == nil:
			return 0
		case a.Since == nil:
			return 1
		case b.Since == nil:
			return -1
		}
		return a.Since.Compare(*b.Since)
	})
}
