package cli

import (
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// localeEncoding is the encoding the locale (LC_ALL, LC_CTYPE, LANG, the
// first set) asks a terminal for, when it is a Japanese one other than
// UTF-8; nil for UTF-8 and anything else.
func localeEncoding(getenv func(string) string) encoding.Encoding {
	for _, v := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		val := getenv(v)
		if val == "" {
			continue
		}
		_, codeset, _ := strings.Cut(val, ".")
		codeset, _, _ = strings.Cut(codeset, "@")
		switch strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(codeset)) {
		case "eucjp", "ujis":
			return japanese.EUCJP
		case "sjis", "shiftjis", "pck", "cp932", "mskanji":
			return japanese.ShiftJIS
		case "iso2022jp", "jis":
			return japanese.ISO2022JP
		}
		return nil
	}
	return nil
}

// forTerminal is f, or f through an encoder when f is a terminal whose
// locale wants EUC-JP, Shift_JIS or ISO-2022-JP: there, vpclab's UTF-8
// would show as mojibake. Files and pipes keep UTF-8 (JSON, JUnit and
// CSV are UTF-8 by definition). A character the encoding lacks (✓) is
// replaced. flush writes out what the encoder still holds.
func forTerminal(f *os.File, getenv func(string) string) (w io.Writer, flush func()) {
	enc := localeEncoding(getenv)
	if enc == nil {
		return f, func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return f, func() {}
	}
	tw := &encodedTerminal{w: transform.NewWriter(f, encoding.ReplaceUnsupported(enc.NewEncoder())), f: f}
	return tw, tw.flush
}

// encodedTerminal is a terminal's encoder, safe for writers on several
// goroutines (serve's log and its reload messages), that knows its file.
type encodedTerminal struct {
	mu sync.Mutex
	w  *transform.Writer
	f  *os.File
}

func (t *encodedTerminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.w.Write(p)
}

func (t *encodedTerminal) flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	_ = t.w.Close()
}

// Unwrap is the terminal itself.
func (t *encodedTerminal) Unwrap() io.Writer { return t.f }
