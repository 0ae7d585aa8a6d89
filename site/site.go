package site

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/site/highlight"
)

//go:embed assets templates
var embedded embed.FS

// MarkerFile marks a folder as a vpclab build; Build only ever replaces a
// folder that has it (or an empty one).
const MarkerFile = ".vpclab-site"

// Options change how pages are rendered.
type Options struct {
	// Live renders the controls a local server serves: the "Check this
	// step" and "Check the whole lab" buttons are enabled and the pages'
	// script calls the server's api/check. Without it (a static build)
	// the buttons are in the page but hidden and disabled.
	Live bool
	// Token is written to <meta name="vpclab-token"> on every page when
	// Live; the pages send it with each check request.
	Token string
	// Progress, when set, is called as Build writes files: done of total.
	// It may be called from several goroutines, never at once.
	Progress func(done, total int)
	// LabFiles is the file system in which each lab's Dir is a folder.
	// When set, the lab's other files (images and the like) are part of
	// the site, next to the lab's pages, so that relative links to them
	// work. When nil, only the pages are rendered.
	LabFiles fs.FS
	// CheckArgs are put at the end of the vpclab check commands the pages
	// show, as the reader types them: a site built from --content labs
	// must say --content labs, or the command finds no such lab.
	CheckArgs []string
}

// Site renders a set of labs. It is safe for concurrent use: a server may
// create one and render pages for many requests, each with the progress
// it has just loaded.
type Site struct {
	labs  []*content.Lab // in the order the lab list shows them
	byID  map[string]*content.Lab
	opts  Options
	files map[string]labFile // site path → a lab's own file
	// highlighted caches code blocks' highlighted HTML by info string and
	// code: a server renders the same blocks again and again.
	highlighted sync.Map
	// sections are the pages' sections for the search index
	// (pageSections) by pageKey, kept as the pages are rendered.
	sections sync.Map
	terms    termDict // numbers the sections' terms
	words    map[i18n.Lang]*words
}

type labFile struct {
	fsys fs.FS
	name string
}

// New prepares a site for labs. Labs are listed by level, then so that a
// lab comes after its prerequisites, then by id.
func New(labs []*content.Lab, opts Options) (*Site, error) {
	s := &Site{labs: orderLabs(labs), byID: map[string]*content.Lab{}, opts: opts, files: map[string]labFile{}, words: map[i18n.Lang]*words{}}
	for _, l := range i18n.Langs {
		s.words[l] = newWords(l)
	}
	for _, l := range s.labs {
		s.byID[l.ID] = l
	}
	if opts.LabFiles != nil {
		for _, l := range s.labs {
			if err := s.addLabFiles(l); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// Labs returns the labs in the order the lab list shows them.
func (s *Site) Labs() []*content.Lab { return s.labs }

func (s *Site) lab(id string) *content.Lab { return s.byID[id] }

func (s *Site) addLabFiles(l *content.Lab) error {
	err := fs.WalkDir(s.opts.LabFiles, l.Dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if name != l.Dir && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel := strings.TrimPrefix(name, l.Dir+"/")
		// The pages, and a file where the site writes the lab's page.
		if rel == "index.html" {
			return nil
		}
		for _, lang := range i18n.Langs {
			if rel == content.PageFile(lang) {
				return nil
			}
		}
		for _, lang := range i18n.Langs {
			s.files[path.Join(string(lang), l.ID, rel)] = labFile{s.opts.LabFiles, name}
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil // a lab that exists only in memory (tests, generated content)
	}
	return err
}

// orderLabs sorts by level and id, then moves each lab after its
// prerequisites (a stable topological order; cycles keep their order).
func orderLabs(labs []*content.Lab) []*content.Lab {
	rank := map[string]int{"beginner": 0, "intermediate": 1, "advanced": 2}
	sorted := slices.Clone(labs)
	meta := func(l *content.Lab) content.FrontMatter {
		if p := l.Page(i18n.EN); p != nil {
			return p.Meta
		}
		return content.FrontMatter{}
	}
	slices.SortStableFunc(sorted, func(a, b *content.Lab) int {
		ra, ok := rank[meta(a).Level]
		if !ok {
			ra = 3
		}
		rb, ok := rank[meta(b).Level]
		if !ok {
			rb = 3
		}
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(a.ID, b.ID)
	})
	present := map[string]bool{}
	for _, l := range sorted {
		present[l.ID] = true
	}
	var out []*content.Lab
	placed := map[string]bool{}
	for len(out) < len(sorted) {
		progressed := false
		for _, l := range sorted {
			if placed[l.ID] {
				continue
			}
			ready := true
			for _, pre := range meta(l).Prerequisites {
				if present[pre] && !placed[pre] && pre != l.ID {
					ready = false
				}
			}
			if ready {
				out = append(out, l)
				placed[l.ID] = true
				progressed = true
				break
			}
		}
		if !progressed { // a cycle: take the first remaining lab
			for _, l := range sorted {
				if !placed[l.ID] {
					out = append(out, l)
					placed[l.ID] = true
					break
				}
			}
		}
	}
	return out
}

// Paths lists every file of the site, slash-separated and relative to its
// root, sorted. File renders each.
func (s *Site) Paths() []string {
	var out []string
	out = append(out, "index.html")
	for _, lang := range i18n.Langs {
		out = append(out, string(lang)+"/index.html", badgePath("overall", lang))
		for _, l := range s.labs {
			out = append(out, labPath(l.ID, lang))
			if l.ID != "overall" {
				out = append(out, badgePath(l.ID, lang))
			}
		}
	}
	out = append(out, assetPaths()...)
	out = append(out, searchIndexPath)
	for p := range s.files {
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func labPath(id string, lang i18n.Lang) string { return string(lang) + "/" + id + "/index.html" }

func badgePath(id string, lang i18n.Lang) string {
	return "badges/" + id + "." + string(lang) + ".svg"
}

// assetPaths lists the embedded assets as site paths (notes for
// maintainers, *.md, stay out) and the generated highlighting CSS.
func assetPaths() []string {
	out := []string{chromaCSSPath}
	_ = fs.WalkDir(embedded, "assets", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(name, ".md") {
			out = append(out, name)
		}
		return nil
	})
	return out
}

// ErrNotFound is returned by File for a path that is not part of the site.
var ErrNotFound = fs.ErrNotExist

// File renders one file of the site: name is a path as Paths lists it.
// Pages and badges reflect prog (nil for none). An unknown name is an
// error wrapping ErrNotFound.
func (s *Site) File(name string, prog *progress.Progress) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.WriteFile(&buf, name, prog); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile writes one file of the site to w (see File).
func (s *Site) WriteFile(w io.Writer, name string, prog *progress.Progress) error {
	notFound := fmt.Errorf("site: %s: %w", name, ErrNotFound)
	if name == "index.html" {
		return s.RenderRoot(w)
	}
	if name == searchIndexPath {
		return s.writeSearchIndex(w)
	}
	if name == chromaCSSPath {
		_, err := io.WriteString(w, highlight.CSS())
		return err
	}
	if strings.HasPrefix(name, "assets/") && !strings.HasSuffix(name, ".md") {
		data, err := embedded.ReadFile(name)
		if err != nil {
			return notFound
		}
		_, err = w.Write(data)
		return err
	}
	if rest, ok := strings.CutPrefix(name, "badges/"); ok {
		stem, ok := strings.CutSuffix(rest, ".svg")
		if !ok {
			return notFound
		}
		id, l, _ := cutLast(stem, ".")
		lang, ok := i18n.Parse(l)
		if !ok || string(lang) != l {
			return notFound
		}
		svg, err := s.Badge(id, lang, prog)
		if err != nil {
			return notFound
		}
		_, err = w.Write(svg)
		return err
	}
	if f, ok := s.files[name]; ok {
		data, err := content.ReadRegular(f.fsys, f.name, content.MaxLabFileBytes)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	parts := strings.Split(name, "/")
	if len(parts) < 2 {
		return notFound
	}
	lang, ok := i18n.Parse(parts[0])
	if !ok || string(lang) != parts[0] {
		return notFound
	}
	switch {
	case len(parts) == 2 && parts[1] == "index.html":
		return s.RenderIndex(w, lang, prog)
	case len(parts) == 3 && parts[2] == "index.html" && s.lab(parts[1]) != nil:
		return s.RenderLab(w, parts[1], lang, prog)
	}
	return notFound
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// Badge draws the progress badge of the lab with id in lang, or the badge
// over all labs for "overall".
func (s *Site) Badge(id string, lang i18n.Lang, prog *progress.Progress) ([]byte, error) {
	if id == "overall" {
		return OverallBadge(s.labs, lang, prog).SVG(), nil
	}
	l := s.lab(id)
	if l == nil {
		return nil, fmt.Errorf("site: no lab %q: %w", id, ErrNotFound)
	}
	return LabBadge(l, lang, prog).SVG(), nil
}

// ContentType is the media type to serve a site path with.
func ContentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".json":
		return "application/json"
	case ".txt", "":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

// errNotSite is wrapped by Build's error for a folder it must not replace.
var errNotSite = errors.New("not a vpclab build")
