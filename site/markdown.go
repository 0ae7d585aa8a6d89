package site

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/site/highlight"
)

// funcTable collects the render functions a NodeRenderer registers, so that
// the page renderer can call them around its own markup.
type funcTable map[ast.NodeKind]renderer.NodeRendererFunc

func (t funcTable) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { t[k] = f }

var (
	baseOnce  sync.Once
	baseFuncs funcTable
)

// base is goldmark's HTML renderer with the GFM extensions' renderers
// (fenced code is the site's own, see body.fencedCode). Raw HTML stays off (goldmark's default: it is replaced
// by a comment). The functions hold no per-document state, so one table
// serves every page concurrently. Soft line breaks between Japanese
// characters are handled by body.text.
func base() funcTable {
	baseOnce.Do(func() {
		t := funcTable{}
		gmhtml.NewRenderer().RegisterFuncs(t)
		extension.NewTableHTMLRenderer().RegisterFuncs(t)
		extension.NewStrikethroughHTMLRenderer().RegisterFuncs(t)
		extension.NewTaskCheckBoxHTMLRenderer().RegisterFuncs(t)
		baseFuncs = t
	})
	return baseFuncs
}

// body renders one page's Markdown from an AST of its own: goldmark
// writes into nodes while rendering (a table cell's alignment becomes a
// style attribute), and a server may render one page for several requests
// at once. So a render parses the page again (content.Markdown), except a
// build's first render of a page, from the tree lint has just read and
// nothing else will (pageCtx.tree).
type body struct {
	p       *pageCtx
	inStep  bool
	checks  map[int]*content.CheckBlock // by the fence's info-string offset
	roles   map[int]content.Role
	mermaid bool
	// Console / CLI tabs (see tabs below): a group is open, and how many
	// groups and diagrams the page has had (for unique ids).
	tabsOpen bool
	tabSeq   int
	diagSeq  int
	section  string // the title of the ## section being written
	// tmp, through tmpw, holds a text node rendered on its own (text).
	tmp  bytes.Buffer
	tmpw *bufio.Writer
}

// renderBody writes the page's body to out and reports whether it has a
// diagram.
func renderBody(out *bytes.Buffer, p *pageCtx) (bool, error) {
	b := &body{p: p, checks: map[int]*content.CheckBlock{}, roles: map[int]content.Role{}}
	for _, s := range p.page.Steps {
		for _, c := range s.Checks {
			if start, ok := c.InfoStart(); ok {
				b.checks[start] = c
			}
		}
		for _, cb := range append(append([]*content.CodeBlock{}, s.Solution...), s.Cleanup...) {
			if start, ok := cb.InfoStart(); ok {
				b.roles[start] = cb.Role
			}
		}
	}
	doc := p.page.Doc
	if !p.tree || doc == nil {
		doc = content.Markdown.Parser().Parse(text.NewReader(p.page.Source))
	}
	r := renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(b, 0)))
	if err := r.Render(out, p.page.Source, doc); err != nil {
		return false, err
	}
	p.site.keepSections(p.lab, p.page, p.lang, doc)
	return b.mermaid, nil
}

func (p *pageCtx) highlighted(key string) (string, bool) {
	if p.code != nil {
		html, ok := p.code[key]
		return html, ok
	}
	html, ok := p.site.highlighted.Load(key)
	if !ok {
		return "", false
	}
	return html.(string), true
}

func (p *pageCtx) keepHighlighted(key, html string) {
	if p.code != nil {
		p.code[key] = html
		return
	}
	p.site.highlighted.Store(key, html)
}

// RegisterFuncs registers goldmark's renderers and, over them, the site's.
func (b *body) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	for k, f := range base() {
		reg.Register(k, f)
	}
	reg.Register(ast.KindDocument, b.document)
	reg.Register(ast.KindText, b.text)
	reg.Register(ast.KindHeading, b.heading)
	reg.Register(ast.KindFencedCodeBlock, b.fencedCode)
	reg.Register(ast.KindCodeBlock, b.indentedCode)
	reg.Register(ast.KindLink, b.link)
	reg.Register(ast.KindImage, b.image)
	reg.Register(extast.KindTable, b.table)
	reg.Register(ast.KindHTMLBlock, b.htmlBlock)
	reg.Register(ast.KindCodeSpan, b.codeSpan)
}

func (b *body) document(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		b.closeTabs(w)
	}
	if !entering && b.inStep {
		_, _ = w.WriteString("</section>\n")
	}
	return ast.WalkContinue, nil
}

// text drops a soft line break between two East Asian wide characters, as
// goldmark's CJK extension does, so that a Japanese sentence wrapped in the
// source does not get a space in the middle. Unlike goldmark's own option
// (which also drops the break before emphasis, a link or code, gluing
// English words together) it looks into the next inline node for the
// character that follows.
func (b *body) text(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Text)
	render := base()[ast.KindText]
	if entering && b.p.lang == i18n.JA && !n.IsRaw() {
		if v, ok := b.trimAroundEmphasis(n, src); ok {
			_, _ = w.Write(util.EscapeHTML([]byte(v)))
			if n.HardLineBreak() {
				_, _ = w.WriteString("<br>\n")
			} else if n.SoftLineBreak() {
				next, ok := firstRune(n.NextSibling(), src)
				last, _ := utf8.DecodeLastRuneInString(v)
				if v == "" || !ok || !util.IsEastAsianWideRune(last) || !util.IsEastAsianWideRune(next) {
					_ = w.WriteByte('\n')
				}
			}
			return ast.WalkContinue, nil
		}
	}
	if !entering || !n.SoftLineBreak() || n.HardLineBreak() || n.IsRaw() {
		return render(w, src, node, entering)
	}
	value := n.Value(src)
	next, ok := firstRune(n.NextSibling(), src)
	if len(value) == 0 || !ok || !util.IsEastAsianWideRune(util.ToRune(value, len(value)-1)) || !util.IsEastAsianWideRune(next) {
		return render(w, src, node, entering)
	}
	if b.tmpw == nil {
		b.tmpw = bufio.NewWriter(&b.tmp)
	}
	b.tmp.Reset()
	s, err := render(b.tmpw, src, node, entering)
	_ = b.tmpw.Flush()
	_, _ = w.Write(bytes.TrimSuffix(b.tmp.Bytes(), []byte("\n")))
	return s, err
}

// trimAroundEmphasis drops the space an author put between Japanese text
// and emphasis (インターネット *から* も): CommonMark needs none there, and
// in Japanese it shows as a gap. ok is false when nothing changes.
func (b *body) trimAroundEmphasis(n *ast.Text, src []byte) (string, bool) {
	_, nextEm := n.NextSibling().(*ast.Emphasis)
	_, prevEm := n.PreviousSibling().(*ast.Emphasis)
	if !nextEm && !prevEm {
		return "", false // most text: nothing to trim, and no copy made
	}
	v := string(n.Value(src))
	orig := v
	if e, isEm := n.NextSibling().(*ast.Emphasis); isEm && strings.HasSuffix(v, " ") && !n.SoftLineBreak() {
		before, _ := utf8.DecodeLastRuneInString(strings.TrimRight(v, " "))
		if first, ok := firstRune(e, src); ok && isCJK(before) && isCJK(first) {
			v = strings.TrimRight(v, " ")
		}
	}
	if e, isEm := n.PreviousSibling().(*ast.Emphasis); isEm && strings.HasPrefix(v, " ") {
		after, _ := utf8.DecodeRuneInString(strings.TrimLeft(v, " "))
		if last, ok := lastRune(e, src); ok && isCJK(after) && isCJK(last) {
			v = strings.TrimLeft(v, " ")
		}
	}
	return v, v != orig
}

// lastRune is the last character of text in n.
func lastRune(n ast.Node, src []byte) (rune, bool) {
	var r rune
	found := false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering && len(t.Value(src)) > 0 {
			r, _ = utf8.DecodeLastRune(t.Value(src))
			found = true
		}
		return ast.WalkContinue, nil
	})
	return r, found
}

// firstRune is the first character of text in n or its descendants.
func firstRune(n ast.Node, src []byte) (rune, bool) {
	var r rune
	found := false
	for ; n != nil && !found; n = n.NextSibling() {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering || found {
				return ast.WalkStop, nil
			}
			var v []byte
			switch t := c.(type) {
			case *ast.Text:
				v = t.Value(src)
			case *ast.String:
				v = t.Value
			}
			if len(v) > 0 {
				r, _ = utf8.DecodeRune(v)
				found = true
				return ast.WalkStop, nil
			}
			return ast.WalkContinue, nil
		})
	}
	return r, found
}

// heading opens a <section> per step (every ## heading), numbers steps and
// gives headings with an id a link to themselves.
func (b *body) heading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	id := content.HeadingID(n)
	tag := "h" + strconv.Itoa(n.Level)
	if entering {
		if n.Level == 2 {
			b.closeTabs(w)
			b.section = strings.TrimSpace(content.PlainText(n, src))
			if b.inStep {
				_, _ = w.WriteString("</section>\n")
			}
			b.inStep = true
			fmt.Fprintf(w, `<section class="step" data-step="%s">`+"\n", esc(id))
		}
		_, _ = w.WriteString("<" + tag)
		if id != "" {
			fmt.Fprintf(w, ` id="%s"`, esc(id))
		}
		_, _ = w.WriteString(">")
		// Only a section with checks is a numbered step (content.Page.Number).
		if st := b.p.page.StepByID(id); n.Level == 2 && st != nil && b.p.page.Number(st) > 0 {
			label := b.p.loc.T("SiteStepNumber", i18n.M{"N": b.p.page.Number(st)})
			if st.Role == content.RoleOptional {
				label += " · " + b.p.loc.T("JourneyOptional")
			}
			fmt.Fprintf(w, `<span class="step-num" data-role="%s">%s</span> `, esc(string(st.Role)), esc(label))
		}
		_, _ = w.WriteString(`<span class="heading-text">`)
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("</span>")
	if id != "" {
		fmt.Fprintf(w, `<a class="anchor" href="#%s" aria-label="%s">#</a>`, esc(id), esc(b.p.loc.T("SiteAnchorLabel")))
	}
	_, _ = w.WriteString("</" + tag + ">\n")
	return ast.WalkContinue, nil
}

func codeText(n ast.Node, src []byte) string {
	var sb strings.Builder
	lines := n.Lines()
	if lines.Len() > 0 {
		sb.Grow(lines.At(lines.Len()-1).Stop - lines.At(0).Start)
	}
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		sb.Write(seg.Value(src))
	}
	return sb.String()
}

func (b *body) fencedCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	info := ""
	start := -1
	if n.Info != nil {
		info = string(n.Info.Segment.Value(src))
		start = n.Info.Segment.Start
	}
	lang, _, _ := content.InfoString(info)
	if c, ok := b.checks[start]; ok {
		return ast.WalkSkipChildren, b.checkBlock(w, n, c)
	}
	if lang == "mutations" {
		// Declarations for vpclab test --mutate (equivalent mutants and
		// why): for authors, not learners, so not on the page.
		return ast.WalkSkipChildren, nil
	}
	if lang == "mermaid" {
		b.mermaid = true
		b.diagram(w, codeText(n, src))
		return ast.WalkSkipChildren, nil
	}
	label, class := lang, "code"
	switch b.roles[start] {
	case content.Solution:
		label, class = b.p.loc.T("SiteSolutionLabel"), "code code-solution"
	case content.Cleanup:
		label, class = b.p.loc.T("SiteCleanupLabel"), "code code-cleanup"
	}
	b.p.codeHead(w, class, label)
	// Highlighting is most of a page's rendering time; the same block
	// appears in both languages and in every render a server does.
	code := codeText(n, src)
	key := "f" + info + "\x00" + code
	if html, ok := b.p.highlighted(key); ok {
		_, _ = w.WriteString(html)
	} else {
		var buf strings.Builder
		if err := highlight.Write(&buf, lang, code); err != nil {
			return ast.WalkStop, err
		}
		b.p.keepHighlighted(key, buf.String())
		_, _ = w.WriteString(buf.String())
	}
	_, _ = w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

// checkBlock writes a verification card. Check blocks that follow one
// another share a frame: one heading, one command, one button.
func (b *body) checkBlock(w util.BufWriter, n *ast.FencedCodeBlock, c *content.CheckBlock) error {
	if b.checkAt(n.PreviousSibling()) == nil {
		count := 1
		for s := n.NextSibling(); b.checkAt(s) != nil; s = s.NextSibling() {
			count++
		}
		if err := b.p.groupOpen(w, c, count); err != nil {
			return err
		}
	}
	if err := b.p.card(w, c); err != nil {
		return err
	}
	if b.checkAt(n.NextSibling()) == nil {
		return b.p.groupClose(w, c)
	}
	return nil
}

// checkAt returns the check block that n is, if it is one.
func (b *body) checkAt(n ast.Node) *content.CheckBlock {
	f, ok := n.(*ast.FencedCodeBlock)
	if !ok || f.Info == nil {
		return nil
	}
	return b.checks[f.Info.Segment.Start]
}

func (b *body) indentedCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b.p.codeHead(w, "code", "")
	fmt.Fprintf(w, `<pre class="chroma"><code>%s</code></pre></div>`+"\n", esc(codeText(node, src)))
	return ast.WalkSkipChildren, nil
}

// codeHead opens a code block's frame: a label and a copy button. The
// caller writes the <pre> and closes the frame's </div>.
func (p *pageCtx) codeHead(w util.BufWriter, class, label string) {
	fmt.Fprintf(w, `<div class="%s"><div class="code-head"><span class="code-label">%s</span>`, class, esc(label))
	fmt.Fprintf(w, `<button type="button" class="copy" aria-label="%s">%s</button></div>`, esc(p.loc.T("SiteCopyLabel")), esc(p.loc.T("SiteCopy")))
}

// table wraps a table in a box that scrolls sideways on its own (the
// page never does), with a hint that site.js shows only while the table
// is wider than its box; the box is focusable so a keyboard can scroll it.
func (b *body) table(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		cols := 0
		if h := node.FirstChild(); h != nil {
			cols = h.ChildCount()
		}
		fmt.Fprintf(w, `<p class="table-hint" hidden>%s</p><div class="table-wrap" tabindex="0" data-cols="%d">`, esc(b.p.loc.T("PageTableScroll")), cols)
	}
	s, err := base()[extast.KindTable](w, src, node, entering)
	if !entering {
		_, _ = w.WriteString("</div>\n")
	}
	return s, err
}

func (b *body) link(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	dest, external := b.p.rewrite(string(n.Destination))
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(safeURL(dest))
	_ = w.WriteByte('"')
	if n.Title != nil {
		fmt.Fprintf(w, ` title="%s"`, esc(string(n.Title)))
	}
	if external {
		_, _ = w.WriteString(` class="external" rel="noopener noreferrer"`)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func (b *body) image(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	dest, _ := b.p.rewrite(string(n.Destination))
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(safeURL(dest))
	fmt.Fprintf(w, `" alt="%s" loading="lazy"`, esc(content.PlainText(n, src)))
	if n.Title != nil {
		fmt.Fprintf(w, ` title="%s"`, esc(string(n.Title)))
	}
	_ = w.WriteByte('>')
	return ast.WalkSkipChildren, nil
}

func safeURL(dest string) []byte {
	d := util.URLEscape([]byte(dest), true)
	if gmhtml.IsDangerousURL(d) {
		return nil
	}
	return util.EscapeHTML(d)
}

// rewrite turns a link in a lab page into a link that works in the site:
// a link to a lab page (../other/index.en.md, index.ja.md#step) becomes
// that lab's page in this page's language. Other links are kept: absolute
// URLs (reported as external), anchors, and files of the lab's folder,
// which the site copies next to the page.
func (p *pageCtx) rewrite(dest string) (string, bool) {
	u, err := url.Parse(dest)
	if err != nil {
		return dest, false
	}
	if u.Scheme != "" || u.Host != "" {
		return dest, u.Scheme == "http" || u.Scheme == "https"
	}
	if u.Path == "" || strings.HasPrefix(u.Path, "/") {
		return dest, false
	}
	// Resolve against the lab's folder, as lint does.
	target := path.Clean(path.Join(p.lab.Dir, u.Path))
	dir, file := path.Split(target)
	dir = strings.TrimSuffix(dir, "/")
	isPage := false
	for _, l := range i18n.Langs {
		if file == content.PageFile(l) {
			isPage = true
		}
	}
	if !isPage {
		return dest, false
	}
	id := path.Base(dir)
	if dir == p.lab.Dir || (dir != "" && p.site.lab(id) != nil && path.Dir(dir) == path.Dir(p.lab.Dir)) {
		out := "index.html"
		if dir != p.lab.Dir {
			out = "../" + id + "/index.html"
		}
		if u.Fragment != "" {
			out += "#" + u.Fragment
		}
		return out, false
	}
	return dest, false
}

func esc(s string) string { return html.EscapeString(s) }

// diagram writes a Mermaid block as a figure with an accessible name (the
// section's title) and the diagram as text (describeMermaid), which is its
// description; site.js draws it, fits it to the column and opens it full
// size on click.
func (b *body) diagram(w util.BufWriter, src string) {
	b.mermaid = true
	b.diagSeq++
	id := fmt.Sprintf("diagram-%d", b.diagSeq)
	name := b.p.loc.T("SiteDiagramLabel")
	if b.section != "" {
		name += ": " + b.section
	} else {
		name += ": " + b.p.page.Meta.Title
	}
	fmt.Fprintf(w, `<figure class="diagram" id="%s" role="group" aria-label="%s" aria-describedby="%s-text">`, id, esc(name), id)
	fmt.Fprintf(w, `<button type="button" class="diagram-open" data-action="diagram-open" hidden>%s</button>`, esc(b.p.loc.T("PageDiagramOpen")))
	fmt.Fprintf(w, `<pre class="mermaid">%s</pre>`, esc(src))
	fmt.Fprintf(w, `<noscript><p class="note">%s</p></noscript>`, esc(b.p.loc.T("SiteDiagramNoScript")))
	d := describeMermaid(src)
	fmt.Fprintf(w, `<details class="diagram-text" id="%s-text"><summary>%s</summary>`, id, esc(b.p.loc.T("PageDiagramText")))
	for _, list := range [][]string{d.Groups, d.Edges} {
		if len(list) == 0 {
			continue
		}
		_, _ = w.WriteString("<ul>")
		for _, item := range list {
			fmt.Fprintf(w, "<li>%s</li>", esc(item))
		}
		_, _ = w.WriteString("</ul>")
	}
	_, _ = w.WriteString("</details></figure>\n")
}

// tabMarker is a Console / CLI tab marker, an HTML comment alone in its
// block: <!-- tab: console -->, <!-- tab: cli -->, <!-- /tabs -->. lint
// (internal/lint/tabs.go) reads them with the same expression.
var tabMarker = regexp.MustCompile(`^<!--\s*(?:tab:\s*([A-Za-z0-9_-]+)|/tabs)\s*-->\s*$`)

func htmlBlockText(n *ast.HTMLBlock, src []byte) string {
	var sb strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		sb.Write(seg.Value(src))
	}
	if n.HasClosure() {
		sb.Write(n.ClosureLine.Value(src))
	}
	return strings.TrimSpace(sb.String())
}

// tabOf returns the tab an HTML block opens ("" for /tabs), if it is a
// marker.
func tabOf(n ast.Node, src []byte) (string, bool) {
	h, ok := n.(*ast.HTMLBlock)
	if !ok {
		return "", false
	}
	// An HTML block's first line starts with its tag: most are not a
	// comment, and need not be put together for the expression.
	if lines := h.Lines(); lines.Len() > 0 {
		if first := lines.At(0); !bytes.HasPrefix(bytes.TrimSpace(first.Value(src)), []byte("<!--")) {
			return "", false
		}
	}
	m := tabMarker.FindStringSubmatch(htmlBlockText(h, src))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// htmlBlock renders tab markers; other raw HTML stays dropped.
func (b *body) htmlBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	name, ok := tabOf(node, src)
	if !ok {
		return base()[ast.KindHTMLBlock](w, src, node, entering)
	}
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	if name == "" {
		b.closeTabs(w)
		return ast.WalkSkipChildren, nil
	}
	if b.tabsOpen {
		_, _ = w.WriteString("</div>\n")
	} else {
		// A new group: the tab bar lists the group's tabs, read ahead up
		// to its end. Without scripts the bar stays hidden and every
		// panel shows, one after the other.
		b.tabSeq++
		b.tabsOpen = true
		var names []string
		for s := node; s != nil; s = s.NextSibling() {
			if h, ok := s.(*ast.Heading); ok && h.Level == 2 {
				break
			}
			if n, ok := tabOf(s, src); ok {
				if n == "" {
					break
				}
				names = append(names, n)
			}
		}
		fmt.Fprintf(w, `<div class="tabs" data-tabs="%s"><div class="tab-bar" role="tablist" aria-label="%s" hidden>`, esc(strings.Join(names, " ")), esc(b.p.loc.T("PageTabsLabel")))
		for _, n := range names {
			fmt.Fprintf(w, `<button type="button" role="tab" class="tab" id="tabs-%d-%s" aria-controls="tabs-%d-%s-panel" data-tab="%s" aria-selected="false" tabindex="-1">%s</button>`,
				b.tabSeq, esc(n), b.tabSeq, esc(n), esc(n), esc(b.tabLabel(n)))
		}
		_, _ = w.WriteString("</div>\n")
	}
	fmt.Fprintf(w, `<div class="tab-panel" role="tabpanel" id="tabs-%d-%s-panel" aria-labelledby="tabs-%d-%s" data-tab="%s">`+"\n", b.tabSeq, esc(name), b.tabSeq, esc(name), esc(name))
	return ast.WalkSkipChildren, nil
}

func (b *body) tabLabel(name string) string {
	switch name {
	case "console":
		return b.p.loc.T("PageTabConsole")
	case "cli":
		return b.p.loc.T("PageTabCLI")
	}
	return name
}

func (b *body) closeTabs(w util.BufWriter) {
	if b.tabsOpen {
		_, _ = w.WriteString("</div></div>\n")
		b.tabsOpen = false
	}
}

// codeSpan links a lab's id written as code (`nat-private-egress`) to that
// lab's page in this language, titled with the lab's title.
func (b *body) codeSpan(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	// Most code spans are one text node and name no lab: looked up from
	// its bytes, they cost no string.
	var l *content.Lab
	var id string
	if t, ok := node.FirstChild().(*ast.Text); ok && t.NextSibling() == nil {
		if l = b.p.site.byID[string(t.Value(src))]; l != nil {
			id = l.ID
		}
	} else {
		var sb strings.Builder
		for c := node.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				sb.Write(t.Value(src))
			}
		}
		id = sb.String()
		l = b.p.site.lab(id)
	}
	if l == nil || id == b.p.lab.ID || l.Page(b.p.lang) == nil || insideLink(node) {
		return base()[ast.KindCodeSpan](w, src, node, entering)
	}
	if entering {
		fmt.Fprintf(w, `<a class="lab-link" href="../%s/index.html" title="%s">`, esc(id), esc(l.Page(b.p.lang).Meta.Title))
		s, err := base()[ast.KindCodeSpan](w, src, node, entering)
		return s, err
	}
	s, err := base()[ast.KindCodeSpan](w, src, node, entering)
	_, _ = w.WriteString("</a>")
	return s, err
}

// insideLink reports whether n is already part of a link (no link may
// hold another).
func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Link); ok {
			return true
		}
	}
	return false
}
