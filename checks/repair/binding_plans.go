package repair

// The actions binding's plans need beyond the kinds': deleting what a
// step run twice left behind (a second VPC with its subnets, route tables,
// gateway and groups). Each refuses on a snapshot where AWS would refuse
// the command (a dependency left), so a plan in the wrong order is never
// shown.

import (
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

const (
	DeleteInternetGateway  Op = "delete-internet-gateway"
	DeleteSubnet           Op = "delete-subnet"
	DisassociateRouteTable Op = "disassociate-route-table"
	DeleteRouteTable       Op = "delete-route-table"
	DeleteSecurityGroup    Op = "delete-security-group"
	DeleteVPC              Op = "delete-vpc"
)

// bindingCommand renders binding's actions; ok is false for other ops.
func (a Action) bindingCommand(region string) (string, bool) {
	reg := ""
	if region != "" {
		reg = " --region " + shq(region)
	}
	switch a.Op {
	case DeleteInternetGateway:
		return fmt.Sprintf("aws ec2 delete-internet-gateway --internet-gateway-id %s%s", ref(a.IGW), reg), true
	case DeleteSubnet:
		return fmt.Sprintf("aws ec2 delete-subnet --subnet-id %s%s", ref(a.Subnet), reg), true
	case DisassociateRouteTable:
		return fmt.Sprintf("aws ec2 disassociate-route-table --association-id %s%s", ref(a.Association), reg), true
	case DeleteRouteTable:
		return fmt.Sprintf("aws ec2 delete-route-table --route-table-id %s%s", ref(a.RouteTable), reg), true
	case DeleteSecurityGroup:
		return fmt.Sprintf("aws ec2 delete-security-group --group-id %s%s", ref(a.Group), reg), true
	case DeleteVPC:
		return fmt.Sprintf("aws ec2 delete-vpc --vpc-id %s%s", ref(a.VPC), reg), true
	}
	return "", false
}

// applyBinding applies binding's actions; ok is false for other ops.
func (a *applier) applyBinding(act Action) (ok bool, err error) {
	s := a.s
	switch act.Op {
	case DeleteInternetGateway:
		i := slices.IndexFunc(s.InternetGateways, func(g ec2types.InternetGateway) bool { return aws.ToString(g.InternetGatewayId) == act.IGW })
		if i < 0 {
			return true, &Err{act, "no internet gateway " + act.IGW}
		}
		if len(s.InternetGateways[i].Attachments) > 0 {
			return true, &Err{act, act.IGW + " is still attached"}
		}
		s.InternetGateways = slices.Delete(s.InternetGateways, i, i+1)
		blackhole(a, func(r ec2types.Route) bool { return aws.ToString(r.GatewayId) == act.IGW })
	case DeleteSubnet:
		if _, found := s.Subnet(act.Subnet); !found {
			return true, &Err{act, "no subnet " + act.Subnet}
		}
		for _, n := range s.NATGateways {
			if aws.ToString(n.SubnetId) == act.Subnet && n.State != ec2types.NatGatewayStateDeleted && n.State != ec2types.NatGatewayStateFailed {
				return true, &Err{act, "NAT gateway " + aws.ToString(n.NatGatewayId) + " is in " + act.Subnet}
			}
		}
		for _, e := range s.NetworkInterfaces {
			if aws.ToString(e.SubnetId) == act.Subnet && !natENI(s.NATGateways, e) {
				return true, &Err{act, "network interface " + aws.ToString(e.NetworkInterfaceId) + " is in " + act.Subnet}
			}
		}
		for _, lb := range s.LoadBalancers {
			for _, z := range lb.AvailabilityZones {
				if aws.ToString(z.SubnetId) == act.Subnet {
					return true, &Err{act, "load balancer " + aws.ToString(lb.LoadBalancerName) + " is in " + act.Subnet}
				}
			}
		}
		s.Subnets = slices.DeleteFunc(s.Subnets, func(x ec2types.Subnet) bool { return aws.ToString(x.SubnetId) == act.Subnet })
		for i := range s.RouteTables {
			s.RouteTables[i].Associations = slices.DeleteFunc(s.RouteTables[i].Associations, func(x ec2types.RouteTableAssociation) bool {
				return aws.ToString(x.SubnetId) == act.Subnet
			})
		}
	case DisassociateRouteTable:
		for i := range s.RouteTables {
			as := s.RouteTables[i].Associations
			j := slices.IndexFunc(as, func(x ec2types.RouteTableAssociation) bool {
				return aws.ToString(x.RouteTableAssociationId) == act.Association
			})
			if j < 0 {
				continue
			}
			if aws.ToBool(as[j].Main) {
				return true, &Err{act, "the main association cannot be removed"}
			}
			s.RouteTables[i].Associations = slices.Delete(as, j, j+1)
			return true, nil
		}
		return true, &Err{act, "no association " + act.Association}
	case DeleteRouteTable:
		t, err := a.table(act, act.RouteTable)
		if err != nil {
			return true, err
		}
		if len(t.Associations) > 0 {
			return true, &Err{act, act.RouteTable + " still has associations"}
		}
		s.RouteTables = slices.DeleteFunc(s.RouteTables, func(x ec2types.RouteTable) bool { return aws.ToString(x.RouteTableId) == act.RouteTable })
	case DeleteSecurityGroup:
		g, found := s.SecurityGroup(act.Group)
		if !found {
			return true, &Err{act, "no security group " + act.Group}
		}
		if aws.ToString(g.GroupName) == "default" {
			return true, &Err{act, "a VPC's default group goes with its VPC"}
		}
		for _, e := range s.NetworkInterfaces {
			for _, x := range e.Groups {
				if aws.ToString(x.GroupId) == act.Group {
					return true, &Err{act, "network interface " + aws.ToString(e.NetworkInterfaceId) + " uses " + act.Group}
				}
			}
		}
		for _, o := range s.SecurityGroups {
			if aws.ToString(o.GroupId) == act.Group {
				continue
			}
			for _, p := range append(slices.Clone(o.IpPermissions), o.IpPermissionsEgress...) {
				for _, pair := range p.UserIdGroupPairs {
					if aws.ToString(pair.GroupId) == act.Group {
						return true, &Err{act, aws.ToString(o.GroupId) + " has a rule that references " + act.Group}
					}
				}
			}
		}
		s.SecurityGroups = slices.DeleteFunc(s.SecurityGroups, func(x ec2types.SecurityGroup) bool { return aws.ToString(x.GroupId) == act.Group })
	case DeleteVPC:
		if _, found := s.VPC(act.VPC); !found {
			return true, &Err{act, "no VPC " + act.VPC}
		}
		in := func(v *string) bool { return aws.ToString(v) == act.VPC }
		for _, x := range s.Subnets {
			if in(x.VpcId) {
				return true, &Err{act, "subnet " + aws.ToString(x.SubnetId) + " is in " + act.VPC}
			}
		}
		if g, attached := s.AttachedInternetGateway(act.VPC); attached {
			return true, &Err{act, "internet gateway " + aws.ToString(g.InternetGatewayId) + " is attached to " + act.VPC}
		}
		for _, x := range s.SecurityGroups {
			if in(x.VpcId) && aws.ToString(x.GroupName) != "default" {
				return true, &Err{act, "security group " + aws.ToString(x.GroupId) + " is in " + act.VPC}
			}
		}
		for _, x := range s.RouteTables {
			main := slices.ContainsFunc(x.Associations, func(r ec2types.RouteTableAssociation) bool { return aws.ToBool(r.Main) })
			if in(x.VpcId) && !main {
				return true, &Err{act, "route table " + aws.ToString(x.RouteTableId) + " is in " + act.VPC}
			}
		}
		for _, x := range s.VPCEndpoints {
			if in(x.VpcId) {
				return true, &Err{act, "endpoint " + aws.ToString(x.VpcEndpointId) + " is in " + act.VPC}
			}
		}
		s.VPCs = slices.DeleteFunc(s.VPCs, func(v ec2types.Vpc) bool { return in(v.VpcId) })
		s.RouteTables = slices.DeleteFunc(s.RouteTables, func(v ec2types.RouteTable) bool { return in(v.VpcId) })
		s.SecurityGroups = slices.DeleteFunc(s.SecurityGroups, func(v ec2types.SecurityGroup) bool { return in(v.VpcId) })
		s.NetworkACLs = slices.DeleteFunc(s.NetworkACLs, func(v ec2types.NetworkAcl) bool { return in(v.VpcId) })
	default:
		return false, nil
	}
	return true, nil
}

// blackhole marks the routes through a deleted gateway as AWS shows them.
func blackhole(a *applier, hit func(ec2types.Route) bool) {
	for i := range a.s.RouteTables {
		for j := range a.s.RouteTables[i].Routes {
			if hit(a.s.RouteTables[i].Routes[j]) {
				a.s.RouteTables[i].Routes[j].State = ec2types.RouteStateBlackhole
			}
		}
	}
}

// natENI: a NAT gateway's own interface goes with the gateway (the
// sandbox does not type it, so its id in a gateway's addresses counts).
func natENI(nats []ec2types.NatGateway, e ec2types.NetworkInterface) bool {
	if e.InterfaceType == ec2types.NetworkInterfaceTypeNatGateway {
		return true
	}
	for _, n := range nats {
		for _, a := range n.NatGatewayAddresses {
			if id := aws.ToString(a.NetworkInterfaceId); id != "" && id == aws.ToString(e.NetworkInterfaceId) {
				return true
			}
		}
	}
	return false
}
