package checks

import (
	"slices"
	"sort"
	"strings"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/i18n"
)

func evalCluster(e *Env, p Params) Result {
	name := p.Str("name", "")
	c, ok := e.Snap.Cluster(name)
	if !ok {
		return notFoundNamed(e, "ResCluster", name, "").propose(repair.New(repair.Action{Op: repair.CreateCluster, Cluster: name}))
	}
	return pass("CheckClusterPass", i18n.M{"Name": name, "Running": c.RunningTasksCount}, str(c.ClusterArn))
}

func evalService(e *Env, p Params) Result {
	cluster, name := p.Str("cluster", ""), p.Str("name", "")
	svc, ok := e.Snap.Service(cluster, name)
	if !ok {
		return notFoundNamed(e, "ResService", name, "")
	}
	arn := str(svc.ServiceArn)
	if !isFargate(svc) {
		return fail("NOT_FARGATE", "CheckServiceNotFargate", i18n.M{"Name": name}, "", arn)
	}
	nc := svc.NetworkConfiguration
	if nc == nil || nc.AwsvpcConfiguration == nil || len(nc.AwsvpcConfiguration.Subnets) == 0 {
		return fail("NO_AWSVPC", "CheckServiceNoNetwork", i18n.M{"Name": name}, "", arn)
	}
	vpcCfg := nc.AwsvpcConfiguration
	var public []string
	for _, id := range vpcCfg.Subnets {
		if sn, ok := e.Snap.Subnet(id); ok && isPublic(e, sn) {
			public = append(public, id)
		}
	}
	publicIP := vpcCfg.AssignPublicIp == ecstypes.AssignPublicIpEnabled
	var vpcID string
	if sn, ok := e.Snap.Subnet(vpcCfg.Subnets[0]); ok {
		vpcID = str(sn.VpcId)
	}
	private := e.privateSubnets(vpcID)
	// Every fix that sets the service's network gives it the lab's group
	// when the check names one, so that it is not withheld for leaving
	// the service in the wrong group.
	groups := vpcCfg.SecurityGroups
	if g := labGroup(e, p, vpcID); g != "" {
		groups = []string{g}
	}
	move := func(r Result) Result {
		if len(private) == 0 || len(groups) == 0 {
			return r
		}
		return r.propose(repair.New(repair.Action{Op: repair.UpdateServiceNetwork, Cluster: cluster, Service2: name, Subnets: private, Groups: groups}))
	}
	if len(public) > 0 {
		if !publicIP {
			// The classic trap: public subnet, no public IP, so the task
			// cannot pull its image through the internet gateway.
			return move(fail("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "CheckServicePublicNoIP", i18n.M{"Name": name, "Subnets": strings.Join(public, ", ")}, "", append([]string{arn}, public...)...))
		}
		return move(fail("SUBNET_IS_PUBLIC", "CheckServicePublicSubnets", i18n.M{"Name": name, "Subnets": strings.Join(public, ", ")}, "", append([]string{arn}, public...)...))
	}
	if r, wrong := wrongTaskGroup(e, p, vpcID, vpcCfg.SecurityGroups, "CheckServiceWrongSG", i18n.M{"Name": name}, arn); wrong {
		// groups is the lab's group alone here.
		return r.propose(repair.New(repair.Action{Op: repair.UpdateServiceNetwork, Cluster: cluster, Service2: name, Subnets: vpcCfg.Subnets, Groups: groups}))
	}
	if svc.DesiredCount == 0 {
		// A service that wants no task runs none: nothing serves, nothing
		// registers with the load balancer.
		return fail("SERVICE_DESIRED_ZERO", "CheckServiceDesiredZero", i18n.M{"Name": name}, "", arn).
			propose(repair.New(repair.Action{Op: repair.SetDesiredCount, Cluster: cluster, Service2: name, Count: max(1, p.Int("min_running", 0))}))
	}
	if min := p.Int("min_running", 0); int(svc.RunningCount) < min {
		return fail("BAD_STATE", "CheckServiceNotRunning", i18n.M{"Name": name, "Running": svc.RunningCount, "Want": min}, "", arn)
	}
	if publicIP {
		// Every lab runs its services without public IPs: one there is
		// billed, does nothing, and is an open lock (a route to the
		// internet gateway later would expose the tasks at once).
		f := fail("PUBLIC_IP_IN_PRIVATE_SUBNET", "CheckServicePublicIPWasted", i18n.M{"Name": name}, "", arn)
		return f.propose(repair.New(repair.Action{Op: repair.UpdateServiceNetwork, Cluster: cluster, Service2: name, Subnets: vpcCfg.Subnets, Groups: groups}))
	}
	return pass("CheckServicePass", i18n.M{"Name": name, "Subnets": len(vpcCfg.Subnets), "Running": svc.RunningCount}, arn)
}

func isFargate(svc ecstypes.Service) bool {
	if svc.LaunchType == ecstypes.LaunchTypeFargate {
		return true
	}
	for _, s := range svc.CapacityProviderStrategy {
		if strings.HasPrefix(str(s.CapacityProvider), "FARGATE") {
			return true
		}
	}
	return false
}

func evalTask(e *Env, p Params) Result {
	cluster, family := p.Str("cluster", ""), p.Str("family", "")
	tasks := e.Snap.TasksOf(cluster, family)
	// A task run again runs with the lab's group when the check names
	// one, whatever it had, so that no fix is withheld for that.
	runTask := func() (repair.Action, bool) {
		run, ok := e.runTaskAction(cluster, family, tasks)
		if ok && len(run.Subnets) > 0 {
			if sn, found := e.Snap.Subnet(run.Subnets[0]); found {
				if g := labGroup(e, p, str(sn.VpcId)); g != "" {
					run.Groups = []string{g}
				}
			}
		}
		return run, ok
	}
	var running *ecstypes.Task
	for i, t := range tasks {
		if str(t.LastStatus) == "RUNNING" {
			running = &tasks[i]
			break
		}
	}
	if running == nil {
		var r Result
		if len(tasks) > 0 && str(tasks[0].StoppedReason) != "" {
			r = fail("TASK_STOPPED", "CheckTaskStopped", i18n.M{"Family": family, "Why": str(tasks[0].StoppedReason)}, "",
				str(tasks[0].TaskArn))
		} else {
			r = fail("NOT_FOUND", "CheckTaskNone", i18n.M{"Family": family, "Cluster": cluster}, "")
		}
		if run, ok := runTask(); ok {
			old := ""
			if len(tasks) > 0 {
				old = account.TaskIP(tasks[0]) // a stopped task's address may still be registered
			}
			r = r.propose(e.reregister(p, repair.New(run), cluster, old))
		}
		return r
	}
	arn := str(running.TaskArn)
	eniID, subnetID := taskENI(*running)
	sn, ok := e.Snap.Subnet(subnetID)
	if !ok {
		return fail("NOT_FOUND", "CheckTaskNoENI", i18n.M{"Task": arn}, "", arn)
	}
	// A task cannot move or change its groups: it is stopped and run again,
	// and registered where it was (and where the check says it must be),
	// or the load balancer would be left sending to an address gone.
	replace := func(run repair.Action) *repair.Plan {
		return e.reregister(p, repair.New(repair.Action{Op: repair.StopTask, Cluster: cluster, ARN: arn}, run), cluster, account.TaskIP(*running))
	}
	if isPublic(e, sn) {
		r := fail("SUBNET_IS_PUBLIC", "CheckTaskPublicSubnet", i18n.M{"Task": shortARN(arn), "Subnet": subnetID}, "", arn, subnetID)
		// In the private subnets, with the same groups.
		if run, ok := runTask(); ok {
			r = r.propose(replace(run))
		}
		return r
	}
	eni, hasENI := e.Snap.NetworkInterface(eniID)
	if hasENI {
		var groups []string
		for _, g := range eni.Groups {
			groups = append(groups, str(g.GroupId))
		}
		if r, wrong := wrongTaskGroup(e, p, str(sn.VpcId), groups, "CheckTaskWrongSG", i18n.M{"Task": shortARN(arn)}, arn); wrong {
			// A task's groups cannot change: stop it and run it again
			// with the lab's group, where it runs now.
			if run, ok := runTask(); ok {
				r = r.propose(replace(run))
			}
			return r
		}
	}
	if hasENI && eni.Association != nil && str(eni.Association.PublicIp) != "" {
		w := warn("PUBLIC_IP_IN_PRIVATE_SUBNET", "CheckTaskPublicIP", i18n.M{"Task": shortARN(arn), "IP": str(eni.Association.PublicIp)}, "", arn, eniID)
		if run, ok := runTask(); ok {
			w = w.propose(replace(run))
		}
		return w
	}
	if name := p.Str("target_group", ""); name != "" {
		tg, ok := e.Snap.TargetGroupByName(name)
		if !ok {
			return fail("NOT_FOUND", "CheckTaskTargetGroupNone", i18n.M{"Task": shortARN(arn), "Group": name}, "", arn)
		}
		ip := account.TaskIP(*running)
		if _, ok := registered(e, tg, ip); ip != "" && !ok {
			port := int(derefI32(tg.Port))
			return fail("TASK_NOT_REGISTERED", "CheckTaskNotRegistered", i18n.M{"Task": shortARN(arn), "IP": ip, "Group": name}, "",
				arn, str(tg.TargetGroupArn)).propose(repair.New(repair.Action{Op: repair.RegisterTarget, ARN: str(tg.TargetGroupArn), Name: name, Target: ip, Port: port}))
		}
	}
	return pass("CheckTaskPass", i18n.M{"Task": shortARN(arn), "Subnet": subnetID, "ENI": eniID}, arn, eniID, subnetID)
}

// registered reports whether ip is a target of tg that is not being
// deregistered, and on which port.
func registered(e *Env, tg elbtypes.TargetGroup, ip string) (int, bool) {
	for _, d := range e.Snap.Targets[str(tg.TargetGroupArn)] {
		if d.Target != nil && str(d.Target.Id) == ip && (d.TargetHealth == nil || d.TargetHealth.State != elbtypes.TargetHealthStateEnumDraining) {
			return int(derefI32(d.Target.Port)), true
		}
	}
	return 0, false
}

// reregister adds to plan, which stops a task of cluster (at oldIP) and
// runs a new one ($TASK_ARN), what keeps load balancers sending to it: in
// every target group that has the old address, and in the check's
// target_group, the new task's address is registered and the old one
// removed.
func (e *Env) reregister(p Params, plan *repair.Plan, cluster, oldIP string) *repair.Plan {
	var groups []elbtypes.TargetGroup
	if name := p.Str("target_group", ""); name != "" {
		if tg, ok := e.Snap.TargetGroupByName(name); ok {
			groups = append(groups, tg)
		}
	}
	for _, tg := range e.Snap.TargetGroups {
		if _, had := registered(e, tg, oldIP); had && oldIP != "" &&
			!slices.ContainsFunc(groups, func(g elbtypes.TargetGroup) bool { return str(g.TargetGroupArn) == str(tg.TargetGroupArn) }) {
			groups = append(groups, tg)
		}
	}
	if len(groups) == 0 {
		return plan
	}
	plan.Add(repair.Action{Op: repair.TaskIP, Cluster: cluster, Target: repair.Var("TASK_ARN"), Var: "TASK_IP"})
	for _, tg := range groups {
		arn, name, port := str(tg.TargetGroupArn), str(tg.TargetGroupName), int(derefI32(tg.Port))
		oldPort, had := registered(e, tg, oldIP)
		if had && oldIP != "" {
			port = oldPort // the new task serves where the old one did
		}
		plan.Add(repair.Action{Op: repair.RegisterTarget, ARN: arn, Name: name, Target: repair.Var("TASK_IP"), Port: port})
		if had && oldIP != "" {
			plan.Add(repair.Action{Op: repair.DeregisterTarget, ARN: arn, Name: name, Target: oldIP, Port: oldPort})
		}
	}
	return plan
}

// labGroup is the id of the tasks' group the check names (security_group)
// in vpcID, or "" when it names none or the account lacks it.
func labGroup(e *Env, p Params, vpcID string) string {
	want := p.Str("security_group", "")
	if want == "" || vpcID == "" {
		return ""
	}
	if sg, ok := e.Snap.SecurityGroupByName(want, vpcID); ok {
		return str(sg.GroupId)
	}
	return ""
}

// wrongTaskGroup fails a task or service (res) whose groups lack the
// lab's own (the check's security_group, in vpcID): run without
// --security-groups, it is in the VPC's default group, which nothing the
// lab opens can reach, and every other check of it passes. The result's
// Resources are res, the lab's group, then the groups it has. A group the
// account lacks is its own check's to report.
func wrongTaskGroup(e *Env, p Params, vpcID string, groups []string, msg string, data i18n.M, res string) (Result, bool) {
	wantID := labGroup(e, p, vpcID)
	if wantID == "" || slices.Contains(groups, wantID) {
		return Result{}, false
	}
	var got []any
	for _, id := range groups {
		label := id
		if g, ok := e.Snap.SecurityGroup(id); ok {
			label = str(g.GroupName) + " (" + id + ")"
		}
		got = append(got, label)
	}
	if len(got) == 0 {
		got = append(got, "-")
	}
	data["Want"], data["WantID"], data["Got"] = p.Str("security_group", ""), wantID, i18n.Joined{Parts: got, Sep: ", "}
	return fail("WRONG_SECURITY_GROUP", msg, data, "", append([]string{res, wantID}, groups...)...), true
}

// taskENI reads a task's network interface and subnet from its awsvpc
// attachment.
func taskENI(t ecstypes.Task) (eni, subnet string) {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			switch str(d.Name) {
			case "networkInterfaceId":
				eni = str(d.Value)
			case "subnetId":
				subnet = str(d.Value)
			}
		}
	}
	return eni, subnet
}

func shortARN(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// privateSubnets are the private subnets the lab names (its subnet checks
// with public: false) in the VPC, else the VPC's private subnets: where a
// task or service of the lab belongs.
func (e *Env) privateSubnets(vpcID string) []string {
	var private []string
	if vpcID == "" {
		return nil
	}
	for _, sp := range e.labBlocks("subnet", func(p Params) bool { return p.Has("public") && !p.Bool("public", true) }) {
		if sn, n := e.Snap.SubnetByName(sp.Str("name", ""), vpcID); n > 0 && !isPublic(e, sn) && !slices.Contains(private, str(sn.SubnetId)) {
			private = append(private, str(sn.SubnetId))
		}
	}
	if len(private) == 0 {
		for _, sn := range e.Snap.Subnets {
			if str(sn.VpcId) == vpcID && !isPublic(e, sn) {
				private = append(private, str(sn.SubnetId))
			}
		}
		sort.Strings(private)
	}
	return private
}

// runTaskAction is the run-task that gives the lab its task of the family
// again: in the lab's private subnets, without a public IP, with the
// groups the family's tasks had (their interfaces), else those of a
// service of the family, else the workload group the lab guards (its
// exposure and security-group-egress checks). ok is false when vpclab
// cannot name both.
func (e *Env) runTaskAction(cluster, family string, tasks []ecstypes.Task) (repair.Action, bool) {
	if _, ok := e.Snap.Cluster(cluster); !ok || family == "" {
		return repair.Action{}, false
	}
	var vpcID string
	var groups []string
	for _, t := range tasks {
		eniID, subnetID := taskENI(t)
		if sn, ok := e.Snap.Subnet(subnetID); ok && vpcID == "" {
			vpcID = str(sn.VpcId)
		}
		if eni, ok := e.Snap.NetworkInterface(eniID); ok && len(groups) == 0 {
			for _, g := range eni.Groups {
				groups = append(groups, str(g.GroupId))
			}
		}
	}
	for _, svc := range e.Snap.Services {
		if !strings.HasSuffix(str(svc.ClusterArn), "/"+cluster) || account.TaskFamily(str(svc.TaskDefinition)) != family ||
			svc.NetworkConfiguration == nil || svc.NetworkConfiguration.AwsvpcConfiguration == nil {
			continue
		}
		c := svc.NetworkConfiguration.AwsvpcConfiguration
		if sn, ok := e.Snap.Subnet(firstOf(c.Subnets)); ok && vpcID == "" {
			vpcID = str(sn.VpcId)
		}
		if len(groups) == 0 {
			groups = append(groups, c.SecurityGroups...)
		}
	}
	if len(groups) == 0 {
		for _, kind := range []string{"exposure", "security-group-egress"} {
			for _, p := range e.labBlocks(kind, func(p Params) bool { return p.Str("group", "") != "" }) {
				vid := vpcID
				if vid == "" {
					if v, n := e.Snap.VPCByName(p.Str("vpc", "")); n > 0 {
						vid = str(v.VpcId)
					}
				}
				if g, ok := e.Snap.SecurityGroupByName(p.Str("group", ""), vid); ok && vid != "" {
					groups, vpcID = []string{str(g.GroupId)}, vid
					break
				}
			}
			if len(groups) > 0 {
				break
			}
		}
	}
	if vpcID == "" && len(groups) > 0 {
		if g, ok := e.Snap.SecurityGroup(groups[0]); ok {
			vpcID = str(g.VpcId)
		}
	}
	subnets := e.privateSubnets(vpcID)
	if len(subnets) == 0 || len(groups) == 0 {
		return repair.Action{}, false
	}
	return repair.Action{Op: repair.RunTask, Cluster: cluster, Family: family, Subnets: subnets, Groups: groups}, true
}

func firstOf(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}
