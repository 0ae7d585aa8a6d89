package checks

import (
	"regexp"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// EvaluateLab judges blocks (a step's, or the whole lab's) against snap and
// proves each failing result's repair plan against lab, the lab's every
// block: the plan is applied to a copy of the snapshot and the lab judged
// again. A plan is shown only when its check then passes (or warns, for
// a failure) and no check of the lab that passed fails. Results that the
// same plan repairs are grouped under the first (RootCause), and every
// message names resources as "Name (id)".
func EvaluateLab(snap *account.Snapshot, blocks, lab []*content.CheckBlock) []Result {
	return evaluateLab(snap, blocks, lab, nil)
}

// evaluateLab is EvaluateLab; propose, when set, replaces a result's
// candidate plans (tests prove that a plan that breaks the lab is never
// shown, whatever a kind proposes).
func evaluateLab(snap *account.Snapshot, blocks, lab []*content.CheckBlock, propose func(r *Result)) []Result {
	if len(lab) == 0 {
		lab = blocks
	}
	results := judge(snap, blocks, lab)
	if propose != nil {
		for i := range results {
			propose(&results[i])
		}
	}
	if snap == nil {
		return results
	}
	var base map[string]Result
	baseline := func() map[string]Result {
		if base == nil {
			base = byID(judge(snap, lab, lab))
		}
		return base
	}
	after := map[int]map[string]Result{} // result index → the lab after its plan
	var labVar func(repair.Op, string) string
	vars := func() func(repair.Op, string) string {
		if labVar == nil {
			labVar = labVars(lab)
		}
		return labVar
	}
	for i := range results {
		r := &results[i]
		r.Fix, r.Plan = "", nil
		if r.OK() && r.Status != Warn || len(r.candidates) == 0 {
			continue
		}
		var why *i18n.Msg
		for _, p := range r.candidates {
			res, w := prove(snap, lab, baseline(), r, p)
			if w == nil {
				p = p.WithLabVars(vars())
				r.Plan, r.Fix, after[i] = p, p.Render(snap.Region), res
				break
			}
			if why == nil {
				why = w
			}
		}
		if r.Plan == nil && why != nil && !r.OK() {
			r.Message = i18n.Msg{ID: "RepairUnproven", Data: i18n.M{"Msg": r.Message, "Why": *why}}
		}
	}
	group(results, after)
	for i := range results {
		r := &results[i]
		if r.Plan == nil && r.hint != nil && !r.OK() && r.RootCause == "" {
			r.Message = i18n.Msg{ID: "RepairWithHint", Data: i18n.M{"Msg": r.Message, "Hint": *r.hint}}
		}
		if r.Plan != nil && r.Plan.After != nil {
			r.Message = i18n.Msg{ID: "RepairWithHint", Data: i18n.M{"Msg": r.Message, "Hint": *r.Plan.After}}
		}
		r.Message = nameIDs(snap, r.Message)
	}
	return results
}

func byID(rs []Result) map[string]Result {
	m := make(map[string]Result, len(rs))
	for _, r := range rs {
		m[r.Check] = r
	}
	return m
}

// prove applies p to a copy of snap and judges the lab again. why is nil
// when the plan holds, else what goes wrong, for the message.
func prove(snap *account.Snapshot, lab []*content.CheckBlock, base map[string]Result, r *Result, p *repair.Plan) (map[string]Result, *i18n.Msg) {
	cp := snap.Clone()
	if err := p.Apply(cp); err != nil {
		return nil, &i18n.Msg{ID: "RepairRefused", Data: i18n.M{"Err": err}}
	}
	blocks := lab
	if !inBlocks(lab, r.Block) {
		blocks = append(append([]*content.CheckBlock{}, lab...), r.Block)
	}
	after := byID(judge(cp, blocks, lab))
	got := after[r.Check]
	if r.Status == Warn && got.Status != Pass || r.Status != Warn && !got.OK() {
		return nil, &i18n.Msg{ID: "RepairNotEnough", Data: i18n.M{"Check": r.Check}}
	}
	// Taking a lab down is what a cleanup check asks for: the lab's other
	// checks fail after it by design.
	if r.Kind == "cleanup" {
		return after, nil
	}
	for _, b := range lab {
		// And building the lab is what the other checks ask for: a
		// cleanup check that passed because nothing was built yet fails
		// after it by design.
		if b.Kind == "cleanup" {
			continue
		}
		if was, ok := base[b.ID]; ok && was.OK() && !after[b.ID].OK() {
			return nil, &i18n.Msg{ID: "RepairWouldBreak", Data: i18n.M{"Check": b.ID}}
		}
	}
	return after, nil
}

func inBlocks(bs []*content.CheckBlock, b *content.CheckBlock) bool {
	for _, x := range bs {
		if x == b || x.ID == b.ID {
			return true
		}
	}
	return false
}

// group points each failing result that another's proven plan repairs to
// that result: one cause, one fix. The earliest such result is the root.
func group(results []Result, after map[int]map[string]Result) {
	for j := range results {
		rj := &results[j]
		if rj.OK() || rj.Status == Skipped || rj.Status == Error {
			continue
		}
		for i := range results {
			if i == j {
				continue
			}
			lab, ok := after[i]
			if !ok || results[i].RootCause != "" {
				continue
			}
			// A result with a plan of its own follows only an earlier root.
			if rj.Plan != nil && i > j {
				continue
			}
			if a, ok := lab[rj.Check]; ok && a.OK() {
				id := "RepairFollowsAbove"
				if i > j {
					id = "RepairFollowsBelow"
				}
				msg := rj.Message
				if m, ok := msg.Data["Msg"].(i18n.Msg); ok && msg.ID == "RepairUnproven" {
					msg = m
				}
				rj.RootCause, rj.Plan, rj.Fix = results[i].Check, nil, ""
				rj.Message = i18n.Msg{ID: id, Data: i18n.M{"Root": results[i].Check, "Msg": msg}}
				if i > j {
					// The root is below: its plan must not point back here.
					delete(after, j)
				}
				break
			}
		}
	}
}

var idPattern = regexp.MustCompile(`\b(?:vpc|subnet|rtb|igw|eigw|nat|eipalloc|sg|acl|vpce|eni)-[0-9a-zA-Z]+\b`)

// nameIDs writes every resource id in a message as "Name (id)", the way a
// learner knows the resource, when it has a Name tag.
func nameIDs(snap *account.Snapshot, m i18n.Msg) i18n.Msg {
	names := resourceNames(snap)
	return nameMsg(names, m)
}

func nameMsg(names map[string]string, m i18n.Msg) i18n.Msg {
	if len(m.Data) == 0 {
		return m
	}
	out := make(i18n.M, len(m.Data))
	for k, v := range m.Data {
		switch x := v.(type) {
		case string:
			out[k] = nameText(names, x)
		case i18n.Msg:
			out[k] = nameMsg(names, x)
		default:
			out[k] = v
		}
	}
	return i18n.Msg{ID: m.ID, Data: out}
}

func nameText(names map[string]string, s string) string {
	return idPattern.ReplaceAllStringFunc(s, func(id string) string {
		n := names[id]
		if n == "" || strings.Contains(s, n+" ("+id) {
			return id
		}
		return n + " (" + id + ")"
	})
}

// ResourceNames are the Name tags of the snapshot's resources, by id.
func ResourceNames(snap *account.Snapshot) map[string]string {
	if snap == nil {
		return nil
	}
	return resourceNames(snap)
}

// label is "Name (id)" or the id.
func label(snap *account.Snapshot, id string) string {
	return nameText(resourceNames(snap), id)
}

func resourceNames(s *account.Snapshot) map[string]string {
	m := map[string]string{}
	add := func(id *string, tags []ec2types.Tag) {
		if n := account.Name(tags); n != "" && str(id) != "" {
			m[*id] = n
		}
	}
	for _, x := range s.VPCs {
		add(x.VpcId, x.Tags)
	}
	for _, x := range s.Subnets {
		add(x.SubnetId, x.Tags)
	}
	for _, x := range s.RouteTables {
		add(x.RouteTableId, x.Tags)
	}
	for _, x := range s.InternetGateways {
		add(x.InternetGatewayId, x.Tags)
	}
	for _, x := range s.EgressOnlyGateways {
		add(x.EgressOnlyInternetGatewayId, x.Tags)
	}
	for _, x := range s.NATGateways {
		add(x.NatGatewayId, x.Tags)
	}
	for _, x := range s.Addresses {
		add(x.AllocationId, x.Tags)
	}
	for _, x := range s.SecurityGroups {
		add(x.GroupId, x.Tags)
		if _, ok := m[str(x.GroupId)]; !ok && str(x.GroupName) != "" && str(x.GroupName) != "default" {
			m[str(x.GroupId)] = str(x.GroupName)
		}
	}
	for _, x := range s.NetworkACLs {
		add(x.NetworkAclId, x.Tags)
	}
	for _, x := range s.VPCEndpoints {
		add(x.VpcEndpointId, x.Tags)
	}
	for _, x := range s.NetworkInterfaces {
		add(x.NetworkInterfaceId, x.TagSet)
	}
	return m
}
