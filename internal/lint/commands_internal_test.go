package lint

import (
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// FuzzCommandRefs: whatever a page holds, the commands found name an id
// at the place they point to, and the step (when one is read) after it.
func FuzzCommandRefs(f *testing.F) {
	for _, s := range []string{
		"`vpclab check a-lab --step b`", "```\nvpclab check a --step=b --wait 1m\n```\n",
		"`vpclab check LAB`", "`x/vpclab test a|b`", "`vpclab check a --step`", "`vpclab  check\ta\t--step  c-d`",
		"```\nvpclab check a \\\n  --step b\n```", "`vpclab check ラボ --step 手順`", "- `vpclab check a --step b`\n  `vpclab test c`",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		src := "---\nid: a\n---\n\n" + body
		p, _ := content.ParsePage("a/index.en.md", i18n.EN, []byte(src))
		if p == nil {
			return
		}
		lines := strings.Split(src, "\n")
		at := func(pos content.Pos) string {
			if pos.Line < 1 || pos.Line > len(lines) || pos.Col < 1 || pos.Col > len(lines[pos.Line-1])+1 {
				return ""
			}
			return lines[pos.Line-1][pos.Col-1:]
		}
		for _, r := range commandRefs(p) {
			if !content.ValidID(r.lab) || !strings.HasPrefix(at(r.labPos), r.lab) {
				t.Errorf("%q: lab %q at %v (%q)", body, r.lab, r.labPos, at(r.labPos))
			}
			if r.step != "" && (!content.ValidID(r.step) || !strings.HasPrefix(at(r.stepPos), r.step)) {
				t.Errorf("%q: step %q at %v (%q)", body, r.step, r.stepPos, at(r.stepPos))
			}
			if !strings.HasPrefix(r.cmd, "vpclab ") || !strings.Contains(r.cmd, r.lab) {
				t.Errorf("%q: command %q for lab %q", body, r.cmd, r.lab)
			}
		}
	})
}
