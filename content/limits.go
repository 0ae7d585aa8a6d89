package content

import (
	"fmt"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"

	"github.com/vpclab/vpclab/i18n"
)

// Limits on what a lab file may hold, checked before goldmark or the YAML
// library sees the text. The YAML parser's memory grows with the square of
// the nesting depth (200 KB of "[[[…" once took more than 21 GB), and
// aliases can expand a few lines into billions of values. Real labs stay
// far inside these limits; TestLimitsLeaveRealLabsAlone keeps it so.
const (
	// MaxPageBytes is the largest Markdown file of a lab.
	MaxPageBytes = 2 << 20
	// MaxYAMLBytes is the largest front matter or check block.
	MaxYAMLBytes = 16 << 10
	// MaxYAMLDepth is the deepest nesting of mappings and lists, block and
	// flow style together, counting the top-level mapping as 1.
	MaxYAMLDepth = 32
)

// pageTooLarge refuses a file over MaxPageBytes, at its first line.
func pageTooLarge(path string, src []byte) Diags {
	if len(src) <= MaxPageBytes {
		return nil
	}
	return Diags{diag(Pos{File: path, Line: 1, Col: 1}, "ContentPageTooLarge", i18n.M{"Size": size(len(src)), "Limit": size(MaxPageBytes)})}
}

// yamlLimits checks one YAML text (front matter or a check block) against
// the limits. It only runs the lexer, which is linear, on text no larger
// than MaxYAMLBytes. The diagnostic is at the YAML's first line (size) or
// at the token that breaks the limit. Within the limits it returns the
// tokens, for the parser: lexing was a third of reading a check block.
func yamlLimits(src []byte, at posFunc) (token.Tokens, *Diag) {
	if len(src) > MaxYAMLBytes {
		d := diag(at(tokenAt(1, 1)), "ContentYAMLTooLarge", i18n.M{"Size": size(len(src)), "Limit": size(MaxYAMLBytes)})
		return nil, &d
	}
	toks := lexer.Tokenize(string(src))
	flow := 0
	var cols []int // columns of the open block collections, outermost first
	tooDeep := func(tk *token.Token) *Diag {
		if len(cols)+flow <= MaxYAMLDepth {
			return nil
		}
		d := diag(at(tk), "ContentYAMLTooDeep", i18n.M{"Limit": MaxYAMLDepth})
		return &d
	}
	// block opens a block collection at tk's column, closing those that
	// start at or right of it (indentation closes them).
	block := func(tk *token.Token) *Diag {
		if tk.Position == nil || flow > 0 {
			return nil
		}
		col := tk.Position.Column
		for len(cols) > 0 && cols[len(cols)-1] >= col {
			cols = cols[:len(cols)-1]
		}
		cols = append(cols, col)
		return tooDeep(tk)
	}
	for i, tk := range toks {
		var d *Diag
		switch tk.Type {
		case token.AnchorType, token.AliasType:
			dd := diag(at(tk), "ContentYAMLAlias", nil)
			return nil, &dd
		case token.SequenceStartType, token.MappingStartType:
			flow++
			d = tooDeep(tk)
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		case token.SequenceEntryType:
			d = block(tk)
		case token.MappingValueType:
			if i > 0 {
				d = block(toks[i-1]) // the key
			}
		}
		if d != nil {
			return nil, d
		}
	}
	return toks, nil
}

// tokenAt is a stand-in token for a YAML line and column, for posFunc.
func tokenAt(line, col int) *token.Token {
	return &token.Token{Position: &token.Position{Line: line, Column: col}}
}

// size writes a byte count the way people read it.
func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
