package lint

import (
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// glossaryRules flags, in Japanese prose, the variants of console terms
// that the glossary says to avoid: a learner searching the console for
// 「NATゲートウェイ」 finds nothing, 「NAT ゲートウェイ」 is what it shows.
// Code (spans and blocks) is not prose and is left alone.
func glossaryRules(p *content.Page, terms []content.Term) content.Diags {
	if p.Lang != i18n.JA || p.Doc == nil {
		return nil
	}
	var ds content.Diags
	_ = ast.Walk(p.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.CodeSpan, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		t, ok := n.(*ast.Text)
		if !ok {
			return ast.WalkContinue, nil
		}
		text := string(t.Segment.Value(p.Source))
		for _, term := range terms {
			for _, bad := range term.Avoid {
				for off := 0; ; {
					i := strings.Index(text[off:], bad)
					if i < 0 {
						break
					}
					at := off + i
					off = at + len(bad)
					// クラスタ inside クラスター is the right word, not the wrong one.
					if r, _ := utf8.DecodeRuneInString(text[off:]); r == 'ー' {
						continue
					}
					ds = append(ds, content.Diag{Pos: p.PosOf(t.Segment.Start + at), ID: "LintGlossary",
						Args: i18n.M{"Got": bad, "Want": term.JA}})
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return ds
}
