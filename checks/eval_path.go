package checks

import (
	"net/netip"
	"slices"
	"sort"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/egress"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/i18n"
)

// whyMsg explains each reason code in the learner's language; the block's
// Detail fills the message.
var whyMsg = map[egress.Code]string{
	egress.NoRouteToDestination:    "PathWhyNoRoute",
	egress.BadState:                "PathWhyBadState",
	egress.BadStateRoute:           "PathWhyBadStateRoute",
	egress.BadStateAttachment:      "PathWhyBadStateAttachment",
	egress.IGWPublicIPForEgress:    "PathWhyIGWPublicIP",
	egress.SubnetACLRestriction:    "PathWhyACL",
	egress.ENISGRulesMismatch:      "PathWhySG",
	egress.SGHasNoRules:            "PathWhySGNoRules",
	egress.RegionalNGWAZ:           "PathWhyRegionalAZ",
	egress.CannotRoute:             "PathWhyCannotRoute",
	egress.NGWPrivateConnectivity:  "PathWhyNATPrivate",
	egress.NGWInPrivateSubnet:      "PathWhyNATPrivateSubnet",
	egress.NGWNoPublicIP:           "PathWhyNATNoIP",
	egress.VPCEPrivateDNSDisabled:  "PathWhyPrivateDNS",
	egress.VPCDNSAttributeDisabled: "PathWhyVPCDNS",
	egress.VPCESGRulesMismatch:     "PathWhyEndpointSG",
	egress.VPCENotInAZ:             "PathWhyNotInAZ",
	egress.VPCEGatewayRouteMissing: "PathWhyGatewayRoute",
	egress.NotFound:                "PathWhyNotFound",
}

// via names a path's exit hop in the learner's language.
func via(kind string) i18n.Msg {
	id := map[string]string{
		"nat-gateway": "ResNAT", "internet-gateway": "ResIGW", "egress-only-internet-gateway": "ResEIGW",
		"gateway-endpoint": "ResGatewayEndpoint", "interface-endpoint": "ResInterfaceEndpoint",
	}[kind]
	if id == "" {
		id = "ResNone"
	}
	return i18n.Msg{ID: id}
}

var destMsg = map[egress.Dest]string{
	egress.Internet: "DestInternet", egress.IPv6Internet: "DestIPv6", egress.S3: "DestS3", egress.ECR: "DestECR", egress.Logs: "DestLogs",
}

// why renders a block as a message value.
func why(b *egress.Block) i18n.Msg {
	data := i18n.M{"Component": b.Component}
	for k, v := range b.Detail {
		data[k] = v
	}
	for _, k := range []string{"cidr", "target", "state", "direction", "ports", "groups", "port", "az", "subnet", "route_table", "attribute", "internet_gateway"} {
		if _, ok := data[k]; !ok {
			data[k] = "-"
		}
	}
	id := whyMsg[b.Code]
	if b.Code == egress.NoRouteToDestination && b.Detail["reason"] == "no IPv6 CIDR" {
		id = "PathWhyNoIPv6"
	}
	if id == "" {
		id = "PathWhyOther"
		data["Code"] = string(b.Code)
	}
	return i18n.Msg{ID: id, Data: data}
}

func evalNACL(e *Env, p Params) Result {
	sn, r := findSubnet(e, p.Str("subnet", ""), p.Str("vpc", ""))
	if r != nil {
		return *r
	}
	id := str(sn.SubnetId)
	acl, _ := e.Snap.NetworkACLFor(id, str(sn.VpcId))
	aclID := str(acl.NetworkAclId)
	port := p.Int("port", 443)
	path := egress.Analyze(e.Snap, egress.Source{SubnetID: id}, egress.Internet, port)
	// Only this subnet's own ACL is this check's business; a blocked route
	// further on is another check's.
	for _, l := range path.Legs {
		if b := l.Block; b != nil && b.Code == egress.SubnetACLRestriction && b.Component == aclID {
			res := fail(string(b.Code), "CheckNACLBlocked", i18n.M{"ID": id, "ACL": aclID, "Why": why(b)}, "", id, aclID).propose(aclPlans(acl, b.Detail)...)
			res.Path = &path
			return res
		}
	}
	return pass("CheckNACLPass", i18n.M{"ID": id, "ACL": aclID, "Port": port}, id, aclID)
}

func evalSGEgress(e *Env, p Params) Result {
	sg, r := findGroup(e, p)
	if r != nil {
		return *r
	}
	id := str(sg.GroupId)
	port := p.Int("port", 443)
	if p.Str("to", "") == "vpc" {
		return sgEgressToVPC(e, sg, port)
	}
	dst := egress.Dest(p.Str("to", string(egress.Internet)))
	// The analyzer judges security groups first, on any subnet of the
	// group's VPC; later hops do not matter to this check.
	var subnetID string
	for _, s := range e.Snap.Subnets {
		if str(s.VpcId) == str(sg.VpcId) {
			subnetID = str(s.SubnetId)
			break
		}
	}
	if subnetID == "" {
		return Result{Status: Error, Reason: "NO_SUBNET", Message: i18n.Msg{ID: "CheckSGNoSubnet", Data: i18n.M{"ID": id}}, Resources: []string{id}}
	}
	path := egress.Analyze(e.Snap, egress.Source{SubnetID: subnetID, SecurityGroupIDs: []string{id}}, dst, port)
	for _, l := range path.Legs {
		if b := l.Block; b != nil && (b.Code == egress.ENISGRulesMismatch || b.Code == egress.SGHasNoRules) {
			r := fail(string(b.Code), "CheckSGBlocked", i18n.M{"ID": id, "Why": why(b)}, "", id)
			rule := egressRule(port, "0.0.0.0/0", "", "")
			var plans []*repair.Plan
			if dst == egress.S3 {
				if pl := b.Detail["prefix_list"]; pl != "" {
					plans = append(plans, repair.New(repair.Action{Op: repair.AuthorizeEgress, Group: id, Rule: egressRule(port, "", strings.Split(pl, ",")[0], "")}))
				}
			}
			plans = append(plans, repair.New(repair.Action{Op: repair.AuthorizeEgress, Group: id, Rule: rule}))
			return r.propose(plans...)
		}
	}
	return pass("CheckSGPass", i18n.M{"ID": id, "Port": port, "To": i18n.Msg{ID: destMsg[dst]}}, id)
}

// pathSource is one place traffic starts from.
type pathSource struct {
	src   egress.Source
	label string
}

func evalEgressPath(e *Env, p Params) Result {
	dst := egress.Dest(p.Str("to", ""))
	port := p.Int("port", 443)
	var sources []pathSource
	switch {
	case p.Has("service"):
		cluster, name := p.Str("cluster", ""), p.Str("service", "")
		svc, ok := e.Snap.Service(cluster, name)
		if !ok {
			return notFoundNamed(e, "ResService", name, "")
		}
		nc := svc.NetworkConfiguration
		if nc == nil || nc.AwsvpcConfiguration == nil {
			return fail("NO_AWSVPC", "CheckServiceNoNetwork", i18n.M{"Name": name}, "", str(svc.ServiceArn))
		}
		pub := egress.PublicIPNo
		if nc.AwsvpcConfiguration.AssignPublicIp == ecstypes.AssignPublicIpEnabled {
			pub = egress.PublicIPYes
		}
		for _, s := range nc.AwsvpcConfiguration.Subnets {
			sgs := nc.AwsvpcConfiguration.SecurityGroups
			if sgs == nil {
				sgs = []string{}
			}
			sources = append(sources, pathSource{egress.Source{SubnetID: s, SecurityGroupIDs: sgs, PublicIP: pub}, s})
		}
	case p.Has("from"):
		sn, r := findSubnet(e, p.Str("from", ""), p.Str("vpc", ""))
		if r != nil {
			return *r
		}
		src := egress.Source{SubnetID: str(sn.SubnetId)}
		if p.Has("group") {
			sg, r := findGroup(e, p)
			if r != nil {
				return *r
			}
			src.SecurityGroupIDs = []string{str(sg.GroupId)}
		}
		sources = append(sources, pathSource{src, str(sn.SubnetId)})
	default:
		return Result{Status: Error, Reason: "BAD_PARAMETER", Message: i18n.Msg{ID: "CheckPathNoSource"}}
	}
	to := i18n.Msg{ID: destMsg[dst]}
	wantReach := p.Bool("reachable", true)
	wantVia := p.Str("via", "")
	var warning *Result
	var last egress.Path
	for _, s := range sources {
		path := egress.Analyze(e.Snap, s.src, dst, port)
		last = path
		b := path.Block()
		switch {
		case !wantReach && b == nil:
			r := fail("PATH_NOT_BLOCKED", "CheckPathNotBlocked", i18n.M{"From": s.label, "To": to, "Via": via(path.Via()), "Hops": hopList(path)}, "", hopIDs(path)...)
			r.Path = &path
			return r
		case !wantReach:
			continue
		case b != nil:
			r := fail(string(b.Code), "CheckPathBlocked", i18n.M{"From": s.label, "To": to, "Component": b.Component, "Why": why(b)},
				"", append([]string{s.label}, b.Component)...)
			r = e.pathPlans(r, s.src, b, dst, wantVia, port)
			r.Path = &path
			return r
		case wantVia == "nat-gateway" && path.Via() == "nat-gateway" && e.wantsRegional() && !viaRegional(path):
			// The step is about the regional NAT gateway: a zonal one that
			// happens to carry the traffic does not pass it.
			r := fail("NGW_MODE_MISMATCH", "RepairPathNotRegional", i18n.M{"From": s.label, "To": to, "Hops": hopList(path)}, "", hopIDs(path)...)
			if sn, ok := e.Snap.Subnet(s.src.SubnetID); ok {
				if nat, ok := e.regionalNAT(str(sn.VpcId)); ok {
					r = r.propose(e.routePlans(sn, "0.0.0.0/0", repair.ToNAT, nat)...)
				} else {
					r = e.doStepFirst(r, orPlaceholder(e.regionalStep(), "-"))
				}
			}
			r.Path = &path
			return r
		case wantVia != "" && path.Via() != wantVia:
			r := fail("UNEXPECTED_HOP", "CheckPathWrongVia", i18n.M{"From": s.label, "To": to, "Via": via(path.Via()), "Want": via(wantVia), "Hops": hopList(path)}, "", hopIDs(path)...)
			r.Path = &path
			return r
		case len(path.Warnings) > 0 && warning == nil:
			w := path.Warnings[0]
			r := warn(string(w.Code), "CheckPathWarn", i18n.M{"From": s.label, "To": to, "Why": why(&w)}, "", hopIDs(path)...)
			r.Path = &path
			warning = &r
		}
	}
	if warning != nil {
		return *warning
	}
	if !wantReach {
		r := pass("CheckPathBlockedPass", i18n.M{"From": sourcesLabel(sources), "To": to})
		r.Path = &last
		return r
	}
	r := pass("CheckPathPass", i18n.M{"From": sourcesLabel(sources), "To": to, "Via": via(last.Via()), "Hops": hopList(last)}, hopIDs(last)...)
	r.Path = &last
	return r
}

func sourcesLabel(ss []pathSource) string {
	var out []string
	for _, s := range ss {
		out = append(out, s.label)
	}
	return strings.Join(out, ", ")
}

// hopList is the path as a learner reads it: subnet → rtb → nat → igw →
// the internet (the destination in words).
func hopList(p egress.Path) i18n.Joined {
	var out []any
	for i, l := range p.Legs {
		if i > 0 {
			out = append(out, "; ")
		}
		if len(p.Legs) > 1 {
			out = append(out, l.Service+": ")
		}
		first := true
		for _, h := range l.Hops {
			if h.Kind == "security-group" || h.Kind == "network-acl" {
				continue // on every path; naming them makes the line unreadable
			}
			if !first {
				out = append(out, " → ")
			}
			first = false
			if id, ok := destMsg[egress.Dest(h.ID)]; ok && h.Kind == "destination" {
				out = append(out, i18n.Msg{ID: id})
			} else {
				out = append(out, h.ID)
			}
		}
	}
	return i18n.Joined{Parts: out}
}

func hopIDs(p egress.Path) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range p.Legs {
		for _, h := range l.Hops {
			if h.Kind != "destination" && h.ID != "" && !seen[h.ID] {
				seen[h.ID] = true
				out = append(out, h.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// wantsRegional: the block's step also checks a regional NAT gateway, so
// the step is about regional egress.
func (e *Env) wantsRegional() bool {
	return e.regionalStep() != "" && e.Block != nil && e.Block.Step != nil && e.Block.Step.ID == e.regionalStep()
}

func (e *Env) regionalStep() string {
	for _, b := range e.Lab {
		if b.Kind == "nat-gateway" && b.Params != nil && NewParams(b.Params).Str("mode", "") == "regional" && b.Step != nil {
			return b.Step.ID
		}
	}
	return ""
}

// regionalNAT is the lab's available regional NAT gateway in the VPC.
func (e *Env) regionalNAT(vpcID string) (string, bool) {
	for _, b := range e.Lab {
		if b.Kind != "nat-gateway" || b.Params == nil || NewParams(b.Params).Str("mode", "") != "regional" {
			continue
		}
		for _, n := range e.Snap.NATGatewaysByName(NewParams(b.Params).Str("name", "")) {
			if str(n.VpcId) == vpcID && n.State == ec2types.NatGatewayStateAvailable && n.AvailabilityMode == ec2types.AvailabilityModeRegional {
				return str(n.NatGatewayId), true
			}
		}
	}
	return "", false
}

func viaRegional(p egress.Path) bool {
	for _, l := range p.Legs {
		for _, h := range l.Hops {
			if h.Kind == "nat-gateway" && h.Note == "regional" {
				return true
			}
		}
	}
	return false
}

// pathPlans proposes the plans that clear the component blocking a path.
func (e *Env) pathPlans(r Result, src egress.Source, b *egress.Block, dst egress.Dest, via string, port int) Result {
	sn, ok := e.Snap.Subnet(src.SubnetID)
	if !ok {
		return r
	}
	vpcID := str(sn.VpcId)
	exit := func() Result {
		// Back to the exit the check asks for: an internet gateway for a
		// public path, else the subnet's NAT gateway.
		if via == "internet-gateway" {
			routeIGW := b.Detail["target"]
			pre, igw := e.igwPlan(vpcID, routeIGW)
			return r.propose(e.routePlans(sn, "0.0.0.0/0", repair.ToIGW, igw, pre...)...)
		}
		if via != "" && via != "nat-gateway" || dst == egress.IPv6Internet {
			return r
		}
		nat, ok := e.natFor(sn, "")
		if !ok {
			return e.noNAT(r, "")
		}
		return r.propose(e.routePlans(sn, "0.0.0.0/0", repair.ToNAT, nat)...)
	}
	switch b.Code {
	case egress.NoRouteToDestination, egress.BadStateRoute, egress.CannotRoute:
		if b.Detail["reason"] == "no IPv6 CIDR" {
			return r
		}
		return exit()
	case egress.BadStateAttachment:
		if strings.HasPrefix(b.Component, "igw-") || strings.HasPrefix(b.Component, "vpc-") {
			pre, _ := e.igwPlan(vpcID, b.Component)
			return r.propose(repair.New(pre...))
		}
	case egress.BadState:
		if n, ok := e.Snap.NATGateway(b.Component); ok && n.State == ec2types.NatGatewayStatePending {
			return r.explain("RepairNATWait", i18n.M{"ID": b.Component})
		}
		if strings.HasPrefix(b.Component, "nat-") {
			return exit()
		}
	case egress.SubnetACLRestriction:
		for _, a := range e.Snap.NetworkACLs {
			if str(a.NetworkAclId) == b.Component {
				return r.propose(aclPlans(a, b.Detail)...)
			}
		}
	case egress.ENISGRulesMismatch, egress.SGHasNoRules:
		if len(src.SecurityGroupIDs) == 0 || b.Detail["missing"] != "" {
			return r
		}
		g := src.SecurityGroupIDs[0]
		var plans []*repair.Plan
		if pl := b.Detail["prefix_list"]; pl != "" {
			plans = append(plans, repair.New(repair.Action{Op: repair.AuthorizeEgress, Group: g, Rule: egressRule(port, "", strings.Split(pl, ",")[0], "")}))
		}
		cidr := b.Detail["cidr"]
		if cidr == "" || cidr == "-" {
			cidr = "0.0.0.0/0"
		}
		plans = append(plans, repair.New(repair.Action{Op: repair.AuthorizeEgress, Group: g, Rule: egressRule(port, cidr, "", "")}))
		return r.propose(plans...)
	case egress.VPCESGRulesMismatch:
		for _, ep := range e.Snap.VPCEndpoints {
			if str(ep.VpcEndpointId) != b.Component || len(ep.Groups) == 0 {
				continue
			}
			g := str(ep.Groups[0].GroupId)
			rule := &repair.Rule{Protocol: "tcp", From: port, To: port, CIDR: str(sn.CidrBlock)}
			if len(src.SecurityGroupIDs) > 0 {
				rule = &repair.Rule{Protocol: "tcp", From: port, To: port, Group: src.SecurityGroupIDs[0]}
			}
			return r.propose(repair.New(repair.Action{Op: repair.AuthorizeIngress, Group: g, Rule: rule}))
		}
	case egress.VPCEGatewayRouteMissing:
		t := b.Detail["route_table"]
		if t == "" {
			break
		}
		// A subnet left on the main table while the lab has a table of
		// its own for it: associate that table (and give it the endpoint),
		// rather than route the main table, which the lab keeps clear.
		if cur, explicit, ok := e.Snap.RouteTableFor(src.SubnetID, vpcID); ok && str(cur.RouteTableId) == t && (!explicit || isMainTable(cur)) {
			if own, found := e.tableByName(e.ownTableName(account.Name(sn.Tags)), vpcID); found && !isMainTable(own) {
				p := repair.New(e.moveTo(src.SubnetID, str(own.RouteTableId)))
				if !e.endpointRoutes(b.Component, str(own.RouteTableId)) {
					p.Add(repair.Action{Op: repair.ModifyVPCEndpoint, Endpoint: b.Component, RouteTables: []string{str(own.RouteTableId)}})
				}
				return r.propose(p)
			}
		}
		return r.propose(repair.New(repair.Action{Op: repair.ModifyVPCEndpoint, Endpoint: b.Component, RouteTables: []string{t}}))
	case egress.VPCEPrivateDNSDisabled:
		return r.propose(repair.New(repair.Action{Op: repair.ModifyVPCEndpoint, Endpoint: b.Component, PrivateDNS: true}))
	case egress.VPCDNSAttributeDisabled:
		return r.propose(repair.New(repair.Action{Op: repair.ModifyVPCAttribute, VPC: b.Component, Attr: b.Detail["attribute"], Value: true}))
	case egress.NGWInPrivateSubnet:
		// The NAT gateway's subnet lost its way out: route it back to the
		// internet gateway.
		if ns, ok := e.Snap.Subnet(b.Detail["subnet"]); ok {
			pre, igw := e.igwPlan(vpcID, b.Detail["target"])
			return r.propose(e.routePlans(ns, "0.0.0.0/0", repair.ToIGW, igw, pre...)...)
		}
	}
	return r
}

var _ = account.Name

// sgEgressToVPC judges a group whose traffic stays in its VPC (a load
// balancer's, toward its targets): some outbound rule must allow the TCP
// port to an address range that overlaps the VPC's, or to a security
// group. The fix opens the port to the VPC's CIDR only.
func sgEgressToVPC(e *Env, sg ec2types.SecurityGroup, port int) Result {
	id := str(sg.GroupId)
	v, ok := e.Snap.VPC(str(sg.VpcId))
	if !ok {
		return notFound(e, "ResVPC", str(sg.VpcId), "")
	}
	cidr := str(v.CidrBlock)
	if egressReaches([]ec2types.SecurityGroup{sg}, port, cidr, "") {
		return pass("CheckSGVPCPass", i18n.M{"ID": id, "Port": port, "CIDR": cidr}, id)
	}
	return fail("SG_EGRESS_BLOCKED", "CheckSGVPCBlocked", i18n.M{"ID": id, "Port": port, "CIDR": cidr}, "", id).
		propose(repair.New(repair.Action{Op: repair.AuthorizeEgress, Group: id, Rule: egressRule(port, cidr, "", "")}))
}

// egressReaches reports whether one of the groups' outbound rules lets TCP
// port out toward cidr (a range that overlaps it) or, when group is set,
// toward that group; without group any group reference counts.
func egressReaches(groups []ec2types.SecurityGroup, port int, cidr, group string) bool {
	want, _ := netip.ParsePrefix(cidr)
	for _, g := range groups {
		for _, perm := range g.IpPermissionsEgress {
			if !permPort(perm, port) {
				continue
			}
			for _, r := range perm.IpRanges {
				if pf, err := netip.ParsePrefix(str(r.CidrIp)); err == nil && want.IsValid() && pf.Overlaps(want) {
					return true
				}
			}
			for _, pair := range perm.UserIdGroupPairs {
				if group == "" || str(pair.GroupId) == group {
					return true
				}
			}
		}
	}
	return false
}

// ingressFrom reports whether one of group's inbound rules admits TCP port
// from one of the peers.
func ingressFrom(g ec2types.SecurityGroup, port int, peers []string) bool {
	for _, perm := range g.IpPermissions {
		if !permPort(perm, port) {
			continue
		}
		for _, pair := range perm.UserIdGroupPairs {
			if slices.Contains(peers, str(pair.GroupId)) {
				return true
			}
		}
	}
	return false
}

// permPort reports whether a rule covers TCP port.
func permPort(p ec2types.IpPermission, port int) bool {
	switch strings.ToLower(str(p.IpProtocol)) {
	case "-1", "all":
		return true
	case "tcp", "6":
		return p.FromPort != nil && p.ToPort != nil && int(*p.FromPort) <= port && port <= int(*p.ToPort)
	}
	return false
}

// evalLBSecurity judges a load balancer's security groups: it carries the
// lab's group (not the VPC's default one in its place), the groups let it
// open the target port toward its targets (their group, else the VPC),
// and the targets' group admits the port from one of them.
func evalLBSecurity(e *Env, p Params) Result {
	name := p.Str("name", "")
	lb, ok := e.Snap.LoadBalancer(name)
	if !ok {
		r := notFoundNamed(e, "ResLB", name, "")
		if step := e.stepOf("load-balancer", "name", name); step != "" {
			r = e.doStepFirst(r, step)
		}
		return r
	}
	arn, vpcID := str(lb.LoadBalancerArn), str(lb.VpcId)
	port := p.Int("port", 80)
	var groups []ec2types.SecurityGroup
	for _, id := range lb.SecurityGroups {
		if g, ok := e.Snap.SecurityGroup(id); ok {
			groups = append(groups, g)
		}
	}
	// The group the lab gives the load balancer: it must carry it.
	var own ec2types.SecurityGroup
	if gname := p.Str("group", ""); gname != "" {
		g, ok := e.Snap.SecurityGroupByName(gname, vpcID)
		if !ok {
			r := notFound(e, "ResSG", gname, "")
			if step := e.stepOf("security-group-ingress", "group", gname); step != "" {
				r = e.doStepFirst(r, step)
			}
			return r
		}
		own = g
		if !slices.Contains(lb.SecurityGroups, str(g.GroupId)) {
			// Keep the load balancer's other groups, except the VPC's
			// default one, which the lab says to remove.
			want := []string{}
			for _, id := range lb.SecurityGroups {
				if x, ok := e.Snap.SecurityGroup(id); ok && str(x.GroupName) != "default" {
					want = append(want, id)
				}
			}
			want = append(want, str(g.GroupId))
			return fail("LB_GROUP_MISSING", "CheckLBGroupMissing", i18n.M{"Name": name, "Group": str(g.GroupId), "Has": strings.Join(lb.SecurityGroups, ", ")}, "", arn).
				propose(repair.New(repair.Action{Op: repair.SetLoadBalancerGroups, ARN: arn, LoadBalancer: name, Groups: want}))
		}
	} else {
		for _, g := range groups {
			if str(g.GroupName) != "default" {
				own = g
				break
			}
		}
	}
	// The targets' group, when the lab names it.
	var targets ec2types.SecurityGroup
	tname := p.Str("targets", "")
	if tname != "" {
		g, ok := e.Snap.SecurityGroupByName(tname, vpcID)
		if !ok {
			return notFound(e, "ResSG", tname, "")
		}
		targets = g
	}
	v, _ := e.Snap.VPC(vpcID)
	cidr := str(v.CidrBlock)
	if !egressReaches(groups, port, cidr, str(targets.GroupId)) {
		r := fail("LB_EGRESS_BLOCKED", "CheckLBEgressBlocked", i18n.M{"Name": name, "Port": port, "To": orPlaceholder(str(targets.GroupId), cidr)}, "", arn)
		if str(own.GroupId) == "" {
			return r
		}
		rule := egressRule(port, cidr, "", "")
		if tname != "" {
			rule = egressRule(port, "", "", str(targets.GroupId))
		}
		return r.propose(repair.New(repair.Action{Op: repair.AuthorizeEgress, Group: str(own.GroupId), Rule: rule}))
	}
	if tname != "" {
		var ids []string
		for _, g := range groups {
			ids = append(ids, str(g.GroupId))
		}
		if !ingressFrom(targets, port, ids) {
			r := fail("SG_SOURCE_MISSING", "CheckLBTargetsClosed", i18n.M{"Name": name, "Port": port, "Targets": str(targets.GroupId)}, "", arn, str(targets.GroupId))
			if str(own.GroupId) == "" {
				return r
			}
			return r.propose(repair.New(repair.Action{Op: repair.AuthorizeIngress, Group: str(targets.GroupId),
				Rule: &repair.Rule{Protocol: "tcp", From: port, To: port, Group: str(own.GroupId)}}))
		}
	}
	return pass("CheckLBSecurityPass", i18n.M{"Name": name, "Groups": strings.Join(lb.SecurityGroups, ", "), "Port": port,
		"To": orPlaceholder(str(targets.GroupId), cidr)}, arn)
}

// endpointRoutes reports whether gateway endpoint id is in table's routes.
func (e *Env) endpointRoutes(id, table string) bool {
	for _, ep := range e.Snap.VPCEndpoints {
		if str(ep.VpcEndpointId) == id {
			return slices.Contains(ep.RouteTableIds, table)
		}
	}
	return false
}
