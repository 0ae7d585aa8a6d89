package binding

import (
	"strings"
	"time"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
)

// item is one resource of any bindable type, reduced to what binding
// compares: its names, where it sits and what it is wired to.
type item struct {
	typ     account.Resource
	id      string
	name    string // Name tag ("" = untagged)
	alt     string // a second name: a security group's group name, a load balancer's name
	vpc     string
	subnet  string
	cidr    string
	az      string
	created *time.Time
	isDef   bool     // the default VPC, a default security group, a main route table
	subnets []string // route table: explicitly associated subnets
	vpcs    []string // internet gateway: attached VPCs
	allocs  []string // NAT gateway: Elastic IP allocations; EIP: its own allocation id and public IP
	assoc   bool     // EIP: associated with something
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// liveNAT: a deleted, deleting or failed NAT gateway is history, not a
// twin; it neither bills nor routes.
func liveNAT(st ec2types.NatGatewayState) bool {
	return st == ec2types.NatGatewayStateAvailable || st == ec2types.NatGatewayStatePending || st == ""
}

// items lists the live resources of type r in s.
func items(s *account.Snapshot, r account.Resource) []item {
	var out []item
	switch r {
	case account.VPCs:
		for _, v := range s.VPCs {
			out = append(out, item{typ: r, id: str(v.VpcId), name: account.Name(v.Tags), cidr: str(v.CidrBlock), isDef: v.IsDefault != nil && *v.IsDefault})
		}
	case account.Subnets:
		for _, x := range s.Subnets {
			out = append(out, item{typ: r, id: str(x.SubnetId), name: account.Name(x.Tags), vpc: str(x.VpcId), cidr: str(x.CidrBlock), az: str(x.AvailabilityZone)})
		}
	case account.RouteTables:
		for _, t := range s.RouteTables {
			it := item{typ: r, id: str(t.RouteTableId), name: account.Name(t.Tags), vpc: str(t.VpcId)}
			for _, a := range t.Associations {
				if a.Main != nil && *a.Main {
					it.isDef = true
				}
				if id := str(a.SubnetId); id != "" {
					it.subnets = append(it.subnets, id)
				}
			}
			out = append(out, it)
		}
	case account.InternetGateways:
		for _, g := range s.InternetGateways {
			it := item{typ: r, id: str(g.InternetGatewayId), name: account.Name(g.Tags)}
			for _, a := range g.Attachments {
				if account.IGWAttachedTo(g, str(a.VpcId)) {
					it.vpcs = append(it.vpcs, str(a.VpcId))
				}
			}
			out = append(out, it)
		}
	case account.NATGateways:
		for _, n := range s.NATGateways {
			if !liveNAT(n.State) {
				continue
			}
			it := item{typ: r, id: str(n.NatGatewayId), name: account.Name(n.Tags), vpc: str(n.VpcId), subnet: str(n.SubnetId), created: n.CreateTime}
			for _, a := range n.NatGatewayAddresses {
				if id := str(a.AllocationId); id != "" {
					it.allocs = append(it.allocs, id)
				}
			}
			out = append(out, it)
		}
	case account.Addresses:
		for _, a := range s.Addresses {
			out = append(out, item{typ: r, id: str(a.AllocationId), name: account.Name(a.Tags), allocs: []string{str(a.AllocationId), str(a.PublicIp)},
				assoc: str(a.AssociationId) != "" || str(a.NetworkInterfaceId) != "" || str(a.InstanceId) != ""})
		}
	case account.SecurityGroups:
		for _, g := range s.SecurityGroups {
			out = append(out, item{typ: r, id: str(g.GroupId), name: account.Name(g.Tags), alt: str(g.GroupName), vpc: str(g.VpcId), isDef: str(g.GroupName) == "default"})
		}
	case account.LoadBalancers:
		for _, lb := range s.LoadBalancers {
			out = append(out, item{typ: r, id: str(lb.LoadBalancerArn), alt: str(lb.LoadBalancerName), vpc: str(lb.VpcId), created: lb.CreatedTime})
		}
	}
	return out
}

// fold compares names the way a hurried learner types them: case and
// surrounding or repeated whitespace do not matter.
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// names is what an item answers to exactly: a Name tag, and for security
// groups and load balancers their own name.
func (it item) exact(name string) bool {
	return name != "" && (it.name == name || it.alt == name)
}

// typo reports whether the item's name is one or two edits from name (a
// typo: vpclab-frist), for names long enough that two edits is not another
// name altogether.
func (it item) typo(name string) bool {
	return len(name) >= 6 && it.name != "" && !it.folded(name) && content.Suggest(fold(it.name), []string{fold(name)}) != ""
}

func (it item) folded(name string) bool {
	return name != "" && (fold(it.name) == fold(name) || (it.alt != "" && fold(it.alt) == fold(name)))
}
