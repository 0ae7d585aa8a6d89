//go:build unix

package labshell

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T, o Options) *Session {
	t.Helper()
	if o.Env == nil {
		o.Env = []string{"PATH=" + os.Getenv("PATH")}
	}
	s, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func run(t *testing.T, s *Session, code string, timeout time.Duration) ([]string, Result) {
	t.Helper()
	var out []string
	r := s.Run(context.Background(), code, timeout, func(l string) { out = append(out, l) })
	return out, r
}

// A generous limit: these blocks take milliseconds, and a slow machine
// must not fail them.
const long = time.Minute

func TestVariablesCarryOver(t *testing.T) {
	s := start(t, Options{})
	if out, r := run(t, s, "X=$(echo hello)\n", long); !r.OK() || len(out) != 0 {
		t.Fatalf("first block: %v %+v", out, r)
	}
	out, r := run(t, s, "echo \"$X world\"\nprintf 'no newline'", long)
	if !r.OK() || strings.Join(out, "|") != "hello world|no newline" {
		t.Fatalf("second block: %q %+v", out, r)
	}
}

func TestFailingCommandEndsTheBlock(t *testing.T) {
	s := start(t, Options{})
	out, r := run(t, s, "echo one\nfalse\necho never\n", long)
	if r.OK() || r.FailLine != 2 || r.Status != 1 || strings.Contains(strings.Join(out, "\n"), "never") {
		t.Fatalf("got %q %+v", out, r)
	}
	// The session lives on.
	if out, r := run(t, s, "echo again", long); !r.OK() || strings.Join(out, "|") != "again" {
		t.Fatalf("after a failure: %q %+v", out, r)
	}
	// A failure inside $(…) is reported on the assignment's line.
	if _, r := run(t, s, "\nV=$(exit 3)\necho no", long); r.FailLine != 2 || r.Status != 3 {
		t.Fatalf("command substitution: %+v", r)
	}
}

func TestEnvironmentIsPinned(t *testing.T) {
	s := start(t, Options{
		Env:        []string{"PATH=" + os.Getenv("PATH"), "AWS_PROFILE=real", "AWS_REGION=ap-northeast-1", "AWS_ENDPOINT_URL=http://127.0.0.1:1"},
		Pinned:     []string{"AWS_ENDPOINT_URL=http://127.0.0.1:1", "AWS_ACCESS_KEY_ID=it's"},
		DropPrefix: "AWS_", Keep: []string{"AWS_REGION"},
	})
	// A block that points the session elsewhere does not carry it over.
	run(t, s, "export AWS_ENDPOINT_URL=https://ec2.amazonaws.com AWS_SESSION_TOKEN=x AWS_REGION=us-west-2", long)
	out, r := run(t, s, "env | grep ^AWS_ | sort", long)
	want := "AWS_ACCESS_KEY_ID=it's|AWS_ENDPOINT_URL=http://127.0.0.1:1|AWS_REGION=us-west-2"
	if !r.OK() || strings.Join(out, "|") != want {
		t.Fatalf("environment:\n got %q\nwant %q", strings.Join(out, "|"), want)
	}
}

func TestTimeoutKillsTheSession(t *testing.T) {
	s := start(t, Options{})
	if _, r := run(t, s, "sleep 600\n", 300*time.Millisecond); !r.TimedOut {
		t.Fatalf("got %+v", r)
	}
	select {
	case <-s.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("bash still runs after the timeout")
	}
	if _, r := run(t, s, "echo x", long); !r.Died {
		t.Fatalf("a closed session ran a block: %+v", r)
	}
}

// The page went away: the block is stopped, with what it printed so far.
func TestCancelStopsTheBlock(t *testing.T) {
	s := start(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out []string
	r := s.Run(ctx, "echo started\nsleep 600\necho never\n", long, func(l string) {
		out = append(out, l)
		cancel()
	})
	if !r.TimedOut || strings.Join(out, "|") != "started" {
		t.Fatalf("got %q %+v", out, r)
	}
	select {
	case <-s.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("bash still runs after the cancel")
	}
}

func TestExitEndsTheSession(t *testing.T) {
	s := start(t, Options{})
	if _, r := run(t, s, "exit 4", long); !r.Died {
		t.Fatalf("got %+v", r)
	}
}
