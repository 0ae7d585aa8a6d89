// Package billing is vpclab's one model of what a lab leaves running that
// costs money: NAT gateways, public IPv4 addresses (Elastic IPs included),
// interface endpoints (per AZ) and running Fargate tasks. The cleanup check
// and vpclab cost both use it, so they can never disagree.
package billing

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpclab/vpclab/checks/account"
)

//go:embed prices.json
var pricesJSON []byte

// Prices is one region's price list, in USD. The per-GB transfer rates
// are what the labs quote when they compare a NAT gateway with endpoints;
// the cost report does not use them (it cannot see traffic).
type Prices struct {
	NATGatewayHour           float64 `json:"nat_gateway_hour"`
	NATGatewayGB             float64 `json:"nat_gateway_gb"`
	RegionalNATGatewayAZHour float64 `json:"regional_nat_gateway_az_hour"` // per AZ the regional NAT gateway is active in
	PublicIPv4Hour           float64 `json:"public_ipv4_hour"`
	InterfaceEndpointAZHour  float64 `json:"interface_endpoint_az_hour"`
	InterfaceEndpointGB      float64 `json:"interface_endpoint_gb"` // first tier
	DataTransferOutGB        float64 `json:"data_transfer_out_gb"`  // to the internet, first paid tier (up to 10 TB a month)
	InterAZGB                float64 `json:"inter_az_gb"`           // between AZs of one Region, charged in each direction
	FargateVCPUHour          float64 `json:"fargate_vcpu_hour"`
	FargateGBHour            float64 `json:"fargate_gb_hour"`
	LoadBalancerHour         float64 `json:"load_balancer_hour"`
}

// Table is the embedded price table with where it came from.
type Table struct {
	Source  string `json:"source"`
	Checked string `json:"checked"`
	// FreeDataTransferOutGB is what each account may send to the internet
	// each month without charge, across Regions.
	FreeDataTransferOutGB float64 `json:"free_data_transfer_out_gb"`
	// Sources names the AWS pricing page for each figure, by its JSON key.
	Sources map[string]string `json:"sources"`
	Regions map[string]Prices `json:"regions"`
}

// PriceTable returns the embedded table; it is tested to parse.
// It is parsed once (every check of a class's learners asks for it);
// callers must not change its maps.
func PriceTable() Table { return priceTable() }

var priceTable = sync.OnceValue(func() Table {
	var t Table
	if err := json.Unmarshal(pricesJSON, &t); err != nil {
		panic("billing: embedded prices.json does not parse: " + err.Error())
	}
	return t
})

// For returns region's prices; a region not in the table gets the most
// expensive known prices (estimate high rather than reassure) and known
// is false, so callers can say the figure is an estimate.
func For(region string) (p Prices, known bool) {
	t := PriceTable()
	if p, ok := t.Regions[region]; ok {
		return p, true
	}
	regions := make([]string, 0, len(t.Regions))
	for r := range t.Regions {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	for _, r := range regions {
		q := t.Regions[r]
		p.NATGatewayHour = max(p.NATGatewayHour, q.NATGatewayHour)
		p.NATGatewayGB = max(p.NATGatewayGB, q.NATGatewayGB)
		p.RegionalNATGatewayAZHour = max(p.RegionalNATGatewayAZHour, q.RegionalNATGatewayAZHour)
		p.InterfaceEndpointGB = max(p.InterfaceEndpointGB, q.InterfaceEndpointGB)
		p.DataTransferOutGB = max(p.DataTransferOutGB, q.DataTransferOutGB)
		p.InterAZGB = max(p.InterAZGB, q.InterAZGB)
		p.PublicIPv4Hour = max(p.PublicIPv4Hour, q.PublicIPv4Hour)
		p.InterfaceEndpointAZHour = max(p.InterfaceEndpointAZHour, q.InterfaceEndpointAZHour)
		p.FargateVCPUHour = max(p.FargateVCPUHour, q.FargateVCPUHour)
		p.FargateGBHour = max(p.FargateGBHour, q.FargateGBHour)
		p.LoadBalancerHour = max(p.LoadBalancerHour, q.LoadBalancerHour)
	}
	return p, false
}

// Type is a kind of billable resource.
type Type string

const (
	NATGateway        Type = "nat-gateway"
	PublicIPv4        Type = "public-ipv4"
	InterfaceEndpoint Type = "interface-endpoint"
	FargateTask       Type = "fargate-task"
	LoadBalancer      Type = "load-balancer"
)

// Item is one billable resource.
type Item struct {
	Type      Type
	ID        string
	Name      string  // Name tag, if any
	Detail    string  // e.g. the public IP, the endpoint service, the task's family
	USDPerHr  float64 // what it costs each hour it runs
	DeleteCmd string  // the AWS CLI command that stops the charge
	Region    string  // where it runs
	// AfterNAT: DeleteCmd works only once the NAT gateway using the
	// address is deleted (AWS refuses to release it before).
	AfterNAT bool
}

// InRegion adds --region to each AWS CLI command in cmd (one per line,
// before a trailing "# …" remark), for a resource outside the shell's
// configured Region: without it the command would look in the wrong one.
func InRegion(cmd, region string) string {
	if cmd == "" || region == "" {
		return cmd
	}
	lines := strings.Split(cmd, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "aws ") {
			continue
		}
		code, remark, hasRemark := strings.Cut(l, "   #")
		lines[i] = code + " --region " + region
		if hasRemark {
			lines[i] += "   #" + remark
		}
	}
	return strings.Join(lines, "\n")
}

// Scope limits what counts as a lab's resource.
type Scope struct {
	VPCID   string   // resources in this VPC (NAT gateways, endpoints)
	VPCIDs  []string // more such VPCs
	Prefix  string   // Name tag prefix (Elastic IPs, and anything outside the VPC); also ECS cluster names
	Cluster string   // ECS cluster name for tasks
	All     bool     // everything billable in the region (vpclab cost --all)
}

func (sc Scope) matches(vpcID, name string) bool {
	if sc.All {
		return true
	}
	if vpcID != "" && (vpcID == sc.VPCID || slices.Contains(sc.VPCIDs, vpcID)) {
		return true
	}
	return sc.Prefix != "" && strings.HasPrefix(name, sc.Prefix)
}

func (sc Scope) matchesCluster(name string) bool {
	return sc.All || (sc.Cluster != "" && name == sc.Cluster) || (sc.Prefix != "" && strings.HasPrefix(name, sc.Prefix))
}

// LabScope is every lab's resources: Name tags starting with prefix, and
// anything inside a VPC whose name does.
func LabScope(s *account.Snapshot, prefix string) Scope {
	sc := Scope{Prefix: prefix}
	for _, v := range s.VPCs {
		if strings.HasPrefix(account.Name(v.Tags), prefix) {
			sc.VPCIDs = append(sc.VPCIDs, str(v.VpcId))
		}
	}
	return sc
}

// Billable lists what in s matches scope and still costs money, cheapest
// last, so the first line is the one to delete first.
func Billable(s *account.Snapshot, sc Scope) []Item {
	p, _ := For(s.Region)
	var items []Item
	// Elastic IPs of the lab's NAT gateways belong to the lab, deleted NAT
	// gateways included: deleting a NAT gateway does not release its EIP,
	// the classic leftover.
	natEIPs, liveNATEIPs := map[string]bool{}, map[string]bool{}
	for _, n := range s.NATGateways {
		if !sc.matches(str(n.VpcId), account.Name(n.Tags)) {
			continue
		}
		live := n.State == ec2types.NatGatewayStateAvailable || n.State == ec2types.NatGatewayStatePending
		for _, a := range n.NatGatewayAddresses {
			natEIPs[str(a.AllocationId)] = true
			if live {
				liveNATEIPs[str(a.AllocationId)] = true
			}
		}
	}
	for _, n := range s.NATGateways {
		if n.State != ec2types.NatGatewayStateAvailable && n.State != ec2types.NatGatewayStatePending {
			continue
		}
		name := account.Name(n.Tags)
		if !sc.matches(str(n.VpcId), name) {
			continue
		}
		items = append(items, Item{Type: NATGateway, ID: str(n.NatGatewayId), Name: name, Detail: string(n.State),
			USDPerHr:  p.NATGatewayHour,
			DeleteCmd: "aws ec2 delete-nat-gateway --nat-gateway-id " + str(n.NatGatewayId)})
	}
	for _, a := range s.Addresses {
		name := account.Name(a.Tags)
		// An EIP on one of the lab's NAT gateways belongs to the lab even
		// without a matching name.
		if !sc.matches("", name) && !natEIPs[str(a.AllocationId)] {
			continue
		}
		cmd := "aws ec2 release-address --allocation-id " + str(a.AllocationId)
		afterNAT := liveNATEIPs[str(a.AllocationId)]
		if !afterNAT && str(a.AssociationId) != "" {
			cmd = "aws ec2 disassociate-address --association-id " + str(a.AssociationId) + "\n" + cmd
		}
		items = append(items, Item{Type: PublicIPv4, ID: str(a.AllocationId), Name: name, Detail: str(a.PublicIp),
			USDPerHr: p.PublicIPv4Hour, DeleteCmd: cmd, AfterNAT: afterNAT})
	}
	for _, e := range s.VPCEndpoints {
		if e.VpcEndpointType != ec2types.VpcEndpointTypeInterface || !live(string(e.State)) {
			continue
		}
		name := account.Name(e.Tags)
		if !sc.matches(str(e.VpcId), name) {
			continue
		}
		azs := len(e.SubnetIds)
		if azs == 0 {
			azs = 1
		}
		items = append(items, Item{Type: InterfaceEndpoint, ID: str(e.VpcEndpointId), Name: name,
			Detail:    fmt.Sprintf("%s × %d AZ", account.ServiceShortName(str(e.ServiceName)), azs),
			USDPerHr:  p.InterfaceEndpointAZHour * float64(azs),
			DeleteCmd: "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids " + str(e.VpcEndpointId)})
	}
	for _, lb := range s.LoadBalancers {
		name := str(lb.LoadBalancerName)
		if !sc.matches(str(lb.VpcId), name) {
			continue
		}
		// Hours only (LCUs depend on traffic); an internet-facing one also
		// holds a public IPv4 address in each of its zones.
		hourly := p.LoadBalancerHour
		if lb.Scheme == "internet-facing" {
			hourly += p.PublicIPv4Hour * float64(len(lb.AvailabilityZones))
		}
		items = append(items, Item{Type: LoadBalancer, ID: str(lb.LoadBalancerArn), Name: name,
			Detail:    fmt.Sprintf("%s, %d AZ", lb.Scheme, len(lb.AvailabilityZones)),
			USDPerHr:  hourly,
			DeleteCmd: "aws elbv2 delete-load-balancer --load-balancer-arn " + str(lb.LoadBalancerArn)})
	}
	stopped := map[string]bool{}
	for _, t := range s.Tasks {
		if str(t.LastStatus) != "RUNNING" && str(t.LastStatus) != "PENDING" && str(t.LastStatus) != "PROVISIONING" {
			continue
		}
		cluster := clusterName(str(t.ClusterArn))
		if !sc.matchesCluster(cluster) {
			continue
		}
		// A task that does not report its size (moto's) is priced as the
		// smallest Fargate task, so a leftover never shows as free.
		vcpu := max(atof(str(t.Cpu))/1024, 0.25)
		gb := max(atof(str(t.Memory))/1024, 0.5)
		cmd := fmt.Sprintf("aws ecs stop-task --cluster %s --task %s", cluster, str(t.TaskArn))
		if g := str(t.Group); strings.HasPrefix(g, "service:") {
			cmd = fmt.Sprintf("aws ecs update-service --cluster %s --service %s --desired-count 0", cluster, strings.TrimPrefix(g, "service:"))
		}
		if stopped[cmd] {
			cmd = "" // one update-service stops all of a service's tasks
		}
		stopped[cmd] = true
		items = append(items, Item{Type: FargateTask, ID: str(t.TaskArn), Name: account.TaskFamily(str(t.TaskDefinitionArn)),
			Detail:    fmt.Sprintf("%s vCPU, %s GB", trim(vcpu), trim(gb)),
			USDPerHr:  vcpu*p.FargateVCPUHour + gb*p.FargateGBHour,
			DeleteCmd: cmd})
		// A task's public IP bills like any public IPv4 address.
		if ip := taskPublicIP(s, t); ip != "" {
			items = append(items, Item{Type: PublicIPv4, ID: ip, Name: account.TaskFamily(str(t.TaskDefinitionArn)), Detail: ip,
				USDPerHr: p.PublicIPv4Hour, DeleteCmd: ""})
		}
	}
	for i := range items {
		items[i].Region = s.Region
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].USDPerHr > items[j].USDPerHr })
	return items
}

// Total is the hourly cost of items.
func Total(items []Item) float64 {
	var t float64
	for _, it := range items {
		t += it.USDPerHr
	}
	return t
}

// USD rounds a sum of dollars for a machine-readable report: sums of
// prices are floating point (0.045 + 0.005 is 0.049999999999999996), and
// a script comparing them to a price should see the price.
func USD(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// HoursPerMonth is the 30-day month the cost report uses.
const HoursPerMonth = 24 * 30

func live(state string) bool {
	switch strings.ToLower(state) {
	case "deleted", "deleting", "rejected", "failed", "expired":
		return false
	}
	return true
}

func clusterName(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func trim(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// taskPublicIP is the public IPv4 address on a task's network interface.
func taskPublicIP(s *account.Snapshot, t ecstypes.Task) string {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if str(d.Name) != "networkInterfaceId" {
				continue
			}
			if eni, ok := s.NetworkInterface(str(d.Value)); ok && eni.Association != nil {
				return str(eni.Association.PublicIp)
			}
		}
	}
	return ""
}
