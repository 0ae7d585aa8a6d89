package mutate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/vpclab/vpclab/internal/awsx"
)

// moto has no snapshot/restore. The cheapest faithful restore is a replay:
// every request the lab's own commands send goes through this loopback
// proxy and is kept, per step; /moto-api/seed is set at the start of each
// step, so that reset + (seed, replay) per step rebuilds the very same ids
// the shell variables hold. Reads are kept too: some consume moto's random
// numbers (measured: DescribeVpcs --vpc-ids, as in "aws ec2 wait
// vpc-available", shifts every later id).

// call is one recorded write.
type call struct {
	method, path string
	header       http.Header
	body         []byte
}

// recorder is the proxy in front of moto.
type recorder struct {
	target *url.URL
	ln     net.Listener
	srv    *http.Server
	client *http.Client
	proxy  *httputil.ReverseProxy

	mu       sync.Mutex
	segments [][]call // one per step whose blocks ran
	on       bool
	// regions are those any request through the proxy was signed for,
	// recording or not; unsigned is set by a request whose Region cannot
	// be read (then any enabled Region may hold something).
	regions  map[string]bool
	unsigned bool
}

func startRecorder(motoURL string) (*recorder, error) {
	if err := checkLoopback(motoURL); err != nil {
		return nil, err
	}
	u, _ := url.Parse(motoURL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &recorder{target: u, ln: ln, client: &http.Client{Transport: &http.Transport{Proxy: nil}}, regions: map[string]bool{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.Transport = &http.Transport{Proxy: nil}
	r.proxy = proxy
	r.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(io.LimitReader(req.Body, 64<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		r.mu.Lock()
		if region, _ := awsx.CredentialScope(req.Header.Get("Authorization")); region != "" {
			r.regions[region] = true
		} else {
			r.unsigned = true
		}
		if r.on && len(r.segments) > 0 {
			seg := &r.segments[len(r.segments)-1]
			*seg = append(*seg, call{method: req.Method, path: req.URL.RequestURI(), header: req.Header.Clone(), body: body})
		}
		r.mu.Unlock()
		proxy.ServeHTTP(w, req)
	})}
	go r.srv.Serve(ln)
	return r, nil
}

// URL is where the lab's shell sends its AWS CLI calls.
func (r *recorder) URL() string { return "http://" + r.ln.Addr().String() }

func (r *recorder) close() {
	_ = r.srv.Close()
	r.client.CloseIdleConnections()
	if t, ok := r.proxy.Transport.(*http.Transport); ok {
		t.CloseIdleConnections()
	}
}

// begin opens a new segment (a step's blocks) and records into it.
func (r *recorder) begin() {
	r.mu.Lock()
	r.segments = append(r.segments, nil)
	r.on = true
	r.mu.Unlock()
}

// pause stops recording (mutants and fixes are never recorded).
func (r *recorder) pause() {
	r.mu.Lock()
	r.on = false
	r.mu.Unlock()
}

func (r *recorder) calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, s := range r.segments {
		n += len(s)
	}
	return n
}

// touched are the Regions, other than except, that any request through
// the proxy went to; ok is false when one went where the proxy could not
// tell.
func (r *recorder) touched(except string) (regions []string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	regions = []string{}
	for region := range r.regions {
		if region != except {
			regions = append(regions, region)
		}
	}
	slices.Sort(regions)
	return regions, !r.unsigned
}

// stepSeed is the seed of the i-th segment.
func stepSeed(i int) int { return 7000 + i }

// seed makes moto's ids deterministic from here on.
func (r *recorder) seed(ctx context.Context, i int) error {
	return r.post(ctx, fmt.Sprintf("/moto-api/seed?a=%d", stepSeed(i)), "")
}

func (r *recorder) post(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.target.String()+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %s", path, resp.Status)
	}
	return nil
}

// replay sends segment i's writes to moto again, in order. Answers are
// not compared: the fingerprint after the whole replay is.
func (r *recorder) replay(ctx context.Context, i int) error {
	r.mu.Lock()
	seg := append([]call(nil), r.segments[i]...)
	r.mu.Unlock()
	for _, c := range seg {
		req, err := http.NewRequestWithContext(ctx, c.method, r.target.String()+c.path, bytes.NewReader(c.body))
		if err != nil {
			return err
		}
		req.Header = c.header.Clone()
		req.Host = r.target.Host
		resp, err := r.client.Do(req)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return nil
}
