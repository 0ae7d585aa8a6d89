package gcfloor

import (
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// The floor changes the whole process's collector, so each case runs in
// a child process of its own (this test binary, asked by the variable).
const childVar = "GCFLOOR_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childVar) {
	case "":
		os.Exit(m.Run())
	case "below":
		os.Exit(below())
	case "past":
		os.Exit(past())
	case "nothing":
		Start(256 << 20)
		if Holds() {
			os.Exit(30)
		}
		os.Exit(0)
	}
	os.Exit(3)
}

var sink [][]byte

// below allocates 8 MiB in all under a 256 MiB floor: nothing may be
// collected, and the target set meanwhile is kept for later.
func below() int {
	Start(256 << 20)
	if !Holds() {
		return 10
	}
	Percent(300)
	before := numGC()
	for range 8 << 10 {
		sink = append(sink, make([]byte, 1<<10))
	}
	sink = nil
	if numGC() != before {
		return 11
	}
	if !Holds() || Percent(300) != 300 {
		return 12
	}
	return 0
}

// past allocates 160 MiB, keeping none of it, over a 32 MiB floor: the
// collector runs, and then paces at the target set while the floor held,
// with no memory limit left.
func past() int {
	Start(32 << 20)
	Percent(250)
	for range 160 << 10 {
		sink = append(sink[:0], make([]byte, 1<<10))
	}
	if numGC() == 0 {
		return 20
	}
	// The clean-up that lifts the floor runs on its own goroutine.
	deadline := time.Now().Add(time.Minute)
	for Holds() && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if Holds() {
		return 21
	}
	if p := debug.SetGCPercent(250); p != 250 {
		return 22
	}
	if l := debug.SetMemoryLimit(-1); l < 1<<40 {
		return 23
	}
	return 0
}

func numGC() uint32 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.NumGC
}

func child(t *testing.T, name string, env ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, childVar+"="+name)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v (exit code is the failed step)\n%s", name, err, out)
	}
}

func TestNothingCollectedBelowTheFloor(t *testing.T) { child(t, "below", "GOGC=", "GOMEMLIMIT=") }

func TestPacingResumesPastTheFloor(t *testing.T) { child(t, "past", "GOGC=", "GOMEMLIMIT=") }

// A user's GOGC or GOMEMLIMIT wins: Start leaves the collector alone.
func TestUsersSettingsWin(t *testing.T) {
	child(t, "nothing", "GOGC=100")
	child(t, "nothing", "GOMEMLIMIT=1GiB")
}
