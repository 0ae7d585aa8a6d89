//go:build !unix

package procgroup

import (
	"os/exec"
	"syscall"
)

// Set does nothing: there are no process groups here.
func Set(*exec.Cmd, syscall.Signal) {}

// Kill kills cmd itself, if it was started.
func Kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
