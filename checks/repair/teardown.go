package repair

import (
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
)

// TeardownVPC deletes a VPC and what a lab put in it, in the order
// AWS requires: NAT gateways (and their Elastic IPs once they are gone),
// internet gateways, subnets, route tables, security groups, the VPC.
// Empty when the VPC holds what vpclab does not delete for a learner
// (endpoints, load balancers, other network interfaces).
func TeardownVPC(s *account.Snapshot, id string, keepEIPs map[string]bool) *Plan {
	for _, e := range s.VPCEndpoints {
		if aws.ToString(e.VpcId) == id {
			return nil
		}
	}
	for _, lb := range s.LoadBalancers {
		if aws.ToString(lb.VpcId) == id {
			return nil
		}
	}
	for _, e := range s.NetworkInterfaces {
		if aws.ToString(e.VpcId) == id && !natENI(s.NATGateways, e) {
			return nil
		}
	}
	p := New()
	var release []string
	for _, n := range s.NATGateways {
		if aws.ToString(n.VpcId) == id && (n.State == ec2types.NatGatewayStateAvailable || n.State == ec2types.NatGatewayStatePending || n.State == "") {
			p.Add(Action{Op: DeleteNATGateway, NAT: aws.ToString(n.NatGatewayId)})
			for _, a := range n.NatGatewayAddresses {
				if al := aws.ToString(a.AllocationId); al != "" && !keepEIPs[al] {
					release = append(release, al)
				}
			}
		}
	}
	for _, al := range release {
		p.Add(Action{Op: ReleaseAddress, Alloc: al})
	}
	for _, g := range s.InternetGateways {
		for _, a := range g.Attachments {
			if aws.ToString(a.VpcId) == id {
				gid := aws.ToString(g.InternetGatewayId)
				p.Add(Action{Op: DetachInternetGateway, IGW: gid, VPC: id}, Action{Op: DeleteInternetGateway, IGW: gid})
			}
		}
	}
	for _, sn := range s.Subnets {
		if aws.ToString(sn.VpcId) == id {
			p.Add(Action{Op: DeleteSubnet, Subnet: aws.ToString(sn.SubnetId)})
		}
	}
	for _, t := range s.RouteTables {
		if aws.ToString(t.VpcId) != id {
			continue
		}
		main := false
		for _, a := range t.Associations {
			main = main || (a.Main != nil && *a.Main)
		}
		if !main {
			p.Add(Action{Op: DeleteRouteTable, RouteTable: aws.ToString(t.RouteTableId)})
		}
	}
	var groups []string
	for _, g := range s.SecurityGroups {
		if aws.ToString(g.VpcId) == id && aws.ToString(g.GroupName) != "default" {
			groups = append(groups, aws.ToString(g.GroupId))
		}
	}
	sort.Strings(groups)
	// A group another group's rule names cannot go first: AWS refuses.
	// Rules between the twin's own groups are revoked first.
	for _, gid := range groups {
		g, _ := s.SecurityGroup(gid)
		for _, dir := range []struct {
			perms []ec2types.IpPermission
			op    Op
		}{{g.IpPermissions, RevokeIngress}, {g.IpPermissionsEgress, RevokeEgress}} {
			for _, perm := range dir.perms {
				for _, pair := range perm.UserIdGroupPairs {
					if slices.Contains(groups, aws.ToString(pair.GroupId)) {
						p.Add(Action{Op: dir.op, Group: gid, Rule: &Rule{Protocol: ruleProto(perm), From: int(aws.ToInt32(perm.FromPort)), To: int(aws.ToInt32(perm.ToPort)), Group: aws.ToString(pair.GroupId)}})
					}
				}
			}
		}
	}
	for _, g := range groups {
		p.Add(Action{Op: DeleteSecurityGroup, Group: g})
	}
	p.Add(Action{Op: DeleteVPC, VPC: id})
	return p
}

// ruleProto is a rule's protocol as the CLI spells it ("6" is tcp).
func ruleProto(p ec2types.IpPermission) string {
	switch x := strings.ToLower(aws.ToString(p.IpProtocol)); x {
	case "6":
		return "tcp"
	case "all":
		return "-1"
	default:
		return x
	}
}
