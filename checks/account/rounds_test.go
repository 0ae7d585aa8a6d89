package account_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// BenchmarkLoadRounds loads what nat-private-egress's checks need (the
// whole lab, and the checks of each step: what a --wait retry of that
// step reads when all its checks fail, less the identity call) from a
// sandbox with a lab in it, through a proxy adding 100 ms to every
// request, and reports the
// dependent rounds and the calls per load. Rounds are counted, not timed:
// on a busy machine only ns/op moves.
//
//	go test ./checks/account -run '^$' -bench LoadRounds -benchtime 5x
func BenchmarkLoadRounds(b *testing.B) {
	cfg := sandboxtest.Config(b)
	buildLab(b, cfg)
	p := sandboxtest.NewRoundProxy(b, aws.ToString(cfg.BaseEndpoint), 100*time.Millisecond)
	pcfg := cfg.Copy()
	pcfg.BaseEndpoint = aws.String(p.URL)

	labs, diags, err := content.Load(os.DirFS("../../content"), "labs")
	if err != nil || diags.Err() != nil {
		b.Fatalf("content: %v %v", err, diags)
	}
	lab := content.Find(labs, "nat-private-egress")
	if lab == nil {
		b.Fatal("no nat-private-egress lab")
	}
	type set struct {
		name   string
		blocks []*content.CheckBlock
	}
	sets := []set{{"whole-lab", lab.Checks()}}
	for _, c := range lab.Checks() {
		if c.Step == nil {
			continue
		}
		if n := "step-" + c.Step.ID; sets[len(sets)-1].name == n {
			sets[len(sets)-1].blocks = append(sets[len(sets)-1].blocks, c)
		} else {
			sets = append(sets, set{n, []*content.CheckBlock{c}})
		}
	}
	for _, tc := range sets {
		need := checks.NeedOf(tc.blocks)
		b.Run(tc.name, func(b *testing.B) {
			p.Take()
			for b.Loop() {
				p.Begin()
				if _, err := account.Load(context.Background(), pcfg, need); err != nil {
					b.Fatal(err)
				}
			}
			calls, rounds := p.Take()
			b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
			b.ReportMetric(float64(rounds), "rounds")
		})
	}
}
