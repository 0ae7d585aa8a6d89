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
	// The avoided words by their first character, so that each text is
	// read once whatever the glossary's size.
	type avoid struct{ word, want string }
	byFirst := map[rune][]avoid{}
	// firsts marks the first characters below U+10000, so that most of a
	// text's characters are passed over without a map lookup.
	var firsts [(1 << 16) / 64]uint64
	for _, term := range terms {
		for _, bad := range term.Avoid {
			if r, n := utf8.DecodeRuneInString(bad); n > 0 {
				byFirst[r] = append(byFirst[r], avoid{bad, term.JA})
				if r < 1<<16 {
					firsts[r/64] |= 1 << (r % 64)
				}
			}
		}
	}
	if len(byFirst) == 0 {
		return nil
	}
	var ds content.Diags
	next := map[string]int{} // where a word may be found again: occurrences do not overlap
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
		clear(next)
		for at, r := range text {
			if r < 1<<16 && firsts[r/64]&(1<<(r%64)) == 0 {
				continue
			}
			for _, a := range byFirst[r] {
				if at < next[a.word] || !strings.HasPrefix(text[at:], a.word) {
					continue
				}
				end := at + len(a.word)
				next[a.word] = end
				// クラスタ inside クラスター is the right word, not the wrong one.
				if r, _ := utf8.DecodeRuneInString(text[end:]); r == 'ー' {
					continue
				}
				ds = append(ds, content.Diag{Pos: p.PosOf(t.Segment.Start + at), ID: "LintGlossary",
					Args: i18n.M{"Got": a.word, "Want": a.want}})
			}
		}
		return ast.WalkContinue, nil
	})
	return ds
}
