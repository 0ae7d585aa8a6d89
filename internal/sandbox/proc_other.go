//go:build !unix

package sandbox

import (
	"errors"
	"os"
	"os/exec"
)

// Without process groups, Stop can only kill moto's own process.

func configure(*exec.Cmd) {}

func terminate(p *os.Process) error { return kill(p) }

func kill(p *os.Process) error {
	if err := p.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}
