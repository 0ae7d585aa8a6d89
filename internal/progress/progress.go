// Package progress records the outcome of every `vpclab check` so that the
// site can draw progress badges and an instructor's dashboard can read a
// class's results. Results live in one JSON file per user (see DefaultPath);
// several vpclab processes may update it at once, so every update is a
// locked read-modify-write followed by an atomic rename.
package progress

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/atomicfile"
)

// Status is the outcome of one check. It is a separate type from the check
// engine's so that the file format does not change when the engine does; the
// engine converts.
type Status string

// The statuses a record may carry; anything else is rejected by Record and
// makes a file corrupt.
const (
	StatusPass    Status = "pass"
	StatusFail    Status = "fail"
	StatusWarn    Status = "warn"
	StatusError   Status = "error"
	StatusSkipped Status = "skipped"
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusPass, StatusFail, StatusWarn, StatusError, StatusSkipped:
		return true
	}
	return false
}

// passing reports whether s counts as "done" for badges: a warning is a
// pass with advice.
func (s Status) passing() bool { return s == StatusPass || s == StatusWarn }

// Record is the latest known result of one check in one account and region.
// Records are keyed by (Account, Region, Lab, Check); Step is kept for
// display and ordering only.
type Record struct {
	Account string `json:"account"`
	Region  string `json:"region"` // may be empty for a global check
	Lab     string `json:"lab"`
	Step    string `json:"step"`
	Check   string `json:"check"`
	Status  Status `json:"status"`
	// Reason is the language-neutral reason code, e.g.
	// NO_ROUTE_TO_DESTINATION, so a dashboard can group results.
	Reason string `json:"reason,omitempty"`
	// Message is the learner message as it was shown, in the language in
	// use at the time; it is never re-translated.
	Message string `json:"message,omitempty"`
	// MessageID and MessageData are the same message as the catalog's id
	// and its data, so that a page in the other language can show the
	// result in its own language (Message is the fallback).
	MessageID   string         `json:"message_id,omitempty"`
	MessageData map[string]any `json:"message_data,omitempty"`
	// At is when the check ran. Record fills in the current time if zero.
	At time.Time `json:"at"`
	// PassedAt is the last time this check passed or warned (zero if
	// never). It is maintained by Store.Record and ignored on input: a
	// badge earned once stays earned even if the step later breaks.
	PassedAt time.Time `json:"passed_at,omitzero"`
	// LastError and LastErrorAt note a run that errored (credentials
	// expired, API throttled, ...) after this check had passed or warned.
	// Such a run says nothing about the learner's work, so it must not
	// take the pass away; it is only noted here. Maintained by Store.Record
	// and ignored on input; cleared by the next pass, warn or fail.
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
	// FirstPassedAt is the first time this check passed or warned (zero
	// if never), and FirstAt the first time it was recorded at all. They
	// are a learner's history (when a step was first done, how long they
	// have been on the current one); once set they never change.
	// Maintained by Store.Record and ignored on input. Files written
	// before they existed lack them: see FirstPassed and Started.
	FirstPassedAt time.Time `json:"first_passed_at,omitzero"`
	FirstAt       time.Time `json:"first_at,omitzero"`
}

// FirstPassed is when the check first passed or warned, as far as the file
// knows (zero if never): a record from before FirstPassedAt existed has
// only its latest pass.
func (r Record) FirstPassed() time.Time {
	if !r.FirstPassedAt.IsZero() {
		return r.FirstPassedAt
	}
	return r.PassedAt
}

// Started is when the check was first recorded, as far as the file knows.
func (r Record) Started() time.Time {
	t := r.FirstAt
	for _, o := range []time.Time{r.At, r.FirstPassed()} {
		if !o.IsZero() && (t.IsZero() || o.Before(t)) {
			t = o
		}
	}
	return t
}

// LabKey names one lab as done in one account and region.
type LabKey struct {
	Account, Region, Lab string
}

func (k LabKey) compare(o LabKey) int {
	return cmp.Or(
		strings.Compare(k.Account, o.Account),
		strings.Compare(k.Region, o.Region),
		strings.Compare(k.Lab, o.Lab),
	)
}

func (r Record) labKey() LabKey { return LabKey{r.Account, r.Region, r.Lab} }

// compareRecords is the file's order: readable diffs need a deterministic one.
func compareRecords(a, b Record) int {
	return cmp.Or(
		a.labKey().compare(b.labKey()),
		strings.Compare(a.Step, b.Step),
		strings.Compare(a.Check, b.Check),
	)
}

// lastChecked is when the check last ran at all, including a run whose error
// was only noted.
func (r Record) lastChecked() time.Time {
	if r.LastErrorAt.After(r.At) {
		return r.LastErrorAt
	}
	return r.At
}

// validate rejects what the file must never hold. Times must be encodable
// as RFC 3339 in UTC, or the file could be read but never written again.
func (r Record) validate() error {
	switch {
	case r.Account == "":
		return errors.New("record has no account")
	case r.Lab == "":
		return errors.New("record has no lab")
	case r.Check == "":
		return errors.New("record has no check")
	case !r.Status.Valid():
		return fmt.Errorf("record %s/%s: unknown status %q", r.Lab, r.Check, r.Status)
	}
	for _, t := range []time.Time{r.At, r.PassedAt, r.LastErrorAt, r.FirstPassedAt, r.FirstAt} {
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return fmt.Errorf("record %s/%s: time %v out of range", r.Lab, r.Check, t)
		}
	}
	return nil
}

// normalize stores times in UTC so the file does not depend on the time
// zone of whoever wrote it.
func (r Record) normalize() Record {
	r.At = r.At.UTC()
	r.PassedAt = r.PassedAt.UTC()
	r.LastErrorAt = r.LastErrorAt.UTC()
	r.FirstPassedAt = r.FirstPassedAt.UTC()
	r.FirstAt = r.FirstAt.UTC()
	return r
}

// merge returns what is stored after rec is recorded on top of old (ok
// reports whether there was an old record). rec's PassedAt and LastError
// fields are ignored: they are derived here.
func merge(old Record, ok bool, rec Record) Record {
	out := mergeLatest(old, ok, rec)
	// History only ever gains: the first pass and the first record stay
	// whatever happens later (a clean-up, a regression, an error).
	out.FirstAt, out.FirstPassedAt = rec.At, time.Time{}
	if ok {
		out.FirstAt = old.Started()
		if rec.At.Before(out.FirstAt) {
			out.FirstAt = rec.At
		}
		out.FirstPassedAt = old.FirstPassed()
	}
	if out.FirstPassedAt.IsZero() && rec.Status.passing() {
		out.FirstPassedAt = rec.At
	}
	return out
}

// mergeLatest is merge for the latest result and its PassedAt/LastError.
func mergeLatest(old Record, ok bool, rec Record) Record {
	rec.PassedAt, rec.LastError, rec.LastErrorAt = time.Time{}, "", time.Time{}
	if ok && old.Status.passing() {
		switch rec.Status {
		case StatusError:
			// The run failed for reasons outside the learner's work:
			// keep the pass, note the error.
			old.LastError = cmp.Or(rec.Message, rec.Reason, string(StatusError))
			old.LastErrorAt = rec.At
			return old
		case StatusSkipped:
			// A skipped check was not looked at; nothing to learn.
			return old
		}
	}
	if rec.Status.passing() {
		rec.PassedAt = rec.At
	} else if ok {
		rec.PassedAt = old.PassedAt
	}
	return rec
}

// Progress is a snapshot of recorded results, keyed by (account, region,
// lab) and then check id. A nil *Progress is empty.
type Progress struct {
	labs map[LabKey]map[string]Record
}

func newProgress() *Progress { return &Progress{labs: map[LabKey]map[string]Record{}} }

// put stores r as is, replacing any record for the same check.
func (p *Progress) put(r Record) {
	k := r.labKey()
	checks := p.labs[k]
	if checks == nil {
		checks = map[string]Record{}
		p.labs[k] = checks
	}
	checks[r.Check] = r
}

func (p *Progress) get(r Record) (Record, bool) {
	old, ok := p.labs[r.labKey()][r.Check]
	return old, ok
}

// Lab returns the records of one lab in one account and region, by check
// id. The map is a copy; it is empty (not nil) if nothing was recorded.
func (p *Progress) Lab(account, region, lab string) map[string]Record {
	if p == nil {
		return map[string]Record{}
	}
	m := maps.Clone(p.labs[LabKey{account, region, lab}])
	if m == nil {
		m = map[string]Record{}
	}
	return m
}

// Labs returns every (account, region, lab) with at least one record,
// sorted by account, region and lab.
func (p *Progress) Labs() []LabKey {
	if p == nil {
		return nil
	}
	keys := slices.Collect(maps.Keys(p.labs))
	slices.SortFunc(keys, LabKey.compare)
	return keys
}

// Latest returns the account and region in which lab was most recently
// checked (a run that only noted an error counts): a learner may have done
// a lab in several, and the site shows the one they are working in. Ties go
// to the first in Labs order. ok is false if the lab was never checked.
func (p *Progress) Latest(lab string) (key LabKey, ok bool) {
	var latest time.Time
	for _, k := range p.Labs() {
		if k.Lab != lab {
			continue
		}
		for _, r := range p.labs[k] {
			if t := r.lastChecked(); !ok || t.After(latest) {
				key, latest, ok = k, t, true
			}
		}
	}
	return key, ok
}

// Records returns every record in file order: by account, region, lab,
// step and check.
func (p *Progress) Records() []Record {
	if p == nil {
		return nil
	}
	var all []Record
	for _, checks := range p.labs {
		for _, r := range checks {
			all = append(all, r)
		}
	}
	slices.SortFunc(all, compareRecords)
	return all
}

// fileVersion is the only format this package reads and writes. A file of
// a later version (a newer vpclab's) is left alone; any other is treated
// as corrupt rather than guessed at.
const fileVersion = 1

type fileFormat struct {
	Version int      `json:"version"`
	Records []Record `json:"records"`
}

// decode parses a progress file. A *newerError is a newer vpclab's file;
// any other error means the file is corrupt.
func decode(data []byte) (*Progress, error) {
	// The version first: a newer vpclab's records may have another shape,
	// which must not make its file look corrupt (and be moved aside).
	var v struct {
		Version int `json:"version"`
	}
	if json.Unmarshal(data, &v) == nil && v.Version > fileVersion {
		return nil, &newerError{v.Version}
	}
	var f fileFormat
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.Version != fileVersion {
		return nil, fmt.Errorf("unknown version %d (want %d)", f.Version, fileVersion)
	}
	p := newProgress()
	for _, r := range f.Records {
		if err := r.validate(); err != nil {
			return nil, err
		}
		p.put(r.normalize())
	}
	return p, nil
}

// encode writes p in the file format: indented, HTML characters unescaped
// (messages hold "->" and "<id>"), records in file order.
func encode(p *Progress) ([]byte, error) {
	f := fileFormat{Version: fileVersion, Records: p.Records()}
	if f.Records == nil {
		f.Records = []Record{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WarningKind says what a Warning is about.
type WarningKind string

// WarningCorrupt: the progress file was not valid JSON, had an unknown
// version or held an invalid record. Its content was kept at MovedTo and
// progress starts empty.
const WarningCorrupt WarningKind = "corrupt"

// WarningNewer: the progress file was written by a newer vpclab (Version).
// It is not corrupt: it is left exactly as it is, progress reads as empty,
// and nothing is recorded into it, so the newer vpclab finds it whole.
const WarningNewer WarningKind = "newer"

// newerError: a file in a format newer than this vpclab's.
type newerError struct{ version int }

func (e *newerError) Error() string {
	return fmt.Sprintf("written by a newer vpclab (format %d, this one reads %d)", e.version, fileVersion)
}

// Msg words w for the learner.
func (w Warning) Msg() i18n.Msg {
	if w.Kind == WarningNewer {
		return i18n.Msg{ID: "ProgressNewer", Data: i18n.M{"Path": w.Path, "Version": w.Version}}
	}
	return i18n.Msg{ID: "ProgressCorrupt", Data: i18n.M{"Path": w.Path, "MovedTo": w.MovedTo}}
}

// Warning is something the user should hear about although the operation
// went on. It is structured so that the CLI can word it in the learner's
// language.
type Warning struct {
	Kind WarningKind
	// Path is the progress file concerned.
	Path string
	// MovedTo is where a corrupt file was moved. It is empty only when
	// Load could not move it (e.g. a read-only folder): the file was then
	// left in place, and the next Record will try again or fail.
	MovedTo string
	// Detail is the technical cause (the JSON error), in English.
	Detail string
	// Version is the format of a file written by a newer vpclab.
	Version int
}

// String is an English rendering, for logs and tests; the CLI words
// warnings itself.
func (w Warning) String() string {
	if w.MovedTo == "" {
		return fmt.Sprintf("%s: %s progress file left in place (%s)", w.Path, w.Kind, w.Detail)
	}
	return fmt.Sprintf("%s: %s progress file moved to %s (%s)", w.Path, w.Kind, w.MovedTo, w.Detail)
}

// Store is one progress file. It holds no open file or cached state, so
// Stores are cheap and any number may point at the same path, in one
// process or many.
type Store struct {
	path string
}

// Open returns the store for the progress file at path. Nothing is read or
// created until Load or Record.
func Open(path string) *Store { return &Store{path: path} }

// Path returns the progress file's path, for messages.
func (s *Store) Path() string { return s.path }

// now is the clock; tests replace it.
var now = time.Now

// writeMu serializes Record (and Load's recovery of a corrupt file) within
// this process. flock already does between processes, and on most systems
// between goroutines too, but on systems without flock this mutex is all
// there is; a single mutex is enough because updates are rare and short.
var writeMu sync.Mutex

// Record merges recs into the file, in order, as one locked read-modify-
// write: concurrent Records, from this process or others, never lose each
// other's updates. A record replaces the stored one for the same (account,
// region, lab, check), except that an error or skipped result never erases
// a pass or warn (see Record.LastError). A zero At means now. If the
// existing file is corrupt it is moved aside (see Warning) and recs are
// recorded into empty progress. Invalid records are rejected before
// anything is written.
func (s *Store) Record(recs ...Record) ([]Warning, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	t := now()
	clean := make([]Record, len(recs))
	for i, r := range recs {
		if r.At.IsZero() {
			r.At = t
		}
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		clean[i] = r.normalize()
	}
	// Created private before atomicfile.Write would create it 0755:
	// progress names the learner's AWS accounts.
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()

	p, warns, err := s.readLocked(true)
	if err != nil {
		return warns, err
	}
	for _, r := range clean {
		old, ok := p.get(r)
		p.put(merge(old, ok, r))
	}
	data, err := encode(p)
	if err != nil {
		return warns, fmt.Errorf("progress: %w", err)
	}
	if err := atomicfile.Write(s.path, data, 0o600); err != nil {
		return warns, fmt.Errorf("progress: %w", err)
	}
	return warns, nil
}

// Load returns a snapshot of the file. A missing file is empty progress. A
// corrupt file is moved aside as in Record, with a warning, and Load
// returns empty progress. A file that cannot be read (permissions, a
// folder in its place) is an error.
//
// Load takes no lock: every writer replaces the file by an atomic rename,
// so a plain read sees one complete version. Not locking keeps readers
// (the local server, a dashboard) from waiting behind writers and lets
// them read a folder they cannot write. Only when the file looks corrupt
// does Load lock and read again, so that it never moves aside a file that
// a writer had just replaced.
func (s *Store) Load() (*Progress, []Warning, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return newProgress(), nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("progress: %w", err)
	}
	p, derr := decode(data)
	if derr == nil {
		return p, nil, nil
	}
	var newer *newerError
	if errors.As(derr, &newer) { // left alone: no lock, no move
		return newProgress(), []Warning{{Kind: WarningNewer, Path: s.path, Version: newer.version, Detail: derr.Error()}}, nil
	}
	unlock, err := s.lock()
	if err != nil {
		// Cannot lock (read-only folder?): report, leave the file alone.
		return newProgress(), []Warning{{Kind: WarningCorrupt, Path: s.path, Detail: derr.Error()}}, nil
	}
	defer unlock()
	return s.readLocked(false)
}

// readLocked reads the file while the caller holds the lock. A corrupt file
// is moved aside; if that fails, Record (mustMove) gives up rather than
// overwrite it, while Load reports the file as left in place.
func (s *Store) readLocked(mustMove bool) (*Progress, []Warning, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return newProgress(), nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("progress: %w", err)
	}
	p, derr := decode(data)
	if derr == nil {
		return p, nil, nil
	}
	var newer *newerError
	if errors.As(derr, &newer) {
		if mustMove {
			return nil, nil, i18n.NewError("ProgressNewerNotWritten", i18n.M{"Path": s.path, "Version": newer.version}, derr)
		}
		return newProgress(), []Warning{{Kind: WarningNewer, Path: s.path, Version: newer.version, Detail: derr.Error()}}, nil
	}
	w := Warning{Kind: WarningCorrupt, Path: s.path, Detail: derr.Error()}
	moved, err := moveAside(s.path)
	if err != nil {
		if mustMove {
			return nil, nil, fmt.Errorf("progress: %s is corrupt (%v) and could not be moved aside: %w", s.path, derr, err)
		}
		return newProgress(), []Warning{w}, nil
	}
	w.MovedTo = moved
	return newProgress(), []Warning{w}, nil
}

// moveAside renames path to path.corrupt-<UTC time>, adding -2, -3, ... if
// that name is taken, so that no earlier corrupt copy is overwritten. The
// caller holds the lock, so no other vpclab races for the name.
func moveAside(path string) (string, error) {
	base := path + ".corrupt-" + now().UTC().Format("20060102T150405Z")
	dst := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
			break
		} else if err != nil {
			return "", err
		}
		dst = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(path, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// lock takes the process-wide mutex and an exclusive lock on the sibling
// file path.lock. The lock file is never removed: removing it would let two
// processes lock two different files of the same name.
func (s *Store) lock() (unlock func(), err error) {
	writeMu.Lock()
	f, err := os.OpenFile(s.path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		writeMu.Unlock()
		return nil, fmt.Errorf("progress: lock: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		writeMu.Unlock()
		return nil, fmt.Errorf("progress: lock %s: %w", f.Name(), err)
	}
	return func() {
		unlockFile(f)
		f.Close() // closing releases the flock even if unlockFile failed
		writeMu.Unlock()
	}, nil
}
