package content_test

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vpclab/vpclab/content"
)

// statLies is a file system whose Stat reports a size other than what a
// read finds: a file written to between the two.
type statLies struct {
	fstest.MapFS
	size int64
}

func (s statLies) Stat(name string) (fs.FileInfo, error) {
	info, err := s.MapFS.Stat(name)
	if err != nil {
		return nil, err
	}
	return sizedInfo{info, s.size}, nil
}

type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (i sizedInfo) Size() int64        { return i.size }
func (i sizedInfo) ModTime() time.Time { return time.Time{} }

// TestReadRegularWhateverTheStatSaid: the buffer is sized from the stat,
// but what is read decides: a file that grew after the stat is read
// whole, or refused past the limit; one that shrank is read as it is.
func TestReadRegularWhateverTheStatSaid(t *testing.T) {
	data := []byte(strings.Repeat("0123456789", 1000))
	for _, tc := range []struct {
		name        string
		stat, limit int64
		tooLarge    bool
	}{
		{"as stated", int64(len(data)), 1 << 20, false},
		{"grew", 10, 1 << 20, false},
		{"grew past the limit", 10, 5000, true},
		{"shrank", 20000, 1 << 20, false},
		{"empty stat", 0, 1 << 20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := statLies{fstest.MapFS{"page.md": {Data: data}}, tc.stat}
			got, err := content.ReadRegular(fsys, "page.md", tc.limit)
			var tl *content.TooLargeError
			if tc.tooLarge {
				if !errors.As(err, &tl) || tl.Size != tc.limit+1 || tl.Limit != tc.limit {
					t.Fatalf("err = %v, want a TooLargeError after %d bytes", err, tc.limit+1)
				}
				return
			}
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("read %d bytes, err %v; want the file's %d", len(got), err, len(data))
			}
		})
	}
}
