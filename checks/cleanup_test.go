package checks_test

import (
	"fmt"
	"strings"
	"testing"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/i18n"
)

// cleaned removes what bills from the lab snapshot: the NAT gateway is
// deleted (its record stays, as DescribeNatGateways shows it for about an
// hour), the Elastic IP released, the interface endpoint deleted, the task
// stopped.
func cleaned(s *account.Snapshot) {
	natGW(s, natID).State = ec2types.NatGatewayStateDeleted
	s.Addresses = nil
	s.VPCEndpoints = s.VPCEndpoints[:1] // the free S3 gateway endpoint stays
	s.Tasks[0].LastStatus = sp("STOPPED")
}

func TestCleanup(t *testing.T) {
	p, known := billing.For(region)
	if !known {
		t.Fatalf("billing has no prices for %s", region)
	}
	task := 256.0/1024*p.FargateVCPUHour + 512.0/1024*p.FargateGBHour
	total := p.NATGatewayHour + p.PublicIPv4Hour + 2*p.InterfaceEndpointAZHour + task
	byVPC := lines("kind: cleanup", "vpc: demo-vpc", "cluster: demo-cluster")
	runKindCases(t, []kindCase{
		{name: "nothing left", check: byVPC, mutate: cleaned,
			want: want{status: checks.Pass, msg: "CheckCleanupPass", notRes: []string{natID, allocID, ecrEP, taskARN, s3EP}}},
		{name: "the running lab is left", check: byVPC,
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft",
				res: []string{natID, allocID, ecrEP, taskARN}, notRes: []string{s3EP},
				data: i18n.M{"Count": 4, "Hourly": fmt.Sprintf("%.3f", total), "Monthly": fmt.Sprintf("%.2f", total*billing.HoursPerMonth)},
				text: []string{
					fmt.Sprintf("NAT gateway %s ($%.3f/h)", natID, p.NATGatewayHour),
					fmt.Sprintf("public IPv4 address %s ($%.3f/h)", allocID, p.PublicIPv4Hour),
					fmt.Sprintf("interface endpoint %s ($%.3f/h)", ecrEP, 2*p.InterfaceEndpointAZHour),
					fmt.Sprintf("Fargate task 0f1e2d3c4b5a ($%.3f/h)", task),
				},
				fix: []string{ // the NAT gateway first: deleting it frees its Elastic IP
					"aws ec2 delete-nat-gateway --nat-gateway-id " + natID,
					"aws ec2 wait nat-gateway-deleted --nat-gateway-ids " + natID,
					"aws ec2 delete-vpc-endpoints --vpc-endpoint-ids " + ecrEP,
					"aws ecs update-service --cluster demo-cluster --service demo-web --desired-count 0",
					"aws ec2 release-address --allocation-id " + allocID,
				}}},
		// network: a lab that builds nothing billable (first-vpc) must
		// still be undone: its VPC left is a failing clean-up, whose fix
		// deletes the subnets before the VPC, as AWS requires.
		{name: "network: the empty VPC is left", check: lines("kind: cleanup", "vpc: demo-vpc", "network: true"), mutate: bareVPC,
			want: want{status: checks.Fail, reason: "LAB_NETWORK_LEFT", msg: "CheckCleanupNetworkLeft", res: []string{vpcID},
				text: []string{"demo-vpc (" + vpcID + ") still exists"},
				fix:  []string{"aws ec2 delete-subnet --subnet-id ", "aws ec2 delete-vpc --vpc-id " + vpcID}}},
		{name: "network: the VPC is gone", check: lines("kind: cleanup", "vpc: demo-vpc", "network: true"),
			mutate: func(s *account.Snapshot) { bareVPC(s); s.VPCs = s.VPCs[:0]; s.Subnets = nil },
			want:   want{status: checks.Pass, msg: "CheckCleanupPass"}},
		// What bills is said first; a fix is shown only if deleting it and
		// then the network is proven to pass (here the endpoints'
		// interfaces stay in the model, so vpclab explains instead).
		{name: "network: what bills is said first", check: lines("kind: cleanup", "vpc: demo-vpc", "network: true"),
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft", res: []string{natID}}},
		{name: "a deleted NAT gateway is not counted", check: byVPC,
			mutate: func(s *account.Snapshot) { cleaned(s); s.Tasks[0].LastStatus = sp("RUNNING") },
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft",
				res: []string{taskARN}, notRes: []string{natID}, data: i18n.M{"Count": 1}, noFix: []string{"delete-nat-gateway"}}},
		{name: "a failed NAT gateway is not counted", check: byVPC,
			mutate: func(s *account.Snapshot) {
				cleaned(s)
				natGW(s, natID).State = ec2types.NatGatewayStateFailed
				s.Tasks[0].LastStatus = sp("PROVISIONING")
			},
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft",
				res: []string{taskARN}, notRes: []string{natID}, data: i18n.M{"Count": 1}}},
		{name: "a pending NAT gateway is counted", check: byVPC,
			mutate: func(s *account.Snapshot) {
				cleaned(s)
				natGW(s, natID).State = ec2types.NatGatewayStatePending
			},
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft",
				res: []string{natID}, data: i18n.M{"Count": 1, "Hourly": fmt.Sprintf("%.3f", p.NATGatewayHour)},
				fix: []string{"aws ec2 delete-nat-gateway --nat-gateway-id " + natID}}},
		{name: "a leftover Elastic IP with the lab prefix is counted", check: lines("kind: cleanup", "vpc: demo-vpc", "prefix: demo-"),
			mutate: func(s *account.Snapshot) {
				cleaned(s)
				s.Addresses = []ec2types.Address{{AllocationId: sp(allocID), PublicIp: sp(natIP), Domain: ec2types.DomainTypeVpc,
					Tags: nameTag("demo-nat-eip")}}
			},
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft",
				res: []string{allocID}, notRes: []string{natID}, data: i18n.M{"Count": 1},
				fix: []string{"aws ec2 release-address --allocation-id " + allocID}, noFix: []string{"after its NAT gateway"}}},
		{name: "by VPC: another VPC's resources are not the lab's", check: lines("kind: cleanup", "vpc: demo-vpc"),
			mutate: func(s *account.Snapshot) {
				cleaned(s)
				s.NATGateways = append(s.NATGateways, ec2types.NatGateway{NatGatewayId: sp("nat-0other"), VpcId: sp("vpc-0other"),
					State: ec2types.NatGatewayStateAvailable, Tags: nameTag("demo-nat")})
				s.VPCEndpoints = append(s.VPCEndpoints, ec2types.VpcEndpoint{VpcEndpointId: sp("vpce-0other"), VpcId: sp("vpc-0other"),
					ServiceName: sp("com.amazonaws.us-east-1.logs"), VpcEndpointType: ec2types.VpcEndpointTypeInterface, State: "available",
					SubnetIds: []string{"subnet-0x"}})
				s.VPCEndpoints = append(s.VPCEndpoints, ec2types.VpcEndpoint{VpcEndpointId: sp("vpce-0unnamed"), VpcId: sp(vpcID),
					ServiceName: sp("com.amazonaws.us-east-1.logs"), VpcEndpointType: ec2types.VpcEndpointTypeInterface, State: "available",
					SubnetIds: []string{subPrivA}})
			},
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft",
				res: []string{"vpce-0unnamed"}, notRes: []string{"nat-0other", "vpce-0other"}, data: i18n.M{"Count": 1}}},
		{name: "by prefix: names decide, VPCs do not", check: lines("kind: cleanup", "prefix: demo-"),
			mutate: func(s *account.Snapshot) {
				s.NATGateways = append(s.NATGateways,
					ec2types.NatGateway{NatGatewayId: sp("nat-0other"), VpcId: sp("vpc-0other"), State: ec2types.NatGatewayStateAvailable, Tags: nameTag("demo-nat-2")},
					ec2types.NatGateway{NatGatewayId: sp("nat-0foreign"), VpcId: sp("vpc-0other"), State: ec2types.NatGatewayStateAvailable, Tags: nameTag("prod-nat")})
			},
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft",
				// the task's cluster demo-cluster is named with the prefix: the lab's
				res: []string{natID, "nat-0other", allocID, ecrEP, taskARN}, notRes: []string{"nat-0foreign"}, data: i18n.M{"Count": 5}}},
		{name: "the default prefix is vpclab-", check: "kind: cleanup",
			want: want{status: checks.Pass, msg: "CheckCleanupPass", notRes: []string{natID}}},
		{name: "stopped and other clusters' tasks are not counted", check: lines("kind: cleanup", "cluster: demo-cluster"),
			mutate: func(s *account.Snapshot) {
				cleaned(s)
				other := runningTask("arn:aws:ecs:us-east-1:123456789012:task/lab-cluster/9999", *s.Tasks[0].CreatedAt)
				other.ClusterArn = sp("arn:aws:ecs:us-east-1:123456789012:cluster/lab-cluster")
				s.Tasks = append(s.Tasks, other)
			},
			want: want{status: checks.Pass, msg: "CheckCleanupPass"}},
	})
}

// The cleanup check and billing.Billable are one model: the hourly figure
// the check shows is the items' total.
func TestCleanupAgreesWithBilling(t *testing.T) {
	snap := labSnap()
	items := billing.Billable(snap, billing.Scope{VPCID: vpcID, Prefix: "vpclab-", Cluster: "demo-cluster"})
	rs := checks.Evaluate(snap, parseBlocks(t, lines("id: c", "kind: cleanup", "vpc: demo-vpc", "cluster: demo-cluster")))
	if len(items) != 4 || rs[0].Message.Data["Count"] != len(items) {
		t.Fatalf("billing found %d items, the check %v", len(items), rs[0].Message.Data["Count"])
	}
	if got, want := rs[0].Message.Data["Hourly"], fmt.Sprintf("%.3f", billing.Total(items)); got != want {
		t.Errorf("check says $%v/h, billing $%s/h", got, want)
	}
	if got := strings.Count(rs[0].Fix, "\n") + 1; got < len(items) {
		t.Errorf("fix has %d lines for %d items:\n%s", got, len(items), rs[0].Fix)
	}
	for i, it := range items {
		if rs[0].Resources[i] != it.ID {
			t.Errorf("resource %d is %s, billing's item %s", i, rs[0].Resources[i], it.ID)
		}
	}
}

// bareVPC leaves the lab's VPC with its subnets and nothing else: what
// first-vpc builds.
func bareVPC(s *account.Snapshot) {
	cleaned(s)
	s.NATGateways, s.VPCEndpoints, s.Tasks, s.NetworkInterfaces, s.LoadBalancers = nil, nil, nil, nil, nil
	s.InternetGateways, s.RouteTables = nil, nil
	var groups []ec2types.SecurityGroup
	for _, g := range s.SecurityGroups {
		if g.GroupName != nil && *g.GroupName == "default" {
			groups = append(groups, g)
		}
	}
	s.SecurityGroups = groups
}
