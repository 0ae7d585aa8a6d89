// Package lint finds what is wrong with lab content before a learner does:
// everything the parser reports, plus the rules that need more than one
// file (the two languages must agree) or the check registry.
package lint

import (
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/regions"
)

// Labs lints labs read from fsys. parsed are the diagnostics the loader
// already found; they are part of the result.
func Labs(fsys fs.FS, labs []*content.Lab, parsed content.Diags) content.Diags {
	g := newGlossaries(fsys)
	ds := append(content.Diags{}, parsed...)
	for _, lab := range labs {
		ds = append(ds, g.lint(lab)...)
	}
	ds = append(ds, crossStepRules(labs, g.later)...)
	return finish(ds)
}

// Load loads the labs under root and lints them, as Labs on what
// content.Load returns would, but a lab per processor at a time, releasing
// each lab's syntax trees once it is linted (content.ReleaseTrees): nothing
// after lint reads them, and holding every tree of a large site at once
// was most of the memory a build needed.
func Load(fsys fs.FS, root string) ([]*content.Lab, content.Diags, error) {
	return LoadEach(fsys, root, nil)
}

// LoadEach is Load with clean called on every lab in which neither the
// parser nor lint found anything, with its syntax trees, before they are
// released: a site build renders each lab from the trees lint has just
// read instead of parsing every page again. clean is called concurrently,
// a lab per processor.
func LoadEach(fsys fs.FS, root string, clean func(*content.Lab)) ([]*content.Lab, content.Diags, error) {
	g := newGlossaries(fsys)
	labs, ds, err := content.LoadEach(fsys, root, func(lab *content.Lab, parsed content.Diags) content.Diags {
		ds := g.lint(lab)
		if clean != nil && len(parsed) == 0 && len(ds) == 0 {
			clean(lab)
		}
		content.ReleaseTrees([]*content.Lab{lab})
		return ds
	})
	if err != nil {
		return nil, nil, err
	}
	ds = append(ds, crossStepRules(labs, g.later)...)
	return labs, finish(ds), nil
}

func finish(ds content.Diags) content.Diags {
	ds = dedupe(ds)
	ds.Sort()
	return ds
}

// glossaries reads each content folder's glossary once, for labs linted
// concurrently, and keeps the commands that name another lab's step
// (commandRules) until every lab is loaded.
type glossaries struct {
	fsys  fs.FS
	mu    sync.Mutex
	byDir map[string]glossary
	later []labRef
}

type glossary struct {
	terms []content.Term
	err   error
}

func newGlossaries(fsys fs.FS) *glossaries {
	return &glossaries{fsys: fsys, byDir: map[string]glossary{}}
}

func (g *glossaries) lint(lab *content.Lab) content.Diags {
	dir := path.Dir(lab.Dir)
	g.mu.Lock()
	e, ok := g.byDir[dir]
	if !ok {
		e.terms, e.err = content.Glossary(g.fsys, dir)
		g.byDir[dir] = e
	}
	g.mu.Unlock()
	var ds content.Diags
	if e.err != nil {
		ds = append(ds, diag(content.Pos{File: path.Join(path.Dir(dir), "glossary.yaml")}, "LintGlossaryInvalid", i18n.M{"Err": e.err}))
	}
	for _, l := range i18n.Langs {
		if p := lab.Pages[l]; p != nil {
			cds, later := commandRules(g.fsys, lab, p)
			ds = append(ds, cds...)
			g.mu.Lock()
			g.later = append(g.later, later...)
			g.mu.Unlock()
		}
	}
	return append(ds, labRules(g.fsys, lab, e.terms)...)
}

func diag(p content.Pos, id string, args i18n.M) content.Diag {
	return content.Diag{Pos: p, ID: id, Args: args}
}

func labRules(fsys fs.FS, lab *content.Lab, terms []content.Term) content.Diags {
	var ds content.Diags
	for _, l := range i18n.Langs {
		p := lab.Pages[l]
		if p == nil {
			continue
		}
		ds = append(ds, pageRules(fsys, lab, p)...)
		ds = append(ds, glossaryRules(p, terms)...)
	}
	ds = append(ds, fileRules(fsys, lab)...)
	en, ja := lab.Pages[i18n.EN], lab.Pages[i18n.JA]
	if en != nil && ja != nil && !en.Unread && !ja.Unread {
		ds = append(ds, compare(en, ja)...)
		ds = append(ds, tabRules(en, ja)...)
	}
	return ds
}

// fileRules: the site copies every file of a lab's folder into the build
// and refuses one over content.MaxLabFileBytes, so lint says so first.
func fileRules(fsys fs.FS, lab *content.Lab) content.Diags {
	var ds content.Diags
	_ = fs.WalkDir(fsys, lab.Dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() > content.MaxLabFileBytes {
			ds = append(ds, diag(content.Pos{File: name, Line: 1, Col: 1}, "LintLabFileTooLarge", i18n.M{"MiB": info.Size() >> 20, "Limit": content.MaxLabFileBytes >> 20}))
		}
		return nil
	})
	return ds
}

func pageRules(fsys fs.FS, lab *content.Lab, p *content.Page) content.Diags {
	var ds content.Diags
	if p.MetaYAML != nil {
		if v, ok := p.MetaYAML.Get("id"); ok && !content.ValidID(lab.ID) {
			// The folder is what is wrong ("My Lab"): a lab's id is its
			// folder's name, so renaming it is the fix, to the front
			// matter's id when that one is valid.
			want := p.Meta.ID
			if !content.ValidID(want) {
				want = content.IDExample(lab.ID, "nat-private-egress")
			}
			ds = append(ds, diag(v.Pos, "LintLabFolderInvalid", i18n.M{"Folder": lab.ID, "Want": want}))
		} else if ok && p.Meta.ID != "" && p.Meta.ID != lab.ID {
			ds = append(ds, diag(v.Pos, "LintLabIDMismatch", i18n.M{"ID": p.Meta.ID, "Folder": lab.ID}))
		}
		for _, pre := range p.Meta.Prerequisites {
			if pre == lab.ID {
				ds = append(ds, diag(p.MetaYAML.KeyPos("prerequisites"), "LintPrerequisiteSelf", i18n.M{"ID": pre}))
			} else if !content.IsLab(fsys, path.Join(path.Dir(lab.Dir), pre)) {
				ds = append(ds, diag(p.MetaYAML.KeyPos("prerequisites"), "LintPrerequisiteUnknown", i18n.M{"ID": pre}))
			}
		}
		ds = append(ds, regionRules(p)...)
	}
	ds = append(ds, checkRules(p)...)
	ds = append(ds, mutationRules(p)...)
	ds = append(ds, roleRules(p)...)
	ds = append(ds, linkRules(fsys, lab, p)...)
	ds = append(ds, placeholderRules(p)...)
	ds = append(ds, htmlRules(p)...)
	ds = append(ds, styleRules(p)...) // content/STYLE.md (labs area)
	return ds
}

// regionRules: a lab's Region (and its price's) must be one AWS has;
// us-east-9 passed lint, and every learner's check then failed on an
// endpoint that does not exist (or the sandbox's HTTP 500).
func regionRules(p *content.Page) content.Diags {
	var ds content.Diags
	check := func(v content.Value, ok bool) {
		r := v.Str()
		if !ok || !content.ValidRegion(r) || regions.Known(r) { // a malformed one is content's finding
			return
		}
		data := i18n.M{"Region": r}
		id := "LintRegionUnknown"
		if s := content.Suggest(r, regions.All); s != "" {
			id, data["Suggest"] = "LintRegionUnknownSuggest", s
		}
		ds = append(ds, diag(v.Pos, id, data))
	}
	check(p.MetaYAML.Get("region"))
	if c, ok := p.MetaYAML.Get("cost"); ok {
		if m, ok := c.Mapping(); ok {
			check(m.Get("region"))
		}
	}
	return ds
}

// checkRules validates every check block against its kind.
func checkRules(p *content.Page) content.Diags {
	var ds content.Diags
	defined := map[string]bool{}
	for _, s := range p.Steps {
		for _, c := range s.Checks {
			if c.Kind != "" {
				k, ok := checks.Lookup(c.Kind)
				if !ok {
					v, _ := c.Body.Get("kind")
					ds = append(ds, diag(v.Pos, "LintKindUnknown", i18n.M{
						"Kind": c.Kind, "Known": strings.Join(checks.Names(), ", "), "Suggest": content.Suggest(c.Kind, checks.Names())}))
				} else {
					ds = append(ds, k.Validate(c.Params)...)
				}
			}
			for _, n := range c.Needs {
				if !defined[n] {
					ds = append(ds, diag(c.Body.KeyPos("needs"), "LintNeedsUnknown", i18n.M{"ID": n}))
				}
			}
			if c.ID != "" {
				defined[c.ID] = true
			}
		}
	}
	return ds
}

// linkRules reports relative links and images that lead nowhere, and
// #anchors that name no heading of the page.
func linkRules(fsys fs.FS, lab *content.Lab, p *content.Page) content.Diags {
	var ds content.Diags
	for _, l := range p.Links {
		u, err := url.Parse(l.Dest)
		if err != nil {
			ds = append(ds, diag(l.Pos, "LintLinkBroken", i18n.M{"Dest": l.Dest}))
			continue
		}
		if u.Scheme != "" || u.Host != "" || strings.HasPrefix(l.Dest, "/") {
			continue // absolute: not ours to check offline
		}
		if u.Path == "" {
			if u.Fragment != "" && !hasAnchor(p, u.Fragment) {
				ds = append(ds, diag(l.Pos, "LintAnchorUnknown", i18n.M{"Anchor": u.Fragment}))
			}
			continue
		}
		target := path.Join(lab.Dir, u.Path)
		if labs := path.Dir(lab.Dir); labs != "." && !strings.HasPrefix(target, labs+"/") {
			// The site holds the labs and their files only, whatever
			// else the checkout has: the link would be broken there.
			ds = append(ds, diag(l.Pos, "LintLinkOutside", i18n.M{"Dest": l.Dest}))
			continue
		}
		if _, err := fs.Stat(fsys, target); err != nil {
			id := "LintLinkBroken"
			if l.Image {
				id = "LintImageBroken"
			}
			ds = append(ds, diag(l.Pos, id, i18n.M{"Dest": l.Dest}))
		}
	}
	return ds
}

func hasAnchor(p *content.Page, id string) bool {
	if p.StepByID(id) != nil {
		return true
	}
	found := false
	for n := p.Doc.FirstChild(); n != nil && !found; n = n.NextSibling() {
		if v, ok := n.AttributeString("id"); ok {
			if b, ok := v.([]byte); ok && string(b) == id {
				found = true
			}
		}
	}
	return found
}

// placeholderIDs finds resource ids written into commands: a learner's
// ids differ, so solutions must capture ids in shell variables instead.
// It finds what the expression
//
//	\b(vpc|subnet|igw|eigw|nat|rtb|rtbassoc|eipalloc|eipassoc|eni|sg|sgr|acl|vpce|pl)-([0-9a-fA-FxX]{4,}|<[^>]*>|\.\.\.+)
//
// finds (FindAllStringIndex; TestPlaceholderIDsIsTheExpression holds it to
// it), in one pass: resource names such as vpclab-nat-vpc hold the id
// prefixes on nearly every line of a lab, and the expression was most of
// lint's time.
func placeholderIDs(code string) [][2]int {
	var out [][2]int
	for i := 0; i < len(code); {
		if !idStarts[code[i]] || i > 0 && isWordByte(code[i-1]) {
			i++
			continue
		}
		end := -1
		for _, p := range idPrefixes {
			if strings.HasPrefix(code[i:], p) {
				if end = idSuffixEnd(code, i+len(p)); end >= 0 {
					break
				}
			}
		}
		if end < 0 {
			i++
			continue
		}
		out = append(out, [2]int{i, end})
		i = end
	}
	return out
}

// idSuffixEnd is where a placeholder's id part that starts at i ends, or
// -1 when none starts there.
func idSuffixEnd(code string, i int) int {
	j := i
	switch {
	case j < len(code) && code[j] == '<':
		k := strings.IndexByte(code[j+1:], '>')
		if k < 0 {
			return -1
		}
		return j + 1 + k + 1
	case j < len(code) && code[j] == '.':
		for j < len(code) && code[j] == '.' {
			j++
		}
		if j-i < 3 {
			return -1
		}
		return j
	}
	for j < len(code) && (isHexByte(code[j]) || code[j] == 'x' || code[j] == 'X') {
		j++
	}
	if j-i < 4 {
		return -1
	}
	return j
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isHexByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// idPrefixes are the id prefixes placeholderIDs looks for, with their
// hyphen.
var idPrefixes = []string{"vpc-", "subnet-", "igw-", "eigw-", "nat-", "rtb-", "rtbassoc-", "eipalloc-",
	"eipassoc-", "eni-", "sg-", "sgr-", "acl-", "vpce-", "pl-"}

// idStarts are the bytes an id prefix starts with.
var idStarts = func() (t [256]bool) {
	for _, p := range idPrefixes {
		t[p[0]] = true
	}
	return t
}()

// placeholderValue is a value left for the reader to fill in, <VPC_ID> or
// YOUR_EMAIL: pasted as it is, the shell reads <…> as a redirection and
// AWS gets the word itself.
var placeholderValue = regexp.MustCompile(`<[A-Z][A-Z0-9_-]*>|\bYOUR[_-][A-Z0-9_-]+\b`)

func placeholderRules(p *content.Page) content.Diags {
	var ds content.Diags
	for _, s := range p.Steps {
		for _, b := range append(append([]*content.CodeBlock{}, s.Solution...), s.Cleanup...) {
			for i, line := range strings.SplitAfter(b.Code, "\n") {
				if i >= len(b.Lines) {
					break
				}
				code := shellCode(line) // comments may show example ids
				for _, m := range placeholderIDs(code) {
					pos := b.Lines[i]
					pos.Col += m[0]
					ds = append(ds, diag(pos, "LintPlaceholderID", i18n.M{"ID": code[m[0]:m[1]]}))
				}
				if strings.Contains(code, "<") || strings.Contains(code, "YOUR") {
					for _, m := range placeholderValue.FindAllStringIndex(code, -1) {
						pos := b.Lines[i]
						pos.Col += m[0]
						ds = append(ds, diag(pos, "LintPlaceholderValue", i18n.M{"Value": code[m[0]:m[1]]}))
					}
				}
			}
		}
	}
	return ds
}

// dedupe drops a diagnostic reported twice at the same place.
func dedupe(ds content.Diags) content.Diags {
	seen := map[string]bool{}
	out := ds[:0]
	for _, d := range ds {
		k := d.Error() // position, rule and arguments: only true repeats merge
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}
