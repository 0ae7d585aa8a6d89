package sandboxtest_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func TestMain(m *testing.M) { sandboxtest.Main(m) }

func TestConfigReachesOnlySandbox(t *testing.T) {
	cfg := sandboxtest.Config(t)
	if got, want := aws.ToString(cfg.BaseEndpoint), sandboxtest.URL(t); got != want {
		t.Errorf("BaseEndpoint = %q, want sandbox %q", got, want)
	}
	if !strings.HasPrefix(sandboxtest.URL(t), "http://127.0.0.1:") {
		t.Errorf("URL() = %q, want http://127.0.0.1:PORT", sandboxtest.URL(t))
	}
	if cfg.Region != "us-east-1" || cfg.Retryer == nil || cfg.Retryer().MaxAttempts() != 3 {
		t.Errorf("Region %q, retryer %v; want us-east-1 and 3 attempts", cfg.Region, cfg.Retryer != nil)
	}
	// A 500 from moto fails at once; a reset connection is tried again.
	r := cfg.Retryer()
	if r.IsErrorRetryable(&smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 500}}, Err: errors.New("internal")}) {
		t.Error("a 500 is retried")
	}
	if !r.IsErrorRetryable(errors.New("read tcp 127.0.0.1:1->127.0.0.1:2: use of closed network connection")) {
		t.Error("a reset connection is not retried")
	}
}

// Main's process environment must send even a default config to the sandbox.
func TestDefaultConfigGoesToSandbox(t *testing.T) {
	sandboxtest.Reset(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(cfg.BaseEndpoint), sandboxtest.URL(t); got != want {
		t.Errorf("default BaseEndpoint = %q, want sandbox %q", got, want)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "testing" || creds.SecretAccessKey != "testing" {
		t.Errorf("default credentials = %q, want the dummy testing/testing", creds.AccessKeyID)
	}
	out, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err != nil {
		t.Fatalf("DescribeVpcs with the default config: %v", err)
	}
	if len(out.Vpcs) != 1 || aws.ToString(out.Vpcs[0].CidrBlock) != "172.31.0.0/16" {
		t.Errorf("DescribeVpcs = %d VPCs, want only moto's default 172.31.0.0/16", len(out.Vpcs))
	}
}

func TestResetClearsState(t *testing.T) {
	tests := []struct {
		name  string
		reset func(testing.TB)
	}{
		{"Reset", sandboxtest.Reset},
		{"Config", func(t testing.TB) { sandboxtest.Config(t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := ec2.NewFromConfig(sandboxtest.Config(t))
			ctx := context.Background()
			if _, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}); err != nil {
				t.Fatalf("CreateVpc: %v", err)
			}
			if n := countLabVPCs(t, client); n != 1 {
				t.Fatalf("before reset: %d non-default VPCs, want 1", n)
			}
			tt.reset(t)
			if n := countLabVPCs(t, client); n != 0 {
				t.Errorf("after %s: %d non-default VPCs, want 0", tt.name, n)
			}
		})
	}
}

func countLabVPCs(t *testing.T, client *ec2.Client) int {
	t.Helper()
	out, err := client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{
		Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"false"}}},
	})
	if err != nil {
		t.Fatalf("DescribeVpcs: %v", err)
	}
	return len(out.Vpcs)
}

// A Fargate task must decode in Go (launcher's cpu/memory patch) and stay
// RUNNING across DescribeTasks calls (the state-manager pin).
func TestECSTaskStaysRunning(t *testing.T) {
	cfg := sandboxtest.Config(t)
	ctx := context.Background()
	ec2c, ecsc := ec2.NewFromConfig(cfg), ecs.NewFromConfig(cfg)

	vpc, err := ec2c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	vpcID := vpc.Vpc.VpcId
	// moto's RunTask fails with HTTP 500 without DNS hostnames.
	if _, err := ec2c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{
		VpcId: vpcID, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)},
	}); err != nil {
		t.Fatalf("ModifyVpcAttribute: %v", err)
	}
	subnet, err := ec2c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpcID, CidrBlock: aws.String("10.0.1.0/24")})
	if err != nil {
		t.Fatalf("CreateSubnet: %v", err)
	}
	sg, err := ec2c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		VpcId: vpcID, GroupName: aws.String("web"), Description: aws.String("web tasks"),
	})
	if err != nil {
		t.Fatalf("CreateSecurityGroup: %v", err)
	}

	if _, err := ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("lab")}); err != nil {
		t.Fatalf("CreateCluster: %v", err)
	}
	if _, err := ecsc.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String("web"),
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		NetworkMode:             ecstypes.NetworkModeAwsvpc,
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(512), Essential: aws.Bool(true),
		}},
	}); err != nil {
		t.Fatalf("RegisterTaskDefinition: %v", err)
	}
	run, err := ecsc.RunTask(ctx, &ecs.RunTaskInput{
		Cluster:        aws.String("lab"),
		TaskDefinition: aws.String("web"),
		LaunchType:     ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets:        []string{aws.ToString(subnet.Subnet.SubnetId)},
			SecurityGroups: []string{aws.ToString(sg.GroupId)},
		}},
	})
	if err != nil {
		t.Fatalf("RunTask: %v", err)
	}
	if len(run.Tasks) != 1 {
		t.Fatalf("RunTask started %d tasks (failures %v), want 1", len(run.Tasks), run.Failures)
	}

	for i := 1; i <= 2; i++ {
		out, err := ecsc.DescribeTasks(ctx, &ecs.DescribeTasksInput{
			Cluster: aws.String("lab"), Tasks: []string{aws.ToString(run.Tasks[0].TaskArn)},
		})
		if err != nil {
			t.Fatalf("DescribeTasks #%d: %v", i, err)
		}
		if len(out.Tasks) != 1 {
			t.Fatalf("DescribeTasks #%d: %d tasks, want 1", i, len(out.Tasks))
		}
		task := out.Tasks[0]
		if got := aws.ToString(task.LastStatus); got != "RUNNING" {
			t.Errorf("DescribeTasks #%d: lastStatus %q, want RUNNING", i, got)
		}
		if len(task.Containers) != 1 || aws.ToString(task.Containers[0].Memory) != "512" {
			t.Errorf("DescribeTasks #%d: containers %+v, want one with memory \"512\"", i, task.Containers)
		}
	}
}

func TestAWSCLIUsesSandbox(t *testing.T) {
	cli, err := exec.LookPath("aws")
	if err != nil {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatal("the AWS CLI is required in CI: aws not on PATH")
		}
		t.Skip("aws CLI not on PATH; install it to run this test")
	}
	client := ec2.NewFromConfig(sandboxtest.Config(t))
	vpc, err := client.CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	id := aws.ToString(vpc.Vpc.VpcId)

	cmd := exec.Command(cli, "ec2", "describe-vpcs", "--vpc-ids", id, "--output", "json")
	cmd.Env = append(os.Environ(), sandboxtest.Env(t)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws ec2 describe-vpcs: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), id) {
		t.Errorf("aws ec2 describe-vpcs output lacks %s:\n%s", id, out)
	}
}

// After a Heavy test the sandbox is a new, empty one (no reset happens in
// between here: the VPC would stay), and the process environment points at
// it.
func TestHeavyReplacesTheSandbox(t *testing.T) {
	t.Run("heavy", func(t *testing.T) {
		sandboxtest.Heavy(t)
		cfg := sandboxtest.Config(t)
		if _, err := ec2.NewFromConfig(cfg).CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")}); err != nil {
			t.Fatal(err)
		}
	})
	if url := sandboxtest.URL(t); os.Getenv("AWS_ENDPOINT_URL") != url {
		t.Fatalf("sandbox at %q, AWS_ENDPOINT_URL %q", url, os.Getenv("AWS_ENDPOINT_URL"))
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Vpcs) != 1 {
		t.Errorf("%d VPCs in the fresh sandbox, want only moto's default", len(out.Vpcs))
	}
}
