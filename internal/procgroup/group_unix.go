//go:build unix

package procgroup

import (
	"os/exec"
	"syscall"
)

// Kill kills cmd's whole group, if cmd was started.
func Kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
