package egress

import (
	"net/netip"
	"slices"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
)

// The internet is "any public address", so a rule or a route counts for it
// when it covers a representative public address: 0.0.0.0/0 does, and so
// do 0.0.0.0/1 + 128.0.0.0/1 or 1.0.0.0/8, which a learner might type.
var (
	publicV4 = netip.MustParsePrefix("1.1.1.1/32")
	publicV6 = netip.MustParsePrefix("2600::1/128")
)

// NAT gateways and clients use the whole ephemeral range 1024-65535 for
// the return traffic; stateless NACLs must admit all of it (AWS's NAT
// gateway troubleshooting guide), not just Linux's 32768-60999.
const (
	ephemeralLo = 1024
	ephemeralHi = 65535
)

// Analyze walks the path from src to dst for TCP traffic to port (0 or
// less means 443, the port of every AWS service endpoint) and returns
// every leg with its hops and the first component that blocks it. The
// same port is used on every leg, including endpoint legs: callers pass
// 443 for AWS services.
func Analyze(s *account.Snapshot, src Source, dst Dest, port int) Path {
	if port <= 0 {
		port = 443
	}
	if s == nil {
		s = &account.Snapshot{} // nothing loaded: the subnet is not found
	}
	p := Path{Dest: dst}
	services, ok := legServices(dst)
	if !ok {
		p.Legs = []Leg{{Service: string(dst), Block: &Block{Code: NotFound, Component: string(dst),
			Detail: map[string]string{"reason": "unknown destination"}}}}
		return p
	}
	a, head, blk := newAnalyzer(s, src, port)
	if blk != nil {
		// Every leg starts at the missing subnet: each is blocked the same way.
		for _, svc := range services {
			b := *blk
			p.Legs = append(p.Legs, Leg{Service: svc, Hops: slices.Clone(head), Block: &b})
		}
		return p
	}
	for _, svc := range services {
		var r legResult
		switch {
		case dst == Internet:
			r = a.internet(svc, false, nil, nil)
		case dst == IPv6Internet:
			r = a.internet(svc, true, nil, nil)
		case svc == "s3":
			// ECR pulls image layers from S3, which S3 interface endpoints
			// cannot serve: for ECR only the gateway endpoint or the
			// internet counts.
			r = a.s3(svc, dst != ECR)
		default:
			r = a.interfaceService(svc)
		}
		p.Legs = append(p.Legs, r.leg)
		for _, w := range r.warnings {
			if !hasWarning(p.Warnings, w) {
				p.Warnings = append(p.Warnings, w)
			}
		}
	}
	return p
}

// legServices lists the service endpoints a destination needs, in the
// order a Fargate task uses them.
func legServices(dst Dest) ([]string, bool) {
	switch dst {
	case Internet:
		return []string{"internet"}, true
	case IPv6Internet:
		return []string{"ipv6-internet"}, true
	case S3:
		return []string{"s3"}, true
	case ECR:
		// The manifest from ecr.api/ecr.dkr, the image layers from S3.
		return []string{"ecr.api", "ecr.dkr", "s3"}, true
	case Logs:
		return []string{"logs"}, true
	}
	if short, ok := strings.CutPrefix(string(dst), "service:"); ok && short != "" {
		return []string{short}, true
	}
	return nil, false
}

func hasWarning(ws []Block, w Block) bool {
	for _, x := range ws {
		if x.Code == w.Code && x.Component == w.Component {
			return true
		}
	}
	return false
}

// analyzer holds what every leg of one analysis shares: the source subnet,
// its VPC and its effective route table.
type analyzer struct {
	s      *account.Snapshot
	src    Source
	port   int
	subnet ec2types.Subnet
	vpc    ec2types.Vpc
	// subnetID, vpcID and az are the source subnet's.
	subnetID, vpcID, az, azID string
	subnetCIDR, vpcCIDR       netip.Prefix // zero when unparsable
	rt                        ec2types.RouteTable
	rtOK                      bool
}

func newAnalyzer(s *account.Snapshot, src Source, port int) (*analyzer, []Hop, *Block) {
	var head []Hop
	if src.ENIID != "" {
		head = append(head, Hop{Kind: "network-interface", ID: src.ENIID})
	}
	sub, ok := s.Subnet(src.SubnetID)
	if !ok {
		return nil, head, &Block{Code: NotFound, Component: src.SubnetID, Detail: map[string]string{"subnet": src.SubnetID}}
	}
	head = append(head, Hop{Kind: "subnet", ID: src.SubnetID})
	vpcID := str(sub.VpcId)
	vpc, ok := s.VPC(vpcID)
	if !ok {
		return nil, head, &Block{Code: NotFound, Component: vpcID, Detail: map[string]string{"vpc": vpcID, "subnet": src.SubnetID}}
	}
	a := &analyzer{s: s, src: src, port: port, subnet: sub, vpc: vpc,
		subnetID: src.SubnetID, vpcID: vpcID, az: str(sub.AvailabilityZone), azID: str(sub.AvailabilityZoneId),
		subnetCIDR: prefix(str(sub.CidrBlock)), vpcCIDR: prefix(str(vpc.CidrBlock))}
	a.rt, _, a.rtOK = s.RouteTableFor(a.subnetID, vpcID)
	return a, nil, nil
}

// sourceComponent names the source for blocks about its address.
func (a *analyzer) sourceComponent() string {
	if a.src.ENIID != "" {
		return a.src.ENIID
	}
	return a.subnetID
}

// legResult is one leg and the warnings met on it. routed says the walk
// got past the source's own security groups and ACL to the route table.
type legResult struct {
	leg      Leg
	warnings []Block
	routed   bool
}

func (r legResult) reachable() bool { return r.leg.Block == nil }

// walk accumulates a leg's hops as the analysis crosses them.
type walk struct {
	service  string
	hops     []Hop
	warnings []Block
	routed   bool
}

func (w *walk) hop(kind, id, note string) {
	w.hops = append(w.hops, Hop{Kind: kind, ID: id, Note: note})
}

func (w *walk) warn(b Block) { w.warnings = append(w.warnings, b) }

func (w *walk) fail(b *Block) legResult {
	return legResult{leg: Leg{Service: w.service, Hops: w.hops, Block: b}, warnings: w.warnings, routed: w.routed}
}

func (w *walk) block(code Code, component string, detail map[string]string) legResult {
	return w.fail(&Block{Code: code, Component: component, Detail: detail})
}

func (w *walk) reach(via string) legResult {
	w.hop("destination", w.service, "")
	return legResult{leg: Leg{Service: w.service, Hops: w.hops, Via: via}, warnings: w.warnings, routed: w.routed}
}

// target is what the source's packets are addressed to, for its security
// group and ACL rules.
type target struct {
	peer   netip.Prefix // the destination address(es)
	label  string       // the destination as Detail["cidr"] names it
	plIDs  []string     // prefix lists an egress rule may name instead (S3)
	groups []string     // security groups an egress rule may reference (an endpoint's)
	// sameSubnet: the peer is in the source subnet, and network ACLs do
	// not evaluate traffic that stays inside a subnet.
	sameSubnet bool
}

func internetTarget(v6 bool, plIDs []string) target {
	if v6 {
		return target{peer: publicV6, label: "::/0"}
	}
	return target{peer: publicV4, label: "0.0.0.0/0", plIDs: plIDs}
}

// source adds the hops every leg starts with — the ENI, the subnet, its
// security groups and its network ACL — and checks them for traffic to t.
func (a *analyzer) source(w *walk, t target) *Block {
	if a.src.ENIID != "" {
		w.hop("network-interface", a.src.ENIID, "")
	}
	w.hop("subnet", a.subnetID, "")
	if t.peer.Addr().Is6() && !hasIPv6(a.subnet) {
		// Without an IPv6 CIDR the source has no IPv6 address to send from.
		return &Block{Code: NoRouteToDestination, Component: a.subnetID,
			Detail: map[string]string{"reason": "no IPv6 CIDR", "subnet": a.subnetID, "cidr": t.label}}
	}
	if a.src.SecurityGroupIDs != nil {
		var groups []ec2types.SecurityGroup
		for _, id := range a.src.SecurityGroupIDs {
			w.hop("security-group", id, "")
			g, ok := a.s.SecurityGroup(id)
			if !ok {
				return &Block{Code: ENISGRulesMismatch, Component: id, Detail: map[string]string{"missing": id}}
			}
			groups = append(groups, g)
		}
		if b := a.sgEgress(groups, t); b != nil {
			return b
		}
	}
	if acl, ok := a.s.NetworkACLFor(a.subnetID, a.vpcID); ok {
		w.hop("network-acl", str(acl.NetworkAclId), "")
		if !t.sameSubnet {
			// Stateless: the request out and the reply back in are
			// separate packets, each with its own rule.
			if b := aclCheck(acl, true, t.peer, t.label, a.port, a.port, a.subnetID); b != nil {
				return b
			}
			if b := aclCheck(acl, false, t.peer, t.label, ephemeralLo, ephemeralHi, a.subnetID); b != nil {
				return b
			}
		}
	}
	return nil
}

func hasIPv6(s ec2types.Subnet) bool {
	for _, as := range s.Ipv6CidrBlockAssociationSet {
		if str(as.Ipv6CidrBlock) == "" {
			continue
		}
		st := as.Ipv6CidrBlockState
		// moto 5.2.1 reports the state as the string "{'State': 'associated'}".
		if st == nil || st.State == "" || st.State == ec2types.SubnetCidrBlockStateCodeAssociated ||
			strings.Contains(string(st.State), "'associated'") {
			return true
		}
	}
	return false
}

// internet walks the path to the public internet (also the fall-back for
// AWS services without a usable endpoint: their public endpoints are
// internet addresses). forced, when set, is the route to follow instead of
// the longest match (a prefix-list route for S3).
func (a *analyzer) internet(service string, v6 bool, plIDs []string, forced *ec2types.Route) legResult {
	w := &walk{service: service}
	if b := a.source(w, internetTarget(v6, plIDs)); b != nil {
		return w.fail(b)
	}
	return a.route(w, v6, forced)
}

// route follows the source route table's route to the internet.
func (a *analyzer) route(w *walk, v6 bool, forced *ec2types.Route) legResult {
	w.routed = true
	cidr, dst := "0.0.0.0/0", publicV4
	if v6 {
		cidr, dst = "::/0", publicV6
	}
	if !a.rtOK {
		return w.block(NoRouteToDestination, a.subnetID, map[string]string{"cidr": cidr, "reason": "no route table", "subnet": a.subnetID})
	}
	rtID := str(a.rt.RouteTableId)
	r, found := ec2types.Route{}, false
	if forced != nil {
		r, found = *forced, true
	} else {
		// The most specific route wins: a 0.0.0.0/1 beats 0.0.0.0/0.
		r, found = account.LongestMatch(a.rt, dst.Addr())
	}
	if !found {
		w.hop("route-table", rtID, "no route for "+cidr)
		return w.block(NoRouteToDestination, rtID, map[string]string{"cidr": cidr, "subnet": a.subnetID})
	}
	tgt, rdst := routeTarget(r), routeDest(r)
	w.hop("route-table", rtID, rdst+" → "+tgt)
	if r.State == ec2types.RouteStateBlackhole {
		return w.block(BadStateRoute, rtID, map[string]string{"cidr": rdst, "target": tgt, "state": string(r.State)})
	}
	switch {
	case strings.HasPrefix(tgt, "igw-"):
		return a.viaIGW(w, tgt, v6, rtID, rdst)
	case strings.HasPrefix(tgt, "nat-") && !v6:
		return a.viaNAT(w, tgt, rtID, rdst)
	case strings.HasPrefix(tgt, "eigw-") && v6:
		return a.viaEIGW(w, tgt, rtID, rdst)
	}
	// Peering, transit and virtual private gateways, ENIs and instances do
	// not reach the internet by themselves (and NAT gateways do not carry
	// ::/0, nor egress-only gateways IPv4): this analysis stops here.
	return w.block(CannotRoute, rtID, map[string]string{"cidr": rdst, "target": tgt})
}

func routeTarget(r ec2types.Route) string {
	// AWS accepts a NAT gateway id as GatewayId and stores it as
	// NatGatewayId; dispatching on the id's prefix covers both.
	for _, p := range []*string{r.NatGatewayId, r.EgressOnlyInternetGatewayId, r.GatewayId, r.TransitGatewayId,
		r.VpcPeeringConnectionId, r.NetworkInterfaceId, r.InstanceId, r.CarrierGatewayId, r.LocalGatewayId, r.CoreNetworkArn} {
		if s := str(p); s != "" {
			return s
		}
	}
	return ""
}

func routeDest(r ec2types.Route) string {
	for _, p := range []*string{r.DestinationCidrBlock, r.DestinationIpv6CidrBlock, r.DestinationPrefixListId} {
		if s := str(p); s != "" {
			return s
		}
	}
	return ""
}

// viaIGW: the gateway must exist and be attached to this VPC; IPv4 also
// needs a public address on the source, which the IGW maps 1:1.
func (a *analyzer) viaIGW(w *walk, id string, v6 bool, rtID, rdst string) legResult {
	g, ok := a.s.InternetGateway(id)
	if !ok {
		// A route to a deleted gateway is a blackhole.
		return w.block(BadStateRoute, rtID, map[string]string{"cidr": rdst, "target": id, "reason": "target not found"})
	}
	w.hop("internet-gateway", id, "")
	if !account.IGWAttachedTo(g, a.vpcID) {
		return w.block(BadStateAttachment, id, attachmentDetail(g.Attachments, a.vpcID))
	}
	if !v6 {
		// IPv6 addresses are public already; IPv4 needs the 1:1 mapping.
		switch a.src.PublicIP {
		case PublicIPNo:
			return w.block(IGWPublicIPForEgress, a.sourceComponent(), map[string]string{"subnet": a.subnetID, "internet_gateway": id})
		case PublicIPUnknown:
			// A bare subnet: it works for tasks with assignPublicIp ENABLED only.
			w.warn(Block{Code: IGWPublicIPForEgress, Component: a.sourceComponent(), Detail: map[string]string{"subnet": a.subnetID, "internet_gateway": id}})
		}
	}
	return w.reach("internet-gateway")
}

func attachmentDetail(as []ec2types.InternetGatewayAttachment, vpcID string) map[string]string {
	d := map[string]string{"vpc": vpcID, "state": "detached"}
	for _, x := range as {
		if str(x.VpcId) == vpcID {
			d["state"] = string(x.State)
		} else if x.VpcId != nil {
			d["attached_vpc"] = str(x.VpcId)
			d["state"] = "attached elsewhere"
		}
	}
	return d
}

// viaNAT: a zonal public NAT gateway must be available, have a public
// address and sit in a subnet routed to an attached internet gateway, and
// both subnets' ACLs must pass the traffic both ways; a regional one needs
// an attached internet gateway and an address in the source's AZ.
func (a *analyzer) viaNAT(w *walk, id, rtID, rdst string) legResult {
	n, ok := a.s.NATGateway(id)
	if !ok {
		// The route's target is gone: AWS shows such a route as blackhole.
		return w.block(BadStateRoute, rtID, map[string]string{"cidr": rdst, "target": id, "reason": "target not found"})
	}
	regional := n.AvailabilityMode == ec2types.AvailabilityModeRegional
	note := ""
	if regional {
		note = "regional"
	}
	w.hop("nat-gateway", id, note)
	if n.State != ec2types.NatGatewayStateAvailable && n.State != "" {
		// "available" does not prove health, but anything else (pending,
		// failed, deleting, deleted) certainly carries nothing.
		d := map[string]string{"state": string(n.State)}
		if c := str(n.FailureCode); c != "" {
			d["failure_code"] = c
		}
		if m := str(n.FailureMessage); m != "" {
			d["failure_message"] = m
		}
		return w.block(BadState, id, d)
	}
	if regional {
		return a.viaRegionalNAT(w, n)
	}
	// Empty ConnectivityType means public: moto omits it.
	if n.ConnectivityType == ec2types.ConnectivityTypePrivate {
		// An IGW drops traffic from a private NAT gateway.
		return w.block(NGWPrivateConnectivity, id, map[string]string{"connectivity": string(n.ConnectivityType)})
	}
	if !natHasPublicIP(n) {
		// AWS requires an EIP for a public zonal NAT; moto does not.
		return w.block(NGWNoPublicIP, id, map[string]string{"subnet": str(n.SubnetId)})
	}
	natSubnetID := str(n.SubnetId)
	w.hop("subnet", natSubnetID, "")
	if _, ok := a.s.Subnet(natSubnetID); !ok {
		return w.block(NGWInPrivateSubnet, id, map[string]string{"subnet": natSubnetID, "route_table": "", "reason": "subnet not found"})
	}
	if acl, ok := a.s.NetworkACLFor(natSubnetID, a.vpcID); ok {
		w.hop("network-acl", str(acl.NetworkAclId), "")
		// In from the source, out to the internet, the reply in from the
		// internet to the NAT's ephemeral port, and out to the source's.
		src, srcLabel := a.subnetCIDR, a.subnetCIDR.String()
		checks := []struct {
			egress bool
			peer   netip.Prefix
			label  string
			lo, hi int
		}{
			{false, src, srcLabel, a.port, a.port},
			{true, publicV4, "0.0.0.0/0", a.port, a.port},
			{false, publicV4, "0.0.0.0/0", ephemeralLo, ephemeralHi},
			{true, src, srcLabel, ephemeralLo, ephemeralHi},
		}
		for _, c := range checks {
			if b := aclCheck(acl, c.egress, c.peer, c.label, c.lo, c.hi, natSubnetID); b != nil {
				return w.fail(b)
			}
		}
	}
	natRT, _, ok := a.s.RouteTableFor(natSubnetID, a.vpcID)
	if !ok {
		return w.block(NGWInPrivateSubnet, id, map[string]string{"subnet": natSubnetID, "route_table": ""})
	}
	natRTID := str(natRT.RouteTableId)
	r, found := account.LongestMatch(natRT, publicV4.Addr())
	if !found {
		w.hop("route-table", natRTID, "no route for 0.0.0.0/0")
		return w.block(NGWInPrivateSubnet, id, map[string]string{"subnet": natSubnetID, "route_table": natRTID})
	}
	igwID := routeTarget(r)
	w.hop("route-table", natRTID, routeDest(r)+" → "+igwID)
	g, ok := a.s.InternetGateway(igwID)
	if r.State == ec2types.RouteStateBlackhole || !strings.HasPrefix(igwID, "igw-") || !ok || !account.IGWAttachedTo(g, a.vpcID) {
		return w.block(NGWInPrivateSubnet, id, map[string]string{"subnet": natSubnetID, "route_table": natRTID, "target": igwID})
	}
	w.hop("internet-gateway", igwID, "")
	// A NAT gateway in another AZ works (at cross-AZ cost and AZ-failure
	// risk); the check kinds report that, there is no code for it here.
	return w.reach("nat-gateway")
}

func natHasPublicIP(n ec2types.NatGateway) bool {
	for _, ad := range n.NatGatewayAddresses {
		if str(ad.PublicIp) != "" {
			return true
		}
	}
	return false
}

// viaRegionalNAT: a regional NAT gateway has no subnet (AWS gives it its
// own route table to the IGW) and serves an AZ only once it has an
// address there.
func (a *analyzer) viaRegionalNAT(w *walk, n ec2types.NatGateway) legResult {
	id := str(n.NatGatewayId)
	g, ok := a.s.AttachedInternetGateway(a.vpcID)
	if !ok {
		return w.block(BadStateAttachment, a.vpcID, map[string]string{"vpc": a.vpcID, "nat_gateway": id, "state": "detached"})
	}
	served := false
	for _, ad := range n.NatGatewayAddresses {
		switch ad.Status {
		case ec2types.NatGatewayAddressStatusSucceeded, "", "associated":
		default:
			continue
		}
		if (a.az != "" && str(ad.AvailabilityZone) == a.az) || (a.azID != "" && str(ad.AvailabilityZoneId) == a.azID) {
			served = true
			break
		}
	}
	if !served {
		return w.block(RegionalNGWAZ, id, map[string]string{"az": a.az})
	}
	igwID := str(g.InternetGatewayId)
	w.hop("internet-gateway", igwID, "")
	return w.reach("nat-gateway")
}

// viaEIGW: IPv6 one-way egress; the gateway must be attached to this VPC.
func (a *analyzer) viaEIGW(w *walk, id, rtID, rdst string) legResult {
	var g ec2types.EgressOnlyInternetGateway
	ok := false
	for _, x := range a.s.EgressOnlyGateways {
		if str(x.EgressOnlyInternetGatewayId) == id {
			g, ok = x, true
			break
		}
	}
	if !ok {
		return w.block(BadStateRoute, rtID, map[string]string{"cidr": rdst, "target": id, "reason": "target not found"})
	}
	w.hop("egress-only-internet-gateway", id, "")
	// Same attachment states as an IGW (moto may say "available").
	if !account.IGWAttachedTo(ec2types.InternetGateway{Attachments: g.Attachments}, a.vpcID) {
		return w.block(BadStateAttachment, id, attachmentDetail(g.Attachments, a.vpcID))
	}
	return w.reach("egress-only-internet-gateway")
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// prefix parses a CIDR, masked; the zero Prefix when it does not parse.
func prefix(s string) netip.Prefix {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}
	}
	return p.Masked()
}
