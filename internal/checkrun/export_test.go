package checkrun

import "time"

// SetClock replaces the clock Run measures its deadline on, until the
// returned function restores it.
func SetClock(c func() time.Time) (restore func()) {
	old := now
	now = c
	return func() { now = old }
}
