// Package highlight writes code blocks as HTML with chroma's CSS classes
// (styled by the site's chroma.css). Shell, which is nearly all the code
// a lab has, goes through a port of chroma's Bash lexer (shell.go) that
// gives the same tokens many times faster. Other languages are written
// as chroma writes plain text, in the same frame: chroma's lexer registry
// builds all of its 279 lexers when its package starts, which cost every
// command 8 ms of CPU and 2.7 MB at start-up, learners' checks and class
// runs included, for languages the labs do not colour.
package highlight

import (
	_ "embed"
	"io"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// shellNames are the names chroma's Bash lexer answers to.
var shellNames = map[string]bool{"bash": true, "sh": true, "ksh": true, "zsh": true, "shell": true}

// tokens lexes code as lang, coalesced as chroma does: a shell with the
// Bash port, anything else as one piece of text (chroma's plaintext).
func tokens(lang, code string) []chroma.Token {
	if shellNames[strings.ToLower(lang)] {
		return shellTokens(code)
	}
	if code == "" {
		return nil
	}
	return []chroma.Token{{Type: chroma.Text, Value: code}}
}

// Write writes code as a highlighted <pre> block.
func Write(w io.Writer, lang, code string) error {
	var b strings.Builder
	b.Grow(4 * len(code))
	writeTokens(&b, tokens(lang, code))
	_, err := io.WriteString(w, b.String())
	return err
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
