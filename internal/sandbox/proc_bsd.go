//go:build unix && !linux

package sandbox

import (
	"os/exec"
	"syscall"
)

// configure gives moto its own process group so Stop can signal all of it.
// There is no portable parent-death signal here, so a hard-killed vpclab
// leaves moto running until it is stopped by hand.
func configure(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
