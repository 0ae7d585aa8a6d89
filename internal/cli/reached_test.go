package cli

import (
	"slices"
	"testing"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/journey"
)

// TestReachedShowsTheCause: a failure shown whose root cause is a check
// of a step not shown (an optional step done wrong) brings that check,
// and its own cause, along; the rest of that step stays hidden.
func TestReachedShowsTheCause(t *testing.T) {
	j := &journey.Journey{Steps: []journey.Step{
		{ID: "prove", State: journey.Current},
		{ID: "ipv6", State: journey.Optional},
		{ID: "extra", State: journey.Optional},
	}}
	rep := checkrun.Report{Results: []checks.Result{
		{Step: "prove", Check: "exposure", Status: checks.Fail, RootCause: "ipv6-route"},
		{Step: "ipv6", Check: "ipv6-route", Status: checks.Fail, RootCause: "eigw"},
		{Step: "ipv6", Check: "ipv6-other", Status: checks.Fail},
		{Step: "extra", Check: "eigw", Status: checks.Fail},
	}}
	var got []string
	for _, r := range reached(j, rep).Results {
		got = append(got, r.Check)
	}
	if want := []string{"exposure", "ipv6-route", "eigw"}; !slices.Equal(got, want) {
		t.Errorf("shown %v, want %v", got, want)
	}
}
