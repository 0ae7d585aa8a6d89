package cli

import (
	"slices"
	"testing"

	"github.com/vpclab/vpclab/checks/billing"
)

// Only a Region where something bills and whose prices vpclab lacks gets
// the estimate warning: cost --all warned for every empty Region.
func TestEstimatedRegions(t *testing.T) {
	var unpriced string
	for _, r := range []string{"cn-north-1", "us-gov-west-1", "eu-central-2", "me-south-1"} {
		if _, known := billing.For(r); !known {
			unpriced = r
			break
		}
	}
	if unpriced == "" {
		t.Fatal("every Region tried is in the price table; name one that is not")
	}
	items := []billing.Item{{Type: billing.NATGateway, ID: "nat-1", Region: unpriced}}
	if got := estimated([]string{"us-east-1", unpriced, "cn-northwest-1"}, items); !slices.Equal(got, []string{unpriced}) {
		t.Errorf("estimated = %v, want [%s]", got, unpriced)
	}
	if got := estimated([]string{unpriced}, nil); len(got) != 0 {
		t.Errorf("nothing bills, yet estimated = %v", got)
	}
}
