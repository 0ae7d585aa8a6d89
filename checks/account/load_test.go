package account_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// lab is what buildLab created.
type lab struct {
	vpc, public, private, igw, eigw, publicRT, privateRT string
	alloc, nat, sg, s3Endpoint                           string
	runningTask, stoppedTask                             string
}

const (
	cluster = "lab-cluster"
	service = "lab-svc"
	family  = "lab-web"
)

// must returns v, or ends the test (via catch) when err is not nil. Go
// cannot pass t beside a multi-value call, hence the panic.
func must[T any](v T, err error) T {
	if err != nil {
		panic(mustError{err})
	}
	return v
}

type mustError struct{ err error }

// catch turns must's panic into a test failure; defer it in each test and
// subtest that calls must.
func catch(t testing.TB) {
	if r := recover(); r != nil {
		if m, ok := r.(mustError); ok {
			t.Fatal(m.err)
		}
		panic(r)
	}
}

func tags(rt ec2types.ResourceType, name string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

// buildLab builds, with unguarded calls, a small egress lab: a named VPC
// with a public and a private subnet, an internet gateway, an egress-only
// gateway, a NAT gateway with an EIP, a route table per subnet, a security
// group, an S3 gateway endpoint, and an ECS cluster with a service and two
// Fargate tasks in the private subnet, one of them stopped.
func buildLab(t testing.TB, cfg aws.Config) lab {
	t.Helper()
	defer catch(t)
	ctx := context.Background()
	e := ec2.NewFromConfig(cfg)
	var l lab

	l.vpc = *must(e.CreateVpc(ctx, &ec2.CreateVpcInput{
		CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tags(ec2types.ResourceTypeVpc, "lab-vpc"),
	})).Vpc.VpcId
	// moto's RunTask fails (HTTP 500) in a VPC without DNS hostnames.
	must(e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{
		VpcId: &l.vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)},
	}))
	subnet := func(cidr, name string) string {
		return *must(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{
			VpcId: &l.vpc, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String("us-east-1a"),
			TagSpecifications: tags(ec2types.ResourceTypeSubnet, name),
		})).Subnet.SubnetId
	}
	l.public = subnet("10.0.1.0/24", "lab-public")
	l.private = subnet("10.0.2.0/24", "lab-private")

	l.igw = *must(e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{
		TagSpecifications: tags(ec2types.ResourceTypeInternetGateway, "lab-igw"),
	})).InternetGateway.InternetGatewayId
	must(e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &l.igw, VpcId: &l.vpc}))
	l.eigw = *must(e.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{
		VpcId: &l.vpc, TagSpecifications: tags(ec2types.ResourceTypeEgressOnlyInternetGateway, "lab-eigw"),
	})).EgressOnlyInternetGateway.EgressOnlyInternetGatewayId

	routeTable := func(name, subnet string) string {
		id := *must(e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{
			VpcId: &l.vpc, TagSpecifications: tags(ec2types.ResourceTypeRouteTable, name),
		})).RouteTable.RouteTableId
		must(e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &id, SubnetId: &subnet}))
		return id
	}
	l.publicRT = routeTable("lab-public-rt", l.public)
	must(e.CreateRoute(ctx, &ec2.CreateRouteInput{
		RouteTableId: &l.publicRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &l.igw,
	}))

	l.alloc = *must(e.AllocateAddress(ctx, &ec2.AllocateAddressInput{
		Domain: ec2types.DomainTypeVpc, TagSpecifications: tags(ec2types.ResourceTypeElasticIp, "lab-eip"),
	})).AllocationId
	l.nat = *must(e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{
		SubnetId: &l.public, AllocationId: &l.alloc, TagSpecifications: tags(ec2types.ResourceTypeNatgateway, "lab-nat"),
	})).NatGateway.NatGatewayId

	l.privateRT = routeTable("lab-private-rt", l.private)
	must(e.CreateRoute(ctx, &ec2.CreateRouteInput{
		RouteTableId: &l.privateRT, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: &l.nat,
	}))

	l.sg = *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String("lab-task-sg"), Description: aws.String("lab tasks"), VpcId: &l.vpc,
		TagSpecifications: tags(ec2types.ResourceTypeSecurityGroup, "lab-task-sg"),
	})).GroupId
	l.s3Endpoint = *must(e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{
		VpcId: &l.vpc, ServiceName: aws.String("com.amazonaws." + sandboxtest.Region + ".s3"),
		VpcEndpointType: ec2types.VpcEndpointTypeGateway, RouteTableIds: []string{l.privateRT},
		TagSpecifications: tags(ec2types.ResourceTypeVpcEndpoint, "lab-s3"),
	})).VpcEndpoint.VpcEndpointId

	c := ecs.NewFromConfig(cfg)
	must(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(cluster)}))
	must(c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String(family),
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		NetworkMode:             ecstypes.NetworkModeAwsvpc,
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("public.ecr.aws/nginx/nginx:latest"),
			Memory: aws.Int32(512), Essential: aws.Bool(true), // moto's RunTask fails without memory
		}},
	}))
	network := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
		Subnets: []string{l.private}, SecurityGroups: []string{l.sg}, // moto's RunTask fails without groups
		AssignPublicIp: ecstypes.AssignPublicIpDisabled,
	}}
	must(c.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String(cluster), ServiceName: aws.String(service), TaskDefinition: aws.String(family),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network,
	}))
	// moto services start no tasks, so run them by hand.
	runTask := func() string {
		out := must(c.RunTask(ctx, &ecs.RunTaskInput{
			Cluster: aws.String(cluster), TaskDefinition: aws.String(family),
			LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network,
		}))
		if len(out.Tasks) != 1 {
			t.Fatalf("RunTask started %d tasks, failures %v", len(out.Tasks), out.Failures)
		}
		return *out.Tasks[0].TaskArn
	}
	l.runningTask = runTask()
	l.stoppedTask = runTask()
	must(c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String(cluster), Task: &l.stoppedTask, Reason: aws.String("test")}))
	return l
}

var allResources = []account.Resource{
	account.VPCs, account.VPCAttributes, account.Subnets, account.RouteTables,
	account.InternetGateways, account.EgressOnlyGateways, account.NATGateways,
	account.Addresses, account.SecurityGroups, account.NetworkACLs,
	account.VPCEndpoints, account.PrefixLists, account.NetworkInterfaces,
	account.ECSClusters, account.ECSServices, account.ECSTasks,
}

// guarded is cfg behind the read-only guard, with a fresh meter.
func guarded(cfg aws.Config) (aws.Config, *awsx.Meter) {
	cfg = cfg.Copy()
	m := &awsx.Meter{}
	awsx.Protect(&cfg, m)
	return cfg, m
}

func TestLoadLab(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	l := buildLab(t, cfg)

	var need account.Need
	need.Add(allResources...)
	need.AddService(cluster, service)
	gcfg, m := guarded(cfg)
	s, err := account.Load(ctx, gcfg, need)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	if s.Account != "123456789012" || s.Region != sandboxtest.Region {
		t.Errorf("Account, Region = %q, %q", s.Account, s.Region)
	}
	for _, r := range allResources {
		if !s.Loaded[r] {
			t.Errorf("Loaded[%s] = false", r)
		}
	}
	if len(s.Loaded) != len(allResources) {
		t.Errorf("Loaded = %v", s.Loaded)
	}

	// Each resource type is loaded with one call (a page holds the lab);
	// the VPC attributes take two calls for the one named VPC, tasks one
	// ListTasks per desired status.
	want := map[string]int{"sts:GetCallerIdentity": 1}
	for _, r := range allResources {
		for _, a := range account.Actions[r] {
			want[a] = 1
		}
	}
	want["ec2:DescribeVpcAttribute"] = 2
	want["ecs:ListTasks"] = 2
	if got := m.Calls(); !maps.Equal(got, want) {
		t.Errorf("calls:\n got %v\nwant %v", got, want)
	}

	vpc, n := s.VPCByName("lab-vpc")
	if n != 1 || *vpc.VpcId != l.vpc {
		t.Fatalf("VPCByName(lab-vpc) = %v, %d; want %s", vpc.VpcId, n, l.vpc)
	}
	if len(s.VPCs) != 2 {
		t.Errorf("%d VPCs, want the default and the lab's", len(s.VPCs))
	}
	if got := s.VPCAttrs; !maps.Equal(got, map[string]account.VPCAttrs{l.vpc: {DNSSupport: true, DNSHostnames: true}}) {
		t.Errorf("VPCAttrs = %v, want only the lab VPC with both on", got)
	}

	for name, id := range map[string]string{"lab-public": l.public, "lab-private": l.private} {
		if sub, n := s.SubnetByName(name, l.vpc); n != 1 || *sub.SubnetId != id {
			t.Errorf("SubnetByName(%s) = %v, %d; want %s", name, sub.SubnetId, n, id)
		}
	}
	if igw, ok := s.AttachedInternetGateway(l.vpc); !ok || *igw.InternetGatewayId != l.igw {
		t.Errorf("AttachedInternetGateway = %v, %v; want %s", igw.InternetGatewayId, ok, l.igw)
	}
	if len(s.EgressOnlyGateways) != 1 || *s.EgressOnlyGateways[0].EgressOnlyInternetGatewayId != l.eigw {
		t.Errorf("EgressOnlyGateways = %v, want %s", s.EgressOnlyGateways, l.eigw)
	}
	rt, explicit, ok := s.RouteTableFor(l.private, l.vpc)
	if !ok || !explicit || *rt.RouteTableId != l.privateRT {
		t.Errorf("RouteTableFor(private) = %v, %v, %v; want %s", rt.RouteTableId, explicit, ok, l.privateRT)
	} else if !slices.ContainsFunc(rt.Routes, func(r ec2types.Route) bool {
		return aws.ToString(r.DestinationCidrBlock) == "0.0.0.0/0" && aws.ToString(r.NatGatewayId) == l.nat
	}) {
		t.Errorf("private route table has no default route to %s: %+v", l.nat, rt.Routes)
	}
	if rt, _, _ := s.RouteTableFor(l.public, l.vpc); aws.ToString(rt.RouteTableId) != l.publicRT {
		t.Errorf("RouteTableFor(public) = %v, want %s", rt.RouteTableId, l.publicRT)
	}
	if nats := s.NATGatewaysByName("lab-nat"); len(nats) != 1 || *nats[0].NatGatewayId != l.nat {
		t.Errorf("NATGatewaysByName = %v, want %s", nats, l.nat)
	} else if len(nats[0].NatGatewayAddresses) == 0 || aws.ToString(nats[0].NatGatewayAddresses[0].AllocationId) != l.alloc {
		t.Errorf("NAT addresses = %+v, want allocation %s", nats[0].NatGatewayAddresses, l.alloc)
	}
	if !slices.ContainsFunc(s.Addresses, func(a ec2types.Address) bool { return aws.ToString(a.AllocationId) == l.alloc }) {
		t.Errorf("Addresses = %v, want %s", s.Addresses, l.alloc)
	}
	if sg, ok := s.SecurityGroupByName("lab-task-sg", l.vpc); !ok || *sg.GroupId != l.sg {
		t.Errorf("SecurityGroupByName = %v, %v; want %s", sg.GroupId, ok, l.sg)
	}
	if acl, ok := s.NetworkACLFor(l.private, l.vpc); !ok || aws.ToString(acl.VpcId) != l.vpc {
		t.Errorf("NetworkACLFor(private) = %v, %v", acl.NetworkAclId, ok)
	}
	if eps := s.EndpointsIn(l.vpc, "s3"); len(eps) != 1 || *eps[0].VpcEndpointId != l.s3Endpoint {
		t.Errorf("EndpointsIn(s3) = %v, want %s", eps, l.s3Endpoint)
	}
	if _, ok := s.PrefixListByName("com.amazonaws." + sandboxtest.Region + ".s3"); !ok {
		t.Errorf("no S3 prefix list in %d lists", len(s.PrefixLists))
	}
	for _, p := range s.PrefixLists {
		if !strings.HasPrefix(aws.ToString(p.PrefixListName), "com.amazonaws.") {
			t.Errorf("prefix list %q is not AWS-managed", aws.ToString(p.PrefixListName))
		}
	}

	if _, ok := s.Cluster(cluster); !ok {
		t.Errorf("Cluster(%s) not found in %d clusters", cluster, len(s.Clusters))
	}
	if svc, ok := s.Service(cluster, service); !ok {
		t.Errorf("Service(%s) not found", service)
	} else if nc := svc.NetworkConfiguration; nc == nil || nc.AwsvpcConfiguration.AssignPublicIp != ecstypes.AssignPublicIpDisabled {
		t.Errorf("service network configuration = %+v", nc)
	}
	tasks := s.TasksOf(cluster, family)
	arns := map[string]ecstypes.Task{}
	for _, task := range tasks {
		arns[*task.TaskArn] = task
	}
	if len(tasks) != 2 || len(arns) != 2 {
		t.Fatalf("TasksOf = %d tasks, want the running and the stopped one", len(tasks))
	}
	if got := aws.ToString(arns[l.runningTask].DesiredStatus); got != "RUNNING" {
		t.Errorf("running task: desired status %q", got)
	}
	if got := aws.ToString(arns[l.stoppedTask].DesiredStatus); got != "STOPPED" {
		t.Errorf("stopped task: desired status %q", got)
	}

	// Every ENI of the Region is loaded (in the first round, not after the
	// tasks), the tasks' among them, each in the private subnet with the
	// task's group.
	enis := account.TaskENIs(tasks)
	if len(enis) != 2 {
		t.Fatalf("TaskENIs = %v, want one per task", enis)
	}
	if !s.AllENIs || len(s.NetworkInterfaces) <= len(enis) {
		t.Errorf("%d network interfaces (AllENIs %v), want the NAT gateway's with the tasks'", len(s.NetworkInterfaces), s.AllENIs)
	}
	for _, id := range enis {
		eni, ok := s.NetworkInterface(id)
		if !ok {
			t.Errorf("task ENI %s not loaded", id)
			continue
		}
		if aws.ToString(eni.SubnetId) != l.private || len(eni.Groups) != 1 || aws.ToString(eni.Groups[0].GroupId) != l.sg {
			t.Errorf("ENI %s: subnet %v, groups %+v", id, eni.SubnetId, eni.Groups)
		}
	}

	t.Run("network interfaces without tasks", func(t *testing.T) {
		defer catch(t)
		var need account.Need
		need.Add(account.NetworkInterfaces)
		gcfg, m := guarded(cfg)
		s := must(account.Load(ctx, gcfg, need))
		for _, id := range enis {
			if _, ok := s.NetworkInterface(id); !ok {
				t.Errorf("task ENI %s missing", id)
			}
		}
		if len(s.NetworkInterfaces) <= len(enis) {
			t.Errorf("%d ENIs, want the NAT gateway's too", len(s.NetworkInterfaces))
		}
		want := map[string]int{"sts:GetCallerIdentity": 1, "ec2:DescribeNetworkInterfaces": 1}
		if got := m.Calls(); !maps.Equal(got, want) {
			t.Errorf("calls = %v, want %v", got, want)
		}
		if !maps.Equal(s.Loaded, map[account.Resource]bool{account.NetworkInterfaces: true}) {
			t.Errorf("Loaded = %v", s.Loaded)
		}
	})

	t.Run("VPC attributes load VPCs", func(t *testing.T) {
		defer catch(t)
		var need account.Need
		need.Add(account.VPCAttributes)
		gcfg, m := guarded(cfg)
		s := must(account.Load(ctx, gcfg, need))
		if s.VPCAttrs[l.vpc] != (account.VPCAttrs{DNSSupport: true, DNSHostnames: true}) {
			t.Errorf("VPCAttrs = %v", s.VPCAttrs)
		}
		want := map[string]int{"sts:GetCallerIdentity": 1, "ec2:DescribeVpcs": 1, "ec2:DescribeVpcAttribute": 2}
		if got := m.Calls(); !maps.Equal(got, want) {
			t.Errorf("calls = %v, want %v", got, want)
		}
		if !maps.Equal(s.Loaded, map[account.Resource]bool{account.VPCs: true, account.VPCAttributes: true}) {
			t.Errorf("Loaded = %v", s.Loaded)
		}
	})

	// A learner who has not made the cluster yet gets an empty snapshot,
	// not an error: the checks say what is missing.
	t.Run("missing cluster", func(t *testing.T) {
		defer catch(t)
		var need account.Need
		need.Add(account.ECSClusters, account.ECSServices, account.ECSTasks, account.NetworkInterfaces)
		need.AddService("no-such-cluster", "web")
		gcfg, m := guarded(cfg)
		s := must(account.Load(ctx, gcfg, need))
		if len(s.Clusters)+len(s.Services)+len(s.Tasks) != 0 {
			t.Errorf("clusters %v, services %v, tasks %v, ENIs %v", s.Clusters, s.Services, s.Tasks, s.NetworkInterfaces)
		}
		// Both lists of tasks go out at once, before either says the
		// cluster is missing.
		want := map[string]int{"sts:GetCallerIdentity": 1, "ecs:DescribeClusters": 1, "ecs:DescribeServices": 1, "ecs:ListTasks": 2,
			"ec2:DescribeNetworkInterfaces": 1}
		if got := m.Calls(); !maps.Equal(got, want) {
			t.Errorf("calls = %v, want %v", got, want)
		}
		for _, r := range []account.Resource{account.ECSClusters, account.ECSServices, account.ECSTasks, account.NetworkInterfaces} {
			if !s.Loaded[r] {
				t.Errorf("Loaded[%s] = false", r)
			}
		}
	})
}

// A run that needs only subnets makes no other call.
func TestLoadOnlySubnets(t *testing.T) {
	cfg := sandboxtest.Config(t)
	var need account.Need
	need.Add(account.Subnets)
	gcfg, m := guarded(cfg)
	s, err := account.Load(context.Background(), gcfg, need)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := map[string]int{"sts:GetCallerIdentity": 1, "ec2:DescribeSubnets": 1}
	if got := m.Calls(); !maps.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
	if !maps.Equal(s.Loaded, map[account.Resource]bool{account.Subnets: true}) {
		t.Errorf("Loaded = %v", s.Loaded)
	}
	if len(s.Subnets) == 0 { // the default VPC's
		t.Error("no subnets")
	}
	if s.VPCs != nil || s.VPCAttrs != nil || s.Tasks != nil || s.NetworkInterfaces != nil {
		t.Error("resources that were not asked for are set")
	}
}

// failOn makes every call of operation fail before it is sent.
func failOn(operation string, err error) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("test.failOn", func(
			ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler,
		) (middleware.InitializeOutput, middleware.Metadata, error) {
			if awsmiddleware.GetOperationName(ctx) == operation {
				return middleware.InitializeOutput{}, middleware.Metadata{}, err
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxtest.Config(t)
	boom := &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized"}

	t.Run("resource", func(t *testing.T) {
		c := cfg.Copy()
		c.APIOptions = append(c.APIOptions[:len(c.APIOptions):len(c.APIOptions)], failOn("DescribeSubnets", boom))
		var need account.Need
		need.Add(allResources...)
		s, err := account.Load(ctx, c, need)
		var le *account.LoadError
		if s != nil || !errors.As(err, &le) || le.Resource != account.Subnets {
			t.Fatalf("Load = %v, %v; want a LoadError for subnets", s, err)
		}
		if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "load subnets: ") {
			t.Errorf("err = %v", err)
		}
		if p := awsx.Classify(err); p.Kind != awsx.AccessDenied || p.Action != "ec2:DescribeSubnets" {
			t.Errorf("Classify = %+v", p)
		}
	})

	t.Run("VPC attributes", func(t *testing.T) {
		defer catch(t)
		c := cfg.Copy()
		c.APIOptions = append(c.APIOptions[:len(c.APIOptions):len(c.APIOptions)], failOn("DescribeVpcAttribute", boom))
		must(ec2.NewFromConfig(c).CreateVpc(ctx, &ec2.CreateVpcInput{
			CidrBlock: aws.String("10.1.0.0/16"), TagSpecifications: tags(ec2types.ResourceTypeVpc, "named"),
		}))
		var need account.Need
		need.Add(account.VPCAttributes)
		_, err := account.Load(ctx, c, need)
		var le *account.LoadError
		if !errors.As(err, &le) || le.Resource != account.VPCAttributes || !errors.Is(err, boom) {
			t.Fatalf("Load: %v; want a LoadError for vpc-attributes", err)
		}
	})

	t.Run("identity", func(t *testing.T) {
		c := cfg.Copy()
		c.APIOptions = append(c.APIOptions[:len(c.APIOptions):len(c.APIOptions)], failOn("GetCallerIdentity", boom))
		var need account.Need
		need.Add(account.VPCs)
		_, err := account.Load(ctx, c, need)
		if !errors.Is(err, boom) {
			t.Fatalf("Load: %v", err)
		}
		if p := awsx.Classify(err); p.Action != "sts:GetCallerIdentity" {
			t.Errorf("Classify = %+v", p)
		}
	})

	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		var need account.Need
		need.Add(account.VPCs)
		if _, err := account.Load(ctx, cfg, need); !errors.Is(err, context.Canceled) {
			t.Fatalf("Load: %v, want context.Canceled", err)
		}
	})
}
