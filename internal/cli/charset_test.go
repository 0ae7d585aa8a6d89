package cli

import (
	"bytes"
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
