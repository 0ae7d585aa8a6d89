// Package repair holds repair plans: short lists of typed actions on an
// AWS account that make a failing check pass. A plan is data: it applies
// to a copy of an account snapshot (so the checks can judge the result
// before vpclab shows it) and renders as AWS CLI commands, one per line,
// that a learner can paste into bash or zsh, and as console steps.
//
// Resources a plan creates are named by shell variables ("$RTB_ID"): the
// command that creates one captures its id, and the later commands use
// the variable. On a snapshot the variable stands for a made-up id.
package repair

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vpclab/vpclab/i18n"
)

// Op is the kind of an action.
type Op string

const (
	CreateVPC                    Op = "create-vpc"
	ModifyVPCAttribute           Op = "modify-vpc-attribute"
	CreateSubnet                 Op = "create-subnet"
	CreateRouteTable             Op = "create-route-table"
	AssociateRouteTable          Op = "associate-route-table"
	ReplaceRouteTableAssociation Op = "replace-route-table-association"
	CreateRoute                  Op = "create-route"
	ReplaceRoute                 Op = "replace-route"
	DeleteRoute                  Op = "delete-route"
	CreateInternetGateway        Op = "create-internet-gateway"
	AttachInternetGateway        Op = "attach-internet-gateway"
	DetachInternetGateway        Op = "detach-internet-gateway"
	AllocateAddress              Op = "allocate-address"
	AssociateAddress             Op = "associate-address"
	DisassociateAddress          Op = "disassociate-address"
	CreateNATGateway             Op = "create-nat-gateway"
	DeleteNATGateway             Op = "delete-nat-gateway"
	CreateSecurityGroup          Op = "create-security-group"
	AuthorizeIngress             Op = "authorize-security-group-ingress"
	AuthorizeEgress              Op = "authorize-security-group-egress"
	RevokeIngress                Op = "revoke-security-group-ingress"
	RevokeEgress                 Op = "revoke-security-group-egress"
	CreateNACLEntry              Op = "create-network-acl-entry"
	ReplaceNACLEntry             Op = "replace-network-acl-entry"
	CreateVPCEndpoint            Op = "create-vpc-endpoint"
	ModifyVPCEndpoint            Op = "modify-vpc-endpoint"
	DeleteVPCEndpoint            Op = "delete-vpc-endpoints"
	ReleaseAddress               Op = "release-address"
	CreateTags                   Op = "create-tags"
	UpdateServiceNetwork         Op = "update-service"
	StopTask                     Op = "stop-task"
	CreateCluster                Op = "create-cluster"
	ScaleServiceToZero           Op = "scale-service-to-zero"
	SetLoadBalancerSubnets       Op = "set-subnets"
	DeleteLoadBalancer           Op = "delete-load-balancer"
	DeleteListener               Op = "delete-listener"
	RunTask                      Op = "run-task"
	SetDesiredCount              Op = "set-desired-count"
	SetLoadBalancerGroups        Op = "set-security-groups"
	TaskIP                       Op = "task-ip"
	RegisterTarget               Op = "register-targets"
	DeregisterTarget             Op = "deregister-targets"
)

// Target kinds of a route.
const (
	ToIGW  = "internet-gateway"
	ToNAT  = "nat-gateway"
	ToEIGW = "egress-only-internet-gateway"
	ToVPCE = "gateway-endpoint"
)

// Rule is one security group rule: TCP (or all traffic, Protocol "-1")
// on From..To with one peer.
type Rule struct {
	Protocol    string // "tcp" or "-1"
	From, To    int
	CIDR        string
	CIDRv6      string
	Group       string // a peer security group id
	PrefixList  string
	Description string
}

// Action is one change. Fields that name a resource hold its id or, for a
// resource the plan creates, a variable ("$NAT_ID").
type Action struct {
	Op Op `json:"op"`

	VPC         string `json:"vpc,omitempty"`
	Subnet      string `json:"subnet,omitempty"`
	RouteTable  string `json:"route_table,omitempty"`
	Association string `json:"association,omitempty"`
	IGW         string `json:"internet_gateway,omitempty"`
	NAT         string `json:"nat_gateway,omitempty"`
	Alloc       string `json:"allocation,omitempty"`
	ENI         string `json:"network_interface,omitempty"`
	Group       string `json:"group,omitempty"`
	ACL         string `json:"network_acl,omitempty"`
	Endpoint    string `json:"endpoint,omitempty"`

	// Routes.
	Dest       string `json:"destination,omitempty"`
	Target     string `json:"target,omitempty"` // id or variable
	TargetKind string `json:"target_kind,omitempty"`

	// Creations.
	CIDR      string `json:"cidr,omitempty"`
	AZ        string `json:"az,omitempty"`
	Name      string `json:"name,omitempty"` // Name tag of what is created
	GroupName string `json:"group_name,omitempty"`
	Var       string `json:"var,omitempty"` // shell variable that captures the new id
	Regional  bool   `json:"regional,omitempty"`
	Private   bool   `json:"private,omitempty"` // private NAT connectivity

	// Security group rules.
	Rule *Rule `json:"rule,omitempty"`

	// Network ACL entries.
	RuleNumber int    `json:"rule_number,omitempty"`
	Egress     bool   `json:"egress,omitempty"`
	RuleAction string `json:"rule_action,omitempty"`
	PortFrom   int    `json:"port_from,omitempty"`
	PortTo     int    `json:"port_to,omitempty"`

	// VPC attributes and endpoints.
	Attr         string   `json:"attribute,omitempty"` // enableDnsSupport, enableDnsHostnames
	Value        bool     `json:"value,omitempty"`
	Service      string   `json:"service,omitempty"` // full service name
	EndpointType string   `json:"endpoint_type,omitempty"`
	RouteTables  []string `json:"route_tables,omitempty"`
	Subnets      []string `json:"subnets,omitempty"`
	Groups       []string `json:"groups,omitempty"`
	RemoveGroups []string `json:"remove_groups,omitempty"` // modify-vpc-endpoint: Groups added, these removed
	PrivateDNS   bool     `json:"private_dns,omitempty"`

	// ECS and Elastic Load Balancing.
	Cluster  string `json:"cluster,omitempty"`
	Service2 string `json:"ecs_service,omitempty"`
	ARN      string `json:"arn,omitempty"`
	// Family is a task definition family (run-task); Count a service's
	// desired count (set-desired-count).
	Family string `json:"family,omitempty"`
	Count  int    `json:"count,omitempty"`
	// LoadBalancer and Port name a listener for the console: its load
	// balancer's name and its port (ARN is the listener's). For a target
	// group's targets (register-targets), ARN and Name are the group's,
	// Target the IP address and Port its port; task-ip captures the
	// private IP of the task Target (an ARN or "$TASK_ARN") in Var.
	LoadBalancer string `json:"load_balancer,omitempty"`
	Port         int    `json:"port,omitempty"`
}

// Plan is the actions that repair one check, in order.
type Plan struct {
	Actions []Action `json:"actions"`
	// After, when set, says what the learner will see next (a NAT gateway
	// pending for a minute or two) in their language.
	After *i18n.Msg `json:"-"`
}

// New is a plan of actions.
func New(as ...Action) *Plan { return &Plan{Actions: as} }

// Add appends actions.
func (p *Plan) Add(as ...Action) *Plan { p.Actions = append(p.Actions, as...); return p }

// Empty reports whether the plan does nothing.
func (p *Plan) Empty() bool { return p == nil || len(p.Actions) == 0 }

// Var names a resource the plan creates, for later actions' fields.
func Var(name string) string { return "$" + name }

func isVar(s string) bool { return strings.HasPrefix(s, "$") }

// Key identifies a plan by what it does (two checks with the same plan
// share one cause).
func (p *Plan) Key() string {
	if p.Empty() {
		return ""
	}
	return p.Render("")
}

// Err is why a plan cannot apply: the account is not in the state the
// plan assumed (AWS would refuse the command the same way).
type Err struct {
	Action Action
	Why    string
}

func (e *Err) Error() string { return fmt.Sprintf("%s: %s", e.Action.Op, e.Why) }

// Removes lists the ids of existing resources the plan deletes or
// releases (a variable, made by the plan itself, is none).
func (p *Plan) Removes() []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, a := range p.Actions {
		var id string
		switch a.Op {
		case ReleaseAddress:
			id = a.Alloc
		case DeleteNATGateway:
			id = a.NAT
		case DeleteVPCEndpoint:
			id = a.Endpoint
		case DeleteLoadBalancer, DeleteListener:
			id = a.ARN
		case DeleteInternetGateway:
			id = a.IGW
		case DeleteSubnet:
			id = a.Subnet
		case DeleteRouteTable:
			id = a.RouteTable
		case DeleteSecurityGroup:
			id = a.Group
		case DeleteVPC:
			id = a.VPC
		}
		if id != "" && !isVar(id) {
			out = append(out, id)
		}
	}
	return out
}

// Uses reports whether an action of the plan names id without removing
// it: tags it, routes to it, builds on it.
func (p *Plan) Uses(id string) bool {
	if p == nil || id == "" {
		return false
	}
	for _, a := range p.Actions {
		if slices.Contains(p.removesOf(a), id) {
			continue
		}
		fields := []string{a.VPC, a.Subnet, a.RouteTable, a.Association, a.IGW, a.NAT, a.Alloc, a.ENI, a.Group, a.ACL, a.Endpoint, a.Target, a.ARN}
		if a.Rule != nil {
			fields = append(fields, a.Rule.Group)
		}
		if slices.Contains(fields, id) || slices.Contains(a.Subnets, id) || slices.Contains(a.Groups, id) || slices.Contains(a.RouteTables, id) {
			return true
		}
	}
	return false
}

func (p *Plan) removesOf(a Action) []string { return (&Plan{Actions: []Action{a}}).Removes() }
