// Package gcfloor keeps Go's garbage collector idle until a process has
// used a given amount of memory.
//
// Most vpclab commands are short: a check of one lab allocates some tens
// of megabytes and keeps few of them, and with Go's default target the
// collector ran three times before the first AWS answer, a sixth of a
// one-learner class run's CPU. Below the floor nothing is collected;
// after the first collection (the runtime starts it as memory reaches the
// floor) the collector paces itself as usual, at the target Percent last
// set, so a long command (a class of 500, vpclab serve) is collected as it
// was, and only a short one skips collecting.
package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

var (
	mu        sync.Mutex
	active    bool  // the floor holds: no collection yet since Start
	percent   int   // the target once it no longer holds
	prevLimit int64 // the memory limit before Start
)

// Start turns the collector off until the runtime's memory reaches floor
// bytes. A user who sets GOGC or GOMEMLIMIT has chosen: then it does
// nothing.
func Start(floor int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || floor <= 0 {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if active {
		return
	}
	percent = debug.SetGCPercent(-1)
	prevLimit = debug.SetMemoryLimit(floor)
	active = true
	// The first collection, whatever starts it, frees the sentinel and
	// runs the clean-up, which hands pacing back to the target.
	s := new(sentinel)
	runtime.AddCleanup(s, func(struct{}) { lift() }, struct{}{})
}

// sentinel holds a pointer so that it is never one of the runtime's tiny
// allocations, whose clean-ups may never run.
type sentinel struct{ _ *int }

func lift() {
	mu.Lock()
	defer mu.Unlock()
	if !active {
		return
	}
	active = false
	debug.SetMemoryLimit(prevLimit)
	debug.SetGCPercent(percent)
}

// Percent sets the collector's target (as debug.SetGCPercent) and returns
// the previous one; while the floor holds, it sets the target the
// collector will have once it is passed.
func Percent(p int) (prev int) {
	mu.Lock()
	defer mu.Unlock()
	if active {
		prev, percent = percent, p
		return prev
	}
	return debug.SetGCPercent(p)
}

// Holds reports whether the floor still holds (nothing collected yet).
func Holds() bool {
	mu.Lock()
	defer mu.Unlock()
	return active
}
