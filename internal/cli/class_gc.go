package cli

import (
	"os"
	"runtime/debug"
	"sync"
)

// classGCPercent is the collector's target while a class is checked.
//
// A class run waits on AWS most of the time and allocates a few MB per
// learner (the SDK's requests and answers), little of which stays. With
// Go's default (GOGC=100) the collector ran every two to five learners
// (96 cycles for 500), each marking the live heap while the idle
// processor ran mark workers too. Measured on 50 and 200 learners against
// the sandbox: GOGC=200 takes about a tenth less CPU per learner for a
// quarter more memory (peak RSS); 400 saved little more for half as much
// memory again.
const classGCPercent = 200

// classGC sets the collector's target for a class run unless GOGC is set
// (the user's choice wins), and returns what restores it. Runs may
// overlap (vpclab serve --roster checks the class again and again, tests
// run the CLI in-process): the first sets the target, the last to end
// restores it.
func classGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	classGCMu.Lock()
	defer classGCMu.Unlock()
	if classGCRuns == 0 {
		classGCPrev = debug.SetGCPercent(classGCPercent)
	}
	classGCRuns++
	return sync.OnceFunc(func() {
		classGCMu.Lock()
		defer classGCMu.Unlock()
		if classGCRuns--; classGCRuns == 0 {
			debug.SetGCPercent(classGCPrev)
		}
	})
}

var (
	classGCMu   sync.Mutex
	classGCRuns int // class runs under way
	classGCPrev int // the target before the first of them
)
