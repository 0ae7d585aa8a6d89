package awsx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Flaky networks: like the AWS CLI, vpclab retries what a second try can
// fix (throttling, 5xx, dropped connections, and also responses cut short),
// a bounded number of times, and bounds each attempt so that a stalled
// answer is retried rather than waited on for ever. The caller's context
// (--timeout) bounds the whole call.
const (
	// MaxAttempts is the number of tries of one call, the first included.
	MaxAttempts = 5
	// AttemptTimeout bounds one attempt: connecting, the answer and its
	// body. AWS answers a Describe call in well under a second.
	AttemptTimeout = 30 * time.Second
)

// idleConnsPerHost is how many idle connections to one endpoint are kept
// for reuse. The SDK keeps 10, but one account read has up to 24 calls in
// flight and a class run reads 8 accounts at once (all on one regional
// endpoint): above 10, every call dialed a connection and closed it after
// (a third of a class's calls on the sandbox, each a new thread there;
// on AWS, a TLS handshake each).
const idleConnsPerHost = 256

// maxConnsPerHost bounds the connections open to one endpoint at once;
// calls beyond it wait for one to be free. A class run has up to 8
// accounts × 24 calls in flight, and the sandbox (one Python process that
// closes every connection after its answer, with a listen backlog of 128)
// then dropped connection attempts, each retried by the kernel a second
// or more later while the learner's whole read waited. 64 keeps the
// sandbox's backlog from overflowing and hardly binds on AWS, where one
// account read has at most 24 calls in flight.
const maxConnsPerHost = 64

// httpClient is the SDK's own client with a per-attempt time limit.
func httpClient() aws.HTTPClient {
	return awshttp.NewBuildableClient().WithTimeout(AttemptTimeout).WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = max(t.MaxIdleConns, idleConnsPerHost)
		t.MaxIdleConnsPerHost = idleConnsPerHost
		t.MaxConnsPerHost = maxConnsPerHost
	})
}

// newRetryer is the SDK's standard retryer (5xx, throttling, connection
// errors), with more attempts and truncated responses made retryable.
func newRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = MaxAttempts
		// First: a request that cannot be sent never will be.
		o.Retryables = append([]retry.IsErrorRetryable{neverUnsendable{}}, append(o.Retryables, retryTruncated{})...)
	})
}

// neverUnsendable makes a request net/http refused to send (BadConfig)
// final: the SDK counts it a connection error and would try it again.
type neverUnsendable struct{}

func (neverUnsendable) IsErrorRetryable(err error) aws.Ternary {
	if unsendable(err) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

// retryTruncated makes a response whose body ended early retryable; the
// SDK treats the deserialization error it causes as final.
type retryTruncated struct{}

func (retryTruncated) IsErrorRetryable(err error) aws.Ternary {
	if truncated(err) {
		return aws.TrueTernary
	}
	return aws.UnknownTernary
}

func truncated(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "unexpected end of JSON input")
}

// Transient reports whether err may go away by itself: throttling, an
// unreachable or stalled endpoint, an HTTP 5xx, a truncated response.
// vpclab check --wait keeps trying through these until its deadline; a
// canceled context, a refused call or an AWS answer such as AccessDenied
// is final.
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var nro *NotReadOnlyError
	if errors.As(err, &nro) {
		return false
	}
	if _, _, ok := NoSuchRegion(err); ok {
		return false
	}
	p := Classify(err)
	switch {
	case p.Kind == Throttled, p.Kind == Unreachable, p.Status >= 500:
		return true
	}
	return truncated(err)
}

// httpStatus is the HTTP status of the response in err, or 0.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// notFromAWS words an answer that was not an AWS error (the SDK calls it
// UnknownError): an HTML page from a proxy, a load balancer's 503. It
// names the call and the status, which is what the reader can act on.
func notFromAWS(action string, status int) string {
	return fmt.Sprintf("%s: HTTP %d %s, and the answer was not an AWS error (a proxy, firewall or load balancer in between?)",
		action, status, http.StatusText(status))
}
