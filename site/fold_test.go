package site

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// foldWant is what fold must return: site.js's normalize("NFKC") and
// toLowerCase(), as Go's norm and strings do them.
func foldWant(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

// TestSteadyRunes: fold keeps steady runes as they are and cuts the text
// before them, which is right only if NFKC and lower case keep each of
// them, and no rune before one can combine with it.
func TestSteadyRunes(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !steady(r) && r >= utf8.RuneSelf {
			continue
		}
		n++
		s := string(r)
		p := norm.NFKC.PropertiesString(s)
		if norm.NFKC.String(s) != s || (r >= utf8.RuneSelf && unicode.ToLower(r) != r) || !p.BoundaryBefore() || p.CCC() != 0 {
			t.Errorf("%U %q is not steady: NFKC %q, lower %q, boundary before %v, combining class %d",
				r, s, norm.NFKC.String(s), unicode.ToLower(r), p.BoundaryBefore(), p.CCC())
		}
	}
	if n < 20000 {
		t.Errorf("only %d steady runes: the kanji are missing", n)
	}
}

func TestFold(t *testing.T) {
	for _, s := range []string{
		"", "nat gateway", "NAT Gateway", "ＮＡＴゲートウェイ（NAT）を作成します。",
		"ｶﾞｲﾄﾞ", "か\u3099", "A\u0301", "Ab\u0301c", "NAT\u0301", "e\u0301\u0323x", "\u0301start",
		"①②", "ﬁle", "Ｖｐｃ：10.0.0.0/16", "プライベートサブネット（ECS）", "㍿㌔", "ß İ Σ",
		"\xff\xfeABC", "Z\xc3", "ゔ\u3099ヴ",
	} {
		if got, want := fold(s), foldWant(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
	}
	// Text that is already folded is returned as it is.
	s := "natゲートウェイを作成します。"
	if got := fold(s); got != s || unsafe.StringData(got) != unsafe.StringData(s) {
		t.Errorf("fold(%q) = %q, a copy", s, got)
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"NAT ゲートウェイ", "ＮＡＴ（a）", "ｶﾞ", "A\u0301", "Σσ", "\xff"} {
		f.Add(s)
	}
	var scratch []byte // shared by every input, as splitPage shares it
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fold(s), foldWant(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
		for _, in := range []string{s, "ÀB" + s, s + s} {
			if got, want := foldInto(&scratch, in), foldWant(in); got != want {
				t.Errorf("foldInto(%q) = %q, want %q", in, got, want)
			}
		}
	})
}

// joinLinesWant is joinLines as first written, on the standard library's
// line and word splitting.
func joinLinesWant(s string) string {
	var b strings.Builder
	var last rune
	for line := range strings.SplitSeq(s, "\n") {
		first := true
		for word := range strings.FieldsSeq(line) {
			if b.Len() > 0 {
				r, _ := utf8.DecodeRuneInString(word)
				if !first || !isCJK(last) || !isCJK(r) {
					b.WriteByte(' ')
				}
			}
			b.WriteString(word)
			last, _ = utf8.DecodeLastRuneInString(word)
			first = false
		}
	}
	return b.String()
}

func TestJoinLines(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"NAT ゲートウェイを\n作成します。\nThen  route\n\ttraffic", "NAT ゲートウェイを作成します。 Then route traffic"},
		{"  \n\n", ""},
		{"日本\n\nEnglish\n語", "日本 English 語"},
		{"a\u00a0b\u3000c", "a b c"},
	} {
		if got := joinLines(c.in); got != c.want || got != joinLinesWant(c.in) {
			t.Errorf("joinLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzJoinLines(f *testing.F) {
	for _, s := range []string{"a\nb", "日本\n語", "日 本\n\n語 x", "\xe3\n\xe3\x81\x82", "\u0085x\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := joinLines(s), joinLinesWant(s); got != want {
			t.Errorf("joinLines(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestNoSpaceAboveIdeographicSpace: appendJoined skips unicode.IsSpace
// for runes above U+3000, which holds only while Unicode has no white
// space there.
func TestNoSpaceAboveIdeographicSpace(t *testing.T) {
	for r := rune(0x3001); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			t.Fatalf("%U is white space", r)
		}
	}
}

// FuzzAppendJSONString: the index's terms are quoted as encoding/json
// quotes them, whatever they hold.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"nat", "ゲート", "a\"b", `\`, "<script>", "&", "\u2028", "…", "\xff", "\x01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendJSONString(%q) = %s, want x%s", s, got, want)
		}
	})
}

// cutTermsWant is cutTerms as first written: a rune at a time, each pair
// decoded.
func cutTermsWant(s string, term func(string)) {
	word, run := -1, -1
	var prev int
	endWord := func(at int) {
		if word >= 0 {
			term(s[word:at])
			word = -1
		}
	}
	endRun := func(at int) {
		if run >= 0 {
			for i := run; i < prev; {
				_, n := utf8.DecodeRuneInString(s[i:])
				_, m := utf8.DecodeRuneInString(s[i+n:])
				term(s[i : i+n+m])
				i += n
			}
			term(s[prev:at])
			run = -1
		}
	}
	for i, r := range s {
		switch {
		case isCJK(r):
			endWord(i)
			if run < 0 {
				run = i
			}
			prev = i
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			endRun(i)
			if word < 0 {
				word = i
			}
		default:
			endWord(i)
			endRun(i)
		}
	}
	endWord(len(s))
	endRun(len(s))
}

func FuzzCutTerms(f *testing.F) {
	for _, s := range []string{"nat ゲートウェイを作成", "ＮＡＴ", "a1b2 々〆", "港", "é漢字x", "\xe3\x81", "ゲ\xffト", "ab\u00e9cd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got, want []string
		cutTerms(s, func(t string) { got = append(got, t) })
		cutTermsWant(s, func(t string) { want = append(want, t) })
		if !slices.Equal(got, want) {
			t.Errorf("cutTerms(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestCJKIsThreeBytes: cutTerms steps through a Japanese run three bytes
// at a time, which holds only while every character isCJK accepts is
// three bytes long in UTF-8.
func TestCJKIsThreeBytes(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isCJK(r) {
			n++
			if utf8.RuneLen(r) != 3 {
				t.Fatalf("isCJK(%U), %d bytes long", r, utf8.RuneLen(r))
			}
		}
	}
	if n < 20000 {
		t.Errorf("isCJK accepts %d characters", n)
	}
}
