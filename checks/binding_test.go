package checks_test

// Binding on hand-built snapshots: what the sandbox cannot produce in one
// account cheaply (NAT gateways with creation times, two private route
// tables pointing at two twins, a decoy VPC with the lab's CIDR), and the
// kinds' verdicts once names are bound.

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

func bindingBlocks(t *testing.T, extra ...string) []*content.CheckBlock {
	t.Helper()
	return parseBlocks(t, append([]string{
		lines("id: vpc", "kind: vpc", "name: demo-vpc", "cidr: 10.0.0.0/16"),
		lines("id: igw", "kind: internet-gateway", "vpc: demo-vpc", "name: demo-igw"),
		lines("id: pub", "kind: subnet", "name: demo-public-a", "vpc: demo-vpc", "cidr: 10.0.0.0/24", "public: true", "route_table: demo-public-rt"),
		lines("id: priv", "kind: subnet", "name: demo-private-a", "vpc: demo-vpc", "cidr: 10.0.10.0/24", "public: false", "route_table: demo-private-rt"),
		lines("id: eip", "kind: elastic-ip", "name: demo-nat-eip"),
		lines("id: nat", "kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc", "subnet: demo-public-a", "eip: demo-nat-eip"),
		lines("id: route", "kind: route", "subnet: demo-private-a", "vpc: demo-vpc", "target: nat-gateway", "target_name: demo-nat"),
		lines("id: sg", "kind: security-group-egress", "group: demo-task-sg", "vpc: demo-vpc", "port: 443"),
	}, extra...)...)
}

// bindRun is what checkrun does: bind, judge, add the findings.
func bindRun(snap *account.Snapshot, blocks []*content.CheckBlock) (binding.Report, []checks.Result, []checks.Result) {
	o := binding.Options{Now: func() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }}
	rep := binding.Bind(snap, blocks, o)
	base := checks.Evaluate(snap, blocks)
	return rep, base, binding.Findings(rep, snap, blocks, base, "demo", o)
}

func allOK(t *testing.T, rs []checks.Result) {
	t.Helper()
	for _, r := range rs {
		if !r.OK() {
			t.Errorf("check %s: %s %s %v (fix %q)", r.Check, r.Status, r.Reason, r.Message.Data, r.Fix)
		}
	}
}

func TestBindingByNameTag(t *testing.T) {
	rep, base, findings := bindRun(labSnap(), bindingBlocks(t))
	allOK(t, base)
	if len(findings) != 0 {
		t.Errorf("a lab built by the book has findings: %v", findings)
	}
	want := map[string]string{"demo-vpc": vpcID, "demo-igw": igwID, "demo-public-a": subPubA, "demo-private-a": subPrivA,
		"demo-public-rt": rtbPub, "demo-private-rt": rtbPriv, "demo-nat": natID, "demo-nat-eip": allocID, "demo-task-sg": taskSG}
	if len(rep.Bindings) != len(want) {
		t.Errorf("%d bindings, want %d: %+v", len(rep.Bindings), len(want), rep.Bindings)
	}
	for _, b := range rep.Bindings {
		if b.ID != want[b.Name] || b.Evidence != binding.ByNameTag || len(b.Twins) != 0 {
			t.Errorf("%s bound to %s by %s (twins %v), want %s by its Name tag", b.Name, b.ID, b.Evidence, b.Twins, want[b.Name])
		}
	}
}

// twinNAT is a step run twice: a second NAT gateway of the same name with
// its own Elastic IP (also of the same name), an hour older, that no
// route uses.
func twinNAT(s *account.Snapshot) {
	older := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	s.Addresses = append(s.Addresses, ec2types.Address{AllocationId: sp("eipalloc-0twin"), AssociationId: sp("eipassoc-0twin"),
		PublicIp: sp("203.0.113.99"), Domain: ec2types.DomainTypeVpc, NetworkInterfaceId: sp("eni-0twin"), Tags: nameTag("demo-nat-eip")})
	s.NATGateways = append(s.NATGateways, ec2types.NatGateway{NatGatewayId: sp("nat-0twin"), VpcId: sp(vpcID), SubnetId: sp(subPubA),
		State: ec2types.NatGatewayStateAvailable, ConnectivityType: ec2types.ConnectivityTypePublic, CreateTime: aws.Time(older),
		Tags: nameTag("demo-nat"), NatGatewayAddresses: []ec2types.NatGatewayAddress{{AllocationId: sp("eipalloc-0twin"),
			PublicIp: sp("203.0.113.99"), NetworkInterfaceId: sp("eni-0twin"), IsPrimary: aws.Bool(true)}}})
	// listed first, so that order alone would pick it
	slices.Reverse(s.NATGateways)
}

func finding(t *testing.T, fs []checks.Result, check string) checks.Result {
	t.Helper()
	for _, f := range fs {
		if f.Check == check {
			return f
		}
	}
	t.Fatalf("no finding %s among %d: %v", check, len(fs), fs)
	return checks.Result{}
}

func TestBindingDuplicateNAT(t *testing.T) {
	snap := labSnap()
	twinNAT(snap)
	rep, base, findings := bindRun(snap, bindingBlocks(t))
	allOK(t, base)
	b, _ := rep.Bound(account.NATGateways, "demo-nat")
	if b.ID != natID || len(b.Twins) != 1 || b.Twins[0].ID != "nat-0twin" {
		t.Fatalf("demo-nat bound to %s with twins %+v; want %s (the one the private route table uses), twin nat-0twin", b.ID, b.Twins, natID)
	}
	if b.Twins[0].USDPerHr < 0.0499 {
		t.Errorf("the twin NAT costs %.3f/h; a NAT gateway and its public IPv4 address cost $0.045 + $0.005 in us-east-1", b.Twins[0].USDPerHr)
	}
	f := finding(t, findings, "binding:nat-gateways:demo-nat")
	checkResult(t, f, want{status: checks.Fail, reason: binding.Duplicate, msg: "BindDuplicate", res: []string{natID, "nat-0twin"},
		text:  []string{"nat-0twin [2026-11-20 08:00 UTC · 4h0m0s · $", natID, "(in brackets: creation time · age · cost per hour)"},
		fix:   []string{"aws ec2 delete-nat-gateway --nat-gateway-id nat-0twin", "aws ec2 wait nat-gateway-deleted --nat-gateway-ids nat-0twin", "aws ec2 release-address --allocation-id eipalloc-0twin"},
		noFix: []string{natID, allocID}})
	for _, l := range strings.Split(f.Fix, "\n") {
		if !strings.Contains(l, " --region us-east-1") {
			t.Errorf("a command without the Region vpclab checked: %s", l)
		}
	}
	if f.Plan == nil || f.Plan.Render("us-east-1") != f.Fix {
		t.Errorf("the fix is not its typed plan rendered: plan %+v", f.Plan)
	}
	if f.Kind != binding.Kind || f.Step != "s" || f.Block == nil || f.Block.Pos.Line == 0 {
		t.Errorf("finding not placed on the step of the block that names it: kind %q step %q block %+v", f.Kind, f.Step, f.Block)
	}
	// The Elastic IP twin is bound the same way: the one the bound NAT uses.
	e, _ := rep.Bound(account.Addresses, "demo-nat-eip")
	if e.ID != allocID {
		t.Errorf("demo-nat-eip bound to %s, want %s (the bound NAT gateway's)", e.ID, allocID)
	}
	// Both count as the lab's, for the clean-up and cost.
	if ids := rep.IDs(account.NATGateways); !slices.Equal(ids, []string{natID, "nat-0twin"}) {
		t.Errorf("lab NAT gateways %v", ids)
	}
	// The kinds judge the bound NAT gateway and no longer warn AMBIGUOUS.
	for _, r := range base {
		if r.Check == "nat" && (r.Status != checks.Pass || !slices.Contains(r.Resources, natID)) {
			t.Errorf("nat check: %s %v", r.Status, r.Resources)
		}
	}
}

// A twin that another check relies on is not offered for deletion.
func TestBindingDuplicateKeptWhenWired(t *testing.T) {
	snap := labSnap()
	twinNAT(snap)
	// demo-private-b routes through the twin, and the lab checks that route
	rtb(snap, rtbMain).Routes = append(rtb(snap, rtbMain).Routes, toNAT("0.0.0.0/0", "nat-0twin"))
	blocks := bindingBlocks(t, lines("id: route-b", "kind: route", "subnet: demo-private-b", "vpc: demo-vpc", "target: nat-gateway"))
	_, base, findings := bindRun(snap, blocks)
	allOK(t, base)
	f := finding(t, findings, "binding:nat-gateways:demo-nat")
	checkResult(t, f, want{status: checks.Fail, reason: binding.Duplicate, msg: "BindDuplicateKept", text: []string{"nat-0twin (route-b)"}, noFixAtAll: true})
}

// untag removes every Name tag (security groups keep their group names,
// which the lab also uses) and adds decoys: the default VPC and another
// VPC with the lab's CIDR but none of its subnets.
func untag(s *account.Snapshot) {
	for i := range s.VPCs {
		s.VPCs[i].Tags = nil
	}
	for i := range s.Subnets {
		s.Subnets[i].Tags = nil
	}
	for i := range s.RouteTables {
		s.RouteTables[i].Tags = nil
	}
	for i := range s.InternetGateways {
		s.InternetGateways[i].Tags = nil
	}
	for i := range s.NATGateways {
		s.NATGateways[i].Tags = nil
	}
	for i := range s.Addresses {
		s.Addresses[i].Tags = nil
	}
	for i := range s.SecurityGroups {
		s.SecurityGroups[i].Tags = nil
	}
	s.VPCs = append(s.VPCs,
		ec2types.Vpc{VpcId: sp("vpc-0default"), CidrBlock: sp("172.31.0.0/16"), IsDefault: aws.Bool(true)},
		ec2types.Vpc{VpcId: sp("vpc-0decoy"), CidrBlock: sp(vpcCIDR), IsDefault: aws.Bool(false)})
}

func TestBindingUntagged(t *testing.T) {
	snap := labSnap()
	untag(snap)
	rep, base, findings := bindRun(snap, bindingBlocks(t))
	allOK(t, base)
	ids := map[string]string{"demo-vpc": vpcID, "demo-igw": igwID, "demo-public-a": subPubA, "demo-private-a": subPrivA,
		"demo-public-rt": rtbPub, "demo-private-rt": rtbPriv, "demo-nat": natID, "demo-nat-eip": allocID}
	for name, id := range ids {
		var b binding.Binding
		for _, x := range rep.Bindings {
			if x.Name == name {
				b = x
			}
		}
		if b.ID != id || b.Evidence != binding.ByStructure {
			t.Errorf("%s bound to %q by %s, want %s by structure", name, b.ID, b.Evidence, id)
			continue
		}
		f := finding(t, findings, "binding:"+string(b.Type)+":"+name)
		checkResult(t, f, want{status: checks.Fail, reason: binding.Untagged, msg: "BindUntagged", res: []string{id},
			fix: []string{"aws ec2 create-tags --resources " + id + " --tags Key=Name,Value=" + name}})
		if ja := i18n.New(i18n.JA).T(f.Message.ID, f.Message.Data); strings.Contains(ja, "<no value>") || !strings.Contains(ja, id) {
			t.Errorf("Japanese message: %s", ja)
		}
	}
	// The VPC's evidence names what identified it.
	b, _ := rep.Bound(account.VPCs, "demo-vpc")
	if b.Why.ID != "BindWhyVPCSubnets" {
		t.Errorf("demo-vpc identified by %s, want the VPC holding the lab's subnets", b.Why.ID)
	}
	// The security group is still found by its group name: no finding.
	for _, f := range findings {
		if strings.Contains(f.Check, "demo-task-sg") {
			t.Errorf("a group found by its group name got a finding: %v", f)
		}
	}
}

func TestBindingNearName(t *testing.T) {
	snap := labSnap()
	snap.VPCs[0].Tags = nameTag("  Demo-VPC ")
	rep, base, findings := bindRun(snap, bindingBlocks(t))
	allOK(t, base)
	b, _ := rep.Bound(account.VPCs, "demo-vpc")
	if b.ID != vpcID || b.Evidence != binding.ByNameFold {
		t.Fatalf("demo-vpc bound to %s by %s", b.ID, b.Evidence)
	}
	checkResult(t, finding(t, findings, "binding:vpcs:demo-vpc"), want{status: checks.Warn, reason: binding.Mistagged, msg: "BindMistagged",
		text: []string{`"  Demo-VPC "`}, fix: []string{"aws ec2 create-tags --resources " + vpcID + " --tags Key=Name,Value=demo-vpc"}})
}

// TestBindingTypo: a Name tag one or two letters off (demo-vcp for
// demo-vpc), the only one, is the lab's resource with a typo: the check
// judges it and the fix retags it, instead of "create it" and the typo'd
// copy left behind for good. Two near names would be a guess: none taken.
func TestBindingTypo(t *testing.T) {
	snap := labSnap()
	snap.VPCs[0].Tags = nameTag("demo-vcp")
	rep, _, findings := bindRun(snap, bindingBlocks(t))
	b, _ := rep.Bound(account.VPCs, "demo-vpc")
	if b.ID != vpcID || b.Evidence != binding.ByNameTypo {
		t.Fatalf("demo-vpc bound to %q by %s", b.ID, b.Evidence)
	}
	checkResult(t, finding(t, findings, "binding:vpcs:demo-vpc"), want{status: checks.Fail, reason: binding.Mistagged, msg: "BindMistagged",
		text: []string{`"demo-vcp"`}, fix: []string{"aws ec2 create-tags --resources " + vpcID + " --tags Key=Name,Value=demo-vpc"}})

	two := labSnap()
	two.VPCs[0].Tags = nameTag("demo-vcp")
	second := two.VPCs[0]
	second.VpcId, second.Tags = sp("vpc-0second"), nameTag("demo-vpx")
	two.VPCs = append(two.VPCs, second)
	rep, _, _ = bindRun(two, bindingBlocks(t))
	if b, _ := rep.Bound(account.VPCs, "demo-vpc"); b.Evidence == binding.ByNameTypo {
		t.Errorf("two near names, one taken: %s by %s", b.ID, b.Evidence)
	}
}

// Infrastructure as code rules out a look-alike: two untagged VPCs hold
// the lab's subnets; the stack made one of them.
func TestBindingIaCBeatsLookalike(t *testing.T) {
	snap := labSnap()
	untag(snap)
	// The decoy gets a copy of the lab's public subnet: structure alone
	// cannot tell the VPCs apart any more… except by wiring, which we
	// equalise by attaching a second gateway.
	snap.Subnets = append(snap.Subnets, ec2types.Subnet{SubnetId: sp("subnet-0decoy"), VpcId: sp("vpc-0decoy"), CidrBlock: sp("10.0.0.0/24")})
	iac := &binding.IaC{Kind: binding.ByStack, Source: "demo-stack", Resources: []binding.Resource{
		{Type: account.VPCs, Logical: "DemoVPC", Physical: vpcID}, {Type: account.Subnets, Logical: "PublicSubnetA", Physical: subPubA}}}
	blocks := bindingBlocks(t)
	rep := binding.Bind(snap, blocks, binding.Options{IaC: iac})
	b, _ := rep.Bound(account.VPCs, "demo-vpc")
	if b.ID != vpcID || b.Evidence != binding.ByStack || len(b.Twins) != 0 {
		t.Fatalf("demo-vpc bound to %s by %s (twins %v), want %s from the stack", b.ID, b.Evidence, b.Twins, vpcID)
	}
	if text := i18n.New(i18n.EN).T(b.Why.ID, b.Why.Data); !strings.Contains(text, "DemoVPC in demo-stack") {
		t.Errorf("evidence: %s", text)
	}
}

// Bindings are what the kinds see: a name bound to an untagged resource
// is found by every lookup, including those that read tags directly.
func TestSnapshotBindingsReachKinds(t *testing.T) {
	snap := labSnap()
	untag(snap)
	blocks := bindingBlocks(t)
	before := checks.Evaluate(labSnapUntagged(), blocks)
	if before[0].Reason != "NOT_FOUND" {
		t.Fatalf("without binding, an untagged VPC is not found: %s %s", before[0].Status, before[0].Reason)
	}
	binding.Bind(snap, blocks, binding.Options{})
	allOK(t, checks.Evaluate(snap, blocks))
}

func labSnapUntagged() *account.Snapshot { s := labSnap(); untag(s); return s }

// Another VPC with the lab's CIDR but none of its subnets, named for
// something else, is never taken for the lab's: not while the lab runs,
// and not after its clean-up, when the clean-up check must pass.
func TestBindingLeavesOthersVPCs(t *testing.T) {
	snap := labSnap()
	snap.VPCs[0].Tags = nameTag("prod")
	snap.Subnets = nil
	rep := binding.Bind(snap, bindingBlocks(t), binding.Options{})
	if b, _ := rep.Bound(account.VPCs, "demo-vpc"); b.ID != "" {
		t.Errorf("demo-vpc bound to %s (%s), a VPC named prod", b.ID, b.Evidence)
	}
	snap.VPCs[0].Tags = nil
	rep = binding.Bind(snap, bindingBlocks(t), binding.Options{})
	if b, _ := rep.Bound(account.VPCs, "demo-vpc"); b.ID != vpcID || b.Why.ID != "BindWhyVPCCIDR" {
		t.Errorf("an untagged VPC with the lab's CIDR: bound to %q by %v", b.ID, b.Why)
	}
}

// A step made again, correctly: the twin has the lab's CIDR where the
// subnet the lab is wired to has a wrong one. Deleting the twin would keep
// the wrong copy, so no command is printed; the finding says which checks
// the twin would get past.
func TestBindingDuplicateBetterTwinIsNotDeleted(t *testing.T) {
	snap := labSnap()
	for i := range snap.Subnets {
		if *snap.Subnets[i].SubnetId == subPrivA {
			snap.Subnets[i].CidrBlock = sp("10.0.21.0/24")
			twin := snap.Subnets[i]
			twin.SubnetId, twin.CidrBlock = sp("subnet-0twin"), sp("10.0.10.0/24")
			snap.Subnets = append(snap.Subnets, twin)
			break
		}
	}
	rep, base, findings := bindRun(snap, bindingBlocks(t))
	if b, _ := rep.Bound(account.Subnets, "demo-private-a"); b.ID != subPrivA {
		t.Fatalf("demo-private-a bound to %s, want %s (the one its route table is associated with)", b.ID, subPrivA)
	}
	for _, r := range base {
		if r.Check == "priv" && r.Reason != "CIDR_MISMATCH" {
			t.Fatalf("priv: %s %s, want a CIDR_MISMATCH to start from", r.Status, r.Reason)
		}
	}
	f := finding(t, findings, "binding:subnets:demo-private-a")
	checkResult(t, f, want{status: checks.Fail, reason: binding.Duplicate, msg: "BindDuplicateBetterTwin", text: []string{"subnet-0twin (priv)"}, noFixAtAll: true})
}

// A twin with a fault of its own is no better: the judged subnet has the
// wrong AZ, the twin the right AZ but a wrong CIDR. The twin, which nothing
// uses, is offered for deletion as any leftover is.
func TestBindingDuplicateTwinWithItsOwnFault(t *testing.T) {
	snap := labSnap()
	for i := range snap.Subnets {
		if *snap.Subnets[i].SubnetId == subPrivA {
			twin := snap.Subnets[i]
			twin.SubnetId, twin.CidrBlock, twin.AvailabilityZone = sp("subnet-0twin"), sp("10.0.99.0/24"), sp("us-east-1c")
			snap.Subnets = append(snap.Subnets, twin)
			break
		}
	}
	blocks := bindingBlocks(t, lines("id: priv-az", "kind: subnet", "name: demo-private-a", "az: us-east-1c"))
	_, _, findings := bindRun(snap, blocks)
	f := finding(t, findings, "binding:subnets:demo-private-a")
	// Subnets show no creation time: the legend names only the price.
	checkResult(t, f, want{status: checks.Fail, reason: binding.Duplicate, msg: "BindDuplicate", fix: []string{"aws ec2 delete-subnet --subnet-id subnet-0twin"},
		text: []string{"subnet-0twin [$0.000/h] is left over (in brackets: cost per hour)"}})
}

// A VPC named as another lab names one is that lab's, however well it
// fits: the warm-up lab took the NAT lab's VPC (same CIDRs) and told the
// learner to retag it and break its routes. A built-in lab's names count
// always; a course's own other labs', through Options.Others.
func TestBindingLeavesOtherLabsResources(t *testing.T) {
	for _, tc := range []struct {
		tag    string
		others map[string]bool
		taken  bool
	}{
		{"vpclab-nat-vpc", nil, false}, // a built-in lab's VPC
		{"course-b-vpc", map[string]bool{"course-b-vpc": true}, false},
		{"course-b-vpc", nil, true},                                     // a name no lab uses: the learner's own, misnamed
		{"my-first-vpc", nil, true},                                     // likewise
		{"demo-public-a", map[string]bool{"demo-public-a": true}, true}, // a name this lab uses is never another's
	} {
		snap := labSnap()
		snap.VPCs[0].Tags = nameTag(tc.tag)
		for i := range snap.Subnets {
			snap.Subnets[i].Tags = nil
		}
		rep := binding.Bind(snap, bindingBlocks(t), binding.Options{Others: tc.others})
		b, _ := rep.Bound(account.VPCs, "demo-vpc")
		if taken := b.ID == vpcID; taken != tc.taken {
			t.Errorf("a VPC tagged %q (others %v): bound to %q by %s; want taken %v", tc.tag, tc.others, b.ID, b.Evidence, tc.taken)
		}
	}
}
