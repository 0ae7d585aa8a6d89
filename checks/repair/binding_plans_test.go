package repair

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
)

// twinVPC is a VPC left over from a step run twice: a subnet with a NAT
// gateway, an attached internet gateway, a route table associated with
// the subnet, two groups (one referencing the other), the main table and
// the default group.
func twinVPC() *account.Snapshot {
	main := ec2types.RouteTableAssociation{Main: aws.Bool(true), RouteTableAssociationId: aws.String("rtbassoc-main")}
	return &account.Snapshot{Region: "us-east-1",
		VPCs:    []ec2types.Vpc{{VpcId: aws.String("vpc-0t"), CidrBlock: aws.String("10.0.0.0/16")}},
		Subnets: []ec2types.Subnet{{SubnetId: aws.String("subnet-0t"), VpcId: aws.String("vpc-0t")}},
		RouteTables: []ec2types.RouteTable{
			{RouteTableId: aws.String("rtb-0main"), VpcId: aws.String("vpc-0t"), Associations: []ec2types.RouteTableAssociation{main}},
			{RouteTableId: aws.String("rtb-0t"), VpcId: aws.String("vpc-0t"), Associations: []ec2types.RouteTableAssociation{
				{SubnetId: aws.String("subnet-0t"), RouteTableAssociationId: aws.String("rtbassoc-0t")}},
				Routes: []ec2types.Route{{DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String("igw-0t"), State: ec2types.RouteStateActive}}}},
		InternetGateways: []ec2types.InternetGateway{{InternetGatewayId: aws.String("igw-0t"),
			Attachments: []ec2types.InternetGatewayAttachment{{VpcId: aws.String("vpc-0t"), State: ec2types.AttachmentStatusAttached}}}},
		NATGateways: []ec2types.NatGateway{{NatGatewayId: aws.String("nat-0t"), VpcId: aws.String("vpc-0t"), SubnetId: aws.String("subnet-0t"),
			State: ec2types.NatGatewayStateAvailable, NatGatewayAddresses: []ec2types.NatGatewayAddress{{NetworkInterfaceId: aws.String("eni-0nat")}}}},
		NetworkInterfaces: []ec2types.NetworkInterface{{NetworkInterfaceId: aws.String("eni-0nat"), SubnetId: aws.String("subnet-0t"), VpcId: aws.String("vpc-0t")}},
		SecurityGroups: []ec2types.SecurityGroup{
			{GroupId: aws.String("sg-0def"), GroupName: aws.String("default"), VpcId: aws.String("vpc-0t")},
			{GroupId: aws.String("sg-0a"), GroupName: aws.String("a"), VpcId: aws.String("vpc-0t")},
			{GroupId: aws.String("sg-0b"), GroupName: aws.String("b"), VpcId: aws.String("vpc-0t"), IpPermissions: []ec2types.IpPermission{
				{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String("sg-0a")}}}}}},
	}
}

// Each of binding's deletions refuses where AWS would (a dependency left)
// and, in AWS's order, takes the twin down to nothing.
func TestBindingPlans(t *testing.T) {
	refused := []struct {
		name string
		act  Action
		why  string
	}{
		{"a VPC with a subnet", Action{Op: DeleteVPC, VPC: "vpc-0t"}, "subnet-0t"},
		{"a subnet with a live NAT gateway", Action{Op: DeleteSubnet, Subnet: "subnet-0t"}, "nat-0t"},
		{"an attached internet gateway", Action{Op: DeleteInternetGateway, IGW: "igw-0t"}, "attached"},
		{"a route table with an association", Action{Op: DeleteRouteTable, RouteTable: "rtb-0t"}, "associations"},
		{"a group another group's rule names", Action{Op: DeleteSecurityGroup, Group: "sg-0a"}, "sg-0b"},
		{"the default group", Action{Op: DeleteSecurityGroup, Group: "sg-0def"}, "default"},
		{"the main association", Action{Op: DisassociateRouteTable, Association: "rtbassoc-main"}, "main"},
	}
	for _, c := range refused {
		err := New(c.act).Apply(twinVPC())
		if err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("%s: %v, want a refusal naming %s", c.name, err, c.why)
		}
	}
	down := New(
		Action{Op: DeleteNATGateway, NAT: "nat-0t"},
		Action{Op: DetachInternetGateway, IGW: "igw-0t", VPC: "vpc-0t"},
		Action{Op: DeleteInternetGateway, IGW: "igw-0t"},
		Action{Op: DisassociateRouteTable, Association: "rtbassoc-0t"},
		Action{Op: DeleteSubnet, Subnet: "subnet-0t"},
		Action{Op: DeleteRouteTable, RouteTable: "rtb-0t"},
		Action{Op: DeleteSecurityGroup, Group: "sg-0b"},
		Action{Op: DeleteSecurityGroup, Group: "sg-0a"},
		Action{Op: DeleteVPC, VPC: "vpc-0t"},
	)
	s := twinVPC()
	if err := down.Apply(s); err != nil {
		t.Fatalf("the teardown in AWS's order: %v", err)
	}
	if len(s.VPCs)+len(s.Subnets)+len(s.RouteTables)+len(s.InternetGateways)+len(s.SecurityGroups) != 0 {
		t.Errorf("left over: %d VPCs, %d subnets, %d route tables, %d gateways, %d groups", len(s.VPCs), len(s.Subnets), len(s.RouteTables), len(s.InternetGateways), len(s.SecurityGroups))
	}
	got := down.Render("us-west-2")
	for _, want := range []string{"aws ec2 delete-internet-gateway --internet-gateway-id igw-0t --region us-west-2",
		"aws ec2 disassociate-route-table --association-id rtbassoc-0t --region us-west-2", "aws ec2 delete-subnet --subnet-id subnet-0t --region us-west-2",
		"aws ec2 delete-route-table --route-table-id rtb-0t --region us-west-2", "aws ec2 delete-security-group --group-id sg-0a --region us-west-2",
		"aws ec2 delete-vpc --vpc-id vpc-0t --region us-west-2"} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered plan lacks %q:\n%s", want, got)
		}
	}
}
