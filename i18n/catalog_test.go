package i18n

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The index of the shipped catalogs is taken (no fall-back to a whole
// parse), and each table it cuts out parses alone to the very message the
// whole file gives.
func TestIndexMatchesWholeParse(t *testing.T) {
	for _, l := range Langs {
		files, err := embeddedFiles(l)
		if err != nil {
			t.Fatal(err)
		}
		tables, ok := indexTables(files)
		if !ok {
			t.Fatalf("%s: the shipped catalogs are not indexable; every start-up would parse them whole", l)
		}
		whole := map[string]*goi18n.Message{}
		for _, f := range files {
			mf, err := goi18n.ParseMessageFileBytes(f.src, f.name, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range mf.Messages {
				whole[m.ID] = m
			}
		}
		if len(whole) < 50 || len(tables) != len(whole) {
			t.Fatalf("%s: index has %d IDs, the whole parse %d", l, len(tables), len(whole))
		}
		for id, want := range whole {
			src, ok := tables[id]
			if !ok {
				t.Errorf("%s: %s not in the index", l, id)
				continue
			}
			got, err := goi18n.ParseMessageBytes(src, toml.Unmarshal)
			if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], want) {
				t.Errorf("%s: %s: the table alone gives %v (%v), the whole file %+v", l, id, got, err, want)
			}
		}
	}
}

// Every message renders the same, singular and plural, through the lazy
// catalog as through a bundle of every file.
func TestLazyRendersLikeWhole(t *testing.T) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, area := range Areas() {
		for _, l := range Langs {
			if _, err := b.LoadMessageFileFS(catalogs, AreaFile(area, l)); err != nil {
				t.Fatal(err)
			}
		}
	}
	ids, err := IDs(EN)
	if err != nil {
		t.Fatal(err)
	}
	data := M{"Count": 2, "Name": "n", "Region": "r", "Err": "e", "Lab": "l", "Step": "s", "Path": "p"}
	for _, l := range Langs {
		lazy, whole := New(l), goi18n.NewLocalizer(b, string(l))
		for _, id := range append(ids, "NoSuchMessage") {
			for _, count := range []any{nil, 1, 2} {
				want, err := whole.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
				if err != nil && want == "" {
					want = "[" + id + "]"
				} else if l == JA {
					want = spaceLatin(want) // what the localizer adds after rendering
				}
				var got string
				if count == nil {
					got = lazy.T(id, data)
				} else {
					got = lazy.N(id, count.(int), data)
				}
				if got != want {
					t.Errorf("%s %s (count %v): lazy %q, whole %q", l, id, count, got, want)
				}
			}
		}
	}
}

func files(en, ja string) func(Lang) ([]catalogFile, error) {
	return func(l Lang) ([]catalogFile, error) {
		src := map[Lang]string{EN: en, JA: ja}[l]
		return []catalogFile{{name: "test." + string(l) + ".toml", src: []byte(src)}}, nil
	}
}

// What the index cannot vouch for is parsed whole; what it can is cut at
// the headers outside multi-line strings.
func TestIndexFallsBack(t *testing.T) {
	for _, src := range []string{
		"Loose = \"a key outside a table\"\n[A]\nother = \"a\"\n",
		"[A]\nother = \"a\"\n[\"Quoted\"]\nother = \"q\"\n",
		"[A.B]\nother = \"dotted\"\n",
		"[A]\nother = \"a\"\n[A]\nother = \"twice\"\n",
		"[A]\nother = \"\"\"never closed\n[B]\nother = \"b\"\n",
		"[[A]]\nother = \"array of tables\"\n",
	} {
		if tables, ok := indexTables([]catalogFile{{"x.en.toml", []byte(src)}}); ok {
			t.Errorf("indexed %q as %q", src, tables)
		}
	}
	src := "# comment\n[A]\nother = \"\"\"first\n[not a header]\n  ''' still A\"\"\"\n\n[B]\none = '''b'''\nother = \"b\"\n"
	tables, ok := indexTables([]catalogFile{{"x.en.toml", []byte(src)}})
	if !ok || len(tables) != 2 || !strings.Contains(string(tables["A"]), "still A") || strings.Contains(string(tables["A"]), "[B]") {
		t.Fatalf("index of %q = %q, %v", src, tables, ok)
	}
}

// A catalog the index cannot read, or one whose table does not parse
// alone, renders as a whole parse would; a message only English has is
// rendered in English, as go-i18n falls back.
func TestLazyCatalog(t *testing.T) {
	const en = "[A]\nother = \"a {{.X}}\"\n[OnlyEnglish]\nother = \"english\"\n[P]\none = \"{{.Count}} thing\"\nother = \"{{.Count}} things\"\n"
	const ja = "[A]\nother = \"あ {{.X}}\"\n[P]\nother = \"{{.Count}} 個\"\n"
	render := func(c *catalog, l Lang) string {
		loc := goi18n.NewLocalizer(c.bundle, string(l))
		var out []string
		for _, id := range []string{"A", "OnlyEnglish", "P", "Missing"} {
			c.need(l, id)
			s, _ := loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: M{"X": 1, "Count": 1}, PluralCount: 1})
			out = append(out, s)
		}
		return strings.Join(out, "|")
	}
	for name, c := range map[string]*catalog{
		"indexed":   newCatalog(files(en, ja)),
		"unindexed": newCatalog(files("# a loose key\nLoose = \"x\"\n"+en, ja)),
	} {
		if err := c.open(JA); err != nil {
			t.Fatal(err)
		}
		wantWhole := name == "unindexed"
		if c.langs[JA].whole || len(c.langs) != 1 {
			t.Errorf("%s: opening Japanese loaded %v", name, c.langs)
		}
		if got, want := render(c, JA), "あ 1|english|1 個|"; got != want {
			t.Errorf("%s: ja %q, want %q", name, got, want)
		}
		if got, want := render(c, EN), "a 1|english|1 thing|"; got != want {
			t.Errorf("%s: en %q, want %q", name, got, want)
		}
		if c.langs[EN].whole != wantWhole {
			t.Errorf("%s: English parsed whole: %v", name, c.langs[EN].whole)
		}
	}
	// The index takes "[A]" up to "[B]", but "other" twice is no table:
	// the whole parse then fails as it would have at start-up.
	c := newCatalog(files("[A]\nother = \"a\"\nother = \"b\"\n", ""))
	if err := c.open(EN); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "do not load") {
			t.Errorf("a broken table: recovered %v", r)
		}
	}()
	c.need(EN, "A")
}

// Localizers render concurrently while messages are being added (go test
// -race checks the locking).
func TestLazyConcurrent(t *testing.T) {
	ids, err := IDs(JA)
	if err != nil {
		t.Fatal(err)
	}
	c := newCatalog(embeddedFiles)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			l := Langs[g%2]
			if err := c.open(l); err != nil {
				t.Error(err)
				return
			}
			loc := goi18n.NewLocalizer(c.bundle, string(l))
			for _, id := range ids {
				c.need(l, id)
				c.mu.RLock()
				s, _ := loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: 2})
				c.mu.RUnlock()
				if s == "" {
					t.Errorf("%s %s rendered empty", l, id)
				}
			}
		})
	}
	wg.Wait()
}
