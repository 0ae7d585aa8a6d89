package binding

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpclab/vpclab/checks/account"
)

// RegionHit is a VPC of the lab found in another Region.
type RegionHit struct {
	Region string
	Name   string // the lab's name for it
	ID     string
}

// Missing lists the lab's VPC names that nothing in this Region fits:
// what to look for elsewhere.
func (r Report) Missing() []string {
	var out []string
	for _, b := range r.Bindings {
		if b.Type == account.VPCs && b.ID == "" {
			out = append(out, b.Name)
		}
	}
	return out
}

// ElsewhereActions are the calls Elsewhere makes; both are already in
// every lab's policy (vpclab check's region hint uses them).
var ElsewhereActions = []string{"ec2:DescribeRegions", "ec2:DescribeVpcs"}

// Elsewhere looks for VPCs answering to names (Name tag, or the same name
// typed differently) in the account's other enabled Regions, at most 8
// Regions at a time. A Region that cannot be read is skipped: this is a
// hint, and the run's verdict does not depend on it.
func Elsewhere(ctx context.Context, cfg aws.Config, names []string) ([]RegionHit, error) {
	if len(names) == 0 {
		return nil, nil
	}
	c := ec2.NewFromConfig(cfg)
	regs, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, err
	}
	type res struct{ hits []RegionHit }
	out := make(chan res, len(regs.Regions))
	sem := make(chan struct{}, 8)
	n := 0
	for _, rg := range regs.Regions {
		region := aws.ToString(rg.RegionName)
		if region == cfg.Region {
			continue
		}
		n++
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			var hits []RegionHit
			vpcs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(1000)}, func(o *ec2.Options) { o.Region = region })
			if err == nil {
				for _, v := range vpcs.Vpcs {
					tag := account.Name(v.Tags)
					for _, name := range names {
						if tag != "" && fold(tag) == fold(name) {
							hits = append(hits, RegionHit{Region: region, Name: name, ID: aws.ToString(v.VpcId)})
						}
					}
				}
			}
			out <- res{hits}
		}()
	}
	var all []RegionHit
	for range n {
		all = append(all, (<-out).hits...)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Region != all[j].Region {
			return all[i].Region < all[j].Region
		}
		return all[i].ID < all[j].ID
	})
	return all, ctx.Err()
}
