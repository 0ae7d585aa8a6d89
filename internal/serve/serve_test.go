package serve_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/internal/serve"
	"github.com/vpclab/vpclab/site"
)

// okCheck answers every check with the request it got, and counts calls.
type okCheck struct {
	calls atomic.Int32
	mu    sync.Mutex
	last  serve.CheckRequest
}

func (c *okCheck) run(_ context.Context, req serve.CheckRequest) (any, error) {
	c.calls.Add(1)
	c.mu.Lock()
	c.last = req
	c.mu.Unlock()
	return map[string]any{"lab": req.Lab.ID, "step": req.Step, "lang": string(req.Loc.Lang()), "results": []any{}}, nil
}

func (c *okCheck) lastLang() i18n.Lang {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last.Loc.Lang()
}

const validBody = `{"lab":"first-vpc","step":"create-vpc","lang":"en"}`

func TestNewToken(t *testing.T) {
	a, err := serve.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := serve.NewToken()
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 32 {
		t.Errorf("token %q: %d bytes, %v; want 32 random bytes, base64url", a, len(raw), err)
	}
	if a == b {
		t.Error("two tokens are equal")
	}
}

func TestListenLoopbackOnly(t *testing.T) {
	st, err := site.New(builtinLabs(t), site.Options{Live: true, Token: strings.Repeat("t", 43)})
	if err != nil {
		t.Fatal(err)
	}
	newServer := func(addr string, remote bool) *serve.Server {
		s, err := serve.New(st, serve.Options{Addr: addr, AllowRemote: remote, Token: strings.Repeat("t", 43),
			Check: (&okCheck{}).run})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if host, _, _ := net.SplitHostPort(serve.DefaultAddr); !serve.IsLoopback(host) {
		t.Errorf("DefaultAddr %s is not loopback", serve.DefaultAddr)
	}
	if got := serve.NormalizeAddr("8080"); got != "127.0.0.1:8080" {
		t.Errorf("NormalizeAddr(8080) = %s", got)
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "example.com:0", "127.0.0.1.nip.io:0"} {
		err := newServer(addr, false).Listen()
		var nl *serve.NotLoopbackError
		if !errors.As(err, &nl) {
			t.Errorf("Listen(%s) = %v; want a NotLoopbackError", addr, err)
		}
	}
	var bad *serve.BadAddrError
	if err := newServer("127.0.0.1", false).Listen(); !errors.As(err, &bad) {
		t.Errorf("Listen(127.0.0.1) = %v; want a BadAddrError", err)
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "127.0.0.2:0", "[::1]:0"} {
		s := newServer(addr, false)
		if err := s.Listen(); err != nil {
			if addr == "[::1]:0" {
				t.Logf("no IPv6 loopback here: %v", err)
				continue
			}
			t.Errorf("Listen(%s): %v", addr, err)
			continue
		}
		ip := s.Addr().(*net.TCPAddr).IP
		if !ip.IsLoopback() || !s.Loopback() {
			t.Errorf("Listen(%s) bound %v", addr, s.Addr())
		}
		if !strings.HasPrefix(s.URL(), "http://127.0.0.") && !strings.HasPrefix(s.URL(), "http://[::1]:") {
			t.Errorf("URL() = %s", s.URL())
		}
		// The address it tells the user to open is one it answers at.
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx) }()
		if r := do(t, s.URL(), request{path: "/"}); r.status != http.StatusOK {
			t.Errorf("GET %s: %d", s.URL(), r.status)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
	// --allow-remote: the same address is then accepted.
	s := newServer("0.0.0.0:0", true)
	if err := s.Listen(); err != nil {
		t.Fatalf("Listen(0.0.0.0:0) with AllowRemote: %v", err)
	}
	if s.Loopback() {
		t.Error("0.0.0.0 reported as loopback")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = s.Serve(ctx)
}

func TestHostHeader(t *testing.T) {
	f := startFake(t, (&okCheck{}).run, nil)
	_, port, _ := net.SplitHostPort(f.Host)
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port} {
		if r := do(t, f.URL, request{path: "/en/index.html", host: host}); r.status != http.StatusOK {
			t.Errorf("Host %s: %d, want 200", host, r.status)
		}
	}
	// DNS rebinding: attacker.example resolves to 127.0.0.1, the browser
	// sends its own name.
	for _, host := range []string{"attacker.example:" + port, "attacker.example", "127.0.0.1", "127.0.0.1:1", "localhost.attacker.example:" + port, "0.0.0.0:" + port} {
		r := do(t, f.URL, request{path: "/en/index.html", host: host})
		if r.status != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: %d, want 421", host, r.status)
		}
		if strings.Contains(r.body, "vpclab-token") {
			t.Errorf("Host %s: the token leaked", host)
		}
		r = do(t, f.URL, request{method: http.MethodPost, path: "/api/check", host: host,
			header: map[string]string{"Content-Type": "application/json", serve.TokenHeader: f.Token}, body: validBody})
		if r.status != http.StatusMisdirectedRequest {
			t.Errorf("POST with Host %s: %d, want 421", host, r.status)
		}
	}
}

func TestOrigin(t *testing.T) {
	c := &okCheck{}
	f := startFake(t, c.run, nil)
	_, port, _ := net.SplitHostPort(f.Host)
	for _, origin := range []string{"http://attacker.example", "null", "http://localhost:" + port, "https://" + f.Host, "http://" + f.Host + ".attacker.example", "http://" + f.Host + "/"} {
		if r := f.check(t, validBody, map[string]string{"Origin": origin}); r.status != http.StatusForbidden {
			t.Errorf("POST with Origin %s: %d, want 403", origin, r.status)
		}
		if r := do(t, f.URL, request{path: "/en/first-vpc/", header: map[string]string{"Origin": origin}}); r.status != http.StatusForbidden {
			t.Errorf("GET with Origin %s: %d, want 403", origin, r.status)
		}
	}
	if n := c.calls.Load(); n != 0 {
		t.Errorf("%d refused requests reached the checks", n)
	}
	if r := f.check(t, validBody, map[string]string{"Origin": "http://" + f.Host}); r.status != http.StatusOK {
		t.Errorf("POST with the server's own Origin: %d %s", r.status, r.body)
	}
	// A page loaded from localhost:PORT calls localhost:PORT.
	r := do(t, f.URL, request{method: http.MethodPost, path: "/api/check", host: "localhost:" + port,
		header: map[string]string{"Origin": "http://localhost:" + port, "Content-Type": "application/json", serve.TokenHeader: f.Token}, body: validBody})
	if r.status != http.StatusOK {
		t.Errorf("localhost page calling localhost: %d %s", r.status, r.body)
	}
	// Browsers mark cross-site requests even when Origin is stripped.
	if r := f.check(t, validBody, map[string]string{"Sec-Fetch-Site": "cross-site"}); r.status != http.StatusForbidden {
		t.Errorf("Sec-Fetch-Site cross-site: %d, want 403", r.status)
	}
	if r := f.check(t, validBody, map[string]string{"Sec-Fetch-Site": "same-origin"}); r.status != http.StatusOK {
		t.Errorf("Sec-Fetch-Site same-origin: %d", r.status)
	}
}

func TestAPIRefusals(t *testing.T) {
	c := &okCheck{}
	f := startFake(t, c.run, nil)
	tests := []struct {
		name   string
		method string
		header map[string]string
		body   string
		want   int
		code   string
	}{
		{"no token", "", map[string]string{serve.TokenHeader: ""}, validBody, 403, "token"},
		{"wrong token", "", map[string]string{serve.TokenHeader: strings.Repeat("A", 43)}, validBody, 403, "token"},
		{"short token", "", map[string]string{serve.TokenHeader: f.Token[:10]}, validBody, 403, "token"},
		{"token with extra", "", map[string]string{serve.TokenHeader: f.Token + "x"}, validBody, 403, "token"},
		{"form post", "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, validBody, 415, "content-type"},
		{"text/plain (a CORS simple request)", "", map[string]string{"Content-Type": "text/plain"}, validBody, 415, "content-type"},
		{"no content type", "", map[string]string{"Content-Type": ""}, validBody, 415, "content-type"},
		{"GET", http.MethodGet, nil, "", 405, "method"},
		{"PUT", http.MethodPut, nil, validBody, 405, "method"},
		{"OPTIONS preflight", http.MethodOptions, nil, "", 405, "method"},
		{"too large", "", nil, `{"lab":"first-vpc","step":"` + strings.Repeat("x", serve.MaxBody) + `"}`, 413, "too-large"},
		{"not JSON", "", nil, `lab=first-vpc`, 400, "bad-request"},
		{"two objects", "", nil, validBody + validBody, 400, "bad-request"},
		{"unknown lab", "", nil, `{"lab":"no-such-lab"}`, 404, "unknown-lab"},
		{"unknown step", "", nil, `{"lab":"first-vpc","step":"no-such-step"}`, 404, "unknown-step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": "application/json", serve.TokenHeader: f.Token}
			for k, v := range tt.header {
				if v == "" {
					delete(h, k)
				} else {
					h[k] = v
				}
			}
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			r := do(t, f.URL, request{method: method, path: "/api/check", header: h, body: tt.body})
			if r.status != tt.want || r.json["code"] != tt.code {
				t.Errorf("%d %v; want %d with code %q", r.status, r.json, tt.want, tt.code)
			}
			if msg, _ := r.json["error"].(string); msg == "" {
				t.Errorf("no error message: %s", r.body)
			}
			if tt.want == 405 && r.header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q", r.header.Get("Allow"))
			}
		})
	}
	if n := c.calls.Load(); n != 0 {
		t.Errorf("%d refused requests reached the checks", n)
	}
	if r := f.check(t, validBody, map[string]string{"Content-Type": "application/json; charset=utf-8"}); r.status != 200 || r.json["lab"] != "first-vpc" {
		t.Errorf("a valid request: %d %s", r.status, r.body)
	}
	if r := f.check(t, `{"lab":"first-vpc"}`, nil); r.status != 200 || r.json["step"] != "" {
		t.Errorf("the whole lab: %d %s", r.status, r.body)
	}
	if r := do(t, f.URL, request{path: "/api/other"}); r.status != 404 {
		t.Errorf("/api/other: %d", r.status)
	}
}

func TestAPILanguage(t *testing.T) {
	c := &okCheck{}
	f := startFake(t, c.run, nil)
	tests := []struct {
		name   string
		body   string
		header map[string]string
		want   i18n.Lang
	}{
		{"lang field", `{"lab":"first-vpc","lang":"ja"}`, nil, i18n.JA},
		{"lang field wins over Referer", `{"lab":"first-vpc","lang":"en"}`, map[string]string{"Referer": f.URL + "ja/first-vpc/index.html"}, i18n.EN},
		{"Referer", `{"lab":"first-vpc"}`, map[string]string{"Referer": f.URL + "ja/first-vpc/index.html"}, i18n.JA},
		{"Accept-Language", `{"lab":"first-vpc"}`, map[string]string{"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5"}, i18n.JA},
		{"nothing", `{"lab":"first-vpc"}`, nil, i18n.EN},
		{"unknown lang", `{"lab":"first-vpc","lang":"fr"}`, nil, i18n.EN},
	}
	for _, tt := range tests {
		if r := f.check(t, tt.body, tt.header); r.status != 200 {
			t.Fatalf("%s: %d %s", tt.name, r.status, r.body)
		}
		if got := c.lastLang(); got != tt.want {
			t.Errorf("%s: language %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	var fail atomic.Pointer[error]
	set := func(err error) { fail.Store(&err) }
	f := startFake(t, func(ctx context.Context, req serve.CheckRequest) (any, error) {
		return nil, *fail.Load()
	}, nil)
	set(&serve.Error{Status: http.StatusBadGateway, Message: "no credentials, in words", Code: "aws-nocredentials"})
	r := f.check(t, validBody, nil)
	if r.status != http.StatusBadGateway || r.json["error"] != "no credentials, in words" || r.json["code"] != "aws-nocredentials" {
		t.Errorf("a CheckFunc's Error: %d %v", r.status, r.json)
	}
	set(errors.New("boom"))
	r = f.check(t, validBody, nil)
	if msg, _ := r.json["error"].(string); r.status != http.StatusInternalServerError || r.json["code"] != "internal" || msg == "" {
		t.Errorf("another error: %d %v", r.status, r.json)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := startFake(t, (&okCheck{}).run, nil)
	_, port, _ := net.SplitHostPort(f.Host)
	for _, req := range []request{
		{path: "/"},
		{path: "/en/first-vpc/"},
		{path: "/assets/site.js"},
		{path: "/badges/first-vpc.en.svg"},
		{path: "/no/such/page"},
		{path: "/en/index.html", host: "attacker.example:" + port},
		{path: "/en/index.html", header: map[string]string{"Origin": "http://attacker.example"}},
		{method: http.MethodGet, path: "/api/check"},
		{method: http.MethodPost, path: "/api/check"},
	} {
		r := do(t, f.URL, req)
		for k, want := range map[string]string{
			"Content-Security-Policy": serve.CSP,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"X-Frame-Options":         "DENY",
		} {
			if got := r.header.Get(k); got != want {
				t.Errorf("%s %s (%d): %s = %q, want %q", req.method, req.path, r.status, k, got, want)
			}
		}
	}
	for _, part := range []string{"default-src 'self'", "script-src 'self';", "img-src 'self' data:", "frame-ancestors 'none'"} {
		if !strings.Contains(serve.CSP, part) {
			t.Errorf("CSP lacks %q", part)
		}
	}
	if strings.Contains(serve.CSP, "unsafe-eval") || strings.Contains(strings.Split(serve.CSP, "script-src")[1], "unsafe-inline;") {
		t.Error("CSP lets scripts run from the page itself")
	}
}

func TestPagesFromMemory(t *testing.T) {
	dir := t.TempDir()
	store := progress.Open(filepath.Join(dir, "progress.json"))
	var loads atomic.Int32
	f := startFake(t, (&okCheck{}).run, func() *progress.Progress {
		loads.Add(1)
		p, _, err := store.Load()
		if err != nil {
			t.Error(err)
		}
		return p
	})
	r := do(t, f.URL, request{path: "/en/first-vpc/"})
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("lab page: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if !strings.Contains(r.body, `<meta name="vpclab-token" content="`+f.Token+`">`) || !strings.Contains(r.body, "data-live") {
		t.Error("the lab page is not the live site with this run's token")
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("lab page Cache-Control = %q", r.header.Get("Cache-Control"))
	}
	for path, want := range map[string]int{"/": 200, "/en/": 200, "/ja/first-vpc/index.html": 200, "/assets/site.css": 200,
		"/badges/overall.ja.svg": 200, "/xx/": 404, "/en/no-lab/": 404, "/../../etc/passwd": 404, "/.vpclab-site": 404} {
		if r := do(t, f.URL, request{path: path}); r.status != want {
			t.Errorf("GET %s: %d, want %d", path, r.status, want)
		}
	}
	if r := do(t, f.URL, request{path: "/en/first-vpc"}); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/en/first-vpc/" {
		t.Errorf("/en/first-vpc: %d to %q", r.status, r.header.Get("Location"))
	}
	if r := do(t, f.URL, request{method: http.MethodPost, path: "/en/index.html", header: map[string]string{"Content-Type": "application/json"}}); r.status != 405 {
		t.Errorf("POST to a page: %d", r.status)
	}
	if r := do(t, f.URL, request{method: http.MethodHead, path: "/en/index.html"}); r.status != 200 || r.body != "" {
		t.Errorf("HEAD: %d %q", r.status, r.body)
	}

	// Progress is read for each badge: a check recorded by anyone shows
	// at once.
	badge := func() string { return do(t, f.URL, request{path: "/badges/first-vpc.en.svg"}).body }
	before := badge()
	if !strings.Contains(before, "not started") {
		t.Errorf("badge before any check: %s", before)
	}
	if _, err := store.Record(progress.Record{Account: "123456789012", Region: "us-east-1", Lab: "first-vpc", Step: "create-vpc",
		Check: "vpc-exists", Status: progress.StatusPass, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	after := badge()
	if !strings.Contains(after, "1 / 2 steps") || !strings.Contains(after, string(site.InProgress.Color())) {
		t.Errorf("badge after a recorded pass: %s", after)
	}
	if loads.Load() < 3 {
		t.Errorf("progress loaded %d times; want once per page and badge", loads.Load())
	}
}

func TestSetSite(t *testing.T) {
	f := startFake(t, (&okCheck{}).run, nil)
	labs := builtinLabs(t)
	var keep = labs[:0:0]
	for _, l := range labs {
		if l.ID != "first-vpc" {
			keep = append(keep, l)
		}
	}
	st, err := site.New(keep, site.Options{Live: true, Token: f.Token})
	if err != nil {
		t.Fatal(err)
	}
	f.SetSite(st)
	if r := do(t, f.URL, request{path: "/en/first-vpc/"}); r.status != 404 {
		t.Errorf("a lab removed from the site: %d", r.status)
	}
	if r := f.check(t, validBody, nil); r.status != 404 {
		t.Errorf("checking a removed lab: %d", r.status)
	}
}

// Ctrl-C while a check runs: the check is cancelled and Serve returns
// promptly, with nil.
func TestShutdownCancelsChecks(t *testing.T) {
	tok, _ := serve.NewToken()
	st, _ := site.New(builtinLabs(t), site.Options{Live: true, Token: tok})
	started := make(chan struct{})
	cancelled := make(chan struct{})
	srv, err := serve.New(st, serve.Options{Addr: "127.0.0.1:0", Token: tok, Check: func(ctx context.Context, req serve.CheckRequest) (any, error) {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"api/check", strings.NewReader(validBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(serve.TokenHeader, tok)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the check did not start")
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(7 * time.Second):
		t.Fatal("Serve did not return after its context was cancelled")
	}
	select {
	case <-cancelled:
	default:
		t.Error("the running check was not cancelled")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if _, err := net.DialTimeout("tcp", srv.Addr().String(), time.Second); err == nil {
		t.Error("still listening after shutdown")
	}
}

func TestWatch(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("labs/a/index.en.md", "one")
	write("labs/b/index.en.md", "one")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan []serve.Change, 10)
	go serve.Watch(ctx, dir, 10*time.Millisecond, func(cs []serve.Change) { got <- cs })
	next := func() []serve.Change {
		t.Helper()
		select {
		case cs := <-got:
			return cs
		case <-time.After(3 * time.Second):
			t.Fatal("no change reported")
			return nil
		}
	}
	time.Sleep(30 * time.Millisecond)
	write("labs/a/index.en.md", "one, longer") // size changes even if the clock is coarse
	write("labs/a/.index.en.md.swp", "ignored")
	if cs := next(); len(cs) != 1 || cs[0] != (serve.Change{Path: "labs/a/index.en.md", Kind: serve.Modified}) {
		t.Errorf("modified: %v", cs)
	}
	write("labs/c/index.ja.md", "new")
	if err := os.Remove(filepath.Join(dir, "labs/b/index.en.md")); err != nil {
		t.Fatal(err)
	}
	cs := next()
	if len(cs) == 1 { // the two changes can straddle a poll
		cs = append(cs, next()...)
	}
	want := []serve.Change{{Path: "labs/b/index.en.md", Kind: serve.Removed}, {Path: "labs/c/index.ja.md", Kind: serve.Added}}
	if len(cs) != 2 || cs[0] != want[0] || cs[1] != want[1] {
		t.Errorf("added and removed: %v, want %v", cs, want)
	}
	cancel()
}
