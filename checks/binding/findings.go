package binding

import (
	"fmt"
	"slices"
	"strings"
	"time"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Kind is the Kind of the results binding adds to a run, so that writers,
// progress and the site show them like any check.
const Kind = "binding"

// Reason codes of binding findings.
const (
	OtherRegion = "LAB_IN_OTHER_REGION"      // the lab's VPC is not here but in another Region
	Duplicate   = "DUPLICATE_RESOURCE"       // two resources fit one name; one is a leftover
	Untagged    = "NAME_TAG_MISSING"         // found by structure or IaC; it has no Name tag
	Mistagged   = "NAME_TAG_MISMATCH"        // found by structure, IaC or a near name; its Name tag differs
	Copy        = "LAB_COPY_IN_OTHER_REGION" // the lab is here, and a VPC of its name also in another Region
)

func pricesFor(region string) billing.Prices {
	p, _ := billing.For(region)
	return p
}

// hourly is what a twin costs each hour it is left running.
func hourly(s *account.Snapshot, it item, p billing.Prices) float64 {
	switch it.typ {
	case account.NATGateways:
		return p.NATGatewayHour + float64(len(it.allocs))*p.PublicIPv4Hour
	case account.Addresses:
		return p.PublicIPv4Hour
	case account.LoadBalancers:
		return p.LoadBalancerHour
	case account.VPCs:
		sum := 0.0
		for _, n := range s.NATGateways {
			if str(n.VpcId) == it.id && liveNAT(n.State) {
				sum += p.NATGatewayHour + float64(len(n.NatGatewayAddresses))*p.PublicIPv4Hour
			}
		}
		return sum
	}
	return 0
}

var resMsg = map[account.Resource]string{
	account.VPCs: "ResVPC", account.Subnets: "ResSubnet", account.RouteTables: "BindResRouteTable",
	account.InternetGateways: "ResIGW", account.NATGateways: "ResNAT", account.Addresses: "ResEIP",
	account.SecurityGroups: "ResSG", account.LoadBalancers: "ResLB",
}

// TypeMsg names a resource type in the reader's language.
func TypeMsg(r account.Resource) i18n.Msg { return i18n.Msg{ID: resMsg[r]} }

// Findings turns the report into results for the run: first the lab found
// in another Region (nothing else makes sense before it), then duplicates,
// then names that are missing or wrong. snap must be the bound snapshot;
// fixes that delete or tag are proven on copies of it against blocks.
//
// base are the kinds' results on snap, which deletions must keep passing.
//
// run is what the learner ran after "vpclab check": the lab, and --step
// when one was asked for, so that a command to run it again elsewhere
// checks the same thing.
func Findings(rep Report, snap *account.Snapshot, blocks []*content.CheckBlock, base []checks.Result, run string, o Options) []checks.Result {
	var out []checks.Result
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	if len(rep.Elsewhere) > 0 {
		out = append(out, elsewhereResult(rep, run))
	}
	for _, h := range rep.Copies {
		out = append(out, copyResult(rep, h))
	}
	out = append(out, leftoversElsewhere(rep, blocks, out)...)
	for _, b := range rep.Bindings {
		if len(b.Twins) > 0 {
			out = append(out, duplicateResult(rep, b, snap, blocks, base, now()))
		}
	}
	for _, b := range rep.Bindings {
		if r, ok := tagResult(b, rep.raw, rep.named, o); ok {
			out = append(out, r)
		}
	}
	return out
}

// result is a finding as a check result. Its Block is a synthetic block
// of kind "binding" at the position of the first check block that names
// the resource, so that writers that point at a block point there.
func result(b Binding, status checks.Status, reason, msg string, data i18n.M, fix string, res ...string) checks.Result {
	id := "binding:" + string(b.Type) + ":" + b.Name
	blk := &content.CheckBlock{ID: id, Kind: Kind}
	if b.Block != nil {
		blk.Step, blk.Pos = b.Block.Step, b.Block.Pos
	}
	return checks.Result{Step: b.Step, Check: id, Kind: Kind, Status: status, Reason: reason,
		Message: i18n.Msg{ID: msg, Data: data}, Fix: fix, Resources: res, Block: blk}
}

// Title is how a report line names a finding, where a check shows its id
// (binding:vpcs:NAME is vpclab's, not the learner's): the lab's name for
// the resource, with its Region when it was found in another, and what
// kind of resource it is. ok is false for the id of anything else.
func Title(check string) (name string, about i18n.Msg, ok bool) {
	rest, ok := strings.CutPrefix(check, "binding:")
	if !ok {
		return "", i18n.Msg{}, false
	}
	if c, ok := strings.CutPrefix(rest, "cleanup:"); ok { // BLOCK@REGION:VPC
		block, where, _ := strings.Cut(c, "@")
		region, id, _ := strings.Cut(where, ":")
		return block, i18n.Msg{ID: "BindTitleCleanup", Data: i18n.M{"ID": id, "Region": region}}, true
	}
	typ, name, ok := strings.Cut(rest, ":")
	if _, known := resMsg[account.Resource(typ)]; !ok || !known || name == "" {
		return "", i18n.Msg{}, false
	}
	return name, TypeMsg(account.Resource(typ)), true
}

func elsewhereResult(rep Report, run string) checks.Result {
	var where, ids []string
	for _, h := range rep.Elsewhere {
		where = append(where, h.Region)
		ids = append(ids, h.ID)
	}
	first := rep.Elsewhere[0]
	b := Binding{Type: account.VPCs, Name: first.Name}
	if x, ok := rep.Bound(account.VPCs, first.Name); ok {
		b = x
	}
	return result(b, checks.Fail, OtherRegion, "BindOtherRegion",
		i18n.M{"Name": first.Name, "Here": rep.Region, "Regions": strings.Join(where, ", "), "IDs": strings.Join(ids, ", ")},
		fmt.Sprintf("vpclab check %s --region %s", run, first.Region), ids...)
}

// copyResult fails: a VPC of the lab's name in another Region while the
// lab is here is a copy left over (the lab built twice, once in the wrong
// Region). It bills (its NAT gateways, their Elastic IPs) or will confuse
// a check run there, and the clean-up must find it. The plan deletes it,
// in its Region, proven on that Region's snapshot: applied, the VPC is
// gone and nothing of it bills.
func copyResult(rep Report, h RegionHit) checks.Result {
	b := Binding{Type: account.VPCs, Name: h.Name}
	if x, ok := rep.Bound(account.VPCs, h.Name); ok {
		b = x
	}
	// What the copy bills is what its VPC holds, and the spare Elastic
	// IPs of the lab's names in that Region (allocated for its NAT
	// gateway, never or no longer used): those bill there too. Other
	// resources of those names there (another copy's) are not this one's.
	inVPC := billing.Scope{VPCID: h.ID}
	var items []billing.Item
	var spares []string
	if h.Snap != nil {
		items = billing.Billable(h.Snap, inVPC)
		spare := map[string]bool{}
		for _, a := range h.Snap.Addresses {
			if strings.HasPrefix(account.Name(a.Tags), cleanupPrefix(rep.named)) && str(a.AssociationId) == "" && str(a.NetworkInterfaceId) == "" {
				spare[str(a.AllocationId)] = true
				spares = append(spares, str(a.AllocationId))
			}
		}
		for _, it := range billing.Billable(h.Snap, billing.Scope{Prefix: cleanupPrefix(rep.named)}) {
			if spare[it.ID] && !slices.ContainsFunc(items, func(x billing.Item) bool { return x.ID == it.ID }) {
				items = append(items, it)
			}
		}
	}
	res := []string{h.ID}
	for _, it := range items {
		res = append(res, it.ID)
	}
	data := i18n.M{"Name": h.Name, "ID": h.ID, "Region": h.Region, "Here": rep.Region, "Billable": billedList(items, false),
		"Hourly": fmt.Sprintf("%.3f", billing.Total(items))}
	var plan *repair.Plan
	if h.Snap != nil {
		plan = deleteVPC(h.Snap, h.ID, nil)
		for _, id := range spares {
			if plan != nil {
				plan.Add(repair.Action{Op: repair.ReleaseAddress, Alloc: id})
			}
		}
		// Proven: applied, the VPC is gone, nothing of it bills, and the
		// spare addresses are released.
		c := h.Snap.Clone()
		if plan.Empty() || plan.Apply(c) != nil || len(billing.Billable(c, inVPC)) > 0 {
			plan = nil
		} else if _, still := c.VPC(h.ID); still {
			plan = nil
		} else if slices.ContainsFunc(c.Addresses, func(a ec2types.Address) bool { return slices.Contains(spares, str(a.AllocationId)) }) {
			plan = nil
		}
	}
	msg := "BindCopyElsewhere"
	if plan.Empty() {
		msg = "BindCopyElsewhereKept"
	}
	r := result(b, checks.Fail, Copy, msg, data, "", res...)
	r.Check += "@" + h.Region
	r.Block.ID = r.Check
	return withPlan(r, plan, h.Region)
}

// leftoversElsewhere fails each clean-up check of blocks while the lab's
// VPC in another Region (a copy, or the lab itself when it is not here)
// still holds something billable: the clean-up must count every leftover,
// not only this Region's. The fix is the copy's finding (its root cause)
// or, for the lab itself, a check in its Region.
// cleanupPrefix is the Name prefix of what the lab's clean-up checks count
// (their prefix, vpclab- when they name none).
func cleanupPrefix(blocks []*content.CheckBlock) string {
	for _, blk := range blocks {
		if p := param(blk, "prefix"); blk.Kind == "cleanup" && p != "" {
			return p
		}
	}
	return defaultPrefix
}

// defaultPrefix is the Name prefix of what a clean-up check counts when
// it names none (as the cleanup kind reads it).
const defaultPrefix = "vpclab-"

func leftoversElsewhere(rep Report, blocks []*content.CheckBlock, found []checks.Result) []checks.Result {
	var out []checks.Result
	for _, blk := range blocks {
		if blk.Kind != "cleanup" {
			continue
		}
		prefix := defaultPrefix
		if p := param(blk, "prefix"); p != "" {
			prefix = p
		}
		for _, h := range append(append([]RegionHit(nil), rep.Copies...), rep.Elsewhere...) {
			if h.Snap == nil {
				continue
			}
			items := billing.Billable(h.Snap, billing.Scope{VPCID: h.ID, Prefix: prefix})
			if len(items) == 0 {
				continue
			}
			var res []string
			for _, it := range items {
				res = append(res, it.ID)
			}
			b := Binding{Type: account.VPCs, Name: h.Name, Block: blk}
			if blk.Step != nil {
				b.Step = blk.Step.ID
			}
			total := billing.Total(items)
			r := result(b, checks.Fail, "BILLABLE_RESOURCES_LEFT", "BindCleanupElsewhere", i18n.M{"Region": h.Region, "Count": len(items),
				"List": billedList(items, true), "Hourly": fmt.Sprintf("%.3f", total), "Monthly": fmt.Sprintf("%.2f", total*billing.HoursPerMonth)}, "", res...)
			r.Check = "binding:cleanup:" + blk.ID + "@" + h.Region + ":" + h.ID
			r.Block.ID = r.Check
			for _, f := range found {
				if f.Reason == Copy && slices.Contains(f.Resources, h.ID) {
					r.RootCause = f.Check
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// billedList names what bills, each as "type name (id) ($/h)", the type
// in the reader's language (named: with the Name tag, if any).
func billedList(items []billing.Item, named bool) i18n.Joined {
	var parts []any
	for _, it := range items {
		id := checks.BilledID(it.ID)
		if named {
			id = label(id, it.Name)
		}
		parts = append(parts, i18n.Joined{Parts: []any{checks.BillingType(it.Type), fmt.Sprintf("%s ($%.3f/h)", id, it.USDPerHr)}, Sep: " "})
	}
	return i18n.Joined{Parts: parts, Sep: ", "}
}

// label is "Name (id)" when the resource has a Name.
func label(id, name string) string {
	if name == "" {
		return id
	}
	return name + " (" + id + ")"
}

func describeTwin(id string, created *time.Time, usd float64, now time.Time) string {
	var parts []string
	if created != nil {
		parts = append(parts, created.UTC().Format("2006-01-02 15:04 UTC"), now.Sub(*created).Round(time.Minute).String())
	}
	parts = append(parts, fmt.Sprintf("$%.3f/h", usd))
	return id + " [" + strings.Join(parts, " · ") + "]"
}

// duplicateResult fails: a second resource answering to one of the lab's
// names is a step run twice, and it bills or confuses the next check. The
// plan deletes each twin that nothing the lab uses depends on; it is
// proven on a copy of the account: applied, no passing check fails, and
// the name binds to the same resource with no twin left.
func duplicateResult(rep Report, b Binding, snap *account.Snapshot, blocks []*content.CheckBlock, base []checks.Result, now time.Time) checks.Result {
	prices := pricesFor(snap.Region)
	chosen := item{typ: b.Type, id: b.ID}
	for _, it := range items(snap, b.Type) {
		if it.id == b.ID {
			chosen = it
		}
	}
	var others, broken, better []string
	plan := repair.New()
	res := []string{b.ID}
	dated := chosen.created != nil // whether any copy shows when it was made
	// The whole lab's checks, whichever step was asked for: a twin may be
	// right where an earlier step's check finds the judged one wrong.
	whole := checks.Evaluate(snap, rep.named)
	for _, t := range b.Twins {
		others = append(others, describeTwin(t.ID, t.Created, t.USDPerHr, now))
		res = append(res, t.ID)
		dated = dated || t.Created != nil
		if fixed := passWith(rep, b, t.ID, rep.named, whole); len(fixed) > 0 {
			// The twin is right where the judged one is wrong (the
			// learner made it again, correctly): deleting it would
			// throw away the good copy.
			better = append(better, t.ID+" ("+strings.Join(fixed, ", ")+")")
			continue
		}
		p := deletePlan(rep, snap, b.Type, t.ID)
		if p.Empty() {
			broken = append(broken, t.ID)
			continue
		}
		if br := breaks(snap, blocks, base, p); len(br) > 0 {
			broken = append(broken, t.ID+" ("+strings.Join(br, ", ")+")")
			continue
		}
		plan.Add(p.Actions...)
	}
	if !plan.Empty() && !twinsGone(snap, rep.named, b, plan) {
		plan = nil
		broken = append(broken, others...)
	}
	data := i18n.M{"Type": TypeMsg(b.Type), "Name": b.Name, "Count": len(b.Twins) + 1,
		"Chosen": describeTwin(b.ID, chosen.created, hourly(snap, chosen, prices), now), "Others": strings.Join(others, ", "),
		"Legend": i18n.Msg{ID: "BindTwinLegendPrice"}}
	if dated { // the legend names only what the brackets hold
		data["Legend"] = i18n.Msg{ID: "BindTwinLegendDated"}
	}
	msg := "BindDuplicate"
	switch {
	case len(better) > 0:
		msg, data["Better"], plan = "BindDuplicateBetterTwin", strings.Join(better, ", "), nil
	case len(broken) > 0:
		msg, data["Kept"] = "BindDuplicateKept", strings.Join(broken, ", ")
	}
	r := result(b, checks.Fail, Duplicate, msg, data, "", res...)
	return withPlan(r, plan, snap.Region)
}

// withPlan sets a proven plan as the result's fix, for the Region it is
// proven in.
func withPlan(r checks.Result, p *repair.Plan, region string) checks.Result {
	if p.Empty() {
		return r
	}
	r.Plan, r.Fix = p, p.Render(region)
	return r
}

// twinsGone proves a duplicate's plan: on a copy of the account as it
// was loaded, with the plan applied, the name binds to the same resource
// and nothing else fits it.
func twinsGone(snap *account.Snapshot, blocks []*content.CheckBlock, b Binding, p *repair.Plan) bool {
	c := snap.Clone()
	if err := p.Apply(c); err != nil {
		return false
	}
	c.Bindings = nil
	got, ok := Bind(c, blocks, Options{}).Bound(b.Type, b.Name)
	return ok && got.ID == b.ID && len(got.Twins) == 0
}

// tagResult is a resource judged although its Name tag is not the lab's,
// with the create-tags plan that makes the name right, proven: on a copy
// of the account as loaded (raw) with the plan applied, the name binds to
// the same resource by its tag. A missing or other name fails (the step
// that names it is not done, and the next check finds nothing); the same
// name typed differently, or a resource of the learner's own stack or
// state, only warns.
func tagResult(b Binding, snap *account.Snapshot, blocks []*content.CheckBlock, o Options) (checks.Result, bool) {
	if b.ID == "" || b.Evidence == ByNameTag || b.Type == account.LoadBalancers {
		return checks.Result{}, false
	}
	reason, msg := Mistagged, "BindMistagged"
	if b.Tag == "" {
		reason, msg = Untagged, "BindUntagged"
	}
	status := checks.Fail
	if b.Evidence == ByNameFold || b.Evidence == ByStack || b.Evidence == ByTerraform {
		status = checks.Warn
	}
	data := i18n.M{"Type": TypeMsg(b.Type), "Name": b.Name, "ID": b.ID, "Tag": b.Tag, "Why": evidenceMsg(b)}
	plan := repair.New(repair.Action{Op: repair.CreateTags, Target: b.ID, Name: b.Name})
	r := result(b, status, reason, msg, data, "", b.ID)
	if !tagProven(snap, blocks, b, o, plan) {
		return r, true
	}
	return withPlan(r, plan, snap.Region), true
}

func tagProven(snap *account.Snapshot, blocks []*content.CheckBlock, b Binding, o Options, p *repair.Plan) bool {
	c := snap.Clone()
	c.Bindings = nil
	if err := p.Apply(c); err != nil {
		return false
	}
	c.Bindings = nil
	o.IaC = nil
	got, ok := Bind(c, blocks, o).Bound(b.Type, b.Name)
	return ok && got.ID == b.ID && got.Evidence == ByNameTag
}

// evidenceMsg says in words how a name was bound.
func evidenceMsg(b Binding) i18n.Msg {
	switch b.Evidence {
	case ByNameTag:
		return i18n.Msg{ID: "BindByNameTag"}
	case ByNameFold:
		return i18n.Msg{ID: "BindByNameFold", Data: i18n.M{"Tag": b.Tag}}
	case ByNameTypo:
		return i18n.Msg{ID: "BindByNameTypo", Data: i18n.M{"Tag": b.Tag}}
	case ByStructure, ByStack, ByTerraform:
		return b.Why
	}
	return i18n.Msg{ID: "BindNotFound"}
}

// breaks lists the checks that pass on snap but not once p is applied
// (all of them when AWS would refuse p).
func breaks(snap *account.Snapshot, blocks []*content.CheckBlock, base []checks.Result, p *repair.Plan) []string {
	c := snap.Clone()
	if err := p.Apply(c); err != nil {
		return []string{err.Error()}
	}
	after := checks.Evaluate(c, blocks)
	var out []string
	for i, r := range base {
		if i < len(after) && r.OK() && !after[i].OK() {
			out = append(out, r.Check)
		}
	}
	return out
}

// unwired are the failures of a copy nothing is wired to yet: the route
// tables, routes and addresses still point at the other copy. Made again
// correctly, a twin fails only for these.
var unwired = map[string]bool{"WRONG_ROUTE_TABLE": true, "NO_ROUTE_TO_DESTINATION": true, "BAD_STATE_ROUTE": true,
	"WRONG_TARGET": true, "EIP_NOT_ASSOCIATED": true, "UNEXPECTED_HOP": true}

// passWith returns the checks that fail now and, were the lab's name b
// bound to twin instead (everything else bound as it is), pass or fail
// only because nothing is wired to the twin yet. A twin with a fault of
// its own (a wrong CIDR where the judged copy has a wrong AZ) is no
// better: nil.
func passWith(rep Report, b Binding, twin string, blocks []*content.CheckBlock, base []checks.Result) []string {
	if rep.raw == nil {
		return nil
	}
	c := rep.raw.Clone()
	for _, o := range rep.Bindings {
		if o.ID == "" {
			continue
		}
		id := o.ID
		if o.Type == b.Type && o.Name == b.Name {
			id = twin
		}
		c.Bind(o.Type, o.Name, id)
	}
	c.ApplyBindings()
	after := checks.Evaluate(c, blocks)
	var out []string
	for i, r := range base {
		if i >= len(after) {
			break
		}
		switch a := after[i]; {
		case r.OK() && a.Status == checks.Fail && !unwired[a.Reason]:
			return nil // the twin has a fault of its own
		case r.Status == checks.Fail && r.Reason != a.Reason && (a.OK() || unwired[a.Reason]):
			out = append(out, r.Check)
		}
	}
	return out
}

// deletePlan is the plan that deletes the twin id of type typ; empty when
// vpclab cannot offer one (the twin holds things vpclab does not see or
// must not touch).
func deletePlan(rep Report, s *account.Snapshot, typ account.Resource, id string) *repair.Plan {
	labEIPs := map[string]bool{}
	for _, b := range rep.Bindings {
		if b.Type == account.Addresses && b.ID != "" {
			labEIPs[b.ID] = true
		}
	}
	p := repair.New()
	switch typ {
	case account.NATGateways:
		n, ok := s.NATGateway(id)
		if !ok {
			return nil
		}
		p.Add(repair.Action{Op: repair.DeleteNATGateway, NAT: id})
		for _, a := range n.NatGatewayAddresses {
			if al := str(a.AllocationId); al != "" && !labEIPs[al] {
				p.Add(repair.Action{Op: repair.ReleaseAddress, Alloc: al})
			}
		}
	case account.Addresses:
		for _, a := range s.Addresses {
			if str(a.AllocationId) == id && str(a.AssociationId) == "" && str(a.NetworkInterfaceId) == "" {
				p.Add(repair.Action{Op: repair.ReleaseAddress, Alloc: id})
			}
		}
	case account.InternetGateways:
		g, ok := s.InternetGateway(id)
		if !ok {
			return nil
		}
		for _, a := range g.Attachments {
			p.Add(repair.Action{Op: repair.DetachInternetGateway, IGW: id, VPC: str(a.VpcId)})
		}
		p.Add(repair.Action{Op: repair.DeleteInternetGateway, IGW: id})
	case account.Subnets:
		if busy(s, id) {
			return nil
		}
		p.Add(repair.Action{Op: repair.DeleteSubnet, Subnet: id})
	case account.RouteTables:
		t, ok := s.RouteTable(id)
		if !ok {
			return nil
		}
		for _, a := range t.Associations {
			if a.Main != nil && *a.Main {
				return nil // a main route table goes with its VPC
			}
			p.Add(repair.Action{Op: repair.DisassociateRouteTable, Association: str(a.RouteTableAssociationId)})
		}
		p.Add(repair.Action{Op: repair.DeleteRouteTable, RouteTable: id})
	case account.SecurityGroups:
		g, ok := s.SecurityGroup(id)
		if !ok || str(g.GroupName) == "default" {
			return nil
		}
		p.Add(repair.Action{Op: repair.DeleteSecurityGroup, Group: id})
	case account.VPCs:
		return deleteVPC(s, id, labEIPs)
	}
	return p
}

// busy reports whether a subnet holds something vpclab would have to
// delete first and does not offer to: a live NAT gateway, a network
// interface other than a NAT gateway's, a load balancer.
func busy(s *account.Snapshot, subnet string) bool {
	for _, n := range s.NATGateways {
		if str(n.SubnetId) == subnet && liveNAT(n.State) {
			return true
		}
	}
	for _, e := range s.NetworkInterfaces {
		if str(e.SubnetId) == subnet && !natENI(s, e) {
			return true
		}
	}
	for _, lb := range s.LoadBalancers {
		for _, az := range lb.AvailabilityZones {
			if str(az.SubnetId) == subnet {
				return true
			}
		}
	}
	return false
}

// deleteVPC deletes a twin VPC and what the lab put in it (see
// repair.TeardownVPC).
func deleteVPC(s *account.Snapshot, id string, labEIPs map[string]bool) *repair.Plan {
	return repair.TeardownVPC(s, id, labEIPs)
}

// natENI: a NAT gateway's own interface goes with the gateway (moto does
// not type it, so its id in a gateway's addresses counts too).
func natENI(s *account.Snapshot, e ec2types.NetworkInterface) bool {
	if e.InterfaceType == ec2types.NetworkInterfaceTypeNatGateway {
		return true
	}
	for _, n := range s.NATGateways {
		for _, a := range n.NatGatewayAddresses {
			if str(a.NetworkInterfaceId) != "" && str(a.NetworkInterfaceId) == str(e.NetworkInterfaceId) {
				return true
			}
		}
	}
	return false
}
