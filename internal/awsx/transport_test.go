package awsx_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// noMiddleware is the per-call option that once got CreateVpc past the
// guard: it drops every middleware the config installed.
func noMiddleware(o *ec2.Options) { o.APIOptions = nil }

// TestGuardHoldsWithoutMiddleware: with the config's middleware removed by
// a per-call option, the guard at the HTTP transport still refuses a
// mutating call (query protocol: EC2; JSON protocol: ECS) before it is
// sent, and still lets reads through.
func TestGuardHoldsWithoutMiddleware(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	before := countVPCs(t, cfg)
	guarded := cfg.Copy()
	awsx.Protect(&guarded, nil)

	_, err := ec2.NewFromConfig(guarded).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")}, noMiddleware)
	var nro *awsx.NotReadOnlyError
	if !errors.As(err, &nro) || nro.Action != "ec2:CreateVpc" {
		t.Errorf("CreateVpc without middleware: err = %v, want *NotReadOnlyError for ec2:CreateVpc", err)
	}
	if p := awsx.Classify(err); p.Kind != awsx.Refused || p.Action != "ec2:CreateVpc" {
		t.Errorf("Classify = %v %q, want refused ec2:CreateVpc", p.Kind, p.Action)
	}
	if after := countVPCs(t, cfg); after != before {
		t.Fatalf("VPC count went from %d to %d: CreateVpc reached moto", before, after)
	}

	_, err = ecs.NewFromConfig(guarded).CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("x")},
		func(o *ecs.Options) { o.APIOptions = nil })
	if !errors.As(err, &nro) || nro.Action != "ecs:CreateCluster" {
		t.Errorf("CreateCluster without middleware: err = %v, want *NotReadOnlyError for ecs:CreateCluster", err)
	}
	out, err := ecs.NewFromConfig(cfg).ListClusters(ctx, &ecs.ListClustersInput{})
	if err != nil || len(out.ClusterArns) != 0 {
		t.Errorf("ListClusters = %v, %v: want none (CreateCluster must not have reached moto)", out, err)
	}

	// Reads still pass the transport, with or without middleware.
	if _, err := ec2.NewFromConfig(guarded).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}, noMiddleware); err != nil {
		t.Errorf("DescribeVpcs without middleware: %v", err)
	}
	if _, err := ecs.NewFromConfig(guarded).ListClusters(ctx, &ecs.ListClustersInput{}, func(o *ecs.Options) { o.APIOptions = nil }); err != nil {
		t.Errorf("ListClusters without middleware: %v", err)
	}
}

// TestAssumeRoleOnlyInClassMode: sts:AssumeRole is the classroom's way into
// learners' accounts; anywhere else vpclab has no reason to call it.
func TestAssumeRoleOnlyInClassMode(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	in := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/vpclab-class"), RoleSessionName: aws.String("t")}

	plain := cfg.Copy()
	awsx.Protect(&plain, nil)
	_, err := sts.NewFromConfig(plain).AssumeRole(ctx, in)
	var nro *awsx.NotReadOnlyError
	if !errors.As(err, &nro) || nro.Action != "sts:AssumeRole" {
		t.Errorf("AssumeRole outside class mode: err = %v, want *NotReadOnlyError", err)
	}
	_, err = sts.NewFromConfig(plain).AssumeRole(ctx, in, func(o *sts.Options) { o.APIOptions = nil })
	if !errors.As(err, &nro) {
		t.Errorf("AssumeRole outside class mode, without middleware: err = %v, want *NotReadOnlyError", err)
	}

	class := plain.Copy()
	awsx.ProtectClass(&class, nil)
	if _, err := sts.NewFromConfig(class).AssumeRole(ctx, in); err != nil {
		t.Errorf("AssumeRole in class mode: %v", err)
	}
	// Class mode allows AssumeRole, nothing more.
	if _, err := ec2.NewFromConfig(class).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")}, noMiddleware); !errors.As(err, &nro) {
		t.Errorf("CreateVpc in class mode without middleware: err = %v, want *NotReadOnlyError", err)
	}
	// And the config class mode was copied from stays strict.
	if _, err := sts.NewFromConfig(plain).AssumeRole(ctx, in, func(o *sts.Options) { o.APIOptions = nil }); !errors.As(err, &nro) {
		t.Errorf("AssumeRole on the original config after ProtectClass on a copy: err = %v", err)
	}
}
