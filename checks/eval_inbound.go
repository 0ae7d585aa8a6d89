package checks

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/repair"

	"github.com/vpclab/vpclab/i18n"
)

// evalSGIngress judges who may open connections to a group: the one-way
// egress lab's point is that private tasks admit only the load balancer.
// Every rule counts: "only from X" fails when any other source (an
// address range, another group, a prefix list) reaches a port the check
// judges — the port it names, or every port when it names none.
func evalSGIngress(e *Env, p Params) Result {
	sg, r := findGroup(e, p)
	if r != nil {
		return *r
	}
	id := str(sg.GroupId)
	port := int32(p.Int("port", 80))
	allPorts := !p.Has("port") && p.Has("from")
	covers := func(perm ec2types.IpPermission) bool {
		if allPorts {
			return true
		}
		return permCovers(perm, port)
	}
	var from string
	if fromName := p.Str("from", ""); fromName != "" {
		src, ok := e.Snap.SecurityGroupByName(fromName, str(sg.VpcId))
		if !ok {
			r := notFound(e, "ResSG", fromName, "")
			if step := e.stepOf("security-group-ingress", "group", fromName); step != "" {
				r = e.doStepFirst(r, step)
			}
			return r
		}
		from = str(src.GroupId)
	}
	var open, others []string // internet-wide sources; any other source
	var revoke []repair.Action
	fromOK, any := false, false
	for _, perm := range sg.IpPermissions {
		if !covers(perm) {
			continue
		}
		any = true
		rule := func() repair.Rule {
			r := repair.Rule{Protocol: strings.ToLower(str(perm.IpProtocol))}
			if r.Protocol == "6" {
				r.Protocol = "tcp"
			}
			if r.Protocol == "all" {
				r.Protocol = "-1"
			}
			if r.Protocol != "-1" {
				r.From, r.To = int(aws.ToInt32(perm.FromPort)), int(aws.ToInt32(perm.ToPort))
			}
			return r
		}
		for _, rng := range perm.IpRanges {
			c, err := netip.ParsePrefix(str(rng.CidrIp))
			if err == nil && c.Contains(publicIPv4) {
				open = append(open, str(rng.CidrIp))
			} else {
				others = append(others, str(rng.CidrIp))
			}
			x := rule()
			x.CIDR = str(rng.CidrIp)
			revoke = append(revoke, repair.Action{Op: repair.RevokeIngress, Group: id, Rule: &x})
		}
		for _, rng := range perm.Ipv6Ranges {
			c, err := netip.ParsePrefix(str(rng.CidrIpv6))
			if err == nil && c.Contains(publicIPv6) {
				open = append(open, str(rng.CidrIpv6))
			} else {
				others = append(others, str(rng.CidrIpv6))
			}
			x := rule()
			x.CIDRv6 = str(rng.CidrIpv6)
			revoke = append(revoke, repair.Action{Op: repair.RevokeIngress, Group: id, Rule: &x})
		}
		for _, pl := range perm.PrefixListIds {
			others = append(others, str(pl.PrefixListId))
			x := rule()
			x.PrefixList = str(pl.PrefixListId)
			revoke = append(revoke, repair.Action{Op: repair.RevokeIngress, Group: id, Rule: &x})
		}
		for _, pair := range perm.UserIdGroupPairs {
			g := str(pair.GroupId)
			if from != "" && g == from && (allPorts || permCovers(perm, port)) {
				fromOK = true
				continue
			}
			others = append(others, g)
			x := rule()
			x.Group = g
			revoke = append(revoke, repair.Action{Op: repair.RevokeIngress, Group: id, Rule: &x})
		}
	}
	if p.Bool("public", false) {
		if len(open) == 0 {
			return fail("SG_NOT_OPEN", "CheckSGIngressClosed", i18n.M{"ID": id, "Port": port}, "", id).
				propose(repair.New(repair.Action{Op: repair.AuthorizeIngress, Group: id, Rule: &repair.Rule{Protocol: "tcp", From: int(port), To: int(port), CIDR: "0.0.0.0/0"}}))
		}
		return pass("CheckSGIngressOpenPass", i18n.M{"ID": id, "Port": port}, id)
	}
	portLabel := fmt.Sprint(port)
	if allPorts {
		portLabel = "0-65535"
	}
	addFrom := repair.Action{Op: repair.AuthorizeIngress, Group: id, Rule: &repair.Rule{Protocol: "tcp", From: int(port), To: int(port), Group: from}}
	// Without "from", the clients of a private group are inside its VPC:
	// a rule from the VPC's range keeps them, where the internet-wide one
	// is revoked or none is left (an endpoint's group opened to 0.0.0.0/0).
	var addVPC *repair.Action
	if vpc, ok := e.Snap.VPC(str(sg.VpcId)); ok && from == "" && !allPorts && str(vpc.CidrBlock) != "" {
		addVPC = &repair.Action{Op: repair.AuthorizeIngress, Group: id, Rule: &repair.Rule{Protocol: "tcp", From: int(port), To: int(port), CIDR: str(vpc.CidrBlock)}}
	}
	if len(open) > 0 || (from != "" && len(others) > 0) {
		plan := repair.New()
		for _, a := range revoke {
			if from == "" && a.Rule.CIDR != "" && !contains(open, a.Rule.CIDR) || from == "" && a.Rule.CIDRv6 != "" && !contains(open, a.Rule.CIDRv6) {
				continue // without "from" only the internet-wide rules are wrong
			}
			if from == "" && a.Rule.CIDR == "" && a.Rule.CIDRv6 == "" {
				continue
			}
			plan.Add(a)
		}
		if from != "" && !fromOK {
			plan.Add(addFrom)
		}
		if len(open) > 0 {
			r := fail("SG_OPEN_TO_INTERNET", "CheckSGIngressOpen", i18n.M{"ID": id, "Port": portLabel, "CIDR": strings.Join(open, ", "), "From": p.Str("from", "")}, "", id)
			if addVPC != nil && len(others) == 0 {
				// Revoking alone would leave the port closed to everyone.
				return r.propose(repair.New(append(plan.Actions, *addVPC)...), plan)
			}
			return r.propose(plan)
		}
		return fail("SG_OTHER_SOURCES", "RepairSGIngressOthers", i18n.M{"ID": id, "Port": portLabel, "From": from, "Others": strings.Join(others, ", ")}, "", id).propose(plan)
	}
	if from != "" && !fromOK {
		return fail("SG_SOURCE_MISSING", "CheckSGIngressNoSource", i18n.M{"ID": id, "Port": port, "From": from}, "", id, from).propose(repair.New(addFrom))
	}
	if !any {
		// "Admits the port only from …" is not true of a group that admits
		// nothing on it.
		r := fail("SG_NO_INGRESS", "RepairSGIngressNone", i18n.M{"ID": id, "Port": port}, "", id)
		if addVPC != nil {
			r = r.propose(repair.New(*addVPC))
		}
		return r
	}
	if from == "" {
		return pass("RepairSGIngressNotPublicPass", i18n.M{"ID": id, "Port": port, "Sources": strings.Join(others, ", ")}, id)
	}
	return pass("CheckSGIngressPass", i18n.M{"ID": id, "Port": portLabel, "From": from}, id)
}

func evalLoadBalancer(e *Env, p Params) Result {
	name := p.Str("name", "")
	lb, ok := e.Snap.LoadBalancer(name)
	if !ok {
		return notFoundNamed(e, "ResLB", name, "")
	}
	arn := str(lb.LoadBalancerArn)
	if lb.State != nil && lb.State.Code != elbtypes.LoadBalancerStateEnumActive && lb.State.Code != "" {
		return fail("BAD_STATE", "CheckLBState", i18n.M{"Name": name, "State": string(lb.State.Code)}, "", arn)
	}
	want := p.Str("scheme", "internet-facing")
	if string(lb.Scheme) != want {
		return fail("LB_SCHEME", "CheckLBScheme", i18n.M{"Name": name, "Want": want, "Got": string(lb.Scheme)}, "", arn)
	}
	var private []string
	for _, az := range lb.AvailabilityZones {
		if sn, ok := e.Snap.Subnet(str(az.SubnetId)); ok && want == "internet-facing" && !isPublic(e, sn) {
			private = append(private, str(sn.SubnetId))
		}
	}
	if len(private) > 0 {
		r := fail("LB_IN_PRIVATE_SUBNET", "CheckLBPrivateSubnets", i18n.M{"Name": name, "Subnets": strings.Join(private, ", ")}, "", append([]string{arn}, private...)...)
		// The lab's public subnets (its subnet checks with public: true)
		// in the load balancer's VPC, one per AZ.
		var public []string
		seen := map[string]bool{}
		for _, sp := range e.labBlocks("subnet", func(p Params) bool { return p.Bool("public", false) }) {
			if sn, n := e.Snap.SubnetByName(sp.Str("name", ""), str(lb.VpcId)); n > 0 && isPublic(e, sn) && !seen[str(sn.AvailabilityZone)] {
				seen[str(sn.AvailabilityZone)] = true
				public = append(public, str(sn.SubnetId))
			}
		}
		if len(public) >= 2 {
			r = r.propose(repair.New(repair.Action{Op: repair.SetLoadBalancerSubnets, ARN: arn, LoadBalancer: name, Subnets: public}))
		}
		return r
	}
	return pass("CheckLBPass", i18n.M{"Name": name, "Scheme": want, "DNS": str(lb.DNSName), "AZs": len(lb.AvailabilityZones)}, arn)
}
