// Package sandbox runs the moto server as a free, local stand-in for AWS, so
// learners and tests can build VPCs without an account or a bill.
package sandbox

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/i18n"
)

// DummyCredential is the access key ID and secret that point at the sandbox.
// moto accepts any credentials; a fixed, obviously fake value makes it easy to
// check that nothing real is in use.
const DummyCredential = "testing"

// Options configures Start.
type Options struct {
	Port   int       // 0 = pick a free port on 127.0.0.1
	Python string    // interpreter with moto installed; "" = $VPCLAB_PYTHON, else "python3"
	Log    io.Writer // moto's own stdout/stderr; nil = discard
}

// ErrNotInstalled means the interpreter, or moto, flask or flask_cors in it,
// is missing. It is a setup problem, not a bug, so callers print a hint.
var ErrNotInstalled = errors.New("moto server is not installed (need Python with moto, flask and flask-cors)")

//go:embed launcher.py
var launcher string

const (
	host = "127.0.0.1" // never 0.0.0.0: the sandbox must not be reachable from the network

	exitNotInstalled = 97  // launcher.py: an import failed
	exitNoCommand    = 127 // shells and pyenv shims: interpreter not found

	defaultStartTimeout = 30 * time.Second
	pollInterval        = 50 * time.Millisecond
	pollTimeout         = time.Second
	stopGrace           = 5 * time.Second
	portAttempts        = 3
	tailSize            = 4 << 10
)

// taskPin stops DescribeTasks from advancing a task's status on every call,
// so tasks stay RUNNING as they would on AWS.
const taskPin = `{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000}}`

var errPortInUse = errors.New("port is in use")

// pickPort is a variable so tests can force a port collision.
var pickPort = freePort

// Server is a running moto process.
type Server struct {
	cmd     *exec.Cmd
	port    int
	url     string
	client  *http.Client
	tail    *tailBuffer
	done    chan struct{}
	waitErr error // set before done is closed

	stopOnce sync.Once
	stopErr  error
}

// Start launches moto on 127.0.0.1 and returns once it answers HTTP. ctx
// bounds only the wait (30s if it has no deadline), not the server's life:
// call Stop.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultStartTimeout)
		defer cancel()
	}
	python := opts.Python
	if python == "" {
		python = os.Getenv("VPCLAB_PYTHON")
	}
	if python == "" {
		python = "python3"
	}
	path, err := exec.LookPath(python)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotInstalled, err)
	}
	out := opts.Log
	if out == nil {
		out = io.Discard
	}

	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			if port, err = pickPort(); err != nil {
				return nil, fmt.Errorf("sandbox: find a free port on %s: %w", host, err)
			}
		}
		s, err := start(ctx, path, port, out)
		// Another process may take the port between pickPort and moto's bind.
		if errors.Is(err, errPortInUse) && opts.Port == 0 && attempt < portAttempts {
			continue
		}
		return s, err
	}
}

func start(ctx context.Context, python string, port int, out io.Writer) (*Server, error) {
	s := &Server{
		port:   port,
		url:    "http://" + net.JoinHostPort(host, strconv.Itoa(port)),
		client: &http.Client{Transport: &http.Transport{Proxy: nil}}, // local: never via a proxy
		tail:   &tailBuffer{},
		done:   make(chan struct{}),
	}
	// A port someone else holds must fail here: another program that
	// answers HTTP there would otherwise pass waitReady for moto, and the
	// learner would get exports pointing at it.
	if err := portFree(port); err != nil {
		return nil, i18n.NewError("SandboxPortInUse", i18n.M{"URL": s.url}, err)
	}
	cmd := exec.Command(python, "-c", launcher, "-H", host, "-p", strconv.Itoa(port))
	// MOTO_PORT would otherwise be inherited and used in URLs moto generates.
	cmd.Env = append(motoEnviron(), "MOTO_PORT="+strconv.Itoa(port), "PYTHONUNBUFFERED=1",
		"MOTO_IAM_LOAD_MANAGED_POLICIES=true") // labs attach AmazonECSTaskExecutionRolePolicy, as learners do
	cmd.Stdout = io.MultiWriter(out, s.tail)
	cmd.Stderr = cmd.Stdout
	cmd.WaitDelay = time.Second // don't hang on pipes held open by strays
	configure(cmd)
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %v", ErrNotInstalled, err)
		}
		return nil, fmt.Errorf("sandbox: start %s: %w", python, err)
	}
	s.cmd = cmd
	go func() {
		s.waitErr = cmd.Wait()
		close(s.done)
	}()

	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.pin(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls until moto answers any HTTP request, exits, or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	start := time.Now()
	for {
		select {
		case <-s.done:
			return s.exitError()
		case <-ctx.Done():
			// moto is running (it has not exited) but not answering yet:
			// on a busy machine its start-up (importing moto) is slow.
			return fmt.Errorf("sandbox: moto is running (pid %d) but did not answer on %s within %s (a busy machine? allow longer): %w%s",
				s.cmd.Process.Pid, s.url, time.Since(start).Round(time.Millisecond), ctx.Err(), s.tail.suffix())
		case <-tick.C:
			if s.answers(ctx) {
				return nil
			}
		}
	}
}

// answers reports whether moto responds to HTTP. The short timeout keeps the
// loop watching for an early exit even if something else holds the port
// and accepts connections without replying.
func (s *Server) answers(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, pollTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return false
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return true
}

// exitError explains why moto exited before it was ready.
func (s *Server) exitError() error {
	var exit *exec.ExitError
	if errors.As(s.waitErr, &exit) {
		switch code := exit.ExitCode(); {
		case code == exitNotInstalled || code == exitNoCommand:
			return fmt.Errorf("%w%s", ErrNotInstalled, s.tail.suffix())
		case strings.Contains(s.tail.String(), "in use"): // werkzeug: "Port N is in use by another program"
			return fmt.Errorf("sandbox: moto cannot listen on %s: %w; choose another port%s", s.url, errPortInUse, s.tail.suffix())
		}
	}
	return fmt.Errorf("sandbox: moto exited before it was ready (%v)%s", s.waitErr, s.tail.suffix())
}

// URL is the endpoint to give AWS clients, e.g. "http://127.0.0.1:5000".
func (s *Server) URL() string { return s.url }

// Port is the TCP port moto listens on.
func (s *Server) Port() int { return s.port }

// Done is closed when the moto process exits, whether stopped or crashed.
func (s *Server) Done() <-chan struct{} { return s.done }

// Reset wipes every account and region back to moto's initial state. Reset
// keeps state-manager transitions, but the task pin is re-applied anyway so
// that it survives a future moto that clears them.
func (s *Server) Reset(ctx context.Context) error {
	if err := s.post(ctx, "/moto-api/reset", ""); err != nil {
		return err
	}
	return s.pin(ctx)
}

// ResetAt resets a moto server that vpclab did not start (vpclab test
// --endpoint), the same way Reset does.
func ResetAt(ctx context.Context, url string) error {
	s := &Server{url: strings.TrimRight(url, "/"), client: &http.Client{Timeout: 30 * time.Second}}
	return s.Reset(ctx)
}

func (s *Server) pin(ctx context.Context) error {
	return s.post(ctx, "/moto-api/state-manager/set-transition", taskPin)
}

func (s *Server) post(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("sandbox: POST %s: %w", path, s.why(ctx, err, time.Since(start)))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("sandbox: POST %s: %s: %s", path, resp.Status, strings.TrimSpace(string(msg)))
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// why says what really happened to a request that got no answer: moto
// exited (with its last output), nothing listens at the URL, or moto is
// alive but did not answer in time, which on a busy machine is not a
// crash.
func (s *Server) why(ctx context.Context, err error, waited time.Duration) error {
	if s.done != nil {
		select {
		case <-s.done:
			return fmt.Errorf("moto exited (%v): %w%s", s.waitErr, err, s.tail.suffix())
		default:
		}
	}
	var op *net.OpError
	switch {
	case errors.As(err, &op) && op.Op == "dial" && !errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("nothing is listening at %s: %w", s.url, err)
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		return fmt.Errorf("moto did not answer within %s; it is running but slow (a busy machine?): %w", waited.Round(time.Millisecond), err)
	}
	return err
}

// Stop terminates moto's whole process group: SIGTERM, then SIGKILL after 5s.
// It is safe to call more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	p := s.cmd.Process
	select {
	case <-s.done:
	default:
		if err := terminate(p); err != nil {
			return fmt.Errorf("sandbox: stop moto (pid %d): %w", p.Pid, err)
		}
		select {
		case <-s.done:
		case <-time.After(stopGrace):
			if err := kill(p); err != nil {
				return fmt.Errorf("sandbox: kill moto (pid %d): %w", p.Pid, err)
			}
			<-s.done
		}
	}
	// Sweep anything moto started that outlived it in its group.
	return kill(p)
}

// motoEnviron is the process environment without AWS_* variables: moto
// needs none of them, a learner's real credentials have no business in it,
// and botocore inside moto fails to start when AWS_PROFILE names a profile
// it cannot find (an empty one included).
func motoEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			out = append(out, kv)
		}
	}
	return out
}

// Env is what a shell needs to send the AWS CLI and SDKs to the sandbox.
func Env(url, region string) []string {
	return []string{
		"AWS_ENDPOINT_URL=" + url,
		"AWS_ACCESS_KEY_ID=" + DummyCredential,
		"AWS_SECRET_ACCESS_KEY=" + DummyCredential,
		"AWS_REGION=" + region,
		"AWS_DEFAULT_REGION=" + region, // AWS CLI v1 reads only this one
	}
}

// portFree checks that nothing listens on port, by binding it for a moment.
func portFree(port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("%w: %v", errPortInUse, err)
	}
	return l.Close()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tailBuffer keeps the last output of moto for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - tailSize; over > 0 {
		t.buf = append(t.buf[:0:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// suffix formats the tail for appending to an error message.
func (t *tailBuffer) suffix() string {
	if out := strings.TrimSpace(t.String()); out != "" {
		return "\nmoto output:\n" + out
	}
	return ""
}
