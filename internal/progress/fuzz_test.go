package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad: whatever the file holds, Load never panics and either returns
// records, leaves a newer vpclab's file as it is, or moves the file aside
// with a corrupt warning; what it returns
// must survive a write and a re-read unchanged.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"version": 1, "records": []}`))
	f.Add([]byte(`{"version": 1, "records": [{"account":"a","region":"r","lab":"l","step":"s","check":"c","status":"pass","at":"2026-01-01T00:00:00+09:00","passed_at":"2026-01-01T00:00:00Z","last_error":"x","last_error_at":"2026-01-02T00:00:00Z"}]}`))
	f.Add([]byte(`{"version": 1, "records": [{"account":"a","lab":"l","check":"c","status":"error","at":"0000-01-01T00:00:00+01:00"}]}`))
	f.Add([]byte(`{"version": 2}`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Add([]byte("\xff\xfe{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "progress.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s := Open(path)
		p, warns, err := s.Load()
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if len(warns) == 1 && warns[0].Kind == WarningNewer {
			// A newer vpclab's file: left exactly as it was.
			if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, data) || len(p.Records()) != 0 {
				t.Fatalf("newer file now %q, %v; %d records", got, err, len(p.Records()))
			}
			return
		}
		if len(warns) > 0 {
			if len(warns) != 1 || warns[0].Kind != WarningCorrupt || warns[0].MovedTo == "" {
				t.Fatalf("warnings %+v", warns)
			}
			if got, err := os.ReadFile(warns[0].MovedTo); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("corrupt copy %q, %v", got, err)
			}
			if len(p.Records()) != 0 {
				t.Fatal("records from a corrupt file")
			}
			return
		}
		// Valid: writing it back and reading again changes nothing.
		data2, err := encode(p)
		if err != nil {
			t.Fatalf("loaded progress cannot be written: %v", err)
		}
		p2, err := decode(data2)
		if err != nil {
			t.Fatalf("written progress cannot be read: %v\n%s", err, data2)
		}
		data3, err := encode(p2)
		if err != nil || !bytes.Equal(data2, data3) {
			t.Fatalf("round trip not stable: %v\n%s\nvs\n%s", err, data2, data3)
		}
		// And merging a new result into it still encodes (Record's path,
		// minus the fsync that would slow the fuzzer down).
		r := Record{Account: "a", Lab: "l", Check: "fuzz", Status: StatusError, At: t0}
		old, ok := p2.get(r)
		p2.put(merge(old, ok, r))
		if _, err := encode(p2); err != nil {
			t.Fatalf("merged progress cannot be written: %v", err)
		}
	})
}
