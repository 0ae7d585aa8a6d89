package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/i18n"
)

// TestRequireLoopback: vpclab test creates and deletes resources, so its
// --endpoint must be this machine; anything else is a usage error (exit 2)
// that names the endpoint.
func TestRequireLoopback(t *testing.T) {
	for _, tc := range []struct {
		endpoint string
		want     int
	}{
		{"", ExitOK},
		{"http://127.0.0.1:5000", ExitOK},
		{"http://localhost:5000", ExitOK},
		{"http://[::1]:5000", ExitOK},
		{"http://127.1.2.3:80", ExitOK},
		{"https://example.com", ExitUsage},
		{"https://ec2.us-east-1.amazonaws.com", ExitUsage},
		{"http://127.0.0.1.nip.io:5000", ExitUsage},
		{"http://user@127.0.0.1:5000", ExitUsage},
		{"ftp://127.0.0.1", ExitUsage},
		{"127.0.0.1:5000", ExitUsage},
	} {
		var errb bytes.Buffer
		env := &Env{Stderr: &errb, Loc: i18n.New(i18n.EN)}
		if got := requireLoopback(env, "test", tc.endpoint); got != tc.want {
			t.Errorf("requireLoopback(%q) = %d, want %d", tc.endpoint, got, tc.want)
		}
		if tc.want == ExitUsage && !strings.Contains(errb.String(), tc.endpoint) {
			t.Errorf("requireLoopback(%q): message does not name it: %q", tc.endpoint, errb.String())
		}
		// A URL in the wrong form is told so, not "not on this machine".
		if notURL := tc.endpoint == "ftp://127.0.0.1" || tc.endpoint == "127.0.0.1:5000"; notURL != strings.Contains(errb.String(), "not an http:// or https:// URL") {
			t.Errorf("requireLoopback(%q): %q", tc.endpoint, errb.String())
		}
	}
}

// TestBounded: the copy's context ends at the limit plus the extra (what
// --wait adds); the original's does not; 0 means no limit.
func TestBounded(t *testing.T) {
	env := &Env{Ctx: context.Background()}
	b, cancel := bounded(env, time.Minute, 4*time.Minute)
	defer cancel()
	dl, ok := b.Ctx.Deadline()
	if !ok || time.Until(dl) < 4*time.Minute || time.Until(dl) > 5*time.Minute {
		t.Errorf("deadline in %s, want about 5m", time.Until(dl))
	}
	if _, ok := env.Ctx.Deadline(); ok {
		t.Error("bounded changed the original Env")
	}
	u, cancel2 := bounded(env, 0, time.Minute)
	defer cancel2()
	if _, ok := u.Ctx.Deadline(); ok {
		t.Error("--timeout 0 set a deadline")
	}
}
