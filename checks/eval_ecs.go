package checks

import (
	"sort"
	"strings"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

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
	// The private subnets the lab names (its subnet checks with public:
	// false) in the service's VPC, as the service's new home.
	var private []string
	var vpcID string
	if sn, ok := e.Snap.Subnet(vpcCfg.Subnets[0]); ok {
		vpcID = str(sn.VpcId)
	}
	for _, sp := range e.labBlocks("subnet", func(p Params) bool { return p.Has("public") && !p.Bool("public", true) }) {
		if sn, n := e.Snap.SubnetByName(sp.Str("name", ""), vpcID); n > 0 && !isPublic(e, sn) {
			private = append(private, str(sn.SubnetId))
		}
	}
	if len(private) == 0 {
		// No subnet of the lab says it is private: the VPC's private ones.
		for _, sn := range e.Snap.Subnets {
			if str(sn.VpcId) == vpcID && !isPublic(e, sn) {
				private = append(private, str(sn.SubnetId))
			}
		}
		sort.Strings(private)
	}
	move := func(r Result) Result {
		if len(private) == 0 || len(vpcCfg.SecurityGroups) == 0 {
			return r
		}
		return r.propose(repair.New(repair.Action{Op: repair.UpdateServiceNetwork, Cluster: cluster, Service2: name, Subnets: private, Groups: vpcCfg.SecurityGroups}))
	}
	if len(public) > 0 {
		if !publicIP {
			// The classic trap: public subnet, no public IP, so the task
			// cannot pull its image through the internet gateway.
			return move(fail("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "CheckServicePublicNoIP", i18n.M{"Name": name, "Subnets": strings.Join(public, ", ")}, "", append([]string{arn}, public...)...))
		}
		return move(fail("SUBNET_IS_PUBLIC", "CheckServicePublicSubnets", i18n.M{"Name": name, "Subnets": strings.Join(public, ", ")}, "", append([]string{arn}, public...)...))
	}
	if min := p.Int("min_running", 0); int(svc.RunningCount) < min {
		return fail("BAD_STATE", "CheckServiceNotRunning", i18n.M{"Name": name, "Running": svc.RunningCount, "Want": min}, "", arn)
	}
	if publicIP {
		w := warn("PUBLIC_IP_IN_PRIVATE_SUBNET", "CheckServicePublicIPWasted", i18n.M{"Name": name}, "", arn)
		return w.propose(repair.New(repair.Action{Op: repair.UpdateServiceNetwork, Cluster: cluster, Service2: name, Subnets: vpcCfg.Subnets, Groups: vpcCfg.SecurityGroups}))
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
	var running *ecstypes.Task
	for i, t := range tasks {
		if str(t.LastStatus) == "RUNNING" {
			running = &tasks[i]
			break
		}
	}
	if running == nil {
		if len(tasks) > 0 && str(tasks[0].StoppedReason) != "" {
			return fail("TASK_STOPPED", "CheckTaskStopped", i18n.M{"Family": family, "Why": str(tasks[0].StoppedReason)}, "",
				str(tasks[0].TaskArn))
		}
		return fail("NOT_FOUND", "CheckTaskNone", i18n.M{"Family": family, "Cluster": cluster}, "")
	}
	arn := str(running.TaskArn)
	eniID, subnetID := taskENI(*running)
	sn, ok := e.Snap.Subnet(subnetID)
	if !ok {
		return fail("NOT_FOUND", "CheckTaskNoENI", i18n.M{"Task": arn}, "", arn)
	}
	if isPublic(e, sn) {
		return fail("SUBNET_IS_PUBLIC", "CheckTaskPublicSubnet", i18n.M{"Task": shortARN(arn), "Subnet": subnetID}, "", arn, subnetID)
	}
	if eni, ok := e.Snap.NetworkInterface(eniID); ok && eni.Association != nil && str(eni.Association.PublicIp) != "" {
		return warn("PUBLIC_IP_IN_PRIVATE_SUBNET", "CheckTaskPublicIP", i18n.M{"Task": shortARN(arn), "IP": str(eni.Association.PublicIp)}, "", arn, eniID)
	}
	return pass("CheckTaskPass", i18n.M{"Task": shortARN(arn), "Subnet": subnetID, "ENI": eniID}, arn, eniID, subnetID)
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
