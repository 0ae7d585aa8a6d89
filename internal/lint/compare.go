package lint

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// compare reports where the Japanese page has drifted from the English one.
// Prose is translated; everything a machine reads (front matter data, step
// ids and order, check blocks, commands) must be the same. Findings are
// placed in the Japanese file when both have the thing, since translations
// follow the English source; a thing only one side has is reported where it
// is.
func compare(en, ja *content.Page) content.Diags {
	var ds content.Diags
	ds = append(ds, compareMeta(en, ja)...)

	enIdx, jaIdx := stepIndex(en), stepIndex(ja)
	for _, s := range ja.Steps {
		if s.ID != "" && enIdx[s.ID] == nil {
			ds = append(ds, diag(s.Pos, "LintStepOnlyHere", i18n.M{"ID": s.ID, "Other": content.Pos{File: en.Path}}))
		}
	}
	for _, s := range en.Steps {
		if s.ID != "" && jaIdx[s.ID] == nil {
			ds = append(ds, diag(s.Pos, "LintStepOnlyHere", i18n.M{"ID": s.ID, "Other": content.Pos{File: ja.Path}}))
		}
	}
	ds = append(ds, compareOrder(en, ja, enIdx, jaIdx)...)

	for id, js := range jaIdx {
		if es := enIdx[id]; es != nil {
			ds = append(ds, compareStep(es, js)...)
		}
	}
	return ds
}

func stepIndex(p *content.Page) map[string]*content.Step {
	m := map[string]*content.Step{}
	for _, s := range p.Steps {
		if s.ID != "" && m[s.ID] == nil {
			m[s.ID] = s
		}
	}
	return m
}

// compareOrder reports the first step, among those both pages have, that
// stands in another place than in English.
func compareOrder(en, ja *content.Page, enIdx, jaIdx map[string]*content.Step) content.Diags {
	common := func(p *content.Page, other map[string]*content.Step) []*content.Step {
		var out []*content.Step
		for _, s := range p.Steps {
			if other[s.ID] != nil {
				out = append(out, s)
			}
		}
		return out
	}
	e, j := common(en, jaIdx), common(ja, enIdx)
	for i := range min(len(e), len(j)) {
		if e[i].ID != j[i].ID {
			return content.Diags{diag(j[i].Pos, "LintStepOrder", i18n.M{"ID": j[i].ID, "Want": e[i].ID, "Other": e[i].Pos})}
		}
	}
	return nil
}

func compareStep(es, js *content.Step) content.Diags {
	var ds content.Diags
	if !sameAttrs(es.Attrs, js.Attrs) {
		ds = append(ds, diag(js.Pos, "LintStepAttrsDiffer", i18n.M{"ID": js.ID, "Other": es.Pos}))
	}
	for i := range max(len(es.Checks), len(js.Checks)) {
		switch {
		case i >= len(js.Checks):
			ds = append(ds, diag(es.Checks[i].Pos, "LintCheckOnlyHere", i18n.M{"Step": js.ID, "Other": content.Pos{File: js.Pos.File}}))
		case i >= len(es.Checks):
			ds = append(ds, diag(js.Checks[i].Pos, "LintCheckOnlyHere", i18n.M{"Step": js.ID, "Other": content.Pos{File: es.Pos.File}}))
		case es.Checks[i].Raw != js.Checks[i].Raw:
			at, other := firstDiff(es.Checks[i], js.Checks[i])
			ds = append(ds, diag(at, "LintCheckDiffers", i18n.M{"ID": es.Checks[i].ID, "Other": other}))
		}
	}
	ds = append(ds, compareCode(es.Solution, js.Solution, es, js)...)
	ds = append(ds, compareCode(es.Cleanup, js.Cleanup, es, js)...)
	return ds
}

// firstDiff points at the first character where the Japanese check block
// departs from the English one, in each of them.
func firstDiff(e, j *content.CheckBlock) (at, other content.Pos) {
	el, jl := strings.SplitAfter(e.Raw, "\n"), strings.SplitAfter(j.Raw, "\n")
	for i := range min(len(el), len(jl), len(j.Lines), len(e.Lines)) {
		if el[i] == jl[i] {
			continue
		}
		col := 0
		for col < len(el[i]) && col < len(jl[i]) && el[i][col] == jl[i][col] {
			col++
		}
		for col > 0 && col < len(jl[i]) && !utf8.RuneStart(jl[i][col]) {
			col-- // never point into the middle of a character
		}
		at, other = j.Lines[i], e.Lines[i]
		at.Col += col
		other.Col += col
		return at, other
	}
	// One block is a prefix of the other: point at where they part, which
	// is the closing fence of the shorter.
	n := min(len(el), len(jl))
	return partAt(j.Lines, n, j.Pos), partAt(e.Lines, n, e.Pos)
}

// partAt is line n of a block whose lines are at lines, or its closing
// fence past its last line.
func partAt(lines []content.Pos, n int, fence content.Pos) content.Pos {
	if n < len(lines) {
		return lines[n]
	} else if len(lines) > 0 {
		last := lines[len(lines)-1]
		return content.Pos{File: last.File, Line: last.Line + 1, Col: fence.Col}
	}
	return fence
}

// compareCode checks that commands agree; comments may be translated.
func compareCode(e, j []*content.CodeBlock, es, js *content.Step) content.Diags {
	var ds content.Diags
	for i := range max(len(e), len(j)) {
		switch {
		case i >= len(j):
			ds = append(ds, diag(e[i].Pos, "LintCodeOnlyHere", i18n.M{"Role": string(e[i].Role), "Step": js.ID, "Other": content.Pos{File: js.Pos.File}}))
		case i >= len(e):
			ds = append(ds, diag(j[i].Pos, "LintCodeOnlyHere", i18n.M{"Role": string(j[i].Role), "Step": js.ID, "Other": content.Pos{File: es.Pos.File}}))
		case !sameAttrs(e[i].Attrs, j[i].Attrs):
			ds = append(ds, diag(j[i].Pos, "LintCodeAttrsDiffer", i18n.M{"Role": string(j[i].Role), "Other": e[i].Pos}))
		case commands(e[i].Code) != commands(j[i].Code):
			at, other, space := codeDiff(e[i], j[i])
			id := "LintCodeDiffers"
			if space {
				id = "LintCodeDiffersSpace"
			}
			ds = append(ds, diag(at, id, i18n.M{"Role": string(j[i].Role), "Other": other}))
		}
	}
	return ds
}

// commands is a shell script without comments and blank lines: the part
// that must not differ between languages.
func commands(code string) string {
	var b strings.Builder
	for _, l := range commandLines(code) {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return b.String()
}

// codeLine is a line of commands: its text without comment and trailing
// blanks, and which line of its block it is.
type codeLine struct {
	text string
	at   int
}

func commandLines(code string) []codeLine {
	var out []codeLine
	for i, line := range strings.Split(code, "\n") {
		c := strings.TrimRight(shellCode(line), " \t")
		if strings.TrimSpace(c) != "" {
			out = append(out, codeLine{c, i})
		}
	}
	return out
}

// codeDiff points, in the Japanese block and in the English one, at the
// first character where their commands part (a line only one has: that
// line, or the closing fence of the other), and reports whether the two
// lines differ only in white space, which is hard to see.
func codeDiff(e, j *content.CodeBlock) (at, other content.Pos, space bool) {
	el, jl := commandLines(e.Code), commandLines(j.Code)
	pos := func(b *content.CodeBlock, lines []codeLine, i, col int) content.Pos {
		if i < len(lines) && lines[i].at < len(b.Lines) {
			p := b.Lines[lines[i].at]
			p.Col += col
			return p
		}
		return partAt(b.Lines, len(b.Lines), b.Pos)
	}
	for i := range max(len(el), len(jl)) {
		col := 0
		if i < len(el) && i < len(jl) {
			a, b := el[i].text, jl[i].text
			if a == b {
				continue
			}
			for col < len(a) && col < len(b) && a[col] == b[col] {
				col++
			}
			for col > 0 && col < len(b) && !utf8.RuneStart(b[col]) {
				col-- // never point into the middle of a character
			}
			space = strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
		}
		return pos(j, jl, i, col), pos(e, el, i, col), space
	}
	return j.Pos, e.Pos, false
}

// shellCode is a line of shell without its comment. As in the shell, # starts
// a comment only at the start of a word and outside quotes, so ${VAR#x}
// and "a # b" stay code.
func shellCode(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\\':
			i++
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i]
		}
	}
	return line
}

func compareMeta(en, ja *content.Page) content.Diags {
	if en.MetaYAML == nil || ja.MetaYAML == nil {
		return nil
	}
	var ds content.Diags
	for _, f := range content.FrontMatterFields {
		if content.TranslatedFrontMatter[f.Name] {
			continue
		}
		ev, eok := en.MetaYAML.Get(f.Name)
		jv, jok := ja.MetaYAML.Get(f.Name)
		if !eok && !jok {
			continue
		}
		if eok != jok || !sameValue(f, ev, jv) {
			p := ja.MetaYAML.KeyPos(f.Name)
			if !jok {
				p = ja.MetaPos
			}
			ds = append(ds, diag(p, "LintMetaDiffers", i18n.M{
				"Field": f.Name, "Want": show(ev, eok), "Got": show(jv, jok), "Other": en.MetaYAML.KeyPos(f.Name)}))
		}
	}
	return ds
}

// sameValue compares as the schema reads the field, so [VPC] equals VPC
// and 0 equals 0.0.
func sameValue(f content.Field, a, b content.Value) bool {
	switch f.Type {
	case content.Strings:
		x, _ := a.Strings()
		y, _ := b.Strings()
		return reflect.DeepEqual(x, y)
	case content.Number, content.Int, content.Port:
		x, xok := a.Float()
		y, yok := b.Float()
		if xok && yok {
			return x == y
		}
	case content.Object:
		am, aok := a.Mapping()
		bm, bok := b.Mapping()
		if aok && bok {
			for _, sub := range f.Fields {
				av, ah := am.Get(sub.Name)
				bv, bh := bm.Get(sub.Name)
				if ah != bh || (ah && !sameValue(sub, av, bv)) {
					return false
				}
			}
			return len(am.Entries) == len(bm.Entries)
		}
	}
	return reflect.DeepEqual(a.Any(), b.Any())
}

func show(v content.Value, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprint(v.Any())
}

// sameAttrs: both pages give a step or block the same attributes, with
// the same values, except a sandbox reason: learners read it, so each
// page words it in its own language.
func sameAttrs(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || v != w && k != "sandbox" {
			return false
		}
	}
	return true
}
