package content_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// checkPage is a page whose one check block holds yaml; the block's first
// line is file line 16.
func checkPage(yaml string) string {
	return withFM("## S {#s}\n\n'''check\n" + yaml + "\n'''\n")
}

// Pathological lab files, as found by probes: each once made the YAML
// library (or goldmark) take gigabytes or minutes. Sizes are those of the
// probes; the benchmarks below use the same inputs.
func deepFlow(levels int) string {
	return checkPage("id: a\nkind: vpc\nname: " + strings.Repeat("[", levels) + strings.Repeat("]", levels))
}

func deepList(levels int) string {
	return checkPage("id: a\nkind: vpc\nname:\n  " + strings.Repeat("- ", levels) + "x")
}

// aliasBomb is the "billion laughs": each level refers ten times to the one
// before, so 9 short lines expand to 10^9 strings.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("id: a\nkind: vpc\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("name: *l8")
	return checkPage(b.String())
}

func bigBlock(bytes int) string {
	return checkPage("id: a\nkind: vpc\nname: demo\n" + strings.Repeat("# a comment line that goes on\n", bytes/30))
}

func bigFrontMatter(bytes int) string {
	return strings.Replace(frontMatter, "region: ap-northeast-1\n", "region: ap-northeast-1\n"+strings.Repeat("# a comment line that goes on\n", bytes/30), 1) + "## S {#s}\n"
}

func deepFrontMatter(levels int) string {
	return strings.Replace(frontMatter, "services: [VPC]", "services: "+strings.Repeat("[", levels)+strings.Repeat("]", levels), 1) + "## S {#s}\n"
}

func bigPage(bytes int) string {
	return withFM("## S {#s}\n\n" + strings.Repeat("Some prose, over and over, about NAT gateways.\n", bytes/48))
}

var pathological = []struct {
	name string
	src  func() string
	want want
}{
	// The probe's own input: 200 KB of brackets (21 GB before the fix).
	{"deep-flow-200KB", func() string { return deepFlow(100_000) }, want{"ContentYAMLTooLarge", at(16, 1), nil}},
	// Small enough to fit the size limit: the depth limit stops it, at
	// the bracket that goes one level too deep.
	{"deep-flow-2000", func() string { return deepFlow(2000) }, want{"ContentYAMLTooDeep", at(18, 6+content.MaxYAMLDepth), nil}},
	{"deep-list-10k", func() string { return deepList(10_000) }, want{"ContentYAMLTooLarge", at(16, 1), nil}},
	{"deep-list-1000", func() string { return deepList(1000) }, want{"ContentYAMLTooDeep", at(19, 3+2*(content.MaxYAMLDepth-1)), nil}},
	{"alias-bomb", aliasBomb, want{"ContentYAMLAlias", at(18, 5), nil}},
	{"big-check-block", func() string { return bigBlock(1 << 20) }, want{"ContentYAMLTooLarge", at(16, 1), nil}},
	{"big-front-matter", func() string { return bigFrontMatter(1 << 20) }, want{"ContentYAMLTooLarge", at(2, 1), nil}},
	{"deep-front-matter", func() string { return deepFrontMatter(2000) }, want{"ContentYAMLTooDeep", at(10, 10+content.MaxYAMLDepth), nil}},
	{"page-50MB", func() string { return bigPage(50 << 20) }, want{"ContentPageTooLarge", at(1, 1), nil}},
	// goldmark's time grows with the square of the nesting: 400,000 ">"
	// took two minutes, 40,000 nested list items seven seconds.
	{"deep-quotes-400k", func() string { return nested(strings.Repeat(">", 400_000) + " hi") }, want{"ContentNestedTooDeep", at(nestedLine, 1), nil}},
	{"deep-list-items-40k", func() string { return nested(strings.Repeat("- ", 40_000) + "hi") }, want{"ContentNestedTooDeep", at(nestedLine, 1), nil}},
	{"deep-mixed", func() string { return nested(strings.Repeat("> 1. * ", 12) + "hi") }, want{"ContentNestedTooDeep", at(nestedLine, 1), nil}},
	// ```x``` is inline code, not a fence: the lines after it are prose.
	{"not-a-fence-then-deep", func() string {
		return withFM("## S {#s}\n\n```x``` text\n\n" + strings.Repeat(">", 1000) + " hi\n")
	}, want{"ContentNestedTooDeep", at(nestedLine, 1), nil}},
}

// nested is a page whose line nestedLine is line.
func nested(line string) string { return withFM("## S {#s}\n\nProse.\n\n" + line + "\n") }

var nestedLine = strings.Count(frontMatter, "\n") + 5

// TestPathologicalInputsRefused: each input is refused with one clear
// diagnostic at file:line:col, before the YAML library or goldmark sees it.
// (Their time and memory are measured by BenchmarkPathological.)
func TestPathologicalInputsRefused(t *testing.T) {
	for _, tc := range pathological {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := content.ParsePage(file, i18n.EN, []byte(tc.src()))
			var found *content.Diag
			for i, d := range ds {
				if d.ID == tc.want.id {
					found = &ds[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("no %s among %d diagnostics: %.500v", tc.want.id, len(ds), ds)
			}
			if found.Pos != tc.want.pos {
				t.Errorf("%s at %v, want %v", found.ID, found.Pos, tc.want.pos)
			}
			msg := found.Message(i18n.New(i18n.EN))
			if strings.HasPrefix(msg, "[") || msg == "" {
				t.Errorf("%s has no English message: %q", found.ID, msg)
			}
			if ja := found.Message(i18n.New(i18n.JA)); ja == msg || strings.HasPrefix(ja, "[") {
				t.Errorf("%s has no Japanese message: %q", found.ID, ja)
			}
		})
	}
}

// TestLimitsLeaveRealLabsAlone: the shipped labs stay well inside the
// limits (the limits are for abuse, not for authors).
func TestLimitsLeaveRealLabsAlone(t *testing.T) {
	labs, ds, err := content.Load(content.Embedded(), "labs")
	if err != nil || len(labs) == 0 {
		t.Fatalf("Load: %v (%d labs)", err, len(labs))
	}
	for _, d := range ds {
		switch d.ID {
		case "ContentYAMLTooLarge", "ContentYAMLTooDeep", "ContentYAMLAlias", "ContentPageTooLarge", "ContentNestedTooDeep":
			t.Errorf("a shipped lab hits a limit: %v", d)
		}
	}
}

// TestNestingInCodeIsCode: ">" and "-" at the start of lines in fenced
// code (a shell prompt, a diff, a YAML list) are not nesting, and 32 levels
// are allowed.
func TestNestingInCodeIsCode(t *testing.T) {
	page := withFM("## S {#s}\n\n```text\n" + strings.Repeat(">", 100) + "\n" + strings.Repeat("- ", 100) + "\n```\n\n" +
		strings.Repeat("> ", content.MaxMarkdownDepth) + "deep but allowed\n")
	_, ds := content.ParsePage(file, i18n.EN, []byte(page))
	for _, d := range ds {
		if d.ID == "ContentNestedTooDeep" {
			t.Errorf("%v", d)
		}
	}
}

// BenchmarkPathological reports the time and memory vpclab spends refusing
// each pathological input (go test ./content -run '^$' -bench Pathological
// -benchmem). Before the limits, deep-flow-200KB needed more than 21 GB.
func BenchmarkPathological(b *testing.B) {
	for _, tc := range pathological {
		src := []byte(tc.src())
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				content.ParsePage(file, i18n.EN, src)
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MB-alloc/op")
		})
	}
}
