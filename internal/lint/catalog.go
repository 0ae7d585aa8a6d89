package lint

import (
	"errors"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Catalog is one language's message file.
type Catalog struct {
	Lang i18n.Lang
	Path string
	Src  []byte
}

type message struct {
	line         int
	placeholders []string
}

var placeholderRE = regexp.MustCompile(`\{\{[^}]*?\.([A-Za-z_][A-Za-z0-9_]*)`)

// Catalogs checks that every message ID exists in every language and that
// each translation uses the same placeholders as the English message: a
// translation that drops {{.ID}} hides the learner's resource id.
func Catalogs(cats []Catalog) content.Diags {
	var ds content.Diags
	parsed := map[i18n.Lang]map[string]message{}
	for _, c := range cats {
		msgs, d := parseCatalog(c)
		if d != nil {
			ds = append(ds, *d)
			continue
		}
		parsed[c.Lang] = msgs
	}
	if len(parsed) != len(cats) {
		return ds
	}
	for _, c := range cats {
		for id, m := range parsed[c.Lang] {
			for _, o := range cats {
				if o.Lang == c.Lang {
					continue
				}
				om, ok := parsed[o.Lang][id]
				if !ok {
					ds = append(ds, diag(content.Pos{File: c.Path, Line: m.line, Col: 1}, "LintCatalogMissing",
						i18n.M{"ID": id, "File": o.Path}))
					continue
				}
				// Report a placeholder mismatch once, in the translation.
				if c.Lang == i18n.EN && strings.Join(m.placeholders, ",") != strings.Join(om.placeholders, ",") {
					ds = append(ds, diag(content.Pos{File: o.Path, Line: om.line, Col: 1}, "LintCatalogPlaceholders", i18n.M{
						"ID": id, "Want": strings.Join(m.placeholders, " "), "Got": strings.Join(om.placeholders, " ")}))
				}
			}
		}
	}
	return ds
}

func parseCatalog(c Catalog) (map[string]message, *content.Diag) {
	var raw map[string]any
	if _, err := toml.Decode(string(c.Src), &raw); err != nil {
		p := content.Pos{File: c.Path, Line: 1, Col: 1}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			p.Line, p.Col = pe.Position.Line, pe.Position.Col
		}
		d := diag(p, "LintCatalogSyntax", i18n.M{"Detail": err.Error()})
		return nil, &d
	}
	lines := keyLines(c.Src)
	out := map[string]message{}
	for id, v := range raw {
		var texts []string
		switch v := v.(type) {
		case string:
			texts = []string{v}
		case map[string]any:
			for k, t := range v {
				if s, ok := t.(string); ok && k != "description" && k != "hash" {
					texts = append(texts, s)
				}
			}
		}
		set := map[string]bool{}
		for _, t := range texts {
			for _, m := range placeholderRE.FindAllStringSubmatch(t, -1) {
				set[m[1]] = true
			}
		}
		var ph []string
		for k := range set {
			ph = append(ph, k)
		}
		sort.Strings(ph)
		out[id] = message{line: lines[id], placeholders: ph}
	}
	return out, nil
}

var keyLineRE = regexp.MustCompile(`^\s*(?:\[\s*"?([A-Za-z0-9_.-]+)"?\s*\]|"?([A-Za-z0-9_-]+)"?\s*=)`)

// keyLines finds the line each top-level message starts on. The TOML
// library does not keep positions; message files are simple enough that a
// line scan is exact.
func keyLines(src []byte) map[string]int {
	out := map[string]int{}
	inTable := false
	for i, line := range strings.Split(string(src), "\n") {
		m := keyLineRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[1] != "" {
			out[m[1]] = i + 1
			inTable = true
		} else if !inTable {
			out[m[2]] = i + 1
		}
	}
	return out
}
