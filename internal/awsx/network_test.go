package awsx_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// fault is what the proxy does to request n (1-based).
type fault func(n int64, w http.ResponseWriter, r *http.Request) bool

// faultProxy is a real HTTP server on 127.0.0.1 in front of the moto
// sandbox that injects network faults (stalls, truncated bodies, 503s
// from something that is not AWS): a real network fault, not a fake of
// AWS. Requests the fault leaves alone go through to moto.
func faultProxy(t *testing.T, f fault) (proxyURL string, requests *atomic.Int64) {
	t.Helper()
	target, err := url.Parse(sandboxtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	sandboxtest.Reset(t)
	rp := httputil.NewSingleHostReverseProxy(target)
	requests = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f(requests.Add(1), w, r) {
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, requests
}

// truncate answers like moto but cuts the body in half and hangs up.
func truncate(t *testing.T, target string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequest(r.Method, target+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("proxy: %v", err)
			return
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode) // Content-Length is the whole body's
		w.Write(body[:len(body)/2])
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
			}
		}
	}
}

// loadVia is the config a command gets from awsx.Load, pointed at url.
func loadVia(t *testing.T, url string) *ec2.Client {
	t.Helper()
	t.Setenv("AWS_ENDPOINT_URL", url)
	cfg, err := awsx.Load(context.Background(), "", sandboxtest.Region, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ec2.NewFromConfig(cfg)
}

// TestRetriesTruncatedResponses: a response cut short is retried (it once
// ended every run at a 30 % fault rate).
func TestRetriesTruncatedResponses(t *testing.T) {
	cut := truncate(t, sandboxtest.URL(t))
	url, n := faultProxy(t, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n <= 2 {
			cut(w, r)
			return true
		}
		return false
	})
	if _, err := loadVia(t, url).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatalf("DescribeVpcs after two truncated responses: %v", err)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("%d requests, want 3 (two cut, one whole)", got)
	}
}

// TestRetries5xx: a 503 from a proxy in front of AWS is retried, and when
// it does not go away the error names the operation and the HTTP status,
// not "UnknownError".
func TestRetries5xx(t *testing.T) {
	html := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")
	}
	url, n := faultProxy(t, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n <= 2 {
			html(w)
			return true
		}
		return false
	})
	if _, err := loadVia(t, url).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatalf("DescribeVpcs after two 503s: %v", err)
	}
	if n.Load() != 3 {
		t.Errorf("%d requests, want 3", n.Load())
	}

	url, n = faultProxy(t, func(_ int64, w http.ResponseWriter, _ *http.Request) bool { html(w); return true })
	_, err := loadVia(t, url).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if err == nil {
		t.Fatal("DescribeVpcs through a proxy that always answers 503 succeeded")
	}
	if n.Load() < 2 || n.Load() > 10 {
		t.Errorf("%d attempts, want a bounded retry (2–10)", n.Load())
	}
	p := awsx.Classify(err)
	if p.Status != 503 || p.Action != "ec2:DescribeVpcs" || p.Code == "UnknownError" {
		t.Errorf("Classify = status %d, action %q, code %q; want 503, ec2:DescribeVpcs, not UnknownError", p.Status, p.Action, p.Code)
	}
	for _, want := range []string{"ec2:DescribeVpcs", "HTTP 503"} {
		if !strings.Contains(p.Message, want) {
			t.Errorf("Message %q does not say %q", p.Message, want)
		}
	}
	if !awsx.Transient(err) {
		t.Errorf("Transient(503) = false")
	}
}

// TestStalledAWSIsBounded: when nothing answers, a call ends at its
// context's deadline (what --timeout sets) and is reported as unreachable,
// not left hanging.
func TestStalledAWSIsBounded(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	url, _ := faultProxy(t, func(_ int64, w http.ResponseWriter, r *http.Request) bool {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return true
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := loadVia(t, url).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err == nil {
		t.Fatal("DescribeVpcs against a stalled endpoint succeeded")
	}
	if p := awsx.Classify(err); p.Kind != awsx.Unreachable || !p.TimedOut {
		t.Errorf("Classify = %v (timed out %v): %s; want unreachable, timed out", p.Kind, p.TimedOut, p.Message)
	}
}

func TestTransient(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{context.Canceled, false},
		{&awsx.NotReadOnlyError{Action: "ec2:CreateVpc"}, false},
		{errors.New("operation error EC2: DescribeVpcs, unexpected EOF"), true},
		{io.ErrUnexpectedEOF, true},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
	} {
		if got := awsx.Transient(tc.err); got != tc.want {
			t.Errorf("Transient(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestWholeReadThroughFaults: a whole account read (every resource type a
// lab checks) through a proxy that cuts short or 503s one request in three,
// the probe's fault rate, completes: every fault is retried.
func TestWholeReadThroughFaults(t *testing.T) {
	cut := truncate(t, sandboxtest.URL(t))
	// Only first attempts are hit (the SDK numbers them in the
	// amz-sdk-request header), so that the test cannot flake on a request
	// unlucky five times in a row.
	var first atomic.Int64
	proxyURL, n := faultProxy(t, func(_ int64, w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.Header.Get("Amz-Sdk-Request"), "attempt=1;") {
			return false
		}
		switch first.Add(1) % 6 {
		case 1:
			cut(w, r)
			return true
		case 4:
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "upstream connect error")
			return true
		}
		return false
	})
	t.Setenv("AWS_ENDPOINT_URL", proxyURL)
	cfg, err := awsx.Load(context.Background(), "", sandboxtest.Region, nil)
	if err != nil {
		t.Fatal(err)
	}
	var need account.Need
	for r := range account.Actions {
		need.Add(r)
	}
	snap, err := account.Load(context.Background(), cfg, need)
	if err != nil {
		t.Fatalf("account.Load through a 1-in-3 fault rate: %v", err)
	}
	if snap.Account == "" || first.Load() < 6 || n.Load() <= first.Load() {
		t.Errorf("account %q after %d requests (%d first attempts): want some faults retried", snap.Account, n.Load(), first.Load())
	}
}
