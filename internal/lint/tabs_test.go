package lint

import (
	"slices"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/i18n"
)

// TestTabRules: well-formed markers in both languages pass; each way of
// getting them wrong is reported at the marker, in the page that has it.
func TestTabRules(t *testing.T) {
	good := "## Make it {#make}\n\n<!-- tab: console -->\n**Console:** click.\n\n<!-- tab: cli -->\n**AWS CLI:**\n\n```bash\necho hi\n```\n\n<!-- /tabs -->\n\nAfter.\n"
	cases := []struct {
		name     string
		en, ja   string
		want     []string // rule@file:line:col; the body starts at line 14
		wantArgs string   // a substring of the first finding's Here/There
	}{
		{"the same tabs in both", good, good, nil, ""},
		{"no tabs at all", "## Make it {#make}\n\nText.\n", "## Make it {#make}\n\nText.\n", nil, ""},
		{"Japanese lacks the tabs", good, "## Make it {#make}\n\nText.\n", []string{"LintTabsOrder@index.en.md:16:1"}, "[console cli]"},
		{"order differs", good, strings.Replace(strings.Replace(good, "tab: console", "tab: X", 1), "tab: cli", "tab: console", 1), nil, ""},
		{"unknown name", good, strings.Replace(good, "tab: cli", "tab: shell", 1), []string{"LintTabsUnknown@index.ja.md:19:1", "LintTabsOrder@index.ja.md:16:1"}, "shell"},
		{"unclosed", good, strings.Replace(good, "<!-- /tabs -->", "", 1), []string{"LintTabsUnclosed@index.ja.md:16:1"}, ""},
		{"stray close", good, good + "\n<!-- /tabs -->\n", []string{"LintTabsStray@index.ja.md:30:1"}, ""},
		// A step renamed in one language is LintStepOnlyHere's: its tabs
		// are not reported as missing as well.
		{"step renamed in Japanese", good, strings.Replace(good, "{#make}", "{#make-it}", 1), nil, ""},
		{"a single tab", strings.Replace(good, "<!-- tab: cli -->\n", "", 1), strings.Replace(good, "<!-- tab: cli -->\n", "", 1), []string{"LintTabsSingle@index.en.md:16:1", "LintTabsSingle@index.ja.md:16:1"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "order differs" {
				// console → X, cli → console: ja has [X console]; X is unknown too.
				c.want = []string{"LintTabsUnknown@index.ja.md:16:1", "LintTabsOrder@index.ja.md:16:1"}
				c.wantArgs = "[X console]"
			}
			en, ja := stylePage(t, i18n.EN, c.en), stylePage(t, i18n.JA, c.ja)
			ds := tabRules(en, ja)
			got := ruleIDs(ds)
			if !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			if c.wantArgs != "" {
				found := false
				for _, d := range ds {
					for _, v := range d.Args {
						if s, ok := v.(string); ok && strings.Contains(s, c.wantArgs) {
							found = true
						}
					}
				}
				if !found {
					t.Errorf("no finding names %q: %+v", c.wantArgs, ds)
				}
			}
			for _, d := range ds {
				for _, l := range i18n.Langs {
					if msg := i18n.New(l).T(d.ID, d.Args); strings.HasPrefix(msg, "[") {
						t.Errorf("%s has no %s message", d.ID, l)
					}
				}
			}
		})
	}
}
