package site

import (
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/site/badge"
)

// State is where a learner stands with a lab (or with all labs).
type State string

const (
	NotStarted State = "not-started" // nothing recorded
	InProgress State = "in-progress" // something recorded, not every check passes
	Done       State = "done"        // every check passed or warned
	Failing    State = "failing"     // the latest recorded result of a check is fail
)

// Color is the badge colour of a state.
func (s State) Color() badge.Color {
	switch s {
	case InProgress:
		return badge.Blue
	case Done:
		return badge.Green
	case Failing:
		return badge.Red
	}
	return badge.Grey
}

// LabProgress is a lab's progress in the account and region where it was
// most recently checked (progress.Progress.Latest).
type LabProgress struct {
	Lab     string
	Account string // empty when nothing was recorded
	Region  string
	Done    int // checks of the lab whose latest result is pass or warn
	Failed  int // checks of the lab whose latest result is fail
	Total   int // checks in the lab
	State   State
	// Records are the latest results by check id, only for checks the lab
	// still has.
	Records map[string]progress.Record
}

// ProgressOf computes a lab's progress. A nil prog, or a lab never checked,
// is NotStarted.
func ProgressOf(lab *content.Lab, prog *progress.Progress) LabProgress {
	lp := LabProgress{Lab: lab.ID, State: NotStarted, Records: map[string]progress.Record{}}
	blocks := lab.Checks()
	lp.Total = len(blocks)
	key, ok := prog.Latest(lab.ID)
	if !ok {
		return lp
	}
	lp.Account, lp.Region = key.Account, key.Region
	recs := prog.Lab(key.Account, key.Region, key.Lab)
	for _, b := range blocks {
		r, ok := recs[b.ID]
		if !ok {
			continue
		}
		lp.Records[b.ID] = r
		switch r.Status {
		case progress.StatusPass, progress.StatusWarn:
			lp.Done++
		case progress.StatusFail:
			lp.Failed++
		}
	}
	switch {
	case lp.Failed > 0:
		lp.State = Failing
	case lp.Total > 0 && lp.Done == lp.Total:
		lp.State = Done
	case len(lp.Records) > 0:
		lp.State = InProgress
	}
	return lp
}

// StepState summarizes one step's checks for the table of contents: "" when
// the step has no checks or none was recorded, else the worst of pass,
// partial and fail.
func (lp LabProgress) StepState(s *content.Step) string {
	if len(s.Checks) == 0 {
		return ""
	}
	done, seen := 0, 0
	for _, c := range s.Checks {
		r, ok := lp.Records[c.ID]
		if !ok {
			continue
		}
		seen++
		switch r.Status {
		case progress.StatusFail:
			return "fail"
		case progress.StatusPass, progress.StatusWarn:
			done++
		}
	}
	switch {
	case seen == 0:
		return ""
	case done == len(s.Checks):
		return "pass"
	}
	return "partial"
}

// Overall is the progress over every lab.
type Overall struct {
	Done, Total int // labs done, labs
	State       State
}

// OverallOf computes the progress over labs.
func OverallOf(labs []*content.Lab, prog *progress.Progress) Overall {
	o := Overall{Total: len(labs), State: NotStarted}
	started, failing := false, false
	for _, l := range labs {
		lp := ProgressOf(l, prog)
		switch lp.State {
		case Done:
			o.Done++
			started = true
		case Failing:
			failing, started = true, true
		case InProgress:
			started = true
		}
	}
	switch {
	case failing:
		o.State = Failing
	case o.Total > 0 && o.Done == o.Total:
		o.State = Done
	case started:
		o.State = InProgress
	}
	return o
}

// LabBadge is the progress badge of a lab in lang: the lab's id and
// "3/5", "done 5/5", "3/5 failing" or "not started".
func LabBadge(lab *content.Lab, lang i18n.Lang, prog *progress.Progress) badge.Badge {
	loc := i18n.New(lang)
	lp := ProgressOf(lab, prog)
	b := badge.Badge{Label: lab.ID, Value: stateValue(loc, lp.State, lp.Done, lp.Total), Color: lp.State.Color()}
	b.Title = lab.Page(lang).Meta.Title + ": " + b.Value
	return b
}

// OverallBadge is the badge over every lab in lang.
func OverallBadge(labs []*content.Lab, lang i18n.Lang, prog *progress.Progress) badge.Badge {
	loc := i18n.New(lang)
	o := OverallOf(labs, prog)
	return badge.Badge{Label: loc.T("BadgeOverallLabel"), Value: stateValue(loc, o.State, o.Done, o.Total), Color: o.State.Color()}
}

func stateValue(loc *i18n.Localizer, s State, done, total int) string {
	data := i18n.M{"Done": done, "Total": total}
	switch s {
	case Done:
		return loc.T("BadgeDone", data)
	case Failing:
		return loc.T("BadgeFailing", data)
	case InProgress:
		return loc.T("BadgeInProgress", data)
	}
	return loc.T("BadgeNotStarted")
}
