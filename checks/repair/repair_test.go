package repair_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

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
		{"gateway attached twice", repair.New(repair.Action{Op: repair.AttachInternetGateway, IGW: "igw-1", VPC: "vpc-1"},
			repair.Action{Op: repair.AttachInternetGateway, IGW: "igw-1", VPC: "vpc-1"})},
	} {
		s := snap()
		if err := c.p.Apply(s); err == nil {
			t.Errorf("%s: applied", c.name)
		}
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
