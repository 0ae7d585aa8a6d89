// Package zshlabs proves that every lab's commands work in zsh, the
// default shell on macOS, and not only in the bash that `vpclab test` runs:
// each lab's solution and clean-up blocks run in one zsh session against the
// moto sandbox, and each step's checks must pass afterwards. It is
// test-only; the runner that makes `vpclab test` itself run zsh lives in
// internal/doctest.
package zshlabs_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// TestMain starts moto only when the opt-in zsh run is asked for.
func TestMain(m *testing.M) {
	if os.Getenv("VPCLAB_ZSH_LABS") == "" {
		os.Exit(m.Run())
	}
	sandboxtest.Main(m)
}

const doneMark = "__VPCLAB_ZSH_DONE__"

// zshSession is one `zsh -f` per lab: no rc files, zsh's own defaults (no
// sh emulation), so unquoted $VAR does not split, unmatched globs are
// errors, and so on, as in a learner's macOS terminal.
type zshSession struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
	dir   string
	n     int
}

func startZsh(t *testing.T, zsh string, env []string) *zshSession {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(zsh, "-f", "-s")
	cmd.Env = env
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
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
		t.Fatalf("start zsh: %v", err)
	}
	w.Close()
	s := &zshSession{cmd: cmd, stdin: stdin, lines: make(chan string, 256), dir: dir}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		r.Close()
	}()
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	// The harness (not the labs) sets pipefail as the bash runner does, and
	// records the first failing command of each block with its line. The
	// record goes to a file, so a failure inside $(...) cannot leak into a
	// variable the block is capturing.
	prelude := "setopt pipefail\nexec 2>&1\n"
	if _, err := io.WriteString(stdin, prelude); err != nil {
		t.Fatal(err)
	}
	return s
}

// run sources one block and returns its output and its failures
// ("status line" pairs), waiting at most timeout.
func (s *zshSession) run(code string, timeout time.Duration) (out []string, fails []string, timedOut bool) {
	s.n++
	file := filepath.Join(s.dir, "block-"+strconv.Itoa(s.n)+".zsh")
	errs := file + ".err"
	trap := fmt.Sprintf("trap 'print -r -- \"$? $LINENO\" >> %q' ZERR\n", errs)
	if err := os.WriteFile(file, []byte(trap+code), 0o600); err != nil {
		return []string{err.Error()}, []string{"write"}, false
	}
	fmt.Fprintf(s.stdin, "source %q </dev/null; trap - ZERR; print -r -- %s\n", file, doneMark)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				return out, []string{"zsh exited"}, false
			}
			if line == doneMark {
				if b, err := os.ReadFile(errs); err == nil {
					fails = strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(b)), "\n", ";"))
				}
				return out, fails, false
			}
			out = append(out, line)
		case <-deadline.C:
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			return out, nil, true
		}
	}
}

func tail(lines []string) string {
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return strings.Join(lines, "\n")
}

func zshPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("zsh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("zsh is not installed; CI must install it (apt-get install -y zsh)")
		}
		t.Skip("zsh is not installed (apt-get install -y zsh): the labs' zsh proof did not run")
	}
	return p
}

// TestLabsInZsh runs every lab as a learner on macOS would: all of its
// solution and clean-up blocks in one zsh session, in page order, and after
// each step the step's checks must pass (a warning counts as passing).
//
// It runs every lab end to end (minutes on a loaded machine), so it is
// opt-in: VPCLAB_ZSH_LABS=1 runs all labs, VPCLAB_ZSH_LABS=first-vpc,… the
// named ones. In CI, `vpclab test` runs the same blocks in zsh.
func TestLabsInZsh(t *testing.T) {
	want := os.Getenv("VPCLAB_ZSH_LABS")
	if want == "" {
		t.Skip("the labs' zsh run is opt-in: set VPCLAB_ZSH_LABS=1 (all labs) or VPCLAB_ZSH_LABS=lab,lab")
	}
	zsh := zshPath(t)
	root, err := filepath.Abs("../../content")
	if err != nil {
		t.Fatal(err)
	}
	labs, diags, err := content.Load(os.DirFS(root), "labs")
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) > 0 {
		t.Fatalf("the labs do not parse: %v", diags)
	}
	if len(labs) < 5 {
		t.Fatalf("found %d labs under %s, want at least 5", len(labs), root)
	}
	ran := 0
	for _, lab := range labs {
		if want != "1" && !strings.Contains(","+want+",", ","+lab.ID+",") {
			continue
		}
		ran++
		t.Run(lab.ID, func(t *testing.T) { runLab(t, zsh, lab) })
	}
	if ran == 0 {
		t.Fatalf("VPCLAB_ZSH_LABS=%q names no lab under %s", want, root)
	}
}

func runLab(t *testing.T, zsh string, lab *content.Lab) {
	cfg := sandboxtest.Config(t) // resets the sandbox: every lab starts empty
	page := lab.Page(i18n.EN)
	cfg.Region = page.Meta.Region
	env := append(os.Environ(), sandboxtest.Env(t)...)
	env = append(env, "AWS_REGION="+cfg.Region, "AWS_DEFAULT_REGION="+cfg.Region)
	sh := startZsh(t, zsh, env)
	load := func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		return account.Load(ctx, cfg, need)
	}
	ran := 0
	for _, step := range page.Steps {
		if reason, ok := step.Attrs["sandbox"]; ok {
			t.Logf("step %s not run in the sandbox: %s", step.ID, reason)
			continue
		}
		for _, b := range append(append([]*content.CodeBlock{}, step.Solution...), step.Cleanup...) {
			if reason, ok := b.Attrs["sandbox"]; ok {
				t.Logf("%s: block not run in the sandbox: %s", b.Pos, reason)
				continue
			}
			out, fails, timedOut := sh.run(b.Code, 3*time.Minute)
			ran++
			if timedOut {
				t.Fatalf("%s: the block timed out in zsh:\n%s", b.Pos, tail(out))
			}
			if len(fails) > 0 {
				t.Fatalf("%s: a command failed in zsh (exit status, line in block: %v):\n%s", b.Pos, fails, tail(out))
			}
		}
		if len(step.Checks) == 0 {
			continue
		}
		rep, err := checkrun.Run(context.Background(), checkrun.Options{Lab: lab, Step: step.ID, Load: load})
		if err != nil {
			t.Fatalf("step %s: checks: %v", step.ID, err)
		}
		for _, r := range rep.Results {
			if !r.OK() {
				t.Errorf("%s: after the step ran in zsh, check %s is %s: %s", r.Block.Pos, r.Check, r.Status, r.Reason)
			}
		}
		if t.Failed() {
			return
		}
	}
	if ran == 0 {
		t.Fatalf("no block of %s ran", lab.ID)
	}
	t.Logf("%s: %d blocks ran in zsh", lab.ID, ran)
}
