//go:build unix

package doctest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestShellFailLine: both shells report the status and the block's line of
// the first failing command, also when it fails inside a function the
// block defined (zsh counts $LINENO from the function; the runner takes
// the call's line), and keep the session's variables between blocks.
func TestShellFailLine(t *testing.T) {
	for _, name := range []string{Bash, Zsh} {
		t.Run(name, func(t *testing.T) {
			if _, err := exec.LookPath(name); err != nil {
				t.Fatalf("%s is not installed (.ci/run installs zsh): %v", name, err)
			}
			sh, err := startShell(context.Background(), name, os.Environ())
			if err != nil {
				t.Fatal(err)
			}
			defer sh.close()
			run := func(code string) runResult { return sh.run(context.Background(), code, time.Minute) }

			if r := run("X=kept\necho one\n"); r.failed || len(r.output) != 1 || r.output[0] != "one" {
				t.Fatalf("clean block: %+v", r)
			}
			r := run("echo a\necho \"$X\"\n(exit 3)\necho never\n")
			if !r.failed || r.failLine != 3 || r.status != 3 {
				t.Errorf("failing block: failed=%v line=%d status=%d, want line 3 status 3", r.failed, r.failLine, r.status)
			}
			if len(r.output) != 2 || r.output[1] != "kept" {
				t.Errorf("output %q: want a, kept and nothing after the failure", r.output)
			}
			// bash names the failing line in the function's body, zsh the
			// call (its trap cannot see the body's line in the file).
			want := map[string]int{Bash: 2, Zsh: 5}[name]
			r = run("f() {\n  false\n}\necho before\nf\necho after\n")
			if !r.failed || r.failLine != want {
				t.Errorf("function failure: failed=%v line=%d, want line %d", r.failed, r.failLine, want)
			}
			if r := run("echo alive\n"); r.failed || r.died || len(r.output) != 1 {
				t.Errorf("the session did not survive the failures: %+v", r)
			}
		})
	}
}

// TestShellBoundsOutput: a line of any length is cut, not taken for the
// shell dying, and a block printing without end keeps only its tail, so
// memory does not grow with what a block prints.
func TestShellBoundsOutput(t *testing.T) {
	sh, err := startShell(context.Background(), Bash, os.Environ())
	if err != nil {
		t.Fatal(err)
	}
	defer sh.close()
	out := sh.run(context.Background(), "head -c 20000000 /dev/zero | tr '\\0' x; echo; echo after", time.Minute)
	if out.died || out.failed || out.timedOut || len(out.output) != 2 || out.output[1] != "after" ||
		len(out.output[0]) > maxLine+len(" …") || !strings.HasSuffix(out.output[0], " …") {
		t.Errorf("a 20 MB line: died %v failed %v, %d lines, first %d bytes", out.died, out.failed, len(out.output), len(out.output[0]))
	}
	out = sh.run(context.Background(), "seq 1 100000", time.Minute)
	if out.died || len(out.output) > keepLines || out.output[len(out.output)-1] != "100000" {
		t.Errorf("100,000 lines: died %v, %d kept, last %q", out.died, len(out.output), out.output[len(out.output)-1])
	}
}
