package classroom

import (
	"time"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
)

// Records are a learner's results as progress records, one per check, as
// vpclab check records them: in the learner's account and region, with the
// message in loc's language. A learner who could not be checked gives
// none: without the account's answers there is no verdict, and the store
// must never lose an earlier pass.
func Records(o Outcome, loc *i18n.Localizer, at time.Time) []progress.Record {
	if o.Problem != nil || o.Account == "" {
		return nil
	}
	var recs []progress.Record
	for _, lr := range o.Labs {
		for _, r := range lr.Results {
			recs = append(recs, progress.Record{Account: o.Account, Region: o.Region, Lab: lr.Lab.ID, Step: r.Step, Check: r.Check,
				Status: progress.Status(r.Status), Reason: r.Reason, Message: loc.T(r.Message.ID, r.Message.Data), At: at.UTC()})
		}
	}
	return recs
}
