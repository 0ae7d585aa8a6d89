package site

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/unicode/norm"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// The search index: every section of every lab in both languages, as the
// serialized index of MiniSearch (assets/vendor/minisearch), written by
// `vpclab build` so that the browser only loads it. It is a script that
// sets window.vpclabSearch, not JSON: a page opened from file:// may not
// fetch() a file, but it may load a script.
//
// Japanese has no spaces between words, so it is indexed as MiniSearch
// indexes nothing by default: as overlapping character pairs (bigrams),
// plus each run's last character. A query is cut the same way (site.js,
// searchTokens) and every pair must match, so any substring of two or more
// characters is found; a single character matches by prefix.

const searchIndexPath = "search/index.js"

// searchFields are MiniSearch's fields, in its fieldIds order: the
// section's title, the lab's title and the section's text.
var searchFields = []string{"t", "p", "x"}

// searchTextCap bounds the text kept per section for the result's
// excerpt; the whole text is indexed.
const searchTextCap = 500

type searchDoc struct {
	ID     string            `json:"id"`
	Lang   string            `json:"l"`
	URL    string            `json:"u"` // from the site root
	Step   string            `json:"t"`
	Lab    string            `json:"p"`
	Text   string            `json:"x"`
	fields map[string]string // what is indexed, by field
}

// searchDocs splits every page into its sections: the introduction (before
// the first ## heading) and each ## section with what follows it.
func (s *Site) searchDocs() []searchDoc {
	var docs []searchDoc
	for _, l := range s.labs {
		for _, lang := range i18n.Langs {
			p := l.Page(lang)
			if p == nil {
				continue
			}
			docs = append(docs, pageSections(l, p, lang)...)
		}
	}
	return docs
}

func pageSections(l *content.Lab, p *content.Page, lang i18n.Lang) []searchDoc {
	src := p.Source
	doc := content.Markdown.Parser().Parse(text.NewReader(src))
	base := string(lang) + "/" + l.ID + "/index.html"
	cur := searchDoc{ID: base, Lang: string(lang), URL: base, Step: p.Meta.Title, Lab: p.Meta.Title}
	var body strings.Builder
	var out []searchDoc
	flush := func() {
		cur.Text = joinLines(body.String())
		if cur.Text != "" || cur.Step != cur.Lab {
			out = append(out, cur)
		}
		body.Reset()
	}
	body.WriteString(p.Meta.Summary + "\n")
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			flush()
			id := headingID(h)
			cur = searchDoc{ID: base + "#" + id, Lang: string(lang), URL: base + "#" + id,
				Step: strings.TrimSpace(content.PlainText(h, src)), Lab: p.Meta.Title}
			continue
		}
		blockText(&body, n, src)
	}
	flush()
	for i := range out {
		d := &out[i]
		d.fields = map[string]string{"t": d.Step, "p": d.Lab, "x": d.Text}
		if utf8.RuneCountInString(d.Text) > searchTextCap {
			d.Text = string([]rune(d.Text)[:searchTextCap]) + "…"
		}
	}
	return out
}

// blockText appends a block's text: prose, headings, tables and commands;
// not check blocks, diagrams or authors' notes.
func blockText(b *strings.Builder, n ast.Node, src []byte) {
	switch t := n.(type) {
	case *ast.HTMLBlock:
		return
	case *ast.FencedCodeBlock:
		info := ""
		if t.Info != nil {
			info = string(t.Info.Segment.Value(src))
		}
		lang, _, _ := content.InfoString(info)
		if lang == "check" || lang == "mermaid" || lang == "mutations" {
			return
		}
		b.WriteString(codeText(t, src))
		b.WriteByte('\n')
		return
	case *ast.CodeBlock:
		b.WriteString(codeText(t, src))
		b.WriteByte('\n')
		return
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if c.Type() == ast.TypeBlock {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for g := t.FirstChild(); g != nil; g = g.NextSibling() {
				if tx, ok := g.(*ast.Text); ok {
					b.Write(tx.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// joinLines joins a section's lines as a reader reads them: no space
// between two Japanese characters (the source wraps sentences anywhere),
// one space elsewhere.
func joinLines(s string) string {
	var b strings.Builder
	lines := strings.Split(s, "\n")
	for _, line := range lines {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(line)
			if !isCJK(last) || !isCJK(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

// isCJK reports whether r is written without spaces between words: kana,
// the prolonged sound mark, kanji and their iteration marks. site.js has
// the same ranges.
func isCJK(r rune) bool {
	return r == 0x3005 || r == 0x3006 || (r >= 0x3040 && r <= 0x30ff) || (r >= 0x3400 && r <= 0x4dbf) ||
		(r >= 0x4e00 && r <= 0x9fff) || (r >= 0xf900 && r <= 0xfaff)
}

// searchTerms cuts text into the index's terms: NFKC-normalized and in
// lower case; words of other scripts whole, Japanese runs as bigrams plus
// the run's last character. It is site.js's searchTokens with last=true.
func searchTerms(s string) []string {
	s = strings.ToLower(norm.NFKC.String(s))
	var out []string
	var word, run []rune
	endWord := func() {
		if len(word) > 0 {
			out = append(out, string(word))
			word = word[:0]
		}
	}
	endRun := func() {
		for i := 0; i+1 < len(run); i++ {
			out = append(out, string(run[i:i+2]))
		}
		if len(run) > 0 {
			out = append(out, string(run[len(run)-1:]))
		}
		run = run[:0]
	}
	for _, r := range s {
		switch {
		case isCJK(r):
			endWord()
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			endRun()
			word = append(word, r)
		default:
			endWord()
			endRun()
		}
	}
	endWord()
	endRun()
	return out
}

// miniSearchIndex is MiniSearch's serialized form (its toJSON, version 2),
// which MiniSearch.loadJS reads back.
type miniSearchIndex struct {
	DocumentCount      int                            `json:"documentCount"`
	NextID             int                            `json:"nextId"`
	DocumentIDs        map[int]string                 `json:"documentIds"`
	FieldIDs           map[string]int                 `json:"fieldIds"`
	FieldLength        map[int][]int                  `json:"fieldLength"`
	AverageFieldLength []float64                      `json:"averageFieldLength"`
	StoredFields       map[int]searchDoc              `json:"storedFields"`
	DirtCount          int                            `json:"dirtCount"`
	Index              [][2]any                       `json:"index"`
	Version            int                            `json:"serializationVersion"`
	terms              map[string]map[int]map[int]int // term → field → doc → count
}

func buildSearchIndex(docs []searchDoc) *miniSearchIndex {
	ix := &miniSearchIndex{DocumentCount: len(docs), NextID: len(docs), DocumentIDs: map[int]string{},
		FieldIDs: map[string]int{}, FieldLength: map[int][]int{}, AverageFieldLength: make([]float64, len(searchFields)),
		StoredFields: map[int]searchDoc{}, Version: 2, terms: map[string]map[int]map[int]int{}}
	for i, f := range searchFields {
		ix.FieldIDs[f] = i
	}
	for id, d := range docs {
		ix.DocumentIDs[id] = d.ID
		ix.StoredFields[id] = d
		lengths := make([]int, len(searchFields))
		for fid, f := range searchFields {
			terms := searchTerms(d.fields[f])
			unique := map[string]bool{}
			for _, t := range terms {
				unique[t] = true
				byField := ix.terms[t]
				if byField == nil {
					byField = map[int]map[int]int{}
					ix.terms[t] = byField
				}
				if byField[fid] == nil {
					byField[fid] = map[int]int{}
				}
				byField[fid][id]++
			}
			lengths[fid] = len(unique)
			// MiniSearch's running mean, as addFieldLength keeps it.
			ix.AverageFieldLength[fid] = (ix.AverageFieldLength[fid]*float64(id) + float64(len(unique))) / float64(id+1)
		}
		ix.FieldLength[id] = lengths
	}
	keys := make([]string, 0, len(ix.terms))
	for t := range ix.terms {
		keys = append(keys, t)
	}
	slices.Sort(keys)
	for _, t := range keys {
		ix.Index = append(ix.Index, [2]any{t, ix.terms[t]})
	}
	return ix
}

// writeSearchIndex writes search/index.js.
func (s *Site) writeSearchIndex(w io.Writer) error {
	data, err := json.Marshal(buildSearchIndex(s.searchDocs()))
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "window.vpclabSearch="); err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	_, err = io.WriteString(w, ";\n")
	return err
}
