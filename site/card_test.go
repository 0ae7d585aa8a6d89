package site

import (
	"bufio"
	"bytes"
	"html/template"
	"os"
	"testing"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
)

// cardTemplates are the cards as html/template wrote them before they
// were written by hand (card.go): the reference for their markup and
// escaping.
func cardTemplates(t testing.TB) *template.Template {
	t.Helper()
	src, err := os.ReadFile("testdata/card.html")
	if err != nil {
		t.Fatal(err)
	}
	return template.Must(template.New("cards").Parse(string(src)))
}

// sameCards fails unless each writer gives what its template gives for d.
func sameCards(t *testing.T, tmpl *template.Template, d cardData) {
	t.Helper()
	for name, write := range map[string]func(w *bufio.Writer, d cardData){
		"vgroup-open":  func(w *bufio.Writer, d cardData) { writeGroupOpen(w, d) },
		"card":         func(w *bufio.Writer, d cardData) { writeCard(w, d) },
		"vgroup-close": func(w *bufio.Writer, d cardData) { writeGroupClose(w, d) },
	} {
		var want, got bytes.Buffer
		if err := tmpl.ExecuteTemplate(&want, name, d); err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriter(&got)
		write(w, d)
		w.Flush()
		if got.String() != want.String() {
			t.Errorf("%s for %+v:\n got %q\nwant %q", name, d, got.String(), want.String())
		}
	}
}

// TestCardsAreTheTemplates: every card and group frame of the built-in
// labs, in both languages, with and without a recorded result and a
// server, is written exactly as the templates wrote it.
func TestCardsAreTheTemplates(t *testing.T) {
	tmpl := cardTemplates(t)
	labs, ds, err := content.Load(content.Embedded(), "labs")
	if err != nil || len(ds) > 0 {
		t.Fatal(err, ds)
	}
	n := 0
	for _, live := range []bool{false, true} {
		s, err := New(labs, Options{Live: live})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range labs {
			for _, lang := range i18n.Langs {
				page := l.Page(lang)
				pc := &pageCtx{site: s, lab: l, page: page, lang: lang, loc: i18n.New(lang),
					prog: LabProgress{Records: map[string]progress.Record{}}}
				for i, c := range l.Checks() {
					if i%2 == 0 { // every other check has a result on record
						pc.prog.Records[c.ID] = progress.Record{Check: c.ID, Status: progress.StatusFail,
							Message: `route "0.0.0.0/0" <missing> & 'more'`, At: time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)}
					}
					sameCards(t, tmpl, pc.groupData(c, 1+i%3))
					sameCards(t, tmpl, pc.cardData(c))
					n++
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d cards compared", n)
	}
}

// FuzzCards: values with anything in them are escaped as html/template
// escapes them.
func FuzzCards(f *testing.F) {
	f.Add("nat", "create-nat", "nat-ok", "route", `<b>"x" & 'y' + z</b>`, "\x00\xff日本")
	tmpl := cardTemplates(f)
	f.Fuzz(func(t *testing.T, lab, step, check, kind, a, b string) {
		d := cardData{Lab: lab, Step: step, Check: check, Kind: kind, Label: a, Command: b, Status: a,
			StatusLabel: b, Recorded: a, Live: len(b)%2 == 0, Description: template.HTML(b), Raw: template.HTML(a),
			T: func(id string) string { return id + a }}
		sameCards(t, tmpl, d)
	})
}
