package awsx_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func TestAllowedActions(t *testing.T) {
	want := []string{account.IdentityAction, "ec2:DescribeRegions", "sts:AssumeRole", "cloudformation:DescribeStacks", "cloudformation:ListStackResources"}
	for _, as := range account.Actions {
		want = append(want, as...)
	}
	slices.Sort(want)
	want = slices.Compact(want)

	got := awsx.AllowedActions()
	if !slices.Equal(got, want) {
		t.Errorf("AllowedActions() =\n%v\nwant\n%v", got, want)
	}
	for _, a := range want {
		if !awsx.Allowed(a) {
			t.Errorf("Allowed(%q) = false", a)
		}
	}
	for _, a := range []string{"ec2:CreateVpc", "ec2:DeleteVpc", "ecs:RunTask", "sts:GetSessionToken", "ec2:describevpcs", "DescribeVpcs", ""} {
		if awsx.Allowed(a) {
			t.Errorf("Allowed(%q) = true", a)
		}
	}
}

func TestIAMAction(t *testing.T) {
	for _, c := range []struct{ svc, op, want string }{
		{"EC2", "DescribeVpcs", "ec2:DescribeVpcs"},
		{"ECS", "ListTasks", "ecs:ListTasks"},
		{"STS", "GetCallerIdentity", "sts:GetCallerIdentity"},
		{"CloudWatch Logs", "DescribeLogGroups", "logs:DescribeLogGroups"},
		{"ECR", "DescribeRepositories", "ecr:DescribeRepositories"},
		{"SSO OIDC", "CreateToken", "sso-oauth:CreateToken"},
		{"Elastic Load Balancing v2", "DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancers"},
		{"", "X", "unknown:X"},
	} {
		if got := awsx.IAMAction(c.svc, c.op); got != c.want {
			t.Errorf("IAMAction(%q, %q) = %q, want %q", c.svc, c.op, got, c.want)
		}
	}
}

func countVPCs(t *testing.T, cfg aws.Config) int {
	t.Helper()
	out, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if err != nil {
		t.Fatalf("DescribeVpcs: %v", err)
	}
	return len(out.Vpcs)
}

// The guard stops a mutating call before it is sent: moto never sees it.
func TestGuardRefusesMutation(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	before := countVPCs(t, cfg)

	guarded := cfg.Copy()
	var m awsx.Meter
	awsx.Protect(&guarded, &m)
	_, err := ec2.NewFromConfig(guarded).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	var nro *awsx.NotReadOnlyError
	if !errors.As(err, &nro) {
		t.Fatalf("CreateVpc through the guard: err = %v, want *NotReadOnlyError", err)
	}
	if nro.Action != "ec2:CreateVpc" {
		t.Errorf("Action = %q, want ec2:CreateVpc", nro.Action)
	}
	if want := "vpclab refused to call ec2:CreateVpc: it only reads your account"; nro.Error() != want {
		t.Errorf("Error() = %q, want %q", nro.Error(), want)
	}
	// The guard runs before input validation: DeleteVpc without its
	// required VpcId is refused, not reported as invalid.
	if _, err := ec2.NewFromConfig(guarded).DeleteVpc(ctx, &ec2.DeleteVpcInput{}); !errors.As(err, &nro) || nro.Action != "ec2:DeleteVpc" {
		t.Errorf("DeleteVpc through the guard: err = %v, want *NotReadOnlyError for ec2:DeleteVpc", err)
	}
	if _, err := ecs.NewFromConfig(guarded).RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: aws.String("x")}); !errors.As(err, &nro) || nro.Action != "ecs:RunTask" {
		t.Errorf("RunTask through the guard: err = %v, want *NotReadOnlyError for ecs:RunTask", err)
	}

	if after := countVPCs(t, cfg); after != before {
		t.Errorf("VPC count went from %d to %d: the refused call reached moto", before, after)
	}
	if n := m.Total(); n != 0 {
		t.Errorf("Meter counted %d refused calls: %v", n, m.Calls())
	}
	// The unguarded config it was copied from still works, so the count
	// above would have seen a VPC that got through.
	if _, err := ec2.NewFromConfig(cfg).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")}); err != nil {
		t.Fatalf("CreateVpc without the guard: %v", err)
	}
	if after := countVPCs(t, cfg); after != before+1 {
		t.Errorf("VPC count = %d after an unguarded CreateVpc, want %d", after, before+1)
	}
}

func TestGuardAllowsAndMeterCounts(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	var m awsx.Meter
	awsx.Protect(&cfg, &m)

	e := ec2.NewFromConfig(cfg)
	if _, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatalf("DescribeVpcs: %v", err)
	}
	p := ec2.NewDescribeSubnetsPaginator(e, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		if _, err := p.NextPage(ctx); err != nil {
			t.Fatalf("DescribeSubnets: %v", err)
		}
	}
	if _, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatalf("DescribeVpcs: %v", err)
	}
	if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if _, err := ecs.NewFromConfig(cfg).DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"none"}}); err != nil {
		t.Fatalf("DescribeClusters: %v", err)
	}

	want := map[string]int{
		"ec2:DescribeVpcs":      2,
		"ec2:DescribeSubnets":   1,
		"sts:GetCallerIdentity": 1,
		"ecs:DescribeClusters":  1,
	}
	if got := m.Calls(); !maps.Equal(got, want) {
		t.Errorf("Calls() = %v, want %v", got, want)
	}
	if m.Total() != 5 {
		t.Errorf("Total() = %d, want 5", m.Total())
	}
}

// Protecting twice keeps one guard and one count per call, and never
// writes into the APIOptions array of the config it was copied from.
func TestProtectTwiceAndCopies(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	noop := func(*middleware.Stack) error { return nil }
	cfg.APIOptions = make([]func(*middleware.Stack) error, 1, 8) // spare capacity an append would reuse
	cfg.APIOptions[0] = noop
	orig := cfg.APIOptions

	cp := cfg.Copy()
	var m awsx.Meter
	awsx.Protect(&cp, &m)
	awsx.Protect(&cp, &m)
	if len(cfg.APIOptions) != 1 || orig[:2][1] != nil {
		t.Fatalf("Protect changed the original config's APIOptions")
	}
	if _, err := ec2.NewFromConfig(cp).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatalf("DescribeVpcs: %v", err)
	}
	if got := m.Calls(); !maps.Equal(got, map[string]int{"ec2:DescribeVpcs": 1}) {
		t.Errorf("Calls() = %v, want one DescribeVpcs", got)
	}
	if _, err := ec2.NewFromConfig(cp).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")}); !errors.As(err, new(*awsx.NotReadOnlyError)) {
		t.Errorf("CreateVpc after two Protects: err = %v, want *NotReadOnlyError", err)
	}
}

// Each attempt counts, retries included.
func TestMeterCountsRetries(t *testing.T) {
	cfg := aws.Config{
		Region:       sandboxtest.Region,
		BaseEndpoint: aws.String(closedPort(t)),
		Credentials:  dummyCreds(),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.Backoff = noBackoff{}
			})
		},
	}
	var m awsx.Meter
	awsx.Protect(&cfg, &m)
	_, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if err == nil {
		t.Fatal("DescribeVpcs on a closed port succeeded")
	}
	if got := m.Calls(); !maps.Equal(got, map[string]int{"ec2:DescribeVpcs": 3}) {
		t.Errorf("Calls() = %v, want 3 attempts of ec2:DescribeVpcs", got)
	}
	if p := awsx.Classify(err); p.Kind != awsx.Unreachable {
		t.Errorf("Classify = %v (%s), want unreachable", p.Kind, p.Message)
	}
}

func TestMeterConcurrent(t *testing.T) {
	cfg := sandboxtest.Config(t)
	countVPCs(t, cfg) // moto builds the region's backend on first use; don't race it
	var m awsx.Meter
	awsx.Protect(&cfg, &m)
	client := ec2.NewFromConfig(cfg)
	const workers, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("DescribeVpcs: %v", err)
	}
	if m.Total() != workers*each || m.Calls()["ec2:DescribeVpcs"] != workers*each {
		t.Errorf("Calls() = %v, want %d DescribeVpcs", m.Calls(), workers*each)
	}
}

func TestMeterZero(t *testing.T) {
	var m awsx.Meter
	if m.Total() != 0 || len(m.Calls()) != 0 {
		t.Errorf("zero Meter: Total %d, Calls %v", m.Total(), m.Calls())
	}
}
