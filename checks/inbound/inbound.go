// Package inbound is the mirror of package egress: it asks who on the
// internet (IPv4 and IPv6) can open a connection to a workload — a task,
// a service, an instance or a network interface — on any port, and by
// which path: directly, through an internet gateway route, a public IP or
// Elastic IP, the subnet's network ACL and the workload's security groups;
// or through an internet-facing load balancer, its listeners and target
// groups, and the security groups chained behind it (internet → load
// balancer's group → task's group). Like AWS Reachability Analyzer it is a
// static model of one account snapshot and sends no packets.
//
// Besides the paths that work now, it reports every lock that is open
// even where another lock still holds (a security group open to the
// internet on a task with no public IP): one-way egress means nothing
// from the internet reaches the task by any path, and a design that
// relies on one lock is one change away from exposure.
package inbound

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/portset"
)

// Code names what admits the internet (or, on a hop, what stops it). The
// names follow AWS Reachability Analyzer's explanation codes where one
// fits.
type Code string

const (
	// Paths that work now.
	DirectPath Code = "INTERNET_REACHES_DIRECTLY" // internet → IGW → public IP → NACL → SG → workload
	LBPath     Code = "INTERNET_REACHES_VIA_LB"   // internet → load balancer listener → target group → workload (the allowed path)

	// Locks that are open, whether or not a path works today.
	SGOpen        Code = "SG_OPEN_TO_INTERNET"      // an ingress rule admits internet addresses
	SGPrefixList  Code = "SG_PREFIX_LIST_OPEN"      // an ingress rule admits a prefix list that is or may be the internet
	SGSourceWide  Code = "SG_SOURCE_GROUP_TOO_WIDE" // the workload trusts a load balancer's group on more than its target port
	PublicIP      Code = "PUBLIC_IP_ASSIGNED"       // the workload has (or gets at launch) a public IPv4 address
	PublicSubnet  Code = "SUBNET_IS_PUBLIC"         // the workload's subnet routes to an internet gateway
	ListenerOther Code = "LB_LISTENER_NOT_ALLOWED"  // a listener the assertion does not allow forwards to the workload
	LBOther       Code = "LB_NOT_ALLOWED"           // a load balancer other than the allowed one forwards to the workload
	UnknownTarget Code = "NOT_FOUND"                // nothing to analyze

	// Hop codes: why a path stops.
	NoRouteToIGW    Code = "NO_ROUTE_TO_IGW"         // the subnet has no route back to an attached internet gateway
	NoPublicAddress Code = "NO_PUBLIC_ADDRESS"       // no public IPv4 (or no IPv6) address to connect to
	ACLRestriction  Code = "SUBNET_ACL_RESTRICTION"  // the network ACL drops the traffic or its reply
	SGMismatch      Code = "ENI_SG_RULES_MISMATCH"   // no security group rule admits it
	LBNotPublic     Code = "LB_NOT_IN_PUBLIC_SUBNET" // the load balancer's subnets have no internet gateway route
)

// Endpoint is one network interface of the workload, or for a service
// whose tasks are not running, what its network configuration promises.
type Endpoint struct {
	ENIID    string // "" for a promised endpoint
	SubnetID string
	Groups   []string
	IPv4     string // private address, to match load balancer targets ("" if unknown)
	// Secondary are the interface's other private IPv4 addresses: an IP
	// target registered by one of them reaches the workload all the same.
	Secondary []string
	// PublicIPv4 is the address (AssignedAtLaunch for a service whose
	// assignPublicIp is ENABLED); "" for none.
	PublicIPv4 string
	IPv6       []string
	Instance   string // EC2 instance id, to match instance targets
	Task       string // the ECS task's ARN, for fixes
}

// Target is the workload: its endpoints and the target groups that send
// it traffic by configuration (an ECS service's load balancers).
type Target struct {
	Label        string
	Endpoints    []Endpoint
	TargetGroups map[string]int32 // target group ARN → container port
	// Cluster and Service name the ECS service, for fixes; "" otherwise.
	Cluster, Service string
}

// Allow is the one path the assertion permits: a load balancer by name
// and its listener port (0: any listener of it).
type Allow struct {
	LoadBalancer string
	Port         int32
}

// Exposure is one way in, or one open lock.
type Exposure struct {
	Code         Code
	Family       string // "ipv4" or "ipv6"
	Component    string // the id at fault: security group, ENI, subnet, listener ARN, load balancer ARN
	Endpoint     string // the ENI or subnet of the workload concerned
	Protocol     string // "tcp", "udp", "-1" (all), "icmp", …
	From, To     int32  // port range (-1 for all)
	Source       string // 0.0.0.0/0, ::/0, pl-…, sg-…, or the load balancer name
	Via          string // the load balancer's name for a path through one
	Listener     string // the listener's ARN
	ListenerPort int32
	// Blocked is, for an open lock, the hop that stops the full path
	// today (empty for a path that works).
	Blocked   Code
	BlockedBy string
	Hops      []Hop
	// Perm is the offending security group rule, to revoke exactly it.
	Perm *ec2types.IpPermission
}

// Reachable reports whether the exposure is a working path.
func (x Exposure) Reachable() bool {
	return x.Code == DirectPath || x.Code == LBPath || x.Code == ListenerOther || x.Code == LBOther
}

// Ports is the rule's ports for messages: "80", "8000-8080", "all".
func (x Exposure) Ports() string {
	if x.Protocol == "-1" || x.From < 0 || (x.From == 0 && x.To == 65535) {
		return "all"
	}
	if x.From == x.To {
		return strconv.Itoa(int(x.From))
	}
	return fmt.Sprintf("%d-%d", x.From, x.To)
}

// Hop is one component a path crosses.
type Hop struct {
	Kind string
	ID   string
	Note string
}

// Result is the analysis of one target.
type Result struct {
	Allowed   []Exposure // working paths through the allowed load balancer and port
	Exposures []Exposure // working paths first, then open locks
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

var (
	internet4 = netip.MustParsePrefix("0.0.0.0/0")
	internet6 = netip.MustParsePrefix("::/0")
	probe4    = netip.MustParseAddr("1.1.1.1")
	probe6    = netip.MustParseAddr("2600::1")
	// private are the ranges no internet client comes from.
	private = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("fc00::/7"), netip.MustParsePrefix("fe80::/10"), netip.MustParsePrefix("::1/128")}
	// serviceLists are AWS-managed prefix lists of AWS services that do
	// not open connections to a workload.
	serviceLists = []string{".s3", ".dynamodb", ".s3express"}
)

// admitsInternet reports whether a CIDR holds addresses an internet client
// can have: anything not inside the private ranges.
func admitsInternet(cidr string) bool {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	p = p.Masked()
	for _, q := range private {
		if q.Addr().Is4() == p.Addr().Is4() && q.Bits() <= p.Bits() && q.Contains(p.Addr()) {
			return false
		}
	}
	return true
}

// Analyze finds every way from the internet to t in s.
func Analyze(s *account.Snapshot, t Target, allow Allow) Result {
	a := &analysis{s: s, t: t, allow: allow}
	var res Result
	var locks []Exposure
	for _, ep := range t.Endpoints {
		direct, open := a.direct(ep)
		res.Exposures = append(res.Exposures, direct...)
		locks = append(locks, open...)
	}
	allowed, viaLB, wide := a.viaLoadBalancers()
	res.Allowed = allowed
	res.Exposures = append(res.Exposures, viaLB...)
	res.Exposures = append(res.Exposures, locks...)
	res.Exposures = append(res.Exposures, wide...)
	return res
}

type analysis struct {
	s     *account.Snapshot
	t     Target
	allow Allow
}

func (a *analysis) groups(ids []string) []ec2types.SecurityGroup {
	var out []ec2types.SecurityGroup
	for _, id := range ids {
		if g, ok := a.s.SecurityGroup(id); ok {
			out = append(out, g)
		}
	}
	return out
}

// internetRules lists the ingress rules of groups that admit internet
// clients, as exposures (not yet judged against routes).
func (a *analysis) internetRules(ep Endpoint) []Exposure {
	var out []Exposure
	for _, g := range a.groups(ep.Groups) {
		gid := str(g.GroupId)
		for _, p := range g.IpPermissions {
			base := Exposure{Component: gid, Endpoint: endpointID(ep), Protocol: strings.ToLower(str(p.IpProtocol)), From: port(p.FromPort, -1), To: port(p.ToPort, -1)}
			for _, r := range p.IpRanges {
				if admitsInternet(str(r.CidrIp)) {
					x := base
					x.Code, x.Family, x.Source, x.Perm = SGOpen, "ipv4", str(r.CidrIp), onlyRange(p, r)
					out = append(out, x)
				}
			}
			for _, r := range p.Ipv6Ranges {
				if admitsInternet(str(r.CidrIpv6)) {
					x := base
					x.Code, x.Family, x.Source, x.Perm = SGOpen, "ipv6", str(r.CidrIpv6), onlyRange6(p, r)
					out = append(out, x)
				}
			}
			for _, pl := range p.PrefixListIds {
				id := str(pl.PrefixListId)
				if a.serviceList(id) {
					continue
				}
				x := base
				x.Code, x.Family, x.Source, x.Perm = SGPrefixList, "ipv4", id, onlyPL(p, pl)
				out = append(out, x)
			}
		}
	}
	return out
}

// serviceList reports whether a prefix list is an AWS service's own (S3,
// DynamoDB), whose addresses never open connections to a workload. Any
// other list, including one vpclab cannot read, may hold the internet.
func (a *analysis) serviceList(id string) bool {
	for _, p := range a.s.PrefixLists {
		if str(p.PrefixListId) == id {
			name := str(p.PrefixListName)
			for _, suf := range serviceLists {
				if strings.HasSuffix(name, suf) {
					return true
				}
			}
		}
	}
	return false
}

func endpointID(ep Endpoint) string {
	if ep.ENIID != "" {
		return ep.ENIID
	}
	return ep.SubnetID
}

func port(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

func onlyRange(p ec2types.IpPermission, r ec2types.IpRange) *ec2types.IpPermission {
	return &ec2types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, IpRanges: []ec2types.IpRange{{CidrIp: r.CidrIp}}}
}

func onlyRange6(p ec2types.IpPermission, r ec2types.Ipv6Range) *ec2types.IpPermission {
	return &ec2types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: r.CidrIpv6}}}
}

func onlyPL(p ec2types.IpPermission, pl ec2types.PrefixListId) *ec2types.IpPermission {
	return &ec2types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, PrefixListIds: []ec2types.PrefixListId{{PrefixListId: pl.PrefixListId}}}
}

// igwRoute reports whether the subnet's route table sends replies to dst
// to an internet gateway attached to the VPC (what inbound needs: the
// gateway translates the public address, the route carries the reply).
func (a *analysis) igwRoute(subnetID string, dst netip.Addr) (string, bool) {
	sn, ok := a.s.Subnet(subnetID)
	if !ok {
		return "", false
	}
	rt, _, ok := a.s.RouteTableFor(subnetID, str(sn.VpcId))
	if !ok {
		return "", false
	}
	r, ok := account.LongestMatch(rt, dst)
	if !ok || r.State == ec2types.RouteStateBlackhole {
		return str(rt.RouteTableId), false
	}
	gw := str(r.GatewayId)
	if !strings.HasPrefix(gw, "igw-") {
		return str(rt.RouteTableId), false
	}
	g, ok := a.s.InternetGateway(gw)
	return str(rt.RouteTableId), ok && account.IGWAttachedTo(g, str(sn.VpcId))
}

// direct judges the paths straight to one endpoint: each security group
// rule that admits the internet is a working path when the endpoint has a
// public address of that family, its subnet routes to the internet
// gateway and the network ACL passes the traffic and its reply; else it
// is an open lock, with the hop that stops it. A public IP and a public
// subnet are locks of their own.
func (a *analysis) direct(ep Endpoint) (paths, locks []Exposure) {
	rules := a.internetRules(ep)
	rt4, igw4 := a.igwRoute(ep.SubnetID, probe4)
	_, igw6 := a.igwRoute(ep.SubnetID, probe6)
	sn, _ := a.s.Subnet(ep.SubnetID)
	acl, hasACL := a.s.NetworkACLFor(ep.SubnetID, str(sn.VpcId))
	for _, x := range rules {
		public, igw, peer := ep.PublicIPv4 != "", igw4, internet4
		if x.Family == "ipv6" {
			public, igw, peer = len(ep.IPv6) > 0, igw6, internet6
		}
		if p, err := netip.ParsePrefix(x.Source); err == nil {
			peer = p.Masked()
		}
		x.Hops = []Hop{{Kind: "internet-gateway", ID: rt4}, {Kind: "security-group", ID: x.Component, Note: x.Source + " " + x.Protocol + "/" + x.Ports()}}
		switch {
		case !public:
			x.Blocked, x.BlockedBy = NoPublicAddress, endpointID(ep)
		case !igw:
			x.Blocked, x.BlockedBy = NoRouteToIGW, rt4
		case hasACL && !aclAdmitsAny(acl, false, peer, x.Protocol, x.From, x.To):
			x.Blocked, x.BlockedBy = ACLRestriction, str(acl.NetworkAclId)
		case hasACL && !aclAdmitsAny(acl, true, peer, x.Protocol, 1024, 65535):
			x.Blocked, x.BlockedBy = ACLRestriction, str(acl.NetworkAclId)
		}
		if x.Blocked == "" {
			p := x
			p.Code = DirectPath
			p.Hops = append(p.Hops, Hop{Kind: "network-interface", ID: endpointID(ep)})
			paths = append(paths, p)
			continue
		}
		locks = append(locks, x)
	}
	if ep.PublicIPv4 != "" {
		locks = append(locks, Exposure{Code: PublicIP, Family: "ipv4", Component: endpointID(ep), Endpoint: endpointID(ep), Source: ep.PublicIPv4})
	}
	if igw4 || igw6 {
		locks = append(locks, Exposure{Code: PublicSubnet, Family: "ipv4", Component: ep.SubnetID, Endpoint: endpointID(ep), Source: rt4})
	}
	return paths, locks
}

// aclAdmitsAny reports whether the ACL lets at least one packet of proto
// on ports lo..hi through between the subnet and some address of peer, in
// one direction. Rules are read in order; a deny covering all of peer
// removes its ports, an allow touching peer and the remaining ports
// admits; what no rule matches is dropped.
func aclAdmitsAny(acl ec2types.NetworkAcl, egress bool, peer netip.Prefix, proto string, lo, hi int32) bool {
	if lo < 0 {
		lo, hi = 0, 65535
	}
	var entries []ec2types.NetworkAclEntry
	for _, e := range acl.Entries {
		if (e.Egress != nil && *e.Egress) == egress {
			entries = append(entries, e)
		}
	}
	slices.SortStableFunc(entries, func(x, y ec2types.NetworkAclEntry) int {
		return int(port(x.RuleNumber, 0)) - int(port(y.RuleNumber, 0))
	})
	remaining := portset.Of(int(lo), int(hi))
	for _, e := range entries {
		elo, ehi, ok := entryPorts(e, proto)
		if !ok {
			continue
		}
		cidr := str(e.CidrBlock)
		if peer.Addr().Is6() {
			cidr = str(e.Ipv6CidrBlock)
		}
		rp, err := netip.ParsePrefix(cidr)
		if err != nil || !rp.Overlaps(peer) || !remaining.Overlaps(int(elo), int(ehi)) {
			continue
		}
		if strings.EqualFold(string(e.RuleAction), string(ec2types.RuleActionAllow)) {
			return true
		}
		if rp.Bits() <= peer.Bits() && rp.Contains(peer.Addr()) {
			remaining = remaining.Minus(int(elo), int(ehi))
			if len(remaining) == 0 {
				return false
			}
		}
	}
	return false
}

// entryPorts: the ports an ACL entry matches for proto ("-1" = any
// protocol: an entry of any protocol may match some of it).
func entryPorts(e ec2types.NetworkAclEntry, proto string) (lo, hi int32, ok bool) {
	ep := strings.ToLower(str(e.Protocol))
	norm := map[string]string{"6": "tcp", "17": "udp", "1": "icmp", "all": "-1"}
	if n, ok := norm[ep]; ok {
		ep = n
	}
	if n, ok := norm[proto]; ok {
		proto = n
	}
	if ep != "-1" && proto != "-1" && ep != proto {
		return 0, 0, false
	}
	if ep == "-1" || e.PortRange == nil || e.PortRange.From == nil || e.PortRange.To == nil {
		return 0, 65535, true
	}
	return *e.PortRange.From, *e.PortRange.To, true
}

// ruleAdmits reports whether one of groups' rules admits proto/port from
// the security group src or from every address of cidr; wide reports a
// src rule that admits more ports than port.
func ruleAdmits(groups []ec2types.SecurityGroup, src string, cidrs []netip.Prefix, p int32) (ok bool, wide []Exposure) {
	for _, g := range groups {
		for _, perm := range g.IpPermissions {
			proto := strings.ToLower(str(perm.IpProtocol))
			if proto != "-1" && proto != "tcp" && proto != "6" {
				continue
			}
			from, to := port(perm.FromPort, 0), port(perm.ToPort, 65535)
			if proto == "-1" {
				from, to = 0, 65535
			}
			covers := from <= p && p <= to
			for _, pair := range perm.UserIdGroupPairs {
				if str(pair.GroupId) != src {
					continue
				}
				if covers {
					ok = true
				}
				if from != p || to != p {
					wide = append(wide, Exposure{Code: SGSourceWide, Family: "ipv4", Component: str(g.GroupId), Protocol: proto, From: from, To: to, Source: src,
						Perm: &ec2types.IpPermission{IpProtocol: perm.IpProtocol, FromPort: perm.FromPort, ToPort: perm.ToPort,
							UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: pair.GroupId}}}})
				}
			}
			if !covers {
				continue
			}
			for _, r := range perm.IpRanges {
				rp, err := netip.ParsePrefix(str(r.CidrIp))
				if err != nil {
					continue
				}
				for _, c := range cidrs {
					if rp.Bits() <= c.Bits() && rp.Contains(c.Addr()) {
						ok = true
					}
				}
			}
		}
	}
	return ok, wide
}

// targetPort is the port a target group sends to this endpoint, and
// whether the group sends to it at all: a registered IP or instance, or
// an ECS service that registers its tasks in the group.
func (a *analysis) targetPort(tg elbtypes.TargetGroup, ep Endpoint) (int32, bool) {
	arn := str(tg.TargetGroupArn)
	if p, ok := a.t.TargetGroups[arn]; ok {
		if p == 0 {
			p = port(tg.Port, 80)
		}
		return p, true
	}
	for _, d := range a.s.Targets[arn] {
		if d.Target == nil {
			continue
		}
		id := str(d.Target.Id)
		if (ep.IPv4 != "" && id == ep.IPv4) || (ep.Instance != "" && id == ep.Instance) || slices.Contains(ep.Secondary, id) {
			return port(d.Target.Port, port(tg.Port, 80)), true
		}
	}
	return 0, false
}

// forwards lists the target group ARNs a listener sends to: by its
// default action or by any of its rules.
func forwards(s *account.Snapshot, l elbtypes.Listener) []string {
	var out []string
	acts := slices.Clone(l.DefaultActions)
	for _, r := range s.Rules[str(l.ListenerArn)] {
		acts = append(acts, r.Actions...)
	}
	for _, act := range acts {
		if act.Type != elbtypes.ActionTypeEnumForward {
			continue
		}
		if arn := str(act.TargetGroupArn); arn != "" && !slices.Contains(out, arn) {
			out = append(out, arn)
		}
		if act.ForwardConfig != nil {
			for _, t := range act.ForwardConfig.TargetGroups {
				if arn := str(t.TargetGroupArn); arn != "" && !slices.Contains(out, arn) {
					out = append(out, arn)
				}
			}
		}
	}
	return out
}

// viaLoadBalancers follows each internet-facing load balancer: a
// listener whose port its security groups admit from the internet,
// forwarding to a target group that sends to the workload, whose groups
// admit the load balancer (by its group or its subnets' addresses).
func (a *analysis) viaLoadBalancers() (allowed, paths, wide []Exposure) {
	for _, lb := range a.s.LoadBalancers {
		if lb.Scheme != elbtypes.LoadBalancerSchemeEnumInternetFacing {
			continue
		}
		if lb.State != nil && lb.State.Code != "" && lb.State.Code != elbtypes.LoadBalancerStateEnumActive && lb.State.Code != elbtypes.LoadBalancerStateEnumProvisioning {
			continue
		}
		name, arn := str(lb.LoadBalancerName), str(lb.LoadBalancerArn)
		public := false
		var lbCIDRs []netip.Prefix
		for _, az := range lb.AvailabilityZones {
			if _, ok := a.igwRoute(str(az.SubnetId), probe4); ok {
				public = true
			}
			if sn, ok := a.s.Subnet(str(az.SubnetId)); ok {
				if p, err := netip.ParsePrefix(str(sn.CidrBlock)); err == nil {
					lbCIDRs = append(lbCIDRs, p)
				}
			}
		}
		if !public {
			continue
		}
		lbGroups := a.groups(lb.SecurityGroups)
		for _, l := range a.s.ListenersOf(arn) {
			lp := port(l.Port, 0)
			// A load balancer without security groups (an NLB) admits
			// every client.
			if len(lb.SecurityGroups) > 0 && !openOn(lbGroups, lp) {
				continue
			}
			for _, tgARN := range forwards(a.s, l) {
				tg, ok := a.s.TargetGroup(tgARN)
				if !ok {
					continue
				}
				for _, ep := range a.t.Endpoints {
					tp, ok := a.targetPort(tg, ep)
					if !ok {
						continue
					}
					epGroups := a.groups(ep.Groups)
					admitted := false
					var w []Exposure
					for _, g := range lb.SecurityGroups {
						ok, ww := ruleAdmits(epGroups, g, nil, tp)
						admitted = admitted || ok
						w = append(w, ww...)
					}
					if ok, _ := ruleAdmits(epGroups, "", lbCIDRs, tp); ok {
						admitted = true
					}
					if !admitted {
						continue
					}
					for i := range w {
						w[i].Endpoint, w[i].Via = endpointID(ep), name
						w[i].ListenerPort = tp // the target port the rule should be limited to
					}
					wide = appendNew(wide, w...)
					x := Exposure{Family: "ipv4", Component: arn, Endpoint: endpointID(ep), Protocol: "tcp", From: tp, To: tp,
						Source: name, Via: name, Listener: str(l.ListenerArn), ListenerPort: lp,
						Hops: []Hop{{Kind: "load-balancer", ID: arn, Note: fmt.Sprintf("%s:%d", name, lp)}, {Kind: "target-group", ID: tgARN, Note: strconv.Itoa(int(tp))},
							{Kind: "network-interface", ID: endpointID(ep)}}}
					switch {
					case name == a.allow.LoadBalancer && (a.allow.Port == 0 || a.allow.Port == lp):
						x.Code = LBPath
						allowed = append(allowed, x)
					case name == a.allow.LoadBalancer:
						x.Code, x.Component = ListenerOther, str(l.ListenerArn)
						paths = append(paths, x)
					default:
						x.Code = LBOther
						paths = append(paths, x)
					}
				}
			}
		}
	}
	return allowed, paths, wide
}

func appendNew(xs []Exposure, more ...Exposure) []Exposure {
	for _, m := range more {
		dup := false
		for _, x := range xs {
			if x.Code == m.Code && x.Component == m.Component && x.Source == m.Source && x.From == m.From && x.To == m.To {
				dup = true
			}
		}
		if !dup {
			xs = append(xs, m)
		}
	}
	return xs
}

// openOn reports whether groups admit internet clients on TCP port p.
func openOn(groups []ec2types.SecurityGroup, p int32) bool {
	for _, g := range groups {
		for _, perm := range g.IpPermissions {
			proto := strings.ToLower(str(perm.IpProtocol))
			if proto != "-1" && proto != "tcp" && proto != "6" {
				continue
			}
			if proto != "-1" && (p < port(perm.FromPort, 0) || p > port(perm.ToPort, 65535)) {
				continue
			}
			for _, r := range perm.IpRanges {
				if admitsInternet(str(r.CidrIp)) {
					return true
				}
			}
			for _, r := range perm.Ipv6Ranges {
				if admitsInternet(str(r.CidrIpv6)) {
					return true
				}
			}
			if len(perm.PrefixListIds) > 0 {
				return true
			}
		}
	}
	return false
}

// AssignedAtLaunch stands for the public address of a task not yet
// started, which AWS assigns at launch (messages show it in words).
const AssignedAtLaunch = "assigned at launch"
