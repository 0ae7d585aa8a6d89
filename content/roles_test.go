package content

import (
	"testing"

	"github.com/vpclab/vpclab/i18n"
)

// Roles from heading attributes, the clean-up inferred from its work, step
// numbers only for sections with checks, and the sandbox reason of a step.
func TestStepRoles(t *testing.T) {
	src := "---\nid: x\n---\n" +
		"## Intro {#intro}\n\nText.\n\n" +
		"## A {#a}\n\n```check\nid: a1\nkind: vpc\n```\n\n" +
		"## B {#b role=optional}\n\n```check\nid: b1\nkind: vpc\n```\n\n" +
		"```bash {solution sandbox=\"moto cannot\"}\necho b\n```\n\n" +
		"## C {#c role=optional sandbox=\"no regional NAT\"}\n\n```check\nid: c1\nkind: vpc\n```\n\n" +
		"## D {#d}\n\n```check\nid: d1\nkind: vpc\n```\n\n```bash {solution sandbox=\"x\"}\necho d\n```\n\n```bash {solution}\necho d\n```\n\n" +
		"## Clean up {#cleanup}\n\n```bash {cleanup}\necho bye\n```\n\n" +
		"## Bad {#bad role=extra}\n"
	p, ds := ParsePage("x.md", i18n.EN, []byte(src))
	var roleDiags int
	for _, d := range ds {
		if d.ID == "ContentStepRoleUnknown" {
			roleDiags++
			if d.Args["Role"] != "extra" || d.Pos.Line != 54 {
				t.Errorf("diag %v", d)
			}
		}
	}
	if roleDiags != 1 {
		t.Errorf("%d ContentStepRoleUnknown, want 1: %v", roleDiags, ds)
	}
	want := []struct {
		id      string
		role    StepRole
		number  int
		sandbox string
	}{
		{"intro", RoleRequired, 0, ""},
		{"a", RoleRequired, 1, ""},
		{"b", RoleOptional, 2, "moto cannot"},
		{"c", RoleOptional, 3, "no regional NAT"},
		{"d", RoleRequired, 4, ""}, // one of its solution blocks runs on the sandbox
		{"cleanup", RoleCleanup, 0, ""},
		{"bad", RoleRequired, 0, ""},
	}
	if len(p.Steps) != len(want) {
		t.Fatalf("%d steps", len(p.Steps))
	}
	for i, w := range want {
		s := p.Steps[i]
		if s.ID != w.id || s.Role != w.role || p.Number(s) != w.number || s.Sandbox() != w.sandbox || s.IsStep() != (w.number > 0) {
			t.Errorf("step %d: %s %s #%d sandbox %q, want %+v", i, s.ID, s.Role, p.Number(s), s.Sandbox(), w)
		}
	}
}
