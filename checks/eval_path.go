package checks

import (
	"fmt"
	"sort"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpclab/vpclab/checks/egress"
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
			res := fail(string(b.Code), "CheckNACLBlocked", i18n.M{"ID": id, "ACL": aclID, "Why": why(b)}, aclFix(acl, b), id, aclID)
			res.Path = &path
			return res
		}
	}
	return pass("CheckNACLPass", i18n.M{"ID": id, "ACL": aclID, "Port": port}, id, aclID)
}

// aclFix adds an allow rule numbered below every existing rule of that
// direction, so it wins over the deny that blocks.
func aclFix(acl ec2types.NetworkAcl, b *egress.Block) string {
	egressDir := b.Detail["direction"] == "outbound"
	lowest := int32(32767)
	used := map[int32]bool{}
	for _, en := range acl.Entries {
		if en.Egress != nil && *en.Egress == egressDir && en.RuleNumber != nil {
			used[*en.RuleNumber] = true
			if *en.RuleNumber < lowest {
				lowest = *en.RuleNumber
			}
		}
	}
	num := lowest - 1
	for num > 0 && used[num] {
		num--
	}
	if num <= 0 {
		num = 1
	}
	dir := "--ingress"
	if egressDir {
		dir = "--egress"
	}
	from, to := "1024", "65535"
	if ports := b.Detail["ports"]; ports != "" {
		if f, t, ok := strings.Cut(ports, "-"); ok {
			from, to = f, t
		} else {
			from, to = ports, ports
		}
	}
	cidr := b.Detail["cidr"]
	if cidr == "" || strings.ContainsAny(cidr, " ") {
		cidr = "0.0.0.0/0"
	}
	return fmt.Sprintf("aws ec2 create-network-acl-entry --network-acl-id %s %s --rule-number %d --protocol tcp --port-range From=%s,To=%s --cidr-block %s --rule-action allow",
		str(acl.NetworkAclId), dir, num, from, to, cidr)
}

func evalSGEgress(e *Env, p Params) Result {
	sg, r := findGroup(e, p)
	if r != nil {
		return *r
	}
	id := str(sg.GroupId)
	port := p.Int("port", 443)
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
			return fail(string(b.Code), "CheckSGBlocked", i18n.M{"ID": id, "Why": why(b)},
				fmt.Sprintf("aws ec2 authorize-security-group-egress --group-id %s --protocol tcp --port %d --cidr 0.0.0.0/0", id, port), id)
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
			return notFoundNamed(e, "ResService", name, fmt.Sprintf("aws ecs describe-services --cluster %s --services %s", cluster, name))
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
				pathFix(e, b, wantVia), append([]string{s.label}, b.Component)...)
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

// hopList is the path as a learner reads it: subnet → rtb → nat → igw.
func hopList(p egress.Path) string {
	var out []string
	for i, l := range p.Legs {
		var hs []string
		for _, h := range l.Hops {
			if h.Kind == "security-group" || h.Kind == "network-acl" {
				continue // on every path; naming them makes the line unreadable
			}
			hs = append(hs, h.ID)
		}
		s := strings.Join(hs, " → ")
		if len(p.Legs) > 1 {
			s = l.Service + ": " + s
		}
		if i > 0 {
			s = "; " + s
		}
		out = append(out, s)
	}
	return strings.Join(out, "")
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

// pathFix is the command for the commonest blocks; others are explained by
// the message and the checks of the step that builds that hop.
func pathFix(e *Env, b *egress.Block, via string) string {
	switch b.Code {
	case egress.NoRouteToDestination:
		if !strings.HasPrefix(b.Component, "rtb-") {
			return ""
		}
		arg := "--nat-gateway-id <NAT_ID>"
		if via == "internet-gateway" {
			arg = "--gateway-id <IGW_ID>"
		}
		for _, n := range e.Snap.NATGateways {
			if n.State == ec2types.NatGatewayStateAvailable && via != "internet-gateway" {
				arg = "--nat-gateway-id " + str(n.NatGatewayId)
				break
			}
		}
		return fmt.Sprintf("aws ec2 create-route --route-table-id %s --destination-cidr-block %s %s", b.Component, orPlaceholder(b.Detail["cidr"], "0.0.0.0/0"), arg)
	case egress.BadStateRoute:
		return fmt.Sprintf("aws ec2 replace-route --route-table-id %s --destination-cidr-block %s --nat-gateway-id <AVAILABLE_NAT_ID>", b.Component, orPlaceholder(b.Detail["cidr"], "0.0.0.0/0"))
	case egress.SubnetACLRestriction:
		for _, a := range e.Snap.NetworkACLs {
			if str(a.NetworkAclId) == b.Component {
				return aclFix(a, b)
			}
		}
	case egress.VPCEGatewayRouteMissing:
		return fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-route-table-ids %s", b.Component, b.Detail["route_table"])
	case egress.VPCEPrivateDNSDisabled:
		return fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --private-dns-enabled", b.Component)
	}
	return ""
}
