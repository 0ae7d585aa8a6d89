package content

import (
	"bytes"
	"fmt"
	"strings"
	"time"

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
	// MaxLabFileBytes bounds a file in a lab's folder (a diagram, a
	// screenshot): the site copies each one whole into every build.
	MaxLabFileBytes = 32 << 20
	// MaxMarkdownDepth is the most block quotes and list items one line of
	// prose may open: goldmark's time grows with the square of the depth
	// (400,000 ">" took two minutes).
	MaxMarkdownDepth = 32
	// MaxCheckTimeout and MinCheckRetry bound a check block's timeout and
	// retry: AWS settles in minutes (a NAT gateway in one to three), and
	// calls more often than a second apart get throttled.
	MaxCheckTimeout = 30 * time.Minute
	MinCheckRetry   = time.Second
)

// shortDuration writes d as an author would: 30m, not 30m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "m0s")
	if s != d.String() {
		s += "m"
	}
	if t := strings.TrimSuffix(s, "h0m"); t != s {
		s = t + "h"
	}
	return s
}

// nestedTooDeep refuses a page with a line that opens more than
// MaxMarkdownDepth block quotes or list items ("> > - > …"), at that line,
// before goldmark sees it. Lines in fenced code are the code's own.
func nestedTooDeep(path string, src []byte) Diags {
	fence := byte(0) // the fence character while inside fenced code
	fenceLen := 0
	for line, start := 1, 0; start < len(src); line++ {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		l := src[start:end]
		start = end + 1
		t := bytes.TrimLeft(l, " ")
		if n := len(l) - len(t); n < 4 && len(t) >= 3 && (t[0] == '`' || t[0] == '~') {
			run := 0
			for run < len(t) && t[run] == t[0] {
				run++
			}
			switch {
			case fence == 0 && run >= 3 && (t[0] == '~' || !bytes.ContainsRune(t[run:], '`')):
				// (a backtick fence's info string has no backtick: ```x``` is inline code)
				fence, fenceLen = t[0], run
				continue
			case fence == t[0] && run >= fenceLen && len(bytes.TrimSpace(t[run:])) == 0:
				fence = 0
				continue
			}
		}
		if fence != 0 {
			continue
		}
		depth, i := 0, 0
		for i < len(l) {
			switch c := l[i]; {
			case c == ' ' || c == '\t':
				i++
				continue
			case c == '>':
				i++
			case (c == '-' || c == '*' || c == '+') && i+1 < len(l) && (l[i+1] == ' ' || l[i+1] == '\t'):
				i += 2
			case c >= '0' && c <= '9':
				j := i
				for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
					j++
				}
				if j+1 >= len(l) || (l[j] != '.' && l[j] != ')') || (l[j+1] != ' ' && l[j+1] != '\t') {
					i = len(l)
					continue
				}
				i = j + 2
			default:
				i = len(l)
				continue
			}
			if depth++; depth > MaxMarkdownDepth {
				return Diags{diag(Pos{File: path, Line: line, Col: 1}, "ContentNestedTooDeep", i18n.M{"Limit": MaxMarkdownDepth})}
			}
		}
	}
	return nil
}

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
