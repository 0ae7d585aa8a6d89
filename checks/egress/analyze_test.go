package egress

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
)

// ---- builders -------------------------------------------------------------

const (
	region = "ap-northeast-1"
	azA    = "ap-northeast-1a"
	azC    = "ap-northeast-1c"
)

var azIDs = map[string]string{azA: "apne1-az4", azC: "apne1-az1"}

func sp(s string) *string { return &s }
func bp(b bool) *bool     { return &b }
func ip(n int) *int32     { v := int32(n); return &v }

func vpc(id, cidr string) ec2types.Vpc {
	return ec2types.Vpc{VpcId: sp(id), CidrBlock: sp(cidr), State: ec2types.VpcStateAvailable}
}

func subnet(id, vpcID, cidr, az string) ec2types.Subnet {
	return ec2types.Subnet{SubnetId: sp(id), VpcId: sp(vpcID), CidrBlock: sp(cidr),
		AvailabilityZone: sp(az), AvailabilityZoneId: sp(azIDs[az])}
}

func rt(id, vpcID string, main bool, subnets []string, routes ...ec2types.Route) ec2types.RouteTable {
	t := ec2types.RouteTable{RouteTableId: sp(id), VpcId: sp(vpcID), Routes: routes}
	if main {
		t.Associations = append(t.Associations, ec2types.RouteTableAssociation{Main: bp(true), RouteTableId: sp(id)})
	}
	for _, s := range subnets {
		t.Associations = append(t.Associations, ec2types.RouteTableAssociation{Main: bp(false), RouteTableId: sp(id), SubnetId: sp(s),
			AssociationState: &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated}})
	}
	return t
}

// route builds a route from its destination (CIDR, IPv6 CIDR or pl-…) and
// target, putting the target in the field AWS uses for its kind.
func route(dst, target string) ec2types.Route {
	r := ec2types.Route{State: ec2types.RouteStateActive}
	switch {
	case strings.HasPrefix(dst, "pl-"):
		r.DestinationPrefixListId = sp(dst)
	case strings.Contains(dst, ":"):
		r.DestinationIpv6CidrBlock = sp(dst)
	default:
		r.DestinationCidrBlock = sp(dst)
	}
	switch {
	case strings.HasPrefix(target, "nat-"):
		r.NatGatewayId = sp(target)
	case strings.HasPrefix(target, "eigw-"):
		r.EgressOnlyInternetGatewayId = sp(target)
	case strings.HasPrefix(target, "tgw-"):
		r.TransitGatewayId = sp(target)
	case strings.HasPrefix(target, "pcx-"):
		r.VpcPeeringConnectionId = sp(target)
	default: // igw-, vpce-, vgw-, local
		r.GatewayId = sp(target)
	}
	return r
}

func local() ec2types.Route { return route("10.0.0.0/16", "local") }

func blackholed(r ec2types.Route) ec2types.Route { r.State = ec2types.RouteStateBlackhole; return r }

func igw(id, vpcID string, state ec2types.AttachmentStatus) ec2types.InternetGateway {
	g := ec2types.InternetGateway{InternetGatewayId: sp(id)}
	if vpcID != "" {
		g.Attachments = []ec2types.InternetGatewayAttachment{{VpcId: sp(vpcID), State: state}}
	}
	return g
}

// nat is a zonal public NAT gateway as moto reports it: no
// ConnectivityType, no AvailabilityMode, one EIP.
func nat(id, vpcID, subnetID string) ec2types.NatGateway {
	return ec2types.NatGateway{NatGatewayId: sp(id), VpcId: sp(vpcID), SubnetId: sp(subnetID), State: ec2types.NatGatewayStateAvailable,
		NatGatewayAddresses: []ec2types.NatGatewayAddress{{AllocationId: sp("eipalloc-" + id), PublicIp: sp("203.0.113.10"),
			PrivateIp: sp("10.0.0.10"), IsPrimary: bp(true), Status: ec2types.NatGatewayAddressStatusSucceeded}}}
}

// regionalNAT has one succeeded address per AZ in azs.
func regionalNAT(id, vpcID string, azs ...string) ec2types.NatGateway {
	n := ec2types.NatGateway{NatGatewayId: sp(id), VpcId: sp(vpcID), State: ec2types.NatGatewayStateAvailable,
		AvailabilityMode: ec2types.AvailabilityModeRegional, ConnectivityType: ec2types.ConnectivityTypePublic, RouteTableId: sp("rtb-" + id)}
	for i, az := range azs {
		n.NatGatewayAddresses = append(n.NatGatewayAddresses, ec2types.NatGatewayAddress{AllocationId: sp(fmt.Sprintf("eipalloc-%d", i)),
			PublicIp: sp(fmt.Sprintf("198.51.100.%d", i+1)), AvailabilityZone: sp(az), Status: ec2types.NatGatewayAddressStatusSucceeded})
	}
	return n
}

// entry is one NACL rule; from < 0 leaves out the port range.
func entry(n int, egress bool, action ec2types.RuleAction, proto, cidr string, from, to int) ec2types.NetworkAclEntry {
	e := ec2types.NetworkAclEntry{RuleNumber: ip(n), Egress: bp(egress), RuleAction: action, Protocol: sp(proto)}
	if strings.Contains(cidr, ":") {
		e.Ipv6CidrBlock = sp(cidr)
	} else {
		e.CidrBlock = sp(cidr)
	}
	if from >= 0 {
		e.PortRange = &ec2types.PortRange{From: ip(from), To: ip(to)}
	}
	return e
}

const (
	allow = ec2types.RuleActionAllow
	deny  = ec2types.RuleActionDeny
	out   = true
	in    = false
)

func acl(id, vpcID string, isDefault bool, subnets []string, entries ...ec2types.NetworkAclEntry) ec2types.NetworkAcl {
	a := ec2types.NetworkAcl{NetworkAclId: sp(id), VpcId: sp(vpcID), IsDefault: bp(isDefault), Entries: entries}
	for _, s := range subnets {
		a.Associations = append(a.Associations, ec2types.NetworkAclAssociation{NetworkAclId: sp(id), SubnetId: sp(s)})
	}
	return a
}

// openEntries is the default ACL's: allow everything, then AWS's "*" rule.
func openEntries() []ec2types.NetworkAclEntry {
	return []ec2types.NetworkAclEntry{
		entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0), entry(32767, out, deny, "-1", "0.0.0.0/0", -1, 0),
		entry(100, in, allow, "-1", "0.0.0.0/0", -1, 0), entry(32767, in, deny, "-1", "0.0.0.0/0", -1, 0),
	}
}

func sg(id, vpcID string, egress []ec2types.IpPermission, ingress ...ec2types.IpPermission) ec2types.SecurityGroup {
	return ec2types.SecurityGroup{GroupId: sp(id), GroupName: sp(id), VpcId: sp(vpcID), IpPermissionsEgress: egress, IpPermissions: ingress}
}

func perms(ps ...ec2types.IpPermission) []ec2types.IpPermission { return ps }

func tcp(from, to int, cidrs ...string) ec2types.IpPermission {
	p := ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: ip(from), ToPort: ip(to)}
	for _, c := range cidrs {
		if strings.Contains(c, ":") {
			p.Ipv6Ranges = append(p.Ipv6Ranges, ec2types.Ipv6Range{CidrIpv6: sp(c)})
		} else {
			p.IpRanges = append(p.IpRanges, ec2types.IpRange{CidrIp: sp(c)})
		}
	}
	return p
}

func allTraffic(cidrs ...string) ec2types.IpPermission {
	p := tcp(0, 0, cidrs...)
	p.IpProtocol, p.FromPort, p.ToPort = sp("-1"), nil, nil
	return p
}

func tcpPL(port int, pl string) ec2types.IpPermission {
	p := tcp(port, port)
	p.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: sp(pl)}}
	return p
}

func tcpGroup(port int, group string) ec2types.IpPermission {
	p := tcp(port, port)
	p.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: sp(group)}}
	return p
}

// gatewayEP is an S3 gateway endpoint as moto reports it (no type).
func gatewayEP(id, vpcID string, tables ...string) ec2types.VpcEndpoint {
	return ec2types.VpcEndpoint{VpcEndpointId: sp(id), VpcId: sp(vpcID), ServiceName: sp("com.amazonaws." + region + ".s3"),
		State: "available", RouteTableIds: tables}
}

func interfaceEP(id, vpcID, short string, subnets []string, groups ...string) ec2types.VpcEndpoint {
	e := ec2types.VpcEndpoint{VpcEndpointId: sp(id), VpcId: sp(vpcID), ServiceName: sp("com.amazonaws." + region + "." + short),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, State: ec2types.StateAvailable, PrivateDnsEnabled: bp(true), SubnetIds: subnets}
	for _, g := range groups {
		e.Groups = append(e.Groups, ec2types.SecurityGroupIdentifier{GroupId: sp(g)})
	}
	return e
}

// lab is the usual layout: public subnets routed to igw-1, private ones to
// nat-a in subnet-pub-a, the default (open) ACL, a few security groups,
// and a second VPC with its own gateway.
func lab() *account.Snapshot {
	return &account.Snapshot{
		Region:   region,
		VPCs:     []ec2types.Vpc{vpc("vpc-1", "10.0.0.0/16"), vpc("vpc-2", "10.1.0.0/16")},
		VPCAttrs: map[string]account.VPCAttrs{"vpc-1": {DNSSupport: true, DNSHostnames: true}},
		Subnets: []ec2types.Subnet{
			subnet("subnet-pub-a", "vpc-1", "10.0.0.0/24", azA), subnet("subnet-pub-c", "vpc-1", "10.0.1.0/24", azC),
			subnet("subnet-priv-a", "vpc-1", "10.0.10.0/24", azA), subnet("subnet-priv-c", "vpc-1", "10.0.11.0/24", azC),
			subnet("subnet-iso-a", "vpc-1", "10.0.20.0/24", azA), // no explicit route table: the main one
			subnet("subnet-other", "vpc-2", "10.1.0.0/24", azA),
		},
		RouteTables: []ec2types.RouteTable{
			rt("rtb-main", "vpc-1", true, nil, local()),
			rt("rtb-pub", "vpc-1", false, []string{"subnet-pub-a", "subnet-pub-c"}, local(), route("0.0.0.0/0", "igw-1")),
			rt("rtb-priv", "vpc-1", false, []string{"subnet-priv-a", "subnet-priv-c"}, local(), route("0.0.0.0/0", "nat-a")),
			rt("rtb-other", "vpc-2", true, nil, route("10.1.0.0/16", "local"), route("0.0.0.0/0", "igw-2")),
		},
		// moto reports an attached IGW as "available".
		InternetGateways: []ec2types.InternetGateway{igw("igw-1", "vpc-1", "available"), igw("igw-2", "vpc-2", ec2types.AttachmentStatusAttached)},
		NATGateways:      []ec2types.NatGateway{nat("nat-a", "vpc-1", "subnet-pub-a")},
		NetworkACLs:      []ec2types.NetworkAcl{acl("acl-default", "vpc-1", true, nil, openEntries()...)},
		SecurityGroups: []ec2types.SecurityGroup{
			sg("sg-all", "vpc-1", perms(allTraffic("0.0.0.0/0"))),
			sg("sg-443", "vpc-1", perms(tcp(443, 443, "0.0.0.0/0"))),
			sg("sg-none", "vpc-1", nil),
			sg("sg-vpce", "vpc-1", perms(allTraffic("0.0.0.0/0")), tcp(443, 443, "10.0.0.0/16")),
		},
		PrefixLists: []ec2types.ManagedPrefixList{{PrefixListId: sp("pl-s3"), PrefixListName: sp("com.amazonaws." + region + ".s3")}},
	}
}

// ---- mutators -------------------------------------------------------------

func routeTable(s *account.Snapshot, id string) *ec2types.RouteTable {
	for i := range s.RouteTables {
		if *s.RouteTables[i].RouteTableId == id {
			return &s.RouteTables[i]
		}
	}
	panic("no route table " + id)
}

func setRoutes(s *account.Snapshot, id string, routes ...ec2types.Route) {
	routeTable(s, id).Routes = routes
}

func addRoutes(s *account.Snapshot, id string, routes ...ec2types.Route) {
	t := routeTable(s, id)
	t.Routes = append(t.Routes, routes...)
}

func natGW(s *account.Snapshot, id string) *ec2types.NatGateway {
	for i := range s.NATGateways {
		if *s.NATGateways[i].NatGatewayId == id {
			return &s.NATGateways[i]
		}
	}
	panic("no NAT gateway " + id)
}

func secGroup(s *account.Snapshot, id string) *ec2types.SecurityGroup {
	for i := range s.SecurityGroups {
		if *s.SecurityGroups[i].GroupId == id {
			return &s.SecurityGroups[i]
		}
	}
	panic("no security group " + id)
}

func subnetOf(s *account.Snapshot, id string) *ec2types.Subnet {
	for i := range s.Subnets {
		if *s.Subnets[i].SubnetId == id {
			return &s.Subnets[i]
		}
	}
	panic("no subnet " + id)
}

func endpointOf(s *account.Snapshot, id string) *ec2types.VpcEndpoint {
	for i := range s.VPCEndpoints {
		if *s.VPCEndpoints[i].VpcEndpointId == id {
			return &s.VPCEndpoints[i]
		}
	}
	panic("no endpoint " + id)
}

// noNAT leaves the private subnets with the local route only.
func noNAT(s *account.Snapshot) { setRoutes(s, "rtb-priv", local()) }

// ecrEndpoints adds what a private Fargate task needs for ECR: the ecr.api
// and ecr.dkr interface endpoints in both private subnets and the S3
// gateway endpoint on the private route table (with its route).
func ecrEndpoints(s *account.Snapshot) {
	s.VPCEndpoints = append(s.VPCEndpoints,
		interfaceEP("vpce-api", "vpc-1", "ecr.api", []string{"subnet-priv-a", "subnet-priv-c"}, "sg-vpce"),
		interfaceEP("vpce-dkr", "vpc-1", "ecr.dkr", []string{"subnet-priv-a", "subnet-priv-c"}, "sg-vpce"),
		gatewayEP("vpce-s3", "vpc-1", "rtb-priv"))
	addRoutes(s, "rtb-priv", route("pl-s3", "vpce-s3"))
}

func logsEndpoint(s *account.Snapshot, subnets ...string) *ec2types.VpcEndpoint {
	if subnets == nil {
		subnets = []string{"subnet-priv-a", "subnet-priv-c"}
	}
	s.VPCEndpoints = append(s.VPCEndpoints, interfaceEP("vpce-logs", "vpc-1", "logs", subnets, "sg-vpce"))
	return endpointOf(s, "vpce-logs")
}

// withIPv6 gives the VPC, the two AZ-a subnets, an egress-only gateway and
// ::/0 routes (private → eigw-1, public → igw-1), and opens the ACL and
// sg-all for IPv6.
func withIPv6(s *account.Snapshot) {
	s.VPCs[0].Ipv6CidrBlockAssociationSet = []ec2types.VpcIpv6CidrBlockAssociation{{Ipv6CidrBlock: sp("2406:da14:100::/56")}}
	for id, cidr := range map[string]string{"subnet-priv-a": "2406:da14:100:1::/64", "subnet-pub-a": "2406:da14:100:2::/64"} {
		subnetOf(s, id).Ipv6CidrBlockAssociationSet = []ec2types.SubnetIpv6CidrBlockAssociation{{Ipv6CidrBlock: sp(cidr),
			Ipv6CidrBlockState: &ec2types.SubnetCidrBlockState{State: ec2types.SubnetCidrBlockStateCodeAssociated}}}
	}
	s.EgressOnlyGateways = []ec2types.EgressOnlyInternetGateway{{EgressOnlyInternetGatewayId: sp("eigw-1"),
		Attachments: []ec2types.InternetGatewayAttachment{{VpcId: sp("vpc-1"), State: ec2types.AttachmentStatusAttached}}}}
	addRoutes(s, "rtb-priv", route("::/0", "eigw-1"))
	addRoutes(s, "rtb-pub", route("::/0", "igw-1"))
	s.NetworkACLs[0].Entries = append(s.NetworkACLs[0].Entries,
		entry(101, out, allow, "-1", "::/0", -1, 0), entry(101, in, allow, "-1", "::/0", -1, 0))
	secGroup(s, "sg-all").IpPermissionsEgress = perms(allTraffic("0.0.0.0/0", "::/0"))
}

// ---- the table ------------------------------------------------------------

type tcase struct {
	name string
	mod  func(s *account.Snapshot)
	src  Source
	dst  Dest
	port int // 0: Analyze's default, 443

	code   Code              // "": the path must be reachable
	comp   string            // the blocker's Component
	leg    string            // the blocked leg's Service, when it matters
	detail map[string]string // must be a subset of the blocker's Detail
	via    string            // reachable: Path.Via()
	vias   []string          // reachable: every leg's Via
	warn   []string          // exactly these warnings, "CODE@component"
	hops   [][]string        // every leg's hops, "kind:id"
}

var (
	privA = Source{SubnetID: "subnet-priv-a", SecurityGroupIDs: []string{"sg-all"}, PublicIP: PublicIPNo}
	pubA  = Source{SubnetID: "subnet-pub-a", SecurityGroupIDs: []string{"sg-all"}, PublicIP: PublicIPYes}
)

func src(subnet string, pub PublicIP, groups ...string) Source {
	return Source{SubnetID: subnet, SecurityGroupIDs: groups, PublicIP: pub}
}

func cases() []tcase {
	return []tcase{
		// --- the three main happy paths, hop by hop ---
		{name: "private subnet via zonal NAT to the internet",
			src: Source{SubnetID: "subnet-priv-a", SecurityGroupIDs: []string{"sg-all"}, PublicIP: PublicIPNo, ENIID: "eni-task"},
			dst: Internet, port: 443, via: "nat-gateway",
			hops: [][]string{{"network-interface:eni-task", "subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default",
				"route-table:rtb-priv", "nat-gateway:nat-a", "subnet:subnet-pub-a", "network-acl:acl-default", "route-table:rtb-pub",
				"internet-gateway:igw-1", "destination:internet"}}},
		{name: "public subnet with public IP via IGW", src: pubA, dst: Internet, port: 443, via: "internet-gateway",
			hops: [][]string{{"subnet:subnet-pub-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-pub",
				"internet-gateway:igw-1", "destination:internet"}}},
		{name: "ECR fully through endpoints", mod: func(s *account.Snapshot) { noNAT(s); ecrEndpoints(s) },
			src: privA, dst: ECR, port: 443, vias: []string{"interface-endpoint", "interface-endpoint", "gateway-endpoint"},
			hops: [][]string{
				{"subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-priv", "interface-endpoint:vpce-api", "destination:ecr.api"},
				{"subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-priv", "interface-endpoint:vpce-dkr", "destination:ecr.dkr"},
				{"subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-priv", "gateway-endpoint:vpce-s3", "destination:s3"},
			}},

		// --- source ---
		{name: "subnet not found", src: Source{SubnetID: "subnet-nope"}, dst: Internet, code: NotFound, comp: "subnet-nope"},
		{name: "VPC not found", mod: func(s *account.Snapshot) {
			s.Subnets = append(s.Subnets, subnet("subnet-orphan", "vpc-gone", "10.9.0.0/24", azA))
		}, src: Source{SubnetID: "subnet-orphan"}, dst: Internet, code: NotFound, comp: "vpc-gone"},
		{name: "unknown destination", src: privA, dst: Dest("ftp"), code: NotFound, comp: "ftp"},

		// --- internet gateway ---
		{name: "public subnet, public IP unknown: reachable with a warning", src: src("subnet-pub-a", PublicIPUnknown),
			dst: Internet, via: "internet-gateway", warn: []string{"IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS@subnet-pub-a"}},
		{name: "public subnet without public IP", src: Source{SubnetID: "subnet-pub-a", ENIID: "eni-task", PublicIP: PublicIPNo},
			dst: Internet, code: IGWPublicIPForEgress, comp: "eni-task", detail: map[string]string{"subnet": "subnet-pub-a"}},
		{name: "route to a missing IGW", mod: func(s *account.Snapshot) { s.InternetGateways = s.InternetGateways[1:] },
			src: pubA, dst: Internet, code: BadStateRoute, comp: "rtb-pub", detail: map[string]string{"target": "igw-1"}},
		{name: "detached IGW", mod: func(s *account.Snapshot) { s.InternetGateways[0].Attachments = nil },
			src: pubA, dst: Internet, code: BadStateAttachment, comp: "igw-1", detail: map[string]string{"state": "detached", "vpc": "vpc-1"}},
		{name: "IGW attached to another VPC", mod: func(s *account.Snapshot) { setRoutes(s, "rtb-pub", local(), route("0.0.0.0/0", "igw-2")) },
			src: pubA, dst: Internet, code: BadStateAttachment, comp: "igw-2", detail: map[string]string{"attached_vpc": "vpc-2"}},
		{name: "IGW detaching", mod: func(s *account.Snapshot) {
			s.InternetGateways[0].Attachments[0].State = ec2types.AttachmentStatusDetaching
		},
			src: pubA, dst: Internet, code: BadStateAttachment, comp: "igw-1", detail: map[string]string{"state": "detaching"}},

		// --- routing ---
		{name: "blackhole route", mod: func(s *account.Snapshot) { setRoutes(s, "rtb-priv", local(), blackholed(route("0.0.0.0/0", "nat-a"))) },
			src: privA, dst: Internet, code: BadStateRoute, comp: "rtb-priv", detail: map[string]string{"state": "blackhole", "target": "nat-a"}},
		{name: "route to a NAT gateway missing from the account", mod: func(s *account.Snapshot) { s.NATGateways = nil },
			src: privA, dst: Internet, code: BadStateRoute, comp: "rtb-priv", detail: map[string]string{"target": "nat-a"}},
		{name: "main route table without a default route", src: src("subnet-iso-a", PublicIPNo, "sg-all"), dst: Internet,
			code: NoRouteToDestination, comp: "rtb-main", detail: map[string]string{"cidr": "0.0.0.0/0"}},
		{name: "explicit route table wins over the main table", mod: func(s *account.Snapshot) {
			setRoutes(s, "rtb-main", local(), route("0.0.0.0/0", "igw-1"))
		}, src: privA, dst: Internet, via: "nat-gateway"},
		{name: "main route table used without an explicit association", mod: func(s *account.Snapshot) {
			setRoutes(s, "rtb-main", local(), route("0.0.0.0/0", "igw-1"))
		}, src: src("subnet-iso-a", PublicIPYes, "sg-all"), dst: Internet, via: "internet-gateway",
			hops: [][]string{{"subnet:subnet-iso-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-main", "internet-gateway:igw-1", "destination:internet"}}},
		{name: "longest prefix: a more specific route beats 0.0.0.0/0", mod: func(s *account.Snapshot) {
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "tgw-1"), route("1.0.0.0/8", "nat-a"))
		}, src: privA, dst: Internet, via: "nat-gateway"},
		{name: "longest prefix: a more specific peering route beats the NAT", mod: func(s *account.Snapshot) {
			addRoutes(s, "rtb-priv", route("1.1.0.0/16", "pcx-1"))
		}, src: privA, dst: Internet, code: CannotRoute, comp: "rtb-priv", detail: map[string]string{"target": "pcx-1"}},
		{name: "transit gateway route", mod: func(s *account.Snapshot) { setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "tgw-1")) },
			src: privA, dst: Internet, code: CannotRoute, comp: "rtb-priv", detail: map[string]string{"target": "tgw-1", "cidr": "0.0.0.0/0"}},

		{name: "no route table at all", mod: func(s *account.Snapshot) { routeTable(s, "rtb-main").Associations = nil },
			src: src("subnet-iso-a", PublicIPNo, "sg-all"), dst: Internet, code: NoRouteToDestination, comp: "subnet-iso-a",
			detail: map[string]string{"reason": "no route table"}},
		// --- zonal NAT gateway ---
		{name: "NAT pending", mod: func(s *account.Snapshot) { natGW(s, "nat-a").State = ec2types.NatGatewayStatePending },
			src: privA, dst: Internet, code: BadState, comp: "nat-a", detail: map[string]string{"state": "pending"}},
		{name: "NAT failed", mod: func(s *account.Snapshot) {
			n := natGW(s, "nat-a")
			n.State, n.FailureCode, n.FailureMessage = ec2types.NatGatewayStateFailed, sp("Gateway.NotAttached"), sp("Network vpc-1 has no Internet gateway attached")
		}, src: privA, dst: Internet, code: BadState, comp: "nat-a",
			detail: map[string]string{"state": "failed", "failure_code": "Gateway.NotAttached", "failure_message": "Network vpc-1 has no Internet gateway attached"}},
		{name: "NAT deleted", mod: func(s *account.Snapshot) { natGW(s, "nat-a").State = ec2types.NatGatewayStateDeleted },
			src: privA, dst: Internet, code: BadState, comp: "nat-a", detail: map[string]string{"state": "deleted"}},
		{name: "private-connectivity NAT", mod: func(s *account.Snapshot) {
			n := natGW(s, "nat-a")
			n.ConnectivityType, n.NatGatewayAddresses[0].PublicIp = ec2types.ConnectivityTypePrivate, nil
		}, src: privA, dst: Internet, code: NGWPrivateConnectivity, comp: "nat-a"},
		{name: "NAT without an Elastic IP", mod: func(s *account.Snapshot) { natGW(s, "nat-a").NatGatewayAddresses[0].PublicIp = nil },
			src: privA, dst: Internet, code: NGWNoPublicIP, comp: "nat-a"},
		{name: "NAT in a subnet without an IGW route (main table)", mod: func(s *account.Snapshot) { natGW(s, "nat-a").SubnetId = sp("subnet-iso-a") },
			src: privA, dst: Internet, code: NGWInPrivateSubnet, comp: "nat-a",
			detail: map[string]string{"subnet": "subnet-iso-a", "route_table": "rtb-main"}},
		{name: "NAT in a subnet routed to a detached IGW", mod: func(s *account.Snapshot) { s.InternetGateways[0].Attachments = nil },
			src: privA, dst: Internet, code: NGWInPrivateSubnet, comp: "nat-a",
			detail: map[string]string{"subnet": "subnet-pub-a", "route_table": "rtb-pub"}},
		{name: "NAT in a subnet missing from the account", mod: func(s *account.Snapshot) { natGW(s, "nat-a").SubnetId = sp("subnet-gone") },
			src: privA, dst: Internet, code: NGWInPrivateSubnet, comp: "nat-a", detail: map[string]string{"subnet": "subnet-gone"}},
		{name: "NAT in a subnet routed to another NAT", mod: func(s *account.Snapshot) {
			s.NATGateways = append(s.NATGateways, nat("nat-c", "vpc-1", "subnet-priv-c"))
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "nat-c"))
		}, src: privA, dst: Internet, code: NGWInPrivateSubnet, comp: "nat-c",
			detail: map[string]string{"subnet": "subnet-priv-c", "route_table": "rtb-priv", "target": "nat-c"}},
		{name: "a route given as GatewayId nat-… is a NAT route", mod: func(s *account.Snapshot) {
			r := route("0.0.0.0/0", "igw-x")
			r.GatewayId = sp("nat-a")
			setRoutes(s, "rtb-priv", local(), r)
		}, src: privA, dst: Internet, via: "nat-gateway"},
		{name: "NAT in another AZ: reachable, no warning here", src: src("subnet-priv-c", PublicIPNo, "sg-all"), dst: Internet, via: "nat-gateway"},

		// --- regional NAT gateway ---
		{name: "regional NAT covering the source AZ", mod: func(s *account.Snapshot) {
			s.NATGateways = append(s.NATGateways, regionalNAT("nat-r", "vpc-1", azA, azC))
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "nat-r"))
		}, src: privA, dst: Internet, via: "nat-gateway",
			hops: [][]string{{"subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-priv",
				"nat-gateway:nat-r", "internet-gateway:igw-1", "destination:internet"}}},
		{name: "regional NAT covering the AZ by AZ id", mod: func(s *account.Snapshot) {
			n := regionalNAT("nat-r", "vpc-1", azC)
			n.NatGatewayAddresses[0].AvailabilityZone, n.NatGatewayAddresses[0].AvailabilityZoneId = nil, sp(azIDs[azA])
			s.NATGateways = append(s.NATGateways, n)
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "nat-r"))
		}, src: privA, dst: Internet, via: "nat-gateway"},
		{name: "regional NAT not covering the source AZ", mod: func(s *account.Snapshot) {
			s.NATGateways = append(s.NATGateways, regionalNAT("nat-r", "vpc-1", azC))
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "nat-r"))
		}, src: privA, dst: Internet, code: RegionalNGWAZ, comp: "nat-r", detail: map[string]string{"az": azA}},
		{name: "regional NAT whose address in the AZ failed", mod: func(s *account.Snapshot) {
			n := regionalNAT("nat-r", "vpc-1", azA)
			n.NatGatewayAddresses[0].Status = ec2types.NatGatewayAddressStatusFailed
			s.NATGateways = append(s.NATGateways, n)
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "nat-r"))
		}, src: privA, dst: Internet, code: RegionalNGWAZ, comp: "nat-r"},
		{name: "regional NAT in a VPC without an attached IGW", mod: func(s *account.Snapshot) {
			s.NATGateways = append(s.NATGateways, regionalNAT("nat-r", "vpc-1", azA))
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "nat-r"))
			s.InternetGateways[0].Attachments = nil
		}, src: privA, dst: Internet, code: BadStateAttachment, comp: "vpc-1", detail: map[string]string{"nat_gateway": "nat-r"}},

		// --- security groups ---
		{name: "SG allows 443 and the check asks 443", src: src("subnet-priv-a", PublicIPNo, "sg-443"), dst: Internet, port: 443, via: "nat-gateway"},
		{name: "SG allows 443 but the check asks 5432", src: src("subnet-priv-a", PublicIPNo, "sg-443"), dst: Internet, port: 5432,
			code: ENISGRulesMismatch, comp: "sg-443", detail: map[string]string{"port": "5432", "cidr": "0.0.0.0/0"}},
		{name: "SG allowing only a private range", mod: func(s *account.Snapshot) {
			secGroup(s, "sg-443").IpPermissionsEgress = perms(tcp(443, 443, "10.0.0.0/8"))
		}, src: src("subnet-priv-a", PublicIPNo, "sg-443"), dst: Internet, code: ENISGRulesMismatch, comp: "sg-443"},
		{name: "SG with no rules", src: src("subnet-priv-a", PublicIPNo, "sg-none"), dst: Internet, code: SGHasNoRules, comp: "sg-none"},
		{name: "any of the groups may allow it", src: src("subnet-priv-a", PublicIPNo, "sg-none", "sg-443"), dst: Internet, via: "nat-gateway"},
		{name: "missing security group", src: src("subnet-priv-a", PublicIPNo, "sg-all", "sg-gone"), dst: Internet,
			code: ENISGRulesMismatch, comp: "sg-gone", detail: map[string]string{"missing": "sg-gone"}},
		{name: "bare subnet: groups not evaluated", src: src("subnet-priv-a", PublicIPNo), mod: func(s *account.Snapshot) {
			secGroup(s, "sg-all").IpPermissionsEgress = nil
		}, dst: Internet, via: "nat-gateway"},

		// --- network ACLs ---
		{name: "NACL drops the return ports 1024-65535", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-priv", "vpc-1", false, []string{"subnet-priv-a"},
				entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0), entry(100, in, allow, "6", "0.0.0.0/0", 22, 22)))
		}, src: privA, dst: Internet, code: SubnetACLRestriction, comp: "acl-priv",
			detail: map[string]string{"direction": "inbound", "ports": "1024-65535", "subnet": "subnet-priv-a", "rule": "*"}},
		{name: "NACL admits only 32768-65535 back", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-priv", "vpc-1", false, []string{"subnet-priv-a"},
				entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0), entry(100, in, allow, "6", "0.0.0.0/0", 32768, 65535)))
		}, src: privA, dst: Internet, code: SubnetACLRestriction, comp: "acl-priv",
			detail: map[string]string{"direction": "inbound", "ports": "1024-65535"}},
		{name: "NACL admits 1024-65535 in two rules", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-priv", "vpc-1", false, []string{"subnet-priv-a"},
				entry(100, out, allow, "6", "0.0.0.0/0", 443, 443),
				entry(110, in, allow, "6", "0.0.0.0/0", 32768, 65535), entry(100, in, allow, "6", "0.0.0.0/0", 1024, 32767)))
		}, src: privA, dst: Internet, via: "nat-gateway"},
		{name: "NACL denies outbound 443 before allowing all", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-priv", "vpc-1", false, []string{"subnet-priv-a"},
				entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0), entry(90, out, deny, "6", "0.0.0.0/0", 443, 443),
				entry(100, in, allow, "-1", "0.0.0.0/0", -1, 0)))
		}, src: privA, dst: Internet, code: SubnetACLRestriction, comp: "acl-priv",
			detail: map[string]string{"direction": "outbound", "ports": "443", "rule": "90"}},
		{name: "NACL: the lowest rule number wins whatever the order", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-priv", "vpc-1", false, []string{"subnet-priv-a"},
				entry(200, out, deny, "-1", "0.0.0.0/0", -1, 0), entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0),
				entry(200, in, deny, "-1", "0.0.0.0/0", -1, 0), entry(100, in, allow, "-1", "0.0.0.0/0", -1, 0)))
		}, src: privA, dst: Internet, via: "nat-gateway"},
		{name: "NAT subnet ACL does not admit the source's traffic", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-pub", "vpc-1", false, []string{"subnet-pub-a"},
				entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0), entry(100, in, allow, "6", "0.0.0.0/0", 1024, 65535)))
		}, src: privA, dst: Internet, code: SubnetACLRestriction, comp: "acl-pub",
			detail: map[string]string{"direction": "inbound", "ports": "443", "subnet": "subnet-pub-a", "cidr": "10.0.10.0/24"}},
		{name: "NAT subnet ACL does not let the NAT out to the internet", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-pub", "vpc-1", false, []string{"subnet-pub-a"},
				entry(100, out, allow, "6", "0.0.0.0/0", 1024, 65535), entry(100, in, allow, "-1", "0.0.0.0/0", -1, 0)))
		}, src: privA, dst: Internet, code: SubnetACLRestriction, comp: "acl-pub",
			detail: map[string]string{"direction": "outbound", "ports": "443", "subnet": "subnet-pub-a", "cidr": "0.0.0.0/0"}},
		{name: "NAT subnet ACL does not pass the reply back to the source", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-pub", "vpc-1", false, []string{"subnet-pub-a"},
				entry(100, out, allow, "6", "0.0.0.0/0", 443, 443), entry(100, in, allow, "-1", "0.0.0.0/0", -1, 0)))
		}, src: privA, dst: Internet, code: SubnetACLRestriction, comp: "acl-pub",
			detail: map[string]string{"direction": "outbound", "ports": "1024-65535", "subnet": "subnet-pub-a", "cidr": "10.0.10.0/24"}},
		{name: "NAT subnet ACL does not admit the internet's reply", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-pub", "vpc-1", false, []string{"subnet-pub-a"},
				entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0), entry(100, in, allow, "6", "10.0.0.0/16", 443, 443)))
		}, src: privA, dst: Internet, code: SubnetACLRestriction, comp: "acl-pub",
			detail: map[string]string{"direction": "inbound", "ports": "1024-65535", "cidr": "0.0.0.0/0"}},
		{name: "NAT subnet ACL tight but correct", mod: func(s *account.Snapshot) {
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-pub", "vpc-1", false, []string{"subnet-pub-a"},
				entry(100, in, allow, "6", "10.0.0.0/16", 443, 443), entry(110, in, allow, "6", "0.0.0.0/0", 1024, 65535),
				entry(100, out, allow, "6", "0.0.0.0/0", 443, 443), entry(110, out, allow, "6", "10.0.0.0/16", 1024, 65535)))
		}, src: privA, dst: Internet, via: "nat-gateway",
			hops: [][]string{{"subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-priv",
				"nat-gateway:nat-a", "subnet:subnet-pub-a", "network-acl:acl-pub", "route-table:rtb-pub", "internet-gateway:igw-1", "destination:internet"}}},

		// --- S3 ---
		{name: "S3 via gateway endpoint, route present, SG to the prefix list only", mod: func(s *account.Snapshot) {
			noNAT(s)
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-priv"))
			addRoutes(s, "rtb-priv", route("pl-s3", "vpce-s3"))
			s.SecurityGroups = append(s.SecurityGroups, sg("sg-s3", "vpc-1", perms(tcpPL(443, "pl-s3"))))
		}, src: src("subnet-priv-a", PublicIPNo, "sg-s3"), dst: S3, via: "gateway-endpoint",
			hops: [][]string{{"subnet:subnet-priv-a", "security-group:sg-s3", "network-acl:acl-default", "route-table:rtb-priv",
				"gateway-endpoint:vpce-s3", "destination:s3"}}},
		{name: "S3 via gateway endpoint: route missing but the table is listed (moto)", mod: func(s *account.Snapshot) {
			noNAT(s)
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-priv"))
		}, src: privA, dst: S3, via: "gateway-endpoint"},
		{name: "S3 gateway endpoint on another route table and no NAT", mod: func(s *account.Snapshot) {
			noNAT(s)
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-pub"))
			addRoutes(s, "rtb-pub", route("pl-s3", "vpce-s3"))
		}, src: privA, dst: S3, code: VPCEGatewayRouteMissing, comp: "vpce-s3", detail: map[string]string{"route_table": "rtb-priv"}},
		{name: "S3 gateway endpoint on another route table, NAT carries it", mod: func(s *account.Snapshot) {
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-pub"))
		}, src: privA, dst: S3, via: "nat-gateway"},
		{name: "S3 gateway endpoint off the table, but the source SG blocks S3 anyway", mod: func(s *account.Snapshot) {
			noNAT(s)
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-pub"))
		}, src: src("subnet-priv-a", PublicIPNo, "sg-none"), dst: S3, code: SGHasNoRules, comp: "sg-none"},
		{name: "S3 prefix-list SG rule counts through a NAT too", mod: func(s *account.Snapshot) {
			s.SecurityGroups = append(s.SecurityGroups, sg("sg-s3", "vpc-1", perms(tcpPL(443, "pl-s3"))))
		}, src: src("subnet-priv-a", PublicIPNo, "sg-s3"), dst: S3, via: "nat-gateway"},
		{name: "S3 with SG to the VPC only", mod: func(s *account.Snapshot) {
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-priv"))
			secGroup(s, "sg-443").IpPermissionsEgress = perms(tcp(443, 443, "10.0.0.0/16"))
		}, src: src("subnet-priv-a", PublicIPNo, "sg-443"), dst: S3, code: ENISGRulesMismatch, comp: "sg-443",
			detail: map[string]string{"prefix_list": "pl-s3"}},
		{name: "S3 gateway endpoint pending", mod: func(s *account.Snapshot) {
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-priv"))
			endpointOf(s, "vpce-s3").State = "pending"
			addRoutes(s, "rtb-priv", route("pl-s3", "vpce-s3"))
		}, src: privA, dst: S3, code: BadState, comp: "vpce-s3", detail: map[string]string{"state": "pending"}},
		{name: "S3 prefix-list route blackholed", mod: func(s *account.Snapshot) {
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-priv"))
			addRoutes(s, "rtb-priv", blackholed(route("pl-s3", "vpce-s3")))
		}, src: privA, dst: S3, code: BadStateRoute, comp: "rtb-priv", detail: map[string]string{"target": "vpce-s3"}},
		{name: "S3 prefix-list route to a NAT beats a default route elsewhere", mod: func(s *account.Snapshot) {
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "tgw-1"), route("pl-s3", "nat-a"))
		}, src: privA, dst: S3, via: "nat-gateway"},
		{name: "S3 prefix-list route to an endpoint missing from the account", mod: func(s *account.Snapshot) {
			addRoutes(s, "rtb-priv", route("pl-s3", "vpce-gone"))
		}, src: privA, dst: S3, code: BadStateRoute, comp: "rtb-priv", detail: map[string]string{"target": "vpce-gone", "reason": "target not found"}},
		{name: "S3 gateway endpoint typed Gateway (AWS)", mod: func(s *account.Snapshot) {
			noNAT(s)
			s.VPCEndpoints = append(s.VPCEndpoints, gatewayEP("vpce-s3", "vpc-1", "rtb-priv"))
			endpointOf(s, "vpce-s3").VpcEndpointType, endpointOf(s, "vpce-s3").State = ec2types.VpcEndpointTypeGateway, ec2types.StateAvailable
			addRoutes(s, "rtb-priv", route("pl-s3", "vpce-s3"))
		}, src: privA, dst: S3, via: "gateway-endpoint"},
		{name: "S3 via an S3 interface endpoint", mod: func(s *account.Snapshot) {
			noNAT(s)
			s.VPCEndpoints = append(s.VPCEndpoints, interfaceEP("vpce-s3i", "vpc-1", "s3", []string{"subnet-priv-a"}, "sg-vpce"))
		}, src: privA, dst: S3, via: "interface-endpoint"},

		// --- ECR ---
		{name: "ECR with ecr.dkr missing and no NAT", mod: func(s *account.Snapshot) {
			noNAT(s)
			ecrEndpoints(s)
			s.VPCEndpoints = slices.DeleteFunc(s.VPCEndpoints, func(e ec2types.VpcEndpoint) bool { return *e.VpcEndpointId == "vpce-dkr" })
		}, src: privA, dst: ECR, code: NoRouteToDestination, comp: "rtb-priv", leg: "ecr.dkr", detail: map[string]string{"cidr": "0.0.0.0/0"}},
		{name: "ECR cannot use an S3 interface endpoint for the layers", mod: func(s *account.Snapshot) {
			noNAT(s)
			ecrEndpoints(s)
			s.VPCEndpoints = slices.DeleteFunc(s.VPCEndpoints, func(e ec2types.VpcEndpoint) bool { return *e.VpcEndpointId == "vpce-s3" })
			setRoutes(s, "rtb-priv", local())
			s.VPCEndpoints = append(s.VPCEndpoints, interfaceEP("vpce-s3i", "vpc-1", "s3", []string{"subnet-priv-a"}, "sg-vpce"))
		}, src: privA, dst: ECR, code: NoRouteToDestination, comp: "rtb-priv", leg: "s3"},
		{name: "ECR through the NAT", src: privA, dst: ECR, vias: []string{"nat-gateway", "nat-gateway", "nat-gateway"}},
		{name: "ECR endpoints in another Region do not count", mod: func(s *account.Snapshot) {
			noNAT(s)
			ecrEndpoints(s)
			endpointOf(s, "vpce-api").ServiceName = sp("com.amazonaws.us-east-1.ecr.api")
		}, src: privA, dst: ECR, code: NoRouteToDestination, comp: "rtb-priv", leg: "ecr.api"},

		// --- interface endpoints ---
		{name: "logs endpoint with private DNS off and no NAT", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s).PrivateDnsEnabled = bp(false)
		}, src: privA, dst: Logs, code: VPCEPrivateDNSDisabled, comp: "vpce-logs"},
		{name: "logs endpoint with private DNS off: the NAT carries it", mod: func(s *account.Snapshot) {
			logsEndpoint(s).PrivateDnsEnabled = bp(false)
		}, src: privA, dst: Logs, via: "nat-gateway", warn: []string{"VPCE_PRIVATE_DNS_DISABLED@vpce-logs"}},
		{name: "logs endpoint pending and no NAT", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s).State = ec2types.StatePending
		}, src: privA, dst: Logs, code: BadState, comp: "vpce-logs", detail: map[string]string{"state": "Pending"}},
		{name: "logs endpoint: its SG does not admit 443", mod: func(s *account.Snapshot) {
			logsEndpoint(s)
			secGroup(s, "sg-vpce").IpPermissions = perms(tcp(80, 80, "10.0.0.0/16"))
		}, src: privA, dst: Logs, code: VPCESGRulesMismatch, comp: "vpce-logs", detail: map[string]string{"port": "443"}},
		{name: "logs endpoint: its SG admits the source's group", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s)
			secGroup(s, "sg-vpce").IpPermissions = perms(tcpGroup(443, "sg-all"))
		}, src: privA, dst: Logs, via: "interface-endpoint"},
		{name: "logs endpoint: a group reference cannot admit a bare subnet", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s)
			secGroup(s, "sg-vpce").IpPermissions = perms(tcpGroup(443, "sg-all"))
		}, src: src("subnet-priv-a", PublicIPNo), dst: Logs, code: VPCESGRulesMismatch, comp: "vpce-logs"},
		{name: "logs endpoint: its SG group is missing", mod: func(s *account.Snapshot) {
			logsEndpoint(s).Groups = []ec2types.SecurityGroupIdentifier{{GroupId: sp("sg-gone")}}
		}, src: privA, dst: Logs, code: VPCESGRulesMismatch, comp: "vpce-logs", detail: map[string]string{"missing": "sg-gone"}},
		{name: "DNS hostnames off and no NAT", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s)
			s.VPCAttrs["vpc-1"] = account.VPCAttrs{DNSSupport: true, DNSHostnames: false}
		}, src: privA, dst: Logs, code: VPCDNSAttributeDisabled, comp: "vpc-1", detail: map[string]string{"attribute": "enableDnsHostnames"}},
		{name: "DNS support off: the NAT carries it", mod: func(s *account.Snapshot) {
			logsEndpoint(s)
			s.VPCAttrs["vpc-1"] = account.VPCAttrs{DNSSupport: false, DNSHostnames: true}
		}, src: privA, dst: Logs, via: "nat-gateway", warn: []string{"VPC_DNS_ATTRIBUTE_DISABLED@vpc-1"}},
		{name: "missing VPC attributes are taken as on", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s)
			s.VPCAttrs = nil
		}, src: privA, dst: Logs, via: "interface-endpoint"},
		{name: "logs endpoint only in another AZ", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s, "subnet-priv-c")
		}, src: privA, dst: Logs, via: "interface-endpoint", warn: []string{"VPCE_SERVICE_NOT_INSTALLED_IN_AZ@vpce-logs"},
			hops: [][]string{{"subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-priv",
				"network-acl:acl-default", "interface-endpoint:vpce-logs", "destination:logs"}}},
		{name: "logs endpoint without subnets", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s).SubnetIds = []string{}
		}, src: privA, dst: Logs, code: VPCENotInAZ, comp: "vpce-logs"},
		{name: "endpoint subnet's ACL drops 443 from the source", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s, "subnet-priv-c")
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-c", "vpc-1", false, []string{"subnet-priv-c"},
				entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0), entry(100, in, allow, "6", "0.0.0.0/0", 1024, 65535)))
		}, src: privA, dst: Logs, code: SubnetACLRestriction, comp: "acl-c",
			detail: map[string]string{"direction": "inbound", "ports": "443", "subnet": "subnet-priv-c", "cidr": "10.0.10.0/24"}},
		{name: "source ACL drops traffic to the endpoint's subnet", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s, "subnet-priv-c")
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-a", "vpc-1", false, []string{"subnet-priv-a"},
				entry(100, out, allow, "-1", "0.0.0.0/0", -1, 0), entry(100, in, allow, "6", "10.0.11.0/24", 443, 443)))
		}, src: privA, dst: Logs, code: SubnetACLRestriction, comp: "acl-a",
			detail: map[string]string{"direction": "inbound", "ports": "1024-65535", "subnet": "subnet-priv-a", "cidr": "10.0.11.0/24"}},
		{name: "source SG does not reach the endpoint", mod: func(s *account.Snapshot) {
			logsEndpoint(s)
			secGroup(s, "sg-443").IpPermissionsEgress = perms(tcp(443, 443, "192.168.0.0/16"))
		}, src: src("subnet-priv-a", PublicIPNo, "sg-443"), dst: Logs, code: ENISGRulesMismatch, comp: "sg-443",
			detail: map[string]string{"cidr": "10.0.10.0/24"}},
		{name: "source SG reaches the endpoint by its group", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s)
			secGroup(s, "sg-443").IpPermissionsEgress = perms(tcpGroup(443, "sg-vpce"))
		}, src: src("subnet-priv-a", PublicIPNo, "sg-443"), dst: Logs, via: "interface-endpoint"},
		{name: "another service through the NAT", src: privA, dst: ServiceDest("secretsmanager"), via: "nat-gateway"},
		{name: "two endpoints for a service: the one with private DNS is used", mod: func(s *account.Snapshot) {
			noNAT(s)
			s.VPCEndpoints = append(s.VPCEndpoints,
				interfaceEP("vpce-logs0", "vpc-1", "logs", []string{"subnet-priv-a"}, "sg-vpce"),
				interfaceEP("vpce-logs1", "vpc-1", "logs", []string{"subnet-priv-a"}, "sg-vpce"))
			endpointOf(s, "vpce-logs0").PrivateDnsEnabled = bp(false)
		}, src: privA, dst: Logs, via: "interface-endpoint",
			hops: [][]string{{"subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-priv",
				"interface-endpoint:vpce-logs1", "destination:logs"}}},
		{name: "endpoint without groups gets the VPC's default group: admits its members", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s).Groups = nil
			d := sg("sg-default", "vpc-1", perms(allTraffic("0.0.0.0/0")), tcpGroup(0, "sg-default"))
			d.GroupName, d.IpPermissions[0].IpProtocol = sp("default"), sp("-1")
			s.SecurityGroups = append(s.SecurityGroups, d)
		}, src: src("subnet-priv-a", PublicIPNo, "sg-default"), dst: Logs, via: "interface-endpoint"},
		{name: "endpoint without groups gets the VPC's default group: not others", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s).Groups = nil
			d := sg("sg-default", "vpc-1", perms(allTraffic("0.0.0.0/0")), tcpGroup(0, "sg-default"))
			d.GroupName, d.IpPermissions[0].IpProtocol = sp("default"), sp("-1")
			s.SecurityGroups = append(s.SecurityGroups, d)
		}, src: privA, dst: Logs, code: VPCESGRulesMismatch, comp: "vpce-logs"},
		{name: "endpoint subnet's ACL drops the reply", mod: func(s *account.Snapshot) {
			noNAT(s)
			logsEndpoint(s, "subnet-priv-c")
			s.NetworkACLs = append(s.NetworkACLs, acl("acl-c", "vpc-1", false, []string{"subnet-priv-c"},
				entry(100, out, allow, "6", "0.0.0.0/0", 443, 443), entry(100, in, allow, "-1", "0.0.0.0/0", -1, 0)))
		}, src: privA, dst: Logs, code: SubnetACLRestriction, comp: "acl-c",
			detail: map[string]string{"direction": "outbound", "ports": "1024-65535", "subnet": "subnet-priv-c"}},
		{name: "ECR via IGW from a bare public subnet: one warning, not three", src: src("subnet-pub-a", PublicIPUnknown), dst: ECR,
			vias: []string{"internet-gateway", "internet-gateway", "internet-gateway"}, warn: []string{"IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS@subnet-pub-a"}},
		{name: "another service through its endpoint", mod: func(s *account.Snapshot) {
			noNAT(s)
			s.VPCEndpoints = append(s.VPCEndpoints, interfaceEP("vpce-sm", "vpc-1", "secretsmanager", []string{"subnet-priv-a"}, "sg-vpce"))
		}, src: privA, dst: ServiceDest("secretsmanager"), via: "interface-endpoint"},

		// --- IPv6 ---
		{name: "IPv6 via egress-only IGW", mod: withIPv6, src: privA, dst: IPv6Internet, via: "egress-only-internet-gateway",
			hops: [][]string{{"subnet:subnet-priv-a", "security-group:sg-all", "network-acl:acl-default", "route-table:rtb-priv",
				"egress-only-internet-gateway:eigw-1", "destination:ipv6-internet"}}},
		{name: "IPv6 via IGW needs no public IPv4", mod: withIPv6, src: src("subnet-pub-a", PublicIPNo, "sg-all"), dst: IPv6Internet, via: "internet-gateway"},
		{name: "IPv6 with no IPv6 CIDR", mod: withIPv6, src: src("subnet-priv-c", PublicIPNo, "sg-all"), dst: IPv6Internet,
			code: NoRouteToDestination, comp: "subnet-priv-c", detail: map[string]string{"reason": "no IPv6 CIDR"}},
		{name: "IPv6 eigw detached", mod: func(s *account.Snapshot) {
			withIPv6(s)
			s.EgressOnlyGateways[0].Attachments = nil
		}, src: privA, dst: IPv6Internet, code: BadStateAttachment, comp: "eigw-1"},
		{name: "IPv6 route to a missing eigw", mod: func(s *account.Snapshot) {
			withIPv6(s)
			s.EgressOnlyGateways = nil
		}, src: privA, dst: IPv6Internet, code: BadStateRoute, comp: "rtb-priv", detail: map[string]string{"target": "eigw-1"}},
		{name: "IPv6 without a ::/0 route", mod: func(s *account.Snapshot) {
			withIPv6(s)
			setRoutes(s, "rtb-priv", local(), route("0.0.0.0/0", "nat-a"))
		}, src: privA, dst: IPv6Internet, code: NoRouteToDestination, comp: "rtb-priv", detail: map[string]string{"cidr": "::/0"}},
		{name: "IPv6 needs an IPv6 SG rule", mod: withIPv6, src: src("subnet-priv-a", PublicIPNo, "sg-443"), dst: IPv6Internet,
			code: ENISGRulesMismatch, comp: "sg-443", detail: map[string]string{"cidr": "::/0"}},
		{name: "IPv6 needs IPv6 ACL rules", mod: func(s *account.Snapshot) {
			withIPv6(s)
			s.NetworkACLs[0].Entries = openEntries()
		}, src: privA, dst: IPv6Internet, code: SubnetACLRestriction, comp: "acl-default", detail: map[string]string{"direction": "outbound"}},
		{name: "IPv6 ::/0 to a NAT gateway", mod: func(s *account.Snapshot) {
			withIPv6(s)
			setRoutes(s, "rtb-priv", local(), route("::/0", "nat-a"))
		}, src: privA, dst: IPv6Internet, code: CannotRoute, comp: "rtb-priv", detail: map[string]string{"target": "nat-a"}},
	}
}

func TestAnalyze(t *testing.T) {
	for _, tc := range cases() {
		t.Run(tc.name, func(t *testing.T) {
			s := lab()
			if tc.mod != nil {
				tc.mod(s)
			}
			p := Analyze(s, tc.src, tc.dst, tc.port)
			if p.Dest != tc.dst {
				t.Errorf("Dest = %q, want %q", p.Dest, tc.dst)
			}
			if len(p.Legs) == 0 {
				t.Fatalf("no legs")
			}
			b := p.Block()
			if tc.code == "" {
				if b != nil {
					t.Fatalf("blocked: %s at %s %v\n%s", b.Code, b.Component, b.Detail, dump(p))
				}
				if tc.via != "" && p.Via() != tc.via {
					t.Errorf("Via = %q, want %q\n%s", p.Via(), tc.via, dump(p))
				}
				if tc.vias != nil {
					var got []string
					for _, l := range p.Legs {
						got = append(got, l.Via)
					}
					if !slices.Equal(got, tc.vias) {
						t.Errorf("legs' Via = %v, want %v", got, tc.vias)
					}
				}
				for _, l := range p.Legs {
					if n := len(l.Hops); n == 0 || l.Hops[n-1].Kind != "destination" || l.Hops[n-1].ID != l.Service {
						t.Errorf("leg %s does not end at its destination: %v", l.Service, l.Hops)
					}
				}
			} else {
				if b == nil {
					t.Fatalf("reachable, want %s\n%s", tc.code, dump(p))
				}
				if b.Code != tc.code || b.Component != tc.comp {
					t.Errorf("block = %s at %q, want %s at %q (detail %v)\n%s", b.Code, b.Component, tc.code, tc.comp, b.Detail, dump(p))
				}
				for k, v := range tc.detail {
					if b.Detail[k] != v {
						t.Errorf("Detail[%q] = %q, want %q (detail %v)", k, b.Detail[k], v, b.Detail)
					}
				}
				if tc.leg != "" {
					for _, l := range p.Legs {
						if l.Block != nil {
							if l.Service != tc.leg {
								t.Errorf("blocked leg = %s, want %s", l.Service, tc.leg)
							}
							break
						}
					}
				}
			}
			var warns []string
			for _, w := range p.Warnings {
				warns = append(warns, string(w.Code)+"@"+w.Component)
			}
			if !slices.Equal(warns, tc.warn) {
				t.Errorf("warnings = %v, want %v", warns, tc.warn)
			}
			if tc.hops != nil {
				if len(p.Legs) != len(tc.hops) {
					t.Fatalf("%d legs, want %d\n%s", len(p.Legs), len(tc.hops), dump(p))
				}
				for i, l := range p.Legs {
					var got []string
					for _, h := range l.Hops {
						got = append(got, h.Kind+":"+h.ID)
					}
					if !slices.Equal(got, tc.hops[i]) {
						t.Errorf("leg %d (%s) hops:\n got %v\nwant %v", i, l.Service, got, tc.hops[i])
					}
				}
			}
		})
	}
}

// TestEveryCodeTested keeps the table honest: each code of the contract is
// produced by at least one case, as a blocker or a warning.
func TestEveryCodeTested(t *testing.T) {
	all := []Code{NoRouteToDestination, BadState, BadStateRoute, BadStateAttachment, IGWPublicIPForEgress, SubnetACLRestriction,
		ENISGRulesMismatch, SGHasNoRules, RegionalNGWAZ, CannotRoute, NGWPrivateConnectivity, NGWInPrivateSubnet, NGWNoPublicIP,
		VPCEPrivateDNSDisabled, VPCDNSAttributeDisabled, VPCESGRulesMismatch, VPCENotInAZ, VPCEGatewayRouteMissing, NotFound}
	seen := map[Code]bool{}
	for _, tc := range cases() {
		seen[tc.code] = true
		for _, w := range tc.warn {
			c, _, _ := strings.Cut(w, "@")
			seen[Code(c)] = true
		}
	}
	for _, c := range all {
		if !seen[c] {
			t.Errorf("no case produces %s", c)
		}
	}
}

func TestNilSnapshot(t *testing.T) {
	p := Analyze(nil, privA, Logs, 443)
	if b := p.Block(); b == nil || b.Code != NotFound || b.Component != "subnet-priv-a" {
		t.Errorf("block = %+v", b)
	}
}

func TestLegsOfECR(t *testing.T) {
	p := Analyze(lab(), privA, ECR, 443)
	var got []string
	for _, l := range p.Legs {
		got = append(got, l.Service)
	}
	if want := []string{"ecr.api", "ecr.dkr", "s3"}; !slices.Equal(got, want) {
		t.Errorf("legs = %v, want %v", got, want)
	}
}

func TestBlockedLegsOnlyTheFailingOne(t *testing.T) {
	s := lab()
	noNAT(s)
	ecrEndpoints(s)
	s.VPCEndpoints = slices.DeleteFunc(s.VPCEndpoints, func(e ec2types.VpcEndpoint) bool { return *e.VpcEndpointId == "vpce-dkr" })
	p := Analyze(s, privA, ECR, 443)
	if len(p.Legs) != 3 || p.Legs[0].Block != nil || p.Legs[1].Block == nil || p.Legs[2].Block != nil {
		t.Fatalf("want only ecr.dkr blocked:\n%s", dump(p))
	}
	if p.Legs[0].Via != "interface-endpoint" || p.Legs[2].Via != "gateway-endpoint" {
		t.Errorf("vias: %q, %q", p.Legs[0].Via, p.Legs[2].Via)
	}
	if p.Reachable() {
		t.Errorf("Reachable() with a blocked leg")
	}
}

func TestRouteTableNote(t *testing.T) {
	p := Analyze(lab(), privA, Internet, 443)
	for _, h := range p.Legs[0].Hops {
		if h.Kind == "route-table" && h.ID == "rtb-priv" {
			if h.Note != "0.0.0.0/0 → nat-a" {
				t.Errorf("note = %q", h.Note)
			}
			return
		}
	}
	t.Fatalf("no rtb-priv hop:\n%s", dump(p))
}

func TestACLPortArithmetic(t *testing.T) {
	a := acl("acl-x", "vpc-1", false, nil,
		entry(100, in, allow, "6", "0.0.0.0/0", 1024, 2000),
		entry(110, in, deny, "6", "0.0.0.0/0", 3000, 3000),
		entry(120, in, allow, "-1", "0.0.0.0/0", -1, 0))
	peer := publicV4
	if ok, rule := aclAllows(a, false, peer, 1024, 2000); !ok || rule != "100" {
		t.Errorf("1024-2000: %v %s", ok, rule)
	}
	if ok, rule := aclAllows(a, false, peer, 1024, 65535); ok || rule != "110" {
		t.Errorf("1024-65535 crosses the deny at 3000: %v %s", ok, rule)
	}
	if ok, rule := aclAllows(a, false, peer, 2001, 2999); !ok || rule != "120" {
		t.Errorf("2001-2999: %v %s", ok, rule)
	}
	// An allow covering only part of the addresses does not count.
	b := acl("acl-y", "vpc-1", false, nil, entry(100, out, allow, "-1", "10.0.10.0/25", -1, 0))
	if ok, _ := aclAllows(b, true, prefix("10.0.10.0/24"), 443, 443); ok {
		t.Errorf("a /25 allow passed a /24")
	}
	// UDP rules never match TCP.
	c := acl("acl-z", "vpc-1", false, nil, entry(100, out, allow, "17", "0.0.0.0/0", 0, 65535))
	if ok, _ := aclAllows(c, true, publicV4, 443, 443); ok {
		t.Errorf("a UDP rule passed TCP")
	}
}

func dump(p Path) string {
	var sb strings.Builder
	for _, l := range p.Legs {
		fmt.Fprintf(&sb, "leg %s via %q:", l.Service, l.Via)
		for _, h := range l.Hops {
			fmt.Fprintf(&sb, " %s:%s", h.Kind, h.ID)
			if h.Note != "" {
				fmt.Fprintf(&sb, "(%s)", h.Note)
			}
		}
		if l.Block != nil {
			fmt.Fprintf(&sb, " BLOCK %s@%s %v", l.Block.Code, l.Block.Component, l.Block.Detail)
		}
		sb.WriteString("\n")
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(&sb, "warning %s@%s %v\n", w.Code, w.Component, w.Detail)
	}
	return sb.String()
}
