package checks

import (
	"fmt"
	"strings"

	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/i18n"
)

// evalCleanup passes when nothing billable from the lab is left: the most
// common and most expensive mistake after a lab is a NAT gateway left
// running for weeks.
func evalCleanup(e *Env, p Params) Result {
	sc := billing.Scope{Prefix: p.Str("prefix", "vpclab-"), Cluster: p.Str("cluster", "")}
	if name := p.Str("vpc", ""); name != "" {
		if v, n := e.Snap.VPCByName(name); n > 0 {
			sc.VPCID = str(v.VpcId)
		}
	}
	items := billing.Billable(e.Snap, sc)
	if len(items) == 0 {
		return pass("CheckCleanupPass", nil)
	}
	var ids, cmds, list []string
	for _, it := range items {
		ids = append(ids, it.ID)
		if it.DeleteCmd != "" {
			cmds = append(cmds, it.DeleteCmd)
		}
		list = append(list, fmt.Sprintf("%s %s ($%.3f/h)", it.Type, shortARN(it.ID), it.USDPerHr))
	}
	total := billing.Total(items)
	return fail("BILLABLE_RESOURCES_LEFT", "CheckCleanupLeft", i18n.M{
		"Count": len(items), "List": strings.Join(list, ", "),
		"Hourly": fmt.Sprintf("%.3f", total), "Monthly": fmt.Sprintf("%.2f", total*billing.HoursPerMonth),
	}, strings.Join(cmds, "\n"), ids...)
}
