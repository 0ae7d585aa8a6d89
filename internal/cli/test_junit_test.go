package cli

import (
	"context"
	"errors"
	"testing"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/doctest"
)

// TestInterruptedLabsAreNotFailures: in the JUnit report a CI reads, a
// step cut short by Ctrl-C is skipped with the reason and a lab whose set-up
// was cancelled has no error; a real failure stays a failure.
func TestInterruptedLabsAreNotFailures(t *testing.T) {
	env := &Env{Loc: i18n.New(i18n.EN)}
	results := []doctest.LabResult{
		{Lab: "first-vpc", Interrupted: true, Steps: []doctest.StepResult{
			{Step: "create-vpc", Status: doctest.Passed},
			{Step: "create-subnet", Status: doctest.Failed, Problems: []doctest.Problem{{Kind: "interrupted"}}},
		}},
		{Lab: "igw-eip-basics", Interrupted: true, Err: errors.Join(errors.New("reset the sandbox"), context.Canceled)},
		{Lab: "nat-private-egress", Steps: []doctest.StepResult{
			{Step: "create-nat", Status: doctest.Failed, Problems: []doctest.Problem{{Kind: "failed-after", Check: "nat-available"}}},
		}},
	}
	suites := testJUnitSuites(env, results)
	if len(suites.Suites) != 3 {
		t.Fatalf("%d suites, want 3", len(suites.Suites))
	}
	first, second, third := suites.Suites[0], suites.Suites[1], suites.Suites[2]
	if first.Failures != 0 || first.Skipped != 1 || first.Cases[1].Skipped == nil || first.Cases[1].Skipped.Message == "" {
		t.Errorf("interrupted step: %+v", first)
	}
	if second.Errors != 0 || second.Failures != 0 {
		t.Errorf("cancelled set-up reported as an error: %+v", second)
	}
	if third.Failures != 1 {
		t.Errorf("a real failure is not a failure: %+v", third)
	}
}
