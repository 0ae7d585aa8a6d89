package checks_test

// Shared fixtures for the kind tests: a complete, correct NAT lab in
// us-east-1 built by hand from SDK types (no AWS, no sandbox), check blocks
// parsed from a tiny Markdown page the way a lab is, and one assertion
// helper for every result.

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// The lab's ids. They differ from the Name tags on purpose, so a test can
// tell whether a message or fix carries the real id.
const (
	acct       = "123456789012"
	region     = "us-east-1"
	vpcID      = "vpc-0a1b2c3d"
	vpcCIDR    = "10.0.0.0/16"
	igwID      = "igw-0a1b2c3d"
	subPubA    = "subnet-0pub1a"
	subPrivA   = "subnet-0priv1a"
	subPrivB   = "subnet-0priv1b"
	rtbMain    = "rtb-0main"
	rtbPub     = "rtb-0pub"
	rtbPriv    = "rtb-0priv"
	natID      = "nat-0a1b2c3d"
	natENI     = "eni-0nat"
	natIP      = "203.0.113.10"
	allocID    = "eipalloc-0a1b2c3d"
	assocID    = "eipassoc-0a1b2c3d"
	taskSG     = "sg-0task"
	vpceSG     = "sg-0vpce"
	s3EP       = "vpce-0s3"
	ecrEP      = "vpce-0ecrapi"
	s3PL       = "pl-63a5400a"
	clusterARN = "arn:aws:ecs:us-east-1:123456789012:cluster/demo-cluster"
	serviceARN = "arn:aws:ecs:us-east-1:123456789012:service/demo-cluster/demo-web"
	taskARN    = "arn:aws:ecs:us-east-1:123456789012:task/demo-cluster/0f1e2d3c4b5a"
	taskDefARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/demo-web:3"
	taskENI    = "eni-0task"
)

var sp = aws.String

func nameTag(n string) []ec2types.Tag {
	return []ec2types.Tag{{Key: sp("Name"), Value: sp(n)}, {Key: sp("lab"), Value: sp("demo")}}
}

func route(cidr string) ec2types.Route {
	return ec2types.Route{DestinationCidrBlock: sp(cidr), State: ec2types.RouteStateActive, Origin: ec2types.RouteOriginCreateRoute}
}

func localRoute() ec2types.Route {
	r := route(vpcCIDR)
	r.GatewayId, r.Origin = sp("local"), ec2types.RouteOriginCreateRouteTable
	return r
}

func toGateway(cidr, gw string) ec2types.Route { r := route(cidr); r.GatewayId = sp(gw); return r }
func toNAT(cidr, nat string) ec2types.Route    { r := route(cidr); r.NatGatewayId = sp(nat); return r }

func explicitAssoc(rtb, subnet string) ec2types.RouteTableAssociation {
	return ec2types.RouteTableAssociation{Main: aws.Bool(false), RouteTableId: sp(rtb), SubnetId: sp(subnet),
		RouteTableAssociationId: sp("rtbassoc-" + subnet),
		AssociationState:        &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated}}
}

// labSnap is a complete, correct NAT lab: every kind judged on it passes
// (cleanup aside, which finds the lab still running). Each call builds a
// fresh snapshot, so cases mutate their own copy.
func labSnap() *account.Snapshot {
	created := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	s := &account.Snapshot{Account: acct, Region: region, Loaded: map[account.Resource]bool{}}
	for r := range account.Actions {
		s.Loaded[r] = true
	}
	s.VPCs = []ec2types.Vpc{{VpcId: sp(vpcID), CidrBlock: sp(vpcCIDR), State: ec2types.VpcStateAvailable,
		IsDefault: aws.Bool(false), Tags: nameTag("demo-vpc")}}
	s.VPCAttrs = map[string]account.VPCAttrs{vpcID: {DNSSupport: true, DNSHostnames: true}}
	// moto reports an attached internet gateway as "available".
	s.InternetGateways = []ec2types.InternetGateway{{InternetGatewayId: sp(igwID), Tags: nameTag("demo-igw"),
		Attachments: []ec2types.InternetGatewayAttachment{{VpcId: sp(vpcID), State: "available"}}}}
	subnet := func(id, name, cidr, az string, publicOnLaunch bool) ec2types.Subnet {
		return ec2types.Subnet{SubnetId: sp(id), VpcId: sp(vpcID), CidrBlock: sp(cidr), AvailabilityZone: sp(az),
			AvailabilityZoneId: sp("use1-az" + az[len(az)-1:]), State: ec2types.SubnetStateAvailable,
			MapPublicIpOnLaunch: aws.Bool(publicOnLaunch), Tags: nameTag(name)}
	}
	s.Subnets = []ec2types.Subnet{
		subnet(subPubA, "demo-public-a", "10.0.0.0/24", "us-east-1a", true),
		subnet(subPrivA, "demo-private-a", "10.0.10.0/24", "us-east-1a", false),
		subnet(subPrivB, "demo-private-b", "10.0.11.0/24", "us-east-1b", false),
	}
	s3Route := ec2types.Route{DestinationPrefixListId: sp(s3PL), GatewayId: sp(s3EP), State: ec2types.RouteStateActive,
		Origin: ec2types.RouteOriginCreateRoute}
	s.RouteTables = []ec2types.RouteTable{
		{RouteTableId: sp(rtbMain), VpcId: sp(vpcID), Routes: []ec2types.Route{localRoute()},
			Associations: []ec2types.RouteTableAssociation{{Main: aws.Bool(true), RouteTableId: sp(rtbMain),
				RouteTableAssociationId: sp("rtbassoc-0main"),
				AssociationState:        &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated}}}},
		{RouteTableId: sp(rtbPub), VpcId: sp(vpcID), Tags: nameTag("demo-public-rt"),
			Routes:       []ec2types.Route{localRoute(), toGateway("0.0.0.0/0", igwID)},
			Associations: []ec2types.RouteTableAssociation{explicitAssoc(rtbPub, subPubA)}},
		{RouteTableId: sp(rtbPriv), VpcId: sp(vpcID), Tags: nameTag("demo-private-rt"),
			Routes:       []ec2types.Route{localRoute(), toNAT("0.0.0.0/0", natID), s3Route},
			Associations: []ec2types.RouteTableAssociation{explicitAssoc(rtbPriv, subPrivA)}},
	}
	s.Addresses = []ec2types.Address{{AllocationId: sp(allocID), AssociationId: sp(assocID), PublicIp: sp(natIP),
		Domain: ec2types.DomainTypeVpc, NetworkInterfaceId: sp(natENI), NetworkInterfaceOwnerId: sp("amazon"),
		PrivateIpAddress: sp("10.0.0.50"), Tags: nameTag("demo-nat-eip")}}
	s.NATGateways = []ec2types.NatGateway{{NatGatewayId: sp(natID), VpcId: sp(vpcID), SubnetId: sp(subPubA),
		State: ec2types.NatGatewayStateAvailable, ConnectivityType: ec2types.ConnectivityTypePublic,
		AvailabilityMode: ec2types.AvailabilityModeZonal, CreateTime: aws.Time(created), Tags: nameTag("demo-nat"),
		NatGatewayAddresses: []ec2types.NatGatewayAddress{{AllocationId: sp(allocID), AssociationId: sp(assocID),
			PublicIp: sp(natIP), PrivateIp: sp("10.0.0.50"), NetworkInterfaceId: sp(natENI), IsPrimary: aws.Bool(true),
			Status: ec2types.NatGatewayAddressStatusSucceeded}}}}
	allOut := []ec2types.IpPermission{{IpProtocol: sp("-1"), IpRanges: []ec2types.IpRange{{CidrIp: sp("0.0.0.0/0")}}}}
	s.SecurityGroups = []ec2types.SecurityGroup{
		{GroupId: sp(taskSG), GroupName: sp("demo-task-sg"), VpcId: sp(vpcID), Description: sp("demo tasks"),
			Tags: nameTag("demo-task-sg"), IpPermissionsEgress: allOut},
		{GroupId: sp(vpceSG), GroupName: sp("demo-vpce-sg"), VpcId: sp(vpcID), Description: sp("demo endpoints"),
			Tags: nameTag("demo-vpce-sg"), IpPermissionsEgress: allOut,
			IpPermissions: []ec2types.IpPermission{{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp(taskSG), UserId: sp(acct)}}}}},
	}
	allow := func(egress bool) ec2types.NetworkAclEntry {
		return ec2types.NetworkAclEntry{RuleNumber: aws.Int32(100), Protocol: sp("-1"), RuleAction: ec2types.RuleActionAllow,
			Egress: aws.Bool(egress), CidrBlock: sp("0.0.0.0/0")}
	}
	s.NetworkACLs = []ec2types.NetworkAcl{{NetworkAclId: sp("acl-0default"), VpcId: sp(vpcID), IsDefault: aws.Bool(true),
		Entries: []ec2types.NetworkAclEntry{allow(true), allow(false)}}}
	s.PrefixLists = []ec2types.ManagedPrefixList{{PrefixListId: sp(s3PL), PrefixListName: sp("com.amazonaws.us-east-1.s3"),
		AddressFamily: sp("IPv4"), State: ec2types.PrefixListStateCreateComplete}}
	s.VPCEndpoints = []ec2types.VpcEndpoint{
		{VpcEndpointId: sp(s3EP), VpcId: sp(vpcID), ServiceName: sp("com.amazonaws.us-east-1.s3"),
			VpcEndpointType: ec2types.VpcEndpointTypeGateway, State: "available", RouteTableIds: []string{rtbPriv},
			Tags: nameTag("demo-s3")},
		{VpcEndpointId: sp(ecrEP), VpcId: sp(vpcID), ServiceName: sp("com.amazonaws.us-east-1.ecr.api"),
			VpcEndpointType: ec2types.VpcEndpointTypeInterface, State: "available", PrivateDnsEnabled: aws.Bool(true),
			SubnetIds: []string{subPrivA, subPrivB}, Groups: []ec2types.SecurityGroupIdentifier{{GroupId: sp(vpceSG), GroupName: sp("demo-vpce-sg")}},
			NetworkInterfaceIds: []string{"eni-0vpcea", "eni-0vpceb"}, Tags: nameTag("demo-ecr-api")},
	}
	s.NetworkInterfaces = []ec2types.NetworkInterface{
		{NetworkInterfaceId: sp(natENI), SubnetId: sp(subPubA), VpcId: sp(vpcID), AvailabilityZone: sp("us-east-1a"),
			InterfaceType: ec2types.NetworkInterfaceTypeNatGateway, PrivateIpAddress: sp("10.0.0.50"),
			Association: &ec2types.NetworkInterfaceAssociation{PublicIp: sp(natIP), AllocationId: sp(allocID), AssociationId: sp(assocID)}},
		{NetworkInterfaceId: sp(taskENI), SubnetId: sp(subPrivA), VpcId: sp(vpcID), AvailabilityZone: sp("us-east-1a"),
			InterfaceType: ec2types.NetworkInterfaceTypeInterface, PrivateIpAddress: sp("10.0.10.25"),
			Groups: []ec2types.GroupIdentifier{{GroupId: sp(taskSG), GroupName: sp("demo-task-sg")}}},
	}
	s.Clusters = []ecstypes.Cluster{{ClusterName: sp("demo-cluster"), ClusterArn: sp(clusterARN), Status: sp("ACTIVE"),
		RunningTasksCount: 1, ActiveServicesCount: 1}}
	s.Services = []ecstypes.Service{{ServiceName: sp("demo-web"), ServiceArn: sp(serviceARN), ClusterArn: sp(clusterARN),
		Status: sp("ACTIVE"), LaunchType: ecstypes.LaunchTypeFargate, PlatformVersion: sp("1.4.0"),
		TaskDefinition: sp(taskDefARN), DesiredCount: 1, RunningCount: 1,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets: []string{subPrivA, subPrivB}, SecurityGroups: []string{taskSG}, AssignPublicIp: ecstypes.AssignPublicIpDisabled}}}}
	s.Tasks = []ecstypes.Task{runningTask(taskARN, created)}
	return s
}

// runningTask is a RUNNING Fargate task of demo-web in demo-private-a.
func runningTask(arn string, created time.Time) ecstypes.Task {
	return ecstypes.Task{TaskArn: sp(arn), ClusterArn: sp(clusterARN), TaskDefinitionArn: sp(taskDefARN),
		LastStatus: sp("RUNNING"), DesiredStatus: sp("RUNNING"), LaunchType: ecstypes.LaunchTypeFargate,
		Cpu: sp("256"), Memory: sp("512"), Group: sp("service:demo-web"), CreatedAt: aws.Time(created),
		AvailabilityZone: sp("us-east-1a"), PlatformVersion: sp("1.4.0"),
		Attachments: []ecstypes.Attachment{{Id: sp("att-1"), Type: sp("ElasticNetworkInterface"), Status: sp("ATTACHED"),
			Details: []ecstypes.KeyValuePair{
				{Name: sp("subnetId"), Value: sp(subPrivA)},
				{Name: sp("networkInterfaceId"), Value: sp(taskENI)},
				{Name: sp("macAddress"), Value: sp("0a:1b:2c:3d:4e:5f")},
				{Name: sp("privateIPv4Address"), Value: sp("10.0.10.25")},
			}}}}
}

// item returns a pointer into xs to the element match accepts, so a case
// can mutate it in place; a missing element is a broken test.
func item[T any](xs []T, match func(*T) bool) *T {
	for i := range xs {
		if match(&xs[i]) {
			return &xs[i]
		}
	}
	panic("test snapshot: no such element")
}

func rtb(s *account.Snapshot, id string) *ec2types.RouteTable {
	return item(s.RouteTables, func(x *ec2types.RouteTable) bool { return aws.ToString(x.RouteTableId) == id })
}

// setDefault replaces the table's 0.0.0.0/0 route (or adds it).
func setDefault(s *account.Snapshot, table string, r ec2types.Route) {
	t := rtb(s, table)
	for i := range t.Routes {
		if aws.ToString(t.Routes[i].DestinationCidrBlock) == "0.0.0.0/0" {
			t.Routes[i] = r
			return
		}
	}
	t.Routes = append(t.Routes, r)
}

func dropDefault(s *account.Snapshot, table string) {
	t := rtb(s, table)
	var keep []ec2types.Route
	for _, r := range t.Routes {
		if aws.ToString(r.DestinationCidrBlock) != "0.0.0.0/0" {
			keep = append(keep, r)
		}
	}
	t.Routes = keep
}

func natGW(s *account.Snapshot, id string) *ec2types.NatGateway {
	return item(s.NATGateways, func(x *ec2types.NatGateway) bool { return aws.ToString(x.NatGatewayId) == id })
}

func subnetOf(s *account.Snapshot, id string) *ec2types.Subnet {
	return item(s.Subnets, func(x *ec2types.Subnet) bool { return aws.ToString(x.SubnetId) == id })
}

func eipOf(s *account.Snapshot, id string) *ec2types.Address {
	return item(s.Addresses, func(x *ec2types.Address) bool { return aws.ToString(x.AllocationId) == id })
}

func endpointOf(s *account.Snapshot, id string) *ec2types.VpcEndpoint {
	return item(s.VPCEndpoints, func(x *ec2types.VpcEndpoint) bool { return aws.ToString(x.VpcEndpointId) == id })
}

func sgOf(s *account.Snapshot, id string) *ec2types.SecurityGroup {
	return item(s.SecurityGroups, func(x *ec2types.SecurityGroup) bool { return aws.ToString(x.GroupId) == id })
}

func eniOf(s *account.Snapshot, id string) *ec2types.NetworkInterface {
	return item(s.NetworkInterfaces, func(x *ec2types.NetworkInterface) bool { return aws.ToString(x.NetworkInterfaceId) == id })
}

func awsvpc(s *account.Snapshot) *ecstypes.AwsVpcConfiguration {
	return s.Services[0].NetworkConfiguration.AwsvpcConfiguration
}

// igwState sets the lab internet gateway's attachment to the lab VPC.
func igwState(st ec2types.AttachmentStatus) func(*account.Snapshot) {
	return func(s *account.Snapshot) { s.InternetGateways[0].Attachments[0].State = st }
}

// frontMatter makes the test page a valid lab page, so ParsePage reports
// nothing and any diagnostic is the check block's.
const frontMatter = `---
id: demo
title: Demo
summary: A demo.
level: beginner
duration: 5
cost:
  usd_per_hour: 0.08
  region: us-east-1
services: [VPC, ECS]
region: us-east-1
---

## Step {#s}

`

// parseBlocks parses check block bodies through content.ParsePage, as vpclab
// reads a lab, and validates each block's parameters against its kind's
// schema, as vpclab lint does.
func parseBlocks(t *testing.T, bodies ...string) []*content.CheckBlock {
	t.Helper()
	blocks := parseRaw(t, bodies...)
	for _, cb := range blocks {
		if k, ok := checks.Lookup(cb.Kind); ok {
			if ds := k.Validate(cb.Params); len(ds) > 0 {
				t.Fatalf("check %s (%s): parameters do not validate:\n%v", cb.ID, cb.Kind, ds)
			}
		}
	}
	return blocks
}

// parseRaw parses check blocks without judging their parameters.
func parseRaw(t *testing.T, bodies ...string) []*content.CheckBlock {
	t.Helper()
	var b strings.Builder
	b.WriteString(frontMatter)
	for _, body := range bodies {
		fmt.Fprintf(&b, "```check\n%s\n```\n\n", strings.TrimSpace(body))
	}
	page, ds := content.ParsePage("labs/demo/index.en.md", i18n.EN, []byte(b.String()))
	if len(ds) > 0 {
		t.Fatalf("test page does not parse:\n%v", ds)
	}
	step := page.StepByID("s")
	if step == nil || len(step.Checks) != len(bodies) {
		t.Fatalf("test page: want step s with %d check blocks, got %+v", len(bodies), step)
	}
	return step.Checks
}

// want is what a case expects of one result.
type want struct {
	status     checks.Status
	reason     string
	msg        string
	data       i18n.M   // these message data entries, compared as text
	text       []string // substrings of the English message
	res        []string // ids that must be among Resources
	notRes     []string // ids that must not be
	fix        []string // substrings of Fix, in this order
	noFix      []string // substrings Fix must not contain
	noFixAtAll bool     // Fix must be empty
}

type kindCase struct {
	name   string
	check  string // the block's YAML without id
	mutate func(s *account.Snapshot)
	want   want
}

// runKindCases judges each case's block (id c) on a fresh lab snapshot.
func runKindCases(t *testing.T, cases []kindCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap := labSnap()
			if c.mutate != nil {
				c.mutate(snap)
			}
			rs := checks.Evaluate(snap, parseBlocks(t, "id: c\n"+c.check))
			if len(rs) != 1 {
				t.Fatalf("Evaluate returned %d results, want 1", len(rs))
			}
			if rs[0].Step != "s" || rs[0].Check != "c" || rs[0].Block == nil || rs[0].Kind != rs[0].Block.Kind {
				t.Errorf("result not labelled with its step/check/kind: step=%q check=%q kind=%q", rs[0].Step, rs[0].Check, rs[0].Kind)
			}
			checkResult(t, rs[0], c.want)
			// Every plan shown is proven from outside too.
			assertProven(t, snap, rs)
		})
	}
}

var en = i18n.New(i18n.EN)

// named matches "Name (id)" as messages write resources.
var named = regexp.MustCompile(`[A-Za-z0-9._-]+ \(((?:vpc|subnet|rtb|igw|eigw|nat|eipalloc|sg|acl|vpce|eni)-[0-9a-zA-Z]+)\)`)

// checkResult asserts w of r, plus what holds for every result: the
// message exists and renders with all its placeholders filled, a pass has
// no reason and no fix, a failure has a reason, and fix commands are
// complete.
func checkResult(t *testing.T, r checks.Result, w want) {
	t.Helper()
	// A message vpclab wraps (a hint, an unproven plan, a root cause
	// elsewhere) carries the kind's own message inside.
	if r.Message.ID != w.msg && strings.HasPrefix(r.Message.ID, "Repair") {
		if inner, ok := r.Message.Data["Msg"].(i18n.Msg); ok && inner.ID == w.msg {
			text := en.T(r.Message.ID, r.Message.Data)
			if strings.Contains(text, "<no value>") {
				t.Errorf("wrapped message renders with a missing placeholder: %s", text)
			}
			r.Message = inner
		}
	}
	if r.Status != w.status || r.Reason != w.reason || r.Message.ID != w.msg {
		t.Fatalf("got %s %q %s, want %s %q %s\n  data: %v\n  fix: %s\n  resources: %v",
			r.Status, r.Reason, r.Message.ID, w.status, w.reason, w.msg, r.Message.Data, r.Fix, r.Resources)
	}
	if !i18n.Has(i18n.EN, r.Message.ID) {
		t.Errorf("message %s is not in the English catalog", r.Message.ID)
	}
	text := en.T(r.Message.ID, r.Message.Data)
	if strings.Contains(text, "<no value>") || strings.HasPrefix(text, "[") {
		t.Errorf("message renders with a missing placeholder: %s (data %v)", text, r.Message.Data)
	}
	for k, v := range w.data {
		got, ok := r.Message.Data[k]
		// Messages name resources "Name (id)"; the cases name the ids.
		if ok && fmt.Sprint(v) != fmt.Sprint(got) {
			got = named.ReplaceAllString(fmt.Sprint(got), "$1")
		}
		if !ok || fmt.Sprint(got) != fmt.Sprint(v) {
			t.Errorf("message data %s = %v, want %v (all: %v)", k, got, v, r.Message.Data)
		}
	}
	for _, s := range w.text {
		if !strings.Contains(text, s) && !strings.Contains(named.ReplaceAllString(text, "$1"), s) {
			t.Errorf("message %q does not contain %q", text, s)
		}
	}
	for _, id := range w.res {
		if !contains(r.Resources, id) {
			t.Errorf("resources %v do not include %s", r.Resources, id)
		}
	}
	for _, id := range w.notRes {
		if contains(r.Resources, id) {
			t.Errorf("resources %v include %s", r.Resources, id)
		}
	}
	rest := r.Fix
	for _, s := range w.fix {
		i := strings.Index(rest, s)
		if i < 0 {
			t.Errorf("fix does not contain %q (in order):\n%s", s, r.Fix)
			break
		}
		rest = rest[i+len(s):]
	}
	for _, s := range w.noFix {
		if strings.Contains(r.Fix, s) {
			t.Errorf("fix contains %q:\n%s", s, r.Fix)
		}
	}
	if w.noFixAtAll && r.Fix != "" {
		t.Errorf("want no fix, got:\n%s", r.Fix)
	}
	if strings.Contains(r.Fix, "%!") || strings.Contains(r.Fix, "<no value>") {
		t.Errorf("fix is malformed:\n%s", r.Fix)
	}
	switch r.Status {
	case checks.Pass:
		if r.Reason != "" || r.Fix != "" {
			t.Errorf("a pass has reason %q and fix %q", r.Reason, r.Fix)
		}
	case checks.Fail, checks.Warn, checks.Error:
		if r.Reason == "" {
			t.Errorf("a %s has no reason code", r.Status)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func lines(s ...string) string { return strings.Join(s, "\n") }
