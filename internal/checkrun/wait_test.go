package checkrun_test

import (
	"context"
	"errors"
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

// snapshot returns a hand-built account whose demo-nat is in state: the
// sandbox cannot show a pending NAT gateway (moto makes them available at
// once), so --wait is tested on data.
func snapshot(state ec2types.NatGatewayState) *account.Snapshot {
	loaded := map[account.Resource]bool{}
	for r := range account.Actions {
		loaded[r] = true
	}
	name := []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("demo-nat")}}
	return &account.Snapshot{Account: "123456789012", Region: "us-east-1", Loaded: loaded,
		Subnets: []ec2types.Subnet{{SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1")}},
		NATGateways: []ec2types.NatGateway{{NatGatewayId: aws.String("nat-1"), SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"),
			State: state, ConnectivityType: ec2types.ConnectivityTypePrivate, Tags: name}}}
}

// natOnlyLab has one check, which passes once the NAT gateway is available.
func natOnlyLab(t *testing.T) *checkrun.Options {
	t.Helper()
	src := "---\nid: wait\ntitle: Wait\nsummary: test\nlevel: beginner\nduration: 5\ncost:\n  usd_per_hour: 0\n  region: us-east-1\n" +
		"services: [VPC]\nregion: us-east-1\n---\n\n## NAT {#nat}\n\n```check\nid: nat\nkind: nat-gateway\nname: demo-nat\nconnectivity: private\n```\n"
	p, ds := content.ParsePage("wait/index.en.md", i18n.EN, []byte(src))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	return &checkrun.Options{Lab: &content.Lab{ID: "wait", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}}
}

func TestWaitRetriesUntilPass(t *testing.T) {
	o := natOnlyLab(t)
	states := []ec2types.NatGatewayState{ec2types.NatGatewayStatePending, ec2types.NatGatewayStatePending, ec2types.NatGatewayStateAvailable}
	loads, sleeps, attempts := 0, []time.Duration{}, 0
	o.Load = func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		s := snapshot(states[min(loads, len(states)-1)])
		loads++
		return s, nil
	}
	o.Sleep = func(ctx context.Context, d time.Duration) error {
		sleeps = append(sleeps, d)
		if len(sleeps) > 10 {
			return context.Canceled // the clock does not move in this test: stop a runaway loop
		}
		return nil
	}
	o.Attempt = func(failing int, left time.Duration) { attempts++ }
	o.Wait = time.Hour
	rep, err := checkrun.Run(context.Background(), *o)
	if err != nil {
		t.Fatal(err)
	}
	var nat checks.Result
	for _, r := range rep.Results {
		if r.Check == "nat" {
			nat = r
		}
	}
	if loads != 3 || rep.Rounds != 3 {
		t.Fatalf("loaded %d times in %d rounds, want 3 (pending, pending, available)", loads, rep.Rounds)
	}
	if nat.Status != checks.Pass {
		t.Errorf("after the NAT gateway became available the result is %s %s", nat.Status, nat.Reason)
	}
	if attempts != 2 || len(sleeps) != 2 {
		t.Errorf("attempts %d, sleeps %v", attempts, sleeps)
	}
	for _, d := range sleeps {
		if d != checkrun.DefaultRetry {
			t.Errorf("paused %v, want the default %v (no check sets retry)", d, checkrun.DefaultRetry)
		}
	}
}

func TestNoWaitJudgesOnce(t *testing.T) {
	o := natOnlyLab(t)
	loads := 0
	o.Load = func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		loads++
		return snapshot(ec2types.NatGatewayStatePending), nil
	}
	o.Sleep = func(context.Context, time.Duration) error { t.Fatal("slept without --wait"); return nil }
	rep, err := checkrun.Run(context.Background(), *o)
	if err != nil || loads != 1 || rep.Rounds != 1 {
		t.Fatalf("loads %d, rounds %d, err %v; want one round", loads, rep.Rounds, err)
	}
}

func TestWaitStopsWhenInterrupted(t *testing.T) {
	o := natOnlyLab(t)
	o.Wait = time.Hour
	o.Load = func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		return snapshot(ec2types.NatGatewayStatePending), nil
	}
	o.Sleep = func(context.Context, time.Duration) error { return context.Canceled }
	rep, err := checkrun.Run(context.Background(), *o)
	if err != nil || rep.Rounds != 1 {
		t.Fatalf("rounds %d, err %v; want the first round's results after Ctrl-C", rep.Rounds, err)
	}
}

func TestLoadErrorIsReturned(t *testing.T) {
	o := natOnlyLab(t)
	boom := errors.New("access denied")
	o.Load = func(context.Context, account.Need) (*account.Snapshot, error) { return nil, boom }
	if _, err := checkrun.Run(context.Background(), *o); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the load error", err)
	}
}

// Ctrl-C during a retry's read, not during the pause: the last complete
// round's verdict stands (it was thrown away as "no verdict"), with the
// time of that read.
func TestWaitInterruptedDuringARead(t *testing.T) {
	o := natOnlyLab(t)
	o.Wait = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loads := 0
	var firstReadEnded, secondReadStarted time.Time
	o.Load = func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		loads++
		if loads == 2 {
			secondReadStarted = time.Now()
			cancel()
			return nil, ctx.Err()
		}
		defer func() { firstReadEnded = time.Now() }()
		return snapshot(ec2types.NatGatewayStatePending), nil
	}
	o.Sleep = func(context.Context, time.Duration) error { time.Sleep(20 * time.Millisecond); return nil }
	rep, err := checkrun.Run(ctx, *o)
	if err != nil || rep.Rounds != 1 || len(rep.Results) == 0 {
		t.Fatalf("rounds %d, %d results, err %v; want the first round's results", rep.Rounds, len(rep.Results), err)
	}
	if rep.ReadAt.IsZero() || rep.ReadAt.Before(firstReadEnded) || !rep.ReadAt.Before(secondReadStarted) {
		t.Errorf("ReadAt %v; want after the first read ended (%v) and before the next began (%v)", rep.ReadAt, firstReadEnded, secondReadStarted)
	}
}
