package checkrun_test

import (
	"context"
	"maps"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// meteredLoads loads through the read-only guard, as vpclab check does,
// and keeps the API calls of each load apart.
type meteredLoads struct {
	cfg   aws.Config
	meter *awsx.Meter
	calls []map[string]int // per load
}

func newMeteredLoads(cfg aws.Config) *meteredLoads {
	m := &meteredLoads{meter: &awsx.Meter{}}
	m.cfg = cfg.Copy()
	awsx.Protect(&m.cfg, m.meter)
	return m
}

func (m *meteredLoads) load(ctx context.Context, need account.Need) (*account.Snapshot, error) {
	before := m.meter.Calls()
	snap, err := account.Load(ctx, m.cfg, need)
	got := map[string]int{}
	for a, n := range m.meter.Calls() {
		if d := n - before[a]; d > 0 {
			got[a] = d
		}
	}
	m.calls = append(m.calls, got)
	return snap, err
}

func actions(calls map[string]int) []string {
	out := slices.Collect(maps.Keys(calls))
	sort.Strings(out)
	return out
}

func total(calls map[string]int) int {
	n := 0
	for _, c := range calls {
		n += c
	}
	return n
}

// Under --wait each retry reads again only what the failing checks read,
// and before the run ends everything else is read again too, so that a
// check that passed earlier and broke while waiting is not reported as
// passing. Against the sandbox: the private subnet's default route is
// missing until the test adds it between retries; at the same time the
// test revokes the task group's egress, which no failing check reads, and
// restores it one retry later.
func TestWaitRereadsOnlyWhatFails(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	lab := parseLab(t)
	b := buildLab(t, cfg)
	c := ec2.NewFromConfig(cfg)
	must(c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &b.privateRT, DestinationCidrBlock: aws.String("0.0.0.0/0")}))
	allEgress := []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}

	m := newMeteredLoads(cfg)
	sleeps := 0
	var failing []int
	rep, err := checkrun.Run(ctx, checkrun.Options{Lab: lab, Wait: time.Hour, Load: m.load,
		Attempt: func(n int, _ time.Duration) { failing = append(failing, n) },
		Sleep: func(context.Context, time.Duration) error {
			sleeps++
			switch sleeps {
			case 2: // the learner adds the route, and breaks the group
				must(c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &b.privateRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: &b.nat}))
				must(c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: &b.sg, IpPermissions: allEgress}))
			case 3:
				must(c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: &b.sg, IpPermissions: allEgress}))
			case 10:
				return context.Canceled // stop a runaway loop: the clock does not move here
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Status != checks.Pass {
			t.Errorf("final result of %s: %s %s, want pass", r.Check, r.Status, r.Reason)
		}
	}
	// Rounds: 1 full (route missing), 2 retry (still missing), 3 retry
	// (route back: passes, so the rest is read: the group now fails),
	// 4 retry of the group's check (restored: passes, the rest read again).
	if rep.Rounds != 4 || sleeps != 3 {
		t.Fatalf("%d rounds, %d sleeps, want 4 and 3; reads: %v", rep.Rounds, sleeps, m.calls)
	}
	if want := []int{2, 2, 1}; !slices.Equal(failing, want) {
		t.Errorf("failing checks told before each retry %v, want %v", failing, want)
	}
	if len(m.calls) != 6 {
		t.Fatalf("%d reads, want 6 (full, retry, retry + rest, retry + rest): %v", len(m.calls), m.calls)
	}
	full := m.calls[0]
	// The route check and the path to the internet (no group) read the
	// routing, NAT and egress-only gateways and network ACLs: no groups,
	// endpoints, prefix lists, addresses, VPC attributes, ECS or identity.
	routeReads := []string{"ec2:DescribeEgressOnlyInternetGateways", "ec2:DescribeInternetGateways", "ec2:DescribeNatGateways",
		"ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}
	for _, i := range []int{1, 2} {
		if got := actions(m.calls[i]); !slices.Equal(got, routeReads) || total(m.calls[i]) != len(routeReads) {
			t.Errorf("retry read %d called %v, want each of %v once", i, m.calls[i], routeReads)
		}
	}
	// The group's check reads the groups beside the routing.
	groupReads := []string{"ec2:DescribeInternetGateways", "ec2:DescribeNatGateways", "ec2:DescribeNetworkAcls",
		"ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}
	if got := actions(m.calls[4]); !slices.Equal(got, groupReads) {
		t.Errorf("retry of the group's check called %v, want %v", m.calls[4], groupReads)
	}
	// A retry and the rest read after it together read what the first
	// full read did, the identity call aside.
	for _, pair := range [][2]int{{2, 3}, {4, 5}} {
		both := map[string]int{}
		for _, i := range pair {
			for a := range m.calls[i] {
				both[a]++
			}
		}
		for a := range full {
			want := 1
			if a == "ec2:DescribeVpcs" {
				want = 2 // the VPC attributes, in the rest, are read after their VPCs
			}
			if a != account.IdentityAction && both[a] != want {
				t.Errorf("reads %v: %s read by %d of them, want %d", pair, a, both[a], want)
			}
		}
		if both[account.IdentityAction] != 0 {
			t.Errorf("reads %v called %s again", pair, account.IdentityAction)
		}
	}
	if n := total(m.calls[1]); n*2 > total(full) {
		t.Errorf("a retry made %d calls, the first read %d: want well under half", n, total(full))
	}
	// The snapshot reported (for "Your VPC") holds every type, though
	// the last read was the rest's only.
	for r, ok := range checks.NeedOf(lab.Checks()).Resources {
		if ok && !rep.Snapshot.Loaded[r] {
			t.Errorf("the reported snapshot lacks %s", r)
		}
	}
	if len(rep.Snapshot.RouteTables) == 0 || len(rep.Snapshot.SecurityGroups) == 0 {
		t.Error("the reported snapshot lost the route tables or groups read in earlier rounds")
	}
	t.Logf("calls per read: full %d, retries %d %d %d, rest %d %d", total(full), total(m.calls[1]), total(m.calls[2]), total(m.calls[4]), total(m.calls[3]), total(m.calls[5]))
}
