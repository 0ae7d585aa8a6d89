package serve_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/internal/cli"
)

// TestServeWatchRefusesWhatLintRejects: an edit that parses but that lint
// rejects (a check block whose name is a list) is not served: the last
// good site stays, and the problem is printed as vpclab lint prints it.
func TestServeWatchRefusesWhatLintRejects(t *testing.T) {
	dir := t.TempDir()
	copyLab(t, dir, "first-vpc")
	page := filepath.Join(dir, "first-vpc", "index.en.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, t.TempDir(), "--addr", "127.0.0.1:0", "--content", dir, "--watch")
	title := func() string {
		r := do(t, srv.URL, request{path: "/en/first-vpc/"})
		m := regexp.MustCompile(`<h1>([^<]*)</h1>`).FindStringSubmatch(r.body)
		if r.status != 200 || m == nil {
			t.Fatalf("lab page: %d", r.status)
		}
		return m[1]
	}
	bad := strings.Replace(string(orig), "\nname: vpclab-first\n", "\nname: [does-not-exist]\n", 1)
	bad = strings.Replace(bad, `title: "Warm-up: your first VPC"`, `title: "Warm-up: lint rejects this"`, 1)
	if bad == string(orig) || !strings.Contains(bad, "does-not-exist") {
		t.Fatal("the lab changed: no check block named vpclab-first to break")
	}
	if err := os.WriteFile(page, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	diag := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(filepath.ToSlash(page)) + `:\d+:\d+: "name" must be a string, not a list`)
	waitFor(t, 5*time.Second, "lint's message", func() bool { return diag.MatchString(srv.Stderr.String()) })
	if got := title(); got != "Warm-up: your first VPC" {
		t.Errorf("after an edit lint rejects the page says %q; want the last good version", got)
	}
	if code := srv.Stop(t); code != cli.ExitOK {
		t.Errorf("exit %d after Ctrl-C", code)
	}
}
