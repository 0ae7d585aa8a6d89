//go:build unix && !linux

package procgroup

import (
	"os/exec"
	"syscall"
)

// Set puts cmd in a group of its own. There is no parent-death signal
// here, so onParentDeath is not used.
func Set(cmd *exec.Cmd, onParentDeath syscall.Signal) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
