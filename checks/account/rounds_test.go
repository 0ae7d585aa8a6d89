package account_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// roundProxy stands in front of the sandbox on loopback, holds every
// request for delay (a real AWS endpoint's round trip) and counts the
// client's dependent rounds: a request's depth is one more than the
// deepest request that had answered before it was sent, so calls sent
// together share a round and a call that waited for another adds one.
type roundProxy struct {
	delay time.Duration
	next  http.Handler

	mu    sync.Mutex
	done  []finished
	calls int
	depth int
}

type finished struct {
	at    time.Time
	depth int
}

func (p *roundProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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

// begin starts a new load: rounds are counted within one.
func (p *roundProxy) begin() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = nil
}

func (p *roundProxy) reset() (calls, rounds int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	calls, rounds = p.calls, p.depth
	p.done, p.calls, p.depth = nil, 0, 0
	return calls, rounds
}

// BenchmarkLoadRounds loads what nat-private-egress's checks need (the
// whole lab, and the checks of each step: what a --wait retry of that
// step reads when all its checks fail, less the identity call) from a
// sandbox with a lab in it, through a proxy adding 100 ms to every
// request, and reports the
// dependent rounds and the calls per load. Rounds are counted, not timed:
// on a busy machine only ns/op moves.
//
//	go test ./checks/account -run '^$' -bench LoadRounds -benchtime 5x
func BenchmarkLoadRounds(b *testing.B) {
	cfg := sandboxtest.Config(b)
	buildLab(b, cfg)
	target, err := url.Parse(aws.ToString(cfg.BaseEndpoint))
	if err != nil {
		b.Fatal(err)
	}
	p := &roundProxy{delay: 100 * time.Millisecond, next: httputil.NewSingleHostReverseProxy(target)}
	srv := httptest.NewServer(p) // 127.0.0.1: the sandbox's guard accepts it
	defer srv.Close()
	pcfg := cfg.Copy()
	pcfg.BaseEndpoint = aws.String(srv.URL)

	labs, diags, err := content.Load(os.DirFS("../../content"), "labs")
	if err != nil || diags.Err() != nil {
		b.Fatalf("content: %v %v", err, diags)
	}
	lab := content.Find(labs, "nat-private-egress")
	if lab == nil {
		b.Fatal("no nat-private-egress lab")
	}
	type set struct {
		name   string
		blocks []*content.CheckBlock
	}
	sets := []set{{"whole-lab", lab.Checks()}}
	for _, c := range lab.Checks() {
		if c.Step == nil {
			continue
		}
		if n := "step-" + c.Step.ID; sets[len(sets)-1].name == n {
			sets[len(sets)-1].blocks = append(sets[len(sets)-1].blocks, c)
		} else {
			sets = append(sets, set{n, []*content.CheckBlock{c}})
		}
	}
	for _, tc := range sets {
		need := checks.NeedOf(tc.blocks)
		b.Run(tc.name, func(b *testing.B) {
			p.reset()
			for b.Loop() {
				p.begin()
				if _, err := account.Load(context.Background(), pcfg, need); err != nil {
					b.Fatal(err)
				}
			}
			calls, rounds := p.reset()
			b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
			b.ReportMetric(float64(rounds), "rounds")
		})
	}
}
