package content

import (
	"testing"

	"github.com/vpclab/vpclab/i18n"
)

// TestSharedCheckYAML: a lab's check blocks, the same text in both
// languages, are parsed once; each page still reports its own positions.
func TestSharedCheckYAML(t *testing.T) {
	lab, ds := LoadLab(Embedded(), "labs/nat-private-egress")
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	en, ja := lab.Pages[i18n.EN], lab.Pages[i18n.JA]
	checks := func(p *Page) []*CheckBlock {
		var out []*CheckBlock
		for _, s := range p.Steps {
			out = append(out, s.Checks...)
		}
		return out
	}
	shared := 0
	for _, c := range checks(en) {
		var other *CheckBlock
		for _, o := range checks(ja) {
			if o.ID == c.ID {
				other = o
			}
		}
		if other == nil || other.Raw != c.Raw {
			continue
		}
		a, b := c.Body.Entries[0], other.Body.Entries[0]
		if a.Value.node != b.Value.node {
			t.Errorf("check %s: parsed once per page", c.ID)
		}
		if a.KeyPos.File == b.KeyPos.File || a.KeyPos.File != en.Path || b.KeyPos.File != ja.Path {
			t.Errorf("check %s: positions %v and %v, want one in each page", c.ID, a.KeyPos, b.KeyPos)
		}
		shared++
	}
	if shared < 5 {
		t.Errorf("only %d check blocks alike in both pages", shared)
	}
}
