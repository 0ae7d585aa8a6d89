//go:build unix

package site

import (
	"os"
	"syscall"
)

// likeFresh reports whether st is a regular file with fresh's mode, owner
// and group, and links links.
func likeFresh(st, fresh os.FileInfo, links uint64) bool {
	a, ok1 := st.Sys().(*syscall.Stat_t)
	b, ok2 := fresh.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && st.Mode().IsRegular() && st.Mode() == fresh.Mode() &&
		uint64(a.Nlink) == links && a.Uid == b.Uid && a.Gid == b.Gid
}
