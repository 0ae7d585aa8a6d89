package binding

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
)

// Judge is what vpclab check decides about blocks in snap, one result per
// block, for callers that line results up with blocks (the mutation
// pass): the lab's names are bound first, copies of its VPC are looked for
// in cfg's other Regions (cfg may be the zero Config: then not), and each
// finding that fails is folded into the result of the first block that
// names its resource: that check fails, naming the duplicate, untagged or
// other-Region resource, with the finding's proven plan as its fix.
//
// elsewhere does the other-Region search (nil: Elsewhere with cfg); a
// caller that knows the other Regions did not change can answer from what
// it found before.
//
// Every name of all (the whole lab) is bound, as vpclab check does: a
// resource a step made but only a later step's check names is the lab's
// all the same. A finding about it is folded into the first block.
func Judge(ctx context.Context, cfg aws.Config, snap *account.Snapshot, blocks, all []*content.CheckBlock, lab string,
	elsewhere func(ctx context.Context, names []string) ([]RegionHit, error)) []checks.Result {
	if elsewhere == nil {
		elsewhere = func(ctx context.Context, names []string) ([]RegionHit, error) { return Elsewhere(ctx, cfg, names) }
	}
	snap = snap.Clone() // binding rewrites the view; the caller's snapshot stays as loaded
	if len(all) == 0 {
		all = blocks
	}
	rep := Bind(snap, all, Options{})
	if names := rep.VPCNames(); len(names) > 0 && cfg.Region != "" {
		hits, _ := elsewhere(ctx, names) // a Region that cannot be read is left out
		rep.SetElsewhere(hits)
	}
	results := checks.EvaluateLab(snap, blocks, blocks)
	findings := Findings(rep, snap, blocks, results, lab, Options{})
	rs := RegionFirst(append(findings, results...))
	return Fold(rs[len(findings):], rs[:len(findings)], blocks)
}

// Fold puts each failing finding into the result of the block it belongs
// to (the first block naming its resource; the first block for a lab in
// another Region). A passing result becomes the finding; a failing one
// keeps its own message and gains the finding's fix after its own.
func Fold(results, findings []checks.Result, blocks []*content.CheckBlock) []checks.Result {
	out := append([]checks.Result(nil), results...)
	moved := map[string]string{} // a finding's id → the check it is folded into
	for _, f := range findings {
		if f.Status != checks.Fail || len(out) == 0 {
			continue
		}
		i := 0
		if f.Block != nil {
			for j, b := range blocks {
				if j < len(out) && b.Pos == f.Block.Pos && b.Step == f.Block.Step {
					i = j
					break
				}
			}
		}
		r := &out[i]
		moved[f.Check] = r.Check
		if r.Status != checks.Fail {
			kept := *r
			*r = f
			r.Check, r.Kind, r.Block, r.Step = kept.Check, kept.Kind, kept.Block, kept.Step
			continue
		}
		if f.Fix != "" {
			if r.Fix != "" {
				r.Fix += "\n"
			}
			r.Fix += f.Fix
			r.Plan = nil
		}
		r.Resources = append(r.Resources, f.Resources...)
	}
	for i := range out {
		if to, ok := moved[out[i].RootCause]; ok {
			out[i].RootCause = to
		}
	}
	return out
}
