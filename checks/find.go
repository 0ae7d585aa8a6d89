package checks

import (
	"net/netip"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/i18n"
)

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// res names a resource type in the reader's language.
func res(id string) i18n.Msg { return i18n.Msg{ID: id} }

// notFound is the result for a resource the lab told the learner to create
// that is not there. The region is named because the most common cause is
// a console or CLI pointed at another region.
func notFound(e *Env, typ, name, fix string) Result {
	return fail("NOT_FOUND", "CheckNotFound", i18n.M{"Type": res(typ), "Name": name, "Region": e.Region()}, fix)
}

// notFoundNamed is notFound for resources found by their own name (ECS
// clusters and services, load balancers), not by a Name tag.
func notFoundNamed(e *Env, typ, name, fix string) Result {
	return fail("NOT_FOUND", "CheckNotFoundNamed", i18n.M{"Type": res(typ), "Name": name, "Region": e.Region()}, fix)
}

// findVPC resolves the vpc parameter; an empty name means "any VPC" and
// returns ok with an empty id.
func findVPC(e *Env, name string) (ec2types.Vpc, *Result) {
	if name == "" {
		return ec2types.Vpc{}, nil
	}
	v, n := e.Snap.VPCByName(name)
	if n == 0 {
		// Only the vpc check knows the lab's CIDR: the others point to it.
		r := notFound(e, "ResVPC", name, "")
		if step := e.stepOf("vpc", "name", name); step != "" && (e.Block == nil || e.Block.Kind != "vpc") {
			r = e.doStepFirst(r, step)
		}
		return v, &r
	}
	return v, nil
}

// findGroup resolves the group parameter (a Name tag or group name) in
// the vpc parameter's VPC.
func findGroup(e *Env, p Params) (ec2types.SecurityGroup, *Result) {
	vpc, r := findVPC(e, p.Str("vpc", ""))
	if r != nil {
		return ec2types.SecurityGroup{}, r
	}
	name := p.Str("group", "")
	sg, ok := e.Snap.SecurityGroupByName(name, str(vpc.VpcId))
	if !ok {
		r := notFound(e, "ResSG", name, "")
		if other, found := e.Snap.SecurityGroupByName(name, ""); found && str(vpc.VpcId) != "" {
			r = inOtherVPC(e, "ResSG", name, str(other.GroupId), str(other.VpcId), str(vpc.VpcId))
		}
		return sg, &r
	}
	return sg, nil
}

// inOtherVPC fails a resource of the lab's name that exists, but in
// another VPC than the lab's (a new terminal's empty $VPC_ID puts it in
// the default VPC): "not found" would be false, and a second one made
// beside it would leave this one behind. Neither can move.
func inOtherVPC(e *Env, typ, name, id, where, vpc string) Result {
	return fail("IN_OTHER_VPC", "CheckInOtherVPC", i18n.M{"Type": res(typ), "Name": name, "ID": id, "Where": where, "VPC": vpc}, "", id, where, vpc)
}

func findSubnet(e *Env, name, vpcName string) (ec2types.Subnet, *Result) {
	vpc, r := findVPC(e, vpcName)
	if r != nil {
		return ec2types.Subnet{}, r
	}
	sn, n := e.Snap.SubnetByName(name, str(vpc.VpcId))
	if n == 0 {
		r := notFound(e, "ResSubnet", name, "")
		if other, found := e.Snap.SubnetByName(name, ""); found > 0 && str(vpc.VpcId) != "" {
			r = inOtherVPC(e, "ResSubnet", name, str(other.SubnetId), str(other.VpcId), str(vpc.VpcId))
		}
		return sn, &r
	}
	return sn, nil
}

var (
	publicIPv4 = netip.MustParseAddr("1.1.1.1")
	publicIPv6 = netip.MustParseAddr("2600::1")
)

// defaultRoute is how a subnet reaches the IPv4 internet, as its effective
// route table says: the route (if any), the table and whether the table is
// the VPC's main one.
type defaultRoute struct {
	table    ec2types.RouteTable
	explicit bool
	route    ec2types.Route
	has      bool
}

func routeOf(e *Env, sn ec2types.Subnet, dst netip.Addr) defaultRoute {
	rt, explicit, ok := e.Snap.RouteTableFor(str(sn.SubnetId), str(sn.VpcId))
	if !ok {
		return defaultRoute{}
	}
	r, has := account.LongestMatch(rt, dst)
	return defaultRoute{table: rt, explicit: explicit, route: r, has: has}
}

// toAttachedIGW reports whether the route goes to an internet gateway that
// is attached to vpcID (a route to a detached one is a blackhole).
func toAttachedIGW(e *Env, r ec2types.Route, vpcID string) bool {
	id := str(r.GatewayId)
	if !strings.HasPrefix(id, "igw-") || r.State == ec2types.RouteStateBlackhole {
		return false
	}
	g, ok := e.Snap.InternetGateway(id)
	return ok && account.IGWAttachedTo(g, vpcID)
}

// isPublic is AWS's definition: a subnet whose route table sends internet
// traffic to an attached internet gateway.
func isPublic(e *Env, sn ec2types.Subnet) bool {
	d := routeOf(e, sn, publicIPv4)
	return d.has && toAttachedIGW(e, d.route, str(sn.VpcId))
}

// target names a route's target id.
func target(r ec2types.Route) string {
	for _, s := range []*string{r.NatGatewayId, r.GatewayId, r.EgressOnlyInternetGatewayId, r.TransitGatewayId,
		r.VpcPeeringConnectionId, r.NetworkInterfaceId, r.InstanceId, r.LocalGatewayId, r.CarrierGatewayId} {
		if str(s) != "" {
			return *s
		}
	}
	return "-"
}
