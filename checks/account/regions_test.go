package account_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// The sandbox lists the Regions an account has not opted in to as well
// (AWS does not); those can hold nothing and are left out.
func TestEnabledRegions(t *testing.T) {
	cfg := sandboxtest.Config(t)
	ctx := context.Background()
	got, err := account.EnabledRegions(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	optIn := 0
	for _, r := range all.Regions {
		name, enabled := aws.ToString(r.RegionName), aws.ToString(r.OptInStatus) != "not-opted-in"
		if !enabled {
			optIn++
		}
		if slices.Contains(got, name) != enabled {
			t.Errorf("%s (%s): listed %v", name, aws.ToString(r.OptInStatus), !enabled)
		}
	}
	if optIn == 0 || len(got) != len(all.Regions)-optIn || !slices.Contains(got, "us-east-1") {
		t.Errorf("%d of %d Regions enabled, %d not opted in: %v", len(got), len(all.Regions), optIn, got)
	}
}
