package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// ErrNotRegular is ReadRegular's error for a FIFO, a device, a socket or a
// folder where a file was expected.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is ReadRegular's error for a file over its limit.
type TooLargeError struct{ Size, Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%d bytes, more than the %d allowed", e.Size, e.Limit)
}

// ReadRegular reads the regular file name of fsys, if it holds at most
// limit bytes. Anything else is refused before it is read: a FIFO would
// block the read for ever, and a device (a page linked to /dev/zero) never
// ends. The read stops after limit+1 bytes whatever the file's size said,
// since a file can grow while it is read.
func ReadRegular(fsys fs.FS, name string, limit int64) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	if info.Size() > limit {
		return nil, &TooLargeError{Size: info.Size(), Limit: limit}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Sized from the stat, one byte over to see the end: growing from
	// io.ReadAll's 512 bytes allocated four times a page's size.
	data, err := readAll(io.LimitReader(f, limit+1), make([]byte, 0, info.Size()+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Size: int64(len(data)), Limit: limit}
	}
	return data, nil
}

// readAll is io.ReadAll into buf, which it grows only if r holds more
// than buf's capacity.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
