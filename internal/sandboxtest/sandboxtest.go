// Package sandboxtest gives each test package one moto sandbox and AWS
// configs that can only reach it, so tests never touch a real account.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) { sandboxtest.Main(m) }
//
// Config resets the shared sandbox, so tests that use it must not call
// t.Parallel. Set VPCLAB_SANDBOX_LOG=1 to see moto's own log on stderr.
package sandboxtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/vpclab/vpclab/internal/awscli"
	"github.com/vpclab/vpclab/internal/sandbox"
)

// Region is the region of every config this package returns.
const Region = "us-east-1"

const installHint = "install moto's server mode (pip install 'moto[server]') or set VPCLAB_PYTHON to a Python that has it"

// unreachable is where SDK clients go when there is no sandbox: a loopback
// port nobody listens on, so a stray request fails instead of leaving the
// machine.
const unreachable = "http://127.0.0.1:1"

var (
	srv        *sandbox.Server
	startOpts  sandbox.Options
	restartErr error  // Heavy could not start a fresh sandbox
	skipReason string // set when moto is not installed outside CI
	configDir  string // empty AWS config and credentials files
)

// Main starts the package's sandbox, runs the tests and stops it. Without
// moto, tests that need it skip, unless CI=true, where the package fails.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "vpclab-sandboxtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandboxtest: create temp dir for empty AWS config:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	configDir = dir
	for _, name := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "sandboxtest: write empty AWS config:", err)
			return 1
		}
	}

	if os.Getenv("VPCLAB_SANDBOX_LOG") != "" {
		startOpts.Log = os.Stderr
	}
	s, err := start()
	endpoint := unreachable
	switch {
	case err == nil:
		srv = s
		defer func() { srv.Stop() }() // Heavy may have replaced it
		endpoint = s.URL()
	case errors.Is(err, sandbox.ErrNotInstalled) && !inCI():
		skipReason = fmt.Sprintf("moto sandbox not available: %v; %s", err, installHint)
	default:
		fmt.Fprintf(os.Stderr, "sandboxtest: cannot start the moto sandbox: %v\n", err)
		if errors.Is(err, sandbox.ErrNotInstalled) {
			fmt.Fprintf(os.Stderr, "CI=true, so sandbox tests may not skip; %s\n", installHint)
		}
		return 1
	}

	if err := isolateProcessEnv(endpoint); err != nil {
		fmt.Fprintln(os.Stderr, "sandboxtest:", err)
		return 1
	}
	code := m.Run()
	warm.w.Close()
	reportSkips()
	return code
}

// start starts a sandbox. moto starts in half a second on an idle
// machine; a loaded CI runner can take far longer, and a slow start is
// not a failure.
func start() (*sandbox.Server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return sandbox.Start(ctx, startOpts)
}

// Heavy marks a test that leaves more in the sandbox than a reset clears
// cheaply: moto's reset rebuilds every account's and Region's backend
// before it drops them, which took 19 s after a class of 60 accounts,
// while a new moto starts in about 2. At the end of the test the sandbox
// is replaced by a fresh one, so the next test's reset is quick.
func Heavy(t testing.TB) {
	t.Helper()
	server(t)
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Logf("sandboxtest: stop the sandbox after a heavy test: %v", err)
		}
		s, err := start()
		if err != nil {
			restartErr = fmt.Errorf("no sandbox: starting a fresh one after heavy test %s failed: %w", t.Name(), err)
			t.Errorf("sandboxtest: %v", restartErr)
			return
		}
		srv = s
		if err := isolateProcessEnv(s.URL()); err != nil {
			t.Errorf("sandboxtest: %v", err)
		}
	})
}

// skipped are the tests Skip skipped, with why.
var skipped struct {
	sync.Mutex
	list []string
}

// Skip skips t for reason and remembers it, so that Main reports every
// skip loudly when the package's tests end. Use it instead of t.Skip for
// anything a developer's machine may lack (moto, Chromium).
func Skip(t testing.TB, reason string) {
	t.Helper()
	skipped.Lock()
	skipped.list = append(skipped.list, t.Name()+": "+reason)
	skipped.Unlock()
	t.Skip(reason)
}

// reportSkips says which tests were skipped and why, on stderr and on the
// terminal: go test ./... shows nothing but "ok" for a passing package,
// which would pass a run without moto off as a full one.
func reportSkips() {
	skipped.Lock()
	list := skipped.list
	skipped.Unlock()
	if len(list) == 0 {
		return
	}
	pkg := strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
	var b strings.Builder
	fmt.Fprintf(&b, "\n*** %s: %d test(s) SKIPPED, so this \"ok\" is not a full run:\n", pkg, len(list))
	for _, s := range list {
		fmt.Fprintf(&b, "***   %s\n", s)
	}
	b.WriteString("*** (CI=true turns these skips into failures)\n")
	fmt.Fprint(os.Stderr, b.String())
	if os.Getenv("VPCLAB_NO_TTY") != "" {
		return
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprint(tty, b.String())
		tty.Close()
	}
}

// isolateProcessEnv drops every AWS_* variable (profiles, tokens, per-service
// endpoints) and points the defaults at endpoint, so even
// config.LoadDefaultConfig inside a test cannot reach a real account.
func isolateProcessEnv(endpoint string) error {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			os.Unsetenv(k)
		}
	}
	for _, kv := range env(endpoint) {
		k, v, _ := strings.Cut(kv, "=")
		if err := os.Setenv(k, v); err != nil {
			return fmt.Errorf("set %s: %w", k, err)
		}
	}
	return nil
}

// env is the sandbox environment plus settings that keep the AWS CLI and
// SDKs away from the developer's own profile and from instance metadata.
func env(endpoint string) []string {
	return append(sandbox.Env(endpoint, Region),
		"AWS_PAGER=",
		"AWS_CONFIG_FILE="+filepath.Join(configDir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(configDir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
	)
}

// server returns the running sandbox, or ends the test if there is none.
func server(t testing.TB) *sandbox.Server {
	t.Helper()
	if skipReason != "" {
		Skip(t, skipReason)
	}
	if srv == nil {
		t.Fatal("sandboxtest: no sandbox; call sandboxtest.Main(m) from TestMain")
	}
	if restartErr != nil {
		t.Fatalf("sandboxtest: %v", restartErr)
	}
	select {
	case <-srv.Done():
		t.Fatal("sandboxtest: moto exited during the tests; rerun with VPCLAB_SANDBOX_LOG=1 to see why")
	default:
	}
	return srv
}

// Config resets the sandbox, so each test starts from moto's initial state,
// and returns a config that can only reach it. moto's 500s are not retried,
// so that they fail fast; a connection it resets (its server does, now and
// then, on a busy machine) is tried again, as vpclab itself does.
func Config(t testing.TB) aws.Config {
	t.Helper()
	s := server(t)
	Reset(t)
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(Region),
		config.WithBaseEndpoint(s.URL()),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(
			sandbox.DummyCredential, sandbox.DummyCredential, "")),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.Retryables = []retry.IsErrorRetryable{retry.RetryableConnectionError{}}
			})
		}),
	)
	if err != nil {
		t.Fatalf("sandboxtest: load AWS config: %v", err)
	}
	if err := checkSafe(cfg); err != nil {
		t.Fatalf("sandboxtest: refusing an AWS config that could reach a real account: %v", err)
	}
	return cfg
}

// URL is the sandbox endpoint. It does not reset.
func URL(t testing.TB) string {
	t.Helper()
	return server(t).URL()
}

// Reset wipes the sandbox back to moto's initial state. It waits as long
// as the test may run: a reset takes half a second on an idle machine and
// much longer on a busy one, which is slow, not broken.
func Reset(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitBudget(t))
	defer cancel()
	if err := server(t).Reset(ctx); err != nil {
		t.Fatalf("sandboxtest: reset: %v", err)
	}
}

// waitBudget is how long a test may wait for the sandbox: what is left
// of the test's deadline (less a margin to report), or 5 minutes without
// one.
func waitBudget(t testing.TB) time.Duration {
	if tt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := tt.Deadline(); ok {
			return max(time.Until(d)*9/10, time.Second)
		}
	}
	return 5 * time.Minute
}

// Env is the environment for subprocesses such as the AWS CLI; append it to
// os.Environ() (later entries win). Its PATH puts vpclab's warm AWS CLI
// first when it can start (see internal/awscli): the same CLI, at a tenth
// of the cost per command.
func Env(t testing.TB) []string {
	t.Helper()
	e := env(server(t).URL())
	warm.once.Do(func() {
		w, err := awscli.Start(context.Background(), os.Getenv("PATH"), awscli.Options{SandboxOnly: true,
			Refusal: "sandboxtest: this aws command could reach past the sandbox; it was not run"})
		if err != nil {
			fmt.Fprintf(os.Stderr, "sandboxtest: the AWS CLI starts afresh for each command (%v)\n", err)
			return
		}
		warm.w = w
	})
	if warm.w != nil {
		e = warm.w.Env(e)
	}
	return e
}

// warm is the package's warm AWS CLI, started by the first Env.
var warm struct {
	once sync.Once
	w    *awscli.Warm
}

// checkSafe accepts only a loopback endpoint and the dummy credentials.
func checkSafe(cfg aws.Config) error {
	if cfg.BaseEndpoint == nil {
		return errors.New("no BaseEndpoint, so requests would go to AWS")
	}
	if !isLoopback(*cfg.BaseEndpoint) {
		return fmt.Errorf("endpoint %q is not on loopback", *cfg.BaseEndpoint)
	}
	if cfg.Credentials == nil {
		return errors.New("no credentials provider")
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		return fmt.Errorf("retrieve credentials: %w", err)
	}
	if creds.AccessKeyID != sandbox.DummyCredential || creds.SecretAccessKey != sandbox.DummyCredential || creds.SessionToken != "" {
		return fmt.Errorf("credentials %q are not the dummy %q ones", creds.AccessKeyID, sandbox.DummyCredential)
	}
	return nil
}

// isLoopback reports whether rawURL is an http(s) URL whose host is
// localhost, 127.0.0.0/8 or ::1.
func isLoopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}
