package progress

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/i18n"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

func rec(check string, st Status, min int) Record {
	return Record{
		Account: "111122223333", Region: "ap-northeast-1", Lab: "nat-egress",
		Step: "create-nat", Check: check, Status: st,
		Reason: strings.ToUpper(string(st)) + "_REASON", Message: string(st) + " message",
		At: at(min),
	}
}

func newStore(t *testing.T) *Store {
	t.Helper()
	return Open(filepath.Join(t.TempDir(), "state", "progress.json"))
}

func mustRecord(t *testing.T, s *Store, recs ...Record) {
	t.Helper()
	w, err := s.Record(recs...)
	if err != nil || len(w) != 0 {
		t.Fatalf("Record: warnings %v, err %v", w, err)
	}
}

func mustLoad(t *testing.T, s *Store) *Progress {
	t.Helper()
	p, w, err := s.Load()
	if err != nil || len(w) != 0 {
		t.Fatalf("Load: warnings %v, err %v", w, err)
	}
	return p
}

func only(t *testing.T, p *Progress, check string) Record {
	t.Helper()
	r, ok := p.Lab("111122223333", "ap-northeast-1", "nat-egress")[check]
	if !ok {
		t.Fatalf("no record for %s", check)
	}
	return r
}

// The merge rules, each recorded through the file (one Record call per
// result, as successive `vpclab check` runs do).
func TestMergeSemantics(t *testing.T) {
	type want struct {
		status      Status
		message     string
		at          time.Time
		passedAt    time.Time
		lastError   string
		lastErrorAt time.Time
	}
	cases := []struct {
		name string
		seq  []Status // recorded at minutes 1, 2, 3, ...
		want want
	}{
		{"first pass", []Status{StatusPass},
			want{StatusPass, "pass message", at(1), at(1), "", time.Time{}}},
		{"first fail", []Status{StatusFail},
			want{StatusFail, "fail message", at(1), time.Time{}, "", time.Time{}}},
		{"first error", []Status{StatusError},
			want{StatusError, "error message", at(1), time.Time{}, "", time.Time{}}},
		{"first skipped", []Status{StatusSkipped},
			want{StatusSkipped, "skipped message", at(1), time.Time{}, "", time.Time{}}},
		{"fail replaces pass, PassedAt carried", []Status{StatusPass, StatusFail},
			want{StatusFail, "fail message", at(2), at(1), "", time.Time{}}},
		{"error keeps pass, noted", []Status{StatusPass, StatusError},
			want{StatusPass, "pass message", at(1), at(1), "error message", at(2)}},
		{"error keeps warn, noted", []Status{StatusWarn, StatusError},
			want{StatusWarn, "warn message", at(1), at(1), "error message", at(2)}},
		{"second error updates the note", []Status{StatusPass, StatusError, StatusError},
			want{StatusPass, "pass message", at(1), at(1), "error message", at(3)}},
		{"skipped keeps pass, not noted", []Status{StatusPass, StatusSkipped},
			want{StatusPass, "pass message", at(1), at(1), "", time.Time{}}},
		{"skipped keeps warn", []Status{StatusWarn, StatusSkipped},
			want{StatusWarn, "warn message", at(1), at(1), "", time.Time{}}},
		{"skipped keeps noted error", []Status{StatusPass, StatusError, StatusSkipped},
			want{StatusPass, "pass message", at(1), at(1), "error message", at(2)}},
		{"pass after error clears the note", []Status{StatusPass, StatusError, StatusPass},
			want{StatusPass, "pass message", at(3), at(3), "", time.Time{}}},
		{"fail after noted error clears the note", []Status{StatusPass, StatusError, StatusFail},
			want{StatusFail, "fail message", at(3), at(1), "", time.Time{}}},
		{"error replaces fail, PassedAt carried", []Status{StatusPass, StatusFail, StatusError},
			want{StatusError, "error message", at(3), at(1), "", time.Time{}}},
		{"skipped replaces fail", []Status{StatusFail, StatusSkipped},
			want{StatusSkipped, "skipped message", at(2), time.Time{}, "", time.Time{}}},
		{"error replaces error", []Status{StatusError, StatusError},
			want{StatusError, "error message", at(2), time.Time{}, "", time.Time{}}},
		{"warn after pass moves PassedAt", []Status{StatusPass, StatusWarn},
			want{StatusWarn, "warn message", at(2), at(2), "", time.Time{}}},
		{"pass after warn moves PassedAt", []Status{StatusWarn, StatusPass},
			want{StatusPass, "pass message", at(2), at(2), "", time.Time{}}},
		{"pass after fail after pass", []Status{StatusPass, StatusFail, StatusPass},
			want{StatusPass, "pass message", at(3), at(3), "", time.Time{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			for i, st := range c.seq {
				mustRecord(t, s, rec("nat-available", st, i+1))
			}
			r := only(t, mustLoad(t, s), "nat-available")
			got := want{r.Status, r.Message, r.At, r.PassedAt, r.LastError, r.LastErrorAt}
			if got != c.want {
				t.Errorf("\n got %+v\nwant %+v", got, c.want)
			}
			if r.Status == StatusPass && r.Reason != "PASS_REASON" {
				t.Errorf("kept pass lost its reason: %q", r.Reason)
			}
		})
	}
}

// Several records for one check in one call apply in order, like separate
// calls; caller-supplied derived fields are ignored.
func TestRecordAppliesInOrderAndDerivesFields(t *testing.T) {
	s := newStore(t)
	forged := rec("nat-available", StatusFail, 3)
	forged.PassedAt = at(99)
	forged.LastError = "forged"
	mustRecord(t, s, rec("nat-available", StatusPass, 1), rec("nat-available", StatusError, 2), forged)
	r := only(t, mustLoad(t, s), "nat-available")
	if r.Status != StatusFail || !r.PassedAt.Equal(at(1)) || r.LastError != "" {
		t.Errorf("got %+v", r)
	}
}

func TestLastErrorFallsBackToReason(t *testing.T) {
	s := newStore(t)
	e := rec("c", StatusError, 2)
	e.Message = ""
	mustRecord(t, s, rec("c", StatusPass, 1), e)
	if r := only(t, mustLoad(t, s), "c"); r.LastError != "ERROR_REASON" {
		t.Errorf("LastError %q", r.LastError)
	}
}

func TestRecordFillsAtAndNormalizesToUTC(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	fixed := time.Date(2026, 4, 1, 12, 0, 0, 0, time.FixedZone("JST", 9*3600))
	now = func() time.Time { return fixed }
	s := newStore(t)
	r := rec("c", StatusPass, 0)
	r.At = time.Time{}
	mustRecord(t, s, r)
	got := only(t, mustLoad(t, s), "c")
	if !got.At.Equal(fixed) || got.At.Location() != time.UTC || !got.PassedAt.Equal(fixed) {
		t.Errorf("At %v PassedAt %v, want %v in UTC", got.At, got.PassedAt, fixed)
	}
}

func TestRecordRejectsInvalidAndWritesNothing(t *testing.T) {
	s := newStore(t)
	mustRecord(t, s, rec("keep", StatusPass, 1))
	before, _ := os.ReadFile(s.Path())
	bad := []Record{
		{Region: "r", Lab: "l", Check: "c", Status: StatusPass},
		{Account: "a", Region: "r", Check: "c", Status: StatusPass},
		{Account: "a", Region: "r", Lab: "l", Status: StatusPass},
		{Account: "a", Region: "r", Lab: "l", Check: "c", Status: "passed"},
		{Account: "a", Region: "r", Lab: "l", Check: "c", Status: StatusPass, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, b := range bad {
		// A valid record first: the whole call must be rejected.
		if _, err := s.Record(rec("new", StatusPass, 2), b); err == nil {
			t.Errorf("Record(%+v) succeeded", b)
		}
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(before, after) {
		t.Errorf("file changed:\n%s", after)
	}
}

func TestRecordNothingIsNoop(t *testing.T) {
	s := newStore(t)
	if w, err := s.Record(); err != nil || w != nil {
		t.Fatal(w, err)
	}
	if _, err := os.Stat(filepath.Dir(s.Path())); !os.IsNotExist(err) {
		t.Errorf("folder created: %v", err)
	}
}

func TestFileFormat(t *testing.T) {
	recs := []Record{
		{Account: "2", Region: "us-east-1", Lab: "a", Step: "s1", Check: "x", Status: StatusPass, At: at(1)},
		{Account: "1", Region: "us-east-1", Lab: "b", Step: "s2", Check: "y", Status: StatusFail, At: at(2), Message: "0.0.0.0/0 -> <igw> & NAT がありません"},
		{Account: "1", Region: "ap-northeast-1", Lab: "b", Step: "s1", Check: "z", Status: StatusWarn, At: at(3)},
		{Account: "1", Region: "us-east-1", Lab: "b", Step: "s1", Check: "w", Status: StatusPass, At: at(4)},
		{Account: "1", Region: "us-east-1", Lab: "a", Step: "s1", Check: "v", Status: StatusSkipped, At: at(5)},
	}
	var files [][]byte
	for _, order := range [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}} {
		s := newStore(t)
		for _, i := range order {
			mustRecord(t, s, recs[i])
		}
		data, err := os.ReadFile(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)

		if runtime.GOOS != "windows" {
			if st, _ := os.Stat(s.Path()); st.Mode().Perm() != 0o600 {
				t.Errorf("file mode %v, want 0600", st.Mode().Perm())
			}
			if st, _ := os.Stat(filepath.Dir(s.Path())); st.Mode().Perm() != 0o700 {
				t.Errorf("folder mode %v, want 0700", st.Mode().Perm())
			}
		}
		entries, _ := os.ReadDir(filepath.Dir(s.Path()))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if !slices.Equal(names, []string{"progress.json", "progress.json.lock"}) {
			t.Errorf("folder holds %v", names)
		}
	}
	for _, f := range files[1:] {
		if !bytes.Equal(f, files[0]) {
			t.Fatalf("file depends on recording order:\n%s\nvs\n%s", files[0], f)
		}
	}

	var raw struct {
		Version int              `json:"version"`
		Records []map[string]any `json:"records"`
	}
	if err := json.Unmarshal(files[0], &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Version != 1 {
		t.Errorf("version %d", raw.Version)
	}
	var order []string
	for _, r := range raw.Records {
		order = append(order, r["check"].(string))
	}
	// account, region, lab, step, check
	if want := []string{"z", "v", "w", "y", "x"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if _, ok := raw.Records[4]["passed_at"]; !ok {
		t.Errorf("pass without passed_at: %v", raw.Records[4])
	}
	if _, ok := raw.Records[1]["passed_at"]; ok {
		t.Errorf("zero passed_at written: %v", raw.Records[1])
	}
	if !bytes.Contains(files[0], []byte(`"message": "0.0.0.0/0 -> <igw> & NAT がありません"`)) {
		t.Errorf("message escaped or missing:\n%s", files[0])
	}
	if !bytes.HasPrefix(files[0], []byte("{\n  \"version\": 1,\n  \"records\": [\n")) {
		t.Errorf("unexpected layout:\n%s", files[0])
	}
}

func TestMissingFileIsEmpty(t *testing.T) {
	s := newStore(t)
	p := mustLoad(t, s)
	if len(p.Labs()) != 0 || len(p.Records()) != 0 {
		t.Errorf("not empty: %v", p.Records())
	}
	if _, err := os.Stat(filepath.Dir(s.Path())); !os.IsNotExist(err) {
		t.Errorf("Load created the folder: %v", err)
	}
}

func TestUnreadableFileIsError(t *testing.T) {
	t.Run("folder in its place", func(t *testing.T) {
		s := newStore(t)
		if err := os.MkdirAll(s.Path(), 0o700); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Load(); err == nil {
			t.Error("Load succeeded")
		}
		if _, err := s.Record(rec("c", StatusPass, 1)); err == nil {
			t.Error("Record succeeded")
		}
	})
	t.Run("permission", func(t *testing.T) {
		if runtime.GOOS == "windows" || os.Geteuid() == 0 {
			t.Skip("needs a non-root user on unix")
		}
		s := newStore(t)
		mustRecord(t, s, rec("c", StatusPass, 1))
		if err := os.Chmod(s.Path(), 0); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Load(); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("Load: %v", err)
		}
		if _, err := s.Record(rec("c", StatusFail, 2)); err == nil {
			t.Error("Record succeeded")
		}
		os.Chmod(s.Path(), 0o600)
		if r := only(t, mustLoad(t, s), "c"); r.Status != StatusPass {
			t.Errorf("file was overwritten: %+v", r)
		}
	})
}

// TestNewerFileIsLeftAlone: a file a newer vpclab wrote (a later format)
// is not damaged: Load shows no progress and says so, Record refuses, and
// the file is left byte for byte as it was, where it was.
func TestNewerFileIsLeftAlone(t *testing.T) {
	for _, content := range []string{
		`{"version": 2, "records": [{"whatever": "the newer format holds"}]}`,
		`{"version": 2, "records": {"by-lab": []}}`, // another shape altogether
		`{"version": 3, "records": [{"account": "a", "at": "not a time"}]}`,
	} {
		newerLeftAlone(t, content)
	}
}

func newerLeftAlone(t *testing.T, content string) {
	t.Helper()
	s := newStore(t)
	os.MkdirAll(filepath.Dir(s.Path()), 0o700)
	if err := os.WriteFile(s.Path(), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	p, warns, err := s.Load()
	if err != nil || len(p.Records()) != 0 || len(warns) != 1 || warns[0].Kind != WarningNewer || warns[0].Version < 2 || warns[0].Msg().ID != "ProgressNewer" {
		t.Errorf("Load: %v, %d records, warnings %+v", err, len(p.Records()), warns)
	}
	if _, err := s.Record(rec("new", StatusPass, 1)); err == nil || !strings.Contains(i18n.New(i18n.JA).Err(err), "新しいバージョンの vpclab") {
		t.Errorf("Record into a newer file: %v", err)
	}
	if got, err := os.ReadFile(s.Path()); err != nil || string(got) != content {
		t.Errorf("the newer file is now %q, %v", got, err)
	}
	if m, _ := filepath.Glob(s.Path() + ".corrupt-*"); len(m) > 0 {
		t.Errorf("moved aside: %v", m)
	}
}

func TestCorruptFileIsMovedAside(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 5, 6, 7, 8, 9, 0, time.FixedZone("JST", 9*3600)) }
	const stamp = "20260505T220809Z" // UTC

	contents := map[string]string{
		"not json":         "{\"version\": 1, \"records\": [",
		"empty":            "",
		"null":             "null",
		"no version":       `{"records": []}`,
		"unknown version":  `{"version": 0, "records": []}`,
		"records wrong":    `{"version": 1, "records": {}}`,
		"trailing garbage": `{"version": 1, "records": []} x`,
		"unknown status":   `{"version": 1, "records": [{"account":"a","region":"r","lab":"l","check":"c","status":"great","at":"2026-01-01T00:00:00Z"}]}`,
		"no check":         `{"version": 1, "records": [{"account":"a","region":"r","lab":"l","status":"pass","at":"2026-01-01T00:00:00Z"}]}`,
	}
	for name, content := range contents {
		for _, op := range []string{"Load", "Record"} {
			t.Run(name+"/"+op, func(t *testing.T) {
				s := newStore(t)
				os.MkdirAll(filepath.Dir(s.Path()), 0o700)
				if err := os.WriteFile(s.Path(), []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
				var (
					p     *Progress
					warns []Warning
					err   error
				)
				if op == "Load" {
					p, warns, err = s.Load()
				} else {
					warns, err = s.Record(rec("new", StatusPass, 1))
					if err == nil {
						p = mustLoad(t, s)
					}
				}
				if err != nil {
					t.Fatal(err)
				}
				want := s.Path() + ".corrupt-" + stamp
				if len(warns) != 1 || warns[0].Kind != WarningCorrupt || warns[0].Path != s.Path() || warns[0].MovedTo != want || warns[0].Detail == "" {
					t.Fatalf("warnings %+v, want one corrupt moved to %s", warns, want)
				}
				if got, err := os.ReadFile(want); err != nil || string(got) != content {
					t.Errorf("corrupt copy %q, %v; want the old content", got, err)
				}
				var checks []string
				for _, r := range p.Records() {
					checks = append(checks, r.Check)
				}
				wantChecks := []string(nil)
				if op == "Record" {
					wantChecks = []string{"new"}
				} else if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
					t.Errorf("corrupt file still in place after Load: %v", err)
				}
				if !slices.Equal(checks, wantChecks) {
					t.Errorf("records %v, want %v", checks, wantChecks)
				}
			})
		}
	}
}

// Two corruptions in the same second keep both copies.
func TestCorruptCopiesNeverOverwritten(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return t0 }
	s := newStore(t)
	os.MkdirAll(filepath.Dir(s.Path()), 0o700)
	var moved []string
	for i := range 3 {
		os.WriteFile(s.Path(), []byte{'x', byte('0' + i)}, 0o600)
		_, warns, err := s.Load()
		if err != nil || len(warns) != 1 {
			t.Fatal(warns, err)
		}
		moved = append(moved, warns[0].MovedTo)
	}
	base := s.Path() + ".corrupt-20260301T090000Z"
	if want := []string{base, base + "-2", base + "-3"}; !slices.Equal(moved, want) {
		t.Fatalf("moved to %v, want %v", moved, want)
	}
	for i, m := range moved {
		if got, _ := os.ReadFile(m); string(got) != string([]byte{'x', byte('0' + i)}) {
			t.Errorf("%s holds %q", m, got)
		}
	}
}

// Load that cannot lock (read-only folder) reports the corrupt file but
// leaves it alone, and Record refuses to overwrite it.
func TestCorruptInReadOnlyFolder(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a non-root user on unix")
	}
	s := newStore(t)
	dir := filepath.Dir(s.Path())
	os.MkdirAll(dir, 0o700)
	os.WriteFile(s.Path(), []byte("garbage"), 0o600)
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	_, warns, err := s.Load()
	if err != nil || len(warns) != 1 || warns[0].MovedTo != "" {
		t.Fatalf("Load: %+v, %v", warns, err)
	}
	if _, err := s.Record(rec("c", StatusPass, 1)); err == nil {
		t.Error("Record succeeded")
	}
	if got, _ := os.ReadFile(s.Path()); string(got) != "garbage" {
		t.Errorf("file now %q", got)
	}
}

func TestQueries(t *testing.T) {
	s := newStore(t)
	r := func(acct, region, lab, check string, st Status, min int) Record {
		return Record{Account: acct, Region: region, Lab: lab, Step: "s", Check: check, Status: st, At: at(min)}
	}
	mustRecord(t, s,
		r("111", "us-east-1", "nat", "a", StatusPass, 1),
		r("111", "us-east-1", "nat", "b", StatusFail, 5),
		r("222", "ap-northeast-1", "nat", "a", StatusPass, 3),
		r("111", "us-east-1", "igw", "a", StatusPass, 2),
		r("222", "eu-west-1", "igw", "a", StatusPass, 2),
	)
	p := mustLoad(t, s)
	want := []LabKey{
		{"111", "us-east-1", "igw"}, {"111", "us-east-1", "nat"},
		{"222", "ap-northeast-1", "nat"}, {"222", "eu-west-1", "igw"},
	}
	if got := p.Labs(); !slices.Equal(got, want) {
		t.Errorf("Labs %v, want %v", got, want)
	}
	lab := p.Lab("111", "us-east-1", "nat")
	if len(lab) != 2 || lab["a"].Status != StatusPass || lab["b"].Status != StatusFail {
		t.Errorf("Lab %+v", lab)
	}
	delete(lab, "a") // a copy
	if len(p.Lab("111", "us-east-1", "nat")) != 2 {
		t.Error("Lab returned the internal map")
	}
	if got := p.Lab("999", "x", "y"); got == nil || len(got) != 0 {
		t.Errorf("unknown lab: %v", got)
	}

	if k, ok := p.Latest("nat"); !ok || k != (LabKey{"111", "us-east-1", "nat"}) {
		t.Errorf("Latest(nat) = %v, %v", k, ok)
	}
	// Tie at minute 2: the first in Labs order.
	if k, ok := p.Latest("igw"); !ok || k != (LabKey{"111", "us-east-1", "igw"}) {
		t.Errorf("Latest(igw) = %v, %v", k, ok)
	}
	if _, ok := p.Latest("vpce"); ok {
		t.Error("Latest of an unchecked lab")
	}

	// A run in the other account that only errored still makes it the
	// one being worked on.
	mustRecord(t, s, r("222", "ap-northeast-1", "nat", "a", StatusError, 9))
	p = mustLoad(t, s)
	if k, _ := p.Latest("nat"); k != (LabKey{"222", "ap-northeast-1", "nat"}) {
		t.Errorf("Latest(nat) after error run = %v", k)
	}
	if got := p.Lab("222", "ap-northeast-1", "nat")["a"]; got.Status != StatusPass {
		t.Errorf("error erased the pass: %+v", got)
	}
}

func TestNilProgress(t *testing.T) {
	var p *Progress
	if p.Labs() != nil || p.Records() != nil || len(p.Lab("a", "r", "l")) != 0 {
		t.Error("nil Progress not empty")
	}
	if _, ok := p.Latest("l"); ok {
		t.Error("nil Progress has a latest")
	}
}

func TestWarningString(t *testing.T) {
	w := Warning{Kind: WarningCorrupt, Path: "/p", MovedTo: "/p.corrupt-x", Detail: "bad"}
	if s := w.String(); !strings.Contains(s, "/p.corrupt-x") || !strings.Contains(s, "/p:") {
		t.Error(s)
	}
}
