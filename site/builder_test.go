package site

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// streamBuild builds the labs under root of fsys into out as vpclab build
// does: begun from their front matter, each lab rendered as the loader
// hands it over. release then drops what vpclab build drops after that
// (content.ReleaseSources), so that a page rendered again would fail.
func streamBuild(t *testing.T, fsys fs.FS, root, out string, release bool) Stats {
	t.Helper()
	metas, _, err := content.LoadMeta(fsys, root)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBuilder(out, metas, nil, Options{LabFiles: fsys})
	if err != nil {
		t.Fatal(err)
	}
	parsed, _, err := content.LoadEach(fsys, root, func(l *content.Lab, _ content.Diags) content.Diags {
		if err := b.Lab(l); err != nil {
			t.Error(err)
		}
		if release {
			content.ReleaseSources(l)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := b.Finish(parsed)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// sameTree fails for every file of want that got does not hold alike.
func sameTree(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d files streamed, %d built whole", len(got), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s differs between the streamed and the whole build", name)
		}
	}
}

// TestStreamedBuildIsBuild: a build begun from the labs' front matter, with
// each lab rendered as it is parsed from the trees its parse made (what
// vpclab build does), writes the same site, byte for byte, as a build of
// the labs loaded whole; and a streamed lab is not rendered again.
func TestStreamedBuildIsBuild(t *testing.T) {
	fsys := content.Embedded()
	labs, ds, err := content.Load(fsys, "labs")
	if err != nil || len(ds) > 0 {
		t.Fatal(err, ds)
	}
	whole := filepath.Join(t.TempDir(), "whole")
	if _, err := Build(whole, labs, nil, Options{LabFiles: fsys}); err != nil {
		t.Fatal(err)
	}

	metas, _, err := content.LoadMeta(fsys, "labs")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range metas {
		for _, p := range l.Pages {
			if p.Doc != nil || p.Source != nil || len(p.Steps) > 0 || p.Meta.Title == "" {
				t.Fatalf("%s: LoadMeta read more than the front matter, or not the title", p.Path)
			}
		}
	}
	streamed := filepath.Join(t.TempDir(), "streamed")
	st := streamBuild(t, fsys, "labs", streamed, true)
	if st.Pages != 2*len(labs)+3 {
		t.Errorf("%d pages written, want %d", st.Pages, 2*len(labs)+3)
	}
	sameTree(t, readTree(t, whole), readTree(t, streamed))
}

// TestBuilderFailureLeavesNothing: a lab the build was not begun with
// fails the build; the previous site stays as it was and no half-written
// folder is left beside it. So does an abandoned build.
func TestBuilderFailureLeavesNothing(t *testing.T) {
	labs := demoLabs(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "site")
	if _, err := Build(out, labs, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)

	b, err := NewBuilder(out, labs[:1], nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Lab(labs[1]); !errors.Is(err, ErrNotFound) {
		t.Errorf("a lab the build was not begun with: %v, want ErrNotFound", err)
	}
	if err := b.Lab(labs[0]); err == nil || b.st.Pages > 0 {
		t.Errorf("Lab after a failure wrote on: %v, %d pages", err, b.st.Pages)
	}
	if _, err := b.Finish(labs[:1]); err == nil {
		t.Error("Finish after a failure succeeded")
	}

	b, err = NewBuilder(out, labs, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Lab(labs[0]); err != nil {
		t.Fatal(err)
	}
	b.Abandon()

	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "site" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Fatalf("the previous site has %d files, had %d", len(after), len(before))
	}
	for name, data := range before {
		if !bytes.Equal(after[name], data) {
			t.Errorf("%s of the previous site changed", name)
		}
	}
	if !strings.Contains(string(after["en/demo/index.html"]), "Demo lab") {
		t.Error("the previous site's page lost its title")
	}
}

// TestReleasedLabIsNotRendered: a lab whose sources were released before
// its pages were written fails the build, naming it, rather than giving
// empty pages.
func TestReleasedLabIsNotRendered(t *testing.T) {
	labs := demoLabs(t)
	out := filepath.Join(t.TempDir(), "site")
	b, err := NewBuilder(out, labs, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	content.ReleaseSources(labs[0])
	if _, err := b.Finish(labs); err == nil || !strings.Contains(err.Error(), labs[0].ID) || !strings.Contains(err.Error(), "released") {
		t.Errorf("Finish with a released lab not yet written: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the failed build left %s: %v", out, err)
	}
}

func TestCapRunes(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""}, {"abc", 3, "abc"}, {"abcd", 3, "abc…"}, {"日本語です", 3, "日本語…"}, {"日本語", 3, "日本語"}, {"ab", 0, "…"},
	} {
		if got := capRunes(c.s, c.n); got != c.want {
			t.Errorf("capRunes(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}

// TestStreamedBuildEdges: what a streamed build renders from a page's own
// tree, it renders once: an aligned table (goldmark writes the alignment
// into the tree as it renders) stays right in a lab with one language,
// whose two pages are the same page; and a lab's own index.html does not
// replace its page, in a build as in a server.
func TestStreamedBuildEdges(t *testing.T) {
	dir := t.TempDir()
	body := "\n## Table {#table}\n\n| name | size |\n|:--|--:|\n| a | 1 |\n\n'''check\nid: vpc-there\nkind: vpc\nname: vpclab-x\n'''\n"
	files := map[string]string{
		"labs/alpha/index.en.md": frontMatter("alpha", "Alpha", "beginner") + md(body),
		"labs/alpha/index.ja.md": frontMatter("alpha", "アルファ", "beginner") + md(body),
		"labs/alpha/index.html":  "RAW FILE",
		"labs/beta/index.en.md":  frontMatter("beta", "Beta", "beginner", "alpha") + md(body),
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys := os.DirFS(dir)
	labs, _, err := content.Load(fsys, "labs")
	if err != nil {
		t.Fatal(err)
	}
	whole := filepath.Join(t.TempDir(), "whole")
	if _, err := Build(whole, labs, nil, Options{LabFiles: fsys}); err != nil {
		t.Fatal(err)
	}
	streamed := filepath.Join(t.TempDir(), "streamed")
	streamBuild(t, fsys, "labs", streamed, false)
	want, got := readTree(t, whole), readTree(t, streamed)
	sameTree(t, want, got)
	for _, name := range []string{"en/alpha/index.html", "ja/beta/index.html", "en/beta/index.html"} {
		page := string(got[name])
		if !strings.Contains(page, `<th style="text-align:left">name</th>`) || strings.Contains(page, "text-align:left;") {
			t.Errorf("%s: the aligned table is not rendered once", name)
		}
		if strings.Contains(page, "RAW FILE") || !strings.Contains(page, "<h1>") {
			t.Errorf("%s: the lab's own index.html replaced its page", name)
		}
	}
}

// TestRebuildLinksUnchangedFiles: a rebuild links the files whose bytes
// have not changed from the previous build (no new file is written for
// them) and writes the rest; the site is the one a build into a new
// folder writes.
func TestRebuildLinksUnchangedFiles(t *testing.T) {
	labs := demoLabs(t)
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Build(out, labs, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	before := map[string]os.FileInfo{}
	for name := range readTree(t, out) {
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = st
	}
	// A file of the previous build that is not as a build writes it (its
	// mode changed) is written anew, not linked.
	if err := os.Chmod(filepath.Join(out, "en", "index.html"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Nor is one that something outside the site links to: linked into
	// the new site, a change made through the other name would reach it.
	shared := filepath.FromSlash(chromaCSSPath)
	if err := os.Link(filepath.Join(out, shared), filepath.Join(t.TempDir(), "outside.css")); err != nil {
		t.Fatal(err)
	}
	edited := []*content.Lab{labs[0], parseLab(t, "other", map[i18n.Lang]string{
		i18n.EN: frontMatter("other", "Other lab, edited", "beginner") + md(otherBody),
		i18n.JA: frontMatter("other", "Other lab, edited", "beginner") + md(otherBody)})}
	if _, err := Build(out, edited, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, err := Build(fresh, edited, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	want, got := readTree(t, fresh), readTree(t, out)
	sameTree(t, want, got)
	linked := 0
	for name, data := range got {
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", name, st.Mode().Perm())
		}
		old, ok := before[name]
		if !ok || !os.SameFile(old, st) {
			continue
		}
		linked++
		if name == "en/index.html" || name == chromaCSSPath || strings.Contains(string(data), "Other lab, edited") {
			t.Errorf("%s was linked from the previous build, but it changed", name)
		}
	}
	if linked < len(got)/2 {
		t.Errorf("%d of %d files linked from the previous build", linked, len(got))
	}
	if !os.SameFile(before["assets/site.css"], statOf(t, filepath.Join(out, "assets", "site.css"))) {
		t.Error("the unchanged assets/site.css was written anew")
	}
}

func statOf(t *testing.T, name string) os.FileInfo {
	t.Helper()
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSameBytes(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 10000) // over one block
	for _, c := range []struct {
		file, data []byte
		want       bool
	}{
		{nil, nil, true}, {[]byte("abc"), []byte("abc"), true}, {big, big, true},
		{[]byte("abc"), []byte("abd"), false}, {[]byte("ab"), []byte("abc"), false}, {[]byte("abcd"), []byte("abc"), false},
		{big, big[:len(big)-1], false}, {big[:len(big)-1], big, false},
	} {
		if got := sameBytes(bytes.NewReader(c.file), c.data); got != c.want {
			t.Errorf("sameBytes(%d bytes, %d bytes) = %v, want %v", len(c.file), len(c.data), got, c.want)
		}
	}
}
