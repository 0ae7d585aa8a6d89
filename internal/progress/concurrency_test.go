package progress

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Many goroutines, each with its own Store on the same file, record one
// result at a time: no update may be lost.
func TestRecordConcurrentGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	const workers, each = 16, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			s := Open(path)
			for i := range each {
				_, err := s.Record(Record{
					Account: "111122223333", Region: "us-east-1", Lab: "nat",
					Check: fmt.Sprintf("g%02d-%02d", w, i), Status: StatusPass,
				})
				if err != nil {
					errs <- err
				}
				if _, warns, err := s.Load(); err != nil || len(warns) != 0 {
					errs <- fmt.Errorf("concurrent Load: %v, %v", warns, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkAll(t, path, "g", workers, each)
}

const (
	childEnv      = "VPCLAB_PROGRESS_TEST_CHILD" // "<path>|<worker>"
	childRecords  = 25
	childCount    = 4
	childStartTTL = 30 * time.Second
)

// Several processes record at once: flock must serialize them. The test
// binary re-runs itself as the children.
func TestRecordConcurrentProcesses(t *testing.T) {
	if v := os.Getenv(childEnv); v != "" {
		runChild(t, v)
		return
	}
	if !lockingSupported {
		t.Skip("no inter-process lock on this system")
	}
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	var cmds []*exec.Cmd
	for w := range childCount {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRecordConcurrentProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%d", childEnv, path, w))
		out := new(lockedBuffer)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("child %d output:\n%s", w, out.String())
			}
		})
	}
	// Release all children at once so that their writes overlap.
	if err := os.WriteFile(filepath.Join(dir, "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("child %d: %v", i, err)
		}
	}
	checkAll(t, path, "p", childCount, childRecords)
}

func runChild(t *testing.T, arg string) {
	path, w, ok := cut(arg)
	if !ok {
		t.Fatalf("bad %s=%q", childEnv, arg)
	}
	start := filepath.Join(filepath.Dir(path), "go")
	for deadline := time.Now().Add(childStartTTL); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(start); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("never released")
		}
	}
	s := Open(path)
	for i := range childRecords {
		warns, err := s.Record(Record{
			Account: "111122223333", Region: "us-east-1", Lab: "nat",
			Check: fmt.Sprintf("p%02d-%02d", w, i), Status: StatusPass,
		})
		if err != nil || len(warns) != 0 {
			t.Fatalf("Record: %v, %v", warns, err)
		}
	}
}

func cut(arg string) (string, int, bool) {
	for i := len(arg) - 1; i >= 0; i-- {
		if arg[i] == '|' {
			n, err := strconv.Atoi(arg[i+1:])
			return arg[:i], n, err == nil
		}
	}
	return "", 0, false
}

func checkAll(t *testing.T, path, prefix string, workers, each int) {
	t.Helper()
	p, warns, err := Open(path).Load()
	if err != nil || len(warns) != 0 {
		t.Fatalf("Load: %v, %v", warns, err)
	}
	lab := p.Lab("111122223333", "us-east-1", "nat")
	if len(lab) != workers*each {
		t.Errorf("%d records, want %d", len(lab), workers*each)
	}
	for w := range workers {
		for i := range each {
			if c := fmt.Sprintf("%s%02d-%02d", prefix, w, i); lab[c].Status != StatusPass {
				t.Errorf("lost %s", c)
			}
		}
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
