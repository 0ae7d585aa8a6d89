package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestLostOutputIsAnError: a command whose output cannot be written (its
// reader gone, a full disk) exits 4 and says so in the reader's language,
// instead of exit 0 with the policy or report lost. (A pipe whose reader is
// closed: the write fails with EPIPE, as on a real closed pipe.)
func TestLostOutputIsAnError(t *testing.T) {
	for _, c := range []struct {
		lang, want string
	}{
		{"en", "The output could not be written"},
		{"ja", "出力を書き込めなかったため"},
	} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		var errb bytes.Buffer
		code := Run([]string{"--lang", c.lang, "policy", "first-vpc"}, &Env{Stdout: w, Stderr: &errb, Getenv: func(string) string { return "" }})
		w.Close()
		if code != ExitOutput || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", c.lang, code, errb.String(), ExitOutput, c.want)
		}
	}
	// The same command with somewhere to write exits 0.
	if code, out, stderr := runCLI(t, "", nil, "policy", "first-vpc"); code != ExitOK || out == "" {
		t.Errorf("exit %d, %d bytes out: %s", code, len(out), stderr)
	}
}

// TestJSONErrorOnStdout: check or cost --format json that cannot read the account
// answers in JSON on standard output (a script parsing it gets the kind),
// besides the words on standard error, and exits 3.
func TestJSONErrorOnStdout(t *testing.T) {
	env := map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "testing",
		"AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "VPCLAB_STATE_DIR": t.TempDir()}
	for k, v := range env { // the SDK reads the process's environment
		t.Setenv(k, v)
	}
	for _, args := range [][]string{{"check", "first-vpc", "--format", "json"}, {"cost", "--format", "json"}} {
		code, out, stderr := runCLI(t, t.TempDir(), env, args...)
		var got JSONError
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitAWS || got.Error.Kind != "unreachable" || got.Error.Message == "" || stderr == "" {
			t.Errorf("%v: exit %d, stdout %q (%v), stderr %q", args, code, out, err, stderr)
		}
	}
}
