package site

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// chromaOptions makes chroma emit CSS classes (styled by assets/chroma.css,
// light and dark) instead of inline styles.
var chromaOptions = []chromahtml.Option{chromahtml.WithClasses(true), chromahtml.WithLineNumbers(false)}

// funcTable collects the render functions a NodeRenderer registers, so that
// the page renderer can call them around its own markup.
type funcTable map[ast.NodeKind]renderer.NodeRendererFunc

func (t funcTable) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { t[k] = f }

var (
	baseOnce  sync.Once
	baseFuncs funcTable
)

// base is goldmark's HTML renderer with the GFM extensions' renderers and
// highlighted code. Raw HTML stays off (goldmark's default: it is replaced
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
		highlighting.NewHTMLRenderer(
			highlighting.WithFormatOptions(chromaOptions...),
			highlighting.WithGuessLanguage(false),
		).(renderer.NodeRenderer).RegisterFuncs(t)
		baseFuncs = t
	})
	return baseFuncs
}

// body renders one page's Markdown. It re-parses the page's source with
// the labs' own parser (content.Markdown) so that every render has an AST
// of its own: goldmark caches values in nodes while rendering, and a server
// may render one page for several requests at once.
type body struct {
	p       *pageCtx
	inStep  bool
	checks  map[int]*content.CheckBlock // by the fence's info-string offset
	roles   map[int]content.Role
	mermaid bool
}

func renderBody(p *pageCtx) (string, bool, error) {
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
	doc := content.Markdown.Parser().Parse(text.NewReader(p.page.Source))
	r := renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(b, 0)))
	var buf bytes.Buffer
	if err := r.Render(&buf, p.page.Source, doc); err != nil {
		return "", false, err
	}
	return buf.String(), b.mermaid, nil
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
}

func (b *body) document(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
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
	if !entering || !n.SoftLineBreak() || n.HardLineBreak() || n.IsRaw() {
		return render(w, src, node, entering)
	}
	value := n.Value(src)
	next, ok := firstRune(n.NextSibling(), src)
	if len(value) == 0 || !ok || !util.IsEastAsianWideRune(util.ToRune(value, len(value)-1)) || !util.IsEastAsianWideRune(next) {
		return render(w, src, node, entering)
	}
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	s, err := render(bw, src, node, entering)
	_ = bw.Flush()
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return s, err
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

func headingID(n ast.Node) string {
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

// heading opens a <section> per step (every ## heading), numbers steps and
// gives headings with an id a link to themselves.
func (b *body) heading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	id := headingID(n)
	tag := "h" + strconv.Itoa(n.Level)
	if entering {
		if n.Level == 2 {
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
		label := esc(b.p.loc.T("SiteDiagramLabel"))
		fmt.Fprintf(w, `<figure class="diagram" role="group" aria-label="%s"><pre class="mermaid">%s</pre>`, label, esc(codeText(n, src)))
		fmt.Fprintf(w, `<noscript><p class="note">%s</p></noscript></figure>`+"\n", esc(b.p.loc.T("SiteDiagramNoScript")))
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
	key := info + "\x00" + codeText(n, src)
	if html, ok := b.p.site.highlighted.Load(key); ok {
		_, _ = w.WriteString(html.(string))
	} else {
		var buf bytes.Buffer
		bw := bufio.NewWriter(&buf)
		if _, err := base()[ast.KindFencedCodeBlock](bw, src, node, true); err != nil {
			return ast.WalkStop, err
		}
		_ = bw.Flush()
		b.p.site.highlighted.Store(key, buf.String())
		_, _ = w.Write(buf.Bytes())
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

func (b *body) table(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<div class="table-wrap">`)
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
