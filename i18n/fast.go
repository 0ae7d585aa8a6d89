package i18n

import (
	"strconv"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Most messages only put values in their text ({{.Name}}), and go-i18n
// runs each through text/template: a tenth of a check card's rendering in
// a site build. A message of that form is kept as its parts and filled in
// directly; anything else ({{if}}, pipelines, other delimiters, a plural
// form, a value that is not text or a whole number, a missing key) goes
// through go-i18n as before. TestFastRendersLikeGoI18n holds every
// message of the catalogs to it.

// fastTemplate is a message's text cut at its placeholders: text[0],
// then the value of keys[0], text[1], and so on.
type fastTemplate struct {
	text []string
	keys []string
}

// compileFast returns m as a fastTemplate, or nil if m is more than
// text and {{.Key}} placeholders.
func compileFast(m *goi18n.Message) *fastTemplate {
	if m.Other == "" || m.Zero+m.One+m.Two+m.Few+m.Many != "" ||
		(m.LeftDelim != "" && m.LeftDelim != "{{") || (m.RightDelim != "" && m.RightDelim != "}}") {
		return nil
	}
	t := &fastTemplate{}
	rest := m.Other
	for {
		open := strings.Index(rest, "{{")
		if open < 0 {
			if strings.Contains(rest, "}}") {
				return nil // text/template's way with a lone }} is not ours to copy
			}
			t.text = append(t.text, rest)
			return t
		}
		before := rest[:open]
		if strings.Contains(before, "}}") {
			return nil
		}
		end := strings.Index(rest[open:], "}}")
		if end < 0 {
			return nil
		}
		key, ok := strings.CutPrefix(rest[open+2:open+end], ".")
		if !ok || !isIdent(key) {
			return nil // {{ .X }}, {{- .X}}, {{if …}}, {{.X | f}}, {{.X.Y}}
		}
		t.text = append(t.text, before)
		t.keys = append(t.keys, key)
		rest = rest[open+end+2:]
	}
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r != '_' && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// exec fills the template from data, as text/template would print each
// value; it reports false when a value is missing or not a string or an
// int, which go-i18n then renders.
func (t *fastTemplate) exec(data M) (string, bool) {
	var b strings.Builder
	for i, text := range t.text {
		b.WriteString(text)
		if i == len(t.keys) {
			break
		}
		switch v := data[t.keys[i]].(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			return "", false
		}
	}
	return b.String(), true
}
