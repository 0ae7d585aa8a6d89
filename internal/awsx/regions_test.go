package awsx

import (
	"net"
	"strings"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// TestNoSuchRegionIsFinal: DNS saying a Region's endpoint does not exist
// is not waited out by check --wait; the same answer for a Region AWS
// has is an outage, and is. (The SDK's retryer tries no such answer
// again, whatever the host.)
func TestNoSuchRegionIsFinal(t *testing.T) {
	lookup := func(host string, notFound bool) error {
		return &smithyhttp.RequestSendError{Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: notFound}}}
	}
	for _, tc := range []struct {
		err   error
		retry bool
	}{
		{lookup("ec2.us-east-9.amazonaws.com", true), false},
		{lookup("elasticloadbalancing.ap-northeast-9.amazonaws.com", true), false},
		{lookup("ec2.us-east-1.amazonaws.com", true), true},
		{lookup("ec2.us-east-9.amazonaws.com", false), true}, // a DNS server that did not answer
		{lookup("proxy.example.com", true), true},
		// A host outside AWS's domains is never a Region, whatever its name.
		{lookup("web-proxy-01.corp.example", true), true},
		{lookup("eks-node-1.internal", true), true},
		{lookup("my-sandbox-2", true), true},
		{lookup("ec2.us-east-9.api.aws", true), false},
		{lookup("ec2.cn-north-9.amazonaws.com.cn", true), false},
	} {
		if got := Transient(tc.err); got != tc.retry {
			t.Errorf("Transient(%v) = %v, want %v", tc.err, got, tc.retry)
		}
		if newRetryer().IsErrorRetryable(tc.err) && tc.err.(*smithyhttp.RequestSendError).Err.(*net.OpError).Err.(*net.DNSError).IsNotFound {
			t.Errorf("the SDK's retryer tries %v again", tc.err)
		}
		if r, host, ok := NoSuchRegion(tc.err); ok != !tc.retry || (ok && (!strings.Contains(host, "."+r+".") || !strings.Contains(tc.err.Error(), host))) {
			t.Errorf("NoSuchRegion(%v) = %q, %q, %v", tc.err, r, host, ok)
		}
	}
}
