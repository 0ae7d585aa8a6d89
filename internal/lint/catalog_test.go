package lint_test

import (
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/lint"
)

const (
	enCat = "i18n/active.en.toml"
	jaCat = "i18n/active.ja.toml"
)

// cleanEN and cleanJA agree on IDs and placeholders; each case changes one.
const cleanEN = `# English
Flat = "flat {{.A}}"

[Hello]
description = "ignored: {{.Ignored}}"
other = "Hello, {{.Name}}"

[Count]
one = "{{.Count}} lab"
other = "{{.Count}} labs in {{.Where}}"

[Cond]
other = "{{if .Suggest}}did you mean {{.Suggest}}?{{else}}known: {{ .Allowed }}{{end}}"
`

const cleanJA = `# 日本語
Flat = "フラット {{.A}}"

[Hello]
other = "こんにちは、{{.Name}}"

[Count]
other = "{{.Where}} のラボ {{.Count}} 個"

[Cond]
other = "{{if .Suggest}}「{{.Suggest}}」では?{{else}}既知: {{.Allowed}}{{end}}"
`

func cat(file string, lang i18n.Lang, src string) lint.Catalog {
	return lint.Catalog{Lang: lang, Path: file, Src: []byte(src)}
}

func TestCatalogs(t *testing.T) {
	tests := []struct {
		name   string
		en, ja string
		want   []finding
	}{
		{"clean", cleanEN, cleanJA, nil},
		{"missing in Japanese", cleanEN + "\n[OnlyEN]\nother = \"x\"\n", cleanJA, []finding{
			f("LintCatalogMissing", content.Pos{File: enCat, Line: 15, Col: 1}, "ID", "OnlyEN", "File", jaCat),
		}},
		{"flat message missing in Japanese", "Second = \"{{.B}}\"\n" + cleanEN, cleanJA, []finding{
			f("LintCatalogMissing", content.Pos{File: enCat, Line: 1, Col: 1}, "ID", "Second", "File", jaCat),
		}},
		{"missing in English", cleanEN, cleanJA + "[OnlyJA]\n  other = \"y\"\n", []finding{
			f("LintCatalogMissing", content.Pos{File: jaCat, Line: 12, Col: 1}, "ID", "OnlyJA", "File", enCat),
		}},
		{"placeholder renamed", cleanEN, replaceCat(t, cleanJA, "{{.Name}}", "{{.Nom}}"), []finding{
			f("LintCatalogPlaceholders", content.Pos{File: jaCat, Line: 4, Col: 1}, "ID", "Hello", "Want", "Name", "Got", "Nom"),
		}},
		{"placeholder dropped", cleanEN, replaceCat(t, cleanJA, "{{.Where}} のラボ", "ラボ"), []finding{
			f("LintCatalogPlaceholders", content.Pos{File: jaCat, Line: 7, Col: 1}, "ID", "Count", "Want", "Count Where", "Got", "Count"),
		}},
		{"placeholder added in a flat message", cleanEN, replaceCat(t, cleanJA, `"フラット {{.A}}"`, `"フラット {{.A}} {{.B}}"`), []finding{
			f("LintCatalogPlaceholders", content.Pos{File: jaCat, Line: 2, Col: 1}, "ID", "Flat", "Want", "A", "Got", "A B"),
		}},
		{"TOML syntax error in Japanese", cleanEN, replaceCat(t, cleanJA, `other = "{{.Where}}`, `other = = "{{.Where}}`), []finding{
			// only the syntax error: the other rules need both catalogs
			f("LintCatalogSyntax", content.Pos{File: jaCat, Line: 8, Col: 9}),
		}},
		{"TOML syntax error in English", replaceCat(t, cleanEN, `one = "`, `one = = "`), cleanJA, []finding{
			f("LintCatalogSyntax", content.Pos{File: enCat, Line: 9, Col: 7}),
		}},
		{"duplicate message is a TOML error", cleanEN, cleanJA + "[Hello]\nother = \"again\"\n", []finding{
			f("LintCatalogSyntax", content.Pos{File: jaCat, Line: 12, Col: 2}),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := lint.Catalogs([]lint.Catalog{cat(enCat, i18n.EN, tt.en), cat(jaCat, i18n.JA, tt.ja)})
			ds.Sort()
			checkFindings(t, ds, tt.want)
		})
	}
}

func replaceCat(t *testing.T, src, old, new string) string {
	t.Helper()
	return replaceOnce(t, "catalog", src, old, new)
}

// TestCatalogsEmbedded: the catalogs vpclab ships agree.
func TestCatalogsEmbedded(t *testing.T) {
	var cats []lint.Catalog
	for _, l := range i18n.Langs {
		src, err := i18n.CatalogSource(l)
		if err != nil {
			t.Fatal(err)
		}
		if len(src) == 0 {
			t.Fatalf("catalog %s is empty", l)
		}
		cats = append(cats, lint.Catalog{Lang: l, Path: "i18n/" + i18n.CatalogFile(l), Src: src})
	}
	for _, d := range lint.Catalogs(cats) {
		t.Errorf("%v", d)
	}
}
