package site

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
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

// Build renders labs into outDir (see Builder). Labs whose trees are
// still held (content.Load) are rendered from them.
func Build(outDir string, labs []*content.Lab, prog *progress.Progress, opts Options) (Stats, error) {
	b, err := NewBuilder(outDir, labs, prog, opts)
	if err != nil {
		return Stats{}, err
	}
	return b.Finish(labs)
}

// Build writes the whole site into outDir, as Builder does.
func (s *Site) Build(outDir string, prog *progress.Progress) (Stats, error) {
	b, err := s.builder(outDir, prog)
	if err != nil {
		return Stats{}, err
	}
	return b.Finish(s.labs)
}

// A Builder writes a site as its labs are read. NewBuilder takes the
// labs' front matter (content.LoadMeta): enough for the links, titles and
// order between labs. Lab renders one lab's pages as soon as it has been
// parsed and checked, from the syntax trees the check has just read, so
// that each page is parsed once and no lab's trees outlive its turn.
// Finish writes what needs every lab (the lab lists, the badges, the
// search index) and puts the site in place.
//
// The site is written into a new folder next to outDir and then renamed
// into place, so readers never see half a site and a failed or abandoned
// build leaves the previous one as it was. An existing outDir is replaced
// only if it is empty or holds MarkerFile (an earlier build); otherwise
// NewBuilder returns a *NotSiteError and touches nothing.
type Builder struct {
	s        *Site
	prog     *progress.Progress
	abs, tmp string
	existing bool
	fresh    os.FileInfo // a file as this build writes them (reuse)
	start    time.Time
	total    int      // files the site will have
	dirs     sync.Map // folders made
	buffers  sync.Pool

	mu      sync.Mutex
	st      Stats
	err     error
	written map[string]bool
}

// NewBuilder starts a build of labs into outDir.
func NewBuilder(outDir string, labs []*content.Lab, prog *progress.Progress, opts Options) (*Builder, error) {
	s, err := New(labs, opts)
	if err != nil {
		return nil, err
	}
	return s.builder(outDir, prog)
}

func (s *Site) builder(outDir string, prog *progress.Progress) (*Builder, error) {
	b := &Builder{s: s, prog: prog, start: time.Now(), total: len(s.Paths()), written: map[string]bool{}}
	b.buffers.New = func() any { return new(bytes.Buffer) }
	abs, err := filepath.Abs(outDir)
	if err != nil {
		return nil, err
	}
	// Write through a symbolic link to the folder it names.
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if b.existing, err = checkReplaceable(abs); err != nil {
		return nil, err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	if b.tmp, err = os.MkdirTemp(parent, "."+filepath.Base(abs)+".tmp-"); err != nil {
		return nil, err
	}
	b.abs = abs
	if b.existing {
		b.fresh = probeFresh(b.tmp)
	}
	return b, nil
}

// Lab writes lab's pages. lab must be one of the labs the Builder was
// made with (by id), fully parsed; its trees are read if it still has
// them. Lab is safe for concurrent use. After an error, here or in an
// earlier call, it writes nothing and returns the first error.
func (b *Builder) Lab(lab *content.Lab) error {
	if err := b.failed(); err != nil {
		return err
	}
	if b.s.lab(lab.ID) == nil {
		return b.fail(fmt.Errorf("site: no lab %q: %w", lab.ID, ErrNotFound))
	}
	// The two languages share most code blocks: each is highlighted once.
	code := map[string]string{}
	buf := b.buffers.Get().(*bytes.Buffer)
	defer b.buffers.Put(buf)
	rendered := map[*content.Page]bool{} // a missing translation is the other page
	for _, lang := range i18n.Langs {
		page := lab.Page(lang)
		if page == nil {
			continue
		}
		name := labPath(lab.ID, lang)
		buf.Reset()
		// The page's tree serves its first render only: goldmark writes
		// into the tree as it renders.
		if err := b.s.renderLab(buf, lab, lang, b.prog, code, !rendered[page]); err != nil {
			return b.fail(fmt.Errorf("%s: %w", name, err))
		}
		rendered[page] = true
		if err := b.put(name, buf.Bytes()); err != nil {
			return err
		}
	}
	return b.failed()
}

// Abandon removes what the build has written; the previous site, if any,
// stays as it was. Finish must not be called after it.
func (b *Builder) Abandon() { os.RemoveAll(b.tmp) }

// Finish writes the rest of the site and puts it in place of outDir. labs
// are the labs fully parsed, in any order; the pages Lab has not written
// yet are rendered from them. On an error the build is abandoned.
func (b *Builder) Finish(labs []*content.Lab) (Stats, error) {
	if len(labs) != len(b.s.labs) {
		b.Abandon()
		return b.st, fmt.Errorf("site: %d labs finished, %d begun", len(labs), len(b.s.labs))
	}
	// From here on the site's labs are the parsed ones: the lists and
	// badges count their steps and checks.
	s := b.s
	s.labs = orderLabs(labs)
	s.byID = map[string]*content.Lab{}
	for _, l := range s.labs {
		s.byID[l.ID] = l
	}
	if err := b.writeRest(); err != nil {
		b.Abandon()
		return b.st, err
	}
	if err := b.place(); err != nil {
		return b.st, err
	}
	b.st.Dir = b.abs
	b.st.Elapsed = time.Since(b.start)
	return b.st, nil
}

// writeRest renders every file not written yet, in parallel: the lab
// pages first, since the search index is made from their sections; then
// the search index, the largest file, alongside everything else.
func (b *Builder) writeRest() error {
	var pages, rest []string
	withIndex := false
	b.mu.Lock()
	for _, p := range b.s.Paths() {
		switch {
		case b.written[p]:
		case p == searchIndexPath:
			withIndex = true
		case b.s.isLabPage(p):
			pages = append(pages, p)
		default:
			rest = append(rest, p)
		}
	}
	b.mu.Unlock()
	procs := runtime.GOMAXPROCS(0)
	b.writeAll(pages, procs)
	if b.failed() != nil {
		return b.failed()
	}
	var index sync.WaitGroup
	if withIndex {
		index.Add(1)
		go func() {
			defer index.Done()
			b.write(new(bytes.Buffer), searchIndexPath)
		}()
		procs = max(1, procs-1)
	}
	b.writeAll(rest, procs)
	index.Wait()
	return b.failed()
}

// writeAll writes names with workers goroutines, and stops handing out
// work at the first error.
func (b *Builder) writeAll(names []string, workers int) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range min(workers, len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := b.buffers.Get().(*bytes.Buffer)
			defer b.buffers.Put(buf)
			for name := range jobs {
				b.write(buf, name)
			}
		}()
	}
	for _, name := range names {
		if b.failed() != nil {
			break
		}
		jobs <- name
	}
	close(jobs)
	wg.Wait()
}

func (b *Builder) write(buf *bytes.Buffer, name string) {
	if name == searchIndexPath {
		b.stream(name)
		return
	}
	buf.Reset()
	if err := b.s.WriteFile(buf, name, b.prog); err != nil {
		b.fail(fmt.Errorf("%s: %w", name, err))
		return
	}
	_ = b.put(name, buf.Bytes())
}

// stream writes name straight into its file: the search index is the
// largest file by far, written in parts that need not be joined in memory.
func (b *Builder) stream(name string) {
	full := filepath.Join(b.tmp, filepath.FromSlash(name))
	err := os.MkdirAll(filepath.Dir(full), 0o755)
	var f *os.File
	if err == nil {
		f, err = os.Create(full)
	}
	if err != nil {
		b.fail(fmt.Errorf("%s: %w", name, err))
		return
	}
	cw := &countingWriter{w: f}
	err = b.s.WriteFile(cw, name, b.prog)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.fail(fmt.Errorf("%s: %w", name, err))
		return
	}
	b.count(name, cw.n)
}

type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// put writes one file of the site and counts it. A file the previous
// build wrote with the same bytes is linked into the new folder instead:
// a rebuild after an edit changes few files, and a link writes nothing
// and makes no new inode. (Writing each anew cost up to a second of
// system time on the 300-lab corpus, on a filesystem slow to reuse
// inodes just deleted, as ext4 without a journal is.)
func (b *Builder) put(name string, data []byte) error {
	full := filepath.Join(b.tmp, filepath.FromSlash(path.Clean(name)))
	err := makeParent(&b.dirs, full)
	if err == nil && !(b.existing && b.reuse(name, full, data)) {
		err = os.WriteFile(full, data, 0o644)
	}
	if err != nil {
		return b.fail(fmt.Errorf("%s: %w", name, err))
	}
	b.count(name, len(data))
	return nil
}

// reuse links the previous build's name to full if it is a file as this
// build would write it (b.fresh: the same mode, owner and group, and one
// link, so nothing outside the site shares it) holding exactly data. The
// bytes are compared through the new link, after it is made: a file
// swapped in under the old name in between (another build finishing
// into the same folder) is then unlinked and written anew.
func (b *Builder) reuse(name, full string, data []byte) bool {
	if b.fresh == nil {
		return false
	}
	old := filepath.Join(b.abs, filepath.FromSlash(path.Clean(name)))
	if st, err := os.Lstat(old); err != nil || !likeFresh(st, b.fresh, 1) || st.Size() != int64(len(data)) {
		return false
	}
	if os.Link(old, full) != nil {
		return false
	}
	f, err := os.Open(full)
	if err == nil {
		st, serr := f.Stat()
		same := serr == nil && likeFresh(st, b.fresh, 2) && sameBytes(f, data) // old name and ours
		f.Close()
		if same {
			return true
		}
	}
	_ = os.Remove(full)
	return false
}

// probeFresh returns how a file this build writes in dir comes out
// (mode under the umask, owner, group), from one written and removed.
func probeFresh(dir string) os.FileInfo {
	probe := filepath.Join(dir, ".probe")
	if err := os.WriteFile(probe, nil, 0o644); err != nil {
		return nil
	}
	defer os.Remove(probe)
	st, err := os.Lstat(probe)
	if err != nil {
		return nil
	}
	return st
}

// sameBytes reports whether r holds exactly data, read a block at a time.
func sameBytes(r io.Reader, data []byte) bool {
	buf := compareBuffers.Get().(*[]byte)
	defer compareBuffers.Put(buf)
	for {
		n, err := io.ReadFull(r, *buf)
		if n > len(data) || !bytes.Equal((*buf)[:n], data[:n]) {
			return false
		}
		data = data[n:]
		if err != nil { // io.EOF or io.ErrUnexpectedEOF at the end
			return len(data) == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF)
		}
	}
}

var compareBuffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// count counts a file written.
func (b *Builder) count(name string, size int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.written[name] = true
	b.st.Bytes += int64(size)
	switch {
	case strings.HasSuffix(name, ".html"):
		b.st.Pages++
	case strings.HasPrefix(name, "badges/"):
		b.st.Badges++
	default:
		b.st.Assets++
	}
	if b.s.opts.Progress != nil {
		b.s.opts.Progress(b.st.Files(), b.total)
	}
}

func (b *Builder) fail(err error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
	return b.err
}

func (b *Builder) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// place marks the new folder as a build and renames it into place.
func (b *Builder) place() error {
	keep := false
	defer func() {
		if !keep {
			b.Abandon()
		}
	}()
	tmp, abs, parent := b.tmp, b.abs, filepath.Dir(b.abs)
	if err := os.WriteFile(filepath.Join(tmp, MarkerFile), []byte(markerText), 0o644); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it 0700
		return err
	}
	if !b.existing {
		if err := os.Rename(tmp, abs); err != nil {
			return err
		}
		keep = true
		return nil
	}
	old, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".old-")
	if err != nil {
		return err
	}
	os.Remove(old) // only the unique name is wanted
	if err := os.Rename(abs, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, abs); err != nil {
		_ = os.Rename(old, abs) // put the previous build back
		return err
	}
	keep = true
	// The previous build, moved aside; it had the marker (or was empty).
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("site built, but the previous build could not be removed from %s: %w", old, err)
	}
	return nil
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

// makeParent makes the folder of full, once: a site has far more files
// than folders.
func makeParent(dirs *sync.Map, full string) error {
	if parent := filepath.Dir(full); !loaded(dirs, parent) {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
		dirs.Store(parent, true)
	}
	return nil
}

// isLabPage reports whether name is a lab's page (lang/id/index.html).
func (s *Site) isLabPage(name string) bool {
	parts := strings.Split(name, "/")
	return len(parts) == 3 && parts[2] == "index.html" && s.lab(parts[1]) != nil
}

func loaded(m *sync.Map, key string) bool {
	_, ok := m.Load(key)
	return ok
}
