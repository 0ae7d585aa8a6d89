package cli

import (
	"runtime/debug"
	"testing"
)

// A class run raises the collector's target, and puts it back after; a
// GOGC the user set is left alone.
func TestBatchGC(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := batchGC(classGCPercent)
	if got := debug.SetGCPercent(classGCPercent); got != classGCPercent {
		t.Errorf("during a class run GOGC is %d, want %d", got, classGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after a class run GOGC is %d, want 100 again", got)
	}

	// Overlapping runs: the target stays until the last ends.
	first, second := batchGC(classGCPercent), batchGC(classGCPercent)
	first()
	first() // twice is once
	if got := debug.SetGCPercent(classGCPercent); got != classGCPercent {
		t.Errorf("with a run still under way GOGC is %d, want %d", got, classGCPercent)
	}
	second()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after overlapping runs GOGC is %d, want 100 again", got)
	}

	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	batchGC(classGCPercent)()
	if got := debug.SetGCPercent(100); got != 50 {
		t.Errorf("with GOGC=50 set a class run changed it to %d", got)
	}
}
