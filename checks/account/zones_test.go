package account

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestZoneHere: a lab's zone maps to the zone of the same letter in the
// Region being checked, and counts as seen only where the account shows
// it exists. (Hand-built snapshots: the sandbox accepts any zone name.)
func TestZoneHere(t *testing.T) {
	snap := &Snapshot{Region: "us-east-1", Subnets: []ec2types.Subnet{
		{AvailabilityZone: aws.String("us-east-1a")}, {AvailabilityZone: aws.String("us-east-1c")},
	}}
	for _, c := range []struct {
		az, zone string
		seen     bool
	}{
		{"", "", true},
		{"us-east-1b", "us-east-1b", true},             // the Region's own: as the lab says
		{"us-east-1-bos-1a", "us-east-1-bos-1a", true}, // a Local Zone of it
		{"ap-northeast-1a", "us-east-1a", true},        // the same letter here, a subnet is in it
		{"ap-northeast-1d", "us-east-1d", false},       // nothing shows us-east-1d exists
		{"us-west-2-lax-1a", "us-west-2-lax-1a", false},
		{"not-a-zone", "not-a-zone", false},
		{"us-east-10a", "us-east-1a", true}, // us-east-10 is another Region, not a zone of us-east-1
	} {
		zone, seen := snap.ZoneHere(c.az)
		if zone != c.zone || seen != c.seen {
			t.Errorf("ZoneHere(%q) = %q, %v; want %q, %v", c.az, zone, seen, c.zone, c.seen)
		}
	}
}
