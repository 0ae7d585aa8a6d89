package checks

// Repair plans the kinds propose. Targets follow the lab's intent: the
// check's parameters and the names the lab's other checks give first,
// then the same VPC, the same AZ, available resources; never the VPC's
// main route table. Each plan is only a candidate: EvaluateLab shows the
// first one that proves on a copy of the account.

import (
	"slices"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/i18n"
)

// labParam finds the first lab block of kind whose parameter key equals
// value ("" matches any), and returns that block's parameters.
func (e *Env) labBlocks(kind string, match func(p Params) bool) []Params {
	var out []Params
	for _, b := range e.Lab {
		if b.Kind == kind && b.Params != nil {
			p := NewParams(b.Params)
			if match == nil || match(p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// doStepFirst explains r as waiting for step: "do step X first", or, when
// r is a check of that very step, "do this step's commands first" (it
// read "do step starting-point first" inside starting-point).
func (e *Env) doStepFirst(r Result, step string) Result {
	if e.Block != nil && e.Block.Step != nil && e.Block.Step.ID == step {
		return r.explain("RepairDoThisStep", nil)
	}
	return r.explain("RepairDoStep", i18n.M{"Step": step})
}

// stepOf names the step whose check of kind (with parameter name = value
// when value is set) builds a resource, for "do step X first".
func (e *Env) stepOf(kind, key, value string) string {
	for _, b := range e.Lab {
		if b.Kind != kind || b.Params == nil {
			continue
		}
		if value != "" && NewParams(b.Params).Str(key, "") != value {
			continue
		}
		if b.Step != nil {
			return b.Step.ID
		}
	}
	return ""
}

func isMainTable(rt ec2types.RouteTable) bool {
	for _, a := range rt.Associations {
		if a.Main != nil && *a.Main {
			return true
		}
	}
	return false
}

// subnetsOf lists the subnets explicitly associated with a table.
func subnetsOf(rt ec2types.RouteTable) []string {
	var out []string
	for _, a := range rt.Associations {
		if s := str(a.SubnetId); s != "" && associated(a) {
			out = append(out, s)
		}
	}
	return out
}

func associated(a ec2types.RouteTableAssociation) bool {
	return a.AssociationState == nil || a.AssociationState.State == "" || a.AssociationState.State == ec2types.RouteTableAssociationStateCodeAssociated
}

// assocOf is the subnet's explicit association id, if it has one.
func (e *Env) assocOf(subnetID string) string {
	for _, t := range e.Snap.RouteTables {
		for _, a := range t.Associations {
			if str(a.SubnetId) == subnetID && associated(a) {
				return str(a.RouteTableAssociationId)
			}
		}
	}
	return ""
}

func (e *Env) tableByName(name, vpcID string) (ec2types.RouteTable, bool) {
	if name == "" {
		return ec2types.RouteTable{}, false
	}
	if t, ok := e.Snap.RouteTableByName(name, vpcID); ok && str(t.VpcId) == vpcID {
		return t, true
	}
	return ec2types.RouteTable{}, false
}

// ownTableName is the table the lab means for a subnet: the route_table
// parameter of a subnet or route check of it, else the lab's convention
// "<subnet>-rt".
func (e *Env) ownTableName(subnetName string) string {
	for _, p := range e.labBlocks("subnet", func(p Params) bool { return p.Str("name", "") == subnetName }) {
		if rt := p.Str("route_table", ""); rt != "" {
			return rt
		}
	}
	for _, p := range e.labBlocks("route", func(p Params) bool { return p.Str("subnet", "") == subnetName }) {
		if rt := p.Str("route_table", ""); rt != "" {
			return rt
		}
	}
	if subnetName == "" {
		return ""
	}
	return subnetName + "-rt"
}

// moveTo gives a subnet another table: associate, or replace its explicit
// association.
func (e *Env) moveTo(subnetID, table string) repair.Action {
	if assoc := e.assocOf(subnetID); assoc != "" {
		return repair.Action{Op: repair.ReplaceRouteTableAssociation, Association: assoc, RouteTable: table, Subnet: subnetID}
	}
	return repair.Action{Op: repair.AssociateRouteTable, RouteTable: table, Subnet: subnetID}
}

func routeIn(rt ec2types.RouteTable, dest string) (ec2types.Route, bool) {
	for _, r := range rt.Routes {
		if routeCIDR(r) == dest {
			return r, true
		}
	}
	return ec2types.Route{}, false
}

// setRoute makes table's route for dest go to target: create or replace.
func setRoute(rt ec2types.RouteTable, table, dest, kind, target string) []repair.Action {
	op := repair.CreateRoute
	if _, ok := routeIn(rt, dest); ok {
		op = repair.ReplaceRoute
	}
	return []repair.Action{{Op: op, RouteTable: table, Dest: dest, TargetKind: kind, Target: target}}
}

// routePlans are the ways to send a subnet's dest traffic to target, best
// first: on its own explicit table; on the table the lab names for it;
// on a new table of its own. A table shared with other subnets comes
// first only when the proof shows the others keep working.
func (e *Env) routePlans(sn ec2types.Subnet, dest, kind, target string, pre ...repair.Action) []*repair.Plan {
	id, vpcID := str(sn.SubnetId), str(sn.VpcId)
	rt, explicit, ok := e.Snap.RouteTableFor(id, vpcID)
	var out []*repair.Plan
	plan := func(as ...repair.Action) {
		out = append(out, repair.New(append(append([]repair.Action{}, pre...), as...)...))
	}
	if ok && explicit && !isMainTable(rt) {
		plan(setRoute(rt, str(rt.RouteTableId), dest, kind, target)...)
	}
	name := e.ownTableName(account.Name(sn.Tags))
	if own, found := e.tableByName(name, vpcID); found && !isMainTable(own) && str(own.RouteTableId) != str(rt.RouteTableId) {
		as := []repair.Action{e.moveTo(id, str(own.RouteTableId))}
		if r, has := routeIn(own, dest); !has || target != target0(r) {
			as = append(as, setRoute(own, str(own.RouteTableId), dest, kind, target)...)
		}
		plan(as...)
	}
	newName := name
	if _, taken := e.tableByName(name, vpcID); taken {
		newName = ""
	}
	plan(repair.Action{Op: repair.CreateRouteTable, VPC: vpcID, Name: newName, Var: "RTB_ID"},
		e.moveTo(id, repair.Var("RTB_ID")),
		repair.Action{Op: repair.CreateRoute, RouteTable: repair.Var("RTB_ID"), Dest: dest, TargetKind: kind, Target: target})
	return out
}

func target0(r ec2types.Route) string { return target(r) }

// unroutePlans take a subnet's dest route away: delete it from its own
// table, or move the subnet to the table the lab names for it, or to a
// new table.
func (e *Env) unroutePlans(sn ec2types.Subnet, dest string) []*repair.Plan {
	id, vpcID := str(sn.SubnetId), str(sn.VpcId)
	rt, explicit, ok := e.Snap.RouteTableFor(id, vpcID)
	var out []*repair.Plan
	// A subnet the lab also routes through a NAT gateway: pointing the
	// route there fixes this check and that one in one go, where deleting
	// it would break the other (the learner would need a second round).
	// Only on the subnet's own table: one it shares (a public table it was
	// put on by mistake) would cut the others off.
	own := e.Snap.Named(account.RouteTables, str(rt.RouteTableId), e.ownTableName(account.Name(sn.Tags)), rt.Tags) || onlyFor(rt, id)
	if dest == "0.0.0.0/0" && ok && explicit && !isMainTable(rt) && own && e.routedToNAT(account.Name(sn.Tags)) {
		if nat, found := e.natFor(sn, ""); found {
			out = append(out, repair.New(setRoute(rt, str(rt.RouteTableId), dest, repair.ToNAT, nat)...))
		}
	}
	if ok && explicit && !isMainTable(rt) {
		if _, has := routeIn(rt, dest); has {
			out = append(out, repair.New(repair.Action{Op: repair.DeleteRoute, RouteTable: str(rt.RouteTableId), Dest: dest}))
		}
	}
	name := e.ownTableName(account.Name(sn.Tags))
	if own, found := e.tableByName(name, vpcID); found && !isMainTable(own) && str(own.RouteTableId) != str(rt.RouteTableId) {
		p := repair.New(e.moveTo(id, str(own.RouteTableId)))
		if _, has := routeIn(own, dest); has {
			if r, _ := routeIn(own, dest); strings.HasPrefix(target(r), "igw-") {
				p.Add(repair.Action{Op: repair.DeleteRoute, RouteTable: str(own.RouteTableId), Dest: dest})
			}
		}
		out = append(out, p)
	}
	newName := name
	if _, taken := e.tableByName(name, vpcID); taken {
		newName = ""
	}
	out = append(out, repair.New(repair.Action{Op: repair.CreateRouteTable, VPC: vpcID, Name: newName, Var: "RTB_ID"},
		e.moveTo(id, repair.Var("RTB_ID"))))
	return out
}

// natFor chooses the NAT gateway a subnet should use: the one the check
// names; else an available public one in the same VPC and AZ; else a
// regional one of the VPC; else the only available one of the VPC. ok is
// false when the lab has none to offer.
func (e *Env) natFor(sn ec2types.Subnet, wantName string) (string, bool) {
	vpcID, az := str(sn.VpcId), str(sn.AvailabilityZone)
	usable := func(n ec2types.NatGateway) bool {
		return str(n.VpcId) == vpcID && n.State == ec2types.NatGatewayStateAvailable && n.ConnectivityType != ec2types.ConnectivityTypePrivate
	}
	if wantName != "" {
		for _, n := range e.Snap.NATGatewaysByName(wantName) {
			if usable(n) {
				return str(n.NatGatewayId), true
			}
		}
		return "", false
	}
	// The NAT gateway the lab means for this subnet, when it is usable.
	for _, name := range e.labNATNames(sn) {
		if id, ok := e.natFor(sn, name); ok {
			return id, true
		}
	}
	var sameAZ, regional, all []string
	for _, n := range e.Snap.NATGateways {
		if !usable(n) {
			continue
		}
		all = append(all, str(n.NatGatewayId))
		if n.AvailabilityMode == ec2types.AvailabilityModeRegional {
			regional = append(regional, str(n.NatGatewayId))
			continue
		}
		if s, ok := e.Snap.Subnet(str(n.SubnetId)); ok && str(s.AvailabilityZone) == az && isPublic(e, s) {
			sameAZ = append(sameAZ, str(n.NatGatewayId))
		}
	}
	for _, set := range [][]string{sameAZ, regional} {
		if len(set) >= 1 {
			return set[0], true
		}
	}
	if len(all) == 1 {
		return all[0], true
	}
	return "", false
}

// labNATNames are the names of the NAT gateways the lab means for a
// subnet, best first: the target of the lab's route check for it, then
// the lab's NAT gateways in the subnet's AZ, then its regional ones.
func (e *Env) labNATNames(sn ec2types.Subnet) []string {
	var out []string
	add := func(n string) {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	id, vpcID := str(sn.SubnetId), str(sn.VpcId)
	for _, p := range e.labBlocks("route", func(p Params) bool { return p.Str("target", "") == "nat-gateway" }) {
		if x, n := e.Snap.SubnetByName(p.Str("subnet", ""), vpcID); n > 0 && str(x.SubnetId) == id {
			add(p.Str("target_name", ""))
		}
	}
	var regional []string
	for _, p := range e.labBlocks("nat-gateway", nil) {
		if p.Str("mode", "") == "regional" {
			regional = append(regional, p.Str("name", ""))
			continue
		}
		if x, n := e.Snap.SubnetByName(p.Str("subnet", ""), vpcID); n > 0 && str(x.AvailabilityZone) == str(sn.AvailabilityZone) {
			add(p.Str("name", ""))
		}
	}
	for _, n := range regional {
		add(n)
	}
	return out
}

// noNAT explains a NAT route vpclab cannot offer: the lab has no usable
// NAT gateway yet.
func (e *Env) noNAT(r Result, wantName string) Result {
	step := e.stepOf("nat-gateway", "name", wantName)
	if step == "" || e.Block != nil && e.Block.Step != nil && e.Block.Step.ID == step {
		// The step being checked makes it: "do this step first" would
		// send the learner in a circle.
		return r.explain("RepairNoNATThisStep", i18n.M{"Name": wantName})
	}
	return r.explain("RepairNoNAT", i18n.M{"Name": wantName, "Step": step})
}

// igwPlan makes sure the VPC has an internet gateway attached and returns
// the actions and the gateway's id (or variable).
func (e *Env) igwPlan(vpcID string, routeIGW string) ([]repair.Action, string) {
	if g, ok := e.Snap.AttachedInternetGateway(vpcID); ok {
		return nil, str(g.InternetGatewayId)
	}
	// The gateway the lab names, else the one the route names, when free.
	var names []string
	for _, p := range e.labBlocks("internet-gateway", nil) {
		if n := p.Str("name", ""); n != "" {
			names = append(names, n)
		}
	}
	free := func(g ec2types.InternetGateway) bool { return len(g.Attachments) == 0 }
	for _, n := range names {
		if g, ok := e.Snap.InternetGatewayByName(n); ok && free(g) {
			return []repair.Action{{Op: repair.AttachInternetGateway, IGW: str(g.InternetGatewayId), VPC: vpcID}}, str(g.InternetGatewayId)
		}
	}
	if g, ok := e.Snap.InternetGateway(routeIGW); ok && free(g) {
		return []repair.Action{{Op: repair.AttachInternetGateway, IGW: routeIGW, VPC: vpcID}}, routeIGW
	}
	// A detached gateway the VPC's routes still point at.
	for _, t := range e.Snap.RouteTables {
		if str(t.VpcId) != vpcID {
			continue
		}
		for _, r := range t.Routes {
			if g, ok := e.Snap.InternetGateway(str(r.GatewayId)); ok && free(g) {
				return []repair.Action{{Op: repair.AttachInternetGateway, IGW: str(g.InternetGatewayId), VPC: vpcID}}, str(g.InternetGatewayId)
			}
		}
	}
	name := ""
	if len(names) > 0 {
		name = names[0]
	}
	return []repair.Action{{Op: repair.CreateInternetGateway, Name: name, Var: "IGW_ID"},
		{Op: repair.AttachInternetGateway, IGW: repair.Var("IGW_ID"), VPC: vpcID}}, repair.Var("IGW_ID")
}

// aclPlans let the traffic a block describes through a network ACL: an
// allow rule numbered before the rule that drops it, or that rule turned
// into an allow.
func aclPlans(acl ec2types.NetworkAcl, detail map[string]string) []*repair.Plan {
	egressDir := detail["direction"] == "outbound"
	from, to := 1024, 65535
	if ports := detail["ports"]; ports != "" {
		f, t, ok := strings.Cut(ports, "-")
		if !ok {
			t = f
		}
		from, to = atoi(f, from), atoi(t, to)
	}
	cidr := detail["cidr"]
	if cidr == "" || strings.ContainsAny(cidr, " ") {
		cidr = "0.0.0.0/0"
	}
	used := map[int]bool{}
	lowest := 32767
	for _, en := range acl.Entries {
		if en.Egress != nil && *en.Egress == egressDir && en.RuleNumber != nil {
			used[int(*en.RuleNumber)] = true
			lowest = min(lowest, int(*en.RuleNumber))
		}
	}
	mk := func(op repair.Op, n int) *repair.Plan {
		return repair.New(repair.Action{Op: op, ACL: str(acl.NetworkAclId), RuleNumber: n, Egress: egressDir, RuleAction: "allow",
			PortFrom: from, PortTo: to, CIDR: cidr})
	}
	var out []*repair.Plan
	for n := lowest - 1; n >= 1; n-- {
		if !used[n] {
			out = append(out, mk(repair.CreateNACLEntry, n))
			break
		}
	}
	if r := atoi(detail["rule"], 0); r > 0 && r < 32767 {
		// The deny rule itself: replacing it keeps the ACL's numbering.
		out = append(out, mk(repair.ReplaceNACLEntry, r))
	}
	return out
}

func atoi(s string, def int) int {
	n := 0
	if s == "" {
		return def
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// egressRule is the rule that lets TCP port out to a destination.
func egressRule(port int, cidr, prefixList, group string) *repair.Rule {
	return &repair.Rule{Protocol: "tcp", From: port, To: port, CIDR: cidr, PrefixList: prefixList, Group: group}
}

// routedToNAT reports whether a route check of the lab sends subnet's
// default route to a NAT gateway.
func (e *Env) routedToNAT(subnet string) bool {
	return len(e.labBlocks("route", func(p Params) bool {
		return p.Str("subnet", "") == subnet && p.Str("target", "") == "nat-gateway" && p.Str("destination", "0.0.0.0/0") == "0.0.0.0/0"
	})) > 0
}

// onlyFor reports whether subnet is the only subnet associated with rt.
func onlyFor(rt ec2types.RouteTable, subnet string) bool {
	for _, a := range rt.Associations {
		if associated(a) && str(a.SubnetId) != "" && str(a.SubnetId) != subnet {
			return false
		}
	}
	return true
}
