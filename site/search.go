package site

import (
	"bufio"
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
	"unsafe"

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

// pageSections are one page's sections for the search index. Pages are
// split as they are rendered (see renderBody), from the tree the renderer
// has just parsed, and their terms counted there and then, a page per
// processor; writing the index only adds up the counts.
type pageSections []section

type section struct {
	searchDoc // Text cut to searchTextCap, for the excerpt
	terms     termCounts
}

// termCounts are a section's terms, by number in the site's termDict, with
// their counts, by field (searchFields' order).
type termCounts [3][]termCount

type termCount struct{ term, n uint32 }

// termDict numbers the index's terms. A site's many thousand sections
// share a few thousand terms, so a section keeps its counts by number:
// a twentieth of the memory of its text's terms as strings.
type termDict struct {
	mu       sync.Mutex
	ids      map[string]uint32
	terms    []string
	counters sync.Pool // *termCounter
}

// id numbers t, which may be cut from a larger text: the dictionary keeps
// its own copy, which it returns.
func (d *termDict) id(t string) (uint32, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ids == nil {
		d.ids = map[string]uint32{}
	}
	id, ok := d.ids[t]
	if !ok {
		id = uint32(len(d.terms))
		t = strings.Clone(t)
		d.ids[t] = id
		d.terms = append(d.terms, t)
	}
	return id, d.terms[id]
}

// counter returns a counter for one goroutine; give it back with put.
func (d *termDict) counter() *termCounter {
	if c, ok := d.counters.Get().(*termCounter); ok {
		return c
	}
	return &termCounter{dict: d, ids: map[string]uint32{}, pairs: map[uint64]uint32{}}
}

func (d *termDict) put(c *termCounter) { d.counters.Put(c) }

// termCounter counts a text's terms by number. It remembers the numbers
// it has looked up, so that counting takes no lock and one map lookup a
// term; the counts are an array by number.
type termCounter struct {
	dict *termDict
	ids  map[string]uint32 // numbers seen, keyed by the dictionary's copies
	// pairs are the numbers of six-byte terms seen, keyed by their bytes:
	// a Japanese bigram is two three-byte characters, and bigrams are most
	// of a Japanese page's terms; a map of integers is looked up in half
	// the time.
	pairs map[uint64]uint32
	n     []uint32 // counts by number
	seen  []uint32 // numbers counted since take, in first-seen order
	// Buffers for a section's text (splitPage), used again and again.
	body           bytes.Buffer
	joined, folded []byte
}

func (c *termCounter) add(t string) {
	var id uint32
	if len(t) == 6 {
		k := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 | uint64(t[4])<<32 | uint64(t[5])<<40
		var ok bool
		if id, ok = c.pairs[k]; !ok {
			id, _ = c.dict.id(t)
			c.pairs[k] = id
		}
	} else {
		var ok bool
		if id, ok = c.ids[t]; !ok {
			var key string
			id, key = c.dict.id(t)
			c.ids[key] = id
		}
	}
	if int(id) >= len(c.n) {
		c.n = append(c.n, make([]uint32, int(id)+1-len(c.n)+len(c.n)/2)...)
	}
	if c.n[id] == 0 {
		c.seen = append(c.seen, id)
	}
	c.n[id]++
}

// take returns the counts since the last take.
func (c *termCounter) take() []termCount {
	out := make([]termCount, len(c.seen))
	for i, id := range c.seen {
		out[i] = termCount{id, c.n[id]}
		c.n[id] = 0
	}
	c.seen = c.seen[:0]
	return out
}

// snapshot returns the terms numbered so far.
func (d *termDict) snapshot() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.terms[:len(d.terms):len(d.terms)]
}

func pageKey(l *content.Lab, lang i18n.Lang) string { return string(lang) + "/" + l.ID }

// sectionsOf returns a page's sections, from those renderBody kept or
// else by parsing the page.
func (s *Site) sectionsOf(l *content.Lab, lang i18n.Lang) pageSections {
	if ix, ok := s.sections.Load(pageKey(l, lang)); ok {
		return ix.(pageSections)
	}
	p := l.Page(lang)
	doc := p.Doc
	if doc == nil {
		doc = content.Markdown.Parser().Parse(text.NewReader(p.Source))
	}
	secs := splitPage(l, p, lang, doc, &s.terms)
	s.sections.Store(pageKey(l, lang), secs) // a server asks for the index again
	return secs
}

// keepSections splits a page from the tree its render parsed, once.
func (s *Site) keepSections(l *content.Lab, p *content.Page, lang i18n.Lang, doc ast.Node) {
	key := pageKey(l, lang)
	if _, ok := s.sections.Load(key); !ok {
		s.sections.Store(key, splitPage(l, p, lang, doc, &s.terms))
	}
}

// splitPage splits a page into its sections: the introduction (before the
// first ## heading) and each ## section with what follows it.
func splitPage(l *content.Lab, p *content.Page, lang i18n.Lang, doc ast.Node, dict *termDict) pageSections {
	src := p.Source
	base := string(lang) + "/" + l.ID + "/index.html"
	cur := searchDoc{ID: base, Lang: string(lang), URL: base, Step: p.Meta.Title, Lab: p.Meta.Title}
	var out pageSections
	counter := dict.counter()
	defer dict.put(counter)
	// The section's text is made in the counter's buffers, used again
	// for every section: only the terms and the shown text are kept.
	body := &counter.body
	body.Reset()
	var labTerms []termCount
	flush := func() {
		counter.joined = appendJoined(counter.joined[:0], view(body.Bytes()))
		text := view(counter.joined)
		if text != "" || cur.Step != cur.Lab {
			sec := section{searchDoc: cur}
			for fid, field := range [...]string{cur.Step, cur.Lab, text} { // searchFields' order
				if fid == 1 && labTerms != nil {
					sec.terms[fid] = labTerms // every section has the lab's title: counted once
					continue
				}
				cutTerms(foldInto(&counter.folded, field), counter.add)
				sec.terms[fid] = counter.take()
			}
			labTerms = sec.terms[1]
			shown := capRunes(text, searchTextCap)
			if len(shown) == len(text) {
				shown = strings.Clone(shown) // not cut: still a view of the buffer
			}
			sec.Text = shown
			out = append(out, sec)
		}
		body.Reset()
	}
	body.WriteString(p.Meta.Summary)
	body.WriteByte('\n')
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			flush()
			id := content.HeadingID(h)
			cur = searchDoc{ID: base + "#" + id, Lang: string(lang), URL: base + "#" + id,
				Step: strings.TrimSpace(content.PlainText(h, src)), Lab: p.Meta.Title}
			continue
		}
		blockText(body, n, src)
	}
	flush()
	return out
}

// searchPages returns every page's sections, in the order of the lab list
// and the languages.
func (s *Site) searchPages() []pageSections {
	var out []pageSections
	for _, l := range s.labs {
		for _, lang := range i18n.Langs {
			if l.Page(lang) != nil {
				out = append(out, s.sectionsOf(l, lang))
			}
		}
	}
	return out
}

// capRunes cuts s after n characters, with an ellipsis when it cut.
func capRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// blockText appends a block's text: prose, headings, tables and commands;
// not check blocks, diagrams or authors' notes.
func blockText(b *bytes.Buffer, n ast.Node, src []byte) {
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
		writeLines(b, t, src)
		b.WriteByte('\n')
		return
	case *ast.CodeBlock:
		writeLines(b, t, src)
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

// writeLines writes a code block's text (codeText) to b.
func writeLines(b *bytes.Buffer, n ast.Node, src []byte) {
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
}

// joinLines joins a section's lines as a reader reads them: no space
// between two Japanese characters (the source wraps sentences anywhere),
// one space elsewhere.
func joinLines(s string) string { return string(appendJoined(nil, s)) }

// appendJoined appends s's lines joined as joinLines joins them to b.
func appendJoined(b []byte, s string) []byte {
	start := len(b)
	var last rune                // the last character written
	gap, newline := false, false // white space since it, and a line break in that
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] {
				gap = true
				newline = newline || c == '\n'
				i++
				continue
			}
			// A run of ASCII that is not white space is copied at once; it
			// is not Japanese, so a gap before it is always a space.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && !asciiSpace[s[j]] {
				j++
			}
			if len(b) > start && gap {
				b = append(b, ' ')
			}
			gap, newline = false, false
			b = append(b, s[i:j]...)
			last = rune(s[j-1])
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r <= 0x3000 && unicode.IsSpace(r) { // no white space lies above U+3000
			gap = true
			i += n
			continue
		}
		if len(b) > start && gap && !(newline && isCJK(last) && isCJK(r)) {
			b = append(b, ' ')
		}
		gap, newline = false, false
		b = append(b, s[i:i+n]...)
		last = r
		i += n
	}
	return b
}

// asciiSpace are the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

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
func searchTerms(s string, term func(string)) { cutTerms(fold(s), term) }

// cutTerms is searchTerms on text already folded.
func cutTerms(s string, term func(string)) {
	// Words and runs are cut from s by byte offsets: no term is copied.
	word, run := -1, -1 // where the current word or Japanese run starts
	endWord := func(at int) {
		if word >= 0 {
			term(s[word:at])
			word = -1
		}
	}
	// Every character isCJK accepts is three bytes long in UTF-8
	// (TestCJKIsThreeBytes): each pair is 6 bytes, and consecutive pairs
	// start 3 bytes apart.
	endRun := func(at int) {
		if run >= 0 {
			for i := run; i+3 < at; i += 3 {
				term(s[i : i+6])
			}
			term(s[at-3 : at])
			run = -1
		}
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' {
				endRun(i)
				if word < 0 {
					word = i
				}
			} else {
				endWord(i)
				endRun(i)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			endWord(i)
			if run < 0 {
				run = i
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			endRun(i)
			if word < 0 {
				word = i
			}
		default:
			endWord(i)
			endRun(i)
		}
		i += n
	}
	endWord(len(s))
	endRun(len(s))
}

// fold returns strings.ToLower(norm.NFKC.String(s)) (site.js's
// normalize("NFKC").toLowerCase()) without running most of the text
// through norm and unicode: ASCII and the kana and kanji of Japanese prose
// (steady runes) are left as they are by NFKC, and none combines with the
// rune before it, so only the runs of other runes, each with the rune
// before it, go through norm; ASCII is put in lower case in place. On
// the 300-lab corpus this was a tenth of the build's CPU.
func fold(s string) string {
	var scratch []byte
	if f := foldInto(&scratch, s); f != s {
		return strings.Clone(f)
	}
	return s
}

// foldInto is fold writing into *scratch, which it may grow: the result
// is s itself, or a view of *scratch good until *scratch is used again.
func foldInto(scratch *[]byte, s string) string {
	var b []byte // nil while s is its own fold
	last := 0    // s[:last] is folded into b (when b is not nil)
	grow := func() {
		b = (*scratch)[:0]
		if cap(b) < len(s)+len(s)/8 {
			b = make([]byte, 0, len(s)+len(s)/8)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				if b == nil {
					grow()
				}
				b = append(append(b, s[last:i]...), c+'a'-'A')
				last = i + 1
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			// norm's own way with bytes that are not UTF-8 is not cut
			// into runs: the whole text goes through it.
			return strings.ToLower(norm.NFKC.String(s))
		}
		if steady(r) {
			i += n
			continue
		}
		// A run of unsteady runes, from the rune before it (which a
		// combining mark may join), to the next steady rune.
		start := i
		if i > 0 {
			_, m := utf8.DecodeLastRuneInString(s[:i])
			if start = i - m; start < last { // an A-Z already put in b
				b = b[:len(b)-(last-start)]
				last = start
			}
		}
		end := i + n
		for end < len(s) {
			r, m := utf8.DecodeRuneInString(s[end:])
			if r == utf8.RuneError && m == 1 {
				return strings.ToLower(norm.NFKC.String(s))
			}
			if r < utf8.RuneSelf || steady(r) {
				break
			}
			end += m
		}
		if b == nil {
			grow()
		}
		b = append(b, s[last:start]...)
		b = append(b, strings.ToLower(norm.NFKC.String(s[start:end]))...)
		last, i = end, end
	}
	if b == nil {
		return s
	}
	*scratch = append(b, s[last:]...)
	return view(*scratch)
}

// view is b as a string, without a copy: good only while b is unchanged.
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// steady reports whether NFKC and lower case leave r as it is, and r
// starts a new segment for NFKC (no rune before it combines with it):
// hiragana, katakana, the prolonged sound mark, the middle dot, the
// ideographic comma, full stop and quotation marks, and the common
// kanji. TestSteadyRunes holds each of them to it.
func steady(r rune) bool {
	return (r >= 0x3041 && r <= 0x3096) || (r >= 0x30a1 && r <= 0x30fc) ||
		(r >= 0x4e00 && r <= 0x9fff) || (r >= 0x3001 && r <= 0x3002) || (r >= 0x300c && r <= 0x300f)
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
	terms              []string          // by number (termDict)
	postings           []termPostings    // by term number
}

// termPostings are a term's (document, count) pairs per field, documents
// in increasing order.
type termPostings [3][]docCount

type docCount struct{ doc, n uint32 }

// buildSearchIndex adds up the sections' counts, terms numbered in terms.
func buildSearchIndex(pages []pageSections, terms []string) *miniSearchIndex {
	ix := &miniSearchIndex{DocumentIDs: map[int]string{},
		FieldIDs: map[string]int{}, FieldLength: map[int][]int{}, AverageFieldLength: make([]float64, len(searchFields)),
		StoredFields: map[int]searchDoc{}, Version: 2, terms: terms, postings: make([]termPostings, len(terms))}
	for i, f := range searchFields {
		ix.FieldIDs[f] = i
	}
	// The postings are counted first and cut from one array: appended to
	// one by one, they were allocated about twice over.
	counts := make([][3]int, len(terms))
	total := 0
	for _, p := range pages {
		for _, sec := range p {
			for fid, tc := range sec.terms {
				for _, c := range tc {
					counts[c.term][fid]++
				}
				total += len(tc)
			}
		}
	}
	slab := make([]docCount, 0, total)
	for t := range counts {
		for fid, n := range counts[t] {
			ix.postings[t][fid] = slab[len(slab) : len(slab) : len(slab)+n]
			slab = slab[:len(slab)+n]
		}
	}
	id := 0
	for _, p := range pages {
		for _, sec := range p {
			ix.add(id, sec)
			id++
		}
	}
	ix.DocumentCount, ix.NextID = id, id
	return ix
}

// add adds document id, with its terms, as MiniSearch's add would.
func (ix *miniSearchIndex) add(id int, sec section) {
	ix.DocumentIDs[id] = sec.ID
	ix.StoredFields[id] = sec.searchDoc
	lengths := make([]int, len(searchFields))
	for fid, tc := range sec.terms {
		for _, c := range tc {
			p := &ix.postings[c.term]
			p[fid] = append(p[fid], docCount{uint32(id), c.n})
		}
		lengths[fid] = len(tc)
		// MiniSearch's running mean, as addFieldLength keeps it.
		ix.AverageFieldLength[fid] = (ix.AverageFieldLength[fid]*float64(id) + float64(len(tc))) / float64(id+1)
	}
	ix.FieldLength[id] = lengths
}

// writeTerms writes the "index" member: [[term, {field: {doc: count}}], …],
// terms sorted so that a build is reproducible. It is most of the index's
// bytes, so it is written a share of the terms per processor.
func (ix *miniSearchIndex) writeTerms(b *bufio.Writer) {
	var order []int
	for id, p := range ix.postings {
		if len(p[0])+len(p[1])+len(p[2]) > 0 {
			order = append(order, id)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ix.terms[a], ix.terms[b]) })
	// Each processor writes its share into chunks of a fixed size, not
	// one slice: growing that copied each share about twice.
	chunk := indexChunk
	parts := make([][][]byte, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := len(order)*i/len(parts), len(order)*(i+1)/len(parts)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var chunks [][]byte
			out := make([]byte, 0, chunk)
			for _, id := range order[lo:hi] {
				if len(out) > chunk-chunk/8 {
					chunks = append(chunks, out)
					out = make([]byte, 0, chunk)
				}
				out = ix.appendTerm(out, id)
			}
			parts[i] = append(chunks, out)
		}()
	}
	wg.Wait()
	b.WriteString(`"index":[`)
	// Each entry ends with a comma: a chunk is written without its last
	// one, and the comma goes before the next chunk.
	wrote := false
	for _, chunks := range parts {
		for _, c := range chunks {
			if len(c) == 0 {
				continue
			}
			if wrote {
				b.WriteByte(',')
			}
			b.Write(c[:len(c)-1])
			wrote = true
		}
	}
	b.WriteByte(']')
}

// indexChunk is the size of writeTerms' chunks (a variable for a test).
var indexChunk = 256 << 10

// appendTerm appends one entry of the index, and a comma.
func (ix *miniSearchIndex) appendTerm(out []byte, id int) []byte {
	out = append(out, '[')
	out = appendJSONString(out, ix.terms[id])
	out = append(out, ",{"...)
	first := true
	for fid, posts := range ix.postings[id] {
		if len(posts) == 0 {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, '"')
		out = strconv.AppendInt(out, int64(fid), 10)
		out = append(out, `":{`...)
		for j, p := range posts {
			if j > 0 {
				out = append(out, ',')
			}
			out = append(out, '"')
			out = strconv.AppendUint(out, uint64(p.doc), 10)
			out = append(out, `":`...)
			out = strconv.AppendUint(out, uint64(p.n), 10)
		}
		out = append(out, '}')
	}
	return append(out, "}],"...)
}

// appendJSONString appends s quoted as encoding/json quotes it. Terms are
// letters and digits: they are copied as they are unless one holds what
// JSON or a script in HTML must escape.
func appendJSONString(out []byte, s string) []byte {
	if !utf8.ValidString(s) {
		q, _ := json.Marshal(s)
		return append(out, q...)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == 0xe2 {
			q, _ := json.Marshal(s) // 0xe2 may start U+2028 or U+2029
			return append(out, q...)
		}
	}
	out = append(out, '"')
	out = append(out, s...)
	return append(out, '"')
}

// writeSearchIndex writes search/index.js.
func (s *Site) writeSearchIndex(w io.Writer) error {
	pages := s.searchPages() // first: it may number new terms
	ix := buildSearchIndex(pages, s.terms.snapshot())
	rest, err := json.Marshal(ix)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("window.vpclabSearch=")
	bw.Write(rest[:len(rest)-1]) // the object without its closing brace
	bw.WriteByte(',')
	ix.writeTerms(bw)
	bw.WriteString("};\n")
	return bw.Flush()
}
