package netmap_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/internal/cli"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func TestMain(m *testing.M) { sandboxtest.Main(m) }

const labRegion = "ap-northeast-1"

// natNet is what nat-private-egress builds, made with the SDK in the
// sandbox (moto): its ids, for breaking and repairing it.
type natNet struct {
	c                   *ec2.Client
	privARt, nat, privA string
}

func buildNatLab(t *testing.T) natNet {
	t.Helper()
	cfg := sandboxtest.Config(t)
	cfg.Region = labRegion
	ctx := context.Background()
	c := ec2.NewFromConfig(cfg)
	tag := func(rt ec2types.ResourceType, name string) []ec2types.TagSpecification {
		return []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tag(ec2types.ResourceTypeVpc, "vpclab-nat-vpc")})
	must(err)
	vpcID := vpc.Vpc.VpcId
	for _, attr := range []*ec2.ModifyVpcAttributeInput{
		{VpcId: vpcID, EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}},
		{VpcId: vpcID, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}},
	} {
		_, err := c.ModifyVpcAttribute(ctx, attr)
		must(err)
	}
	igw, err := c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tag(ec2types.ResourceTypeInternetGateway, "vpclab-nat-igw")})
	must(err)
	_, err = c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{VpcId: vpcID, InternetGatewayId: igw.InternetGateway.InternetGatewayId})
	must(err)
	subnet := func(name, cidr, az string) *string {
		out, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpcID, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az),
			TagSpecifications: tag(ec2types.ResourceTypeSubnet, name)})
		must(err)
		return out.Subnet.SubnetId
	}
	pubA := subnet("vpclab-nat-public-a", "10.0.1.0/24", "ap-northeast-1a")
	pubC := subnet("vpclab-nat-public-c", "10.0.2.0/24", "ap-northeast-1c")
	privA := subnet("vpclab-nat-private-a", "10.0.11.0/24", "ap-northeast-1a")
	privC := subnet("vpclab-nat-private-c", "10.0.12.0/24", "ap-northeast-1c")
	table := func(name string, subnets ...*string) *string {
		out, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpcID, TagSpecifications: tag(ec2types.ResourceTypeRouteTable, name)})
		must(err)
		for _, s := range subnets {
			_, err := c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: out.RouteTable.RouteTableId, SubnetId: s})
			must(err)
		}
		return out.RouteTable.RouteTableId
	}
	pubRT := table("vpclab-nat-public-rt", pubA, pubC)
	_, err = c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: pubRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: igw.InternetGateway.InternetGatewayId})
	must(err)
	eip, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: tag(ec2types.ResourceTypeElasticIp, "vpclab-nat-eip-a")})
	must(err)
	nat, err := c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: pubA, AllocationId: eip.AllocationId,
		TagSpecifications: tag(ec2types.ResourceTypeNatgateway, "vpclab-nat-a")})
	must(err)
	privARt := table("vpclab-nat-private-a-rt", privA)
	privCRt := table("vpclab-nat-private-c-rt", privC)
	for _, rt := range []*string{privARt, privCRt} {
		_, err := c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: nat.NatGateway.NatGatewayId})
		must(err)
	}
	return natNet{c: c, privARt: *privARt, nat: *nat.NatGateway.NatGatewayId, privA: *privA}
}

// checkDiagram runs `vpclab check nat-private-egress --diagram FILE` as a
// learner types it and returns the file.
func checkDiagram(t *testing.T, file, lang string) string {
	t.Helper()
	return checkLabDiagram(t, "nat-private-egress", file, lang)
}

func checkLabDiagram(t *testing.T, lab, file, lang string) string {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run([]string{"check", lab, "--region", labRegion, "--record=false", "--lang", lang, "--diagram", file},
		&cli.Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	if code != 0 && code != 1 {
		t.Fatalf("vpclab check exited %d:\n%s\n%s", code, out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), file) {
		t.Errorf("vpclab check does not say where the diagram is:\n%s", errb.String())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var stopsAttr = regexp.MustCompile(`data-stops="(\d+)"`)

func stops(t *testing.T, page string) string {
	t.Helper()
	m := stopsAttr.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page has no data-stops")
	}
	return m[1]
}

// TestSandboxBrokenRoute builds the lab's network in moto with the SDK,
// writes the diagram with vpclab check --diagram, deletes private-a's
// default route, writes it again, and puts the route back.
func TestSandboxBrokenRoute(t *testing.T) {
	net := buildNatLab(t)
	dir := t.TempDir()
	ok := checkDiagram(t, filepath.Join(dir, "repaired.html"), "en")
	if got := stops(t, ok); got != "0" {
		t.Errorf("the built lab shows %s stopping paths", got)
	}
	if !strings.Contains(ok, "vpclab-nat-private-a-rt") || !strings.Contains(ok, "Elastic IP ") {
		t.Error("the diagram lacks the route table or the NAT gateway's Elastic IP")
	}

	ctx := context.Background()
	if _, err := net.c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &net.privARt, DestinationCidrBlock: aws.String("0.0.0.0/0")}); err != nil {
		t.Fatal(err)
	}
	bad := checkDiagram(t, filepath.Join(dir, "broken.html"), "ja")
	if got := stops(t, bad); got == "0" {
		t.Fatal("a deleted route stops no path")
	}
	// The route table is the broken node, with the reason and the proven fix.
	want := "class n_" + strings.ReplaceAll(net.privARt, "-", "_") + " vpcBroken"
	if !strings.Contains(bad, want) {
		t.Errorf("the page lacks %q", want)
	}
	for _, s := range []string{"NO_ROUTE_TO_DESTINATION", "create-route", net.nat, "経路はここで止まります", "ルートテーブル"} {
		if !strings.Contains(bad, s) {
			t.Errorf("the broken page lacks %q", s)
		}
	}
	if _, err := net.c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &net.privARt, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: &net.nat}); err != nil {
		t.Fatal(err)
	}
	if got := stops(t, checkDiagram(t, filepath.Join(dir, "again.html"), "en")); got != "0" {
		t.Errorf("after the repair %s paths still stop", got)
	}
}

func deleteDefault(rt string) *ec2.DeleteRouteInput {
	return &ec2.DeleteRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("0.0.0.0/0")}
}

// TestEveryLabOnAnEmptyAccount: before the first step, every lab's diagram
// says that no VPC of the lab is there (moto's default VPC is not the
// lab's).
func TestEveryLabOnAnEmptyAccount(t *testing.T) {
	sandboxtest.Config(t) // a fresh sandbox
	dir := t.TempDir()
	for _, l := range []string{"first-vpc", "igw-eip-basics", "nat-private-egress", "nat-vs-endpoints", "one-way-egress"} {
		lang, want := "en", "No VPC of this lab was found"
		if l == "first-vpc" {
			lang, want = "ja", "このラボの VPC が"
		}
		if page := checkLabDiagram(t, l, filepath.Join(dir, l+".html"), lang); !strings.Contains(page, want) {
			t.Errorf("%s: the empty diagram does not say that the lab's VPC is missing", l)
		}
	}
}
