package doctest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func TestMain(m *testing.M) { sandboxtest.Main(m) }

// TestSameReads: first-vpc, built in the sandbox with its own commands,
// is judged alike on the least each check reads and on a read of
// everything after every step; and a kind that declares too little (here
// subnet, made to read only VPCs) is caught while its check passes.
// vpclab test --mutate runs the same proof on every lab.
func TestSameReads(t *testing.T) {
	base := sandboxtest.Config(t)
	env := sandboxtest.Env(t)
	labs, _, err := content.Load(content.Embedded(), "labs")
	if err != nil {
		t.Fatal(err)
	}
	lab := content.Find(labs, "first-vpc")
	cfgFor := func(region string) aws.Config {
		c := base.Copy()
		c.Region = region
		awsx.Protect(&c, nil)
		return c
	}
	caught := false
	res := RunLab(context.Background(), lab, Options{
		Config: cfgFor,
		Env: func(region string) []string {
			return append(append(os.Environ(), env...), "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
		},
		SameReads: true,
		AfterStep: func(ctx context.Context, step *content.Step, r *StepResult) {
			if step.ID != "create-subnet" {
				return
			}
			k, _ := checks.Lookup("subnet")
			reads := k.Reads
			k.Reads = func(checks.Params) []account.Resource { return []account.Resource{account.VPCs} }
			defer func() { k.Reads = reads }()
			cfg := cfgFor(lab.Page("en").Meta.Region)
			ps := sameReads(ctx, lab, func(ctx context.Context, n account.Need) (*account.Snapshot, error) {
				return account.Load(ctx, cfg, n)
			})
			for _, p := range ps {
				if p.Kind == "reads-differ" && p.Check == "subnet-private" && strings.Contains(p.Detail, "pass") {
					caught = true
				} else {
					t.Errorf("unexpected problem with subnet reading only VPCs: %+v", p)
				}
			}
		},
	})
	if res.Err != nil {
		t.Fatalf("the lab did not run: %v", res.Err)
	}
	ran := 0
	for _, s := range res.Steps {
		if s.Status != Skipped {
			ran++
		}
		for _, p := range s.Problems {
			if p.Kind == "reads-differ" || p.Kind == "error" {
				t.Errorf("step %s: %s %s\n%s", s.Step, p.Kind, p.Check, p.Detail)
			}
		}
	}
	if ran < 3 {
		t.Fatalf("only %d steps ran; the proof ran on too little", ran)
	}
	if !caught {
		t.Error("a subnet kind that reads only VPCs was not caught while its check passed")
	}
}
