package checks

import (
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/egress"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Status is a check's verdict.
type Status string

const (
	Pass    Status = "pass"    // the step is done
	Warn    Status = "warn"    // it works, but it is a known trap (costs, resilience)
	Fail    Status = "fail"    // the step is not done, or done wrong
	Error   Status = "error"   // vpclab could not decide (throttling, permissions, network)
	Skipped Status = "skipped" // a check it needs did not pass
)

// Result is what one check found. Message, Resources and Fix are what a
// learner needs to act: what is wrong with which resource, and the command
// that fixes it with their real ids.
type Result struct {
	Step      string
	Check     string
	Kind      string
	Status    Status
	Reason    string // a reason code, e.g. NO_ROUTE_TO_DESTINATION
	Message   i18n.Msg
	Resources []string
	// Fix is Plan rendered as AWS CLI commands, one per line, and only
	// when the plan was proven on a copy of the account (see prove.go);
	// empty otherwise, and then the message says what to change.
	Fix  string
	Plan *repair.Plan
	// RootCause is the id of the check whose failure this one follows
	// from: that result carries the plan, this one points to it.
	RootCause string
	Path      *egress.Path
	Block     *content.CheckBlock

	// candidates are the plans a kind proposes, best first; the first
	// that proves becomes Plan.
	candidates []*repair.Plan
	// hint explains what to change when no plan can be proven.
	hint *i18n.Msg
}

// propose adds candidate plans (nil ones are ignored).
func (r Result) propose(ps ...*repair.Plan) Result {
	for _, p := range ps {
		if !p.Empty() {
			r.candidates = append(r.candidates, p)
		}
	}
	return r
}

// explain sets what the learner should change when no plan is shown.
func (r Result) explain(id string, data i18n.M) Result {
	r.hint = &i18n.Msg{ID: id, Data: data}
	return r
}

// OK reports whether the result counts as done (pass or warn).
func (r Result) OK() bool { return r.Status == Pass || r.Status == Warn }

func pass(id string, data i18n.M, resources ...string) Result {
	return Result{Status: Pass, Message: i18n.Msg{ID: id, Data: data}, Resources: resources}
}

func fail(reason, id string, data i18n.M, fix string, resources ...string) Result {
	return Result{Status: Fail, Reason: reason, Message: i18n.Msg{ID: id, Data: data}, Fix: fix, Resources: resources}
}

func warn(reason, id string, data i18n.M, fix string, resources ...string) Result {
	return Result{Status: Warn, Reason: reason, Message: i18n.Msg{ID: id, Data: data}, Fix: fix, Resources: resources}
}

// Env is what a kind judges: one account snapshot.
type Env struct {
	Snap *account.Snapshot
	// Lab is every check block of the lab, for what the lab intends
	// (the names it gives, the step that creates a resource); Block is
	// the one being judged.
	Lab   []*content.CheckBlock
	Block *content.CheckBlock
}

// Region is the snapshot's region, for messages and fix commands.
func (e *Env) Region() string { return e.Snap.Region }

// Params reads a check block's parameters with defaults.
type Params struct{ m *content.Mapping }

// NewParams wraps a check block's parameters.
func NewParams(m *content.Mapping) Params { return Params{m: m} }

func (p Params) get(k string) (content.Value, bool) { return p.m.Get(k) }

// Str returns a string parameter or def.
func (p Params) Str(k, def string) string {
	if v, ok := p.get(k); ok && v.Str() != "" {
		return v.Str()
	}
	return def
}

// Bool returns a boolean parameter or def.
func (p Params) Bool(k string, def bool) bool {
	if v, ok := p.get(k); ok {
		if b, ok := v.Bool(); ok {
			return b
		}
	}
	return def
}

// Int returns a whole-number parameter or def.
func (p Params) Int(k string, def int) int {
	if v, ok := p.get(k); ok {
		if i, ok := v.Int(); ok {
			return i
		}
	}
	return def
}

// Strings returns a list parameter.
func (p Params) Strings(k string) []string {
	if v, ok := p.get(k); ok {
		s, _ := v.Strings()
		return s
	}
	return nil
}

// Has reports whether the author set k.
func (p Params) Has(k string) bool { _, ok := p.get(k); return ok }

// wrappers are the messages vpclab puts around a kind's own.
var wrappers = map[string]bool{"RepairUnproven": true, "RepairWithHint": true, "RepairFollowsAbove": true, "RepairFollowsBelow": true}

// Core is the kind's own message, without what vpclab wrapped around it
// (a hint, an unproven plan, a pointer to the root cause).
func (r Result) Core() i18n.Msg {
	m := r.Message
	for i := 0; i < 3; i++ {
		inner, ok := m.Data["Msg"].(i18n.Msg)
		if !ok || !wrappers[m.ID] {
			break
		}
		m = inner
	}
	return m
}
