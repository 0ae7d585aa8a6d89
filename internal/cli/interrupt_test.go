package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// TestInterruptedIsNoVerdict: a command stopped by Ctrl-C (its context
// cancelled) exits 130 and says it was interrupted, in both languages,
// rather than blaming AWS (exit 3) or reporting a failure.
func TestInterruptedIsNoVerdict(t *testing.T) {
	env := map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "testing",
		"AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "VPCLAB_STATE_DIR": t.TempDir()}
	for _, c := range []struct{ lang, want string }{{"en", "Interrupted before it finished"}, {"ja", "中断されたため"}} {
		for _, args := range [][]string{{"check", "first-vpc"}, {"cost"}} {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var out, errb bytes.Buffer
			code := Run(append([]string{"--lang", c.lang}, args...), &Env{Stdout: &out, Stderr: &errb, Ctx: ctx,
				Getenv: func(k string) string { return env[k] }, Dir: t.TempDir()})
			if code != ExitInterrupted || !strings.Contains(errb.String(), c.want) || strings.Contains(errb.String(), "canceled") {
				t.Errorf("%s %v: exit %d, stderr %q; want %d and %q, and no \"context canceled\"", c.lang, args, code, errb.String(), ExitInterrupted, c.want)
			}
		}
	}
}

// TestTyposAreUsageErrors: a negative --timeout (0 is "no limit") and a
// --region that is no Region name are exit 2 with what is wrong, before
// AWS (or the sandbox) is asked anything.
func TestTyposAreUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "first-vpc", "--timeout", "-5s"}, "--timeout -5s is negative"},
		{[]string{"cost", "--timeout", "-5s"}, "--timeout -5s is negative"},
		{[]string{"check", "first-vpc", "--region", "ap-northeast-11"}, "is not an AWS Region name"},
		{[]string{"check", "igw-eip-basics", "--step", "public-egress"}, `"public-egress" is a check of step route-public, not a step: vpclab check igw-eip-basics --step route-public`},
		{[]string{"cost", "--region", "tokyo"}, "is not an AWS Region name"},
	} {
		var out, errb bytes.Buffer
		code := Run(c.args, &Env{Stdout: &out, Stderr: &errb, Ctx: context.Background(),
			Getenv: func(string) string { return "" }, Dir: t.TempDir()})
		if code != ExitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errb.String(), ExitUsage, c.want)
		}
	}
}

// TestWaitInterruptedShowsTheLastVerdict: Ctrl-C during check --wait
// prints the last complete read's results and says they are that, with
// 130; not those results followed by "no verdict". The interruption comes
// later on each try until a read has completed (a busy machine reads
// slowly), so only the wording can fail the test.
func TestWaitInterruptedShowsTheLastVerdict(t *testing.T) {
	env := map[string]string{"VPCLAB_STATE_DIR": t.TempDir()}
	for _, kv := range sandboxtest.Env(t) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	for after := time.Second; ; after *= 2 {
		ctx, cancel := context.WithTimeout(context.Background(), after)
		var out, errb bytes.Buffer
		code := Run([]string{"check", "first-vpc", "--wait", "10m"}, &Env{Stdout: &out, Stderr: &errb, Ctx: ctx,
			Getenv: func(k string) string { return env[k] }, Dir: t.TempDir()})
		cancel()
		if code != ExitInterrupted {
			t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitInterrupted, errb.String())
		}
		if out.Len() == 0 { // interrupted before any read completed: no verdict
			if !strings.Contains(errb.String(), "no verdict") {
				t.Fatalf("nothing shown, and stderr does not say there is no verdict:\n%s", errb.String())
			}
			if after > 2*time.Minute {
				t.Fatalf("no read of the sandbox completed in %v", after)
			}
			continue
		}
		if !strings.Contains(errb.String(), "the results above are those of the last complete check") || strings.Contains(errb.String(), "no verdict") {
			t.Fatalf("results shown, then:\n%s", errb.String())
		}
		return
	}
}
