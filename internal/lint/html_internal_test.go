package lint

import (
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// TestRawHTMLIsAFinding: HTML the site drops is named at its line;
// comments (authors' notes, tab markers) are not.
func TestRawHTMLIsAFinding(t *testing.T) {
	src := "---\nid: demo\ntitle: Demo\nsummary: A demo.\n---\n\n## Step {#s}\n\nPress <kbd>Ctrl</kbd>.\n\n<details><summary>Hint</summary>\n\nText.\n\n</details>\n\n<!-- tab: console -->\n\nA note <!-- later --> here.\n"
	p, _ := content.ParsePage("demo/index.en.md", i18n.EN, []byte(src))
	ds := htmlRules(p)
	var got []int
	for _, d := range ds {
		if d.ID != "LintRawHTML" {
			t.Errorf("%v", d)
		}
		got = append(got, d.Pos.Line)
	}
	// <kbd> and </kbd> on line 9, <details> on 11, </details> on 15.
	if len(got) != 4 || got[0] != 9 || got[1] != 9 || got[2] != 11 || got[3] != 15 {
		t.Errorf("raw HTML found on lines %v, want [9 9 11 15]: %v", got, ds)
	}
}

// TestCheckInComment: a check block commented out is a check the step
// silently lost.
func TestCheckInComment(t *testing.T) {
	src := "---\nid: demo\ntitle: Demo\nsummary: A demo.\n---\n\n## Step {#s}\n\n<!--\n```check\nid: c\nkind: vpc\nname: v\n```\n-->\n\n<!-- a note -->\n"
	p, _ := content.ParsePage("demo/index.en.md", i18n.EN, []byte(src))
	ds := htmlRules(p)
	if len(ds) != 1 || ds[0].ID != "LintCheckInComment" || ds[0].Pos.Line != 10 {
		t.Errorf("want one LintCheckInComment at line 10, got %v", ds)
	}
}
