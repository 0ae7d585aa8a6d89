package checks_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/i18n"
)

func TestGatewayEndpoint(t *testing.T) {
	privA := lines("kind: gateway-endpoint", "vpc: demo-vpc", "service: s3", "subnets: [demo-private-a]")
	both := lines("kind: gateway-endpoint", "vpc: demo-vpc", "subnets: [demo-private-a, demo-private-b]")
	runKindCases(t, []kindCase{
		{name: "pass", check: privA,
			want: want{status: checks.Pass, msg: "CheckGatewayEndpointPass", res: []string{s3EP},
				data: i18n.M{"ID": s3EP, "Service": "s3", "Tables": rtbPriv}}},
		{name: "AWS's capitalised state", check: privA,
			mutate: func(s *account.Snapshot) { endpointOf(s, s3EP).State = ec2types.StateAvailable },
			want:   want{status: checks.Pass, msg: "CheckGatewayEndpointPass", res: []string{s3EP}}},
		{name: "moto leaves the endpoint type out: gateway", check: privA,
			mutate: func(s *account.Snapshot) { endpointOf(s, s3EP).VpcEndpointType = "" },
			want:   want{status: checks.Pass, msg: "CheckGatewayEndpointPass", res: []string{s3EP}}},
		{name: "missing, fix names the real route tables", check: both,
			mutate: func(s *account.Snapshot) { s.VPCEndpoints = s.VPCEndpoints[1:] },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckGatewayEndpointMissing", res: []string{vpcID},
				data: i18n.M{"Service": "s3", "VPC": vpcID},
				fix: []string{"aws ec2 create-vpc-endpoint --vpc-id " + vpcID + " --vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 --route-table-ids " +
					rtbPriv + " " + rtbMain}}},
		{name: "an S3 interface endpoint is not a gateway endpoint", check: privA,
			mutate: func(s *account.Snapshot) { endpointOf(s, s3EP).VpcEndpointType = ec2types.VpcEndpointTypeInterface },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckGatewayEndpointMissing",
				fix: []string{"--vpc-endpoint-type Gateway", "--route-table-ids " + rtbPriv}}},
		{name: "missing, no subnets given", check: lines("kind: gateway-endpoint", "vpc: demo-vpc"),
			mutate: func(s *account.Snapshot) { s.VPCEndpoints = s.VPCEndpoints[1:] },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckGatewayEndpointMissing",
				noFixAtAll: true}}, // which tables is the lab's to say
		{name: "a table is not on the endpoint", check: both,
			want: want{status: checks.Fail, reason: "VPCE_GATEWAY_ROUTE_MISSING", msg: "CheckGatewayEndpointTables", res: []string{s3EP},
				data:  i18n.M{"Tables": rtbMain, "ID": s3EP},
				text:  []string{"cannot reach S3 at all"}, // the main table has no way out
				fix:   []string{"aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + s3EP + " --add-route-table-ids " + rtbMain},
				noFix: []string{rtbPriv}}},
		{name: "a table whose default route is a blackhole has no way out", check: both,
			mutate: func(s *account.Snapshot) {
				for i := range s.RouteTables {
					if *s.RouteTables[i].RouteTableId == rtbMain {
						s.RouteTables[i].Routes = append(s.RouteTables[i].Routes, ec2types.Route{DestinationCidrBlock: sp("0.0.0.0/0"), NatGatewayId: sp("nat-0gone"), State: ec2types.RouteStateBlackhole})
					}
				}
			},
			want: want{status: checks.Fail, reason: "VPCE_GATEWAY_ROUTE_MISSING", msg: "CheckGatewayEndpointTables", text: []string{"cannot reach S3 at all"}}},
		{name: "a table with a way out is not on the endpoint: the long way", check: both,
			mutate: func(s *account.Snapshot) {
				for i := range s.RouteTables {
					if *s.RouteTables[i].RouteTableId == rtbMain {
						s.RouteTables[i].Routes = append(s.RouteTables[i].Routes, ec2types.Route{DestinationCidrBlock: sp("0.0.0.0/0"), NatGatewayId: sp(natID), State: ec2types.RouteStateActive})
					}
				}
			},
			want: want{status: checks.Fail, reason: "VPCE_GATEWAY_ROUTE_MISSING", msg: "CheckGatewayEndpointTables", text: []string{"the long way"}}},
		{name: "pending", check: privA,
			mutate: func(s *account.Snapshot) { endpointOf(s, s3EP).State = "pending" },
			want: want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckEndpointState", res: []string{s3EP},
				data: i18n.M{"State": "pending"}}},
		{name: "dynamodb is another service", check: lines("kind: gateway-endpoint", "vpc: demo-vpc", "service: dynamodb"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckGatewayEndpointMissing", data: i18n.M{"Service": "dynamodb"},
				noFixAtAll: true}}, // the check names no subnets, so no route tables
		{name: "an endpoint in another VPC does not count", check: privA,
			mutate: func(s *account.Snapshot) { endpointOf(s, s3EP).VpcId = sp("vpc-0other") },
			want:   want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckGatewayEndpointMissing"}},
	})
}

func TestInterfaceEndpoint(t *testing.T) {
	ecrAPI := lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "subnets: [demo-private-a, demo-private-b]", "from: demo-task-sg")
	ingress := func(perms ...ec2types.IpPermission) func(*account.Snapshot) {
		return func(s *account.Snapshot) { sgOf(s, vpceSG).IpPermissions = perms }
	}
	cidr443 := func(cidr string) ec2types.IpPermission {
		return ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			IpRanges: []ec2types.IpRange{{CidrIp: sp(cidr)}}}
	}
	mismatch := want{status: checks.Fail, reason: "VPCE_SG_RULES_MISMATCH", msg: "CheckEndpointSG", res: []string{ecrEP, vpceSG, taskSG},
		data: i18n.M{"Group": vpceSG, "From": taskSG},
		fix: []string{"aws ec2 authorize-security-group-ingress --group-id " + vpceSG +
			` --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"UserIdGroupPairs":[{"GroupId":"` + taskSG + `"}]}]'`}}
	ok := want{status: checks.Pass, msg: "CheckInterfaceEndpointPass", res: []string{ecrEP}}
	runKindCases(t, []kindCase{
		{name: "pass", check: ecrAPI,
			want: want{status: checks.Pass, msg: "CheckInterfaceEndpointPass", res: []string{ecrEP},
				data: i18n.M{"ID": ecrEP, "Service": "ecr.api", "Subnets": 2}}},
		{name: "missing", check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.dkr", "subnets: [demo-private-a, demo-private-b]"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckInterfaceEndpointMissing", res: []string{vpcID},
				data: i18n.M{"Service": "ecr.dkr", "VPC": vpcID},
				fix: []string{"aws ec2 create-vpc-endpoint --vpc-id " + vpcID + " --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.ecr.dkr --subnet-ids " +
					subPrivA + " " + subPrivB, "--private-dns-enabled"}}},
		{name: "a gateway endpoint is not an interface endpoint", check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: s3"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckInterfaceEndpointMissing",
				noFixAtAll: true}}, // the check names no subnets to put it in
		{name: "pending", check: ecrAPI,
			mutate: func(s *account.Snapshot) { endpointOf(s, ecrEP).State = "pending" },
			want:   want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckEndpointState", res: []string{ecrEP}, data: i18n.M{"State": "pending"}}},
		{name: "private DNS off", check: ecrAPI,
			mutate: func(s *account.Snapshot) { endpointOf(s, ecrEP).PrivateDnsEnabled = aws.Bool(false) },
			want: want{status: checks.Fail, reason: "VPCE_PRIVATE_DNS_DISABLED", msg: "CheckEndpointPrivateDNS", res: []string{ecrEP},
				fix: []string{"aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + ecrEP + " --private-dns-enabled"}}},
		{name: "private DNS off as the check expects", check: ecrAPI + "\nprivate_dns: false",
			mutate: func(s *account.Snapshot) { endpointOf(s, ecrEP).PrivateDnsEnabled = nil },
			want:   ok},
		{name: "VPC DNS hostnames off", check: ecrAPI,
			mutate: func(s *account.Snapshot) { s.VPCAttrs[vpcID] = account.VPCAttrs{DNSSupport: true} },
			want: want{status: checks.Fail, reason: "VPC_DNS_ATTRIBUTE_DISABLED", msg: "CheckEndpointVPCDNS", res: []string{ecrEP, vpcID},
				data: i18n.M{"Attr": "enableDnsHostnames", "VPC": vpcID},
				fix:  []string{`aws ec2 modify-vpc-attribute --vpc-id ` + vpcID + ` --enable-dns-hostnames '{"Value":true}'`}}},
		{name: "VPC DNS support off", check: ecrAPI,
			mutate: func(s *account.Snapshot) { s.VPCAttrs[vpcID] = account.VPCAttrs{DNSHostnames: true} },
			want: want{status: checks.Fail, reason: "VPC_DNS_ATTRIBUTE_DISABLED", msg: "CheckEndpointVPCDNS",
				data: i18n.M{"Attr": "enableDnsSupport"}, fix: []string{"--enable-dns-support"}}},
		{name: "a subnet is missing from the endpoint", check: ecrAPI,
			mutate: func(s *account.Snapshot) { endpointOf(s, ecrEP).SubnetIds = []string{subPrivA} },
			want: want{status: checks.Fail, reason: "VPCE_SERVICE_NOT_INSTALLED_IN_AZ", msg: "CheckEndpointSubnets", res: []string{ecrEP},
				data:  i18n.M{"Subnets": subPrivB + " (us-east-1b)"},
				fix:   []string{"aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + ecrEP + " --add-subnet-ids " + subPrivB},
				noFix: []string{subPrivA}}},
		{name: "a named subnet does not exist", check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "subnets: [demo-private-c]"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound", data: i18n.M{"Name": "demo-private-c"}}},
		{name: "endpoint SG admits another group only", check: ecrAPI,
			mutate: ingress(ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp("sg-0other")}}}),
			want: mismatch},
		{name: "endpoint SG admits the client on port 80 only", check: ecrAPI,
			mutate: ingress(ec2types.IpPermission{IpProtocol: sp("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
				UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp(taskSG)}}}),
			want: mismatch},
		{name: "endpoint SG admits the client on UDP only", check: ecrAPI,
			mutate: ingress(ec2types.IpPermission{IpProtocol: sp("udp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp(taskSG)}}}),
			want: mismatch},
		{name: "endpoint SG has no rules", check: ecrAPI, mutate: ingress(), want: mismatch},
		{name: "endpoint SG admits the VPC CIDR", check: ecrAPI, mutate: ingress(cidr443(vpcCIDR)), want: ok},
		{name: "endpoint SG admits a CIDR covering the VPC", check: ecrAPI, mutate: ingress(cidr443("10.0.0.0/8")), want: ok},
		{name: "endpoint SG admits only part of the VPC", check: ecrAPI, mutate: ingress(cidr443("10.0.10.0/24")), want: mismatch},
		{name: "endpoint SG admits only the VPC's first /24", check: ecrAPI, mutate: ingress(cidr443("10.0.0.0/24")), want: mismatch},
		{name: "endpoint SG admits another network", check: ecrAPI, mutate: ingress(cidr443("192.168.0.0/16")), want: mismatch},
		{name: "endpoint SG admits all traffic from the client", check: ecrAPI,
			mutate: ingress(ec2types.IpPermission{IpProtocol: sp("-1"), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp(taskSG)}}}),
			want:   ok},
		{name: "endpoint SG admits a port range from the client", check: ecrAPI,
			mutate: ingress(ec2types.IpPermission{IpProtocol: sp("6"), FromPort: aws.Int32(0), ToPort: aws.Int32(65535),
				UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: sp(taskSG)}}}),
			want: ok},
		{name: "client group found by group name", check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "from: demo-task-sg"),
			mutate: func(s *account.Snapshot) { sgOf(s, taskSG).Tags = nil },
			want:   ok},
		{name: "client group missing", check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "from: lab-task-sg"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				data:       i18n.M{"Type": i18n.Msg{ID: "ResSG"}, "Name": "lab-task-sg"},
				noFixAtAll: true}}, // a new group alone would not be admitted: nothing proven
	})
}
