package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// labShell is one bash session in which a test runs a lab's blocks, as a
// learner pasting them into one terminal (and as docs CI does; its runner
// is internal/doctest's, which this small one follows).
type labShell struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
	dir   string
	n     int
}

const shellDone = "__VPCLAB_TEST_DONE__"

func startLabShell(t *testing.T, env []string) *labShell {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("bash", "--noprofile", "--norc", "-s")
	cmd.Env, cmd.Dir = env, dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatalf("start bash: %v", err)
	}
	w.Close()
	s := &labShell{t: t, cmd: cmd, stdin: stdin, lines: make(chan string, 256), dir: dir}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		r.Close()
	}()
	// A failing command stops its block and is reported with its status.
	fmt.Fprint(stdin, "set -o pipefail\nset -E\nexec 2>&1\ntrap 'rc=$?; echo \"__VPCLAB_TEST_ERR__ $rc $LINENO\"; return $rc 2>/dev/null' ERR\n")
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	return s
}

// run sources code in the session and fails the test if a command fails.
func (s *labShell) run(what, code string) {
	s.t.Helper()
	s.n++
	file := filepath.Join(s.dir, fmt.Sprintf("block-%d.sh", s.n))
	if err := os.WriteFile(file, []byte(code), 0o600); err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(s.stdin, "source %q </dev/null; echo %s\n", file, shellDone)
	var out []string
	timeout := time.After(testBudget(s.t, 4*time.Minute))
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("%s: the shell exited:\n%s", what, strings.Join(out, "\n"))
			}
			if line == shellDone {
				return
			}
			if strings.HasPrefix(line, "__VPCLAB_TEST_ERR__") {
				s.t.Fatalf("%s failed (%s):\n%s\n--- code:\n%s", what, line, strings.Join(out, "\n"), code)
			}
			out = append(out, line)
		case <-timeout:
			s.t.Fatalf("%s: no end after the time allowed:\n%s", what, strings.Join(out, "\n"))
		}
	}
}

// testBudget is d, or less when the test's deadline is nearer.
func testBudget(t *testing.T, d time.Duration) time.Duration {
	if dl, ok := t.Deadline(); ok {
		if left := time.Until(dl) - 10*time.Second; left < d {
			return max(left, time.Second)
		}
	}
	return d
}
