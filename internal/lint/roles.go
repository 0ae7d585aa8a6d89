package lint

import (
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// roleRules keeps a lab's step roles coherent, so that a learner's
// progress (internal/journey) can be judged: one clean-up phase, after
// every step that builds something, holding the lab's {cleanup} blocks and
// cleanup checks; optional steps that are steps (they have checks).
// Roles are compared between languages with the other heading attributes.
func roleRules(p *content.Page) content.Diags {
	var ds content.Diags
	var cleanup *content.Step
	for _, s := range p.Steps {
		if s.Role == content.RoleCleanup {
			if cleanup != nil {
				ds = append(ds, diag(s.Pos, "LintCleanupTwice", i18n.M{"ID": s.ID, "First": cleanup.ID}))
				continue
			}
			cleanup = s
			continue
		}
		if _, declared := s.Attrs["role"]; declared && s.Role == content.RoleOptional && !s.IsStep() {
			ds = append(ds, diag(s.Pos, "LintRoleWithoutChecks", i18n.M{"ID": s.ID, "Role": string(s.Role)}))
		}
		if cleanup != nil && s.IsStep() {
			ds = append(ds, diag(s.Pos, "LintStepAfterCleanup", i18n.M{"ID": s.ID, "Cleanup": cleanup.ID}))
		}
		// Undeclared, such a step is the clean-up phase (content infers
		// it); declared otherwise, the author contradicts themselves.
		for _, b := range s.Cleanup {
			ds = append(ds, diag(b.Pos, "LintCleanupOutsidePhase", i18n.M{"ID": s.ID, "Role": string(s.Role)}))
		}
		for _, c := range s.Checks {
			if c.Kind == "cleanup" {
				ds = append(ds, diag(c.Pos, "LintCleanupOutsidePhase", i18n.M{"ID": s.ID, "Role": string(s.Role)}))
			}
		}
	}
	return ds
}
