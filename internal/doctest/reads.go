package doctest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Kinds declare what they read for their parameters (checks.Kind.Reads),
// and vpclab reads no more: a kind that declared too little could pass a
// check that a read of everything fails. sameReads is the proof, run
// after every step when Options.SameReads is set (vpclab test --mutate):
// each of the lab's checks is judged on a read of everything and on the
// least its own parameters read, and must get the same verdict, message,
// fix and resources.
func sameReads(ctx context.Context, lab *content.Lab, load func(context.Context, account.Need) (*account.Snapshot, error)) []Problem {
	all := lab.Checks()
	everything := checks.NeedOf(all)
	for r := range account.Actions {
		everything.Add(r)
	}
	full, err := load(ctx, everything)
	if err != nil {
		return []Problem{{Kind: "error", Detail: "read everything: " + err.Error()}}
	}
	en := i18n.New(i18n.EN)
	verdict := func(r checks.Result) string {
		return fmt.Sprintf("%s %s\n%s\nfix: %s\nresources: %v", r.Status, r.Reason, en.T(r.Message.ID, r.Message.Data), r.Fix, r.Resources)
	}
	var out []Problem
	least := map[string]*account.Snapshot{} // by need: checks of one kind often read alike
	for _, b := range all {
		one := []*content.CheckBlock{b}
		need := checks.NeedOf(one)
		key := needKey(need)
		snap, ok := least[key]
		if !ok {
			if snap, err = load(ctx, need); err != nil {
				return append(out, Problem{Kind: "error", Check: b.ID, Pos: b.Pos, Detail: "read what it needs: " + err.Error()})
			}
			least[key] = snap
		}
		want, got := verdict(checks.Evaluate(full, one)[0]), verdict(checks.Evaluate(snap, one)[0])
		if want != got {
			out = append(out, Problem{Kind: "reads-differ", Check: b.ID, Pos: b.Pos,
				Detail: fmt.Sprintf("on a read of everything:\n%s\non what its kind reads (%s):\n%s", want, key, got)})
		}
	}
	return out
}

func needKey(n account.Need) string {
	var rs []string
	for r, ok := range n.Resources {
		if ok {
			rs = append(rs, string(r))
		}
	}
	slices.Sort(rs)
	return strings.Join(rs, " ") + fmt.Sprint(n.Clusters, n.Services)
}
