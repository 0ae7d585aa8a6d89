package repair

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/checks/account"
)

// Apply makes the plan's changes to s, as AWS would once every command has
// run and the resources have settled (a new NAT gateway is available).
// Call it on a copy (account.Snapshot.Clone). An error means AWS would
// refuse one of the commands (a route that already exists, an id that
// does not), so the plan must not be shown.
func (p *Plan) Apply(s *account.Snapshot) (err error) {
	// An account state nobody foresaw must not take the run down: the
	// plan is then unproven, and the check explains instead of fixing.
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("the plan could not be tried on a copy of the account: %v", x)
		}
	}()
	a := &applier{s: s, vars: map[string]string{}}
	for _, act := range p.Actions {
		if err := a.apply(act); err != nil {
			return err
		}
	}
	return nil
}

type applier struct {
	s    *account.Snapshot
	vars map[string]string
	n    int
}

func (a *applier) newID(prefix string) string {
	a.n++
	return fmt.Sprintf("%s-plan%04d", prefix, a.n)
}

// id resolves a field: a variable must have been set by an earlier action.
func (a *applier) id(act Action, v string) (string, error) {
	if !isVar(v) {
		if v == "" {
			return "", &Err{act, "missing id"}
		}
		return v, nil
	}
	id, ok := a.vars[v]
	if !ok {
		return "", &Err{act, "variable " + v + " used before it is set"}
	}
	return id, nil
}

// claim binds the lab's name to a resource the plan creates with it (or
// names with it): after the plan, that resource is the one the lab means,
// not the one binding took for the name before (a misplaced NAT gateway
// the plan deletes and creates again). Judging the copy must see what the
// next run of binding would see.
func (a *applier) claim(r account.Resource, name, id string) {
	if name == "" || name == "default" {
		return
	}
	a.s.Bind(r, name, id)
}

func (a *applier) setVar(act Action, id string) {
	if act.Var != "" {
		a.vars[Var(act.Var)] = id
	}
}

func nameTags(name string) []ec2types.Tag {
	if name == "" {
		return nil
	}
	return []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}
}

func (a *applier) table(act Action, id string) (*ec2types.RouteTable, error) {
	for i := range a.s.RouteTables {
		if aws.ToString(a.s.RouteTables[i].RouteTableId) == id {
			return &a.s.RouteTables[i], nil
		}
	}
	return nil, &Err{act, "no route table " + id}
}

func routeDest(r ec2types.Route) string {
	if c := aws.ToString(r.DestinationCidrBlock); c != "" {
		return c
	}
	if c := aws.ToString(r.DestinationIpv6CidrBlock); c != "" {
		return c
	}
	return aws.ToString(r.DestinationPrefixListId)
}

func (a *applier) route(act Action) (ec2types.Route, error) {
	tgt, err := a.id(act, act.Target)
	if err != nil {
		return ec2types.Route{}, err
	}
	r := ec2types.Route{State: ec2types.RouteStateActive, Origin: ec2types.RouteOriginCreateRoute}
	if strings.Contains(act.Dest, ":") {
		r.DestinationIpv6CidrBlock = aws.String(act.Dest)
	} else {
		r.DestinationCidrBlock = aws.String(act.Dest)
	}
	switch act.TargetKind {
	case ToNAT:
		n, ok := a.s.NATGateway(tgt)
		if !ok {
			return r, &Err{act, "no NAT gateway " + tgt}
		}
		if n.State != ec2types.NatGatewayStateAvailable && n.State != ec2types.NatGatewayStatePending {
			return r, &Err{act, "NAT gateway " + tgt + " is " + string(n.State)}
		}
		r.NatGatewayId = aws.String(tgt)
	case ToIGW:
		if _, ok := a.s.InternetGateway(tgt); !ok {
			return r, &Err{act, "no internet gateway " + tgt}
		}
		r.GatewayId = aws.String(tgt)
	case ToEIGW:
		r.EgressOnlyInternetGatewayId = aws.String(tgt)
	default:
		return r, &Err{act, "unknown route target kind " + act.TargetKind}
	}
	return r, nil
}

func (a *applier) apply(act Action) error {
	s := a.s
	switch act.Op {
	case CreateVPC:
		id := a.newID("vpc")
		s.VPCs = append(s.VPCs, ec2types.Vpc{VpcId: aws.String(id), CidrBlock: aws.String(act.CIDR), State: ec2types.VpcStateAvailable,
			IsDefault: aws.Bool(false), Tags: nameTags(act.Name)})
		if s.VPCAttrs == nil {
			s.VPCAttrs = map[string]account.VPCAttrs{}
		}
		s.VPCAttrs[id] = account.VPCAttrs{DNSSupport: true}
		// What AWS creates with every VPC: a main route table, a default
		// network ACL and a default security group.
		s.RouteTables = append(s.RouteTables, ec2types.RouteTable{RouteTableId: aws.String(a.newID("rtb")), VpcId: aws.String(id),
			Routes: []ec2types.Route{localRoute(act.CIDR)},
			Associations: []ec2types.RouteTableAssociation{{Main: aws.Bool(true), RouteTableAssociationId: aws.String(a.newID("rtbassoc")),
				AssociationState: &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated}}}})
		allow := func(egress bool) ec2types.NetworkAclEntry {
			return ec2types.NetworkAclEntry{RuleNumber: aws.Int32(100), Protocol: aws.String("-1"), RuleAction: ec2types.RuleActionAllow,
				Egress: aws.Bool(egress), CidrBlock: aws.String("0.0.0.0/0")}
		}
		s.NetworkACLs = append(s.NetworkACLs, ec2types.NetworkAcl{NetworkAclId: aws.String(a.newID("acl")), VpcId: aws.String(id),
			IsDefault: aws.Bool(true), Entries: []ec2types.NetworkAclEntry{allow(true), allow(false)}})
		s.SecurityGroups = append(s.SecurityGroups, defaultGroup(a.newID("sg"), id, "default", ""))
		a.claim(account.VPCs, act.Name, id)
		a.setVar(act, id)
	case ModifyVPCAttribute:
		id, err := a.id(act, act.VPC)
		if err != nil {
			return err
		}
		if _, ok := s.VPC(id); !ok {
			return &Err{act, "no VPC " + id}
		}
		if s.VPCAttrs == nil {
			s.VPCAttrs = map[string]account.VPCAttrs{}
		}
		at := s.VPCAttrs[id]
		switch act.Attr {
		case "enableDnsSupport":
			at.DNSSupport = act.Value
		case "enableDnsHostnames":
			at.DNSHostnames = act.Value
		default:
			return &Err{act, "unknown attribute " + act.Attr}
		}
		s.VPCAttrs[id] = at
	case CreateSubnet:
		vpc, err := a.id(act, act.VPC)
		if err != nil {
			return err
		}
		if _, ok := s.VPC(vpc); !ok {
			return &Err{act, "no VPC " + vpc}
		}
		id := a.newID("subnet")
		s.Subnets = append(s.Subnets, ec2types.Subnet{SubnetId: aws.String(id), VpcId: aws.String(vpc), CidrBlock: aws.String(act.CIDR),
			AvailabilityZone: aws.String(act.AZ), State: ec2types.SubnetStateAvailable, Tags: nameTags(act.Name)})
		a.claim(account.Subnets, act.Name, id)
		a.setVar(act, id)
	case CreateRouteTable:
		vpc, err := a.id(act, act.VPC)
		if err != nil {
			return err
		}
		v, ok := s.VPC(vpc)
		if !ok {
			return &Err{act, "no VPC " + vpc}
		}
		id := a.newID("rtb")
		s.RouteTables = append(s.RouteTables, ec2types.RouteTable{RouteTableId: aws.String(id), VpcId: aws.String(vpc),
			Routes: []ec2types.Route{localRoute(aws.ToString(v.CidrBlock))}, Tags: nameTags(act.Name)})
		a.claim(account.RouteTables, act.Name, id)
		a.setVar(act, id)
	case AssociateRouteTable, ReplaceRouteTableAssociation:
		rtID, err := a.id(act, act.RouteTable)
		if err != nil {
			return err
		}
		t, err := a.table(act, rtID)
		if err != nil {
			return err
		}
		subnet := ""
		if act.Op == AssociateRouteTable {
			if subnet, err = a.id(act, act.Subnet); err != nil {
				return err
			}
			sn, ok := s.Subnet(subnet)
			if !ok {
				return &Err{act, "no subnet " + subnet}
			}
			if aws.ToString(sn.VpcId) != aws.ToString(t.VpcId) {
				return &Err{act, "route table and subnet are in different VPCs"}
			}
			if _, explicit, _ := s.RouteTableFor(subnet, aws.ToString(sn.VpcId)); explicit {
				return &Err{act, "subnet " + subnet + " already has an explicit association"}
			}
		} else {
			found := false
			for i := range s.RouteTables {
				as := s.RouteTables[i].Associations
				for j := range as {
					if aws.ToString(as[j].RouteTableAssociationId) == act.Association {
						if aws.ToBool(as[j].Main) {
							return &Err{act, "the main association is not a subnet's"}
						}
						subnet = aws.ToString(as[j].SubnetId)
						s.RouteTables[i].Associations = slices.Delete(as, j, j+1)
						found = true
						break
					}
				}
				if found {
					break
				}
			}
			if !found {
				return &Err{act, "no association " + act.Association}
			}
			if t, err = a.table(act, rtID); err != nil { // the slice may have moved
				return err
			}
		}
		t.Associations = append(t.Associations, ec2types.RouteTableAssociation{Main: aws.Bool(false), RouteTableId: aws.String(rtID),
			SubnetId: aws.String(subnet), RouteTableAssociationId: aws.String(a.newID("rtbassoc")),
			AssociationState: &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated}})
	case CreateRoute, ReplaceRoute, DeleteRoute:
		rtID, err := a.id(act, act.RouteTable)
		if err != nil {
			return err
		}
		t, err := a.table(act, rtID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(t.Routes, func(r ec2types.Route) bool { return routeDest(r) == act.Dest })
		switch act.Op {
		case CreateRoute:
			if i >= 0 {
				return &Err{act, "route " + act.Dest + " already exists in " + rtID}
			}
			r, err := a.route(act)
			if err != nil {
				return err
			}
			t.Routes = append(t.Routes, r)
		case ReplaceRoute:
			if i < 0 {
				return &Err{act, "no route " + act.Dest + " in " + rtID}
			}
			r, err := a.route(act)
			if err != nil {
				return err
			}
			t.Routes[i] = r
		default:
			if i < 0 {
				return &Err{act, "no route " + act.Dest + " in " + rtID}
			}
			t.Routes = slices.Delete(t.Routes, i, i+1)
		}
	case CreateInternetGateway:
		id := a.newID("igw")
		s.InternetGateways = append(s.InternetGateways, ec2types.InternetGateway{InternetGatewayId: aws.String(id), Tags: nameTags(act.Name)})
		a.claim(account.InternetGateways, act.Name, id)
		a.setVar(act, id)
	case AttachInternetGateway, DetachInternetGateway:
		id, err := a.id(act, act.IGW)
		if err != nil {
			return err
		}
		vpc, err := a.id(act, act.VPC)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(s.InternetGateways, func(g ec2types.InternetGateway) bool { return aws.ToString(g.InternetGatewayId) == id })
		if i < 0 {
			return &Err{act, "no internet gateway " + id}
		}
		g := &s.InternetGateways[i]
		if act.Op == DetachInternetGateway {
			if !account.IGWAttachedTo(*g, vpc) {
				return &Err{act, id + " is not attached to " + vpc}
			}
			g.Attachments = nil
			break
		}
		if len(g.Attachments) > 0 {
			return &Err{act, id + " is already attached"}
		}
		if _, ok := s.AttachedInternetGateway(vpc); ok {
			return &Err{act, vpc + " already has an internet gateway"}
		}
		g.Attachments = []ec2types.InternetGatewayAttachment{{VpcId: aws.String(vpc), State: ec2types.AttachmentStatusAttached}}
	case AllocateAddress:
		id := a.newID("eipalloc")
		s.Addresses = append(s.Addresses, ec2types.Address{AllocationId: aws.String(id), PublicIp: aws.String(fmt.Sprintf("198.51.100.%d", a.n%250+1)),
			Domain: ec2types.DomainTypeVpc, Tags: nameTags(act.Name)})
		a.claim(account.Addresses, act.Name, id)
		a.setVar(act, id)
	case AssociateAddress:
		alloc, err := a.id(act, act.Alloc)
		if err != nil {
			return err
		}
		eni, err := a.id(act, act.ENI)
		if err != nil {
			return err
		}
		ad := a.address(alloc)
		if ad == nil {
			return &Err{act, "no Elastic IP " + alloc}
		}
		n := a.eni(eni)
		if n == nil {
			return &Err{act, "no network interface " + eni}
		}
		assoc := a.newID("eipassoc")
		ad.AssociationId, ad.NetworkInterfaceId, ad.PrivateIpAddress = aws.String(assoc), aws.String(eni), n.PrivateIpAddress
		n.Association = &ec2types.NetworkInterfaceAssociation{PublicIp: ad.PublicIp, AllocationId: aws.String(alloc), AssociationId: aws.String(assoc)}
	case DisassociateAddress:
		for i := range s.Addresses {
			if aws.ToString(s.Addresses[i].AssociationId) == act.Association {
				a.free(&s.Addresses[i])
			}
		}
	case ReleaseAddress:
		alloc, err := a.id(act, act.Alloc)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(s.Addresses, func(x ec2types.Address) bool { return aws.ToString(x.AllocationId) == alloc })
		if i < 0 {
			return &Err{act, "no Elastic IP " + alloc}
		}
		if aws.ToString(s.Addresses[i].AssociationId) != "" {
			return &Err{act, alloc + " is still associated"}
		}
		s.Addresses = slices.Delete(s.Addresses, i, i+1)
	case CreateNATGateway:
		return a.createNAT(act)
	case DeleteNATGateway:
		id, err := a.id(act, act.NAT)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(s.NATGateways, func(n ec2types.NatGateway) bool { return aws.ToString(n.NatGatewayId) == id })
		if i < 0 {
			return &Err{act, "no NAT gateway " + id}
		}
		n := &s.NATGateways[i]
		n.State = ec2types.NatGatewayStateDeleted
		// AWS releases the gateway's Elastic IPs from it.
		for _, na := range n.NatGatewayAddresses {
			if ad := a.address(aws.ToString(na.AllocationId)); ad != nil {
				a.free(ad)
			}
		}
	case CreateSecurityGroup:
		vpc, err := a.id(act, act.VPC)
		if err != nil {
			return err
		}
		id := a.newID("sg")
		s.SecurityGroups = append(s.SecurityGroups, defaultGroup(id, vpc, act.GroupName, act.Name))
		a.claim(account.SecurityGroups, act.Name, id)
		a.claim(account.SecurityGroups, act.GroupName, id)
		a.setVar(act, id)
	case AuthorizeIngress, AuthorizeEgress, RevokeIngress, RevokeEgress:
		return a.sgRule(act)
	case CreateNACLEntry, ReplaceNACLEntry:
		i := slices.IndexFunc(s.NetworkACLs, func(x ec2types.NetworkAcl) bool { return aws.ToString(x.NetworkAclId) == act.ACL })
		if i < 0 {
			return &Err{act, "no network ACL " + act.ACL}
		}
		acl := &s.NetworkACLs[i]
		j := slices.IndexFunc(acl.Entries, func(e ec2types.NetworkAclEntry) bool {
			return aws.ToBool(e.Egress) == act.Egress && aws.ToInt32(e.RuleNumber) == int32(act.RuleNumber)
		})
		if act.Op == CreateNACLEntry && j >= 0 {
			return &Err{act, fmt.Sprintf("rule %d exists", act.RuleNumber)}
		}
		if act.Op == ReplaceNACLEntry && j < 0 {
			return &Err{act, fmt.Sprintf("no rule %d", act.RuleNumber)}
		}
		e := ec2types.NetworkAclEntry{RuleNumber: aws.Int32(int32(act.RuleNumber)), Egress: aws.Bool(act.Egress),
			RuleAction: ec2types.RuleAction(act.RuleAction), CidrBlock: aws.String(act.CIDR), Protocol: aws.String("6"),
			PortRange: &ec2types.PortRange{From: aws.Int32(int32(act.PortFrom)), To: aws.Int32(int32(act.PortTo))}}
		if j >= 0 {
			acl.Entries[j] = e
		} else {
			acl.Entries = append(acl.Entries, e)
		}
	case CreateVPCEndpoint:
		vpc, err := a.id(act, act.VPC)
		if err != nil {
			return err
		}
		id := a.newID("vpce")
		ep := ec2types.VpcEndpoint{VpcEndpointId: aws.String(id), VpcId: aws.String(vpc), ServiceName: aws.String(act.Service),
			VpcEndpointType: ec2types.VpcEndpointType(act.EndpointType), State: "available", RouteTableIds: act.RouteTables,
			SubnetIds: act.Subnets, PrivateDnsEnabled: aws.Bool(act.PrivateDNS), Tags: nameTags(act.Name)}
		for _, g := range act.Groups {
			gid, err := a.id(act, g)
			if err != nil {
				return err
			}
			ep.Groups = append(ep.Groups, ec2types.SecurityGroupIdentifier{GroupId: aws.String(gid)})
		}
		s.VPCEndpoints = append(s.VPCEndpoints, ep)
		a.setVar(act, id)
	case ModifyVPCEndpoint:
		i := slices.IndexFunc(s.VPCEndpoints, func(e ec2types.VpcEndpoint) bool { return aws.ToString(e.VpcEndpointId) == act.Endpoint })
		if i < 0 {
			return &Err{act, "no endpoint " + act.Endpoint}
		}
		ep := &s.VPCEndpoints[i]
		for _, t := range act.RouteTables {
			if !slices.Contains(ep.RouteTableIds, t) {
				ep.RouteTableIds = append(ep.RouteTableIds, t)
			}
		}
		for _, sn := range act.Subnets {
			if !slices.Contains(ep.SubnetIds, sn) {
				ep.SubnetIds = append(ep.SubnetIds, sn)
			}
		}
		if act.PrivateDNS {
			ep.PrivateDnsEnabled = aws.Bool(true)
		}
		for _, g := range act.Groups {
			if !slices.ContainsFunc(ep.Groups, func(x ec2types.SecurityGroupIdentifier) bool { return aws.ToString(x.GroupId) == g }) {
				ep.Groups = append(ep.Groups, ec2types.SecurityGroupIdentifier{GroupId: aws.String(g)})
			}
		}
		ep.Groups = slices.DeleteFunc(ep.Groups, func(x ec2types.SecurityGroupIdentifier) bool {
			return slices.Contains(act.RemoveGroups, aws.ToString(x.GroupId))
		})
	case DeleteVPCEndpoint:
		i := slices.IndexFunc(s.VPCEndpoints, func(e ec2types.VpcEndpoint) bool { return aws.ToString(e.VpcEndpointId) == act.Endpoint })
		if i < 0 {
			return &Err{act, "no endpoint " + act.Endpoint}
		}
		s.VPCEndpoints = slices.Delete(s.VPCEndpoints, i, i+1)
	case CreateTags:
		return a.tag(act)
	case UpdateServiceNetwork:
		return a.updateService(act)
	case CreateCluster:
		s.Clusters = append(s.Clusters, ecstypes.Cluster{ClusterName: aws.String(act.Cluster), Status: aws.String("ACTIVE"),
			ClusterArn: aws.String("arn:aws:ecs:" + s.Region + ":" + s.Account + ":cluster/" + act.Cluster)})
	case ScaleServiceToZero:
		found := false
		for i := range s.Services {
			svc := &s.Services[i]
			if aws.ToString(svc.ServiceName) == act.Service2 && strings.HasSuffix(aws.ToString(svc.ClusterArn), "/"+act.Cluster) {
				svc.DesiredCount, svc.RunningCount, found = 0, 0, true
			}
		}
		if !found {
			return &Err{act, "no service " + act.Service2}
		}
		for i := range s.Tasks {
			if aws.ToString(s.Tasks[i].Group) == "service:"+act.Service2 && strings.HasSuffix(aws.ToString(s.Tasks[i].ClusterArn), "/"+act.Cluster) {
				s.Tasks[i].LastStatus, s.Tasks[i].DesiredStatus = aws.String("STOPPED"), aws.String("STOPPED")
			}
		}
	case StopTask:
		i := slices.IndexFunc(s.Tasks, func(t ecstypes.Task) bool { return aws.ToString(t.TaskArn) == act.ARN })
		if i < 0 {
			return &Err{act, "no task " + act.ARN}
		}
		s.Tasks[i].LastStatus, s.Tasks[i].DesiredStatus = aws.String("STOPPED"), aws.String("STOPPED")
	case SetLoadBalancerSubnets:
		i := slices.IndexFunc(s.LoadBalancers, func(lb elbtypes.LoadBalancer) bool { return aws.ToString(lb.LoadBalancerArn) == act.ARN })
		if i < 0 {
			return &Err{act, "no load balancer " + act.ARN}
		}
		var azs []elbtypes.AvailabilityZone
		for _, id := range act.Subnets {
			sn, ok := s.Subnet(id)
			if !ok {
				return &Err{act, "no subnet " + id}
			}
			azs = append(azs, elbtypes.AvailabilityZone{SubnetId: aws.String(id), ZoneName: sn.AvailabilityZone})
		}
		s.LoadBalancers[i].AvailabilityZones = azs
	case DeleteListener:
		i := slices.IndexFunc(s.Listeners, func(l elbtypes.Listener) bool { return aws.ToString(l.ListenerArn) == act.ARN })
		if i < 0 {
			return &Err{act, "no listener " + act.ARN}
		}
		s.Listeners = slices.Delete(s.Listeners, i, i+1)
		delete(s.Rules, act.ARN) // its rules go with it
	case RunTask:
		return a.runTask(act)
	case TaskIP:
		arn, err := a.id(act, act.Target)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(s.Tasks, func(t ecstypes.Task) bool { return aws.ToString(t.TaskArn) == arn })
		if i < 0 {
			return &Err{act, "no task " + arn}
		}
		for _, at := range s.Tasks[i].Attachments {
			for _, d := range at.Details {
				if aws.ToString(d.Name) == "privateIPv4Address" && aws.ToString(d.Value) != "" {
					a.setVar(act, aws.ToString(d.Value))
					return nil
				}
			}
		}
		return &Err{act, "task " + arn + " has no private IP"}
	case RegisterTarget, DeregisterTarget:
		if _, ok := s.TargetGroup(act.ARN); !ok {
			return &Err{act, "no target group " + act.ARN}
		}
		ip, err := a.id(act, act.Target)
		if err != nil {
			return err
		}
		// As AWS: registering a target twice or removing one that is not
		// there is no error; a removed target drains, then is gone.
		kept := slices.DeleteFunc(slices.Clone(s.Targets[act.ARN]), func(d elbtypes.TargetHealthDescription) bool {
			return d.Target != nil && aws.ToString(d.Target.Id) == ip && aws.ToInt32(d.Target.Port) == int32(act.Port)
		})
		if act.Op == RegisterTarget {
			kept = append(kept, elbtypes.TargetHealthDescription{
				Target:       &elbtypes.TargetDescription{Id: aws.String(ip), Port: aws.Int32(int32(act.Port))},
				TargetHealth: &elbtypes.TargetHealth{State: elbtypes.TargetHealthStateEnumInitial}})
		}
		if s.Targets == nil {
			s.Targets = map[string][]elbtypes.TargetHealthDescription{}
		}
		s.Targets[act.ARN] = kept
	case SetDesiredCount:
		found := false
		for i := range s.Services {
			svc := &s.Services[i]
			if aws.ToString(svc.ServiceName) == act.Service2 && strings.HasSuffix(aws.ToString(svc.ClusterArn), "/"+act.Cluster) &&
				aws.ToString(svc.Status) != "INACTIVE" {
				// Settled: the service runs what it wants.
				svc.DesiredCount, svc.RunningCount, svc.PendingCount, found = int32(act.Count), int32(act.Count), 0, true
			}
		}
		if !found {
			return &Err{act, "no service " + act.Service2}
		}
	case SetLoadBalancerGroups:
		i := slices.IndexFunc(s.LoadBalancers, func(lb elbtypes.LoadBalancer) bool { return aws.ToString(lb.LoadBalancerArn) == act.ARN })
		if i < 0 {
			return &Err{act, "no load balancer " + act.ARN}
		}
		if len(act.Groups) == 0 {
			return &Err{act, "a load balancer needs a security group"}
		}
		var ids []string
		for _, g := range act.Groups {
			id, err := a.id(act, g)
			if err != nil {
				return err
			}
			sg, ok := s.SecurityGroup(id)
			if !ok {
				return &Err{act, "no security group " + id}
			}
			if aws.ToString(sg.VpcId) != aws.ToString(s.LoadBalancers[i].VpcId) {
				return &Err{act, "security group " + id + " is in another VPC"}
			}
			ids = append(ids, id)
		}
		s.LoadBalancers[i].SecurityGroups = ids
	case DeleteLoadBalancer:
		i := slices.IndexFunc(s.LoadBalancers, func(lb elbtypes.LoadBalancer) bool { return aws.ToString(lb.LoadBalancerArn) == act.ARN })
		if i < 0 {
			return &Err{act, "no load balancer " + act.ARN}
		}
		s.LoadBalancers = slices.Delete(s.LoadBalancers, i, i+1)
	default:
		if ok, err := a.applyBinding(act); ok {
			return err
		}
		return &Err{act, "unknown action"}
	}
	return nil
}

func localRoute(cidr string) ec2types.Route {
	return ec2types.Route{DestinationCidrBlock: aws.String(cidr), GatewayId: aws.String("local"), State: ec2types.RouteStateActive,
		Origin: ec2types.RouteOriginCreateRouteTable}
}

// defaultGroup is a new security group as AWS creates it: no ingress, all
// egress.
func defaultGroup(id, vpc, groupName, name string) ec2types.SecurityGroup {
	return ec2types.SecurityGroup{GroupId: aws.String(id), GroupName: aws.String(groupName), VpcId: aws.String(vpc), Tags: nameTags(name),
		IpPermissionsEgress: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}
}

func (a *applier) address(alloc string) *ec2types.Address {
	for i := range a.s.Addresses {
		if aws.ToString(a.s.Addresses[i].AllocationId) == alloc {
			return &a.s.Addresses[i]
		}
	}
	return nil
}

func (a *applier) eni(id string) *ec2types.NetworkInterface {
	for i := range a.s.NetworkInterfaces {
		if aws.ToString(a.s.NetworkInterfaces[i].NetworkInterfaceId) == id {
			return &a.s.NetworkInterfaces[i]
		}
	}
	return nil
}

func (a *applier) free(ad *ec2types.Address) {
	if n := a.eni(aws.ToString(ad.NetworkInterfaceId)); n != nil {
		n.Association = nil
	}
	ad.AssociationId, ad.NetworkInterfaceId, ad.InstanceId, ad.PrivateIpAddress = nil, nil, nil, nil
}

func (a *applier) createNAT(act Action) error {
	s := a.s
	id := a.newID("nat")
	n := ec2types.NatGateway{NatGatewayId: aws.String(id), State: ec2types.NatGatewayStateAvailable, Tags: nameTags(act.Name),
		ConnectivityType: ec2types.ConnectivityTypePublic, AvailabilityMode: ec2types.AvailabilityModeZonal}
	if act.Private {
		n.ConnectivityType = ec2types.ConnectivityTypePrivate
	}
	var azs []string
	if act.Regional {
		vpc, err := a.id(act, act.VPC)
		if err != nil {
			return err
		}
		n.VpcId, n.AvailabilityMode = aws.String(vpc), ec2types.AvailabilityModeRegional
		// A regional NAT gateway expands to every AZ the VPC has subnets in.
		for _, sn := range s.Subnets {
			if aws.ToString(sn.VpcId) == vpc && !slices.Contains(azs, aws.ToString(sn.AvailabilityZone)) {
				azs = append(azs, aws.ToString(sn.AvailabilityZone))
			}
		}
	} else {
		subnet, err := a.id(act, act.Subnet)
		if err != nil {
			return err
		}
		sn, ok := s.Subnet(subnet)
		if !ok {
			return &Err{act, "no subnet " + subnet}
		}
		n.SubnetId, n.VpcId = aws.String(subnet), sn.VpcId
		azs = []string{aws.ToString(sn.AvailabilityZone)}
	}
	if len(azs) == 0 {
		// A regional NAT gateway follows the VPC's workloads; with no
		// subnet at all (seen while a clean-up deleted them) what AWS does
		// is not known here, so no plan is shown for it.
		return &Err{act, "VPC " + aws.ToString(n.VpcId) + " has no subnets"}
	}
	eniID := a.newID("eni")
	addr := ec2types.NatGatewayAddress{NetworkInterfaceId: aws.String(eniID), PrivateIp: aws.String("10.255.255.1"),
		IsPrimary: aws.Bool(true), Status: ec2types.NatGatewayAddressStatusSucceeded, AvailabilityZone: aws.String(azs[0])}
	if act.Alloc != "" {
		alloc, err := a.id(act, act.Alloc)
		if err != nil {
			return err
		}
		ad := a.address(alloc)
		if ad == nil {
			return &Err{act, "no Elastic IP " + alloc}
		}
		if aws.ToString(ad.AssociationId) != "" || aws.ToString(ad.NetworkInterfaceId) != "" {
			return &Err{act, "Elastic IP " + alloc + " is already associated"}
		}
		assoc := a.newID("eipassoc")
		ad.AssociationId, ad.NetworkInterfaceId = aws.String(assoc), aws.String(eniID)
		addr.AllocationId, addr.PublicIp, addr.AssociationId = aws.String(alloc), ad.PublicIp, aws.String(assoc)
	} else if !act.Private {
		// Without an allocation AWS allocates an address itself.
		addr.PublicIp = aws.String("198.51.100.254")
	}
	n.NatGatewayAddresses = []ec2types.NatGatewayAddress{addr}
	for _, az := range azs[1:] {
		x := addr
		x.AvailabilityZone, x.IsPrimary = aws.String(az), aws.Bool(false)
		n.NatGatewayAddresses = append(n.NatGatewayAddresses, x)
	}
	s.NATGateways = append(s.NATGateways, n)
	a.claim(account.NATGateways, act.Name, id)
	a.s.NetworkInterfaces = append(a.s.NetworkInterfaces, ec2types.NetworkInterface{NetworkInterfaceId: aws.String(eniID), SubnetId: n.SubnetId,
		VpcId: n.VpcId, InterfaceType: ec2types.NetworkInterfaceTypeNatGateway})
	a.setVar(act, id)
	return nil
}

func (a *applier) sgRule(act Action) error {
	gid, err := a.id(act, act.Group)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(a.s.SecurityGroups, func(g ec2types.SecurityGroup) bool { return aws.ToString(g.GroupId) == gid })
	if i < 0 {
		return &Err{act, "no security group " + gid}
	}
	if act.Rule == nil {
		return &Err{act, "no rule"}
	}
	g := &a.s.SecurityGroups[i]
	perms := &g.IpPermissions
	if act.Op == AuthorizeEgress || act.Op == RevokeEgress {
		perms = &g.IpPermissionsEgress
	}
	perm, err := a.perm(act, *act.Rule)
	if err != nil {
		return err
	}
	switch act.Op {
	case AuthorizeIngress, AuthorizeEgress:
		for _, p := range *perms {
			if samePerm(p, perm) {
				return &Err{act, "the rule already exists"}
			}
		}
		*perms = append(*perms, perm)
	default:
		// Revoking removes the one peer from a rule that may list several.
		found := false
		var out []ec2types.IpPermission
		for _, p := range *perms {
			if samePorts(p, perm) {
				before := peers(p)
				p = withoutPeer(p, perm)
				if peers(p) < before {
					found = true
				}
				if peers(p) == 0 {
					continue
				}
			}
			out = append(out, p)
		}
		if !found {
			return &Err{act, "no such rule"}
		}
		*perms = out
	}
	return nil
}

func (a *applier) perm(act Action, r Rule) (ec2types.IpPermission, error) {
	p := ec2types.IpPermission{IpProtocol: aws.String(r.Protocol)}
	if r.Protocol != "-1" {
		p.FromPort, p.ToPort = aws.Int32(int32(r.From)), aws.Int32(int32(r.To))
	}
	switch {
	case r.CIDR != "":
		p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(r.CIDR)}}
	case r.CIDRv6 != "":
		p.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String(r.CIDRv6)}}
	case r.Group != "":
		g, err := a.id(act, r.Group)
		if err != nil {
			return p, err
		}
		p.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(g)}}
	case r.PrefixList != "":
		p.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: aws.String(r.PrefixList)}}
	default:
		return p, &Err{act, "a rule needs a peer"}
	}
	return p, nil
}

func samePorts(a, b ec2types.IpPermission) bool {
	if ruleProto(a) != ruleProto(b) {
		return false
	}
	if ruleProto(a) == "-1" {
		return true
	}
	return aws.ToInt32(a.FromPort) == aws.ToInt32(b.FromPort) && aws.ToInt32(a.ToPort) == aws.ToInt32(b.ToPort)
}

func samePerm(a, b ec2types.IpPermission) bool {
	return samePorts(a, b) && peers(withoutPeer(a, b)) < peers(a)
}

func peers(p ec2types.IpPermission) int {
	return len(p.IpRanges) + len(p.Ipv6Ranges) + len(p.UserIdGroupPairs) + len(p.PrefixListIds)
}

// withoutPeer is p without b's (single) peer.
func withoutPeer(p, b ec2types.IpPermission) ec2types.IpPermission {
	p.IpRanges = slices.DeleteFunc(slices.Clone(p.IpRanges), func(r ec2types.IpRange) bool {
		return len(b.IpRanges) > 0 && aws.ToString(r.CidrIp) == aws.ToString(b.IpRanges[0].CidrIp)
	})
	p.Ipv6Ranges = slices.DeleteFunc(slices.Clone(p.Ipv6Ranges), func(r ec2types.Ipv6Range) bool {
		return len(b.Ipv6Ranges) > 0 && aws.ToString(r.CidrIpv6) == aws.ToString(b.Ipv6Ranges[0].CidrIpv6)
	})
	p.UserIdGroupPairs = slices.DeleteFunc(slices.Clone(p.UserIdGroupPairs), func(r ec2types.UserIdGroupPair) bool {
		return len(b.UserIdGroupPairs) > 0 && aws.ToString(r.GroupId) == aws.ToString(b.UserIdGroupPairs[0].GroupId)
	})
	p.PrefixListIds = slices.DeleteFunc(slices.Clone(p.PrefixListIds), func(r ec2types.PrefixListId) bool {
		return len(b.PrefixListIds) > 0 && aws.ToString(r.PrefixListId) == aws.ToString(b.PrefixListIds[0].PrefixListId)
	})
	return p
}

func (a *applier) tag(act Action) error {
	id, err := a.id(act, act.Target)
	if err != nil {
		return err
	}
	s := a.s
	set := func(tags *[]ec2types.Tag) {
		*tags = slices.DeleteFunc(*tags, func(t ec2types.Tag) bool { return aws.ToString(t.Key) == "Name" })
		*tags = append(*tags, nameTags(act.Name)...)
	}
	found := func(r account.Resource, tags *[]ec2types.Tag) error {
		set(tags)
		a.claim(r, act.Name, id)
		return nil
	}
	if t := tagsOf(s.Addresses, id, func(x *ec2types.Address) (*string, *[]ec2types.Tag) { return x.AllocationId, &x.Tags }); t != nil {
		return found(account.Addresses, t)
	}
	if t := tagsOf(s.NATGateways, id, func(x *ec2types.NatGateway) (*string, *[]ec2types.Tag) { return x.NatGatewayId, &x.Tags }); t != nil {
		return found(account.NATGateways, t)
	}
	if t := tagsOf(s.InternetGateways, id, func(x *ec2types.InternetGateway) (*string, *[]ec2types.Tag) { return x.InternetGatewayId, &x.Tags }); t != nil {
		return found(account.InternetGateways, t)
	}
	if t := tagsOf(s.RouteTables, id, func(x *ec2types.RouteTable) (*string, *[]ec2types.Tag) { return x.RouteTableId, &x.Tags }); t != nil {
		return found(account.RouteTables, t)
	}
	if t := tagsOf(s.Subnets, id, func(x *ec2types.Subnet) (*string, *[]ec2types.Tag) { return x.SubnetId, &x.Tags }); t != nil {
		return found(account.Subnets, t)
	}
	if t := tagsOf(s.VPCs, id, func(x *ec2types.Vpc) (*string, *[]ec2types.Tag) { return x.VpcId, &x.Tags }); t != nil {
		return found(account.VPCs, t)
	}
	return &Err{act, "cannot tag " + id}
}

// updateService gives a service a new network configuration without a
// public IP. ECS replaces the service's tasks with ones in the new
// configuration; settled, each task's interface is in one of the new
// subnets (in turn) with the new groups and no public address, and keeps
// its private address (the replacement registers with the service's
// target groups the same way).
func (a *applier) updateService(act Action) error {
	s := a.s
	found := false
	for i := range s.Services {
		svc := &s.Services[i]
		if aws.ToString(svc.ServiceName) != act.Service2 || !strings.HasSuffix(aws.ToString(svc.ClusterArn), "/"+act.Cluster) {
			continue
		}
		svc.NetworkConfiguration = &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets: slices.Clone(act.Subnets), SecurityGroups: slices.Clone(act.Groups), AssignPublicIp: ecstypes.AssignPublicIpDisabled}}
		found = true
	}
	if !found {
		return &Err{act, "no service " + act.Service2}
	}
	var subnets []ec2types.Subnet
	for _, id := range act.Subnets {
		sn, ok := s.Subnet(id)
		if !ok {
			return &Err{act, "no subnet " + id}
		}
		subnets = append(subnets, sn)
	}
	if len(subnets) == 0 {
		return &Err{act, "no subnets"}
	}
	k := 0
	for ti := range s.Tasks {
		t := &s.Tasks[ti]
		if aws.ToString(t.Group) != "service:"+act.Service2 || !strings.HasSuffix(aws.ToString(t.ClusterArn), "/"+act.Cluster) ||
			aws.ToString(t.LastStatus) == "STOPPED" {
			continue
		}
		sn := subnets[k%len(subnets)]
		k++
		for ai := range t.Attachments {
			for di := range t.Attachments[ai].Details {
				d := &t.Attachments[ai].Details[di]
				switch aws.ToString(d.Name) {
				case "subnetId":
					d.Value = sn.SubnetId
				case "networkInterfaceId":
					if n := a.eni(aws.ToString(d.Value)); n != nil {
						n.SubnetId, n.VpcId, n.AvailabilityZone, n.Association = sn.SubnetId, sn.VpcId, sn.AvailabilityZone, nil
						n.Ipv6Addresses = nil
						if aws.ToBool(sn.AssignIpv6AddressOnCreation) {
							n.Ipv6Addresses = []ec2types.NetworkInterfaceIpv6Address{{Ipv6Address: aws.String("2001:db8::1")}}
						}
						n.Groups = nil
						for _, g := range act.Groups {
							n.Groups = append(n.Groups, ec2types.GroupIdentifier{GroupId: aws.String(g)})
						}
					}
				}
			}
		}
	}
	return nil
}

// runTask starts a Fargate task of the family, settled: RUNNING, with its
// own network interface in the first subnet (as ECS places it when one
// subnet is enough; moto always takes the first), carrying the groups and
// no public address.
func (a *applier) runTask(act Action) error {
	s := a.s
	c, ok := s.Cluster(act.Cluster)
	if !ok {
		return &Err{act, "no cluster " + act.Cluster}
	}
	if act.Family == "" {
		return &Err{act, "no task definition family"}
	}
	if len(act.Subnets) == 0 || len(act.Groups) == 0 {
		return &Err{act, "a Fargate task needs subnets and security groups"}
	}
	var subnets []ec2types.Subnet
	for _, id := range act.Subnets {
		sn, ok := s.Subnet(id)
		if !ok {
			return &Err{act, "no subnet " + id}
		}
		if len(subnets) > 0 && aws.ToString(sn.VpcId) != aws.ToString(subnets[0].VpcId) {
			return &Err{act, "the subnets are in different VPCs"}
		}
		subnets = append(subnets, sn)
	}
	sn := subnets[0]
	var groups []ec2types.GroupIdentifier
	for _, g := range act.Groups {
		sg, ok := s.SecurityGroup(g)
		if !ok {
			return &Err{act, "no security group " + g}
		}
		if aws.ToString(sg.VpcId) != aws.ToString(sn.VpcId) {
			return &Err{act, "security group " + g + " is in another VPC"}
		}
		groups = append(groups, ec2types.GroupIdentifier{GroupId: aws.String(g), GroupName: sg.GroupName})
	}
	eniID := a.newID("eni")
	ip := "10.255.254.1"
	s.NetworkInterfaces = append(s.NetworkInterfaces, ec2types.NetworkInterface{NetworkInterfaceId: aws.String(eniID), SubnetId: sn.SubnetId,
		VpcId: sn.VpcId, AvailabilityZone: sn.AvailabilityZone, Groups: groups, PrivateIpAddress: aws.String(ip),
		InterfaceType: ec2types.NetworkInterfaceTypeInterface, Status: ec2types.NetworkInterfaceStatusInUse})
	// Newest of all: the checks read a family's latest task first.
	created := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, t := range s.Tasks {
		if t.CreatedAt != nil && t.CreatedAt.After(created) {
			created = *t.CreatedAt
		}
	}
	created = created.Add(time.Minute)
	prefix := "arn:aws:ecs:" + s.Region + ":" + s.Account + ":"
	detail := func(k, v string) ecstypes.KeyValuePair {
		return ecstypes.KeyValuePair{Name: aws.String(k), Value: aws.String(v)}
	}
	arn := prefix + "task/" + act.Cluster + "/" + a.newID("task")
	v := act.Var
	if v == "" {
		v = "TASK_ARN" // as the command names it
	}
	a.vars[Var(v)] = arn
	s.Tasks = append(s.Tasks, ecstypes.Task{TaskArn: aws.String(arn),
		ClusterArn: c.ClusterArn, TaskDefinitionArn: aws.String(prefix + "task-definition/" + act.Family + ":1"),
		LastStatus: aws.String("RUNNING"), DesiredStatus: aws.String("RUNNING"), LaunchType: ecstypes.LaunchTypeFargate, CreatedAt: &created,
		Attachments: []ecstypes.Attachment{{Type: aws.String("ElasticNetworkInterface"), Status: aws.String("ATTACHED"),
			Details: []ecstypes.KeyValuePair{detail("subnetId", aws.ToString(sn.SubnetId)), detail("networkInterfaceId", eniID),
				detail("privateIPv4Address", ip)}}}})
	return nil
}

// tagsOf is the tag list of the element of xs whose id is id, nil when
// none has it.
func tagsOf[T any](xs []T, id string, f func(*T) (*string, *[]ec2types.Tag)) *[]ec2types.Tag {
	for i := range xs {
		if x, tags := f(&xs[i]); aws.ToString(x) == id {
			return tags
		}
	}
	return nil
}
