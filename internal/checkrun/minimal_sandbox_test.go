package checkrun_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/doctest"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// everything is a need that reads every resource type, for the clusters
// and services the lab names: what every check was judged on before kinds
// declared their reads per parameter.
func everything(blocks []*content.CheckBlock) account.Need {
	n := checks.NeedOf(blocks)
	for r := range account.Actions {
		n.Add(r)
	}
	return n
}

func needKey(n account.Need) string {
	var rs []string
	for r, ok := range n.Resources {
		if ok {
			rs = append(rs, string(r))
		}
	}
	sort.Strings(rs)
	return fmt.Sprint(rs, n.Clusters, n.Services)
}

// verdict is what a learner is told about one check.
func verdict(r checks.Result) string {
	en := i18n.New(i18n.EN)
	return fmt.Sprintf("%s %s\n%s\nfix: %s\nresources: %v", r.Status, r.Reason, en.T(r.Message.ID, r.Message.Data), r.Fix, r.Resources)
}

// No check passes, or is judged otherwise, because a resource its kind
// does not read for its parameters was left out: the built-in labs are
// built step by step in the sandbox with their own commands (as docs CI
// does), and after every step each block is judged on the least its
// parameters need and on a read of everything; the verdicts, messages,
// fixes and resources must match.
func TestMinimalLoadJudgesAlike(t *testing.T) {
	if testing.Short() {
		sandboxtest.Skip(t, "-short: builds every built-in lab in the sandbox (about 2 minutes)")
	}
	labs, diags, err := content.Load(os.DirFS("../../content"), "labs")
	if err != nil || diags.Err() != nil {
		t.Fatalf("content: %v %v", err, diags)
	}
	passed := map[string]int{} // kind → comparisons where the check passed
	compared := 0
	for _, lab := range labs {
		t.Run(lab.ID, func(t *testing.T) {
			base := sandboxtest.Config(t) // a fresh sandbox
			env := sandboxtest.Env(t)
			cfgFor := func(region string) aws.Config {
				c := base.Copy()
				c.Region = region
				awsx.Protect(&c, nil)
				return c
			}
			all := lab.Checks()
			ctx := context.Background()
			region := lab.Page(i18n.EN).Meta.Region
			var spent time.Duration
			defer func() { t.Logf("comparing took %v", spent) }()
			compare := func(step string) {
				defer func(start time.Time) { spent += time.Since(start) }(time.Now())
				cfg := cfgFor(region)
				full, err := account.Load(ctx, cfg, everything(all))
				if err != nil {
					t.Fatalf("after %s: read everything: %v", step, err)
				}
				minimal := map[string]*account.Snapshot{}
				for _, b := range all {
					need := checks.NeedOf([]*content.CheckBlock{b})
					key := needKey(need)
					snap, ok := minimal[key]
					if !ok {
						if snap, err = account.Load(ctx, cfg, need); err != nil {
							t.Fatalf("after %s: read what %s needs: %v", step, b.ID, err)
						}
						minimal[key] = snap
					}
					one := []*content.CheckBlock{b}
					want, got := checks.Evaluate(full, one)[0], checks.Evaluate(snap, one)[0]
					compared++
					if want.Status == checks.Pass {
						passed[b.Kind]++
					}
					if w, g := verdict(want), verdict(got); w != g {
						t.Errorf("after step %s, check %s (%s) judged on a read of everything:\n%s\non what it reads (%s):\n%s", step, b.ID, b.Kind, w, key, g)
					}
				}
			}
			compare("(none)")
			res := doctest.RunLab(ctx, lab, doctest.Options{Config: cfgFor,
				Env: func(region string) []string {
					return append(append(os.Environ(), env...), "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
				},
				AfterStep: func(ctx context.Context, step *content.Step, _ *doctest.StepResult) { compare(step.ID) }})
			if res.Err != nil {
				t.Fatalf("the lab did not run: %v", res.Err)
			}
			for _, s := range res.Steps {
				for _, p := range s.Problems {
					t.Logf("note: step %s: %s %s %s", s.Step, p.Kind, p.Check, strings.TrimSpace(p.Detail)) // docs CI's business, not this test's
				}
			}
		})
	}
	// Every kind the labs use was compared while its check passed, except
	// cleanup, which passes only once a lab is gone (its steps leave some
	// of the lab behind in the sandbox).
	var kinds []string
	for _, l := range labs {
		for _, b := range l.Checks() {
			kinds = append(kinds, b.Kind)
		}
	}
	slices.Sort(kinds)
	for _, k := range slices.Compact(kinds) {
		if passed[k] == 0 {
			t.Errorf("no %s check passed in any lab's step: its minimal read was never compared where it matters", k)
		}
	}
	t.Logf("%d comparisons; passing ones by kind: %v", compared, passed)
}
