package site

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/progress"
)

// Stats says what Build wrote.
type Stats struct {
	Pages   int // HTML pages
	Badges  int // SVG progress badges
	Assets  int // everything else: CSS, scripts, vendored libraries, lab files
	Bytes   int64
	Elapsed time.Duration
	Dir     string // the folder written, absolute
}

// Files is the number of files written.
func (s Stats) Files() int { return s.Pages + s.Badges + s.Assets }

// NotSiteError is Build's error for an output folder that holds files but
// no MarkerFile: it is not a vpclab build, so Build leaves it alone.
type NotSiteError struct{ Dir string }

func (e *NotSiteError) Error() string {
	return fmt.Sprintf("%s is not empty and is not a vpclab build (no %s file); not replacing it", e.Dir, MarkerFile)
}

func (e *NotSiteError) Unwrap() error { return errNotSite }

// Build renders labs into outDir (see New and Site.Build). It is a one-off
// build: it first releases the labs' syntax trees (content.ReleaseTrees),
// which the pages do not render from, so they are not held while every
// page is written.
func Build(outDir string, labs []*content.Lab, prog *progress.Progress, opts Options) (Stats, error) {
	content.ReleaseTrees(labs)
	s, err := New(labs, opts)
	if err != nil {
		return Stats{}, err
	}
	return s.Build(outDir, prog)
}

// Build writes the whole site into outDir. The site is written into a new
// folder next to outDir and then renamed into place, so readers never see
// half a site and a failed build leaves the previous one as it was. An
// existing outDir is replaced only if it is empty or holds MarkerFile (an
// earlier build); otherwise Build returns a *NotSiteError and touches
// nothing.
func (s *Site) Build(outDir string, prog *progress.Progress) (Stats, error) {
	start := time.Now()
	abs, err := filepath.Abs(outDir)
	if err != nil {
		return Stats{}, err
	}
	// Write through a symbolic link to the folder it names.
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	existing, err := checkReplaceable(abs)
	if err != nil {
		return Stats{}, err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return Stats{}, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".tmp-")
	if err != nil {
		return Stats{}, err
	}
	keepTmp := false
	defer func() {
		if !keepTmp {
			os.RemoveAll(tmp)
		}
	}()
	st, err := s.writeAll(tmp, prog)
	if err != nil {
		return st, err
	}
	if err := os.WriteFile(filepath.Join(tmp, MarkerFile), []byte(markerText), 0o644); err != nil {
		return st, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it 0700
		return st, err
	}
	if existing {
		old, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".old-")
		if err != nil {
			return st, err
		}
		os.Remove(old) // only the unique name is wanted
		if err := os.Rename(abs, old); err != nil {
			return st, err
		}
		if err := os.Rename(tmp, abs); err != nil {
			_ = os.Rename(old, abs) // put the previous build back
			return st, err
		}
		keepTmp = true
		// The previous build, moved aside; it had the marker (or was empty).
		if err := os.RemoveAll(old); err != nil {
			return st, fmt.Errorf("site built, but the previous build could not be removed from %s: %w", old, err)
		}
	} else {
		if err := os.Rename(tmp, abs); err != nil {
			return st, err
		}
		keepTmp = true
	}
	st.Dir = abs
	st.Elapsed = time.Since(start)
	return st, nil
}

const markerText = "This folder was written by `vpclab build`, which replaces it as a whole on the next build.\n"

// checkReplaceable reports whether dir exists, and refuses a folder that is
// neither empty nor an earlier build.
func checkReplaceable(dir string) (bool, error) {
	st, err := os.Lstat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !st.IsDir() {
		return false, &NotSiteError{Dir: dir}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	if len(entries) == 0 {
		return true, nil
	}
	if m, err := os.Lstat(filepath.Join(dir, MarkerFile)); err == nil && m.Mode().IsRegular() {
		return true, nil
	}
	return false, &NotSiteError{Dir: dir}
}

// writeAll renders every file into dir, pages in parallel.
func (s *Site) writeAll(dir string, prog *progress.Progress) (Stats, error) {
	// The search index is written last, from the parts the pages' renders
	// kept (see Site.keepSections).
	paths := s.Paths()
	withIndex := slices.Contains(paths, searchIndexPath)
	paths = slices.DeleteFunc(paths, func(p string) bool { return p == searchIndexPath })
	total := len(paths)
	if withIndex {
		total++
	}
	var (
		mu       sync.Mutex
		st       Stats
		firstErr error
		wg       sync.WaitGroup
		dirs     sync.Map // folders made
	)
	write := func(buf *bytes.Buffer, name string) {
		buf.Reset()
		err := s.WriteFile(buf, name, prog)
		if err == nil {
			err = writeFile(&dirs, dir, name, buf.Bytes())
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", name, err)
		}
		st.Bytes += int64(buf.Len())
		switch {
		case strings.HasSuffix(name, ".html"):
			st.Pages++
		case strings.HasPrefix(name, "badges/"):
			st.Badges++
		default:
			st.Assets++
		}
		if s.opts.Progress != nil {
			s.opts.Progress(st.Files(), total)
		}
	}
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return firstErr != nil
	}
	jobs := make(chan string)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for name := range jobs {
				write(&buf, name)
			}
		}()
	}
	for _, p := range paths {
		if failed() {
			break
		}
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	if withIndex && !failed() {
		write(new(bytes.Buffer), searchIndexPath)
	}
	return st, firstErr
}

func writeFile(dirs *sync.Map, dir, name string, data []byte) error {
	full := filepath.Join(dir, filepath.FromSlash(path.Clean(name)))
	// Each folder is made once: a site has far more files than folders.
	if parent := filepath.Dir(full); !loaded(dirs, parent) {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
		dirs.Store(parent, true)
	}
	return os.WriteFile(full, data, 0o644)
}

func loaded(m *sync.Map, key string) bool {
	_, ok := m.Load(key)
	return ok
}
