package highlight

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"

	"github.com/vpclab/vpclab/content"
)

// chromaShell is the oracle: chroma's own Bash lexer, coalesced.
func chromaShell(t testing.TB, code string) []chroma.Token {
	it, err := chroma.Coalesce(lexers.Get("bash")).Tokenise(nil, code)
	if err != nil {
		t.Fatal(err)
	}
	return it.Tokens()
}

func sameTokens(t testing.TB, code string) {
	t.Helper()
	want := chromaShell(t, code)
	got := shellTokens(code)
	if fmt.Sprint(got) == fmt.Sprint(want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	t.Fatalf("code %q:\ntoken %d differs from chroma's Bash lexer:\n got  %v\n want %v", code, i, tail(got, i), tail(want, i))
}

func tail(toks []chroma.Token, i int) []chroma.Token {
	if i+3 < len(toks) {
		return toks[i : i+3]
	}
	return toks[i:]
}

var fence = regexp.MustCompile("(?ms)^```(?:bash|sh|shell|zsh)[^\n]*\n(.*?)^```")

// TestShellMatchesChroma: every shell block of the labs lexes exactly as
// chroma's Bash lexer lexes it, plus cases aimed at each rule.
func TestShellMatchesChroma(t *testing.T) {
	for _, code := range labShellBlocks(t) {
		sameTokens(t, code)
	}
	for _, code := range shellCases {
		sameTokens(t, code)
	}
}

// labShellBlocks returns every shell block of the built-in labs.
func labShellBlocks(t *testing.T) []string {
	t.Helper()
	var blocks []string
	err := fs.WalkDir(content.Embedded(), "labs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		src, err := fs.ReadFile(content.Embedded(), p)
		if err != nil {
			return err
		}
		for _, m := range fence.FindAllStringSubmatch(string(src), -1) {
			blocks = append(blocks, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) < 50 {
		t.Fatalf("only %d shell blocks found in the labs; the fence pattern is wrong", len(blocks))
	}
	return blocks
}

var shellCases = []string{
	"", "\n", "#!/bin/bash\necho hi\n", "#!\n", "#!/bin/sh", "echo # comment\n# line\n",
	"if [ -n \"$X\" ]; then\n  echo yes\nfi\n", "for i in 1 2 3; do echo $i; done",
	"done", "undone do=1", "doneX done\n", "if  \n  x", "then\t", "while:", "esac)",
	"echo hi)", "case $x in a) echo;; esac", "select x; until y; return; continue; elif; while true", "type typeset times time", "export A=1 B+=2 C =3 D  += 4", "名前=値 変数 = 1",
	"x=$(aws ec2 describe-vpcs --query 'Vpcs[0].VpcId' --output text)",
	"echo $((1 + 2 * 3 ** 4 / 5 % 6 ^ 7 | 8 & 9 || 1)) $((16#ff 2#)) $((3# ))",
	"echo ${VAR} ${#VAR} ${VAR:-default} ${a.b:c} ${x/y/z} ${",
	"echo $1 $12 $# $$ $? $! $_ $* $@ $- $ $; $१२", "echo `date` `echo $(pwd)`",
	"echo \"a $b ${c} $(d) \\\" \\\\ \\101 end\" \"plain\" $\"loc\" \"unterminated",
	"echo 'single' $'a\\'b\\n' 'multi\nline' 'open",
	"cat <<EOF\nhello $x\nEOF\n", "cat <<-'END'\n\tx\n\tEND", "cat <<\\EOF\nEOF", "cat << EOFX\nEOF\n",
	"cat <<<\"here\" <<< word", "a && b || c; d & e | f", "x=1;y=2\n", "[[ $a == b ]] { } ( ) =",
	"a\\\nb \\", "\\", "'", "\"", "$", "`", "$(", "${", "$((", "echo )", "echo }\n}", "(\n",
	"echo \"$(echo \")\" x)\"", "\"a\nb", "$(\necho\n", "${a\nb}", "$((1\n+2))",
	"echo 12 34x 5\n6", "echo ١٢ 3", "aws --if-exists --for x", "echo a\u200db", "x\u0301=1",
	"echo \r\n dos\r mac", "日本語 # コメント\nif [ x ]; then echo ok; fi",
	"cat <<a\n" + strings.Repeat("b", 100), "<<" + strings.Repeat("ab", 50) + "\n" + strings.Repeat("ab", 30),
}

// FuzzShellMatchesChroma compares the port with chroma on any text.
func FuzzShellMatchesChroma(f *testing.F) {
	for _, c := range shellCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, code string) {
		if len(code) > 4096 {
			return // chroma's regular expressions time out on long hostile text
		}
		sameTokens(t, code)
		sameHTML(t, shellTokens(code))
	})
}

// TestShellLinear: the heredoc search, the one rule that looks far ahead,
// stays linear on text made to defeat it (a marker with no end, again and
// again), where chroma's regular expressions would run into their
// timeouts. The budget is counted, not timed.
func TestShellLinear(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "<<%c%s ", rune(0x4e00+i), strings.Repeat("x", 20))
	}
	l := &shellLexer{t: []rune(b.String()), stack: []shellState{sRoot}}
	l.run()
	if got := joined(l.out); got != b.String() {
		t.Fatal("tokens do not add up to the text")
	}
	if limit := 64*len(l.t) + 4096; l.spent > limit+len(l.t) {
		t.Fatalf("heredoc searches compared %d runes for %d runes of text (budget %d)", l.spent, len(l.t), limit)
	}
}

func joined(toks []chroma.Token) string {
	var b strings.Builder
	for _, tk := range toks {
		b.WriteString(tk.Value)
	}
	return b.String()
}

// formatter is the oracle for writeTokens: chroma's HTML formatter with
// classes and no line numbers. With classes its HTML does not depend on
// the style (TestHTMLIsChromas), so it is given an empty one.
var (
	formatter  = chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithLineNumbers(false))
	noStyle, _ = chroma.NewStyle("classes", chroma.StyleEntries{})
)

// sameHTML: writeTokens writes what chroma's HTML formatter writes for the
// same tokens, and any token list (empty tokens, newlines in any place)
// is written alike, not only the shell lexer's.
func sameHTML(t testing.TB, toks []chroma.Token) {
	t.Helper()
	var want strings.Builder
	if err := formatter.Format(&want, noStyle, chroma.Literator(toks...)); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	writeTokens(&got, toks)
	if got.String() != want.String() {
		t.Fatalf("tokens %q:\n got  %s\n want %s", toks, got.String(), want.String())
	}
}

// TestWriteTokensIsChromas: every shell block of the labs and every
// case, plus token lists aimed at chroma's line splitting.
func TestWriteTokensIsChromas(t *testing.T) {
	for _, code := range labShellBlocks(t) {
		sameHTML(t, shellTokens(code))
	}
	for _, code := range shellCases {
		sameHTML(t, shellTokens(code))
	}
	tok := func(tt chroma.TokenType, v string) chroma.Token { return chroma.Token{Type: tt, Value: v} }
	for _, toks := range [][]chroma.Token{
		nil,
		{tok(chroma.Text, "")},
		{tok(chroma.Keyword, "")},
		{tok(chroma.Keyword, ""), tok(chroma.Text, "")},
		{tok(chroma.Text, "a\n"), tok(chroma.Keyword, "")},
		{tok(chroma.Text, "a\n"), tok(chroma.Keyword, ""), tok(chroma.Name, "x")},
		{tok(chroma.Keyword, ""), tok(chroma.Text, "\n")},
		{tok(chroma.Text, "\n\n"), tok(chroma.Comment, "# <&>\"'\n")},
		{tok(chroma.Text, "a\nb\nc"), tok(chroma.NameBuiltin, "d\n")},
		{tok(chroma.LiteralStringDouble, "x"), tok(chroma.TokenType(9999), "y\n"), tok(chroma.Error, "")},
	} {
		sameHTML(t, toks)
	}
}
