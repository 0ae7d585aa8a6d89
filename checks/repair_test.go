package checks_test

// Repair plans on hand-built snapshots: every plan vpclab shows makes its
// check pass on a copy of the account and breaks no passing check; a
// plan that would break one is never shown; one cause gives one fix; and
// the verdicts the issue found wrong. (The sandbox tests in
// internal/checkrun run the printed fixes against moto; these cover what
// moto cannot build, e.g. regional NAT gateways.)

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// labBlocks is the NAT lab of labSnap as check blocks, one per thing the
// lab builds.
var labBlocks = []string{
	lines("id: vpc", "kind: vpc", "name: demo-vpc", "cidr: 10.0.0.0/16"),
	lines("id: igw", "kind: internet-gateway", "vpc: demo-vpc", "name: demo-igw"),
	lines("id: public-a", "kind: subnet", "name: demo-public-a", "vpc: demo-vpc", "public: true"),
	lines("id: private-a", "kind: subnet", "name: demo-private-a", "vpc: demo-vpc", "public: false", "route_table: demo-private-rt"),
	lines("id: private-b", "kind: subnet", "name: demo-private-b", "vpc: demo-vpc", "public: false"),
	lines("id: nat", "kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc", "subnet: demo-public-a", "eip: demo-nat-eip"),
	lines("id: eip", "kind: elastic-ip", "name: demo-nat-eip"),
	lines("id: route-a", "kind: route", "subnet: demo-private-a", "vpc: demo-vpc", "target: nat-gateway", "target_name: demo-nat"),
	lines("id: sg-egress", "kind: security-group-egress", "group: demo-task-sg", "vpc: demo-vpc"),
	lines("id: nacl-a", "kind: network-acl", "subnet: demo-private-a", "vpc: demo-vpc"),
	lines("id: path-a", "kind: egress-path", "from: demo-private-a", "vpc: demo-vpc", "group: demo-task-sg", "to: internet", "via: nat-gateway"),
	lines("id: s3", "kind: gateway-endpoint", "vpc: demo-vpc", "subnets: [demo-private-a]"),
	lines("id: ecr", "kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "subnets: [demo-private-a, demo-private-b]", "from: demo-task-sg"),
}

func byCheck(rs []checks.Result) map[string]checks.Result {
	m := map[string]checks.Result{}
	for _, r := range rs {
		m[r.Check] = r
	}
	return m
}

// assertProven re-proves every shown plan from outside: applied to a copy
// of snap, its check passes and no check that passed fails. It also holds
// the printed fix to its contract: the plan rendered, no placeholder.
func assertProven(t *testing.T, snap *account.Snapshot, rs []checks.Result) {
	t.Helper()
	before := byCheck(rs)
	for _, r := range rs {
		if strings.Contains(r.Fix, "<") {
			t.Errorf("%s: placeholder in fix:\n%s", r.Check, r.Fix)
		}
		if r.Plan == nil {
			if r.Fix != "" {
				t.Errorf("%s: a fix without a proven plan:\n%s", r.Check, r.Fix)
			}
			continue
		}
		if r.Fix != r.Plan.Render(snap.Region) {
			t.Errorf("%s: Fix is not the plan rendered", r.Check)
		}
		cp := snap.Clone()
		if err := r.Plan.Apply(cp); err != nil {
			t.Errorf("%s: the shown plan does not apply: %v", r.Check, err)
			continue
		}
		after := byCheck(checks.Evaluate(cp, blocksOf(rs)))
		if !after[r.Check].OK() {
			t.Errorf("%s: after its plan it is %s (%s)\n%s", r.Check, after[r.Check].Status, en.T(after[r.Check].Message.ID, after[r.Check].Message.Data), r.Fix)
		}
		for id, b := range before {
			if b.OK() && !after[id].OK() {
				t.Errorf("%s: its plan breaks %s, which passed:\n%s", r.Check, id, r.Fix)
			}
		}
	}
}

func blocksOf(rs []checks.Result) []*content.CheckBlock {
	out := make([]*content.CheckBlock, len(rs))
	for i, r := range rs {
		out[i] = r.Block
	}
	return out
}

// TestRepairPlansAreProven breaks the lab in the ways a learner does and
// judges the whole lab: the failing check gets a plan that repairs it
// without breaking anything that passed.
func TestRepairPlansAreProven(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(s *account.Snapshot)
		check  string // must fail and carry the plan (or point to the one that does)
		fix    []string
		noFix  []string
	}{
		{"NAT route deleted", func(s *account.Snapshot) { dropDefault(s, rtbPriv) }, "route-a",
			[]string{"aws ec2 create-route --route-table-id " + rtbPriv + " --destination-cidr-block 0.0.0.0/0 --nat-gateway-id " + natID}, nil},
		{"route to a deleted NAT gateway", func(s *account.Snapshot) { natGW(s, natID).State = ec2types.NatGatewayStateDeleted }, "nat",
			[]string{"create-nat-gateway --subnet-id " + subPubA, "--allocation-id " + allocID, "aws ec2 wait nat-gateway-available",
				`aws ec2 replace-route --route-table-id ` + rtbPriv + ` --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$NAT_ID"`}, nil},
		{"internet gateway detached", func(s *account.Snapshot) { s.InternetGateways[0].Attachments = nil }, "igw",
			[]string{"aws ec2 attach-internet-gateway --internet-gateway-id " + igwID + " --vpc-id " + vpcID}, []string{"create-internet-gateway"}},
		{"security group egress revoked", func(s *account.Snapshot) { sgOf(s, taskSG).IpPermissionsEgress = nil }, "sg-egress",
			[]string{"aws ec2 authorize-security-group-egress --group-id " + taskSG, `"FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]`}, nil},
		{"network ACL denies HTTPS out", func(s *account.Snapshot) {
			s.NetworkACLs[0].Entries = append(s.NetworkACLs[0].Entries, ec2types.NetworkAclEntry{RuleNumber: aws.Int32(50), Protocol: sp("6"),
				RuleAction: ec2types.RuleActionDeny, Egress: aws.Bool(true), CidrBlock: sp("0.0.0.0/0"),
				PortRange: &ec2types.PortRange{From: aws.Int32(443), To: aws.Int32(443)}})
		}, "nacl-a", []string{"aws ec2 create-network-acl-entry --network-acl-id acl-0default --egress --rule-number 49", "--rule-action allow"}, nil},
		{"subnet left on the main table", func(s *account.Snapshot) { rtb(s, rtbPriv).Associations = nil }, "private-a",
			[]string{"aws ec2 associate-route-table --route-table-id " + rtbPriv + " --subnet-id " + subPrivA}, []string{rtbMain}},
		{"gateway endpoint off the private table", func(s *account.Snapshot) {
			endpointOf(s, s3EP).RouteTableIds = nil
			t := rtb(s, rtbPriv)
			t.Routes = t.Routes[:2]
		}, "s3", []string{"aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + s3EP + " --add-route-table-ids " + rtbPriv}, nil},
		{"endpoint private DNS off", func(s *account.Snapshot) { endpointOf(s, ecrEP).PrivateDnsEnabled = aws.Bool(false) }, "ecr",
			[]string{"aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + ecrEP + " --private-dns-enabled"}, nil},
		{"endpoint security group lost its rule", func(s *account.Snapshot) { sgOf(s, vpceSG).IpPermissions = nil }, "ecr",
			[]string{"aws ec2 authorize-security-group-ingress --group-id " + vpceSG, taskSG}, nil},
		{"VPC DNS hostnames off", func(s *account.Snapshot) { s.VPCAttrs[vpcID] = account.VPCAttrs{DNSSupport: true} }, "ecr",
			[]string{`aws ec2 modify-vpc-attribute --vpc-id ` + vpcID + ` --enable-dns-hostnames '{"Value":true}'`}, nil},
		{"NAT gateway in the wrong subnet", func(s *account.Snapshot) {
			// demo-public-b in us-east-1b, routed like demo-public-a
			s.Subnets = append(s.Subnets, ec2types.Subnet{SubnetId: sp("subnet-0pub1b"), VpcId: sp(vpcID), CidrBlock: sp("10.0.1.0/24"),
				AvailabilityZone: sp("us-east-1b"), Tags: nameTag("demo-public-b")})
			p := rtb(s, rtbPub)
			p.Associations = append(p.Associations, explicitAssoc(rtbPub, "subnet-0pub1b"))
			natGW(s, natID).SubnetId = sp("subnet-0pub1b")
		}, "nat", []string{"aws ec2 delete-nat-gateway --nat-gateway-id " + natID, "aws ec2 wait nat-gateway-deleted",
			"create-nat-gateway --subnet-id " + subPubA, "--allocation-id " + allocID, `--nat-gateway-id "$NAT_ID"`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap := labSnap()
			blocks := parseBlocks(t, labBlocks...)
			if bad := notPassing(checks.Evaluate(snap, blocks)); len(bad) > 0 {
				t.Fatalf("the intact lab does not pass: %v", bad)
			}
			c.mutate(snap)
			rs := checks.Evaluate(snap, blocks)
			r := byCheck(rs)[c.check]
			if r.OK() {
				t.Fatalf("%s passes after the mistake", c.check)
			}
			if r.RootCause != "" {
				r = byCheck(rs)[r.RootCause]
			}
			if r.Plan == nil {
				t.Fatalf("%s: no plan; message: %s", c.check, en.T(r.Message.ID, r.Message.Data))
			}
			rest := r.Fix
			for _, s := range c.fix {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Fatalf("fix does not contain %q (in order):\n%s", s, r.Fix)
				}
				rest = rest[i+len(s):]
			}
			for _, s := range c.noFix {
				if strings.Contains(r.Fix, s) {
					t.Errorf("fix contains %q:\n%s", s, r.Fix)
				}
			}
			assertProven(t, snap, rs)
			// And the plan repairs the lab as a whole.
			cp := snap.Clone()
			for _, x := range rs {
				if x.Plan != nil {
					if err := x.Plan.Apply(cp); err != nil {
						t.Fatalf("%s: %v", x.Check, err)
					}
				}
			}
			if bad := notPassing(checks.Evaluate(cp, blocks)); len(bad) > 0 {
				t.Errorf("after every shown plan these still fail: %v", bad)
			}
		})
	}
}

func notPassing(rs []checks.Result) []string {
	var out []string
	for _, r := range rs {
		if !r.OK() {
			out = append(out, r.Check+" "+string(r.Status)+" "+en.T(r.Message.ID, r.Message.Data))
		}
	}
	return out
}

// The worst case: a private subnet associated with the route table
// it shares with the public subnets. Deleting that table's default route
// would repair the private subnet and break the public one: vpclab must
// never show it, and moves the private subnet to its own table instead.
func TestPlanThatBreaksAPassingCheckIsNeverShown(t *testing.T) {
	snap := labSnap()
	// The lab's convention names each private subnet's own table
	// "<subnet>-rt"; private-a's check does not name it.
	rtb(snap, rtbPriv).Tags = nameTag("demo-private-a-rt")
	lab := append([]string{}, labBlocks...)
	lab[3] = lines("id: private-a", "kind: subnet", "name: demo-private-a", "vpc: demo-vpc", "public: false")
	blocks := parseBlocks(t, lab...)
	moveTo := func(s *account.Snapshot, subnet, table string) {
		for i := range s.RouteTables {
			var keep []ec2types.RouteTableAssociation
			for _, a := range s.RouteTables[i].Associations {
				if aws.ToString(a.SubnetId) != subnet {
					keep = append(keep, a)
				}
			}
			s.RouteTables[i].Associations = keep
		}
		t := rtb(s, table)
		t.Associations = append(t.Associations, explicitAssoc(table, subnet))
	}
	moveTo(snap, subPrivA, rtbPub)
	rs := checks.Evaluate(snap, blocks)
	r := byCheck(rs)["private-a"]
	if r.Status != checks.Fail || r.Reason != "SUBNET_IS_PUBLIC" {
		t.Fatalf("private-a = %s %s, want fail SUBNET_IS_PUBLIC", r.Status, r.Reason)
	}
	for _, x := range rs {
		if strings.Contains(x.Fix, "delete-route --route-table-id "+rtbPub) || strings.Contains(x.Fix, "replace-route --route-table-id "+rtbPub) {
			t.Errorf("%s: the shared public table is changed:\n%s", x.Check, x.Fix)
		}
	}
	if !strings.Contains(r.Fix, "aws ec2 replace-route-table-association --association-id rtbassoc-"+subPrivA+" --route-table-id "+rtbPriv) {
		t.Errorf("private-a is not moved back to its own table demo-private-a-rt:\n%s", r.Fix)
	}
	assertProven(t, snap, rs)

	// Without a table of its own to go back to, and with the plan that
	// deletes the shared route the only one offered, nothing is shown
	// and the message says which check it would break.
	rtb(snap, rtbPriv).Tags = nil
	for i := range snap.RouteTables {
		if aws.ToString(snap.RouteTables[i].RouteTableId) == rtbPriv {
			snap.RouteTables = append(snap.RouteTables[:i], snap.RouteTables[i+1:]...)
			break
		}
	}
	only := []string{labBlocks[2], lines("id: private-a", "kind: subnet", "name: demo-private-a", "vpc: demo-vpc", "public: false")}
	blocks = parseBlocks(t, only...)
	r = checks.EvaluateWithPlans(snap, blocks, "private-a", repair.New(repair.Action{Op: repair.DeleteRoute, RouteTable: rtbPub, Dest: "0.0.0.0/0"}))
	if r.Plan != nil || r.Fix != "" {
		t.Fatalf("a plan that breaks public-a is shown:\n%s", r.Fix)
	}
	text := en.T(r.Message.ID, r.Message.Data)
	if !strings.Contains(text, "would break check public-a") {
		t.Errorf("the message does not say what the change would break: %s", text)
	}
}

// One missing route fails the route check and the path check: the route
// check carries the fix, the path check points to it.
func TestOneCauseOneFix(t *testing.T) {
	snap := labSnap()
	dropDefault(snap, rtbPriv)
	rs := checks.Evaluate(snap, parseBlocks(t, labBlocks...))
	m := byCheck(rs)
	root, follower := m["route-a"], m["path-a"]
	if root.Plan == nil || root.RootCause != "" {
		t.Fatalf("route-a: want the plan, got root cause %q fix %q", root.RootCause, root.Fix)
	}
	if follower.Status != checks.Fail || follower.RootCause != "route-a" || follower.Fix != "" || follower.Plan != nil {
		t.Fatalf("path-a: want a failure pointing to route-a without a fix, got %s root %q fix %q", follower.Status, follower.RootCause, follower.Fix)
	}
	for _, loc := range []*i18n.Localizer{en, i18n.New(i18n.JA)} {
		text := loc.T(follower.Message.ID, follower.Message.Data)
		if !strings.Contains(text, "route-a") || strings.Contains(text, "<no value>") {
			t.Errorf("%s: %s", loc.Lang(), text)
		}
	}
	// Messages name resources as the learner named them.
	text := en.T(root.Message.ID, root.Message.Data)
	if !strings.Contains(text, "demo-private-a ("+subPrivA+")") && !strings.Contains(text, "demo-private-rt ("+rtbPriv+")") {
		t.Errorf("route-a message does not name resources as Name (id): %s", text)
	}
}

// A NAT route is never offered when the lab has no usable NAT gateway,
// nor the first NAT gateway of the Region for a subnet of another VPC.
func TestNoNATNoNATRoute(t *testing.T) {
	snap := labSnap()
	dropDefault(snap, rtbPriv)
	natGW(snap, natID).VpcId = sp("vpc-0other")
	blocks := parseBlocks(t, labBlocks...)
	r := byCheck(checks.Evaluate(snap, blocks))["route-a"]
	if r.Fix != "" {
		t.Fatalf("a NAT route is offered with no NAT gateway in the VPC:\n%s", r.Fix)
	}
	text := en.T(r.Message.ID, r.Message.Data)
	if !strings.Contains(text, "step s") {
		t.Errorf("the message does not point to the step that creates the NAT gateway: %s", text)
	}
}

// Verdicts the issue found wrong.
func TestVerdicts(t *testing.T) {
	runKindCases(t, []kindCase{
		{name: "only from: another port open to the internet fails when the check names no port",
			check: lines("kind: security-group-ingress", "group: demo-vpce-sg", "from: demo-task-sg"),
			mutate: func(s *account.Snapshot) {
				g := sgOf(s, vpceSG)
				g.IpPermissions = append(g.IpPermissions, ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
					IpRanges: []ec2types.IpRange{{CidrIp: sp("0.0.0.0/0")}}})
			},
			want: want{status: checks.Fail, reason: "SG_OPEN_TO_INTERNET", msg: "CheckSGIngressOpen",
				fix: []string{"aws ec2 revoke-security-group-ingress --group-id " + vpceSG, `"FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]`}}},
		{name: "only from: another group on the port fails",
			check: lines("kind: security-group-ingress", "group: demo-vpce-sg", "port: 443", "from: demo-task-sg"),
			mutate: func(s *account.Snapshot) {
				g := sgOf(s, vpceSG)
				g.IpPermissions = append(g.IpPermissions, ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
					IpRanges: []ec2types.IpRange{{CidrIp: sp("10.0.0.0/16")}}})
			},
			want: want{status: checks.Fail, reason: "SG_OTHER_SOURCES", msg: "RepairSGIngressOthers", text: []string{"10.0.0.0/16"},
				fix: []string{"revoke-security-group-ingress --group-id " + vpceSG, "10.0.0.0/16"}, noFix: []string{taskSG}}},
		{name: "only from: the named group on the port passes",
			check: lines("kind: security-group-ingress", "group: demo-vpce-sg", "port: 443", "from: demo-task-sg"),
			want:  want{status: checks.Pass, msg: "CheckSGIngressPass"}},
		// Without "from", a private group's clients are inside its VPC (an
		// endpoint's): the fix admits the port from the VPC's range.
		{name: "admits the port: no rule for it at all fails, fixed from the VPC's range",
			check: lines("kind: security-group-ingress", "group: demo-task-sg", "port: 443"),
			want: want{status: checks.Fail, reason: "SG_NO_INGRESS", msg: "RepairSGIngressNone",
				fix: []string{"aws ec2 authorize-security-group-ingress --group-id " + taskSG, `"FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"` + vpcCIDR + `"}]`}}},
		{name: "open to the internet, no from: revoked, and the VPC's range admitted in its place",
			check: lines("kind: security-group-ingress", "group: demo-task-sg", "port: 443"),
			mutate: func(s *account.Snapshot) {
				g := sgOf(s, taskSG)
				g.IpPermissions = append(g.IpPermissions, ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
					IpRanges: []ec2types.IpRange{{CidrIp: sp("0.0.0.0/0")}}})
			},
			want: want{status: checks.Fail, reason: "SG_OPEN_TO_INTERNET", msg: "CheckSGIngressOpen", text: []string{"addresses inside its VPC"},
				fix: []string{"aws ec2 revoke-security-group-ingress --group-id " + taskSG, "aws ec2 authorize-security-group-ingress --group-id " + taskSG, vpcCIDR}}},
		{name: "an Elastic IP on an interface that can never reach an internet gateway",
			check: lines("kind: elastic-ip", "name: demo-nat-eip"),
			mutate: func(s *account.Snapshot) {
				eniOf(s, natENI).SubnetId = sp(subPrivA)
			},
			want: want{status: checks.Fail, reason: "EIP_UNREACHABLE", msg: "RepairEIPUseless", res: []string{allocID}}},
		{name: "interface endpoint: the client group cannot send to it",
			check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "subnets: [demo-private-a, demo-private-b]", "from: demo-task-sg"),
			mutate: func(s *account.Snapshot) {
				sgOf(s, taskSG).IpPermissionsEgress = []ec2types.IpPermission{{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
					IpRanges: []ec2types.IpRange{{CidrIp: sp("192.168.0.0/16")}}}}
			},
			want: want{status: checks.Fail, reason: "ENI_SG_RULES_MISMATCH", msg: "RepairEndpointClientEgress",
				fix: []string{"aws ec2 authorize-security-group-egress --group-id " + taskSG, vpceSG}}},
		{name: "interface endpoint: egress to the endpoint's group counts",
			check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "subnets: [demo-private-a, demo-private-b]", "from: demo-task-sg"),
			mutate: func(s *account.Snapshot) {
				sgOf(s, taskSG).IpPermissionsEgress = []ec2types.IpPermission{{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
					UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp(vpceSG)}}}}
			},
			want: want{status: checks.Pass, msg: "CheckInterfaceEndpointPass"}},
	})
}

// A check whose subject is missing or of the wrong type never passes: it
// is an error naming the block's file:line:col.
func TestBadBlockNeverPasses(t *testing.T) {
	for _, body := range []string{
		lines("id: c", "kind: vpc", "name: [demo-vpc]"),
		lines("id: c", "kind: vpc"),
		lines("id: c", "kind: subnet", "name: demo-public-a", "public: maybe"),
	} {
		r := checks.Evaluate(labSnap(), parseRaw(t, body))[0]
		text := en.T(r.Message.ID, r.Message.Data)
		if r.Status != checks.Error || r.Reason != "BAD_PARAMETER" || !strings.Contains(text, "labs/demo/index.en.md:") {
			t.Errorf("%q: got %s %s: %s", body, r.Status, r.Reason, text)
		}
	}
}

// A regional-egress step never passes through a zonal NAT gateway.
// (moto cannot create regional NAT gateways: a hand-built snapshot.)
func TestRegionalEgressNeedsARegionalNAT(t *testing.T) {
	snap := labSnap()
	blocks := parseBlocks(t,
		lines("id: regional", "kind: nat-gateway", "name: demo-regional", "vpc: demo-vpc", "mode: regional"),
		lines("id: path", "kind: egress-path", "from: demo-private-a", "vpc: demo-vpc", "to: internet", "via: nat-gateway"))
	rs := byCheck(checks.Evaluate(snap, blocks))
	if rs["path"].OK() {
		t.Fatalf("the regional step's path passes through the zonal NAT gateway")
	}
	if rs["regional"].Fix == "" || !strings.Contains(rs["regional"].Fix, "--availability-mode regional") || strings.Contains(rs["regional"].Fix, "--subnet-id") {
		t.Errorf("the regional NAT gateway's fix is not a regional create:\n%s", rs["regional"].Fix)
	}
	// With the regional gateway in place, the path is routed to it.
	snap.NATGateways = append(snap.NATGateways, ec2types.NatGateway{NatGatewayId: sp("nat-0regional"), VpcId: sp(vpcID),
		State: ec2types.NatGatewayStateAvailable, AvailabilityMode: ec2types.AvailabilityModeRegional, Tags: nameTag("demo-regional"),
		NatGatewayAddresses: []ec2types.NatGatewayAddress{{AvailabilityZone: sp("us-east-1a"), PublicIp: sp("198.51.100.9"),
			Status: ec2types.NatGatewayAddressStatusSucceeded}, {AvailabilityZone: sp("us-east-1b"), PublicIp: sp("198.51.100.10"),
			Status: ec2types.NatGatewayAddressStatusSucceeded}}})
	rs = byCheck(checks.Evaluate(snap, blocks))
	if rs["regional"].Status != checks.Pass {
		t.Fatalf("regional: %s", en.T(rs["regional"].Message.ID, rs["regional"].Message.Data))
	}
	p := rs["path"]
	if p.OK() || !strings.Contains(p.Fix, "replace-route --route-table-id "+rtbPriv+" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-0regional") {
		t.Errorf("path: want a fix routing to the regional NAT gateway, got %s:\n%s", p.Status, p.Fix)
	}
	assertProven(t, snap, checks.Evaluate(snap, blocks))
}

// create-vpc uses the lab's CIDR, never a made-up one.
func TestCreateVPCUsesTheLabsCIDR(t *testing.T) {
	snap := labSnap()
	r := checks.Evaluate(snap, parseBlocks(t, lines("id: v", "kind: vpc", "name: lab-vpc", "cidr: 10.30.0.0/16", "dns_hostnames: true")))[0]
	if !strings.Contains(r.Fix, "aws ec2 create-vpc --cidr-block 10.30.0.0/16") || !strings.Contains(r.Fix, `--vpc-id "$VPC_ID" --enable-dns-hostnames`) {
		t.Errorf("fix:\n%s", r.Fix)
	}
}

// A path's NAT route goes to the NAT gateway the lab names for the
// subnet's AZ, not to whichever available one comes first.
func TestPathFixUsesTheLabsNAT(t *testing.T) {
	snap := labSnap()
	dropDefault(snap, rtbPriv)
	other := *natGW(snap, natID)
	other.NatGatewayId, other.Tags = sp("nat-0other"), nameTag("someone-elses-nat")
	snap.NATGateways = append([]ec2types.NatGateway{other}, snap.NATGateways...)
	blocks := parseBlocks(t,
		lines("id: nat", "kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc", "subnet: demo-public-a"),
		lines("id: path", "kind: egress-path", "from: demo-private-a", "vpc: demo-vpc", "to: internet", "via: nat-gateway"))
	rs := checks.Evaluate(snap, blocks)
	p := byCheck(rs)["path"]
	if p.OK() || !strings.Contains(p.Fix, "--nat-gateway-id "+natID) || strings.Contains(p.Fix, "nat-0other") {
		t.Errorf("path: want a route to the lab's %s, got %s:\n%s", natID, p.Status, p.Fix)
	}
	assertProven(t, snap, rs)
}
