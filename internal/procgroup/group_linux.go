package procgroup

import (
	"os/exec"
	"syscall"
)

// Set puts cmd in a group of its own. A non-zero onParentDeath is sent to
// it by the kernel if vpclab dies without stopping it (kill -9, a crash).
func Set(cmd *exec.Cmd, onParentDeath syscall.Signal) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: onParentDeath}
}
