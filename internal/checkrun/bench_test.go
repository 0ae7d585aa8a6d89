package checkrun_test

import (
	"sort"
	"testing"

	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// BenchmarkCheckLab checks a complete NAT lab (16 checks, every resource
// type the lab reads) against the sandbox, as vpclab check does, and
// reports the API calls one run makes. The README quotes its figures.
func BenchmarkCheckLab(b *testing.B) {
	cfg := sandboxtest.Config(b)
	lab := parseLab(b)
	buildLab(b, cfg)
	var meter *awsx.Meter
	b.ResetTimer()
	for b.Loop() {
		var rep checkrun.Report
		rep, meter = guardedRun(b, cfg, lab)
		if s := checkrun.Summarize(rep.Results); s.Pass != len(lab.Checks()) {
			b.Fatalf("a complete lab must pass every check: %+v", s)
		}
	}
	b.ReportMetric(float64(meter.Total()), "calls/op")
	calls := meter.Calls()
	actions := make([]string, 0, len(calls))
	for a := range calls {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	for _, a := range actions {
		b.Logf("%-45s %d", a, calls[a])
	}
}
