package classroom

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/roster"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func TestMain(m *testing.M) { sandboxtest.Main(m) }

// The class lab in miniature: a VPC with a public and a private subnet, a
// NAT gateway, the private route to it, and the cleanup check. Four steps
// with checks.
const (
	labFront = "---\nid: class-demo\ntitle: %q\nsummary: test\nlevel: beginner\nduration: 5\n" +
		"cost:\n  usd_per_hour: 0.05\n  region: us-east-1\nservices: [VPC]\nregion: us-east-1\n---\n\n"
	labBody = "## %s {#network}\n\n" +
		"```check\nid: vpc\nkind: vpc\nname: vpclab-demo-vpc\ncidr: 10.0.0.0/16\n```\n\n" +
		"```check\nid: igw\nkind: internet-gateway\nvpc: vpclab-demo-vpc\nname: vpclab-demo-igw\n```\n\n" +
		"```check\nid: public-subnet\nkind: subnet\nname: vpclab-demo-public-a\nvpc: vpclab-demo-vpc\npublic: true\n```\n\n" +
		"```check\nid: private-subnet\nkind: subnet\nname: vpclab-demo-private-a\nvpc: vpclab-demo-vpc\npublic: false\n```\n\n" +
		"## %s {#create-nat}\n\n" +
		"```check\nid: nat\nkind: nat-gateway\nname: vpclab-demo-nat\nvpc: vpclab-demo-vpc\nsubnet: vpclab-demo-public-a\n```\n\n" +
		"## %s {#route-private}\n\n" +
		"```check\nid: private-route\nkind: route\nsubnet: vpclab-demo-private-a\nvpc: vpclab-demo-vpc\ntarget: nat-gateway\ntarget_name: vpclab-demo-nat\nneeds: [nat]\n```\n\n" +
		"## %s {#cleanup}\n\n" +
		"```check\nid: nothing-billable-left\nkind: cleanup\nvpc: vpclab-demo-vpc\nprefix: vpclab-demo-\n```\n"
)

func demoLab(t testing.TB) *content.Lab {
	t.Helper()
	pages := map[i18n.Lang]string{
		i18n.EN: fmt.Sprintf(labFront, "Class demo") + fmt.Sprintf(labBody, "Build the network", "Create the NAT gateway", "Route the private subnet", "Clean up"),
		i18n.JA: fmt.Sprintf(labFront, "クラスのデモ") + fmt.Sprintf(labBody, "ネットワークを作る", "NAT ゲートウェイを作る", "プライベートサブネットのルート", "後片付け"),
	}
	lab := &content.Lab{ID: "class-demo", Pages: map[i18n.Lang]*content.Page{}}
	for lang, src := range pages {
		p, ds := content.ParsePage("class-demo/index."+string(lang)+".md", lang, []byte(src))
		if len(ds) > 0 {
			t.Fatalf("test lab (%s) does not parse: %v", lang, ds)
		}
		lab.Pages[lang] = p
	}
	return lab
}

// scenario is how far a simulated learner got.
type scenario int

const (
	complete    scenario = iota // every step, the NAT gateway still running
	noRoute                     // the NAT gateway, but no route to it
	networkOnly                 // the network, nothing else yet
	notStarted                  // nothing
)

func (s scenario) String() string {
	return [...]string{"complete", "no-route", "network-only", "not-started"}[s]
}

// accountID is the i-th simulated learner account.
func accountID(i int) string { return fmt.Sprintf("%012d", 100000000001+i) }

func roleARN(i int) string { return "arn:aws:iam::" + accountID(i) + ":role/vpclab-class" }

// assume returns a config for account in the sandbox, with credentials
// from AssumeRole: moto keeps each account's state apart by them.
func assume(ctx context.Context, base aws.Config, account, region string) (aws.Config, error) {
	out, err := sts.NewFromConfig(base).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + account + ":role/builder"), RoleSessionName: aws.String("test-builder")})
	if err != nil {
		return aws.Config{}, err
	}
	cfg := base.Copy()
	cfg.Region = region
	c := out.Credentials
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
	return cfg, nil
}

func tags(rt ec2types.ResourceType, name string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

// build does the lab in cfg's account as far as s goes, with the SDK.
func build(ctx context.Context, cfg aws.Config, s scenario) error {
	if s == notStarted {
		return nil
	}
	c := ec2.NewFromConfig(cfg)
	var err error
	step := func(f func() error) {
		if err == nil {
			err = f()
		}
	}
	var vpc, igw, public, private, publicRT, privateRT, alloc, nat string
	step(func() error {
		out, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tags(ec2types.ResourceTypeVpc, "vpclab-demo-vpc")})
		if err == nil {
			vpc = *out.Vpc.VpcId
		}
		return err
	})
	step(func() error {
		out, err := c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tags(ec2types.ResourceTypeInternetGateway, "vpclab-demo-igw")})
		if err == nil {
			igw = *out.InternetGateway.InternetGatewayId
			_, err = c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
		}
		return err
	})
	subnet := func(name, cidr string, id *string) func() error {
		return func() error {
			out, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(cfg.Region + "a"),
				TagSpecifications: tags(ec2types.ResourceTypeSubnet, name)})
			if err == nil {
				*id = *out.Subnet.SubnetId
			}
			return err
		}
	}
	step(subnet("vpclab-demo-public-a", "10.0.0.0/24", &public))
	step(subnet("vpclab-demo-private-a", "10.0.10.0/24", &private))
	table := func(name string, subnet *string, id *string) func() error {
		return func() error {
			out, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc, TagSpecifications: tags(ec2types.ResourceTypeRouteTable, name)})
			if err == nil {
				*id = *out.RouteTable.RouteTableId
				_, err = c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: id, SubnetId: subnet})
			}
			return err
		}
	}
	step(table("vpclab-demo-public-rt", &public, &publicRT))
	step(table("vpclab-demo-private-rt", &private, &privateRT))
	step(func() error {
		_, err := c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &publicRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
		return err
	})
	if s == networkOnly || err != nil {
		return err
	}
	step(func() error {
		out, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: tags(ec2types.ResourceTypeElasticIp, "vpclab-demo-nat-eip")})
		if err == nil {
			alloc = *out.AllocationId
		}
		return err
	})
	step(func() error {
		out, err := c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: &public, AllocationId: &alloc, TagSpecifications: tags(ec2types.ResourceTypeNatgateway, "vpclab-demo-nat")})
		if err == nil {
			nat = *out.NatGateway.NatGatewayId
		}
		return err
	})
	if s == noRoute || err != nil {
		return err
	}
	step(func() error {
		_, err := c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &privateRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: &nat})
		return err
	})
	return err
}

// class is a simulated class in the sandbox.
type class struct {
	learners  []roster.Learner
	scenarios []scenario // by learner; broken learners have none
}

// scenarioOf spreads the scenarios over a class: 2 of 5 complete, and one
// of each of the others.
func scenarioOf(i int) scenario {
	return [...]scenario{complete, noRoute, complete, networkOnly, notStarted}[i%5]
}

// makeClass builds n learners' accounts in the sandbox, 8 at a time.
func makeClass(t testing.TB, base aws.Config, n int) class {
	t.Helper()
	cl := class{learners: make([]roster.Learner, n), scenarios: make([]scenario, n)}
	var (
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 8)
		mu   sync.Mutex
		errs []string
	)
	for i := range n {
		s := scenarioOf(i)
		cl.scenarios[i] = s
		cl.learners[i] = roster.Learner{Name: fmt.Sprintf("learner %03d (%s)", i, s), RoleARN: roleARN(i), ExternalID: "class-test", Region: sandboxtest.Region, Line: i + 2}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ctx := context.Background()
			cfg, err := assume(ctx, base, accountID(i), sandboxtest.Region)
			if err == nil {
				err = build(ctx, cfg, s)
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("learner %d (%s): %v", i, s, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("building the class failed:\n%s", strings.Join(errs, "\n"))
	}
	return cl
}
