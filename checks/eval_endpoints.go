package checks

import (
	"fmt"
	"net/netip"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/i18n"
)

func available(state ec2types.State) bool { return strings.EqualFold(string(state), "available") }

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
		return fail("NOT_FOUND", "CheckGatewayEndpointMissing", i18n.M{"Service": service, "VPC": vpcID},
			fmt.Sprintf("aws ec2 create-vpc-endpoint --vpc-id %s --vpc-endpoint-type Gateway --service-name %s --route-table-ids %s",
				vpcID, full, orPlaceholder(strings.Join(tables, " "), "<ROUTE_TABLE_IDS>")), vpcID)
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
		return fail("VPCE_GATEWAY_ROUTE_MISSING", "CheckGatewayEndpointTables", i18n.M{"ID": id, "Tables": strings.Join(missing, ", ")},
			fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-route-table-ids %s", id, strings.Join(missing, " ")), id)
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
		sg := "<ENDPOINT_SG_ID>"
		return fail("NOT_FOUND", "CheckInterfaceEndpointMissing", i18n.M{"Service": service, "VPC": vpcID},
			fmt.Sprintf("aws ec2 create-vpc-endpoint --vpc-id %s --vpc-endpoint-type Interface --service-name %s --subnet-ids %s --security-group-ids %s --private-dns-enabled",
				vpcID, full, orPlaceholder(strings.Join(subnetIDs, " "), "<SUBNET_IDS>"), sg), vpcID)
	}
	id := str(ep.VpcEndpointId)
	if !available(ep.State) {
		return fail("BAD_STATE", "CheckEndpointState", i18n.M{"ID": id, "State": string(ep.State)}, "", id)
	}
	wantDNS := p.Bool("private_dns", true)
	if dns := ep.PrivateDnsEnabled != nil && *ep.PrivateDnsEnabled; wantDNS && !dns {
		return fail("VPCE_PRIVATE_DNS_DISABLED", "CheckEndpointPrivateDNS", i18n.M{"ID": id, "Service": service},
			fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --private-dns-enabled", id), id)
	}
	if attrs, ok := e.Snap.VPCAttrs[vpcID]; ok && wantDNS && (!attrs.DNSSupport || !attrs.DNSHostnames) {
		flag, attr := "--enable-dns-hostnames", "enableDnsHostnames"
		if !attrs.DNSSupport {
			flag, attr = "--enable-dns-support", "enableDnsSupport"
		}
		return fail("VPC_DNS_ATTRIBUTE_DISABLED", "CheckEndpointVPCDNS", i18n.M{"ID": id, "VPC": vpcID, "Attr": attr},
			fmt.Sprintf(`aws ec2 modify-vpc-attribute --vpc-id %s %s '{"Value":true}'`, vpcID, flag), id, vpcID)
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
		return fail("VPCE_SERVICE_NOT_INSTALLED_IN_AZ", "CheckEndpointSubnets", i18n.M{"ID": id, "Subnets": strings.Join(missing, ", ")},
			fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-subnet-ids %s", id, strings.Join(ids, " ")), id)
	}
	if from := p.Str("from", ""); from != "" {
		client, ok := e.Snap.SecurityGroupByName(from, vpcID)
		if !ok {
			return notFound(e, "ResSG", from, fmt.Sprintf(
				"aws ec2 create-security-group --vpc-id %s --group-name %s --description %q", vpcID, from, "vpclab tasks"))
		}
		if !endpointAdmits(e, *ep, client, vpc) {
			sg := "<ENDPOINT_SG_ID>"
			if len(ep.Groups) > 0 {
				sg = str(ep.Groups[0].GroupId)
			}
			return fail("VPCE_SG_RULES_MISMATCH", "CheckEndpointSG", i18n.M{"ID": id, "Group": sg, "From": str(client.GroupId)},
				fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port 443 --source-group %s", sg, str(client.GroupId)),
				id, sg, str(client.GroupId))
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
