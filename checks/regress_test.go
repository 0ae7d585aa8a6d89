package checks_test

import (
	"strings"
	"testing"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/i18n"
)

// Fix commands found wrong in review: each must leave the account right
// without changing what it should not.
func TestFixRegressions(t *testing.T) {
	detachIGW := func(s *account.Snapshot) { s.InternetGateways[0].Attachments = nil }
	runKindCases(t, []kindCase{
		{name: "a public subnet on the main table is fixed with its own table, not the main one",
			check:  lines("kind: subnet", "name: demo-private-b", "public: true"),
			mutate: func(s *account.Snapshot) { setDefault(s, rtbMain, toNAT("0.0.0.0/0", natID)) },
			want: want{status: checks.Fail, reason: "ROUTE_NOT_TO_IGW", msg: "CheckSubnetRouteElsewhere",
				fix:   []string{"aws ec2 create-route-table --vpc-id " + vpcID, "--subnet-id " + subPrivB},
				noFix: []string{"replace-route --route-table-id " + rtbMain}}},
		{name: "a private subnet on a public main table gets its own table, the main one is left alone",
			check:  lines("kind: subnet", "name: demo-private-b", "public: false"),
			mutate: func(s *account.Snapshot) { setDefault(s, rtbMain, toGateway("0.0.0.0/0", igwID)) },
			want: want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckSubnetIsPublic",
				fix:   []string{"aws ec2 create-route-table --vpc-id " + vpcID, "--subnet-id " + subPrivB},
				noFix: []string{"delete-route"}}},
		{name: "a detached gateway the route names is reattached, not duplicated, and the route is kept",
			check: lines("kind: subnet", "name: demo-public-a", "public: true"), mutate: detachIGW,
			want: want{status: checks.Fail, reason: "BAD_STATE_ATTACHMENT", msg: "CheckSubnetNoIGW",
				fix:   []string{"attach-internet-gateway --internet-gateway-id " + igwID + " --vpc-id " + vpcID},
				noFix: []string{"create-internet-gateway", "create-route"}}},
		{name: "deleting an IPv6 route uses the IPv6 flag",
			check: lines("kind: route", "subnet: demo-private-a", "destination: \"::/0\"", "target: none"),
			mutate: func(s *account.Snapshot) {
				r := ec2types.Route{DestinationIpv6CidrBlock: sp("::/0"), EgressOnlyInternetGatewayId: sp("eigw-1"), State: ec2types.RouteStateActive}
				rt := rtb(s, rtbPriv)
				rt.Routes = append(rt.Routes, r)
			},
			want: want{status: checks.Fail, reason: "UNEXPECTED_ROUTE", msg: "CheckRouteUnexpected", fix: []string{"--destination-ipv6-cidr-block ::/0"}, noFix: []string{"--destination-cidr-block"}}},
		{name: "a route to a detached gateway, with another attached, is pointed at the attached one",
			check: lines("kind: route", "subnet: demo-public-a", "target: internet-gateway"),
			mutate: func(s *account.Snapshot) {
				s.InternetGateways = append(s.InternetGateways, ec2types.InternetGateway{InternetGatewayId: sp("igw-0old")})
				setDefault(s, rtbPub, toGateway("0.0.0.0/0", "igw-0old"))
			},
			want: want{status: checks.Fail, reason: "BAD_STATE_ATTACHMENT", msg: "CheckRouteIGWDetached", fix: []string{"replace-route --route-table-id " + rtbPub, "--gateway-id " + igwID},
				noFix: []string{"attach-internet-gateway"}}},
		{name: "a regional NAT gateway for a VPC whose subnets are gone is explained, not fixed (its proof crashed)",
			check: lines("kind: nat-gateway", "name: demo-regional-nat", "vpc: demo-vpc", "mode: regional"),
			mutate: func(s *account.Snapshot) {
				s.Subnets, s.NATGateways, s.Tasks = nil, nil, nil
			},
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "RepairUnproven", text: []string{"has no subnets"}, noFixAtAll: true}},
		{name: "a missing subnet's fix carries the CIDR and AZ the check names",
			check: lines("kind: subnet", "name: nope", "vpc: demo-vpc", "cidr: 10.0.99.0/24", "az: us-east-1c", "public: false"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				fix: []string{"--vpc-id " + vpcID, "--cidr-block 10.0.99.0/24 --availability-zone us-east-1c"}, noFix: []string{"<CIDR>"}}},
		// A lab names zones of its own Region; in another, the learner
		// picks the zone of the same letter, and a fix may only name a
		// zone the account shows (the sandbox accepts any zone name).
		{name: "a lab's zone of another Region is the zone of the same letter here",
			check: lines("kind: subnet", "name: demo-public-a", "vpc: demo-vpc", "az: ap-northeast-1a", "public: true"),
			want:  want{status: checks.Pass, msg: "CheckSubnetPublicPass"}},
		{name: "a lab's zone of another Region, with the subnet elsewhere, fails naming the zone here",
			check: lines("kind: subnet", "name: demo-public-a", "vpc: demo-vpc", "az: ap-northeast-1c"),
			want:  want{status: checks.Fail, reason: "AZ_MISMATCH", msg: "CheckSubnetAZ", data: i18n.M{"Want": "us-east-1c", "Got": "us-east-1a"}}},
		{name: "a missing subnet's fix names the zone of the same letter in this Region",
			check: lines("kind: subnet", "name: nope", "vpc: demo-vpc", "cidr: 10.0.99.0/24", "az: ap-northeast-1a", "public: false"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				fix: []string{"--cidr-block 10.0.99.0/24 --availability-zone us-east-1a"}, noFix: []string{"ap-northeast-1a"}}},
		{name: "a missing subnet in a zone the account does not show is explained, not fixed",
			check: lines("kind: subnet", "name: nope", "vpc: demo-vpc", "cidr: 10.0.99.0/24", "az: ap-northeast-1f", "public: false"),
			want:  want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound", noFixAtAll: true}},
		// The learner forgot to associate the lab's own table: the fix is
		// the association, not a new table the lab's clean-up never deletes.
		{name: "a route check naming the lab's table fixes a forgotten association by associating it",
			check:  lines("kind: route", "subnet: demo-private-a", "vpc: demo-vpc", "route_table: demo-private-rt", "target: nat-gateway"),
			mutate: func(s *account.Snapshot) { rtb(s, rtbPriv).Associations = nil },
			want: want{status: checks.Fail, reason: "WRONG_ROUTE_TABLE", msg: "CheckSubnetRouteTable",
				data: i18n.M{"Got": rtbMain, "Main": true}, // the main table by its id, said to be the main one
				fix:  []string{"aws ec2 associate-route-table --route-table-id " + rtbPriv + " --subnet-id " + subPrivA}, noFix: []string{"create-route-table"}}},
		{name: "a forgotten association to a table that also lacks the route: associate it and add the route, in one fix",
			check: lines("kind: route", "subnet: demo-private-a", "vpc: demo-vpc", "route_table: demo-private-rt", "target: nat-gateway"),
			mutate: func(s *account.Snapshot) {
				rtb(s, rtbPriv).Associations = nil
				rtb(s, rtbPriv).Routes = nil
			},
			want: want{status: checks.Fail, reason: "WRONG_ROUTE_TABLE", msg: "CheckSubnetRouteTable",
				fix: []string{"associate-route-table --route-table-id " + rtbPriv + " --subnet-id " + subPrivA, "create-route --route-table-id " + rtbPriv, "--nat-gateway-id " + natID}}},
		{name: "a route check naming the lab's table passes on it",
			check: lines("kind: route", "subnet: demo-private-a", "vpc: demo-vpc", "route_table: demo-private-rt", "target: nat-gateway"),
			want:  want{status: checks.Pass, msg: "CheckRoutePass"}},
		// The learner gave the endpoint the tasks' group: the fix moves the
		// endpoint to the lab's group, and does not open the tasks' group.
		{name: "an endpoint with the tasks' group is moved to the lab's endpoint group",
			check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "subnets: [demo-private-a]",
				"from: demo-task-sg", "security_group: demo-vpce-sg"),
			mutate: func(s *account.Snapshot) {
				endpointOf(s, ecrEP).Groups = []ec2types.SecurityGroupIdentifier{{GroupId: sp(taskSG)}}
			},
			want: want{status: checks.Fail, reason: "VPCE_WRONG_SG", msg: "CheckEndpointWrongSG",
				fix:   []string{"aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + ecrEP + " --add-security-group-ids " + vpceSG + " --remove-security-group-ids " + taskSG},
				noFix: []string{"authorize-security-group-ingress"}}},
		{name: "an endpoint with the lab's endpoint group passes",
			check: lines("kind: interface-endpoint", "vpc: demo-vpc", "service: ecr.api", "subnets: [demo-private-a]",
				"from: demo-task-sg", "security_group: demo-vpce-sg"),
			want: want{status: checks.Pass, msg: "CheckInterfaceEndpointPass"}},
		{name: "an Elastic IP left by a deleted NAT gateway is a leftover",
			check: lines("kind: cleanup", "vpc: demo-vpc"),
			mutate: func(s *account.Snapshot) {
				natGW(s, natID).State = ec2types.NatGatewayStateDeleted
				s.Tasks = nil
				s.VPCEndpoints = nil
				eipOf(s, allocID).Tags = nameTag("lab-eip") // not under the prefix: found through its NAT gateway
			},
			want: want{status: checks.Fail, reason: "BILLABLE_RESOURCES_LEFT", msg: "CheckCleanupLeft", res: []string{allocID}, notRes: []string{natID},
				fix: []string{"aws ec2 release-address --allocation-id " + allocID}, noFix: []string{"after its NAT gateway is deleted"}}},
		// Hand-built: moto keeps a deleted NAT gateway's address associated
		// and lists deleted endpoints; these are the states the sandbox showed.
		{name: "a subnet that lost its Name tag is tagged again, not created over its own CIDR",
			check:  lines("kind: subnet", "name: demo-private-b", "vpc: demo-vpc", "cidr: 10.0.11.0/24", "public: false"),
			mutate: func(s *account.Snapshot) { subnetOf(s, subPrivB).Tags = nil },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				fix: []string{"aws ec2 create-tags --resources " + subPrivB + " --tags Key=Name,Value=demo-private-b"}, noFix: []string{"create-subnet"}}},
		{name: "a NAT gateway that lost its Name tag is tagged again, not created twice",
			check:  lines("kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc", "subnet: demo-public-a", "eip: demo-nat-eip"),
			mutate: func(s *account.Snapshot) { natGW(s, natID).Tags = nil },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound",
				fix: []string{"aws ec2 create-tags --resources " + natID + " --tags Key=Name,Value=demo-nat"}, noFix: []string{"create-nat-gateway"}}},
		{name: "a NAT gateway without its Elastic IP is replaced, taking the address a gone interface still holds",
			check: lines("kind: nat-gateway", "name: demo-nat", "vpc: demo-vpc", "subnet: demo-public-a", "eip: demo-nat-eip"),
			mutate: func(s *account.Snapshot) {
				natGW(s, natID).NatGatewayAddresses = nil
				eniOf(s, natENI).NetworkInterfaceId = sp("eni-0other") // the address's interface is gone
			},
			want: want{status: checks.Fail, reason: "NGW_NO_PUBLIC_IP", msg: "CheckNATNoEIP",
				fix: []string{"delete-nat-gateway --nat-gateway-id " + natID, "disassociate-address --association-id " + assocID,
					"create-nat-gateway --subnet-id " + subPubA + " --allocation-id " + allocID, "replace-route --route-table-id " + rtbPriv}}},
		{name: "a deleted gateway endpoint is created again with its Name tag",
			check:  lines("kind: gateway-endpoint", "vpc: demo-vpc", "subnets: [demo-private-a]"),
			mutate: func(s *account.Snapshot) { endpointOf(s, s3EP).State = "deleted" },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckGatewayEndpointMissing",
				fix: []string{"aws ec2 create-vpc-endpoint --vpc-id " + vpcID + " --vpc-endpoint-type Gateway", "--route-table-ids " + rtbPriv, "Value=demo-s3"}}},
	})
}

// TestForgottenAssociationWithGatewayEndpoint: a private subnet left on
// the main table loses its S3 endpoint route. The lab has a table of its
// own for the subnet, so the fix associates it; routing the main table to
// the endpoint (the lab keeps the main table clear) is never offered.
func TestForgottenAssociationWithGatewayEndpoint(t *testing.T) {
	snap := labSnap()
	rtb(snap, rtbPriv).Associations = nil
	rs := checks.Evaluate(snap, parseBlocks(t,
		"id: path\nkind: egress-path\nfrom: demo-private-a\nvpc: demo-vpc\nto: s3\nvia: gateway-endpoint",
		"id: route\nkind: route\nsubnet: demo-private-a\nvpc: demo-vpc\nroute_table: demo-private-rt\ntarget: nat-gateway"))
	associate := false
	for _, r := range rs {
		if r.Status == checks.Pass {
			t.Errorf("%s passes on the main table: %s", r.Check, en.T(r.Message.ID, r.Message.Data))
		}
		f := r.Fix
		if strings.Contains(f, "--add-route-table-ids "+rtbMain) {
			t.Errorf("%s routes the main table to the endpoint: %s", r.Check, f)
		}
		associate = associate || strings.Contains(f, "associate-route-table --route-table-id "+rtbPriv+" --subnet-id "+subPrivA)
	}
	if !associate {
		t.Errorf("no fix associates the lab's table: %+v", rs)
	}
	assertProven(t, snap, rs)
}

// TestPathInWords: a path's destination is a word in the reader's
// language, not the analyser's id ("→ internet").
func TestPathInWords(t *testing.T) {
	rs := checks.Evaluate(labSnap(), parseBlocks(t, "id: p\nkind: egress-path\nfrom: demo-private-a\nvpc: demo-vpc\nto: internet\nvia: nat-gateway"))
	if len(rs) != 1 || rs[0].Status != checks.Pass {
		t.Fatalf("results %+v", rs)
	}
	ja := i18n.New(i18n.JA).T(rs[0].Message.ID, rs[0].Message.Data)
	if !strings.Contains(ja, "→ インターネット") || strings.Contains(ja, "→ internet") {
		t.Errorf("Japanese: %s", ja)
	}
	if en := en.T(rs[0].Message.ID, rs[0].Message.Data); !strings.Contains(en, natID+" → ") {
		t.Errorf("English lost the hops: %s", en)
	}
}

// TestPrivateRouteToIGWOneFix: a private subnet whose default route goes
// to the internet gateway, in a lab that routes it through the NAT
// gateway: both checks print the same fix, pointing the route at the NAT
// gateway; deleting it (which fixes one and breaks the other) is not the
// first plan.
func TestPrivateRouteToIGWOneFix(t *testing.T) {
	snap := labSnap()
	setDefault(snap, rtbPriv, toGateway("0.0.0.0/0", igwID))
	rs := checks.Evaluate(snap, parseBlocks(t,
		"id: private\nkind: subnet\nname: demo-private-a\nvpc: demo-vpc\npublic: false",
		"id: nat-route\nkind: route\nsubnet: demo-private-a\nvpc: demo-vpc\ntarget: nat-gateway"))
	want := "aws ec2 replace-route --route-table-id " + rtbPriv + " --destination-cidr-block 0.0.0.0/0 --nat-gateway-id " + natID
	for _, r := range rs {
		// A check that follows from the other prints no fix of its own.
		if r.Status != checks.Fail || r.RootCause == "" && !strings.HasPrefix(r.Fix, want) || strings.Contains(r.Fix, "delete-route") {
			t.Errorf("%s: %s (cause %q), fix %q; want it to start with %q", r.Check, r.Status, r.RootCause, r.Fix, want)
		}
	}
	if len(rs) != 2 || rs[0].Fix == "" {
		t.Errorf("no fix printed: %+v", rs)
	}
	assertProven(t, snap, rs)
}

// TestSharedTableNotPointedAtNAT: a private subnet put on the public
// table by mistake is not fixed by pointing that table at the NAT gateway,
// which would cut the public subnet (and the NAT gateway) off.
func TestSharedTableNotPointedAtNAT(t *testing.T) {
	snap := labSnap()
	rtb(snap, rtbPriv).Associations = nil
	pub := rtb(snap, rtbPub)
	pub.Associations = append(pub.Associations, explicitAssoc(rtbPub, subPrivA))
	rs := checks.Evaluate(snap, parseBlocks(t,
		"id: private\nkind: subnet\nname: demo-private-a\nvpc: demo-vpc\npublic: false",
		"id: nat-route\nkind: route\nsubnet: demo-private-a\nvpc: demo-vpc\ntarget: nat-gateway"))
	// (The route check's own plans may use a shared table only when the
	// proof shows its other subnets keep passing: the lab's checks of them.)
	for _, r := range rs {
		if r.Check == "private" && strings.Contains(r.Fix, "--route-table-id "+rtbPub+" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id") {
			t.Errorf("%s points the shared public table at the NAT gateway: %s", r.Check, r.Fix)
		}
	}
	if len(rs) == 0 || rs[0].Status != checks.Fail {
		t.Fatalf("results %+v", rs)
	}
	assertProven(t, snap, rs)
}
