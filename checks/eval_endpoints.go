package checks

import (
	"fmt"
	"net/netip"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/i18n"
)

func available(state ec2types.State) bool { return strings.EqualFold(string(state), "available") }

// deletedEndpointName is the Name tag of a deleted endpoint of the service
// in the VPC, so that the one created again carries the lab's name.
func deletedEndpointName(e *Env, vpcID, service string) string {
	for _, ep := range e.Snap.VPCEndpoints {
		if str(ep.VpcId) == vpcID && str(ep.ServiceName) == service && strings.EqualFold(string(ep.State), "deleted") {
			if n := account.Name(ep.Tags); n != "" {
				return n
			}
		}
	}
	return ""
}

func evalGatewayEndpoint(e *Env, p Params) Result {
	vpc, r := findVPC(e, p.Str("vpc", ""))
	if r != nil {
		return *r
	}
	vpcID := str(vpc.VpcId)
	service := p.Str("service", "s3")
	full := fmt.Sprintf("com.amazonaws.%s.%s", e.Region(), service)
	var ep *ec2types.VpcEndpoint
	for _, x := range e.Snap.EndpointsIn(vpcID, service) {
		// moto leaves VpcEndpointType out when it was not given; AWS's
		// default is Gateway.
		if x.VpcEndpointType == ec2types.VpcEndpointTypeGateway || x.VpcEndpointType == "" {
			ep = &x
			break
		}
	}
	tables := subnetTables(e, p.Strings("subnets"), vpcID)
	if ep == nil {
		r := fail("NOT_FOUND", "CheckGatewayEndpointMissing", i18n.M{"Service": service, "VPC": vpcID}, "", vpcID)
		if len(tables) > 0 {
			r = r.propose(repair.New(repair.Action{Op: repair.CreateVPCEndpoint, VPC: vpcID, EndpointType: "Gateway", Service: full, RouteTables: tables,
				Name: deletedEndpointName(e, vpcID, full)}))
		}
		return r
	}
	id := str(ep.VpcEndpointId)
	if !available(ep.State) {
		return fail("BAD_STATE", "CheckEndpointState", i18n.M{"ID": id, "State": string(ep.State)}, "", id)
	}
	var missing []string
	for _, t := range tables {
		if !contains(ep.RouteTableIds, t) {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		// Without the endpoint, S3 traffic takes the table's default
		// route (a NAT gateway, billed by the gigabyte) or, with none, no
		// way at all: say which.
		blocked := true
		for _, t := range missing {
			if rt, ok := e.Snap.RouteTable(t); ok {
				// A blackhole route (its NAT gateway deleted) is no way out.
				if r, ok := account.LongestMatch(rt, publicIPv4); ok && r.State != ec2types.RouteStateBlackhole {
					blocked = false
				}
			}
		}
		return fail("VPCE_GATEWAY_ROUTE_MISSING", "CheckGatewayEndpointTables", i18n.M{"ID": id, "Tables": strings.Join(missing, ", "), "Blocked": blocked}, "", id).
			propose(repair.New(repair.Action{Op: repair.ModifyVPCEndpoint, Endpoint: id, RouteTables: missing}))
	}
	return pass("CheckGatewayEndpointPass", i18n.M{"ID": id, "Service": service, "Tables": orPlaceholder(strings.Join(ep.RouteTableIds, ", "), "-")}, id)
}

// subnetTables are the effective route tables of the named subnets.
func subnetTables(e *Env, names []string, vpcID string) []string {
	var out []string
	for _, n := range names {
		sn, c := e.Snap.SubnetByName(n, vpcID)
		if c == 0 {
			continue
		}
		if rt, _, ok := e.Snap.RouteTableFor(str(sn.SubnetId), vpcID); ok && !contains(out, str(rt.RouteTableId)) {
			out = append(out, str(rt.RouteTableId))
		}
	}
	return out
}

func evalInterfaceEndpoint(e *Env, p Params) Result {
	vpc, r := findVPC(e, p.Str("vpc", ""))
	if r != nil {
		return *r
	}
	vpcID := str(vpc.VpcId)
	service := p.Str("service", "")
	full := fmt.Sprintf("com.amazonaws.%s.%s", e.Region(), service)
	var subnetIDs []string
	var wantSubnets []ec2types.Subnet
	for _, n := range p.Strings("subnets") {
		sn, r := findSubnet(e, n, p.Str("vpc", ""))
		if r != nil {
			return *r
		}
		wantSubnets = append(wantSubnets, sn)
		subnetIDs = append(subnetIDs, str(sn.SubnetId))
	}
	var ep *ec2types.VpcEndpoint
	for _, x := range e.Snap.EndpointsIn(vpcID, service) {
		if x.VpcEndpointType == ec2types.VpcEndpointTypeInterface {
			ep = &x
			break
		}
	}
	if ep == nil {
		r := fail("NOT_FOUND", "CheckInterfaceEndpointMissing", i18n.M{"Service": service, "VPC": vpcID}, "", vpcID)
		// The lab's endpoint security group: the one its other interface
		// endpoints use.
		if sg, ok := e.endpointGroup(vpcID); ok && len(subnetIDs) > 0 {
			r = r.propose(repair.New(repair.Action{Op: repair.CreateVPCEndpoint, VPC: vpcID, EndpointType: "Interface", Service: full,
				Subnets: subnetIDs, Groups: []string{sg}, PrivateDNS: p.Bool("private_dns", true), Name: deletedEndpointName(e, vpcID, full)}))
		}
		return r
	}
	id := str(ep.VpcEndpointId)
	if !available(ep.State) {
		return fail("BAD_STATE", "CheckEndpointState", i18n.M{"ID": id, "State": string(ep.State)}, "", id)
	}
	wantDNS := p.Bool("private_dns", true)
	if dns := ep.PrivateDnsEnabled != nil && *ep.PrivateDnsEnabled; wantDNS && !dns {
		return fail("VPCE_PRIVATE_DNS_DISABLED", "CheckEndpointPrivateDNS", i18n.M{"ID": id, "Service": service}, "", id).
			propose(repair.New(repair.Action{Op: repair.ModifyVPCEndpoint, Endpoint: id, PrivateDNS: true}))
	}
	if attrs, ok := e.Snap.VPCAttrs[vpcID]; ok && wantDNS && (!attrs.DNSSupport || !attrs.DNSHostnames) {
		flag, attr := "--enable-dns-hostnames", "enableDnsHostnames"
		if !attrs.DNSSupport {
			flag, attr = "--enable-dns-support", "enableDnsSupport"
		}
		_ = flag
		return fail("VPC_DNS_ATTRIBUTE_DISABLED", "CheckEndpointVPCDNS", i18n.M{"ID": id, "VPC": vpcID, "Attr": attr}, "", id, vpcID).
			propose(repair.New(repair.Action{Op: repair.ModifyVPCAttribute, VPC: vpcID, Attr: attr, Value: true}))
	}
	var missing []string
	for i, sn := range wantSubnets {
		if !contains(ep.SubnetIds, subnetIDs[i]) {
			missing = append(missing, fmt.Sprintf("%s (%s)", subnetIDs[i], str(sn.AvailabilityZone)))
		}
	}
	if len(missing) > 0 {
		var ids []string
		for _, m := range missing {
			ids = append(ids, strings.Fields(m)[0])
		}
		return fail("VPCE_SERVICE_NOT_INSTALLED_IN_AZ", "CheckEndpointSubnets", i18n.M{"ID": id, "Subnets": strings.Join(missing, ", ")}, "", id).
			propose(repair.New(repair.Action{Op: repair.ModifyVPCEndpoint, Endpoint: id, Subnets: ids}))
	}
	// The lab's own group for the endpoint: one given another group (the
	// tasks', say) is moved to it, rather than that group opened to 443.
	if want := p.Str("security_group", ""); want != "" {
		sg, ok := e.Snap.SecurityGroupByName(want, vpcID)
		if !ok {
			return notFound(e, "ResSG", want, "")
		}
		wantID := str(sg.GroupId)
		var others []string
		has := false
		for _, g := range ep.Groups {
			if str(g.GroupId) == wantID {
				has = true
			} else {
				others = append(others, str(g.GroupId))
			}
		}
		if !has {
			got := strings.Join(others, ", ")
			if got == "" {
				got = "-"
			}
			return fail("VPCE_WRONG_SG", "CheckEndpointWrongSG", i18n.M{"ID": id, "Want": want, "WantID": wantID, "Got": got}, "", append([]string{id, wantID}, others...)...).
				propose(repair.New(repair.Action{Op: repair.ModifyVPCEndpoint, Endpoint: id, Groups: []string{wantID}, RemoveGroups: others}))
		}
	}
	if from := p.Str("from", ""); from != "" {
		client, ok := e.Snap.SecurityGroupByName(from, vpcID)
		if !ok {
			return notFound(e, "ResSG", from, "").propose(repair.New(repair.Action{Op: repair.CreateSecurityGroup, VPC: vpcID, GroupName: from, Name: from, Var: "SG_ID"}))
		}
		if !endpointAdmits(e, *ep, client, vpc) {
			r := fail("VPCE_SG_RULES_MISMATCH", "CheckEndpointSG", i18n.M{"ID": id, "Group": "-", "From": str(client.GroupId)}, "", id, str(client.GroupId))
			if len(ep.Groups) > 0 {
				sg := str(ep.Groups[0].GroupId)
				r.Message.Data["Group"] = sg
				r.Resources = append(r.Resources, sg)
				r = r.propose(repair.New(repair.Action{Op: repair.AuthorizeIngress, Group: sg, Rule: &repair.Rule{Protocol: "tcp", From: 443, To: 443, Group: str(client.GroupId)}}))
			}
			return r
		}
		// The client's own egress must let 443 out to the endpoint: to one
		// of its groups, or an address range holding its interfaces.
		if !clientReaches(e, client, *ep) {
			r := fail("ENI_SG_RULES_MISMATCH", "RepairEndpointClientEgress", i18n.M{"ID": id, "From": str(client.GroupId)}, "", id, str(client.GroupId))
			var plans []*repair.Plan
			if len(ep.Groups) > 0 {
				plans = append(plans, repair.New(repair.Action{Op: repair.AuthorizeEgress, Group: str(client.GroupId), Rule: egressRule(443, "", "", str(ep.Groups[0].GroupId))}))
			}
			plans = append(plans, repair.New(repair.Action{Op: repair.AuthorizeEgress, Group: str(client.GroupId), Rule: egressRule(443, str(vpc.CidrBlock), "", "")}))
			return r.propose(plans...)
		}
	}
	return pass("CheckInterfaceEndpointPass", i18n.M{"ID": id, "Service": service, "Subnets": len(ep.SubnetIds)}, id)
}

// endpointAdmits reports whether one of the endpoint's security groups lets
// the client group in on 443, by reference or by a CIDR that covers the
// client's VPC.
func endpointAdmits(e *Env, ep ec2types.VpcEndpoint, client ec2types.SecurityGroup, vpc ec2types.Vpc) bool {
	vpcCIDR, _ := netip.ParsePrefix(str(vpc.CidrBlock))
	for _, g := range ep.Groups {
		sg, ok := e.Snap.SecurityGroup(str(g.GroupId))
		if !ok {
			continue
		}
		for _, perm := range sg.IpPermissions {
			if !permCovers(perm, 443) {
				continue
			}
			for _, pair := range perm.UserIdGroupPairs {
				if str(pair.GroupId) == str(client.GroupId) {
					return true
				}
			}
			for _, rng := range perm.IpRanges {
				if c, err := netip.ParsePrefix(str(rng.CidrIp)); err == nil && vpcCIDR.IsValid() && c.Bits() <= vpcCIDR.Bits() && c.Contains(vpcCIDR.Addr()) {
					return true
				}
			}
		}
	}
	return false
}

// endpointGroup is the security group the lab's interface endpoints in
// the VPC share, when they agree on one.
func (e *Env) endpointGroup(vpcID string) (string, bool) {
	found := ""
	for _, ep := range e.Snap.VPCEndpoints {
		if str(ep.VpcId) != vpcID || ep.VpcEndpointType != ec2types.VpcEndpointTypeInterface {
			continue
		}
		for _, g := range ep.Groups {
			if found != "" && found != str(g.GroupId) {
				return "", false
			}
			found = str(g.GroupId)
		}
	}
	if found != "" {
		return found, true
	}
	// The first endpoint: the one group of the VPC named for endpoints.
	var named []string
	for _, g := range e.Snap.SecurityGroups {
		n := strings.ToLower(account.Name(g.Tags) + " " + str(g.GroupName))
		if str(g.VpcId) == vpcID && (strings.Contains(n, "vpce") || strings.Contains(n, "endpoint")) {
			named = append(named, str(g.GroupId))
		}
	}
	if len(named) == 1 {
		return named[0], true
	}
	return "", false
}

// clientReaches reports whether the client group's egress rules let TCP
// 443 out to the endpoint: to one of its security groups, to a range
// covering every subnet it sits in, or to a prefix list (which only an
// AWS-managed list could match: taken as allowed).
func clientReaches(e *Env, client ec2types.SecurityGroup, ep ec2types.VpcEndpoint) bool {
	var cidrs []netip.Prefix
	for _, id := range ep.SubnetIds {
		if sn, ok := e.Snap.Subnet(id); ok {
			if c, err := netip.ParsePrefix(str(sn.CidrBlock)); err == nil {
				cidrs = append(cidrs, c)
			}
		}
	}
	for _, perm := range client.IpPermissionsEgress {
		if !permCovers(perm, 443) {
			continue
		}
		for _, pair := range perm.UserIdGroupPairs {
			for _, g := range ep.Groups {
				if str(pair.GroupId) == str(g.GroupId) {
					return true
				}
			}
		}
		for _, rng := range perm.IpRanges {
			c, err := netip.ParsePrefix(str(rng.CidrIp))
			if err != nil {
				continue
			}
			all := len(cidrs) > 0
			for _, x := range cidrs {
				all = all && c.Bits() <= x.Bits() && c.Contains(x.Addr())
			}
			if all {
				return true
			}
		}
	}
	return false
}

// permCovers reports whether a rule admits TCP on port.
func permCovers(perm ec2types.IpPermission, port int32) bool {
	proto := str(perm.IpProtocol)
	if proto == "-1" || proto == "all" {
		return true
	}
	if proto != "tcp" && proto != "6" {
		return false
	}
	from, to := int32(0), int32(65535)
	if perm.FromPort != nil {
		from = *perm.FromPort
	}
	if perm.ToPort != nil {
		to = *perm.ToPort
	}
	return from <= port && port <= to
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orPlaceholder(s, ph string) string {
	if s == "" {
		return ph
	}
	return s
}
