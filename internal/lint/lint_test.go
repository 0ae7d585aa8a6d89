package lint_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/lint"
)

// md turns three apostrophes into three backticks, so that Markdown
// with code fences can be written in Go raw strings.
func md(s string) string { return strings.ReplaceAll(s, "'''", "```") }

const (
	labDir = "labs/demo-lab"
	enFile = labDir + "/index.en.md"
	jaFile = labDir + "/index.ja.md"
)

// baseEN and baseJA are a valid lab: every test case mutates one thing.
var baseEN = md(`---
id: demo-lab
title: Demo lab
summary: A small lab.
level: beginner
duration: 10
cost:
  usd_per_hour: 0
  region: ap-northeast-1
services: [VPC]
prerequisites: [first-lab]
region: ap-northeast-1
---

Read [the notes](notes.md), see [the subnet step](#add-subnet) and [why](#why).

![Diagram](img/diagram.png)

## Create the VPC {#create-vpc}

### Why a VPC {#why}

'''bash {solution}
# Create the VPC and keep its id.
VPC_ID=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)
'''

'''check
id: vpc-exists
kind: vpc
name: demo-vpc
'''

## Add a subnet {#add-subnet}

'''bash {solution}
aws ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.0.1.0/24
'''

'''check
id: subnet-private
kind: subnet
name: demo-a
public: false
needs: [vpc-exists]
'''

## Clean up {#cleanup}

'''bash {cleanup}
aws ec2 delete-vpc --vpc-id "$VPC_ID"
'''
`)

var baseJA = md(`---
id: demo-lab
title: デモのラボ
summary: 小さなラボです。
level: beginner
duration: 10
cost:
  usd_per_hour: 0
  region: ap-northeast-1
services: [VPC]
prerequisites: [first-lab]
region: ap-northeast-1
---

まず[メモ](notes.md)を読み、[サブネットの手順](#add-subnet)と[理由](#why)を確認してください。

![構成図](img/diagram.png)

## VPC を作成する {#create-vpc}

### VPC が必要な理由 {#why}

'''bash {solution}
# VPC を作成し、その ID を保存します。
VPC_ID=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)
'''

'''check
id: vpc-exists
kind: vpc
name: demo-vpc
'''

## サブネットを追加する {#add-subnet}

'''bash {solution}
aws ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.0.1.0/24
'''

'''check
id: subnet-private
kind: subnet
name: demo-a
public: false
needs: [vpc-exists]
'''

## 後片付け {#cleanup}

'''bash {cleanup}
aws ec2 delete-vpc --vpc-id "$VPC_ID"
'''
`)

// labFiles is the lab under test: its two pages and the files around it.
type labFiles struct {
	t      *testing.T
	en, ja string
	files  map[string]string // other files; "" deletes one
}

func newLab(t *testing.T) *labFiles {
	return &labFiles{t: t, en: baseEN, ja: baseJA, files: map[string]string{
		labDir + "/notes.md":           "notes",
		labDir + "/img/diagram.png":    "png",
		"labs/first-lab/index.en.md":   "a lab next to this one",
		"labs/first-lab/index.ja.md":   "隣のラボ",
		"labs/not-a-lab/notes.txt":     "not a lab",
		labDir + "/img/unused-pic.png": "png",
	}}
}

func replaceOnce(t *testing.T, name, src, old, new string) string {
	t.Helper()
	if n := strings.Count(src, old); n != 1 {
		t.Fatalf("%s: %q occurs %d times, want once", name, old, n)
	}
	return strings.Replace(src, old, new, 1)
}

func (l *labFiles) editEN(old, new string) {
	l.t.Helper()
	l.en = replaceOnce(l.t, "en", l.en, md(old), md(new))
}
func (l *labFiles) editJA(old, new string) {
	l.t.Helper()
	l.ja = replaceOnce(l.t, "ja", l.ja, md(old), md(new))
}
func (l *labFiles) editBoth(old, new string) {
	l.t.Helper()
	l.editEN(old, new)
	l.editJA(old, new)
}

// locate returns where marked occurs in src: marked is a unique piece of
// the file with "|" before the character meant (or at its start without
// one).
func locate(t *testing.T, file, src, marked string) content.Pos {
	t.Helper()
	before, after, bar := strings.Cut(md(marked), "|")
	if !bar {
		before, after = "", before
	}
	needle := before + after
	if n := strings.Count(src, needle); n != 1 {
		t.Fatalf("%s: %q occurs %d times, want once", file, needle, n)
	}
	off := strings.Index(src, needle) + len(before)
	line := strings.Count(src[:off], "\n") + 1
	col := off - (strings.LastIndex(src[:off], "\n") + 1) + 1
	return content.Pos{File: file, Line: line, Col: col}
}

// moveJA moves the Japanese text from the line starting with from up to
// the line starting with to (or the end when to is "") before the line
// starting with before.
func (l *labFiles) moveJA(from, to, before string) {
	l.t.Helper()
	i, j, k := strings.Index(l.ja, from), len(l.ja), strings.Index(l.ja, before)
	if to != "" {
		j = strings.Index(l.ja, to)
	}
	if i < 0 || j < i || k < 0 || (k > i && k < j) {
		l.t.Fatalf("moveJA(%q, %q, %q): bad markers", from, to, before)
	}
	section := l.ja[i:j]
	if !strings.HasSuffix(section, "\n\n") {
		section += "\n"
	}
	rest := l.ja[:i] + l.ja[j:]
	k = strings.Index(rest, before)
	l.ja = rest[:k] + section + rest[k:]
}

func (l *labFiles) inEN(marked string) content.Pos {
	l.t.Helper()
	return locate(l.t, enFile, l.en, marked)
}
func (l *labFiles) inJA(marked string) content.Pos {
	l.t.Helper()
	return locate(l.t, jaFile, l.ja, marked)
}

func (l *labFiles) fs() fstest.MapFS {
	fsys := fstest.MapFS{}
	if l.en != "" {
		fsys[enFile] = &fstest.MapFile{Data: []byte(l.en)}
	}
	if l.ja != "" {
		fsys[jaFile] = &fstest.MapFile{Data: []byte(l.ja)}
	}
	for name, src := range l.files {
		if src != "" {
			fsys[name] = &fstest.MapFile{Data: []byte(src)}
		}
	}
	return fsys
}

// finding is one expected diagnostic; args, when set, must be among its Args.
type finding struct {
	id   string
	pos  content.Pos
	args i18n.M
}

func f(id string, pos content.Pos, args ...any) finding {
	m := i18n.M{}
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i].(string)] = args[i+1]
	}
	return finding{id, pos, m}
}

// lintLab loads the lab as vpclab lint does and lints it.
func lintLab(t *testing.T, fsys fstest.MapFS) content.Diags {
	t.Helper()
	labs, parsed, err := content.Load(fsys, "labs/demo-lab")
	if err != nil {
		t.Fatal(err)
	}
	if len(labs) != 1 || labs[0].ID != "demo-lab" {
		t.Fatalf("loaded %d labs", len(labs))
	}
	return lint.Labs(fsys, labs, parsed)
}

// checkFindings asserts that ds is exactly the wanted set, sorted as Labs
// promises, with the wanted arguments.
func checkFindings(t *testing.T, ds content.Diags, wants []finding) {
	t.Helper()
	key := func(id string, p content.Pos) string { return fmt.Sprintf("%s:%d:%d %s", p.File, p.Line, p.Col, id) }
	var got, exp []string
	for _, d := range ds {
		got = append(got, key(d.ID, d.Pos))
	}
	for _, w := range wants {
		exp = append(exp, key(w.id, w.pos))
	}
	sorted := sort.SliceIsSorted(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return ds[i].ID < ds[j].ID
	})
	if !sorted {
		t.Errorf("findings are not sorted: %q", got)
	}
	sort.Strings(exp)
	sort.Strings(got)
	if !reflect.DeepEqual(got, exp) {
		t.Fatalf("findings:\n got: %s\nwant: %s\n(all:\n%v)", strings.Join(got, "\n      "), strings.Join(exp, "\n      "), ds)
	}
	used := make([]bool, len(ds))
	for _, w := range wants {
		found := false
		for i, d := range ds {
			if used[i] || d.ID != w.id || d.Pos != w.pos || !argsMatch(d.Args, w.args) {
				continue
			}
			used[i], found = true, true
			if msg := d.Error(); strings.Contains(msg, "["+d.ID+"]") || strings.Contains(msg, "<no value>") {
				t.Errorf("%s does not render: %s", d.ID, msg)
			}
			break
		}
		if !found {
			t.Errorf("no %s at %v with args %v; got:\n%v", w.id, w.pos, w.args, ds)
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

func TestLabs(t *testing.T) {
	kindMsg := func(kind string) i18n.Msg { return i18n.Msg{ID: "WhereCheckKind", Data: i18n.M{"Kind": kind}} }
	tests := []struct {
		name   string
		mutate func(l *labFiles)
		want   func(l *labFiles) []finding
	}{
		{"base lab is clean", func(*labFiles) {}, func(*labFiles) []finding { return nil }},
		{"comment-only differences in commands", func(l *labFiles) {
			l.editJA("aws ec2 delete-vpc", "# 最後に VPC を削除します\n\n   # インデントしたコメント\naws ec2 delete-vpc")
			l.editJA("aws ec2 delete-vpc --vpc-id \"$VPC_ID\"\n", "aws ec2 delete-vpc --vpc-id \"$VPC_ID\"   \n\n# 終わり\n")
		}, func(*labFiles) []finding { return nil }},
		{"translated trailing comments", func(l *labFiles) {
			l.editEN(`--cidr-block 10.0.1.0/24`, `--cidr-block 10.0.1.0/24  # the first subnet`)
			l.editJA(`--cidr-block 10.0.1.0/24`, `--cidr-block 10.0.1.0/24 # 最初のサブネット`)
		}, func(*labFiles) []finding { return nil }},
		{"a quoted # is not a comment", func(l *labFiles) {
			l.editEN(`aws ec2 delete-vpc --vpc-id "$VPC_ID"`, `echo "# done" && aws ec2 delete-vpc --vpc-id "$VPC_ID"`)
			l.editJA(`aws ec2 delete-vpc --vpc-id "$VPC_ID"`, `echo "# 完了" && aws ec2 delete-vpc --vpc-id "$VPC_ID"`)
		}, func(l *labFiles) []finding {
			return []finding{f("LintCodeDiffers", l.inJA(`echo "# |完了"`), "Role", "cleanup", "Other", l.inEN(`echo "# |done"`))}
		}},

		// ---- English and Japanese must agree ----
		{"Japanese check block differs", func(l *labFiles) {
			l.editJA("name: demo-vpc", "name: demo-vpx")
		}, func(l *labFiles) []finding {
			return []finding{f("LintCheckDiffers", l.inJA("name: demo-vp|x"), "ID", "vpc-exists", "Other", l.inEN("name: demo-vp|c"))}
		}},
		{"Japanese check block has an extra line", func(l *labFiles) {
			l.editJA("name: demo-a\n", "name: demo-a\ncidr: 10.0.1.0/24\n")
		}, func(l *labFiles) []finding {
			return []finding{f("LintCheckDiffers", l.inJA("cidr: 10.0.1.0/24"), "ID", "subnet-private")}
		}},
		{"Japanese check block indented in a list", func(l *labFiles) {
			l.editJA("'''check\nid: vpc-exists\nkind: vpc\nname: demo-vpc\n'''", "1. 確認します:\n\n   '''check\n   id: vpc-exists\n   kind: vpc\n   name: demo-vpcs\n   '''")
		}, func(l *labFiles) []finding {
			return []finding{f("LintCheckDiffers", l.inJA("   name: demo-vpc|s"))}
		}},
		{"check block only in English", func(l *labFiles) {
			l.editJA("'''check\nid: subnet-private\nkind: subnet\nname: demo-a\npublic: false\nneeds: [vpc-exists]\n'''\n", "")
		}, func(l *labFiles) []finding {
			return []finding{f("LintCheckOnlyHere", l.inEN("'''check\nid: subnet-private"), "Step", "add-subnet", "Other", jaFile)}
		}},
		{"step missing in Japanese", func(l *labFiles) {
			l.editJA("## サブネットを追加する {#add-subnet}\n\n'''bash {solution}\naws ec2 create-subnet --vpc-id \"$VPC_ID\" --cidr-block 10.0.1.0/24\n'''\n\n'''check\nid: subnet-private\nkind: subnet\nname: demo-a\npublic: false\nneeds: [vpc-exists]\n'''\n\n", "")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintStepOnlyHere", l.inEN("## Add a subnet"), "ID", "add-subnet", "Other", jaFile),
				// the Japanese prose still links to the step
				f("LintAnchorUnknown", l.inJA("[サブネットの手順]"), "Anchor", "add-subnet"),
			}
		}},
		{"step only in Japanese", func(l *labFiles) {
			l.editJA("## 後片付け", "## 補足 {#extra}\n\n補足です。\n\n## 後片付け")
		}, func(l *labFiles) []finding {
			return []finding{f("LintStepOnlyHere", l.inJA("## 補足"), "ID", "extra", "Other", enFile)}
		}},
		{"steps out of order", func(l *labFiles) {
			l.moveJA("## 後片付け", "", "## サブネットを追加する")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintStepOrder", l.inJA("## 後片付け"), "ID", "cleanup", "Want", "add-subnet", "Other", l.inEN("## Add a subnet")),
				f("LintStepAfterCleanup", l.inJA("## サブネットを追加する"), "ID", "add-subnet", "Cleanup", "cleanup"),
			}
		}},
		{"steps out of order break needs", func(l *labFiles) {
			l.moveJA("## VPC を作成する", "## サブネットを追加する", "## 後片付け")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintStepOrder", l.inJA("## サブネット"), "ID", "add-subnet", "Want", "create-vpc"),
				f("LintNeedsUnknown", l.inJA("|needs: [vpc-exists]"), "ID", "vpc-exists"),
			}
		}},
		{"step attributes differ", func(l *labFiles) {
			l.editJA("{#cleanup}", `{#cleanup sandbox="moto"}`)
		}, func(l *labFiles) []finding {
			return []finding{f("LintStepAttrsDiffer", l.inJA("## 後片付け"), "ID", "cleanup", "Other", l.inEN("## Clean up"))}
		}},
		{"a sandbox reason is worded in each page's language", func(l *labFiles) {
			l.editEN("{#cleanup}", `{#cleanup sandbox="moto cannot"}`)
			l.editJA("{#cleanup}", `{#cleanup sandbox="moto ではできません"}`)
		}, func(l *labFiles) []finding { return nil }},
		{"step roles differ between languages", func(l *labFiles) {
			l.editJA("{#add-subnet}", "{#add-subnet role=optional}")
		}, func(l *labFiles) []finding {
			return []finding{f("LintStepAttrsDiffer", l.inJA("## サブネット"), "ID", "add-subnet", "Other", l.inEN("## Add a subnet"))}
		}},
		{"unknown step role", func(l *labFiles) {
			l.editBoth("{#add-subnet}", "{#add-subnet role=extra}")
		}, func(l *labFiles) []finding {
			return []finding{
				f("ContentStepRoleUnknown", l.inEN("## Add a subnet"), "Role", "extra"),
				f("ContentStepRoleUnknown", l.inJA("## サブネット"), "Role", "extra"),
			}
		}},
		{"clean-up work in an optional step", func(l *labFiles) {
			l.editBoth("{#cleanup}", "{#cleanup role=optional}")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintRoleWithoutChecks", l.inEN("## Clean up"), "ID", "cleanup", "Role", "optional"),
				f("LintCleanupOutsidePhase", l.inEN("'''bash {cleanup}"), "ID", "cleanup", "Role", "optional"),
				f("LintRoleWithoutChecks", l.inJA("## 後片付け"), "ID", "cleanup", "Role", "optional"),
				f("LintCleanupOutsidePhase", l.inJA("'''bash {cleanup}"), "ID", "cleanup", "Role", "optional"),
			}
		}},
		{"no clean-up step", func(l *labFiles) {
			l.editEN("## Clean up {#cleanup}\n\n'''bash {cleanup}\naws ec2 delete-vpc --vpc-id \"$VPC_ID\"\n'''\n", "")
			l.editJA("## 後片付け {#cleanup}\n\n'''bash {cleanup}\naws ec2 delete-vpc --vpc-id \"$VPC_ID\"\n'''\n", "")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintNoCleanup", l.inEN("## Add a subnet"), "Last", "add-subnet"),
				f("LintNoCleanup", l.inJA("## サブネットを追加する"), "Last", "add-subnet"),
			}
		}},
		{"clean-up phase declared", func(l *labFiles) {
			l.editBoth("{#cleanup}", "{#cleanup role=cleanup}")
		}, func(*labFiles) []finding { return nil }},
		{"step after the clean-up phase", func(l *labFiles) {
			l.editBoth("{#create-vpc}", "{#create-vpc role=cleanup}")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintStepAfterCleanup", l.inEN("## Add a subnet"), "ID", "add-subnet", "Cleanup", "create-vpc"),
				f("LintStepAfterCleanup", l.inJA("## サブネット"), "ID", "add-subnet", "Cleanup", "create-vpc"),
				f("LintCleanupTwice", l.inEN("## Clean up"), "ID", "cleanup", "First", "create-vpc"),
				f("LintCleanupTwice", l.inJA("## 後片付け"), "ID", "cleanup", "First", "create-vpc"),
			}
		}},
		{"optional on a section without checks", func(l *labFiles) {
			l.editEN("## Clean up", "## Notes {#notes role=optional}\n\nNotes.\n\n## Clean up")
			l.editJA("## 後片付け", "## 補足 {#notes role=optional}\n\n補足です。\n\n## 後片付け")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintRoleWithoutChecks", l.inEN("## Notes"), "ID", "notes", "Role", "optional"),
				f("LintRoleWithoutChecks", l.inJA("## 補足"), "ID", "notes", "Role", "optional"),
			}
		}},
		{"front matter field differs", func(l *labFiles) {
			l.editJA("duration: 10", "duration: 15")
			l.editJA("title: デモのラボ", "title: 別のタイトル") // translated: fine
		}, func(l *labFiles) []finding {
			return []finding{f("LintMetaDiffers", l.inJA("duration: 15"), "Field", "duration", "Want", "10", "Got", "15", "Other", l.inEN("duration: 10"))}
		}},
		{"nested front matter field differs", func(l *labFiles) {
			l.editJA("usd_per_hour: 0", "usd_per_hour: 0.5")
		}, func(l *labFiles) []finding {
			return []finding{f("LintMetaDiffers", l.inJA("cost:"), "Field", "cost")}
		}},
		{"front matter values written differently but equal", func(l *labFiles) {
			l.editJA("services: [VPC]", "services: VPC")
			l.editJA("usd_per_hour: 0", "usd_per_hour: 0.0")
			l.editJA("duration: 10", "duration: 10 # 分")
		}, func(*labFiles) []finding { return nil }},
		{"front matter field missing in Japanese", func(l *labFiles) {
			l.editJA("prerequisites: [first-lab]\n", "")
		}, func(l *labFiles) []finding {
			return []finding{f("LintMetaDiffers", content.Pos{File: jaFile, Line: 1, Col: 1}, "Field", "prerequisites", "Got", "-", "Want", "[first-lab]")}
		}},
		{"solution commands differ", func(l *labFiles) {
			l.editJA("--cidr-block 10.0.1.0/24", "--cidr-block 10.0.2.0/24")
		}, func(l *labFiles) []finding {
			// At the first character that differs, in both files.
			return []finding{f("LintCodeDiffers", l.inJA("--cidr-block 10.0.|2.0/24"), "Role", "solution", "Other", l.inEN("--cidr-block 10.0.|1.0/24"))}
		}},
		{"cleanup commands differ by indentation", func(l *labFiles) {
			l.editJA("aws ec2 delete-vpc", "  aws ec2 delete-vpc")
		}, func(l *labFiles) []finding {
			// White space is hard to see: the message says that is all.
			return []finding{f("LintCodeDiffersSpace", l.inJA("|  aws ec2 delete-vpc"), "Role", "cleanup", "Other", l.inEN("|aws ec2 delete-vpc"))}
		}},
		{"code block attributes differ", func(l *labFiles) {
			l.editJA("'''bash {cleanup}", `'''bash {cleanup sandbox="moto"}`)
		}, func(l *labFiles) []finding {
			return []finding{f("LintCodeAttrsDiffer", l.inJA("'''bash {cleanup"), "Role", "cleanup", "Other", l.inEN("'''bash {cleanup}"))}
		}},
		{"solution block only in Japanese", func(l *labFiles) {
			l.editEN("'''bash {solution}\naws ec2 create-subnet --vpc-id \"$VPC_ID\" --cidr-block 10.0.1.0/24\n'''\n", "")
		}, func(l *labFiles) []finding {
			return []finding{f("LintCodeOnlyHere", l.inJA("'''bash {solution}\naws ec2 create-subnet"), "Role", "solution", "Step", "add-subnet", "Other", enFile)}
		}},
		{"cleanup block only in English", func(l *labFiles) {
			l.editJA("'''bash {cleanup}\naws ec2 delete-vpc --vpc-id \"$VPC_ID\"\n'''\n", "")
		}, func(l *labFiles) []finding {
			return []finding{f("LintCodeOnlyHere", l.inEN("'''bash {cleanup}"), "Role", "cleanup", "Step", "cleanup", "Other", jaFile)}
		}},
		{"Japanese page missing", func(l *labFiles) { l.ja = "" }, func(l *labFiles) []finding {
			return []finding{f("ContentLangMissing", content.Pos{File: enFile, Line: 1, Col: 1}, "File", "index.ja.md")}
		}},
		{"parser findings are kept", func(l *labFiles) {
			l.editJA("## 後片付け {#cleanup}", "## 後片付け")
		}, func(l *labFiles) []finding {
			return []finding{
				f("ContentStepNoID", l.inJA("## 後片付け"), "Title", "後片付け"),
				f("LintStepOnlyHere", l.inEN("## Clean up"), "ID", "cleanup"),
			}
		}},

		// ---- check kinds ----
		{"unknown kind", func(l *labFiles) { l.editBoth("kind: vpc", "kind: vpcs") }, func(l *labFiles) []finding {
			return []finding{
				f("LintKindUnknown", l.inEN("kind: |vpcs"), "Kind", "vpcs", "Suggest", "vpc"),
				f("LintKindUnknown", l.inJA("kind: |vpcs"), "Kind", "vpcs"),
			}
		}},
		{"unknown parameter", func(l *labFiles) { l.editBoth("name: demo-vpc\n", "name: demo-vpc\ncolour: blue\n") }, func(l *labFiles) []finding {
			return []finding{
				f("ContentFieldUnknown", l.inEN("colour: blue"), "Field", "colour", "Where", kindMsg("vpc"), "Suggest", ""),
				f("ContentFieldUnknown", l.inJA("colour: blue"), "Field", "colour", "Where", kindMsg("vpc")),
			}
		}},
		{"misspelt parameter", func(l *labFiles) { l.editBoth("name: demo-a", "nmae: demo-a") }, func(l *labFiles) []finding {
			return []finding{
				f("ContentFieldUnknown", l.inEN("nmae: demo-a"), "Field", "nmae", "Suggest", "name", "Where", kindMsg("subnet")),
				f("ContentFieldMissing", l.inEN("'''check\nid: subnet-private"), "Field", "name", "Where", kindMsg("subnet")),
				f("ContentFieldUnknown", l.inJA("nmae: demo-a"), "Field", "nmae", "Suggest", "name"),
				f("ContentFieldMissing", l.inJA("'''check\nid: subnet-private"), "Field", "name"),
			}
		}},
		{"missing parameter", func(l *labFiles) { l.editBoth("name: demo-a\n", "") }, func(l *labFiles) []finding {
			return []finding{
				f("ContentFieldMissing", l.inEN("'''check\nid: subnet-private"), "Field", "name", "Where", kindMsg("subnet")),
				f("ContentFieldMissing", l.inJA("'''check\nid: subnet-private"), "Field", "name"),
			}
		}},
		{"parameter of the wrong type", func(l *labFiles) {
			l.editBoth("public: false", "public: maybe")
			l.editBoth("name: demo-vpc", "name: [demo-vpc]")
		}, func(l *labFiles) []finding {
			return []finding{
				f("ContentFieldType", l.inEN("public: |maybe"), "Field", "public", "Want", i18n.Msg{ID: "YAMLTypeBool"}, "Got", `"maybe"`),
				f("ContentFieldType", l.inJA("public: |maybe"), "Field", "public"),
				f("ContentFieldType", l.inEN("name: |[demo-vpc]"), "Field", "name", "Got", i18n.Msg{ID: "YAMLGotList"}),
				f("ContentFieldType", l.inJA("name: |[demo-vpc]"), "Field", "name"),
			}
		}},
		{"needs unknown checks", func(l *labFiles) { l.editBoth("needs: [vpc-exists]", "needs: [vpc-exist, vpc-exists, igw]") }, func(l *labFiles) []finding {
			return []finding{
				f("LintNeedsUnknown", l.inEN("needs: [vpc-exist,"), "ID", "vpc-exist"),
				f("LintNeedsUnknown", l.inEN("needs: [vpc-exist,"), "ID", "igw"),
				f("LintNeedsUnknown", l.inJA("needs: [vpc-exist,"), "ID", "vpc-exist"),
				f("LintNeedsUnknown", l.inJA("needs: [vpc-exist,"), "ID", "igw"),
			}
		}},
		{"needs a later check", func(l *labFiles) {
			l.editBoth("name: demo-vpc\n", "name: demo-vpc\nneeds: subnet-private\n")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintNeedsUnknown", l.inEN("needs: subnet-private"), "ID", "subnet-private"),
				f("LintNeedsUnknown", l.inJA("needs: subnet-private"), "ID", "subnet-private"),
			}
		}},

		// ---- front matter against the file system ----
		{"lab id differs from its folder", func(l *labFiles) { l.editBoth("id: demo-lab", "id: demo") }, func(l *labFiles) []finding {
			return []finding{
				f("LintLabIDMismatch", l.inEN("id: |demo\n"), "ID", "demo", "Folder", "demo-lab"),
				f("LintLabIDMismatch", l.inJA("id: |demo\n"), "ID", "demo", "Folder", "demo-lab"),
			}
		}},
		{"unknown prerequisite", func(l *labFiles) {
			l.editBoth("prerequisites: [first-lab]", "prerequisites: [first-lab, not-a-lab, no-such-lab]")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintPrerequisiteUnknown", l.inEN("prerequisites:"), "ID", "not-a-lab"),
				f("LintPrerequisiteUnknown", l.inEN("prerequisites:"), "ID", "no-such-lab"),
				f("LintPrerequisiteUnknown", l.inJA("prerequisites:"), "ID", "not-a-lab"),
				f("LintPrerequisiteUnknown", l.inJA("prerequisites:"), "ID", "no-such-lab"),
			}
		}},
		{"commands naming a step or lab that does not exist", func(l *labFiles) {
			l.editBoth("'''bash {solution}\naws ec2 create-subnet", "Check it with `vpclab check demo-lab --step add-subnets` or `vpclab check demo-lb`.\n\n"+
				"'''bash\nvpclab check demo-lab --step=vpc-exists --wait 1m\nvpclab check LAB --step STEP\nvpclab check demo-lab --step create-vpc # fine\n"+
				"vpclab checks demo-lab --step nothing\nvpclab test first-lab\n'''\n\n'''bash {solution}\naws ec2 create-subnet")
		}, func(l *labFiles) []finding {
			var out []finding
			for _, in := range []func(string) content.Pos{l.inEN, l.inJA} {
				out = append(out,
					f("LintCommandStepUnknown", in("--step |add-subnets`"), "Step", "add-subnets", "Suggest", "add-subnet", "Command", "vpclab check demo-lab --step add-subnets"),
					f("LintCommandLabUnknown", in("vpclab check |demo-lb`"), "Lab", "demo-lb", "Suggest", "demo-lab"),
					f("LintCommandStepUnknown", in("--step=|vpc-exists"), "Step", "vpc-exists", "Suggest", "create-vpc", "Command", "vpclab check demo-lab --step=vpc-exists"))
			}
			return out
		}},
		{"prerequisite is the lab itself", func(l *labFiles) {
			l.editBoth("prerequisites: [first-lab]", "prerequisites: [demo-lab]")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintPrerequisiteSelf", l.inEN("prerequisites:"), "ID", "demo-lab"),
				f("LintPrerequisiteSelf", l.inJA("prerequisites:"), "ID", "demo-lab"),
			}
		}},

		// ---- links ----
		{"broken relative link", func(l *labFiles) { l.files[labDir+"/notes.md"] = "" }, func(l *labFiles) []finding {
			return []finding{
				f("LintLinkBroken", l.inEN("[the notes]"), "Dest", "notes.md"),
				f("LintLinkBroken", l.inJA("[メモ]"), "Dest", "notes.md"),
			}
		}},
		{"broken image", func(l *labFiles) { l.files[labDir+"/img/diagram.png"] = "" }, func(l *labFiles) []finding {
			return []finding{
				f("LintImageBroken", l.inEN("![Diagram]"), "Dest", "img/diagram.png"),
				f("LintImageBroken", l.inJA("![構成図]"), "Dest", "img/diagram.png"),
			}
		}},
		{"unknown anchor", func(l *labFiles) { l.editBoth("(#add-subnet)", "(#add-subnets)") }, func(l *labFiles) []finding {
			return []finding{
				f("LintAnchorUnknown", l.inEN("[the subnet step]"), "Anchor", "add-subnets"),
				f("LintAnchorUnknown", l.inJA("[サブネットの手順]"), "Anchor", "add-subnets"),
			}
		}},
		{"links that are not checked or that resolve", func(l *labFiles) {
			l.editEN("![Diagram](img/diagram.png)", "![Diagram](img/diagram.png) [web](https://example.com/x.md) [abs](/nowhere.md)\n"+
				"[next lab](../first-lab/) [notes part](notes.md#part) [mail](mailto:a@example.com) [why, by reference][ref]\n\n[ref]: #why")
		}, func(*labFiles) []finding { return nil }},
		{"link inside an indented list", func(l *labFiles) {
			l.editEN("![Diagram](img/diagram.png)", "![Diagram](img/diagram.png)\n\n- item\n\n  > see [old notes](old.md)")
		}, func(l *labFiles) []finding {
			return []finding{f("LintLinkBroken", l.inEN("[old notes]"), "Dest", "old.md")}
		}},

		// ---- hard-coded resource ids ----
		{"hard-coded ids in solution and cleanup blocks", func(l *labFiles) {
			l.editBoth(`--vpc-id "$VPC_ID" --cidr-block`, "--vpc-id vpc-0abc1234 --cidr-block")
			l.editBoth("aws ec2 delete-vpc", "aws ec2 delete-nat-gateway --nat-gateway-id nat-xxxx # not subnet-0abc1234\naws ec2 delete-vpc")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintPlaceholderID", l.inEN("--vpc-id |vpc-0abc1234"), "ID", "vpc-0abc1234"),
				f("LintPlaceholderID", l.inJA("--vpc-id |vpc-0abc1234"), "ID", "vpc-0abc1234"),
				f("LintPlaceholderID", l.inEN("--nat-gateway-id |nat-xxxx"), "ID", "nat-xxxx"),
				f("LintPlaceholderID", l.inJA("--nat-gateway-id |nat-xxxx"), "ID", "nat-xxxx"),
			}
		}},
		{"placeholder values", func(l *labFiles) {
			l.editBoth(`--vpc-id "$VPC_ID" --cidr-block`, "--vpc-id <VPC_ID> --cidr-block")
			l.editBoth("aws ec2 delete-vpc", "aws sns subscribe --protocol email --notification-endpoint YOUR_EMAIL # not <SHOWN>\naws ec2 delete-vpc")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintPlaceholderValue", l.inEN("--vpc-id |<VPC_ID>"), "Value", "<VPC_ID>"),
				f("LintPlaceholderValue", l.inJA("--vpc-id |<VPC_ID>"), "Value", "<VPC_ID>"),
				f("LintPlaceholderValue", l.inEN("--notification-endpoint |YOUR_EMAIL"), "Value", "YOUR_EMAIL"),
				f("LintPlaceholderValue", l.inJA("--notification-endpoint |YOUR_EMAIL"), "Value", "YOUR_EMAIL"),
			}
		}},
		{"hard-coded ids in an indented solution block", func(l *labFiles) {
			old := "'''bash {cleanup}\naws ec2 delete-vpc --vpc-id \"$VPC_ID\"\n'''"
			l.editBoth(old, "1. Delete:\n\n   '''bash {cleanup}\n   aws ec2 delete-subnet --subnet-id subnet-<your-id>\n   aws ec2 delete-vpc --vpc-id \"$VPC_ID\"\n   '''")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintPlaceholderID", l.inEN("--subnet-id |subnet-<your-id>"), "ID", "subnet-<your-id>"),
				f("LintPlaceholderID", l.inJA("--subnet-id |subnet-<your-id>"), "ID", "subnet-<your-id>"),
			}
		}},
		{"hard-coded id after a quoted #", func(l *labFiles) {
			l.editBoth(`aws ec2 delete-vpc --vpc-id "$VPC_ID"`, `echo "#"; aws ec2 delete-vpc --vpc-id vpc-0123456789abcdef0 # or vpc-0abc1234`)
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintPlaceholderID", l.inEN("--vpc-id |vpc-0123456789abcdef0"), "ID", "vpc-0123456789abcdef0"),
				f("LintPlaceholderID", l.inJA("--vpc-id |vpc-0123456789abcdef0"), "ID", "vpc-0123456789abcdef0"),
			}
		}},
		{"ids in prose, comments, names and check blocks are fine", func(l *labFiles) {
			l.editBoth("![", "Your VPC id looks like vpc-0abc1234.\n\n![")
			l.editEN("# Create the VPC and", "# e.g. vpc-0abc1234\n# Create the VPC and")
			l.editJA("# VPC を作成し", "# 例: vpc-0abc1234\n# VPC を作成し")
			l.editBoth("name: demo-vpc", "name: vpc-0abc1234")
			l.editBoth("--cidr-block 10.0.0.0/16", "--cidr-block 10.0.0.0/16 --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=vpclab-first}]'")
		}, func(*labFiles) []finding { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t)
			tt.mutate(l)
			ds := lintLab(t, l.fs())
			checkFindings(t, ds, tt.want(l))
		})
	}
}

// TestLabsKeepsAndDedupesParsed: what the loader found is part of the
// result, once.
func TestLabsKeepsAndDedupesParsed(t *testing.T) {
	l := newLab(t)
	l.editJA("## 後片付け {#cleanup}", "## 後片付け {#Cleanup}")
	fsys := l.fs()
	labs, parsed, err := content.Load(fsys, labDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed) != 1 {
		t.Fatalf("parsed = %v", parsed)
	}
	extra := content.Diag{Pos: content.Pos{File: "elsewhere.md", Line: 3, Col: 2}, ID: "ContentStepNoID", Args: i18n.M{"Title": "x"}}
	ds := lint.Labs(fsys, labs, append(content.Diags{extra}, append(parsed, parsed...)...))
	checkFindings(t, ds, []finding{
		f("ContentStepNoID", extra.Pos),
		f("ContentIDInvalid", l.inJA("## 後片付け"), "ID", "Cleanup"),
		f("LintStepOnlyHere", l.inEN("## Clean up"), "ID", "cleanup"),
		f("LintStepOnlyHere", l.inJA("## 後片付け"), "ID", "Cleanup"),
	})
}

// TestLabsSeveral: every lab is linted, and a prerequisite may be another
// lab being linted.
func TestLabsSeveral(t *testing.T) {
	l := newLab(t)
	fsys := l.fs()
	other := strings.ReplaceAll(strings.ReplaceAll(baseEN, "id: demo-lab", "id: first-lab"), "prerequisites: [first-lab]", "prerequisites: [demo-lab, gone]")
	other = strings.Replace(other, "## Clean up", "Next, `vpclab check demo-lab --step add-subnet` and `vpclab check demo-lab --step add-subnetz`.\n\n## Clean up", 1)
	fsys["labs/first-lab/index.en.md"] = &fstest.MapFile{Data: []byte(other)}
	fsys["labs/first-lab/index.ja.md"] = &fstest.MapFile{Data: []byte(other)}
	fsys["labs/first-lab/notes.md"] = &fstest.MapFile{Data: []byte("x")}
	fsys["labs/first-lab/img/diagram.png"] = &fstest.MapFile{Data: []byte("x")}
	labs, parsed, err := content.Load(fsys, "labs")
	if err != nil {
		t.Fatal(err)
	}
	if len(labs) != 2 {
		t.Fatalf("loaded %d labs, want 2", len(labs))
	}
	pre := locate(t, "labs/first-lab/index.en.md", other, "prerequisites:")
	step := locate(t, "labs/first-lab/index.en.md", other, "--step |add-subnetz")
	checkFindings(t, lint.Labs(fsys, labs, parsed), []finding{
		f("LintPrerequisiteUnknown", pre, "ID", "gone"),
		f("LintPrerequisiteUnknown", content.Pos{File: "labs/first-lab/index.ja.md", Line: pre.Line, Col: pre.Col}, "ID", "gone"),
		// Another lab's step is judged against that lab.
		f("LintCommandStepUnknown", step, "Lab", "demo-lab", "Step", "add-subnetz", "Suggest", "add-subnet"),
		f("LintCommandStepUnknown", content.Pos{File: "labs/first-lab/index.ja.md", Line: step.Line, Col: step.Col}, "Step", "add-subnetz"),
	})
}

// TestEmbeddedLabsLintClean: the labs shipped in the binary pass lint.
func TestEmbeddedLabsLintClean(t *testing.T) {
	fsys := content.Embedded()
	labs, parsed, err := content.Load(fsys, "labs")
	if err != nil {
		t.Fatal(err)
	}
	if len(labs) == 0 {
		t.Fatal("no embedded labs")
	}
	for _, d := range lint.Labs(fsys, labs, parsed) {
		t.Errorf("%v", d)
	}
}

// TestLabFolderInvalid: a lab's id is its folder's name, so a folder that
// is no id ("My Lab") is reported as the thing to rename, to the front
// matter's id when that is valid; the id and the commands that use it are
// not reported as well.
func TestLabFolderInvalid(t *testing.T) {
	l := newLab(t)
	l.editEN("Read [the notes]", "Check with `vpclab check demo-lab --step add-subnet`. Read [the notes]")
	l.editJA("まず[メモ]", "`vpclab check demo-lab --step add-subnet` で確認します。まず[メモ]")
	fsys := fstest.MapFS{}
	for name, file := range l.fs() {
		fsys[strings.Replace(name, "labs/demo-lab/", "labs/My Lab/", 1)] = file
	}
	labs, parsed, err := content.Load(fsys, "labs")
	if err != nil {
		t.Fatal(err)
	}
	pos := func(file string) content.Pos {
		p := l.inEN("id: |demo-lab")
		p.File = file
		return p
	}
	var ds content.Diags // the sibling first-lab is a placeholder with findings of its own
	for _, d := range lint.Labs(fsys, labs, parsed) {
		if strings.HasPrefix(d.Pos.File, "labs/My Lab/") {
			ds = append(ds, d)
		}
	}
	checkFindings(t, ds, []finding{
		f("LintLabFolderInvalid", pos("labs/My Lab/index.en.md"), "Folder", "My Lab", "Want", "demo-lab"),
		f("LintLabFolderInvalid", pos("labs/My Lab/index.ja.md"), "Folder", "My Lab", "Want", "demo-lab"),
	})
}
