package repair_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/i18n"
)

func snap() *account.Snapshot {
	return &account.Snapshot{Region: "ap-northeast-1",
		VPCs:    []ec2types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16")}},
		Subnets: []ec2types.Subnet{{SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"), AvailabilityZone: aws.String("ap-northeast-1a")}},
		RouteTables: []ec2types.RouteTable{{RouteTableId: aws.String("rtb-1"), VpcId: aws.String("vpc-1"),
			Routes: []ec2types.Route{{DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String("igw-1")}}}},
		InternetGateways: []ec2types.InternetGateway{{InternetGatewayId: aws.String("igw-1")}},
		Addresses:        []ec2types.Address{{AllocationId: aws.String("eipalloc-1"), PublicIp: aws.String("203.0.113.1")}},
	}
}

// A plan that creates a resource captures its id in a variable the later
// commands use, and renders as commands bash parses (and zsh: the same
// quoting), one per line, with the Region.
func TestRenderCreatesFirstAndCaptures(t *testing.T) {
	p := repair.New(
		repair.Action{Op: repair.CreateRouteTable, VPC: "vpc-1", Name: "vpclab-nat-private-a-rt", Var: "RTB_ID"},
		repair.Action{Op: repair.AssociateRouteTable, RouteTable: repair.Var("RTB_ID"), Subnet: "subnet-1"},
		repair.Action{Op: repair.AllocateAddress, Name: "vpclab-nat-eip-a", Var: "EIP_ALLOC_ID"},
		repair.Action{Op: repair.CreateNATGateway, Subnet: "subnet-1", Alloc: repair.Var("EIP_ALLOC_ID"), Name: "vpclab-nat-a", Var: "NAT_ID"},
		repair.Action{Op: repair.CreateRoute, RouteTable: repair.Var("RTB_ID"), Dest: "0.0.0.0/0", TargetKind: repair.ToNAT, Target: repair.Var("NAT_ID")},
		repair.Action{Op: repair.AuthorizeEgress, Group: "sg-1", Rule: &repair.Rule{Protocol: "tcp", From: 443, To: 443, CIDR: "0.0.0.0/0"}},
	)
	out := p.Render("ap-northeast-1")
	want := []string{
		"RTB_ID=$(aws ec2 create-route-table --vpc-id vpc-1 --tag-specifications 'ResourceType=route-table,Tags=[{Key=Name,Value=vpclab-nat-private-a-rt}]' --region ap-northeast-1 --query RouteTable.RouteTableId --output text)",
		`aws ec2 associate-route-table --route-table-id "$RTB_ID" --subnet-id subnet-1 --region ap-northeast-1`,
		"EIP_ALLOC_ID=$(aws ec2 allocate-address --domain vpc",
		`NAT_ID=$(aws ec2 create-nat-gateway --subnet-id subnet-1 --allocation-id "$EIP_ALLOC_ID" --connectivity-type public`,
		`aws ec2 wait nat-gateway-available --nat-gateway-ids "$NAT_ID" --region ap-northeast-1`,
		`aws ec2 create-route --route-table-id "$RTB_ID" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$NAT_ID"`,
		`--ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
	}
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("render does not contain %q (in order):\n%s", w, out)
		}
		rest = rest[i+len(w):]
	}
	if strings.Contains(out, "<") {
		t.Errorf("placeholder:\n%s", out)
	}
	if err := exec.Command("bash", "-n", "-c", out).Run(); err != nil {
		t.Errorf("bash cannot parse the plan: %v\n%s", err, out)
	}
}

// Apply refuses what AWS would refuse, so such a plan is never shown.
func TestApplyRefusesWhatAWSRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		p    *repair.Plan
	}{
		{"route that exists", repair.New(repair.Action{Op: repair.CreateRoute, RouteTable: "rtb-1", Dest: "0.0.0.0/0", TargetKind: repair.ToIGW, Target: "igw-1"})},
		{"route that does not exist", repair.New(repair.Action{Op: repair.DeleteRoute, RouteTable: "rtb-1", Dest: "10.9.0.0/16"})},
		{"NAT gateway that does not exist", repair.New(repair.Action{Op: repair.ReplaceRoute, RouteTable: "rtb-1", Dest: "0.0.0.0/0", TargetKind: repair.ToNAT, Target: "nat-9"})},
		{"variable before it is set", repair.New(repair.Action{Op: repair.AssociateRouteTable, RouteTable: repair.Var("RTB_ID"), Subnet: "subnet-1"})},
		{"regional NAT gateway in a VPC without subnets", repair.New(repair.Action{Op: repair.CreateNATGateway, Regional: true, VPC: "vpc-empty", Name: "lab-nat"})},
		{"gateway attached twice", repair.New(repair.Action{Op: repair.AttachInternetGateway, IGW: "igw-1", VPC: "vpc-1"},
			repair.Action{Op: repair.AttachInternetGateway, IGW: "igw-1", VPC: "vpc-1"})},
	} {
		s := snap()
		if err := c.p.Apply(s); err == nil {
			t.Errorf("%s: applied", c.name)
		}
	}
}

// A plan that trips over an account state nobody foresaw is unproven, not
// a crash (a nil snapshot stands in for one here).
func TestApplyNeverPanics(t *testing.T) {
	p := repair.New(repair.Action{Op: repair.AttachInternetGateway, IGW: "igw-1", VPC: "vpc-1"})
	if err := p.Apply(nil); err == nil || !strings.Contains(err.Error(), "could not be tried") {
		t.Errorf("Apply(nil) = %v, want an error", err)
	}
}

// Apply changes the copy, never the snapshot it was cloned from.
func TestCloneIsDeep(t *testing.T) {
	s := snap()
	cp := s.Clone()
	p := repair.New(repair.Action{Op: repair.ReplaceRoute, RouteTable: "rtb-1", Dest: "0.0.0.0/0", TargetKind: repair.ToIGW, Target: "igw-1"},
		repair.Action{Op: repair.AttachInternetGateway, IGW: "igw-1", VPC: "vpc-1"})
	if err := p.Apply(cp); err != nil {
		t.Fatal(err)
	}
	if len(s.InternetGateways[0].Attachments) != 0 {
		t.Errorf("the original snapshot changed")
	}
	if !account.IGWAttachedTo(cp.InternetGateways[0], "vpc-1") {
		t.Errorf("the copy did not change")
	}
	*cp.RouteTables[0].Routes[0].GatewayId = "igw-x"
	if aws.ToString(s.RouteTables[0].Routes[0].GatewayId) != "igw-1" {
		t.Errorf("a pointer is shared between the copy and the original")
	}
}

// Console steps exist in both languages and name what the plan creates.
func TestConsoleSteps(t *testing.T) {
	p := repair.New(repair.Action{Op: repair.CreateRouteTable, VPC: "vpc-1", Name: "lab-rt", Var: "RTB_ID"},
		repair.Action{Op: repair.CreateRoute, RouteTable: repair.Var("RTB_ID"), Dest: "0.0.0.0/0", TargetKind: repair.ToNAT, Target: "nat-1"})
	label := func(id string) string { return "lab-nat (" + id + ")" }
	for _, l := range i18n.Langs {
		loc := i18n.New(l)
		m, ok := p.Console(1, label)
		if !ok {
			t.Fatal("no console step for create-route")
		}
		text := loc.T(m.ID, m.Data)
		if !strings.Contains(text, "lab-rt") || !strings.Contains(text, "lab-nat (nat-1)") || strings.Contains(text, "<no value>") {
			t.Errorf("%s: %s", l, text)
		}
	}
}

// A resource a plan creates with the lab's name takes the name over from
// the resource binding had taken for it (a misplaced NAT gateway that the
// plan deletes and creates again), as the next run's binding would.
func TestCreatedResourceTakesTheName(t *testing.T) {
	s := snap()
	s.NATGateways = []ec2types.NatGateway{{NatGatewayId: aws.String("nat-old"), SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"),
		State: ec2types.NatGatewayStateAvailable}}
	s.Bind(account.NATGateways, "lab-nat", "nat-old")
	p := repair.New(repair.Action{Op: repair.DeleteNATGateway, NAT: "nat-old"},
		repair.Action{Op: repair.CreateNATGateway, Subnet: "subnet-1", Alloc: "eipalloc-1", Name: "lab-nat", Var: "NAT_ID"})
	if err := p.Apply(s); err != nil {
		t.Fatal(err)
	}
	id, ok := s.Bound(account.NATGateways, "lab-nat")
	if !ok || id == "nat-old" {
		t.Fatalf("lab-nat is bound to %q after the plan", id)
	}
	if ns := s.NATGatewaysByName("lab-nat"); len(ns) == 0 || aws.ToString(ns[0].NatGatewayId) != id || ns[0].State != ec2types.NatGatewayStateAvailable {
		t.Errorf("the lookup does not find the new gateway first: %+v", ns)
	}
}

// Moving a service to private subnets settles with its tasks' interfaces
// there, without a public address; deleting a listener takes its rules.
// Both have console steps in both languages.
func TestServiceNetworkAndListener(t *testing.T) {
	s := snap()
	s.Subnets = append(s.Subnets, ec2types.Subnet{SubnetId: aws.String("subnet-2"), VpcId: aws.String("vpc-1"), AvailabilityZone: aws.String("ap-northeast-1c")})
	s.Services = []ecstypes.Service{{ServiceName: aws.String("web"), ClusterArn: aws.String("arn:aws:ecs:ap-northeast-1:1:cluster/demo")}}
	s.Tasks = []ecstypes.Task{{TaskArn: aws.String("arn:task/1"), Group: aws.String("service:web"), ClusterArn: aws.String("arn:aws:ecs:ap-northeast-1:1:cluster/demo"),
		LastStatus: aws.String("RUNNING"), Attachments: []ecstypes.Attachment{{Details: []ecstypes.KeyValuePair{
			{Name: aws.String("subnetId"), Value: aws.String("subnet-1")}, {Name: aws.String("networkInterfaceId"), Value: aws.String("eni-1")}}}}}}
	s.NetworkInterfaces = []ec2types.NetworkInterface{{NetworkInterfaceId: aws.String("eni-1"), SubnetId: aws.String("subnet-1"),
		Association: &ec2types.NetworkInterfaceAssociation{PublicIp: aws.String("198.51.100.7")}}}
	lis := "arn:aws:elasticloadbalancing:ap-northeast-1:1:listener/app/demo-alb/1/2"
	s.Listeners = []elbtypes.Listener{{ListenerArn: aws.String(lis), Port: aws.Int32(8080)}}
	s.Rules = map[string][]elbtypes.Rule{lis: {{RuleArn: aws.String(lis + "/rule/1")}}}
	p := repair.New(repair.Action{Op: repair.UpdateServiceNetwork, Cluster: "demo", Service2: "web", Subnets: []string{"subnet-2"}, Groups: []string{"sg-1"}},
		repair.Action{Op: repair.DeleteListener, ARN: lis, LoadBalancer: "demo-alb", Port: 8080})
	if err := p.Apply(s); err != nil {
		t.Fatal(err)
	}
	n := s.NetworkInterfaces[0]
	if aws.ToString(n.SubnetId) != "subnet-2" || n.Association != nil || len(n.Groups) != 1 || aws.ToString(n.Groups[0].GroupId) != "sg-1" {
		t.Errorf("the task's interface did not move: %+v", n)
	}
	if aws.ToString(s.Tasks[0].Attachments[0].Details[0].Value) != "subnet-2" {
		t.Errorf("the task's attachment still names %s", aws.ToString(s.Tasks[0].Attachments[0].Details[0].Value))
	}
	if len(s.Listeners) != 0 || len(s.Rules[lis]) != 0 {
		t.Errorf("the listener or its rules remain")
	}
	if err := p.Apply(s); err == nil {
		t.Errorf("deleting a listener twice applied")
	}
	out := p.Render("ap-northeast-1")
	for _, w := range []string{"awsvpcConfiguration={subnets=[subnet-2],securityGroups=[sg-1],assignPublicIp=DISABLED}", "aws elbv2 delete-listener --listener-arn " + lis} {
		if !strings.Contains(out, w) {
			t.Errorf("render lacks %q:\n%s", w, out)
		}
	}
	for _, l := range i18n.Langs {
		loc := i18n.New(l)
		for i, want := range []string{"subnet-2", "8080"} {
			m, ok := p.Console(i, func(id string) string { return id })
			if !ok {
				t.Fatalf("no console step for %s", p.Actions[i].Op)
			}
			if text := loc.T(m.ID, m.Data); !strings.Contains(text, want) || strings.Contains(text, "<no value>") || strings.HasPrefix(text, "[") {
				t.Errorf("%s: %s", l, text)
			}
		}
	}
}

// ecsSnap adds a cluster, a private subnet in a second VPC's way, a task
// group, a service and a load balancer to snap.
func ecsSnap() *account.Snapshot {
	s := snap()
	s.Account = "123456789012"
	s.Subnets = append(s.Subnets, ec2types.Subnet{SubnetId: aws.String("subnet-2"), VpcId: aws.String("vpc-1"), AvailabilityZone: aws.String("ap-northeast-1c")},
		ec2types.Subnet{SubnetId: aws.String("subnet-9"), VpcId: aws.String("vpc-9")})
	s.SecurityGroups = []ec2types.SecurityGroup{{GroupId: aws.String("sg-task"), GroupName: aws.String("task"), VpcId: aws.String("vpc-1")},
		{GroupId: aws.String("sg-alb"), GroupName: aws.String("alb"), VpcId: aws.String("vpc-1")},
		{GroupId: aws.String("sg-other"), GroupName: aws.String("other"), VpcId: aws.String("vpc-9")}}
	s.Clusters = []ecstypes.Cluster{{ClusterName: aws.String("lab"), ClusterArn: aws.String("arn:aws:ecs:ap-northeast-1:123456789012:cluster/lab"), Status: aws.String("ACTIVE")}}
	s.Services = []ecstypes.Service{{ServiceName: aws.String("web"), ClusterArn: aws.String("arn:aws:ecs:ap-northeast-1:123456789012:cluster/lab"), DesiredCount: 0}}
	s.LoadBalancers = []elbtypes.LoadBalancer{{LoadBalancerArn: aws.String("arn:lb"), VpcId: aws.String("vpc-1"), SecurityGroups: []string{"sg-default"}}}
	return s
}

// run-task gives the snapshot a RUNNING task of the family with its own
// interface in the first subnet, carrying the groups; desired-count and
// set-security-groups change what their commands change.
func TestApplyECSAndLoadBalancer(t *testing.T) {
	s := ecsSnap()
	p := repair.New(repair.Action{Op: repair.RunTask, Cluster: "lab", Family: "web", Subnets: []string{"subnet-2", "subnet-1"}, Groups: []string{"sg-task"}},
		repair.Action{Op: repair.SetDesiredCount, Cluster: "lab", Service2: "web", Count: 2},
		repair.Action{Op: repair.SetLoadBalancerGroups, ARN: "arn:lb", Groups: []string{"sg-alb"}})
	if err := p.Apply(s); err != nil {
		t.Fatal(err)
	}
	tasks := s.TasksOf("lab", "web")
	if len(tasks) != 1 || aws.ToString(tasks[0].LastStatus) != "RUNNING" {
		t.Fatalf("tasks = %+v", tasks)
	}
	var eniID string
	for _, d := range tasks[0].Attachments[0].Details {
		if aws.ToString(d.Name) == "networkInterfaceId" {
			eniID = aws.ToString(d.Value)
		}
	}
	eni, ok := s.NetworkInterface(eniID)
	if !ok || aws.ToString(eni.SubnetId) != "subnet-2" || len(eni.Groups) != 1 || aws.ToString(eni.Groups[0].GroupId) != "sg-task" || eni.Association != nil {
		t.Fatalf("task interface %s = %+v", eniID, eni)
	}
	if s.Services[0].DesiredCount != 2 {
		t.Errorf("desired count = %d", s.Services[0].DesiredCount)
	}
	if got := s.LoadBalancers[0].SecurityGroups; len(got) != 1 || got[0] != "sg-alb" {
		t.Errorf("load balancer groups = %v", got)
	}
	out := p.Render("ap-northeast-1")
	for _, w := range []string{
		"TASK_ARN=$(aws ecs run-task --cluster lab --launch-type FARGATE --task-definition web --count 1 --network-configuration 'awsvpcConfiguration={subnets=[subnet-2,subnet-1],securityGroups=[sg-task],assignPublicIp=DISABLED}' --region ap-northeast-1 --query 'tasks[0].taskArn' --output text)",
		`aws ecs wait tasks-running --cluster lab --tasks "$TASK_ARN" --region ap-northeast-1`,
		"aws ecs update-service --cluster lab --service web --desired-count 2 --region ap-northeast-1",
		"aws elbv2 set-security-groups --load-balancer-arn arn:lb --security-groups sg-alb --region ap-northeast-1",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("render lacks %q:\n%s", w, out)
		}
	}
	if err := exec.Command("bash", "-n", "-c", out).Run(); err != nil {
		t.Errorf("bash cannot parse the plan: %v\n%s", err, out)
	}
	for _, c := range []struct {
		name string
		a    repair.Action
	}{
		{"no cluster", repair.Action{Op: repair.RunTask, Cluster: "nope", Family: "web", Subnets: []string{"subnet-1"}, Groups: []string{"sg-task"}}},
		{"no groups", repair.Action{Op: repair.RunTask, Cluster: "lab", Family: "web", Subnets: []string{"subnet-1"}}},
		{"group of another VPC", repair.Action{Op: repair.RunTask, Cluster: "lab", Family: "web", Subnets: []string{"subnet-1"}, Groups: []string{"sg-other"}}},
		{"subnets of two VPCs", repair.Action{Op: repair.RunTask, Cluster: "lab", Family: "web", Subnets: []string{"subnet-1", "subnet-9"}, Groups: []string{"sg-task"}}},
		{"no service", repair.Action{Op: repair.SetDesiredCount, Cluster: "lab", Service2: "api", Count: 1}},
		{"load balancer group of another VPC", repair.Action{Op: repair.SetLoadBalancerGroups, ARN: "arn:lb", Groups: []string{"sg-other"}}},
		{"no load balancer", repair.Action{Op: repair.SetLoadBalancerGroups, ARN: "arn:nope", Groups: []string{"sg-alb"}}},
	} {
		if err := repair.New(c.a).Apply(ecsSnap()); err == nil {
			t.Errorf("%s: applied", c.name)
		}
	}
}

// The ECS and load balancer actions have console steps in both languages.
func TestConsoleStepsECS(t *testing.T) {
	p := repair.New(repair.Action{Op: repair.RunTask, Cluster: "lab", Family: "web", Subnets: []string{"subnet-2"}, Groups: []string{"sg-task"}},
		repair.Action{Op: repair.SetDesiredCount, Cluster: "lab", Service2: "web", Count: 1},
		repair.Action{Op: repair.SetLoadBalancerGroups, ARN: "arn:lb", LoadBalancer: "lab-alb", Groups: []string{"sg-alb"}},
		repair.Action{Op: repair.UpdateServiceNetwork, Cluster: "lab", Service2: "web", Subnets: []string{"subnet-2"}, Groups: []string{"sg-task"}},
		repair.Action{Op: repair.SetLoadBalancerSubnets, ARN: "arn:lb", LoadBalancer: "lab-alb", Subnets: []string{"subnet-pub"}},
		repair.Action{Op: repair.CreateVPC, CIDR: "10.0.0.0/16", Name: "lab-vpc", Var: "VPC_ID"})
	label := func(id string) string { return "lab-x (" + id + ")" }
	for _, l := range i18n.Langs {
		loc := i18n.New(l)
		for i, want := range []string{"lab-x (subnet-2)", "web", "lab-alb", "lab-x (sg-task)", "lab-x (subnet-pub)", "10.0.0.0/16"} {
			m, ok := p.Console(i, label)
			if !ok {
				t.Fatalf("no console step for %s", p.Actions[i].Op)
			}
			if text := loc.T(m.ID, m.Data); !strings.Contains(text, want) || strings.Contains(text, "<no value>") || text == m.ID {
				t.Errorf("%s %s: %q", l, p.Actions[i].Op, text)
			}
		}
	}
}
