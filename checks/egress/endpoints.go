package egress

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

type endpointKind int

const (
	gatewayEndpoint endpointKind = iota
	interfaceEndpoint
)

// endpoints lists this VPC's endpoints of one kind for a service of the
// snapshot's region, sorted by id so that results are stable.
func (a *analyzer) endpoints(short string, kind endpointKind) []ec2types.VpcEndpoint {
	var out []ec2types.VpcEndpoint
	for _, e := range a.s.EndpointsIn(a.vpcID, short) {
		// Cross-Region endpoints carry another Region's service name: they
		// are not the regional endpoint the task's SDK resolves.
		if a.s.Region != "" && str(e.ServiceName) != "com.amazonaws."+a.s.Region+"."+short {
			continue
		}
		// moto omits VpcEndpointType on gateway endpoints; only S3 and
		// DynamoDB have gateway endpoints, so an untyped one of another
		// service is an interface endpoint.
		gwService := short == "s3" || short == "dynamodb"
		isGateway := e.VpcEndpointType == ec2types.VpcEndpointTypeGateway || (e.VpcEndpointType == "" && gwService)
		isInterface := e.VpcEndpointType == ec2types.VpcEndpointTypeInterface || (e.VpcEndpointType == "" && !gwService)
		if (kind == gatewayEndpoint && isGateway) || (kind == interfaceEndpoint && isInterface) {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return str(out[i].VpcEndpointId) < str(out[j].VpcEndpointId) })
	return out
}

// endpointAvailable: AWS says "Available", moto "available"; an empty
// state is taken as available.
func endpointAvailable(e ec2types.VpcEndpoint) bool {
	return e.State == "" || strings.EqualFold(string(e.State), string(ec2types.StateAvailable))
}

// s3 walks the path to Amazon S3: through a gateway endpoint on the source
// route table when there is one, else (if allowed) an S3 interface
// endpoint, else the internet. An egress rule to the S3 prefix list
// allows S3 on any path: the list holds S3's public ranges.
func (a *analyzer) s3(service string, allowInterface bool) legResult {
	var plIDs []string
	s3pl := ""
	if pl, ok := a.s.PrefixListByName("com.amazonaws." + a.s.Region + ".s3"); ok && str(pl.PrefixListId) != "" {
		s3pl = str(pl.PrefixListId)
		plIDs = append(plIDs, s3pl)
	}
	gws := a.endpoints("s3", gatewayEndpoint)
	rtID := str(a.rt.RouteTableId)
	if a.rtOK {
		for _, r := range a.rt.Routes {
			dpl, tgt := str(r.DestinationPrefixListId), routeTarget(r)
			ep, isS3EP := findEndpoint(gws, tgt)
			if !isS3EP && (s3pl == "" || dpl != s3pl) {
				continue
			}
			if dpl != "" && !slices.Contains(plIDs, dpl) {
				plIDs = append(plIDs, dpl)
			}
			if strings.HasPrefix(tgt, "vpce-") || tgt == "" {
				return a.viaGateway(service, &r, ep, isS3EP, plIDs)
			}
			// A route for the S3 prefix list to some other target (a NAT
			// gateway, say) is more specific than 0.0.0.0/0: follow it.
			return a.internet(service, false, plIDs, &r)
		}
		// moto's ModifyVpcEndpoint adds a table without its route; in AWS
		// the route exists whenever the endpoint lists the table.
		for _, ep := range gws {
			if slices.Contains(ep.RouteTableIds, rtID) {
				return a.viaGateway(service, nil, ep, true, plIDs)
			}
		}
	}
	if allowInterface {
		if eps := a.endpoints("s3", interfaceEndpoint); len(eps) > 0 {
			return a.viaInterface(service, eps, plIDs)
		}
	}
	inet := a.internet(service, false, plIDs, nil)
	if !inet.reachable() && inet.routed && len(gws) > 0 {
		// Blocked on the way out, not by the source's own rules (which
		// would block the endpoint path alike): the gateway endpoint
		// would carry it, were it on this route table.
		hops := inet.leg.Hops
		if i := slices.IndexFunc(hops, func(h Hop) bool { return h.Kind == "route-table" }); i >= 0 {
			hops = hops[:i+1]
		}
		inet.leg.Hops = hops
		inet.leg.Block = &Block{Code: VPCEGatewayRouteMissing, Component: str(gws[0].VpcEndpointId),
			Detail: map[string]string{"route_table": rtID, "subnet": a.subnetID}}
	}
	return inet
}

func findEndpoint(eps []ec2types.VpcEndpoint, id string) (ec2types.VpcEndpoint, bool) {
	if id == "" {
		return ec2types.VpcEndpoint{}, false
	}
	for _, e := range eps {
		if str(e.VpcEndpointId) == id {
			return e, true
		}
	}
	return ec2types.VpcEndpoint{}, false
}

// viaGateway walks to S3 through gateway endpoint ep, reached by route r
// (nil: the endpoint lists the table but the route is not in the
// snapshot). NACLs cannot name prefix lists, so the source ACL is judged
// for a public address: a rule for 0.0.0.0/0 passes it.
func (a *analyzer) viaGateway(service string, r *ec2types.Route, ep ec2types.VpcEndpoint, epFound bool, plIDs []string) legResult {
	w := &walk{service: service}
	if b := a.source(w, target{peer: publicV4, label: "0.0.0.0/0", plIDs: plIDs}); b != nil {
		return w.fail(b)
	}
	w.routed = true
	rtID, epID := str(a.rt.RouteTableId), str(ep.VpcEndpointId)
	if r == nil {
		pl := "s3"
		if len(plIDs) > 0 {
			pl = plIDs[0]
		}
		w.hop("route-table", rtID, pl+" → "+epID+" (endpoint association)")
	} else {
		rdst, tgt := routeDest(*r), routeTarget(*r)
		w.hop("route-table", rtID, rdst+" → "+tgt)
		if r.State == ec2types.RouteStateBlackhole {
			return w.block(BadStateRoute, rtID, map[string]string{"cidr": rdst, "target": tgt, "state": string(r.State)})
		}
		if !epFound {
			return w.block(BadStateRoute, rtID, map[string]string{"cidr": rdst, "target": tgt, "reason": "target not found"})
		}
	}
	w.hop("gateway-endpoint", epID, "")
	if !endpointAvailable(ep) {
		return w.block(BadState, epID, map[string]string{"state": string(ep.State)})
	}
	return w.reach("gateway-endpoint")
}

// interfaceService walks to an AWS service through its interface endpoint
// in the VPC, or the internet when there is none.
func (a *analyzer) interfaceService(service string) legResult {
	eps := a.endpoints(service, interfaceEndpoint)
	if len(eps) == 0 {
		return a.internet(service, false, nil, nil)
	}
	return a.viaInterface(service, eps, nil)
}

// viaInterface walks to an interface endpoint. Clients find it by DNS:
// when its private DNS name cannot answer, the service's public name
// still resolves and traffic takes the internet path; the endpoint's
// problem is then a warning if that path works, else the blocker.
func (a *analyzer) viaInterface(service string, eps []ec2types.VpcEndpoint, plIDs []string) legResult {
	ep := bestInterface(eps)
	epID := str(ep.VpcEndpointId)
	if b := a.dnsProblem(ep); b != nil {
		inet := a.internet(service, false, plIDs, nil)
		if inet.reachable() {
			inet.warnings = append(inet.warnings, *b)
		} else {
			inet.leg.Block = b
		}
		return inet
	}

	// DNS answers with one address per endpoint subnet; judge the one in
	// the source's AZ (else the first), and the VPC CIDR when unknown.
	var epSubnetID string
	inAZ := false
	subnetIDs := slices.Sorted(slices.Values(ep.SubnetIds))
	for _, id := range subnetIDs {
		if sub, ok := a.s.Subnet(id); ok && a.az != "" && str(sub.AvailabilityZone) == a.az {
			epSubnetID, inAZ = id, true
			break
		}
	}
	if epSubnetID == "" && len(subnetIDs) > 0 {
		epSubnetID = subnetIDs[0]
	}
	peer := a.vpcCIDR
	if sub, ok := a.s.Subnet(epSubnetID); ok && prefix(str(sub.CidrBlock)).IsValid() {
		peer = prefix(str(sub.CidrBlock))
	}
	groups, missing := a.endpointGroups(ep)
	groupIDs := make([]string, 0, len(groups))
	for _, g := range groups {
		groupIDs = append(groupIDs, str(g.GroupId))
	}

	w := &walk{service: service}
	t := target{peer: peer, label: peer.String(), groups: groupIDs, sameSubnet: epSubnetID == a.subnetID}
	if b := a.source(w, t); b != nil {
		return w.fail(b)
	}
	w.routed = true
	if a.rtOK {
		note := "local"
		if a.vpcCIDR.IsValid() {
			note = a.vpcCIDR.String() + " → local"
		}
		w.hop("route-table", str(a.rt.RouteTableId), note)
	}
	if epSubnetID != "" && epSubnetID != a.subnetID {
		// The endpoint's own subnet ACL sees the request come in and the
		// reply go out.
		if acl, ok := a.s.NetworkACLFor(epSubnetID, a.vpcID); ok {
			w.hop("network-acl", str(acl.NetworkAclId), epSubnetID)
			if b := aclCheck(acl, false, a.subnetCIDR, a.subnetCIDR.String(), a.port, a.port, epSubnetID); b != nil {
				return w.fail(b)
			}
			if b := aclCheck(acl, true, a.subnetCIDR, a.subnetCIDR.String(), ephemeralLo, ephemeralHi, epSubnetID); b != nil {
				return w.fail(b)
			}
		}
	}
	w.hop("interface-endpoint", epID, epSubnetID)
	if len(subnetIDs) == 0 {
		// No endpoint network interface anywhere: nothing answers.
		return w.block(VPCENotInAZ, epID, map[string]string{"az": a.az, "reason": "no subnets"})
	}
	if missing != "" {
		return w.block(VPCESGRulesMismatch, epID, map[string]string{"missing": missing})
	}
	// When the source's groups are unknown (a bare subnet) only CIDR
	// rules can be judged.
	if !sgIngressAdmits(groups, a.port, a.subnetCIDR, a.src.SecurityGroupIDs) {
		return w.block(VPCESGRulesMismatch, epID, map[string]string{"port": strconv.Itoa(a.port),
			"groups": strings.Join(groupIDs, ","), "cidr": a.subnetCIDR.String()})
	}
	if !inAZ {
		// Works through another AZ's endpoint interface (cross-AZ data
		// charges, and an AZ outage takes it down).
		w.warn(Block{Code: VPCENotInAZ, Component: epID, Detail: map[string]string{"az": a.az}})
	}
	return w.reach("interface-endpoint")
}

// bestInterface picks the endpoint traffic would use: an available one
// with private DNS first (AWS lets only one endpoint per service own the
// private DNS name in a VPC), then any available one, then the first.
func bestInterface(eps []ec2types.VpcEndpoint) ec2types.VpcEndpoint {
	rank := func(e ec2types.VpcEndpoint) int {
		switch {
		case endpointAvailable(e) && privateDNS(e):
			return 0
		case endpointAvailable(e):
			return 1
		}
		return 2
	}
	best := eps[0]
	for _, e := range eps[1:] {
		if rank(e) < rank(best) {
			best = e
		}
	}
	return best
}

// privateDNS: the API's default for AWS services is true.
func privateDNS(e ec2types.VpcEndpoint) bool {
	return e.PrivateDnsEnabled == nil || *e.PrivateDnsEnabled
}

// dnsProblem says why the service's name would not resolve to ep: the
// endpoint is not available, its private DNS is off, or the VPC's DNS
// attributes are off (a missing VPCAttrs entry is unknown: taken as on).
func (a *analyzer) dnsProblem(ep ec2types.VpcEndpoint) *Block {
	epID := str(ep.VpcEndpointId)
	if !endpointAvailable(ep) {
		return &Block{Code: BadState, Component: epID, Detail: map[string]string{"state": string(ep.State)}}
	}
	if !privateDNS(ep) {
		return &Block{Code: VPCEPrivateDNSDisabled, Component: epID, Detail: map[string]string{"service": str(ep.ServiceName)}}
	}
	if attrs, ok := a.s.VPCAttrs[a.vpcID]; ok {
		if !attrs.DNSSupport {
			return &Block{Code: VPCDNSAttributeDisabled, Component: a.vpcID, Detail: map[string]string{"attribute": "enableDnsSupport", "endpoint": epID}}
		}
		if !attrs.DNSHostnames {
			return &Block{Code: VPCDNSAttributeDisabled, Component: a.vpcID, Detail: map[string]string{"attribute": "enableDnsHostnames", "endpoint": epID}}
		}
	}
	return nil
}

// endpointGroups resolves the endpoint's security groups; an endpoint
// created without any gets the VPC's default group. missing names a group
// id the snapshot lacks.
func (a *analyzer) endpointGroups(ep ec2types.VpcEndpoint) (groups []ec2types.SecurityGroup, missing string) {
	if len(ep.Groups) == 0 {
		for _, g := range a.s.SecurityGroups {
			if str(g.VpcId) == a.vpcID && str(g.GroupName) == "default" {
				return []ec2types.SecurityGroup{g}, ""
			}
		}
		return nil, "default"
	}
	for _, gi := range ep.Groups {
		g, ok := a.s.SecurityGroup(str(gi.GroupId))
		if !ok {
			return nil, str(gi.GroupId)
		}
		groups = append(groups, g)
	}
	return groups, ""
}
