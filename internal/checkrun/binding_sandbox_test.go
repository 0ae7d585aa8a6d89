package checkrun_test

// Binding against the sandbox: the lab built the ways learners really
// build it — every step run twice, without Name tags, in another Region,
// from a CloudFormation template — judged correctly, with a binding
// report and fixes that are then run with the AWS CLI and re-checked.

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// bindLab is the NAT lab as the real labs write it: subnets with their
// CIDRs and route tables, so that its structure identifies them.
const bindLab = "---\nid: bind-demo\ntitle: Binding demo\nsummary: test\nlevel: beginner\nduration: 5\n" +
	"cost:\n  usd_per_hour: 0.05\n  region: us-east-1\nservices: [VPC]\nregion: us-east-1\n---\n\n" +
	"## Network {#network}\n\n" +
	"```check\nid: vpc\nkind: vpc\nname: demo-vpc\ncidr: 10.0.0.0/16\n```\n\n" +
	"```check\nid: igw\nkind: internet-gateway\nvpc: demo-vpc\nname: demo-igw\n```\n\n" +
	"```check\nid: public-subnet\nkind: subnet\nname: demo-public-a\nvpc: demo-vpc\ncidr: 10.0.0.0/24\naz: us-east-1a\npublic: true\nroute_table: demo-public-rt\n```\n\n" +
	"```check\nid: private-subnet\nkind: subnet\nname: demo-private-a\nvpc: demo-vpc\ncidr: 10.0.10.0/24\naz: us-east-1a\npublic: false\nroute_table: demo-private-rt\n```\n\n" +
	"## NAT {#nat}\n\n" +
	"```check\nid: eip\nkind: elastic-ip\nname: demo-nat-eip\n```\n\n" +
	"```check\nid: nat\nkind: nat-gateway\nname: demo-nat\nvpc: demo-vpc\nsubnet: demo-public-a\neip: demo-nat-eip\n```\n\n" +
	"```check\nid: private-route\nkind: route\nsubnet: demo-private-a\nvpc: demo-vpc\ntarget: nat-gateway\ntarget_name: demo-nat\n```\n\n" +
	"```check\nid: sg-egress\nkind: security-group-egress\ngroup: demo-task-sg\nvpc: demo-vpc\nport: 443\n```\n\n" +
	"```check\nid: path\nkind: egress-path\nfrom: demo-private-a\nvpc: demo-vpc\nto: internet\nvia: nat-gateway\n```\n"

func parseBindLab(t testing.TB) *content.Lab {
	t.Helper()
	p, ds := content.ParsePage("bind-demo/index.en.md", i18n.EN, []byte(bindLab))
	if len(ds) > 0 {
		t.Fatalf("test lab does not parse: %v", ds)
	}
	return &content.Lab{ID: "bind-demo", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
}

// build does the lab's steps with the SDK and returns what it made (all
// ids, by step) and what the lab uses (the ids the later steps took).
//
// With twice, each step runs twice, as a learner who pastes a block again
// does. A repeat that AWS refuses (an overlapping subnet, a second group
// of the same name, a second gateway on one VPC, a route that exists)
// leaves the first in use; a repeat that AWS accepts (a VPC, an Elastic
// IP, a NAT gateway, a route table) makes a twin, and the lab goes on
// with the newest, as the shell variables in the lab's blocks do. Without
// tags, nothing gets a Name tag (the security group keeps its group name).
func build(t testing.TB, cfg aws.Config, twice, tags bool) (made, used map[string][]string) {
	t.Helper()
	ctx := context.Background()
	c := ec2.NewFromConfig(cfg)
	made, cur := map[string][]string{}, map[string]string{}
	tg := func(rt ec2types.ResourceType, name string) []ec2types.TagSpecification {
		if !tags {
			return nil
		}
		return tag(rt, name)
	}
	runs := 1
	if twice {
		runs = 2
	}
	// step runs f runs times; f records what it creates with mk and
	// returns the first error, after which the rest of its block is not
	// run (and what it made is not used).
	step := func(name string, f func(mk func(key, id string)) error) {
		for i := range runs {
			fresh := map[string]string{}
			err := f(func(key, id string) { made[key] = append(made[key], id); fresh[key] = id })
			if err != nil && i == 0 {
				t.Fatalf("step %s: %v", name, err)
			}
			if err == nil {
				for k, v := range fresh {
					cur[k] = v
				}
			}
		}
	}
	step("vpc", func(mk func(string, string)) error {
		out, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tg(ec2types.ResourceTypeVpc, "demo-vpc")})
		if err != nil {
			return err
		}
		mk("vpc", *out.Vpc.VpcId)
		return nil
	})
	step("igw", func(mk func(string, string)) error {
		out, err := c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tg(ec2types.ResourceTypeInternetGateway, "demo-igw")})
		if err != nil {
			return err
		}
		id := *out.InternetGateway.InternetGatewayId
		mk("igw", id)
		_, err = c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &id, VpcId: aws.String(cur["vpc"])})
		return err
	})
	for _, sn := range []struct{ key, name, cidr, rtKey, rtName string }{
		{"public", "demo-public-a", "10.0.0.0/24", "public-rt", "demo-public-rt"},
		{"private", "demo-private-a", "10.0.10.0/24", "private-rt", "demo-private-rt"},
	} {
		step(sn.key, func(mk func(string, string)) error {
			out, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(cur["vpc"]), CidrBlock: aws.String(sn.cidr), AvailabilityZone: aws.String("us-east-1a"),
				TagSpecifications: tg(ec2types.ResourceTypeSubnet, sn.name)})
			if err != nil {
				return err
			}
			mk(sn.key, *out.Subnet.SubnetId)
			return nil
		})
		step(sn.rtKey, func(mk func(string, string)) error {
			out, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(cur["vpc"]), TagSpecifications: tg(ec2types.ResourceTypeRouteTable, sn.rtName)})
			if err != nil {
				return err
			}
			id := *out.RouteTable.RouteTableId
			mk(sn.rtKey, id)
			_, err = c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &id, SubnetId: aws.String(cur[sn.key])})
			return err
		})
	}
	// AWS refuses a second explicit association of a subnet; whatever the
	// sandbox did with the repeat, the lab uses the table the subnet is
	// associated with now.
	for _, k := range []struct{ rt, sn string }{{"public-rt", "public"}, {"private-rt", "private"}} {
		out := must(c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{cur[k.sn]}}}}))
		if len(out.RouteTables) != 1 {
			t.Fatalf("subnet %s has %d explicit route tables", cur[k.sn], len(out.RouteTables))
		}
		cur[k.rt] = *out.RouteTables[0].RouteTableId
	}
	step("public-route", func(func(string, string)) error {
		_, err := c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(cur["public-rt"]), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(cur["igw"])})
		return err
	})
	step("nat", func(mk func(string, string)) error {
		out, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: tg(ec2types.ResourceTypeElasticIp, "demo-nat-eip")})
		if err != nil {
			return err
		}
		mk("eip", *out.AllocationId)
		n, err := c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(cur["public"]), AllocationId: out.AllocationId, TagSpecifications: tg(ec2types.ResourceTypeNatgateway, "demo-nat")})
		if err != nil {
			return err
		}
		mk("nat", *n.NatGateway.NatGatewayId)
		return nil
	})
	step("private-route", func(func(string, string)) error {
		_, err := c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(cur["private-rt"]), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(cur["nat"])})
		return err
	})
	step("sg", func(mk func(string, string)) error {
		out, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("demo-task-sg"), Description: aws.String("tasks"), VpcId: aws.String(cur["vpc"]),
			TagSpecifications: tg(ec2types.ResourceTypeSecurityGroup, "demo-task-sg")})
		if err != nil {
			return err
		}
		mk("sg", *out.GroupId)
		return nil
	})
	used = map[string][]string{}
	for k, v := range cur {
		used[k] = []string{v}
	}
	return made, used
}

// runBound checks the lab through the guard, as vpclab check does.
func runBound(t testing.TB, cfg aws.Config, lab *content.Lab, o binding.Options, elsewhere bool) checkrun.Report {
	t.Helper()
	guarded := cfg.Copy()
	awsx.Protect(&guarded, &awsx.Meter{})
	opts := checkrun.Options{Lab: lab, Bind: o,
		Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
			return account.Load(ctx, guarded, need)
		}}
	if elsewhere {
		opts.Elsewhere = func(ctx context.Context, names []string) []binding.RegionHit {
			hits, err := binding.Elsewhere(ctx, guarded, names)
			if err != nil {
				t.Errorf("looking in other Regions: %v", err)
			}
			return hits
		}
	}
	rep, err := checkrun.Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep
}

func byCheck(rep checkrun.Report) map[string]checks.Result {
	out := map[string]checks.Result{}
	for _, r := range rep.Results {
		out[r.Check] = r
	}
	return out
}

// kindsPass asserts that every check of the lab itself passes.
func kindsPass(t *testing.T, lab *content.Lab, rep checkrun.Report) {
	t.Helper()
	res := byCheck(rep)
	en := i18n.New(i18n.EN)
	for _, b := range lab.Checks() {
		if r := res[b.ID]; !r.OK() {
			t.Errorf("check %s = %s %s: %s\nfix: %s", b.ID, r.Status, r.Reason, en.T(r.Message.ID, r.Message.Data), r.Fix)
		}
	}
}

// runFixes runs the findings' fix commands with the AWS CLI against the
// sandbox: a fix that fails there is a broken promise.
func runFixes(t *testing.T, rs []checks.Result) {
	t.Helper()
	for _, r := range rs {
		for _, line := range strings.Split(r.Fix, "\n") {
			if line == "" {
				continue
			}
			cmd := exec.Command("sh", "-c", line)
			cmd.Env = append(os.Environ(), sandboxtest.Env(t)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("fix of %s failed: %s: %v\n%s", r.Check, line, err, out)
			}
		}
	}
}

func findings(rep checkrun.Report) []checks.Result {
	var out []checks.Result
	for _, r := range rep.Results {
		if r.Kind == binding.Kind {
			out = append(out, r)
		}
	}
	return out
}

func TestBindingLabBuiltTwice(t *testing.T) {
	cfg := sandboxtest.Config(t)
	lab := parseBindLab(t)
	made, used := build(t, cfg, true, true)
	rep := runBound(t, cfg, lab, binding.Options{}, false)
	kindsPass(t, lab, rep)

	// Every name bound to what the lab uses, every twin named.
	for name, key := range map[string]string{"demo-vpc": "vpc", "demo-igw": "igw", "demo-nat": "nat", "demo-nat-eip": "eip",
		"demo-public-rt": "public-rt", "demo-private-rt": "private-rt", "demo-public-a": "public", "demo-task-sg": "sg"} {
		var b binding.Binding
		for _, x := range rep.Binding.Bindings {
			if x.Name == name {
				b = x
			}
		}
		var twins, want []string
		for _, tw := range b.Twins {
			twins = append(twins, tw.ID)
		}
		for _, id := range made[key] {
			if id != used[key][0] {
				want = append(want, id)
			}
		}
		slices.Sort(twins)
		slices.Sort(want)
		if b.ID != used[key][0] || !slices.Equal(twins, want) {
			t.Errorf("%s bound to %s (twins %v), want %s with twins %v", name, b.ID, twins, used[key][0], want)
		}
	}
	if len(made["nat"]) != 2 || len(made["vpc"]) != 2 {
		t.Fatalf("the sandbox made %v; the test expects two VPCs and two NAT gateways", made)
	}
	stale := func(key string) string {
		for _, id := range made[key] {
			if id != used[key][0] {
				return id
			}
		}
		return "?"
	}
	fs := findings(rep)
	nat := byCheck(rep)["binding:nat-gateways:demo-nat"]
	if nat.Status != checks.Fail || !strings.Contains(i18n.New(i18n.EN).T(nat.Message.ID, nat.Message.Data), stale("nat")) {
		t.Errorf("the NAT gateway twin must fail the run, naming %s: %s %v", stale("nat"), nat.Status, nat.Message.Data)
	}
	if nat.Reason != binding.Duplicate || !strings.Contains(nat.Fix, "delete-nat-gateway --nat-gateway-id "+stale("nat")) ||
		strings.Contains(nat.Fix, used["nat"][0]) || !strings.Contains(nat.Fix, "release-address --allocation-id "+stale("eip")) {
		t.Errorf("the NAT gateway twin's finding: %s %s\nfix:\n%s", nat.Status, nat.Reason, nat.Fix)
	}
	vpc := byCheck(rep)["binding:vpcs:demo-vpc"]
	if vpc.Status != checks.Fail {
		t.Errorf("the VPC twin must fail the run: %s", vpc.Status)
	}
	if vpc.Reason != binding.Duplicate || !strings.Contains(vpc.Fix, "delete-vpc --vpc-id "+stale("vpc")) {
		t.Errorf("the VPC twin's finding: %s %s\nfix:\n%s", vpc.Status, vpc.Reason, vpc.Fix)
	}

	// The promise: run every fix, and the lab still passes with no twins.
	runFixes(t, fs)
	after := runBound(t, cfg, lab, binding.Options{}, false)
	kindsPass(t, lab, after)
	for _, r := range findings(after) {
		if r.Reason == binding.Duplicate {
			t.Errorf("after the fixes, still a duplicate: %s %v", r.Check, r.Message.Data)
		}
	}
}

func TestBindingLabWithoutTags(t *testing.T) {
	cfg := sandboxtest.Config(t)
	lab := parseBindLab(t)
	made, _ := build(t, cfg, false, false)
	rep := runBound(t, cfg, lab, binding.Options{}, false)
	kindsPass(t, lab, rep)
	fs := findings(rep)
	want := map[string]string{"demo-vpc": made["vpc"][0], "demo-igw": made["igw"][0], "demo-public-a": made["public"][0],
		"demo-private-a": made["private"][0], "demo-public-rt": made["public-rt"][0], "demo-private-rt": made["private-rt"][0],
		"demo-nat": made["nat"][0], "demo-nat-eip": made["eip"][0]}
	for _, b := range rep.Binding.Bindings {
		if id, ok := want[b.Name]; ok && (b.ID != id || b.Evidence != binding.ByStructure) {
			t.Errorf("%s bound to %q by %s, want %s by structure", b.Name, b.ID, b.Evidence, id)
		}
	}
	if len(fs) != len(want) {
		t.Errorf("%d findings, want one per untagged name (%d): %v", len(fs), len(want), fs)
	}
	for _, f := range fs {
		// The step that names it is not done: the finding fails, naming
		// the untagged resource by its id, with the command that tags it.
		text := i18n.New(i18n.EN).T(f.Message.ID, f.Message.Data)
		if f.Reason != binding.Untagged || f.Status != checks.Fail || !strings.HasPrefix(f.Fix, "aws ec2 create-tags --resources ") ||
			len(f.Resources) != 1 || !strings.Contains(text, f.Resources[0]) || f.Plan == nil {
			t.Errorf("finding %s: %s %s %q: %s", f.Check, f.Status, f.Reason, f.Fix, text)
		}
	}
	// The promise: after the create-tags commands every name binds by tag.
	runFixes(t, fs)
	after := runBound(t, cfg, lab, binding.Options{}, false)
	kindsPass(t, lab, after)
	if fs := findings(after); len(fs) != 0 {
		t.Errorf("after tagging, findings remain: %v", fs)
	}
	for _, b := range after.Binding.Bindings {
		if b.Evidence != binding.ByNameTag {
			t.Errorf("after tagging, %s bound by %s", b.Name, b.Evidence)
		}
	}
}

func TestBindingLabInAnotherRegion(t *testing.T) {
	cfg := sandboxtest.Config(t)
	lab := parseBindLab(t)
	west := cfg.Copy()
	west.Region = "us-west-2"
	made := map[string][]string{}
	out, err := ec2.NewFromConfig(west).CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tag(ec2types.ResourceTypeVpc, "demo-vpc")})
	if err != nil {
		t.Fatal(err)
	}
	made["vpc"] = []string{*out.Vpc.VpcId}
	rep := runBound(t, cfg, lab, binding.Options{}, true)
	if len(rep.Results) == 0 {
		t.Fatal("no results")
	}
	first := rep.Results[0]
	if first.Reason != binding.OtherRegion || first.Status != checks.Fail || !slices.Contains(first.Resources, made["vpc"][0]) ||
		first.Fix != "vpclab check bind-demo --region us-west-2" {
		t.Fatalf("first result: %s %s %v fix %q; want the lab found in us-west-2 first", first.Status, first.Reason, first.Resources, first.Fix)
	}
	text := i18n.New(i18n.EN).T(first.Message.ID, first.Message.Data)
	if !strings.Contains(text, "us-west-2") || !strings.Contains(text, "us-east-1") {
		t.Errorf("message: %s", text)
	}
	// And checked where it is, the hint is gone.
	lab2 := runBound(t, west, lab, binding.Options{}, true)
	for _, r := range lab2.Results {
		if r.Reason == binding.OtherRegion {
			t.Errorf("checked in us-west-2, still told to look elsewhere: %v", r.Message.Data)
		}
	}
}

func TestBindingLabFromCloudFormation(t *testing.T) {
	cfg := sandboxtest.Config(t)
	lab := parseBindLab(t)
	tpl, err := os.ReadFile("testdata/bind-lab.cfn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := cloudformation.NewFromConfig(cfg).CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("demo-stack"), TemplateBody: aws.String(string(tpl))}); err != nil {
		t.Fatalf("create the stack: %v", err)
	}
	// moto 5.2.1 reports AWS::EC2::SubnetRouteTableAssociation as
	// CREATE_COMPLETE but associates nothing (DescribeRouteTables shows no
	// association): make the two associations the template declares.
	stack := must(cloudformation.NewFromConfig(cfg).ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("demo-stack")}))
	phys := map[string]string{}
	for _, r := range stack.StackResourceSummaries {
		phys[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	for rt, sn := range map[string]string{"PublicRouteTable": "PublicSubnetA", "PrivateRouteTable": "PrivateSubnetA"} {
		must(ec2.NewFromConfig(cfg).AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(phys[rt]), SubnetId: aws.String(phys[sn])}))
	}
	// A leftover VPC with the lab's CIDR, not in the stack, must not be taken.
	if _, err := ec2.NewFromConfig(cfg).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}); err != nil {
		t.Fatal(err)
	}
	guarded := cfg.Copy()
	awsx.Protect(&guarded, &awsx.Meter{})
	iac, err := binding.LoadStack(ctx, guarded, "demo-stack")
	if err != nil {
		t.Fatalf("read the stack through the read-only guard: %v", err)
	}
	rep := runBound(t, cfg, lab, binding.Options{IaC: iac}, false)
	kindsPass(t, lab, rep)
	for _, b := range rep.Binding.Bindings {
		if b.Name == "demo-task-sg" {
			continue // found by its group name
		}
		if b.ID == "" || b.Evidence != binding.ByStack || len(b.Twins) != 0 {
			t.Errorf("%s bound to %q by %s (twins %v), want one resource of the stack", b.Name, b.ID, b.Evidence, b.Twins)
		}
		if _, ok := iac.Of(b.Type, b.ID); !ok && b.Type != account.Addresses {
			t.Errorf("%s bound to %s, which the stack did not make", b.Name, b.ID)
		}
	}
	fs := findings(rep)
	if len(fs) == 0 {
		t.Error("the stack's resources have no Name tags, and no finding says so")
	}
	for _, f := range fs {
		// Built from the learner's own stack: a missing Name only warns.
		if f.Reason != binding.Untagged || f.Status != checks.Warn || !strings.HasPrefix(f.Fix, "aws ec2 create-tags") {
			t.Errorf("finding %s: %s %s %q", f.Check, f.Status, f.Reason, f.Fix)
		}
	}
	// The promise: the printed commands tag the stack's resources, and the
	// lab then binds by name with no finding left.
	runFixes(t, fs)
	after := runBound(t, cfg, lab, binding.Options{IaC: iac}, false)
	kindsPass(t, lab, after)
	if fs := findings(after); len(fs) != 0 {
		t.Errorf("after the fixes, findings remain: %v", fs)
	}
	for _, b := range after.Binding.Bindings {
		if b.Evidence != binding.ByNameTag {
			t.Errorf("after tagging, %s bound by %s", b.Name, b.Evidence)
		}
	}
	// Missing stacks are a clear error, not an empty binding.
	if _, err := binding.LoadStack(ctx, guarded, "no-such-stack"); err == nil || !strings.Contains(err.Error(), "no-such-stack") {
		t.Errorf("a missing stack: %v", err)
	}
}

// cleanupLab is bindLab with the clean-up step a lab ends with.
const cleanupLab = bindLab + "\n## Clean up {#cleanup}\n\n```check\nid: cleanup\nkind: cleanup\nvpc: demo-vpc\nprefix: demo-\n```\n"

// TestBindingCopyInAnotherRegion: the lab built here, and built again in
// another Region (a VPC of the lab's name with a subnet and a NAT gateway
// with its Elastic IP). The copy fails the run, named by Region and id,
// and the clean-up fails while it bills; the printed commands, run with
// the AWS CLI, delete the copy in its Region, and the run is clean.
func TestBindingCopyInAnotherRegion(t *testing.T) {
	cfg := sandboxtest.Config(t)
	p, ds := content.ParsePage("bind-demo/index.en.md", i18n.EN, []byte(cleanupLab))
	if len(ds) > 0 {
		t.Fatalf("test lab does not parse: %v", ds)
	}
	lab := &content.Lab{ID: "bind-demo", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
	build(t, cfg, false, true)
	ctx := context.Background()
	west := cfg.Copy()
	west.Region = "us-west-2"
	c := ec2.NewFromConfig(west)
	vpc := must(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tag(ec2types.ResourceTypeVpc, "demo-vpc")}))
	sub := must(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24"), TagSpecifications: tag(ec2types.ResourceTypeSubnet, "demo-public-a")}))
	eip := must(c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: tag(ec2types.ResourceTypeElasticIp, "demo-nat-eip")}))
	nat := must(c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sub.Subnet.SubnetId, AllocationId: eip.AllocationId,
		TagSpecifications: tag(ec2types.ResourceTypeNatgateway, "demo-nat")}))
	// An address of the lab's names allocated there and never used (a
	// second try at the NAT step): outside the VPC, it bills all the same.
	spare := must(c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: tag(ec2types.ResourceTypeElasticIp, "demo-spare-eip")}))
	// Another network there with a NAT gateway of the lab's prefix (another
	// lab's, or another try): not the copy's to list or to delete.
	other := must(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16"), TagSpecifications: tag(ec2types.ResourceTypeVpc, "demo-other-vpc")}))
	otherSub := must(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: other.Vpc.VpcId, CidrBlock: aws.String("10.9.0.0/24")}))
	otherEIP := must(c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: tag(ec2types.ResourceTypeElasticIp, "demo-other-eip")}))
	otherNAT := must(c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: otherSub.Subnet.SubnetId, AllocationId: otherEIP.AllocationId,
		TagSpecifications: tag(ec2types.ResourceTypeNatgateway, "demo-other-nat")}))

	rep := runBound(t, cfg, lab, binding.Options{}, true)
	res := byCheck(rep)
	cp := res["binding:vpcs:demo-vpc@us-west-2"]
	text := i18n.New(i18n.EN).T(cp.Message.ID, cp.Message.Data)
	if cp.Status != checks.Fail || cp.Reason != binding.Copy || !strings.Contains(text, *vpc.Vpc.VpcId) || !strings.Contains(text, *nat.NatGateway.NatGatewayId) {
		t.Fatalf("the copy's finding: %s %s: %s", cp.Status, cp.Reason, text)
	}
	for _, notHers := range []string{*otherNAT.NatGateway.NatGatewayId, *otherEIP.AllocationId} {
		if strings.Contains(cp.Fix, notHers) || strings.Contains(text, notHers) {
			t.Errorf("the copy's finding takes in %s, of another network:\n%s\n%s", notHers, text, cp.Fix)
		}
	}
	for _, want := range []string{"delete-nat-gateway --nat-gateway-id " + *nat.NatGateway.NatGatewayId, "release-address --allocation-id " + *eip.AllocationId,
		"delete-subnet --subnet-id " + *sub.Subnet.SubnetId, "delete-vpc --vpc-id " + *vpc.Vpc.VpcId, "release-address --allocation-id " + *spare.AllocationId} {
		if !strings.Contains(cp.Fix, want+" --region us-west-2") {
			t.Errorf("the copy's fix lacks %q in us-west-2:\n%s", want, cp.Fix)
		}
	}
	// The clean-up counts what the copy bills, and follows from the copy.
	var left checks.Result
	for _, r := range rep.Results {
		if r.Reason == "BILLABLE_RESOURCES_LEFT" && r.Kind == binding.Kind {
			left = r
		}
	}
	if left.Status != checks.Fail || left.Step != "cleanup" || left.RootCause != cp.Check || !slices.Contains(left.Resources, *nat.NatGateway.NatGatewayId) ||
		!slices.Contains(left.Resources, *eip.AllocationId) {
		t.Errorf("the clean-up's leftovers in us-west-2: %+v", left)
	}
	// The lab here is still judged as built.
	for _, b := range lab.Checks() {
		if b.ID != "cleanup" && !res[b.ID].OK() {
			t.Errorf("check %s = %s %s", b.ID, res[b.ID].Status, res[b.ID].Reason)
		}
	}
	runFixes(t, []checks.Result{cp})
	after := runBound(t, cfg, lab, binding.Options{}, true)
	for _, r := range after.Results {
		if r.Kind == binding.Kind {
			t.Errorf("after the fixes, still a finding: %s %s %v", r.Check, r.Reason, r.Message.Data)
		}
	}
	if as, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}); err != nil {
		t.Errorf("listing addresses: %v", err)
	} else if i := slices.IndexFunc(as.Addresses, func(a ec2types.Address) bool { return *a.AllocationId == *spare.AllocationId }); i >= 0 {
		t.Errorf("after the copy's fix, its spare Elastic IP still bills in us-west-2")
	}
	if vs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{*vpc.Vpc.VpcId}}); err == nil && len(vs.Vpcs) != 0 {
		t.Errorf("the copy is still in us-west-2")
	} else if err != nil && !strings.Contains(err.Error(), "InvalidVpcID.NotFound") {
		t.Errorf("looking for the copy: %v", err)
	}
}
