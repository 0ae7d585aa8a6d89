package content_test

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// md turns three apostrophes into three backticks, so that Markdown
// with code fences can be written in Go raw strings.
func md(s string) string { return strings.ReplaceAll(s, "'''", "```") }

// file is the path every test page is parsed as.
const file = "labs/demo/index.en.md"

func at(line, col int) content.Pos { return content.Pos{File: file, Line: line, Col: col} }

// frontMatter is a valid front matter of 12 lines: a body appended to it
// starts on line 13.
const frontMatter = `---
id: demo
title: Demo
summary: A demo.
level: beginner
duration: 5
cost:
  usd_per_hour: 0
  region: us-east-1
services: [VPC]
region: ap-northeast-1
---
`

// withFM puts the valid front matter before body; body line n is file line 12+n.
func withFM(body string) string { return frontMatter + md(body) }

// replaceFM returns the valid front matter with one line replaced, then body.
func replaceFM(t *testing.T, old, new, body string) string {
	t.Helper()
	if !strings.Contains(frontMatter, old) {
		t.Fatalf("front matter has no %q", old)
	}
	return strings.Replace(frontMatter, old, new, 1) + md(body)
}

// want is one expected diagnostic; args, when set, must be among its Args.
type want struct {
	id   string
	pos  content.Pos
	args i18n.M
}

func w(id string, pos content.Pos, args ...any) want {
	m := i18n.M{}
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i].(string)] = args[i+1]
	}
	return want{id: id, pos: pos, args: m}
}

// checkDiags asserts that ds is exactly the multiset of wanted (ID,
// position) pairs, and that each wanted argument has the wanted value.
func checkDiags(t *testing.T, ds content.Diags, wants []want) {
	t.Helper()
	key := func(id string, p content.Pos) string { return fmt.Sprintf("%s@%s", id, p) }
	var got, exp []string
	for _, d := range ds {
		got = append(got, key(d.ID, d.Pos))
	}
	for _, wd := range wants {
		exp = append(exp, key(wd.id, wd.pos))
	}
	sort.Strings(got)
	sort.Strings(exp)
	if !reflect.DeepEqual(got, exp) {
		t.Fatalf("diagnostics:\n got: %s\nwant: %s\n(all:\n%v)", strings.Join(got, "\n      "), strings.Join(exp, "\n      "), ds)
	}
	used := make([]bool, len(ds))
	for _, wd := range wants {
		found := false
		for i, d := range ds {
			if used[i] || d.ID != wd.id || d.Pos != wd.pos || !argsMatch(d.Args, wd.args) {
				continue
			}
			used[i], found = true, true
			if msg := d.Error(); strings.Contains(msg, "["+d.ID+"]") {
				t.Errorf("%s has no English message: %s", d.ID, msg)
			}
			break
		}
		if !found {
			t.Errorf("no %s at %s with args %v; got %v", wd.id, wd.pos, wd.args, ds)
		}
	}
}

func argsMatch(got, want i18n.M) bool {
	for k, v := range want {
		if fmt.Sprint(got[k]) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

// validPage exercises everything a lab page can hold. Line numbers matter:
// the test below asserts them.
var validPage = md(`---
id: demo-lab
title: "Demo: a lab"
summary: One sentence.
level: intermediate
duration: 45
cost:
  usd_per_hour: 0.062
  region: us-east-1
services: [VPC, EC2]
prerequisites:
  - first-vpc
region: ap-northeast-1
---

Intro with [a link](notes.md#part) and ![a picture](img/diagram.png).

'''text
an ordinary block: shown, never run
'''

## Create the *VPC* {#create-vpc sandbox="moto has no DNS"}

'''bash {solution}
VPC_ID=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16)
echo "$VPC_ID"
'''

'''check
id: vpc-exists
kind: vpc
name: demo
cidr: 10.0.0.0/16
timeout: 5m
retry: 15s
'''

### A sub-heading is not a step

1. In a list item:

   '''check
   id: subnet-ok
   kind: subnet
   name: demo-a
   public: false
   needs: [vpc-exists]
   '''

## Clean up {#cleanup}

See [the first step](#create-vpc).

~~~sh {cleanup}
aws ec2 delete-vpc --vpc-id "$VPC_ID"
~~~
`)

type param struct {
	Key      string
	KeyPos   content.Pos
	Value    any
	ValuePos content.Pos
}

type checkSummary struct {
	ID, Kind       string
	Timeout, Retry time.Duration
	Needs          []string
	Raw            string
	Pos            content.Pos
	Lines          []content.Pos
	Params         []param
}

func summarizeCheck(c *content.CheckBlock) checkSummary {
	s := checkSummary{ID: c.ID, Kind: c.Kind, Timeout: c.Timeout, Retry: c.Retry, Needs: c.Needs, Raw: c.Raw, Pos: c.Pos, Lines: c.Lines}
	if c.Params != nil {
		for _, e := range c.Params.Entries {
			s.Params = append(s.Params, param{e.Key, e.KeyPos, e.Value.Any(), e.Value.Pos})
		}
	}
	return s
}

type codeSummary struct {
	Lang  string
	Role  content.Role
	Code  string
	Pos   content.Pos
	Lines []content.Pos
	Attrs map[string]string
}

func summarizeCode(bs []*content.CodeBlock) []codeSummary {
	var out []codeSummary
	for _, b := range bs {
		out = append(out, codeSummary{b.Lang, b.Role, b.Code, b.Pos, b.Lines, b.Attrs})
	}
	return out
}

func lines(from, to, col int) []content.Pos {
	var out []content.Pos
	for l := from; l <= to; l++ {
		out = append(out, at(l, col))
	}
	return out
}

func TestParsePageValid(t *testing.T) {
	p, ds := content.ParsePage(file, i18n.EN, []byte(validPage))
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics:\n%v", ds)
	}
	if p.Path != file || p.Lang != i18n.EN || p.Doc == nil {
		t.Errorf("page = %q %q doc %v", p.Path, p.Lang, p.Doc)
	}

	wantMeta := content.FrontMatter{
		ID: "demo-lab", Title: "Demo: a lab", Summary: "One sentence.", Level: "intermediate", Duration: 45,
		Cost:     content.Cost{USDPerHour: 0.062, Region: "us-east-1"},
		Services: []string{"VPC", "EC2"}, Prerequisites: []string{"first-vpc"}, Region: "ap-northeast-1",
	}
	if !reflect.DeepEqual(p.Meta, wantMeta) {
		t.Errorf("Meta =\n%+v\nwant\n%+v", p.Meta, wantMeta)
	}
	if p.MetaPos != at(1, 1) {
		t.Errorf("MetaPos = %v", p.MetaPos)
	}
	if got := p.MetaYAML.KeyPos("prerequisites"); got != at(11, 1) {
		t.Errorf("KeyPos(prerequisites) = %v, want 11:1", got)
	}
	if v, _ := p.MetaYAML.Get("level"); v.Pos != at(5, 8) || v.Str() != "intermediate" {
		t.Errorf("level = %q at %v, want intermediate at 5:8", v.Str(), v.Pos)
	}
	cost, _ := p.MetaYAML.Get("cost")
	cm, ok := cost.Mapping()
	if !ok {
		t.Fatal("cost is not a mapping")
	}
	if r, _ := cm.Get("region"); cm.KeyPos("region") != at(9, 3) || r.Pos != at(9, 11) {
		t.Errorf("cost.region key at %v, value at %v; want 9:3 and 9:11", cm.KeyPos("region"), r.Pos)
	}
	// The front matter is blanked out for goldmark, newlines kept, so
	// offsets stay those of the file.
	if len(p.Source) != len(validPage) || strings.Contains(string(p.Source[:60]), "demo-lab") {
		t.Errorf("front matter not masked with offsets kept: %q", p.Source[:60])
	}

	if len(p.Steps) != 2 {
		t.Fatalf("got %d steps, want 2", len(p.Steps))
	}
	s1, s2 := p.Steps[0], p.Steps[1]
	if s1.ID != "create-vpc" || s1.Title != "Create the VPC" || s1.Pos != at(22, 1) ||
		!reflect.DeepEqual(s1.Attrs, map[string]string{"sandbox": "moto has no DNS"}) {
		t.Errorf("step 1 = %q %q %v %v", s1.ID, s1.Title, s1.Pos, s1.Attrs)
	}
	if s2.ID != "cleanup" || s2.Title != "Clean up" || s2.Pos != at(50, 1) || len(s2.Attrs) != 0 {
		t.Errorf("step 2 = %q %q %v %v", s2.ID, s2.Title, s2.Pos, s2.Attrs)
	}
	if p.StepByID("cleanup") != s2 || p.StepByID("nope") != nil {
		t.Error("StepByID")
	}

	wantChecks := []checkSummary{{
		ID: "vpc-exists", Kind: "vpc", Timeout: 5 * time.Minute, Retry: 15 * time.Second,
		Raw: "id: vpc-exists\nkind: vpc\nname: demo\ncidr: 10.0.0.0/16\ntimeout: 5m\nretry: 15s\n",
		Pos: at(29, 1), Lines: lines(30, 35, 1),
		Params: []param{{"name", at(32, 1), "demo", at(32, 7)}, {"cidr", at(33, 1), "10.0.0.0/16", at(33, 7)}},
	}, {
		ID: "subnet-ok", Kind: "subnet", Needs: []string{"vpc-exists"},
		Raw: "id: subnet-ok\nkind: subnet\nname: demo-a\npublic: false\nneeds: [vpc-exists]\n",
		Pos: at(42, 4), Lines: lines(43, 47, 4),
		Params: []param{{"name", at(45, 4), "demo-a", at(45, 10)}, {"public", at(46, 4), false, at(46, 12)}},
	}}
	if len(s1.Checks) != 2 || len(s2.Checks) != 0 {
		t.Fatalf("checks per step = %d, %d; want 2, 0", len(s1.Checks), len(s2.Checks))
	}
	for i, c := range s1.Checks {
		if got := summarizeCheck(c); !reflect.DeepEqual(got, wantChecks[i]) {
			t.Errorf("check %d =\n%+v\nwant\n%+v", i, got, wantChecks[i])
		}
		if c.Step != s1 || c.Node == nil || c.Body == nil {
			t.Errorf("check %d: Step, Node or Body not set", i)
		}
	}
	if got := c2ids((&content.Lab{Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}).Checks()); got != "vpc-exists subnet-ok" {
		t.Errorf("Lab.Checks = %s", got)
	}

	wantSol := []codeSummary{{"bash", content.Solution, "VPC_ID=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16)\necho \"$VPC_ID\"\n",
		at(24, 1), lines(25, 26, 1), map[string]string{"solution": ""}}}
	if got := summarizeCode(s1.Solution); !reflect.DeepEqual(got, wantSol) {
		t.Errorf("solution =\n%+v\nwant\n%+v", got, wantSol)
	}
	wantClean := []codeSummary{{"sh", content.Cleanup, "aws ec2 delete-vpc --vpc-id \"$VPC_ID\"\n",
		at(54, 1), lines(55, 55, 1), map[string]string{"cleanup": ""}}}
	if got := summarizeCode(s2.Cleanup); !reflect.DeepEqual(got, wantClean) {
		t.Errorf("cleanup =\n%+v\nwant\n%+v", got, wantClean)
	}
	if len(s1.Cleanup) != 0 || len(s2.Solution) != 0 {
		t.Errorf("blocks in the wrong role: %d cleanup in step 1, %d solution in step 2", len(s1.Cleanup), len(s2.Solution))
	}

	wantLinks := []content.Link{
		{Dest: "notes.md#part", Pos: at(16, 12)},
		{Dest: "img/diagram.png", Image: true, Pos: at(16, 40)},
		{Dest: "#create-vpc", Pos: at(52, 5)},
	}
	if !reflect.DeepEqual(p.Links, wantLinks) {
		t.Errorf("Links =\n%+v\nwant\n%+v", p.Links, wantLinks)
	}
	if len(p.Stray) != 0 {
		t.Errorf("Stray = %v", p.Stray)
	}
}

func c2ids(cs []*content.CheckBlock) string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return strings.Join(ids, " ")
}

// TestParsePageLineEndings: a BOM and CRLF line endings change nothing but
// the bytes: same positions, no \r in values.
func TestParsePageLineEndings(t *testing.T) {
	body := "\n## Step {#step}\n\n'''check\nid: c\nkind: vpc\nname: x\n'''\n\n'''bash {solution}\necho hi\n'''\n"
	lf := withFM(body)
	variants := map[string]string{
		"LF":       lf,
		"BOM":      "\ufeff" + lf,
		"CRLF":     strings.ReplaceAll(lf, "\n", "\r\n"),
		"BOM+CRLF": "\ufeff" + strings.ReplaceAll(lf, "\n", "\r\n"),
	}
	for name, src := range variants {
		t.Run(name, func(t *testing.T) {
			p, ds := content.ParsePage(file, i18n.EN, []byte(src))
			if len(ds) != 0 {
				t.Fatalf("unexpected diagnostics:\n%v", ds)
			}
			if p.Meta.ID != "demo" || p.Meta.Region != "ap-northeast-1" || p.Meta.Cost.Region != "us-east-1" {
				t.Errorf("Meta = %+v", p.Meta)
			}
			if len(p.Steps) != 1 {
				t.Fatalf("got %d steps", len(p.Steps))
			}
			s := p.Steps[0]
			if s.ID != "step" || s.Title != "Step" || s.Pos != at(14, 1) {
				t.Errorf("step = %q %q %v", s.ID, s.Title, s.Pos)
			}
			if len(s.Checks) != 1 || len(s.Solution) != 1 {
				t.Fatalf("got %d checks, %d solutions", len(s.Checks), len(s.Solution))
			}
			c := s.Checks[0]
			if c.ID != "c" || c.Kind != "vpc" || c.Pos != at(16, 1) || !reflect.DeepEqual(c.Lines, lines(17, 19, 1)) {
				t.Errorf("check = %q %q %v %v", c.ID, c.Kind, c.Pos, c.Lines)
			}
			if v, _ := c.Params.Get("name"); v.Str() != "x" || v.Pos != at(19, 7) {
				t.Errorf("name = %q at %v", v.Str(), v.Pos)
			}
			if b := s.Solution[0]; b.Pos != at(22, 1) || !reflect.DeepEqual(b.Lines, lines(23, 23, 1)) || strings.TrimRight(b.Code, "\r\n") != "echo hi" {
				t.Errorf("solution = %v %v %q", b.Pos, b.Lines, b.Code)
			}
		})
	}
}

func TestParsePageDiagnostics(t *testing.T) {
	msg := func(id string) i18n.Msg { return i18n.Msg{ID: id} }
	tests := []struct {
		name  string
		src   func(t *testing.T) string
		wants []want
	}{
		// ---- front matter ----
		{"empty file", func(*testing.T) string { return "" },
			[]want{w("ContentFrontMatterMissing", at(1, 1))}},
		{"missing front matter", func(*testing.T) string { return "# Title\n\n## Step {#step}\n" },
			[]want{w("ContentFrontMatterMissing", at(1, 1))}},
		{"unclosed front matter", func(*testing.T) string { return "---\nid: demo\ntitle: Demo\n\n## Step {#step}\n" },
			[]want{w("ContentFrontMatterUnclosed", at(1, 1))}},
		{"BOM then missing front matter", func(*testing.T) string { return "\ufeff# Title\n" },
			[]want{w("ContentFrontMatterMissing", at(1, 1))}},
		{"BOM keeps byte columns", func(t *testing.T) string { return "\ufeff" + replaceFM(t, "id: demo", "id: Demo_1", "") },
			[]want{w("ContentIDInvalid", at(2, 5), "ID", "Demo_1", "Example", "demo-1")}},
		{"CRLF keeps columns", func(t *testing.T) string {
			return strings.ReplaceAll(replaceFM(t, "level: beginner", "level: expert", ""), "\n", "\r\n")
		}, []want{w("ContentFieldEnum", at(5, 8), "Field", "level", "Value", "expert", "Allowed", "beginner, intermediate, advanced")}},
		{"a blank title would make a blank lab card", func(t *testing.T) string { return replaceFM(t, "title: Demo", `title: "   "`, "") },
			[]want{w("ContentFieldEmpty", at(3, 8), "Field", "title")}},
		{"a byte that is not UTF-8, at its line and column", func(t *testing.T) string {
			return replaceFM(t, "title: Demo", "title: Demo", "\n## Step {#step}\n\nEvery \xff\xfe lab.\n")
		}, []want{w("ContentNotUTF8", at(16, 7))}},
		{"YAML syntax error in front matter", func(t *testing.T) string { return replaceFM(t, "services: [VPC]", "services: [VPC]]", "") },
			[]want{w("ContentYAMLSyntax", at(10, 16))}},
		{"unterminated string in front matter", func(t *testing.T) string { return replaceFM(t, "title: Demo", `title: "Demo`, "") },
			[]want{w("ContentYAMLSyntax", at(3, 8), "Detail", "could not find end character of double-quoted text")}},
		{"front matter is not a mapping", func(*testing.T) string { return "---\njust words\n---\n" },
			[]want{w("ContentYAMLNotMapping", at(2, 1))}},
		{"unknown field with a suggestion", func(t *testing.T) string { return replaceFM(t, "summary:", "sumary:", "") },
			[]want{
				w("ContentFieldUnknown", at(4, 1), "Field", "sumary", "Suggest", "summary", "Where", msg("WhereFrontMatter")),
				w("ContentFieldMissing", at(1, 1), "Field", "summary", "Where", msg("WhereFrontMatter")),
			}},
		{"unknown field without a suggestion", func(t *testing.T) string { return replaceFM(t, "region: ap-", "colour: blue\nregion: ap-", "") },
			[]want{w("ContentFieldUnknown", at(11, 1), "Field", "colour", "Suggest", "")}},
		{"unknown nested field", func(t *testing.T) string {
			return replaceFM(t, "  region: us-east-1", "  region: us-east-1\n  regoin: x", "")
		},
			[]want{w("ContentFieldUnknown", at(10, 3), "Field", "cost.regoin", "Suggest", "region")}},
		{"missing nested field", func(t *testing.T) string {
			return replaceFM(t, "cost:\n  usd_per_hour: 0\n  region: us-east-1\n", "cost: {region: us-east-1}\n", "")
		}, []want{w("ContentFieldMissing", at(7, 7), "Field", "cost.usd_per_hour", "Where", msg("WhereFrontMatter"))}},
		{"duplicate key in front matter", func(t *testing.T) string {
			return replaceFM(t, "level: beginner", "level: beginner\nlevel: advanced", "")
		},
			[]want{w("ContentYAMLDuplicateKey", at(6, 1), "Key", "level", "First", 5)}},
		{"wrong type: integer", func(t *testing.T) string { return replaceFM(t, "duration: 5", "duration: ten", "") },
			[]want{w("ContentFieldType", at(6, 11), "Field", "duration", "Want", msg("YAMLTypeInt"), "Got", `"ten"`)}},
		{"wrong type: list of strings", func(t *testing.T) string { return replaceFM(t, "services: [VPC]", "services: {vpc: yes}", "") },
			[]want{w("ContentFieldType", at(10, 11), "Field", "services", "Got", msg("YAMLGotMapping"))}},
		{"wrong type: mapping", func(t *testing.T) string {
			return replaceFM(t, "cost:\n  usd_per_hour: 0\n  region: us-east-1\n", "cost: 5\n", "")
		}, []want{w("ContentFieldType", at(7, 7), "Field", "cost", "Want", msg("YAMLTypeObject"), "Got", "5")}},
		{"wrong type: nothing", func(t *testing.T) string { return replaceFM(t, "title: Demo", "title:", "") },
			[]want{w("ContentFieldType", at(3, 1), "Field", "title", "Got", msg("YAMLGotNothing"))}},
		{"enum", func(t *testing.T) string { return replaceFM(t, "level: beginner", "level: expert", "") },
			[]want{w("ContentFieldEnum", at(5, 8), "Field", "level", "Value", "expert")}},
		{"duration not positive", func(t *testing.T) string { return replaceFM(t, "duration: 5", "duration: 0", "") },
			[]want{w("ContentFieldPositive", at(6, 11), "Field", "duration")}},
		{"negative cost", func(t *testing.T) string { return replaceFM(t, "usd_per_hour: 0", "usd_per_hour: -1", "") },
			[]want{w("ContentFieldNotNegative", at(8, 17), "Field", "cost.usd_per_hour")}},
		{"invalid regions", func(t *testing.T) string {
			return replaceFM(t, "  region: us-east-1\nservices: [VPC]\nregion: ap-northeast-1", "  region: US-East-1\nservices: [VPC]\nregion: tokyo", "")
		}, []want{
			w("ContentRegionInvalid", at(9, 11), "Region", "US-East-1", "Suggest", "us-east-1"),
			w("ContentRegionInvalid", at(11, 9), "Region", "tokyo", "Suggest", "ap-northeast-1"),
		}},
		{"invalid lab id", func(t *testing.T) string { return replaceFM(t, "id: demo", "id: My Lab", "") },
			[]want{w("ContentIDInvalid", at(2, 5), "ID", "My Lab", "Example", "my-lab")}},

		// ---- steps ----
		{"step without id", func(*testing.T) string { return withFM("\n## A step\n") },
			[]want{w("ContentStepNoID", at(14, 1), "Title", "A step")}},
		{"invalid step id", func(*testing.T) string { return withFM("\n## A step {#Step_1}\n") },
			[]want{w("ContentIDInvalid", at(14, 1), "ID", "Step_1", "Example", "step-1")}},
		{"duplicate step id", func(*testing.T) string { return withFM("\n## One {#one}\n\n## Two {#two}\n\n## Again {#one}\n") },
			[]want{w("ContentStepDuplicateID", at(18, 1), "ID", "one", "First", 14)}},
		{"unknown step attribute", func(*testing.T) string { return withFM("\n## A step {#step .wide sandbox=\"no NAT in moto\"}\n") },
			[]want{w("ContentStepAttrUnknown", at(14, 1), "Attr", "class")}},
		{"step id in a setext heading", func(*testing.T) string { return withFM("\nA step\n------\n") },
			[]want{w("ContentStepNoID", at(14, 1), "Title", "A step")}},

		// ---- code blocks ----
		{"check block before the first step", func(*testing.T) string {
			return withFM("\n'''check\nid: early\nkind: vpc\nname: x\n'''\n\n## Step {#step}\n")
		}, []want{w("ContentBlockOutsideStep", at(14, 1))}},
		{"solution block before the first step", func(*testing.T) string {
			return withFM("\n- item\n\n  '''bash {solution}\n  echo hi\n  '''\n\n## Step {#step}\n")
		}, []want{w("ContentBlockOutsideStep", at(16, 3))}},
		{"unknown code attribute", func(*testing.T) string { return withFM("\n## Step {#step}\n\n'''bash {solution verbose}\necho\n'''\n") },
			[]want{w("ContentCodeAttrUnknown", at(16, 1), "Attr", "verbose", "Allowed", "solution, cleanup, sandbox")}},
		{"misspelt code attribute", func(*testing.T) string { return withFM("\n## Step {#step}\n\n'''bash {soluton}\necho\n'''\n") },
			[]want{w("ContentCodeAttrUnknown", at(16, 1), "Attr", "soluton", "Suggest", "solution")}},
		{"attribute on a check block", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''check {solution}\nid: c\nkind: vpc\n'''\n")
		}, []want{w("ContentCheckAttr", at(16, 1), "Attr", "solution")}},
		{"a check's waits out of bounds: hours, a burst of calls, no retry at all", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''check\nid: a\nkind: vpc\ntimeout: 1000000h\n'''\n\n'''check\nid: b\nkind: vpc\nretry: 1ns\n'''\n\n'''check\nid: c\nkind: vpc\ntimeout: 1s\nretry: 5s\n'''\n")
		}, []want{w("ContentCheckTimeout", at(19, 10), "Got", "1000000h", "Max", "30m"), w("ContentCheckRetry", at(25, 8), "Got", "1ns", "Min", "1s"),
			w("ContentCheckRetryTimeout", at(32, 8), "Retry", "5s", "Timeout", "1s")}},
		{"a tab in YAML is named as such, not printed raw", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''check\nid: c\nkind: vpc\n\tname: v\n'''\n")
		}, []want{w("ContentYAMLTab", at(19, 1))}},
		{"a solution fence never closed swallows the check below it", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''bash {solution}\necho hi\n\n'''check\nid: c\nkind: vpc\nname: v\n")
		}, []want{w("ContentFenceUnclosed", at(16, 1))}},
		{"a check fence misspelt: the step would silently lose its check", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''chek\nid: c\nkind: vpc\n'''\n\n'''Check\nid: d\n'''\n\n'''mutation\n'''\n")
		}, []want{w("ContentFenceTypo", at(16, 1), "Lang", "chek", "Want", "check"), w("ContentFenceTypo", at(21, 1), "Lang", "Check", "Want", "check"),
			w("ContentFenceTypo", at(25, 1), "Lang", "mutation", "Want", "mutations")}},
		{"a solution fence left open above a check swallows it, though a later fence closes it", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''bash {solution}\necho hi\n\n'''check\nid: c\nkind: vpc\nname: v\n'''\n")
		}, []want{w("ContentFenceSwallowsCheck", at(16, 1), "Line", 19)}},
		{"a longer fence shows a check block as an example, on purpose", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n~~~~markdown\n'''check\nid: c\nkind: vpc\n'''\n~~~~\n")
		}, nil},
		{"a check written as yaml checks nothing", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''yaml\nid: c\nkind: vpc\nname: v\n'''\n\n'''yaml\nkind: Deployment\nname: web\n'''\n")
		}, []want{w("ContentYAMLLooksLikeCheck", at(16, 1), "Lang", "yaml")}},
		{"solution block in python", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''python {solution}\nprint(1)\n'''\n")
		}, []want{w("ContentCodeLang", at(16, 1), "Lang", "python", "Role", "solution")}},
		{"cleanup block in zsh", func(*testing.T) string { return withFM("\n## Step {#step}\n\n~~~zsh {cleanup}\nrm x\n~~~\n") },
			[]want{w("ContentCodeLang", at(16, 1), "Lang", "zsh", "Role", "cleanup")}},
		{"solution and cleanup at once", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''bash {solution cleanup}\necho\n'''\n")
		}, []want{w("ContentCodeRoleTwice", at(16, 1))}},
		{"unreadable info string", func(*testing.T) string { return withFM("\n## Step {#step}\n\n'''bash {solution\necho\n'''\n") },
			[]want{w("ContentInfoStringInvalid", at(16, 1), "Info", "bash {solution")}},

		// ---- check blocks ----
		{"YAML syntax error in a check block in a nested list item", func(*testing.T) string {
			return withFM(`
## Step {#step}

- A list item:

  1. nested item

     '''check
     id: bad-yaml
     kind: vpc
     name: [unclosed
     '''
`)
		}, []want{w("ContentYAMLSyntax", at(23, 12))}},
		{"YAML syntax error in a check block in a block quote", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n> '''check\n> id: c\n> kind: [vpc\n> '''\n")
		}, []want{w("ContentYAMLSyntax", at(18, 9))}},
		{"YAML syntax error with CRLF", func(*testing.T) string {
			return strings.ReplaceAll(withFM("\n## Step {#step}\n\n   '''check\n   id: c\n   kind: [vpc\n   '''\n"), "\n", "\r\n")
		}, []want{w("ContentYAMLSyntax", at(18, 10))}},
		{"empty check block", func(*testing.T) string { return withFM("\n## Step {#step}\n\n'''check\n'''\n") },
			[]want{
				w("ContentFieldMissing", at(16, 1), "Field", "id", "Where", msg("WhereCheck")),
				w("ContentFieldMissing", at(16, 1), "Field", "kind", "Where", msg("WhereCheck")),
			}},
		{"check block is a list", func(*testing.T) string { return withFM("\n## Step {#step}\n\n'''check\n- id: c\n'''\n") },
			[]want{w("ContentYAMLNotMapping", at(17, 1))}},
		{"invalid check id", func(*testing.T) string { return withFM("\n## Step {#step}\n\n'''check\nid: Check 1\nkind: vpc\n'''\n") },
			[]want{w("ContentIDInvalid", at(17, 5), "ID", "Check 1", "Example", "check-1")}},
		{"check wrong types", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n'''check\nid: c\nkind: [vpc]\ntimeout: 5\nretry: soon\nneeds: {a: b}\n'''\n")
		}, []want{
			w("ContentFieldType", at(18, 7), "Field", "kind", "Want", msg("YAMLTypeString"), "Got", msg("YAMLGotList")),
			w("ContentFieldType", at(19, 10), "Field", "timeout", "Want", msg("YAMLTypeDuration"), "Got", "5"),
			w("ContentFieldType", at(20, 8), "Field", "retry", "Got", `"soon"`),
			w("ContentFieldType", at(21, 8), "Field", "needs", "Want", msg("YAMLTypeStrings"), "Got", msg("YAMLGotMapping")),
		}},
		{"duplicate key in a check block", func(*testing.T) string {
			return withFM("\n## Step {#step}\n\n- item\n\n  '''check\n  id: c\n  kind: vpc\n  name: a\n  name: b\n  '''\n")
		}, []want{w("ContentYAMLDuplicateKey", at(22, 3), "Key", "name", "First", 21)}},
		{"duplicate check id across steps", func(*testing.T) string {
			return withFM("\n## One {#one}\n\n'''check\nid: c\nkind: vpc\n'''\n\n## Two {#two}\n\n  '''check\n  kind: vpc\n  id: c\n  '''\n")
		}, []want{w("ContentCheckDuplicateID", at(25, 3), "ID", "c", "First", 17)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := content.ParsePage(file, i18n.EN, []byte(tt.src(t)))
			checkDiags(t, ds, tt.wants)
		})
	}
}

// TestParsePageKeepsGoing: diagnostics do not stop the parse; the rest of
// the page is still read so that later rules run.
func TestParsePageKeepsGoing(t *testing.T) {
	src := md("# No front matter\n\n'''check\nid: stray\nkind: vpc\n'''\n\n## Step {#step}\n\n'''check\nid: [broken\n'''\n\n'''check\nid: fine\nkind: vpc\n'''\n\n'''python\nprint('an ordinary block')\n'''\n")
	p, ds := content.ParsePage(file, i18n.JA, []byte(src))
	checkDiags(t, ds, []want{
		w("ContentFrontMatterMissing", at(1, 1)),
		w("ContentBlockOutsideStep", at(3, 1)),
		w("ContentYAMLSyntax", at(11, 5)),
	})
	if p.Lang != i18n.JA || p.MetaYAML != nil || p.MetaPos.IsValid() {
		t.Errorf("page lang %q, MetaYAML %v, MetaPos %v", p.Lang, p.MetaYAML, p.MetaPos)
	}
	if !reflect.DeepEqual(p.Stray, []content.Pos{at(3, 1)}) {
		t.Errorf("Stray = %v", p.Stray)
	}
	if len(p.Steps) != 1 || c2ids(p.Steps[0].Checks) != " fine" {
		t.Fatalf("steps %d, checks %q; want the broken block (no id) and fine", len(p.Steps), c2ids(p.Steps[0].Checks))
	}
	if b := p.Steps[0].Checks[0]; b.Body == nil || b.Pos != at(10, 1) || b.Raw != "id: [broken\n" {
		t.Errorf("broken block = %v %q", b.Pos, b.Raw)
	}
}

func TestInfoString(t *testing.T) {
	tests := []struct {
		info  string
		lang  string
		attrs map[string]string
		ok    bool
	}{
		{"", "", nil, true},
		{"bash", "bash", nil, true},
		{"  check  ", "check", nil, true},
		{"bash {solution}", "bash", map[string]string{"solution": ""}, true},
		{"bash{cleanup}", "bash", map[string]string{"cleanup": ""}, true},
		{"bash\t{cleanup}", "bash", map[string]string{"cleanup": ""}, true},
		{"bash {}", "bash", map[string]string{}, true},
		{`bash {solution sandbox="moto has no NAT"}`, "bash", map[string]string{"solution": "", "sandbox": "moto has no NAT"}, true},
		{`bash {  solution   timeout=30 }`, "bash", map[string]string{"solution": "", "timeout": "30"}, true},
		{"bash {solution", "bash", nil, false},
		{"bash solution", "bash", nil, false},
		{"bash solution}", "bash", nil, false},
		{`bash {sandbox="unclosed}`, "bash", map[string]string{"sandbox": "unclosed"}, false},
	}
	for _, tt := range tests {
		lang, attrs, ok := content.InfoString(tt.info)
		if lang != tt.lang || ok != tt.ok || !reflect.DeepEqual(attrs, tt.attrs) {
			t.Errorf("InfoString(%q) = %q, %v, %v; want %q, %v, %v", tt.info, lang, attrs, ok, tt.lang, tt.attrs, tt.ok)
		}
	}
}

func TestValidID(t *testing.T) {
	for s, want := range map[string]bool{
		"create-nat": true, "a": true, "step-2": true, "2nd": true,
		"": false, "Create": false, "a_b": false, "a--b": false, "-a": false, "a-": false, "a b": false, "ステップ": false,
	} {
		if got := content.ValidID(s); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", s, got, want)
		}
	}
}

// ---- loading ----

func labFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

var minimalPage = withFM("\n## Step {#step}\n")

func TestLoadLab(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		langs []i18n.Lang
		wants []want
	}{
		{"both languages", map[string]string{"labs/demo/index.en.md": minimalPage, "labs/demo/index.ja.md": minimalPage},
			[]i18n.Lang{i18n.EN, i18n.JA}, nil},
		{"Japanese missing", map[string]string{"labs/demo/index.en.md": minimalPage},
			[]i18n.Lang{i18n.EN}, []want{w("ContentLangMissing", content.Pos{File: "labs/demo/index.en.md", Line: 1, Col: 1}, "File", "index.ja.md", "Lang", "ja")}},
		{"English missing", map[string]string{"labs/demo/index.ja.md": minimalPage},
			[]i18n.Lang{i18n.JA}, []want{w("ContentLangMissing", content.Pos{File: "labs/demo/index.ja.md", Line: 1, Col: 1}, "File", "index.en.md", "Lang", "en")}},
		{"both missing", map[string]string{"labs/demo/notes.md": "x"}, nil, nil},
		{"parse diagnostics carry the file", map[string]string{"labs/demo/index.en.md": minimalPage, "labs/demo/index.ja.md": "## Step {#step}\n"},
			[]i18n.Lang{i18n.EN, i18n.JA}, []want{w("ContentFrontMatterMissing", content.Pos{File: "labs/demo/index.ja.md", Line: 1, Col: 1})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lab, ds := content.LoadLab(labFS(tt.files), "labs/demo")
			checkDiags(t, ds, tt.wants)
			if lab.ID != "demo" || lab.Dir != "labs/demo" {
				t.Errorf("lab = %q in %q", lab.ID, lab.Dir)
			}
			var langs []i18n.Lang
			for _, l := range i18n.Langs {
				if p := lab.Pages[l]; p != nil {
					langs = append(langs, l)
					if p.Lang != l || p.Path != "labs/demo/"+content.PageFile(l) {
						t.Errorf("page %s: lang %q path %q", l, p.Lang, p.Path)
					}
				}
			}
			if !reflect.DeepEqual(langs, tt.langs) {
				t.Errorf("pages %v, want %v", langs, tt.langs)
			}
			if len(tt.langs) == 1 && lab.Page(tt.langs[0].Other()) != lab.Pages[tt.langs[0]] {
				t.Error("Page does not fall back to the other language")
			}
		})
	}
}

func TestLoadLabReadFailed(t *testing.T) {
	// index.en.md is a folder: it exists but cannot be read.
	fsys := labFS(map[string]string{"labs/demo/index.en.md/x": "", "labs/demo/index.ja.md": minimalPage})
	_, ds := content.LoadLab(fsys, "labs/demo")
	if len(ds) != 1 || ds[0].ID != "ContentNotRegular" || ds[0].Pos != (content.Pos{File: "labs/demo/index.en.md", Line: 1, Col: 1}) {
		t.Fatalf("diagnostics = %#v, want one ContentNotRegular for labs/demo/index.en.md", ds)
	}
}

func TestDiscover(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		root  string
		want  []string
		err   bool
	}{
		{"root is a lab", []string{"index.en.md", "index.ja.md", "sub/index.en.md"}, ".", []string{"."}, false},
		{"named root is a lab", []string{"labs/a/index.ja.md", "labs/b/index.en.md"}, "labs/a", []string{"labs/a"}, false},
		{"children", []string{"labs/b/index.en.md", "labs/a/index.ja.md", "labs/not-a-lab/notes.md", "labs/file.md", "labs/c/deeper/index.en.md"},
			"labs", []string{"labs/a", "labs/b"}, false},
		{"root/labs", []string{"content/labs/z/index.en.md", "content/labs/y/index.en.md", "content/other/readme.md"},
			"content", []string{"content/labs/y", "content/labs/z"}, false},
		{"children win over root/labs", []string{"content/x/index.en.md", "content/labs/y/index.en.md"},
			"content", []string{"content/x"}, false},
		{"nothing", []string{"content/readme.md"}, "content", nil, false},
		{"root missing", []string{"content/readme.md"}, "nope", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for _, f := range tt.files {
				files[f] = minimalPage
			}
			got, err := content.Discover(labFS(files), tt.root)
			if (err != nil) != tt.err || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Discover(%q) = %q, %v; want %q, error %v", tt.root, got, err, tt.want, tt.err)
			}
			if tt.err && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error %v is not fs.ErrNotExist", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	fsys := labFS(map[string]string{
		"content/labs/b/index.en.md": minimalPage,
		"content/labs/b/index.ja.md": minimalPage,
		"content/labs/a/index.en.md": minimalPage,
	})
	labs, ds, err := content.Load(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range labs {
		ids = append(ids, l.ID)
	}
	if strings.Join(ids, " ") != "a b" {
		t.Errorf("labs = %v, want a b", ids)
	}
	checkDiags(t, ds, []want{w("ContentLangMissing", content.Pos{File: "content/labs/a/index.en.md", Line: 1, Col: 1})})
	if content.Find(labs, "b") != labs[1] || content.Find(labs, "c") != nil {
		t.Error("Find")
	}
	if _, _, err := content.Load(fsys, "missing"); err == nil {
		t.Error("Load of a missing root: no error")
	}
}

func TestEmbeddedLabsParse(t *testing.T) {
	labs, ds, err := content.Load(content.Embedded(), "labs")
	if err != nil {
		t.Fatal(err)
	}
	if len(labs) == 0 || content.Find(labs, "first-vpc") == nil {
		t.Fatalf("embedded labs = %d, first-vpc missing", len(labs))
	}
	if len(ds) != 0 {
		t.Errorf("embedded labs do not parse cleanly:\n%v", ds)
	}
}

func TestDiagsSortAndError(t *testing.T) {
	ds := content.Diags{
		{Pos: content.Pos{File: "b.md", Line: 1, Col: 1}, ID: "ContentStepNoID", Args: i18n.M{"Title": "T"}},
		{Pos: content.Pos{File: "a.md", Line: 2, Col: 5}, ID: "ContentFrontMatterMissing"},
		{Pos: content.Pos{File: "a.md", Line: 2, Col: 1}, ID: "ContentStepNoID", Args: i18n.M{"Title": "U"}},
		{Pos: content.Pos{File: "a.md", Line: 2, Col: 1}, ID: "ContentBlockOutsideStep"},
	}
	ds.Sort()
	var got []string
	for _, d := range ds {
		got = append(got, d.Pos.String()+" "+d.ID)
	}
	want := []string{"a.md:2:1 ContentBlockOutsideStep", "a.md:2:1 ContentStepNoID", "a.md:2:5 ContentFrontMatterMissing", "b.md:1:1 ContentStepNoID"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sorted = %q", got)
	}
	if e := ds[3].Error(); e != `b.md:1:1: step "T" has no id: end the heading with {#an-id}, the same in both languages` {
		t.Errorf("Error() = %q", e)
	}
	if (content.Diags{}).Err() != nil || ds.Err() == nil || strings.Count(ds.Error(), "\n") != 3 {
		t.Error("Diags.Err / Error")
	}
	if s := (content.Pos{File: "x.md"}).String(); s != "x.md" {
		t.Errorf("Pos without line = %q", s)
	}
}

// TestStrayFolderIsNamed: a folder beside the labs with Markdown but no
// lab page (index.md, README.md) is a finding at its file, not silently
// left out of the site; a folder without Markdown is left alone.
func TestStrayFolderIsNamed(t *testing.T) {
	fsys := labFS(map[string]string{"labs/demo/index.en.md": minimalPage, "labs/demo/index.ja.md": minimalPage,
		"labs/ghost/index.md": "# Ghost\n", "labs/ghost/README.md": "# Ghost\n", "labs/images/x.png": "png"})
	_, ds, err := content.Load(fsys, "labs")
	if err != nil {
		t.Fatal(err)
	}
	var found []content.Diag
	for _, d := range ds {
		if d.ID == "ContentNotALab" {
			found = append(found, d)
		}
	}
	if len(found) != 1 || found[0].Pos.File != "labs/ghost/README.md" || found[0].Args["Dir"] != "ghost/" {
		t.Errorf("findings %v, want one ContentNotALab at labs/ghost/README.md", found)
	}
}
