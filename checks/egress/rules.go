package egress

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/portset"
)

// Security groups are stateful: only the egress rules of the source count,
// the reply is let back in automatically.

// sgEgress checks that one of groups' egress rules allows TCP a.port to t.
func (a *analyzer) sgEgress(groups []ec2types.SecurityGroup, t target) *Block {
	ids := make([]string, 0, len(groups))
	rules := 0
	for _, g := range groups {
		ids = append(ids, str(g.GroupId))
		rules += len(g.IpPermissionsEgress)
	}
	component := a.sourceComponent()
	if len(ids) > 0 {
		component = ids[0]
	}
	if rules == 0 {
		return &Block{Code: SGHasNoRules, Component: component, Detail: map[string]string{"groups": strings.Join(ids, ",")}}
	}
	for _, g := range groups {
		for _, p := range g.IpPermissionsEgress {
			if permAllowsPort(p, a.port) && permCovers(p, t) {
				return nil
			}
		}
	}
	d := map[string]string{"port": strconv.Itoa(a.port), "cidr": t.label, "groups": strings.Join(ids, ",")}
	if len(t.plIDs) > 0 {
		d["prefix_list"] = strings.Join(t.plIDs, ",")
	}
	return &Block{Code: ENISGRulesMismatch, Component: component, Detail: d}
}

// permAllowsPort: protocol -1 (all) or TCP with port in its range.
func permAllowsPort(p ec2types.IpPermission, port int) bool {
	switch strings.ToLower(str(p.IpProtocol)) {
	case "-1", "all":
		return true
	case "tcp", "6":
	default:
		return false
	}
	if p.FromPort == nil || p.ToPort == nil {
		return true
	}
	return int(*p.FromPort) <= port && port <= int(*p.ToPort)
}

// permCovers: the rule's destination includes all of t — a CIDR containing
// it, one of t's prefix lists (S3) or one of t's security groups (an
// endpoint's).
func permCovers(p ec2types.IpPermission, t target) bool {
	if t.peer.IsValid() {
		for _, r := range p.IpRanges {
			if contains(prefix(str(r.CidrIp)), t.peer) {
				return true
			}
		}
		for _, r := range p.Ipv6Ranges {
			if contains(prefix(str(r.CidrIpv6)), t.peer) {
				return true
			}
		}
	}
	for _, pl := range p.PrefixListIds {
		if slices.Contains(t.plIDs, str(pl.PrefixListId)) {
			return true
		}
	}
	for _, g := range p.UserIdGroupPairs {
		if slices.Contains(t.groups, str(g.GroupId)) {
			return true
		}
	}
	return false
}

// contains reports whether outer covers every address of inner.
func contains(outer, inner netip.Prefix) bool {
	return outer.IsValid() && inner.IsValid() && outer.Addr().Is4() == inner.Addr().Is4() &&
		outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// sgIngressAdmits: one of groups' ingress rules admits TCP port from every
// address of from, or from one of the client's security groups.
func sgIngressAdmits(groups []ec2types.SecurityGroup, port int, from netip.Prefix, clientGroups []string) bool {
	t := target{peer: from, groups: clientGroups}
	for _, g := range groups {
		for _, p := range g.IpPermissions {
			if permAllowsPort(p, port) && permCovers(p, t) {
				return true
			}
		}
	}
	return false
}

// Network ACLs are stateless and ordered: the lowest-numbered rule that
// matches a packet decides, and a packet no rule matches is dropped (AWS
// shows that as rule "*", 32767; moto omits it on custom ACLs).

// aclCheck checks that acl passes every TCP packet with a destination port
// in lo..hi between the subnet and peer, in one direction: egress for
// packets leaving the subnet (to peer), else entering it (from peer).
func aclCheck(acl ec2types.NetworkAcl, egress bool, peer netip.Prefix, label string, lo, hi int, subnetID string) *Block {
	if !peer.IsValid() {
		return nil // nothing to judge against (a subnet without a parsable CIDR)
	}
	ok, rule := aclAllows(acl, egress, peer, lo, hi)
	if ok {
		return nil
	}
	dir := "inbound"
	if egress {
		dir = "outbound"
	}
	ports := strconv.Itoa(lo)
	if hi != lo {
		ports = fmt.Sprintf("%d-%d", lo, hi)
	}
	return &Block{Code: SubnetACLRestriction, Component: str(acl.NetworkAclId),
		Detail: map[string]string{"direction": dir, "ports": ports, "subnet": subnetID, "cidr": label, "rule": rule}}
}

// aclAllows evaluates the ACL for the whole set peer × lo..hi. An allow
// rule only counts for the addresses and ports it fully covers; a deny
// rule touching any of them blocks (some packet of the set is dropped).
// rule is the deciding rule number, "*" for the implicit deny.
func aclAllows(acl ec2types.NetworkAcl, egress bool, peer netip.Prefix, lo, hi int) (bool, string) {
	var entries []ec2types.NetworkAclEntry
	for _, e := range acl.Entries {
		if (e.Egress != nil && *e.Egress) == egress {
			entries = append(entries, e)
		}
	}
	slices.SortStableFunc(entries, func(x, y ec2types.NetworkAclEntry) int { return int(num(x.RuleNumber)) - int(num(y.RuleNumber)) })
	remaining := portset.Of(lo, hi)
	for _, e := range entries {
		elo, ehi, ok := aclEntryPorts(e)
		if !ok {
			continue // UDP, ICMP, …
		}
		cidr := str(e.CidrBlock)
		if peer.Addr().Is6() {
			cidr = str(e.Ipv6CidrBlock)
		}
		rp := prefix(cidr)
		if !rp.IsValid() || !rp.Overlaps(peer) || !remaining.Overlaps(elo, ehi) {
			continue
		}
		number := strconv.Itoa(int(num(e.RuleNumber)))
		if strings.EqualFold(string(e.RuleAction), string(ec2types.RuleActionDeny)) {
			return false, number
		}
		if !contains(rp, peer) {
			continue // allows only some of the addresses
		}
		remaining = remaining.Minus(elo, ehi)
		if len(remaining) == 0 {
			return true, number
		}
	}
	return false, "*"
}

// aclEntryPorts: the TCP destination ports an entry matches; ok is false
// for other protocols. Protocol "-1" is all protocols and ports.
func aclEntryPorts(e ec2types.NetworkAclEntry) (lo, hi int, ok bool) {
	switch strings.ToLower(str(e.Protocol)) {
	case "-1", "all":
		return 0, 65535, true
	case "6", "tcp":
		if e.PortRange == nil || e.PortRange.From == nil || e.PortRange.To == nil {
			return 0, 65535, true
		}
		return int(*e.PortRange.From), int(*e.PortRange.To), true
	}
	return 0, 0, false
}

func num(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}
