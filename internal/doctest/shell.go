//go:build unix

package doctest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vpclab/vpclab/internal/procgroup"
)

// shell is one bash or zsh session per lab, so that variables a step sets (ids
// captured from the AWS CLI) are there in later steps, as for a learner
// pasting the commands into one terminal.
type shell struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
	dir   string
	n     int
	dead  bool // killed or exited: later blocks cannot run
}

// Markers bash prints; they cannot occur in AWS CLI output.
const (
	doneMark = "__VPCLAB_DONE__"
	errMark  = "__VPCLAB_ERR__"
)

// bashPrelude makes a failing command visible without ending the session: the
// ERR trap reports the exit status and the line of the block it failed on,
// and returns from the block (later commands would only cascade).
const bashPrelude = `set -o pipefail
set -E
exec 2>&1
trap 'vpclab_rc=$?; echo "` + errMark + ` $vpclab_rc $LINENO"; return $vpclab_rc 2>/dev/null' ERR
`

// zshPrelude is the same for `zsh -f`: zsh has no set -E (its ERR trap
// already fires inside functions), and inside a function $LINENO counts
// from the function, so the line is taken from the call in the block
// (funcfiletrace[-2]). A return from the trap inside a function only
// leaves the function, so a block whose function failed goes on; the first
// failure is the one reported.
const zshPrelude = `setopt pipefail
exec 2>&1
trap 'vpclab_rc=$?; if (( ${#funcfiletrace} > 1 )); then vpclab_l=${funcfiletrace[-2]##*:}; else vpclab_l=$LINENO; fi; echo "` + errMark + ` $vpclab_rc $vpclab_l"; return $vpclab_rc 2>/dev/null' ERR
`

// Shells vpclab test can run the labs in.
const (
	Bash = "bash"
	Zsh  = "zsh"
)

// shellCommand is how a session starts: no rc files, so a learner's
// settings cannot hide a problem, and zsh in its own mode (no sh
// emulation: unquoted $VAR does not split, an unmatched glob is an error),
// as in a macOS terminal.
func shellCommand(name string) (*exec.Cmd, string, error) {
	switch name {
	case "", Bash:
		return exec.Command("bash", "--noprofile", "--norc", "-s"), bashPrelude, nil
	case Zsh:
		return exec.Command("zsh", "-f", "-s"), zshPrelude, nil
	}
	return nil, "", fmt.Errorf("unknown shell %q (bash or zsh)", name)
}

func startShell(ctx context.Context, name string, env []string) (*shell, error) {
	cmd, prelude, err := shellCommand(name)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "vpclab-test-")
	if err != nil {
		return nil, err
	}
	cmd.Env = env
	cmd.Dir = dir
	procgroup.Set(cmd, 0)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	w.Close()
	s := &shell{cmd: cmd, stdin: stdin, lines: make(chan string, 256), dir: dir}
	go func() {
		defer close(s.lines)
		defer r.Close()
		readLines(r, s.lines)
	}()
	if _, err := io.WriteString(stdin, prelude); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// maxLine is the most of one output line kept: a block may print a line
// of any length (a blob, a minified JSON), and only its start is worth
// showing.
const maxLine = 4 << 10

// readLines sends each line of r, cut at maxLine bytes, until r ends.
func readLines(r io.Reader, lines chan<- string) {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	cut := false // bytes of this line were dropped
	for {
		chunk, err := br.ReadSlice('\n')
		body := bytes.TrimSuffix(chunk, []byte("\n"))
		keep := min(len(body), maxLine-len(line))
		line = append(line, body[:keep]...)
		cut = cut || keep < len(body)
		if err == bufio.ErrBufferFull {
			continue // the rest of a long line
		}
		if len(line) > 0 || err == nil {
			l := string(line)
			if cut {
				l += " …"
			}
			lines <- l
		}
		if err != nil {
			return
		}
		line, cut = line[:0], false
	}
}

// keepLines is how many lines of a block's output are kept: the failure
// report shows the last few.
const keepLines = 200

// runResult is what one block did.
type runResult struct {
	output   []string
	failed   bool
	failLine int // line of the block that failed (1-based), 0 if unknown
	status   int
	timedOut bool
	died     bool
	// interrupted: the run was cancelled (Ctrl-C) while the block ran.
	interrupted bool
}

// run sources code in the session and waits for it to finish.
func (s *shell) run(ctx context.Context, code string, timeout time.Duration) runResult {
	s.n++
	file := filepath.Join(s.dir, "block-"+strconv.Itoa(s.n)+".sh")
	if err := os.WriteFile(file, []byte(code), 0o600); err != nil {
		return runResult{output: []string{err.Error()}, died: true}
	}
	// Sourcing keeps variables; the echo after it marks the end even when
	// the block's last command failed.
	fmt.Fprintf(s.stdin, "source %q </dev/null; echo %s\n", file, doneMark)
	var res runResult
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				res.died, s.dead = true, true
				return res
			}
			if line == doneMark {
				return res
			}
			if rest, found := strings.CutPrefix(line, errMark+" "); found {
				if !res.failed {
					res.failed = true
					f := strings.Fields(rest)
					if len(f) == 2 {
						res.status, _ = strconv.Atoi(f[0])
						res.failLine, _ = strconv.Atoi(f[1])
					}
				}
				continue
			}
			if len(res.output) == keepLines {
				res.output = append(res.output[:0], res.output[keepLines/2:]...) // the tail is what is shown
			}
			res.output = append(res.output, line)
		case <-timer.C:
			res.timedOut = true
			s.kill()
			return res
		case <-ctx.Done():
			res.interrupted = true
			s.kill()
			return res
		}
	}
}

func (s *shell) kill() {
	s.dead = true
	procgroup.Kill(s.cmd)
}

func (s *shell) close() {
	s.stdin.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.kill()
		<-done
	}
	os.RemoveAll(s.dir)
}
