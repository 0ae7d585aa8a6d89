package content

import (
	"embed"
	"errors"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vpclab/vpclab/i18n"
)

// The labs shipped in the binary, so that learners need nothing but vpclab.
//
//go:embed all:labs
var embedded embed.FS

// Embedded is the built-in content; its labs are under "labs".
func Embedded() fs.FS { return embedded }

// PageFile is the file name of a lab page in lang (Hugo-style suffix).
func PageFile(lang i18n.Lang) string { return "index." + string(lang) + ".md" }

// IsLab reports whether dir holds a lab page in any language.
func IsLab(fsys fs.FS, dir string) bool {
	for _, l := range i18n.Langs {
		if _, err := fs.Stat(fsys, path.Join(dir, PageFile(l))); err == nil {
			return true
		}
	}
	return false
}

// Discover returns the lab folders under root: root itself when it is a lab,
// else its sub-folders that are labs, else those of root/labs.
func Discover(fsys fs.FS, root string) ([]string, error) {
	if IsLab(fsys, root) {
		return []string{root}, nil
	}
	find := func(dir string) ([]string, error) {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, e := range entries {
			if e.IsDir() && IsLab(fsys, path.Join(dir, e.Name())) {
				out = append(out, path.Join(dir, e.Name()))
			}
		}
		return out, nil
	}
	dirs, err := find(root)
	if err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		if sub, err := find(path.Join(root, "labs")); err == nil {
			dirs = sub
		}
	}
	sort.Strings(dirs)
	return dirs, nil
}

// LoadLab reads and parses one lab folder in every language.
func LoadLab(fsys fs.FS, dir string) (*Lab, Diags) { return loadLab(fsys, dir, parsePage) }

// pageParser parses a page, with the YAML the lab's pages share.
type pageParser func(path string, lang i18n.Lang, src []byte, shared yamlCache) (*Page, Diags)

func parseMeta(path string, lang i18n.Lang, src []byte, _ yamlCache) (*Page, Diags) {
	return ParseMeta(path, lang, src)
}

// loadLab is LoadLab with parse for each page (parsePage or parseMeta).
func loadLab(fsys fs.FS, dir string, parse pageParser) (*Lab, Diags) {
	lab := &Lab{ID: path.Base(dir), Dir: dir, Pages: map[i18n.Lang]*Page{}}
	shared := yamlCache{}
	var ds Diags
	var missing []i18n.Lang
	for _, l := range i18n.Langs {
		file := path.Join(dir, PageFile(l))
		src, err := ReadRegular(fsys, file, MaxPageBytes)
		var large *TooLargeError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			missing = append(missing, l)
			continue
		case errors.As(err, &large):
			lab.Pages[l] = &Page{Path: file, Lang: l, Unread: true}
			ds = append(ds, diag(Pos{File: file, Line: 1, Col: 1}, "ContentPageTooLarge", i18n.M{"Size": size(int(large.Size)), "Limit": size(MaxPageBytes)}))
			continue
		case errors.Is(err, ErrNotRegular):
			lab.Pages[l] = &Page{Path: file, Lang: l, Unread: true}
			ds = append(ds, diag(Pos{File: file, Line: 1, Col: 1}, "ContentNotRegular", nil))
			continue
		}
		if err != nil {
			ds = append(ds, diag(Pos{File: file}, "ContentReadFailed", i18n.M{"Err": err}))
			continue
		}
		p, pds := parse(file, l, src, shared)
		lab.Pages[l] = p
		ds = append(ds, pds...)
	}
	for _, l := range missing {
		other := lab.Pages[l.Other()]
		if other == nil {
			continue
		}
		ds = append(ds, diag(Pos{File: other.Path, Line: 1, Col: 1}, "ContentLangMissing", i18n.M{
			"File": PageFile(l), "Lang": string(l)}))
	}
	return lab, ds
}

// Load discovers and parses every lab under root.
func Load(fsys fs.FS, root string) ([]*Lab, Diags, error) {
	return LoadEach(fsys, root, nil)
}

// LoadEach is Load with each called on every lab as soon as it is parsed,
// with the parser's findings in it, each's findings added to them. Labs are parsed concurrently, one
// per processor, so each must be safe for concurrent use; the labs and the
// findings come back in the same order as from Load.
func LoadEach(fsys fs.FS, root string, each func(*Lab, Diags) Diags) ([]*Lab, Diags, error) {
	dirs, err := Discover(fsys, root)
	if err != nil {
		return nil, nil, err
	}
	labs, ds := loadAll(fsys, dirs, parsePage, each)
	if !IsLab(fsys, root) { // a folder of labs, not one lab asked for
		ds = append(strays(fsys, dirs), ds...)
	}
	return labs, ds, nil
}

// strays are folders beside the labs that hold Markdown but no lab page
// (index.md, README.md, index.JA.md): meant as labs, they would be left
// out of the site without a word.
func strays(fsys fs.FS, dirs []string) Diags {
	isLab := map[string]bool{}
	parents := map[string]bool{}
	for _, d := range dirs {
		isLab[d] = true
		parents[path.Dir(d)] = true
	}
	var ds Diags
	for _, parent := range slices.Sorted(maps.Keys(parents)) {
		entries, err := fs.ReadDir(fsys, parent)
		if err != nil {
			continue
		}
		for _, e := range entries {
			dir := path.Join(parent, e.Name())
			if !e.IsDir() || isLab[dir] || strings.HasPrefix(e.Name(), ".") || IsLab(fsys, dir) {
				continue
			}
			files, err := fs.ReadDir(fsys, dir)
			if err != nil {
				continue
			}
			for _, f := range files {
				if !f.IsDir() && strings.EqualFold(path.Ext(f.Name()), ".md") {
					ds = append(ds, diag(Pos{File: path.Join(dir, f.Name()), Line: 1, Col: 1}, "ContentNotALab",
						i18n.M{"Dir": e.Name() + "/", "EN": PageFile(i18n.EN), "JA": PageFile(i18n.JA)}))
					break
				}
			}
		}
	}
	return ds
}

// LoadMeta discovers the labs under root as Load does, but reads only
// their front matter (ParseMeta): the lab list a site is rendered against
// while the pages themselves are parsed one lab at a time (LoadEach).
func LoadMeta(fsys fs.FS, root string) ([]*Lab, Diags, error) {
	dirs, err := Discover(fsys, root)
	if err != nil {
		return nil, nil, err
	}
	labs, ds := loadAll(fsys, dirs, parseMeta, nil)
	return labs, ds, nil
}

func loadAll(fsys fs.FS, dirs []string, parse pageParser, each func(*Lab, Diags) Diags) ([]*Lab, Diags) {
	labs := make([]*Lab, len(dirs))
	found := make([]Diags, len(dirs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(dirs), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				lab, ds := loadLab(fsys, dirs[i], parse)
				if each != nil {
					ds = append(ds, each(lab, ds)...)
				}
				labs[i], found[i] = lab, ds
			}
		}()
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()
	var ds Diags
	for _, f := range found {
		ds = append(ds, f...)
	}
	return labs, ds
}

// Find returns the lab with id.
func Find(labs []*Lab, id string) *Lab {
	for _, l := range labs {
		if l.ID == id {
			return l
		}
	}
	return nil
}
