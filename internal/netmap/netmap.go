// Package netmap draws "Your VPC": from the snapshot the checks judged and
// their results, it builds a diagram model of the learner's lab network
// (VPC, subnets by Availability Zone, route tables and their default
// routes, gateways, NAT gateways with their Elastic IPs, endpoints, ECS
// tasks, load balancers), with each path check's hops highlighted and the
// hop where a path stops marked with its reason and fix. The model is
// written as Mermaid source (layout and drawing are Mermaid's) and as a
// self-contained HTML page.
//
// It reads the snapshot only: nothing here calls AWS.
package netmap

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/egress"
	"github.com/vpclab/vpclab/i18n"
)

// Mark is how a node or an edge is highlighted.
type Mark string

const (
	Plain  Mark = ""
	OnPath Mark = "path"   // a path a check walked crosses it
	Broken Mark = "broken" // a path stops here
)

// Node is one box of the diagram.
type Node struct {
	ID    string   // the AWS id or ARN, "internet", or "service:<short name>"
	Shown string   // the id as the console shows it, when not ID (a task's id, not its ARN)
	Kind  string   // vpc, subnet, route-table, internet-gateway, …
	Title string   // the kind in the reader's language
	Name  string   // the Name tag ("" when none)
	Lines []string // facts: CIDR, public/private, Elastic IP, state
	Group string   // the group the node sits in ("" outside every VPC)
	Mark  Mark
	// Stops lists the path markers (1, 2, …) of the paths stopping here.
	Stops []int
}

// Label is "Name (id)", or the id when the resource has no Name tag.
func (n *Node) Label() string {
	id := n.ID
	if n.Shown != "" {
		id = n.Shown
	}
	switch n.Kind {
	case "internet":
		return n.Title
	case "service", "note":
		return strings.Join(n.Lines, " ")
	}
	return nameID(n.Name, id)
}

// Edge is a link: a subnet to its route table, a route to its target, a
// resource to the subnet it sits in, or a hop of a path.
type Edge struct {
	From, To string // node ids
	Label    string
	Mark     Mark
}

// Group is a VPC or an Availability Zone of one.
type Group struct {
	ID     string
	Label  string
	Parent string // "" for a VPC
}

// Path is one path check as the list under the diagram tells it.
type Path struct {
	Check   string
	Step    string
	Status  checks.Status
	N       int      // the ✖ marker on the diagram; 0 when the path does not stop
	Legs    []string // each leg's hops as "A → B → C"
	Outcome string   // "reaches the internet", "stops at …"
	Message string   // the check's message
	Reason  string   // the reason code
	Why     string   // the reason in words
	Fix     string   // the proven fix commands, or ""
	FixNote string   // where the fix is when not here, or why there is none
}

// Diagram is the model of one lab network.
type Diagram struct {
	Lang    i18n.Lang
	Lab     string
	Account string
	Region  string
	Groups  []Group
	Nodes   []*Node
	Edges   []*Edge
	Paths   []Path
	// Empty says no VPC of the lab was found: the diagram says so.
	Empty bool

	loc   *i18n.Localizer
	index map[string]*Node
	edges map[[2]string]*Edge
}

// maxTasks bounds the tasks drawn: a service scaled up must not make the
// diagram unreadable (the rest are counted in a note).
const maxTasks = 12

// Build draws the lab network in snap as the results judged it. lab is the
// lab's id; results are a run's (checkrun.Report.Results).
func Build(snap *account.Snapshot, results []checks.Result, loc *i18n.Localizer, lab string) *Diagram {
	if snap == nil {
		snap = &account.Snapshot{}
	}
	d := &Diagram{Lang: loc.Lang(), Lab: lab, Account: snap.Account, Region: snap.Region, loc: loc,
		index: map[string]*Node{}, edges: map[[2]string]*Edge{}}
	vpcs := labVPCs(snap, results)
	if len(vpcs) == 0 {
		d.Empty = true
	}
	for _, v := range vpcs {
		d.addVPC(snap, v)
	}
	d.addPaths(snap, results)
	return d
}

// labVPCs are the VPCs the lab is about: those bound to its names, those
// its results name, and those its paths cross; with none of these, every
// VPC that is not the Region's default one.
func labVPCs(snap *account.Snapshot, results []checks.Result) []ec2types.Vpc {
	want := map[string]bool{}
	for _, id := range snap.Bindings[account.VPCs] {
		want[id] = true
	}
	subnetVPC := map[string]string{}
	for _, s := range snap.Subnets {
		subnetVPC[str(s.SubnetId)] = str(s.VpcId)
	}
	note := func(id string) {
		switch {
		case strings.HasPrefix(id, "vpc-"):
			want[id] = true
		case strings.HasPrefix(id, "subnet-"):
			if v := subnetVPC[id]; v != "" {
				want[v] = true
			}
		}
	}
	for _, r := range results {
		for _, id := range r.Resources {
			note(id)
		}
		if r.Path != nil {
			for _, l := range r.Path.Legs {
				for _, h := range l.Hops {
					note(h.ID)
				}
			}
		}
	}
	var out []ec2types.Vpc
	for _, v := range snap.VPCs {
		if want[str(v.VpcId)] {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		for _, v := range snap.VPCs {
			if v.IsDefault == nil || !*v.IsDefault {
				out = append(out, v)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return str(out[i].VpcId) < str(out[j].VpcId) })
	return out
}

func (d *Diagram) t(id string, data ...i18n.M) string { return d.loc.T(id, data...) }

// node adds a node once; later calls return the first.
func (d *Diagram) node(id, kind, titleID, name, group string, lines ...string) *Node {
	if n, ok := d.index[id]; ok {
		return n
	}
	n := &Node{ID: id, Kind: kind, Title: d.t(titleID), Name: name, Group: group, Lines: lines}
	d.index[id] = n
	d.Nodes = append(d.Nodes, n)
	return n
}

// Node returns the node of an AWS id (or "internet"), if drawn.
func (d *Diagram) Node(id string) (*Node, bool) { n, ok := d.index[id]; return n, ok }

func (d *Diagram) edge(from, to, label string) *Edge {
	k := [2]string{from, to}
	if e, ok := d.edges[k]; ok {
		if e.Label == "" {
			e.Label = label
		}
		return e
	}
	e := &Edge{From: from, To: to, Label: label}
	d.edges[k] = e
	d.Edges = append(d.Edges, e)
	return e
}

func (d *Diagram) internet() *Node {
	return d.node("internet", "internet", "NetmapKindInternet", "", "")
}

func (d *Diagram) addVPC(snap *account.Snapshot, v ec2types.Vpc) {
	vpcID := str(v.VpcId)
	label := d.t("NetmapKindVPC") + " " + nameID(account.Name(v.Tags), vpcID) + " " + str(v.CidrBlock)
	d.Groups = append(d.Groups, Group{ID: vpcID, Label: label})

	// Subnets, grouped by Availability Zone.
	var subnets []ec2types.Subnet
	for _, s := range snap.Subnets {
		if str(s.VpcId) == vpcID {
			subnets = append(subnets, s)
		}
	}
	sort.Slice(subnets, func(i, j int) bool {
		a, b := subnets[i], subnets[j]
		if str(a.AvailabilityZone) != str(b.AvailabilityZone) {
			return str(a.AvailabilityZone) < str(b.AvailabilityZone)
		}
		return str(a.CidrBlock) < str(b.CidrBlock)
	})
	azGroup := map[string]string{} // AZ name → group id
	subnetGroup := map[string]string{}
	for _, s := range subnets {
		az := str(s.AvailabilityZone)
		g, ok := azGroup[az]
		if !ok {
			g = vpcID + "/" + az
			azGroup[az] = g
			d.Groups = append(d.Groups, Group{ID: g, Label: d.t("NetmapAZ", i18n.M{"AZ": az}), Parent: vpcID})
		}
		id := str(s.SubnetId)
		subnetGroup[id] = g
		rt, explicit, ok := snap.RouteTableFor(id, vpcID)
		reach := d.t("NetmapPrivate")
		if ok && routesToIGW(rt) {
			reach = d.t("NetmapPublic")
		}
		d.node(id, "subnet", "NetmapKindSubnet", account.Name(s.Tags), g, str(s.CidrBlock)+" · "+reach)
		if ok {
			label := ""
			if !explicit {
				label = d.t("NetmapMainRT")
			}
			d.addRouteTable(snap, rt, vpcID)
			d.edge(id, str(rt.RouteTableId), label)
		}
	}

	// Gateways attached to the VPC.
	for _, g := range snap.InternetGateways {
		if account.IGWAttachedTo(g, vpcID) {
			id := str(g.InternetGatewayId)
			d.node(id, "internet-gateway", "NetmapKindIGW", account.Name(g.Tags), vpcID)
			d.edge(id, d.internet().ID, "")
		}
	}
	for _, g := range snap.EgressOnlyGateways {
		if account.IGWAttachedTo(ec2types.InternetGateway{Attachments: g.Attachments}, vpcID) {
			id := str(g.EgressOnlyInternetGatewayId)
			d.node(id, "egress-only-internet-gateway", "NetmapKindEIGW", account.Name(g.Tags), vpcID)
			d.edge(id, d.internet().ID, "IPv6")
		}
	}

	// NAT gateways in their subnets, with their Elastic IPs.
	for _, n := range snap.NATGateways {
		if str(n.VpcId) != vpcID || n.State == ec2types.NatGatewayStateDeleted {
			continue
		}
		id := str(n.NatGatewayId)
		var lines []string
		for _, a := range n.NatGatewayAddresses {
			if ip := str(a.PublicIp); ip != "" {
				lines = append(lines, d.t("NetmapEIP", i18n.M{"IP": ip})+eipName(snap, str(a.AllocationId)))
			}
		}
		if len(lines) == 0 && n.ConnectivityType != ec2types.ConnectivityTypePrivate {
			lines = append(lines, d.t("NetmapNoEIP"))
		}
		if n.State != "" && n.State != ec2types.NatGatewayStateAvailable {
			lines = append(lines, d.t("NetmapState", i18n.M{"State": string(n.State)}))
		}
		if n.AvailabilityMode == ec2types.AvailabilityModeRegional {
			lines = append(lines, d.t("NetmapRegional"))
		} else if s := str(n.SubnetId); s != "" {
			// Said, not drawn as an edge: an edge back up to a public
			// subnet would tear its Availability Zone's box apart.
			lines = append(lines, d.t("NetmapInSubnet", i18n.M{"Subnet": nameID(subnetName(snap, s), s)}))
		}
		d.node(id, "nat-gateway", "NetmapKindNAT", account.Name(n.Tags), vpcID, lines...)
		if rt, _, ok := snap.RouteTableFor(str(n.SubnetId), vpcID); ok && routesToIGW(rt) {
			if r, ok := account.LongestMatch(rt, netip.MustParseAddr("1.1.1.1")); ok {
				d.edge(id, routeTarget(r), "")
			}
		}
	}

	// VPC endpoints: gateway endpoints hang off the route tables that
	// carry their prefix list; interface endpoints sit in the VPC.
	for _, e := range snap.VPCEndpoints {
		if str(e.VpcId) != vpcID || strings.EqualFold(string(e.State), "deleted") {
			continue
		}
		id := str(e.VpcEndpointId)
		short := account.ServiceShortName(str(e.ServiceName))
		if e.VpcEndpointType == ec2types.VpcEndpointTypeGateway {
			d.node(id, "gateway-endpoint", "NetmapKindGatewayEndpoint", account.Name(e.Tags), vpcID, short)
			for _, rt := range e.RouteTableIds {
				if _, ok := d.index[rt]; ok {
					d.edge(rt, id, short)
				}
			}
		} else {
			d.node(id, "interface-endpoint", "NetmapKindInterfaceEndpoint", account.Name(e.Tags), vpcID, short)
		}
	}

	d.addTasks(snap, vpcID, subnetGroup)
	d.addLoadBalancers(snap, vpcID)
}

// addRouteTable draws a route table and its default routes (IPv4 and IPv6)
// to their targets.
func (d *Diagram) addRouteTable(snap *account.Snapshot, rt ec2types.RouteTable, vpcID string) {
	id := str(rt.RouteTableId)
	if _, ok := d.index[id]; ok {
		return
	}
	n := d.node(id, "route-table", "NetmapKindRouteTable", account.Name(rt.Tags), vpcID)
	defaults := 0
	for _, r := range rt.Routes {
		dst := str(r.DestinationCidrBlock)
		if dst == "" {
			dst = str(r.DestinationIpv6CidrBlock)
		}
		if dst != "0.0.0.0/0" && dst != "::/0" {
			continue
		}
		defaults++
		tgt := routeTarget(r)
		label := dst
		if r.State == ec2types.RouteStateBlackhole {
			label += " · " + d.t("NetmapBlackhole")
		}
		if !exists(snap, tgt) {
			// The route points at something deleted: draw it, as the
			// console shows the route, so the stop has a place.
			d.node(tgt, "missing", "NetmapKindMissing", "", vpcID, d.t("NetmapBlackhole"))
		}
		d.edge(id, tgt, label)
	}
	if defaults == 0 {
		n.Lines = append(n.Lines, d.t("NetmapNoDefaultRoute"))
	}
}

// addTasks draws the ECS tasks whose network interface is in the VPC.
func (d *Diagram) addTasks(snap *account.Snapshot, vpcID string, subnetGroup map[string]string) {
	drawn, more := 0, 0
	var lastGroup string
	for _, t := range snap.Tasks {
		var subnet, ip string
		for _, a := range t.Attachments {
			for _, kv := range a.Details {
				switch str(kv.Name) {
				case "subnetId":
					subnet = str(kv.Value)
				case "privateIPv4Address":
					ip = str(kv.Value)
				}
			}
		}
		g := subnetGroup[subnet]
		if g == "" || str(t.LastStatus) == "STOPPED" {
			continue
		}
		if drawn == maxTasks {
			more++
			lastGroup = g
			continue
		}
		drawn++
		arn := str(t.TaskArn)
		short := arn[strings.LastIndex(arn, "/")+1:]
		lines := []string{account.TaskFamily(str(t.TaskDefinitionArn))}
		if ip != "" {
			lines = append(lines, ip)
		}
		if st := str(t.LastStatus); st != "" && st != "RUNNING" {
			lines = append(lines, d.t("NetmapState", i18n.M{"State": st}))
		}
		n := d.node(arn, "task", "NetmapKindTask", "", g, lines...)
		n.Shown = short // the console shows a task by the end of its ARN
		d.edge(arn, subnet, "")
	}
	if more > 0 {
		d.node("more-tasks/"+vpcID, "note", "NetmapKindTask", "", lastGroup, d.t("NetmapMoreTasks", i18n.M{"Count": more}))
	}
}

// addLoadBalancers draws the VPC's load balancers: reached from the
// internet gateway when internet-facing, forwarding to the tasks that are
// their targets.
func (d *Diagram) addLoadBalancers(snap *account.Snapshot, vpcID string) {
	taskByIP := map[string]string{}
	for _, n := range d.Nodes {
		if n.Kind == "task" && len(n.Lines) > 1 {
			taskByIP[n.Lines[1]] = n.ID
		}
	}
	igw, hasIGW := snap.AttachedInternetGateway(vpcID)
	for _, lb := range snap.LoadBalancers {
		if str(lb.VpcId) != vpcID {
			continue
		}
		arn := str(lb.LoadBalancerArn)
		scheme := d.t("NetmapInternal")
		public := string(lb.Scheme) == "internet-facing"
		if public {
			scheme = d.t("NetmapInternetFacing")
		}
		n := d.node(arn, "load-balancer", "NetmapKindLB", str(lb.LoadBalancerName), vpcID, scheme)
		n.Shown = str(lb.LoadBalancerName)
		var ports []string
		for _, l := range snap.ListenersOf(arn) {
			if l.Port != nil {
				ports = append(ports, fmt.Sprint(*l.Port))
			}
		}
		if public && hasIGW {
			d.edge(str(igw.InternetGatewayId), arn, strings.Join(ports, ", "))
		}
		for _, tg := range snap.TargetGroups {
			if !contains(tg.LoadBalancerArns, arn) {
				continue
			}
			for _, th := range snap.Targets[str(tg.TargetGroupArn)] {
				if th.Target == nil {
					continue
				}
				if task, ok := taskByIP[str(th.Target.Id)]; ok {
					port := ""
					if th.Target.Port != nil {
						port = fmt.Sprint(*th.Target.Port)
					}
					d.edge(arn, task, port)
				}
			}
		}
	}
}

// addPaths highlights the hops of every path check and marks where a
// failing one stops.
func (d *Diagram) addPaths(snap *account.Snapshot, results []checks.Result) {
	byCheck := map[string]checks.Result{}
	for _, r := range results {
		byCheck[r.Check] = r
	}
	n := 0
	for _, r := range results {
		if r.Path == nil || len(r.Path.Legs) == 0 {
			continue
		}
		p := Path{Check: r.Check, Step: r.Step, Status: r.Status, Reason: r.Reason, Fix: r.Fix}
		if r.Message.ID != "" {
			p.Message = d.t(r.Message.ID, r.Message.Data)
		}
		if why, ok := r.Core().Data["Why"].(i18n.Msg); ok {
			p.Why = d.t(why.ID, why.Data)
		}
		// A path stops where the check wants it to go on: a failing check
		// with a blocked leg. A path the lab wants closed stops on purpose.
		stopping := r.Status == checks.Fail && r.Path.Block() != nil
		if stopping {
			n++
			p.N = n
		}
		for _, leg := range r.Path.Legs {
			chain := d.chain(snap, leg)
			for i := 1; i < len(chain); i++ {
				e := d.edge(chain[i-1].ID, chain[i].ID, "")
				if e.Mark == Plain {
					e.Mark = OnPath
				}
			}
			for _, c := range chain {
				if c.Mark == Plain {
					c.Mark = OnPath
				}
			}
			var labels []string
			for _, c := range chain {
				labels = append(labels, c.Label())
			}
			text := strings.Join(labels, " → ")
			if len(r.Path.Legs) > 1 {
				text = leg.Service + ": " + text
			}
			p.Legs = append(p.Legs, text)
			if stopping && leg.Block != nil && len(chain) > 0 {
				last := chain[len(chain)-1]
				last.Mark = Broken
				if !containsInt(last.Stops, p.N) {
					last.Stops = append(last.Stops, p.N)
				}
				if len(chain) > 1 {
					d.edge(chain[len(chain)-2].ID, last.ID, "").Mark = Broken
				}
				if p.Outcome == "" {
					p.Outcome = d.t("NetmapPathStops", i18n.M{"Component": last.Label()})
				}
			}
		}
		switch {
		case p.Outcome != "":
		case r.Path.Reachable() && r.Status == checks.Fail:
			p.Outcome = d.t("NetmapPathOpen")
		case r.Path.Reachable():
			p.Outcome = d.t("NetmapPathReaches", i18n.M{"To": d.destLabel(r.Path.Dest)})
		case r.Path.Block() != nil:
			if c, ok := d.index[r.Path.Block().Component]; ok {
				p.Outcome = d.t("NetmapPathStops", i18n.M{"Component": c.Label()})
			}
		}
		if root, ok := byCheck[r.RootCause]; ok && stopping && p.Fix == "" && root.Fix != "" {
			// One cause, one fix: the check that carries it has proven it.
			p.Fix = root.Fix
		}
		if stopping && p.Fix == "" {
			if r.RootCause != "" {
				p.FixNote = d.t("NetmapFixElsewhere", i18n.M{"Check": r.RootCause})
			} else {
				p.FixNote = d.t("NetmapNoFix")
			}
		}
		d.Paths = append(d.Paths, p)
	}
}

func (d *Diagram) destLabel(dst egress.Dest) string {
	if dst == egress.Internet || dst == egress.IPv6Internet {
		return d.t("NetmapKindInternet")
	}
	return serviceName(string(dst))
}

// chain turns a leg's hops into the nodes it crosses. Security groups,
// network ACLs and network interfaces are on every path and are left out,
// unless one is where the path stops: then it is drawn, at the end.
func (d *Diagram) chain(snap *account.Snapshot, leg egress.Leg) []*Node {
	var out []*Node
	add := func(n *Node) {
		if len(out) == 0 || out[len(out)-1] != n {
			out = append(out, n)
		}
	}
	group, afterNAT := "", false
	for _, h := range leg.Hops {
		kind := h.Kind
		switch {
		case kind == "nat-gateway":
			afterNAT = true
		case afterNAT && (kind == "subnet" || kind == "route-table"):
			// The NAT gateway's own subnet and its route table: the NAT
			// gateway's box names the subnet, and its edge goes straight
			// to the internet gateway (addVPC), which keeps every subnet
			// at the top of the diagram.
			kind = "skip"
		}
		switch kind {
		case "security-group", "network-acl", "network-interface", "skip":
			continue
		case "destination":
			if h.ID == "internet" || h.ID == "ipv6-internet" {
				add(d.internet())
			} else {
				add(d.node("service:"+h.ID, "service", "NetmapKindService", "", "", serviceName(h.ID)))
			}
			continue
		}
		n, ok := d.index[h.ID]
		if !ok {
			n = d.component(snap, h.ID, h.Kind, group)
		}
		if group == "" {
			group = vpcOf(d, n)
		}
		add(n)
	}
	if b := leg.Block; b != nil && b.Component != "" {
		n, ok := d.index[b.Component]
		if !ok {
			n = d.component(snap, b.Component, "", group)
		}
		add(n)
	}
	return out
}

// component draws a resource no structural pass drew (a security group, a
// network ACL, a VPC at fault), in the VPC of the path.
func (d *Diagram) component(snap *account.Snapshot, id, kind, group string) *Node {
	prefixes := []struct{ prefix, kind, title string }{
		{"sg-", "security-group", "NetmapKindSG"}, {"acl-", "network-acl", "NetmapKindACL"},
		{"eni-", "network-interface", "NetmapKindENI"}, {"vpc-", "vpc", "NetmapKindVPC"},
		{"subnet-", "subnet", "NetmapKindSubnet"}, {"rtb-", "route-table", "NetmapKindRouteTable"},
		{"nat-", "nat-gateway", "NetmapKindNAT"}, {"igw-", "internet-gateway", "NetmapKindIGW"},
		{"eigw-", "egress-only-internet-gateway", "NetmapKindEIGW"}, {"vpce-", "interface-endpoint", "NetmapKindInterfaceEndpoint"},
	}
	title := "NetmapKindMissing"
	for _, p := range prefixes {
		if strings.HasPrefix(id, p.prefix) {
			kind, title = p.kind, p.title
			break
		}
	}
	if kind == "" {
		kind = "missing"
	}
	return d.node(id, kind, title, checks.ResourceNames(snap)[id], group)
}

func vpcOf(d *Diagram, n *Node) string {
	for _, g := range d.Groups {
		if g.ID == n.Group && g.Parent != "" {
			return g.Parent
		}
	}
	return n.Group
}

// serviceName is how the console names an endpoint's service.
func serviceName(short string) string {
	short = strings.TrimPrefix(short, "service:")
	switch short {
	case "s3":
		return "Amazon S3"
	case "ecr", "ecr.api", "ecr.dkr":
		return "Amazon ECR (" + short + ")"
	case "logs":
		return "CloudWatch Logs"
	}
	return short
}

func subnetName(snap *account.Snapshot, id string) string {
	if s, ok := snap.Subnet(id); ok {
		return account.Name(s.Tags)
	}
	return ""
}

func eipName(snap *account.Snapshot, alloc string) string {
	for _, a := range snap.Addresses {
		if str(a.AllocationId) == alloc && alloc != "" {
			if n := account.Name(a.Tags); n != "" {
				return " (" + n + ")"
			}
		}
	}
	return ""
}

func routesToIGW(rt ec2types.RouteTable) bool {
	if r, ok := account.LongestMatch(rt, netip.MustParseAddr("1.1.1.1")); ok {
		return strings.HasPrefix(routeTarget(r), "igw-") && r.State != ec2types.RouteStateBlackhole
	}
	return false
}

func routeTarget(r ec2types.Route) string {
	for _, p := range []*string{r.NatGatewayId, r.EgressOnlyInternetGatewayId, r.GatewayId, r.TransitGatewayId,
		r.VpcPeeringConnectionId, r.NetworkInterfaceId, r.InstanceId, r.CarrierGatewayId, r.LocalGatewayId, r.CoreNetworkArn} {
		if s := str(p); s != "" {
			return s
		}
	}
	return "-"
}

// exists reports whether a route's target is in the snapshot (kinds the
// snapshot does not load — peering, transit gateways — count as present).
func exists(snap *account.Snapshot, id string) bool {
	switch {
	case strings.HasPrefix(id, "igw-"):
		_, ok := snap.InternetGateway(id)
		return ok
	case strings.HasPrefix(id, "nat-"):
		n, ok := snap.NATGateway(id)
		return ok && n.State != ec2types.NatGatewayStateDeleted
	case strings.HasPrefix(id, "eigw-"):
		for _, g := range snap.EgressOnlyGateways {
			if str(g.EgressOnlyInternetGatewayId) == id {
				return true
			}
		}
		return false
	}
	return true
}

func nameID(name, id string) string {
	if name == "" || name == id {
		return id
	}
	return name + " (" + id + ")"
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func containsInt(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
