package classroom

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/vpclab/vpclab/i18n"
)

// classIDs are the classroom's messages in the active English catalog (the
// i18n tests hold both catalogs to parity, placeholders and polite
// Japanese; this test adds the templates, which those tests do not read).
func classIDs(t *testing.T) map[string]map[string]any {
	t.Helper()
	src, err := i18n.CatalogSource(i18n.EN)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for id, m := range raw {
		if strings.HasPrefix(id, "Class") || strings.HasPrefix(id, "Roster") || strings.HasPrefix(id, "CmdClass") {
			out[id] = m
		}
	}
	return out
}

// TestMessageIDsUsed: every Class*, Roster* and CmdClass* message the code
// and templates name is in the catalogs, and every such message is named
// somewhere.
func TestMessageIDsUsed(t *testing.T) {
	ids := classIDs(t)
	used := map[string]bool{}
	idRE := regexp.MustCompile(`^(Class|Roster)[A-Z][A-Za-z0-9]+$`)
	var files []string
	for _, glob := range []string{"*.go", "../roster/*.go", "../cli/class.go"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && idRE.MatchString(s) {
					used[s] = true
					if _, ok := ids[s]; !ok && !i18n.Has(i18n.EN, s) {
						t.Errorf("%s: message %s is in no catalog", fset.Position(lit.Pos()), s)
					}
				}
			}
			return true
		})
	}
	tplRE := regexp.MustCompile(`\bt "([A-Za-z0-9]+)"`)
	tpls, _ := filepath.Glob("templates/*.tmpl")
	for _, f := range tpls {
		src, _ := os.ReadFile(f)
		for _, m := range tplRE.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
			if _, ok := ids[m[1]]; !ok && !i18n.Has(i18n.EN, m[1]) {
				t.Errorf("%s: message %s is in no catalog", f, m[1])
			}
		}
	}
	// The help of vpclab class and its subcommands is stitched together.
	for _, cmd := range []string{"Class", "ClassCheck", "ClassReport", "ClassRoleTemplate"} {
		parts := []string{"Usage", "Help", "Examples"}
		if cmd == "Class" {
			parts = append(parts, "Summary")
		}
		for _, p := range parts {
			id := "Cmd" + cmd + p
			used[id] = true
			if _, ok := ids[id]; !ok {
				t.Errorf("%s is missing", id)
			}
		}
	}
	var unused []string
	for id := range ids {
		if !used[id] {
			unused = append(unused, id)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("messages no code uses: %v", unused)
	}
}
