package checkrun_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/doctest"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// declared is what a read of blocks fetched before kinds declared their
// reads per parameter: every resource each kind declares.
func declared(blocks []*content.CheckBlock) account.Need {
	n := checks.NeedOf(blocks)
	for _, b := range blocks {
		if k, ok := checks.Lookup(b.Kind); ok {
			n.Add(k.Resources...)
		}
	}
	return n
}

// BenchmarkWaitRetries builds nat-private-egress in the sandbox with its
// own commands, step by step, and just before each step's commands run
// (its checks fail) runs `vpclab check --step S --wait` through a proxy
// that adds 100 ms to every request, until its first retry. It logs, per
// step, the calls and dependent rounds of the first read and of one
// retry; before, every retry read what the first read does with every
// kind's declared resources ("declared" below).
//
//	go test ./internal/checkrun -run '^$' -bench WaitRetries -benchtime 1x -v
func BenchmarkWaitRetries(b *testing.B) {
	labs, diags, err := content.Load(os.DirFS("../../content"), "labs")
	if err != nil || diags.Err() != nil {
		b.Fatalf("content: %v %v", err, diags)
	}
	lab := content.Find(labs, "nat-private-egress")
	if lab == nil {
		b.Fatal("no nat-private-egress lab")
	}
	for b.Loop() {
		base := sandboxtest.Config(b)
		env := sandboxtest.Env(b)
		p := sandboxtest.NewRoundProxy(b, aws.ToString(base.BaseEndpoint), 100*time.Millisecond)
		cfgFor := func(region string) aws.Config {
			c := base.Copy()
			c.Region = region
			awsx.Protect(&c, nil)
			return c
		}
		slow := func(region string) aws.Config {
			c := cfgFor(region)
			c.BaseEndpoint = aws.String(p.URL)
			return c
		}
		region := lab.Page("en").Meta.Region
		var totalFirst, totalRetry, totalDeclared, steps int
		res := doctest.RunLab(context.Background(), lab, doctest.Options{Config: cfgFor,
			Env: func(region string) []string {
				return append(append(os.Environ(), env...), "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
			},
			BeforeBlocks: func(ctx context.Context, step *content.Step) error {
				if len(step.Checks) == 0 {
					return nil
				}
				cfg := slow(region)
				type read struct{ calls, rounds int }
				var reads []read
				load := func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
					p.Take()
					s, err := account.Load(ctx, cfg, need)
					c, r := p.Take()
					reads = append(reads, read{c, r})
					return s, err
				}
				sleeps := 0
				rep, err := checkrun.Run(ctx, checkrun.Options{Lab: lab, Step: step.ID, Wait: time.Hour, Load: load,
					Sleep: func(context.Context, time.Duration) error {
						sleeps++
						if sleeps > 1 {
							return context.Canceled
						}
						return nil
					}})
				if err != nil {
					b.Fatalf("step %s: %v", step.ID, err)
				}
				if _, err := account.Load(ctx, cfg, declared(lab.Checks())); err != nil {
					b.Fatal(err)
				}
				dc, dr := p.Take()
				fail := checkrun.Summarize(rep.Results).Fail
				// A retry of the failing checks with every kind's declared
				// resources (narrowed per step, not per parameter).
				var failing []*content.CheckBlock
				for _, r := range rep.Results {
					if (r.Status == checks.Fail || r.Status == checks.Skipped) && r.Block != nil {
						failing = append(failing, r.Block)
					}
				}
				dn := declared(failing)
				dn.NoIdentity = true
				full := checks.NeedOf(lab.Checks())
				dn.Clusters, dn.Services = full.Clusters, full.Services
				if _, err := account.Load(ctx, cfg, dn); err != nil {
					b.Fatal(err)
				}
				drc, _ := p.Take()
				if len(reads) < 2 {
					b.Logf("%-16s first read %2d calls %d rounds; no retry (%d failing); declared %2d calls %d rounds", step.ID, reads[0].calls, reads[0].rounds, fail, dc, dr)
					return nil
				}
				b.Logf("%-16s first read %2d calls %d rounds; retry %2d calls %d rounds (%d failing; %2d with declared reads); declared %2d calls %d rounds",
					step.ID, reads[0].calls, reads[0].rounds, reads[1].calls, reads[1].rounds, fail, drc, dc, dr)
				totalFirst += reads[0].calls
				totalRetry += reads[1].calls
				totalDeclared += dc
				steps++
				return nil
			}})
		p.Close()
		if res.Err != nil {
			b.Fatal(res.Err)
		}
		if steps == 0 {
			b.Fatal("no step was waited on")
		}
		b.ReportMetric(float64(totalFirst)/float64(steps), "first-calls/step")
		b.ReportMetric(float64(totalRetry)/float64(steps), "retry-calls/step")
		b.ReportMetric(float64(totalDeclared)/float64(steps), "declared-calls/step")
	}
}
