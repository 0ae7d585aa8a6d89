package checks_test

import (
	"testing"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/i18n"
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

// A task run by hand gets a load balancer's traffic only once registered
// in its target group: ecs-task with target_group says when it is not,
// and a fix that replaces a task registers the new one where the old one
// was (and removes the old address), with or without target_group.
func TestTaskRegisteredInTargetGroup(t *testing.T) {
	const check = "id: task\nkind: ecs-task\ncluster: demo-cluster\nfamily: demo-web"
	judge := func(t *testing.T, s *account.Snapshot, block string) checks.Result {
		t.Helper()
		return checks.Evaluate(s, parseBlocks(t, block))[0]
	}
	register := "aws elbv2 register-targets --target-group-arn " + tgARN + " --targets Id=10.0.10.25,Port=80"
	t.Run("registered", func(t *testing.T) {
		checkResult(t, judge(t, albSnap(), check+"\ntarget_group: demo-tg"), want{status: checks.Pass, msg: "CheckTaskPass"})
	})
	for name, mutate := range map[string]func(s *account.Snapshot){
		"not registered": func(s *account.Snapshot) { s.Targets = nil },
		"draining": func(s *account.Snapshot) {
			s.Targets[tgARN][0].TargetHealth = &elbtypes.TargetHealth{State: elbtypes.TargetHealthStateEnumDraining}
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := albSnap()
			mutate(s)
			checkResult(t, judge(t, s, check+"\ntarget_group: demo-tg"), want{status: checks.Fail, reason: "TASK_NOT_REGISTERED", msg: "CheckTaskNotRegistered",
				res: []string{taskARN, tgARN}, data: i18n.M{"IP": "10.0.10.25", "Group": "demo-tg"}, fix: []string{register}, noFix: []string{"stop-task"}})
		})
	}
	t.Run("no such target group", func(t *testing.T) {
		checkResult(t, judge(t, albSnap(), check+"\ntarget_group: demo-tgg"), want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckTaskTargetGroupNone",
			data: i18n.M{"Group": "demo-tgg"}, noFixAtAll: true})
	})
	replaced := []string{"aws ecs stop-task --cluster demo-cluster --task " + taskARN, "TASK_ARN=$(aws ecs run-task", `aws ecs wait tasks-running --cluster demo-cluster --tasks "$TASK_ARN"`,
		`TASK_IP=$(aws ecs describe-tasks --cluster demo-cluster --tasks "$TASK_ARN"`,
		`--query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value | [0]" --output text)`,
		`aws elbv2 register-targets --target-group-arn ` + tgARN + ` --targets Id="$TASK_IP",Port=80`,
		`aws elbv2 deregister-targets --target-group-arn ` + tgARN + ` --targets Id=10.0.10.25,Port=80`}
	for _, block := range []string{check, check + "\ntarget_group: demo-tg"} {
		t.Run("replaced, registered where it was: "+block[len(check):], func(t *testing.T) {
			s := albSnap()
			s.Tasks[0].Attachments[0].Details[0].Value = sp(subPubA)
			eniOf(s, taskENI).SubnetId = sp(subPubA)
			checkResult(t, judge(t, s, block), want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckTaskPublicSubnet", fix: replaced})
		})
	}
	t.Run("replaced, registered in the check's group though the old task was not", func(t *testing.T) {
		s := albSnap()
		s.Targets = nil
		s.Tasks[0].Attachments[0].Details[0].Value = sp(subPubA)
		eniOf(s, taskENI).SubnetId = sp(subPubA)
		checkResult(t, judge(t, s, check+"\ntarget_group: demo-tg"), want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckTaskPublicSubnet",
			fix: replaced[:6], noFix: []string{"deregister-targets"}})
	})
	t.Run("stopped: run again and registered where it was", func(t *testing.T) {
		s := albSnap()
		s.Tasks[0].LastStatus, s.Tasks[0].DesiredStatus, s.Tasks[0].StoppedReason = sp("STOPPED"), sp("STOPPED"), sp("Task stopped by user")
		checkResult(t, judge(t, s, check+"\ntarget_group: demo-tg"), want{status: checks.Fail, reason: "TASK_STOPPED", msg: "CheckTaskStopped",
			fix: replaced[1:], noFix: []string{"stop-task"}})
	})
	t.Run("a task no target group has is replaced without registering", func(t *testing.T) {
		s := albSnap()
		s.Targets = nil
		s.Tasks[0].Attachments[0].Details[0].Value = sp(subPubA)
		eniOf(s, taskENI).SubnetId = sp(subPubA)
		checkResult(t, judge(t, s, check), want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckTaskPublicSubnet", fix: replaced[:3], noFix: []string{"TASK_IP", "register-targets"}})
	})
}
