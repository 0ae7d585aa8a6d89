package site

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strconv"
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
	// The page's own AST, only read here (rendering parses its own copy).
	doc := p.Doc
	if doc == nil {
		doc = content.Markdown.Parser().Parse(text.NewReader(src))
	}
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
// which MiniSearch.loadJS reads back. The term index is written by hand
// (writeTerms): as maps it would be most of the build's time.
type miniSearchIndex struct {
	DocumentCount      int               `json:"documentCount"`
	NextID             int               `json:"nextId"`
	DocumentIDs        map[int]string    `json:"documentIds"`
	FieldIDs           map[string]int    `json:"fieldIds"`
	FieldLength        map[int][]int     `json:"fieldLength"`
	AverageFieldLength []float64         `json:"averageFieldLength"`
	StoredFields       map[int]searchDoc `json:"storedFields"`
	DirtCount          int               `json:"dirtCount"`
	Version            int               `json:"serializationVersion"`
	terms              map[string]*termPostings
}

// termPostings are a term's (document, count) pairs per field, documents
// in increasing order.
type termPostings [][]docCount

type docCount struct{ doc, n int }

func buildSearchIndex(docs []searchDoc) *miniSearchIndex {
	ix := &miniSearchIndex{DocumentCount: len(docs), NextID: len(docs), DocumentIDs: map[int]string{},
		FieldIDs: map[string]int{}, FieldLength: map[int][]int{}, AverageFieldLength: make([]float64, len(searchFields)),
		StoredFields: map[int]searchDoc{}, Version: 2, terms: map[string]*termPostings{}}
	for i, f := range searchFields {
		ix.FieldIDs[f] = i
	}
	counts := map[string]int{}
	for id, d := range docs {
		ix.DocumentIDs[id] = d.ID
		ix.StoredFields[id] = d
		lengths := make([]int, len(searchFields))
		for fid, f := range searchFields {
			clear(counts)
			for _, t := range searchTerms(d.fields[f]) {
				counts[t]++
			}
			for t, n := range counts {
				p := ix.terms[t]
				if p == nil {
					tp := make(termPostings, len(searchFields))
					p = &tp
					ix.terms[t] = p
				}
				(*p)[fid] = append((*p)[fid], docCount{id, n})
			}
			lengths[fid] = len(counts)
			// MiniSearch's running mean, as addFieldLength keeps it.
			ix.AverageFieldLength[fid] = (ix.AverageFieldLength[fid]*float64(id) + float64(len(counts))) / float64(id+1)
		}
		ix.FieldLength[id] = lengths
	}
	return ix
}

// writeTerms writes the "index" member: [[term, {field: {doc: count}}], …],
// terms sorted so that a build is reproducible.
func (ix *miniSearchIndex) writeTerms(b *bytes.Buffer) {
	keys := make([]string, 0, len(ix.terms))
	for t := range ix.terms {
		keys = append(keys, t)
	}
	slices.Sort(keys)
	b.WriteString(`"index":[`)
	for i, t := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		q, _ := json.Marshal(t)
		b.WriteByte('[')
		b.Write(q)
		b.WriteString(",{")
		first := true
		for fid, posts := range *ix.terms[t] {
			if len(posts) == 0 {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(`"` + strconv.Itoa(fid) + `":{`)
			for j, p := range posts {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`"` + strconv.Itoa(p.doc) + `":` + strconv.Itoa(p.n))
			}
			b.WriteByte('}')
		}
		b.WriteString("}]")
	}
	b.WriteByte(']')
}

// writeSearchIndex writes search/index.js.
func (s *Site) writeSearchIndex(w io.Writer) error {
	ix := buildSearchIndex(s.searchDocs())
	rest, err := json.Marshal(ix)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.Grow(len(rest) + 64*len(ix.terms))
	b.WriteString("window.vpclabSearch=")
	b.Write(rest[:len(rest)-1]) // the object without its closing brace
	b.WriteByte(',')
	ix.writeTerms(&b)
	b.WriteString("};\n")
	_, err = w.Write(b.Bytes())
	return err
}
