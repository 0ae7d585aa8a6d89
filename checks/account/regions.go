package account

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// EnabledRegions are the Regions the account can hold resources in, as
// DescribeRegions lists them. AWS lists only enabled Regions; the sandbox
// (moto) also lists those an account has not opted in to, marked so, and
// they are left out here as AWS would: nothing can be created there, and
// each Region moto is asked about costs it a backend.
func EnabledRegions(ctx context.Context, cfg aws.Config) ([]string, error) {
	out, err := ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, err
	}
	regions := make([]string, 0, len(out.Regions))
	for _, r := range out.Regions {
		if aws.ToString(r.OptInStatus) != "not-opted-in" {
			regions = append(regions, aws.ToString(r.RegionName))
		}
	}
	return regions, nil
}
