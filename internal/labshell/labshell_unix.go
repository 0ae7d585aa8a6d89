//go:build unix

package labshell

import (
	"os/exec"
	"syscall"
)

// setGroup puts bash in a process group of its own, so that Close can
// kill every command a block started (an aws CLI waiting on a waiter).
func setGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
