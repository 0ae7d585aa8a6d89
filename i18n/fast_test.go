package i18n

import (
	"regexp"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// TestFastRendersLikeGoI18n: every message of the catalogs that is kept
// as a fastTemplate renders as go-i18n renders it, with every key it
// names given text (Latin, Japanese, markup-like, empty) or a number, and
// falls back when a key is missing or of another type.
func TestFastRendersLikeGoI18n(t *testing.T) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	msgs := map[Lang][]*goi18n.Message{}
	for _, area := range Areas() {
		for _, l := range Langs {
			mf, err := b.LoadMessageFileFS(catalogs, AreaFile(area, l))
			if err != nil {
				t.Fatal(err)
			}
			msgs[l] = append(msgs[l], mf.Messages...)
		}
	}
	keyRE := regexp.MustCompile(`\{\{\.([A-Za-z_][A-Za-z0-9_]*)\}\}`)
	values := []any{"vpc-0abc", "NAT ゲートウェイ", "<b>&{{.X}}</b>", "", 42, -1}
	fast, total := 0, 0
	for _, l := range Langs {
		loc := goi18n.NewLocalizer(b, string(l))
		for _, m := range msgs[l] {
			total++
			pt := compileFast(m)
			if pt == nil {
				continue
			}
			fast++
			keys := keyRE.FindAllStringSubmatch(m.Other, -1)
			for vi := range values {
				data := M{}
				for ki, k := range keys {
					data[k[1]] = values[(vi+ki)%len(values)]
				}
				got, ok := pt.exec(data)
				want, err := loc.Localize(&goi18n.LocalizeConfig{MessageID: m.ID, TemplateData: data})
				if !ok || err != nil || got != want {
					t.Errorf("%s %s with %v: fast %q (%v), go-i18n %q (%v)", l, m.ID, data, got, ok, want, err)
				}
			}
			if len(keys) > 0 {
				if _, ok := pt.exec(M{}); ok {
					t.Errorf("%s %s: rendered with its keys missing", l, m.ID)
				}
				if _, ok := pt.exec(M{keys[0][1]: 1.5}); ok {
					t.Errorf("%s %s: rendered a float itself", l, m.ID)
				}
			}
		}
	}
	// Most messages are fast templates; if none were, the test would prove nothing.
	if fast*2 < total {
		t.Errorf("only %d of %d messages are fast templates", fast, total)
	}
	t.Logf("%d of %d messages are fast templates", fast, total)
}

func TestCompileFastRefuses(t *testing.T) {
	for _, other := range []string{"{{if .A}}x{{end}}", "{{ .A }}", "{{- .A}}", "{{.A | printf \"%q\"}}", "{{.A.B}}", "a }} b", "{{.A", "{{/* c */}}", "{{.}}", "{{.1A}}"} {
		if compileFast(&goi18n.Message{ID: "X", Other: other}) != nil {
			t.Errorf("%q was taken as a fast template", other)
		}
	}
	if compileFast(&goi18n.Message{ID: "X", Other: "a", One: "b"}) != nil {
		t.Error("a message with a plural form was taken as a fast template")
	}
	if pt := compileFast(&goi18n.Message{ID: "X", Other: "{{.A}} and {{.B}}{{.A}}."}); pt == nil {
		t.Error("a message of placeholders was not taken as a fast template")
	} else if s, ok := pt.exec(M{"A": "x", "B": 2}); !ok || s != "x and 2x." {
		t.Errorf("exec = %q, %v", s, ok)
	}
}
