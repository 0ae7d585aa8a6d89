package cli

import (
	"os"
	"sync"

	"github.com/vpclab/vpclab/internal/gcfloor"
)

// The collector's targets while a class is checked or a site is built:
// batch work that allocates much and keeps little, where a larger heap
// costs less than the collector's CPU.
//
// A class run waits on AWS most of the time and allocates a few MB per
// learner (the SDK's requests and answers), little of which stays. With
// Go's default (GOGC=100) the collector ran every two to five learners
// (96 cycles for 500), each marking the live heap while the idle
// processor ran mark workers too. Measured with one build against the
// sandbox, GOGC=100 and this in turn (user+sys, peak RSS): 200 learners
// 4.20 -> 3.97 s and 114 -> 143 MB (medians of 4), 500 learners
// 10.8 -> 9.6 s and 187 -> 260 MB (medians of 3). GOGC=400 saved little
// more on 50 and 200 learners for half as much memory again; an 8 MB
// floor under the target (a never-touched allocation) saved nothing
// measurable on 1, 10 and 50 learners.
//
// A build keeps only each lab's outline once its pages are written
// (content.ReleaseSources): on 300 bilingual labs about 55 MB live while
// the labs are rendered and 110 MB while the search index is written.
// Against GOGC=150 (paired medians of 7), 400 took 9 % less CPU and 8 %
// less wall for 352 -> 482 MiB peak; Hugo peaks at about 740 MiB on the
// same pages.
//
// Below gcFloor of memory nothing is collected at all (see gcfloor): a
// one-learner class run, or a check, ends before the floor is reached.
// On nat-private-egress in the sandbox, a one-learner class run took
// 0.055 -> 0.045 s of CPU with the collector off (paired medians of 15).
const (
	gcFloor        = 64 << 20
	classGCPercent = 200
	buildGCPercent = 400
)

// batchGC sets the collector's target to percent for a class run or a
// build unless GOGC is set (the user's choice wins), and returns what
// restores it.
// Runs may overlap (vpclab serve --roster checks the class again and
// again, tests run the CLI in-process): the first sets the target, the
// last to end restores it.
func batchGC(percent int) (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	batchGCMu.Lock()
	defer batchGCMu.Unlock()
	if batchGCRuns == 0 {
		batchGCPrev = gcfloor.Percent(percent)
	}
	batchGCRuns++
	return sync.OnceFunc(func() {
		batchGCMu.Lock()
		defer batchGCMu.Unlock()
		if batchGCRuns--; batchGCRuns == 0 {
			gcfloor.Percent(batchGCPrev)
		}
	})
}

var (
	batchGCMu   sync.Mutex
	batchGCRuns int // runs under way (the first one's target holds)
	batchGCPrev int // the target before the first of them
)
