package checks_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

func TestVPC(t *testing.T) {
	runKindCases(t, []kindCase{
		{name: "pass", check: lines("kind: vpc", "name: demo-vpc", "cidr: 10.0.0.0/16", "dns_support: true", "dns_hostnames: true"),
			want: want{status: checks.Pass, msg: "CheckVPCPass", res: []string{vpcID},
				data: i18n.M{"ID": vpcID, "CIDR": vpcCIDR}, text: []string{vpcID}}},
		{name: "missing names the region", check: lines("kind: vpc", "name: lab-vpc"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				data:       i18n.M{"Region": region, "Name": "lab-vpc", "Type": i18n.Msg{ID: "ResVPC"}},
				text:       []string{"us-east-1", `"lab-vpc"`, "VPC"},
				noFixAtAll: true}}, // the check gives no CIDR: vpclab will not invent one
		{name: "cidr mismatch", check: lines("kind: vpc", "name: demo-vpc", "cidr: 10.1.0.0/16"),
			want: want{status: checks.Fail, reason: "CIDR_MISMATCH", msg: "CheckVPCCIDR", res: []string{vpcID},
				data:       i18n.M{"Got": vpcCIDR, "Want": "10.1.0.0/16", "ID": vpcID},
				noFixAtAll: true}}, // recreating a VPC takes the lab with it
		{name: "dns hostnames off", check: lines("kind: vpc", "name: demo-vpc", "dns_hostnames: true"),
			mutate: func(s *account.Snapshot) { s.VPCAttrs[vpcID] = account.VPCAttrs{DNSSupport: true} },
			want: want{status: checks.Fail, reason: "VPC_DNS_ATTRIBUTE_DISABLED", msg: "CheckVPCDNS", res: []string{vpcID},
				data: i18n.M{"Attr": "enableDnsHostnames", "ID": vpcID},
				fix:  []string{`aws ec2 modify-vpc-attribute --vpc-id ` + vpcID + ` --enable-dns-hostnames '{"Value":true}'`}}},
		{name: "dns support off", check: lines("kind: vpc", "name: demo-vpc", "dns_support: true", "dns_hostnames: true"),
			mutate: func(s *account.Snapshot) { s.VPCAttrs[vpcID] = account.VPCAttrs{DNSHostnames: true} },
			want: want{status: checks.Fail, reason: "VPC_DNS_ATTRIBUTE_DISABLED", msg: "CheckVPCDNS", res: []string{vpcID},
				data: i18n.M{"Attr": "enableDnsSupport"},
				fix:  []string{"modify-vpc-attribute --vpc-id " + vpcID + " --enable-dns-support"}}},
		// Both off: one fix that turns both on, support first (AWS refuses
		// hostnames without it); one alone would leave the check failing.
		{name: "dns support and hostnames off", check: lines("kind: vpc", "name: demo-vpc", "dns_support: true", "dns_hostnames: true"),
			mutate: func(s *account.Snapshot) { s.VPCAttrs[vpcID] = account.VPCAttrs{} },
			want: want{status: checks.Fail, reason: "VPC_DNS_ATTRIBUTE_DISABLED", msg: "CheckVPCDNS", res: []string{vpcID},
				text: []string{"enableDnsSupport, enableDnsHostnames turned off"},
				fix:  []string{"--enable-dns-support '{\"Value\":true}'", "--enable-dns-hostnames '{\"Value\":true}'"}}},
		{name: "dns attributes not asked for are not judged", check: lines("kind: vpc", "name: demo-vpc"),
			mutate: func(s *account.Snapshot) { s.VPCAttrs[vpcID] = account.VPCAttrs{} },
			want:   want{status: checks.Pass, msg: "CheckVPCPass", res: []string{vpcID}}},
		{name: "dns_hostnames false expected and off", check: lines("kind: vpc", "name: demo-vpc", "dns_hostnames: false"),
			mutate: func(s *account.Snapshot) { s.VPCAttrs[vpcID] = account.VPCAttrs{DNSSupport: true} },
			want:   want{status: checks.Pass, msg: "CheckVPCPass", res: []string{vpcID}}},
		// Two VPCs with the name: binding reports the duplicate (see
		// binding_test.go); the kind judges the one the lookup gives.
		{name: "two VPCs with the name: the kind judges one", check: lines("kind: vpc", "name: demo-vpc", "cidr: 10.0.0.0/16"),
			mutate: func(s *account.Snapshot) {
				s.VPCs = append(s.VPCs, ec2types.Vpc{VpcId: sp("vpc-0ffff"), CidrBlock: sp("172.16.0.0/16"), Tags: nameTag("demo-vpc")})
			},
			want: want{status: checks.Pass, msg: "CheckVPCPass", res: []string{vpcID}, notRes: []string{"vpc-0ffff"}}},
	})
}

func TestSubnet(t *testing.T) {
	public := lines("kind: subnet", "name: demo-public-a", "vpc: demo-vpc", "public: true")
	privateA := lines("kind: subnet", "name: demo-private-a", "vpc: demo-vpc", "public: false")
	runKindCases(t, []kindCase{
		{name: "public pass (moto attachment state available)", check: public + "\ncidr: 10.0.0.0/24\naz: us-east-1a",
			want: want{status: checks.Pass, msg: "CheckSubnetPublicPass", res: []string{subPubA, rtbPub, igwID},
				data: i18n.M{"ID": subPubA, "Table": rtbPub, "IGW": igwID}}},
		{name: "public pass (AWS attachment state attached)", check: public, mutate: igwState(ec2types.AttachmentStatusAttached),
			want: want{status: checks.Pass, msg: "CheckSubnetPublicPass", res: []string{subPubA, rtbPub, igwID}}},
		{name: "private pass", check: privateA + "\ncidr: 10.0.10.0/24\naz: us-east-1a",
			want: want{status: checks.Pass, msg: "CheckSubnetPrivatePass", res: []string{subPrivA, rtbPriv}}},
		{name: "private pass on the main table", check: lines("kind: subnet", "name: demo-private-b", "public: false"),
			want: want{status: checks.Pass, msg: "CheckSubnetPrivatePass", res: []string{subPrivB, rtbMain}, data: i18n.M{"Table": rtbMain}}},
		{name: "private subnet routed to the IGW", check: privateA,
			mutate: func(s *account.Snapshot) { setDefault(s, rtbPriv, toGateway("0.0.0.0/0", igwID)) },
			want: want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckSubnetIsPublic", res: []string{subPrivA, rtbPriv},
				data: i18n.M{"IGW": igwID, "Table": rtbPriv},
				fix:  []string{"aws ec2 delete-route --route-table-id " + rtbPriv + " --destination-cidr-block 0.0.0.0/0"}}},
		{name: "wanted public, no default route", check: public,
			mutate: func(s *account.Snapshot) { dropDefault(s, rtbPub) },
			want: want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckSubnetNoDefaultRoute", res: []string{subPubA, rtbPub},
				data:  i18n.M{"Table": rtbPub},
				fix:   []string{"aws ec2 create-route --route-table-id " + rtbPub + " --destination-cidr-block 0.0.0.0/0 --gateway-id " + igwID},
				noFix: []string{"create-route-table"}}},
		{name: "wanted public on the main table gets a table of its own", check: lines("kind: subnet", "name: demo-private-b", "public: true"),
			want: want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckSubnetNoDefaultRoute", res: []string{subPrivB, rtbMain},
				fix: []string{
					"RTB_ID=$(aws ec2 create-route-table --vpc-id " + vpcID,
					`aws ec2 associate-route-table --route-table-id "$RTB_ID" --subnet-id ` + subPrivB,
					`aws ec2 create-route --route-table-id "$RTB_ID" --destination-cidr-block 0.0.0.0/0 --gateway-id ` + igwID},
				noFix: []string{rtbMain}}},
		{name: "disassociated explicit table falls back to main", check: public,
			mutate: func(s *account.Snapshot) {
				rtb(s, rtbPub).Associations[0].AssociationState.State = ec2types.RouteTableAssociationStateCodeDisassociated
			},
			want: want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckSubnetNoDefaultRoute", res: []string{subPubA, rtbMain},
				fix: []string{"create-route-table", "--subnet-id " + subPubA}}},
		{name: "VPC without an internet gateway", check: public,
			mutate: func(s *account.Snapshot) { s.InternetGateways = nil; dropDefault(s, rtbPub) },
			want: want{status: checks.Fail, reason: "BAD_STATE_ATTACHMENT", msg: "CheckSubnetNoIGW", res: []string{subPubA, vpcID},
				data: i18n.M{"VPC": vpcID},
				fix: []string{"aws ec2 create-internet-gateway",
					`aws ec2 attach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id ` + vpcID,
					`aws ec2 create-route --route-table-id ` + rtbPub + ` --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW_ID"`},
				noFix: []string{"<IGW_ID>"}}},
		{name: "route to a detached internet gateway", check: public,
			mutate: func(s *account.Snapshot) {
				s.InternetGateways = append(s.InternetGateways, ec2types.InternetGateway{InternetGatewayId: sp("igw-0old"), Tags: nameTag("old-igw")})
				r := toGateway("0.0.0.0/0", "igw-0old")
				r.State = ec2types.RouteStateBlackhole
				setDefault(s, rtbPub, r)
			},
			want: want{status: checks.Fail, reason: "BAD_STATE_ROUTE", msg: "CheckSubnetRouteBroken", res: []string{subPubA, rtbPub},
				data: i18n.M{"Target": "igw-0old", "Table": rtbPub},
				fix:  []string{"aws ec2 replace-route --route-table-id " + rtbPub + " --destination-cidr-block 0.0.0.0/0 --gateway-id " + igwID}}},
		{name: "route to an internet gateway that is gone", check: public,
			mutate: func(s *account.Snapshot) { setDefault(s, rtbPub, toGateway("0.0.0.0/0", "igw-0gone")) },
			want: want{status: checks.Fail, reason: "BAD_STATE_ROUTE", msg: "CheckSubnetRouteBroken", res: []string{subPubA, rtbPub},
				fix: []string{"replace-route --route-table-id " + rtbPub, "--gateway-id " + igwID}}},
		{name: "route to a NAT gateway", check: public,
			mutate: func(s *account.Snapshot) { setDefault(s, rtbPub, toNAT("0.0.0.0/0", natID)) },
			want: want{status: checks.Fail, reason: "ROUTE_NOT_TO_IGW", msg: "CheckSubnetRouteElsewhere", res: []string{subPubA, rtbPub},
				data: i18n.M{"Target": natID},
				fix:  []string{"aws ec2 replace-route --route-table-id " + rtbPub + " --destination-cidr-block 0.0.0.0/0 --gateway-id " + igwID}}},
		{name: "cidr mismatch", check: public + "\ncidr: 10.0.1.0/24",
			want: want{status: checks.Fail, reason: "CIDR_MISMATCH", msg: "CheckSubnetCIDR", res: []string{subPubA},
				data:       i18n.M{"Got": "10.0.0.0/24", "Want": "10.0.1.0/24"},
				noFixAtAll: true}},
		{name: "az mismatch", check: public + "\naz: us-east-1c",
			want: want{status: checks.Fail, reason: "AZ_MISMATCH", msg: "CheckSubnetAZ", res: []string{subPubA},
				data:       i18n.M{"Got": "us-east-1a", "Want": "us-east-1c"},
				noFixAtAll: true}},
		{name: "missing subnet, fix uses the real VPC id", check: lines("kind: subnet", "name: demo-public-c", "vpc: demo-vpc", "public: true"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				data:       i18n.M{"Type": i18n.Msg{ID: "ResSubnet"}, "Region": region},
				noFixAtAll: true}}, // the check gives no CIDR
		// It does not count, and is not "not found" either: it is there,
		// in another VPC (a new terminal's empty $VPC_ID: the default VPC).
		{name: "subnet in another VPC does not count", check: public,
			mutate: func(s *account.Snapshot) { subnetOf(s, subPubA).VpcId = sp("vpc-0other") },
			want: want{status: checks.Fail, reason: "IN_OTHER_VPC", msg: "CheckInOtherVPC", res: []string{subPubA, "vpc-0other", vpcID},
				data: i18n.M{"Name": "demo-public-a"}, noFixAtAll: true}},
		{name: "missing VPC", check: lines("kind: subnet", "name: demo-public-a", "vpc: lab-vpc", "public: true"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				data: i18n.M{"Type": i18n.Msg{ID: "ResVPC"}, "Name": "lab-vpc"}, noFixAtAll: true}},
	})
}

func TestInternetGateway(t *testing.T) {
	named := lines("kind: internet-gateway", "vpc: demo-vpc", "name: demo-igw")
	runKindCases(t, []kindCase{
		{name: "attached (moto: available)", check: named,
			want: want{status: checks.Pass, msg: "CheckIGWPass", res: []string{igwID, vpcID}, data: i18n.M{"ID": igwID, "VPC": vpcID}}},
		{name: "attached (AWS: attached)", check: named, mutate: igwState(ec2types.AttachmentStatusAttached),
			want: want{status: checks.Pass, msg: "CheckIGWPass", res: []string{igwID, vpcID}}},
		{name: "still attaching is not attached", check: named, mutate: igwState(ec2types.AttachmentStatusAttaching),
			want: want{status: checks.Fail, reason: "BAD_STATE_ATTACHMENT", msg: "CheckIGWDetached", res: []string{igwID, vpcID}}},
		{name: "named gateway detached", check: named,
			mutate: func(s *account.Snapshot) { s.InternetGateways[0].Attachments = nil },
			want: want{status: checks.Fail, reason: "BAD_STATE_ATTACHMENT", msg: "CheckIGWDetached", res: []string{igwID, vpcID},
				data:  i18n.M{"ID": igwID, "VPC": vpcID},
				fix:   []string{"aws ec2 attach-internet-gateway --internet-gateway-id " + igwID + " --vpc-id " + vpcID},
				noFix: []string{"detach"}}},
		{name: "named gateway attached to another VPC is detached first", check: named,
			mutate: func(s *account.Snapshot) { s.InternetGateways[0].Attachments[0].VpcId = sp("vpc-0other") },
			want: want{status: checks.Fail, reason: "BAD_STATE_ATTACHMENT", msg: "CheckIGWDetached", res: []string{igwID, vpcID},
				fix: []string{"aws ec2 detach-internet-gateway --internet-gateway-id " + igwID + " --vpc-id vpc-0other",
					"aws ec2 attach-internet-gateway --internet-gateway-id " + igwID + " --vpc-id " + vpcID}}},
		{name: "none", check: named,
			mutate: func(s *account.Snapshot) { s.InternetGateways = nil },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckIGWMissing", res: []string{vpcID}, data: i18n.M{"VPC": vpcID},
				fix: []string{"create-internet-gateway --tag-specifications 'ResourceType=internet-gateway,Tags=[{Key=Name,Value=demo-igw}]'",
					`aws ec2 attach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id ` + vpcID}}},
		{name: "detached and unnamed in the check", check: lines("kind: internet-gateway", "vpc: demo-vpc"),
			mutate: func(s *account.Snapshot) { s.InternetGateways[0].Attachments = nil },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckIGWMissing", res: []string{vpcID},
				// the gateway the public route table still names is reattached
				fix: []string{"aws ec2 attach-internet-gateway --internet-gateway-id " + igwID + " --vpc-id " + vpcID}, noFix: []string{"create-internet-gateway"}}},
		{name: "missing VPC", check: lines("kind: internet-gateway", "vpc: lab-vpc"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound", data: i18n.M{"Name": "lab-vpc", "Region": region}}},
	})
}

func TestElasticIP(t *testing.T) {
	unassociate := func(s *account.Snapshot) {
		a := eipOf(s, allocID)
		a.AssociationId, a.NetworkInterfaceId, a.NetworkInterfaceOwnerId, a.PrivateIpAddress = nil, nil, nil, nil
	}
	runKindCases(t, []kindCase{
		{name: "associated", check: lines("kind: elastic-ip", "name: demo-nat-eip"),
			want: want{status: checks.Pass, msg: "CheckEIPPass", res: []string{allocID},
				data: i18n.M{"ID": allocID, "IP": natIP, "Target": natENI}}},
		{name: "unassociated", check: lines("kind: elastic-ip", "name: demo-nat-eip"), mutate: unassociate,
			want: want{status: checks.Fail, reason: "EIP_NOT_ASSOCIATED", msg: "CheckEIPUnassociated", res: []string{allocID},
				data: i18n.M{"IP": natIP}, noFixAtAll: true}}, // no interface of the lab to offer
		{name: "associated: false and free", check: lines("kind: elastic-ip", "name: demo-nat-eip", "associated: false"), mutate: unassociate,
			want: want{status: checks.Pass, msg: "CheckEIPFreePass", res: []string{allocID}, data: i18n.M{"ID": allocID, "IP": natIP}}},
		{name: "associated: false but associated", check: lines("kind: elastic-ip", "name: demo-nat-eip", "associated: false"),
			want: want{status: checks.Fail, reason: "EIP_ASSOCIATED", msg: "CheckEIPAssociated", res: []string{allocID},
				data: i18n.M{"Target": natENI}, fix: []string{"aws ec2 disassociate-address --association-id " + assocID}}},
		{name: "associated with an instance", check: lines("kind: elastic-ip", "name: demo-nat-eip"),
			mutate: func(s *account.Snapshot) {
				unassociate(s)
				eipOf(s, allocID).InstanceId = sp("i-0abc")
			},
			want: want{status: checks.Pass, msg: "CheckEIPPass", res: []string{allocID}, data: i18n.M{"Target": "i-0abc"}}},
		{name: "of two with the name, the associated one is judged", check: lines("kind: elastic-ip", "name: demo-nat-eip"),
			mutate: func(s *account.Snapshot) {
				spare := ec2types.Address{AllocationId: sp("eipalloc-0000spare"), PublicIp: sp("198.51.100.7"), Domain: ec2types.DomainTypeVpc,
					Tags: nameTag("demo-nat-eip")}
				s.Addresses = append([]ec2types.Address{spare}, s.Addresses...)
			},
			want: want{status: checks.Pass, msg: "CheckEIPPass", res: []string{allocID}, notRes: []string{"eipalloc-0000spare"}}},
		{name: "missing", check: lines("kind: elastic-ip", "name: lab-eip"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				data:       i18n.M{"Type": i18n.Msg{ID: "ResEIP"}, "Name": "lab-eip", "Region": region},
				noFixAtAll: true}}, // which interface it belongs to is not known
	})
}

func TestNATGateway(t *testing.T) {
	full := lines("kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc", "subnet: demo-public-a", "eip: demo-nat-eip")
	regional := func(s *account.Snapshot) {
		n := natGW(s, natID)
		n.AvailabilityMode, n.SubnetId = ec2types.AvailabilityModeRegional, nil
		n.AutoProvisionZones, n.RouteTableId = ec2types.AutoProvisionZonesStateEnabled, sp("rtb-0natregional")
		n.NatGatewayAddresses = []ec2types.NatGatewayAddress{
			{AllocationId: sp(allocID), PublicIp: sp(natIP), AvailabilityZone: sp("us-east-1a"), AvailabilityZoneId: sp("use1-az1"),
				Status: ec2types.NatGatewayAddressStatusSucceeded},
			{AllocationId: sp("eipalloc-0b"), PublicIp: sp("203.0.113.11"), AvailabilityZone: sp("us-east-1b"), AvailabilityZoneId: sp("use1-az2"),
				Status: ec2types.NatGatewayAddressStatusSucceeded},
		}
	}
	runKindCases(t, []kindCase{
		{name: "pass", check: full,
			want: want{status: checks.Pass, msg: "CheckNATPass", res: []string{natID, subPubA, allocID},
				data: i18n.M{"ID": natID, "Subnet": subPubA, "IP": natIP}}},
		{name: "pending", check: full,
			mutate: func(s *account.Snapshot) { natGW(s, natID).State = ec2types.NatGatewayStatePending },
			want:   want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckNATPending", res: []string{natID}, noFixAtAll: true}},
		{name: "failed with its failure code and message", check: full,
			mutate: func(s *account.Snapshot) {
				n := natGW(s, natID)
				n.State, n.FailureCode = ec2types.NatGatewayStateFailed, sp("Gateway.NotAttached")
				n.FailureMessage = sp("Network " + vpcID + " has no Internet gateway attached")
			},
			want: want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckNATFailed", res: []string{natID},
				data: i18n.M{"Code": "Gateway.NotAttached", "Why": "Network " + vpcID + " has no Internet gateway attached"},
				text: []string{"Gateway.NotAttached", "has no Internet gateway attached"},
				fix:  []string{"aws ec2 delete-nat-gateway --nat-gateway-id " + natID, "create-nat-gateway --subnet-id " + subPubA}}},
		{name: "deleted", check: full,
			mutate: func(s *account.Snapshot) { natGW(s, natID).State = ec2types.NatGatewayStateDeleted },
			want: want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckNATDeleted", res: []string{natID},
				data: i18n.M{"State": "deleted"}, text: []string{"is deleted"}}},
		{name: "deleting", check: full,
			mutate: func(s *account.Snapshot) { natGW(s, natID).State = ec2types.NatGatewayStateDeleting },
			want:   want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckNATDeleted", data: i18n.M{"State": "deleting"}}},
		{name: "private connectivity where public is expected", check: full,
			mutate: func(s *account.Snapshot) { natGW(s, natID).ConnectivityType = ec2types.ConnectivityTypePrivate },
			want: want{status: checks.Fail, reason: "NGW_PRIVATE_CONNECTIVITY", msg: "CheckNATConnectivity", res: []string{natID},
				data: i18n.M{"Got": "private", "Want": "public"},
				fix:  []string{"aws ec2 delete-nat-gateway --nat-gateway-id " + natID, "--connectivity-type public"}}},
		{name: "moto leaves the connectivity type out: public", check: full,
			mutate: func(s *account.Snapshot) { natGW(s, natID).ConnectivityType = "" },
			want:   want{status: checks.Pass, msg: "CheckNATPass", res: []string{natID}}},
		{name: "no availability mode (older API, moto) is zonal", check: full + "\nmode: zonal",
			mutate: func(s *account.Snapshot) { natGW(s, natID).AvailabilityMode = "" },
			want:   want{status: checks.Pass, msg: "CheckNATPass", res: []string{natID}}},
		{name: "private NAT expected and found", check: lines("kind: nat-gateway", "name: demo-nat", "connectivity: private"),
			mutate: func(s *account.Snapshot) {
				n := natGW(s, natID)
				n.ConnectivityType, n.SubnetId = ec2types.ConnectivityTypePrivate, sp(subPrivA)
				n.NatGatewayAddresses = []ec2types.NatGatewayAddress{{PrivateIp: sp("10.0.10.9"), IsPrimary: aws.Bool(true)}}
			},
			want: want{status: checks.Pass, msg: "CheckNATPrivatePass", res: []string{natID, subPrivA}}},
		{name: "public NAT in a private subnet", check: lines("kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc"),
			mutate: func(s *account.Snapshot) { natGW(s, natID).SubnetId = sp(subPrivA) },
			want: want{status: checks.Fail, reason: "NGW_NOT_IN_PUBLIC_SUBNET", msg: "CheckNATPrivateSubnet", res: []string{natID, subPrivA},
				data:       i18n.M{"Subnet": subPrivA, "Table": rtbPriv},
				noFixAtAll: true}}, // the check names no subnet for it
		{name: "public NAT whose subnet's IGW is detached", check: full,
			mutate: func(s *account.Snapshot) { s.InternetGateways[0].Attachments = nil },
			want: want{status: checks.Fail, reason: "NGW_NOT_IN_PUBLIC_SUBNET", msg: "CheckNATPrivateSubnet", res: []string{natID, subPubA},
				data: i18n.M{"Table": rtbPub}}},
		{name: "no public IP", check: lines("kind: nat-gateway", "name: demo-nat", "subnet: demo-public-a"),
			mutate: func(s *account.Snapshot) {
				natGW(s, natID).NatGatewayAddresses = []ec2types.NatGatewayAddress{{PrivateIp: sp("10.0.0.50"), NetworkInterfaceId: sp(natENI)}}
			},
			want: want{status: checks.Fail, reason: "NGW_NO_PUBLIC_IP", msg: "CheckNATNoEIP", res: []string{natID},
				fix: []string{"aws ec2 delete-nat-gateway --nat-gateway-id " + natID, "--allocation-id"}}},
		{name: "wrong subnet", check: lines("kind: nat-gateway", "name: demo-nat", "subnet: demo-public-b"),
			want: want{status: checks.Fail, reason: "NGW_WRONG_SUBNET", msg: "CheckNATWrongSubnet", res: []string{natID, subPubA},
				data:       i18n.M{"Got": "demo-public-a", "Want": "demo-public-b", "Subnet": subPubA},
				noFixAtAll: true}}, // demo-public-b does not exist
		{name: "wrong Elastic IP", check: lines("kind: nat-gateway", "name: demo-nat", "eip: demo-other-eip"),
			mutate: func(s *account.Snapshot) {
				s.Addresses = append(s.Addresses, ec2types.Address{AllocationId: sp("eipalloc-0other"), PublicIp: sp("198.51.100.7"),
					Domain: ec2types.DomainTypeVpc, Tags: nameTag("demo-other-eip")})
			},
			want: want{status: checks.Fail, reason: "NGW_WRONG_EIP", msg: "CheckNATWrongEIP", res: []string{natID, allocID},
				notRes: []string{"eipalloc-0other"}, data: i18n.M{"IP": natIP, "Want": "demo-other-eip"}}},
		{name: "regional pass", check: lines("kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc", "mode: regional"), mutate: regional,
			want: want{status: checks.Pass, msg: "CheckNATRegionalPass", res: []string{natID},
				data: i18n.M{"AZs": "us-east-1a, us-east-1b"}, text: []string{"us-east-1a, us-east-1b"}}},
		{name: "regional without an internet gateway", check: lines("kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc"),
			mutate: func(s *account.Snapshot) { regional(s); s.InternetGateways = nil },
			want: want{status: checks.Fail, reason: "BAD_STATE_ATTACHMENT", msg: "CheckNATRegionalNoIGW", res: []string{natID},
				data: i18n.M{"VPC": vpcID},
				fix:  []string{"create-internet-gateway", `attach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id ` + vpcID}}},
		{name: "zonal where regional is expected", check: full + "\nmode: regional",
			want: want{status: checks.Fail, reason: "NGW_MODE_MISMATCH", msg: "CheckNATMode", res: []string{natID},
				data: i18n.M{"Got": "zonal", "Want": "regional"}}},
		{name: "regional where zonal is expected", check: lines("kind: nat-gateway", "name: demo-nat", "mode: zonal"), mutate: regional,
			want: want{status: checks.Fail, reason: "NGW_MODE_MISMATCH", msg: "CheckNATMode", res: []string{natID},
				data: i18n.M{"Got": "regional", "Want": "zonal"}}},
		{name: "a deleted twin does not hide the available one", check: full,
			mutate: func(s *account.Snapshot) {
				old := *natGW(s, natID)
				old.NatGatewayId, old.State = sp("nat-0000old"), ec2types.NatGatewayStateDeleted
				s.NATGateways = append([]ec2types.NatGateway{old}, s.NATGateways...)
			},
			want: want{status: checks.Pass, msg: "CheckNATPass", res: []string{natID}, notRes: []string{"nat-0000old"}}},
		{name: "only a deleted one", check: full,
			mutate: func(s *account.Snapshot) {
				old := *natGW(s, natID)
				old.NatGatewayId, old.State = sp("nat-0000old"), ec2types.NatGatewayStateDeleted
				s.NATGateways = []ec2types.NatGateway{old}
			},
			want: want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckNATDeleted", res: []string{"nat-0000old"}}},
		{name: "missing", check: full,
			mutate: func(s *account.Snapshot) {
				s.NATGateways = nil // and its address is free again
				s.Addresses[0].AssociationId, s.Addresses[0].NetworkInterfaceId = nil, nil
			},
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				data: i18n.M{"Type": i18n.Msg{ID: "ResNAT"}, "Name": "demo-nat", "Region": region},
				// the real subnet and the Elastic IP the check names, by id
				fix: []string{"aws ec2 create-nat-gateway --subnet-id " + subPubA, "--allocation-id " + allocID,
					"Value=demo-nat", "aws ec2 wait nat-gateway-available"}, noFix: []string{"<", "describe-"}}},
		{name: "a NAT in another VPC does not count", check: full,
			mutate: func(s *account.Snapshot) { natGW(s, natID).VpcId = sp("vpc-0other") },
			want:   want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound", data: i18n.M{"Name": "demo-nat"}}},
		{name: "its subnet is gone", check: full,
			mutate: func(s *account.Snapshot) { natGW(s, natID).SubnetId = sp("subnet-0gone") },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNATSubnetGone", res: []string{natID},
				data: i18n.M{"Subnet": "subnet-0gone"}}},
	})
}

func TestRoute(t *testing.T) {
	toDemoNAT := lines("kind: route", "subnet: demo-private-a", "vpc: demo-vpc", "target: nat-gateway", "target_name: demo-nat")
	addOtherNAT := func(s *account.Snapshot, id, name, subnet string) {
		n := *natGW(s, natID)
		n.NatGatewayId, n.SubnetId, n.Tags, n.NatGatewayAddresses = sp(id), sp(subnet), nameTag(name), nil
		s.NATGateways = append(s.NATGateways, n)
	}
	eigw := func(s *account.Snapshot) {
		s.EgressOnlyGateways = []ec2types.EgressOnlyInternetGateway{{EgressOnlyInternetGatewayId: sp("eigw-0demo"),
			Attachments: []ec2types.InternetGatewayAttachment{{VpcId: sp(vpcID), State: ec2types.AttachmentStatusAttached}},
			Tags:        nameTag("demo-eigw")}}
	}
	v6 := func(target string) func(*account.Snapshot) {
		return func(s *account.Snapshot) {
			eigw(s)
			r := ec2types.Route{DestinationIpv6CidrBlock: sp("::/0"), State: ec2types.RouteStateActive, Origin: ec2types.RouteOriginCreateRoute}
			if target == "eigw" {
				r.EgressOnlyInternetGatewayId = sp("eigw-0demo")
			} else {
				r.GatewayId = sp(igwID)
			}
			rtb(s, rtbPriv).Routes = append(rtb(s, rtbPriv).Routes, r)
		}
	}
	mainToNAT := func(s *account.Snapshot) { setDefault(s, rtbMain, toNAT("0.0.0.0/0", natID)) }
	runKindCases(t, []kindCase{
		{name: "nat pass", check: toDemoNAT,
			want: want{status: checks.Pass, msg: "CheckRoutePass", res: []string{subPrivA, rtbPriv, natID},
				data: i18n.M{"Target": natID, "Table": rtbPriv, "Dest": "0.0.0.0/0"}}},
		{name: "nat pass without target_name", check: lines("kind: route", "subnet: demo-private-a", "target: nat-gateway"),
			want: want{status: checks.Pass, msg: "CheckRoutePass", res: []string{subPrivA, rtbPriv, natID}}},
		{name: "missing route, fix with the real NAT id", check: toDemoNAT,
			mutate: func(s *account.Snapshot) { dropDefault(s, rtbPriv) },
			want: want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckRouteMissing", res: []string{subPrivA, rtbPriv},
				data: i18n.M{"Want": i18n.Msg{ID: "ResNAT"}, "Table": rtbPriv, "Dest": "0.0.0.0/0"}, text: []string{"NAT gateway"},
				fix: []string{"aws ec2 create-route --route-table-id " + rtbPriv + " --destination-cidr-block 0.0.0.0/0 --nat-gateway-id " + natID}}},
		{name: "missing route while the named NAT is pending: fix looks it up later", check: toDemoNAT,
			mutate: func(s *account.Snapshot) {
				dropDefault(s, rtbPriv)
				natGW(s, natID).State = ec2types.NatGatewayStatePending
			},
			want: want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckRouteMissing",
				noFixAtAll: true}}, // wait for it: a route to a pending gateway is not proven
		{name: "missing route without target_name uses the NAT gateway of its AZ", check: lines("kind: route", "subnet: demo-private-a", "target: nat-gateway"),
			mutate: func(s *account.Snapshot) { dropDefault(s, rtbPriv) },
			want: want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckRouteMissing",
				fix: []string{"--nat-gateway-id " + natID}, noFix: []string{"<"}}}, // the one available NAT gateway of its AZ
		{name: "missing route on the main table gets a table of its own",
			check: lines("kind: route", "subnet: demo-private-b", "target: nat-gateway", "target_name: demo-nat"),
			want: want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckRouteMissing", res: []string{subPrivB, rtbMain},
				fix: []string{"create-route-table --vpc-id " + vpcID, "--subnet-id " + subPrivB,
					`create-route --route-table-id "$RTB_ID" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ` + natID},
				noFix: []string{"--route-table-id " + rtbMain}}},
		{name: "blackhole", check: toDemoNAT,
			mutate: func(s *account.Snapshot) {
				r := toNAT("0.0.0.0/0", "nat-0gone")
				r.State = ec2types.RouteStateBlackhole
				setDefault(s, rtbPriv, r)
			},
			want: want{status: checks.Fail, reason: "BAD_STATE_ROUTE", msg: "CheckRouteBlackhole", res: []string{rtbPriv, "nat-0gone"},
				data: i18n.M{"Target": "nat-0gone"},
				fix:  []string{"aws ec2 replace-route --route-table-id " + rtbPriv + " --destination-cidr-block 0.0.0.0/0 --nat-gateway-id " + natID}}},
		{name: "route to a NAT that is not in the account", check: toDemoNAT,
			mutate: func(s *account.Snapshot) { setDefault(s, rtbPriv, toNAT("0.0.0.0/0", "nat-0gone")) },
			want: want{status: checks.Fail, reason: "BAD_STATE_ROUTE", msg: "CheckRouteNATGone", res: []string{rtbPriv, "nat-0gone"},
				data: i18n.M{"Target": "nat-0gone", "Table": rtbPriv},
				fix:  []string{"replace-route --route-table-id " + rtbPriv, "--nat-gateway-id " + natID}}},
		{name: "route to a deleted NAT", check: toDemoNAT,
			mutate: func(s *account.Snapshot) {
				addOtherNAT(s, "nat-0old", "demo-nat", subPubA)
				natGW(s, "nat-0old").State = ec2types.NatGatewayStateDeleted
				setDefault(s, rtbPriv, toNAT("0.0.0.0/0", "nat-0old"))
			},
			want: want{status: checks.Fail, reason: "BAD_STATE_ROUTE", msg: "CheckRouteNATGone", res: []string{rtbPriv, "nat-0old"},
				fix: []string{"--nat-gateway-id " + natID}}},
		{name: "route to a NAT with another name", check: toDemoNAT,
			mutate: func(s *account.Snapshot) {
				addOtherNAT(s, "nat-0other", "other-nat", subPubA)
				setDefault(s, rtbPriv, toNAT("0.0.0.0/0", "nat-0other"))
			},
			want: want{status: checks.Fail, reason: "WRONG_TARGET", msg: "CheckRouteWrongNAT", res: []string{rtbPriv, "nat-0other"},
				data: i18n.M{"Target": "nat-0other", "Want": "demo-nat"},
				fix:  []string{"aws ec2 replace-route --route-table-id " + rtbPriv + " --destination-cidr-block 0.0.0.0/0 --nat-gateway-id " + natID}}},
		{name: "route to the wrong kind of target", check: toDemoNAT,
			mutate: func(s *account.Snapshot) { setDefault(s, rtbPriv, toGateway("0.0.0.0/0", igwID)) },
			want: want{status: checks.Fail, reason: "WRONG_TARGET", msg: "CheckRouteWrongTarget", res: []string{rtbPriv},
				data: i18n.M{"Target": igwID, "Want": i18n.Msg{ID: "ResNAT"}},
				fix:  []string{"replace-route --route-table-id " + rtbPriv, "--nat-gateway-id " + natID}}},
		{name: "target none without a route", check: lines("kind: route", "subnet: demo-private-b", "target: none"),
			want: want{status: checks.Pass, msg: "CheckRouteNonePass", res: []string{rtbMain}, data: i18n.M{"Table": rtbMain, "Dest": "0.0.0.0/0"}}},
		{name: "target none with a route", check: lines("kind: route", "subnet: demo-private-a", "target: none"),
			want: want{status: checks.Fail, reason: "UNEXPECTED_ROUTE", msg: "CheckRouteUnexpected", res: []string{rtbPriv},
				data: i18n.M{"Target": natID},
				fix:  []string{"aws ec2 delete-route --route-table-id " + rtbPriv + " --destination-cidr-block 0.0.0.0/0"}}},
		{name: "NAT in another AZ warns", check: lines("kind: route", "subnet: demo-private-b", "target: nat-gateway", "target_name: demo-nat"),
			mutate: mainToNAT,
			want: want{status: checks.Warn, reason: "NGW_CROSS_AZ", msg: "CheckRouteNATOtherAZ", res: []string{subPrivB, rtbMain, natID},
				data: i18n.M{"AZ": "us-east-1b", "NATAZ": "us-east-1a", "NAT": natID}, text: []string{"us-east-1b", "us-east-1a"}}},
		{name: "a regional NAT serves every AZ", check: lines("kind: route", "subnet: demo-private-b", "target: nat-gateway", "target_name: demo-nat"),
			mutate: func(s *account.Snapshot) {
				mainToNAT(s)
				n := natGW(s, natID)
				n.AvailabilityMode, n.SubnetId = ec2types.AvailabilityModeRegional, nil
			},
			want: want{status: checks.Pass, msg: "CheckRoutePass", res: []string{subPrivB, rtbMain, natID}}},
		{name: "internet gateway pass", check: lines("kind: route", "subnet: demo-public-a", "target: internet-gateway"),
			want: want{status: checks.Pass, msg: "CheckRoutePass", res: []string{subPubA, rtbPub, igwID}, data: i18n.M{"Target": igwID}}},
		{name: "internet gateway detached", check: lines("kind: route", "subnet: demo-public-a", "target: internet-gateway"),
			mutate: func(s *account.Snapshot) { s.InternetGateways[0].Attachments = nil },
			want: want{status: checks.Fail, reason: "BAD_STATE_ATTACHMENT", msg: "CheckRouteIGWDetached", res: []string{rtbPub, igwID},
				data: i18n.M{"Target": igwID, "VPC": vpcID},
				fix:  []string{"aws ec2 attach-internet-gateway --internet-gateway-id " + igwID + " --vpc-id " + vpcID}}},
		{name: "::/0 to an egress-only internet gateway", check: lines("kind: route", "subnet: demo-private-a", `destination: "::/0"`, "target: egress-only-internet-gateway"),
			mutate: v6("eigw"),
			want: want{status: checks.Pass, msg: "CheckRoutePass", res: []string{subPrivA, rtbPriv, "eigw-0demo"},
				data: i18n.M{"Dest": "::/0", "Target": "eigw-0demo"}}},
		{name: "::/0 missing", check: lines("kind: route", "subnet: demo-private-a", `destination: "::/0"`, "target: egress-only-internet-gateway"),
			mutate: eigw,
			want: want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckRouteMissing", res: []string{subPrivA, rtbPriv},
				data: i18n.M{"Dest": "::/0"},
				fix: []string{"aws ec2 create-route --route-table-id " + rtbPriv +
					" --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id eigw-0demo"},
				noFix: []string{"0.0.0.0/0"}}},
		{name: "::/0 to the internet gateway where egress-only is expected",
			check:  lines("kind: route", "subnet: demo-private-a", `destination: "::/0"`, "target: egress-only-internet-gateway"),
			mutate: v6("igw"),
			want: want{status: checks.Fail, reason: "WRONG_TARGET", msg: "CheckRouteWrongTarget", res: []string{rtbPriv},
				data: i18n.M{"Target": igwID},
				fix:  []string{"replace-route --route-table-id " + rtbPriv + " --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id eigw-0demo"}}},
		{name: "no route table at all", check: lines("kind: route", "subnet: demo-private-b", "target: nat-gateway"),
			mutate: func(s *account.Snapshot) { rtb(s, rtbMain).Associations = nil },
			want:   want{status: checks.Fail, reason: "NO_ROUTE_TO_DESTINATION", msg: "CheckRouteNoTable", res: []string{subPrivB}}},
		{name: "missing subnet", check: lines("kind: route", "subnet: demo-private-c", "vpc: demo-vpc", "target: nat-gateway"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound", data: i18n.M{"Name": "demo-private-c"},
				noFixAtAll: true}},
	})
}

// A security group made in another VPC (a new terminal's empty $VPC_ID
// puts it in the default VPC) is there: "not found" would be false.
func TestGroupInAnotherVPC(t *testing.T) {
	runKindCases(t, []kindCase{
		{name: "the lab's group in another VPC", check: lines("kind: security-group-egress", "group: demo-task-sg", "vpc: demo-vpc", "port: 443"),
			mutate: func(s *account.Snapshot) {
				for i := range s.SecurityGroups {
					if *s.SecurityGroups[i].GroupId == taskSG {
						s.SecurityGroups[i].VpcId = sp("vpc-0default")
					}
				}
			},
			want: want{status: checks.Fail, reason: "IN_OTHER_VPC", msg: "CheckInOtherVPC", res: []string{taskSG, "vpc-0default", vpcID},
				data: i18n.M{"Name": "demo-task-sg"}, noFixAtAll: true}},
	})
}

// An Elastic IP the lab's NAT gateway is to use is associated by creating
// the gateway: an unassociated one points to that step (or, from a check
// of that step, to its commands), not to "the network interface the lab
// names", which there is none of.
func TestElasticIPWaitsForItsNAT(t *testing.T) {
	snap := labSnap()
	a := eipOf(snap, allocID)
	a.AssociationId, a.NetworkInterfaceId, a.NetworkInterfaceOwnerId, a.PrivateIpAddress = nil, nil, nil, nil
	snap.NATGateways = nil
	blocks := parseBlocks(t, "id: eip\nkind: elastic-ip\nname: demo-nat-eip", "id: nat\nkind: nat-gateway\nname: demo-nat\nsubnet: demo-public-a\neip: demo-nat-eip")
	for _, tc := range []struct {
		eipStep, want string
	}{{"allocate", "RepairDoStep"}, {"create-nat", "RepairDoThisStep"}} {
		blocks[0].Step, blocks[1].Step = &content.Step{ID: tc.eipStep}, &content.Step{ID: "create-nat"}
		r := checks.EvaluateLab(snap, blocks[:1], blocks)[0] // the EIP's step alone
		if r.Reason != "EIP_NOT_ASSOCIATED" || r.Message.ID != "RepairWithHint" {
			t.Fatalf("%+v", r)
		}
		if hint := r.Message.Data["Hint"].(i18n.Msg); hint.ID != tc.want {
			t.Errorf("from step %s: hint %s, want %s", tc.eipStep, hint.ID, tc.want)
		}
	}
}
