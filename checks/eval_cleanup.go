package checks

import (
	"fmt"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"strings"

	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/checks/repair"
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
	// network: a lab that builds only free things is undone too, so that
	// its clean-up step means something; its VPC goes after what bills.
	network := p.Bool("network", false) && sc.VPCID != ""
	if len(items) == 0 && !network {
		return pass("CheckCleanupPass", nil)
	}
	plan := billablePlan(e, items)
	if network {
		after := e.Snap.Clone()
		if plan.Apply(after) == nil {
			if td := repair.TeardownVPC(after, sc.VPCID, nil); td != nil {
				plan.Add(td.Actions...)
			}
		}
	}
	if len(items) == 0 {
		subnets := 0
		for _, x := range e.Snap.Subnets {
			if str(x.VpcId) == sc.VPCID {
				subnets++
			}
		}
		return fail("LAB_NETWORK_LEFT", "CheckCleanupNetworkLeft", i18n.M{"VPC": p.Str("vpc", ""), "ID": sc.VPCID, "Subnets": subnets}, "", sc.VPCID).propose(plan)
	}
	var ids []string
	var list []any
	for _, it := range items {
		ids = append(ids, it.ID)
		list = append(list, i18n.Msg{ID: "CleanupItem", Data: i18n.M{"Type": BillingType(it.Type), "ID": BilledID(it.ID), "Hourly": fmt.Sprintf("%.3f", it.USDPerHr)}})
	}
	total := billing.Total(items)
	return fail("BILLABLE_RESOURCES_LEFT", "CheckCleanupLeft", i18n.M{
		"Count": len(items), "List": i18n.Joined{Parts: list, Sep: ", "},
		"Hourly": fmt.Sprintf("%.3f", total), "Monthly": fmt.Sprintf("%.2f", total*billing.HoursPerMonth),
	}, "", ids...).propose(plan)
}

// billablePlan is the teardown of what bills: NAT gateways first
// (deleting one frees its Elastic IP), then the addresses, the endpoints,
// load balancers and tasks.
func billablePlan(e *Env, items []billing.Item) *repair.Plan {
	plan := repair.New()
	var later []repair.Action
	for _, it := range items {
		switch it.Type {
		case billing.NATGateway:
			plan.Add(repair.Action{Op: repair.DeleteNATGateway, NAT: it.ID})
		case billing.PublicIPv4:
			if !strings.HasPrefix(it.ID, "eipalloc-") {
				continue
			}
			for _, a := range e.Snap.Addresses {
				if str(a.AllocationId) == it.ID && str(a.AssociationId) != "" && !heldByNAT(e, it.ID) {
					later = append(later, repair.Action{Op: repair.DisassociateAddress, Association: str(a.AssociationId)})
				}
			}
			later = append(later, repair.Action{Op: repair.ReleaseAddress, Alloc: it.ID})
		case billing.InterfaceEndpoint:
			later = append(later, repair.Action{Op: repair.DeleteVPCEndpoint, Endpoint: it.ID})
		case billing.LoadBalancer:
			later = append(later, repair.Action{Op: repair.DeleteLoadBalancer, ARN: it.ID})
		case billing.FargateTask:
			for _, t := range e.Snap.Tasks {
				if str(t.TaskArn) == it.ID {
					cluster := str(t.ClusterArn)
					if i := strings.LastIndexByte(cluster, '/'); i >= 0 {
						cluster = cluster[i+1:]
					}
					act := repair.Action{Op: repair.StopTask, Cluster: cluster, ARN: it.ID}
					// A service's task comes back when stopped: scale the
					// service down instead.
					if svc, ok := strings.CutPrefix(str(t.Group), "service:"); ok {
						act = repair.Action{Op: repair.ScaleServiceToZero, Cluster: cluster, Service2: svc}
					}
					dup := false
					for _, x := range later {
						dup = dup || (x.Op == act.Op && x.Service2 == act.Service2 && x.Cluster == act.Cluster && act.Service2 != "")
					}
					if !dup {
						later = append(later, act)
					}
				}
			}
		}
	}
	return plan.Add(later...)
}

func heldByNAT(e *Env, alloc string) bool {
	for _, n := range e.Snap.NATGateways {
		if n.State != ec2types.NatGatewayStateAvailable && n.State != ec2types.NatGatewayStatePending {
			continue // a deleted gateway's address is freed (or must be)
		}
		for _, a := range n.NatGatewayAddresses {
			if str(a.AllocationId) == alloc {
				return true
			}
		}
	}
	return false
}

// BillingType names what bills in the reader's language; a type added
// to billing without a message here shows as its id.
func BillingType(t billing.Type) any {
	if id, ok := billingTypeMsg[t]; ok {
		return i18n.Msg{ID: id}
	}
	return string(t)
}

// billingTypeMsg names what bills in the reader's language.
var billingTypeMsg = map[billing.Type]string{
	billing.NATGateway: "ResNAT", billing.PublicIPv4: "BillPublicIPv4", billing.InterfaceEndpoint: "ResInterfaceEndpoint",
	billing.FargateTask: "BillFargateTask", billing.LoadBalancer: "ResLB",
}

// BilledID is how a learner knows what bills: a load balancer by its
// name (its ARN ends loadbalancer/app/NAME/HASH), a task by its id.
func BilledID(id string) string {
	if _, lb, ok := strings.Cut(id, ":loadbalancer/"); ok {
		if parts := strings.Split(lb, "/"); len(parts) == 3 {
			return parts[1]
		}
	}
	return shortARN(id)
}
