package i18n

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestOSErrorsInJapanese: errors the operating system and the network
// give, made for real where a test can make them, are shown in Japanese
// with the file or address they name, whatever they were wrapped in; in
// English they are Go's own words, wrapping included.
func TestOSErrorsInJapanese(t *testing.T) {
	dir := t.TempDir()
	_, notExist := os.Open(filepath.Join(dir, "missing.yaml"))
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, notDir := os.Open(filepath.Join(file, "below"))
	isDir := os.WriteFile(dir, nil, 0o600)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_, inUse := net.Listen("tcp", addr)
	ln.Close()
	_, refused := net.Dial("tcp", addr)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, canceled := (&net.Dialer{}).DialContext(ctx, "tcp", addr)

	cases := []struct {
		err     error
		subject string
		want    string // a phrase of the Japanese
	}{
		{notExist, filepath.Join(dir, "missing.yaml"), "見つかりません"},
		{fmt.Errorf("reading roster: %w", notExist), filepath.Join(dir, "missing.yaml"), "見つかりません"},
		{notDir, filepath.Join(file, "below"), "フォルダーではなくファイル"},
		{isDir, dir, "フォルダーです"},
		{inUse, addr, "使用中"},
		{refused, addr, "接続が拒否されました"},
		{canceled, addr, "中断されました"},
		{&fs.PathError{Op: "open", Path: "/p", Err: syscall.EACCES}, "/p", "アクセス権がありません"},
		{&fs.PathError{Op: "write", Path: "/p", Err: syscall.ENOSPC}, "/p", "空き容量"},
		{&fs.PathError{Op: "open", Path: "/p", Err: syscall.EROFS}, "/p", "読み取り専用"},
		{&os.LinkError{Op: "rename", Old: "/a", New: "/b", Err: syscall.EXDEV}, "", ""}, // a kind not listed: Go's words
		{&net.DNSError{Err: "no such host", Name: "sandbox.invalid", IsNotFound: true}, "sandbox.invalid", "見つかりません"},
		{fmt.Errorf("wait: %w", context.DeadlineExceeded), "", "時間内に応答がありませんでした"},
		{errors.New("something else"), "", ""},
	}
	en, ja := New(EN), New(JA)
	english := regexp.MustCompile(`[a-z]{3,}`) // words; DNS and the like are names
	for _, c := range cases {
		if got := en.Err(c.err); got != c.err.Error() {
			t.Errorf("English: %q, want Go's %q", got, c.err.Error())
		}
		got := ja.Err(c.err)
		if c.want == "" {
			if got != c.err.Error() {
				t.Errorf("Japanese of an unlisted kind: %q, want Go's %q", got, c.err.Error())
			}
			continue
		}
		if !strings.Contains(got, c.want) || !strings.Contains(got, c.subject) {
			t.Errorf("Japanese of %q: %q, want %q and %q in it", c.err, got, c.want, c.subject)
		}
		if rest := strings.ReplaceAll(got, c.subject, ""); english.MatchString(strings.ReplaceAll(rest, "ulimit", "")) {
			t.Errorf("Japanese of %q has English in it: %q", c.err, got)
		}
	}
	// An error given to a message as a value is rendered this way; nil is
	// not an error value and never reaches it.
	if got := ja.T("CLIBadFlags", M{"Command": "check", "Err": notExist}); !strings.Contains(got, "見つかりません") {
		t.Errorf("a message with an error value: %q", got)
	}
}

// TestOSErrKindsHaveBothForms: every kind has a message with the subject
// and one without, in both languages.
func TestOSErrKindsHaveBothForms(t *testing.T) {
	for _, k := range osErrKinds {
		for _, l := range Langs {
			for _, id := range []string{k.id, k.id + "Bare"} {
				if !Has(l, id) {
					t.Errorf("%s has no message %s", l, id)
				}
			}
		}
	}
}

// TestOwnErrorsInBothLanguages: an error vpclab words itself is shown in
// the reader's language even wrapped, and still unwraps to its cause.
func TestOwnErrorsInBothLanguages(t *testing.T) {
	cause := &fs.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}
	err := fmt.Errorf("starting: %w", NewError("SandboxPortInUse", M{"URL": "http://127.0.0.1:5000"}, cause))
	if !errors.Is(err, fs.ErrPermission) {
		t.Error("the cause is lost")
	}
	if got := New(JA).Err(err); !strings.Contains(got, "http://127.0.0.1:5000 はほかのプログラムが使用中です") {
		t.Errorf("Japanese: %q", got)
	}
	if got, want := New(EN).Err(err), "starting: http://127.0.0.1:5000 is already in use by another program; choose another --port or stop that program"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
}

// TestSpaceLatin: Japanese output puts a space between Japanese and Latin
// letters or digits where a message's parts meet, and nowhere else.
func TestSpaceLatin(t *testing.T) {
	for in, want := range map[string]string{
		"のVPCがありません":               "の VPC がありません",
		"通ってAmazon S3に届きます":        "通って Amazon S3 に届きます",
		"の ロードバランサー が":             "の ロードバランサー が", // spaces written are kept
		"のロードバランサーが":               "のロードバランサーが",
		"3件、vpc-0abcを":             "3 件、vpc-0abc を",
		"「vpclab check」を実行":        "「vpclab check」を実行", // brackets are not letters
		"plain English, unchanged": "plain English, unchanged",
		"ルートテーブル rtb-1 は":          "ルートテーブル rtb-1 は",
		"の\x02vpc-1\x03を":          "の vpc-1 を", // a value's edges meet the text
		"\x02私のVPC\x03が":           "私のVPC が",   // its inside is left alone
		"":                         "",
	} {
		if got := spaceLatin(in); got != want {
			t.Errorf("spaceLatin(%q) = %q, want %q", in, got, want)
		}
	}
	ja := New(JA)
	if got := ja.T("CheckNotFound", M{"Region": "us-east-1", "Name": "x", "Type": Msg{ID: "ResVPC"}}); !strings.Contains(got, "の VPC が") {
		t.Errorf("a message with a Latin type: %q", got)
	}
	// Inside a value nothing changes: a path, a command, a Name tag the
	// learner typed; only its edges meet the text.
	for _, v := range []string{"/Users/taro/AWS 勉強会/sb.env", "Value=検証vpc", "私のVPC"} {
		got := ja.T("CheckNotFound", M{"Region": "us-east-1", "Name": v, "Type": Msg{ID: "ResVPC"}})
		if !strings.Contains(got, v) || strings.ContainsAny(got, valueStart+valueEnd) {
			t.Errorf("value %q changed: %q", v, got)
		}
	}
	// An empty value stays empty for {{if}}: no "（\"\"）".
	if got := ja.T("RepairNoNAT", M{"Name": "", "Step": "nat"}); strings.Contains(got, "（") {
		t.Errorf("an empty name shows: %q", got)
	}
}

// TestJoinedList: a list's parts are worded in the reader's language and
// joined with the language's comma.
func TestJoinedList(t *testing.T) {
	list := Joined{Parts: []any{Msg{ID: "ResNAT"}, "vpce-1"}, Sep: ", "}
	if got := New(JA).value(list); got != "NAT ゲートウェイ、vpce-1" {
		t.Errorf("Japanese: %q", got)
	}
	if got := New(EN).value(list); got != "NAT gateway, vpce-1" {
		t.Errorf("English: %q", got)
	}
}
