package account_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// Listeners and target groups (with their registered targets) load after
// the load balancers, through the read-only guard, one call each.
func TestLoadListenersAndTargets(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	c := ec2.NewFromConfig(cfg)
	vpc := *must(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})).Vpc.VpcId
	a := *must(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.0.0/24"), AvailabilityZone: aws.String("us-east-1a")})).Subnet.SubnetId
	b := *must(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1b")})).Subnet.SubnetId
	lb := elbv2.NewFromConfig(cfg)
	alb := must(lb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("demo-alb"), Subnets: []string{a, b}})).LoadBalancers[0].LoadBalancerArn
	tg := must(lb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("demo-tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		TargetType: elbtypes.TargetTypeEnumIp, VpcId: &vpc})).TargetGroups[0].TargetGroupArn
	must(lb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: alb, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg}}}))
	must(lb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg, Targets: []elbtypes.TargetDescription{{Id: aws.String("10.0.0.9"), Port: aws.Int32(80)}}}))

	var need account.Need
	need.Add(account.Listeners, account.TargetGroups)
	gcfg, m := guarded(cfg)
	s, err := account.Load(ctx, gcfg, need)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(s.LoadBalancers) != 1 || !s.Loaded[account.Listeners] || !s.Loaded[account.TargetGroups] {
		t.Fatalf("load balancers %d, loaded %v", len(s.LoadBalancers), s.Loaded)
	}
	ls := s.ListenersOf(*alb)
	if len(ls) != 1 || aws.ToInt32(ls[0].Port) != 8080 {
		t.Errorf("listeners %+v", ls)
	}
	if g, ok := s.TargetGroup(*tg); !ok || aws.ToInt32(g.Port) != 80 {
		t.Errorf("target group %v %+v", ok, g)
	}
	ts := s.Targets[*tg]
	if len(ts) != 1 || aws.ToString(ts[0].Target.Id) != "10.0.0.9" {
		t.Errorf("targets %+v", ts)
	}
	for action, n := range m.Calls() {
		if n != 1 {
			t.Errorf("%s called %d times, want once", action, n)
		}
	}
	for _, want := range []string{"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeLoadBalancers"} {
		if m.Calls()[want] != 1 {
			t.Errorf("%s not called once: %v", want, m.Calls())
		}
	}
}
