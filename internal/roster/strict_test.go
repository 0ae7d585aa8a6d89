package roster

import (
	"errors"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/i18n"
)

// TestRoleARNPartitions: only AWS's real partitions are accepted; an
// invented one ("arn:aws-foo") is a typo or a trick, and is refused.
func TestRoleARNPartitions(t *testing.T) {
	for _, tt := range []struct {
		arn  string
		want bool
	}{
		{"arn:aws:iam::111111111111:role/vpclab-class", true},
		{"arn:aws-cn:iam::111111111111:role/vpclab-class", true},
		{"arn:aws-us-gov:iam::111111111111:role/vpclab-class", true},
		{"arn:aws-iso:iam::111111111111:role/vpclab-class", true},
		{"arn:aws-iso-b:iam::111111111111:role/vpclab-class", true},
		{"arn:aws-eusc:iam::111111111111:role/vpclab-class", true},
		{"arn:aws-foo:iam::111111111111:role/vpclab-class", false},
		{"arn:aws-cn-cn:iam::111111111111:role/vpclab-class", false},
		{"arn:aws-us:iam::111111111111:role/vpclab-class", false},
		{"arn:aws:iam::111111111111:role/vpc\nlab-class", false},
		{"arn:aws:iam::111111111111:role/vpclab\x1b[2J", false},
		{"arn:aws:iam::111111111111:role/vpclab\u2028x", false},
		{"arn:aws:iam::111111111111:role/" + strings.Repeat("p", 512), true},
		{"arn:aws:iam::111111111111:role/" + strings.Repeat("p", 513), false},
		{"arn:aws:iam::111111111111:role/", false},
	} {
		src := "learners:\n  - name: A\n    role_arn: \"" + strings.NewReplacer("\n", `\n`, "\x1b", `\e`, "\u2028", `\u2028`).Replace(tt.arn) + "\"\n    region: us-east-1\n"
		_, err := Parse("c.yaml", []byte(src))
		if got := err == nil; got != tt.want {
			t.Errorf("%q accepted = %v, want %v (err %v)", tt.arn, got, tt.want, err)
		}
	}
}

// TestErrorsNeverEchoRawControls: a newline (or escape sequence) in a
// roster value is shown escaped, so it cannot forge a line of output
// ("ok: every learner checked") or move the cursor.
func TestErrorsNeverEchoRawControls(t *testing.T) {
	src := "name,role_arn,region\n" +
		"Aiko,\"arn:aws:iam::111111111111:role/x\nc.csv:9: every learner is fine\",us-east-1\n" +
		"Ben,arn:aws:iam::222222222222:role/y,\"us-east-1\x1b[2J\"\n"
	_, err := Parse("c.csv", []byte(src))
	var es Errors
	if !errors.As(err, &es) || len(es) != 2 {
		t.Fatalf("Parse = %v, want two errors", err)
	}
	for _, lang := range i18n.Langs {
		for _, e := range es {
			msg := e.Localize(i18n.New(lang))
			if strings.ContainsAny(msg, "\n\r\x1b") {
				t.Errorf("%s: raw control character echoed: %q", lang, msg)
			}
			if !strings.Contains(msg, `\n`) && !strings.Contains(msg, `\x1b`) {
				t.Errorf("%s: the bad value is not shown escaped: %q", lang, msg)
			}
		}
	}
}

// TestNameControlCharacters: a learner's name is printed in terminals and
// reports, so a line break or escape sequence in it is refused.
func TestNameControlCharacters(t *testing.T) {
	_, err := Parse("c.csv", []byte("name,profile,region\n\"Aiko\nok\",p,us-east-1\n"))
	var es Errors
	if !errors.As(err, &es) || len(es) != 1 || es[0].Msg.ID != "HardenRosterNameControl" {
		t.Fatalf("Parse = %v, want one HardenRosterNameControl", err)
	}
	if msg := es[0].Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, `Aiko\nok`) {
		t.Errorf("message %q: want the name escaped", msg)
	}
}

// A YAML roster saved by a Windows editor starts with a byte order mark,
// as a CSV one from a spreadsheet does: it is not part of the first key.
func TestYAMLByteOrderMark(t *testing.T) {
	r, err := Parse("r.yaml", []byte("\xef\xbb\xbfregion: us-east-1\r\nlearners:\r\n  - name: Aiko\r\n    profile: p\r\n"))
	if err != nil || len(r.Learners) != 1 || r.Learners[0].Region != "us-east-1" {
		t.Fatalf("Parse = %+v, %v; want one learner in us-east-1", r, err)
	}
}

// A name is printed twice on every run: one past MaxName characters is
// refused at its line, one at the limit (in characters, not bytes) is not.
func TestNameLength(t *testing.T) {
	at := strings.Repeat("名", MaxName)
	if _, err := Parse("c.csv", []byte("name,profile,region\n"+at+",p,us-east-1\n")); err != nil {
		t.Fatalf("a name of %d characters: %v", MaxName, err)
	}
	_, err := Parse("c.csv", []byte("name,profile,region\n"+at+"x,p,us-east-1\n"))
	var es Errors
	if !errors.As(err, &es) || len(es) != 1 || es[0].Msg.ID != "RosterNameTooLong" || es[0].Line != 2 {
		t.Fatalf("Parse = %v, want RosterNameTooLong at line 2", err)
	}
}
