// Package awscli makes the AWS CLI fast for the shells vpclab runs against
// its sandbox.
//
// A lab's blocks and a printed fix are run with the real AWS CLI, because
// that is what a learner pastes them into. But each start of the CLI (v1,
// Python) costs about half a second, and docs CI runs thousands of them.
// Warm loads the CLI once and forks it for each command: the same
// clidriver, the same arguments, environment, working directory and
// standard streams, at a tenth of the cost. It is an optimisation only:
//
//   - it serves commands whose AWS_ENDPOINT_URL is a loopback address (the
//     sandbox); any other command runs the real aws unchanged;
//   - it is used only when the aws on PATH is that same CLI (same version,
//     same Python package); otherwise (CLI v2, no Python) the shells keep
//     the plain aws command.
package awscli

import (
	"bufio"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vpclab/vpclab/internal/procgroup"
)

//go:embed server.py
var serverPy string

//go:embed client.py
var clientPy string

// loopbackPy is the one definition of "on this machine" the client and
// the server both hold (written into each in place of @LOOPBACK@).
//
//go:embed loopback.py
var loopbackPy string

// withLoopback is script with loopbackPy in it.
func withLoopback(script string) string {
	return strings.Replace(script, "# @LOOPBACK@ (loopback.py)\n", loopbackPy, 1)
}

// Warm is a running warm AWS CLI.
type Warm struct {
	dir   string
	cmd   *exec.Cmd
	stdin io.Closer
	done  chan struct{}
}

// startBudget bounds the start (import and warm-up take about a second;
// a busy machine several).
const startBudget = time.Minute

// Options shape a warm CLI.
type Options struct {
	// SandboxOnly: the aws command runs nothing that could reach past the
	// sandbox (an endpoint off this machine, by variable or flag, a
	// profile, configured endpoints switched off), and prints Refusal
	// instead. For the shells vpclab runs a lab's own commands in (vpclab
	// test, Run in sandbox): a lab author's command must never reach a
	// real account, whatever it sets. Keys do not matter then: every
	// request goes to the sandbox. Without it such commands run the real
	// aws, unchanged.
	SandboxOnly bool
	Refusal     string // what a refused command prints (SandboxOnly)
}

// Start starts a warm AWS CLI equivalent to the aws command found on
// path (a PATH value). It returns an error saying why when it cannot, in
// which case callers keep the plain aws command.
func Start(ctx context.Context, path string, o Options) (*Warm, error) {
	realAWS, err := lookPath("aws", path)
	if err != nil {
		return nil, err
	}
	python, err := lookPath("python3", path)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "vpclab-aws-")
	if err != nil {
		return nil, err
	}
	w := &Warm{dir: dir, done: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			w.Close()
		}
	}()
	script := filepath.Join(dir, "server.py")
	if err := os.WriteFile(script, []byte(withLoopback(serverPy)), 0o600); err != nil {
		return nil, err
	}
	sock := filepath.Join(dir, "s")
	ctx, cancel := context.WithTimeout(ctx, startBudget)
	defer cancel()

	// The version the aws command reports, measured while the server
	// warms up: the warm CLI stands in for it only when they are the same.
	version := make(chan string, 1)
	go func() {
		cmd := exec.CommandContext(ctx, realAWS, "--version")
		cmd.Env = append(cleanEnv(), "PATH="+path)
		out, _ := cmd.CombinedOutput()
		version <- string(out)
	}()

	args := []string{script, sock}
	if o.SandboxOnly {
		// The server refuses, request by request, whatever would leave
		// this machine; the client's checks only say so earlier.
		args = append(args, "strict", o.Refusal)
	}
	cmd := exec.Command(python, args...)
	cmd.Env = append(cleanEnv(), "PATH="+path)
	cmd.Stderr = io.Discard
	procgroup.Set(cmd, syscall.SIGKILL) // the server dies with vpclab
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w.cmd, w.stdin = cmd, stdin
	go func() { _ = cmd.Wait(); close(w.done) }()
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-ready:
	case <-ctx.Done():
		return nil, errors.New("the warm AWS CLI did not start in time")
	}
	f := strings.Fields(line) // ready AWSCLI BOTOCORE PYTHON
	if len(f) != 4 || f[0] != "ready" {
		return nil, errors.New("the awscli Python package is not importable by python3")
	}
	var v string
	select {
	case v = <-version:
	case <-ctx.Done():
		return nil, errors.New("aws --version did not answer in time")
	}
	if !strings.HasPrefix(v, "aws-cli/"+f[1]+" ") || !strings.Contains(v, "botocore/"+f[2]) {
		return nil, fmt.Errorf("the aws command (%s) is not the awscli %s package python3 has", strings.TrimSpace(v), f[1])
	}
	strict := "0"
	if o.SandboxOnly {
		strict = "1"
	}
	client := "#!" + f[3] + " -IS\n" + strings.NewReplacer("@SOCKET@", sock, "@REAL_AWS@", realAWS, "@STRICT@", strict,
		"@REFUSAL@", strconv.Quote(o.Refusal)).Replace(withLoopback(clientPy))
	if err := os.Mkdir(w.Bin(), 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(w.Bin(), "aws"), []byte(client), 0o700); err != nil {
		return nil, err
	}
	ok = true
	return w, nil
}

// Bin is the folder to put first on a shell's PATH.
func (w *Warm) Bin() string { return filepath.Join(w.dir, "bin") }

// Env returns env with Bin first on its PATH. A nil Warm returns env
// unchanged, so callers need not check whether Start succeeded.
func (w *Warm) Env(env []string) []string {
	if w == nil {
		return env
	}
	out := make([]string, 0, len(env)+1)
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
			continue
		}
		out = append(out, kv)
	}
	if path == "" {
		path = os.Getenv("PATH")
	}
	return append(out, "PATH="+w.Bin()+string(os.PathListSeparator)+path)
}

// Close stops the server (commands still running finish or fail) and
// removes its files.
func (w *Warm) Close() {
	if w == nil {
		return
	}
	if w.stdin != nil {
		_ = w.stdin.Close() // the server exits when its stdin closes
	}
	if w.cmd != nil && w.cmd.Process != nil {
		select {
		case <-w.done:
		case <-time.After(5 * time.Second):
			procgroup.Kill(w.cmd)
			<-w.done
		}
	}
	_ = os.RemoveAll(w.dir)
}

// cleanEnv is vpclab's environment without AWS settings: the server
// takes each command's own environment, never vpclab's.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "PATH=") {
			out = append(out, kv)
		}
	}
	return out
}

func lookPath(name, path string) (string, error) {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s is not on PATH", name)
}
