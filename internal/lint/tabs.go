package lint

import (
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Console / CLI tabs (content/README.md, "Console and CLI tabs"): an
// author marks the two ways of doing a step with HTML comments, which
// GitHub and other Markdown viewers hide:
//
//	<!-- tab: console -->   … the console instructions …
//	<!-- tab: cli -->       … the AWS CLI instructions and their block …
//	<!-- /tabs -->
//
// The site (site/markdown.go, which reads the markers with the same
// expression) shows one tab at a time. These rules keep the markers well
// formed and the same, step by step, in both languages.

// tabMarker matches a marker; group 1 is a tab's name, empty for /tabs.
var tabMarker = regexp.MustCompile(`^<!--\s*(?:tab:\s*([A-Za-z0-9_-]+)|/tabs)\s*-->\s*$`)

// tabNames are the tabs the site knows how to label.
var tabNames = []string{"console", "cli"}

type tabGroup struct {
	step  string
	names []string
	pos   content.Pos
}

// tabMarkerOf returns the marker an HTML block is, if it is one.
func tabMarkerOf(n ast.Node, src []byte) (name string, closing, ok bool) {
	h, isHTML := n.(*ast.HTMLBlock)
	if !isHTML {
		return "", false, false
	}
	var b strings.Builder
	for i := 0; i < h.Lines().Len(); i++ {
		seg := h.Lines().At(i)
		b.Write(seg.Value(src))
	}
	if h.HasClosure() {
		b.Write(h.ClosureLine.Value(src))
	}
	m := tabMarker.FindStringSubmatch(strings.TrimSpace(b.String()))
	if m == nil {
		return "", false, false
	}
	return m[1], m[1] == "", true
}

// pageTabs lists a page's tab groups and what is wrong with its markers.
func pageTabs(p *content.Page) ([]tabGroup, content.Diags) {
	if p.Doc == nil {
		return nil, nil
	}
	var groups []tabGroup
	var ds content.Diags
	var open *tabGroup
	step := ""
	end := func() {
		if open != nil && len(open.names) < 2 {
			ds = append(ds, diag(open.pos, "LintTabsSingle", i18n.M{"Name": strings.Join(open.names, ", ")}))
		}
		if open != nil {
			groups = append(groups, *open)
		}
		open = nil
	}
	for n := p.Doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			if open != nil {
				ds = append(ds, diag(open.pos, "LintTabsUnclosed", nil))
				end()
			}
			step = content.HeadingID(h)
			continue
		}
		name, closing, ok := tabMarkerOf(n, p.Source)
		if !ok {
			continue
		}
		pos := p.PosOf(n.Lines().At(0).Start)
		switch {
		case closing && open == nil:
			ds = append(ds, diag(pos, "LintTabsStray", nil))
		case closing:
			end()
		default:
			if !slices.Contains(tabNames, name) {
				ds = append(ds, diag(pos, "LintTabsUnknown", i18n.M{"Name": name}))
			}
			if open == nil {
				open = &tabGroup{step: step, pos: pos}
			}
			open.names = append(open.names, name)
		}
	}
	if open != nil {
		ds = append(ds, diag(open.pos, "LintTabsUnclosed", nil))
		end()
	}
	return groups, ds
}

// tabRules checks each page's markers and that both languages mark the
// same tabs, in the same order, in each step.
func tabRules(en, ja *content.Page) content.Diags {
	eg, ds := pageTabs(en)
	jg, jds := pageTabs(ja)
	ds = append(ds, jds...)
	seq := func(gs []tabGroup, step string) (string, content.Pos, bool) {
		var parts []string
		var pos content.Pos
		found := false
		for _, g := range gs {
			if g.step == step {
				if !found {
					pos, found = g.pos, true
				}
				parts = append(parts, "["+strings.Join(g.names, " ")+"]")
			}
		}
		if len(parts) == 0 {
			return "", pos, false
		}
		return strings.Join(parts, " "), pos, found
	}
	var steps []string
	for _, g := range append(append([]tabGroup{}, eg...), jg...) {
		if !slices.Contains(steps, g.step) {
			steps = append(steps, g.step)
		}
	}
	for _, st := range steps {
		if st != "" && (en.StepByID(st) == nil || ja.StepByID(st) == nil) {
			continue // a step of one language only: LintStepOnlyHere says so
		}
		e, epos, eok := seq(eg, st)
		j, jpos, jok := seq(jg, st)
		if e == j {
			continue
		}
		// Report on the page that has the tabs (the Japanese one when both do).
		if jok {
			ds = append(ds, diag(jpos, "LintTabsOrder", i18n.M{"Step": st, "Here": j, "There": e, "Other": content.Pos{File: en.Path}}))
		} else if eok {
			ds = append(ds, diag(epos, "LintTabsOrder", i18n.M{"Step": st, "Here": e, "There": j, "Other": content.Pos{File: ja.Path}}))
		}
	}
	return ds
}
