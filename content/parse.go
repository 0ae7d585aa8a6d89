package content

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/token"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/regions"
)

// Markdown is the goldmark configuration labs are written in: CommonMark
// plus tables, strikethrough, autolinks and {#id} heading attributes. The
// site renders with the same parser so that what lint sees is what
// learners see.
var Markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// FrontMatterFields is the schema of a lab's front matter.
var FrontMatterFields = []Field{
	{Name: "id", Type: String, Required: true, Doc: "the lab's id: its folder's name"},
	{Name: "title", Type: String, Required: true, Doc: "shown as the page title (translated)"},
	{Name: "summary", Type: String, Required: true, Doc: "one or two sentences for the lab list (translated)"},
	{Name: "level", Type: String, Required: true, Enum: []string{"beginner", "intermediate", "advanced"}},
	{Name: "duration", Type: Int, Required: true, Doc: "minutes a learner needs"},
	{Name: "cost", Type: Object, Required: true, Doc: "what the lab's resources cost while they run", Fields: []Field{
		{Name: "usd_per_hour", Type: Number, Required: true},
		{Name: "region", Type: String, Required: true, Doc: "the region the figure assumes"},
	}},
	{Name: "services", Type: Strings, Required: true, Doc: "AWS services the lab uses"},
	{Name: "prerequisites", Type: Strings, Doc: "ids of labs to do first"},
	{Name: "region", Type: String, Required: true, Doc: "the region the lab suggests"},
}

// TranslatedFrontMatter are the fields that differ between languages; all
// others must be identical.
var TranslatedFrontMatter = map[string]bool{"title": true, "summary": true}

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
)

// IDExample is a valid id made from a bad one ("My Lab" → my-lab), or
// fallback (an id of the same sort: a lab's, a step's, a check's).
func IDExample(bad, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(bad) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if ValidID(b.String()) {
		return b.String()
	}
	return fallback
}

// ValidID reports whether s is a valid lab, step or check id.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// ParsePage parses one language's Markdown file of a lab. It never panics;
// problems come back as diagnostics with exact positions, and the page is
// returned as far as it could be read so that later rules still run.
func ParsePage(path string, lang i18n.Lang, src []byte) (*Page, Diags) {
	return parsePage(path, lang, src, nil)
}

// parsePage is ParsePage with the YAML of the lab's other page (shared
// may be nil).
func parsePage(path string, lang i18n.Lang, src []byte, shared yamlCache) (*Page, Diags) {
	p, li, ds := parseHead(path, lang, src, true)
	if li == nil {
		return p, ds
	}
	p.Doc = Markdown.Parser().Parse(text.NewReader(p.Source))
	p.yaml = shared
	ds = append(ds, p.walk(li)...)
	p.yaml = nil
	for _, s := range p.Steps {
		// A step that tears the lab down is the clean-up phase even when
		// its heading does not say role=cleanup (labs written before roles).
		if _, declared := s.Attrs["role"]; !declared && s.tearsDown() {
			s.Role = RoleCleanup
		}
	}
	return p, ds
}

// ParseMeta parses only a page's front matter, as ParsePage would: what a
// site must know of every lab (titles, levels, prerequisites) before it
// renders any page. The page has no Source, tree or steps.
func ParseMeta(path string, lang i18n.Lang, src []byte) (*Page, Diags) {
	if ds := pageTooLarge(path, src); ds != nil {
		return &Page{Path: path, Lang: lang, Unread: true}, ds
	}
	// Only the lines up to the closing --- are read: positions in them
	// are the same, and a site's pages are megabytes of body.
	p, _, ds := parseHead(path, lang, src[:frontMatterEnd(src)], false)
	p.lines = nil
	return p, ds
}

// frontMatterEnd is where the line after the front matter's closing ---
// (or ...) starts, or len(src) when there is none: nothing after it
// changes what splitFrontMatter reads.
func frontMatterEnd(src []byte) int {
	first := true
	for off := 0; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		if nl < 0 {
			return len(src)
		}
		line := strings.TrimRight(string(src[off:off+nl]), "\r ")
		if !first && (line == "---" || line == "...") {
			return off + nl + 1
		}
		first = false
		off += nl + 1
	}
	return len(src)
}

// ValidRegion reports whether s is shaped like an AWS Region name
// (ap-northeast-1, us-gov-west-1): a typo is caught before AWS answers it
// with a confusing error.
func ValidRegion(s string) bool { return regionPattern.MatchString(s) }

// firstInvalidUTF8 is the offset of src's first byte that is not UTF-8.
func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(src)
}

// parseHead reads a page's front matter and, with body, blanks it out of
// the body (Page.Source). li is nil when the page is too large to be
// parsed.
func parseHead(path string, lang i18n.Lang, src []byte, body bool) (p *Page, li *lineIndex, ds Diags) {
	if ds := pageTooLarge(path, src); ds != nil { // before goldmark: limits.go
		return &Page{Path: path, Lang: lang, Unread: true}, nil, ds
	}
	li = newLineIndex(path, src)
	p = &Page{Path: path, Lang: lang, lines: li} // the body keeps the file's lines
	masked, fm, fmDiags := splitFrontMatter(src, li, body)
	ds = append(ds, fmDiags...)
	p.Source = masked
	if fm != nil {
		p.MetaPos = fm.Pos
		p.MetaYAML = fm
		ds = append(ds, decodeFrontMatter(fm, &p.Meta)...)
	}
	if body {
		// The body is refused, the front matter still judged (as
		// ParseMeta judges it): goldmark takes minutes on deep nesting,
		// and invalid UTF-8 copied into the site is not valid HTML.
		refuse := nestedTooDeep(path, src)
		if !utf8.Valid(src) {
			refuse = append(refuse, diag(li.pos(firstInvalidUTF8(src)), "ContentNotUTF8", nil))
		}
		if refuse != nil {
			p.Unread, p.Source = true, nil
			return p, nil, append(ds, refuse...)
		}
	}
	return p, li, ds
}

// tearsDown reports whether the step holds clean-up work: {cleanup}
// blocks or a cleanup check.
func (s *Step) tearsDown() bool {
	if len(s.Cleanup) > 0 {
		return true
	}
	for _, c := range s.Checks {
		if c.Kind == "cleanup" {
			return true
		}
	}
	return false
}

// splitFrontMatter finds the YAML between the opening and closing ---
// lines. With body, it returns the source with the front matter blanked
// out (newlines kept) so that goldmark's byte offsets stay those of the
// file; without, no source.
func splitFrontMatter(src []byte, li *lineIndex, body bool) ([]byte, *Mapping, Diags) {
	top := Pos{File: li.file, Line: 1, Col: 1}
	rest, _ := bytes.CutPrefix(src, []byte("\ufeff")) // editors on Windows add a BOM
	start := len(src) - len(rest)
	firstEnd := bytes.IndexByte(rest, '\n')
	// Without front matter the body is the whole file, less its BOM
	// (which would otherwise glue itself to the first heading).
	noBOM := func() []byte {
		if !body {
			return nil
		}
		return append(bytes.Repeat([]byte(" "), start), rest...)
	}
	if firstEnd < 0 || strings.TrimRight(string(rest[:firstEnd]), "\r ") != "---" {
		return noBOM(), nil, Diags{diag(top, "ContentFrontMatterMissing", nil)}
	}
	yamlStart := start + firstEnd + 1
	end, closeLen := -1, 0
	for off := yamlStart; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		lineEnd := len(src)
		if nl >= 0 {
			lineEnd = off + nl
		}
		line := strings.TrimRight(string(src[off:lineEnd]), "\r ")
		if line == "---" || line == "..." {
			end, closeLen = off, lineEnd-off
			break
		}
		if nl < 0 {
			break
		}
		off = lineEnd + 1
	}
	if end < 0 {
		return noBOM(), nil, Diags{diag(top, "ContentFrontMatterUnclosed", nil)}
	}
	yamlSrc := src[yamlStart:end]
	// The positions outlive the parse (the mapping keeps this function):
	// they keep a copy of the front matter, not the whole file.
	head := bytes.Clone(src[:end])
	at := func(tk *token.Token) Pos {
		if tk == nil || tk.Position == nil {
			return top
		}
		// YAML line 1 is the file's line after the opening ---.
		base := li.pos(yamlStart)
		line := base.Line + tk.Position.Line - 1
		start := min(li.lineStart(line), len(head))
		return li.pos(start + byteCol(head[start:], tk.Position.Column))
	}
	m, ds := parseMapping(yamlSrc, at, top, nil)
	if !body {
		return nil, m, ds
	}
	masked := bytes.Clone(src)
	for i := 0; i < end+closeLen; i++ {
		if masked[i] != '\n' {
			masked[i] = ' '
		}
	}
	return masked, m, ds
}

func decodeFrontMatter(m *Mapping, fm *FrontMatter) Diags {
	ds := Validate(m, FrontMatterFields, i18n.Msg{ID: "WhereFrontMatter"})
	str := func(k string) string { v, _ := m.Get(k); return v.Str() }
	list := func(k string) []string { v, _ := m.Get(k); s, _ := v.Strings(); return s }
	fm.ID, fm.Title, fm.Summary, fm.Level, fm.Region = str("id"), str("title"), str("summary"), str("level"), str("region")
	fm.Services, fm.Prerequisites = list("services"), list("prerequisites")
	if v, ok := m.Get("duration"); ok {
		if d, ok := v.Int(); ok {
			fm.Duration = d
			if d <= 0 {
				ds = append(ds, diag(v.Pos, "ContentFieldPositive", i18n.M{"Field": "duration"}))
			}
		}
	}
	if v, ok := m.Get("cost"); ok {
		if cm, ok := v.Mapping(); ok {
			if u, ok := cm.Get("usd_per_hour"); ok {
				fm.Cost.USDPerHour, _ = u.Float()
				if fm.Cost.USDPerHour < 0 {
					ds = append(ds, diag(u.Pos, "ContentFieldNotNegative", i18n.M{"Field": "cost.usd_per_hour"}))
				}
			}
			if r, ok := cm.Get("region"); ok {
				fm.Cost.Region = r.Str()
				if !regionPattern.MatchString(fm.Cost.Region) {
					ds = append(ds, diag(r.Pos, "ContentRegionInvalid", i18n.M{"Region": fm.Cost.Region, "Suggest": regions.Guess(fm.Cost.Region)}))
				}
			}
		}
	}
	if v, ok := m.Get("region"); ok && isScalar(v.node) && !regionPattern.MatchString(fm.Region) {
		ds = append(ds, diag(v.Pos, "ContentRegionInvalid", i18n.M{"Region": fm.Region, "Suggest": regions.Guess(fm.Region)}))
	}
	if v, ok := m.Get("id"); ok && isScalar(v.node) && !ValidID(fm.ID) {
		ds = append(ds, diag(v.Pos, "ContentIDInvalid", i18n.M{"ID": fm.ID, "Example": IDExample(fm.ID, "nat-private-egress")}))
	}
	return ds
}

// walk collects steps, blocks and links from the goldmark AST.
func (p *Page) walk(li *lineIndex) Diags {
	var ds Diags
	var cur *Step
	stepSeen := map[string]Pos{}
	checkSeen := map[string]Pos{}

	err := ast.Walk(p.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level != 2 {
				return ast.WalkContinue, nil
			}
			cur = p.newStep(n, li)
			for _, k := range sortedKeys(cur.Attrs) {
				switch k {
				case "sandbox":
				case "role":
					if !slices.Contains(StepRoles, StepRole(cur.Attrs[k])) {
						ds = append(ds, diag(cur.Pos, "ContentStepRoleUnknown", i18n.M{"Role": cur.Attrs[k], "Allowed": "required, optional, cleanup"}))
					} else {
						cur.Role = StepRole(cur.Attrs[k])
					}
				default:
					ds = append(ds, diag(cur.Pos, "ContentStepAttrUnknown", i18n.M{"Attr": k, "Suggest": Suggest(k, []string{"role", "sandbox"})}))
				}
			}
			switch {
			case cur.ID == "":
				ds = append(ds, diag(cur.Pos, "ContentStepNoID", i18n.M{"Title": cur.Title}))
			case !ValidID(cur.ID):
				ds = append(ds, diag(cur.Pos, "ContentIDInvalid", i18n.M{"ID": cur.ID, "Example": IDExample(cur.ID, "create-nat")}))
			case stepSeen[cur.ID].IsValid():
				ds = append(ds, diag(cur.Pos, "ContentStepDuplicateID", i18n.M{"ID": cur.ID, "First": stepSeen[cur.ID].Line}))
			default:
				stepSeen[cur.ID] = cur.Pos
			}
		case *ast.FencedCodeBlock:
			ds = append(ds, p.codeBlock(n, cur, li, checkSeen)...)
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			p.Links = append(p.Links, Link{Dest: string(n.Destination), Pos: li.pos(n.Pos())})
		case *ast.Image:
			p.Links = append(p.Links, Link{Dest: string(n.Destination), Image: true, Pos: li.pos(n.Pos())})
		}
		return ast.WalkContinue, nil
	})
	if err != nil { // our walker returns no errors; keep the contract anyway
		ds = append(ds, diag(Pos{File: p.Path}, "ContentYAMLSyntax", i18n.M{"Detail": err.Error()}))
	}
	return ds
}

func (p *Page) newStep(h *ast.Heading, li *lineIndex) *Step {
	s := &Step{Pos: li.pos(snap(p.Source, h.Pos(), "#")), Title: strings.TrimSpace(PlainText(h, p.Source)), Role: RoleRequired}
	for _, a := range h.Attributes() {
		val := attrString(a.Value)
		if string(a.Name) == "id" {
			s.ID = val
			continue
		}
		if s.Attrs == nil {
			s.Attrs = map[string]string{}
		}
		s.Attrs[string(a.Name)] = val
	}
	p.Steps = append(p.Steps, s)
	return s
}

// HeadingID is a heading's {#id} attribute, or "" without one.
func HeadingID(n ast.Node) string {
	if v, ok := n.AttributeString("id"); ok {
		return attrString(v)
	}
	return ""
}

func attrString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}

// PlainText is a node's text without markup (a heading's title, an
// image's alt text).
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// InfoString splits a fence's info string such as `bash {solution}` into
// its language and its attributes (bare words map to "").
func InfoString(info string) (lang string, attrs map[string]string, ok bool) {
	info = strings.TrimSpace(info)
	i := strings.IndexAny(info, " \t{")
	if i < 0 {
		return info, nil, true
	}
	lang, rest := info[:i], strings.TrimSpace(info[i:])
	if rest == "" {
		return lang, nil, true
	}
	if !strings.HasPrefix(rest, "{") || !strings.HasSuffix(rest, "}") {
		return lang, nil, false
	}
	attrs = map[string]string{}
	fields, ok := splitAttrs(rest[1 : len(rest)-1])
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		attrs[k] = strings.Trim(v, `"`)
	}
	return lang, attrs, ok
}

// splitAttrs splits on blanks outside double quotes.
func splitAttrs(s string) ([]string, bool) {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case (r == ' ' || r == '\t') && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out, !quoted
}

// runsToEnd reports whether the fenced block opened at start has no
// closing fence: nothing but blanks follows its content.
func runsToEnd(src []byte, start int, n *ast.FencedCodeBlock) bool {
	end := len(src)
	if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
		end = start + i + 1 // after the opening line
	}
	if l := n.Lines(); l.Len() > 0 {
		end = l.At(l.Len() - 1).Stop
	}
	// A closed block's closing fence follows its content.
	return len(bytes.TrimSpace(src[min(end, len(src)):])) == 0
}

func (p *Page) codeBlock(n *ast.FencedCodeBlock, step *Step, li *lineIndex, checkSeen map[string]Pos) Diags {
	fence := li.pos(snap(p.Source, n.Pos(), "`~"))
	if runsToEnd(p.Source, snap(p.Source, n.Pos(), "`~"), n) {
		// A forgotten closing fence swallows the rest of the page,
		// check blocks included, without a word from goldmark.
		return Diags{diag(fence, "ContentFenceUnclosed", nil)}
	}
	info := ""
	if n.Info != nil {
		info = string(n.Info.Segment.Value(p.Source))
	}
	lang, attrs, ok := InfoString(info)
	if !ok {
		return Diags{diag(fence, "ContentInfoStringInvalid", i18n.M{"Info": info})}
	}
	var code strings.Builder
	segs := n.Lines()
	if segs.Len() > 0 {
		code.Grow(segs.At(segs.Len()-1).Stop - segs.At(0).Start)
	}
	lines := make([]Pos, 0, segs.Len())
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		line := seg.Value(p.Source)
		// A file saved with CRLF must compare equal to its LF twin.
		if bytes.IndexByte(line, '\r') >= 0 {
			line = bytes.ReplaceAll(line, []byte("\r\n"), []byte("\n"))
		}
		code.Write(line)
		lines = append(lines, li.pos(seg.Start))
	}

	role := Role("")
	var ds Diags
	if lang != "check" && lang != "mutations" {
		// ```chek or ```Check would be shown as code and check nothing,
		// silently: the step loses its check.
		if want := Suggest(strings.ToLower(lang), []string{"check", "mutations"}); want != "" {
			ds = append(ds, diag(fence, "ContentFenceTypo", i18n.M{"Lang": lang, "Want": want}))
		} else if i := checkLine(code.String()); i >= 0 &&
			fenceOf(p.Source, fence.Line) == "```" && lang != "markdown" && lang != "md" {
			// A fence left open above a check block: the check's own
			// opening line cannot close it (it has an info string), so
			// the check is swallowed and the blocks below are shifted.
			ds = append(ds, diag(fence, "ContentFenceSwallowsCheck", i18n.M{"Line": lines[i].Line}))
		} else if (lang == "yaml" || lang == "yml") && len(attrs) == 0 && looksLikeCheck(code.String()) {
			// A check written as ```yaml is shown as code, and the step
			// it was meant for passes with nothing checked.
			ds = append(ds, diag(fence, "ContentYAMLLooksLikeCheck", i18n.M{"Lang": lang}))
		}
	}
	for _, k := range sortedKeys(attrs) {
		switch {
		case lang == "check":
			ds = append(ds, diag(fence, "ContentCheckAttr", i18n.M{"Attr": k}))
		case k == string(Solution) || k == string(Cleanup):
			if role != "" {
				ds = append(ds, diag(fence, "ContentCodeRoleTwice", nil))
			}
			role = Role(k)
		case k == "sandbox":
			// a reason the docs CI cannot run this block on the sandbox
		default:
			ds = append(ds, diag(fence, "ContentCodeAttrUnknown", i18n.M{"Attr": k, "Allowed": "solution, cleanup, sandbox", "Suggest": Suggest(k, []string{"solution", "cleanup", "sandbox"})}))
		}
	}
	if lang == "mutations" && role == "" && step != nil {
		step.Mutations = append(step.Mutations, &CodeBlock{Lang: lang, Code: code.String(), Pos: fence, Lines: lines, Attrs: attrs, Node: n})
		return ds // read by internal/mutate; never run
	}
	if lang != "check" && role == "" {
		return ds // an ordinary code block: shown, never run
	}
	if step == nil {
		p.Stray = append(p.Stray, fence)
		return append(ds, diag(fence, "ContentBlockOutsideStep", nil))
	}
	if lang != "check" {
		if lang != "bash" && lang != "sh" {
			ds = append(ds, diag(fence, "ContentCodeLang", i18n.M{"Lang": lang, "Role": string(role)}))
		}
		cb := &CodeBlock{Lang: lang, Role: role, Code: code.String(), Pos: fence, Lines: lines, Attrs: attrs, Node: n}
		if role == Solution {
			step.Solution = append(step.Solution, cb)
		} else {
			step.Cleanup = append(step.Cleanup, cb)
		}
		return ds
	}

	cb, cds := parseCheck(code.String(), n, fence, li, p.Source, p.yaml)
	cb.Step, cb.Node, cb.Lines = step, n, lines
	ds = append(ds, cds...)
	if cb.ID != "" {
		if first, dup := checkSeen[cb.ID]; dup {
			ds = append(ds, diag(cb.Body.KeyPos("id"), "ContentCheckDuplicateID", i18n.M{"ID": cb.ID, "First": first.Line}))
		} else {
			checkSeen[cb.ID] = cb.Body.KeyPos("id")
		}
	}
	step.Checks = append(step.Checks, cb)
	return ds
}

// parseCheck reads a check block's YAML, mapping YAML positions back to the
// Markdown file through goldmark's line segments, so that an error points
// at the exact character even inside an indented list item.
// plainID is the value of a line "id: value" at the start of a block's
// YAML, if it is a valid id.
func plainID(body string) string {
	for line := range strings.SplitSeq(body, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "id:"); ok {
			if v = strings.TrimSpace(v); ValidID(v) {
				return v
			}
			return ""
		}
	}
	return ""
}

func parseCheck(body string, n *ast.FencedCodeBlock, fence Pos, li *lineIndex, src []byte, shared yamlCache) (*CheckBlock, Diags) {
	cb := &CheckBlock{Raw: body, Pos: fence}
	// A copy of the lines: the positions outlive the syntax tree (the
	// mapping keeps this function), and n.Lines() points into the node,
	// which would keep the whole tree alive.
	segs := slices.Clone(n.Lines().Sliced(0, n.Lines().Len()))
	at := func(tk *token.Token) Pos {
		if tk == nil || tk.Position == nil || len(segs) == 0 {
			return fence
		}
		line := tk.Position.Line - 1
		if line >= len(segs) {
			seg := segs[len(segs)-1]
			return li.pos(seg.Stop)
		}
		if line < 0 {
			line = 0
		}
		seg := segs[line]
		// goldmark pads a line with spaces for tabs it expanded; the YAML
		// saw those spaces, the file has the tab.
		col := byteCol(seg.Value(src), tk.Position.Column) - seg.Padding
		return li.pos(seg.Start + max(col, 0))
	}
	m, ds := parseMapping([]byte(body), at, fence, shared)
	if m == nil {
		cb.Body = &Mapping{Pos: fence}
		// The block is reported; its id, when a line gives it plainly, is
		// still its id, so that a later check that needs it is not
		// reported too, for a mistake that is not there.
		cb.ID = plainID(body)
		return cb, ds
	}
	cb.Body = m
	ds = append(ds, Validate(reservedOnly(m), ReservedCheckKeys, i18n.Msg{ID: "WhereCheck"})...)
	get := func(k string) Value { v, _ := m.Get(k); return v }
	cb.ID, cb.Kind = get("id").Str(), get("kind").Str()
	if v, ok := m.Get("id"); ok && cb.ID != "" && !ValidID(cb.ID) {
		ds = append(ds, diag(v.Pos, "ContentIDInvalid", i18n.M{"ID": cb.ID, "Example": IDExample(cb.ID, "nat-available")}))
	}
	var timeoutOK, retryOK bool
	cb.Timeout, timeoutOK = get("timeout").Duration()
	cb.Retry, retryOK = get("retry").Duration()
	// Bounds a check's own waiting: minutes for AWS to settle, never
	// hours, and never a burst of calls AWS would throttle.
	if v, ok := m.Get("timeout"); ok && timeoutOK && (cb.Timeout <= 0 || cb.Timeout > MaxCheckTimeout) {
		ds = append(ds, diag(v.Pos, "ContentCheckTimeout", i18n.M{"Got": v.Str(), "Max": shortDuration(MaxCheckTimeout)}))
	}
	if v, ok := m.Get("retry"); ok && retryOK {
		switch {
		case cb.Retry < MinCheckRetry:
			ds = append(ds, diag(v.Pos, "ContentCheckRetry", i18n.M{"Got": v.Str(), "Min": shortDuration(MinCheckRetry)}))
		case cb.Timeout > 0 && cb.Retry >= cb.Timeout:
			ds = append(ds, diag(v.Pos, "ContentCheckRetryTimeout", i18n.M{"Retry": v.Str(), "Timeout": get("timeout").Str()}))
		}
	}
	cb.Needs, _ = get("needs").Strings()
	cb.Params = &Mapping{Pos: fence}
	for _, e := range m.Entries {
		if !isReserved(e.Key) {
			cb.Params.Entries = append(cb.Params.Entries, e)
		}
	}
	return cb, ds
}

func isReserved(key string) bool {
	for _, f := range ReservedCheckKeys {
		if f.Name == key {
			return true
		}
	}
	return false
}

// reservedOnly keeps the reserved keys, so that the shared schema does not
// report the kind's own parameters as unknown.
func reservedOnly(m *Mapping) *Mapping {
	out := &Mapping{Pos: m.Pos}
	for _, e := range m.Entries {
		if isReserved(e.Key) {
			out.Entries = append(out.Entries, e)
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// snap moves a block's offset to the first of chars on its line. goldmark
// adds a tab's visual width to byte offsets after "> " and in lists, so its
// offset can land past the # or ` that starts the block.
func snap(src []byte, offset int, chars string) int {
	if offset < 0 || offset > len(src) {
		return max(0, min(offset, len(src)))
	}
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	end := bytes.IndexByte(src[start:], '\n')
	if end < 0 {
		end = len(src) - start
	}
	if i := bytes.IndexAny(src[start:start+end], chars); i >= 0 {
		return start + i
	}
	return offset
}

// looksLikeCheck reports whether YAML has a check block's two keys, id
// and kind, at its top level.
func looksLikeCheck(yaml string) bool {
	var id, kind bool
	for _, line := range strings.Split(yaml, "\n") {
		id = id || strings.HasPrefix(line, "id:")
		kind = kind || strings.HasPrefix(line, "kind:")
	}
	return id && kind
}

// fenceOf is the fence that opens the block on line (``` or ````, ~~~):
// a longer one, or a markdown block, holds a ```check line on purpose, as
// an example.
func fenceOf(src []byte, line int) string {
	for n := 1; n < line; n++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	src = bytes.TrimLeft(src, " ")
	k := 0
	for k < len(src) && (src[k] == '`' || src[k] == '~') {
		k++
	}
	return string(src[:k])
}

// checkLine is the index of code's first line that opens a check block,
// or -1 (without splitting every code block of every page into lines).
func checkLine(code string) int {
	if strings.HasPrefix(code, "```check") {
		return 0
	}
	i := strings.Index(code, "\n```check")
	if i < 0 {
		return -1
	}
	return strings.Count(code[:i+1], "\n")
}
