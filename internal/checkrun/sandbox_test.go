package checkrun_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// natLab is the NAT egress lab in miniature: every check kind the issue's
// failure scenarios touch, against one VPC.
const natLab = "---\nid: nat-demo\ntitle: NAT demo\nsummary: test\nlevel: beginner\nduration: 5\n" +
	"cost:\n  usd_per_hour: 0.05\n  region: us-east-1\nservices: [VPC]\nregion: us-east-1\n---\n\n" +
	"## Network {#network}\n\n" +
	"```check\nid: vpc\nkind: vpc\nname: demo-vpc\ncidr: 10.0.0.0/16\ndns_hostnames: true\n```\n\n" +
	"```check\nid: igw\nkind: internet-gateway\nvpc: demo-vpc\nname: demo-igw\n```\n\n" +
	"```check\nid: public-subnet\nkind: subnet\nname: demo-public-a\nvpc: demo-vpc\npublic: true\n```\n\n" +
	"```check\nid: private-subnet\nkind: subnet\nname: demo-private-a\nvpc: demo-vpc\npublic: false\n```\n\n" +
	"## NAT {#nat}\n\n" +
	"```check\nid: eip\nkind: elastic-ip\nname: demo-nat-eip\n```\n\n" +
	"```check\nid: nat\nkind: nat-gateway\nname: demo-nat\nvpc: demo-vpc\nsubnet: demo-public-a\neip: demo-nat-eip\n```\n\n" +
	"```check\nid: private-route\nkind: route\nsubnet: demo-private-a\nvpc: demo-vpc\ntarget: nat-gateway\ntarget_name: demo-nat\n```\n\n" +
	"```check\nid: sg-egress\nkind: security-group-egress\ngroup: demo-task-sg\nvpc: demo-vpc\nport: 443\n```\n\n" +
	"```check\nid: nacl\nkind: network-acl\nsubnet: demo-private-a\nvpc: demo-vpc\n```\n\n" +
	"```check\nid: s3-endpoint\nkind: gateway-endpoint\nvpc: demo-vpc\nsubnets: [demo-private-a]\n```\n\n" +
	"```check\nid: path-internet\nkind: egress-path\nfrom: demo-private-a\nvpc: demo-vpc\nto: internet\nvia: nat-gateway\n```\n\n" +
	"```check\nid: path-s3\nkind: egress-path\nfrom: demo-private-a\nvpc: demo-vpc\nto: s3\nvia: gateway-endpoint\n```\n\n" +
	"## Tasks {#tasks}\n\n" +
	"```check\nid: cluster\nkind: ecs-cluster\nname: demo\n```\n\n" +
	"```check\nid: task\nkind: ecs-task\ncluster: demo\nfamily: demo-app\n```\n"

func parseLab(t testing.TB) *content.Lab {
	t.Helper()
	p, ds := content.ParsePage("nat-demo/index.en.md", i18n.EN, []byte(natLab))
	if len(ds) > 0 {
		t.Fatalf("test lab does not parse: %v", ds)
	}
	return &content.Lab{ID: "nat-demo", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
}

// ids of what buildLab created.
type built struct {
	vpc, igw, public, private, publicRT, privateRT, nat, alloc, sg, endpoint string
}

func tag(rt ec2types.ResourceType, name string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

// must unwraps a set-up call; set-up failing is a broken test, not a
// finding, so it stops the test binary with the call's error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// buildLab does every step of the lab correctly with the SDK.
func buildLab(t testing.TB, cfg aws.Config) built {
	t.Helper()
	ctx := context.Background()
	c := ec2.NewFromConfig(cfg)
	var b built
	b.vpc = *must(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tag(ec2types.ResourceTypeVpc, "demo-vpc")})).Vpc.VpcId
	must(c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: &b.vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	b.igw = *must(c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tag(ec2types.ResourceTypeInternetGateway, "demo-igw")})).InternetGateway.InternetGatewayId
	must(c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &b.igw, VpcId: &b.vpc}))
	subnet := func(name, cidr string) string {
		return *must(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &b.vpc, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String("us-east-1a"),
			TagSpecifications: tag(ec2types.ResourceTypeSubnet, name)})).Subnet.SubnetId
	}
	b.public, b.private = subnet("demo-public-a", "10.0.0.0/24"), subnet("demo-private-a", "10.0.10.0/24")
	table := func(name, subnetID string) string {
		id := *must(c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &b.vpc, TagSpecifications: tag(ec2types.ResourceTypeRouteTable, name)})).RouteTable.RouteTableId
		must(c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &id, SubnetId: &subnetID}))
		return id
	}
	b.publicRT, b.privateRT = table("demo-public-rt", b.public), table("demo-private-rt", b.private)
	must(c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &b.publicRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &b.igw}))
	b.alloc = *must(c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: tag(ec2types.ResourceTypeElasticIp, "demo-nat-eip")})).AllocationId
	b.nat = *must(c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: &b.public, AllocationId: &b.alloc, TagSpecifications: tag(ec2types.ResourceTypeNatgateway, "demo-nat")})).NatGateway.NatGatewayId
	must(c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &b.privateRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: &b.nat}))
	b.sg = *must(c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("demo-task-sg"), Description: aws.String("tasks"), VpcId: &b.vpc,
		TagSpecifications: tag(ec2types.ResourceTypeSecurityGroup, "demo-task-sg")})).GroupId
	b.endpoint = *must(c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: &b.vpc, ServiceName: aws.String("com.amazonaws.us-east-1.s3"),
		VpcEndpointType: ec2types.VpcEndpointTypeGateway, RouteTableIds: []string{b.privateRT}})).VpcEndpoint.VpcEndpointId

	e := ecs.NewFromConfig(cfg)
	must(e.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("demo")}))
	must(e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("demo-app"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("public.ecr.aws/nginx/nginx"), Memory: aws.Int32(512)}}}))
	must(e.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("demo-app"), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets: []string{b.private}, SecurityGroups: []string{b.sg}, AssignPublicIp: ecstypes.AssignPublicIpDisabled}}}))
	return b
}

// guardedRun checks the lab through the read-only guard and a meter, as
// vpclab check does.
func guardedRun(t testing.TB, cfg aws.Config, lab *content.Lab) (checkrun.Report, *awsx.Meter) {
	t.Helper()
	meter := &awsx.Meter{}
	guarded := cfg.Copy()
	awsx.Protect(&guarded, meter)
	rep, err := checkrun.Run(context.Background(), checkrun.Options{Lab: lab,
		Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
			return account.Load(ctx, guarded, need)
		}})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep, meter
}

// judge checks the lab and indexes the results by check id.
func judge(t testing.TB, cfg aws.Config, lab *content.Lab) (map[string]checks.Result, *awsx.Meter) {
	t.Helper()
	rep, meter := guardedRun(t, cfg, lab)
	out := map[string]checks.Result{}
	for _, r := range rep.Results {
		out[r.Check] = r
	}
	return out, meter
}

func TestCorrectLabPasses(t *testing.T) {
	cfg := sandboxtest.Config(t)
	lab := parseLab(t)
	b := buildLab(t, cfg)
	res, meter := judge(t, cfg, lab)
	en := i18n.New(i18n.EN)
	for _, blk := range lab.Checks() {
		r, ok := res[blk.ID]
		if !ok {
			t.Errorf("check %s has no result", blk.ID)
			continue
		}
		if r.Status != checks.Pass {
			t.Errorf("check %s = %s %s: %s\nfix: %s", blk.ID, r.Status, r.Reason, en.T(r.Message.ID, r.Message.Data), r.Fix)
		}
	}
	if r := res["nat"]; !contains(r.Resources, b.nat) {
		t.Errorf("nat check resources %v do not name %s", r.Resources, b.nat)
	}
	// Each resource type is read once per run, and only read actions are used.
	for action, n := range meter.Calls() {
		if !awsx.Allowed(action) {
			t.Errorf("called %s, which is not on the read-only allowlist", action)
		}
		// DescribeVpcAttribute is per VPC and attribute; ListTasks once per
		// cluster for running and once for stopped tasks (their reasons).
		// Every network interface is read once more for the Elastic IP's
		// repair plan (the first read is the tasks' only), with its identity call.
		if limit := map[string]int{"ec2:DescribeVpcAttribute": 2, "ecs:ListTasks": 2, "ec2:DescribeNetworkInterfaces": 2, "sts:GetCallerIdentity": 2}[action]; n > max(limit, 1) {
			t.Errorf("%s called %d times in one run, want once", action, n)
		}
	}
	// The least-privilege policy covers every call the run made.
	policy := map[string]bool{}
	for _, a := range checks.Actions(lab.Checks()) {
		policy[a] = true
	}
	for action := range meter.Calls() {
		if !policy[action] {
			t.Errorf("the run called %s, but the derived policy does not grant it", action)
		}
	}
}

// Each way the issue names of breaking the lab makes the right check fail
// with the right reason, naming the real ids and giving a fix.
func TestBrokenLabFailsRight(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		breakIt func(t *testing.T, c *ec2.Client, b built)
		check   string
		reason  string
		ids     func(b built) []string // must appear in message, resources or fix
		fix     string                 // must appear in the fix
	}{
		{"no default route on the private subnets",
			func(t *testing.T, c *ec2.Client, b built) {
				must(c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &b.privateRT, DestinationCidrBlock: aws.String("0.0.0.0/0")}))
			},
			"private-route", "NO_ROUTE_TO_DESTINATION", func(b built) []string { return []string{b.privateRT, b.nat} }, "aws ec2 create-route"},
		{"default route to a NAT gateway that was deleted",
			func(t *testing.T, c *ec2.Client, b built) {
				must(c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &b.nat}))
			},
			// The root cause is the NAT check: its fix recreates the gateway
			// and moves the route to it.
			"private-route", "BAD_STATE_ROUTE", func(b built) []string { return []string{b.privateRT, b.nat} }, "aws ec2 replace-route"},
		// moto accepts a route to a NAT id that never existed and stores it
		// without a target; AWS would refuse it. Either way it goes nowhere.
		{"default route to a NAT gateway that never existed",
			func(t *testing.T, c *ec2.Client, b built) {
				must(c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &b.privateRT, DestinationCidrBlock: aws.String("0.0.0.0/0")}))
				must(c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &b.privateRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String("nat-0123456789abcdef0")}))
			},
			"private-route", "BAD_STATE_ROUTE", func(b built) []string { return []string{b.privateRT} }, "aws ec2 replace-route"},
		{"internet gateway detached",
			func(t *testing.T, c *ec2.Client, b built) {
				must(c.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &b.igw, VpcId: &b.vpc}))
			},
			"igw", "BAD_STATE_ATTACHMENT", func(b built) []string { return []string{b.igw, b.vpc} }, "aws ec2 attach-internet-gateway"},
		{"NAT gateway in a subnet without an internet gateway route",
			func(t *testing.T, c *ec2.Client, b built) {
				must(c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &b.publicRT, DestinationCidrBlock: aws.String("0.0.0.0/0")}))
			},
			// Its subnet's route back, not a new NAT gateway.
			"nat", "NGW_NOT_IN_PUBLIC_SUBNET", func(b built) []string { return []string{b.nat, b.public} }, "aws ec2 create-route --route-table-id"},
		{"security group egress revoked",
			func(t *testing.T, c *ec2.Client, b built) {
				must(c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: &b.sg,
					IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}))
			},
			"sg-egress", "SG_HAS_NO_RULES", func(b built) []string { return []string{b.sg} }, "aws ec2 authorize-security-group-egress"},
		{"network ACL drops the return ports",
			func(t *testing.T, c *ec2.Client, b built) {
				acl := *must(c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: &b.vpc})).NetworkAcl.NetworkAclId
				entry := func(egress bool, from, to int32) {
					must(c.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: &acl, Egress: aws.Bool(egress), RuleNumber: aws.Int32(100),
						Protocol: aws.String("6"), PortRange: &ec2types.PortRange{From: aws.Int32(from), To: aws.Int32(to)}, CidrBlock: aws.String("0.0.0.0/0"), RuleAction: ec2types.RuleActionAllow}))
				}
				entry(true, 0, 65535) // out: everything
				entry(false, 22, 22)  // in: only SSH, so replies on 1024-65535 are dropped
				assoc := privateACLAssociation(t, c, b)
				must(c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: &assoc, NetworkAclId: &acl}))
			},
			"nacl", "SUBNET_ACL_RESTRICTION", func(b built) []string { return []string{b.private} }, "aws ec2 create-network-acl-entry"},
	}
	en := i18n.New(i18n.EN)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := sandboxtest.Config(t)
			lab := parseLab(t)
			b := buildLab(t, cfg)
			tt.breakIt(t, ec2.NewFromConfig(cfg), b)
			res, _ := judge(t, cfg, lab)
			r := res[tt.check]
			msg := en.T(r.Message.ID, r.Message.Data)
			if r.Status != checks.Fail || r.Reason != tt.reason {
				t.Fatalf("check %s = %s %s (%s), want fail %s", tt.check, r.Status, r.Reason, msg, tt.reason)
			}
			fix := r.Fix
			if r.RootCause != "" {
				// One cause, one fix: the root cause's result carries it.
				fix = res[r.RootCause].Fix
				if r.Fix != "" {
					t.Errorf("check %s follows %s but has a fix of its own:\n%s", tt.check, r.RootCause, r.Fix)
				}
			}
			if strings.Contains(fix, "<") {
				t.Errorf("fix has a placeholder:\n%s", fix)
			}
			all := msg + " " + strings.Join(r.Resources, " ") + " " + fix
			for _, id := range tt.ids(b) {
				if !strings.Contains(all, id) {
					t.Errorf("result does not name %s:\nmessage: %s\nresources: %v\nfix: %s", id, msg, r.Resources, r.Fix)
				}
			}
			if !strings.Contains(fix, tt.fix) {
				t.Errorf("fix %q does not contain %q", fix, tt.fix)
			}
		})
	}
}

func privateACLAssociation(t *testing.T, c *ec2.Client, b built) string {
	t.Helper()
	out := must(c.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{}))
	for _, a := range out.NetworkAcls {
		for _, as := range a.Associations {
			if aws.ToString(as.SubnetId) == b.private {
				return aws.ToString(as.NetworkAclAssociationId)
			}
		}
	}
	t.Fatal("no network ACL association for the private subnet")
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
