package site

import (
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	ID   string `json:"id"`
	Lang string `json:"l"`
	URL  string `json:"u"` // from the site root
	Step string `json:"t"`
	Lab  string `json:"p"`
	Text string `json:"x"`
}

// pageIndex is one page's part of the search index: its sections, each
// with its terms counted per field. Pages are indexed as they are rendered
// (see renderBody), from the tree the renderer has just parsed, and on
// their own, so a build indexes on every processor.
type pageIndex []indexedDoc

type indexedDoc struct {
	searchDoc
	terms [][]termCount // by field, in searchFields order
}

type termCount struct {
	term string
	n    int
}

func pageKey(l *content.Lab, lang i18n.Lang) string { return string(lang) + "/" + l.ID }

// indexOf returns a page's part of the index, from the one renderBody kept
// or else by parsing the page.
func (s *Site) indexOf(l *content.Lab, lang i18n.Lang) pageIndex {
	if ix, ok := s.pageIndexes.Load(pageKey(l, lang)); ok {
		return ix.(pageIndex)
	}
	p := l.Page(lang)
	doc := p.Doc
	if doc == nil {
		doc = content.Markdown.Parser().Parse(text.NewReader(p.Source))
	}
	return indexPage(l, p, lang, doc)
}

// keepIndex indexes a page from the tree its render parsed, once.
func (s *Site) keepIndex(l *content.Lab, p *content.Page, lang i18n.Lang, doc ast.Node) {
	key := pageKey(l, lang)
	if _, ok := s.pageIndexes.Load(key); !ok {
		s.pageIndexes.Store(key, indexPage(l, p, lang, doc))
	}
}

// searchPages returns every page's part of the index, in the order of the
// lab list and the languages; pages not yet indexed are indexed
// concurrently.
func (s *Site) searchPages() []pageIndex {
	type job struct {
		l    *content.Lab
		lang i18n.Lang
	}
	var jobs []job
	for _, l := range s.labs {
		for _, lang := range i18n.Langs {
			if l.Page(lang) != nil {
				jobs = append(jobs, job{l, lang})
			}
		}
	}
	out := make([]pageIndex, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(jobs), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = s.indexOf(jobs[i].l, jobs[i].lang)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// indexPage splits a page into its sections, the introduction (before the
// first ## heading) and each ## section with what follows it, and counts
// each section's terms.
func indexPage(l *content.Lab, p *content.Page, lang i18n.Lang, doc ast.Node) pageIndex {
	src := p.Source
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
	ix := make(pageIndex, len(out))
	counts := map[string]int{}
	for i, d := range out {
		ix[i].terms = make([][]termCount, len(searchFields))
		for fid, field := range []string{d.Step, d.Lab, d.Text} { // searchFields' order
			clear(counts)
			for _, t := range searchTerms(field) {
				counts[t]++
			}
			tc := make([]termCount, 0, len(counts))
			for t, n := range counts {
				tc = append(tc, termCount{t, n})
			}
			ix[i].terms[fid] = tc
		}
		if utf8.RuneCountInString(d.Text) > searchTextCap {
			d.Text = string([]rune(d.Text)[:searchTextCap]) + "…"
		}
		ix[i].searchDoc = d
	}
	return ix
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

func buildSearchIndex(pages []pageIndex) *miniSearchIndex {
	ix := &miniSearchIndex{DocumentIDs: map[int]string{},
		FieldIDs: map[string]int{}, FieldLength: map[int][]int{}, AverageFieldLength: make([]float64, len(searchFields)),
		StoredFields: map[int]searchDoc{}, Version: 2, terms: map[string]*termPostings{}}
	for i, f := range searchFields {
		ix.FieldIDs[f] = i
	}
	id := 0
	for _, page := range pages {
		for _, d := range page {
			ix.DocumentIDs[id] = d.ID
			ix.StoredFields[id] = d.searchDoc
			lengths := make([]int, len(searchFields))
			for fid, tc := range d.terms {
				for _, c := range tc {
					p := ix.terms[c.term]
					if p == nil {
						tp := make(termPostings, len(searchFields))
						p = &tp
						ix.terms[c.term] = p
					}
					(*p)[fid] = append((*p)[fid], docCount{id, c.n})
				}
				lengths[fid] = len(tc)
				// MiniSearch's running mean, as addFieldLength keeps it.
				ix.AverageFieldLength[fid] = (ix.AverageFieldLength[fid]*float64(id) + float64(len(tc))) / float64(id+1)
			}
			ix.FieldLength[id] = lengths
			id++
		}
	}
	ix.DocumentCount, ix.NextID = id, id
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
	ix := buildSearchIndex(s.searchPages())
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
