// Package labshell runs a lab's code blocks one at a time in one bash
// session, as a learner pasting them into one terminal would: variables a
// block sets (ids captured from the AWS CLI) are there for later blocks.
// Output is handed over line by line while the block runs, so a page can
// show it live. It is what `vpclab serve --sandbox` runs "Run in sandbox"
// with.
package labshell

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/internal/procgroup"
)

// Options configure a session.
type Options struct {
	// Env is the session's whole environment (nothing is inherited).
	Env []string
	// Pinned are KEY=VALUE pairs exported again before every block, so a
	// block cannot leave the session pointing somewhere else.
	Pinned []string
	// DropPrefix: before every block, variables with this prefix are
	// unset, except Pinned ones and Keep. "" drops nothing.
	DropPrefix string
	Keep       []string
}

// Result is what one block did.
type Result struct {
	Status   int  // exit status of the first command that failed; 0 if none
	FailLine int  // that command's line in the block (1-based); 0 if none
	TimedOut bool // the block ran out of time; the session is gone
	Died     bool // the shell exited; the session is gone
}

// OK reports whether every command of the block succeeded.
func (r Result) OK() bool { return r.FailLine == 0 && r.Status == 0 && !r.TimedOut && !r.Died }

// Session is one bash process. Its methods must not be called
// concurrently; Close may be called at any time, once or more.
type Session struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string
	dir    string
	mark   string // random, so no block's output can fake the end of a block
	n      int
	closed sync.Once
	exited chan struct{}
}

// maxLine bounds one line of output; longer lines are cut, so a block
// printing a binary blob cannot make the server grow without bound.
const maxLine = 64 << 10

// Start starts bash in its own process group and an empty temporary folder.
func Start(o Options) (*Session, error) {
	var rb [12]byte
	if _, err := rand.Read(rb[:]); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "vpclab-shell-")
	if err != nil {
		return nil, err
	}
	s := &Session{dir: dir, mark: "__vpclab_" + hex.EncodeToString(rb[:]), lines: make(chan string, 64), exited: make(chan struct{})}
	s.cmd = exec.Command("bash", "--noprofile", "--norc", "-s")
	s.cmd.Env = o.Env
	s.cmd.Dir = dir
	procgroup.Set(s.cmd, 0) // Close kills every command a block started
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.cmd.Stdout, s.cmd.Stderr = w, w
	if err := s.cmd.Start(); err != nil {
		r.Close()
		w.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start bash: %w", err)
	}
	w.Close()
	go s.read(r)
	go func() { s.cmd.Wait(); close(s.exited) }()
	if _, err := io.WriteString(s.stdin, s.prelude(o)); err != nil {
		s.Close()
		return nil, fmt.Errorf("start bash: %w", err)
	}
	return s, nil
}

func (s *Session) read(r io.ReadCloser) {
	defer close(s.lines)
	defer r.Close()
	br := bufio.NewReaderSize(r, 4096)
	var line []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if len(line) < maxLine {
			line = append(line, chunk[:min(len(chunk), maxLine-len(line))]...)
		}
		if err != nil {
			if len(line) > 0 {
				s.lines <- string(line)
			}
			return
		}
		if !isPrefix {
			s.lines <- string(line)
			line = line[:0]
		}
	}
}

// prelude sets the session up: errors go to the same stream, a failing
// command ends its block (later commands of a block depend on earlier
// ones) and reports its status and line, and pin re-applies the
// environment policy.
func (s *Session) prelude(o Options) string {
	var b strings.Builder
	b.WriteString("exec 2>&1\nset -o pipefail\nset -E\n")
	// The report goes to stderr so that a command substitution does not
	// swallow it, on a line of its own.
	fmt.Fprintf(&b, "trap 'vpclab_rc=$?; printf \"\\n%s_ERR %%s %%s\\n\" $vpclab_rc $LINENO >&2; return $vpclab_rc 2>/dev/null' ERR\n", s.mark)
	b.WriteString("vpclab_pin() {\n")
	if o.DropPrefix != "" {
		keep := map[string]bool{}
		for _, k := range o.Keep {
			keep[k] = true
		}
		for _, kv := range o.Pinned {
			k, _, _ := strings.Cut(kv, "=")
			keep[k] = true
		}
		names := make([]string, 0, len(keep))
		for k := range keep {
			names = append(names, k)
		}
		sort.Strings(names)
		fmt.Fprintf(&b, "  local v; for v in $(compgen -e); do case $v in %s*) case $v in %s) ;; *) unset \"$v\";; esac;; esac; done\n",
			o.DropPrefix, strings.Join(append(names, "vpclab_none_"), "|"))
	}
	for _, kv := range o.Pinned {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "  export %s=%s\n", k, quote(v))
	}
	b.WriteString("  :\n}\n")
	return b.String()
}

// quote makes v one bash word.
func quote(v string) string { return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'" }

// Run runs code in the session and calls out with each line it prints, as
// it prints it. It returns when the block ends, when timeout passes or ctx
// is done (then the whole session is killed: a half-run block leaves it in
// an unknown state), or when the shell dies.
func (s *Session) Run(ctx context.Context, code string, timeout time.Duration, out func(line string)) Result {
	s.n++
	file := filepath.Join(s.dir, "block-"+strconv.Itoa(s.n)+".sh")
	if err := os.WriteFile(file, []byte(code), 0o600); err != nil {
		out(err.Error())
		return Result{Died: true}
	}
	// The printf starts a new line: a block whose output does not end
	// with one would otherwise hide the marker.
	if _, err := fmt.Fprintf(s.stdin, "vpclab_pin; source %s </dev/null; printf '\\n%s\\n'\n", quote(file), s.mark); err != nil {
		s.Close()
		return Result{Died: true}
	}
	var res Result
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var pending *string // an empty line is held back: it may be the printf's
	flush := func() {
		if pending != nil {
			out(*pending)
			pending = nil
		}
	}
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				flush()
				res.Died = true
				return res
			}
			if line == s.mark {
				return res
			}
			if rest, found := strings.CutPrefix(line, s.mark+"_ERR "); found {
				if f := strings.Fields(rest); res.FailLine == 0 && len(f) == 2 {
					res.Status, _ = strconv.Atoi(f[0])
					res.FailLine, _ = strconv.Atoi(f[1])
				}
				pending = nil // the report's own line break
				continue
			}
			flush()
			if line == "" {
				pending = &line
				continue
			}
			out(line)
		case <-timer.C:
			flush()
			res.TimedOut = true
			s.Close()
			return res
		case <-ctx.Done():
			flush()
			res.TimedOut = true
			s.Close()
			return res
		}
	}
}

// Close ends the session: bash and everything it started are killed, and
// its folder is removed.
func (s *Session) Close() {
	s.closed.Do(func() {
		s.stdin.Close()
		procgroup.Kill(s.cmd)
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
		}
		os.RemoveAll(s.dir)
	})
}

// Done is closed when bash has exited.
func (s *Session) Done() <-chan struct{} { return s.exited }
