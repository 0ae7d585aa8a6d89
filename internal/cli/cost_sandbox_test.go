package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func nameSpec(rt ec2types.ResourceType, name string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

// TestCostFindsLabInAnotherRegion: a NAT gateway and its Elastic IP that
// a lab built in another Region than the configured one (and no lab names
// that Region), and a lone Elastic IP in a third, are found by binding's
// other-Region search and priced; their delete commands, run with the AWS
// CLI as printed, leave nothing billable.
func TestCostFindsLabInAnotherRegion(t *testing.T) {
	cfg := sandboxtest.Config(t)
	ctx := context.Background()
	west := cfg.Copy()
	west.Region = "ap-southeast-2"
	c := ec2.NewFromConfig(west)
	vpc := must(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: nameSpec(ec2types.ResourceTypeVpc, "vpclab-nat-vpc")}))
	sub := must(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24")}))
	eip := must(c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc}))
	nat := must(c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sub.Subnet.SubnetId, AllocationId: eip.AllocationId,
		TagSpecifications: nameSpec(ec2types.ResourceTypeNatgateway, "vpclab-nat-a")}))
	eu := cfg.Copy()
	eu.Region = "eu-north-1"
	lone := must(ec2.NewFromConfig(eu).AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc,
		TagSpecifications: nameSpec(ec2types.ResourceTypeElasticIp, "vpclab-first-eip")}))

	code, stdout, stderr := runCLI(t, t.TempDir(), nil, "cost", "--format", "json", "--region", "us-east-1")
	if code != ExitFail {
		t.Fatalf("exit %d, want %d (billable leftovers): %s\n%s", code, ExitFail, stderr, stdout)
	}
	var got costJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	want := map[string]string{*nat.NatGateway.NatGatewayId: "ap-southeast-2", *eip.AllocationId: "ap-southeast-2", *lone.AllocationId: "eu-north-1"}
	found := map[string]costItemJSON{}
	for _, it := range got.Items {
		found[it.ID] = it
	}
	for id, region := range want {
		it, ok := found[id]
		if !ok {
			t.Errorf("%s (in %s) not found; items %+v, Regions read %v", id, region, got.Items, got.Regions)
			continue
		}
		if it.Region != region || it.USDPerHour <= 0 || !strings.Contains(it.DeleteCommand, "--region "+region) {
			t.Errorf("%s: %+v; want Region %s, a price and a delete command for that Region", id, it, region)
		}
	}
	if t.Failed() {
		return
	}
	// The promise: the printed commands, in the printed order, free it all.
	for _, it := range got.Items {
		for _, line := range strings.Split(it.DeleteCommand, "\n") {
			line, _, _ = strings.Cut(line, "   #")
			if line == "" {
				continue
			}
			cmd := exec.Command("sh", "-c", line)
			cmd.Env = append(os.Environ(), sandboxtest.Env(t)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", line, err, out)
			}
		}
	}
	code, stdout, stderr = runCLI(t, t.TempDir(), nil, "cost", "--format", "json", "--region", "us-east-1")
	if code != ExitOK {
		t.Errorf("after the printed commands: exit %d: %s\n%s", code, stderr, stdout)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestCostTextCommandsPasteIntoZsh: the commands vpclab cost prints, pasted
// line by line into an interactive zsh as macOS has it (where # is not a
// comment), free everything: the NAT gateway, a wait for its deletion,
// then its Elastic IP; each carries its Region.
func TestCostTextCommandsPasteIntoZsh(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Fatalf("zsh is not installed (.ci/run installs it): %v", err)
	}
	cfg := sandboxtest.Config(t)
	ctx := context.Background()
	c := ec2.NewFromConfig(cfg)
	vpc := must(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: nameSpec(ec2types.ResourceTypeVpc, "vpclab-nat-vpc")}))
	sub := must(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24")}))
	eip := must(c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: nameSpec(ec2types.ResourceTypeElasticIp, "vpclab-nat-eip-a")}))
	must(c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sub.Subnet.SubnetId, AllocationId: eip.AllocationId,
		TagSpecifications: nameSpec(ec2types.ResourceTypeNatgateway, "vpclab-nat-a")}))

	code, stdout, stderr := runCLI(t, t.TempDir(), nil, "cost", "--region", cfg.Region)
	if code != ExitFail {
		t.Fatalf("exit %d, want %d (billable leftovers): %s\n%s", code, ExitFail, stderr, stdout)
	}
	var lines []string
	for _, l := range strings.Split(stdout, "\n") {
		if cmd, ok := strings.CutPrefix(l, "  aws "); ok {
			lines = append(lines, "aws "+cmd)
		}
	}
	want := []string{"aws ec2 delete-nat-gateway", "aws ec2 wait nat-gateway-deleted", "aws ec2 release-address --allocation-id " + *eip.AllocationId}
	if len(lines) != len(want) {
		t.Fatalf("commands %q, want %d", lines, len(want))
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, want[i]) || !strings.HasSuffix(l, " --region "+cfg.Region) || strings.Contains(l, "#") {
			t.Errorf("command %d: %q; want %q… with its Region and no remark", i, l, want[i])
		}
		cmd := exec.Command(zsh, "-f", "-i", "-c", l)
		cmd.Env = append(os.Environ(), sandboxtest.Env(t)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("zsh: %s: %v\n%s", l, err, out)
		}
	}
	if code, stdout, stderr = runCLI(t, t.TempDir(), nil, "cost", "--region", cfg.Region); code != ExitOK {
		t.Errorf("after the printed commands: exit %d: %s\n%s", code, stderr, stdout)
	}
}
