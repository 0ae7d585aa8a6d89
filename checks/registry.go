// Package checks defines the check kinds that lab check blocks name: their
// parameter schemas (for vpclab lint), the account resources each reads
// (for the loader and vpclab policy) and how each judges a snapshot of the
// learner's account. Kinds are pure functions of the snapshot.
package checks

import (
	"fmt"
	"sort"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Kind is one kind of check.
type Kind struct {
	Name   string
	Params []content.Field
	// Resources the kind reads; the loader fetches each type once per run
	// and vpclab policy grants exactly their read actions.
	Resources []account.Resource
	// Reads, when set, narrows Resources to what one block reads given its
	// parameters (an egress-path to the internet reads no endpoints): the
	// loader fetches only that, and the block is judged NOT_LOADED only
	// when that is missing. It must return a subset of Resources, which
	// stays the whole set for vpclab policy.
	Reads func(p Params) []account.Resource
	// Need adds parameter-dependent needs (ECS cluster and service names).
	Need func(p Params, n *account.Need)
	Eval func(e *Env, p Params) Result
}

var registry = map[string]*Kind{}

// register adds a kind at init time; a duplicate name is a programming
// error caught by every test run.
func register(k *Kind) *Kind {
	if _, dup := registry[k.Name]; dup {
		panic("checks: kind registered twice: " + k.Name)
	}
	registry[k.Name] = k
	return k
}

// Lookup returns the kind called name.
func Lookup(name string) (*Kind, bool) {
	k, ok := registry[name]
	return k, ok
}

// Kinds lists every kind, sorted by name.
func Kinds() []*Kind {
	out := make([]*Kind, 0, len(registry))
	for _, k := range registry {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names lists the kinds' names, sorted.
func Names() []string {
	var out []string
	for _, k := range Kinds() {
		out = append(out, k.Name)
	}
	return out
}

// Validate checks a check block's parameters against the kind's schema.
func (k *Kind) Validate(params *content.Mapping) content.Diags {
	// The reserved keys are never in params, but listing them lets a typo
	// such as "timout" get its "did you mean timeout?".
	fields := append([]content.Field{}, k.Params...)
	for _, f := range content.ReservedCheckKeys {
		f.Required = false // checked with the block itself
		fields = append(fields, f)
	}
	return content.Validate(params, fields, i18n.Msg{ID: "WhereCheckKind", Data: i18n.M{"Kind": k.Name}})
}

// Actions are the IAM actions the kind needs.
func (k *Kind) Actions() []string {
	set := map[string]bool{}
	for _, r := range k.Resources {
		for _, a := range account.Actions[r] {
			set[a] = true
		}
	}
	return sorted(set)
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// ReadsOf lists the resources judging one block of the kind reads.
func (k *Kind) ReadsOf(p Params) []account.Resource {
	if k.Reads == nil {
		return k.Resources
	}
	return k.Reads(p)
}

// NeedOf is what the loader must fetch to judge blocks.
func NeedOf(blocks []*content.CheckBlock) account.Need {
	var n account.Need
	n.Add() // an empty need is still a need: identity only
	for _, b := range blocks {
		k, ok := Lookup(b.Kind)
		if !ok {
			continue
		}
		p := NewParams(b.Params)
		n.Add(k.ReadsOf(p)...)
		if k.Need != nil {
			k.Need(p, &n)
		}
	}
	return n
}

// RegionHintAction lets vpclab check look for a missing lab VPC in the
// account's other regions ("it's in us-west-2").
const RegionHintAction = "ec2:DescribeRegions"

// Actions lists the IAM actions that judging blocks needs, plus the
// identity call every run makes and the region hint's.
func Actions(blocks []*content.CheckBlock) []string {
	set := map[string]bool{account.IdentityAction: true, RegionHintAction: true, "ec2:DescribeVpcs": true}
	for _, b := range blocks {
		if k, ok := Lookup(b.Kind); ok {
			for _, a := range k.Actions() {
				set[a] = true
			}
		}
	}
	return sorted(set)
}

// Evaluate judges blocks, in order, against one snapshot, and proves
// their repair plans against the same blocks. vpclab check passes the
// lab's full block list to EvaluateLab instead, so that a plan is proven
// against every check of the lab.
func Evaluate(snap *account.Snapshot, blocks []*content.CheckBlock) []Result {
	return EvaluateLab(snap, blocks, blocks)
}

// judge evaluates blocks without proving plans. A check whose needs did
// not all pass is skipped, so a learner sees the first cause rather than
// a cascade of failures it explains.
func judge(snap *account.Snapshot, blocks, lab []*content.CheckBlock) []Result {
	done := map[string]Result{}
	out := make([]Result, 0, len(blocks))
	for _, b := range blocks {
		env := &Env{Snap: snap, Lab: lab, Block: b}
		r := evalOne(env, b, done)
		r.Block, r.Check, r.Kind = b, b.ID, b.Kind
		if b.Step != nil {
			r.Step = b.Step.ID
		}
		done[b.ID] = r
		out = append(out, r)
	}
	return out
}

func evalOne(env *Env, b *content.CheckBlock, done map[string]Result) (r Result) {
	for _, n := range b.Needs {
		if prev, ok := done[n]; ok && !prev.OK() {
			return Result{Status: Skipped, Message: i18n.Msg{ID: "CheckSkippedNeeds", Data: i18n.M{"Need": n}}}
		}
	}
	k, ok := Lookup(b.Kind)
	if !ok {
		return Result{Status: Error, Reason: "UNKNOWN_KIND", Message: i18n.Msg{ID: "LintKindUnknown", Data: i18n.M{"Kind": b.Kind, "Known": fmt.Sprint(Names())}}}
	}
	// A block whose parameters do not fit its kind (a missing name, a
	// list where a string belongs) would judge something else than its
	// author meant: it never passes, and says where it is wrong.
	if b.Params != nil {
		if ds := k.Validate(b.Params); len(ds) > 0 {
			where := ds[0].Pos
			if !where.IsValid() {
				where = b.Pos
			}
			return Result{Status: Error, Reason: "BAD_PARAMETER", Message: i18n.Msg{ID: "RepairBadBlock",
				Data: i18n.M{"Where": where.String(), "Problem": i18n.Msg{ID: ds[0].ID, Data: ds[0].Args}}}}
		}
	}
	// A kind that trips over an account state nobody foresaw must not take
	// the whole run down: it becomes an error for that check alone.
	defer func() {
		if p := recover(); p != nil {
			r = Result{Status: Error, Reason: "INTERNAL", Message: i18n.Msg{ID: "CheckInternalError", Data: i18n.M{"Err": fmt.Sprint(p)}}}
		}
	}()
	p := NewParams(b.Params)
	for _, res := range k.ReadsOf(p) {
		if !env.Snap.Loaded[res] {
			return Result{Status: Error, Reason: "NOT_LOADED", Message: i18n.Msg{ID: "CheckNotLoaded", Data: i18n.M{"Resource": string(res)}}}
		}
	}
	return k.Eval(env, p)
}
