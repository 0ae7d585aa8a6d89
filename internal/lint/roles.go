package lint

import (
	"regexp"

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
	if cleanup == nil && len(p.Steps) > 0 {
		// A lab that builds something and never says how to take it
		// down leaves learners billing, and vpclab test proves nothing
		// of its teardown.
		// Clean-up work elsewhere, or a step called cleanup, is the
		// other rules' finding (LintCleanupOutsidePhase, a block of one
		// language only).
		builds, meant := false, false
		for _, s := range p.Steps {
			for _, b := range s.Solution {
				builds = builds || createsResources.MatchString(b.Code)
			}
			meant = meant || s.ID == "cleanup" || len(s.Cleanup) > 0
			for _, c := range s.Checks {
				meant = meant || c.Kind == "cleanup"
			}
		}
		if builds && !meant {
			last := p.Steps[len(p.Steps)-1]
			ds = append(ds, diag(last.Pos, "LintNoCleanup", i18n.M{"Last": last.ID}))
		}
	}
	return ds
}

// createsResources matches an AWS CLI command that creates something that
// can bill or must be deleted (aws ec2 create-vpc, allocate-address,
// run-task, …): what a lab builds, as opposed to setting variables.
var createsResources = regexp.MustCompile(`\baws\s+[a-z0-9-]+\s+(create|run|allocate|register|put|start|request)-`)
