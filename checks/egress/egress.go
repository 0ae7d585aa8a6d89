// Package egress walks the path a packet from a private workload takes to
// a destination class (the IPv4 or IPv6 internet, Amazon S3, Amazon ECR,
// CloudWatch Logs, another AWS service) through one account snapshot, hop
// by hop, and names the first component that blocks it. Like AWS
// Reachability Analyzer it is a static model: it sends no packets.
package egress

// Dest is a destination class.
type Dest string

const (
	Internet     Dest = "internet"      // the public IPv4 internet
	IPv6Internet Dest = "ipv6-internet" // the public IPv6 internet
	S3           Dest = "s3"            // Amazon S3 in the snapshot's region
	ECR          Dest = "ecr"           // Amazon ECR: ecr.api + ecr.dkr + S3 (image layers)
	Logs         Dest = "logs"          // CloudWatch Logs
)

// ServiceDest is any other AWS service by its endpoint short name, e.g.
// ServiceDest("secretsmanager").
func ServiceDest(short string) Dest { return Dest("service:" + short) }

// PublicIP says whether the source has a public IPv4 address.
type PublicIP int

const (
	PublicIPUnknown PublicIP = iota // a bare subnet: depends on what runs there
	PublicIPNo
	PublicIPYes
)

// Source is where traffic starts.
type Source struct {
	SubnetID string
	// SecurityGroupIDs of the source's ENI; nil means a bare subnet, whose
	// security groups are not evaluated.
	SecurityGroupIDs []string
	PublicIP         PublicIP
	ENIID            string // optional; names the first hop
}

// Code explains why a path is blocked (or what is off about it). The names
// follow AWS Reachability Analyzer's explanation codes where one fits.
type Code string

const (
	NoRouteToDestination    Code = "NO_ROUTE_TO_DESTINATION"              // no route covers the destination
	BadState                Code = "BAD_STATE"                            // a component exists but is not available (NAT pending/failed/deleted)
	BadStateRoute           Code = "BAD_STATE_ROUTE"                      // the route's target is gone or blackholed
	BadStateAttachment      Code = "BAD_STATE_ATTACHMENT"                 // the internet gateway is not attached to this VPC
	IGWPublicIPForEgress    Code = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS" // route to an IGW but the source has no public IP
	SubnetACLRestriction    Code = "SUBNET_ACL_RESTRICTION"               // a network ACL drops the traffic or its return
	ENISGRulesMismatch      Code = "ENI_SG_RULES_MISMATCH"                // the source's security groups do not allow it out
	SGHasNoRules            Code = "SG_HAS_NO_RULES"                      // the source's security groups have no egress rule at all
	RegionalNGWAZ           Code = "REGIONAL_NGW_ROUTE_AZ_RESTRICTION"    // a regional NAT gateway has no address in the source's AZ
	CannotRoute             Code = "CANNOT_ROUTE"                         // the route's target type cannot reach this destination (peering, TGW, …)
	NGWPrivateConnectivity  Code = "NGW_PRIVATE_CONNECTIVITY"             // a private NAT gateway cannot reach the internet
	NGWInPrivateSubnet      Code = "NGW_NOT_IN_PUBLIC_SUBNET"             // a zonal NAT gateway's subnet has no route to an attached IGW
	NGWNoPublicIP           Code = "NGW_NO_PUBLIC_IP"                     // a public NAT gateway without an Elastic IP
	VPCEPrivateDNSDisabled  Code = "VPCE_PRIVATE_DNS_DISABLED"            // interface endpoint without private DNS: clients still resolve the public name
	VPCDNSAttributeDisabled Code = "VPC_DNS_ATTRIBUTE_DISABLED"           // enableDnsSupport/enableDnsHostnames off: private DNS does not work
	VPCESGRulesMismatch     Code = "VPCE_SG_RULES_MISMATCH"               // the endpoint's security groups do not admit 443 from the source
	VPCENotInAZ             Code = "VPCE_SERVICE_NOT_INSTALLED_IN_AZ"     // warning: no endpoint ENI in the source's AZ (works cross-AZ, costs more)
	VPCEGatewayRouteMissing Code = "VPCE_GATEWAY_ROUTE_MISSING"           // a gateway endpoint exists but not on the source's route table
	NotFound                Code = "NOT_FOUND"                            // the source subnet (or its VPC) does not exist
)

// Hop is one component the path crosses.
type Hop struct {
	Kind string // subnet, network-interface, security-group, network-acl, route-table, nat-gateway, internet-gateway, egress-only-internet-gateway, gateway-endpoint, interface-endpoint, destination
	ID   string // the resource id (or the destination class for the last hop)
	Note string // e.g. "0.0.0.0/0 → nat-0abc" for a route table hop; English, for machine output
}

// Block is the reason a path stops (or, in Path.Warnings, a known trap on
// a path that works).
type Block struct {
	Code      Code
	Component string            // id of the component at fault
	Detail    map[string]string // facts for the message: "state", "az", "port", "cidr", "route_table", …
}

// Leg is the path to one service endpoint; most destinations have one,
// ECR has three (ecr.api, ecr.dkr and S3 for the image layers).
type Leg struct {
	Service string // "internet", "ipv6-internet", "s3", "ecr.api", "ecr.dkr", "logs", …
	Hops    []Hop
	Via     string // the exit hop kind: nat-gateway, internet-gateway, egress-only-internet-gateway, gateway-endpoint, interface-endpoint
	Block   *Block
}

// Path is the analyzer's answer.
type Path struct {
	Dest     Dest
	Legs     []Leg
	Warnings []Block
}

// Reachable reports whether every leg reaches its service.
func (p Path) Reachable() bool { return p.Block() == nil }

// Block is the first leg's blocker, or nil.
func (p Path) Block() *Block {
	for _, l := range p.Legs {
		if l.Block != nil {
			return l.Block
		}
	}
	return nil
}

// Via is how the primary leg leaves the VPC.
func (p Path) Via() string {
	if len(p.Legs) == 0 {
		return ""
	}
	return p.Legs[0].Via
}
