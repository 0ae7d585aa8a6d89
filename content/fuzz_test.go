package content_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// FuzzParsePage checks ParsePage's promise: it never panics, and every
// position it hands out names the file and a place that exists in it.
//
//	go test ./content -run '^$' -fuzz FuzzParsePage -fuzztime 60s
func FuzzParsePage(f *testing.F) {
	for _, name := range []string{"labs/first-vpc/index.en.md", "labs/first-vpc/index.ja.md"} {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
		f.Add(bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n")))
	}
	for _, s := range []string{
		"",
		"\ufeff",
		"---",
		"---\n",
		"---\n---\n",
		"---\r\n---\r\n",
		"\ufeff---\nid: x\n---\n## S {#s}\n",
		"---\nid: x\n",
		"---\nid: x\n...\n",
		"---\n[not, a, mapping]\n---\n",
		"---\ncost: {usd_per_hour: -1, region: x}\nduration: 0\n---\n",
		"---\ntitle: [\n---\n",
		"---\nid: a\nid: a\n---\n",
		"---\ntitle: ネットワーク: x\n---\n",
		frontMatter,
		withFM("## S {#s}\n\n'''check\nid: a\nkind: vpc\nneeds: [b]\ntimeout: 5m\n'''\n"),
		withFM("## S\n\n## S {#Bad}\n\n## T {#t}\n\n## T2 {#t}\n"),
		withFM("'''check\nid: a\n'''\n\n'''bash {solution}\nx\n'''\n"),
		withFM("## S {#s}\n\n- item\n\n  1. nested\n\n     '''check\n     id: [x\n     '''\n"),
		withFM("## S {#s}\n\n> '''check\n> id: a\n>   kind: x\n> '''\n"),
		withFM("## S {#s}\n\n'''check\n- a\n'''\n\n'''check\n\"just a string\"\n'''\n\n'''check\n'''\n"),
		withFM("## S {#s}\n\n'''bash {solution cleanup x=\"y z\"}\necho\n'''\n\n'''python {solution}\n1\n'''\n\n'''bash {solution\n'''\n"),
		withFM("## S {#s}\n\n'''check {x}\nid: a\n'''\n\n'''check\nid: a\n'''\n\n~~~check\nkind: [\n~~~\n"),
		withFM("## S {#s}\n\n'''check\nid: a\nkind: vpc"),
		withFM("## S {#s}\n\n[a](b.md) ![i](c.png) [r][ref] <https://example.com>\n\n[ref]: #s\n"),
		withFM("S {#s}\n-----\n\n'''check\n{id: a, kind: vpc, name: ネットワーク, x: [}\n'''\n"),
		withFM("## S {#s}\n\n'''check\n&a id: *a\n'''\n\n'''check\n!!map\n'''\n\n'''check\n? a\n: b\n'''\n"),
	} {
		f.Add([]byte(md(s)))
	}

	f.Fuzz(func(t *testing.T, src []byte) {
		checkParsed(t, src)
		sameMeta(t, src)
	})
}

// sameMeta: ParseMeta, which a site build reads every lab with before it
// renders any, reads the front matter exactly as ParsePage does, and
// finds nothing ParsePage does not.
func sameMeta(t *testing.T, src []byte) {
	t.Helper()
	const path = "labs/fuzz/index.en.md"
	full, fds := content.ParsePage(path, i18n.EN, src)
	meta, mds := content.ParseMeta(path, i18n.EN, src)
	if fmt.Sprint(meta.Meta) != fmt.Sprint(full.Meta) || meta.MetaPos != full.MetaPos || (meta.MetaYAML == nil) != (full.MetaYAML == nil) {
		t.Fatalf("input %q:\nParseMeta %+v at %v\nParsePage %+v at %v", src, meta.Meta, meta.MetaPos, full.Meta, full.MetaPos)
	}
	if meta.Source != nil || meta.Doc != nil || len(meta.Steps) > 0 {
		t.Fatalf("input %q: ParseMeta read the body", src)
	}
	found := map[string]bool{}
	for _, d := range fds {
		found[d.Pos.String()+d.ID] = true
	}
	for _, d := range mds {
		if !found[d.Pos.String()+d.ID] {
			t.Fatalf("input %q: ParseMeta found %s %s, ParsePage did not", src, d.Pos, d.ID)
		}
	}
}

// TestParseMetaIsParsePages: sameMeta on every page of the built-in labs.
func TestParseMetaIsParsePages(t *testing.T) {
	pages, err := fs.Glob(content.Embedded(), "labs/*/index.*.md")
	if err != nil || len(pages) < 10 {
		t.Fatalf("%d pages: %v", len(pages), err)
	}
	for _, name := range pages {
		src, err := fs.ReadFile(content.Embedded(), name)
		if err != nil {
			t.Fatal(err)
		}
		sameMeta(t, src)
	}
}

// FuzzCheckBlock fuzzes what authors write most: the YAML of a check
// block, inside a valid page. Besides ParsePage's promise, no block over
// the size limit gets to the YAML parser.
//
//	go test ./content -run '^$' -fuzz FuzzCheckBlock -fuzztime 60s
func FuzzCheckBlock(f *testing.F) {
	for _, s := range []string{
		"id: a\nkind: vpc\nname: demo\ncidr: 10.0.0.0/16\n",
		"id: a\nkind: vpc\nname: [does-not-exist]\n",
		"id: a\nkind: vpc\n",
		"name: " + strings.Repeat("[", 200) + strings.Repeat("]", 200),
		"name: " + strings.Repeat("{a: ", 100) + "x" + strings.Repeat("}", 100),
		"name:\n" + strings.Repeat("- ", 100) + "x",
		"a: &a [x, x]\nb: [*a, *a]\nname: *b\n",
		"id: a\nkind: vpc\nname: demo\n" + strings.Repeat("# c\n", 5000),
		"id: a\n\tkind: vpc\n",
		"? [a, b]\n: c\n",
		"name: \"ネットワーク\"\ncidr: '10.0.0.0/16'\n",
		"name: |\n  line\n  line\n",
		"---\nname: a\n---\nname: b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, block []byte) {
		if bytes.Contains(block, []byte("```")) || bytes.Contains(block, []byte("~~~")) {
			return // would close the fence: that is FuzzParsePage's ground
		}
		src := []byte(withFM("## S {#s}\n\n'''check\n") + string(block) + "\n```\n")
		p := checkParsed(t, src)
		if len(block) > content.MaxYAMLBytes+1 {
			for _, s := range p.Steps {
				for _, c := range s.Checks {
					if len(c.Body.Entries) > 0 {
						t.Fatalf("a %d-byte check block was parsed, over the %d-byte limit", len(block), content.MaxYAMLBytes)
					}
				}
			}
		}
	})
}

// checkParsed parses src as a page and checks ParsePage's promise: it
// never panics, and every position it hands out names the file and a place
// that exists in it.
func checkParsed(t *testing.T, src []byte) *content.Page {
	t.Helper()
	const path = "labs/fuzz/index.en.md"
	p, ds := content.ParsePage(path, i18n.EN, src)
	if p == nil {
		t.Fatal("ParsePage returned no page")
	}
	maxLine := bytes.Count(src, []byte("\n")) + 1 + 1 // lines in the input, plus one
	check := func(what string, pos content.Pos) {
		t.Helper()
		if pos.File != path || pos.Line < 1 || pos.Col < 1 || pos.Line > maxLine {
			t.Fatalf("%s: invalid position %#v (input has %d lines)\ninput: %q", what, pos, maxLine-1, src)
		}
	}
	for _, d := range ds {
		check("diagnostic "+d.ID, d.Pos)
		if d.ID == "" {
			t.Fatalf("diagnostic without an ID at %v", d.Pos)
		}
	}
	if p.MetaYAML != nil {
		check("front matter", p.MetaPos)
	}
	for _, s := range p.Steps {
		check("step "+s.ID, s.Pos)
		for _, c := range s.Checks {
			check("check "+c.ID, c.Pos)
			for _, l := range c.Lines {
				check("check line", l)
			}
			if c.Step != s || c.Body == nil {
				t.Fatalf("check %q at %v: Step or Body not set", c.ID, c.Pos)
			}
		}
		for _, b := range append(append([]*content.CodeBlock{}, s.Solution...), s.Cleanup...) {
			check("code block", b.Pos)
			for _, l := range b.Lines {
				check("code line", l)
			}
		}
	}
	for _, l := range p.Links {
		check("link "+l.Dest, l.Pos)
	}
	for _, pos := range p.Stray {
		check("stray block", pos)
	}
	return p
}
