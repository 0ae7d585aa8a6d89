package checks

import "github.com/vpclab/vpclab/i18n"

// WithoutConflicts withholds every fix that builds on a resource another
// fix of the same report deletes: one result said to release an extra
// Elastic IP while another tagged that very address and built a NAT
// gateway on it, and a learner pasting both would lose one or the other.
// The deleting fix stays; the other says why it prints nothing and what
// to do first. The clean-up's fix, which takes the whole lab down, is no
// such conflict.
func WithoutConflicts(results []Result) []Result {
	for i := range results {
		if results[i].Kind == "cleanup" {
			continue // taking the lab down conflicts with the rest by design
		}
		for _, id := range results[i].Plan.Removes() {
			for j := range results {
				r := &results[j]
				if j == i || r.Plan == nil || !r.Plan.Uses(id) {
					continue
				}
				r.Message = i18n.Msg{ID: "RepairConflict", Data: i18n.M{"Msg": r.Message, "Other": results[i].Check, "ID": id}}
				r.Plan, r.Fix = nil, ""
			}
		}
	}
	return results
}
