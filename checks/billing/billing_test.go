package billing_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/billing"
)

var sp = aws.String

func nameTag(n string) []ec2types.Tag { return []ec2types.Tag{{Key: sp("Name"), Value: sp(n)}} }

// fields lists a price list's figures by name, so tests cover every one.
func fields(p billing.Prices) map[string]float64 {
	return map[string]float64{
		"nat_gateway_hour": p.NATGatewayHour, "nat_gateway_gb": p.NATGatewayGB, "public_ipv4_hour": p.PublicIPv4Hour,
		"interface_endpoint_az_hour": p.InterfaceEndpointAZHour, "fargate_vcpu_hour": p.FargateVCPUHour, "fargate_gb_hour": p.FargateGBHour,
		"load_balancer_hour": p.LoadBalancerHour, "regional_nat_gateway_az_hour": p.RegionalNATGatewayAZHour,
		"interface_endpoint_gb": p.InterfaceEndpointGB, "data_transfer_out_gb": p.DataTransferOutGB, "inter_az_gb": p.InterAZGB,
	}
}

func TestPriceTable(t *testing.T) {
	tb := billing.PriceTable()
	if strings.TrimSpace(tb.Source) == "" {
		t.Error("prices.json has no source")
	}
	if _, err := time.Parse("2006-01-02", tb.Checked); err != nil {
		t.Errorf("prices.json checked = %q, want a YYYY-MM-DD date: %v", tb.Checked, err)
	}
	for _, r := range []string{"us-east-1", "ap-northeast-1"} {
		if _, ok := tb.Regions[r]; !ok {
			t.Errorf("prices.json has no %s", r)
		}
	}
	for r, p := range tb.Regions {
		for f, v := range fields(p) {
			if v <= 0 || v > 1 {
				t.Errorf("%s %s = %v, not a plausible hourly or per-GB USD price", r, f, v)
			}
		}
	}
	// The figures AWS publishes (us-east-1 NAT $0.045/h, public IPv4
	// $0.005/h everywhere, interface endpoints $0.01/h per AZ; Tokyo NAT
	// $0.062/h and endpoints $0.014/h).
	use1, apne1 := tb.Regions["us-east-1"], tb.Regions["ap-northeast-1"]
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"us-east-1 NAT hour", use1.NATGatewayHour, 0.045},
		{"us-east-1 NAT GB", use1.NATGatewayGB, 0.045},
		{"us-east-1 public IPv4", use1.PublicIPv4Hour, 0.005},
		{"us-east-1 endpoint AZ hour", use1.InterfaceEndpointAZHour, 0.01},
		{"ap-northeast-1 NAT hour", apne1.NATGatewayHour, 0.062},
		{"ap-northeast-1 public IPv4", apne1.PublicIPv4Hour, 0.005},
		{"ap-northeast-1 endpoint AZ hour", apne1.InterfaceEndpointAZHour, 0.014},
		// The rates the labs compare a NAT gateway with endpoints on: data
		// transfer out to the internet (first paid tier), between AZs,
		// PrivateLink data, and a regional NAT gateway per active AZ.
		{"us-east-1 data transfer out", use1.DataTransferOutGB, 0.09},
		{"ap-northeast-1 data transfer out", apne1.DataTransferOutGB, 0.114},
		{"us-east-1 inter-AZ", use1.InterAZGB, 0.01},
		{"ap-northeast-1 inter-AZ", apne1.InterAZGB, 0.01},
		{"ap-northeast-1 endpoint GB", apne1.InterfaceEndpointGB, 0.01},
		{"free data transfer out", tb.FreeDataTransferOutGB, 100},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// A regional NAT gateway bills a zonal NAT gateway's hourly rate for each
// AZ it is active in; every figure names the AWS page it comes from.
func TestPriceTableSources(t *testing.T) {
	tb := billing.PriceTable()
	for r, p := range tb.Regions {
		if p.RegionalNATGatewayAZHour != p.NATGatewayHour {
			t.Errorf("%s regional NAT per AZ-hour = %v, want the zonal rate %v", r, p.RegionalNATGatewayAZHour, p.NATGatewayHour)
		}
		for f := range fields(p) {
			if src := tb.Sources[f]; !strings.HasPrefix(src, "https://aws.amazon.com/") {
				t.Errorf("prices.json: %s has no AWS pricing page as its source (%q)", f, src)
			}
		}
	}
	if !strings.HasPrefix(tb.Sources["free_data_transfer_out_gb"], "https://aws.amazon.com/") {
		t.Errorf("prices.json: free_data_transfer_out_gb has no source")
	}
}

func TestFor(t *testing.T) {
	tb := billing.PriceTable()
	for r, want := range tb.Regions {
		got, known := billing.For(r)
		if !known || got != want {
			t.Errorf("For(%s) = %+v, %v; want the table's %+v, true", r, got, known, want)
		}
	}
	for _, r := range []string{"eu-west-3", "", "us-gov-west-1"} {
		got, known := billing.For(r)
		if known {
			t.Errorf("For(%q) says known", r)
		}
		// estimate high: no known region is dearer on any figure
		for name, v := range fields(got) {
			for kr, kp := range tb.Regions {
				if kv := fields(kp)[name]; kv > v {
					t.Errorf("For(%q).%s = %v, but %s charges %v", r, name, v, kr, kv)
				}
			}
		}
		if got.NATGatewayHour != tb.Regions["ap-northeast-1"].NATGatewayHour {
			t.Errorf("For(%q) NAT hour = %v, want Tokyo's %v", r, got.NATGatewayHour, tb.Regions["ap-northeast-1"].NATGatewayHour)
		}
	}
}

// snapshot: in vpc-lab, a NAT gateway with its EIP, a 3-AZ interface
// endpoint, a 1 vCPU / 2 GB service task and a stand-alone 0.5 vCPU task,
// an unassociated lab EIP, plus what is not billable or not the lab's.
func snapshot(region string) *account.Snapshot {
	task := func(arn, cluster, cpu, mem, status, group string) ecstypes.Task {
		return ecstypes.Task{TaskArn: sp(arn), ClusterArn: sp("arn:aws:ecs:" + region + ":123456789012:cluster/" + cluster),
			TaskDefinitionArn: sp("arn:aws:ecs:" + region + ":123456789012:task-definition/web:1"),
			Cpu:               sp(cpu), Memory: sp(mem), LastStatus: sp(status), Group: sp(group)}
	}
	iface := func(id, vpc, name string, state ec2types.State, subnets ...string) ec2types.VpcEndpoint {
		return ec2types.VpcEndpoint{VpcEndpointId: sp(id), VpcId: sp(vpc), ServiceName: sp("com.amazonaws." + region + ".ecr.dkr"),
			VpcEndpointType: ec2types.VpcEndpointTypeInterface, State: state, SubnetIds: subnets, Tags: nameTag(name)}
	}
	return &account.Snapshot{Region: region,
		NATGateways: []ec2types.NatGateway{
			{NatGatewayId: sp("nat-lab"), VpcId: sp("vpc-lab"), State: ec2types.NatGatewayStateAvailable, Tags: nameTag("lab-nat"),
				NatGatewayAddresses: []ec2types.NatGatewayAddress{{AllocationId: sp("eipalloc-nat"), PublicIp: sp("203.0.113.1")}}},
			{NatGatewayId: sp("nat-gone"), VpcId: sp("vpc-lab"), State: ec2types.NatGatewayStateDeleted, Tags: nameTag("vpclab-old")},
			{NatGatewayId: sp("nat-prod"), VpcId: sp("vpc-prod"), State: ec2types.NatGatewayStateAvailable, Tags: nameTag("prod-nat")},
		},
		Addresses: []ec2types.Address{
			{AllocationId: sp("eipalloc-nat"), PublicIp: sp("203.0.113.1"), AssociationId: sp("eipassoc-nat"), Tags: nameTag("nat-ip")},
			{AllocationId: sp("eipalloc-free"), PublicIp: sp("203.0.113.2"), Tags: nameTag("vpclab-spare")},
			{AllocationId: sp("eipalloc-web"), PublicIp: sp("203.0.113.3"), AssociationId: sp("eipassoc-web"), InstanceId: sp("i-1"),
				Tags: nameTag("vpclab-web")},
			{AllocationId: sp("eipalloc-prod"), PublicIp: sp("203.0.113.4"), Tags: nameTag("prod-ip")},
		},
		VPCEndpoints: []ec2types.VpcEndpoint{
			iface("vpce-3az", "vpc-lab", "", "available", "subnet-a", "subnet-b", "subnet-c"),
			iface("vpce-noaz", "vpc-lab", "", ec2types.StateAvailable),
			iface("vpce-deleting", "vpc-lab", "", "deleting", "subnet-a"),
			iface("vpce-prod", "vpc-prod", "prod", "available", "subnet-p"),
			{VpcEndpointId: sp("vpce-s3"), VpcId: sp("vpc-lab"), ServiceName: sp("com.amazonaws." + region + ".s3"),
				VpcEndpointType: ec2types.VpcEndpointTypeGateway, State: "available", RouteTableIds: []string{"rtb-1"}},
		},
		Tasks: []ecstypes.Task{
			task("arn:aws:ecs:x:1:task/lab/svc", "lab", "1024", "2048", "RUNNING", "service:web"),
			task("arn:aws:ecs:x:1:task/lab/solo", "lab", "512", "1024", "PENDING", "family:web"),
			task("arn:aws:ecs:x:1:task/lab/done", "lab", "1024", "2048", "STOPPED", "service:web"),
			task("arn:aws:ecs:x:1:task/prod/p", "prod", "4096", "8192", "RUNNING", "service:api"),
		},
	}
}

func ids(items []billing.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func TestBillable(t *testing.T) {
	p, _ := billing.For("us-east-1")
	items := billing.Billable(snapshot("us-east-1"), billing.Scope{VPCID: "vpc-lab", Prefix: "vpclab-", Cluster: "lab"})
	byID := map[string]billing.Item{}
	for _, it := range items {
		if _, dup := byID[it.ID]; dup {
			t.Errorf("%s listed twice", it.ID)
		}
		byID[it.ID] = it
	}
	want := map[string]struct {
		typ    billing.Type
		usd    float64
		cmd    string
		detail string
	}{
		"nat-lab":                       {billing.NATGateway, p.NATGatewayHour, "aws ec2 delete-nat-gateway --nat-gateway-id nat-lab", "available"},
		"eipalloc-nat":                  {billing.PublicIPv4, p.PublicIPv4Hour, "aws ec2 release-address --allocation-id eipalloc-nat", "203.0.113.1"},
		"eipalloc-free":                 {billing.PublicIPv4, p.PublicIPv4Hour, "aws ec2 release-address --allocation-id eipalloc-free", "203.0.113.2"},
		"eipalloc-web":                  {billing.PublicIPv4, p.PublicIPv4Hour, "aws ec2 disassociate-address --association-id eipassoc-web\naws ec2 release-address --allocation-id eipalloc-web", "203.0.113.3"},
		"vpce-3az":                      {billing.InterfaceEndpoint, 3 * p.InterfaceEndpointAZHour, "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids vpce-3az", "ecr.dkr × 3 AZ"},
		"vpce-noaz":                     {billing.InterfaceEndpoint, p.InterfaceEndpointAZHour, "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids vpce-noaz", "ecr.dkr × 1 AZ"},
		"arn:aws:ecs:x:1:task/lab/svc":  {billing.FargateTask, p.FargateVCPUHour + 2*p.FargateGBHour, "aws ecs update-service --cluster lab --service web --desired-count 0", "1 vCPU, 2 GB"},
		"arn:aws:ecs:x:1:task/lab/solo": {billing.FargateTask, 0.5*p.FargateVCPUHour + p.FargateGBHour, "aws ecs stop-task --cluster lab --task arn:aws:ecs:x:1:task/lab/solo", "0.5 vCPU, 1 GB"},
	}
	if len(items) != len(want) {
		t.Errorf("Billable = %v, want %d items", ids(items), len(want))
	}
	for id, w := range want {
		it, ok := byID[id]
		if !ok {
			t.Errorf("%s is not billable: %v", id, ids(items))
			continue
		}
		if it.Type != w.typ || math.Abs(it.USDPerHr-w.usd) > 1e-12 || it.DeleteCmd != w.cmd || it.Detail != w.detail {
			t.Errorf("%s = %s $%v/h %q %q\nwant %s $%v/h %q %q", id, it.Type, it.USDPerHr, it.DeleteCmd, it.Detail, w.typ, w.usd, w.cmd, w.detail)
		}
	}
	for id, it := range byID {
		if it.AfterNAT != (id == "eipalloc-nat") {
			t.Errorf("%s: AfterNAT %v; only the live NAT gateway's address waits for it", id, it.AfterNAT)
		}
	}
	if byID["eipalloc-nat"].Name != "nat-ip" || byID["nat-lab"].Name != "lab-nat" || byID["arn:aws:ecs:x:1:task/lab/svc"].Name != "web" {
		t.Errorf("names: %q %q %q", byID["eipalloc-nat"].Name, byID["nat-lab"].Name, byID["arn:aws:ecs:x:1:task/lab/svc"].Name)
	}
	var sum float64
	for _, it := range items {
		sum += it.USDPerHr
	}
	if got := billing.Total(items); math.Abs(got-sum) > 1e-12 || got <= 0 {
		t.Errorf("Total = %v, want %v", got, sum)
	}
	if billing.Total(nil) != 0 {
		t.Errorf("Total(nil) = %v", billing.Total(nil))
	}
}

func TestBillableOrder(t *testing.T) {
	for _, region := range []string{"us-east-1", "ap-northeast-1"} {
		items := billing.Billable(snapshot(region), billing.Scope{VPCID: "vpc-lab", Prefix: "vpclab-", Cluster: "lab"})
		for i := 1; i < len(items); i++ {
			if items[i].USDPerHr > items[i-1].USDPerHr {
				t.Errorf("%s: %s ($%v/h) is listed after the cheaper %s ($%v/h)", region, items[i].ID, items[i].USDPerHr, items[i-1].ID, items[i-1].USDPerHr)
			}
		}
		// us-east-1: 1 vCPU + 2 GB of Fargate ($0.049) outprices a NAT
		// gateway hour ($0.045), which outprices 3 AZs of endpoint; the
		// three $0.005 addresses come last, in the order they were found.
		got := strings.Join(ids(items), " ")
		want := "arn:aws:ecs:x:1:task/lab/svc nat-lab vpce-3az arn:aws:ecs:x:1:task/lab/solo vpce-noaz eipalloc-nat eipalloc-free eipalloc-web"
		if region == "ap-northeast-1" {
			// Tokyo: the NAT hour ($0.062) outprices 1 vCPU + 2 GB ($0.0616)
			want = "nat-lab arn:aws:ecs:x:1:task/lab/svc vpce-3az arn:aws:ecs:x:1:task/lab/solo vpce-noaz eipalloc-nat eipalloc-free eipalloc-web"
		}
		if got != want {
			t.Errorf("%s order:\n got %s\nwant %s", region, got, want)
		}
	}
}

func TestBillableScope(t *testing.T) {
	for _, c := range []struct {
		name   string
		scope  billing.Scope
		has    []string
		hasNot []string
		count  int
	}{
		{"by VPC only", billing.Scope{VPCID: "vpc-lab"},
			[]string{"nat-lab", "eipalloc-nat", "vpce-3az", "vpce-noaz"},
			[]string{"eipalloc-free", "nat-prod", "vpce-prod", "arn:aws:ecs:x:1:task/lab/svc"}, 4},
		{"by prefix only", billing.Scope{Prefix: "vpclab-"},
			[]string{"eipalloc-free", "eipalloc-web"},
			[]string{"nat-lab", "eipalloc-nat", "vpce-3az", "nat-gone"}, 2},
		{"by cluster only", billing.Scope{Cluster: "prod"},
			[]string{"arn:aws:ecs:x:1:task/prod/p"}, []string{"arn:aws:ecs:x:1:task/lab/svc", "nat-prod"}, 1},
		{"nothing", billing.Scope{}, nil, []string{"nat-lab", "eipalloc-free", "arn:aws:ecs:x:1:task/prod/p"}, 0},
		{"all", billing.Scope{All: true},
			[]string{"nat-lab", "nat-prod", "eipalloc-prod", "vpce-prod", "arn:aws:ecs:x:1:task/prod/p", "arn:aws:ecs:x:1:task/lab/svc"},
			[]string{"nat-gone", "vpce-deleting", "vpce-s3", "arn:aws:ecs:x:1:task/lab/done"}, 12},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ids(billing.Billable(snapshot("us-east-1"), c.scope))
			if len(got) != c.count {
				t.Errorf("%d items %v, want %d", len(got), got, c.count)
			}
			in := map[string]bool{}
			for _, id := range got {
				in[id] = true
			}
			for _, id := range c.has {
				if !in[id] {
					t.Errorf("%s missing from %v", id, got)
				}
			}
			for _, id := range c.hasNot {
				if in[id] {
					t.Errorf("%s wrongly in %v", id, got)
				}
			}
		})
	}
}

// An unknown region is priced with the dearest known figures.
func TestBillableUnknownRegion(t *testing.T) {
	items := billing.Billable(snapshot("eu-south-2"), billing.Scope{VPCID: "vpc-lab"})
	tokyo, _ := billing.For("ap-northeast-1")
	for _, it := range items {
		if it.Type == billing.NATGateway && it.USDPerHr != tokyo.NATGatewayHour {
			t.Errorf("NAT in an unknown region costs $%v/h, want the dearest known $%v/h", it.USDPerHr, tokyo.NATGatewayHour)
		}
	}
	if len(items) == 0 {
		t.Fatal("nothing billable")
	}
}
