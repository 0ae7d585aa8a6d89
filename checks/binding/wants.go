package binding

import (
	"sort"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
)

// want is one name the lab uses for a resource, with what the lab's check
// blocks say about it (its structure), gathered from every block.
type want struct {
	typ   account.Resource
	name  string
	step  string              // the first step that names it
	block *content.CheckBlock // the first check block that names it
	order int                 // first mention, for a stable report in lab order

	cidr, az string
	vpc      string   // the lab's name of its VPC
	subnet   string   // NAT gateway: the lab's name of its subnet
	subnets  []string // route table: subnets the lab associates with it; EIP: -
	nat      string   // Elastic IP: the NAT gateway that uses it
	routedBy []string // NAT gateway / IGW: subnets whose default route points at it
}

type wants struct {
	byKey map[account.Resource]map[string]*want
	n     int
}

func (ws *wants) add(typ account.Resource, name string, b *content.CheckBlock) *want {
	if name == "" {
		return nil
	}
	if ws.byKey == nil {
		ws.byKey = map[account.Resource]map[string]*want{}
	}
	if ws.byKey[typ] == nil {
		ws.byKey[typ] = map[string]*want{}
	}
	w := ws.byKey[typ][name]
	if w == nil {
		w = &want{typ: typ, name: name, block: b, order: ws.n}
		if b.Step != nil {
			w.step = b.Step.ID
		}
		ws.n++
		ws.byKey[typ][name] = w
	}
	return w
}

func (ws *wants) get(typ account.Resource, name string) *want { return ws.byKey[typ][name] }

// list returns the wants of one type in lab order.
func (ws *wants) list(typ account.Resource) []*want {
	var out []*want
	for _, w := range ws.byKey[typ] {
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

func setIf(dst *string, v string) {
	if *dst == "" && v != "" {
		*dst = v
	}
}

func param(b *content.CheckBlock, k string) string {
	if b.Params == nil {
		return ""
	}
	if v, ok := b.Params.Get(k); ok {
		return v.Str()
	}
	return ""
}

func params(b *content.CheckBlock, k string) []string {
	if b.Params == nil {
		return nil
	}
	if v, ok := b.Params.Get(k); ok {
		s, _ := v.Strings()
		return s
	}
	return nil
}

// collect reads every name the blocks use, by kind and parameter. Kinds
// that name nothing bindable (ECS clusters and services, found by their
// own names) add nothing.
func collect(blocks []*content.CheckBlock) *wants {
	ws := &wants{}
	for _, b := range blocks {
		step := b
		vpcName := param(b, "vpc")
		vpc := func() { ws.add(account.VPCs, vpcName, step) }
		subnet := func(name string) *want {
			w := ws.add(account.Subnets, name, step)
			if w != nil {
				setIf(&w.vpc, vpcName)
			}
			return w
		}
		group := func(name string) {
			if w := ws.add(account.SecurityGroups, name, step); w != nil {
				setIf(&w.vpc, vpcName)
			}
		}
		switch b.Kind {
		case "vpc":
			if w := ws.add(account.VPCs, param(b, "name"), step); w != nil {
				setIf(&w.cidr, param(b, "cidr"))
			}
		case "subnet":
			vpc()
			if w := subnet(param(b, "name")); w != nil {
				setIf(&w.cidr, param(b, "cidr"))
				setIf(&w.az, param(b, "az"))
				if rt := ws.add(account.RouteTables, param(b, "route_table"), step); rt != nil {
					setIf(&rt.vpc, vpcName)
					rt.subnets = append(rt.subnets, w.name)
				}
			}
		case "internet-gateway":
			vpc()
			if w := ws.add(account.InternetGateways, param(b, "name"), step); w != nil {
				setIf(&w.vpc, vpcName)
			}
		case "elastic-ip":
			ws.add(account.Addresses, param(b, "name"), step)
		case "nat-gateway":
			vpc()
			subnet(param(b, "subnet"))
			if w := ws.add(account.NATGateways, param(b, "name"), step); w != nil {
				setIf(&w.vpc, vpcName)
				setIf(&w.subnet, param(b, "subnet"))
				if e := ws.add(account.Addresses, param(b, "eip"), step); e != nil {
					setIf(&e.nat, w.name)
				}
			}
		case "route":
			vpc()
			from := subnet(param(b, "subnet"))
			typ := map[string]account.Resource{"nat-gateway": account.NATGateways, "internet-gateway": account.InternetGateways}[param(b, "target")]
			if typ != "" {
				if w := ws.add(typ, param(b, "target_name"), step); w != nil && from != nil {
					setIf(&w.vpc, vpcName)
					w.routedBy = append(w.routedBy, from.name)
				}
			}
		case "security-group-egress", "security-group-ingress":
			vpc()
			group(param(b, "group"))
			group(param(b, "from"))
		case "load-balancer":
			ws.add(account.LoadBalancers, param(b, "name"), step)
		case "network-acl":
			vpc()
			subnet(param(b, "subnet"))
		case "gateway-endpoint", "interface-endpoint":
			vpc()
			for _, s := range params(b, "subnets") {
				subnet(s)
			}
			group(param(b, "from"))
		case "egress-path":
			vpc()
			subnet(param(b, "from"))
			group(param(b, "group"))
		case "cleanup":
			vpc()
		case "exposure":
			vpc()
			group(param(b, "group"))
			subnet(param(b, "subnet"))
			if b.Params != nil {
				if v, ok := b.Params.Get("except"); ok {
					if m, ok := v.Mapping(); ok {
						if lb, ok := m.Get("load_balancer"); ok {
							ws.add(account.LoadBalancers, lb.Str(), step)
						}
					}
				}
			}
		}
	}
	return ws
}
