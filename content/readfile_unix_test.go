//go:build unix

package content_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/vpclab/vpclab/content"
)

// TestLoadRefusesWhatIsNotAFile: a page that is a FIFO (a read would block
// for ever) or a link to /dev/zero (a read would never end) is refused at
// once, at its first line, and the other language is not compared with it.
func TestLoadRefusesWhatIsNotAFile(t *testing.T) {
	for name, mk := range map[string]func(string) error{
		"fifo":     func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"dev-zero": func(p string) error { return os.Symlink("/dev/zero", p) },
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "labs", "demo")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "index.ja.md"), []byte(minimalPage), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := mk(filepath.Join(dir, "index.en.md")); err != nil {
				t.Fatalf("cannot make a %s: %v", name, err)
			}
			done := make(chan content.Diags, 1)
			go func() {
				_, ds := content.LoadLab(os.DirFS(root), "labs/demo")
				done <- ds
			}()
			select {
			case ds := <-done:
				if len(ds) != 1 || ds[0].ID != "ContentNotRegular" || ds[0].Pos != (content.Pos{File: "labs/demo/index.en.md", Line: 1, Col: 1}) {
					t.Errorf("diagnostics = %#v, want one ContentNotRegular at labs/demo/index.en.md:1:1", ds)
				}
			case <-time.After(time.Minute):
				t.Fatal("LoadLab did not return: it is reading the page")
			}
		})
	}
}
