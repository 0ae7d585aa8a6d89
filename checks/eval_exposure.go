package checks

import (
	"fmt"
	"slices"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/inbound"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// The exposure kind asserts one-way egress from the outside: nothing from
// the internet reaches a workload, on any port, over IPv4 or IPv6, except
// through one load balancer's listener. It registers itself here so the
// kind lives in one file.
func init() {
	kindDocs["exposure"] = "Nothing from the internet (IPv4 or IPv6, any port) reaches the workload — by public IP, internet gateway route, network ACL, security group (CIDR, prefix list, source group) or load balancer — except through `except.load_balancer` on `except.port`; open locks fail too, each with the command that closes it."
	register(&Kind{Name: "exposure",
		Params: []content.Field{
			ref("cluster", "with service or family: the ECS cluster", false),
			ref("service", "the ECS service whose tasks (or, before they run, network configuration) are judged", false),
			ref("family", "the task definition family of standalone tasks to judge", false),
			ref("group", "without service or family: every network interface in this security group (Name tag or group name)", false),
			ref("vpc", "Name tag of the VPC", false),
			{Name: "except", Type: content.Object, Doc: "the one path allowed in", Fields: []content.Field{
				{Name: "load_balancer", Type: content.String, Required: true, Doc: "name of the load balancer"},
				{Name: "port", Type: content.Port, Doc: "its listener port (default: any of its listeners)"}}},
		},
		Resources: with(routing, account.NetworkACLs, account.SecurityGroups, account.PrefixLists, account.LoadBalancers,
			account.Listeners, account.TargetGroups, account.ECSServices, account.ECSTasks, account.NetworkInterfaces),
		Need: func(p Params, n *account.Need) {
			if c := p.Str("cluster", ""); c != "" {
				n.AddCluster(c)
				if s := p.Str("service", ""); s != "" {
					n.AddService(c, s)
				}
			}
		},
		Eval: evalExposure})
}

func exposureAllow(p Params) inbound.Allow {
	v, ok := p.get("except")
	if !ok {
		return inbound.Allow{}
	}
	m, ok := v.Mapping()
	if !ok {
		return inbound.Allow{}
	}
	q := NewParams(m)
	return inbound.Allow{LoadBalancer: q.Str("load_balancer", ""), Port: int32(q.Int("port", 0))}
}

// exposureTarget builds the workload from the parameters. ok is false
// with a result when the workload is not there.
func exposureTarget(e *Env, p Params) (inbound.Target, *Result) {
	cluster := p.Str("cluster", "")
	switch {
	case p.Has("service"):
		name := p.Str("service", "")
		svc, ok := e.Snap.Service(cluster, name)
		if !ok {
			r := notFoundNamed(e, "ResService", name, "")
			return inbound.Target{}, &r
		}
		t := inbound.Target{Label: name, Cluster: cluster, Service: name, TargetGroups: map[string]int32{}}
		for _, lb := range svc.LoadBalancers {
			if arn := str(lb.TargetGroupArn); arn != "" {
				t.TargetGroups[arn] = derefI32(lb.ContainerPort)
			}
		}
		for _, task := range e.Snap.TasksOf(cluster, "") {
			if str(task.Group) == "service:"+name && str(task.LastStatus) != "STOPPED" {
				t.Endpoints = append(t.Endpoints, taskEndpoints(e, task)...)
			}
		}
		// The configuration is what the next task will get: judge it too,
		// even while tasks run (moto never starts a service's tasks).
		if nc := svc.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
			c := nc.AwsvpcConfiguration
			for _, sn := range c.Subnets {
				ep := inbound.Endpoint{SubnetID: sn, Groups: c.SecurityGroups}
				if c.AssignPublicIp == ecstypes.AssignPublicIpEnabled {
					ep.PublicIPv4 = inbound.AssignedAtLaunch
				}
				// An IPv6 address is public by nature; a subnet that gives
				// one to every new interface gives one to each task.
				if x, ok := e.Snap.Subnet(sn); ok && x.AssignIpv6AddressOnCreation != nil && *x.AssignIpv6AddressOnCreation {
					ep.IPv6 = []string{inbound.AssignedAtLaunch}
				}
				t.Endpoints = append(t.Endpoints, ep)
			}
		}
		return t, nil
	case p.Has("family"):
		fam := p.Str("family", "")
		t := inbound.Target{Label: fam, Cluster: cluster}
		for _, task := range e.Snap.TasksOf(cluster, fam) {
			if str(task.LastStatus) != "STOPPED" {
				t.Endpoints = append(t.Endpoints, taskEndpoints(e, task)...)
			}
		}
		if len(t.Endpoints) == 0 {
			r := fail("NOT_FOUND", "CheckExposureNoTask", i18n.M{"Family": fam, "Cluster": cluster}, "")
			return t, &r
		}
		return t, nil
	default:
		sg, r := findGroup(e, p)
		if r != nil {
			return inbound.Target{}, r
		}
		id := str(sg.GroupId)
		t := inbound.Target{Label: id}
		// A stopped task's interface is no workload: AWS deletes it (the
		// sandbox leaves it in-use).
		stopped := map[string]bool{}
		for _, task := range e.Snap.Tasks {
			if str(task.LastStatus) == "STOPPED" {
				for _, a := range task.Attachments {
					for _, d := range a.Details {
						if str(d.Name) == "networkInterfaceId" {
							stopped[str(d.Value)] = true
						}
					}
				}
			}
		}
		for _, n := range e.Snap.NetworkInterfaces {
			if stopped[str(n.NetworkInterfaceId)] {
				continue
			}
			for _, g := range n.Groups {
				if str(g.GroupId) == id {
					t.Endpoints = append(t.Endpoints, eniEndpoint(n))
				}
			}
		}
		if len(t.Endpoints) == 0 {
			// Nothing runs in the group yet: judge the group's own rules.
			t.Endpoints = []inbound.Endpoint{{Groups: []string{id}}}
		}
		return t, nil
	}
}

func derefI32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func taskEndpoints(e *Env, t ecstypes.Task) []inbound.Endpoint {
	var out []inbound.Endpoint
	for _, id := range account.TaskENIs([]ecstypes.Task{t}) {
		if n, ok := e.Snap.NetworkInterface(id); ok {
			ep := eniEndpoint(n)
			ep.Task = str(t.TaskArn)
			out = append(out, ep)
		}
	}
	return out
}

func eniEndpoint(n ec2types.NetworkInterface) inbound.Endpoint {
	ep := inbound.Endpoint{ENIID: str(n.NetworkInterfaceId), SubnetID: str(n.SubnetId), IPv4: str(n.PrivateIpAddress)}
	for _, g := range n.Groups {
		ep.Groups = append(ep.Groups, str(g.GroupId))
	}
	if n.Association != nil {
		ep.PublicIPv4 = str(n.Association.PublicIp)
	}
	// A secondary private address is reached the same way: as an IP
	// target, or through a public address mapped to it.
	for _, a := range n.PrivateIpAddresses {
		if ip := str(a.PrivateIpAddress); ip != "" && ip != ep.IPv4 {
			ep.Secondary = append(ep.Secondary, ip)
		}
		if a.Association != nil && ep.PublicIPv4 == "" {
			ep.PublicIPv4 = str(a.Association.PublicIp)
		}
	}
	for _, a := range n.Ipv6Addresses {
		ep.IPv6 = append(ep.IPv6, str(a.Ipv6Address))
	}
	if n.Attachment != nil {
		ep.Instance = str(n.Attachment.InstanceId)
	}
	return ep
}

func evalExposure(e *Env, p Params) Result {
	t, r := exposureTarget(e, p)
	if r != nil {
		return *r
	}
	allow := exposureAllow(p)
	res := inbound.Analyze(e.Snap, t, allow)
	if len(res.Exposures) == 0 {
		if allow.LoadBalancer != "" && len(res.Allowed) > 0 {
			return pass("CheckExposurePassVia", i18n.M{"Target": t.Label, "LB": allow.LoadBalancer, "Port": portLabel(allow.Port)}, t.Label)
		}
		return pass("CheckExposurePassNone", i18n.M{"Target": t.Label}, t.Label)
	}
	var resources []string
	for _, x := range res.Exposures {
		if !slices.Contains(resources, x.Component) {
			resources = append(resources, x.Component)
		}
	}
	x := res.Exposures[0]
	data := exposureData(x, t, allow)
	data["More"] = len(res.Exposures) - 1
	return fail(string(x.Code), exposureMsg[x.Code], data, "", resources...).propose(exposurePlan(e, p, t, allow, res))
}

var exposureMsg = map[inbound.Code]string{
	inbound.DirectPath:    "CheckExposureDirect",
	inbound.ListenerOther: "CheckExposureListener",
	inbound.LBOther:       "CheckExposureLB",
	inbound.SGOpen:        "CheckExposureSGOpen",
	inbound.SGPrefixList:  "CheckExposurePrefixList",
	inbound.SGSourceWide:  "CheckExposureSourceWide",
	inbound.PublicIP:      "CheckExposurePublicIP",
	inbound.PublicSubnet:  "CheckExposurePublicSubnet",
}

var blockedMsg = map[inbound.Code]string{
	inbound.NoPublicAddress: "ExposureBlockedNoPublic",
	inbound.NoRouteToIGW:    "ExposureBlockedNoRoute",
	inbound.ACLRestriction:  "ExposureBlockedACL",
}

func portLabel(p int32) string {
	if p == 0 {
		return "*"
	}
	return fmt.Sprint(p)
}

func exposureData(x inbound.Exposure, t inbound.Target, allow inbound.Allow) i18n.M {
	m := i18n.M{"Target": t.Label, "Endpoint": x.Endpoint, "Group": x.Component, "Source": x.Source, "Ports": x.Ports(),
		"Protocol": x.Protocol, "Family": x.Family, "LB": x.Via, "Listener": x.ListenerPort, "Port": x.From,
		"Allowed": allow.LoadBalancer + ":" + portLabel(allow.Port), "IP": x.Source, "Subnet": x.Component, "Table": x.Source}
	if x.Code == inbound.SGSourceWide {
		m["Port"] = x.ListenerPort
	}
	for _, k := range []string{"IP", "Source", "Table"} {
		if m[k] == inbound.AssignedAtLaunch {
			m[k] = i18n.Msg{ID: "ExposureAssignedAtLaunch"}
		}
	}
	if x.Blocked == inbound.NoPublicAddress && x.BlockedBy == "" {
		m["Blocked"] = i18n.Msg{ID: "ExposureBlockedNoWorkload"} // nothing runs behind the group yet
	} else if id, ok := blockedMsg[x.Blocked]; ok {
		m["Blocked"] = i18n.Msg{ID: id, Data: i18n.M{"ID": x.BlockedBy}}
	} else {
		m["Blocked"] = i18n.Msg{ID: "ExposureBlockedNone"}
	}
	return m
}

// exposurePlan closes every way in at once: revoke each open rule
// exactly, narrow a rule that trusts a load balancer's group on more than
// its target port, delete a listener the assertion does not allow, move a
// service to private subnets without a public IP. EvaluateLab proves the
// plan against the lab; what it cannot know is the one path the assertion
// allows, so each step must keep that path open: a rule the allowed load
// balancer reaches the workload by is replaced by one from its security
// group, and a step that would still cut the path is left out.
func exposurePlan(e *Env, p Params, t inbound.Target, allow inbound.Allow, res inbound.Result) *repair.Plan {
	plan := repair.New()
	seen := map[string]bool{}
	for _, x := range res.Exposures {
		as := exposureActions(e, t, x)
		if len(as) == 0 {
			continue
		}
		key := repair.New(as...).Key()
		if seen[key] {
			continue
		}
		seen[key] = true
		if len(res.Allowed) > 0 && !keepsAllowed(e, p, allow, plan, as) {
			pre := admitAllowed(e, x.Component, res.Allowed, plan)
			if len(pre) == 0 || !keepsAllowed(e, p, allow, plan, append(pre, as...)) {
				continue
			}
			as = append(pre, as...)
		}
		plan.Add(as...)
	}
	return plan
}

// keepsAllowed reports whether the allowed path survives plan and then as.
func keepsAllowed(e *Env, p Params, allow inbound.Allow, plan *repair.Plan, as []repair.Action) bool {
	c := e.Snap.Clone()
	if repair.New(append(slices.Clone(plan.Actions), as...)...).Apply(c) != nil {
		return false
	}
	t, r := exposureTarget(&Env{Snap: c, Lab: e.Lab, Block: e.Block}, p)
	return r == nil && len(inbound.Analyze(c, t, allow).Allowed) > 0
}

// admitAllowed are the rules that let the allowed load balancers into
// group by their own security group on the target port, for when the
// rule being revoked is how they get in now.
func admitAllowed(e *Env, group string, allowed []inbound.Exposure, plan *repair.Plan) []repair.Action {
	var out []repair.Action
	have := func(r *repair.Rule) bool {
		for _, a := range append(slices.Clone(plan.Actions), out...) {
			if a.Op == repair.AuthorizeIngress && a.Group == group && *a.Rule == *r {
				return true
			}
		}
		return hasIngress(e, group, r)
	}
	for _, x := range allowed {
		for _, lb := range e.Snap.LoadBalancers {
			if str(lb.LoadBalancerArn) != x.Component || len(lb.SecurityGroups) == 0 {
				continue
			}
			r := &repair.Rule{Protocol: "tcp", From: int(x.From), To: int(x.From), Group: lb.SecurityGroups[0]}
			if !have(r) {
				out = append(out, repair.Action{Op: repair.AuthorizeIngress, Group: group, Rule: r})
			}
		}
	}
	return out
}

// ruleOf is an exposure's security group rule (one peer) as a repair rule.
func ruleOf(perm *ec2types.IpPermission) *repair.Rule {
	r := &repair.Rule{Protocol: strings.ToLower(str(perm.IpProtocol))}
	if r.Protocol != "-1" {
		r.From, r.To = int(derefI32(perm.FromPort)), int(derefI32(perm.ToPort))
	}
	switch {
	case len(perm.IpRanges) > 0:
		r.CIDR = str(perm.IpRanges[0].CidrIp)
	case len(perm.Ipv6Ranges) > 0:
		r.CIDRv6 = str(perm.Ipv6Ranges[0].CidrIpv6)
	case len(perm.PrefixListIds) > 0:
		r.PrefixList = str(perm.PrefixListIds[0].PrefixListId)
	case len(perm.UserIdGroupPairs) > 0:
		r.Group = str(perm.UserIdGroupPairs[0].GroupId)
	default:
		return nil
	}
	return r
}

// exposureActions close one way in; none when vpclab has nothing to offer.
func exposureActions(e *Env, t inbound.Target, x inbound.Exposure) []repair.Action {
	switch x.Code {
	case inbound.DirectPath, inbound.SGOpen, inbound.SGPrefixList:
		if x.Perm == nil {
			return nil
		}
		if r := ruleOf(x.Perm); r != nil {
			return []repair.Action{{Op: repair.RevokeIngress, Group: x.Component, Rule: r}}
		}
	case inbound.SGSourceWide:
		if x.Perm == nil || len(x.Perm.UserIdGroupPairs) == 0 {
			return nil
		}
		wide := ruleOf(x.Perm)
		if wide == nil {
			return nil
		}
		port := int(x.ListenerPort)
		narrow := &repair.Rule{Protocol: "tcp", From: port, To: port, Group: wide.Group}
		var as []repair.Action
		// The narrow rule first, so the load balancer is never cut off.
		if !hasIngress(e, x.Component, narrow) {
			as = append(as, repair.Action{Op: repair.AuthorizeIngress, Group: x.Component, Rule: narrow})
		}
		return append(as, repair.Action{Op: repair.RevokeIngress, Group: x.Component, Rule: wide})
	case inbound.ListenerOther:
		a := repair.Action{Op: repair.DeleteListener, ARN: x.Listener, LoadBalancer: x.Via, Port: int(x.ListenerPort)}
		return []repair.Action{a}
	case inbound.PublicIP, inbound.PublicSubnet:
		if t.Service != "" {
			return serviceToPrivate(e, t)
		}
	}
	return nil
}

// hasIngress reports whether group already admits exactly r (TCP, its
// port, its peer group).
func hasIngress(e *Env, group string, r *repair.Rule) bool {
	g, ok := e.Snap.SecurityGroup(group)
	if !ok {
		return false
	}
	for _, p := range g.IpPermissions {
		proto := strings.ToLower(str(p.IpProtocol))
		if (proto != "tcp" && proto != "6") || int(derefI32(p.FromPort)) != r.From || int(derefI32(p.ToPort)) != r.To {
			continue
		}
		for _, pair := range p.UserIdGroupPairs {
			if str(pair.GroupId) == r.Group {
				return true
			}
		}
	}
	return false
}

// serviceToPrivate moves a service to the private subnets of its VPC
// (those without a route to an internet gateway) without a public IP.
func serviceToPrivate(e *Env, t inbound.Target) []repair.Action {
	svc, ok := e.Snap.Service(t.Cluster, t.Service)
	if !ok || svc.NetworkConfiguration == nil || svc.NetworkConfiguration.AwsvpcConfiguration == nil || len(svc.NetworkConfiguration.AwsvpcConfiguration.Subnets) == 0 {
		return nil
	}
	cfg := svc.NetworkConfiguration.AwsvpcConfiguration
	first, ok := e.Snap.Subnet(cfg.Subnets[0])
	if !ok || len(cfg.SecurityGroups) == 0 {
		return nil
	}
	var private []string
	for _, sn := range e.Snap.Subnets {
		if str(sn.VpcId) == str(first.VpcId) && !isPublic(e, sn) {
			private = append(private, str(sn.SubnetId))
		}
	}
	if len(private) == 0 {
		return nil
	}
	return []repair.Action{{Op: repair.UpdateServiceNetwork, Cluster: t.Cluster, Service2: t.Service, Subnets: private, Groups: slices.Clone(cfg.SecurityGroups)}}
}
