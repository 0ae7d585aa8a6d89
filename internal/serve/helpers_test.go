package serve_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/cli"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/internal/serve"
	"github.com/vpclab/vpclab/site"
)

// syncBuffer is a buffer that a running command writes to while a test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls until cond holds or the wait runs out. timeout is what an
// idle machine needs; the wait is stretched to half of what is left of the
// test's deadline, so a busy machine makes the test slower, not failed.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if d, ok := t.Deadline(); ok {
		timeout = max(timeout, time.Until(d)/2)
	}
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// running is `vpclab serve` running in-process.
type running struct {
	URL    string // http://127.0.0.1:PORT/
	Stdout *syncBuffer
	Stderr *syncBuffer
	stop   context.CancelFunc
	code   chan int
}

// Stop is Ctrl-C: it cancels the command's context and returns its exit
// status.
func (r *running) Stop(t *testing.T) int {
	t.Helper()
	r.stop()
	select {
	case code := <-r.code:
		r.code <- code
		return code
	case <-time.After(10 * time.Second):
		t.Fatalf("vpclab serve did not stop within 10s of Ctrl-C; stderr:\n%s", r.Stderr)
		return -1
	}
}

var urlLine = regexp.MustCompile(`(?m)^(http://\S+/)$`)

// startServe runs `vpclab serve args...` in-process in dir and waits for
// the address it prints. The command stops when the test ends.
func startServe(t *testing.T, dir string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, stop: cancel, code: make(chan int, 1)}
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: r.Stdout, Stderr: r.Stderr, Getenv: os.Getenv, Dir: dir, Ctx: ctx}
	go func() { r.code <- cli.Run(append([]string{"serve", "--lang", "en"}, args...), env) }()
	t.Cleanup(func() { r.Stop(t) })
	waitFor(t, 10*time.Second, "vpclab serve to print its address", func() bool {
		select {
		case code := <-r.code:
			r.code <- code
			t.Fatalf("vpclab serve exited with %d before serving; stderr:\n%s", code, r.Stderr)
		default:
		}
		return urlLine.MatchString(r.Stdout.String())
	})
	r.URL = urlLine.FindStringSubmatch(r.Stdout.String())[1]
	return r
}

// hostPort is the server's host:port, as browsers send it in Host.
func hostPort(t *testing.T, rawURL string) string {
	t.Helper()
	s := strings.TrimSuffix(strings.TrimPrefix(rawURL, "http://"), "/")
	if _, _, err := net.SplitHostPort(s); err != nil {
		t.Fatalf("not host:port: %q", s)
	}
	return s
}

// builtinLabs are the labs shipped in the binary.
func builtinLabs(t *testing.T) []*content.Lab {
	t.Helper()
	labs, ds, err := content.Load(content.Embedded(), "labs")
	if err != nil || len(ds) > 0 {
		t.Fatalf("built-in labs: %v %v", err, ds)
	}
	return labs
}

// fakeServer is a Server on 127.0.0.1:0 over the built-in labs whose
// checks are check.
type fakeServer struct {
	*serve.Server
	URL   string
	Host  string
	Token string
}

func startFake(t *testing.T, check serve.CheckFunc, prog func() *progress.Progress) *fakeServer {
	t.Helper()
	tok, err := serve.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	st, err := site.New(builtinLabs(t), site.Options{Live: true, Token: tok})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := serve.New(st, serve.Options{Addr: "127.0.0.1:0", Token: tok, Check: check, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &fakeServer{Server: srv, URL: srv.URL(), Host: hostPort(t, srv.URL()), Token: tok}
}

// request is one hand-made HTTP request.
type request struct {
	method, path string
	host         string // "" = the server's own
	header       map[string]string
	body         string
}

type response struct {
	status int
	header http.Header
	body   string
	json   map[string]any
}

// do sends req to the server at base with a plain client (no redirects
// followed, no browser headers).
func do(t *testing.T, base string, req request) response {
	t.Helper()
	if req.method == "" {
		req.method = http.MethodGet
	}
	hr, err := http.NewRequest(req.method, strings.TrimSuffix(base, "/")+req.path, strings.NewReader(req.body))
	if err != nil {
		t.Fatal(err)
	}
	if req.host != "" {
		hr.Host = req.host
	}
	for k, v := range req.header {
		hr.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, body: string(data)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(data, &out.json); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %v\n%s", req.method, req.path, err, data)
		}
	}
	return out
}

// checkCall posts a check request with the right token unless header
// says otherwise.
func (f *fakeServer) check(t *testing.T, body string, header map[string]string) response {
	t.Helper()
	h := map[string]string{"Content-Type": "application/json", serve.TokenHeader: f.Token}
	for k, v := range header {
		if v == "" {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	return do(t, f.URL, request{method: http.MethodPost, path: "/api/check", header: h, body: body})
}

// lines splits s into lines.
func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

var _ = i18n.EN
