package highlight

import (
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// shellTokens lexes shell code into the tokens chroma's Bash lexer gives,
// already coalesced as chroma.Coalesce would. It is a port of that lexer's
// rules (lexers/embedded/bash.xml in chroma v2), tried in the same order
// with the same regular-expression semantics (regexp2's: \w and \b are
// Unicode-aware, $ also matches before a newline), written as plain code:
// chroma runs each rule as a backtracking regular expression at every
// position, which made highlighting most of a site build's CPU time.
// TestShellMatchesChroma and FuzzShellMatchesChroma hold the port to
// chroma's own lexer.
func shellTokens(code string) []chroma.Token {
	code = ensureLF(code)
	l := &shellLexer{t: []rune(code), stack: []shellState{sRoot}}
	// In UTF-8 text a token's value is a piece of code itself: no copy,
	// and a merged token is a longer piece (they are contiguous). Other
	// text is read as runes, its bad bytes as U+FFFD, as chroma reads it.
	if utf8.ValidString(code) {
		l.src = code
		l.offs = make([]int, 0, len(l.t)+1)
		for i := range code {
			l.offs = append(l.offs, i)
		}
		l.offs = append(l.offs, len(code))
	}
	l.run()
	return l.out
}

type shellState uint8

const (
	sRoot shellState = iota
	sString
	sParen
	sMath
	sBackticks
	sCurly
)

type shellLexer struct {
	t     []rune
	src   string // the text t was made from, when it is UTF-8
	offs  []int  // the byte offset in src of each rune of t, and of the end
	start int    // the rune where the last token starts
	pos   int
	stack []shellState
	out   []chroma.Token
	// spent and budget bound the heredoc searches (see again).
	spent, budget int
}

func (l *shellLexer) run() {
	for l.pos < len(l.t) && len(l.stack) > 0 {
		state := l.stack[len(l.stack)-1]
		if l.state(state) {
			continue
		}
		// No rule matched. As chroma (after Pygments): a newline outside
		// the root state resets the stack; anything else is one rune of
		// error.
		if l.t[l.pos] == '\n' && state != sRoot {
			l.stack = l.stack[:1]
			l.stack[0] = sRoot
			continue
		}
		l.emit(chroma.Error, l.pos+1)
	}
}

// emit turns t[pos:end] into a token of type typ and moves to end,
// merging it into the previous token of the same type (chroma.Coalesce).
func (l *shellLexer) emit(typ chroma.TokenType, end int) {
	if end == l.pos {
		return
	}
	merge := false
	if n := len(l.out); n > 0 && l.out[n-1].Type == typ && len(l.out[n-1].Value) < 8192 {
		merge = true
	}
	if l.offs != nil {
		if !merge {
			l.start = l.pos
			l.out = append(l.out, chroma.Token{Type: typ})
		}
		l.out[len(l.out)-1].Value = l.src[l.offs[l.start]:l.offs[end]]
		l.pos = end
		return
	}
	v := string(l.t[l.pos:end])
	l.pos = end
	if merge {
		l.out[len(l.out)-1].Value += v
		return
	}
	l.out = append(l.out, chroma.Token{Type: typ, Value: v})
}

func (l *shellLexer) push(s shellState) { l.stack = append(l.stack, s) }
func (l *shellLexer) pop()              { l.stack = l.stack[:len(l.stack)-1] }

// state tries the rules of one state in order; it reports whether one
// matched (and then has emitted its tokens).
func (l *shellLexer) state(s shellState) bool {
	switch s {
	case sRoot:
		return l.root()
	case sString:
		if l.at('"') {
			l.emit(chroma.LiteralStringDouble, l.pos+1)
			l.pop()
			return true
		}
		if end := l.escaped(l.pos, '"', true); end > l.pos {
			l.emit(chroma.LiteralStringDouble, end)
			return true
		}
		return l.interp()
	case sParen:
		if l.at(')') {
			l.emit(chroma.Keyword, l.pos+1)
			l.pop()
			return true
		}
		return l.root()
	case sMath:
		if l.at(')') && l.peek(1) == ')' {
			l.emit(chroma.Keyword, l.pos+2)
			l.pop()
			return true
		}
		switch l.t[l.pos] {
		case '-', '+', '*', '/', '%', '^', '|', '&':
			l.emit(chroma.Operator, l.pos+1)
			return true
		}
		if d := l.digits(l.pos); d > l.pos {
			if l.peekAt(d) == '#' {
				if e := l.digits(d + 1); e > d+1 { // \d+#\d+
					l.emit(chroma.LiteralNumber, e)
					return true
				}
				if l.peekAt(d+1) != ' ' { // \d+#(?! )
					l.emit(chroma.LiteralNumber, d+1)
					return true
				}
			}
			l.emit(chroma.LiteralNumber, d)
			return true
		}
		return l.root()
	case sBackticks:
		if l.at('`') {
			l.emit(chroma.LiteralStringBacktick, l.pos+1)
			l.pop()
			return true
		}
		return l.root()
	case sCurly:
		switch {
		case l.at('}'):
			l.emit(chroma.LiteralStringInterpol, l.pos+1)
			l.pop()
			return true
		case l.at(':') && l.peek(1) == '-':
			l.emit(chroma.Keyword, l.pos+2)
			return true
		case isWord(l.t[l.pos]):
			l.emit(chroma.NameVariable, l.words(l.pos))
			return true
		}
		// [^}:"'`$\\]+
		e := l.pos
		for e < len(l.t) && !isCurlyStop(l.t[e]) {
			e++
		}
		if e > l.pos {
			l.emit(chroma.Punctuation, e)
			return true
		}
		if l.at(':') {
			l.emit(chroma.Punctuation, l.pos+1)
			return true
		}
		return l.root()
	}
	return false
}

func isCurlyStop(r rune) bool {
	switch r {
	case '}', ':', '"', '\'', '`', '$', '\\':
		return true
	}
	return false
}

// root is the rules of the root state: basic, a backtick, data, interp.
func (l *shellLexer) root() bool {
	if l.basic() {
		return true
	}
	if l.at('`') {
		l.emit(chroma.LiteralStringBacktick, l.pos+1)
		l.push(sBackticks)
		return true
	}
	return l.data() || l.interp()
}

var shellKeywords = []string{"if", "fi", "else", "while", "do", "done", "for", "then", "return",
	"function", "case", "select", "continue", "until", "esac", "elif"}

var shellBuiltins = []string{"alias", "bg", "bind", "break", "builtin", "caller", "cd", "command",
	"compgen", "complete", "declare", "dirs", "disown", "echo", "enable", "eval", "exec", "exit",
	"export", "false", "fc", "fg", "getopts", "hash", "help", "history", "jobs", "kill", "let",
	"local", "logout", "popd", "printf", "pushd", "pwd", "read", "readonly", "set", "shift",
	"shopt", "source", "suspend", "test", "time", "times", "trap", "true", "type", "typeset",
	"ulimit", "umask", "unalias", "unset", "wait"}

func (l *shellLexer) basic() bool {
	t, p := l.t, l.pos
	c := t[p]
	if l.boundary(p) && c >= 'a' && c <= 'z' {
		// \b(if|fi|…|elif)(\s*)\b
		for _, k := range shellKeywords {
			e := l.prefix(p, k)
			if e < 0 {
				continue
			}
			s := e
			for s < len(t) && unicode.IsSpace(t[s]) {
				s++
			}
			// \s* gives back spaces until \b holds; only all or none can.
			if s > e && l.boundary(s) {
				l.emit(chroma.Keyword, e)
				l.emit(chroma.Text, s)
				return true
			}
			if l.boundary(e) {
				l.emit(chroma.Keyword, e)
				return true
			}
		}
		// \b(alias|…|wait)(?=[\s)`])
		for _, k := range shellBuiltins {
			e := l.prefix(p, k)
			if e < 0 || e >= len(t) {
				continue
			}
			if n := t[e]; unicode.IsSpace(n) || n == ')' || n == '`' {
				l.emit(chroma.NameBuiltin, e)
				return true
			}
		}
	}
	switch {
	case c == '#' && p == 0 && l.peek(1) == '!':
		// \A#!.+\n
		e := 2
		for e < len(t) && t[e] != '\n' {
			e++
		}
		if e > 2 && e < len(t) {
			l.emit(chroma.CommentPreproc, e+1)
			return true
		}
	}
	switch c {
	case '#': // #.*(\S|$): the rest of the line
		e := p
		for e < len(t) && t[e] != '\n' {
			e++
		}
		l.emit(chroma.CommentSingle, e)
		return true
	case '\\': // \\[\w\W]
		if p+1 < len(t) {
			l.emit(chroma.LiteralStringEscape, p+2)
			return true
		}
		return false
	}
	if isWord(c) && l.boundary(p) {
		// (\b\w+)(\s*)(\+?=)
		w := l.words(p)
		s := w
		for s < len(t) && unicode.IsSpace(t[s]) {
			s++
		}
		o := s
		if o < len(t) && t[o] == '+' {
			o++
		}
		if o < len(t) && t[o] == '=' {
			l.emit(chroma.NameVariable, w)
			l.emit(chroma.Text, s)
			l.emit(chroma.Operator, o+1)
			return true
		}
	}
	switch c {
	case '[', ']', '{', '}', '(', ')', '=':
		l.emit(chroma.Operator, p+1)
		return true
	case '<':
		if l.peek(1) == '<' && l.peek(2) == '<' {
			l.emit(chroma.Operator, p+3)
			return true
		}
		if l.peek(1) == '<' {
			if e := l.heredoc(p + 2); e > 0 {
				l.emit(chroma.LiteralString, e)
				return true
			}
		}
	case '&':
		if l.peek(1) == '&' {
			l.emit(chroma.Operator, p+2)
			return true
		}
	case '|':
		if l.peek(1) == '|' {
			l.emit(chroma.Operator, p+2)
			return true
		}
	}
	return false
}

// heredoc matches -?\s*(\'?)\\?(\w+)[\w\W]+?\2 from i (after "<<") and
// returns the end of the match, or -1. The engine tries the longest word
// first, then ever shorter prefixes, each up to its first occurrence at
// least one character after it. A prefix that occurs so implies that every
// shorter one does, so the longest is found by bisection.
func (l *shellLexer) heredoc(i int) int {
	t := l.t
	if i < len(t) && t[i] == '-' {
		i++
	}
	for i < len(t) && unicode.IsSpace(t[i]) {
		i++
	}
	if i < len(t) && t[i] == '\'' {
		i++
	}
	if i < len(t) && t[i] == '\\' {
		i++
	}
	w := l.words(i)
	if w == i || l.again(i, 1) < 0 {
		return -1
	}
	lo, hi := 1, w-i
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l.again(i, mid) >= 0 {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return l.again(i, lo)
}

// again returns the end of the first occurrence of t[i:i+k] that starts
// at i+k+1 or later, or -1. Its comparisons are paid from l.budget, linear
// in the text, so that no input makes the lexer quadratic; when the budget
// is spent there is no match, as when chroma's regular expressions time
// out.
func (l *shellLexer) again(i, k int) int {
	t, word := l.t, l.t[i:i+k]
	if l.budget == 0 {
		l.budget = 64*len(t) + 4096
	}
search:
	for s := i + k + 1; s+k <= len(t); s++ {
		for j, r := range word {
			l.spent++
			if l.spent > l.budget {
				return -1
			}
			if t[s+j] != r {
				continue search
			}
		}
		return s + k
	}
	return -1
}

func (l *shellLexer) data() bool {
	t, p := l.t, l.pos
	c := t[p]
	switch c {
	case '$':
		switch l.peek(1) {
		case '"': // \$?"…" in one piece
			if e := l.closed(p+2, '"', true); e > 0 {
				l.emit(chroma.LiteralStringDouble, e)
				return true
			}
		case '\'': // \$'…'
			if e := l.closed(p+2, '\'', false); e > 0 {
				l.emit(chroma.LiteralStringSingle, e)
				return true
			}
		}
	case '"':
		if e := l.closed(p+1, '"', true); e > 0 {
			l.emit(chroma.LiteralStringDouble, e)
			return true
		}
		l.emit(chroma.LiteralStringDouble, p+1)
		l.push(sString)
		return true
	case '\'': // '.*?'
		for e := p + 1; e < len(t); e++ {
			if t[e] == '\'' {
				l.emit(chroma.LiteralStringSingle, e+1)
				return true
			}
		}
	case ';', '&', '|':
		l.emit(chroma.Punctuation, p+1)
		return true
	case '<':
		// Only after the Text rule, which cannot start with '<'.
	}
	if c == '$' || c == '\'' {
		return false // nothing below starts with these
	}
	if unicode.IsSpace(c) {
		e := p + 1
		for e < len(t) && unicode.IsSpace(t[e]) {
			e++
		}
		l.emit(chroma.Text, e)
		return true
	}
	if d := l.digits(p); d > p {
		// \d+(?= |$)
		if d == len(t) || t[d] == ' ' || t[d] == '\n' {
			l.emit(chroma.LiteralNumber, d)
			return true
		}
	}
	e := p
	for e < len(t) && !isDataStop(t[e]) {
		e++
	}
	if e > p {
		l.emit(chroma.Text, e)
		return true
	}
	if c == '<' {
		l.emit(chroma.Text, p+1)
		return true
	}
	return false
}

func isDataStop(r rune) bool {
	switch r {
	case '=', '[', ']', '{', '}', '(', ')', '$', '"', '\'', '`', '\\', '<', '&', '|', ';':
		return true
	}
	return unicode.IsSpace(r)
}

func (l *shellLexer) interp() bool {
	if !l.at('$') {
		return false
	}
	p := l.pos
	switch n := l.peek(1); {
	case n == '(' && l.peek(2) == '(':
		l.emit(chroma.Keyword, p+3)
		l.push(sMath)
	case n == '(':
		l.emit(chroma.Keyword, p+2)
		l.push(sParen)
	case n == '{':
		e := p + 2
		if l.peekAt(e) == '#' {
			e++
		}
		l.emit(chroma.LiteralStringInterpol, e)
		l.push(sCurly)
	case n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z' || n == '_':
		l.emit(chroma.NameVariable, l.words(p+1))
	case unicode.Is(unicode.Nd, n):
		l.emit(chroma.NameVariable, l.digits(p+1))
	case n == '#' || n == '$' || n == '?' || n == '!' || n == '_' || n == '*' || n == '@' || n == '-':
		l.emit(chroma.NameVariable, p+2)
	default:
		l.emit(chroma.Text, p+1)
	}
	return true
}

// closed matches the body and the closing quote of a quoted string whose
// body starts at i: (\\\\|\\[0-7]+|\\.|[^q\\$])*q, where a '$' ends the
// match unmatched if dollarStops. It returns the end, or -1.
func (l *shellLexer) closed(i int, q rune, dollarStops bool) int {
	e := l.escaped(i, q, dollarStops)
	if e < len(l.t) && l.t[e] == q {
		return e + 1
	}
	return -1
}

// escaped returns how far (\\\\|\\[0-7]+|\\.|[^q\\$])* reaches from i:
// a backslash takes the next character whatever it is, and the quote (or
// '$', if dollarStops) ends it.
func (l *shellLexer) escaped(i int, q rune, dollarStops bool) int {
	t := l.t
	for i < len(t) {
		switch t[i] {
		case q:
			return i
		case '$':
			if dollarStops {
				return i
			}
		case '\\':
			if i+1 >= len(t) {
				return i
			}
			i++
		}
		i++
	}
	return i
}

func (l *shellLexer) at(r rune) bool  { return l.pos < len(l.t) && l.t[l.pos] == r }
func (l *shellLexer) peek(n int) rune { return l.peekAt(l.pos + n) }

func (l *shellLexer) peekAt(i int) rune {
	if i < len(l.t) {
		return l.t[i]
	}
	return -1
}

// prefix returns the end of s if the text at i starts with it, else -1.
func (l *shellLexer) prefix(i int, s string) int {
	for _, r := range s {
		if i >= len(l.t) || l.t[i] != r {
			return -1
		}
		i++
	}
	return i
}

// words returns the end of the run of word characters from i.
func (l *shellLexer) words(i int) int {
	for i < len(l.t) && isWord(l.t[i]) {
		i++
	}
	return i
}

// digits returns the end of the run of decimal digits (\d, any script's)
// from i.
func (l *shellLexer) digits(i int) int {
	for i < len(l.t) && unicode.Is(unicode.Nd, l.t[i]) {
		i++
	}
	return i
}

// boundary is regexp2's \b at i.
func (l *shellLexer) boundary(i int) bool {
	return (i > 0 && isWord(l.t[i-1])) != (i < len(l.t) && isWord(l.t[i]))
}

// isWord is regexp2's \w: letters, non-spacing marks, decimal digits,
// connector punctuation, and the zero-width joiners.
func isWord(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	return unicode.In(r, unicode.L, unicode.Mn, unicode.Nd, unicode.Pc) || r == '\u200D' || r == '\u200C'
}

// ensureLF is chroma's: CRLF and lone CR become LF.
func ensureLF(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' {
			goto convert
		}
	}
	return s
convert:
	buf := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		buf = append(buf, c)
	}
	return string(buf)
}
