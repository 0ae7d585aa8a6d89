//go:build !unix

package doctest

import (
	"context"
	"errors"
	"time"
)

type shell struct{ dead bool }

const (
	Bash = "bash"
	Zsh  = "zsh"
)

type runResult struct {
	output      []string
	failed      bool
	failLine    int
	status      int
	timedOut    bool
	died        bool
	interrupted bool
}

func startShell(context.Context, string, []string) (*shell, error) {
	return nil, errors.New("vpclab test needs bash on a Unix system")
}

func (*shell) run(context.Context, string, time.Duration) runResult { return runResult{died: true} }
func (*shell) close()                                               {}
