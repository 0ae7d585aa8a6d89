package cli

import (
	"bytes"
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
