package binding

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Kind is the Kind of the results binding adds to a run, so that writers,
// progress and the site show them like any check.
const Kind = "binding"

// Reason codes of binding findings.
const (
	OtherRegion = "LAB_IN_OTHER_REGION" // the lab's VPC is not here but in another Region
	Duplicate   = "DUPLICATE_RESOURCE"  // two resources fit one name; one is a leftover
	Untagged    = "NAME_TAG_MISSING"    // found by structure or IaC; it has no Name tag
	Mistagged   = "NAME_TAG_MISMATCH"   // found by structure, IaC or a near name; its Name tag differs
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
func Findings(rep Report, snap *account.Snapshot, blocks []*content.CheckBlock, base []checks.Result, lab string, o Options) []checks.Result {
	var out []checks.Result
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	if len(rep.Elsewhere) > 0 {
		out = append(out, elsewhereResult(rep, lab))
	}
	for _, b := range rep.Bindings {
		if len(b.Twins) > 0 {
			out = append(out, duplicateResult(rep, b, snap, blocks, base, now()))
		}
	}
	for _, b := range rep.Bindings {
		if r, ok := tagResult(b, rep.raw, blocks, o); ok {
			out = append(out, r)
		}
	}
	for i := range out {
		if out[i].Reason != OtherRegion {
			out[i].Fix = inRegion(out[i].Fix, snap.Region)
		}
	}
	return out
}

// inRegion names the Region in each command: the learner's shell may
// default to another one than vpclab checked (--region, a profile).
func inRegion(fix, region string) string {
	if fix == "" || region == "" {
		return fix
	}
	lines := strings.Split(fix, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "aws ") && !strings.Contains(l, " --region ") {
			lines[i] = l + " --region " + region
		}
	}
	return strings.Join(lines, "\n")
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

func elsewhereResult(rep Report, lab string) checks.Result {
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
		fmt.Sprintf("vpclab check %s --region %s", lab, first.Region), ids...)
}

func describeTwin(id string, created *time.Time, usd float64, now time.Time) string {
	var parts []string
	if created != nil {
		parts = append(parts, created.UTC().Format("2006-01-02 15:04 UTC"), now.Sub(*created).Round(time.Minute).String())
	}
	parts = append(parts, fmt.Sprintf("$%.3f/h", usd))
	return id + " [" + strings.Join(parts, " · ") + "]"
}

func duplicateResult(rep Report, b Binding, snap *account.Snapshot, blocks []*content.CheckBlock, base []checks.Result, now time.Time) checks.Result {
	prices := pricesFor(snap.Region)
	chosen := item{typ: b.Type, id: b.ID}
	for _, it := range items(snap, b.Type) {
		if it.id == b.ID {
			chosen = it
		}
	}
	var others []string
	var fixes []string
	var broken []string
	res := []string{b.ID}
	for _, t := range b.Twins {
		others = append(others, describeTwin(t.ID, t.Created, t.USDPerHr, now))
		res = append(res, t.ID)
		cmd, gone := deleteCommands(rep, snap, b.Type, t.ID)
		if cmd == "" {
			broken = append(broken, t.ID)
			continue
		}
		if br := breaks(snap, blocks, base, gone); len(br) > 0 {
			broken = append(broken, t.ID+" ("+strings.Join(br, ", ")+")")
			continue
		}
		fixes = append(fixes, cmd)
	}
	data := i18n.M{"Type": TypeMsg(b.Type), "Name": b.Name, "Count": len(b.Twins) + 1,
		"Chosen": describeTwin(b.ID, chosen.created, hourly(snap, chosen, prices), now), "Others": strings.Join(others, ", ")}
	msg := "BindDuplicate"
	if len(broken) > 0 {
		msg, data["Kept"] = "BindDuplicateKept", strings.Join(broken, ", ")
	}
	return result(b, checks.Warn, Duplicate, msg, data, strings.Join(fixes, "\n"), res...)
}

// tagResult warns about a resource judged although its Name tag is not
// the lab's, with the create-tags command that makes the name right;
// the command is proven: on a copy of the account as loaded (raw) with
// the tag set, the name binds to the same resource by its tag.
func tagResult(b Binding, snap *account.Snapshot, blocks []*content.CheckBlock, o Options) (checks.Result, bool) {
	if b.ID == "" || b.Evidence == ByNameTag || b.Type == account.LoadBalancers {
		return checks.Result{}, false
	}
	reason, msg := Mistagged, "BindMistagged"
	if b.Tag == "" {
		reason, msg = Untagged, "BindUntagged"
	}
	data := i18n.M{"Type": TypeMsg(b.Type), "Name": b.Name, "ID": b.ID, "Tag": b.Tag, "Why": evidenceMsg(b)}
	cmd := fmt.Sprintf("aws ec2 create-tags --resources %s --tags Key=Name,Value=%s", b.ID, b.Name)
	if !tagProven(snap, blocks, b, o) {
		cmd = ""
	}
	return result(b, checks.Warn, reason, msg, data, cmd, b.ID), true
}

func tagProven(snap *account.Snapshot, blocks []*content.CheckBlock, b Binding, o Options) bool {
	c := clone(snap)
	c.Bindings = nil
	setTag(c, b.Type, b.ID, b.Name)
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
	case ByStructure, ByStack, ByTerraform:
		return b.Why
	}
	return i18n.Msg{ID: "BindNotFound"}
}

// breaks lists the checks that pass on snap but not once gone is applied.
func breaks(snap *account.Snapshot, blocks []*content.CheckBlock, base []checks.Result, gone func(*account.Snapshot)) []string {
	c := clone(snap)
	gone(c)
	after := checks.Evaluate(c, blocks)
	var out []string
	for i, r := range base {
		if r.OK() && !after[i].OK() {
			out = append(out, r.Check)
		}
	}
	return out
}

// deleteCommands returns the commands that delete the twin id of type typ
// and what they do to a snapshot; "" when vpclab cannot offer them (the
// twin holds things vpclab does not see or must not touch).
func deleteCommands(rep Report, s *account.Snapshot, typ account.Resource, id string) (string, func(*account.Snapshot)) {
	labEIPs := map[string]bool{}
	for _, b := range rep.Bindings {
		if b.Type == account.Addresses && b.ID != "" {
			labEIPs[b.ID] = true
		}
	}
	switch typ {
	case account.NATGateways:
		n, ok := s.NATGateway(id)
		if !ok {
			return "", nil
		}
		cmds := []string{"aws ec2 delete-nat-gateway --nat-gateway-id " + id}
		var release []string
		for _, a := range n.NatGatewayAddresses {
			if al := str(a.AllocationId); al != "" && !labEIPs[al] {
				release = append(release, al)
			}
		}
		if len(release) > 0 {
			cmds = append(cmds, "aws ec2 wait nat-gateway-deleted --nat-gateway-ids "+id)
			for _, al := range release {
				cmds = append(cmds, "aws ec2 release-address --allocation-id "+al)
			}
		}
		return strings.Join(cmds, "\n"), func(c *account.Snapshot) {
			deleteNAT(c, id)
			for _, al := range release {
				c.Addresses = slices.DeleteFunc(c.Addresses, func(a ec2types.Address) bool { return str(a.AllocationId) == al })
			}
		}
	case account.Addresses:
		for _, a := range s.Addresses {
			if str(a.AllocationId) == id && str(a.AssociationId) == "" && str(a.NetworkInterfaceId) == "" {
				return "aws ec2 release-address --allocation-id " + id, func(c *account.Snapshot) {
					c.Addresses = slices.DeleteFunc(c.Addresses, func(a ec2types.Address) bool { return str(a.AllocationId) == id })
				}
			}
		}
	case account.InternetGateways:
		g, ok := s.InternetGateway(id)
		if !ok {
			return "", nil
		}
		var cmds []string
		for _, a := range g.Attachments {
			cmds = append(cmds, fmt.Sprintf("aws ec2 detach-internet-gateway --internet-gateway-id %s --vpc-id %s", id, str(a.VpcId)))
		}
		cmds = append(cmds, "aws ec2 delete-internet-gateway --internet-gateway-id "+id)
		return strings.Join(cmds, "\n"), func(c *account.Snapshot) { deleteIGW(c, id) }
	case account.Subnets:
		if busy(s, id) {
			return "", nil
		}
		return "aws ec2 delete-subnet --subnet-id " + id, func(c *account.Snapshot) { deleteSubnet(c, id) }
	case account.RouteTables:
		t, ok := s.RouteTable(id)
		if !ok {
			return "", nil
		}
		var cmds []string
		for _, a := range t.Associations {
			if a.Main != nil && *a.Main {
				return "", nil // a main route table goes with its VPC
			}
			cmds = append(cmds, "aws ec2 disassociate-route-table --association-id "+str(a.RouteTableAssociationId))
		}
		cmds = append(cmds, "aws ec2 delete-route-table --route-table-id "+id)
		return strings.Join(cmds, "\n"), func(c *account.Snapshot) {
			c.RouteTables = slices.DeleteFunc(c.RouteTables, func(t ec2types.RouteTable) bool { return str(t.RouteTableId) == id })
		}
	case account.SecurityGroups:
		g, ok := s.SecurityGroup(id)
		if !ok || str(g.GroupName) == "default" {
			return "", nil
		}
		return "aws ec2 delete-security-group --group-id " + id, func(c *account.Snapshot) {
			c.SecurityGroups = slices.DeleteFunc(c.SecurityGroups, func(g ec2types.SecurityGroup) bool { return str(g.GroupId) == id })
		}
	case account.VPCs:
		return deleteVPC(s, id, labEIPs)
	}
	return "", nil
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
		if str(e.SubnetId) == subnet && e.InterfaceType != ec2types.NetworkInterfaceTypeNatGateway {
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

// deleteVPC deletes a twin VPC and what the lab put in it, in the order
// AWS requires: NAT gateways (and their Elastic IPs once they are gone),
// internet gateways, subnets, route tables, security groups, the VPC.
func deleteVPC(s *account.Snapshot, id string, labEIPs map[string]bool) (string, func(*account.Snapshot)) {
	var cmds, nats, release []string
	for _, n := range s.NATGateways {
		if str(n.VpcId) == id && liveNAT(n.State) {
			nats = append(nats, str(n.NatGatewayId))
			for _, a := range n.NatGatewayAddresses {
				if al := str(a.AllocationId); al != "" && !labEIPs[al] {
					release = append(release, al)
				}
			}
		}
	}
	for _, e := range s.VPCEndpoints {
		if str(e.VpcId) == id {
			return "", nil
		}
	}
	for _, lb := range s.LoadBalancers {
		if str(lb.VpcId) == id {
			return "", nil
		}
	}
	for _, e := range s.NetworkInterfaces {
		if str(e.VpcId) == id && e.InterfaceType != ec2types.NetworkInterfaceTypeNatGateway {
			return "", nil
		}
	}
	for _, n := range nats {
		cmds = append(cmds, "aws ec2 delete-nat-gateway --nat-gateway-id "+n)
	}
	if len(nats) > 0 {
		cmds = append(cmds, "aws ec2 wait nat-gateway-deleted --nat-gateway-ids "+strings.Join(nats, " "))
	}
	for _, al := range release {
		cmds = append(cmds, "aws ec2 release-address --allocation-id "+al)
	}
	for _, g := range s.InternetGateways {
		for _, a := range g.Attachments {
			if str(a.VpcId) == id {
				gid := str(g.InternetGatewayId)
				cmds = append(cmds, fmt.Sprintf("aws ec2 detach-internet-gateway --internet-gateway-id %s --vpc-id %s", gid, id),
					"aws ec2 delete-internet-gateway --internet-gateway-id "+gid)
			}
		}
	}
	for _, sn := range s.Subnets {
		if str(sn.VpcId) == id {
			cmds = append(cmds, "aws ec2 delete-subnet --subnet-id "+str(sn.SubnetId))
		}
	}
	for _, t := range s.RouteTables {
		if str(t.VpcId) != id {
			continue
		}
		main := false
		for _, a := range t.Associations {
			main = main || (a.Main != nil && *a.Main)
		}
		if !main {
			cmds = append(cmds, "aws ec2 delete-route-table --route-table-id "+str(t.RouteTableId))
		}
	}
	var groups []string
	for _, g := range s.SecurityGroups {
		if str(g.VpcId) == id && str(g.GroupName) != "default" {
			groups = append(groups, str(g.GroupId))
		}
	}
	sort.Strings(groups)
	for _, g := range groups {
		cmds = append(cmds, "aws ec2 delete-security-group --group-id "+g)
	}
	cmds = append(cmds, "aws ec2 delete-vpc --vpc-id "+id)
	return strings.Join(cmds, "\n"), func(c *account.Snapshot) {
		for _, n := range nats {
			deleteNAT(c, n)
		}
		for _, al := range release {
			c.Addresses = slices.DeleteFunc(c.Addresses, func(a ec2types.Address) bool { return str(a.AllocationId) == al })
		}
		for _, g := range c.InternetGateways {
			for _, a := range g.Attachments {
				if str(a.VpcId) == id {
					deleteIGW(c, str(g.InternetGatewayId))
				}
			}
		}
		in := func(v *string) bool { return str(v) == id }
		c.VPCs = slices.DeleteFunc(c.VPCs, func(v ec2types.Vpc) bool { return in(v.VpcId) })
		c.Subnets = slices.DeleteFunc(c.Subnets, func(v ec2types.Subnet) bool { return in(v.VpcId) })
		c.RouteTables = slices.DeleteFunc(c.RouteTables, func(v ec2types.RouteTable) bool { return in(v.VpcId) })
		c.SecurityGroups = slices.DeleteFunc(c.SecurityGroups, func(v ec2types.SecurityGroup) bool { return in(v.VpcId) })
		c.NetworkACLs = slices.DeleteFunc(c.NetworkACLs, func(v ec2types.NetworkAcl) bool { return in(v.VpcId) })
	}
}

// clone copies the snapshot's lists, so a simulated deletion or tag does
// not touch the original (the resources inside are shared and must be
// replaced, not modified).
func clone(s *account.Snapshot) *account.Snapshot {
	c := *s
	c.VPCs = slices.Clone(s.VPCs)
	c.Subnets = slices.Clone(s.Subnets)
	c.RouteTables = slices.Clone(s.RouteTables)
	c.InternetGateways = slices.Clone(s.InternetGateways)
	c.NATGateways = slices.Clone(s.NATGateways)
	c.Addresses = slices.Clone(s.Addresses)
	c.SecurityGroups = slices.Clone(s.SecurityGroups)
	c.NetworkACLs = slices.Clone(s.NetworkACLs)
	c.LoadBalancers = slices.Clone(s.LoadBalancers)
	c.Bindings = map[account.Resource]map[string]string{}
	for r, m := range s.Bindings {
		c.Bindings[r] = map[string]string{}
		for k, v := range m {
			c.Bindings[r][k] = v
		}
	}
	return &c
}

// deleteNAT marks a NAT gateway deleted, as AWS shows it for an hour, and
// turns the routes through it into blackholes.
func deleteNAT(c *account.Snapshot, id string) {
	for i, n := range c.NATGateways {
		if str(n.NatGatewayId) == id {
			n.State = ec2types.NatGatewayStateDeleted
			n.NatGatewayAddresses = nil
			c.NATGateways[i] = n
		}
	}
	blackhole(c, func(r ec2types.Route) bool { return str(r.NatGatewayId) == id })
}

func deleteIGW(c *account.Snapshot, id string) {
	c.InternetGateways = slices.DeleteFunc(c.InternetGateways, func(g ec2types.InternetGateway) bool { return str(g.InternetGatewayId) == id })
	blackhole(c, func(r ec2types.Route) bool { return str(r.GatewayId) == id })
}

func deleteSubnet(c *account.Snapshot, id string) {
	c.Subnets = slices.DeleteFunc(c.Subnets, func(x ec2types.Subnet) bool { return str(x.SubnetId) == id })
	for i, t := range c.RouteTables {
		t.Associations = slices.DeleteFunc(slices.Clone(t.Associations), func(a ec2types.RouteTableAssociation) bool { return str(a.SubnetId) == id })
		c.RouteTables[i] = t
	}
}

func blackhole(c *account.Snapshot, hit func(ec2types.Route) bool) {
	for i, t := range c.RouteTables {
		rs := slices.Clone(t.Routes)
		for j, r := range rs {
			if hit(r) {
				rs[j].State = ec2types.RouteStateBlackhole
			}
		}
		t.Routes = rs
		c.RouteTables[i] = t
	}
}

// setTag gives resource id the Name tag name on a cloned snapshot.
func setTag(c *account.Snapshot, typ account.Resource, id, name string) {
	tag := func(ts []ec2types.Tag) []ec2types.Tag {
		out := slices.DeleteFunc(slices.Clone(ts), func(t ec2types.Tag) bool { return str(t.Key) == "Name" })
		k, v := "Name", name
		return append(out, ec2types.Tag{Key: &k, Value: &v})
	}
	switch typ {
	case account.VPCs:
		for i := range c.VPCs {
			if str(c.VPCs[i].VpcId) == id {
				c.VPCs[i].Tags = tag(c.VPCs[i].Tags)
			}
		}
	case account.Subnets:
		for i := range c.Subnets {
			if str(c.Subnets[i].SubnetId) == id {
				c.Subnets[i].Tags = tag(c.Subnets[i].Tags)
			}
		}
	case account.RouteTables:
		for i := range c.RouteTables {
			if str(c.RouteTables[i].RouteTableId) == id {
				c.RouteTables[i].Tags = tag(c.RouteTables[i].Tags)
			}
		}
	case account.InternetGateways:
		for i := range c.InternetGateways {
			if str(c.InternetGateways[i].InternetGatewayId) == id {
				c.InternetGateways[i].Tags = tag(c.InternetGateways[i].Tags)
			}
		}
	case account.NATGateways:
		for i := range c.NATGateways {
			if str(c.NATGateways[i].NatGatewayId) == id {
				c.NATGateways[i].Tags = tag(c.NATGateways[i].Tags)
			}
		}
	case account.Addresses:
		for i := range c.Addresses {
			if str(c.Addresses[i].AllocationId) == id {
				c.Addresses[i].Tags = tag(c.Addresses[i].Tags)
			}
		}
	case account.SecurityGroups:
		for i := range c.SecurityGroups {
			if str(c.SecurityGroups[i].GroupId) == id {
				c.SecurityGroups[i].Tags = tag(c.SecurityGroups[i].Tags)
			}
		}
	}
}
