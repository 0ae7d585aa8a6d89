//go:build unix

package sandbox

import (
	"errors"
	"syscall"
	"testing"
)

// assertGroupGone checks that moto led its own process group and that no
// process of that group survives.
func assertGroupGone(t *testing.T, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("moto pid %d still exists after Stop (kill 0: %v)", pid, err)
	}
	if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process group %d still has members after Stop (kill 0: %v)", pid, err)
	}
}
