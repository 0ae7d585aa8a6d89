package sandboxtest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSkipsAreReportedLoudly: without moto (outside CI), the package's
// sandbox tests skip, and Main says so on stderr and on the terminal after
// the run, naming the tests and the reason: go test ./... hides the output
// of a passing package, so "ok" alone would look like a full run.
func TestSkipsAreReportedLoudly(t *testing.T) {
	if os.Getenv("VPCLAB_SKIPS_CHILD") != "" {
		t.Skip("child run")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestConfigReachesOnlySandbox$", "-test.count=1")
	cmd.Env = append(os.Environ(), "VPCLAB_PYTHON=/nonexistent/python3", "CI=false", "VPCLAB_NO_TTY=1", "VPCLAB_SKIPS_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child run failed: %v\n%s", err, out)
	}
	for _, want := range []string{"SKIPPED", "TestConfigReachesOnlySandbox", "moto", "pip install"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output does not say %q:\n%s", want, out)
		}
	}
}
