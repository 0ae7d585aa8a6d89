//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package progress

import (
	"errors"
	"os"
	"syscall"
)

// lockingSupported: flock excludes other processes (and other open files in
// this one), so concurrent vpclab runs cannot lose updates.
const lockingSupported = true

// lockFile blocks until it holds an exclusive flock on f. flock, not fcntl:
// fcntl locks belong to the process and vanish when any descriptor of the
// file is closed.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

func unlockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
