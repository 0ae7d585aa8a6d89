package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
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

// TestNegativeTimeoutIsAUsageError: --timeout -5s is a typo, not "no
// limit" (that is 0).
func TestNegativeTimeoutIsAUsageError(t *testing.T) {
	for _, args := range [][]string{{"check", "first-vpc", "--timeout", "-5s"}, {"cost", "--timeout", "-5s"}} {
		var out, errb bytes.Buffer
		code := Run(args, &Env{Stdout: &out, Stderr: &errb, Ctx: context.Background(),
			Getenv: func(string) string { return "" }, Dir: t.TempDir()})
		if code != ExitUsage || !strings.Contains(errb.String(), "--timeout -5s is negative") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestRegionTypoIsAUsageError: --region ap-northeast-11 is named as not a
// Region before AWS (or the sandbox) answers it with an HTTP error.
func TestRegionTypoIsAUsageError(t *testing.T) {
	for _, args := range [][]string{{"check", "first-vpc", "--region", "ap-northeast-11"}, {"cost", "--region", "tokyo"}} {
		var out, errb bytes.Buffer
		code := Run(args, &Env{Stdout: &out, Stderr: &errb, Ctx: context.Background(),
			Getenv: func(string) string { return "" }, Dir: t.TempDir()})
		if code != ExitUsage || !strings.Contains(errb.String(), "is not an AWS Region name") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}
