package lint

import (
	"bytes"

	"github.com/yuin/goldmark/ast"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// htmlRules: the site renders Markdown only (raw HTML is dropped, so that
// a page cannot carry script), so <kbd> or <details> in a page would
// vanish without a word. Comments stay: they are authors' notes and tab
// markers.
func htmlRules(p *content.Page) content.Diags {
	if p.Doc == nil {
		return nil
	}
	var ds content.Diags
	_ = ast.Walk(p.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var start int
		var text []byte
		switch t := n.(type) {
		case *ast.HTMLBlock:
			if t.HTMLBlockType == ast.HTMLBlockType2 {
				// A comment; one holding a check block hides that check
				// (a step commented out while drafting, left so).
				for i := 0; i < t.Lines().Len(); i++ {
					seg := t.Lines().At(i)
					if line := bytes.TrimSpace(seg.Value(p.Source)); bytes.HasPrefix(line, []byte("```check")) {
						ds = append(ds, diag(p.PosOf(seg.Start), "LintCheckInComment", nil))
					}
				}
				return ast.WalkSkipChildren, nil
			}
			if t.Lines().Len() == 0 {
				return ast.WalkSkipChildren, nil
			}
			seg := t.Lines().At(0)
			start, text = seg.Start, seg.Value(p.Source)
		case *ast.RawHTML:
			if t.Segments.Len() == 0 {
				return ast.WalkContinue, nil
			}
			seg := t.Segments.At(0)
			start, text = seg.Start, seg.Value(p.Source)
		default:
			return ast.WalkContinue, nil
		}
		if bytes.HasPrefix(bytes.TrimSpace(text), []byte("<!--")) {
			return ast.WalkSkipChildren, nil
		}
		ds = append(ds, diag(p.PosOf(start), "LintRawHTML", i18n.M{"HTML": string(bytes.TrimSpace(text))}))
		return ast.WalkSkipChildren, nil
	})
	return ds
}
