package checks_test

// The exposure kind on hand-built snapshots: moto cannot put a public IP
// on a task, start a service's tasks or report target health the way AWS
// does, so every way in is built here from SDK types; the sandbox test in
// internal/checkrun covers what moto can.

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
)

const (
	albARN  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/demo-alb/50dc6c495c0c9188"
	albSG   = "sg-0alb"
	tgARN   = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-tg/73e2d6bc24d8a067"
	lis80   = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"
	lis8080 = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo-alb/50dc6c495c0c9188/0000000000008080"
)

func tcpFrom(port int32, cidr string) ec2types.IpPermission {
	return ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), IpRanges: []ec2types.IpRange{{CidrIp: sp(cidr)}}}
}

func tcpFromGroup(port int32, group string) ec2types.IpPermission {
	return ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp(group)}}}
}

func listener(arn string, port int32) elbtypes.Listener {
	return elbtypes.Listener{ListenerArn: sp(arn), LoadBalancerArn: sp(albARN), Port: aws.Int32(port), Protocol: elbtypes.ProtocolEnumHttp,
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: sp(tgARN)}}}
}

// albSnap is the lab with the one-way-egress front door: an internet-facing
// ALB in the public subnet whose group admits port 80 from anywhere, a
// listener on 80 forwarding to an IP target group, the service registering
// its tasks there, and the task group admitting port 80 from the ALB's
// group only.
func albSnap() *account.Snapshot {
	s := labSnap()
	s.SecurityGroups = append(s.SecurityGroups, ec2types.SecurityGroup{GroupId: sp(albSG), GroupName: sp("demo-alb-sg"), VpcId: sp(vpcID),
		Tags: nameTag("demo-alb-sg"), IpPermissions: []ec2types.IpPermission{tcpFrom(80, "0.0.0.0/0")}})
	task := item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == taskSG })
	task.IpPermissions = []ec2types.IpPermission{tcpFromGroup(80, albSG)}
	s.LoadBalancers = []elbtypes.LoadBalancer{{LoadBalancerArn: sp(albARN), LoadBalancerName: sp("demo-alb"), VpcId: sp(vpcID),
		Scheme: elbtypes.LoadBalancerSchemeEnumInternetFacing, Type: elbtypes.LoadBalancerTypeEnumApplication,
		State: &elbtypes.LoadBalancerState{Code: elbtypes.LoadBalancerStateEnumActive}, SecurityGroups: []string{albSG},
		AvailabilityZones: []elbtypes.AvailabilityZone{{SubnetId: sp(subPubA), ZoneName: sp("us-east-1a")}}}}
	s.Listeners = []elbtypes.Listener{listener(lis80, 80)}
	s.TargetGroups = []elbtypes.TargetGroup{{TargetGroupArn: sp(tgARN), TargetGroupName: sp("demo-tg"), Port: aws.Int32(80),
		Protocol: elbtypes.ProtocolEnumHttp, TargetType: elbtypes.TargetTypeEnumIp, VpcId: sp(vpcID), LoadBalancerArns: []string{albARN}}}
	s.Targets = map[string][]elbtypes.TargetHealthDescription{tgARN: {{Target: &elbtypes.TargetDescription{Id: sp("10.0.10.25"), Port: aws.Int32(80)}}}}
	s.Services[0].LoadBalancers = []ecstypes.LoadBalancer{{TargetGroupArn: sp(tgARN), ContainerName: sp("web"), ContainerPort: aws.Int32(80)}}
	return s
}

const serviceExposure = "kind: exposure\ncluster: demo-cluster\nservice: demo-web\nexcept:\n  load_balancer: demo-alb\n  port: 80"

func taskGroup(s *account.Snapshot) *ec2types.SecurityGroup {
	return item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == taskSG })
}

// publicTask puts the service and its task in the public subnet with a
// public IP.
func publicTask(s *account.Snapshot) {
	cfg := s.Services[0].NetworkConfiguration.AwsvpcConfiguration
	cfg.Subnets, cfg.AssignPublicIp = []string{subPubA}, ecstypes.AssignPublicIpEnabled
	eni := item(s.NetworkInterfaces, func(n *ec2types.NetworkInterface) bool { return *n.NetworkInterfaceId == taskENI })
	eni.SubnetId = sp(subPubA)
	eni.Association = &ec2types.NetworkInterfaceAssociation{PublicIp: sp("198.51.100.7")}
}

func TestExposure(t *testing.T) {
	revoke80 := `aws ec2 revoke-security-group-ingress --group-id ` + taskSG + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`
	cases := []struct {
		name   string
		check  string
		mutate func(*account.Snapshot)
		want   want
	}{
		{"only the ALB on 80", serviceExposure, nil,
			want{status: checks.Pass, msg: "CheckExposurePassVia", text: []string{"demo-alb on port 80"}}},
		{"nothing at all without the exception", "kind: exposure\ncluster: demo-cluster\nservice: demo-web", func(s *account.Snapshot) {
			s.Listeners = nil
		}, want{status: checks.Pass, msg: "CheckExposurePassNone"}},
		{"ALB path without exception is an exposure", "kind: exposure\ncluster: demo-cluster\nservice: demo-web", nil,
			want{status: checks.Fail, reason: "LB_NOT_ALLOWED", msg: "CheckExposureLB", res: []string{albARN}}},
		{"task group open to the IPv4 internet, private task", serviceExposure, func(s *account.Snapshot) {
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, tcpFrom(80, "0.0.0.0/0"))
		}, want{status: checks.Fail, reason: "SG_OPEN_TO_INTERNET", msg: "CheckExposureSGOpen", res: []string{taskSG},
			text: []string{"0.0.0.0/0", "has no public address"}, fix: []string{revoke80}}},
		{"a home address is the internet too", serviceExposure, func(s *account.Snapshot) {
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, tcpFrom(22, "203.0.113.5/32"))
		}, want{status: checks.Fail, reason: "SG_OPEN_TO_INTERNET", msg: "CheckExposureSGOpen", text: []string{"203.0.113.5/32", "port 22"}}},
		{"a VPC range is not", serviceExposure, func(s *account.Snapshot) {
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, tcpFrom(22, "10.0.0.0/16"))
		}, want{status: checks.Pass, msg: "CheckExposurePassVia"}},
		{"IPv6 internet on every port", serviceExposure, func(s *account.Snapshot) {
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, ec2types.IpPermission{IpProtocol: sp("-1"), Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: sp("::/0")}}})
		}, want{status: checks.Fail, reason: "SG_OPEN_TO_INTERNET", msg: "CheckExposureSGOpen", text: []string{"::/0", "port all"},
			fix: []string{`--ip-permissions '[{"IpProtocol":"-1","Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'`}}},
		{"a prefix list", serviceExposure, func(s *account.Snapshot) {
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				PrefixListIds: []ec2types.PrefixListId{{PrefixListId: sp("pl-0custom")}}})
		}, want{status: checks.Fail, reason: "SG_PREFIX_LIST_OPEN", msg: "CheckExposurePrefixList", text: []string{"pl-0custom"},
			fix: []string{`"PrefixListIds":[{"PrefixListId":"pl-0custom"}]`}}},
		{"the S3 prefix list is no client", serviceExposure, func(s *account.Snapshot) {
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				PrefixListIds: []ec2types.PrefixListId{{PrefixListId: sp(s3PL)}}})
		}, want{status: checks.Pass, msg: "CheckExposurePassVia"}},
		{"the task group trusts the ALB on every port", serviceExposure, func(s *account.Snapshot) {
			taskGroup(s).IpPermissions = []ec2types.IpPermission{{IpProtocol: sp("-1"), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp(albSG)}}}}
		}, want{status: checks.Fail, reason: "SG_SOURCE_GROUP_TOO_WIDE", msg: "CheckExposureSourceWide", res: []string{taskSG},
			fix: []string{"aws ec2 authorize-security-group-ingress --group-id " + taskSG + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"UserIdGroupPairs":[{"GroupId":"` + albSG + `"}]}]'`,
				`aws ec2 revoke-security-group-ingress --group-id ` + taskSG + ` --ip-permissions '[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"` + albSG + `"}]}]'`}}},
		{"the ALB reaches the task only through the open rule", serviceExposure, func(s *account.Snapshot) {
			// Revoking the rule alone would cut the allowed path: the plan
			// admits the ALB's group first.
			taskGroup(s).IpPermissions = []ec2types.IpPermission{tcpFrom(80, "0.0.0.0/0")}
		}, want{status: checks.Fail, reason: "SG_OPEN_TO_INTERNET", msg: "CheckExposureSGOpen", res: []string{taskSG},
			fix: []string{"aws ec2 authorize-security-group-ingress --group-id " + taskSG + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"UserIdGroupPairs":[{"GroupId":"` + albSG + `"}]}]'`,
				revoke80}}},
		{"a listener on another port", serviceExposure, func(s *account.Snapshot) {
			s.Listeners = append(s.Listeners, listener(lis8080, 8080))
			item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == albSG }).IpPermissions = append(
				item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == albSG }).IpPermissions, tcpFrom(8080, "0.0.0.0/0"))
		}, want{status: checks.Fail, reason: "LB_LISTENER_NOT_ALLOWED", msg: "CheckExposureListener", res: []string{lis8080}, notRes: []string{lis80},
			text: []string{"port 8080"}, fix: []string{"aws elbv2 delete-listener --listener-arn " + lis8080}, noFix: []string{lis80}}},
		{"a listener rule on another port forwards to the task", serviceExposure, func(s *account.Snapshot) {
			l := listener(lis8080, 8080)
			l.DefaultActions = []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse}}
			s.Listeners = append(s.Listeners, l)
			s.Rules = map[string][]elbtypes.Rule{lis8080: {{RuleArn: sp(lis8080 + "/rule/1"), Priority: sp("10"),
				Actions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: sp(tgARN)}}}}}
			alb := item(s.SecurityGroups, func(g *ec2types.SecurityGroup) bool { return *g.GroupId == albSG })
			alb.IpPermissions = append(alb.IpPermissions, tcpFrom(8080, "0.0.0.0/0"))
		}, want{status: checks.Fail, reason: "LB_LISTENER_NOT_ALLOWED", msg: "CheckExposureListener", res: []string{lis8080}}},
		{"a listener the ALB's group does not open is no way in", serviceExposure, func(s *account.Snapshot) {
			s.Listeners = append(s.Listeners, listener(lis8080, 8080))
		}, want{status: checks.Pass, msg: "CheckExposurePassVia"}},
		{"public IP in a public subnet with an open group", serviceExposure, func(s *account.Snapshot) {
			publicTask(s)
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, tcpFrom(80, "0.0.0.0/0"))
		}, want{status: checks.Fail, reason: "INTERNET_REACHES_DIRECTLY", msg: "CheckExposureDirect", res: []string{taskSG, taskENI, subPubA},
			fix: []string{revoke80, "aws ecs update-service --cluster demo-cluster --service demo-web --network-configuration 'awsvpcConfiguration={subnets=[" + subPrivA + "," + subPrivB + "],securityGroups=[" + taskSG + "],assignPublicIp=DISABLED}'"}}},
		{"public IP in a public subnet, groups closed", serviceExposure, publicTask,
			want{status: checks.Fail, reason: "PUBLIC_IP_ASSIGNED", msg: "CheckExposurePublicIP", text: []string{"198.51.100.7"},
				fix: []string{"aws ecs update-service --cluster demo-cluster --service demo-web"}}},
		{"a network ACL stops the direct path but the group is still open", serviceExposure, func(s *account.Snapshot) {
			publicTask(s)
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, tcpFrom(80, "0.0.0.0/0"))
			s.NetworkACLs = append(s.NetworkACLs, ec2types.NetworkAcl{NetworkAclId: sp("acl-0pub"), VpcId: sp(vpcID),
				Associations: []ec2types.NetworkAclAssociation{{SubnetId: sp(subPubA)}},
				Entries: []ec2types.NetworkAclEntry{
					{RuleNumber: aws.Int32(100), Protocol: sp("-1"), RuleAction: ec2types.RuleActionDeny, Egress: aws.Bool(false), CidrBlock: sp("0.0.0.0/0")},
					{RuleNumber: aws.Int32(100), Protocol: sp("-1"), RuleAction: ec2types.RuleActionAllow, Egress: aws.Bool(true), CidrBlock: sp("0.0.0.0/0")}}})
		}, want{status: checks.Fail, reason: "SG_OPEN_TO_INTERNET", msg: "CheckExposureSGOpen", text: []string{"network ACL acl-0pub drops"}, fix: []string{revoke80}}},
		{"IPv6 from a subnet that gives every task an address", serviceExposure, func(s *account.Snapshot) {
			// the service's tasks have not started: judged on its configuration
			s.Tasks = nil
			sn := item(s.Subnets, func(x *ec2types.Subnet) bool { return *x.SubnetId == subPrivA })
			sn.AssignIpv6AddressOnCreation = aws.Bool(true)
			rtb(s, rtbPriv).Routes = append(rtb(s, rtbPriv).Routes, ec2types.Route{DestinationIpv6CidrBlock: sp("::/0"), GatewayId: sp(igwID), State: ec2types.RouteStateActive})
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: sp("::/0")}}})
			// the default ACL of a VPC with IPv6 admits ::/0 both ways
			for _, egress := range []bool{false, true} {
				s.NetworkACLs[0].Entries = append(s.NetworkACLs[0].Entries, ec2types.NetworkAclEntry{RuleNumber: aws.Int32(101), Protocol: sp("-1"),
					RuleAction: ec2types.RuleActionAllow, Egress: aws.Bool(egress), Ipv6CidrBlock: sp("::/0")})
			}
		}, want{status: checks.Fail, reason: "INTERNET_REACHES_DIRECTLY", msg: "CheckExposureDirect", text: []string{"::/0", subPrivA}}},
		{"another load balancer", serviceExposure, func(s *account.Snapshot) {
			lb := s.LoadBalancers[0]
			lb.LoadBalancerArn, lb.LoadBalancerName = sp(albARN+"x"), sp("other-alb")
			s.LoadBalancers = append(s.LoadBalancers, lb)
			l := listener(lis80+"x", 80)
			l.LoadBalancerArn = lb.LoadBalancerArn
			s.Listeners = append(s.Listeners, l)
		}, want{status: checks.Fail, reason: "LB_NOT_ALLOWED", msg: "CheckExposureLB", text: []string{"other-alb"}}},
		// Targets the service does not register itself: an EC2 instance
		// in the task group registered as an instance target, or one of
		// the task interface's secondary addresses as an IP target.
		{"an instance target behind another load balancer", "kind: exposure\ngroup: demo-task-sg\nvpc: demo-vpc\nexcept:\n  load_balancer: demo-alb\n  port: 80", func(s *account.Snapshot) {
			s.NetworkInterfaces = append(s.NetworkInterfaces, ec2types.NetworkInterface{NetworkInterfaceId: sp("eni-0web"), SubnetId: sp(subPrivA), VpcId: sp(vpcID),
				InterfaceType: ec2types.NetworkInterfaceTypeInterface, PrivateIpAddress: sp("10.0.10.40"), Groups: []ec2types.GroupIdentifier{{GroupId: sp(taskSG)}},
				Attachment: &ec2types.NetworkInterfaceAttachment{InstanceId: sp("i-0web")}})
			otherAt(s, elbtypes.TargetTypeEnumInstance, "i-0web")
		}, want{status: checks.Fail, reason: "LB_NOT_ALLOWED", msg: "CheckExposureLB", text: []string{"other-alb", "eni-0web"}, res: []string{albARN + "x"}}},
		{"an instance target of another instance is none of the group's", "kind: exposure\ngroup: demo-task-sg\nvpc: demo-vpc\nexcept:\n  load_balancer: demo-alb\n  port: 80", func(s *account.Snapshot) {
			otherAt(s, elbtypes.TargetTypeEnumInstance, "i-0elsewhere")
		}, want{status: checks.Pass, msg: "CheckExposurePassVia"}},
		{"a secondary address of the task's interface as an IP target", serviceExposure, func(s *account.Snapshot) {
			eni := item(s.NetworkInterfaces, func(n *ec2types.NetworkInterface) bool { return *n.NetworkInterfaceId == taskENI })
			eni.PrivateIpAddresses = []ec2types.NetworkInterfacePrivateIpAddress{{PrivateIpAddress: sp("10.0.10.25"), Primary: aws.Bool(true)},
				{PrivateIpAddress: sp("10.0.10.26"), Primary: aws.Bool(false)}}
			otherAt(s, elbtypes.TargetTypeEnumIp, "10.0.10.26")
		}, want{status: checks.Fail, reason: "LB_NOT_ALLOWED", msg: "CheckExposureLB", text: []string{"other-alb"}}},
		{"a public IP on a secondary address in a public subnet", serviceExposure, func(s *account.Snapshot) {
			publicTask(s)
			eni := item(s.NetworkInterfaces, func(n *ec2types.NetworkInterface) bool { return *n.NetworkInterfaceId == taskENI })
			eni.Association = nil
			eni.PrivateIpAddresses = []ec2types.NetworkInterfacePrivateIpAddress{{PrivateIpAddress: sp("10.0.10.25"), Primary: aws.Bool(true)},
				{PrivateIpAddress: sp("10.0.10.26"), Association: &ec2types.NetworkInterfaceAssociation{PublicIp: sp("198.51.100.9")}}}
			taskGroup(s).IpPermissions = append(taskGroup(s).IpPermissions, tcpFrom(80, "0.0.0.0/0"))
		}, want{status: checks.Fail, reason: "INTERNET_REACHES_DIRECTLY", msg: "CheckExposureDirect", res: []string{taskSG, taskENI}}},
		{"a group whose members are all private", "kind: exposure\ngroup: demo-task-sg\nvpc: demo-vpc\nexcept:\n  load_balancer: demo-alb\n  port: 80", nil,
			want{status: checks.Pass, msg: "CheckExposurePassVia"}},
		{"a group open to the internet", "kind: exposure\ngroup: demo-task-sg\nvpc: demo-vpc", func(s *account.Snapshot) {
			taskGroup(s).IpPermissions = []ec2types.IpPermission{tcpFrom(80, "0.0.0.0/0")}
			s.Listeners = nil
		}, want{status: checks.Fail, reason: "SG_OPEN_TO_INTERNET", msg: "CheckExposureSGOpen", fix: []string{revoke80}}},
		{"the service is missing", "kind: exposure\ncluster: demo-cluster\nservice: nope", nil,
			want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFoundNamed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := albSnap()
			if c.mutate != nil {
				c.mutate(s)
			}
			rs := checks.Evaluate(s, parseBlocks(t, "id: c\n"+c.check))
			checkResult(t, rs[0], c.want)
		})
	}
}

// otherAt adds another internet-facing load balancer, open on port 80,
// whose target group of type typ has target id registered.
func otherAt(s *account.Snapshot, typ elbtypes.TargetTypeEnum, id string) {
	lb := s.LoadBalancers[0]
	lb.LoadBalancerArn, lb.LoadBalancerName = sp(albARN+"x"), sp("other-alb")
	s.LoadBalancers = append(s.LoadBalancers, lb)
	tg := s.TargetGroups[0]
	tg.TargetGroupArn, tg.TargetGroupName, tg.TargetType, tg.LoadBalancerArns = sp(tgARN+"x"), sp("other-tg"), typ, []string{albARN + "x"}
	s.TargetGroups = append(s.TargetGroups, tg)
	s.Targets[tgARN+"x"] = []elbtypes.TargetHealthDescription{{Target: &elbtypes.TargetDescription{Id: sp(id), Port: aws.Int32(80)}}}
	l := listener(lis80+"x", 80)
	l.LoadBalancerArn = lb.LoadBalancerArn
	l.DefaultActions = []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}
	s.Listeners = append(s.Listeners, l)
}
