package checks

import (
	"fmt"
	"net/netip"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/i18n"
)

func evalVPC(e *Env, p Params) Result {
	name := p.Str("name", "")
	vpc, r := findVPC(e, name)
	if r != nil {
		return *r
	}
	id := str(vpc.VpcId)
	if want := p.Str("cidr", ""); want != "" && str(vpc.CidrBlock) != want {
		return fail("CIDR_MISMATCH", "CheckVPCCIDR", i18n.M{"ID": id, "Name": name, "Want": want, "Got": str(vpc.CidrBlock)},
			fmt.Sprintf("aws ec2 delete-vpc --vpc-id %s   # then create it again with --cidr-block %s", id, want), id)
	}
	attrs, known := e.Snap.VPCAttrs[id]
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
			return fail("VPC_DNS_ATTRIBUTE_DISABLED", "CheckVPCDNS", i18n.M{"ID": id, "Attr": a.attr, "Want": want},
				fmt.Sprintf(`aws ec2 modify-vpc-attribute --vpc-id %s %s '{"Value":%t}'`, id, a.flag, want), id)
		}
	}
	if _, n := e.Snap.VPCByName(name); n > 1 {
		return warn("AMBIGUOUS", "CheckAmbiguous", i18n.M{"Type": res("ResVPC"), "Name": name, "Count": n, "ID": id}, "", id)
	}
	return pass("CheckVPCPass", i18n.M{"ID": id, "CIDR": str(vpc.CidrBlock)}, id)
}

func evalSubnet(e *Env, p Params) Result {
	name := p.Str("name", "")
	sn, r := findSubnet(e, name, p.Str("vpc", ""))
	if r != nil {
		// The check knows the subnet's CIDR and AZ: put them in the fix.
		if cidr := p.Str("cidr", ""); cidr != "" {
			r.Fix = strings.Replace(r.Fix, "<CIDR>", cidr, 1)
		}
		if az := p.Str("az", ""); az != "" && strings.Contains(r.Fix, "create-subnet") {
			r.Fix = strings.Replace(r.Fix, " --tag-specifications", " --availability-zone "+az+" --tag-specifications", 1)
		}
		return *r
	}
	id, vpcID := str(sn.SubnetId), str(sn.VpcId)
	if want := p.Str("cidr", ""); want != "" && str(sn.CidrBlock) != want {
		return fail("CIDR_MISMATCH", "CheckSubnetCIDR", i18n.M{"ID": id, "Want": want, "Got": str(sn.CidrBlock)},
			fmt.Sprintf("aws ec2 delete-subnet --subnet-id %s   # then create it again with --cidr-block %s", id, want), id)
	}
	if want := p.Str("az", ""); want != "" && str(sn.AvailabilityZone) != want {
		return fail("AZ_MISMATCH", "CheckSubnetAZ", i18n.M{"ID": id, "Want": want, "Got": str(sn.AvailabilityZone)},
			fmt.Sprintf("aws ec2 delete-subnet --subnet-id %s   # then create it again with --availability-zone %s", id, want), id)
	}
	d := routeOf(e, sn, publicIPv4)
	rt := str(d.table.RouteTableId)
	if want := p.Str("route_table", ""); want != "" && (!d.explicit || account.Name(d.table.Tags) != want) {
		got := "-"
		if d.explicit {
			got = rt
		}
		return fail("WRONG_ROUTE_TABLE", "CheckSubnetRouteTable", i18n.M{"ID": id, "Want": want, "Got": got},
			fmt.Sprintf("aws ec2 associate-route-table --subnet-id %s --route-table-id $(aws ec2 describe-route-tables --filters Name=tag:Name,Values=%s --query 'RouteTables[0].RouteTableId' --output text)", id, want), id)
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
		fix := fmt.Sprintf("aws ec2 delete-route --route-table-id %s %s", rt, destFlag(routeCIDR(d.route)))
		if !d.explicit {
			// The main table serves every subnet without its own: give this
			// one a private table instead of changing them all.
			fix = fmt.Sprintf("RTB_ID=$(aws ec2 create-route-table --vpc-id %s --query RouteTable.RouteTableId --output text)\n"+
				"aws ec2 associate-route-table --route-table-id \"$RTB_ID\" --subnet-id %s", vpcID, id)
		}
		return fail("SUBNET_IS_PUBLIC", "CheckSubnetIsPublic", i18n.M{"ID": id, "Table": rt, "IGW": str(d.route.GatewayId)}, fix, id, rt)
	}
	// Wanted public, is not: say why, most specific cause first.
	igw, hasIGW := e.Snap.AttachedInternetGateway(vpcID)
	igwRef := str(igw.InternetGatewayId)
	if !hasIGW {
		igwRef = "<IGW_ID>"
	}
	// A subnet on the main table gets a table of its own (routeFix); one
	// with its own table gets the route added or replaced there.
	setRoute := routeFix(d, sn, "--gateway-id "+igwRef)
	if d.explicit && d.has {
		setRoute = fmt.Sprintf("aws ec2 replace-route --route-table-id %s --destination-cidr-block %s --gateway-id %s", rt, routeCIDR(d.route), igwRef)
	}
	switch {
	case !hasIGW:
		// Reattach the gateway the route already names, if it still exists.
		attach := fmt.Sprintf("IGW_ID=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)\naws ec2 attach-internet-gateway --internet-gateway-id \"$IGW_ID\" --vpc-id %s", vpcID)
		if g, ok := e.Snap.InternetGateway(str(d.route.GatewayId)); ok && len(g.Attachments) == 0 {
			attach = fmt.Sprintf("IGW_ID=%s\naws ec2 attach-internet-gateway --internet-gateway-id \"$IGW_ID\" --vpc-id %s", str(g.InternetGatewayId), vpcID)
		}
		fix := attach
		if !(d.has && strings.HasPrefix(str(d.route.GatewayId), "igw-") && strings.Contains(attach, str(d.route.GatewayId))) {
			fix += "\n" + strings.ReplaceAll(setRoute, "<IGW_ID>", `"$IGW_ID"`)
		}
		return fail("BAD_STATE_ATTACHMENT", "CheckSubnetNoIGW", i18n.M{"ID": id, "VPC": vpcID}, fix, id, vpcID)
	case !d.has:
		return fail("NO_ROUTE_TO_DESTINATION", "CheckSubnetNoDefaultRoute", i18n.M{"ID": id, "Table": tableLabel(d)}, setRoute, id, rt)
	case d.route.State == ec2types.RouteStateBlackhole || strings.HasPrefix(str(d.route.GatewayId), "igw-"):
		return fail("BAD_STATE_ROUTE", "CheckSubnetRouteBroken", i18n.M{"ID": id, "Table": rt, "Target": target(d.route)}, setRoute, id, rt)
	default:
		return fail("ROUTE_NOT_TO_IGW", "CheckSubnetRouteElsewhere", i18n.M{"ID": id, "Table": rt, "Target": target(d.route)}, setRoute, id, rt)
	}
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

// routeFix adds a default route to a subnet. When the subnet uses the VPC's
// main table, adding a route there would change every other subnet too,
// so the fix gives the subnet a table of its own first.
func routeFix(d defaultRoute, sn ec2types.Subnet, targetArg string) string {
	if d.explicit {
		return fmt.Sprintf("aws ec2 create-route --route-table-id %s --destination-cidr-block 0.0.0.0/0 %s", str(d.table.RouteTableId), targetArg)
	}
	return fmt.Sprintf("RTB_ID=$(aws ec2 create-route-table --vpc-id %s --query RouteTable.RouteTableId --output text)\n"+
		"aws ec2 associate-route-table --route-table-id \"$RTB_ID\" --subnet-id %s\n"+
		"aws ec2 create-route --route-table-id \"$RTB_ID\" --destination-cidr-block 0.0.0.0/0 %s", str(sn.VpcId), str(sn.SubnetId), targetArg)
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
		for _, g := range e.Snap.InternetGateways {
			if account.Name(g.Tags) != name {
				continue
			}
			id := str(g.InternetGatewayId)
			fix := fmt.Sprintf("aws ec2 attach-internet-gateway --internet-gateway-id %s --vpc-id %s", id, vpcID)
			if len(g.Attachments) > 0 {
				fix = fmt.Sprintf("aws ec2 detach-internet-gateway --internet-gateway-id %s --vpc-id %s\n%s", id, str(g.Attachments[0].VpcId), fix)
			}
			return fail("BAD_STATE_ATTACHMENT", "CheckIGWDetached", i18n.M{"ID": id, "VPC": vpcID}, fix, id, vpcID)
		}
	}
	tags := ""
	if name := p.Str("name", ""); name != "" {
		tags = fmt.Sprintf(" --tag-specifications 'ResourceType=internet-gateway,Tags=[{Key=Name,Value=%s}]'", name)
	}
	return fail("NOT_FOUND", "CheckIGWMissing", i18n.M{"VPC": vpcID},
		fmt.Sprintf("IGW_ID=$(aws ec2 create-internet-gateway%s --query InternetGateway.InternetGatewayId --output text)\naws ec2 attach-internet-gateway --internet-gateway-id \"$IGW_ID\" --vpc-id %s", tags, vpcID), vpcID)
}

func evalEIP(e *Env, p Params) Result {
	name := p.Str("name", "")
	var found []ec2types.Address
	for _, a := range e.Snap.Addresses {
		if account.Name(a.Tags) == name {
			found = append(found, a)
		}
	}
	if len(found) == 0 {
		return notFound(e, "ResEIP", name, fmt.Sprintf(
			"aws ec2 allocate-address --domain vpc --tag-specifications 'ResourceType=elastic-ip,Tags=[{Key=Name,Value=%s}]'", name))
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
		return fail("EIP_NOT_ASSOCIATED", "CheckEIPUnassociated", i18n.M{"ID": id, "IP": ip},
			fmt.Sprintf("aws ec2 associate-address --allocation-id %s --network-interface-id <ENI_ID>", id), id)
	case !want && assoc:
		return fail("EIP_ASSOCIATED", "CheckEIPAssociated", i18n.M{"ID": id, "IP": ip, "Target": eipTarget(a)},
			fmt.Sprintf("aws ec2 disassociate-address --association-id %s", str(a.AssociationId)), id)
	case assoc:
		return pass("CheckEIPPass", i18n.M{"ID": id, "IP": ip, "Target": eipTarget(a)}, id)
	}
	return pass("CheckEIPFreePass", i18n.M{"ID": id, "IP": ip}, id)
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
		subnet := "<PUBLIC_SUBNET_ID>"
		if s := p.Str("subnet", ""); s != "" {
			subnet = idOf("subnet", s)
		}
		alloc := ""
		if eip := p.Str("eip", ""); eip != "" {
			alloc = " --allocation-id " + idOf("eip", eip)
		}
		return notFound(e, "ResNAT", name, fmt.Sprintf(
			"aws ec2 create-nat-gateway --subnet-id %s%s --tag-specifications 'ResourceType=natgateway,Tags=[{Key=Name,Value=%s}]'", subnet, alloc, name))
	}
	n := nats[0]
	id := str(n.NatGatewayId)
	switch n.State {
	case ec2types.NatGatewayStateAvailable:
	case ec2types.NatGatewayStatePending:
		return fail("BAD_STATE", "CheckNATPending", i18n.M{"ID": id}, "", id)
	case ec2types.NatGatewayStateFailed:
		return fail("BAD_STATE", "CheckNATFailed", i18n.M{"ID": id, "Code": str(n.FailureCode), "Why": str(n.FailureMessage)},
			fmt.Sprintf("aws ec2 describe-nat-gateways --nat-gateway-ids %s --query 'NatGateways[0].FailureMessage'", id), id)
	default:
		return fail("BAD_STATE", "CheckNATDeleted", i18n.M{"ID": id, "State": string(n.State)}, "", id)
	}
	wantConn := p.Str("connectivity", "public")
	conn := string(n.ConnectivityType)
	if conn == "" {
		conn = "public" // the API's default; moto leaves the field out
	}
	if conn != wantConn {
		return fail("NGW_PRIVATE_CONNECTIVITY", "CheckNATConnectivity", i18n.M{"ID": id, "Want": wantConn, "Got": conn},
			fmt.Sprintf("aws ec2 delete-nat-gateway --nat-gateway-id %s   # then create it again with --connectivity-type %s", id, wantConn), id)
	}
	mode := string(n.AvailabilityMode)
	if mode == "" {
		mode = "zonal"
	}
	if want := p.Str("mode", ""); want != "" && want != mode {
		return fail("NGW_MODE_MISMATCH", "CheckNATMode", i18n.M{"ID": id, "Want": want, "Got": mode}, "", id)
	}
	if mode == "regional" {
		if _, ok := e.Snap.AttachedInternetGateway(str(n.VpcId)); !ok {
			return fail("BAD_STATE_ATTACHMENT", "CheckNATRegionalNoIGW", i18n.M{"ID": id, "VPC": str(n.VpcId)},
				fmt.Sprintf("IGW_ID=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)\naws ec2 attach-internet-gateway --internet-gateway-id \"$IGW_ID\" --vpc-id %s", str(n.VpcId)), id)
		}
		return pass("CheckNATRegionalPass", i18n.M{"ID": id, "AZs": natAZs(n)}, id)
	}
	sn, ok := e.Snap.Subnet(str(n.SubnetId))
	if !ok {
		return fail("NOT_FOUND", "CheckNATSubnetGone", i18n.M{"ID": id, "Subnet": str(n.SubnetId)}, "", id)
	}
	if want := p.Str("subnet", ""); want != "" && account.Name(sn.Tags) != want {
		return fail("NGW_WRONG_SUBNET", "CheckNATWrongSubnet", i18n.M{"ID": id, "Subnet": str(sn.SubnetId), "Got": account.Name(sn.Tags), "Want": want},
			fmt.Sprintf("aws ec2 delete-nat-gateway --nat-gateway-id %s   # then create it in %s", id, want), id, str(sn.SubnetId))
	}
	if conn == "public" {
		if !isPublic(e, sn) {
			d := routeOf(e, sn, publicIPv4)
			return fail("NGW_NOT_IN_PUBLIC_SUBNET", "CheckNATPrivateSubnet", i18n.M{"ID": id, "Subnet": str(sn.SubnetId), "Table": tableLabel(d)},
				fmt.Sprintf("aws ec2 delete-nat-gateway --nat-gateway-id %s   # then create it again in a public subnet (one whose route table sends 0.0.0.0/0 to the internet gateway)", id),
				id, str(sn.SubnetId))
		}
		ip, alloc := natPublicIP(n)
		if ip == "" {
			return fail("NGW_NO_PUBLIC_IP", "CheckNATNoEIP", i18n.M{"ID": id},
				fmt.Sprintf("aws ec2 delete-nat-gateway --nat-gateway-id %s   # then create it again with --allocation-id <EIP allocation>", id), id)
		}
		if want := p.Str("eip", ""); want != "" && !eipNamed(e, alloc, want) {
			return fail("NGW_WRONG_EIP", "CheckNATWrongEIP", i18n.M{"ID": id, "IP": ip, "Want": want}, "", id, alloc)
		}
		return pass("CheckNATPass", i18n.M{"ID": id, "Subnet": str(sn.SubnetId), "IP": ip}, id, str(sn.SubnetId), alloc)
	}
	return pass("CheckNATPrivatePass", i18n.M{"ID": id, "Subnet": str(sn.SubnetId)}, id, str(sn.SubnetId))
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
			return account.Name(a.Tags) == name
		}
	}
	return false
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
		if d.has {
			return fail("UNEXPECTED_ROUTE", "CheckRouteUnexpected", i18n.M{"Table": rtID, "Dest": dest, "Target": target(d.route)},
				fmt.Sprintf("aws ec2 delete-route --route-table-id %s %s", rtID, destFlag(dest)), rtID)
		}
		return pass("CheckRouteNonePass", i18n.M{"Table": rtID, "Dest": dest}, rtID)
	}
	targetArg, targetID := routeTargetArg(e, want, wantName, vpcID)
	if !d.has {
		fix := routeFix(d, sn, targetArg)
		if dest != "0.0.0.0/0" {
			fix = strings.ReplaceAll(fix, "--destination-cidr-block 0.0.0.0/0", destFlag(dest))
		}
		return fail("NO_ROUTE_TO_DESTINATION", "CheckRouteMissing", i18n.M{"ID": id, "Table": tableLabel(d), "Dest": dest, "Want": res(targetMsg(want))}, fix, id, rtID)
	}
	got := target(d.route)
	replace := fmt.Sprintf("aws ec2 replace-route --route-table-id %s %s %s", rtID, destFlag(dest), targetArg)
	// A route with no target at all only comes from a target that vanished
	// (moto stores a route to an unknown NAT id that way): a blackhole.
	if d.route.State == ec2types.RouteStateBlackhole || got == "-" {
		return fail("BAD_STATE_ROUTE", "CheckRouteBlackhole", i18n.M{"Table": rtID, "Dest": dest, "Target": got}, replace, rtID, got)
	}
	switch want {
	case "nat-gateway":
		natID := str(d.route.NatGatewayId)
		if natID == "" {
			return fail("WRONG_TARGET", "CheckRouteWrongTarget", i18n.M{"Table": rtID, "Dest": dest, "Target": got, "Want": res(targetMsg(want))}, replace, rtID)
		}
		n, ok := e.Snap.NATGateway(natID)
		if !ok || n.State == ec2types.NatGatewayStateDeleted || n.State == ec2types.NatGatewayStateDeleting || n.State == ec2types.NatGatewayStateFailed {
			return fail("BAD_STATE_ROUTE", "CheckRouteNATGone", i18n.M{"Table": rtID, "Target": natID}, replace, rtID, natID)
		}
		if wantName != "" && account.Name(n.Tags) != wantName {
			return fail("WRONG_TARGET", "CheckRouteWrongNAT", i18n.M{"Table": rtID, "Target": natID, "Want": wantName}, replace, rtID, natID)
		}
		if r := natAZWarning(e, sn, n, rtID); r != nil {
			return *r
		}
	case "internet-gateway":
		if !strings.HasPrefix(str(d.route.GatewayId), "igw-") {
			return fail("WRONG_TARGET", "CheckRouteWrongTarget", i18n.M{"Table": rtID, "Dest": dest, "Target": got, "Want": res(targetMsg(want))}, replace, rtID)
		}
		if !toAttachedIGW(e, d.route, vpcID) {
			// A VPC takes one internet gateway: route to the attached one if
			// there is one, else attach the one the route names.
			fix := fmt.Sprintf("aws ec2 attach-internet-gateway --internet-gateway-id %s --vpc-id %s", got, vpcID)
			if g, ok := e.Snap.AttachedInternetGateway(vpcID); ok {
				fix = fmt.Sprintf("aws ec2 replace-route --route-table-id %s %s --gateway-id %s", rtID, destFlag(dest), str(g.InternetGatewayId))
			}
			return fail("BAD_STATE_ATTACHMENT", "CheckRouteIGWDetached", i18n.M{"Table": rtID, "Target": got, "VPC": vpcID}, fix, rtID, got)
		}
	case "egress-only-internet-gateway":
		eigw := str(d.route.EgressOnlyInternetGatewayId)
		if eigw == "" {
			return fail("WRONG_TARGET", "CheckRouteWrongTarget", i18n.M{"Table": rtID, "Dest": dest, "Target": got, "Want": res(targetMsg(want))}, replace, rtID)
		}
		_ = targetID
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

// routeTargetArg is the create-route flag for the expected target, with a
// real id when vpclab can find one.
func routeTargetArg(e *Env, want, name, vpcID string) (arg, id string) {
	switch want {
	case "nat-gateway":
		id = "<NAT_ID>"
		if name != "" {
			id = idOf("nat", name)
			if ns := e.Snap.NATGatewaysByName(name); len(ns) > 0 && ns[0].State == ec2types.NatGatewayStateAvailable {
				id = str(ns[0].NatGatewayId)
			}
		}
		return "--nat-gateway-id " + id, id
	case "internet-gateway":
		id = "<IGW_ID>"
		if g, ok := e.Snap.AttachedInternetGateway(vpcID); ok {
			id = str(g.InternetGatewayId)
		}
		return "--gateway-id " + id, id
	case "egress-only-internet-gateway":
		id = "<EIGW_ID>"
		for _, g := range e.Snap.EgressOnlyGateways {
			for _, a := range g.Attachments {
				if str(a.VpcId) == vpcID {
					id = str(g.EgressOnlyInternetGatewayId)
				}
			}
		}
		return "--egress-only-internet-gateway-id " + id, id
	}
	return "", ""
}
