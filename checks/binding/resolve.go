package binding

import (
	"slices"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/i18n"
)

type resolver struct {
	snap  *account.Snapshot
	ws    *wants
	o     Options
	bound map[account.Resource]map[string]string
}

func (r *resolver) boundID(typ account.Resource, name string) string {
	if name == "" {
		return ""
	}
	return r.bound[typ][name]
}

// scoped keeps the items inside the VPC the lab puts w in, once that VPC
// is bound: a subnet of the same name in another VPC is not the lab's.
func (r *resolver) scoped(w *want, its []item) []item {
	vpc := r.boundID(account.VPCs, w.vpc)
	if vpc == "" || w.typ == account.InternetGateways || w.typ == account.Addresses || w.typ == account.LoadBalancers || w.typ == account.VPCs {
		return its
	}
	return filter(its, func(it item) bool { return it.vpc == vpc })
}

func filter(its []item, keep func(item) bool) []item {
	var out []item
	for _, it := range its {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}

// resolve binds one name: the Name tag, then the name typed differently,
// then the learner's infrastructure as code, then the lab's structure.
// Infrastructure as code comes before structure because the learner said
// so: it rules out leftovers that merely look like the lab.
//
// With exactOnly, only the Name tag counts (the first pass). Otherwise
// resources already bound to another of the lab's names are left out.
func (r *resolver) resolve(w *want, exactOnly bool) Binding {
	b := Binding{Type: w.typ, Name: w.name, Step: w.step, Block: w.block, Evidence: Unbound}
	all := r.scoped(w, items(r.snap, w.typ))
	if exactOnly {
		all = filter(all, func(it item) bool { return it.exact(w.name) })
	} else {
		taken := map[string]bool{}
		for _, id := range r.bound[w.typ] {
			taken[id] = true
		}
		all = filter(all, func(it item) bool { return !taken[it.id] })
	}
	var (
		found []item
		why   i18n.Msg
	)
	switch {
	case len(filter(all, func(it item) bool { return it.exact(w.name) })) > 0:
		found, b.Evidence = filter(all, func(it item) bool { return it.exact(w.name) }), ByNameTag
	case len(filter(all, func(it item) bool { return it.folded(w.name) })) > 0:
		found, b.Evidence = filter(all, func(it item) bool { return it.folded(w.name) }), ByNameFold
	case len(filter(all, func(it item) bool { return it.typo(w.name) })) == 1:
		// One typo'd name, and only one: two would be a guess.
		found, b.Evidence = filter(all, func(it item) bool { return it.typo(w.name) }), ByNameTypo
	}
	if len(found) == 0 && r.o.IaC != nil {
		mine := filter(all, func(it item) bool { return r.o.IaC.Has(it.typ, it.id, it.allocs...) })
		if f, y := r.structure(w, mine); len(f) > 0 {
			found, why = f, y
		} else if f := r.o.IaC.Like(w.name, mine); len(f) > 0 {
			found = f
		}
		if len(found) > 0 {
			b.Evidence = r.o.IaC.Evidence()
			res, _ := r.o.IaC.Of(found[0].typ, append([]string{found[0].id}, found[0].allocs...)...)
			why = i18n.Msg{ID: "BindWhyIaC", Data: i18n.M{"Source": r.o.IaC.Source, "Logical": res.Logical, "Detail": why}}
		}
	}
	if len(found) == 0 {
		mine := filter(all, func(it item) bool { return !r.foreign(it.name) })
		if f, y := r.structure(w, mine); len(f) > 0 {
			found, why, b.Evidence = f, y, ByStructure
		}
	}
	if len(found) == 0 {
		return b
	}
	r.rank(w, found)
	b.ID, b.Tag, b.Why = found[0].id, found[0].name, why
	prices := pricesFor(r.snap.Region)
	for _, t := range found[1:] {
		b.Twins = append(b.Twins, Twin{ID: t.id, Tag: t.name, Created: t.created, USDPerHr: hourly(r.snap, t, prices)})
	}
	return b
}

// structure finds the items that fit the lab's structure for w, with the
// fact that identified them.
func (r *resolver) structure(w *want, its []item) ([]item, i18n.Msg) {
	s := r.snap
	switch w.typ {
	case account.VPCs:
		if w.cidr == "" {
			return nil, i18n.Msg{}
		}
		c := filter(its, func(it item) bool { return !it.isDef && it.cidr == w.cidr })
		// Prefer the VPCs that hold the lab's subnets (by CIDR).
		var subCIDRs []string
		for _, sw := range r.ws.list(account.Subnets) {
			if sw.vpc == w.name && sw.cidr != "" {
				subCIDRs = append(subCIDRs, sw.cidr)
			}
		}
		if len(subCIDRs) > 0 {
			if held := filter(c, func(it item) bool { return r.holdsSubnet(it.id, subCIDRs) }); len(held) > 0 {
				return held, i18n.Msg{ID: "BindWhyVPCSubnets", Data: i18n.M{"CIDR": w.cidr, "Subnets": strings.Join(subCIDRs, ", ")}}
			}
		}
		// The CIDR alone is weak evidence (10.0.0.0/16 is everyone's
		// favourite): without the lab's subnets, only an untagged VPC is
		// taken; a VPC named otherwise is somebody else's.
		return filter(c, func(it item) bool { return it.name == "" }), i18n.Msg{ID: "BindWhyVPCCIDR", Data: i18n.M{"CIDR": w.cidr}}
	case account.Subnets:
		vpc := r.boundID(account.VPCs, w.vpc)
		if w.cidr == "" || vpc == "" {
			return nil, i18n.Msg{}
		}
		az, _ := r.snap.ZoneHere(w.az)
		c := filter(its, func(it item) bool { return it.vpc == vpc && it.cidr == w.cidr && (az == "" || it.az == az) })
		return c, i18n.Msg{ID: "BindWhySubnet", Data: i18n.M{"CIDR": w.cidr, "VPC": vpc}}
	case account.RouteTables:
		var subs []string
		for _, n := range w.subnets {
			if id := r.boundID(account.Subnets, n); id != "" {
				subs = append(subs, id)
			}
		}
		c := filter(its, func(it item) bool {
			for _, sn := range subs {
				if slices.Contains(it.subnets, sn) {
					return true
				}
			}
			return false
		})
		return c, i18n.Msg{ID: "BindWhyRouteTable", Data: i18n.M{"Subnets": strings.Join(subs, ", ")}}
	case account.InternetGateways:
		vpc := r.boundID(account.VPCs, w.vpc)
		if vpc == "" {
			return nil, i18n.Msg{}
		}
		return filter(its, func(it item) bool { return slices.Contains(it.vpcs, vpc) }), i18n.Msg{ID: "BindWhyIGW", Data: i18n.M{"VPC": vpc}}
	case account.NATGateways:
		if sub := r.boundID(account.Subnets, w.subnet); sub != "" {
			return filter(its, func(it item) bool { return it.subnet == sub }), i18n.Msg{ID: "BindWhyNATSubnet", Data: i18n.M{"Subnet": sub}}
		}
		var targets []string
		for _, n := range w.routedBy {
			if sn, ok := s.Subnet(r.boundID(account.Subnets, n)); ok {
				if t := defaultNAT(s, sn); t != "" {
					targets = append(targets, t)
				}
			}
		}
		return filter(its, func(it item) bool { return slices.Contains(targets, it.id) }), i18n.Msg{ID: "BindWhyNATRoute", Data: i18n.M{"Subnets": strings.Join(w.routedBy, ", ")}}
	case account.Addresses:
		nat, ok := s.NATGateway(r.boundID(account.NATGateways, w.nat))
		if !ok {
			return nil, i18n.Msg{}
		}
		var allocs []string
		for _, a := range nat.NatGatewayAddresses {
			allocs = append(allocs, str(a.AllocationId))
		}
		return filter(its, func(it item) bool { return slices.Contains(allocs, it.id) }), i18n.Msg{ID: "BindWhyEIP", Data: i18n.M{"NAT": str(nat.NatGatewayId)}}
	}
	// Security groups and load balancers have names of their own that the
	// learner typed; the structure alone does not tell two groups apart.
	return nil, i18n.Msg{}
}

func (r *resolver) holdsSubnet(vpc string, cidrs []string) bool {
	for _, sn := range r.snap.Subnets {
		if str(sn.VpcId) == vpc && slices.Contains(cidrs, str(sn.CidrBlock)) {
			return true
		}
	}
	return false
}

// defaultNAT is the NAT gateway a subnet's 0.0.0.0/0 route points at.
func defaultNAT(s *account.Snapshot, sn ec2types.Subnet) string {
	rt, _, ok := s.RouteTableFor(str(sn.SubnetId), str(sn.VpcId))
	if !ok {
		return ""
	}
	for _, rr := range rt.Routes {
		if str(rr.DestinationCidrBlock) == "0.0.0.0/0" {
			return str(rr.NatGatewayId)
		}
	}
	return ""
}

// rank puts first the candidate the rest of the lab is wired to: the NAT
// gateway the route tables point at, the VPC holding the lab's subnets and
// gateway, the Elastic IP the bound NAT gateway uses, … Ties keep the
// lowest id, as the lookups always did.
func (r *resolver) rank(w *want, c []item) {
	score := map[string]int{}
	for _, it := range c {
		score[it.id] = r.wired(w, it)
	}
	slices.SortStableFunc(c, func(a, b item) int {
		if score[a.id] != score[b.id] {
			return score[b.id] - score[a.id]
		}
		return strings.Compare(a.id, b.id)
	})
}

func (r *resolver) wired(w *want, it item) int {
	s, n := r.snap, 0
	switch w.typ {
	case account.VPCs:
		for _, sw := range r.ws.list(account.Subnets) {
			for _, sn := range s.Subnets {
				if str(sn.VpcId) == it.id && (account.Name(sn.Tags) == sw.name || (sw.cidr != "" && str(sn.CidrBlock) == sw.cidr)) {
					n++
				}
			}
		}
		if _, ok := s.AttachedInternetGateway(it.id); ok {
			n++
		}
		for _, x := range s.NATGateways {
			if str(x.VpcId) == it.id && liveNAT(x.State) {
				n++
			}
		}
	case account.Subnets:
		for _, t := range s.RouteTables {
			for _, a := range t.Associations {
				if str(a.SubnetId) == it.id {
					n++
				}
			}
		}
		for _, x := range s.NATGateways {
			if str(x.SubnetId) == it.id && liveNAT(x.State) {
				n++
			}
		}
	case account.NATGateways, account.InternetGateways:
		for _, t := range s.RouteTables {
			for _, rr := range t.Routes {
				if str(rr.NatGatewayId) == it.id || str(rr.GatewayId) == it.id {
					n += 2
				}
			}
		}
		if sub := r.boundID(account.Subnets, w.subnet); sub != "" && it.subnet == sub {
			n++
		}
		if vpc := r.boundID(account.VPCs, w.vpc); vpc != "" && slices.Contains(it.vpcs, vpc) {
			n++
		}
	case account.Addresses:
		if nat, ok := s.NATGateway(r.boundID(account.NATGateways, w.nat)); ok {
			for _, a := range nat.NatGatewayAddresses {
				if str(a.AllocationId) == it.id {
					n += 2
				}
			}
		}
		if it.assoc {
			n++
		}
	case account.RouteTables:
		n = len(it.subnets)
	case account.SecurityGroups:
		for _, e := range s.NetworkInterfaces {
			for _, g := range e.Groups {
				if str(g.GroupId) == it.id {
					n++
				}
			}
		}
		for _, lb := range s.LoadBalancers {
			if slices.Contains(lb.SecurityGroups, it.id) {
				n++
			}
		}
		for _, g := range s.SecurityGroups {
			for _, p := range g.IpPermissions {
				for _, pair := range p.UserIdGroupPairs {
					if str(pair.GroupId) == it.id {
						n++
					}
				}
			}
		}
	}
	return n
}
