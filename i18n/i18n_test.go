package i18n_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/vpclab/vpclab/i18n"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		flag string
		env  map[string]string
		want i18n.Lang
		err  bool
	}{
		{"nothing set", "", nil, i18n.EN, false},
		{"LANG ja", "", map[string]string{"LANG": "ja_JP.UTF-8"}, i18n.JA, false},
		{"LC_ALL wins over LANG", "", map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "ja_JP.UTF-8"}, i18n.EN, false},
		{"LC_MESSAGES before LANG", "", map[string]string{"LC_MESSAGES": "ja_JP", "LANG": "en_US"}, i18n.JA, false},
		{"C locale is English", "", map[string]string{"LANG": "C.UTF-8"}, i18n.EN, false},
		{"unsupported first variable decides", "", map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "ja_JP.UTF-8"}, i18n.EN, false},
		{"flag wins", "ja", map[string]string{"LANG": "en_US.UTF-8"}, i18n.JA, false},
		{"flag as locale", "en-US", map[string]string{"LANG": "ja_JP.UTF-8"}, i18n.EN, false},
		{"bad flag", "fr", nil, i18n.EN, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := i18n.Detect(tt.flag, func(k string) string { return tt.env[k] })
			if got != tt.want || (err != nil) != tt.err {
				t.Errorf("Detect(%q, %v) = %v, %v; want %v, error %v", tt.flag, tt.env, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestRenderAndNestedMessage(t *testing.T) {
	en, ja := i18n.New(i18n.EN), i18n.New(i18n.JA)
	if got := en.T("WhereCheckKind", i18n.M{"Kind": "vpc"}); got != "check kind vpc" {
		t.Errorf("en WhereCheckKind = %q", got)
	}
	got := ja.T("ContentFieldMissing", i18n.M{"Field": "id", "Where": i18n.Msg{ID: "WhereFrontMatter"}})
	if !strings.Contains(got, "フロントマター") || !strings.Contains(got, `"id"`) {
		t.Errorf("nested message not rendered in Japanese: %q", got)
	}
	if got := en.N("LintSummaryProblems", 1); got != "1 problem found." {
		t.Errorf("singular = %q", got)
	}
	if got := en.N("LintSummaryProblems", 3); got != "3 problems found." {
		t.Errorf("plural = %q", got)
	}
	if got := en.T("NoSuchMessage"); got != "[NoSuchMessage]" {
		t.Errorf("missing message renders as %q", got)
	}
}

// Every message must exist in its own language's catalog: go-i18n would
// otherwise fall back to English silently, which is the bug this catches.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	ids := map[i18n.Lang][]string{}
	for _, l := range i18n.Langs {
		src, err := i18n.CatalogSource(l)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.ParseMessageFileBytes(src, i18n.CatalogFile(l)); err != nil {
			t.Fatalf("%s: %v", i18n.CatalogFile(l), err)
		}
		if ids[l], err = i18n.IDs(l); err != nil {
			t.Fatal(err)
		}
	}
	if len(ids[i18n.EN]) < 50 {
		t.Fatalf("only %d English messages: the catalog did not load", len(ids[i18n.EN]))
	}
	for _, l := range i18n.Langs {
		loc := goi18n.NewLocalizer(b, string(l))
		for _, id := range ids[i18n.EN] {
			_, err := loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: 2, TemplateData: map[string]any{}})
			var nf *goi18n.MessageNotFoundErr
			if errors.As(err, &nf) {
				t.Errorf("message %s has no %s translation", id, l)
			}
		}
		for _, id := range ids[l] {
			if !i18n.Has(i18n.EN, id) {
				t.Errorf("message %s is in %s but not in English", id, i18n.CatalogFile(l))
			}
		}
	}
}

// Japanese messages are written in です・ます; a plain-form sentence ending
// is a sign of a machine-translated or careless message.
func TestJapaneseIsPolite(t *testing.T) {
	src, _ := i18n.CatalogSource(i18n.JA)
	var raw map[string]map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		t.Fatal(err)
	}
	plain := regexp.MustCompile(`(である|だ|する|できない|ない)。`)
	for id, m := range raw {
		if s, _ := m["other"].(string); plain.MatchString(s) {
			t.Errorf("%s is not in です・ます: %q", id, s)
		}
	}
}

// idLiteral matches strings that look like message IDs.
var idLiteral = regexp.MustCompile(`^[A-Z][A-Za-z0-9]+$`)

// Every string literal in the product's code that names a message must name
// one that exists. Message IDs are recognized by the prefixes the catalog
// uses, so a typo such as "LintKindUnkown" is caught.
func TestMessageIDsInCodeExist(t *testing.T) {
	ids, err := i18n.IDs(i18n.EN)
	if err != nil {
		t.Fatal(err)
	}
	prefixes := map[string]bool{}
	camel := regexp.MustCompile(`^[A-Z][a-z]+|^[A-Z]+`)
	for _, id := range ids {
		prefixes[camel.FindString(id)] = true
	}
	root := filepath.Join("..")
	found := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		keys := map[ast.Node]bool{} // map keys such as i18n.M{"Where": …} are placeholder names
		ast.Inspect(f, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				keys[kv.Key] = true
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || keys[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !idLiteral.MatchString(s) || !prefixes[camel.FindString(s)] {
				return true
			}
			// Command names are stitched into IDs ("Cmd"+…+"Help"); the cli
			// package tests those.
			if s == "Cmd" {
				return true
			}
			found++
			for _, l := range i18n.Langs {
				if !i18n.Has(l, s) {
					t.Errorf("%s: message %q is not in %s", fset.Position(lit.Pos()), s, i18n.CatalogFile(l))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("found only %d message IDs in code: the scan is broken", found)
	}
}
