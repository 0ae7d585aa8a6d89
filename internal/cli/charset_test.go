package cli

import (
	"bytes"
	"io"
	"os"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// TestLocaleEncoding: a Japanese locale in a legacy encoding gets its
// encoding, whichever way the codeset is spelt; UTF-8 and others get none;
// the first variable set decides.
func TestLocaleEncoding(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want encoding.Encoding
	}{
		{map[string]string{"LANG": "ja_JP.eucJP"}, japanese.EUCJP},
		{map[string]string{"LANG": "ja_JP.EUC-JP"}, japanese.EUCJP},
		{map[string]string{"LC_ALL": "ja_JP.SJIS"}, japanese.ShiftJIS},
		{map[string]string{"LC_CTYPE": "ja_JP.Shift_JIS", "LANG": "ja_JP.UTF-8"}, japanese.ShiftJIS},
		{map[string]string{"LANG": "ja_JP.PCK"}, japanese.ShiftJIS},
		{map[string]string{"LANG": "ja_JP.ISO-2022-JP"}, japanese.ISO2022JP},
		{map[string]string{"LANG": "ja_JP.UTF-8"}, nil},
		{map[string]string{"LC_ALL": "ja_JP.UTF-8", "LANG": "ja_JP.eucJP"}, nil},
		{map[string]string{"LANG": "C"}, nil},
		{nil, nil},
	} {
		if got := localeEncoding(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("%v: %v, want %v", c.env, got, c.want)
		}
	}
	// What such a terminal then gets: the encoding's bytes, and a stand-in
	// for a character it lacks, not UTF-8.
	var b bytes.Buffer
	w := transform.NewWriter(&b, encoding.ReplaceUnsupported(japanese.EUCJP.NewEncoder()))
	w.Write([]byte("✓ 合格"))
	w.Close()
	if want := "\x1a \xb9\xe7\xb3\xca"; b.String() != want {
		t.Errorf("EUC-JP bytes %q, want %q", b.String(), want)
	}
}

// TestUnderlying: a child process and the spinner see the file itself
// through vpclab's wrappers (the lost-output watcher, a terminal's
// encoder), so a shell in the sandbox still has a terminal.
func TestUnderlying(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := &encodedTerminal{w: transform.NewWriter(f, japanese.EUCJP.NewEncoder()), f: f}
	for _, w := range []io.Writer{f, &outWriter{w: f}, &outWriter{w: enc}} {
		if got := underlying(w); got != f {
			t.Errorf("underlying(%T) = %T", w, got)
		}
	}
	var b bytes.Buffer
	if got := underlying(&b); got != &b {
		t.Errorf("a plain writer: %T", got)
	}
}
