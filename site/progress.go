package site

import (
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/journey"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/site/badge"
)

// State is where a learner stands with a lab (or with all labs).
type State string

const (
	NotStarted State = "not-started" // no step done or begun
	InProgress State = "in-progress" // on the way; nothing done has broken
	Cleanup    State = "cleanup"     // every required step done; the clean-up is next
	Done       State = "done"        // complete: required steps done, then cleaned up
	Failing    State = "failing"     // a step that was done fails now (a regression)
)

// Color is the badge colour of a state.
func (s State) Color() badge.Color {
	switch s {
	case InProgress, Cleanup:
		return badge.Blue
	case Done:
		return badge.Green
	case Failing:
		return badge.Red
	}
	return badge.Grey
}

// LabProgress is a lab's progress in the account and region where it was
// most recently checked (progress.Progress.Latest), on the journey model
// that vpclab check and the class view use.
type LabProgress struct {
	Lab     string
	Account string // empty when nothing was recorded
	Region  string
	Done    int // required steps done (now or earlier)
	Total   int // required steps
	State   State
	// Failing is the number of the first step that broke again (0: none).
	Failing int
	Journey *journey.Journey
	// Records are the latest results by check id, only for checks the lab
	// still has.
	Records map[string]progress.Record
}

// ProgressOf computes a lab's progress. A nil prog, or a lab never checked,
// is NotStarted.
func ProgressOf(lab *content.Lab, prog *progress.Progress) LabProgress {
	lp := LabProgress{Lab: lab.ID, State: NotStarted, Records: map[string]progress.Record{}}
	var recs map[string]progress.Record
	if key, ok := prog.Latest(lab.ID); ok {
		lp.Account, lp.Region = key.Account, key.Region
		recs = prog.Lab(key.Account, key.Region, key.Lab)
		for _, b := range lab.Checks() {
			if r, ok := recs[b.ID]; ok {
				lp.Records[b.ID] = r
			}
		}
	}
	j := journey.Of(journey.Input{Lab: lab, History: lp.Records})
	lp.Journey, lp.Done, lp.Total = j, j.RequiredDone, j.RequiredTotal
	switch {
	case len(j.Regressions()) > 0:
		lp.State, lp.Failing = Failing, j.Regressions()[0].Number
	case j.Complete && j.Started:
		lp.State = Done
	case j.Started && j.AllRequiredDone():
		lp.State = Cleanup
	case j.Started:
		lp.State = InProgress
	}
	return lp
}

// StepState is the step's state for the table of contents: a journey
// state, or "" for a section without checks.
func (lp LabProgress) StepState(s *content.Step) string {
	if lp.Journey == nil {
		return ""
	}
	if js := lp.Journey.Step(s.ID); js != nil {
		return string(js.State)
	}
	return ""
}

// Overall is the progress over every lab.
type Overall struct {
	Done, Total int // labs complete, labs
	State       State
}

// OverallOf computes the progress over labs.
func OverallOf(labs []*content.Lab, prog *progress.Progress) Overall {
	o := Overall{Total: len(labs), State: NotStarted}
	started, failing := false, false
	for _, l := range labs {
		switch ProgressOf(l, prog).State {
		case Done:
			o.Done++
			started = true
		case Failing:
			failing, started = true, true
		case InProgress, Cleanup:
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

// LabBadge is the progress badge of a lab in lang: the lab's id and "not
// started", "3 / 9 steps", "9 / 9 steps · clean up", "step 4: failing" or
// "done".
func LabBadge(lab *content.Lab, lang i18n.Lang, prog *progress.Progress) badge.Badge {
	lp := ProgressOf(lab, prog)
	b := badge.Badge{Label: lab.ID, Value: lp.Words(i18n.New(lang)), Color: lp.State.Color()}
	b.Title = lab.Page(lang).Meta.Title + ": " + b.Value
	return b
}

// Words are the lab's progress in a learner's words, as on its badge.
func (lp LabProgress) Words(loc *i18n.Localizer) string {
	data := i18n.M{"Done": lp.Done, "Total": lp.Total, "Number": lp.Failing}
	return loc.T(map[State]string{NotStarted: "ProgressBadgeNotStarted", InProgress: "ProgressBadgeSteps",
		Cleanup: "ProgressBadgeCleanup", Done: "ProgressBadgeDone", Failing: "ProgressBadgeFailing"}[lp.State], data)
}

// OverallBadge is the badge over every lab in lang: "not started",
// "2 / 5 labs" or "done".
func OverallBadge(labs []*content.Lab, lang i18n.Lang, prog *progress.Progress) badge.Badge {
	loc := i18n.New(lang)
	o := OverallOf(labs, prog)
	data := i18n.M{"Done": o.Done, "Total": o.Total}
	value := loc.T("ProgressBadgeLabs", data)
	switch o.State {
	case NotStarted:
		value = loc.T("ProgressBadgeNotStarted")
	case Done:
		value = loc.T("ProgressBadgeDone")
	case Failing:
		value = loc.T("ProgressBadgeLabsFailing", data)
	}
	return badge.Badge{Label: loc.T("ProgressBadgeOverallLabel"), Value: value, Color: o.State.Color()}
}
