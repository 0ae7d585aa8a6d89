package sandbox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
)

// These tests run the real moto. Without it they skip, except under CI=true.

func startMoto(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(context.Background(), opts)
	requireInstalled(t, err)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

func requireInstalled(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrNotInstalled) {
		return
	}
	const hint = "install moto's server mode (pip install 'moto[server]') or set VPCLAB_PYTHON to a Python that has it"
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatalf("CI must run the sandbox tests: %v; %s", err, hint)
	}
	t.Skipf("moto not available: %v; %s", err, hint)
}

func TestStartStop(t *testing.T) {
	t.Parallel()
	s := startMoto(t, Options{})

	if s.Port() == 0 {
		t.Fatal("Port() = 0, want the port moto listens on")
	}
	if want := "http://127.0.0.1:" + strconv.Itoa(s.Port()); s.URL() != want {
		t.Errorf("URL() = %q, want %q", s.URL(), want)
	}
	resp, err := http.Get(s.URL() + "/moto-api/data.json")
	if err != nil {
		t.Fatalf("GET moto dashboard data: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /moto-api/data.json: %s, want 200 from moto", resp.Status)
	}
	if ip := nonLoopbackIP(); ip != nil {
		if c, err := net.Dial("tcp", net.JoinHostPort(ip.String(), strconv.Itoa(s.Port()))); err == nil {
			c.Close()
			t.Errorf("moto answers on %s; it must listen on 127.0.0.1 only", ip)
		}
	}

	pid := s.cmd.Process.Pid
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	select {
	case <-s.Done():
	default:
		t.Error("Done() not closed after Stop")
	}
	assertGroupGone(t, pid)
	if c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port()))); err == nil {
		c.Close()
		t.Errorf("port %d still accepts connections after Stop", s.Port())
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v, want nil", err)
	}
}

func TestStartNotInstalled(t *testing.T) {
	tests := []struct {
		name   string
		python string
		envVar string // VPCLAB_PYTHON
	}{
		{name: "missing interpreter", python: "vpclab-no-such-python"},
		{name: "missing VPCLAB_PYTHON", envVar: filepath.Join(t.TempDir(), "python3")},
	}
	if runtime.GOOS != "windows" {
		// python -S skips site-packages, so moto cannot be imported.
		script := filepath.Join(t.TempDir(), "python-without-moto")
		body := "#!/bin/sh\nexec " + strconv.Quote(testPython()) + " -S \"$@\"\n"
		if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
		tests = append(tests, struct{ name, python, envVar string }{name: "python without moto", python: script})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("VPCLAB_PYTHON", tt.envVar)
			s, err := Start(context.Background(), Options{Python: tt.python})
			if err == nil {
				s.Stop()
			}
			if !errors.Is(err, ErrNotInstalled) {
				t.Fatalf("Start: %v, want ErrNotInstalled", err)
			}
		})
	}
}

func TestStartPortInUse(t *testing.T) {
	t.Parallel()
	l := listen(t)
	port := l.Addr().(*net.TCPAddr).Port

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Start(ctx, Options{Port: port})
	requireInstalled(t, err)
	if err == nil {
		s.Stop()
		t.Fatalf("Start on busy port %d succeeded, want an error", port)
	}
	if !errors.Is(err, errPortInUse) {
		t.Errorf("Start on busy port: %v, want errPortInUse", err)
	}
}

// Not parallel: it swaps pickPort, which parallel tests read later.
func TestStartRetriesTakenPort(t *testing.T) {
	taken := listen(t).Addr().(*net.TCPAddr).Port
	calls := 0
	pickPort = func() (int, error) {
		calls++
		if calls == 1 {
			return taken, nil
		}
		return freePort()
	}
	t.Cleanup(func() { pickPort = freePort })

	s := startMoto(t, Options{})
	if s.Port() == taken || calls != 2 {
		t.Errorf("Port() = %d after %d picks; want a new port after the taken %d", s.Port(), calls, taken)
	}
}

func TestDoneWhenMotoDies(t *testing.T) {
	t.Parallel()
	s := startMoto(t, Options{})
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.Done():
	case <-time.After(30 * time.Second): // a hang guard, not a timing assert
		t.Fatal("Done() not closed after moto was killed")
	}
	if err := s.Stop(); err != nil {
		t.Errorf("Stop after crash: %v, want nil", err)
	}
}

func TestEnv(t *testing.T) {
	got := Env("http://127.0.0.1:5000", "eu-west-1")
	want := []string{
		"AWS_ENDPOINT_URL=http://127.0.0.1:5000",
		"AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
		"AWS_REGION=eu-west-1",
		"AWS_DEFAULT_REGION=eu-west-1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Env() = %q, want %q", got, want)
	}
}

func TestTailBufferKeepsEnd(t *testing.T) {
	var tb tailBuffer
	for i := range tailSize {
		tb.Write([]byte{byte('a' + i%26)})
	}
	tb.Write([]byte("END"))
	got := tb.String()
	if len(got) != tailSize || got[len(got)-3:] != "END" {
		t.Errorf("tail has %d bytes ending %q; want %d ending \"END\"", len(got), got[len(got)-3:], tailSize)
	}
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func testPython() string {
	if p := os.Getenv("VPCLAB_PYTHON"); p != "" {
		return p
	}
	if p, err := exec.LookPath("python3"); err == nil {
		return p
	}
	return "python3"
}

// nonLoopbackIP returns an address of this machine other than loopback, or
// nil if there is none.
func nonLoopbackIP() net.IP {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP
		}
	}
	return nil
}

// A learner's AWS settings must not reach moto: botocore inside moto dies
// when AWS_PROFILE names a profile it cannot find (an empty name too).
func TestStartIgnoresLearnersAWSEnvironment(t *testing.T) {
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "missing"))
	s := startMoto(t, Options{})
	resp, err := http.Get(s.URL() + "/moto-api/data.json")
	if err != nil {
		t.Fatalf("moto did not answer with AWS_PROFILE set: %v", err)
	}
	resp.Body.Close()
}
