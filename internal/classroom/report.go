package classroom

import (
	"cmp"
	"slices"
	"time"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
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

// State is where a learner is with one step.
type State string

const (
	Passed     State = "passed"      // every check of the step passes (or warns)
	Failing    State = "failing"     // the step was started, and a check fails
	NotStarted State = "not-started" // nothing of the step exists yet
	Errored    State = "error"       // the learner, or a check, could not be judged
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
	// Cleanup: the step only checks that nothing billable is left. It
	// counts as done only once the learner has built something.
	Cleanup bool `json:"cleanup,omitempty"`
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
	// Next is the first step (lab/step) that does not pass yet; "" when
	// all do or the learner could not be checked.
	Next string   `json:"next_step,omitempty"`
	Cost *RowCost `json:"cost"`
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
	// Earlier: the step passed in an earlier run but not now (Message
	// says what is missing now), e.g. after the learner cleaned up.
	Earlier bool `json:"passed_earlier,omitempty"`
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
	Complete   int `json:"complete"`    // every step passes
	NotStarted int `json:"not_started"` // no step passes or fails yet
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
	// History is the progress store's content. A check that passed
	// before counts as done although it fails now, as the site's badges
	// do: a learner who finished and cleaned up has deleted what the
	// checks look for. Such steps are Passed with Earlier set. Nil: only
	// the current results count.
	History *progress.Progress
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
		for _, s := range lab.Page(i18n.EN).Steps {
			if len(s.Checks) == 0 {
				continue
			}
			st := Step{Lab: lab.ID, ID: s.ID, Title: Text{}, Checks: len(s.Checks), Cleanup: true}
			for _, b := range s.Checks {
				st.Cleanup = st.Cleanup && b.Kind == "cleanup"
			}
			for _, lang := range i18n.Langs {
				st.Title[lang] = s.Title
				if ps := lab.Page(lang).StepByID(s.ID); ps != nil {
					st.Title[lang] = ps.Title
				}
			}
			rep.Steps = append(rep.Steps, st)
		}
	}

	type failKey struct{ lab, step, check, reason string }
	failures := map[failKey]*Failure{}
	for _, o := range outcomes {
		row := Row{Name: o.Learner.Name, Account: o.Account, Region: o.Region, Total: len(rep.Steps), Cells: make([]Cell, 0, len(rep.Steps))}
		if o.Note != nil {
			row.Note = text(*o.Note)
		}
		if o.Problem != nil {
			row.Problem = &RowProblem{Code: o.Problem.Code, Action: o.Problem.Action, Message: text(o.Problem.Msg)}
			for range rep.Steps {
				row.Cells = append(row.Cells, Cell{State: Errored})
			}
		} else {
			byStep := map[string][]checks.Result{}
			for _, lr := range o.Labs {
				for _, r := range lr.Results {
					k := lr.Lab.ID + "/" + r.Step
					byStep[k] = append(byStep[k], r)
				}
			}
			var firsts []*checks.Result
			started := false
			for _, st := range rep.Steps {
				hist := opts.History.Lab(row.Account, row.Region, st.Lab)
				c, first := judgeStep(byStep[st.Key()], func(check string) bool { return !hist[check].PassedAt.IsZero() })
				if first != nil {
					c.Message = text(first.Message)
				}
				row.Cells = append(row.Cells, c)
				firsts = append(firsts, first)
				if !st.Cleanup && (c.State == Passed || c.State == Failing) {
					started = true
				}
			}
			for i, st := range rep.Steps {
				c, first := &row.Cells[i], firsts[i]
				// With nothing built, there is nothing to clean up: that
				// is not a step done.
				if st.Cleanup && !started && c.State == Passed {
					c.State = NotStarted
				}
				if c.State == Passed {
					row.Done++
				} else if row.Next == "" {
					row.Next = st.Key()
				}
				// The cleanup check fails all through the lab, by design:
				// it is the cost column's business, not a mistake.
				if c.State == Failing && first != nil && first.Status == checks.Fail && !st.Cleanup {
					k := failKey{st.Lab, st.ID, first.Check, first.Reason}
					f := failures[k]
					if f == nil {
						f = &Failure{Lab: st.Lab, Step: st.ID, StepTitle: st.Title, Check: first.Check, Reason: first.Reason, Example: c.Message}
						failures[k] = f
					}
					f.Count++
					f.Learners = append(f.Learners, o.Learner.Name)
				}
			}
			rep.Summary.Checked++
			if row.Total > 0 && row.Done == row.Total {
				rep.Summary.Complete++
			}
			if !started {
				rep.Summary.NotStarted++
			}
		}
		if row.Total > 0 {
			row.Percent = row.Done * 100 / row.Total
		}
		if o.Cost != nil {
			rc := &RowCost{USDPerHour: o.Cost.USDPerHour, USDPer30Days: o.Cost.USDPerHour * billing.HoursPerMonth, Items: []CostItem{}, Estimate: o.Cost.Estimate}
			for _, it := range o.Cost.Items {
				rc.Items = append(rc.Items, CostItem{Type: string(it.Type), ID: it.ID, Name: it.Name, USDPerHour: it.USDPerHr, Delete: it.DeleteCmd})
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
	rep.Summary.Learners = len(outcomes)
	rep.Summary.Errors = rep.Summary.Learners - rep.Summary.Checked
	rep.Cost.USDPer30Days = rep.Cost.USDPerHour * billing.HoursPerMonth

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

// judgeStep decides a step's state from its checks' results, and returns
// the result that explains it (nil when it passes now). passedBefore says
// whether a check passed in an earlier run.
//
//   - passed: every check passes or warns, now or before (Earlier: not
//     all of them now);
//   - error: a check could not be judged;
//   - not started: nothing passes, and every other check found nothing
//     (NOT_FOUND) or was skipped because an earlier check failed;
//   - failing: anything else; the first failing check explains it.
func judgeStep(rs []checks.Result, passedBefore func(check string) bool) (Cell, *checks.Result) {
	if len(rs) == 0 {
		return Cell{State: NotStarted}, nil
	}
	ok, before := 0, 0
	var firstErr, firstFail, firstOther, firstBefore *checks.Result
	for i := range rs {
		r := &rs[i]
		switch {
		case r.OK():
			ok++
		case passedBefore(r.Check):
			before++
			if firstBefore == nil {
				firstBefore = r
			}
		case r.Status == checks.Error:
			if firstErr == nil {
				firstErr = r
			}
		case r.Status == checks.Skipped, r.Reason == "NOT_FOUND":
			if firstOther == nil {
				firstOther = r
			}
		default:
			if firstFail == nil {
				firstFail = r
			}
		}
	}
	cell := func(s State, r *checks.Result) (Cell, *checks.Result) {
		return Cell{State: s, Check: r.Check, Reason: r.Reason}, r
	}
	switch {
	case firstErr != nil:
		return cell(Errored, firstErr)
	case ok == len(rs):
		return Cell{State: Passed}, nil
	case ok+before == len(rs):
		c, r := cell(Passed, firstBefore)
		c.Earlier = true
		return c, r
	case firstFail != nil:
		return cell(Failing, firstFail)
	case ok+before == 0:
		return cell(NotStarted, firstOther)
	}
	// Some checks pass, the others found nothing: half done.
	return cell(Failing, firstOther)
}
