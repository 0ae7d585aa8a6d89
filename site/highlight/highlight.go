// Package highlight writes code blocks as HTML with chroma's CSS classes
// (styled by the site's chroma.css). Shell, which is nearly all the code
// a lab has, goes through a port of chroma's Bash lexer (shell.go) that
// gives the same tokens many times faster; other languages go to chroma's
// own lexers, and a language chroma does not know is written unhighlighted.
package highlight

import (
	_ "embed"
	"html"
	"io"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
)

// formatter writes CSS classes, no line numbers. With classes the HTML
// does not depend on the style (chroma.css holds the colours), so the
// style it is given is an empty one.
var (
	formatter  = chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithLineNumbers(false))
	noStyle, _ = chroma.NewStyle("classes", chroma.StyleEntries{})
)

// shellNames are the names chroma's Bash lexer answers to.
var shellNames = map[string]bool{"bash": true, "sh": true, "ksh": true, "zsh": true, "shell": true}

// tokens lexes code as lang, coalesced as chroma does. ok is false when
// there is no lexer for lang.
func tokens(lang, code string) (toks []chroma.Token, ok bool) {
	name := strings.ToLower(lang)
	if shellNames[name] {
		return shellTokens(code), true
	}
	lexer := lexers.Get(name)
	if lexer == nil {
		return nil, false
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return nil, false
	}
	return it.Tokens(), true
}

// Write writes code as a highlighted <pre> block. A language chroma does
// not know (or none) gives a plain <pre><code>, with the language as a
// class as CommonMark renderers write it.
func Write(w io.Writer, lang, code string) error {
	if shellNames[strings.ToLower(lang)] {
		var b strings.Builder
		b.Grow(4 * len(code))
		writeTokens(&b, shellTokens(code))
		_, err := io.WriteString(w, b.String())
		return err
	}
	toks, ok := tokens(lang, code)
	if !ok {
		var b strings.Builder
		b.WriteString("<pre><code")
		if lang != "" {
			b.WriteString(` class="language-` + html.EscapeString(lang) + `"`)
		}
		b.WriteString(">" + html.EscapeString(code) + "</code></pre>\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	return formatter.Format(w, noStyle, chroma.Literator(toks...))
}

// chroma.css is the theme for the classes Write writes: chroma's "github"
// style, and "github-dark" when the reader's system is in dark mode. It is
// written by TestCSSIsChromas (go test ./site/highlight -update), so that
// chroma's styles, which all load when their package starts, are not in
// the binary: every command would pay for them at start-up.
//
//go:embed chroma.css
var css string

// CSS is the highlighting theme for the HTML Write writes.
func CSS() string { return css }
