// Package journey says where a learner is in a lab: which steps are done,
// which one is current, which are not reached yet, which broke again, and
// whether the lab is complete. It is a pure function of the lab, the
// results of a check run and the recorded history (internal/progress), so
// that vpclab check, the badges, the site and the class view all tell a
// learner the same thing.
//
// The frontier (the current step) never goes backwards: a step counts as
// done once all its checks have passed, and stays done after the clean-up
// deletes what it built. Before the clean-up phase, a done step that fails
// now is a regression. Once every required step is done, the learner may
// be cleaning up: a step that fails because something it relies on is
// gone (checks.Teardown) is only "done earlier", but one that fails for
// any other reason (a CIDR, a DNS attribute, a rule changed) is still a
// regression, until the clean-up has passed and the lab is complete; so is
// a failure a deletion would cause (a route missing) while nothing of the
// lab is deleted (checks.Deletion): the clean-up has not begun.
package journey

import (
	"net"
	"net/url"
	"time"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
)

// State is where a learner is with one step.
type State string

const (
	Done        State = "done"          // every check passes now
	DoneEarlier State = "done-earlier"  // passed before, not now (e.g. after the clean-up)
	Current     State = "current"       // the first required step not yet done, or the clean-up
	NotReached  State = "not-reached"   // after the current step, and not passing
	Regression  State = "failing"       // done before, broken now, before the clean-up phase
	Optional    State = "optional"      // an optional step not done: neutral
	Unavailable State = "not-checkable" // cannot be done on the sandbox (Reason says why)
)

// Result is one check's outcome in this run.
type Result struct {
	Status progress.Status
	Reason string
	// Step is set for a finding about a step that is not one of its check
	// blocks: how vpclab bound the lab's names (a resource made twice, a
	// copy in another Region). A failing one keeps a done step from
	// counting as passing now, as its own checks would.
	Step string
}

// Input is what a learner's progress is computed from.
type Input struct {
	Lab *content.Lab
	// Now holds this run's results by check id. A check not in it is
	// judged by its latest recorded result (History), as the site does.
	Now map[string]Result
	// History is the progress store's records of the lab in the learner's
	// account and region, by check id; nil when nothing was recorded.
	History map[string]progress.Record
	// At is when Now was judged (zero: time.Now).
	At time.Time
	// Sandbox: the account is the sandbox, where steps marked
	// sandbox="…" cannot be done.
	Sandbox bool
}

// Step is one step's place in the learner's progress.
type Step struct {
	ID     string
	Number int // 1 for the lab's first step with checks
	Role   content.StepRole
	State  State
	// FirstDoneAt is when every check of the step had first passed (zero:
	// never done).
	FirstDoneAt time.Time
	// Failing is the first check of the step that does not pass now, in
	// lab order ("" when all pass): the hint for the current step.
	Failing string
	// Reason is why the step cannot be done on the sandbox.
	Reason string
	Step   *content.Step
}

// Journey is a learner's progress through one lab.
type Journey struct {
	Lab   string
	lab   *content.Lab // for wording in the reader's language
	Steps []Step       // the lab's steps with checks, in order
	// Current is the current step's id: the first required step not yet
	// done, or the clean-up once they all are; "" when the lab is complete.
	Current string
	// CurrentSince is when the learner reached the current step (zero
	// when unknown: nothing recorded yet).
	CurrentSince time.Time
	// RequiredDone of RequiredTotal required steps have been done.
	RequiredDone, RequiredTotal int
	// Complete: every required step was done and the clean-up passed
	// afterwards. It stays true when the learner builds again.
	Complete bool
	// Started: some check of a required or optional step passes now or
	// passed before.
	Started bool
}

// Step returns the step with id, or nil.
func (j *Journey) Step(id string) *Step {
	for i := range j.Steps {
		if j.Steps[i].ID == id {
			return &j.Steps[i]
		}
	}
	return nil
}

// CurrentStep returns the current step, or nil when the lab is complete.
func (j *Journey) CurrentStep() *Step { return j.Step(j.Current) }

// Regressions are the steps that were done and fail now, in lab order.
func (j *Journey) Regressions() []*Step {
	var out []*Step
	for i := range j.Steps {
		if j.Steps[i].State == Regression {
			out = append(out, &j.Steps[i])
		}
	}
	return out
}

// AllRequiredDone reports whether every required step has been done: the
// learner is in the clean-up phase or finished.
func (j *Journey) AllRequiredDone() bool { return j.RequiredDone == j.RequiredTotal }

// stepNow is what a step's checks say now.
type stepNow struct {
	pass    bool   // every check passes or warns
	fail    bool   // a check fails (or was skipped for a failing need): a definite no
	broken  bool   // a check fails for a reason no clean-up causes (checks.Teardown)
	failing string // first check not passing
}

// Of computes a learner's progress in in.Lab.
func Of(in Input) *Journey {
	at := in.At
	if at.IsZero() {
		at = time.Now()
	}
	page := in.Lab.Page(i18n.EN)
	j := &Journey{Lab: in.Lab.ID, lab: in.Lab}
	if page == nil {
		return j
	}
	var (
		nows   []stepNow
		labAt  time.Time // when the learner started: the first record
		doneAt time.Time // when the last required step was first done
	)
	for _, h := range in.History {
		if t := h.Started(); !t.IsZero() && (labAt.IsZero() || t.Before(labAt)) {
			labAt = t
		}
	}
	if labAt.IsZero() && len(in.Now) > 0 {
		labAt = at // nothing recorded before: the learner is seen first now
	}
	for _, s := range page.Steps {
		if !s.IsStep() {
			continue
		}
		st := Step{ID: s.ID, Number: page.Number(s), Role: s.Role, Step: s}
		now := stepNow{pass: true}
		firstFailed := false
		first := time.Time{}
		ever := true
		for _, c := range s.Checks {
			status, reason, known := in.status(c.ID)
			passing := known && (status == progress.StatusPass || status == progress.StatusWarn)
			if !passing {
				now.pass = false
				// The hint is the first check that fails itself, rather
				// than one skipped because of it.
				if now.failing == "" || status == progress.StatusFail && !firstFailed {
					now.failing = c.ID
					firstFailed = status == progress.StatusFail
				}
				if status == progress.StatusFail || status == progress.StatusSkipped {
					now.fail = true
				}
				if status == progress.StatusFail && !checks.Teardown(reason) {
					now.broken = true
				}
			}
			fp := in.History[c.ID].FirstPassed()
			if fp.IsZero() && passing {
				fp = at
			}
			if fp.IsZero() {
				ever = false
			} else if fp.After(first) {
				first = fp
			}
			if s.Role != content.RoleCleanup && (passing || !fp.IsZero()) {
				j.Started = true
			}
		}
		if s.Role != content.RoleCleanup {
			for id, r := range in.Now {
				if r.Step == s.ID && r.Status == progress.StatusFail {
					now.pass, now.fail = false, true
					now.broken = now.broken || !checks.Teardown(r.Reason)
					// A finding on the step (a resource made twice, a
					// Name tag missing), failing since before the step's
					// checks all passed, means the step was never done
					// whole: not "done, and broken now".
					if !isCheckOf(s, id) {
						seen := in.History[id].Started()
						if seen.IsZero() {
							seen = at // first seen now
						}
						if !seen.After(first) {
							ever = false
						}
					}
				}
			}
		}
		if ever && s.Role != content.RoleCleanup {
			st.FirstDoneAt = first
		}
		st.Failing = now.failing
		if in.Sandbox && !now.pass {
			st.Reason = s.Sandbox()
		}
		j.Steps = append(j.Steps, st)
		nows = append(nows, now)
	}

	// The frontier: the first required step never done.
	for i := range j.Steps {
		st := &j.Steps[i]
		if st.Role != content.RoleRequired || st.Reason != "" {
			continue
		}
		j.RequiredTotal++
		if st.FirstDoneAt.IsZero() {
			if j.Current == "" {
				j.Current = st.ID
				j.CurrentSince = labAt
				if !doneAt.IsZero() {
					j.CurrentSince = doneAt
				}
			}
			continue
		}
		j.RequiredDone++
		if j.Current == "" && st.FirstDoneAt.After(doneAt) {
			doneAt = st.FirstDoneAt
		}
	}
	allDone := j.RequiredDone == j.RequiredTotal

	hasCleanup := false
	cleanupPassed := true // every clean-up check passed since the required steps were done
	for i := range j.Steps {
		st, now := &j.Steps[i], nows[i]
		switch {
		case st.Reason != "":
			st.State = Unavailable
		case st.Role == content.RoleCleanup:
			hasCleanup = true
			passNow := true
			for _, c := range st.Step.Checks {
				// PassedAt is the latest pass: after the build, it is the
				// clean-up's. A pass from before the build (an empty
				// account passes the clean-up) counts for nothing.
				h := in.History[c.ID]
				if p := h.PassedAt; p.IsZero() || p.Before(doneAt) {
					cleanupPassed = false
				}
				if r, ok := in.Now[c.ID]; ok && r.Status != progress.StatusError {
					passNow = passNow && (r.Status == progress.StatusPass || r.Status == progress.StatusWarn)
				} else {
					passNow = passNow && !h.PassedAt.IsZero() && !h.PassedAt.Before(doneAt) && !h.At.After(h.PassedAt)
				}
			}
			switch {
			case !allDone:
				st.State = NotReached
			case passNow:
				st.State = Done
				st.FirstDoneAt = at
			case cleanupPassed:
				st.State = DoneEarlier
			default:
				st.State = Current
			}
		case st.ID == j.Current:
			st.State = Current
		case now.pass:
			st.State = Done
		case st.Role == content.RoleOptional && st.FirstDoneAt.IsZero():
			st.State = Optional
		case st.FirstDoneAt.IsZero():
			st.State = NotReached
		case now.fail && !allDone && st.Role == content.RoleRequired && j.before(st.ID):
			st.State = Regression
		default:
			st.State = DoneEarlier
		}
	}
	if allDone {
		if !hasCleanup {
			j.Complete = true
		}
		for i := range j.Steps {
			st := &j.Steps[i]
			if st.Role != content.RoleCleanup || st.State == Unavailable {
				continue
			}
			if st.State == Current {
				j.Current, j.CurrentSince = st.ID, doneAt
			} else {
				j.Complete = true
			}
			break
		}
		if j.Complete {
			j.Current, j.CurrentSince = "", time.Time{}
		}
		// Cleaning up deletes things; it does not change them. Until the
		// lab is complete, a done step broken by a change is a regression,
		// and so is one broken as a deletion would break it (a route
		// missing) while nothing of the lab is deleted: the clean-up has
		// not begun.
		deleting := false
		for _, s := range j.Steps {
			if s.Role == content.RoleCleanup || s.FirstDoneAt.IsZero() {
				continue // what the clean-up finds left, or what was never built, is no deletion
			}
			for _, c := range s.Step.Checks {
				// This run's result, else the latest recorded (a run of
				// one step sees the rest of the lab in the record).
				st, reason := in.History[c.ID].Status, in.History[c.ID].Reason
				if r, ok := in.Now[c.ID]; ok {
					st, reason = r.Status, r.Reason
				}
				deleting = deleting || st == progress.StatusFail && checks.Deletion(reason)
			}
		}
		for i := range j.Steps {
			st := &j.Steps[i]
			if !j.Complete && st.State == DoneEarlier && st.Role == content.RoleRequired && j.before(st.ID) &&
				(nows[i].broken || nows[i].fail && !deleting) {
				st.State = Regression
			}
		}
	}
	return j
}

// Reason is why step s cannot be done on the sandbox, worded on the page
// of lang (each page words it in its language).
func (j *Journey) Reason(s *Step, lang i18n.Lang) string {
	if p := j.lab.Page(lang); p != nil && s.Reason != "" {
		if st := p.StepByID(s.ID); st != nil {
			if r := st.Sandbox(); r != "" {
				return r
			}
		}
	}
	return s.Reason
}

// before reports whether step id comes before the current step.
func (j *Journey) before(id string) bool {
	if j.Current == "" {
		return true
	}
	for _, s := range j.Steps {
		if s.ID == j.Current {
			return false
		}
		if s.ID == id {
			return true
		}
	}
	return false
}

// status is a check's latest known status and reason: this run's, else
// the recorded one.
func (in Input) status(check string) (progress.Status, string, bool) {
	if r, ok := in.Now[check]; ok {
		if r.Status == progress.StatusError {
			// Not judged this time: the recorded result stands.
			if h, ok := in.History[check]; ok {
				return h.Status, h.Reason, true
			}
		}
		return r.Status, r.Reason, true
	}
	h, ok := in.History[check]
	return h.Status, h.Reason, ok
}

// IsSandbox reports whether endpoint (AWS_ENDPOINT_URL or a config's base
// endpoint) is the local sandbox: on loopback. A real account never is.
func IsSandbox(endpoint string) bool {
	if endpoint == "" {
		return false
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isCheckOf(s *content.Step, id string) bool {
	for _, c := range s.Checks {
		if c.ID == id {
			return true
		}
	}
	return false
}
