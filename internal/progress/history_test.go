package progress

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The history fields only ever gain: the first pass and the first record
// survive fails (a clean-up), errors and later passes.
func TestHistoryNeverGoesBackwards(t *testing.T) {
	cases := []struct {
		name                 string
		seq                  []Status // at minutes 1, 2, 3, ...
		firstAt, firstPassed time.Time
	}{
		{"never passed", []Status{StatusFail, StatusFail}, at(1), time.Time{}},
		{"first pass kept after fail", []Status{StatusFail, StatusPass, StatusFail, StatusPass}, at(1), at(2)},
		{"warn counts as a pass", []Status{StatusWarn, StatusPass}, at(1), at(1)},
		{"error and skipped change nothing", []Status{StatusPass, StatusError, StatusSkipped, StatusFail}, at(1), at(1)},
		{"error first", []Status{StatusError, StatusPass}, at(1), at(2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			for i, st := range c.seq {
				mustRecord(t, s, rec("c", st, i+1))
			}
			r := only(t, mustLoad(t, s), "c")
			if !r.FirstAt.Equal(c.firstAt) || !r.FirstPassedAt.Equal(c.firstPassed) {
				t.Errorf("FirstAt %v FirstPassedAt %v, want %v %v", r.FirstAt, r.FirstPassedAt, c.firstAt, c.firstPassed)
			}
		})
	}
}

// Forged history fields on input are ignored, like PassedAt.
func TestHistoryIgnoredOnInput(t *testing.T) {
	s := newStore(t)
	r := rec("c", StatusFail, 5)
	r.FirstAt, r.FirstPassedAt = at(1), at(2)
	mustRecord(t, s, r)
	got := only(t, mustLoad(t, s), "c")
	if !got.FirstAt.Equal(at(5)) || !got.FirstPassedAt.IsZero() {
		t.Errorf("FirstAt %v FirstPassedAt %v", got.FirstAt, got.FirstPassedAt)
	}
}

// A file written before the history fields existed: its PassedAt is the
// best known first pass, and recording on top keeps it.
func TestHistoryFromOlderFile(t *testing.T) {
	s := newStore(t)
	old := `{"version": 1, "records": [{"account":"111122223333","region":"ap-northeast-1","lab":"nat-egress","step":"s","check":"c","status":"fail","at":"2026-01-01T00:10:00Z","passed_at":"2026-01-01T00:05:00Z"}]}`
	if err := os.MkdirAll(filepath.Dir(s.Path()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path(), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r := only(t, mustLoad(t, s), "c")
	want := time.Date(2026, 1, 1, 0, 5, 0, 0, time.UTC)
	if !r.FirstPassed().Equal(want) || !r.Started().Equal(want) {
		t.Fatalf("FirstPassed %v Started %v, want %v", r.FirstPassed(), r.Started(), want)
	}
	n := rec("c", StatusPass, 0)
	n.At = want.Add(time.Hour)
	mustRecord(t, s, n)
	r = only(t, mustLoad(t, s), "c")
	if !r.FirstPassedAt.Equal(want) || !r.FirstAt.Equal(want) {
		t.Errorf("after a new pass: FirstPassedAt %v FirstAt %v, want %v", r.FirstPassedAt, r.FirstAt, want)
	}
}
