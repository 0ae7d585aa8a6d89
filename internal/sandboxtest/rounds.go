package sandboxtest

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"
)

// RoundProxy stands in front of the sandbox on 127.0.0.1, holds every
// request for a delay (a real AWS endpoint's round trip) and counts the
// client's dependent rounds: a request's depth is one more than the
// deepest request that had answered before it was sent, so calls sent
// together share a round and a call that waited for another adds one.
// Rounds are counted, not timed: on a busy machine only the time moves.
type RoundProxy struct {
	URL string // where to send the client (its BaseEndpoint)

	delay time.Duration
	next  http.Handler
	srv   *httptest.Server

	mu    sync.Mutex
	done  []finished
	calls int
	depth int
}

type finished struct {
	at    time.Time
	depth int
}

// NewRoundProxy starts a RoundProxy in front of the sandbox at endpoint,
// stopped when the test ends.
func NewRoundProxy(tb testing.TB, endpoint string, delay time.Duration) *RoundProxy {
	tb.Helper()
	target, err := url.Parse(endpoint)
	if err != nil {
		tb.Fatal(err)
	}
	p := &RoundProxy{delay: delay, next: httputil.NewSingleHostReverseProxy(target)}
	p.srv = httptest.NewServer(p) // 127.0.0.1: the sandbox's guard accepts it
	tb.Cleanup(p.Close)
	p.URL = p.srv.URL
	return p
}

// Close stops the proxy before the test ends.
func (p *RoundProxy) Close() { p.srv.Close() }

func (p *RoundProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sent := time.Now()
	p.mu.Lock()
	d := 1
	for _, f := range p.done {
		if !f.at.After(sent) && f.depth+1 > d {
			d = f.depth + 1
		}
	}
	p.mu.Unlock()
	time.Sleep(p.delay)
	p.next.ServeHTTP(w, r)
	p.mu.Lock()
	p.done = append(p.done, finished{time.Now(), d})
	p.calls++
	p.depth = max(p.depth, d)
	p.mu.Unlock()
}

// Begin starts a new load: rounds are counted within one, and Take gives
// the deepest of the loads since the last Take.
func (p *RoundProxy) Begin() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = nil
}

// Take returns the calls and rounds since the last Take.
func (p *RoundProxy) Take() (calls, rounds int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	calls, rounds = p.calls, p.depth
	p.done, p.calls, p.depth = nil, 0, 0
	return calls, rounds
}
