package checks

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/inbound"
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
				{Name: "port", Type: content.Int, Doc: "its listener port (default: any of its listeners)"}}},
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
			r := notFoundNamed(e, "ResService", name, fmt.Sprintf("aws ecs describe-services --cluster %s --services %s", cluster, name))
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
					ep.PublicIPv4 = "assigned at launch"
				}
				// An IPv6 address is public by nature; a subnet that gives
				// one to every new interface gives one to each task.
				if x, ok := e.Snap.Subnet(sn); ok && x.AssignIpv6AddressOnCreation != nil && *x.AssignIpv6AddressOnCreation {
					ep.IPv6 = []string{"assigned at launch"}
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
		for _, n := range e.Snap.NetworkInterfaces {
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
	var fixes, resources []string
	for _, x := range res.Exposures {
		if fix := exposureFix(e, p, t, allow, x); fix != "" && !slices.Contains(fixes, fix) {
			fixes = append(fixes, fix)
		}
		if !slices.Contains(resources, x.Component) {
			resources = append(resources, x.Component)
		}
	}
	x := res.Exposures[0]
	data := exposureData(x, t, allow)
	data["More"] = len(res.Exposures) - 1
	return fail(string(x.Code), exposureMsg[x.Code], data, strings.Join(fixes, "\n"), resources...)
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
	if id, ok := blockedMsg[x.Blocked]; ok {
		m["Blocked"] = i18n.Msg{ID: id, Data: i18n.M{"ID": x.BlockedBy}}
	} else {
		m["Blocked"] = i18n.Msg{ID: "ExposureBlockedNone"}
	}
	return m
}

// exposureFix is the command that closes one way in, or "" when vpclab
// has none to offer. Each is proven: applied to a copy of the snapshot,
// the exposure is gone and the allowed path (if there was one) remains.
func exposureFix(e *Env, p Params, t inbound.Target, allow inbound.Allow, x inbound.Exposure) string {
	cmd, apply := exposureCommand(e, t, x)
	if cmd == "" {
		return ""
	}
	before := inbound.Analyze(e.Snap, t, allow)
	c := cloneForExposure(e.Snap)
	apply(c)
	t2, r := exposureTarget(&Env{Snap: c}, p)
	if r != nil {
		return ""
	}
	after := inbound.Analyze(c, t2, allow)
	for _, y := range after.Exposures {
		if y.Code == x.Code && y.Component == x.Component && y.Source == x.Source && y.Endpoint == x.Endpoint && y.From == x.From && y.To == x.To {
			return "" // not proven: the way in is still there
		}
	}
	if len(before.Allowed) > 0 && len(after.Allowed) == 0 && x.Code != inbound.PublicIP && x.Code != inbound.PublicSubnet {
		return "" // it would close the allowed path too
	}
	return cmd
}

// ipPermJSON is the --ip-permissions form of one rule.
func ipPermJSON(perm *ec2types.IpPermission) string {
	type rng struct {
		CidrIp   string `json:",omitempty"`
		CidrIpv6 string `json:",omitempty"`
	}
	type pl struct{ PrefixListId string }
	type pair struct{ GroupId string }
	out := struct {
		IpProtocol       string
		FromPort         *int32 `json:",omitempty"`
		ToPort           *int32 `json:",omitempty"`
		IpRanges         []rng  `json:",omitempty"`
		Ipv6Ranges       []rng  `json:",omitempty"`
		PrefixListIds    []pl   `json:",omitempty"`
		UserIdGroupPairs []pair `json:",omitempty"`
	}{IpProtocol: str(perm.IpProtocol)}
	if out.IpProtocol != "-1" {
		out.FromPort, out.ToPort = perm.FromPort, perm.ToPort
	}
	for _, r := range perm.IpRanges {
		out.IpRanges = append(out.IpRanges, rng{CidrIp: str(r.CidrIp)})
	}
	for _, r := range perm.Ipv6Ranges {
		out.Ipv6Ranges = append(out.Ipv6Ranges, rng{CidrIpv6: str(r.CidrIpv6)})
	}
	for _, r := range perm.PrefixListIds {
		out.PrefixListIds = append(out.PrefixListIds, pl{str(r.PrefixListId)})
	}
	for _, r := range perm.UserIdGroupPairs {
		out.UserIdGroupPairs = append(out.UserIdGroupPairs, pair{str(r.GroupId)})
	}
	b, _ := json.Marshal([]any{out})
	return string(b)
}

func exposureCommand(e *Env, t inbound.Target, x inbound.Exposure) (string, func(*account.Snapshot)) {
	switch x.Code {
	case inbound.DirectPath, inbound.SGOpen, inbound.SGPrefixList:
		if x.Perm == nil {
			return "", nil
		}
		return fmt.Sprintf("aws ec2 revoke-security-group-ingress --group-id %s --ip-permissions '%s'", x.Component, ipPermJSON(x.Perm)),
			func(c *account.Snapshot) { revoke(c, x.Component, x.Perm) }
	case inbound.SGSourceWide:
		if x.Perm == nil || len(x.Perm.UserIdGroupPairs) == 0 {
			return "", nil
		}
		src := str(x.Perm.UserIdGroupPairs[0].GroupId)
		port := x.ListenerPort
		cmd := fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d --source-group %s\n"+
			"aws ec2 revoke-security-group-ingress --group-id %s --ip-permissions '%s'", x.Component, port, src, x.Component, ipPermJSON(x.Perm))
		return cmd, func(c *account.Snapshot) {
			revoke(c, x.Component, x.Perm)
			authorize(c, x.Component, ec2types.IpPermission{IpProtocol: strp("tcp"), FromPort: &port, ToPort: &port,
				UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: strp(src)}}})
		}
	case inbound.ListenerOther:
		return "aws elbv2 delete-listener --listener-arn " + x.Listener, func(c *account.Snapshot) {
			c.Listeners = slices.DeleteFunc(slices.Clone(c.Listeners), func(l elbtypes.Listener) bool { return str(l.ListenerArn) == x.Listener })
		}
	case inbound.PublicIP, inbound.PublicSubnet:
		if t.Service != "" {
			return serviceToPrivate(e, t)
		}
	}
	return "", nil
}

func strp(s string) *string { return &s }

// serviceToPrivate moves a service to the private subnets of its VPC
// (those without a route to an internet gateway) without a public IP.
func serviceToPrivate(e *Env, t inbound.Target) (string, func(*account.Snapshot)) {
	svc, ok := e.Snap.Service(t.Cluster, t.Service)
	if !ok || svc.NetworkConfiguration == nil || svc.NetworkConfiguration.AwsvpcConfiguration == nil || len(svc.NetworkConfiguration.AwsvpcConfiguration.Subnets) == 0 {
		return "", nil
	}
	cfg := svc.NetworkConfiguration.AwsvpcConfiguration
	first, ok := e.Snap.Subnet(cfg.Subnets[0])
	if !ok {
		return "", nil
	}
	var private []string
	for _, sn := range e.Snap.Subnets {
		if str(sn.VpcId) == str(first.VpcId) && !isPublic(e, sn) {
			private = append(private, str(sn.SubnetId))
		}
	}
	if len(private) == 0 {
		return "", nil
	}
	cmd := fmt.Sprintf("aws ecs update-service --cluster %s --service %s --network-configuration 'awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=DISABLED}'",
		t.Cluster, t.Service, strings.Join(private, ","), strings.Join(cfg.SecurityGroups, ","))
	return cmd, func(c *account.Snapshot) {
		for i, s := range c.Services {
			if str(s.ServiceArn) == str(svc.ServiceArn) {
				nc := *s.NetworkConfiguration
				av := *nc.AwsvpcConfiguration
				av.Subnets, av.AssignPublicIp = private, ecstypes.AssignPublicIpDisabled
				nc.AwsvpcConfiguration = &av
				s.NetworkConfiguration = &nc
				c.Services[i] = s
			}
		}
		// The service replaces its running tasks with ones in the new
		// configuration.
		c.Tasks = slices.DeleteFunc(slices.Clone(c.Tasks), func(task ecstypes.Task) bool { return str(task.Group) == "service:"+t.Service })
	}
}

// cloneForExposure copies what a simulated fix changes.
func cloneForExposure(s *account.Snapshot) *account.Snapshot {
	c := *s
	c.SecurityGroups = slices.Clone(s.SecurityGroups)
	c.Listeners = slices.Clone(s.Listeners)
	c.Services = slices.Clone(s.Services)
	c.Tasks = slices.Clone(s.Tasks)
	return &c
}

// revoke removes from group id the addresses, lists and groups of perm,
// on the ports and protocol of perm, as RevokeSecurityGroupIngress does.
func revoke(c *account.Snapshot, id string, perm *ec2types.IpPermission) {
	for i, g := range c.SecurityGroups {
		if str(g.GroupId) != id {
			continue
		}
		var perms []ec2types.IpPermission
		for _, p := range g.IpPermissions {
			if str(p.IpProtocol) == str(perm.IpProtocol) && (str(p.IpProtocol) == "-1" || (derefI32(p.FromPort) == derefI32(perm.FromPort) && derefI32(p.ToPort) == derefI32(perm.ToPort))) {
				p.IpRanges = slices.DeleteFunc(slices.Clone(p.IpRanges), func(r ec2types.IpRange) bool {
					return slices.ContainsFunc(perm.IpRanges, func(q ec2types.IpRange) bool { return str(q.CidrIp) == str(r.CidrIp) })
				})
				p.Ipv6Ranges = slices.DeleteFunc(slices.Clone(p.Ipv6Ranges), func(r ec2types.Ipv6Range) bool {
					return slices.ContainsFunc(perm.Ipv6Ranges, func(q ec2types.Ipv6Range) bool { return str(q.CidrIpv6) == str(r.CidrIpv6) })
				})
				p.PrefixListIds = slices.DeleteFunc(slices.Clone(p.PrefixListIds), func(r ec2types.PrefixListId) bool {
					return slices.ContainsFunc(perm.PrefixListIds, func(q ec2types.PrefixListId) bool { return str(q.PrefixListId) == str(r.PrefixListId) })
				})
				p.UserIdGroupPairs = slices.DeleteFunc(slices.Clone(p.UserIdGroupPairs), func(r ec2types.UserIdGroupPair) bool {
					return slices.ContainsFunc(perm.UserIdGroupPairs, func(q ec2types.UserIdGroupPair) bool { return str(q.GroupId) == str(r.GroupId) })
				})
				if len(p.IpRanges)+len(p.Ipv6Ranges)+len(p.PrefixListIds)+len(p.UserIdGroupPairs) == 0 {
					continue
				}
			}
			perms = append(perms, p)
		}
		g.IpPermissions = perms
		c.SecurityGroups[i] = g
	}
}

func authorize(c *account.Snapshot, id string, perm ec2types.IpPermission) {
	for i, g := range c.SecurityGroups {
		if str(g.GroupId) == id {
			g.IpPermissions = append(slices.Clone(g.IpPermissions), perm)
			c.SecurityGroups[i] = g
		}
	}
}
