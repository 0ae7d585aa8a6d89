package serve_test

import (
	"context"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/cli"
	"github.com/vpclab/vpclab/internal/serve"
)

// runServe runs `vpclab serve args...` that is expected to stop on its own
// (a usage error, a port in use) and returns its exit status and output.
func runServe(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var stdout, stderr syncBuffer
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: os.Getenv, Dir: dir, Ctx: ctx}
	code := cli.Run(append([]string{"serve", "--lang", "en"}, args...), env)
	if ctx.Err() != nil {
		t.Fatalf("vpclab serve %v did not stop on its own", args)
	}
	return code, stdout.String(), stderr.String()
}

func TestServeRefusesRemoteAddress(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		code, stdout, stderr := runServe(t, t.TempDir(), "--addr", addr)
		if code != cli.ExitUsage || stdout != "" {
			t.Errorf("--addr %s: exit %d, stdout %q; want 2 and nothing served\n%s", addr, code, stdout, stderr)
		}
	}
	if code, _, stderr := runServe(t, t.TempDir(), "--addr", "nonsense"); code != cli.ExitUsage {
		t.Errorf("--addr nonsense: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runServe(t, t.TempDir(), "extra"); code != cli.ExitUsage {
		t.Errorf("an argument: exit %d\n%s", code, stderr)
	}
}

func TestServeAllowRemoteWarns(t *testing.T) {
	srv := startServe(t, t.TempDir(), "--addr", "0.0.0.0:0", "--allow-remote")
	if !strings.Contains(srv.Stderr.String(), strings.Repeat("!", 72)) {
		t.Errorf("no loud warning for a remote address:\n%s", srv.Stderr)
	}
	if r := do(t, srv.URL, request{path: "/en/index.html"}); r.status != http.StatusOK {
		t.Errorf("GET from this machine: %d", r.status)
	}
	// Still no other site's Host.
	_, port, _ := net.SplitHostPort(hostPort(t, srv.URL))
	if r := do(t, srv.URL, request{path: "/en/index.html", host: "attacker.example:" + port}); r.status != http.StatusMisdirectedRequest {
		t.Errorf("a foreign Host with --allow-remote: %d", r.status)
	}
	if code := srv.Stop(t); code != cli.ExitOK {
		t.Errorf("exit %d after Ctrl-C", code)
	}
}

func TestServeLoopbackByDefault(t *testing.T) {
	srv := startServe(t, t.TempDir(), "--addr", "127.0.0.1:0")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/$`).MatchString(srv.URL) {
		t.Errorf("URL %q", srv.URL)
	}
	if strings.Contains(srv.Stderr.String(), strings.Repeat("!", 72)) {
		t.Error("a warning on loopback")
	}
	if code := srv.Stop(t); code != cli.ExitOK {
		t.Errorf("exit %d after Ctrl-C", code)
	}
	if _, err := net.DialTimeout("tcp", hostPort(t, srv.URL), time.Second); err == nil {
		t.Error("still listening after Ctrl-C")
	}
	host, _, _ := net.SplitHostPort(serve.DefaultAddr)
	if host != "127.0.0.1" {
		t.Errorf("the default address is %s", serve.DefaultAddr)
	}
}

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if code, stdout, stderr := runServe(t, t.TempDir(), "--addr", ln.Addr().String()); code != cli.ExitFail || stdout != "" {
		t.Errorf("a port in use: exit %d, stdout %q\n%s", code, stdout, stderr)
	}
}

func TestServeWatchNeedsFolder(t *testing.T) {
	// Not a checkout and no --content: the built-in labs, nothing to watch.
	if code, _, stderr := runServe(t, t.TempDir(), "--addr", "127.0.0.1:0", "--watch"); code != cli.ExitUsage {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// copyLab writes the built-in lab id into dir/id.
func copyLab(t *testing.T, dir, id string) {
	t.Helper()
	src := path.Join("labs", id)
	err := fs.WalkDir(content.Embedded(), src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(content.Embedded(), p)
		if err != nil {
			return err
		}
		out := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, "labs/")))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestServeWatch(t *testing.T) {
	t.Run("folder of labs", func(t *testing.T) {
		dir := t.TempDir()
		copyLab(t, dir, "first-vpc")
		page := filepath.Join(dir, "first-vpc", "index.en.md")
		testWatch(t, t.TempDir(), dir, page, filepath.ToSlash(page))
	})
	t.Run("one lab, relative", func(t *testing.T) {
		cwd := t.TempDir()
		copyLab(t, filepath.Join(cwd, "labs"), "first-vpc")
		page := filepath.Join(cwd, "labs", "first-vpc", "index.en.md")
		testWatch(t, cwd, filepath.Join("labs", "first-vpc"), page, "labs/first-vpc/index.en.md")
	})
}

// testWatch runs vpclab serve --watch in cwd on --content dir and edits
// page, which lint calls shown.
func testWatch(t *testing.T, cwd, dir, page, shown string) {
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, cwd, "--addr", "127.0.0.1:0", "--content", dir, "--watch")
	h1 := func() string {
		r := do(t, srv.URL, request{path: "/en/first-vpc/"})
		m := regexp.MustCompile(`<h1>([^<]*)</h1>`).FindStringSubmatch(r.body)
		if r.status != 200 || m == nil {
			t.Fatalf("lab page: %d", r.status)
		}
		return m[1]
	}
	if got := h1(); got != "Warm-up: your first VPC" {
		t.Fatalf("h1 = %q", got)
	}
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(page, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// An edit shows without a restart.
	write(strings.Replace(string(orig), `title: "Warm-up: your first VPC"`, `title: "Warm-up: edited"`, 1))
	waitFor(t, 5*time.Second, "the edited title", func() bool { return h1() == "Warm-up: edited" })

	// A mistake keeps the last good site and says where, as lint does.
	broken := strings.Replace(string(orig), "\nid: vpc-exists\n", "\nid: [broken\n", 1)
	broken = strings.Replace(broken, `title: "Warm-up: your first VPC"`, `title: "Warm-up: broken"`, 1)
	write(broken)
	diag := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(shown) + `:\d+:\d+: invalid YAML`)
	waitFor(t, 5*time.Second, "the lint-style error", func() bool { return diag.MatchString(srv.Stderr.String()) })
	if got := h1(); got != "Warm-up: edited" {
		t.Errorf("after a broken edit the page says %q; want the last good version", got)
	}

	// Fixed: served again.
	write(string(orig))
	waitFor(t, 5*time.Second, "the fixed page", func() bool { return h1() == "Warm-up: your first VPC" })
	if code := srv.Stop(t); code != cli.ExitOK {
		t.Errorf("exit %d after Ctrl-C", code)
	}
}

// pageToken reads the token from a served page, as the page script does.
func pageToken(t *testing.T, base string) string {
	t.Helper()
	r := do(t, base, request{path: "/en/first-vpc/"})
	m := regexp.MustCompile(`<meta name="vpclab-token" content="([^"]+)">`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no token in the page")
	}
	return m[1]
}

// TestServeAWSProblems: when vpclab cannot read the account, the page gets
// a 502 with exactly what vpclab check prints, in the page's language, and
// nothing is recorded.
func TestServeAWSProblems(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		code string
	}{
		{"no region", map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": ""}, "aws-no-region"},
		{"no credentials", map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_REGION": "us-east-1"}, "aws-no-credentials"},
		{"unreachable", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_REGION": "us-east-1"}, "aws-unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			state := t.TempDir()
			t.Setenv("VPCLAB_STATE_DIR", state)
			srv := startServe(t, t.TempDir(), "--addr", "127.0.0.1:0")
			tok := pageToken(t, srv.URL)
			for _, lang := range i18n.Langs {
				// What vpclab check says about it.
				var stdout, stderr syncBuffer
				env := &cli.Env{Stdout: &stdout, Stderr: &stderr, Getenv: os.Getenv, Dir: t.TempDir(), Ctx: context.Background()}
				if code := cli.Run([]string{"check", "first-vpc", "--lang", string(lang)}, env); code != cli.ExitAWS {
					t.Fatalf("vpclab check: exit %d\n%s", code, stderr.String())
				}
				out := lines(stderr.String()) // after "Reading your account…"
				// The account is read with concurrent calls: which one
				// fails first varies, so the words up to the call's name
				// are compared.
				want := out[len(out)-1]
				prefix, _, _ := strings.Cut(want, ": load ")
				prefix, _, _ = strings.Cut(prefix, ": identify ")

				r := do(t, srv.URL, request{method: http.MethodPost, path: "/api/check",
					header: map[string]string{"Content-Type": "application/json", serve.TokenHeader: tok},
					body:   `{"lab":"first-vpc","step":"create-vpc","lang":"` + string(lang) + `"}`})
				got, _ := r.json["error"].(string)
				same := got == want || prefix != want && strings.HasPrefix(got, prefix+": ")
				if tt.code == "aws-unreachable" {
					// The SDK's own words vary with the race between the
					// concurrent calls (a refused connection, or the retry
					// quota spent by the others): the message around them
					// must be the same in both.
					msg := i18n.New(lang).T("HardenUnreachableSandbox", i18n.M{"Endpoint": "http://127.0.0.1:1", "Detail": "\x00"})
					head, tail, _ := strings.Cut(msg, "\x00")
					said := stderr.String()
					same = strings.HasPrefix(got, head) && strings.HasSuffix(got, tail) && strings.Contains(said, head) && strings.Contains(said, tail)
				}
				if r.status != http.StatusBadGateway || !same {
					t.Errorf("%s: %d %v\nwant 502 with vpclab check's words: %s", lang, r.status, r.json, want)
				}
				if r.json["code"] != tt.code {
					t.Errorf("%s: code %v, want %s", lang, r.json["code"], tt.code)
				}
			}
			if _, err := os.Stat(filepath.Join(state, "progress.json")); err == nil {
				t.Error("progress was recorded without a verdict")
			}
		})
	}
}
