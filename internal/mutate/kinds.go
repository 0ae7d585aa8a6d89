package mutate

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/vpclab/vpclab/checks/account"
)

// Mutant is one learner mistake, made on the resources a step created.
type Mutant struct {
	Kind   string // e.g. route-delete-default
	Area   string // routes, associations, nat-gateways, ...
	Target string // the resource's Name tag, or its id when it has none
	// Binding marks mistakes about which resource is meant (duplicates, a
	// missing Name, a copy in another Region): another engineer is building
	// resource binding for them, so they are reported apart from the rate.
	Binding bool
	Detail  string // what was done, with the real ids

	apply func(ctx context.Context, c *writeClients) (undo func(context.Context) error, err error)
}

// ID names a mutant stably across runs (no ids): kind:target. Labs declare
// equivalent mutants by it.
func (m *Mutant) ID() string { return m.Kind + ":" + m.Target }

// Kind is a kind of mutation.
type Kind struct {
	ID      string
	Area    string
	Doc     string
	Binding bool
	gen     func(g *gen) []*Mutant
}

// gen is what a kind sees: the account before and after the step.
type gen struct {
	before, after *account.Snapshot
	region        string
	cleanup       bool // the step is the lab's clean-up
	// traffic: a check through this step claims traffic flows (kinds
	// network-acl, egress-path); firstTraffic: this step is the first.
	traffic, firstTraffic bool
}

func (g *gen) isNew(id string, in func(*account.Snapshot) []string) bool {
	for _, x := range in(g.before) {
		if x == id {
			return false
		}
	}
	return true
}

func s(p *string) string { return aws.ToString(p) }

func label(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

// labVPCs are the non-default VPCs (the lab's).
func labVPCs(snap *account.Snapshot) []ec2types.Vpc {
	var out []ec2types.Vpc
	for _, v := range snap.VPCs {
		if !aws.ToBool(v.IsDefault) {
			out = append(out, v)
		}
	}
	return out
}

func inLabVPC(snap *account.Snapshot, vpcID string) bool {
	for _, v := range labVPCs(snap) {
		if s(v.VpcId) == vpcID {
			return true
		}
	}
	return false
}

// routeKey identifies a route with its target, so a replaced route is new.
func routeKey(rt ec2types.RouteTable, r ec2types.Route) string {
	return s(rt.RouteTableId) + "|" + s(r.DestinationCidrBlock) + s(r.DestinationPrefixListId) + "|" + s(r.GatewayId) + s(r.NatGatewayId)
}

func routeKeys(snap *account.Snapshot) map[string]bool {
	m := map[string]bool{}
	for _, rt := range snap.RouteTables {
		for _, r := range rt.Routes {
			m[routeKey(rt, r)] = true
		}
	}
	return m
}

// newDefaultRoutes are the 0.0.0.0/0 routes the step created or changed.
func (g *gen) newDefaultRoutes() []struct {
	rt ec2types.RouteTable
	r  ec2types.Route
} {
	old := routeKeys(g.before)
	var out []struct {
		rt ec2types.RouteTable
		r  ec2types.Route
	}
	for _, rt := range g.after.RouteTables {
		if !inLabVPC(g.after, s(rt.VpcId)) {
			continue
		}
		for _, r := range rt.Routes {
			if s(r.DestinationCidrBlock) == "0.0.0.0/0" && !old[routeKey(rt, r)] {
				out = append(out, struct {
					rt ec2types.RouteTable
					r  ec2types.Route
				}{rt, r})
			}
		}
	}
	return out
}

func isPublicTable(rt ec2types.RouteTable) bool {
	for _, r := range rt.Routes {
		if s(r.DestinationCidrBlock) == "0.0.0.0/0" && strings.HasPrefix(s(r.GatewayId), "igw-") {
			return true
		}
	}
	return false
}

func isMain(rt ec2types.RouteTable) bool {
	for _, a := range rt.Associations {
		if aws.ToBool(a.Main) {
			return true
		}
	}
	return false
}

// tableOf is the route table explicitly associated with subnet.
func tableOf(snap *account.Snapshot, subnet string) (ec2types.RouteTable, ec2types.RouteTableAssociation, bool) {
	for _, rt := range snap.RouteTables {
		for _, a := range rt.Associations {
			if s(a.SubnetId) == subnet {
				return rt, a, true
			}
		}
	}
	return ec2types.RouteTable{}, ec2types.RouteTableAssociation{}, false
}

func subnetPublic(snap *account.Snapshot, subnet string) bool {
	rt, _, ok := tableOf(snap, subnet)
	return ok && isPublicTable(rt)
}

func subnetName(snap *account.Snapshot, id string) string {
	sn, _ := snap.Subnet(id)
	return label(account.Name(sn.Tags), id)
}

func subnetAZ(snap *account.Snapshot, id string) string {
	sn, _ := snap.Subnet(id)
	return s(sn.AvailabilityZone)
}

// createRoute puts a default route back to what r targeted.
func createRouteLike(ctx context.Context, c *writeClients, rtID string, r ec2types.Route) error {
	in := &ec2.CreateRouteInput{RouteTableId: aws.String(rtID), DestinationCidrBlock: r.DestinationCidrBlock,
		GatewayId: r.GatewayId, NatGatewayId: r.NatGatewayId, NetworkInterfaceId: r.NetworkInterfaceId,
		EgressOnlyInternetGatewayId: r.EgressOnlyInternetGatewayId, VpcPeeringConnectionId: r.VpcPeeringConnectionId}
	_, err := c.ec2.CreateRoute(ctx, in)
	return err
}

func replaceDefault(ctx context.Context, c *writeClients, rtID string, nat, gw *string) error {
	_, err := c.ec2.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(rtID),
		DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: nat, GatewayId: gw})
	return err
}

func nameTag(rt, name string) []ec2types.TagSpecification {
	if name == "" {
		return nil
	}
	return []ec2types.TagSpecification{{ResourceType: ec2types.ResourceType(rt), Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

func availableNATs(snap *account.Snapshot) []ec2types.NatGateway {
	var out []ec2types.NatGateway
	for _, n := range snap.NATGateways {
		if n.State == ec2types.NatGatewayStateAvailable && inLabVPC(snap, s(n.VpcId)) {
			out = append(out, n)
		}
	}
	return out
}

func (g *gen) newNATs() []ec2types.NatGateway {
	var out []ec2types.NatGateway
	for _, n := range availableNATs(g.after) {
		if g.isNew(s(n.NatGatewayId), func(sn *account.Snapshot) []string {
			var ids []string
			for _, x := range availableNATs(sn) {
				ids = append(ids, s(x.NatGatewayId))
			}
			return ids
		}) {
			out = append(out, n)
		}
	}
	return out
}

// privateSubnets of vpc: explicitly associated with a table with no IGW route.
func privateSubnets(snap *account.Snapshot, vpc string) []ec2types.Subnet {
	var out []ec2types.Subnet
	for _, sn := range snap.Subnets {
		if s(sn.VpcId) == vpc && !subnetPublic(snap, s(sn.SubnetId)) {
			out = append(out, sn)
		}
	}
	return out
}

func publicSubnets(snap *account.Snapshot, vpc string) []ec2types.Subnet {
	var out []ec2types.Subnet
	for _, sn := range snap.Subnets {
		if s(sn.VpcId) == vpc && subnetPublic(snap, s(sn.SubnetId)) {
			out = append(out, sn)
		}
	}
	return out
}

// pickSameAZ prefers a subnet in az.
func pickSameAZ(subnets []ec2types.Subnet, az string) (ec2types.Subnet, bool) {
	for _, sn := range subnets {
		if s(sn.AvailabilityZone) == az {
			return sn, true
		}
	}
	if len(subnets) > 0 {
		return subnets[0], true
	}
	return ec2types.Subnet{}, false
}

// replaceNAT is a learner who built the NAT gateway differently: the old
// one is deleted, a new one with the same Name is made with the mistake,
// and every route to the old one now points at the new one.
func replaceNAT(g *gen, n ec2types.NatGateway, subnet string, withEIP bool, conn ec2types.ConnectivityType) func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
	name := account.Name(n.Tags)
	var routes []string
	for _, rt := range g.after.RouteTables {
		for _, r := range rt.Routes {
			if s(r.NatGatewayId) == s(n.NatGatewayId) && s(r.DestinationCidrBlock) == "0.0.0.0/0" {
				routes = append(routes, s(rt.RouteTableId))
			}
		}
	}
	var alloc *string
	if withEIP && len(n.NatGatewayAddresses) > 0 {
		alloc = n.NatGatewayAddresses[0].AllocationId
	}
	return func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
		if _, err := c.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: n.NatGatewayId}); err != nil {
			return nil, err
		}
		// AWS frees the address with the NAT gateway; moto keeps it associated.
		for _, a := range g.after.Addresses {
			if alloc != nil && s(a.AllocationId) == s(alloc) && a.AssociationId != nil {
				c.ec2.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: a.AssociationId})
			}
		}
		in := &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnet), TagSpecifications: nameTag("natgateway", name), ConnectivityType: conn}
		if conn != ec2types.ConnectivityTypePrivate {
			in.AllocationId = alloc
		}
		out, err := c.ec2.CreateNatGateway(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, rt := range routes {
			if err := replaceDefault(ctx, c, rt, out.NatGateway.NatGatewayId, nil); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
}

// Kinds lists every mutation kind, in report order.
var Kinds = []Kind{
	// ---- routes ----
	{ID: "route-delete-default", Area: "routes", Doc: "the step's 0.0.0.0/0 route is missing",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, x := range g.newDefaultRoutes() {
				rt, r := x.rt, x.r
				out = append(out, &Mutant{Target: label(account.Name(rt.Tags), s(rt.RouteTableId)),
					Detail: fmt.Sprintf("delete-route %s 0.0.0.0/0 (was %s%s)", s(rt.RouteTableId), s(r.GatewayId), s(r.NatGatewayId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: rt.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0")})
						return func(ctx context.Context) error { return createRouteLike(ctx, c, s(rt.RouteTableId), r) }, err
					}})
			}
			return out
		}},
	{ID: "route-blackhole", Area: "routes", Doc: "0.0.0.0/0 points at a NAT gateway id that does not exist (a blackhole)",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, x := range g.newDefaultRoutes() {
				rt, r := x.rt, x.r
				out = append(out, &Mutant{Target: label(account.Name(rt.Tags), s(rt.RouteTableId)),
					Detail: fmt.Sprintf("replace-route %s 0.0.0.0/0 → nat-0000000000000dead (no such NAT gateway)", s(rt.RouteTableId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						if _, err := c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: rt.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0")}); err != nil {
							return nil, err
						}
						_, err := c.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String("nat-0000000000000dead")})
						return func(ctx context.Context) error {
							c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: rt.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0")})
							return createRouteLike(ctx, c, s(rt.RouteTableId), r)
						}, err
					}})
			}
			return out
		}},
	{ID: "route-to-deleted-nat", Area: "routes", Doc: "0.0.0.0/0 points at a NAT gateway that was deleted",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, x := range g.newDefaultRoutes() {
				rt, r := x.rt, x.r
				if r.NatGatewayId == nil {
					continue
				}
				n, _ := g.after.NATGateway(s(r.NatGatewayId))
				out = append(out, &Mutant{Target: label(account.Name(rt.Tags), s(rt.RouteTableId)),
					Detail: fmt.Sprintf("a NAT gateway in %s created and deleted; %s 0.0.0.0/0 → it", s(n.SubnetId), s(rt.RouteTableId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						nn, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: n.SubnetId})
						if err != nil {
							return nil, err
						}
						if _, err := c.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: nn.NatGateway.NatGatewayId}); err != nil {
							return nil, err
						}
						return nil, replaceDefault(ctx, c, s(rt.RouteTableId), nn.NatGateway.NatGatewayId, nil)
					}})
			}
			return out
		}},
	{ID: "route-other-az-nat", Area: "routes", Doc: "0.0.0.0/0 points at a NAT gateway in another Availability Zone",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, x := range g.newDefaultRoutes() {
				rt, r := x.rt, x.r
				if r.NatGatewayId == nil {
					continue
				}
				cur, _ := g.after.NATGateway(s(r.NatGatewayId))
				for _, n := range availableNATs(g.after) {
					if s(n.VpcId) == s(rt.VpcId) && subnetAZ(g.after, s(n.SubnetId)) != subnetAZ(g.after, s(cur.SubnetId)) {
						out = append(out, &Mutant{Target: label(account.Name(rt.Tags), s(rt.RouteTableId)),
							Detail: fmt.Sprintf("replace-route %s 0.0.0.0/0 → %s (%s)", s(rt.RouteTableId), s(n.NatGatewayId), subnetAZ(g.after, s(n.SubnetId))),
							apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
								return func(ctx context.Context) error {
										return replaceDefault(ctx, c, s(rt.RouteTableId), r.NatGatewayId, nil)
									},
									replaceDefault(ctx, c, s(rt.RouteTableId), n.NatGatewayId, nil)
							}})
						break
					}
				}
			}
			return out
		}},
	{ID: "route-igw-in-private", Area: "routes", Doc: "a private table's 0.0.0.0/0 points at the internet gateway",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, x := range g.newDefaultRoutes() {
				rt, r := x.rt, x.r
				if r.NatGatewayId == nil {
					continue
				}
				igw, ok := g.after.AttachedInternetGateway(s(rt.VpcId))
				if !ok {
					continue
				}
				out = append(out, &Mutant{Target: label(account.Name(rt.Tags), s(rt.RouteTableId)),
					Detail: fmt.Sprintf("replace-route %s 0.0.0.0/0 → %s", s(rt.RouteTableId), s(igw.InternetGatewayId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: rt.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0")})
						_, err := c.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: igw.InternetGatewayId})
						return func(ctx context.Context) error {
							c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: rt.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0")})
							return createRouteLike(ctx, c, s(rt.RouteTableId), r)
						}, err
					}})
			}
			return out
		}},

	// ---- route-table associations ----
	{ID: "assoc-private-on-public", Area: "associations", Doc: "a private subnet is associated with the public route table",
		gen: func(g *gen) []*Mutant {
			return g.assocSwap(false, func(rt ec2types.RouteTable) bool { return isPublicTable(rt) })
		}},
	{ID: "assoc-public-on-private", Area: "associations", Doc: "a public subnet is associated with a private route table",
		gen: func(g *gen) []*Mutant {
			return g.assocSwap(true, func(rt ec2types.RouteTable) bool { return !isPublicTable(rt) && !isMain(rt) })
		}},
	{ID: "assoc-disassociate", Area: "associations", Doc: "a subnet's association is removed (it falls back to the main table)",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, a := range g.newAssociations() {
				cur, _ := routeTable(g.after, s(a.RouteTableId))
				sn, _ := g.after.Subnet(s(a.SubnetId))
				if main, ok := mainTable(g.after, s(sn.VpcId)); !ok || sameRoutes(cur, main) {
					continue // the main table routes alike: nothing changes yet
				}
				out = append(out, &Mutant{Target: subnetName(g.after, s(a.SubnetId)),
					Detail: fmt.Sprintf("disassociate-route-table %s (%s from %s)", s(a.RouteTableAssociationId), s(a.SubnetId), s(a.RouteTableId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: a.RouteTableAssociationId})
						return nil, err
					}})
			}
			return out
		}},

	// ---- NAT gateways ----
	{ID: "nat-delete", Area: "nat-gateways", Doc: "the NAT gateway was deleted",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, n := range g.newNATs() {
				out = append(out, &Mutant{Target: label(account.Name(n.Tags), s(n.NatGatewayId)), Detail: "delete-nat-gateway " + s(n.NatGatewayId),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: n.NatGatewayId})
						return nil, err
					}})
			}
			return out
		}},
	{ID: "nat-in-private-subnet", Area: "nat-gateways", Doc: "the NAT gateway was created in a private subnet",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, n := range g.newNATs() {
				sn, ok := pickSameAZ(privateSubnets(g.after, s(n.VpcId)), subnetAZ(g.after, s(n.SubnetId)))
				if !ok {
					continue
				}
				out = append(out, &Mutant{Target: label(account.Name(n.Tags), s(n.NatGatewayId)),
					Detail: fmt.Sprintf("%s deleted, recreated in private subnet %s (%s), routes re-pointed", s(n.NatGatewayId), subnetName(g.after, s(sn.SubnetId)), s(sn.SubnetId)),
					apply:  replaceNAT(g, n, s(sn.SubnetId), true, "")})
			}
			return out
		}},
	{ID: "nat-no-eip", Area: "nat-gateways", Doc: "the NAT gateway was created without the lab's Elastic IP",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, n := range g.newNATs() {
				if len(n.NatGatewayAddresses) == 0 || n.ConnectivityType == ec2types.ConnectivityTypePrivate {
					continue
				}
				out = append(out, &Mutant{Target: label(account.Name(n.Tags), s(n.NatGatewayId)),
					Detail: fmt.Sprintf("%s deleted, recreated in %s with no allocation id, routes re-pointed", s(n.NatGatewayId), s(n.SubnetId)),
					apply:  replaceNAT(g, n, s(n.SubnetId), false, "")})
			}
			return out
		}},
	{ID: "nat-private-connectivity", Area: "nat-gateways", Doc: "the NAT gateway was created with connectivity type private",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, n := range g.newNATs() {
				if n.ConnectivityType == ec2types.ConnectivityTypePrivate {
					continue
				}
				out = append(out, &Mutant{Target: label(account.Name(n.Tags), s(n.NatGatewayId)),
					Detail: fmt.Sprintf("%s deleted, recreated in %s as --connectivity-type private, routes re-pointed", s(n.NatGatewayId), s(n.SubnetId)),
					apply:  replaceNAT(g, n, s(n.SubnetId), false, ec2types.ConnectivityTypePrivate)})
			}
			return out
		}},

	// ---- internet gateways ----
	{ID: "igw-detach", Area: "internet-gateways", Doc: "the internet gateway is detached from the VPC",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, a := range g.newIGWAttachments() {
				out = append(out, &Mutant{Target: label(account.Name(a.igw.Tags), s(a.igw.InternetGatewayId)),
					Detail: fmt.Sprintf("detach-internet-gateway %s from %s", s(a.igw.InternetGatewayId), a.vpc),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: a.igw.InternetGatewayId, VpcId: aws.String(a.vpc)})
						return func(ctx context.Context) error {
							_, err := c.ec2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: a.igw.InternetGatewayId, VpcId: aws.String(a.vpc)})
							return err
						}, err
					}})
			}
			return out
		}},
	{ID: "igw-delete", Area: "internet-gateways", Doc: "the internet gateway is detached and deleted",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, a := range g.newIGWAttachments() {
				out = append(out, &Mutant{Target: label(account.Name(a.igw.Tags), s(a.igw.InternetGatewayId)),
					Detail: fmt.Sprintf("detach and delete-internet-gateway %s", s(a.igw.InternetGatewayId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						if _, err := c.ec2.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: a.igw.InternetGatewayId, VpcId: aws.String(a.vpc)}); err != nil {
							return nil, err
						}
						_, err := c.ec2.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: a.igw.InternetGatewayId})
						return nil, err
					}})
			}
			return out
		}},

	// ---- Elastic IPs ----
	{ID: "eip-disassociate", Area: "elastic-ips", Doc: "the Elastic IP is no longer associated",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, a := range g.newAddressAssociations() {
				if a.AssociationId == nil {
					continue
				}
				out = append(out, &Mutant{Target: label(account.Name(a.Tags), s(a.AllocationId)),
					Detail: fmt.Sprintf("disassociate-address %s (%s from %s)", s(a.AssociationId), s(a.AllocationId), s(a.NetworkInterfaceId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: a.AssociationId})
						return nil, err
					}})
			}
			return out
		}},
	{ID: "eip-release", Area: "elastic-ips", Doc: "the Elastic IP is released",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, a := range g.newAddressAssociations() {
				out = append(out, &Mutant{Target: label(account.Name(a.Tags), s(a.AllocationId)),
					Detail: fmt.Sprintf("release-address %s", s(a.AllocationId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						if a.AssociationId != nil {
							if _, err := c.ec2.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: a.AssociationId}); err != nil {
								return nil, err
							}
						}
						_, err := c.ec2.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId})
						return nil, err
					}})
			}
			return out
		}},

	// ---- security groups ----
	{ID: "sg-revoke-egress", Area: "security-groups", Doc: "the security group has no outbound rules",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, sg := range g.newSGs() {
				if len(sg.IpPermissionsEgress) == 0 {
					continue
				}
				out = append(out, &Mutant{Target: s(sg.GroupName), Detail: "revoke-security-group-egress (all) on " + s(sg.GroupId),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						return g.revoke(ctx, c, sg, true, sg.IpPermissionsEgress)
					}})
			}
			return out
		}},
	{ID: "sg-egress-no-443", Area: "security-groups", Doc: "the security group allows outbound port 80 only",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, sg := range g.newSGs() {
				if len(sg.IpPermissionsEgress) == 0 {
					continue
				}
				out = append(out, &Mutant{Target: s(sg.GroupName), Detail: "egress of " + s(sg.GroupId) + " replaced by tcp 80 to 0.0.0.0/0",
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						undo, err := g.revoke(ctx, c, sg, true, sg.IpPermissionsEgress)
						if err != nil {
							return nil, err
						}
						p80 := []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}
						if _, err := c.ec2.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: sg.GroupId, IpPermissions: p80}); err != nil {
							return undo, err
						}
						return func(ctx context.Context) error {
							c.ec2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: sg.GroupId, IpPermissions: p80})
							return undo(ctx)
						}, nil
					}})
			}
			return out
		}},
	{ID: "sg-open-ingress-443", Area: "security-groups", Doc: "a task or endpoint security group allows 443 from 0.0.0.0/0",
		gen: func(g *gen) []*Mutant {
			return g.openIngress(ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}, "tcp 443")
		}},
	{ID: "sg-open-ingress-all", Area: "security-groups", Doc: "a task or endpoint security group allows all traffic from 0.0.0.0/0",
		gen: func(g *gen) []*Mutant {
			return g.openIngress(ec2types.IpPermission{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}, "all traffic")
		}},
	{ID: "sg-source-group-removed", Area: "security-groups", Doc: "an inbound rule from another security group is removed",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, sg := range g.newSGsOrRules() {
				var perms []ec2types.IpPermission
				for _, p := range sg.IpPermissions {
					if len(p.UserIdGroupPairs) > 0 {
						perms = append(perms, p)
					}
				}
				if len(perms) == 0 {
					continue
				}
				out = append(out, &Mutant{Target: s(sg.GroupName), Detail: "revoke-security-group-ingress (source-group rules) on " + s(sg.GroupId),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						return g.revoke(ctx, c, sg, false, perms)
					}})
			}
			return out
		}},

	// ---- network ACLs ----
	{ID: "nacl-deny-egress-all", Area: "network-acls", Doc: "the subnet's network ACL denies all outbound traffic (rule 1)",
		gen: func(g *gen) []*Mutant { return g.naclEntry(true, "-1", 0, 0) }},
	{ID: "nacl-deny-ingress-all", Area: "network-acls", Doc: "the subnet's network ACL denies all inbound traffic (rule 1)",
		gen: func(g *gen) []*Mutant { return g.naclEntry(false, "-1", 0, 0) }},
	{ID: "nacl-deny-ephemeral-in", Area: "network-acls", Doc: "the network ACL denies the replies (inbound tcp 1024-65535)",
		gen: func(g *gen) []*Mutant { return g.naclEntry(false, "6", 1024, 65535) }},
	{ID: "nacl-deny-443-out", Area: "network-acls", Doc: "the network ACL denies outbound tcp 443",
		gen: func(g *gen) []*Mutant { return g.naclEntry(true, "6", 443, 443) }},

	// ---- VPC attributes ----
	{ID: "vpc-dns-support-off", Area: "vpc-attributes", Doc: "the VPC's DNS resolution is off",
		gen: func(g *gen) []*Mutant { return g.vpcAttr(true) }},
	{ID: "vpc-dns-hostnames-off", Area: "vpc-attributes", Doc: "the VPC's DNS hostnames are off",
		gen: func(g *gen) []*Mutant { return g.vpcAttr(false) }},

	// ---- gateway endpoints ----
	{ID: "gwep-remove-route-table", Area: "gateway-endpoints", Doc: "the gateway endpoint is no longer on the private route table",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, e := range g.newEndpoints(ec2types.VpcEndpointTypeGateway) {
				if len(e.RouteTableIds) == 0 {
					continue
				}
				rt := e.RouteTableIds[0]
				out = append(out, &Mutant{Target: label(account.Name(e.Tags), s(e.VpcEndpointId)),
					Detail: fmt.Sprintf("modify-vpc-endpoint %s --remove-route-table-ids %s, and its prefix-list route deleted", s(e.VpcEndpointId), rt),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						if _, err := c.ec2.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: e.VpcEndpointId, RemoveRouteTableIds: []string{rt}}); err != nil {
							return nil, err
						}
						// moto leaves the route; AWS removes it.
						for _, t := range g.after.RouteTables {
							if s(t.RouteTableId) != rt {
								continue
							}
							for _, r := range t.Routes {
								if s(r.GatewayId) == s(e.VpcEndpointId) && r.DestinationPrefixListId != nil {
									c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rt), DestinationPrefixListId: r.DestinationPrefixListId})
								}
							}
						}
						return nil, nil
					}})
			}
			return out
		}},
	{ID: "gwep-delete", Area: "gateway-endpoints", Doc: "the gateway endpoint was deleted",
		gen: func(g *gen) []*Mutant { return g.deleteEndpoints(ec2types.VpcEndpointTypeGateway) }},

	// ---- interface endpoints ----
	{ID: "ifep-private-dns-off", Area: "interface-endpoints", Doc: "the interface endpoint's private DNS is off",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, e := range g.newEndpoints(ec2types.VpcEndpointTypeInterface) {
				if !aws.ToBool(e.PrivateDnsEnabled) {
					continue
				}
				out = append(out, &Mutant{Target: label(account.Name(e.Tags), s(e.ServiceName)), Detail: "modify-vpc-endpoint " + s(e.VpcEndpointId) + " --no-private-dns-enabled",
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: e.VpcEndpointId, PrivateDnsEnabled: aws.Bool(false)})
						return func(ctx context.Context) error {
							_, err := c.ec2.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: e.VpcEndpointId, PrivateDnsEnabled: aws.Bool(true)})
							return err
						}, err
					}})
			}
			return out
		}},
	{ID: "ifep-remove-subnet", Area: "interface-endpoints", Doc: "the interface endpoint lost one of its subnets",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, e := range g.newEndpoints(ec2types.VpcEndpointTypeInterface) {
				if len(e.SubnetIds) == 0 {
					continue
				}
				sn := e.SubnetIds[0]
				out = append(out, &Mutant{Target: label(account.Name(e.Tags), s(e.ServiceName)), Detail: fmt.Sprintf("modify-vpc-endpoint %s --remove-subnet-ids %s", s(e.VpcEndpointId), sn),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: e.VpcEndpointId, RemoveSubnetIds: []string{sn}})
						return nil, err
					}})
			}
			return out
		}},
	{ID: "ifep-sg-without-443", Area: "interface-endpoints", Doc: "the interface endpoint's security group does not allow 443 in",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			seen := map[string]bool{}
			for _, e := range g.newEndpoints(ec2types.VpcEndpointTypeInterface) {
				for _, gi := range e.Groups {
					sg, ok := g.after.SecurityGroup(s(gi.GroupId))
					if !ok || seen[s(sg.GroupId)] {
						continue
					}
					seen[s(sg.GroupId)] = true
					var perms []ec2types.IpPermission
					for _, p := range sg.IpPermissions {
						if s(p.IpProtocol) == "-1" || (aws.ToInt32(p.FromPort) <= 443 && aws.ToInt32(p.ToPort) >= 443) {
							perms = append(perms, p)
						}
					}
					if len(perms) == 0 {
						continue
					}
					out = append(out, &Mutant{Target: s(sg.GroupName), Detail: "revoke-security-group-ingress (rules covering 443) on " + s(sg.GroupId),
						apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
							return g.revoke(ctx, c, sg, false, perms)
						}})
				}
			}
			return out
		}},
	{ID: "ifep-delete", Area: "interface-endpoints", Doc: "an interface endpoint was deleted",
		gen: func(g *gen) []*Mutant { return g.deleteEndpoints(ec2types.VpcEndpointTypeInterface) }},

	// ---- ECS tasks and services ----
	{ID: "ecs-task-stop", Area: "ecs", Doc: "the task was stopped",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, t := range g.newTasks() {
				out = append(out, &Mutant{Target: account.TaskFamily(s(t.TaskDefinitionArn)), Detail: "stop-task " + s(t.TaskArn),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: t.ClusterArn, Task: t.TaskArn})
						return nil, err
					}})
			}
			return out
		}},
	{ID: "ecs-task-public-subnet", Area: "ecs", Doc: "the task runs in a public subnet with assignPublicIp=DISABLED",
		gen: func(g *gen) []*Mutant { return g.rerunTask(false) }},
	{ID: "ecs-task-public-ip", Area: "ecs", Doc: "the task runs with assignPublicIp=ENABLED",
		gen: func(g *gen) []*Mutant { return g.rerunTask(true) }},
	{ID: "ecs-task-default-sg", Area: "ecs", Doc: "the task runs in the VPC's default security group (run without --security-groups)",
		gen: func(g *gen) []*Mutant { return g.rerunTaskDefaultSG() }},
	{ID: "ecs-task-unregistered", Area: "ecs", Doc: "the task run by hand is not registered in its target group (register-targets forgotten)",
		gen: func(g *gen) []*Mutant { return g.deregisterTasks() }},
	{ID: "ecs-service-default-sg", Area: "ecs", Doc: "the service's tasks run in the VPC's default security group",
		gen: func(g *gen) []*Mutant { return g.updateService("default-sg") }},
	{ID: "ecs-service-public-subnet", Area: "ecs", Doc: "the service's tasks are placed in public subnets",
		gen: func(g *gen) []*Mutant { return g.updateService("public-subnet") }},
	{ID: "ecs-service-public-ip", Area: "ecs", Doc: "the service assigns public IPs",
		gen: func(g *gen) []*Mutant { return g.updateService("public-ip") }},
	{ID: "ecs-service-desired-zero", Area: "ecs", Doc: "the service's desired count is 0",
		gen: func(g *gen) []*Mutant { return g.updateService("zero") }},

	// ---- load balancers ----
	{ID: "elb-private-subnets", Area: "load-balancers", Doc: "the internet-facing load balancer is in private subnets",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, lb := range g.newLBs() {
				priv := privateSubnets(g.after, s(lb.VpcId))
				byAZ := map[string]string{}
				for _, sn := range priv {
					if _, ok := byAZ[s(sn.AvailabilityZone)]; !ok {
						byAZ[s(sn.AvailabilityZone)] = s(sn.SubnetId)
					}
				}
				var ids []string
				for _, id := range byAZ {
					ids = append(ids, id)
				}
				sort.Strings(ids)
				if len(ids) < 2 {
					continue
				}
				var orig []string
				for _, az := range lb.AvailabilityZones {
					orig = append(orig, s(az.SubnetId))
				}
				out = append(out, &Mutant{Target: s(lb.LoadBalancerName), Detail: fmt.Sprintf("set-subnets %s → %v", s(lb.LoadBalancerName), ids),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.elb.SetSubnets(ctx, &elbv2.SetSubnetsInput{LoadBalancerArn: lb.LoadBalancerArn, Subnets: ids})
						return func(ctx context.Context) error {
							_, err := c.elb.SetSubnets(ctx, &elbv2.SetSubnetsInput{LoadBalancerArn: lb.LoadBalancerArn, Subnets: orig})
							return err
						}, err
					}})
			}
			return out
		}},
	{ID: "elb-default-sg", Area: "load-balancers", Doc: "the load balancer has the VPC's default security group instead of its own",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, lb := range g.newLBs() {
				def, ok := g.after.SecurityGroupByName("default", s(lb.VpcId))
				if !ok || len(lb.SecurityGroups) == 0 {
					continue
				}
				orig := lb.SecurityGroups
				out = append(out, &Mutant{Target: s(lb.LoadBalancerName), Detail: fmt.Sprintf("set-security-groups %s → %s", s(lb.LoadBalancerName), s(def.GroupId)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.elb.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: []string{s(def.GroupId)}})
						return func(ctx context.Context) error {
							_, err := c.elb.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: orig})
							return err
						}, err
					}})
			}
			return out
		}},
	// No "elb-delete": after it the sandbox can only be restored by a
	// replay, and moto 5.2.1 does not replay load balancers
	// deterministically (the restore then fails and stops the lab's pass);
	// a deleted load balancer also has no proven fix yet (creating one is
	// explained, not commanded).

	// ---- clean-up ----
	{ID: "cleanup-leftover-eip", Area: "cleanup", Doc: "an Elastic IP of the lab was not released",
		gen: func(g *gen) []*Mutant {
			if !g.cleanup {
				return nil
			}
			var out []*Mutant
			for _, a := range g.before.Addresses {
				name := account.Name(a.Tags)
				if name == "" || g.hasAddress(name) {
					continue
				}
				out = append(out, &Mutant{Target: name, Detail: "allocate-address tagged Name=" + name,
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						o, err := c.ec2.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: nameTag("elastic-ip", name)})
						if err != nil {
							return nil, err
						}
						return func(ctx context.Context) error {
							_, err := c.ec2.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: o.AllocationId})
							return err
						}, nil
					}})
			}
			return out
		}},
	{ID: "cleanup-leftover-nat", Area: "cleanup", Doc: "a NAT gateway of the lab was not deleted (nor its VPC)",
		gen: func(g *gen) []*Mutant { return g.leftover("nat") }},
	{ID: "cleanup-leftover-endpoint", Area: "cleanup", Doc: "an interface endpoint of the lab was not deleted (nor its VPC)",
		gen: func(g *gen) []*Mutant { return g.leftover("endpoint") }},

	// ---- binding: which resource is meant ----
	{ID: "dup-nat", Area: "binding", Binding: true, Doc: "the NAT gateway step was run twice: a second NAT gateway with the same Name",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, n := range g.newNATs() {
				out = append(out, &Mutant{Target: label(account.Name(n.Tags), s(n.NatGatewayId)), Detail: "a second NAT gateway named " + account.Name(n.Tags) + " in " + s(n.SubnetId),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: n.SubnetId, TagSpecifications: nameTag("natgateway", account.Name(n.Tags))})
						return nil, err
					}})
			}
			return out
		}},
	{ID: "dup-vpc", Area: "binding", Binding: true, Doc: "the VPC step was run twice: a second VPC with the same Name",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			for _, v := range g.newVPCs() {
				out = append(out, &Mutant{Target: label(account.Name(v.Tags), s(v.VpcId)), Detail: "a second VPC named " + account.Name(v.Tags) + " (" + s(v.CidrBlock) + ")",
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						o, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: v.CidrBlock, TagSpecifications: nameTag("vpc", account.Name(v.Tags))})
						if err != nil {
							return nil, err
						}
						return func(ctx context.Context) error {
							_, err := c.ec2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: o.Vpc.VpcId})
							return err
						}, nil
					}})
			}
			return out
		}},
	{ID: "missing-name-tag", Area: "binding", Binding: true, Doc: "a resource the step created has no Name tag",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			add := func(id, name string) {
				if name == "" {
					return
				}
				out = append(out, &Mutant{Target: name, Detail: "delete-tags Name from " + id,
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.ec2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: []ec2types.Tag{{Key: aws.String("Name")}}})
						return func(ctx context.Context) error {
							_, err := c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}})
							return err
						}, err
					}})
			}
			for _, v := range g.newVPCs() {
				add(s(v.VpcId), account.Name(v.Tags))
			}
			for _, n := range g.newNATs() {
				add(s(n.NatGatewayId), account.Name(n.Tags))
			}
			old := map[string]bool{}
			for _, sn := range g.before.Subnets {
				old[s(sn.SubnetId)] = true
			}
			for _, sn := range g.after.Subnets {
				if !old[s(sn.SubnetId)] && inLabVPC(g.after, s(sn.VpcId)) {
					add(s(sn.SubnetId), account.Name(sn.Tags))
					break // one subnet stands for the step's subnets
				}
			}
			return out
		}},
	{ID: "copy-other-region", Area: "binding", Binding: true, Doc: "a copy of the step's VPC was also built in another Region",
		gen: func(g *gen) []*Mutant {
			var out []*Mutant
			other := "us-west-2"
			if g.region == other {
				other = "eu-west-1"
			}
			for _, v := range g.newVPCs() {
				out = append(out, &Mutant{Target: label(account.Name(v.Tags), s(v.VpcId)), Detail: "a VPC named " + account.Name(v.Tags) + " in " + other,
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						opt := func(o *ec2.Options) { o.Region = other }
						o, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: v.CidrBlock, TagSpecifications: nameTag("vpc", account.Name(v.Tags))}, opt)
						if err != nil {
							return nil, err
						}
						return func(ctx context.Context) error {
							_, err := c.ec2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: o.Vpc.VpcId}, opt)
							return err
						}, nil
					}})
			}
			return out
		}},
}

func init() {
	for i := range Kinds {
		k := &Kinds[i]
		inner := k.gen
		k.gen = func(g *gen) []*Mutant {
			ms := inner(g)
			for _, m := range ms {
				m.Kind, m.Area, m.Binding = k.ID, k.Area, k.Binding
			}
			return ms
		}
	}
}

// ecsTypesUsed keeps the import for helpers in kinds_helpers.go readable.
var _ = ecstypes.AssignPublicIpEnabled
