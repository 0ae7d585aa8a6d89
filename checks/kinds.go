package checks

import (
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/egress"
	"github.com/vpclab/vpclab/content"
)

// Resources are found by their Name tag (the value a lab tells the learner
// to type), never by ids, which differ in every account.
func name(doc string) content.Field {
	return content.Field{Name: "name", Type: content.String, Required: true, Doc: doc}
}

func ref(field, doc string, required bool) content.Field {
	return content.Field{Name: field, Type: content.String, Required: required, Doc: doc}
}

var (
	destinations = []string{string(egress.Internet), string(egress.IPv6Internet), string(egress.S3), string(egress.ECR), string(egress.Logs)}
	hops         = []string{"internet-gateway", "nat-gateway", "egress-only-internet-gateway", "gateway-endpoint", "interface-endpoint"}
	// routing is what judging a subnet's routes reads.
	routing = []account.Resource{account.VPCs, account.Subnets, account.RouteTables, account.InternetGateways}
)

func with(base []account.Resource, more ...account.Resource) []account.Resource {
	return append(append([]account.Resource{}, base...), more...)
}

func init() {
	register(&Kind{Name: "vpc",
		Params: []content.Field{name("Name tag of the VPC"),
			{Name: "cidr", Type: content.CIDR, Doc: "expected IPv4 CIDR"},
			{Name: "dns_support", Type: content.Bool, Doc: "expected enableDnsSupport"},
			{Name: "dns_hostnames", Type: content.Bool, Doc: "expected enableDnsHostnames"}},
		Resources: []account.Resource{account.VPCs, account.VPCAttributes},
		Eval:      evalVPC})

	register(&Kind{Name: "subnet",
		Params: []content.Field{name("Name tag of the subnet"), ref("vpc", "Name tag of its VPC", false),
			{Name: "cidr", Type: content.CIDR},
			{Name: "az", Type: content.AZ, Doc: "availability zone, e.g. ap-northeast-1a"},
			{Name: "public", Type: content.Bool, Doc: "true: its route table sends 0.0.0.0/0 to an attached internet gateway; false: it does not; unset: not judged"},
			ref("route_table", "Name tag of the route table it must be explicitly associated with", false)},
		Resources: routing,
		Eval:      evalSubnet})

	register(&Kind{Name: "internet-gateway",
		Params:    []content.Field{ref("vpc", "Name tag of the VPC it must be attached to", true), ref("name", "Name tag of the gateway", false)},
		Resources: []account.Resource{account.VPCs, account.InternetGateways},
		Eval:      evalIGW})

	register(&Kind{Name: "elastic-ip",
		Params: []content.Field{name("Name tag of the Elastic IP"),
			{Name: "associated", Type: content.Bool, Doc: "expected association (default true)"}},
		Resources: with(routing, account.Addresses, account.NetworkInterfaces),
		Eval:      evalEIP})

	register(&Kind{Name: "nat-gateway",
		Params: []content.Field{name("Name tag of the NAT gateway"), ref("vpc", "Name tag of its VPC", false),
			ref("subnet", "Name tag of the public subnet a zonal NAT gateway must sit in", false),
			{Name: "connectivity", Type: content.String, Enum: []string{"public", "private"}, Doc: "default public"},
			{Name: "mode", Type: content.String, Enum: []string{"zonal", "regional"}, Doc: "availability mode (default: either)"},
			ref("eip", "Name tag of the Elastic IP it must use", false)},
		Resources: with(routing, account.NATGateways, account.Addresses),
		Eval:      evalNAT})

	register(&Kind{Name: "route",
		Params: []content.Field{ref("subnet", "Name tag of the subnet whose effective route table is checked", true), ref("vpc", "Name tag of its VPC", false),
			{Name: "destination", Type: content.CIDR, Doc: "CIDR, default 0.0.0.0/0"},
			{Name: "target", Type: content.String, Required: true, Enum: []string{"internet-gateway", "nat-gateway", "egress-only-internet-gateway", "none"}},
			ref("target_name", "Name tag of the expected target", false),
			ref("route_table", "Name tag of the route table the subnet must use, the lab's own: a learner who forgot to associate it is told to, instead of getting a new table", false)},
		Resources: with(routing, account.NATGateways, account.EgressOnlyGateways),
		Eval:      evalRoute})

	register(&Kind{Name: "security-group-egress",
		Params: []content.Field{ref("group", "Name tag or group name of the security group", true), ref("vpc", "Name tag of its VPC", false),
			{Name: "port", Type: content.Port, Doc: "default 443"},
			{Name: "to", Type: content.String, Enum: []string{string(egress.Internet), string(egress.S3), "vpc"}, Doc: "default internet; vpc: into the group's own VPC (a load balancer's group toward its targets)"}},
		Resources: with(routing, account.SecurityGroups, account.NetworkACLs, account.PrefixLists, account.VPCEndpoints, account.NATGateways),
		// The S3 prefix list and endpoints matter only toward S3.
		Reads: func(p Params) []account.Resource {
			r := with(routing, account.SecurityGroups, account.NetworkACLs, account.NATGateways)
			if p.Str("to", string(egress.Internet)) == string(egress.S3) {
				r = append(r, account.PrefixLists, account.VPCEndpoints)
			}
			return r
		},
		Eval: evalSGEgress})

	register(&Kind{Name: "security-group-ingress",
		Params: []content.Field{ref("group", "Name tag or group name of the security group", true), ref("vpc", "Name tag of its VPC", false),
			{Name: "port", Type: content.Port, Doc: "default 80"},
			ref("from", "Name tag or group name of the only group that may connect", false),
			{Name: "public", Type: content.Bool, Doc: "true: the port must be open to the internet (a load balancer's group); default false: it must not be"}},
		Resources: []account.Resource{account.VPCs, account.SecurityGroups},
		Eval:      evalSGIngress})

	register(&Kind{Name: "load-balancer",
		Params: []content.Field{name("name of the load balancer"),
			{Name: "scheme", Type: content.String, Enum: []string{"internet-facing", "internal"}, Doc: "default internet-facing"}},
		Resources: with(routing, account.LoadBalancers),
		Eval:      evalLoadBalancer})

	register(&Kind{Name: "load-balancer-security",
		Params: []content.Field{name("name of the load balancer"),
			ref("group", "Name tag or group name of the security group it must carry", false),
			{Name: "port", Type: content.Port, Doc: "the targets' port, default 80"},
			ref("targets", "Name tag or group name of the targets' security group; without it the VPC's CIDR stands for the targets", false)},
		Resources: []account.Resource{account.VPCs, account.SecurityGroups, account.LoadBalancers},
		Eval:      evalLBSecurity})

	register(&Kind{Name: "network-acl",
		Params: []content.Field{ref("subnet", "Name tag of the subnet", true), ref("vpc", "Name tag of its VPC", false),
			{Name: "port", Type: content.Port, Doc: "outbound port, default 443"}},
		Resources: with(routing, account.NetworkACLs, account.NATGateways),
		Eval:      evalNACL})

	register(&Kind{Name: "gateway-endpoint",
		Params: []content.Field{ref("vpc", "Name tag of the VPC", true),
			{Name: "service", Type: content.String, Enum: []string{"s3", "dynamodb"}, Doc: "default s3"},
			{Name: "subnets", Type: content.Strings, Doc: "Name tags of subnets whose route tables it must be on"}},
		Resources: with(routing, account.VPCEndpoints),
		Eval:      evalGatewayEndpoint})

	register(&Kind{Name: "interface-endpoint",
		Params: []content.Field{ref("vpc", "Name tag of the VPC", true),
			{Name: "service", Type: content.String, Required: true, Doc: "short name, e.g. ecr.api, ecr.dkr, logs"},
			{Name: "subnets", Type: content.Strings, Doc: "Name tags of subnets (AZs) it must serve"},
			ref("from", "Name tag or group name of the client security group it must admit on 443", false),
			ref("security_group", "Name tag or group name of the security group the endpoint must have, the lab's own: an endpoint given another group is moved to it, instead of having that group opened", false),
			{Name: "private_dns", Type: content.Bool, Doc: "default true"}},
		Resources: []account.Resource{account.VPCs, account.VPCAttributes, account.Subnets, account.VPCEndpoints, account.SecurityGroups},
		Eval:      evalInterfaceEndpoint})

	register(&Kind{Name: "ecs-cluster",
		Params:    []content.Field{name("cluster name")},
		Resources: []account.Resource{account.ECSClusters},
		Need:      func(p Params, n *account.Need) { n.AddCluster(p.Str("name", "")) },
		Eval:      evalCluster})

	register(&Kind{Name: "ecs-service",
		Params: []content.Field{ref("cluster", "cluster name", true), name("service name"),
			{Name: "min_running", Type: content.Int, Doc: "running tasks required (default 0: the service's settings only)"},
			ref("security_group", "Name tag or group name of the security group its tasks must have, the lab's own (a service left in the VPC's default group is reached by nothing the lab opens)", false)},
		Resources: with(routing, account.ECSServices, account.SecurityGroups),
		Need:      func(p Params, n *account.Need) { n.AddService(p.Str("cluster", ""), p.Str("name", "")) },
		Eval:      evalService})

	register(&Kind{Name: "ecs-task",
		Params: []content.Field{ref("cluster", "cluster name", true),
			ref("family", "task definition family of the task", true),
			ref("security_group", "Name tag or group name of the security group the task must have, the lab's own (a task run without --security-groups is in the VPC's default group)", false),
			ref("target_group", "name of the target group (target type ip) the task must be registered in: a task run by hand gets no traffic from a load balancer until it is", false)},
		// Target groups always: a task run again in a fix is registered
		// where the one it replaces was.
		Resources: with(routing, account.ECSTasks, account.NetworkInterfaces, account.SecurityGroups, account.TargetGroups),
		Need:      func(p Params, n *account.Need) { n.AddCluster(p.Str("cluster", "")) },
		Eval:      evalTask})

	register(&Kind{Name: "egress-path",
		Params: []content.Field{ref("from", "Name tag of the source subnet", false), ref("vpc", "Name tag of its VPC", false),
			ref("group", "with from: the source's security group (Name tag or group name); without it security groups are not judged", false),
			ref("cluster", "with service: the ECS cluster", false), ref("service", "the ECS service whose subnets and security groups are the source", false),
			{Name: "to", Type: content.String, Required: true, Enum: destinations, Doc: "destination class"},
			{Name: "via", Type: content.String, Enum: hops, Doc: "the hop the path must leave through"},
			{Name: "port", Type: content.Port, Doc: "default 443"},
			{Name: "reachable", Type: content.Bool, Doc: "default true; false asserts the path is blocked"}},
		Resources: with(routing, account.NATGateways, account.EgressOnlyGateways, account.NetworkACLs, account.SecurityGroups,
			account.VPCEndpoints, account.PrefixLists, account.VPCAttributes, account.ECSServices),
		Reads: pathReads,
		Need: func(p Params, n *account.Need) {
			if p.Has("service") {
				n.AddService(p.Str("cluster", ""), p.Str("service", ""))
			}
		},
		Eval: evalEgressPath})

	register(&Kind{Name: "cleanup",
		Params: []content.Field{ref("vpc", "Name tag of the lab's VPC", false),
			ref("prefix", "Name tag prefix of the lab's resources (default vpclab-)", false),
			ref("cluster", "the lab's ECS cluster", false),
			{Name: "network", Type: content.Bool, Doc: "also require the VPC named by vpc to be deleted, with its subnets, route tables, gateways and groups (for a lab that builds nothing billable, default false)"}},
		// Every cluster is listed: a lab's tasks count wherever they run
		// when their cluster carries the lab's prefix.
		Resources: []account.Resource{account.VPCs, account.NATGateways, account.Addresses, account.VPCEndpoints, account.ECSClusterList, account.ECSTasks, account.NetworkInterfaces, account.LoadBalancers},
		Need: func(p Params, n *account.Need) {
			if c := p.Str("cluster", ""); c != "" {
				n.AddCluster(c)
			}
			if p.Bool("network", false) { // what the VPC's teardown must delete first
				n.Add(account.Subnets, account.RouteTables, account.InternetGateways, account.SecurityGroups)
			}
		},
		Eval: evalCleanup})
}

// pathReads is what one egress-path block reads: the route to the
// internet goes through route tables, gateways and network ACLs only;
// security groups are judged only for a group or a service's tasks, and
// endpoints (with their groups, the S3 prefix list and the VPC's DNS
// attributes) only toward an AWS service.
func pathReads(p Params) []account.Resource {
	r := with(routing, account.NATGateways, account.NetworkACLs)
	dst := egress.Dest(p.Str("to", ""))
	if dst == egress.IPv6Internet {
		r = append(r, account.EgressOnlyGateways)
	}
	toService := dst != egress.Internet && dst != egress.IPv6Internet
	if p.Has("group") || p.Has("service") || toService {
		r = append(r, account.SecurityGroups)
	}
	if p.Has("service") {
		r = append(r, account.ECSServices)
	}
	if toService {
		r = append(r, account.VPCEndpoints, account.PrefixLists, account.VPCAttributes)
	}
	return r
}
