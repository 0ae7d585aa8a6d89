//go:build unix

package sandbox

import (
	"errors"
	"os"
	"syscall"
)

// moto runs in its own process group (see configure), so signalling -pid
// reaches moto and anything it spawned, and never vpclab itself.

func terminate(p *os.Process) error { return signalGroup(p, syscall.SIGTERM) }

func kill(p *os.Process) error { return signalGroup(p, syscall.SIGKILL) }

func signalGroup(p *os.Process, sig syscall.Signal) error {
	if err := syscall.Kill(-p.Pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}
