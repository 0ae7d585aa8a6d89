package mutate

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/account"
)

func (g *gen) newVPCs() []ec2types.Vpc {
	old := map[string]bool{}
	for _, v := range g.before.VPCs {
		old[s(v.VpcId)] = true
	}
	var out []ec2types.Vpc
	for _, v := range labVPCs(g.after) {
		if !old[s(v.VpcId)] {
			out = append(out, v)
		}
	}
	return out
}

func (g *gen) newAssociations() []ec2types.RouteTableAssociation {
	old := map[string]bool{}
	for _, rt := range g.before.RouteTables {
		for _, a := range rt.Associations {
			old[s(a.SubnetId)+"|"+s(a.RouteTableId)] = true
		}
	}
	var out []ec2types.RouteTableAssociation
	for _, rt := range g.after.RouteTables {
		for _, a := range rt.Associations {
			if a.SubnetId != nil && !old[s(a.SubnetId)+"|"+s(a.RouteTableId)] && inLabVPC(g.after, s(rt.VpcId)) {
				out = append(out, a)
			}
		}
	}
	return out
}

// assocSwap moves a newly associated subnet (public or private) onto
// another table of its VPC that want accepts.
func (g *gen) assocSwap(public bool, want func(ec2types.RouteTable) bool) []*Mutant {
	var out []*Mutant
	for _, a := range g.newAssociations() {
		if subnetPublic(g.after, s(a.SubnetId)) != public {
			continue
		}
		sn, _ := g.after.Subnet(s(a.SubnetId))
		cur, _ := routeTable(g.after, s(a.RouteTableId))
		for _, rt := range g.after.RouteTables {
			if s(rt.VpcId) != s(sn.VpcId) || s(rt.RouteTableId) == s(a.RouteTableId) || !want(rt) || sameRoutes(rt, cur) {
				continue
			}
			out = append(out, &Mutant{Target: subnetName(g.after, s(a.SubnetId)),
				Detail: fmt.Sprintf("replace-route-table-association %s → %s (%s)", s(a.RouteTableAssociationId), label(account.Name(rt.Tags), s(rt.RouteTableId)), s(rt.RouteTableId)),
				apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
					_, err := c.ec2.ReplaceRouteTableAssociation(ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: a.RouteTableAssociationId, RouteTableId: rt.RouteTableId})
					return nil, err
				}})
			break
		}
	}
	return out
}

type igwAttachment struct {
	igw ec2types.InternetGateway
	vpc string
}

func (g *gen) newIGWAttachments() []igwAttachment {
	old := map[string]bool{}
	for _, i := range g.before.InternetGateways {
		for _, a := range i.Attachments {
			old[s(i.InternetGatewayId)+"|"+s(a.VpcId)] = true
		}
	}
	var out []igwAttachment
	for _, i := range g.after.InternetGateways {
		for _, a := range i.Attachments {
			if !old[s(i.InternetGatewayId)+"|"+s(a.VpcId)] && inLabVPC(g.after, s(a.VpcId)) {
				out = append(out, igwAttachment{i, s(a.VpcId)})
			}
		}
	}
	return out
}

// newAddressAssociations are addresses allocated or associated in the
// step, except a NAT gateway's: AWS refuses to disassociate or release
// those while the NAT gateway exists (the nat-* kinds cover them).
func (g *gen) newAddressAssociations() []ec2types.Address {
	old := map[string]bool{}
	for _, a := range g.before.Addresses {
		old[s(a.AllocationId)+"|"+s(a.AssociationId)] = true
	}
	nat := map[string]bool{}
	for _, n := range g.after.NATGateways {
		if n.State != ec2types.NatGatewayStateDeleted {
			for _, a := range n.NatGatewayAddresses {
				nat[s(a.AllocationId)] = true
			}
		}
	}
	var out []ec2types.Address
	for _, a := range g.after.Addresses {
		if !old[s(a.AllocationId)+"|"+s(a.AssociationId)] && !nat[s(a.AllocationId)] {
			out = append(out, a)
		}
	}
	return out
}

func (g *gen) hasAddress(name string) bool {
	for _, a := range g.after.Addresses {
		if account.Name(a.Tags) == name {
			return true
		}
	}
	return false
}

func permsKey(ps []ec2types.IpPermission) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s/%d/%d/", s(p.IpProtocol), aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort))
		for _, r := range p.IpRanges {
			b.WriteString(s(r.CidrIp) + ",")
		}
		for _, u := range p.UserIdGroupPairs {
			b.WriteString(s(u.GroupId) + ",")
		}
		b.WriteString(";")
	}
	return b.String()
}

// newSGs are the lab's security groups (not "default") created in the step.
func (g *gen) newSGs() []ec2types.SecurityGroup {
	old := map[string]bool{}
	for _, sg := range g.before.SecurityGroups {
		old[s(sg.GroupId)] = true
	}
	var out []ec2types.SecurityGroup
	for _, sg := range g.after.SecurityGroups {
		if !old[s(sg.GroupId)] && s(sg.GroupName) != "default" && inLabVPC(g.after, s(sg.VpcId)) {
			out = append(out, sg)
		}
	}
	return out
}

// newSGsOrRules adds groups whose inbound rules the step changed.
func (g *gen) newSGsOrRules() []ec2types.SecurityGroup {
	old := map[string]string{}
	for _, sg := range g.before.SecurityGroups {
		old[s(sg.GroupId)] = permsKey(sg.IpPermissions)
	}
	var out []ec2types.SecurityGroup
	for _, sg := range g.after.SecurityGroups {
		k, seen := old[s(sg.GroupId)]
		if (!seen || k != permsKey(sg.IpPermissions)) && s(sg.GroupName) != "default" && inLabVPC(g.after, s(sg.VpcId)) {
			out = append(out, sg)
		}
	}
	return out
}

// cleanPerms drops the rule ids and descriptions AWS echoes, so the
// permissions can be sent back.
func cleanPerms(ps []ec2types.IpPermission) []ec2types.IpPermission {
	out := make([]ec2types.IpPermission, 0, len(ps))
	for _, p := range ps {
		q := ec2types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort,
			IpRanges: p.IpRanges, Ipv6Ranges: p.Ipv6Ranges, PrefixListIds: p.PrefixListIds}
		for _, u := range p.UserIdGroupPairs {
			q.UserIdGroupPairs = append(q.UserIdGroupPairs, ec2types.UserIdGroupPair{GroupId: u.GroupId})
		}
		if s(q.IpProtocol) == "-1" {
			q.FromPort, q.ToPort = nil, nil
		}
		out = append(out, q)
	}
	return out
}

// revoke removes perms (egress or ingress) and returns the undo.
func (g *gen) revoke(ctx context.Context, c *writeClients, sg ec2types.SecurityGroup, egress bool, perms []ec2types.IpPermission) (func(context.Context) error, error) {
	ps := cleanPerms(perms)
	var err error
	if egress {
		_, err = c.ec2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: sg.GroupId, IpPermissions: ps})
	} else {
		_, err = c.ec2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: ps})
	}
	return func(ctx context.Context) error {
		var err error
		if egress {
			_, err = c.ec2.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: sg.GroupId, IpPermissions: ps})
		} else {
			_, err = c.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: ps})
		}
		return err
	}, err
}

// lbSGs are the groups of load balancers: they are meant to be open.
func (g *gen) lbSGs() map[string]bool {
	m := map[string]bool{}
	for _, lb := range g.after.LoadBalancers {
		for _, id := range lb.SecurityGroups {
			m[id] = true
		}
	}
	return m
}

func (g *gen) openIngress(p ec2types.IpPermission, what string) []*Mutant {
	var out []*Mutant
	lb := g.lbSGs()
	for _, sg := range g.newSGs() {
		if lb[s(sg.GroupId)] || openToInternet(sg) {
			continue // meant to face the internet (a load balancer's group)
		}
		out = append(out, &Mutant{Target: s(sg.GroupName), Detail: fmt.Sprintf("authorize-security-group-ingress %s %s from 0.0.0.0/0", s(sg.GroupId), what),
			apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
				ps := []ec2types.IpPermission{p}
				_, err := c.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: ps})
				return func(ctx context.Context) error {
					_, err := c.ec2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: ps})
					return err
				}, err
			}})
	}
	return out
}

// naclEntry adds a deny rule 1 to a network ACL (once per ACL): at the
// lab's first step that claims traffic flows (a network-acl or egress-path
// check), to the ACLs of all the lab's subnets; at later such steps, to
// the ACLs of subnets the step created. Before any step claims traffic, a
// deny rule is not yet a mistake anyone could see.
func (g *gen) naclEntry(egress bool, proto string, from, to int32) []*Mutant {
	if !g.traffic {
		return nil
	}
	oldSubnets := map[string]bool{}
	if !g.firstTraffic {
		for _, sn := range g.before.Subnets {
			oldSubnets[s(sn.SubnetId)] = true
		}
	}
	var out []*Mutant
	seen := map[string]bool{}
	for _, sn := range g.after.Subnets {
		if oldSubnets[s(sn.SubnetId)] || !inLabVPC(g.after, s(sn.VpcId)) {
			continue
		}
		acl, ok := g.after.NetworkACLFor(s(sn.SubnetId), s(sn.VpcId))
		if !ok || seen[s(acl.NetworkAclId)] {
			continue
		}
		seen[s(acl.NetworkAclId)] = true
		in := &ec2.CreateNetworkAclEntryInput{NetworkAclId: acl.NetworkAclId, RuleNumber: aws.Int32(1), Egress: aws.Bool(egress),
			Protocol: aws.String(proto), RuleAction: ec2types.RuleActionDeny, CidrBlock: aws.String("0.0.0.0/0")}
		if proto != "-1" {
			in.PortRange = &ec2types.PortRange{From: aws.Int32(from), To: aws.Int32(to)}
		}
		out = append(out, &Mutant{Target: subnetName(g.after, s(sn.SubnetId)),
			Detail: fmt.Sprintf("create-network-acl-entry %s rule 1 deny egress=%v proto %s %d-%d", s(acl.NetworkAclId), egress, proto, from, to),
			apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
				_, err := c.ec2.CreateNetworkAclEntry(ctx, in)
				return func(ctx context.Context) error {
					_, err := c.ec2.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: acl.NetworkAclId, RuleNumber: aws.Int32(1), Egress: aws.Bool(egress)})
					return err
				}, err
			}})
	}
	return out
}

// vpcAttr turns a DNS attribute off where the step turned it on or made
// the VPC.
func (g *gen) vpcAttr(support bool) []*Mutant {
	var out []*Mutant
	for _, v := range labVPCs(g.after) {
		id := s(v.VpcId)
		now, was := g.after.VPCAttrs[id], g.before.VPCAttrs[id]
		_, existed := g.before.VPC(id)
		on, wasOn := now.DNSHostnames, was.DNSHostnames
		if support {
			on, wasOn = now.DNSSupport, was.DNSSupport
		}
		if !on || (existed && wasOn) {
			continue
		}
		val := func(b bool) *ec2types.AttributeBooleanValue {
			return &ec2types.AttributeBooleanValue{Value: aws.Bool(b)}
		}
		set := func(ctx context.Context, c *writeClients, b bool) error {
			in := &ec2.ModifyVpcAttributeInput{VpcId: aws.String(id)}
			if support {
				in.EnableDnsSupport = val(b)
			} else {
				in.EnableDnsHostnames = val(b)
			}
			_, err := c.ec2.ModifyVpcAttribute(ctx, in)
			return err
		}
		attr := "enable-dns-hostnames"
		if support {
			attr = "enable-dns-support"
		}
		out = append(out, &Mutant{Target: label(account.Name(v.Tags), id), Detail: fmt.Sprintf("modify-vpc-attribute %s --no-%s", id, attr),
			apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
				return func(ctx context.Context) error { return set(ctx, c, true) }, set(ctx, c, false)
			}})
	}
	return out
}

func (g *gen) newEndpoints(t ec2types.VpcEndpointType) []ec2types.VpcEndpoint {
	old := map[string]bool{}
	for _, e := range g.before.VPCEndpoints {
		old[s(e.VpcEndpointId)] = true
	}
	var out []ec2types.VpcEndpoint
	for _, e := range g.after.VPCEndpoints {
		et := e.VpcEndpointType
		if et == "" {
			et = ec2types.VpcEndpointTypeGateway // moto leaves it out; AWS defaults to Gateway
		}
		if !old[s(e.VpcEndpointId)] && et == t && inLabVPC(g.after, s(e.VpcId)) {
			out = append(out, e)
		}
	}
	return out
}

func (g *gen) deleteEndpoints(t ec2types.VpcEndpointType) []*Mutant {
	var out []*Mutant
	for _, e := range g.newEndpoints(t) {
		out = append(out, &Mutant{Target: label(account.Name(e.Tags), s(e.ServiceName)), Detail: "delete-vpc-endpoints " + s(e.VpcEndpointId),
			apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
				_, err := c.ec2.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{s(e.VpcEndpointId)}})
				return nil, err
			}})
	}
	return out
}

func (g *gen) newTasks() []ecstypes.Task {
	old := map[string]bool{}
	for _, t := range g.before.Tasks {
		old[s(t.TaskArn)] = true
	}
	var out []ecstypes.Task
	for _, t := range g.after.Tasks {
		if !old[s(t.TaskArn)] && s(t.LastStatus) == "RUNNING" && !strings.HasPrefix(s(t.Group), "service:") {
			out = append(out, t)
		}
	}
	return out
}

// deregisterTasks removes each task the step started from the target
// groups it was registered in: a task run by hand is registered by hand,
// and a learner who skipped that has a task the load balancer never uses.
func (g *gen) deregisterTasks() []*Mutant {
	var out []*Mutant
	for _, t := range g.newTasks() {
		ip := account.TaskIP(t)
		for _, tg := range g.after.TargetGroups {
			for _, d := range g.after.Targets[s(tg.TargetGroupArn)] {
				if d.Target == nil || ip == "" || s(d.Target.Id) != ip {
					continue
				}
				target := elbtypes.TargetDescription{Id: d.Target.Id, Port: d.Target.Port}
				out = append(out, &Mutant{Target: account.TaskFamily(s(t.TaskDefinitionArn)),
					Detail: fmt.Sprintf("deregister-targets %s from %s", ip, s(tg.TargetGroupName)),
					apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
						_, err := c.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []elbtypes.TargetDescription{target}})
						return func(ctx context.Context) error {
							_, err := c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []elbtypes.TargetDescription{target}})
							return err
						}, err
					}})
			}
		}
	}
	return out
}

func taskENI(t ecstypes.Task) (subnet, eni string) {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			switch s(d.Name) {
			case "subnetId":
				subnet = s(d.Value)
			case "networkInterfaceId":
				eni = s(d.Value)
			}
		}
	}
	return subnet, eni
}

// rerunTask stops the task and runs it again the wrong way: in a public
// subnet without a public IP, or with a public IP.
func (g *gen) rerunTask(publicIP bool) []*Mutant {
	var out []*Mutant
	for _, t := range g.newTasks() {
		subnet, eniID := taskENI(t)
		eni, _ := g.after.NetworkInterface(eniID)
		var sgs []string
		for _, gi := range eni.Groups {
			sgs = append(sgs, s(gi.GroupId))
		}
		sn, ok := g.after.Subnet(subnet)
		if !ok || len(sgs) == 0 {
			continue
		}
		target := subnet
		assign := ecstypes.AssignPublicIpDisabled
		what := "assignPublicIp=ENABLED in " + subnet
		if publicIP {
			assign = ecstypes.AssignPublicIpEnabled
		} else {
			pub, ok := pickSameAZ(publicSubnets(g.after, s(sn.VpcId)), s(sn.AvailabilityZone))
			if !ok || subnetPublic(g.after, subnet) {
				continue
			}
			target = s(pub.SubnetId)
			what = "assignPublicIp=DISABLED in public subnet " + subnetName(g.after, target)
		}
		out = append(out, &Mutant{Target: account.TaskFamily(s(t.TaskDefinitionArn)), Detail: fmt.Sprintf("stop-task %s; run-task again with %s", s(t.TaskArn), what),
			apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
				if publicIP {
					// AWS shows the mistake as a public IP on the task's ENI;
					// moto never assigns one, so nothing could see it here.
					return nil, errSandboxCannot("moto never assigns a public IP to a task's network interface")
				}
				if _, err := c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: t.ClusterArn, Task: t.TaskArn}); err != nil {
					return nil, err
				}
				_, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: t.ClusterArn, TaskDefinition: t.TaskDefinitionArn, LaunchType: ecstypes.LaunchTypeFargate,
					NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
						Subnets: []string{target}, SecurityGroups: sgs, AssignPublicIp: assign}}})
				return nil, err
			}})
	}
	return out
}

// rerunTaskDefaultSG stops each task the step started and runs it again
// where it ran, in the VPC's default security group: what a task run
// without --security-groups gets.
func (g *gen) rerunTaskDefaultSG() []*Mutant {
	var out []*Mutant
	for _, t := range g.newTasks() {
		subnet, _ := taskENI(t)
		sn, ok := g.after.Subnet(subnet)
		if !ok {
			continue
		}
		def, ok := g.after.SecurityGroupByName("default", s(sn.VpcId))
		if !ok {
			continue
		}
		out = append(out, &Mutant{Target: account.TaskFamily(s(t.TaskDefinitionArn)), Detail: fmt.Sprintf("stop-task %s; run-task again in %s with the default group %s", s(t.TaskArn), subnetName(g.after, subnet), s(def.GroupId)),
			apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
				if _, err := c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: t.ClusterArn, Task: t.TaskArn}); err != nil {
					return nil, err
				}
				_, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: t.ClusterArn, TaskDefinition: t.TaskDefinitionArn, LaunchType: ecstypes.LaunchTypeFargate,
					NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
						Subnets: []string{subnet}, SecurityGroups: []string{s(def.GroupId)}, AssignPublicIp: ecstypes.AssignPublicIpDisabled}}})
				return nil, err
			}})
	}
	return out
}

func (g *gen) updateService(how string) []*Mutant {
	old := map[string]bool{}
	for _, sv := range g.before.Services {
		old[s(sv.ServiceArn)] = true
	}
	var out []*Mutant
	for _, sv := range g.after.Services {
		if old[s(sv.ServiceArn)] || sv.NetworkConfiguration == nil || sv.NetworkConfiguration.AwsvpcConfiguration == nil {
			continue
		}
		nc := *sv.NetworkConfiguration.AwsvpcConfiguration
		in := &ecs.UpdateServiceInput{Cluster: sv.ClusterArn, Service: sv.ServiceName}
		var detail string
		switch how {
		case "public-ip":
			if nc.AssignPublicIp == ecstypes.AssignPublicIpEnabled {
				continue
			}
			nc.AssignPublicIp = ecstypes.AssignPublicIpEnabled
			detail = "update-service " + s(sv.ServiceName) + " assignPublicIp=ENABLED"
		case "public-subnet":
			if len(nc.Subnets) == 0 {
				continue
			}
			sn, _ := g.after.Subnet(nc.Subnets[0])
			var pubs []string
			for _, p := range publicSubnets(g.after, s(sn.VpcId)) {
				pubs = append(pubs, s(p.SubnetId))
			}
			if len(pubs) == 0 || subnetPublic(g.after, nc.Subnets[0]) {
				continue
			}
			nc.Subnets = pubs
			detail = fmt.Sprintf("update-service %s subnets → %v (public), assignPublicIp unchanged", s(sv.ServiceName), pubs)
		case "default-sg":
			if len(nc.Subnets) == 0 {
				continue
			}
			sn, _ := g.after.Subnet(nc.Subnets[0])
			def, ok := g.after.SecurityGroupByName("default", s(sn.VpcId))
			if !ok || slices.Contains(nc.SecurityGroups, s(def.GroupId)) {
				continue
			}
			nc.SecurityGroups = []string{s(def.GroupId)}
			detail = fmt.Sprintf("update-service %s securityGroups → %s (the VPC's default)", s(sv.ServiceName), s(def.GroupId))
		case "zero":
			if sv.DesiredCount == 0 {
				continue
			}
			in.DesiredCount = aws.Int32(0)
			detail = "update-service " + s(sv.ServiceName) + " --desired-count 0"
		}
		if how != "zero" {
			in.NetworkConfiguration = &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &nc}
		}
		out = append(out, &Mutant{Target: s(sv.ServiceName), Detail: detail,
			apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
				_, err := c.ecs.UpdateService(ctx, in)
				return nil, err
			}})
	}
	return out
}

func (g *gen) newLBs() []elbtypes.LoadBalancer {
	old := map[string]bool{}
	for _, lb := range g.before.LoadBalancers {
		old[s(lb.LoadBalancerArn)] = true
	}
	var out []elbtypes.LoadBalancer
	for _, lb := range g.after.LoadBalancers {
		if !old[s(lb.LoadBalancerArn)] {
			out = append(out, lb)
		}
	}
	return out
}

// leftover rebuilds, after the clean-up, a VPC of the lab (same Name and
// CIDR) with a subnet and a NAT gateway or an interface endpoint in it, as
// a learner who skipped that part of the clean-up would have.
func (g *gen) leftover(what string) []*Mutant {
	if !g.cleanup {
		return nil
	}
	gone := map[string]bool{}
	for _, v := range labVPCs(g.before) {
		gone[s(v.VpcId)] = true
	}
	for _, v := range labVPCs(g.after) {
		delete(gone, s(v.VpcId))
	}
	var out []*Mutant
	for _, v := range labVPCs(g.before) {
		if !gone[s(v.VpcId)] {
			continue
		}
		vpcName := account.Name(v.Tags)
		var name, service, subnetCIDR, az string
		switch what {
		case "nat":
			for _, n := range g.before.NATGateways {
				if s(n.VpcId) == s(v.VpcId) && n.State == ec2types.NatGatewayStateAvailable {
					name = account.Name(n.Tags)
					sn, _ := g.before.Subnet(s(n.SubnetId))
					subnetCIDR, az = s(sn.CidrBlock), s(sn.AvailabilityZone)
					break
				}
			}
		case "endpoint":
			for _, e := range g.before.VPCEndpoints {
				if s(e.VpcId) == s(v.VpcId) && e.VpcEndpointType == ec2types.VpcEndpointTypeInterface && len(e.SubnetIds) > 0 {
					name, service = label(account.Name(e.Tags), s(e.ServiceName)), s(e.ServiceName)
					sn, _ := g.before.Subnet(e.SubnetIds[0])
					subnetCIDR, az = s(sn.CidrBlock), s(sn.AvailabilityZone)
					break
				}
			}
		}
		if name == "" || subnetCIDR == "" {
			continue
		}
		out = append(out, &Mutant{Target: name, Detail: fmt.Sprintf("VPC %s (%s), a subnet %s and %s %s left behind", vpcName, s(v.CidrBlock), subnetCIDR, what, name),
			apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
				vo, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: v.CidrBlock, TagSpecifications: nameTag("vpc", vpcName)})
				if err != nil {
					return nil, err
				}
				so, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vo.Vpc.VpcId, CidrBlock: aws.String(subnetCIDR), AvailabilityZone: aws.String(az)})
				if err != nil {
					return nil, err
				}
				if what == "nat" {
					_, err = c.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: so.Subnet.SubnetId, TagSpecifications: nameTag("natgateway", name)})
				} else {
					_, err = c.ec2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vo.Vpc.VpcId, ServiceName: aws.String(service),
						VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: []string{s(so.Subnet.SubnetId)}})
				}
				return nil, err
			}})
	}
	return out
}

type ec2CreateTagsInput = ec2.CreateTagsInput
type ec2Tag = ec2types.Tag

// sameRoutes: two tables that route alike (moving a subnet between them
// changes nothing a check, or a packet, can see).
func sameRoutes(a, b ec2types.RouteTable) bool {
	key := func(rt ec2types.RouteTable) string {
		var ks []string
		for _, r := range rt.Routes {
			ks = append(ks, s(r.DestinationCidrBlock)+s(r.DestinationPrefixListId)+">"+s(r.GatewayId)+s(r.NatGatewayId)+s(r.NetworkInterfaceId)+s(r.EgressOnlyInternetGatewayId))
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	return key(a) == key(b)
}

// mainTable is the VPC's main route table.
func mainTable(snap *account.Snapshot, vpc string) (ec2types.RouteTable, bool) {
	for _, rt := range snap.RouteTables {
		if s(rt.VpcId) == vpc && isMain(rt) {
			return rt, true
		}
	}
	return ec2types.RouteTable{}, false
}

func routeTable(snap *account.Snapshot, id string) (ec2types.RouteTable, bool) {
	for _, rt := range snap.RouteTables {
		if s(rt.RouteTableId) == id {
			return rt, true
		}
	}
	return ec2types.RouteTable{}, false
}

// errSandboxCannot marks a mutant the sandbox cannot show; it is reported
// as not applied, with the reason.
type errSandboxCannot string

func (e errSandboxCannot) Error() string { return "the sandbox cannot emulate it: " + string(e) }

// openToInternet: the group already accepts something from 0.0.0.0/0.
func openToInternet(sg ec2types.SecurityGroup) bool {
	for _, p := range sg.IpPermissions {
		for _, r := range p.IpRanges {
			if s(r.CidrIp) == "0.0.0.0/0" {
				return true
			}
		}
	}
	return false
}
