package account

import (
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

var regionName = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$`)

// ZoneHere maps an Availability Zone a lab names into the snapshot's
// Region. Labs name zones of their own Region (ap-northeast-1a); a learner
// doing the lab in another Region picks the zone of the same letter there
// (us-east-1a), since the lab's zone does not exist in it. seen reports
// whether the zone is known to exist for this account: it is in the
// snapshot's Region as written, or a subnet of the account is in it. A
// fix may only name a zone that is seen (a zone letter can be missing in
// an account: ap-northeast-1b is for older accounts only).
func (s *Snapshot) ZoneHere(az string) (zone string, seen bool) {
	if az == "" || s.Region == "" || inRegion(az, s.Region) {
		return az, true
	}
	letters := len(az) - len(strings.TrimRight(az, "abcdefghijklmnopqrstuvwxyz"))
	if letters == 0 || !regionName.MatchString(az[:len(az)-letters]) {
		return az, false // a Local Zone or a name vpclab cannot map
	}
	zone = s.Region + az[len(az)-letters:]
	for _, sn := range s.Subnets {
		if aws.ToString(sn.AvailabilityZone) == zone {
			return zone, true
		}
	}
	return zone, false
}

// inRegion reports whether zone is a zone of region: region + letters, or
// a Local or Wavelength Zone of it (us-west-2-lax-1a).
func inRegion(zone, region string) bool {
	rest, ok := strings.CutPrefix(zone, region)
	if !ok || rest == "" {
		return false
	}
	return rest[0] == '-' || strings.Trim(rest, "abcdefghijklmnopqrstuvwxyz") == ""
}
