package checks

import "github.com/vpclab/vpclab/content"

// Resources are found by their Name tag (the value a lab tells the learner
// to type), never by ids, which differ in every account.
func name(doc string) content.Field {
	return content.Field{Name: "name", Type: content.String, Required: true, Doc: doc}
}

func ref(field, doc string, required bool) content.Field {
	return content.Field{Name: field, Type: content.String, Required: required, Doc: doc}
}

var (
	destinations = []string{"internet", "ipv6-internet", "s3", "ecr", "logs"}
	hops         = []string{"internet-gateway", "nat-gateway", "egress-only-internet-gateway", "gateway-endpoint", "interface-endpoint"}
)

var (
	KindVPC = register(&Kind{Name: "vpc",
		Params: []content.Field{name("Name tag of the VPC"),
			{Name: "cidr", Type: content.String, Doc: "expected IPv4 CIDR"},
			{Name: "dns_support", Type: content.Bool, Doc: "expected enableDnsSupport"},
			{Name: "dns_hostnames", Type: content.Bool, Doc: "expected enableDnsHostnames"}},
		Reads: []string{"ec2:DescribeVpcs", "ec2:DescribeVpcAttribute"}})

	KindSubnet = register(&Kind{Name: "subnet",
		Params: []content.Field{name("Name tag of the subnet"), ref("vpc", "Name tag of its VPC", false),
			{Name: "cidr", Type: content.String},
			{Name: "az", Type: content.String, Doc: "availability zone, e.g. ap-northeast-1a"},
			{Name: "public", Type: content.Bool, Required: true, Doc: "true: default route to an attached internet gateway; false: none"}},
		Reads: []string{"ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeInternetGateways", "ec2:DescribeVpcs"}})

	KindInternetGateway = register(&Kind{Name: "internet-gateway",
		Params: []content.Field{ref("vpc", "Name tag of the VPC it must be attached to", true), ref("name", "Name tag of the gateway", false)},
		Reads:  []string{"ec2:DescribeInternetGateways", "ec2:DescribeVpcs"}})

	KindElasticIP = register(&Kind{Name: "elastic-ip",
		Params: []content.Field{name("Name tag of the Elastic IP"),
			{Name: "associated", Type: content.Bool, Doc: "expected association (default true)"}},
		Reads: []string{"ec2:DescribeAddresses"}})

	KindNATGateway = register(&Kind{Name: "nat-gateway",
		Params: []content.Field{name("Name tag of the NAT gateway"), ref("vpc", "Name tag of its VPC", false),
			ref("subnet", "Name tag of the public subnet a zonal NAT gateway must sit in", false),
			{Name: "connectivity", Type: content.String, Enum: []string{"public", "private"}, Doc: "default public"},
			{Name: "mode", Type: content.String, Enum: []string{"zonal", "regional"}, Doc: "availability mode (default: either)"},
			ref("eip", "Name tag of the Elastic IP it must use", false)},
		Reads: []string{"ec2:DescribeNatGateways", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeInternetGateways", "ec2:DescribeAddresses", "ec2:DescribeVpcs"}})

	KindRoute = register(&Kind{Name: "route",
		Params: []content.Field{ref("subnet", "Name tag of the subnet whose effective route table is checked", true),
			{Name: "destination", Type: content.String, Doc: "CIDR, default 0.0.0.0/0"},
			{Name: "target", Type: content.String, Required: true, Enum: []string{"internet-gateway", "nat-gateway", "egress-only-internet-gateway", "none"}},
			ref("target_name", "Name tag of the expected target", false)},
		Reads: []string{"ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeInternetGateways", "ec2:DescribeNatGateways", "ec2:DescribeEgressOnlyInternetGateways", "ec2:DescribeVpcs"}})

	KindSecurityGroupEgress = register(&Kind{Name: "security-group-egress",
		Params: []content.Field{ref("group", "Name tag or group name of the security group", true), ref("vpc", "Name tag of its VPC", false),
			{Name: "port", Type: content.Int, Doc: "default 443"},
			{Name: "protocol", Type: content.String, Enum: []string{"tcp", "udp"}, Doc: "default tcp"},
			{Name: "to", Type: content.String, Enum: destinations, Doc: "default internet"}},
		Reads: []string{"ec2:DescribeSecurityGroups", "ec2:DescribeManagedPrefixLists", "ec2:DescribeVpcs"}})

	KindNetworkACL = register(&Kind{Name: "network-acl",
		Params: []content.Field{ref("subnet", "Name tag of the subnet", true),
			{Name: "port", Type: content.Int, Doc: "outbound port, default 443"}},
		Reads: []string{"ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}})

	KindGatewayEndpoint = register(&Kind{Name: "gateway-endpoint",
		Params: []content.Field{ref("vpc", "Name tag of the VPC", true),
			{Name: "service", Type: content.String, Enum: []string{"s3", "dynamodb"}, Doc: "default s3"},
			{Name: "subnets", Type: content.Strings, Doc: "Name tags of subnets whose route tables it must be on"}},
		Reads: []string{"ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}})

	KindInterfaceEndpoint = register(&Kind{Name: "interface-endpoint",
		Params: []content.Field{ref("vpc", "Name tag of the VPC", true),
			{Name: "service", Type: content.String, Required: true, Doc: "short name, e.g. ecr.api, ecr.dkr, logs"},
			{Name: "subnets", Type: content.Strings, Doc: "Name tags of subnets (AZs) it must serve"},
			ref("from", "Name tag or group name of the client security group it must admit on 443", false),
			{Name: "private_dns", Type: content.Bool, Doc: "default true"}},
		Reads: []string{"ec2:DescribeVpcEndpoints", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute"}})

	KindECSCluster = register(&Kind{Name: "ecs-cluster",
		Params: []content.Field{name("cluster name")},
		Reads:  []string{"ecs:DescribeClusters"}})

	KindECSService = register(&Kind{Name: "ecs-service",
		Params: []content.Field{ref("cluster", "cluster name", true), name("service name"),
			{Name: "min_running", Type: content.Int, Doc: "running tasks required (default 0: the service's settings only)"}},
		Reads: []string{"ecs:DescribeServices", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeInternetGateways", "ec2:DescribeVpcs"}})

	KindECSTask = register(&Kind{Name: "ecs-task",
		Params: []content.Field{ref("cluster", "cluster name", true),
			ref("family", "task definition family of the task", true)},
		Reads: []string{"ecs:ListTasks", "ecs:DescribeTasks", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeInternetGateways", "ec2:DescribeVpcs"}})

	KindEgressPath = register(&Kind{Name: "egress-path",
		Params: []content.Field{ref("from", "Name tag of the source subnet", false),
			ref("cluster", "with service: the ECS cluster", false), ref("service", "the ECS service whose subnets and security groups are the source", false),
			{Name: "to", Type: content.String, Required: true, Enum: destinations, Doc: "destination class"},
			{Name: "via", Type: content.String, Enum: hops, Doc: "the hop the path must use"},
			{Name: "reachable", Type: content.Bool, Doc: "default true; false asserts the path is blocked"}},
		Reads: []string{"ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeInternetGateways", "ec2:DescribeNatGateways",
			"ec2:DescribeEgressOnlyInternetGateways", "ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcEndpoints",
			"ec2:DescribeManagedPrefixLists", "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ecs:DescribeServices"}})

	KindCleanup = register(&Kind{Name: "cleanup",
		Params: []content.Field{ref("vpc", "Name tag of the lab's VPC", false),
			ref("prefix", "Name tag prefix of the lab's resources (default vpclab-)", false),
			ref("cluster", "the lab's ECS cluster", false)},
		Reads: []string{"ec2:DescribeNatGateways", "ec2:DescribeAddresses", "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcs", "ecs:ListTasks", "ecs:DescribeTasks"}})
)
