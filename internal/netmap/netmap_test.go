package netmap_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/netmap"
)

// The hand-built snapshots are nat-private-egress as its steps build it, in
// ap-northeast-1. They cover what the sandbox test does not: a blackhole
// route (moto never reports one) and exact control of every field.
const (
	vpcID    = "vpc-0aaa0000000000001"
	igwID    = "igw-0aaa0000000000001"
	pubA     = "subnet-0aaa00000000000a1"
	pubC     = "subnet-0aaa00000000000c1"
	privA    = "subnet-0aaa00000000000a2"
	privC    = "subnet-0aaa00000000000c2"
	pubRT    = "rtb-0aaa0000000000001"
	privARt  = "rtb-0aaa00000000000a2"
	privCRt  = "rtb-0aaa00000000000c2"
	mainRT   = "rtb-0aaa0000000000000"
	natA     = "nat-0aaa00000000000a1"
	allocA   = "eipalloc-0aaa0000000000a1"
	natIP    = "203.0.113.10"
	taskARN  = "arn:aws:ecs:ap-northeast-1:123456789012:task/vpclab-nat-cluster/0123456789abcdef0123456789abcdef"
	clusterA = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/vpclab-nat-cluster"
)

func tags(name string) []ec2types.Tag {
	return []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}
}

func route(dst, target string) ec2types.Route {
	r := ec2types.Route{DestinationCidrBlock: aws.String(dst), State: ec2types.RouteStateActive}
	switch {
	case strings.HasPrefix(target, "nat-"):
		r.NatGatewayId = aws.String(target)
	default:
		r.GatewayId = aws.String(target)
	}
	return r
}

func assoc(subnet string) ec2types.RouteTableAssociation {
	return ec2types.RouteTableAssociation{SubnetId: aws.String(subnet)}
}

// natLab is the lab after its "route-private" step: both private subnets
// reach the internet through vpclab-nat-a.
func natLab() *account.Snapshot {
	s := &account.Snapshot{Account: "123456789012", Region: "ap-northeast-1", Loaded: map[account.Resource]bool{}}
	for r := range account.Actions {
		s.Loaded[r] = true
	}
	s.VPCs = []ec2types.Vpc{
		{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.0.0.0/16"), State: ec2types.VpcStateAvailable, IsDefault: aws.Bool(false), Tags: tags("vpclab-nat-vpc")},
		// The Region's default VPC is not part of the lab and is not drawn.
		{VpcId: aws.String("vpc-0default"), CidrBlock: aws.String("172.31.0.0/16"), IsDefault: aws.Bool(true)},
	}
	s.VPCAttrs = map[string]account.VPCAttrs{vpcID: {DNSSupport: true, DNSHostnames: true}}
	s.InternetGateways = []ec2types.InternetGateway{{InternetGatewayId: aws.String(igwID), Tags: tags("vpclab-nat-igw"),
		Attachments: []ec2types.InternetGatewayAttachment{{VpcId: aws.String(vpcID), State: "available"}}}}
	sub := func(id, name, cidr, az string) ec2types.Subnet {
		return ec2types.Subnet{SubnetId: aws.String(id), VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr),
			AvailabilityZone: aws.String(az), State: ec2types.SubnetStateAvailable, Tags: tags(name)}
	}
	s.Subnets = []ec2types.Subnet{
		sub(pubA, "vpclab-nat-public-a", "10.0.1.0/24", "ap-northeast-1a"),
		sub(pubC, "vpclab-nat-public-c", "10.0.2.0/24", "ap-northeast-1c"),
		sub(privA, "vpclab-nat-private-a", "10.0.11.0/24", "ap-northeast-1a"),
		sub(privC, "vpclab-nat-private-c", "10.0.12.0/24", "ap-northeast-1c"),
	}
	local := ec2types.Route{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local"), State: ec2types.RouteStateActive}
	s.RouteTables = []ec2types.RouteTable{
		{RouteTableId: aws.String(mainRT), VpcId: aws.String(vpcID), Routes: []ec2types.Route{local},
			Associations: []ec2types.RouteTableAssociation{{Main: aws.Bool(true)}}},
		{RouteTableId: aws.String(pubRT), VpcId: aws.String(vpcID), Tags: tags("vpclab-nat-public-rt"),
			Routes: []ec2types.Route{local, route("0.0.0.0/0", igwID)}, Associations: []ec2types.RouteTableAssociation{assoc(pubA), assoc(pubC)}},
		{RouteTableId: aws.String(privARt), VpcId: aws.String(vpcID), Tags: tags("vpclab-nat-private-a-rt"),
			Routes: []ec2types.Route{local, route("0.0.0.0/0", natA)}, Associations: []ec2types.RouteTableAssociation{assoc(privA)}},
		{RouteTableId: aws.String(privCRt), VpcId: aws.String(vpcID), Tags: tags("vpclab-nat-private-c-rt"),
			Routes: []ec2types.Route{local, route("0.0.0.0/0", natA)}, Associations: []ec2types.RouteTableAssociation{assoc(privC)}},
	}
	s.Addresses = []ec2types.Address{{AllocationId: aws.String(allocA), PublicIp: aws.String(natIP), Domain: ec2types.DomainTypeVpc,
		AssociationId: aws.String("eipassoc-0a"), NetworkInterfaceId: aws.String("eni-0nat"), Tags: tags("vpclab-nat-eip-a")}}
	s.NATGateways = []ec2types.NatGateway{{NatGatewayId: aws.String(natA), VpcId: aws.String(vpcID), SubnetId: aws.String(pubA),
		State: ec2types.NatGatewayStateAvailable, ConnectivityType: ec2types.ConnectivityTypePublic, Tags: tags("vpclab-nat-a"),
		NatGatewayAddresses: []ec2types.NatGatewayAddress{{AllocationId: aws.String(allocA), PublicIp: aws.String(natIP),
			NetworkInterfaceId: aws.String("eni-0nat"), PrivateIp: aws.String("10.0.1.50")}}}}
	allow := []ec2types.NetworkAclEntry{
		{RuleNumber: aws.Int32(100), Egress: aws.Bool(true), Protocol: aws.String("-1"), RuleAction: ec2types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0")},
		{RuleNumber: aws.Int32(100), Egress: aws.Bool(false), Protocol: aws.String("-1"), RuleAction: ec2types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0")},
	}
	s.NetworkACLs = []ec2types.NetworkAcl{{NetworkAclId: aws.String("acl-0aaa"), VpcId: aws.String(vpcID), IsDefault: aws.Bool(true), Entries: allow}}
	s.Clusters = []ecstypes.Cluster{{ClusterName: aws.String("vpclab-nat-cluster"), ClusterArn: aws.String(clusterA), Status: aws.String("ACTIVE")}}
	s.Tasks = []ecstypes.Task{{TaskArn: aws.String(taskARN), ClusterArn: aws.String(clusterA), LastStatus: aws.String("RUNNING"),
		TaskDefinitionArn: aws.String("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/vpclab-nat-curl:1"),
		Attachments: []ecstypes.Attachment{{Type: aws.String("ElasticNetworkInterface"), Details: []ecstypes.KeyValuePair{
			{Name: aws.String("subnetId"), Value: aws.String(privA)}, {Name: aws.String("privateIPv4Address"), Value: aws.String("10.0.11.25")}}}}}}
	return s
}

func lab(t *testing.T, id string) *content.Lab {
	t.Helper()
	labs, ds, err := content.Load(content.Embedded(), "labs")
	if err != nil || ds.Err() != nil {
		t.Fatalf("load labs: %v %v", err, ds)
	}
	l := content.Find(labs, id)
	if l == nil {
		t.Fatalf("no lab %s", id)
	}
	return l
}

// diagram runs the whole lab's checks on snap exactly as vpclab check does
// (checkrun: binding, then every kind) and draws the result.
func diagram(t *testing.T, snap *account.Snapshot, lang i18n.Lang) *netmap.Diagram {
	t.Helper()
	l := lab(t, "nat-private-egress")
	rep, err := checkrun.Run(context.Background(), checkrun.Options{Lab: l,
		Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) { return snap, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return netmap.Build(snap, rep.Results, i18n.New(lang), l.ID)
}

func broken(d *netmap.Diagram) []string {
	var out []string
	for _, n := range d.Nodes {
		if n.Mark == netmap.Broken {
			out = append(out, n.ID)
		}
	}
	return out
}

func TestRepairedLabHasNoBrokenHop(t *testing.T) {
	d := diagram(t, natLab(), i18n.EN)
	if b := broken(d); len(b) != 0 || d.Stops() != 0 {
		t.Fatalf("a working lab shows stops at %v (%d); paths: %+v", b, d.Stops(), d.Paths)
	}
	// The structure: both AZs, every subnet, the route tables' default
	// routes, the NAT gateway with its Elastic IP, the task; not the
	// default VPC.
	for _, id := range []string{pubA, pubC, privA, privC, pubRT, privARt, privCRt, natA, igwID, "internet", taskARN} {
		if _, ok := d.Node(id); !ok {
			t.Errorf("%s is not drawn", id)
		}
	}
	if _, ok := d.Node("vpc-0default"); ok {
		t.Error("the default VPC is drawn")
	}
	src := d.Mermaid()
	for _, want := range []string{"Availability Zone ap-northeast-1a", "Availability Zone ap-northeast-1c", "Elastic IP " + natIP + " #40;vpclab-nat-eip-a#41;",
		`n_rtb_0aaa00000000000a2 -->|"0.0.0.0/0"| n_nat_0aaa00000000000a1`, "vpclab-nat-private-a-rt"} {
		if !strings.Contains(src, want) {
			t.Errorf("the Mermaid source lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(src, " "+netmap.ClassBroken+"\n  ") || strings.HasSuffix(strings.TrimSpace(src), " "+netmap.ClassBroken) {
		t.Errorf("the source marks a broken hop:\n%s", src)
	}
	// The path checks' hops are highlighted: private-a → its route table →
	// the NAT gateway → public-a → the public route table → the IGW → the internet.
	for _, id := range []string{privA, privARt, natA, igwID, "internet"} {
		if n, _ := d.Node(id); n == nil || n.Mark != netmap.OnPath {
			t.Errorf("%s is not highlighted as on a path", id)
		}
	}
	if !strings.Contains(src, "linkStyle ") {
		t.Error("no path edge is styled")
	}
}

func TestMissingRouteMarksTheRouteTable(t *testing.T) {
	snap := natLab()
	// The learner deleted private-a's default route.
	for i := range snap.RouteTables {
		if aws.ToString(snap.RouteTables[i].RouteTableId) == privARt {
			snap.RouteTables[i].Routes = snap.RouteTables[i].Routes[:1]
		}
	}
	d := diagram(t, snap, i18n.EN)
	b := broken(d)
	if len(b) != 1 || b[0] != privARt {
		t.Fatalf("broken hops %v, want only %s", b, privARt)
	}
	var p *netmap.Path
	for i := range d.Paths {
		if d.Paths[i].Check == "private-a-egress" {
			p = &d.Paths[i]
		}
	}
	if p == nil || p.N == 0 || p.Reason != "NO_ROUTE_TO_DESTINATION" {
		t.Fatalf("private-a-egress: %+v", p)
	}
	if !strings.Contains(p.Fix, "create-route") || !strings.Contains(p.Fix, privARt) || !strings.Contains(p.Fix, natA) {
		t.Errorf("the fix is not the proven create-route: %q (note %q)", p.Fix, p.FixNote)
	}
	src := d.Mermaid()
	if !strings.Contains(src, "class n_rtb_0aaa00000000000a2 "+netmap.ClassBroken) {
		t.Errorf("the route table is not classed broken:\n%s", src)
	}
	if !strings.Contains(src, "the path stops here #40;NO_ROUTE_TO_DESTINATION#41;") {
		t.Errorf("the broken hop does not carry its reason:\n%s", src)
	}
	rt, _ := d.Node(privARt)
	if !strings.Contains(strings.Join(rt.Lines, " "), "no default route") {
		t.Errorf("the route table does not say it has no default route: %v", rt.Lines)
	}
}

func TestBlackholeRouteMarksTheRouteTableInJapanese(t *testing.T) {
	// moto never reports a blackhole: the NAT gateway is deleted and the
	// route stays, as AWS shows it.
	snap := natLab()
	snap.NATGateways[0].State = ec2types.NatGatewayStateDeleted
	for i := range snap.RouteTables {
		for j := range snap.RouteTables[i].Routes {
			if aws.ToString(snap.RouteTables[i].Routes[j].NatGatewayId) == natA {
				snap.RouteTables[i].Routes[j].State = ec2types.RouteStateBlackhole
			}
		}
	}
	d := diagram(t, snap, i18n.JA)
	b := broken(d)
	if len(b) == 0 {
		t.Fatal("no broken hop on a blackhole route")
	}
	for _, id := range b {
		if id != privARt && id != privCRt {
			t.Errorf("broken hop %s; want the private route tables", id)
		}
	}
	src := d.Mermaid()
	for _, want := range []string{"アベイラビリティーゾーン ap-northeast-1a", "ルートテーブル", "存在しないルートのターゲット", "ブラックホール", "経路はここで止まります", "サブネット", "インターネットゲートウェイ"} {
		if !strings.Contains(src, want) {
			t.Errorf("the Japanese diagram lacks %q", want)
		}
	}
	var frag strings.Builder
	if err := d.Fragment(&frag); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"あなたの VPC", "チェックがたどった経路", "理由"} {
		if !strings.Contains(frag.String(), want) {
			t.Errorf("the Japanese fragment lacks %q", want)
		}
	}
}

func TestHostileNamesStayLabels(t *testing.T) {
	snap := natLab()
	snap.Subnets[0].Tags = tags(`a"] --> x[<img src=x onerror=alert(1)> end #x; |y|`)
	src := netmap.Build(snap, nil, i18n.New(i18n.EN), "nat-private-egress").Mermaid()
	for _, bad := range []string{`a"] -->`, "<img", "--> x["} {
		if strings.Contains(src, bad) {
			t.Errorf("a Name tag leaks Mermaid or HTML syntax %q:\n%s", bad, src)
		}
	}
}

func TestNoLabVPC(t *testing.T) {
	snap := &account.Snapshot{Region: "ap-northeast-1"}
	d := netmap.Build(snap, nil, i18n.New(i18n.EN), "nat-private-egress")
	if !d.Empty || !strings.Contains(d.Mermaid(), "No VPC of this lab was found in ap-northeast-1") {
		t.Fatalf("empty account: %v\n%s", d.Empty, d.Mermaid())
	}
}

func TestLoadBalancerForwardsToTask(t *testing.T) {
	snap := natLab()
	lbARN := "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/vpclab-alb/0123"
	tgARN := "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/vpclab-tg/0123"
	snap.LoadBalancers = []elbtypes.LoadBalancer{{LoadBalancerArn: aws.String(lbARN), LoadBalancerName: aws.String("vpclab-alb"),
		VpcId: aws.String(vpcID), Scheme: elbtypes.LoadBalancerSchemeEnumInternetFacing}}
	snap.Listeners = []elbtypes.Listener{{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(80)}}
	snap.TargetGroups = []elbtypes.TargetGroup{{TargetGroupArn: aws.String(tgARN), LoadBalancerArns: []string{lbARN}}}
	snap.Targets = map[string][]elbtypes.TargetHealthDescription{tgARN: {{Target: &elbtypes.TargetDescription{Id: aws.String("10.0.11.25"), Port: aws.Int32(8080)}}}}
	src := netmap.Build(snap, nil, i18n.New(i18n.JA), "one-way-egress").Mermaid()
	for _, want := range []string{"ロードバランサー", "インターネット向け", `n_igw_0aaa0000000000001 -->|"80"| n_arn_aws_elasticloadbalancing`,
		`_0123 -->|"8080"| n_arn_aws_ecs_`, "ECS タスク", "0123456789abcdef0123456789abcdef"} {
		if !strings.Contains(src, want) {
			t.Errorf("the diagram lacks %q:\n%s", want, src)
		}
	}
}
