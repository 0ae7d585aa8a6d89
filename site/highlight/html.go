package highlight

import (
	"html"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// writeTokens writes toks as chroma's HTML formatter writes them with
// classes and no line numbers (formatter), byte for byte: a <pre> of
// lines, each token in a span of its type's class. It is for the shell
// port, whose blocks are most of a site; chroma's formatter splits the
// tokens into lines as copies and prints each piece through fmt, which
// cost more than lexing. TestWriteTokensIsChromas holds it to chroma's.
func writeTokens(b *strings.Builder, toks []chroma.Token) {
	b.WriteString(`<pre class="chroma"><code>`)
	open := false // a line is open
	// A line that so far holds only an empty token is held back: chroma
	// drops it when it is the block's last line.
	held, holding := chroma.TokenType(0), false
	startLine := func() {
		b.WriteString(`<span class="line"><span class="cl">`)
		open = true
	}
	flush := func() {
		if holding {
			startLine()
			writeToken(b, held, "")
			holding = false
		}
	}
	for _, tok := range toks {
		v := tok.Value
		for {
			head, rest, nl := strings.Cut(v, "\n")
			if !nl {
				break
			}
			flush()
			if !open {
				startLine()
			}
			writeToken(b, tok.Type, head+"\n")
			b.WriteString(`</span></span>`)
			open = false
			v = rest
			if v == "" {
				break
			}
		}
		switch {
		case v == "" && tok.Value != "":
			// the tail after the token's last newline: nothing
		case v == "" && !open && !holding:
			held, holding = tok.Type, true
		default:
			flush()
			if !open {
				startLine()
			}
			writeToken(b, tok.Type, v)
		}
	}
	if open {
		b.WriteString(`</span></span>`)
	}
	b.WriteString(`</code></pre>`)
}

func writeToken(b *strings.Builder, t chroma.TokenType, v string) {
	cls := className(t)
	if cls == "" {
		b.WriteString(html.EscapeString(v))
		return
	}
	b.WriteString(`<span class="`)
	b.WriteString(cls)
	b.WriteString(`">`)
	b.WriteString(html.EscapeString(v))
	b.WriteString(`</span>`)
}

// className is chroma's class for a token type: its own, else its
// nearest parent's (the formatter's class method, without a prefix).
func className(t chroma.TokenType) string {
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
		t = t.Parent()
	}
	return chroma.StandardTypes[t]
}
