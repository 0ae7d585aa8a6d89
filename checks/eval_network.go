package checks

import (
	"net/netip"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/i18n"
)

func evalVPC(e *Env, p Params) Result {
	name := p.Str("name", "")
	vpc, r := findVPC(e, name)
	if r != nil {
		// The lab's own CIDR and attributes, never a made-up one.
		if cidr := p.Str("cidr", ""); cidr != "" {
			plan := repair.New(repair.Action{Op: repair.CreateVPC, CIDR: cidr, Name: name, Var: "VPC_ID"})
			for _, a := range [][2]string{{"dns_support", "enableDnsSupport"}, {"dns_hostnames", "enableDnsHostnames"}} {
				if p.Has(a[0]) {
					plan.Add(repair.Action{Op: repair.ModifyVPCAttribute, VPC: repair.Var("VPC_ID"), Attr: a[1], Value: p.Bool(a[0], true)})
				}
			}
			// The lab's VPC that lost its Name tag: tag it again rather
			// than create a second one.
			var untagged []string
			for _, v := range e.Snap.VPCs {
				if str(v.CidrBlock) == cidr && account.Name(v.Tags) == "" && !(v.IsDefault != nil && *v.IsDefault) {
					untagged = append(untagged, str(v.VpcId))
				}
			}
			if len(untagged) == 1 {
				return r.propose(repair.New(repair.Action{Op: repair.CreateTags, Target: untagged[0], Name: name}), plan)
			}
			return r.propose(plan)
		}
		return r.explain("RepairVPCNeedsCIDR", i18n.M{"Name": name})
	}
	id := str(vpc.VpcId)
	if want := p.Str("cidr", ""); want != "" && str(vpc.CidrBlock) != want {
		// A VPC's primary CIDR cannot change: recreating it takes the lab
		// with it, so vpclab says so rather than print a command.
		return fail("CIDR_MISMATCH", "CheckVPCCIDR", i18n.M{"ID": id, "Name": name, "Want": want, "Got": str(vpc.CidrBlock)}, "", id)
	}
	attrs, known := e.Snap.VPCAttrs[id]
	plan := repair.New()
	var wrong []any // the attributes to turn to wantOn
	wantOn := true
	for _, a := range []struct {
		param, attr, flag string
		got               bool
	}{
		{"dns_support", "enableDnsSupport", "--enable-dns-support", attrs.DNSSupport},
		{"dns_hostnames", "enableDnsHostnames", "--enable-dns-hostnames", attrs.DNSHostnames},
	} {
		if !p.Has(a.param) || !known {
			continue
		}
		if want := p.Bool(a.param, true); a.got != want {
			// Both attributes wrong are one fix: proposing one alone
			// would leave the check failing, so it was never printed.
			// DNS support comes first: AWS turns hostnames on only
			// where it is on.
			plan.Add(repair.Action{Op: repair.ModifyVPCAttribute, VPC: id, Attr: a.attr, Value: want})
			if len(wrong) == 0 || wantOn == want {
				wrong, wantOn = append(wrong, a.attr), want
			}
		}
	}
	if len(wrong) > 0 {
		var attr any = wrong[0]
		if len(wrong) > 1 {
			attr = i18n.Joined{Parts: wrong, Sep: ", "}
		}
		return fail("VPC_DNS_ATTRIBUTE_DISABLED", "CheckVPCDNS", i18n.M{"ID": id, "Attr": attr, "Want": wantOn}, "", id).
			propose(plan)
	}
	// Two VPCs answering to the name are binding's duplicate finding.
	return pass("CheckVPCPass", i18n.M{"ID": id, "CIDR": str(vpc.CidrBlock)}, id)
}

func evalSubnet(e *Env, p Params) Result {
	name := p.Str("name", "")
	sn, r := findSubnet(e, name, p.Str("vpc", ""))
	if r != nil {
		// The check knows the subnet's CIDR and AZ: the plan uses them.
		if vpc, n := e.Snap.VPCByName(p.Str("vpc", "")); n > 0 && r.Reason == "NOT_FOUND" {
			if cidr := p.Str("cidr", ""); cidr != "" {
				// The lab's subnet that lost its Name tag holds the CIDR:
				// tag it again (creating another would conflict).
				for _, sn := range e.Snap.Subnets {
					if str(sn.VpcId) == str(vpc.VpcId) && str(sn.CidrBlock) == cidr && account.Name(sn.Tags) == "" {
						return r.propose(repair.New(repair.Action{Op: repair.CreateTags, Target: str(sn.SubnetId), Name: name}))
					}
				}
				// In another Region than the lab's, the zone of the same
				// letter, and only if the account shows it exists.
				az, seen := e.Snap.ZoneHere(p.Str("az", ""))
				if !seen {
					return *r
				}
				create := repair.Action{Op: repair.CreateSubnet, VPC: str(vpc.VpcId), CIDR: cidr, AZ: az, Name: name, Var: "SUBNET_ID"}
				plans := []*repair.Plan{repair.New(create)}
				// A public subnet joins the lab's public route table.
				if rtName := p.Str("route_table", ""); rtName != "" {
					if t, ok := e.tableByName(rtName, str(vpc.VpcId)); ok {
						plans = []*repair.Plan{repair.New(create, repair.Action{Op: repair.AssociateRouteTable, RouteTable: str(t.RouteTableId), Subnet: repair.Var("SUBNET_ID")})}
					}
				} else if p.Bool("public", false) {
					for _, t := range e.Snap.RouteTables {
						if str(t.VpcId) != str(vpc.VpcId) || isMainTable(t) {
							continue
						}
						if rr, ok := account.LongestMatch(t, publicIPv4); ok && toAttachedIGW(e, rr, str(vpc.VpcId)) {
							plans = append(plans, repair.New(create, repair.Action{Op: repair.AssociateRouteTable, RouteTable: str(t.RouteTableId), Subnet: repair.Var("SUBNET_ID")}))
						}
					}
				}
				return r.propose(plans...)
			}
		}
		return *r
	}
	id, vpcID := str(sn.SubnetId), str(sn.VpcId)
	if want := p.Str("cidr", ""); want != "" && str(sn.CidrBlock) != want {
		return fail("CIDR_MISMATCH", "CheckSubnetCIDR", i18n.M{"ID": id, "Want": want, "Got": str(sn.CidrBlock)}, "", id)
	}
	if want, _ := e.Snap.ZoneHere(p.Str("az", "")); want != "" && str(sn.AvailabilityZone) != want {
		return fail("AZ_MISMATCH", "CheckSubnetAZ", i18n.M{"ID": id, "Want": want, "Got": str(sn.AvailabilityZone)}, "", id)
	}
	d := routeOf(e, sn, publicIPv4)
	rt := str(d.table.RouteTableId)
	if r, wrong := e.wrongTable(p, sn, d.table, d.explicit); wrong {
		return r
	}
	if !p.Has("public") {
		return pass("CheckSubnetPass", i18n.M{"ID": id, "CIDR": str(sn.CidrBlock), "AZ": str(sn.AvailabilityZone)}, id)
	}
	public := d.has && toAttachedIGW(e, d.route, vpcID)
	wantPublic := p.Bool("public", false)
	switch {
	case wantPublic && public:
		return pass("CheckSubnetPublicPass", i18n.M{"ID": id, "Table": rt, "IGW": str(d.route.GatewayId)}, id, rt, str(d.route.GatewayId))
	case !wantPublic && !public:
		return pass("CheckSubnetPrivatePass", i18n.M{"ID": id, "Table": rt}, id, rt)
	case !wantPublic && public:
		// unroutePlans never changes the main table, which serves every
		// subnet without its own.
		return fail("SUBNET_IS_PUBLIC", "CheckSubnetIsPublic", i18n.M{"ID": id, "Table": rt, "IGW": str(d.route.GatewayId)}, "", id, rt).
			propose(e.unroutePlans(sn, routeCIDR(d.route))...)
	}
	// Wanted public, is not: say why, most specific cause first.
	_, hasIGW := e.Snap.AttachedInternetGateway(vpcID)
	// A subnet on the main table gets a table of its own (routePlans);
	// one with its own table gets the route added or replaced there.
	routeIGW := ""
	if d.has {
		routeIGW = str(d.route.GatewayId)
	}
	pre, igwTarget := e.igwPlan(vpcID, routeIGW)
	var plans []*repair.Plan
	if !hasIGW && d.has && routeIGW == igwTarget && d.explicit {
		plans = append(plans, repair.New(pre...)) // reattaching the gateway is enough
	}
	plans = append(plans, e.routePlans(sn, "0.0.0.0/0", repair.ToIGW, igwTarget, pre...)...)
	var res Result
	switch {
	case !hasIGW:
		res = fail("BAD_STATE_ATTACHMENT", "CheckSubnetNoIGW", i18n.M{"ID": id, "VPC": vpcID}, "", id, vpcID)
	case !d.has:
		res = fail("NO_ROUTE_TO_DESTINATION", "CheckSubnetNoDefaultRoute", i18n.M{"ID": id, "Table": tableLabel(d)}, "", id, rt)
	case d.route.State == ec2types.RouteStateBlackhole || strings.HasPrefix(str(d.route.GatewayId), "igw-"):
		res = fail("BAD_STATE_ROUTE", "CheckSubnetRouteBroken", i18n.M{"ID": id, "Table": rt, "Target": target(d.route)}, "", id, rt)
	default:
		res = fail("ROUTE_NOT_TO_IGW", "CheckSubnetRouteElsewhere", i18n.M{"ID": id, "Table": rt, "Target": target(d.route)}, "", id, rt)
	}
	return res.propose(plans...)
}

func routeCIDR(r ec2types.Route) string {
	if c := str(r.DestinationCidrBlock); c != "" {
		return c
	}
	return str(r.DestinationIpv6CidrBlock)
}

func tableLabel(d defaultRoute) string {
	if d.table.RouteTableId == nil {
		return "-"
	}
	return str(d.table.RouteTableId)
}

func evalIGW(e *Env, p Params) Result {
	vpc, r := findVPC(e, p.Str("vpc", ""))
	if r != nil {
		return *r
	}
	vpcID := str(vpc.VpcId)
	if g, ok := e.Snap.AttachedInternetGateway(vpcID); ok {
		return pass("CheckIGWPass", i18n.M{"ID": str(g.InternetGatewayId), "VPC": vpcID}, str(g.InternetGatewayId), vpcID)
	}
	if name := p.Str("name", ""); name != "" {
		if g, ok := e.Snap.InternetGatewayByName(name); ok {
			id := str(g.InternetGatewayId)
			plan := repair.New()
			if len(g.Attachments) > 0 && str(g.Attachments[0].VpcId) == vpcID {
				// Still attaching: AWS needs a moment, not a command.
				return fail("BAD_STATE_ATTACHMENT", "CheckIGWDetached", i18n.M{"ID": id, "VPC": vpcID}, "", id, vpcID)
			}
			if len(g.Attachments) > 0 && str(g.Attachments[0].VpcId) != "" {
				plan.Add(repair.Action{Op: repair.DetachInternetGateway, IGW: id, VPC: str(g.Attachments[0].VpcId)})
			}
			plan.Add(repair.Action{Op: repair.AttachInternetGateway, IGW: id, VPC: vpcID})
			return fail("BAD_STATE_ATTACHMENT", "CheckIGWDetached", i18n.M{"ID": id, "VPC": vpcID}, "", id, vpcID).propose(plan)
		}
	}
	pre, _ := e.igwPlan(vpcID, "")
	if name := p.Str("name", ""); name != "" && len(pre) == 2 {
		pre[0].Name = name
	}
	return fail("NOT_FOUND", "CheckIGWMissing", i18n.M{"VPC": vpcID}, "", vpcID).propose(repair.New(pre...))
}

func evalEIP(e *Env, p Params) Result {
	name := p.Str("name", "")
	found := e.Snap.AddressesByName(name)
	if len(found) == 0 {
		r := notFound(e, "ResEIP", name, "")
		plan := repair.New(repair.Action{Op: repair.AllocateAddress, Name: name, Var: "EIP_ALLOC_ID"})
		if p.Bool("associated", true) {
			eni, ok := e.eniForEIP(name)
			if !ok {
				// A NAT gateway's address is associated by creating the
				// gateway: the lab's NAT step does both.
				if step := e.stepOf("nat-gateway", "eip", name); step != "" {
					return e.doStepFirst(r, step)
				}
				return r.explain("RepairEIPWhichENI", i18n.M{"Name": name})
			}
			plan.Add(repair.Action{Op: repair.AssociateAddress, Alloc: repair.Var("EIP_ALLOC_ID"), ENI: eni})
		}
		return r.propose(plan)
	}
	a := found[0]
	for _, x := range found {
		if eipAssociated(x) {
			a = x
			break
		}
	}
	id, ip := str(a.AllocationId), str(a.PublicIp)
	want := p.Bool("associated", true)
	switch assoc := eipAssociated(a); {
	case want && !assoc:
		r := fail("EIP_NOT_ASSOCIATED", "CheckEIPUnassociated", i18n.M{"ID": id, "IP": ip}, "", id)
		if eni, ok := e.eniForEIP(name); ok {
			return r.propose(repair.New(repair.Action{Op: repair.AssociateAddress, Alloc: id, ENI: eni}))
		}
		// As above: a NAT gateway's address is associated by creating the
		// gateway, not with an interface.
		if step := e.stepOf("nat-gateway", "eip", name); step != "" {
			return e.doStepFirst(r, step)
		}
		return r.explain("RepairEIPWhichENI", i18n.M{"Name": name})
	case !want && assoc:
		return fail("EIP_ASSOCIATED", "CheckEIPAssociated", i18n.M{"ID": id, "IP": ip, "Target": eipTarget(a)}, "", id).
			propose(repair.New(repair.Action{Op: repair.DisassociateAddress, Association: str(a.AssociationId)}))
	case assoc:
		// An address is only worth its price when what holds it can reach
		// an internet gateway of its VPC.
		if ok, sub := e.eipUseful(a); !ok {
			return fail("EIP_UNREACHABLE", "RepairEIPUseless", i18n.M{"ID": id, "IP": ip, "Target": eipTarget(a), "Subnet": sub}, "", id, eipTarget(a))
		}
		return pass("CheckEIPPass", i18n.M{"ID": id, "IP": ip, "Target": eipTarget(a)}, id)
	}
	return pass("CheckEIPFreePass", i18n.M{"ID": id, "IP": ip}, id)
}

// eniForEIP is the network interface the lab means an Elastic IP for: the
// only interface named with the lab's prefix (the address's Name up to
// its last "-") that is a plain interface in a public subnet without a
// public address of its own.
func (e *Env) eniForEIP(eipName string) (string, bool) {
	prefix := eipName
	if i := strings.LastIndexByte(eipName, '-'); i > 0 {
		prefix = eipName[:i+1]
	}
	var found []string
	for _, n := range e.Snap.NetworkInterfaces {
		nm := account.Name(n.TagSet)
		if nm == "" || !strings.HasPrefix(nm, prefix) || n.InterfaceType == ec2types.NetworkInterfaceTypeNatGateway {
			continue
		}
		if n.Association != nil && str(n.Association.PublicIp) != "" {
			continue
		}
		if sn, ok := e.Snap.Subnet(str(n.SubnetId)); ok && isPublic(e, sn) {
			found = append(found, str(n.NetworkInterfaceId))
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return "", false
}

// eipUseful reports whether the interface an address is associated with
// sits in a subnet routed to an attached internet gateway; an interface
// vpclab cannot see is given the benefit of the doubt.
func (e *Env) eipUseful(a ec2types.Address) (bool, string) {
	n, ok := e.Snap.NetworkInterface(str(a.NetworkInterfaceId))
	if !ok || !e.Snap.Loaded[account.NetworkInterfaces] {
		return true, ""
	}
	sn, ok := e.Snap.Subnet(str(n.SubnetId))
	if !ok {
		return true, ""
	}
	return isPublic(e, sn), str(sn.SubnetId)
}

func eipAssociated(a ec2types.Address) bool {
	return str(a.AssociationId) != "" || str(a.NetworkInterfaceId) != "" || str(a.InstanceId) != ""
}

func eipTarget(a ec2types.Address) string {
	if i := str(a.InstanceId); i != "" {
		return i
	}
	return str(a.NetworkInterfaceId)
}

func evalNAT(e *Env, p Params) Result {
	name := p.Str("name", "")
	vpc, r := findVPC(e, p.Str("vpc", ""))
	if r != nil {
		return *r
	}
	var nats []ec2types.NatGateway
	for _, n := range e.Snap.NATGatewaysByName(name) {
		if vpc.VpcId == nil || str(n.VpcId) == str(vpc.VpcId) {
			nats = append(nats, n)
		}
	}
	if len(nats) == 0 {
		r := notFound(e, "ResNAT", name, "")
		// The lab's gateway that lost its Name tag, in the subnet the
		// check names: tag it again rather than create a second one.
		if sub := p.Str("subnet", ""); sub != "" {
			if sn, c := e.Snap.SubnetByName(sub, str(vpc.VpcId)); c > 0 {
				var untagged []string
				for _, n := range e.Snap.NATGateways {
					live := n.State == ec2types.NatGatewayStateAvailable || n.State == ec2types.NatGatewayStatePending
					if live && str(n.SubnetId) == str(sn.SubnetId) && account.Name(n.Tags) == "" {
						untagged = append(untagged, str(n.NatGatewayId))
					}
				}
				if len(untagged) == 1 {
					r = r.propose(repair.New(repair.Action{Op: repair.CreateTags, Target: untagged[0], Name: name}))
				}
			}
		}
		if plan, ok := e.natCreate(p, vpc, nil); ok {
			return r.propose(plan)
		}
		return r.explain("RepairNATWhere", i18n.M{"Name": name})
	}
	n := nats[0]
	id := str(n.NatGatewayId)
	switch n.State {
	case ec2types.NatGatewayStateAvailable:
	case ec2types.NatGatewayStatePending:
		return fail("BAD_STATE", "CheckNATPending", i18n.M{"ID": id}, "", id).explain("RepairNATWait", i18n.M{"ID": id})
	case ec2types.NatGatewayStateFailed:
		r := fail("BAD_STATE", "CheckNATFailed", i18n.M{"ID": id, "Code": str(n.FailureCode), "Why": str(n.FailureMessage)}, "", id)
		if plan, ok := e.natCreate(p, vpc, &n); ok {
			return r.propose(plan)
		}
		return r
	default:
		r := fail("BAD_STATE", "CheckNATDeleted", i18n.M{"ID": id, "State": string(n.State)}, "", id)
		if plan, ok := e.natCreate(p, vpc, &n); ok {
			return r.propose(plan)
		}
		return r
	}
	wantConn := p.Str("connectivity", "public")
	conn := string(n.ConnectivityType)
	if conn == "" {
		conn = "public" // the API's default; moto leaves the field out
	}
	if conn != wantConn {
		r := fail("NGW_PRIVATE_CONNECTIVITY", "CheckNATConnectivity", i18n.M{"ID": id, "Want": wantConn, "Got": conn}, "", id)
		if plan, ok := e.natCreate(p, vpc, &n); ok {
			return r.propose(plan)
		}
		return r
	}
	mode := string(n.AvailabilityMode)
	if mode == "" {
		mode = "zonal"
	}
	if want := p.Str("mode", ""); want != "" && want != mode {
		r := fail("NGW_MODE_MISMATCH", "CheckNATMode", i18n.M{"ID": id, "Want": want, "Got": mode}, "", id)
		if plan, ok := e.natCreate(p, vpc, &n); ok {
			return r.propose(plan)
		}
		return r
	}
	if mode == "regional" {
		if _, ok := e.Snap.AttachedInternetGateway(str(n.VpcId)); !ok {
			pre, _ := e.igwPlan(str(n.VpcId), "")
			return fail("BAD_STATE_ATTACHMENT", "CheckNATRegionalNoIGW", i18n.M{"ID": id, "VPC": str(n.VpcId)}, "", id).propose(repair.New(pre...))
		}
		return pass("CheckNATRegionalPass", i18n.M{"ID": id, "AZs": natAZs(n)}, id)
	}
	sn, ok := e.Snap.Subnet(str(n.SubnetId))
	if !ok {
		return fail("NOT_FOUND", "CheckNATSubnetGone", i18n.M{"ID": id, "Subnet": str(n.SubnetId)}, "", id)
	}
	if want := p.Str("subnet", ""); want != "" && !e.Snap.Named(account.Subnets, str(sn.SubnetId), want, sn.Tags) {
		r := fail("NGW_WRONG_SUBNET", "CheckNATWrongSubnet", i18n.M{"ID": id, "Subnet": str(sn.SubnetId), "Got": account.Name(sn.Tags), "Want": want}, "", id, str(sn.SubnetId))
		if plan, ok := e.natCreate(p, vpc, &n); ok {
			return r.propose(plan)
		}
		return r
	}
	if conn == "public" {
		if !isPublic(e, sn) {
			d := routeOf(e, sn, publicIPv4)
			r := fail("NGW_NOT_IN_PUBLIC_SUBNET", "CheckNATPrivateSubnet", i18n.M{"ID": id, "Subnet": str(sn.SubnetId), "Table": tableLabel(d)}, "",
				id, str(sn.SubnetId))
			// Its subnet is the lab's public one: make that subnet public
			// again (the subnet check's plan); else move the gateway.
			if pre, igw := e.igwPlan(str(sn.VpcId), ""); p.Str("subnet", "") != "" && e.Snap.Named(account.Subnets, str(sn.SubnetId), p.Str("subnet", ""), sn.Tags) {
				r = r.propose(e.routePlans(sn, "0.0.0.0/0", repair.ToIGW, igw, pre...)...)
			}
			if plan, ok := e.natCreate(p, vpc, &n); ok {
				r = r.propose(plan)
			}
			return r
		}
		ip, alloc := natPublicIP(n)
		if ip == "" {
			r := fail("NGW_NO_PUBLIC_IP", "CheckNATNoEIP", i18n.M{"ID": id}, "", id)
			if plan, ok := e.natCreate(p, vpc, &n); ok {
				return r.propose(plan)
			}
			return r
		}
		if want := p.Str("eip", ""); want != "" && !eipNamed(e, alloc, want) {
			r := fail("NGW_WRONG_EIP", "CheckNATWrongEIP", i18n.M{"ID": id, "IP": ip, "Want": want}, "", id, alloc)
			if plan, ok := e.natCreate(p, vpc, &n); ok {
				return r.propose(plan)
			}
			return r
		}
		return pass("CheckNATPass", i18n.M{"ID": id, "Subnet": str(sn.SubnetId), "IP": ip}, id, str(sn.SubnetId), alloc)
	}
	return pass("CheckNATPrivatePass", i18n.M{"ID": id, "Subnet": str(sn.SubnetId)}, id, str(sn.SubnetId))
}

// natCreate is the plan that makes the NAT gateway the check describes:
// in the subnet it names (zonal) or the VPC (regional), with the Elastic
// IP it names (allocated when missing). old, when set, is a gateway of
// that name that is wrong: it is deleted first (releasing its address),
// and the routes that used it are moved to the new one.
func (e *Env) natCreate(p Params, vpc ec2types.Vpc, old *ec2types.NatGateway) (*repair.Plan, bool) {
	name := p.Str("name", "")
	regional := p.Str("mode", "") == "regional"
	act := repair.Action{Op: repair.CreateNATGateway, Name: name, Var: "NAT_ID", Private: p.Str("connectivity", "public") == "private"}
	if regional {
		if vpc.VpcId == nil {
			return nil, false
		}
		act.Regional, act.VPC = true, str(vpc.VpcId)
	} else {
		sub := p.Str("subnet", "")
		if sub == "" {
			return nil, false
		}
		sn, n := e.Snap.SubnetByName(sub, str(vpc.VpcId))
		if n == 0 {
			return nil, false
		}
		act.Subnet = str(sn.SubnetId)
	}
	plan := repair.New()
	oldID := ""
	if old != nil {
		oldID = str(old.NatGatewayId)
		if old.State == ec2types.NatGatewayStateAvailable || old.State == ec2types.NatGatewayStatePending || old.State == ec2types.NatGatewayStateFailed {
			plan.Add(repair.Action{Op: repair.DeleteNATGateway, NAT: oldID})
		}
	}
	if eip := p.Str("eip", ""); eip != "" && !act.Private {
		var addr *ec2types.Address
		if as := e.Snap.AddressesByName(eip); len(as) > 0 {
			addr = &as[0]
		}
		switch {
		case addr == nil:
			plan.Add(repair.Action{Op: repair.AllocateAddress, Name: eip, Var: "EIP_ALLOC_ID"})
			act.Alloc = repair.Var("EIP_ALLOC_ID")
		case eipAssociated(*addr):
			// Only the gateway being replaced may hold it.
			held := false
			if old != nil {
				for _, na := range old.NatGatewayAddresses {
					held = held || str(na.AllocationId) == str(addr.AllocationId)
				}
			}
			if !held && !staleAssociation(e, *addr) {
				return nil, false
			}
			plan.Add(repair.Action{Op: repair.DisassociateAddress, Association: str(addr.AssociationId)})
			act.Alloc = str(addr.AllocationId)
		default:
			act.Alloc = str(addr.AllocationId)
		}
	}
	if act.Alloc == "" && !act.Private && !act.Regional {
		// A public zonal NAT gateway needs an Elastic IP.
		plan.Add(repair.Action{Op: repair.AllocateAddress, Name: name + "-eip", Var: "EIP_ALLOC_ID"})
		act.Alloc = repair.Var("EIP_ALLOC_ID")
	}
	plan.Add(act)
	// AWS creates it pending; the plan's wait line lasts until it is
	// available (usually one to three minutes).
	plan.After = &i18n.Msg{ID: "RepairNATPending", Data: i18n.M{"Name": orPlaceholder(name, "-")}}
	if oldID != "" {
		for _, t := range e.Snap.RouteTables {
			for _, r := range t.Routes {
				if str(r.NatGatewayId) == oldID {
					plan.Add(repair.Action{Op: repair.ReplaceRoute, RouteTable: str(t.RouteTableId), Dest: routeCIDR(r), TargetKind: repair.ToNAT, Target: repair.Var("NAT_ID")})
				}
			}
		}
	}
	return plan, true
}

// staleAssociation reports whether the address is associated with a
// network interface that no longer serves anything: one that is gone, or
// that belonged to a deleted NAT gateway. AWS frees the address with the
// NAT gateway; moto keeps the association, and disassociating it is safe.
func staleAssociation(e *Env, a ec2types.Address) bool {
	eni := str(a.NetworkInterfaceId)
	if eni == "" || str(a.InstanceId) != "" {
		return false
	}
	for _, n := range e.Snap.NATGateways {
		for _, na := range n.NatGatewayAddresses {
			if str(na.NetworkInterfaceId) == eni {
				return n.State == ec2types.NatGatewayStateDeleted || n.State == ec2types.NatGatewayStateDeleting
			}
		}
	}
	_, ok := e.Snap.NetworkInterface(eni)
	return !ok
}

func natPublicIP(n ec2types.NatGateway) (ip, alloc string) {
	for _, a := range n.NatGatewayAddresses {
		if str(a.PublicIp) != "" {
			return str(a.PublicIp), str(a.AllocationId)
		}
	}
	return "", ""
}

func natAZs(n ec2types.NatGateway) string {
	seen := map[string]bool{}
	var azs []string
	for _, a := range n.NatGatewayAddresses {
		if az := str(a.AvailabilityZone); az != "" && !seen[az] {
			seen[az] = true
			azs = append(azs, az)
		}
	}
	if len(azs) == 0 {
		return "-"
	}
	return strings.Join(azs, ", ")
}

func eipNamed(e *Env, alloc, name string) bool {
	for _, a := range e.Snap.Addresses {
		if str(a.AllocationId) == alloc {
			return e.Snap.Named(account.Addresses, alloc, name, a.Tags)
		}
	}
	return false
}

// wrongTable: a route check naming the subnet's own table (route_table)
// fails while the subnet is not explicitly on it, with the association
// as the first plan.
func (e *Env) wrongTable(p Params, sn ec2types.Subnet, rt ec2types.RouteTable, explicit bool) (Result, bool) {
	own := p.Str("route_table", "")
	id, vpcID, rtID := str(sn.SubnetId), str(sn.VpcId), str(rt.RouteTableId)
	if own == "" || explicit && e.Snap.Named(account.RouteTables, rtID, own, rt.Tags) {
		return Result{}, false
	}
	got := rtID // the main table's when not explicit: the message says so
	if got == "" {
		got = "-"
	}
	r := fail("WRONG_ROUTE_TABLE", "CheckSubnetRouteTable", i18n.M{"ID": id, "Want": own, "Got": got, "Main": !explicit}, "", id)
	if t, ok := e.tableByName(own, vpcID); ok {
		r = r.propose(repair.New(e.moveTo(id, str(t.RouteTableId))))
	}
	return r, true
}

func evalRoute(e *Env, p Params) Result {
	sn, r := findSubnet(e, p.Str("subnet", ""), p.Str("vpc", ""))
	if r != nil {
		return *r
	}
	id, vpcID := str(sn.SubnetId), str(sn.VpcId)
	dest := p.Str("destination", "0.0.0.0/0")
	prefix, err := netip.ParsePrefix(dest)
	if err != nil {
		return Result{Status: Error, Reason: "BAD_PARAMETER", Message: i18n.Msg{ID: "CheckBadParam", Data: i18n.M{"Param": "destination", "Value": dest}}}
	}
	rt, explicit, ok := e.Snap.RouteTableFor(id, vpcID)
	if !ok {
		return fail("NO_ROUTE_TO_DESTINATION", "CheckRouteNoTable", i18n.M{"ID": id}, "", id)
	}
	d := defaultRoute{table: rt, explicit: explicit}
	// The route for exactly this destination: a default route is what the
	// lab asks for, not whatever more specific route happens to match.
	for _, x := range rt.Routes {
		if c := routeCIDR(x); c == prefix.String() || (c == dest) {
			d.route, d.has = x, true
		}
	}
	rtID := str(rt.RouteTableId)
	want := p.Str("target", "")
	wantName := p.Str("target_name", "")
	if want == "none" {
		if r, wrong := e.wrongTable(p, sn, rt, explicit); wrong {
			return r
		}
		if d.has {
			return fail("UNEXPECTED_ROUTE", "CheckRouteUnexpected", i18n.M{"Table": rtID, "Dest": dest, "Target": target(d.route)}, "", rtID).
				propose(e.unroutePlans(sn, dest)...)
		}
		return pass("CheckRouteNonePass", i18n.M{"Table": rtID, "Dest": dest}, rtID)
	}
	// The plans that point the route at the right target; without a
	// target to offer, the result explains which step makes one.
	kind := map[string]string{"nat-gateway": repair.ToNAT, "internet-gateway": repair.ToIGW, "egress-only-internet-gateway": repair.ToEIGW}[want]
	plans := func(r Result) Result {
		switch want {
		case "nat-gateway":
			nat, ok := e.natFor(sn, wantName)
			if !ok {
				return e.noNAT(r, wantName)
			}
			return r.propose(e.routePlans(sn, dest, kind, nat)...)
		case "internet-gateway":
			var routeIGW string
			if d.has {
				routeIGW = str(d.route.GatewayId)
			}
			pre, igw := e.igwPlan(vpcID, routeIGW)
			return r.propose(e.routePlans(sn, dest, kind, igw, pre...)...)
		case "egress-only-internet-gateway":
			if eigw, ok := eigwOf(e, vpcID); ok {
				return r.propose(e.routePlans(sn, dest, kind, eigw)...)
			}
		}
		return r
	}
	if r, wrong := e.wrongTable(p, sn, rt, explicit); wrong {
		// The association alone when the lab's table is right; else the
		// route plans, which move the subnet to that table and set its
		// route there (ownTableName reads route_table).
		return plans(r)
	}
	if !d.has {
		return plans(fail("NO_ROUTE_TO_DESTINATION", "CheckRouteMissing", i18n.M{"ID": id, "Table": tableLabel(d), "Dest": dest, "Want": res(targetMsg(want))}, "", id, rtID))
	}

	got := target(d.route)
	// A route with no target at all only comes from a target that vanished
	// (moto stores a route to an unknown NAT id that way): a blackhole.
	if d.route.State == ec2types.RouteStateBlackhole || got == "-" {
		return plans(fail("BAD_STATE_ROUTE", "CheckRouteBlackhole", i18n.M{"Table": rtID, "Dest": dest, "Target": got}, "", rtID, got))
	}
	switch want {
	case "nat-gateway":
		natID := str(d.route.NatGatewayId)
		if natID == "" {
			return plans(fail("WRONG_TARGET", "CheckRouteWrongTarget", i18n.M{"Table": rtID, "Dest": dest, "Target": got, "Want": res(targetMsg(want))}, "", rtID))
		}
		n, ok := e.Snap.NATGateway(natID)
		if !ok || n.State == ec2types.NatGatewayStateDeleted || n.State == ec2types.NatGatewayStateDeleting || n.State == ec2types.NatGatewayStateFailed {
			return plans(fail("BAD_STATE_ROUTE", "CheckRouteNATGone", i18n.M{"Table": rtID, "Target": natID}, "", rtID, natID))
		}
		if wantName != "" && !e.Snap.Named(account.NATGateways, natID, wantName, n.Tags) {
			return plans(fail("WRONG_TARGET", "CheckRouteWrongNAT", i18n.M{"Table": rtID, "Target": natID, "Want": wantName}, "", rtID, natID))
		}
		if r := natAZWarning(e, sn, n, rtID); r != nil {
			// A NAT gateway of the subnet's own AZ, when the lab has one.
			if same, ok := e.natFor(sn, wantName); ok && same != natID {
				return r.propose(e.routePlans(sn, dest, kind, same)...)
			}
			return *r
		}
	case "internet-gateway":
		if !strings.HasPrefix(str(d.route.GatewayId), "igw-") {
			return plans(fail("WRONG_TARGET", "CheckRouteWrongTarget", i18n.M{"Table": rtID, "Dest": dest, "Target": got, "Want": res(targetMsg(want))}, "", rtID))
		}
		if !toAttachedIGW(e, d.route, vpcID) {
			// A VPC takes one internet gateway: route to the attached one if
			// there is one, else attach the one the route names.
			r := fail("BAD_STATE_ATTACHMENT", "CheckRouteIGWDetached", i18n.M{"Table": rtID, "Target": got, "VPC": vpcID}, "", rtID, got)
			pre, igw := e.igwPlan(vpcID, got)
			if igw == got {
				return r.propose(repair.New(pre...))
			}
			return plans(r)
		}
		if wantName != "" {
			if g, ok := e.Snap.InternetGateway(got); ok && !e.Snap.Named(account.InternetGateways, got, wantName, g.Tags) {
				return fail("WRONG_TARGET", "CheckRouteWrongIGW", i18n.M{"Table": rtID, "Target": got, "Want": wantName}, "", rtID, got)
			}
		}
	case "egress-only-internet-gateway":
		eigw := str(d.route.EgressOnlyInternetGatewayId)
		if eigw == "" {
			return plans(fail("WRONG_TARGET", "CheckRouteWrongTarget", i18n.M{"Table": rtID, "Dest": dest, "Target": got, "Want": res(targetMsg(want))}, "", rtID))
		}
	}
	return pass("CheckRoutePass", i18n.M{"ID": id, "Table": rtID, "Dest": dest, "Target": got}, id, rtID, got)
}

// natAZWarning flags a subnet whose NAT gateway is in another Availability
// Zone: it works, but that AZ's outage cuts this subnet off too, and the
// traffic pays cross-AZ data charges.
func natAZWarning(e *Env, sn ec2types.Subnet, n ec2types.NatGateway, rtID string) *Result {
	if n.AvailabilityMode == "regional" {
		return nil
	}
	natSubnet, ok := e.Snap.Subnet(str(n.SubnetId))
	if !ok || str(natSubnet.AvailabilityZone) == str(sn.AvailabilityZone) {
		return nil
	}
	r := warn("NGW_CROSS_AZ", "CheckRouteNATOtherAZ", i18n.M{"ID": str(sn.SubnetId), "AZ": str(sn.AvailabilityZone),
		"NAT": str(n.NatGatewayId), "NATAZ": str(natSubnet.AvailabilityZone)}, "", str(sn.SubnetId), rtID, str(n.NatGatewayId))
	return &r
}

func destFlag(dest string) string {
	if strings.Contains(dest, ":") {
		return "--destination-ipv6-cidr-block " + dest
	}
	return "--destination-cidr-block " + dest
}

func targetMsg(t string) string {
	switch t {
	case "nat-gateway":
		return "ResNAT"
	case "internet-gateway":
		return "ResIGW"
	case "egress-only-internet-gateway":
		return "ResEIGW"
	}
	return "ResNone"
}

// eigwOf is the egress-only internet gateway attached to vpcID.
func eigwOf(e *Env, vpcID string) (string, bool) {
	for _, g := range e.Snap.EgressOnlyGateways {
		for _, a := range g.Attachments {
			if str(a.VpcId) == vpcID {
				return str(g.EgressOnlyInternetGatewayId), true
			}
		}
	}
	return "", false
}
