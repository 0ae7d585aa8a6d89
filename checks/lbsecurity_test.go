package checks_test

import (
	"testing"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
)

// The load balancer's side of the path to its targets, on hand-built
// snapshots (moto's security groups are real, but the cases need states a
// lab never builds).

const defaultSG = "sg-0default"

func albEgressOpen(s *account.Snapshot) {
	alb := item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == albSG })
	alb.IpPermissionsEgress = []ec2types.IpPermission{{IpProtocol: sp("-1"), IpRanges: []ec2types.IpRange{{CidrIp: sp("0.0.0.0/0")}}}}
	s.SecurityGroups = append(s.SecurityGroups, ec2types.SecurityGroup{GroupId: sp(defaultSG), GroupName: sp("default"), VpcId: sp(vpcID),
		IpPermissions:       []ec2types.IpPermission{tcpFromGroup(0, defaultSG)},
		IpPermissionsEgress: []ec2types.IpPermission{{IpProtocol: sp("-1"), IpRanges: []ec2types.IpRange{{CidrIp: sp("0.0.0.0/0")}}}}})
}

func TestLoadBalancerSecurity(t *testing.T) {
	own := "kind: load-balancer-security\nname: demo-alb\ngroup: demo-alb-sg\nport: 80"
	targets := own + "\ntargets: demo-task-sg"
	cases := []struct {
		name   string
		check  string
		mutate func(*account.Snapshot)
		want   want
	}{
		{"its own group, egress into the VPC", own, nil,
			want{status: checks.Pass, msg: "CheckLBSecurityPass", res: []string{albARN}}},
		{"toward the task group, which admits it", targets, nil,
			want{status: checks.Pass, msg: "CheckLBSecurityPass", text: []string{taskSG}}},
		{"the VPC's default group instead of its own", own, func(s *account.Snapshot) { s.LoadBalancers[0].SecurityGroups = []string{defaultSG} },
			want{status: checks.Fail, reason: "LB_GROUP_MISSING", msg: "CheckLBGroupMissing",
				fix: []string{"aws elbv2 set-security-groups --load-balancer-arn " + albARN + " --security-groups " + albSG + " "}, noFix: []string{defaultSG}}},
		{"another group of its own is kept", own, func(s *account.Snapshot) { s.LoadBalancers[0].SecurityGroups = []string{vpceSG} },
			want{status: checks.Fail, reason: "LB_GROUP_MISSING", msg: "CheckLBGroupMissing", fix: []string{"--security-groups " + vpceSG + " " + albSG}}},
		{"no egress at all", own, func(s *account.Snapshot) {
			item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == albSG }).IpPermissionsEgress = nil
		}, want{status: checks.Fail, reason: "LB_EGRESS_BLOCKED", msg: "CheckLBEgressBlocked",
			fix: []string{"aws ec2 authorize-security-group-egress --group-id " + albSG + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"IpRanges":[{"CidrIp":"` + vpcCIDR + `"}]}]'`}}},
		{"egress on 443 only", targets, func(s *account.Snapshot) {
			item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == albSG }).IpPermissionsEgress = []ec2types.IpPermission{tcpFrom(443, "0.0.0.0/0")}
		}, want{status: checks.Fail, reason: "LB_EGRESS_BLOCKED", msg: "CheckLBEgressBlocked",
			fix: []string{"aws ec2 authorize-security-group-egress --group-id " + albSG + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"UserIdGroupPairs":[{"GroupId":"` + taskSG + `"}]}]'`}}},
		{"egress to another network only", own, func(s *account.Snapshot) {
			item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == albSG }).IpPermissionsEgress = []ec2types.IpPermission{tcpFrom(80, "192.168.0.0/16")}
		}, want{status: checks.Fail, reason: "LB_EGRESS_BLOCKED", msg: "CheckLBEgressBlocked"}},
		{"the task group does not admit it", targets, func(s *account.Snapshot) { taskGroup(s).IpPermissions = nil },
			want{status: checks.Fail, reason: "SG_SOURCE_MISSING", msg: "CheckLBTargetsClosed",
				fix: []string{"aws ec2 authorize-security-group-ingress --group-id " + taskSG + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"UserIdGroupPairs":[{"GroupId":"` + albSG + `"}]}]'`}}},
		{"the load balancer is missing", own, func(s *account.Snapshot) { s.LoadBalancers = nil },
			want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFoundNamed", noFixAtAll: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := albSnap()
			albEgressOpen(s)
			if c.mutate != nil {
				c.mutate(s)
			}
			rs := checks.Evaluate(s, parseBlocks(t, "id: c\n"+c.check))
			checkResult(t, rs[0], c.want)
		})
	}
}

func TestSGEgressIntoVPC(t *testing.T) {
	check := "kind: security-group-egress\ngroup: demo-alb-sg\nvpc: demo-vpc\nport: 80\nto: vpc"
	cases := []struct {
		name   string
		egress []ec2types.IpPermission
		want   want
	}{
		{"all traffic", []ec2types.IpPermission{{IpProtocol: sp("-1"), IpRanges: []ec2types.IpRange{{CidrIp: sp("0.0.0.0/0")}}}},
			want{status: checks.Pass, msg: "CheckSGVPCPass"}},
		{"port 80 to a group", []ec2types.IpPermission{tcpFromGroup(80, taskSG)}, want{status: checks.Pass, msg: "CheckSGVPCPass"}},
		{"nothing", nil, want{status: checks.Fail, reason: "SG_EGRESS_BLOCKED", msg: "CheckSGVPCBlocked",
			fix: []string{"aws ec2 authorize-security-group-egress --group-id " + albSG + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"IpRanges":[{"CidrIp":"` + vpcCIDR + `"}]}]'`}}},
		{"port 443 only", []ec2types.IpPermission{tcpFrom(443, "0.0.0.0/0")}, want{status: checks.Fail, reason: "SG_EGRESS_BLOCKED", msg: "CheckSGVPCBlocked"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := albSnap()
			albEgressOpen(s)
			item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == albSG }).IpPermissionsEgress = c.egress
			rs := checks.Evaluate(s, parseBlocks(t, "id: c\n"+check))
			checkResult(t, rs[0], c.want)
		})
	}
}

// A task run in a public subnet: the printed fix stops it and runs it
// again in the private subnets, and the proof sees the group's exposure
// check pass too (a stopped task's interface is no workload), so that
// check points to the task check instead of printing nothing.
func TestTaskMovedToPrivateSubnets(t *testing.T) {
	s := albSnap()
	albEgressOpen(s)
	s.Tasks[0].Attachments[0].Details[0].Value = sp(subPubA)
	eniOf(s, taskENI).SubnetId = sp(subPubA)
	eniOf(s, taskENI).Association = &ec2types.NetworkInterfaceAssociation{PublicIp: sp("198.51.100.9")}
	blocks := parseBlocks(t, "id: task\nkind: ecs-task\ncluster: demo-cluster\nfamily: demo-web",
		"id: exposed\nkind: exposure\ngroup: demo-task-sg\nvpc: demo-vpc\nexcept:\n  load_balancer: demo-alb\n  port: 80")
	rs := checks.Evaluate(s, blocks)
	checkResult(t, rs[0], want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckTaskPublicSubnet",
		fix: []string{"aws ecs stop-task --cluster demo-cluster --task " + taskARN, "aws ecs run-task", "subnets=[" + subPrivA}})
	if rs[1].OK() {
		t.Fatalf("the exposure check passes with the task in the public subnet: %+v", rs[1])
	}
	if rs[1].RootCause != "task" {
		t.Fatalf("exposure points to %q, want the task check", rs[1].RootCause)
	}
}
