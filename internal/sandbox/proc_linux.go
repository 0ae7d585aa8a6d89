package sandbox

import (
	"os/exec"
	"syscall"
)

// configure gives moto its own process group, and asks the kernel to send it
// SIGTERM if vpclab dies without calling Stop (kill -9, crash), so no moto is
// left holding memory and a port. (The signal follows the forking OS thread;
// Go keeps threads alive unless a goroutine exits while locked to one.)
func configure(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
