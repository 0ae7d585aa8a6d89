package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/rogpeppe/go-internal/testscript"
)

// actionFile is the composite action at the repository's root.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
			Run   string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// actionScripts reads action.yml and returns the run: scripts of the steps
// with the given ids, exactly as the action runs them. A script that uses
// a ${{ }} expression would not be what the test runs, so it is refused:
// inputs reach the scripts through env.
func actionScripts(t *testing.T, repo string, ids ...string) (map[string]string, actionFile) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml: runs.using is %q, want composite", a.Runs.Using)
	}
	out := map[string]string{}
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("action.yml: step %q uses ${{ }} inside run:; pass inputs through env", s.ID)
		}
		for _, id := range ids {
			if s.ID == id {
				if s.Shell != "bash" {
					t.Errorf("action.yml: step %s runs in %q, want bash", id, s.Shell)
				}
				out[id] = "set -eo pipefail\n" + s.Run // GitHub's bash: bash --noprofile --norc -eo pipefail
			}
		}
	}
	for _, id := range ids {
		if out[id] == "" {
			t.Fatalf("action.yml has no step with id %q and a run: script", id)
		}
	}
	return out, a
}

// TestAction runs the action's lint and test steps (testdata/action) the
// way GitHub runs them: the scripts taken from action.yml, the inputs
// given as the env the action sets, vpclab on PATH.
func TestAction(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	scripts, action := actionScripts(t, repo, "lint", "test")
	for _, in := range []string{"content", "labs", "report"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("action.yml has no input %q", in)
		}
	}
	uploads := false
	for _, s := range action.Runs.Steps {
		uploads = uploads || strings.HasPrefix(s.Uses, "actions/upload-artifact@")
	}
	if !uploads {
		t.Error("action.yml does not upload the report with actions/upload-artifact")
	}
	moto := motoInstalled()
	if !moto && os.Getenv("CI") == "true" {
		t.Fatal("moto is not installed, and CI must run the action's test step")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "action"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			kept := env.Vars[:0]
			for _, kv := range env.Vars {
				k, _, _ := strings.Cut(kv, "=")
				if !strings.HasPrefix(k, "AWS_") && k != "LC_ALL" && k != "LC_MESSAGES" {
					kept = append(kept, kv)
				}
			}
			env.Vars = kept
			env.Setenv("LANG", "C")
			env.Setenv("REPO", repo)
			env.Setenv("AWS_CONFIG_FILE", filepath.Join(env.WorkDir, "no-aws-config"))
			env.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(env.WorkDir, "no-aws-credentials"))
			env.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			env.Setenv("VPCLAB_STATE_DIR", filepath.Join(env.WorkDir, "state"))
			for id, s := range scripts {
				if err := os.WriteFile(filepath.Join(env.WorkDir, "action-"+id+".sh"), []byte(s), 0o644); err != nil {
					return err
				}
			}
			// The action's defaults, as GitHub would pass them; a script
			// overrides them with env.
			for _, in := range []string{"content", "labs", "report"} {
				env.Setenv("VPCLAB_"+strings.ToUpper(in), action.Inputs[in].Default)
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "moto" {
				return moto, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitCode,
		},
	})
}
