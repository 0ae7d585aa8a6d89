package repair

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestShellQuoting: a value put in a printed command (a Name tag, an id)
// is read back word for word by bash and zsh.
func TestShellQuoting(t *testing.T) {
	words := []string{"vpclab-nat-vpc", "my vpc", "=x", "it's", "ネットワーク", "-x", "$HOME", "a\nb", "*", "~/x", "{a,b}", `back\slash`, "a=b", "!x", ""}
	for _, sh := range []string{"bash", "zsh"} {
		if _, err := exec.LookPath(sh); err != nil {
			t.Fatalf("%s is not installed (.ci/run installs zsh): %v", sh, err)
		}
		for _, w := range words {
			script := "f() { printf '%s\\0' \"$@\"; }\nf " + shq(w)
			out, err := exec.Command(sh, "-c", script).Output()
			if got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00"); err != nil || !slices.Equal(got, []string{w}) {
				t.Errorf("%s reads %s as %q (%v), want %q", sh, shq(w), got, err, w)
			}
		}
	}
}
