package site

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
)

func TestLabPageStructure(t *testing.T) {
	s, err := New(demoLabs(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Langs {
		page := render(t, s, "en/demo/index.html", nil)
		if lang == i18n.JA {
			page = render(t, s, "ja/demo/index.html", nil)
		}
		t.Run(string(lang), func(t *testing.T) {
			if !strings.Contains(page, `<html lang="`+string(lang)+`" data-root="../../">`) {
				t.Errorf("no <html lang=%s data-root> in\n%.300s", lang, page)
			}
			// One card per check block, with stable hooks.
			cards := regexp.MustCompile(`<li class="vcard" id="check-([a-z-]+)" data-lab="demo" data-step="([a-z-]+)" data-check="([a-z-]+)" data-kind="([a-z-]+)">`).FindAllStringSubmatch(page, -1)
			var got []string
			for _, c := range cards {
				got = append(got, c[2]+"/"+c[3]+"/"+c[4])
				if c[1] != c[3] {
					t.Errorf("card id check-%s for check %s", c[1], c[3])
				}
			}
			want := []string{"create-vpc/vpc-exists/vpc", "create-vpc/igw-attached/internet-gateway", "route-it/default-route/route"}
			if !slices.Equal(got, want) {
				t.Errorf("cards = %v, want %v", got, want)
			}
			// Two blocks in a row share one frame: two groups for three cards.
			if n := strings.Count(page, `<div class="vgroup" data-lab="demo"`); n != 2 {
				t.Errorf("%d card groups, want 2", n)
			}
			for _, step := range []string{"create-vpc", "route-it"} {
				if !strings.Contains(page, "<code>vpclab check demo --step "+step+"</code>") {
					t.Errorf("no command for step %s", step)
				}
				if !strings.Contains(page, `data-action="check-step" data-lab="demo" data-step="`+step+`" hidden disabled>`) {
					t.Errorf("no hidden, disabled check button for step %s", step)
				}
			}
			if n := strings.Count(page, `class="vcard-status"`); n != 3 {
				t.Errorf("%d status areas, want 3", n)
			}
			if !strings.Contains(page, `data-action="check-lab" data-lab="demo" hidden disabled>`) {
				t.Error("no hidden whole-lab button")
			}
			if strings.Contains(page, "vpclab-token") {
				t.Error("a static page carries a token")
			}
			// Steps are sections, numbered, in the table of contents.
			for _, id := range []string{"create-vpc", "route-it", "cleanup"} {
				if !strings.Contains(page, `<section class="step" data-step="`+id+`">`) || !strings.Contains(page, `<a href="#`+id+`" data-toc="`+id+`"`) {
					t.Errorf("step %s: no section or no table-of-contents entry", id)
				}
			}
			if strings.Count(page, "<section") != strings.Count(page, "</section>") {
				t.Error("unbalanced sections")
			}
			// Solution and clean-up blocks are labelled; code is highlighted with classes.
			for _, class := range []string{`<div class="code code-solution">`, `<div class="code code-cleanup">`, `<pre class="chroma">`} {
				if !strings.Contains(page, class) {
					t.Errorf("no %s", class)
				}
			}
			if strings.Contains(page, `style="color`) {
				t.Error("inline highlighting styles: want CSS classes")
			}
			// Links: the other lab's page in this language, anchors kept,
			// external marked, lab files relative.
			for _, want := range []string{`href="../other/index.html#start"`, `href="#create-vpc"`, `src="images/path.png"`,
				`href="https://example.com/docs" class="external" rel="noopener noreferrer"`,
				`href="../../` + string(lang.Other()) + `/demo/index.html"`, `href="../index.html"`} {
				if !strings.Contains(page, want) {
					t.Errorf("no %s", want)
				}
			}
			// Raw HTML in Markdown never reaches the page.
			if strings.Contains(page, "alert(") {
				t.Error("raw HTML passed through")
			}
			// Diagrams: a mermaid block, the vendored library, escaped source.
			if !strings.Contains(page, `<pre class="mermaid">flowchart LR`) || !strings.Contains(page, `VPC &lt;demo&gt;`) {
				t.Error("mermaid block not rendered for the client")
			}
			if !strings.Contains(page, `<script src="../../assets/vendor/mermaid/mermaid.min.js" defer>`) {
				t.Error("mermaid library not loaded")
			}
			if !regexp.MustCompile(`<div class="table-wrap" tabindex="0" data-cols="\d+"><table>`).MatchString(page) {
				t.Error("tables are not wrapped for scrolling")
			}
		})
	}
	other := render(t, s, "en/other/index.html", nil)
	if strings.Contains(other, "mermaid.min.js") {
		t.Error("a page without diagrams loads mermaid")
	}
}

func TestSoftLineBreaks(t *testing.T) {
	s, _ := New(demoLabs(t), Options{})
	en := render(t, s, "en/demo/index.html", nil)
	if !strings.Contains(en, "Open the console,\nthen <strong>Create VPC</strong>") {
		t.Error("English soft line break before emphasis was dropped")
	}
	ja := render(t, s, "ja/demo/index.html", nil)
	if !strings.Contains(ja, "日本語の文章が続きます") {
		t.Error("soft line break between Japanese characters became whitespace")
	}
	if !strings.Contains(ja, "開き、\nVPC") {
		t.Error("soft line break between Japanese and Latin text was dropped")
	}
}

func TestLiveOptions(t *testing.T) {
	s, _ := New(demoLabs(t), Options{Live: true, Token: "t0k<en>"})
	page := render(t, s, "en/demo/index.html", nil)
	if !strings.Contains(page, `<meta name="vpclab-token" content="t0k&lt;en&gt;">`) {
		t.Error("no escaped token meta tag")
	}
	if !strings.Contains(page, `<html lang="en" data-root="../../" data-live>`) {
		t.Error("no data-live")
	}
	if strings.Contains(page, "hidden disabled") {
		t.Error("live page has hidden buttons")
	}
	if !strings.Contains(page, `data-action="check-step" data-lab="demo" data-step="create-vpc">`) {
		t.Error("no enabled check-step button")
	}
	index := render(t, s, "ja/index.html", nil)
	if !strings.Contains(index, `data-action="check-lab" data-lab="demo">`) {
		t.Error("no enabled check-lab button on the lab list")
	}
}

func TestIndexAndRoot(t *testing.T) {
	s, _ := New(demoLabs(t), Options{})
	root := render(t, s, "index.html", nil)
	for _, want := range []string{`href="en/index.html"`, `href="ja/index.html"`, "navigator.language", `href="assets/site.css"`} {
		if !strings.Contains(root, want) {
			t.Errorf("root page has no %s", want)
		}
	}
	for _, lang := range i18n.Langs {
		page := render(t, s, string(lang)+"/index.html", nil)
		// Prerequisites first: "other" (beginner) before "demo".
		iOther, iDemo := strings.Index(page, `data-lab="other"`), strings.Index(page, `data-lab="demo"`)
		if iOther < 0 || iDemo < 0 || iOther > iDemo {
			t.Errorf("%s: lab order wrong (other at %d, demo at %d)", lang, iOther, iDemo)
		}
		wants := []string{`href="demo/index.html"`, `src="../badges/demo.` + string(lang) + `.svg"`,
			`src="../badges/overall.` + string(lang) + `.svg"`, `class="level level-intermediate"`}
		if merged(t) {
			wants = append(wants, "ap-northeast-1", "0.045")
		}
		for _, want := range wants {
			if !strings.Contains(page, want) {
				t.Errorf("%s lab list has no %s", lang, want)
			}
		}
	}
}

func TestOrderLabsKeepsPrerequisitesFirst(t *testing.T) {
	a := parseLab(t, "a-adv", map[i18n.Lang]string{i18n.EN: frontMatter("a-adv", "A", "advanced")})
	b := parseLab(t, "b-beg", map[i18n.Lang]string{i18n.EN: frontMatter("b-beg", "B", "beginner", "c-int")})
	c := parseLab(t, "c-int", map[i18n.Lang]string{i18n.EN: frontMatter("c-int", "C", "intermediate")})
	var got []string
	for _, l := range orderLabs([]*content.Lab{a, b, c}) {
		got = append(got, l.ID)
	}
	if want := []string{"c-int", "b-beg", "a-adv"}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestProgressOnPages(t *testing.T) {
	now := time.Now()
	prog := record(t,
		rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, now),
		rec("demo", "create-vpc", "igw-attached", progress.StatusFail, now))
	s, _ := New(demoLabs(t), Options{})
	page := render(t, s, "en/demo/index.html", prog)
	if !strings.Contains(page, `<span class="vcard-status" data-status="pass">`) || !strings.Contains(page, `<span class="vcard-status" data-status="fail">`) {
		t.Error("recorded statuses not on the cards")
	}
	if !strings.Contains(page, `<span class="vcard-status" data-status="">`) {
		t.Error("an unrecorded check has no empty status area")
	}
	if !strings.Contains(page, `data-toc="create-vpc" data-current="true"><span class="toc-num">1</span><span class="toc-title">Create the VPC</span><span class="toc-status" data-status="current"`) {
		t.Error("table of contents does not show the current step")
	}
	if !strings.Contains(page, `data-toc="route-it"><span class="toc-num">2</span><span class="toc-title">Route it</span><span class="toc-status" data-status="not-reached"`) {
		t.Error("table of contents does not show the step not reached")
	}
	if !strings.Contains(page, `<li class="toc-section" data-role="cleanup"><a href="#cleanup" data-toc="cleanup"><span class="toc-num toc-num-none" aria-hidden="true"></span>`) {
		t.Error("a section without checks is numbered")
	}
	if merged(t) && !strings.Contains(page, "123456789012") {
		t.Error("the account the progress is from is not named")
	}
}

func TestFileUnknownPaths(t *testing.T) {
	s, _ := New(demoLabs(t), Options{})
	for _, name := range []string{"nope.html", "fr/index.html", "en/nope/index.html", "badges/nope.en.svg", "badges/demo.fr.svg",
		"assets/vendor/README.md", "assets/nope.css", "en/demo/other.html", "EN/index.html"} {
		if _, err := s.File(name, nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("File(%q) error = %v, want ErrNotFound", name, err)
		}
	}
	for _, name := range s.Paths() {
		if _, err := s.File(name, nil); err != nil {
			t.Errorf("File(%q) from Paths: %v", name, err)
		}
		if ContentType(name) == "application/octet-stream" && path.Base(name) != "LICENSE" {
			t.Errorf("no content type for %s", name)
		}
	}
}

func TestLabFilesAreCopied(t *testing.T) {
	fsys := fstest.MapFS{
		"labs/demo/index.en.md":       {Data: []byte("x")},
		"labs/demo/images/path.png":   {Data: []byte("PNG")},
		"labs/demo/.hidden":           {Data: []byte("no")},
		"labs/other/notes/readme.txt": {Data: []byte("notes")},
	}
	s, err := New(demoLabs(t), Options{LabFiles: fsys})
	if err != nil {
		t.Fatal(err)
	}
	paths := s.Paths()
	for _, want := range []string{"en/demo/images/path.png", "ja/demo/images/path.png", "ja/other/notes/readme.txt"} {
		if !slices.Contains(paths, want) {
			t.Errorf("Paths has no %s", want)
		}
	}
	for _, p := range paths {
		if strings.Contains(p, ".hidden") || strings.HasSuffix(p, ".md") {
			t.Errorf("Paths has %s", p)
		}
	}
	if got := render(t, s, "ja/demo/images/path.png", nil); got != "PNG" {
		t.Errorf("image = %q", got)
	}
}

func TestBuildWritesBothLanguagesAndBadges(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	prog := record(t, rec("other", "start", "none", progress.StatusPass, time.Now()))
	st, err := Build(out, demoLabs(t), prog, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	for _, want := range []string{"index.html", "en/index.html", "ja/index.html", "en/demo/index.html", "ja/demo/index.html",
		"en/other/index.html", "ja/other/index.html", "badges/demo.en.svg", "badges/demo.ja.svg", "badges/other.en.svg",
		"badges/overall.en.svg", "badges/overall.ja.svg", "assets/site.css", "assets/site.js", "assets/chroma.css",
		"assets/favicon.svg", "assets/vendor/mermaid/mermaid.min.js", "assets/vendor/mermaid/LICENSE", MarkerFile} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s not written", want)
		}
	}
	if st.Pages != 7 || st.Badges != 6 || st.Files() != len(files)-1 {
		t.Errorf("stats %+v for %d files", st, len(files))
	}
	if !strings.Contains(string(files["assets/chroma.css"]), "prefers-color-scheme: dark") {
		t.Error("highlighting has no dark theme")
	}
	if st.Dir != out {
		t.Errorf("Dir = %s, want %s", st.Dir, out)
	}
}

// TestOutputWorksOffline checks that every page opens from the file system
// with no network: scripts, styles, images and links are relative and
// resolve to files of the build (only lab text may link out), and CSS
// loads nothing from elsewhere.
func TestOutputWorksOffline(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	fsys := fstest.MapFS{"labs/demo/images/path.png": {Data: []byte("PNG")}}
	if _, err := Build(out, demoLabs(t), nil, Options{LabFiles: fsys}); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	tagRE := regexp.MustCompile(`<(script|link|img)\b[^>]*>`)
	external := regexp.MustCompile(`<a href="(https?://[^"]*)" class="external"`)
	for name, data := range files {
		text := string(data)
		switch path.Ext(name) {
		case ".html":
			for _, tag := range tagRE.FindAllString(text, -1) {
				if strings.Contains(tag, "http://") || strings.Contains(tag, "https://") || strings.Contains(tag, `="//`) {
					t.Errorf("%s loads from the network: %s", name, tag)
				}
			}
			allowed := map[string]bool{}
			for _, m := range external.FindAllStringSubmatch(text, -1) {
				allowed[m[1]] = true
			}
			for _, ref := range refs(text) {
				switch {
				case allowed[ref]:
					continue
				case strings.Contains(ref, "://") || strings.HasPrefix(ref, "//") || strings.HasPrefix(ref, "/"):
					t.Errorf("%s: %q is not relative", name, ref)
					continue
				case strings.HasPrefix(ref, "#"):
					continue
				}
				target := path.Join(path.Dir(name), strings.SplitN(strings.SplitN(ref, "#", 2)[0], "?", 2)[0])
				if _, ok := files[target]; !ok {
					t.Errorf("%s: %q points at %s, which the build does not have", name, ref, target)
				}
			}
		case ".css":
			for _, m := range regexp.MustCompile(`url\(\s*["']?([^"')]*)`).FindAllStringSubmatch(text, -1) {
				if !strings.HasPrefix(m[1], "data:") {
					t.Errorf("%s: url(%s) is not inline", name, m[1])
				}
			}
			if strings.Contains(text, "@import") {
				t.Errorf("%s imports a style sheet", name)
			}
		case ".js":
			if name != "assets/site.js" {
				continue
			}
			if strings.Contains(text, "http://") || strings.Contains(text, "https://") {
				t.Errorf("%s names a URL", name)
			}
		}
	}
}

func TestBuildReplacesOnlyItsOwnOutput(t *testing.T) {
	labs := demoLabs(t)
	parent := t.TempDir()

	// An existing folder with other files is left alone.
	mine := filepath.Join(parent, "mine")
	if err := os.MkdirAll(mine, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "thesis.tex"), []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(mine, labs, nil, Options{})
	var ns *NotSiteError
	if !errors.As(err, &ns) {
		t.Fatalf("Build into a foreign folder: %v, want *NotSiteError", err)
	}
	if data, _ := os.ReadFile(filepath.Join(mine, "thesis.tex")); string(data) != "precious" {
		t.Fatal("foreign folder was touched")
	}

	// A file in the way is refused too.
	file := filepath.Join(parent, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := Build(file, labs, nil, Options{}); !errors.As(err, &ns) {
		t.Errorf("Build onto a file: %v", err)
	}

	// An empty folder is used; a previous build is replaced as a whole.
	out := filepath.Join(parent, "public")
	os.Mkdir(out, 0o755)
	if _, err := Build(out, labs, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, "en", "stale.html")
	os.WriteFile(stale, []byte("old"), 0o644)
	if _, err := Build(out, labs[1:], nil, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("a file of the previous build survived")
	}
	if _, err := os.Stat(filepath.Join(out, "en", "demo")); !os.IsNotExist(err) {
		t.Error("a lab no longer built is still there")
	}
	if _, err := os.Stat(filepath.Join(out, MarkerFile)); err != nil {
		t.Error("no marker file")
	}
	st, err := os.Stat(out)
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("output folder mode %v, %v", st.Mode(), err)
	}
	// No temporary or moved-aside folders are left next to the output.
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestBuildFailureKeepsPreviousBuild(t *testing.T) {
	labs := demoLabs(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(out, labs, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)
	// A lab file that cannot be read makes the build fail half-way.
	broken := fstest.MapFS{"labs/demo/images/a.png": {Data: []byte("x")}}
	s, err := New(labs, Options{LabFiles: brokenFS{broken}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Build(out, nil); err == nil {
		t.Fatal("build with an unreadable file succeeded")
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Errorf("previous build changed: %d files, was %d", len(after), len(before))
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("left behind next to the output: %v", entries)
	}
}

// brokenFS lists its files but cannot read them.
type brokenFS struct{ m fstest.MapFS }

func (b brokenFS) Open(name string) (fs.File, error) {
	f, err := b.m.Open(name)
	if err != nil {
		return nil, err
	}
	if st, _ := f.Stat(); st != nil && !st.IsDir() {
		f.Close()
		return nil, errors.New("disk on fire")
	}
	return f, nil
}

// A server renders pages for many requests at once.
func TestConcurrentRenders(t *testing.T) {
	s, _ := New(demoLabs(t), Options{Live: true})
	prog := record(t, rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, time.Now()))
	want := render(t, s, "ja/demo/index.html", prog)
	errs := make(chan error, 16)
	for range 16 {
		go func() {
			for _, name := range []string{"ja/demo/index.html", "en/demo/index.html", "badges/demo.ja.svg", "en/index.html"} {
				data, err := s.File(name, prog)
				if err == nil && name == "ja/demo/index.html" && string(data) != want {
					err = errors.New("a concurrent render differs")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
