package binding

import (
	"context"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/content"
)

// RegionHit is a VPC of the lab found in another Region.
type RegionHit struct {
	Region string
	Name   string // the lab's name for it
	ID     string
	// Snap is that Region's account as far as deleting the VPC needs it
	// (nil when it could not be read): plans that delete a copy are
	// proven on it.
	Snap *account.Snapshot
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

// VPCNames lists every VPC name of the lab: a lab found here may still
// have a copy in another Region, which bills and fails the clean-up.
func (r Report) VPCNames() []string {
	var out []string
	for _, b := range r.Bindings {
		if b.Type == account.VPCs {
			out = append(out, b.Name)
		}
	}
	return out
}

// VPCNamesOf are the VPC names blocks bind: the same as VPCNames of
// their Report, known before the account is read, so the other-Region
// search can run beside the read instead of after it.
func VPCNamesOf(blocks []*content.CheckBlock) []string {
	var out []string
	for _, w := range collect(blocks).list(account.VPCs) {
		out = append(out, w.name)
	}
	return out
}

// SetElsewhere records what was found in other Regions: for a name bound
// here, a copy to delete; for a name missing here, where the lab is.
func (r *Report) SetElsewhere(hits []RegionHit) {
	r.Elsewhere, r.Copies = nil, nil
	for _, h := range hits {
		if b, ok := r.Bound(account.VPCs, h.Name); ok && b.ID != "" {
			r.Copies = append(r.Copies, h)
		} else {
			r.Elsewhere = append(r.Elsewhere, h)
		}
	}
}

// copyNeed is what deleting a copy of the lab's VPC, and pricing it, reads.
func copyNeed() account.Need {
	var n account.Need
	n.Add(account.VPCs, account.Subnets, account.RouteTables, account.InternetGateways, account.NATGateways,
		account.Addresses, account.SecurityGroups, account.NetworkInterfaces, account.VPCEndpoints, account.LoadBalancers)
	return n
}

// Elsewhere looks for VPCs answering to names (Name tag, or the same name
// typed differently) in the account's other enabled Regions, at most 8
// Regions at a time, and reads each Region with a hit for the plan that
// deletes it. A Region that cannot be read is skipped: the run's verdict
// in this Region does not depend on it.
func Elsewhere(ctx context.Context, cfg aws.Config, names []string) ([]RegionHit, error) {
	return ElsewhereIn(ctx, cfg, names, nil)
}

// ElsewhereIn is Elsewhere in the given Regions only (nil: every enabled
// Region). A caller that knows which Regions can hold anything (the
// mutation pass sees every write to its sandbox) searches only those:
// each Region moto is asked about costs it a backend, and resetting it
// later costs as much again.
func ElsewhereIn(ctx context.Context, cfg aws.Config, names, regions []string) ([]RegionHit, error) {
	if len(names) == 0 {
		return nil, nil
	}
	return search(ctx, cfg, regions, func(tag string) string {
		for _, name := range names {
			if tag != "" && fold(tag) == fold(name) {
				return name
			}
		}
		return ""
	}, false)
}

// WithPrefix looks, in the account's other Regions, for VPCs, NAT
// gateways and Elastic IPs whose Name starts with prefix (every lab's, for
// vpclab cost), and returns the Regions that have one.
func WithPrefix(ctx context.Context, cfg aws.Config, prefix string) ([]string, error) {
	hits, err := search(ctx, cfg, nil, func(tag string) string {
		if prefix != "" && strings.HasPrefix(tag, prefix) {
			return tag
		}
		return ""
	}, true)
	set := map[string]bool{}
	var out []string
	for _, h := range hits {
		if !set[h.Region] {
			set[h.Region] = true
			out = append(out, h.Region)
		}
	}
	return out, err
}

// search finds the VPCs whose Name tag match maps to a lab name, in every
// other Region (or in regions, when not nil); with billable, also NAT
// gateways and Elastic IPs (a hit with no VPC id's match is then the
// resource's id).
func search(ctx context.Context, cfg aws.Config, regions []string, match func(tag string) string, billable bool) ([]RegionHit, error) {
	c := ec2.NewFromConfig(cfg)
	if regions == nil {
		var err error
		if regions, err = account.EnabledRegions(ctx, cfg); err != nil {
			return nil, err
		}
	}
	type res struct{ hits []RegionHit }
	out := make(chan res, len(regions))
	sem := make(chan struct{}, 8)
	n := 0
	for _, region := range regions {
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
					if name := match(account.Name(v.Tags)); name != "" {
						hits = append(hits, RegionHit{Region: region, Name: name, ID: aws.ToString(v.VpcId)})
					}
				}
			}
			if billable {
				opt := func(o *ec2.Options) { o.Region = region }
				if nats, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(1000)}, opt); err == nil {
					for _, n := range nats.NatGateways {
						if name := match(account.Name(n.Tags)); name != "" && liveNAT(n.State) {
							hits = append(hits, RegionHit{Region: region, Name: name, ID: aws.ToString(n.NatGatewayId)})
						}
					}
				}
				if eips, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}, opt); err == nil {
					for _, a := range eips.Addresses {
						if name := match(account.Name(a.Tags)); name != "" {
							hits = append(hits, RegionHit{Region: region, Name: name, ID: aws.ToString(a.AllocationId)})
						}
					}
				}
				out <- res{hits}
				return
			}
			if len(hits) > 0 {
				rc := cfg.Copy()
				rc.Region = region
				if snap, err := account.Load(ctx, rc, copyNeed()); err == nil {
					for i := range hits {
						hits[i].Snap = snap
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

// Billable lists what a copy of the lab's VPC in another Region costs:
// its NAT gateways (and their Elastic IPs), endpoints, load balancers.
func (h RegionHit) Billable() []billing.Item {
	if h.Snap == nil {
		return nil
	}
	return billing.Billable(h.Snap, billing.Scope{VPCID: h.ID})
}

// RegionFirst withholds every fix while the lab is in another Region:
// there, the fixes would build a second lab in the wrong Region. Only
// the finding that says where the lab is keeps its command (to check
// there).
func RegionFirst(results []checks.Result) []checks.Result {
	other := false
	for _, r := range results {
		other = other || r.Reason == OtherRegion
	}
	if !other {
		return results
	}
	out := make([]checks.Result, len(results))
	for i, r := range results {
		if r.Reason != OtherRegion {
			r.Fix, r.Plan = "", nil
		}
		out[i] = r
	}
	return out
}
