package awsx

import (
	"errors"
	"net"
	"regexp"
	"slices"
	"strings"
)

// Regions are the AWS Regions of every partition that the AWS SDK this
// vpclab is built with knows (its endpoint rules, partitions.json);
// TestRegionsAreTheSDKs keeps the two the same. They word a mistyped
// Region (us-east-9 has no endpoint: "no such host" said nothing of the
// Region); nothing is refused for not being here, since a Region AWS
// opens later works with this SDK all the same.
var Regions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1",
	"cn-northwest-1", "eu-central-1", "eu-central-2", "eu-isoe-west-1", "eu-north-1", "eu-south-1",
	"eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "eusc-de-east-1", "il-central-1",
	"me-central-1", "me-south-1", "me-west-1", "mx-central-1", "sa-east-1", "sa-west-1",
	"us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1",
	"us-isob-east-1", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1", "us-west-1", "us-west-2",
}

// KnownRegion reports whether r is one of Regions.
func KnownRegion(r string) bool {
	_, ok := slices.BinarySearch(Regions, r)
	return ok
}

var regionLabel = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$`)

// awsDomains are the domains of AWS's own endpoints, by partition.
var awsDomains = []string{".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".c2s.ic.gov", ".sc2s.sgov.gov", ".cloud.adc-e.uk", ".csp.hci.ic.gov", ".amazonaws.eu"}

// NoSuchRegion reports whether err is a DNS answer that an AWS endpoint's
// host does not exist, and the host names a Region AWS does not have
// (ec2.us-east-9.amazonaws.com): asking again cannot help. A host
// outside AWS's domains (a proxy, an AWS_ENDPOINT_URL) is the network's
// business, whatever its name. It returns the Region and the host.
func NoSuchRegion(err error) (region, host string, ok bool) {
	var dns *net.DNSError
	if !errors.As(err, &dns) || !dns.IsNotFound {
		return "", "", false
	}
	name := strings.TrimSuffix(strings.ToLower(dns.Name), ".")
	if !slices.ContainsFunc(awsDomains, func(d string) bool { return strings.HasSuffix(name, d) }) {
		return "", "", false
	}
	for _, label := range strings.Split(name, ".") {
		if regionLabel.MatchString(label) && !KnownRegion(label) {
			return label, dns.Name, true
		}
	}
	return "", "", false
}
