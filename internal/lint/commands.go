package lint

import (
	"io/fs"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// labRef is a vpclab command shown in a lab's code that names a lab and,
// with --step, one of its steps. Learners copy these commands as they
// are: a renamed step, or a paragraph copied from another lab, left a
// command answering "no such step" (or checking the other lab), and lint
// said nothing.
type labRef struct {
	cmd             string // the command as far as it was read, for the message
	lab, step       string
	labPos, stepPos content.Pos
}

// labCommands are the subcommands whose first argument is a lab id.
var labCommands = map[string]bool{"check": true, "test": true}

// commandRefs finds the vpclab commands in p's code blocks and code
// spans. A word that is not shaped like an id (LAB, <lab>, $LAB) is a
// placeholder of the text, not a lab, and is left alone; so is a command
// whose lab is not its first argument.
func commandRefs(p *content.Page) []labRef {
	if p.Doc == nil {
		return nil
	}
	var refs []labRef
	scan := func(seg text.Segment) {
		refs = append(refs, refsIn(p, string(seg.Value(p.Source)), seg.Start)...)
	}
	_ = ast.Walk(p.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				scan(lines.At(i))
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					scan(t.Segment)
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return refs
}

// refsIn finds the commands in text, which starts at byte offset start of
// the page's source.
func refsIn(p *content.Page, text string, start int) []labRef {
	var refs []labRef
	for i := 0; ; {
		j := strings.Index(text[i:], "vpclab ")
		if j < 0 {
			return refs
		}
		at := i + j
		i = at + len("vpclab ")
		if at > 0 && !strings.ContainsRune(" \t/($\"'`", rune(text[at-1])) {
			continue // part of a longer word: myvpclab, vpclab-nat
		}
		line := text[i:]
		if k := strings.IndexAny(line, "\n\r|;&)#`\\"); k >= 0 {
			line = line[:k]
		}
		words := fields(line)
		if len(words) < 2 || !labCommands[words[0].text] {
			continue
		}
		lab := words[1]
		if !content.ValidID(lab.text) {
			continue
		}
		ref := labRef{lab: lab.text, labPos: p.PosOf(start + i + lab.off)}
		end := lab
		for k := 2; k < len(words); k++ {
			w := words[k]
			v, ok := strings.CutPrefix(w.text, "--step=")
			off := w.off + len("--step=")
			if !ok && w.text == "--step" && k+1 < len(words) {
				k++
				v, off, ok = words[k].text, words[k].off, true
			}
			if ok {
				end = words[k]
				if content.ValidID(v) {
					ref.step, ref.stepPos = v, p.PosOf(start+i+off)
				}
				break
			}
		}
		ref.cmd = "vpclab " + line[:end.off+len(end.text)]
		refs = append(refs, ref)
	}
}

type word struct {
	text string
	off  int
}

// fields is strings.Fields with each word's offset.
func fields(s string) []word {
	var out []word
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		if j > i {
			out = append(out, word{s[i:j], i})
		}
		i = j
	}
	return out
}

// commandRules judges the commands of lab's pages that name lab itself or
// a lab that does not exist; those naming another lab's step are returned
// in later, to be judged once every lab is loaded.
func commandRules(fsys fs.FS, lab *content.Lab, p *content.Page) (ds content.Diags, later []labRef) {
	for _, r := range commandRefs(p) {
		switch {
		case r.lab == lab.ID || r.lab == p.Meta.ID:
			// The page's own id, when its folder does not match, is that
			// finding's (LintLabIDMismatch, LintLabFolderInvalid): the
			// command is right once the folder is renamed.
			ds = append(ds, stepRule(lab, r)...)
		case !content.IsLab(fsys, path.Join(path.Dir(lab.Dir), r.lab)):
			data := i18n.M{"Command": r.cmd, "Lab": r.lab}
			if s := content.Suggest(r.lab, siblingLabs(fsys, lab)); s != "" {
				data["Suggest"] = s
			}
			ds = append(ds, diag(r.labPos, "LintCommandLabUnknown", data))
		case r.step != "":
			later = append(later, r)
		}
	}
	return ds, later
}

// stepRule reports r's step when lab does not have it.
func stepRule(lab *content.Lab, r labRef) content.Diags {
	p := lab.Page(i18n.EN)
	if r.step == "" || p == nil || p.StepByID(r.step) != nil {
		return nil
	}
	var ids []string
	for _, s := range p.Steps {
		if s.ID != "" {
			ids = append(ids, s.ID)
		}
	}
	data := i18n.M{"Command": r.cmd, "Lab": lab.ID, "Step": r.step, "Steps": strings.Join(ids, ", ")}
	if s := content.Suggest(r.step, ids); s != "" {
		data["Suggest"] = s
	}
	for _, b := range lab.Checks() {
		if b.ID == r.step && b.Step != nil {
			data["Suggest"] = b.Step.ID // a check's id given as the step: its step
		}
	}
	return content.Diags{diag(r.stepPos, "LintCommandStepUnknown", data)}
}

// siblingLabs lists the labs next to lab whose folder is an id, for a
// suggestion (a folder that is none is LintLabFolderInvalid's).
func siblingLabs(fsys fs.FS, lab *content.Lab) []string {
	dir := path.Dir(lab.Dir)
	entries, _ := fs.ReadDir(fsys, dir)
	var out []string
	for _, e := range entries {
		if e.IsDir() && content.ValidID(e.Name()) && content.IsLab(fsys, path.Join(dir, e.Name())) {
			out = append(out, e.Name())
		}
	}
	return out
}

// crossStepRules judges the commands that name another lab's step, with
// every lab loaded.
func crossStepRules(labs []*content.Lab, refs []labRef) content.Diags {
	byID := map[string]*content.Lab{}
	for _, l := range labs {
		byID[l.ID] = l
	}
	var ds content.Diags
	for _, r := range refs {
		if l := byID[r.lab]; l != nil {
			ds = append(ds, stepRule(l, r)...)
		}
	}
	return ds
}
