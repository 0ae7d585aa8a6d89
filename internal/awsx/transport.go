package awsx

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// guardTransport is the read-only guard where per-call options cannot
// remove it: around the HTTP client, it decodes the operation from each
// signed request and refuses, unsent, anything the guard does not permit.
// A request it cannot decode is refused too.
type guardTransport struct {
	next  aws.HTTPClient
	class bool
}

// guardHTTP wraps c (the SDK's default client when nil) in the guard,
// replacing an earlier guard rather than stacking a second one.
func guardHTTP(c aws.HTTPClient, class bool) aws.HTTPClient {
	if g, ok := c.(*guardTransport); ok {
		if g.class || !class {
			return g
		}
		c = g.next
	}
	if c == nil {
		c = awshttp.NewBuildableClient()
	}
	return &guardTransport{next: c, class: class}
}

func (g *guardTransport) Do(req *http.Request) (*http.Response, error) {
	action, err := requestAction(req)
	if err != nil {
		return nil, err
	}
	if !permitted(action, g.class) {
		return nil, &NotReadOnlyError{Action: action}
	}
	return g.next.Do(req)
}

// signingPrefixes maps SigV4 signing names to IAM prefixes where they
// differ (none of vpclab's services do today).
var signingPrefixes = map[string]string{}

// requestAction is the IAM action of a signed AWS request: the service from
// the SigV4 credential scope, the operation from X-Amz-Target (JSON
// protocols: ECS, ECR, CloudWatch Logs) or the Action parameter (query
// protocols: EC2, STS, ELB).
func requestAction(req *http.Request) (string, error) {
	_, service := CredentialScope(req.Header.Get("Authorization"))
	if p, ok := signingPrefixes[service]; ok {
		service = p
	}
	if service == "" {
		service = "unknown"
	}
	if t := req.Header.Get("X-Amz-Target"); t != "" {
		return service + ":" + t[strings.LastIndex(t, ".")+1:], nil
	}
	if a := req.URL.Query().Get("Action"); a != "" {
		return service + ":" + a, nil
	}
	if req.Body != nil && req.Body != http.NoBody && strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return "", err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		if form, err := url.ParseQuery(string(body)); err == nil && form.Get("Action") != "" {
			return service + ":" + form.Get("Action"), nil
		}
	}
	return service + ":" + req.Method + " " + req.URL.Path, nil
}

// CredentialScope is the Region and the service a request was signed for,
// read from its SigV4 Authorization header ("AWS4-HMAC-SHA256
// Credential=AKID/DATE/REGION/SERVICE/aws4_request, …"); both "" when the
// header is not one.
func CredentialScope(auth string) (region, service string) {
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return "", ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return "", ""
	}
	return parts[2], parts[3]
}
