// Package account holds a snapshot of what one AWS account has in one
// region, as far as a lab's checks need it, and loads it with read-only
// calls. Check kinds are pure functions of a Snapshot, so tests can build
// one by hand for what the sandbox cannot create (regional NAT gateways,
// blackhole routes, failed NAT gateways, IPv6).
package account

import (
	"net/netip"
	"sort"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// Resource is a kind of AWS resource a snapshot can hold.
type Resource string

const (
	VPCs               Resource = "vpcs"
	VPCAttributes      Resource = "vpc-attributes"
	Subnets            Resource = "subnets"
	RouteTables        Resource = "route-tables"
	InternetGateways   Resource = "internet-gateways"
	EgressOnlyGateways Resource = "egress-only-internet-gateways"
	NATGateways        Resource = "nat-gateways"
	Addresses          Resource = "addresses"
	SecurityGroups     Resource = "security-groups"
	NetworkACLs        Resource = "network-acls"
	VPCEndpoints       Resource = "vpc-endpoints"
	PrefixLists        Resource = "prefix-lists"
	NetworkInterfaces  Resource = "network-interfaces"
	ECSClusters        Resource = "ecs-clusters"
	ECSServices        Resource = "ecs-services"
	ECSTasks           Resource = "ecs-tasks"
	LoadBalancers      Resource = "load-balancers"
	// Listeners and TargetGroups (with their targets' health, which lists
	// the registered targets) are what the inbound analyzer follows from a
	// load balancer to a task.
	Listeners    Resource = "lb-listeners"
	TargetGroups Resource = "lb-target-groups"
	// ECSClusterList finds every cluster, for ECSTasks across the account
	// (vpclab cost) rather than in named clusters.
	ECSClusterList Resource = "ecs-cluster-list"
)

// Actions are the IAM actions that load each resource; vpclab policy is
// derived from them, and the read-only guard allows exactly these.
var Actions = map[Resource][]string{
	VPCs:               {"ec2:DescribeVpcs"},
	VPCAttributes:      {"ec2:DescribeVpcAttribute"},
	Subnets:            {"ec2:DescribeSubnets"},
	RouteTables:        {"ec2:DescribeRouteTables"},
	InternetGateways:   {"ec2:DescribeInternetGateways"},
	EgressOnlyGateways: {"ec2:DescribeEgressOnlyInternetGateways"},
	NATGateways:        {"ec2:DescribeNatGateways"},
	Addresses:          {"ec2:DescribeAddresses"},
	SecurityGroups:     {"ec2:DescribeSecurityGroups"},
	NetworkACLs:        {"ec2:DescribeNetworkAcls"},
	VPCEndpoints:       {"ec2:DescribeVpcEndpoints"},
	PrefixLists:        {"ec2:DescribeManagedPrefixLists"},
	NetworkInterfaces:  {"ec2:DescribeNetworkInterfaces"},
	ECSClusters:        {"ecs:DescribeClusters"},
	ECSServices:        {"ecs:DescribeServices"},
	ECSTasks:           {"ecs:ListTasks", "ecs:DescribeTasks"},
	LoadBalancers:      {"elasticloadbalancing:DescribeLoadBalancers"},
	Listeners:          {"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules"},
	TargetGroups:       {"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"},
	ECSClusterList:     {"ecs:ListClusters"},
}

// Identity is always read: it names the account in results and progress.
const IdentityAction = "sts:GetCallerIdentity"

// Need says what a run must load.
type Need struct {
	Resources map[Resource]bool
	Clusters  []string // ECS clusters whose services and tasks to load
	Services  map[string][]string
	// NoIdentity skips sts:GetCallerIdentity: a --wait retry already
	// knows the account, and Snapshot.Account stays empty.
	NoIdentity bool
}

// Add merges resources into the need.
func (n *Need) Add(rs ...Resource) {
	if n.Resources == nil {
		n.Resources = map[Resource]bool{}
	}
	for _, r := range rs {
		n.Resources[r] = true
	}
}

// AddService asks for an ECS service of cluster (and the cluster itself).
func (n *Need) AddService(cluster, service string) {
	n.AddCluster(cluster)
	if n.Services == nil {
		n.Services = map[string][]string{}
	}
	for _, s := range n.Services[cluster] {
		if s == service {
			return
		}
	}
	n.Services[cluster] = append(n.Services[cluster], service)
}

// AddCluster asks for an ECS cluster's tasks and services.
func (n *Need) AddCluster(cluster string) {
	for _, c := range n.Clusters {
		if c == cluster {
			return
		}
	}
	n.Clusters = append(n.Clusters, cluster)
}

// VPCAttrs are a VPC's DNS attributes (not part of DescribeVpcs).
type VPCAttrs struct {
	DNSSupport   bool
	DNSHostnames bool
}

// Snapshot is one account's state in one region.
type Snapshot struct {
	Account string
	Region  string
	Loaded  map[Resource]bool
	// AllENIs: NetworkInterfaces holds every interface of the Region, not
	// only the tasks' (Load reads them all at once rather than after the
	// tasks: one round trip fewer), so nobody needs to read them again.
	AllENIs bool

	VPCs               []ec2types.Vpc
	VPCAttrs           map[string]VPCAttrs // by VPC id
	Subnets            []ec2types.Subnet
	RouteTables        []ec2types.RouteTable
	InternetGateways   []ec2types.InternetGateway
	EgressOnlyGateways []ec2types.EgressOnlyInternetGateway
	NATGateways        []ec2types.NatGateway
	Addresses          []ec2types.Address
	SecurityGroups     []ec2types.SecurityGroup
	NetworkACLs        []ec2types.NetworkAcl
	VPCEndpoints       []ec2types.VpcEndpoint
	PrefixLists        []ec2types.ManagedPrefixList
	NetworkInterfaces  []ec2types.NetworkInterface
	Clusters           []ecstypes.Cluster
	Services           []ecstypes.Service
	Tasks              []ecstypes.Task
	LoadBalancers      []elbtypes.LoadBalancer
	Listeners          []elbtypes.Listener
	Rules              map[string][]elbtypes.Rule // by listener ARN: where its requests may be forwarded
	TargetGroups       []elbtypes.TargetGroup
	Targets            map[string][]elbtypes.TargetHealthDescription // by target group ARN

	// Bindings map the names a lab uses to the learner's resources (see
	// checks/binding); the ByName lookups consult them first, so every
	// kind judges the bound resource however it was named or made.
	Bindings map[Resource]map[string]string
}

// Bind records that the lab's name for a resource of type r is id.
func (s *Snapshot) Bind(r Resource, name, id string) {
	if s.Bindings == nil {
		s.Bindings = map[Resource]map[string]string{}
	}
	if s.Bindings[r] == nil {
		s.Bindings[r] = map[string]string{}
	}
	s.Bindings[r][name] = id
}

// Bound returns the id bound to name, if any.
func (s *Snapshot) Bound(r Resource, name string) (string, bool) {
	id, ok := s.Bindings[r][name]
	return id, ok && id != ""
}

// Named reports whether the resource id answers to the lab's name: it is
// bound to it, or (nothing being bound to the name) it carries it as its
// Name tag. Kinds that compare a resource's name should ask this rather
// than read the Name tag.
func (s *Snapshot) Named(r Resource, id, name string, tags any) bool {
	if b, ok := s.Bound(r, name); ok {
		return b == id
	}
	return Name(tags) == name
}

// Name is the value of the Name tag.
func Name(tags any) string {
	switch ts := tags.(type) {
	case []ec2types.Tag:
		for _, t := range ts {
			if deref(t.Key) == "Name" {
				return deref(t.Value)
			}
		}
	case []ecstypes.Tag:
		for _, t := range ts {
			if deref(t.Key) == "Name" {
				return deref(t.Value)
			}
		}
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// VPCByName finds a VPC by its Name tag; ok is false when there is none.
// When several match, the lowest id wins so results are stable; Count
// says how many matched, for a warning.
func (s *Snapshot) VPCByName(name string) (v ec2types.Vpc, count int) {
	if id, ok := s.Bound(VPCs, name); ok {
		if v, ok := s.VPC(id); ok {
			return v, 1
		}
	}
	var found []ec2types.Vpc
	for _, x := range s.VPCs {
		if Name(x.Tags) == name {
			found = append(found, x)
		}
	}
	sort.Slice(found, func(i, j int) bool { return deref(found[i].VpcId) < deref(found[j].VpcId) })
	if len(found) == 0 {
		return ec2types.Vpc{}, 0
	}
	return found[0], len(found)
}

// VPC finds a VPC by id.
func (s *Snapshot) VPC(id string) (ec2types.Vpc, bool) {
	for _, x := range s.VPCs {
		if deref(x.VpcId) == id {
			return x, true
		}
	}
	return ec2types.Vpc{}, false
}

// SubnetByName finds a subnet by Name tag, in vpcID when it is not empty.
func (s *Snapshot) SubnetByName(name, vpcID string) (ec2types.Subnet, int) {
	if id, ok := s.Bound(Subnets, name); ok {
		if x, ok := s.Subnet(id); ok && (vpcID == "" || deref(x.VpcId) == vpcID) {
			return x, 1
		}
	}
	var found []ec2types.Subnet
	for _, x := range s.Subnets {
		if Name(x.Tags) == name && (vpcID == "" || deref(x.VpcId) == vpcID) {
			found = append(found, x)
		}
	}
	sort.Slice(found, func(i, j int) bool { return deref(found[i].SubnetId) < deref(found[j].SubnetId) })
	if len(found) == 0 {
		return ec2types.Subnet{}, 0
	}
	return found[0], len(found)
}

// Subnet finds a subnet by id.
func (s *Snapshot) Subnet(id string) (ec2types.Subnet, bool) {
	for _, x := range s.Subnets {
		if deref(x.SubnetId) == id {
			return x, true
		}
	}
	return ec2types.Subnet{}, false
}

// RouteTableFor returns the route table that governs subnetID: its explicit
// association, or else the VPC's main route table. explicit says which.
func (s *Snapshot) RouteTableFor(subnetID, vpcID string) (rt ec2types.RouteTable, explicit, ok bool) {
	for _, t := range s.RouteTables {
		for _, a := range t.Associations {
			if deref(a.SubnetId) == subnetID && associated(a) {
				return t, true, true
			}
		}
	}
	for _, t := range s.RouteTables {
		if deref(t.VpcId) != vpcID {
			continue
		}
		for _, a := range t.Associations {
			if a.Main != nil && *a.Main && associated(a) {
				return t, false, true
			}
		}
	}
	return ec2types.RouteTable{}, false, false
}

func associated(a ec2types.RouteTableAssociation) bool {
	if a.AssociationState == nil {
		return true
	}
	st := a.AssociationState.State
	return st == "" || st == ec2types.RouteTableAssociationStateCodeAssociated
}

// LongestMatch returns the route of rt that a packet to dst takes: the
// most specific IPv4 or IPv6 CIDR containing it. Prefix-list routes are
// matched by the caller, which knows the list's CIDRs.
func LongestMatch(rt ec2types.RouteTable, dst netip.Addr) (ec2types.Route, bool) {
	best, bestBits, found := ec2types.Route{}, -1, false
	for _, r := range rt.Routes {
		cidr := deref(r.DestinationCidrBlock)
		if dst.Is6() {
			cidr = deref(r.DestinationIpv6CidrBlock)
		}
		p, err := netip.ParsePrefix(cidr)
		if err != nil || !p.Contains(dst) {
			continue
		}
		if p.Bits() > bestBits {
			best, bestBits, found = r, p.Bits(), true
		}
	}
	return best, found
}

// InternetGateway finds an internet gateway by id.
func (s *Snapshot) InternetGateway(id string) (ec2types.InternetGateway, bool) {
	for _, g := range s.InternetGateways {
		if deref(g.InternetGatewayId) == id {
			return g, true
		}
	}
	return ec2types.InternetGateway{}, false
}

// AttachedInternetGateway returns the internet gateway attached to vpcID.
func (s *Snapshot) AttachedInternetGateway(vpcID string) (ec2types.InternetGateway, bool) {
	for _, g := range s.InternetGateways {
		if IGWAttachedTo(g, vpcID) {
			return g, true
		}
	}
	return ec2types.InternetGateway{}, false
}

// IGWAttachedTo reports whether g is attached to vpcID. moto reports the
// attachment state "available", AWS "attached"; both mean attached.
func IGWAttachedTo(g ec2types.InternetGateway, vpcID string) bool {
	for _, a := range g.Attachments {
		if deref(a.VpcId) == vpcID && (a.State == ec2types.AttachmentStatusAttached || a.State == "available") {
			return true
		}
	}
	return false
}

// NATGateway finds a NAT gateway by id.
func (s *Snapshot) NATGateway(id string) (ec2types.NatGateway, bool) {
	for _, n := range s.NATGateways {
		if deref(n.NatGatewayId) == id {
			return n, true
		}
	}
	return ec2types.NatGateway{}, false
}

// NATGatewaysByName lists the NAT gateways with a Name tag, newest state
// first: a learner who deleted and recreated one has a "deleted" twin.
func (s *Snapshot) NATGatewaysByName(name string) []ec2types.NatGateway {
	var out []ec2types.NatGateway
	bound, isBound := s.Bound(NATGateways, name)
	if n, ok := s.NATGateway(bound); isBound && ok {
		out = append(out, n) // the bound one first, whatever its state
	}
	for _, n := range s.NATGateways {
		if Name(n.Tags) == name && (!isBound || deref(n.NatGatewayId) != bound) {
			out = append(out, n)
		}
	}
	rank := func(st ec2types.NatGatewayState) int {
		switch st {
		case ec2types.NatGatewayStateAvailable:
			return 0
		case ec2types.NatGatewayStatePending:
			return 1
		case ec2types.NatGatewayStateFailed:
			return 2
		case ec2types.NatGatewayStateDeleting:
			return 3
		}
		return 4
	}
	rest := out
	if isBound && len(out) > 0 && deref(out[0].NatGatewayId) == bound {
		rest = out[1:]
	}
	sort.SliceStable(rest, func(i, j int) bool { return rank(rest[i].State) < rank(rest[j].State) })
	return out
}

// SecurityGroupByName finds a group by Name tag or by group name.
func (s *Snapshot) SecurityGroupByName(name, vpcID string) (ec2types.SecurityGroup, bool) {
	if id, ok := s.Bound(SecurityGroups, name); ok {
		if g, ok := s.SecurityGroup(id); ok && (vpcID == "" || deref(g.VpcId) == vpcID) {
			return g, true
		}
	}
	for _, byTag := range []bool{true, false} {
		for _, g := range s.SecurityGroups {
			if vpcID != "" && deref(g.VpcId) != vpcID {
				continue
			}
			if (byTag && Name(g.Tags) == name) || (!byTag && deref(g.GroupName) == name) {
				return g, true
			}
		}
	}
	return ec2types.SecurityGroup{}, false
}

// SecurityGroup finds a group by id.
func (s *Snapshot) SecurityGroup(id string) (ec2types.SecurityGroup, bool) {
	for _, g := range s.SecurityGroups {
		if deref(g.GroupId) == id {
			return g, true
		}
	}
	return ec2types.SecurityGroup{}, false
}

// NetworkACLFor returns the network ACL associated with subnetID (every
// subnet has exactly one, the VPC's default unless replaced).
func (s *Snapshot) NetworkACLFor(subnetID, vpcID string) (ec2types.NetworkAcl, bool) {
	for _, a := range s.NetworkACLs {
		for _, as := range a.Associations {
			if deref(as.SubnetId) == subnetID {
				return a, true
			}
		}
	}
	for _, a := range s.NetworkACLs {
		if deref(a.VpcId) == vpcID && a.IsDefault != nil && *a.IsDefault {
			return a, true
		}
	}
	return ec2types.NetworkAcl{}, false
}

// EndpointsIn lists the VPC endpoints of vpcID whose service name ends in
// "."+short (e.g. short "ecr.api" matches com.amazonaws.ap-northeast-1.ecr.api).
// Deleted endpoints, which AWS lists for a while, are gone: they are left out.
func (s *Snapshot) EndpointsIn(vpcID, short string) []ec2types.VpcEndpoint {
	var out []ec2types.VpcEndpoint
	for _, e := range s.VPCEndpoints {
		if strings.EqualFold(string(e.State), "deleted") {
			continue
		}
		if deref(e.VpcId) == vpcID && ServiceShortName(deref(e.ServiceName)) == short {
			out = append(out, e)
		}
	}
	return out
}

// ServiceShortName turns com.amazonaws.REGION.ecr.api into ecr.api.
func ServiceShortName(full string) string {
	parts := strings.SplitN(full, ".", 4)
	if len(parts) == 4 && parts[0] == "com" && parts[1] == "amazonaws" {
		return parts[3]
	}
	return full
}

// Task finds running-or-not ECS tasks of a cluster by task definition
// family, newest first.
func (s *Snapshot) TasksOf(clusterName, family string) []ecstypes.Task {
	var out []ecstypes.Task
	for _, t := range s.Tasks {
		if !strings.HasSuffix(deref(t.ClusterArn), "/"+clusterName) && deref(t.ClusterArn) != clusterName {
			continue
		}
		if family != "" && TaskFamily(deref(t.TaskDefinitionArn)) != family {
			continue
		}
		out = append(out, t)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].CreatedAt, out[j].CreatedAt
		return a != nil && b != nil && a.After(*b)
	})
	return out
}

// TaskFamily extracts "web" from arn:aws:ecs:…:task-definition/web:3.
func TaskFamily(arn string) string {
	_, after, ok := strings.Cut(arn, "task-definition/")
	if !ok {
		return ""
	}
	fam, _, _ := strings.Cut(after, ":")
	return fam
}

// TaskIP is a task's private IPv4 address, from its network interface's
// attachment ("" when it has none yet).
func TaskIP(t ecstypes.Task) string {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if deref(d.Name) == "privateIPv4Address" {
				return deref(d.Value)
			}
		}
	}
	return ""
}

// NetworkInterface finds an ENI by id.
func (s *Snapshot) NetworkInterface(id string) (ec2types.NetworkInterface, bool) {
	for _, n := range s.NetworkInterfaces {
		if deref(n.NetworkInterfaceId) == id {
			return n, true
		}
	}
	return ec2types.NetworkInterface{}, false
}

// Service finds an ECS service by cluster and name.
func (s *Snapshot) Service(cluster, name string) (ecstypes.Service, bool) {
	for _, svc := range s.Services {
		if deref(svc.ServiceName) == name && (strings.HasSuffix(deref(svc.ClusterArn), "/"+cluster) || deref(svc.ClusterArn) == cluster) {
			if svc.Status != nil && *svc.Status == "INACTIVE" {
				continue
			}
			return svc, true
		}
	}
	return ecstypes.Service{}, false
}

// Cluster finds an ECS cluster by name.
func (s *Snapshot) Cluster(name string) (ecstypes.Cluster, bool) {
	for _, c := range s.Clusters {
		if deref(c.ClusterName) == name && (c.Status == nil || *c.Status != "INACTIVE") {
			return c, true
		}
	}
	return ecstypes.Cluster{}, false
}

// PrefixListByName finds an AWS-managed prefix list such as
// com.amazonaws.us-east-1.s3.
func (s *Snapshot) PrefixListByName(name string) (ec2types.ManagedPrefixList, bool) {
	for _, p := range s.PrefixLists {
		if deref(p.PrefixListName) == name {
			return p, true
		}
	}
	return ec2types.ManagedPrefixList{}, false
}

// LoadBalancer finds an Elastic Load Balancing v2 load balancer by name.
func (s *Snapshot) LoadBalancer(name string) (elbtypes.LoadBalancer, bool) {
	if arn, ok := s.Bound(LoadBalancers, name); ok {
		for _, lb := range s.LoadBalancers {
			if deref(lb.LoadBalancerArn) == arn {
				return lb, true
			}
		}
	}
	for _, lb := range s.LoadBalancers {
		if deref(lb.LoadBalancerName) == name {
			return lb, true
		}
	}
	return elbtypes.LoadBalancer{}, false
}

// The lookups below replace loops in the kinds that compare Name tags
// directly; they consult the bindings first like the others.

// InternetGatewayByName finds an internet gateway by the lab's name.
func (s *Snapshot) InternetGatewayByName(name string) (ec2types.InternetGateway, bool) {
	if id, ok := s.Bound(InternetGateways, name); ok {
		return s.InternetGateway(id)
	}
	for _, g := range s.InternetGateways {
		if Name(g.Tags) == name {
			return g, true
		}
	}
	return ec2types.InternetGateway{}, false
}

// AddressesByName lists the Elastic IPs answering to the lab's name, the
// bound one first.
func (s *Snapshot) AddressesByName(name string) []ec2types.Address {
	var out []ec2types.Address
	bound, isBound := s.Bound(Addresses, name)
	for _, a := range s.Addresses {
		if isBound && deref(a.AllocationId) == bound {
			out = append([]ec2types.Address{a}, out...)
		} else if Name(a.Tags) == name && !isBound {
			out = append(out, a)
		}
	}
	return out
}

// RouteTable finds a route table by id.
func (s *Snapshot) RouteTable(id string) (ec2types.RouteTable, bool) {
	for _, t := range s.RouteTables {
		if deref(t.RouteTableId) == id {
			return t, true
		}
	}
	return ec2types.RouteTable{}, false
}

// RouteTableByName finds a route table by the lab's name.
func (s *Snapshot) RouteTableByName(name, vpcID string) (ec2types.RouteTable, bool) {
	if id, ok := s.Bound(RouteTables, name); ok {
		return s.RouteTable(id)
	}
	for _, t := range s.RouteTables {
		if Name(t.Tags) == name && (vpcID == "" || deref(t.VpcId) == vpcID) {
			return t, true
		}
	}
	return ec2types.RouteTable{}, false
}

// ListenersOf lists a load balancer's listeners.
func (s *Snapshot) ListenersOf(lbARN string) []elbtypes.Listener {
	var out []elbtypes.Listener
	for _, l := range s.Listeners {
		if deref(l.LoadBalancerArn) == lbARN {
			out = append(out, l)
		}
	}
	return out
}

// TargetGroupByName finds a target group by its name (unique in a Region
// and account).
func (s *Snapshot) TargetGroupByName(name string) (elbtypes.TargetGroup, bool) {
	for _, g := range s.TargetGroups {
		if deref(g.TargetGroupName) == name {
			return g, true
		}
	}
	return elbtypes.TargetGroup{}, false
}

// TargetGroup finds a target group by ARN.
func (s *Snapshot) TargetGroup(arn string) (elbtypes.TargetGroup, bool) {
	for _, g := range s.TargetGroups {
		if deref(g.TargetGroupArn) == arn {
			return g, true
		}
	}
	return elbtypes.TargetGroup{}, false
}

// ApplyBindings makes the bindings visible to code that reads Name tags
// directly rather than through the lookups above: each bound resource
// carries the lab's name as its Name tag (on a copy of its tags), and
// comes first in its list, ahead of an unbound twin of the same name.
// The account is not changed; only this snapshot's view of it.
func (s *Snapshot) ApplyBindings() {
	for _, r := range sortedKeysR(s.Bindings) {
		names := s.Bindings[r]
		// reverse order: each promotion goes to the front, so the first
		// name ends up first
		keys := sortedKeys(names)
		for i := len(keys) - 1; i >= 0; i-- {
			name, id := keys[i], names[keys[i]]
			switch r {
			case VPCs:
				s.VPCs = promote(s.VPCs, func(x *ec2types.Vpc) bool { return deref(x.VpcId) == id }, func(x *ec2types.Vpc) { x.Tags = withName(x.Tags, name) })
			case Subnets:
				s.Subnets = promote(s.Subnets, func(x *ec2types.Subnet) bool { return deref(x.SubnetId) == id }, func(x *ec2types.Subnet) { x.Tags = withName(x.Tags, name) })
			case RouteTables:
				s.RouteTables = promote(s.RouteTables, func(x *ec2types.RouteTable) bool { return deref(x.RouteTableId) == id }, func(x *ec2types.RouteTable) { x.Tags = withName(x.Tags, name) })
			case InternetGateways:
				s.InternetGateways = promote(s.InternetGateways, func(x *ec2types.InternetGateway) bool { return deref(x.InternetGatewayId) == id }, func(x *ec2types.InternetGateway) { x.Tags = withName(x.Tags, name) })
			case NATGateways:
				s.NATGateways = promote(s.NATGateways, func(x *ec2types.NatGateway) bool { return deref(x.NatGatewayId) == id }, func(x *ec2types.NatGateway) { x.Tags = withName(x.Tags, name) })
			case Addresses:
				s.Addresses = promote(s.Addresses, func(x *ec2types.Address) bool { return deref(x.AllocationId) == id }, func(x *ec2types.Address) { x.Tags = withName(x.Tags, name) })
			case SecurityGroups:
				s.SecurityGroups = promote(s.SecurityGroups, func(x *ec2types.SecurityGroup) bool { return deref(x.GroupId) == id }, func(x *ec2types.SecurityGroup) { x.Tags = withName(x.Tags, name) })
			}
		}
	}
}

func sortedKeysR[V any](m map[Resource]V) []Resource {
	keys := make([]Resource, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// promote returns a copy of xs with the element matching is first and
// changed by set.
func promote[T any](xs []T, is func(*T) bool, set func(*T)) []T {
	out := make([]T, 0, len(xs))
	for i := range xs {
		x := xs[i]
		if is(&x) {
			set(&x)
			out = append([]T{x}, out...)
		} else {
			out = append(out, x)
		}
	}
	return out
}

// withName returns a copy of tags whose Name is name.
func withName(tags []ec2types.Tag, name string) []ec2types.Tag {
	out := make([]ec2types.Tag, 0, len(tags)+1)
	for _, t := range tags {
		if deref(t.Key) != "Name" {
			out = append(out, t)
		}
	}
	n, k := name, "Name"
	return append(out, ec2types.Tag{Key: &k, Value: &n})
}
