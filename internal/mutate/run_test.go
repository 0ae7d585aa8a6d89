package mutate_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/mutate"
	"github.com/vpclab/vpclab/internal/sandbox"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// TestRunLabMini runs the whole mutation pass of a two-step lab against
// the real moto sandbox.
func TestRunLabMini(t *testing.T) {
	url := sandboxtest.URL(t)
	lab, ds := content.LoadLab(os.DirFS("testdata"), "mini")
	if lab == nil || len(ds) > 0 {
		t.Fatalf("load testdata/mini: %v", ds)
	}
	ctx := context.Background()
	if dl, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-10*time.Second))
		defer cancel()
	}
	o := mutate.Options{
		Endpoint: url,
		Config: func(region string) aws.Config {
			cfg := aws.Config{Region: region, BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
				Credentials: credentials.NewStaticCredentialsProvider(sandbox.DummyCredential, sandbox.DummyCredential, "")}
			awsx.Protect(&cfg, nil)
			return cfg
		},
		Env: func(endpoint, region string) []string {
			var env []string
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "AWS_") {
					env = append(env, kv)
				}
			}
			return append(env, append(sandbox.Env(endpoint, region), "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true")...)
		},
		Reset: func(ctx context.Context) error { return sandbox.ResetAt(ctx, url) },
		// Kinds that are quick to fix keep the test short; all of them
		// run in make test (vpclab test --mutate).
		// copy-other-region writes to a Region the lab never uses: only
		// a search of every Region a request went to finds it.
		Kinds: []string{"igw-detach", "igw-delete", "vpc-dns-support-off", "vpc-dns-hostnames-off", "copy-other-region"},
		// A mistake no check can see: a harmless tag on the VPC.
		Extra: func(step *content.Step, g *mutate.Gen) []*mutate.Mutant {
			if step.ID != "create-vpc" {
				return nil
			}
			for _, v := range g.After().VPCs {
				if !aws.ToBool(v.IsDefault) {
					id := aws.ToString(v.VpcId)
					return []*mutate.Mutant{mutate.NewMutant("harmless-tag", "mini-vpc", "tag Owner=nobody on "+id,
						func(ctx context.Context, w mutate.EC2Writer) error { return w.Tag(ctx, id, "Owner", "nobody") })}
				}
			}
			return nil
		},
	}
	rep := mutate.RunLab(ctx, lab, o)
	if rep.Err != nil {
		t.Fatalf("RunLab: %v", rep.Err)
	}
	if !rep.Doctest.OK() {
		t.Fatalf("the lab did not build: %+v", rep.Doctest)
	}
	core, binding := rep.Counts()
	all := core.Plus(binding)
	if all.Mutants == 0 || all.Killed > all.Mutants-all.Equivalent || all.Repaired > all.Killed {
		t.Fatalf("inconsistent counts: %+v", all)
	}
	byID := map[string]*mutate.MutantResult{}
	n := 0
	for _, s := range rep.Steps {
		for _, m := range s.Mutants {
			t.Logf("%s/%s: %s, restore %s (%s)", s.Step, m.ID, m.Outcome, m.Restore, m.Elapsed)
			byID[s.Step+"/"+m.ID] = m
			if m.Outcome != mutate.NotApplied {
				n++
			}
		}
	}
	if n != all.Mutants {
		t.Errorf("counted %d mutants, listed %d", all.Mutants, n)
	}
	h := byID["create-vpc/harmless-tag:mini-vpc"]
	if h == nil || h.Outcome != mutate.Survived || !h.Survivor() {
		t.Errorf("the harmless mutant must survive and be named: %+v", h)
	}
	if e := byID["create-vpc/vpc-dns-support-off:mini-vpc"]; e == nil || e.Outcome != mutate.Equiv || !strings.Contains(e.Reason, "DNS hostnames only") {
		t.Errorf("the declared equivalent mutant: %+v", e)
	}
	d := byID["create-vpc/igw-detach:mini-igw"]
	if d == nil || d.Outcome != mutate.Repaired || len(d.Failing) == 0 || len(d.Rounds) == 0 {
		t.Fatalf("igw-detach must be killed and repaired by the printed fix: %+v", d)
	}
	if !strings.Contains(d.Rounds[0].Fix, "aws ec2 attach-internet-gateway") {
		t.Errorf("igw-detach: fix run = %q", d.Rounds[0].Fix)
	}
	if x := byID["create-vpc/igw-delete:mini-igw"]; x == nil || x.Restore != "replay" {
		t.Errorf("igw-delete cannot be undone with the same id, so it must be restored by a replay: %+v", x)
	}
	if c := byID["create-vpc/copy-other-region:mini-vpc"]; c == nil || (c.Outcome != mutate.Repaired && c.Outcome != mutate.Unrepaired) || len(c.Failing) == 0 {
		t.Errorf("a copy of the VPC in another Region must be found: %+v", c)
	}
	// The search asked only the Region the copy was written to (us-west-2),
	// not every Region moto lists.
	if rep.SearchedRegions != 1 {
		t.Errorf("the other-Region search asked %d Regions at most, want 1", rep.SearchedRegions)
	}
	// The second step ran on the restored sandbox (a replay came last)
	// with the first step's $VPC_ID, and passed.
	if len(rep.Doctest.Steps) != 2 || rep.Doctest.Steps[1].Step != "subnet" || rep.Doctest.Steps[1].Blocks != 1 {
		t.Errorf("doctest steps = %+v", rep.Doctest.Steps)
	}
	t.Logf("lab %s, restore %s, fixes %s", rep.Elapsed, rep.RestoreTime, rep.FixTime)
	if rep.Replays == 0 || rep.Recorded == 0 {
		t.Errorf("replays %d, recorded writes %d", rep.Replays, rep.Recorded)
	}
}
