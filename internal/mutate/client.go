package mutate

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Mutations are writes. They must never reach a real account, so the only
// way this package builds an AWS client is writeClients, which refuses any
// endpoint that is not a loopback address, both when it is built and again
// on every request (after endpoint resolution, so no setting, environment
// variable or resolver can redirect it). There is no option to turn it off.
// The product's read-only guard (internal/awsx) is a different client and
// stays untouched.

// dummyCredential matches the sandbox's fixed fake credentials.
const dummyCredential = "testing"

// NotLoopbackError is returned for an endpoint that is not on this machine.
type NotLoopbackError struct{ URL string }

func (e *NotLoopbackError) Error() string {
	return fmt.Sprintf("mutation testing refused to write to %q: only a loopback sandbox (127.0.0.1, ::1, localhost) may be mutated", e.URL)
}

// checkLoopback accepts only http(s) URLs whose host is a loopback IP or
// "localhost".
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &NotLoopbackError{URL: raw}
	}
	return checkHost(u.Hostname(), raw)
}

func checkHost(host, raw string) error {
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return &NotLoopbackError{URL: raw}
	}
	return nil
}

// writeClients are the SDK clients mutations use, bound to one region of
// one loopback sandbox.
type writeClients struct {
	region string
	ec2    *ec2.Client
	ecs    *ecs.Client
	elb    *elbv2.Client
}

// loopbackOnly runs last before a request is sent and refuses it unless
// its final URL is on loopback.
var loopbackOnly = middleware.FinalizeMiddlewareFunc("vpclabMutateLoopbackOnly",
	func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if req, ok := in.Request.(*smithyhttp.Request); ok {
			if err := checkHost(req.URL.Hostname(), req.URL.String()); err != nil {
				return middleware.FinalizeOutput{}, middleware.Metadata{}, err
			}
		}
		return next.HandleFinalize(ctx, in)
	})

func newWriteClients(endpoint, region string) (*writeClients, error) {
	if err := checkLoopback(endpoint); err != nil {
		return nil, err
	}
	cfg := aws.Config{
		Region:           region,
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider(dummyCredential, dummyCredential, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: &http.Transport{Proxy: nil}}, // never via a proxy
		APIOptions: []func(*middleware.Stack) error{func(s *middleware.Stack) error {
			return s.Finalize.Add(loopbackOnly, middleware.After)
		}},
	}
	return &writeClients{
		region: region,
		ec2:    ec2.NewFromConfig(cfg),
		ecs:    ecs.NewFromConfig(cfg),
		elb:    elbv2.NewFromConfig(cfg),
	}, nil
}
