package account

import (
	"maps"
	"reflect"
)

// fields are the Snapshot fields that loading each resource writes; a
// test keeps every resource field in exactly one list, so a field added
// later cannot be left stale by Merge.
var fields = map[Resource][]string{
	VPCs:               {"VPCs"},
	VPCAttributes:      {"VPCAttrs"},
	Subnets:            {"Subnets"},
	RouteTables:        {"RouteTables"},
	InternetGateways:   {"InternetGateways"},
	EgressOnlyGateways: {"EgressOnlyGateways"},
	NATGateways:        {"NATGateways"},
	Addresses:          {"Addresses"},
	SecurityGroups:     {"SecurityGroups"},
	NetworkACLs:        {"NetworkACLs"},
	VPCEndpoints:       {"VPCEndpoints"},
	PrefixLists:        {"PrefixLists"},
	NetworkInterfaces:  {"NetworkInterfaces", "AllENIs"},
	ECSClusters:        {"Clusters"},
	ECSServices:        {"Services"},
	ECSTasks:           {"Tasks"},
	ECSClusterList:     {}, // widens Tasks; read with ECSTasks
	LoadBalancers:      {"LoadBalancers"},
	Listeners:          {"Listeners", "Rules"},
	TargetGroups:       {"TargetGroups", "Targets"},
}

// Merge returns s with every resource type that fresh loaded replaced by
// fresh's (a --wait retry reads again only what its failing checks read).
// The result is a new snapshot without bindings (they belong to one
// judgement; bind it again); s and fresh are not changed, and share their
// unchanged lists with it. A type is replaced whole, so fresh must have
// loaded it with the same need (the same ECS clusters and services) as s.
func (s *Snapshot) Merge(fresh *Snapshot) *Snapshot {
	out := *s
	out.Loaded = maps.Clone(s.Loaded)
	if out.Loaded == nil {
		out.Loaded = map[Resource]bool{}
	}
	out.Bindings = nil
	if fresh == nil {
		return &out
	}
	if fresh.Account != "" { // a read without the identity call keeps s's
		out.Account = fresh.Account
	}
	out.Region = fresh.Region
	dst, src := reflect.ValueOf(&out).Elem(), reflect.ValueOf(fresh).Elem()
	for r, ok := range fresh.Loaded {
		if !ok {
			continue
		}
		for _, f := range fields[r] {
			dst.FieldByName(f).Set(src.FieldByName(f))
		}
		out.Loaded[r] = true
	}
	return &out
}
