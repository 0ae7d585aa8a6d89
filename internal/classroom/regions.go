package classroom

import (
	"slices"
	"sync"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/roster"
)

// defaultRegions are where a lab built "in the wrong Region" usually is:
// the console's and the AWS CLI documentation's default (us-east-1) and
// CloudShell's and many tutorials' (us-west-2).
var defaultRegions = []string{"us-east-1", "us-west-2"}

// regionHints are the Regions a class's missing labs are looked for in:
// the defaults, the Region each lab's text asks for (a learner who
// follows the lab and not the roster builds there), every Region of the
// roster, and each Region where a
// learner's lab was found during this run, since learners of one class
// tend to make the same mistake.
type regionHints struct {
	mu  sync.Mutex
	set []string
}

func newRegionHints(labs []*content.Lab, learners []roster.Learner) *regionHints {
	h := &regionHints{}
	for _, r := range defaultRegions {
		h.add(r)
	}
	for _, lab := range labs {
		if p := lab.Page(i18n.EN); p != nil {
			h.add(p.Meta.Region)
		}
	}
	for _, l := range learners {
		h.add(l.Region)
	}
	return h
}

func (h *regionHints) add(region string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if region != "" && !slices.Contains(h.set, region) {
		h.set = append(h.set, region)
	}
}

func (h *regionHints) list() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.set)
}
