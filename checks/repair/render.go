package repair

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vpclab/vpclab/i18n"
)

// No = first: zsh expands =word to the path of a command.
var safeWord = regexp.MustCompile(`^[A-Za-z0-9._/:@+,-][A-Za-z0-9._/:@+=,-]*$`)

// shq quotes s for bash and zsh: plain words stay as they are.
func shq(s string) string {
	if safeWord.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ref renders an id or a variable as a command argument.
func ref(s string) string {
	if isVar(s) {
		return `"` + s + `"`
	}
	return shq(s)
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

func tagSpec(resourceType, name string) string {
	if name == "" || !safeName.MatchString(name) {
		return ""
	}
	return fmt.Sprintf(" --tag-specifications 'ResourceType=%s,Tags=[{Key=Name,Value=%s}]'", resourceType, name)
}

func destFlag(dest string) string {
	if strings.Contains(dest, ":") {
		return "--destination-ipv6-cidr-block " + shq(dest)
	}
	return "--destination-cidr-block " + shq(dest)
}

func targetFlag(a Action) string {
	switch a.TargetKind {
	case ToNAT:
		return "--nat-gateway-id " + ref(a.Target)
	case ToEIGW:
		return "--egress-only-internet-gateway-id " + ref(a.Target)
	}
	return "--gateway-id " + ref(a.Target)
}

// ipPermissions renders a rule as the JSON --ip-permissions takes, which
// revokes exactly one peer of a rule and covers every protocol.
func ipPermissions(r Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, `[{"IpProtocol":"%s"`, r.Protocol)
	if r.Protocol != "-1" {
		fmt.Fprintf(&b, `,"FromPort":%d,"ToPort":%d`, r.From, r.To)
	}
	switch {
	case r.CIDR != "":
		fmt.Fprintf(&b, `,"IpRanges":[{"CidrIp":"%s"}]`, r.CIDR)
	case r.CIDRv6 != "":
		fmt.Fprintf(&b, `,"Ipv6Ranges":[{"CidrIpv6":"%s"}]`, r.CIDRv6)
	case r.PrefixList != "":
		fmt.Fprintf(&b, `,"PrefixListIds":[{"PrefixListId":"%s"}]`, r.PrefixList)
	case r.Group != "":
		fmt.Fprintf(&b, `,"UserIdGroupPairs":[{"GroupId":"%s"}]`, r.Group)
	}
	b.WriteString("}]")
	return b.String()
}

// command renders one action; several lines when AWS needs a wait.
func (a Action) command(region string) string {
	reg := ""
	if region != "" {
		reg = " --region " + shq(region)
	}
	capture := func(cmd, query string) string {
		if a.Var == "" {
			return cmd + reg
		}
		return fmt.Sprintf("%s=$(%s%s --query %s --output text)", a.Var, cmd, reg, query)
	}
	switch a.Op {
	case CreateVPC:
		return capture("aws ec2 create-vpc --cidr-block "+shq(a.CIDR)+tagSpec("vpc", a.Name), "Vpc.VpcId")
	case ModifyVPCAttribute:
		flag := "--enable-dns-hostnames"
		if a.Attr == "enableDnsSupport" {
			flag = "--enable-dns-support"
		}
		return fmt.Sprintf(`aws ec2 modify-vpc-attribute --vpc-id %s %s '{"Value":%t}'%s`, ref(a.VPC), flag, a.Value, reg)
	case CreateSubnet:
		az := ""
		if a.AZ != "" {
			az = " --availability-zone " + shq(a.AZ)
		}
		return capture(fmt.Sprintf("aws ec2 create-subnet --vpc-id %s --cidr-block %s%s%s", ref(a.VPC), shq(a.CIDR), az, tagSpec("subnet", a.Name)), "Subnet.SubnetId")
	case CreateRouteTable:
		return capture(fmt.Sprintf("aws ec2 create-route-table --vpc-id %s%s", ref(a.VPC), tagSpec("route-table", a.Name)), "RouteTable.RouteTableId")
	case AssociateRouteTable:
		return fmt.Sprintf("aws ec2 associate-route-table --route-table-id %s --subnet-id %s%s --query AssociationId --output text", ref(a.RouteTable), ref(a.Subnet), reg)
	case ReplaceRouteTableAssociation:
		return fmt.Sprintf("aws ec2 replace-route-table-association --association-id %s --route-table-id %s%s --query NewAssociationId --output text", ref(a.Association), ref(a.RouteTable), reg)
	case CreateRoute:
		return fmt.Sprintf("aws ec2 create-route --route-table-id %s %s %s%s --query Return --output text", ref(a.RouteTable), destFlag(a.Dest), targetFlag(a), reg)
	case ReplaceRoute:
		return fmt.Sprintf("aws ec2 replace-route --route-table-id %s %s %s%s", ref(a.RouteTable), destFlag(a.Dest), targetFlag(a), reg)
	case DeleteRoute:
		return fmt.Sprintf("aws ec2 delete-route --route-table-id %s %s%s", ref(a.RouteTable), destFlag(a.Dest), reg)
	case CreateInternetGateway:
		return capture("aws ec2 create-internet-gateway"+tagSpec("internet-gateway", a.Name), "InternetGateway.InternetGatewayId")
	case AttachInternetGateway:
		return fmt.Sprintf("aws ec2 attach-internet-gateway --internet-gateway-id %s --vpc-id %s%s", ref(a.IGW), ref(a.VPC), reg)
	case DetachInternetGateway:
		return fmt.Sprintf("aws ec2 detach-internet-gateway --internet-gateway-id %s --vpc-id %s%s", ref(a.IGW), ref(a.VPC), reg)
	case AllocateAddress:
		return capture("aws ec2 allocate-address --domain vpc"+tagSpec("elastic-ip", a.Name), "AllocationId")
	case AssociateAddress:
		return fmt.Sprintf("aws ec2 associate-address --allocation-id %s --network-interface-id %s%s --query AssociationId --output text", ref(a.Alloc), ref(a.ENI), reg)
	case DisassociateAddress:
		// AWS frees a deleted NAT gateway's address by itself, and then
		// this association is gone: that is fine.
		return fmt.Sprintf("aws ec2 disassociate-address --association-id %s%s 2>/dev/null || true", ref(a.Association), reg)
	case ReleaseAddress:
		return fmt.Sprintf("aws ec2 release-address --allocation-id %s%s", ref(a.Alloc), reg)
	case CreateNATGateway:
		args := ""
		if a.Regional {
			args = " --vpc-id " + ref(a.VPC) + " --availability-mode regional"
		} else {
			args = " --subnet-id " + ref(a.Subnet)
		}
		if a.Alloc != "" {
			args += " --allocation-id " + ref(a.Alloc)
		}
		conn := "public"
		if a.Private {
			conn = "private"
		}
		v := a
		if v.Var == "" {
			v.Var = "NAT_ID"
		}
		line := fmt.Sprintf("%s=$(aws ec2 create-nat-gateway%s --connectivity-type %s%s%s --query NatGateway.NatGatewayId --output text)",
			v.Var, args, conn, tagSpec("natgateway", a.Name), reg)
		return line + fmt.Sprintf("\naws ec2 wait nat-gateway-available --nat-gateway-ids \"$%s\"%s", v.Var, reg)
	case DeleteNATGateway:
		return fmt.Sprintf("aws ec2 delete-nat-gateway --nat-gateway-id %s%s --query NatGatewayId --output text\naws ec2 wait nat-gateway-deleted --nat-gateway-ids %s%s",
			ref(a.NAT), reg, ref(a.NAT), reg)
	case CreateSecurityGroup:
		return capture(fmt.Sprintf("aws ec2 create-security-group --vpc-id %s --group-name %s --description %s%s", ref(a.VPC), shq(a.GroupName),
			shq("vpclab "+a.GroupName), tagSpec("security-group", a.Name)), "GroupId")
	case AuthorizeIngress, AuthorizeEgress, RevokeIngress, RevokeEgress:
		out := "--query Return --output text"
		return fmt.Sprintf("aws ec2 %s --group-id %s --ip-permissions '%s'%s %s", a.Op, ref(a.Group), ipPermissions(a.ruleWithRefs()), reg, out)
	case CreateNACLEntry, ReplaceNACLEntry:
		dir := "--ingress"
		if a.Egress {
			dir = "--egress"
		}
		return fmt.Sprintf("aws ec2 %s --network-acl-id %s %s --rule-number %d --protocol tcp --port-range From=%d,To=%d --cidr-block %s --rule-action %s%s",
			a.Op, ref(a.ACL), dir, a.RuleNumber, a.PortFrom, a.PortTo, shq(a.CIDR), a.RuleAction, reg)
	case CreateVPCEndpoint:
		args := fmt.Sprintf(" --vpc-id %s --vpc-endpoint-type %s --service-name %s", ref(a.VPC), a.EndpointType, shq(a.Service))
		if len(a.RouteTables) > 0 {
			args += " --route-table-ids " + refs(a.RouteTables)
		}
		if len(a.Subnets) > 0 {
			args += " --subnet-ids " + refs(a.Subnets)
		}
		if len(a.Groups) > 0 {
			args += " --security-group-ids " + refs(a.Groups)
		}
		if a.EndpointType == "Interface" {
			if a.PrivateDNS {
				args += " --private-dns-enabled"
			} else {
				args += " --no-private-dns-enabled"
			}
		}
		return capture("aws ec2 create-vpc-endpoint"+args+tagSpec("vpc-endpoint", a.Name), "VpcEndpoint.VpcEndpointId")
	case ModifyVPCEndpoint:
		args := ""
		if len(a.RouteTables) > 0 {
			args += " --add-route-table-ids " + refs(a.RouteTables)
		}
		if len(a.Subnets) > 0 {
			args += " --add-subnet-ids " + refs(a.Subnets)
		}
		if a.PrivateDNS {
			args += " --private-dns-enabled"
		}
		if len(a.Groups) > 0 {
			args += " --add-security-group-ids " + refs(a.Groups)
		}
		if len(a.RemoveGroups) > 0 {
			args += " --remove-security-group-ids " + refs(a.RemoveGroups)
		}
		return fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s%s%s", ref(a.Endpoint), args, reg)
	case DeleteVPCEndpoint:
		return fmt.Sprintf("aws ec2 delete-vpc-endpoints --vpc-endpoint-ids %s%s", ref(a.Endpoint), reg)
	case UpdateServiceNetwork:
		return fmt.Sprintf("aws ecs update-service --cluster %s --service %s --network-configuration 'awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=DISABLED}'%s --query service.serviceName --output text",
			shq(a.Cluster), shq(a.Service2), strings.Join(a.Subnets, ","), strings.Join(a.Groups, ","), reg)
	case CreateCluster:
		return fmt.Sprintf("aws ecs create-cluster --cluster-name %s%s --query cluster.status --output text", shq(a.Cluster), reg)
	case ScaleServiceToZero:
		return fmt.Sprintf("aws ecs update-service --cluster %s --service %s --desired-count 0%s --query service.desiredCount --output text", shq(a.Cluster), shq(a.Service2), reg)
	case StopTask:
		return fmt.Sprintf("aws ecs stop-task --cluster %s --task %s%s --query task.lastStatus --output text", shq(a.Cluster), shq(a.ARN), reg)
	case SetLoadBalancerSubnets:
		return fmt.Sprintf("aws elbv2 set-subnets --load-balancer-arn %s --subnets %s%s --query 'AvailabilityZones[].SubnetId' --output text", shq(a.ARN), refs(a.Subnets), reg)
	case RunTask:
		v := a.Var
		if v == "" {
			v = "TASK_ARN"
		}
		line := fmt.Sprintf("%s=$(aws ecs run-task --cluster %s --launch-type FARGATE --task-definition %s --count 1 --network-configuration 'awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=DISABLED}'%s --query 'tasks[0].taskArn' --output text)",
			v, shq(a.Cluster), shq(a.Family), strings.Join(a.Subnets, ","), strings.Join(a.Groups, ","), reg)
		return line + fmt.Sprintf("\naws ecs wait tasks-running --cluster %s --tasks \"$%s\"%s", shq(a.Cluster), v, reg)
	case TaskIP:
		return fmt.Sprintf("%s=$(aws ecs describe-tasks --cluster %s --tasks %s%s --query \"tasks[0].attachments[0].details[?name=='privateIPv4Address'].value | [0]\" --output text)",
			a.Var, shq(a.Cluster), ref(a.Target), reg)
	case RegisterTarget:
		return fmt.Sprintf("aws elbv2 register-targets --target-group-arn %s --targets Id=%s,Port=%d%s", shq(a.ARN), ref(a.Target), a.Port, reg)
	case DeregisterTarget:
		return fmt.Sprintf("aws elbv2 deregister-targets --target-group-arn %s --targets Id=%s,Port=%d%s", shq(a.ARN), ref(a.Target), a.Port, reg)
	case SetDesiredCount:
		return fmt.Sprintf("aws ecs update-service --cluster %s --service %s --desired-count %d%s --query service.desiredCount --output text", shq(a.Cluster), shq(a.Service2), a.Count, reg)
	case SetLoadBalancerGroups:
		return fmt.Sprintf("aws elbv2 set-security-groups --load-balancer-arn %s --security-groups %s%s --query 'SecurityGroupIds' --output text", shq(a.ARN), refs(a.Groups), reg)
	case DeleteLoadBalancer:
		return fmt.Sprintf("aws elbv2 delete-load-balancer --load-balancer-arn %s%s", shq(a.ARN), reg)
	case DeleteListener:
		return fmt.Sprintf("aws elbv2 delete-listener --listener-arn %s%s", shq(a.ARN), reg)
	case CreateTags:
		return fmt.Sprintf("aws ec2 create-tags --resources %s --tags Key=Name,Value=%s%s", ref(a.Target), shq(a.Name), reg)
	}
	if c, ok := a.bindingCommand(region); ok {
		return c
	}
	return ""
}

func (a Action) ruleWithRefs() Rule {
	r := *a.Rule
	return r
}

func refs(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = ref(id)
	}
	return strings.Join(out, " ")
}

// Render is the plan as AWS CLI commands, one per line, for region ("" =
// the shell's default region).
func (p *Plan) Render(region string) string {
	if p.Empty() {
		return ""
	}
	var lines []string
	for _, a := range p.Actions {
		lines = append(lines, a.command(region))
	}
	return strings.Join(lines, "\n")
}

// Commands is Render split per action (an action may need two lines).
func (p *Plan) Commands(region string) []string {
	if p.Empty() {
		return nil
	}
	out := make([]string, len(p.Actions))
	for i, a := range p.Actions {
		out[i] = a.command(region)
	}
	return out
}

// Console is the action as one console instruction in the learner's
// language, when the console says it more plainly than the CLI; label
// names a resource ("vpclab-nat-a (nat-0abc…)"), for a variable the Name
// the plan gives it. ok is false for actions best left to the CLI.
func (p *Plan) Console(i int, label func(id string) string) (i18n.Msg, bool) {
	a := p.Actions[i]
	name := func(v string) string {
		if isVar(v) {
			for _, b := range p.Actions {
				if b.Var != "" && Var(b.Var) == v {
					if b.Name != "" {
						return b.Name
					}
					return v
				}
			}
			return v
		}
		return label(v)
	}
	names := func(ids []string) string { // the ids as the console shows them
		out := make([]string, len(ids))
		for i, x := range ids {
			out[i] = name(x)
		}
		return strings.Join(out, ", ")
	}
	m := i18n.M{}
	id := ""
	switch a.Op {
	case CreateRoute:
		id, m = "RepairConsoleCreateRoute", i18n.M{"Table": name(a.RouteTable), "Dest": a.Dest, "Target": name(a.Target)}
	case ReplaceRoute:
		id, m = "RepairConsoleReplaceRoute", i18n.M{"Table": name(a.RouteTable), "Dest": a.Dest, "Target": name(a.Target)}
	case DeleteRoute:
		id, m = "RepairConsoleDeleteRoute", i18n.M{"Table": name(a.RouteTable), "Dest": a.Dest}
	case CreateRouteTable:
		id, m = "RepairConsoleCreateRouteTable", i18n.M{"Name": orDash(a.Name), "VPC": name(a.VPC)}
	case AssociateRouteTable, ReplaceRouteTableAssociation:
		sub := a.Subnet
		if sub == "" {
			sub = "-"
		}
		id, m = "RepairConsoleAssociate", i18n.M{"Table": name(a.RouteTable), "Subnet": name(sub)}
	case AttachInternetGateway:
		id, m = "RepairConsoleAttachIGW", i18n.M{"IGW": name(a.IGW), "VPC": name(a.VPC)}
	case AuthorizeEgress, AuthorizeIngress, RevokeEgress, RevokeIngress:
		peer := a.Rule.CIDR + a.Rule.CIDRv6 + a.Rule.PrefixList
		if a.Rule.Group != "" {
			peer = name(a.Rule.Group)
		}
		ports := fmt.Sprintf("%d-%d", a.Rule.From, a.Rule.To)
		if a.Rule.Protocol == "-1" {
			ports = "all"
		} else if a.Rule.From == a.Rule.To {
			ports = fmt.Sprint(a.Rule.From)
		}
		id = map[Op]string{AuthorizeEgress: "RepairConsoleAddEgress", AuthorizeIngress: "RepairConsoleAddIngress",
			RevokeEgress: "RepairConsoleRemoveEgress", RevokeIngress: "RepairConsoleRemoveIngress"}[a.Op]
		m = i18n.M{"Group": name(a.Group), "Ports": ports, "Peer": peer}
	case CreateNACLEntry, ReplaceNACLEntry:
		dir := "inbound"
		if a.Egress {
			dir = "outbound"
		}
		id, m = "RepairConsoleNACL", i18n.M{"ACL": name(a.ACL), "Rule": a.RuleNumber, "Dir": i18n.Msg{ID: map[string]string{"inbound": "RepairDirInbound", "outbound": "RepairDirOutbound"}[dir]},
			"Ports": fmt.Sprintf("%d-%d", a.PortFrom, a.PortTo), "CIDR": a.CIDR, "Action": a.RuleAction}
	case CreateNATGateway:
		switch {
		case a.Regional: // AWS picks its addresses: there is no Elastic IP to choose
			id, m = "RepairConsoleCreateRegionalNAT", i18n.M{"Name": orDash(a.Name), "VPC": name(a.VPC)}
		case a.Private:
			id, m = "RepairConsoleCreateNATNoEIP", i18n.M{"Name": orDash(a.Name), "Subnet": name(a.Subnet)}
		default:
			id, m = "RepairConsoleCreateNAT", i18n.M{"Name": orDash(a.Name), "Subnet": name(a.Subnet), "EIP": orDash(name(a.Alloc))}
		}
	case DeleteNATGateway:
		id, m = "RepairConsoleDeleteNAT", i18n.M{"NAT": name(a.NAT)}
	case AssociateAddress:
		id, m = "RepairConsoleAssociateEIP", i18n.M{"EIP": name(a.Alloc), "ENI": name(a.ENI)}
	case ModifyVPCAttribute:
		// The console's own labels for the two settings.
		label := i18n.Msg{ID: "RepairConsoleDNSHostnames"}
		if a.Attr == "enableDnsSupport" {
			label = i18n.Msg{ID: "RepairConsoleDNSSupport"}
		}
		id, m = "RepairConsoleVPCAttr", i18n.M{"VPC": name(a.VPC), "Attr": label}
	case DeleteListener:
		id, m = "RepairConsoleDeleteListener", i18n.M{"LB": orDash(a.LoadBalancer), "Port": a.Port}
	case UpdateServiceNetwork:
		id, m = "RepairConsoleServiceNetwork", i18n.M{"Cluster": a.Cluster, "Service": a.Service2, "Subnets": names(a.Subnets), "Groups": names(a.Groups)}
	case RunTask:
		id, m = "RepairConsoleRunTask", i18n.M{"Cluster": a.Cluster, "Family": a.Family, "Subnets": names(a.Subnets), "Groups": names(a.Groups)}
	case TaskIP:
		id, m = "RepairConsoleTaskIP", i18n.M{"Cluster": a.Cluster}
	case RegisterTarget:
		id, m = "RepairConsoleRegisterTarget", i18n.M{"Group": orDash(a.Name), "IP": consoleIP(a.Target), "Port": a.Port}
	case DeregisterTarget:
		id, m = "RepairConsoleDeregisterTarget", i18n.M{"Group": orDash(a.Name), "IP": consoleIP(a.Target), "Port": a.Port}
	case SetDesiredCount:
		id, m = "RepairConsoleDesiredCount", i18n.M{"Cluster": a.Cluster, "Service": a.Service2, "Count": a.Count}
	case CreateVPC:
		id, m = "RepairConsoleCreateVPC", i18n.M{"Name": orDash(a.Name), "CIDR": a.CIDR}
	case SetLoadBalancerSubnets:
		id, m = "RepairConsoleLBSubnets", i18n.M{"LB": orDash(a.LoadBalancer), "Subnets": names(a.Subnets)}
	case SetLoadBalancerGroups:
		id, m = "RepairConsoleLBGroups", i18n.M{"LB": orDash(a.LoadBalancer), "Groups": names(a.Groups)}
	default:
		return i18n.Msg{}, false
	}
	return i18n.Msg{ID: id, Data: m}, true
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// consoleIP is a target's IP address as the console steps say it: the
// address, or the new task's, copied in the step before.
func consoleIP(target string) any {
	if isVar(target) {
		return i18n.Msg{ID: "RepairConsoleNewTaskIP"}
	}
	return target
}
