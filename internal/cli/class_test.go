package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/vpclab/vpclab/internal/classroom"
)

// runCLI runs vpclab in-process in dir; AWS_* and the locale come from env.
func runCLI(t *testing.T, dir string, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, Dir: dir})
	return code, out.String(), errb.String()
}

// The role a learner deploys allows exactly what vpclab policy prints for
// the same labs: no more, no less.
func TestClassRoleTemplateIsThePolicy(t *testing.T) {
	for _, labs := range [][]string{{"first-vpc"}, {"nat-private-egress", "first-vpc"}, nil} {
		args := append([]string{"class", "role-template", "--instructor-account", "123456789012", "--external-id", "spring-26"}, labs...)
		code, tpl, stderr := runCLI(t, "", nil, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", labs, code, stderr)
		}
		code, pol, stderr := runCLI(t, "", nil, append([]string{"policy"}, labs...)...)
		if code != ExitOK {
			t.Fatalf("policy %v: exit %d: %s", labs, code, stderr)
		}
		var policy Policy
		if err := yaml.Unmarshal([]byte(pol), &policy); err != nil { // JSON is YAML
			t.Fatal(err)
		}
		var doc struct {
			Resources map[string]struct {
				Properties struct {
					Policies []struct {
						PolicyDocument Policy `yaml:"PolicyDocument"`
					} `yaml:"Policies"`
				} `yaml:"Properties"`
			} `yaml:"Resources"`
		}
		if err := yaml.Unmarshal([]byte(tpl), &doc); err != nil {
			t.Fatalf("%v: the template is not YAML: %v\n%s", labs, err, tpl)
		}
		pols := doc.Resources["VpclabClassRole"].Properties.Policies
		if len(pols) != 1 || len(pols[0].PolicyDocument.Statement) != 1 {
			t.Fatalf("%v: policies %+v", labs, pols)
		}
		got, want := pols[0].PolicyDocument.Statement[0].Action, policy.Statement[0].Action
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v: the role allows\n%v\nvpclab policy prints\n%v", labs, got, want)
		}
		if !strings.Contains(tpl, "123456789012") || !strings.Contains(tpl, "spring-26") {
			t.Errorf("%v: the template lacks the instructor's account or the external id", labs)
		}
	}
}

func TestClassUsage(t *testing.T) {
	dir := t.TempDir()
	bad := "name,role_arn,region\nAiko,arn:aws:iam::12:role/x,ap-northeast-1\nBen,,us-east-1\n"
	if err := os.WriteFile(filepath.Join(dir, "class.csv"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	// stderr is checked for what the messages quote, not their wording:
	// the class messages are not in the active catalogs yet.
	tests := []struct {
		args   []string
		code   int
		stderr []string
	}{
		{[]string{"class"}, ExitUsage, nil},
		{[]string{"class", "frobnicate"}, ExitUsage, nil},
		{[]string{"class", "check", "first-vpc"}, ExitUsage, nil},
		{[]string{"class", "check", "--roster", "class.csv"}, ExitUsage, nil},
		{[]string{"class", "check", "--roster", "class.csv", "--parallel", "0", "first-vpc"}, ExitUsage, nil},
		{[]string{"class", "check", "--roster", "class.csv", "--format", "xml", "first-vpc"}, ExitUsage, []string{"xml"}},
		{[]string{"class", "check", "--roster", "class.csv", "no-such-lab"}, ExitUsage, []string{"no-such-lab"}},
		// Every bad row, at its file:line, before any AWS call.
		{[]string{"class", "check", "first-vpc", "--roster", "class.csv", "--record"}, ExitUsage, []string{"class.csv:2: ", "class.csv:3: "}},
		{[]string{"class", "check", "--roster", "missing.yaml", "first-vpc"}, ExitUsage, []string{"missing.yaml: "}},
		{[]string{"class", "report", "--roster", "class.csv", "first-vpc"}, ExitUsage, nil},
		{[]string{"class", "role-template", "--instructor-account", "12345"}, ExitUsage, nil},
		{[]string{"class", "role-template", "--instructor-account", "123456789012", "--external-id", "a b"}, ExitUsage, nil},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, dir, nil, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d\n%s", tt.args, code, tt.code, stderr)
		}
		for _, w := range tt.stderr {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tt.args, w, stderr)
			}
		}
	}
	for _, args := range [][]string{{"class", "--help"}, {"help", "class"}, {"class", "check", "--help"}, {"class", "role-template", "-h"}} {
		if code, out, _ := runCLI(t, dir, nil, args...); code != ExitOK || out == "" {
			t.Errorf("%v: exit %d, output %q", args, code, out)
		}
	}
}

// The class's cost reads what vpclab cost reads, so the two never
// disagree about what is billing.
func TestClassCostNeedIsCosts(t *testing.T) {
	if got, want := classroom.CostNeed().Resources, costNeed().Resources; !reflect.DeepEqual(got, want) {
		t.Errorf("classroom.CostNeed reads %v, vpclab cost reads %v", got, want)
	}
}
