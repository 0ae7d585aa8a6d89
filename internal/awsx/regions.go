package awsx

import (
	"errors"
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/vpclab/vpclab/internal/regions"
)

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
		if regionLabel.MatchString(label) && !regions.Known(label) {
			return label, dns.Name, true
		}
	}
	return "", "", false
}
