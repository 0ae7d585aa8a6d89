package checkrun_test

// The exposure kind against the sandbox, on the one-way-egress design in
// miniature: an internet-facing ALB in a public subnet, a listener on 80
// forwarding to an IP target group, a Fargate task in a private subnet
// registered there, its group admitting port 80 from the ALB's group only.
// Each way in that moto can build is added, judged, and taken away again.
// (A public IP on a task, which moto never assigns, is covered by the
// hand-built tests in checks/exposure_test.go.)

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

const exposureLab = "---\nid: expo-demo\ntitle: Exposure demo\nsummary: test\nlevel: beginner\nduration: 5\n" +
	"cost:\n  usd_per_hour: 0.05\n  region: us-east-1\nservices: [VPC]\nregion: us-east-1\n---\n\n" +
	"## Task {#task}\n\n" +
	"```check\nid: task\nkind: exposure\ncluster: demo\nfamily: demo-app\nexcept:\n  load_balancer: demo-alb\n  port: 80\n```\n\n" +
	"```check\nid: group\nkind: exposure\ngroup: demo-task-sg\nvpc: demo-vpc\nexcept:\n  load_balancer: demo-alb\n  port: 80\n```\n"

type front struct {
	vpc, public, private, albSG, taskSG, alb, tg, listener string
}

func buildFrontDoor(t *testing.T, cfg aws.Config) front {
	t.Helper()
	ctx := context.Background()
	c := ec2.NewFromConfig(cfg)
	var f front
	f.vpc = *must(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tag(ec2types.ResourceTypeVpc, "demo-vpc")})).Vpc.VpcId
	must(c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: &f.vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	igw := *must(c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})).InternetGateway.InternetGatewayId
	must(c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &f.vpc}))
	sub := func(cidr, az string) string {
		return *must(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &f.vpc, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az)})).Subnet.SubnetId
	}
	f.public, f.private = sub("10.0.0.0/24", "us-east-1a"), sub("10.0.10.0/24", "us-east-1a")
	publicB := sub("10.0.1.0/24", "us-east-1b")
	rt := *must(c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &f.vpc})).RouteTable.RouteTableId
	for _, s := range []string{f.public, publicB} {
		must(c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &rt, SubnetId: aws.String(s)}))
	}
	must(c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &rt, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw}))
	group := func(name string) string {
		return *must(c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: &f.vpc})).GroupId
	}
	f.albSG, f.taskSG = group("demo-alb-sg"), group("demo-task-sg")
	must(c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &f.albSG, IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(80), ToPort: aws.Int32(80), CidrIp: aws.String("0.0.0.0/0")}))
	must(c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &f.taskSG, IpPermissions: []ec2types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: &f.albSG}}}}}))

	lb := elbv2.NewFromConfig(cfg)
	f.alb = *must(lb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("demo-alb"), Scheme: elbtypes.LoadBalancerSchemeEnumInternetFacing,
		Type: elbtypes.LoadBalancerTypeEnumApplication, Subnets: []string{f.public, publicB}, SecurityGroups: []string{f.albSG}})).LoadBalancers[0].LoadBalancerArn
	f.tg = *must(lb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("demo-tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		TargetType: elbtypes.TargetTypeEnumIp, VpcId: &f.vpc})).TargetGroups[0].TargetGroupArn
	f.listener = *must(lb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: &f.alb, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &f.tg}}})).Listeners[0].ListenerArn

	e := ecs.NewFromConfig(cfg)
	must(e.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("demo")}))
	must(e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("demo-app"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("public.ecr.aws/nginx/nginx"), Memory: aws.Int32(512)}}}))
	task := must(e.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("demo-app"), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets: []string{f.private}, SecurityGroups: []string{f.taskSG}, AssignPublicIp: ecstypes.AssignPublicIpDisabled}}})).Tasks[0]
	var ip string
	for _, a := range task.Attachments {
		for _, d := range a.Details {
			if aws.ToString(d.Name) == "privateIPv4Address" {
				ip = aws.ToString(d.Value)
			}
		}
	}
	if ip == "" {
		t.Fatal("the task has no private IP")
	}
	must(lb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: &f.tg, Targets: []elbtypes.TargetDescription{{Id: &ip, Port: aws.Int32(80)}}}))
	return f
}

func TestExposureSandbox(t *testing.T) {
	cfg := sandboxtest.Config(t)
	p, ds := content.ParsePage("expo-demo/index.en.md", i18n.EN, []byte(exposureLab))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	lab := &content.Lab{ID: "expo-demo", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
	f := buildFrontDoor(t, cfg)
	ctx := context.Background()
	c := ec2.NewFromConfig(cfg)
	lb := elbv2.NewFromConfig(cfg)

	judge := func(t *testing.T, wantTask, wantGroup string) {
		t.Helper()
		res := byCheck(runBound(t, cfg, lab, binding.Options{}, false))
		for id, want := range map[string]string{"task": wantTask, "group": wantGroup} {
			r := res[id]
			got := r.Reason
			if r.Status == checks.Pass {
				got = "pass"
			}
			if got != want {
				t.Errorf("%s: %s %s %v, want %s\nfix: %s", id, r.Status, r.Reason, r.Message.Data, want, r.Fix)
			}
		}
	}
	t.Run("the ALB path only", func(t *testing.T) { judge(t, "pass", "pass") })

	ingress := func(perm ec2types.IpPermission) func() {
		must(c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &f.taskSG, IpPermissions: []ec2types.IpPermission{perm}}))
		return func() {
			must(c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: &f.taskSG, IpPermissions: []ec2types.IpPermission{perm}}))
		}
	}
	for _, c := range []struct {
		name string
		perm ec2types.IpPermission
		want string
	}{
		{"IPv4 internet on 22", ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
			IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}, "SG_OPEN_TO_INTERNET"},
		{"IPv6 internet on every port", ec2types.IpPermission{IpProtocol: aws.String("-1"),
			Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}}, "SG_OPEN_TO_INTERNET"},
		{"the ALB's group on every port", ec2types.IpPermission{IpProtocol: aws.String("-1"),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: &f.albSG}}}, "SG_SOURCE_GROUP_TOO_WIDE"},
	} {
		t.Run(c.name, func(t *testing.T) {
			undo := ingress(c.perm)
			judge(t, c.want, c.want)
			undo()
		})
	}
	t.Run("a customer prefix list", func(t *testing.T) {
		pl := *must(c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("office"), AddressFamily: aws.String("IPv4"),
			MaxEntries: aws.Int32(5), Entries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("0.0.0.0/0")}}})).PrefixList.PrefixListId
		undo := ingress(ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			PrefixListIds: []ec2types.PrefixListId{{PrefixListId: &pl}}})
		judge(t, "SG_PREFIX_LIST_OPEN", "SG_PREFIX_LIST_OPEN")
		undo()
	})
	t.Run("a listener on another port", func(t *testing.T) {
		must(c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &f.albSG, IpProtocol: aws.String("tcp"),
			FromPort: aws.Int32(8080), ToPort: aws.Int32(8080), CidrIp: aws.String("0.0.0.0/0")}))
		l := *must(lb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: &f.alb, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080),
			DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &f.tg}}})).Listeners[0].ListenerArn
		judge(t, "LB_LISTENER_NOT_ALLOWED", "LB_LISTENER_NOT_ALLOWED")
		must(lb.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: &l}))
	})
	t.Run("back to the ALB path only", func(t *testing.T) { judge(t, "pass", "pass") })
}
