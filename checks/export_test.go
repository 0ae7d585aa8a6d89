package checks

import (
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
)

// EvaluateWithPlans judges blocks with p as the only plan proposed for
// check, and returns that check's result.
func EvaluateWithPlans(snap *account.Snapshot, blocks []*content.CheckBlock, check string, p *repair.Plan) Result {
	rs := evaluateLab(snap, blocks, blocks, func(r *Result) {
		if r.Check == check {
			r.candidates = []*repair.Plan{p}
		}
	})
	for _, r := range rs {
		if r.Check == check {
			return r
		}
	}
	return Result{}
}

// LabVars is labVars, for its test.
var LabVars = labVars
