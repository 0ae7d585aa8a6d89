package checkrun_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/checkrun"
)

// The sandbox cannot show a pending NAT gateway, and how a wait ends
// depends on the clock: these tests run on hand-built snapshots and a
// clock that moves only when the run sleeps or a read takes time.

// twoCheckLab has a VPC check (DNS hostnames on) and a NAT check that
// fails while the gateway is pending; they read different resources.
func twoCheckLab(t *testing.T) *content.Lab {
	t.Helper()
	return parseTestLab(t, vpcBlock("")+natBlock)
}

const natBlock = "## NAT {#nat}\n\n```check\nid: nat\nkind: nat-gateway\nname: demo-nat\nconnectivity: private\n```\n\n"

func vpcBlock(extra string) string {
	return "## Network {#network}\n\n```check\nid: vpc\nkind: vpc\nname: demo-vpc\ndns_hostnames: true\n" + extra + "```\n\n"
}

func parseTestLab(t *testing.T, body string) *content.Lab {
	t.Helper()
	src := "---\nid: wait2\ntitle: Wait\nsummary: test\nlevel: beginner\nduration: 5\ncost:\n  usd_per_hour: 0\n  region: us-east-1\n" +
		"services: [VPC]\nregion: us-east-1\n---\n\n" + body
	p, ds := content.ParsePage("wait2/index.en.md", i18n.EN, []byte(src))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	return &content.Lab{ID: "wait2", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
}

// account2 is the account at one moment; a read returns only what its
// need asks for, as account.Load does.
type account2 struct {
	nat       ec2types.NatGatewayState
	hostnames bool
	twin      bool // a second VPC named demo-vpc
}

func (a account2) read(need account.Need) *account.Snapshot {
	s := snapshot(a.nat)
	s.Loaded = maps.Clone(need.Resources)
	if need.NoIdentity {
		s.Account = ""
	}
	s.VPCs = []ec2types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16"),
		Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("demo-vpc")}}}}
	s.VPCAttrs = map[string]account.VPCAttrs{"vpc-1": {DNSSupport: true, DNSHostnames: a.hostnames}}
	if a.twin {
		s.VPCs = append(s.VPCs, ec2types.Vpc{VpcId: aws.String("vpc-2"), CidrBlock: aws.String("10.0.0.0/16"),
			Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("demo-vpc")}}})
		s.VPCAttrs["vpc-2"] = account.VPCAttrs{DNSSupport: true, DNSHostnames: a.hostnames}
	}
	return s
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// waitRig runs --wait against a hand-built account on a fake clock: the
// account as it is at each read, and every read's need.
type waitRig struct {
	clock fakeClock
	acct  account2
	needs []account.Need
}

func newWaitRig(t *testing.T, acct account2) *waitRig {
	w := &waitRig{clock: fakeClock{t: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)}, acct: acct}
	t.Cleanup(checkrun.SetClock(w.clock.now))
	return w
}

// load is an Options.Load: it keeps the need and reads the account.
func (w *waitRig) load(_ context.Context, need account.Need) (*account.Snapshot, error) {
	w.needs = append(w.needs, need)
	return w.acct.read(need), nil
}

// run runs the check with o and returns its report and the reads made.
func (w *waitRig) run(t *testing.T, o checkrun.Options) (checkrun.Report, []account.Need) {
	t.Helper()
	rep, err := checkrun.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return rep, w.needs
}

// sleep is an Options.Sleep that moves the clock on, then runs then.
func (w *waitRig) sleep(then func() error) func(context.Context, time.Duration) error {
	return func(_ context.Context, d time.Duration) error {
		w.clock.t = w.clock.t.Add(d)
		return then()
	}
}

func result(t *testing.T, rep checkrun.Report, id string) checks.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Check == id {
			return r
		}
	}
	t.Fatalf("no result for %s", id)
	return checks.Result{}
}

// The round the deadline makes the last reads everything: the verdict
// printed when the wait runs out is a fresh check's.
func TestWaitLastRoundReadsEverything(t *testing.T) {
	w := newWaitRig(t, account2{nat: ec2types.NatGatewayStatePending, hostnames: true})
	o := checkrun.Options{Lab: twoCheckLab(t), Wait: 25 * time.Second, Load: w.load,
		Sleep: w.sleep(func() error {
			if len(w.needs) == 2 {
				w.acct.hostnames = false // the passing check breaks while the run waits
			}
			return nil
		})}
	rep, needs := w.run(t, o)
	// At 0 s everything; at 10 s and 20 s the NAT check's reads; the
	// pause at 20 s runs to the deadline, so the read at 25 s is whole.
	if rep.Rounds != 4 || len(needs) != 4 {
		t.Fatalf("%d rounds, %d reads, want 4 and 4", rep.Rounds, len(needs))
	}
	for i, n := range needs {
		whole := i == 0 || i == 3
		if got := n.Resources[account.VPCAttributes]; got != whole {
			t.Errorf("read %d: VPC attributes read %v, want %v", i, got, whole)
		}
		if !n.Resources[account.NATGateways] {
			t.Errorf("read %d did not read the NAT gateways the failing check reads", i)
		}
		if n.NoIdentity != (i > 0) {
			t.Errorf("read %d: identity skipped %v", i, n.NoIdentity)
		}
	}
	if r := result(t, rep, "vpc"); r.Status != checks.Fail {
		t.Errorf("the VPC check lost DNS hostnames while waiting but reports %s", r.Status)
	}
	if r := result(t, rep, "nat"); r.Status != checks.Fail {
		t.Errorf("the NAT gateway is still pending but the check reports %s", r.Status)
	}
	if rep.Account != "123456789012" {
		t.Errorf("account %q, want the one the first read identified", rep.Account)
	}
}

// A retry that turns out to be the last (the read outlasted the deadline)
// is followed by a read of the rest, and the rest decides the verdict.
func TestWaitEndingOnRetryReadsTheRest(t *testing.T) {
	w := newWaitRig(t, account2{nat: ec2types.NatGatewayStatePending, hostnames: true})
	o := checkrun.Options{Lab: twoCheckLab(t), Wait: 30 * time.Second,
		Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
			w.clock.t = w.clock.t.Add(15 * time.Second) // a slow account
			if len(w.needs) == 1 {
				w.acct.hostnames = false // from the second read on
			}
			return w.load(ctx, need)
		},
		Sleep: w.sleep(func() error { return nil })}
	rep, needs := w.run(t, o)
	// Read at 0–15 s (whole), pause 10 s, retry 25–40 s past the deadline,
	// then the rest.
	if rep.Rounds != 2 || len(needs) != 3 {
		t.Fatalf("%d rounds, %d reads, want 2 and 3", rep.Rounds, len(needs))
	}
	if needs[1].Resources[account.VPCAttributes] || !needs[1].Resources[account.NATGateways] {
		t.Errorf("the retry read %v, want the NAT check's reads only", needs[1].Resources)
	}
	if !needs[2].Resources[account.VPCAttributes] || needs[2].Resources[account.NATGateways] {
		t.Errorf("the rest read %v, want what the retry did not read", needs[2].Resources)
	}
	if r := result(t, rep, "vpc"); r.Status != checks.Fail {
		t.Errorf("the VPC check lost DNS hostnames while waiting but reports %s", r.Status)
	}
}

// Once the failing check passes on its retry, the rest is read before
// passing the run: here nothing else changed, and everything passes.
func TestWaitPassReadsTheRestOnce(t *testing.T) {
	w := newWaitRig(t, account2{nat: ec2types.NatGatewayStatePending, hostnames: true})
	o := checkrun.Options{Lab: twoCheckLab(t), Wait: time.Hour, Load: w.load,
		Sleep: w.sleep(func() error {
			w.acct.nat = ec2types.NatGatewayStateAvailable
			return nil
		})}
	rep, needs := w.run(t, o)
	if rep.Rounds != 2 || len(needs) != 3 {
		t.Fatalf("%d rounds, %d reads, want 2 rounds and 3 reads (whole, retry, rest)", rep.Rounds, len(needs))
	}
	for _, r := range rep.Results {
		if r.Status != checks.Pass {
			t.Errorf("%s: %s %s", r.Check, r.Status, r.Reason)
		}
	}
}

// A check skipped behind a failing one is judged as soon as that one
// passes, so its reads are retried too.
func TestWaitRereadsWhatSkippedChecksRead(t *testing.T) {
	w := newWaitRig(t, account2{nat: ec2types.NatGatewayStatePending, hostnames: true})
	o := checkrun.Options{Lab: parseTestLab(t, natBlock+vpcBlock("needs: [nat]\n")), Wait: time.Hour, Load: w.load,
		Sleep: w.sleep(func() error {
			if len(w.needs) == 2 {
				w.acct.nat = ec2types.NatGatewayStateAvailable
			}
			return nil
		})}
	rep, needs := w.run(t, o)
	if r := result(t, rep, "vpc"); r.Status != checks.Pass {
		t.Errorf("vpc: %s %s", r.Status, r.Reason)
	}
	if len(needs) < 2 || !needs[1].Resources[account.VPCAttributes] {
		t.Fatalf("the retry did not read the VPC attributes the skipped check reads: %v", needs)
	}
}

// A failing finding of binding's (here two VPCs answer to the lab's name)
// depends on every resource by name: its retries read everything.
func TestWaitBindingFindingRereadsEverything(t *testing.T) {
	w := newWaitRig(t, account2{nat: ec2types.NatGatewayStateAvailable, hostnames: true, twin: true})
	o := checkrun.Options{Lab: twoCheckLab(t), Wait: time.Hour, Load: w.load,
		Sleep: w.sleep(func() error {
			if len(w.needs) > 3 {
				return context.Canceled
			}
			return nil
		})}
	rep, needs := w.run(t, o)
	bindingFails := 0
	for _, r := range rep.Results {
		if r.Status == checks.Fail && r.Block != nil {
			if _, ok := checks.Lookup(r.Block.Kind); !ok {
				bindingFails++
			}
		}
	}
	if bindingFails == 0 {
		t.Fatalf("no failing binding finding for two VPCs named demo-vpc: %+v", rep.Results)
	}
	if len(needs) < 2 {
		t.Fatalf("%d reads, want retries", len(needs))
	}
	for i, n := range needs[1:] {
		if !n.Resources[account.VPCAttributes] || !n.Resources[account.NATGateways] || !n.NoIdentity {
			t.Errorf("retry %d read %v (identity skipped: %v), want everything but the identity", i+1, n.Resources, n.NoIdentity)
		}
	}
}
