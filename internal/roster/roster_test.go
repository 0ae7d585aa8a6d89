package roster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	arnA = "arn:aws:iam::111111111111:role/vpclab-class"
	arnB = "arn:aws:iam::222222222222:role/vpclab-class"
)

func TestParseValid(t *testing.T) {
	want := []Learner{
		{Name: "Aiko Tanaka", RoleARN: arnA, ExternalID: "spring-26", Region: "ap-northeast-1"},
		{Name: "田中 花子", RoleARN: arnB, ExternalID: "spring-26", Region: "us-east-1"},
		{Name: "Ben", Profile: "ben-lab", Region: "ap-northeast-1"},
	}
	tests := []struct {
		name, path, src string
		lines           []int
	}{
		{"yaml with defaults", "class.yaml", `# spring class
region: ap-northeast-1
external_id: spring-26
learners:
  - name: Aiko Tanaka
    role_arn: ` + arnA + `
  - name: 田中 花子
    role_arn: ` + arnB + `
    region: us-east-1

  - name: Ben
    profile: ben-lab
`, []int{5, 7, 11}},
		{"yaml bare list", "class.yml", `- {name: Aiko Tanaka, role_arn: "` + arnA + `", external_id: spring-26, region: ap-northeast-1}
- name: 田中 花子
  role_arn: ` + arnB + `
  external_id: spring-26
  region: us-east-1
- name: Ben
  profile: ben-lab
  region: ap-northeast-1
`, []int{1, 2, 6}},
		{"csv", "class.CSV", "\xef\xbb\xbf# the spring class\nName, Role_ARN, External_ID, Profile, Region\n" +
			"Aiko Tanaka," + arnA + ",spring-26,,ap-northeast-1\n" +
			"\"田中 花子\"," + arnB + ",spring-26,,us-east-1\n\n" +
			"Ben,,,ben-lab,ap-northeast-1\n", []int{3, 4, 6}},
		{"csv columns in any order, profile column only", "c.csv", "region,name,profile\nap-northeast-1,Ben,ben-lab\n", []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.path, []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			w := want
			if len(tt.lines) == 1 {
				w = want[2:]
			}
			for i := range r.Learners {
				if got := r.Learners[i].Line; got != tt.lines[i] {
					t.Errorf("learner %d on line %d, want %d", i, got, tt.lines[i])
				}
				r.Learners[i].Line = 0
			}
			if !reflect.DeepEqual(r.Learners, w) {
				t.Errorf("learners =\n%#v\nwant\n%#v", r.Learners, w)
			}
		})
	}
}

// TestParseErrors: every bad row is reported, each at its file:line, in
// one pass.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string // "line MessageID"
	}{
		{"yaml rows", "c.yaml", `learners:
  - name: Aiko
    role_arn: arn:aws:iam::12345:role/x
    region: ap-northeast-1
  - name: Ben
    region: us-east-1
  - name: Chie
    role_arn: ` + arnA + `
    profile: chie
    region: tokyo
  - role_arn: ` + arnB + `
    region: us-east-1
  - name: aiko
    profile: p
    external_id: x1
    region: us-east-1
`, []string{
			"3 RosterBadRoleARN",
			"5 RosterNoAccess",
			"9 RosterRoleAndProfile",
			"10 RosterBadRegion",
			"11 RosterNoName",
			"13 RosterDuplicateName",
			"15 RosterExternalIDWithoutRole",
		}},
		{"yaml keys", "c.yaml", `learners:
  - name: Aiko
    rol_arn: ` + arnA + `
    aws_secret_access_key: abc
    region: ap-northeast-1
    region: us-east-1
`, []string{
			"3 RosterUnknownField",
			"4 RosterSecretField",
			"6 RosterDuplicateKey",
		}},
		{"yaml top level", "c.yaml", "region: ap-northeast-1\nstudents: []\n", []string{"2 RosterUnknownTopKey"}},
		{"yaml no list", "c.yaml", "region: ap-northeast-1\n", []string{"1 RosterYAMLNoLearners"}},
		{"yaml syntax", "c.yaml", "learners:\n  - name: [Aiko\n", []string{"2 RosterYAMLSyntax"}},
		{"yaml not a mapping", "c.yaml", "learners:\n  - Aiko\n", []string{"2 RosterYAMLNotMapping"}},
		{"yaml nested value", "c.yaml", "learners:\n  - name: {first: Aiko}\n    profile: p\n    region: us-east-1\n", []string{"2 RosterYAMLNotScalar"}},
		{"csv rows", "c.csv", "name,role_arn,external_id,profile,region\n" +
			"Aiko," + arnA + ",x,,ap-northeast-1\n" +
			"Ben,,,,us-east-1\n" +
			"Chie," + arnA + ",,,us-west-2\n" +
			"Dan,AKIAIOSFODNN7EXAMPLE,,,us-east-1\n" +
			"Eri,,,eri\n" +
			"Fumi," + arnB + ",,,us-east-1\n" +
			"Gen," + arnB + ",,,us-east-1\n", []string{
			"2 RosterBadExternalID",
			"3 RosterNoAccess",
			"5 RosterSecretValue",
			"5 RosterBadRoleARN",
			"6 RosterFieldCount",
			"8 RosterDuplicateAccess",
		}},
		// Field counts are checked while reading, everything else after:
		// a roster with both reports the first kind first.
		{"csv access", "c.csv", "name,role_arn,region\nFumi," + arnB + ",us-east-1\nGen," + arnB + ",us-east-1\nHana," + arnB + ",us-west-2\n",
			[]string{"3 RosterDuplicateAccess"}},
		{"csv header", "c.csv", "name,password,role_arn,name\n", []string{
			"1 RosterSecretField",
			"1 RosterDuplicateColumn",
			"1 RosterMissingColumn",
		}},
		{"csv no access column", "c.csv", "name,region\nAiko,us-east-1\n", []string{"1 RosterMissingAccessColumn"}},
		{"csv quote", "c.csv", "name,profile,region\n\"Aiko,p,us-east-1\n", []string{"2 RosterCSVSyntax"}},
		{"csv not utf-8", "c.csv", "name,profile,region\nAiko,p,us-east-1\n\x93\x63\x92\x86,p,us-east-1\n", []string{"3 RosterNotUTF8"}},
		{"csv empty", "c.csv", "# nobody yet\n", []string{"0 RosterEmpty"}},
		{"csv header only", "c.csv", "name,profile,region\n", []string{"0 RosterEmpty"}},
		{"format", "class.txt", "Aiko", []string{"0 RosterUnknownFormat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.path, []byte(tt.src))
			if r != nil || err == nil {
				t.Fatalf("Parse accepted a bad roster: %+v", r)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error is %T, want Errors", err)
			}
			var got []string
			for _, e := range es {
				if e.Path != tt.path {
					t.Errorf("error names %q, want %q", e.Path, tt.path)
				}
				got = append(got, fmt.Sprintf("%d %s", e.Line, e.Msg.ID))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "class.csv")
	if err := os.WriteFile(path, []byte("name,role_arn,region\nAiko,"+arnA+",ap-northeast-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Path != path || len(r.Learners) != 1 || r.Learners[0].Account() != "111111111111" {
		t.Errorf("Load = %+v", r)
	}
	_, err = Load(filepath.Join(dir, "missing.yaml"))
	var es Errors
	if !errors.As(err, &es) || len(es) != 1 || es[0].Msg.ID != "RosterUnreadable" || !strings.HasPrefix(err.Error(), filepath.Join(dir, "missing.yaml")+": ") {
		t.Errorf("missing file: %v", err)
	}
	// A file far larger than any class is refused before it is parsed:
	// a YAML parser needs tens of times a file's size in memory.
	big := filepath.Join(dir, "huge.yaml")
	if err := os.WriteFile(big, []byte("learners: \""+strings.Repeat("x", MaxSize)+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(big)
	if !errors.As(err, &es) || len(es) != 1 || es[0].Msg.ID != "RosterTooLarge" {
		t.Errorf("a %d-byte roster: %v", MaxSize+14, err)
	}
}

func TestValidators(t *testing.T) {
	for _, tt := range []struct {
		f    func(string) bool
		s    string
		want bool
	}{
		{ValidAccountID, "123456789012", true},
		{ValidAccountID, "12345678901", false},
		{ValidAccountID, "12345678901a", false},
		{ValidExternalID, "spring-26", true},
		{ValidExternalID, "x", false},
		{ValidExternalID, "has space", false},
		{ValidRoleName, "vpclab-class", true},
		{ValidRoleName, "a/b", false},
		{ValidRoleName, strings.Repeat("r", 65), false},
		{ValidRoleName, strings.Repeat("r", 64), true},
	} {
		if got := tt.f(tt.s); got != tt.want {
			t.Errorf("validator(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	if got := (Learner{RoleARN: "arn:aws-cn:iam::333333333333:role/path/r"}).Account(); got != "333333333333" {
		t.Errorf("Account of a China-partition role with a path = %q", got)
	}
}
