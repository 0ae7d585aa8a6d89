package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// LoadError says which resource could not be loaded. Err is the SDK's
// error, for the caller to classify.
type LoadError struct {
	Resource Resource
	Err      error
}

func (e *LoadError) Error() string { return "load " + string(e.Resource) + ": " + e.Err.Error() }
func (e *LoadError) Unwrap() error { return e.Err }

// Page sizes: each API's maximum (from its service model), so a lab
// account needs one call per resource type.
const (
	maxEC2Page         = 1000 // DescribeVpcs, Subnets, InternetGateways, NatGateways, SecurityGroups, NetworkAcls, NetworkInterfaces: 5–1000
	maxRouteTablePage  = 100  // DescribeRouteTables: 5–100
	maxEgressOnlyPage  = 255  // DescribeEgressOnlyInternetGateways: 5–255
	maxEndpointPage    = 1000 // DescribeVpcEndpoints: larger values return 1000
	maxPrefixListPage  = 100  // DescribeManagedPrefixLists: 1–100
	maxFilterValues    = 200  // EC2: values of one filter in one request
	maxClustersPerCall = 100  // ecs:DescribeClusters
	maxServicesPerCall = 10   // ecs:DescribeServices
	maxTasksPerCall    = 100  // ecs:DescribeTasks
	maxListTasksPage   = 100  // ecs:ListTasks: 1–100

	// concurrency bounds the calls in flight, well under EC2's request
	// rate limits (and gentle with the moto sandbox), yet above a whole
	// lab's first round (identity and up to 18 resource types) so that no
	// independent call waits for a slot: on a real account every wait is
	// a round trip.
	concurrency = 24

	awsManagedPrefix = "com.amazonaws."
)

// Load reads the account of cfg's credentials and, in cfg.Region, every
// resource need asks for, with read-only calls only, in as few dependent
// round trips as the APIs allow: sts:GetCallerIdentity and every resource
// type start at once, each at most once, and what depends on a call starts
// as soon as that call answers (VPC DNS attributes after VPCs, task
// descriptions after their cluster's lists, listeners after load
// balancers), not after the whole first round. The deepest chain is
// ecs:ListClusters → ListTasks → DescribeTasks: three rounds.
//
// Network interfaces are read whole (one paginated call in the first
// round) rather than filtered by the tasks' interface ids, which would be a
// fourth round after the tasks; Snapshot.AllENIs says so.
//
// The clients are built from cfg, so a guard or meter that awsx.Protect
// put in cfg.APIOptions applies to every call. No server-side filters are
// used (moto ignores or fails on many).
//
// On error Load returns no snapshot and the first failure, a *LoadError
// naming the resource (or the GetCallerIdentity error), and cancels the
// other calls.
func Load(ctx context.Context, cfg aws.Config, need Need) (*Snapshot, error) {
	l := &loader{
		ec2:  ec2.NewFromConfig(cfg),
		ecs:  ecs.NewFromConfig(cfg),
		elb:  elbv2.NewFromConfig(cfg),
		need: need,
		snap: &Snapshot{
			Region: cfg.Region,
			Loaded: map[Resource]bool{},
		},
	}
	want := func(r Resource) bool { return need.Resources[r] }

	g := newGroup(ctx)
	if !need.NoIdentity {
		stsc := sts.NewFromConfig(cfg)
		g.do(func(ctx context.Context) error {
			id, err := stsc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				return fmt.Errorf("identify the account: %w", err)
			}
			l.snap.Account = aws.ToString(id.Account) // only this call writes it
			return nil
		})
	}

	first := map[Resource]func(context.Context) error{
		VPCs: func(ctx context.Context) error {
			if err := l.vpcs(ctx); err != nil {
				return err
			}
			if want(VPCAttributes) {
				l.vpcAttributes(g)
			}
			return nil
		},
		Subnets:            l.subnets,
		RouteTables:        l.routeTables,
		InternetGateways:   l.internetGateways,
		EgressOnlyGateways: l.egressOnlyGateways,
		NATGateways:        l.natGateways,
		Addresses:          l.addresses,
		SecurityGroups:     l.securityGroups,
		NetworkACLs:        l.networkACLs,
		VPCEndpoints:       l.vpcEndpoints,
		PrefixLists:        l.prefixLists,
		NetworkInterfaces:  l.allNetworkInterfaces,
		ECSClusters:        l.clusters,
		ECSServices:        l.services,
		ECSTasks:           l.tasks,
		LoadBalancers: func(ctx context.Context) error {
			if err := l.loadBalancers(ctx); err != nil {
				return err
			}
			if want(Listeners) {
				l.run(g, Listeners, l.listeners)
			}
			return nil
		},
		TargetGroups: l.targetGroups,
	}
	phase1 := map[Resource]bool{}
	for r := range first {
		phase1[r] = want(r)
	}
	phase1[VPCs] = phase1[VPCs] || want(VPCAttributes)
	phase1[LoadBalancers] = phase1[LoadBalancers] || want(Listeners)
	for r, ok := range phase1 {
		if ok {
			l.run(g, r, first[r])
		}
	}
	if err := g.wait(); err != nil {
		return nil, err
	}
	if want(VPCAttributes) {
		l.snap.Loaded[VPCAttributes] = true
	}
	l.snap.AllENIs = want(NetworkInterfaces)
	return l.snap, nil
}

type loader struct {
	ec2  *ec2.Client
	ecs  *ecs.Client
	elb  *elbv2.Client
	need Need
	snap *Snapshot // each loader function writes only its own field

	mu sync.Mutex // guards snap.Loaded and snap.VPCAttrs while loading
}

// run loads r in g, wrapping its error and marking it loaded.
func (l *loader) run(g *group, r Resource, f func(context.Context) error) {
	g.do(func(ctx context.Context) error {
		if err := f(ctx); err != nil {
			return &LoadError{Resource: r, Err: err}
		}
		l.mu.Lock()
		l.snap.Loaded[r] = true
		l.mu.Unlock()
		return nil
	})
}

// pager is what every SDK paginator has.
type pager[Out, Opts any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*Opts)) (Out, error)
}

// collect reads every page of p.
func collect[Out, Opts, T any](ctx context.Context, p pager[Out, Opts], items func(Out) []T) ([]T, error) {
	var all []T
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, items(out)...)
	}
	return all, nil
}

func (l *loader) vpcs(ctx context.Context) (err error) {
	l.snap.VPCs, err = collect(ctx, ec2.NewDescribeVpcsPaginator(l.ec2,
		&ec2.DescribeVpcsInput{MaxResults: aws.Int32(maxEC2Page)}),
		func(o *ec2.DescribeVpcsOutput) []ec2types.Vpc { return o.Vpcs })
	return err
}

func (l *loader) subnets(ctx context.Context) (err error) {
	l.snap.Subnets, err = collect(ctx, ec2.NewDescribeSubnetsPaginator(l.ec2,
		&ec2.DescribeSubnetsInput{MaxResults: aws.Int32(maxEC2Page)}),
		func(o *ec2.DescribeSubnetsOutput) []ec2types.Subnet { return o.Subnets })
	return err
}

func (l *loader) routeTables(ctx context.Context) (err error) {
	l.snap.RouteTables, err = collect(ctx, ec2.NewDescribeRouteTablesPaginator(l.ec2,
		&ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(maxRouteTablePage)}),
		func(o *ec2.DescribeRouteTablesOutput) []ec2types.RouteTable { return o.RouteTables })
	return err
}

func (l *loader) internetGateways(ctx context.Context) (err error) {
	l.snap.InternetGateways, err = collect(ctx, ec2.NewDescribeInternetGatewaysPaginator(l.ec2,
		&ec2.DescribeInternetGatewaysInput{MaxResults: aws.Int32(maxEC2Page)}),
		func(o *ec2.DescribeInternetGatewaysOutput) []ec2types.InternetGateway { return o.InternetGateways })
	return err
}

func (l *loader) egressOnlyGateways(ctx context.Context) (err error) {
	l.snap.EgressOnlyGateways, err = collect(ctx, ec2.NewDescribeEgressOnlyInternetGatewaysPaginator(l.ec2,
		&ec2.DescribeEgressOnlyInternetGatewaysInput{MaxResults: aws.Int32(maxEgressOnlyPage)}),
		func(o *ec2.DescribeEgressOnlyInternetGatewaysOutput) []ec2types.EgressOnlyInternetGateway {
			return o.EgressOnlyInternetGateways
		})
	return err
}

func (l *loader) loadBalancers(ctx context.Context) (err error) {
	l.snap.LoadBalancers, err = collect(ctx, elbv2.NewDescribeLoadBalancersPaginator(l.elb,
		&elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(400)}),
		func(o *elbv2.DescribeLoadBalancersOutput) []elbtypes.LoadBalancer { return o.LoadBalancers })
	return err
}

// listeners reads the listeners of every loaded load balancer, one
// paginated call each (DescribeListeners takes one load balancer), and
// each listener's rules: a rule may forward where the default action
// does not. The calls of one level go out at once.
func (l *loader) listeners(ctx context.Context) error {
	lbs := l.snap.LoadBalancers
	per := make([][]elbtypes.Listener, len(lbs))
	if err := each(len(lbs), func(i int) (err error) {
		per[i], err = collect(ctx, elbv2.NewDescribeListenersPaginator(l.elb,
			&elbv2.DescribeListenersInput{LoadBalancerArn: lbs[i].LoadBalancerArn, PageSize: aws.Int32(400)}),
			func(o *elbv2.DescribeListenersOutput) []elbtypes.Listener { return o.Listeners })
		return err
	}); err != nil {
		return err
	}
	all := slices.Concat(per...)
	got := make([][]elbtypes.Rule, len(all))
	if err := each(len(all), func(i int) (err error) {
		got[i], err = collect(ctx, elbv2.NewDescribeRulesPaginator(l.elb,
			&elbv2.DescribeRulesInput{ListenerArn: all[i].ListenerArn, PageSize: aws.Int32(400)}),
			func(o *elbv2.DescribeRulesOutput) []elbtypes.Rule { return o.Rules })
		return err
	}); err != nil {
		return err
	}
	rules := map[string][]elbtypes.Rule{}
	for i, ls := range all {
		rules[aws.ToString(ls.ListenerArn)] = got[i]
	}
	l.snap.Listeners, l.snap.Rules = all, rules
	return nil
}

// targetGroups reads every target group and, for each, its registered
// targets (DescribeTargetHealth is the only call that lists them), those
// calls at once.
func (l *loader) targetGroups(ctx context.Context) error {
	tgs, err := collect(ctx, elbv2.NewDescribeTargetGroupsPaginator(l.elb,
		&elbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(400)}),
		func(o *elbv2.DescribeTargetGroupsOutput) []elbtypes.TargetGroup { return o.TargetGroups })
	if err != nil {
		return err
	}
	health := make([][]elbtypes.TargetHealthDescription, len(tgs))
	if err := each(len(tgs), func(i int) error {
		out, err := l.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tgs[i].TargetGroupArn})
		if err == nil {
			health[i] = out.TargetHealthDescriptions
		}
		return err
	}); err != nil {
		return err
	}
	targets := map[string][]elbtypes.TargetHealthDescription{}
	for i, tg := range tgs {
		targets[aws.ToString(tg.TargetGroupArn)] = health[i]
	}
	l.snap.TargetGroups, l.snap.Targets = tgs, targets
	return nil
}

// each runs f(0..n-1) at once, at most concurrency at a time, and returns
// the first error (a lab has a few load balancers, listeners and target
// groups; the bound is for accounts with many).
func each(n int, f func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = f(i)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) natGateways(ctx context.Context) (err error) {
	l.snap.NATGateways, err = collect(ctx, ec2.NewDescribeNatGatewaysPaginator(l.ec2,
		&ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(maxEC2Page)}),
		func(o *ec2.DescribeNatGatewaysOutput) []ec2types.NatGateway { return o.NatGateways })
	return err
}

// addresses: DescribeAddresses has no pagination; one call returns all.
func (l *loader) addresses(ctx context.Context) error {
	out, err := l.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	if err != nil {
		return err
	}
	l.snap.Addresses = out.Addresses
	return nil
}

func (l *loader) securityGroups(ctx context.Context) (err error) {
	l.snap.SecurityGroups, err = collect(ctx, ec2.NewDescribeSecurityGroupsPaginator(l.ec2,
		&ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(maxEC2Page)}),
		func(o *ec2.DescribeSecurityGroupsOutput) []ec2types.SecurityGroup { return o.SecurityGroups })
	return err
}

func (l *loader) networkACLs(ctx context.Context) (err error) {
	l.snap.NetworkACLs, err = collect(ctx, ec2.NewDescribeNetworkAclsPaginator(l.ec2,
		&ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(maxEC2Page)}),
		func(o *ec2.DescribeNetworkAclsOutput) []ec2types.NetworkAcl { return o.NetworkAcls })
	return err
}

func (l *loader) vpcEndpoints(ctx context.Context) (err error) {
	l.snap.VPCEndpoints, err = collect(ctx, ec2.NewDescribeVpcEndpointsPaginator(l.ec2,
		&ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(maxEndpointPage)}),
		func(o *ec2.DescribeVpcEndpointsOutput) []ec2types.VpcEndpoint { return o.VpcEndpoints })
	return err
}

// prefixLists keeps the AWS-managed lists (com.amazonaws.REGION.s3, …),
// filtered here rather than with a prefix-list-name filter.
func (l *loader) prefixLists(ctx context.Context) error {
	all, err := collect(ctx, ec2.NewDescribeManagedPrefixListsPaginator(l.ec2,
		&ec2.DescribeManagedPrefixListsInput{MaxResults: aws.Int32(maxPrefixListPage)}),
		func(o *ec2.DescribeManagedPrefixListsOutput) []ec2types.ManagedPrefixList { return o.PrefixLists })
	if err != nil {
		return err
	}
	l.snap.PrefixLists = slices.DeleteFunc(all, func(p ec2types.ManagedPrefixList) bool {
		return !strings.HasPrefix(aws.ToString(p.PrefixListName), awsManagedPrefix)
	})
	return nil
}

// allNetworkInterfaces reads every interface of the Region.
func (l *loader) allNetworkInterfaces(ctx context.Context) (err error) {
	l.snap.NetworkInterfaces, err = collect(ctx, ec2.NewDescribeNetworkInterfacesPaginator(l.ec2,
		&ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(maxEC2Page)}),
		func(o *ec2.DescribeNetworkInterfacesOutput) []ec2types.NetworkInterface { return o.NetworkInterfaces })
	return err
}

// TaskENIs lists, sorted and without repeats, the network interface IDs in
// the tasks' attachments (awsvpc tasks have one, in the ElasticNetworkInterface
// attachment's "networkInterfaceId" detail).
func TaskENIs(tasks []ecstypes.Task) []string {
	var ids []string
	for _, t := range tasks {
		for _, a := range t.Attachments {
			for _, d := range a.Details {
				if aws.ToString(d.Name) == "networkInterfaceId" && aws.ToString(d.Value) != "" {
					ids = append(ids, aws.ToString(d.Value))
				}
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// vpcAttributes reads both DNS attributes of every non-default VPC that
// has a Name tag (a learner's VPCs; the default VPC has both on), each
// call in its own goroutine.
func (l *loader) vpcAttributes(g *group) {
	l.snap.VPCAttrs = map[string]VPCAttrs{}
	for _, v := range l.snap.VPCs {
		if aws.ToBool(v.IsDefault) || Name(v.Tags) == "" {
			continue
		}
		id := aws.ToString(v.VpcId)
		for _, attr := range []ec2types.VpcAttributeName{
			ec2types.VpcAttributeNameEnableDnsSupport,
			ec2types.VpcAttributeNameEnableDnsHostnames,
		} {
			g.do(func(ctx context.Context) error {
				out, err := l.ec2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &id, Attribute: attr})
				if err != nil {
					return &LoadError{Resource: VPCAttributes, Err: err}
				}
				l.mu.Lock()
				defer l.mu.Unlock()
				a := l.snap.VPCAttrs[id]
				switch attr {
				case ec2types.VpcAttributeNameEnableDnsSupport:
					a.DNSSupport = out.EnableDnsSupport != nil && aws.ToBool(out.EnableDnsSupport.Value)
				case ec2types.VpcAttributeNameEnableDnsHostnames:
					a.DNSHostnames = out.EnableDnsHostnames != nil && aws.ToBool(out.EnableDnsHostnames.Value)
				}
				l.snap.VPCAttrs[id] = a
				return nil
			})
		}
	}
}

// clusters describes need.Clusters. A missing cluster is not an error: it
// is absent from Clusters (DescribeClusters lists it under failures).
func (l *loader) clusters(ctx context.Context) error {
	for batch := range slices.Chunk(l.need.Clusters, maxClustersPerCall) {
		out, err := l.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: batch})
		if err != nil {
			return err
		}
		l.snap.Clusters = append(l.snap.Clusters, out.Clusters...)
	}
	return nil
}

// services describes need.Services, cluster by cluster. A missing service
// or cluster is absent from Services.
func (l *loader) services(ctx context.Context) error {
	for _, cluster := range sortedKeys(l.need.Services) {
		for batch := range slices.Chunk(l.need.Services[cluster], maxServicesPerCall) {
			out, err := l.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: batch})
			if isClusterNotFound(err) {
				break
			}
			if err != nil {
				return err
			}
			l.snap.Services = append(l.snap.Services, out.Services...)
		}
	}
	return nil
}

// tasks lists the tasks of each of need.Clusters, running and stopped
// (ECS keeps stopped tasks for about an hour: why a task stopped is often
// the lesson), and describes them. Every list starts at once (the named
// clusters without waiting for ListClusters), and a cluster's tasks are
// described as soon as its two lists are in.
func (l *loader) tasks(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		seen  = map[string]bool{}
		tasks = map[string][]ecstypes.Task{}
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
			cancel(err)
		}
	}
	cluster := func(name string) {
		mu.Lock()
		dup := seen[name]
		seen[name] = true
		mu.Unlock()
		if dup {
			return
		}
		wg.Go(func() {
			got, err := l.clusterTasks(ctx, name)
			if err != nil {
				fail(err)
				return
			}
			mu.Lock()
			tasks[name] = got
			mu.Unlock()
		})
	}
	for _, c := range l.need.Clusters {
		cluster(c)
	}
	if l.need.Resources[ECSClusterList] {
		arns, err := collect(ctx, ecs.NewListClustersPaginator(l.ecs, &ecs.ListClustersInput{MaxResults: aws.Int32(100)}),
			func(o *ecs.ListClustersOutput) []string { return o.ClusterArns })
		if err != nil {
			fail(err)
		}
		for _, arn := range arns {
			cluster(arn[strings.LastIndexByte(arn, '/')+1:])
		}
	}
	wg.Wait()
	if first != nil {
		return first
	}
	if l.need.Resources[ECSClusterList] {
		l.mu.Lock()
		l.snap.Loaded[ECSClusterList] = true
		l.mu.Unlock()
	}
	// In need.Clusters order, then the listed ones by name, as before.
	order := slices.Clone(l.need.Clusters)
	for _, c := range sortedKeys(tasks) {
		if !slices.Contains(order, c) {
			order = append(order, c)
		}
	}
	for _, c := range order {
		l.snap.Tasks = append(l.snap.Tasks, tasks[c]...)
	}
	return nil
}

// clusterTasks lists a cluster's running and stopped tasks at once and
// describes them; a missing cluster has none.
func (l *loader) clusterTasks(ctx context.Context, cluster string) ([]ecstypes.Task, error) {
	statuses := []ecstypes.DesiredStatus{ecstypes.DesiredStatusRunning, ecstypes.DesiredStatusStopped}
	lists := make([][]string, len(statuses))
	errs := make([]error, len(statuses))
	var wg sync.WaitGroup
	for i, status := range statuses {
		wg.Go(func() {
			lists[i], errs[i] = collect(ctx, ecs.NewListTasksPaginator(l.ecs, &ecs.ListTasksInput{
				Cluster:       aws.String(cluster),
				DesiredStatus: status,
				MaxResults:    aws.Int32(maxListTasksPage),
			}), func(o *ecs.ListTasksOutput) []string { return o.TaskArns })
		})
	}
	wg.Wait()
	var arns []string
	for i := range statuses {
		if isClusterNotFound(errs[i]) {
			return nil, nil
		}
		if errs[i] != nil {
			return nil, errs[i]
		}
		arns = append(arns, lists[i]...)
	}
	slices.Sort(arns)
	arns = slices.Compact(arns) // a task may move from RUNNING to STOPPED between the lists
	var out []ecstypes.Task
	for batch := range slices.Chunk(arns, maxTasksPerCall) {
		got, err := l.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: batch})
		if err != nil {
			return nil, err
		}
		out = append(out, got.Tasks...)
	}
	return out, nil
}

func isClusterNotFound(err error) bool {
	var nf *ecstypes.ClusterNotFoundException
	return errors.As(err, &nf)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// group runs functions concurrently, at most concurrency at a time, and
// keeps the first error, canceling the others.
type group struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	sem    chan struct{}
	wg     sync.WaitGroup

	once sync.Once
	err  error
}

func newGroup(ctx context.Context) *group {
	ctx, cancel := context.WithCancelCause(ctx)
	return &group{ctx: ctx, cancel: cancel, sem: make(chan struct{}, concurrency)}
}

func (g *group) do(f func(context.Context) error) {
	g.wg.Go(func() {
		select {
		case g.sem <- struct{}{}:
			defer func() { <-g.sem }()
		case <-g.ctx.Done():
			return
		}
		if g.ctx.Err() != nil {
			return
		}
		if err := f(g.ctx); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel(err)
			})
		}
	})
}

// wait returns the first error, or the context's if it ended first.
func (g *group) wait() error {
	g.wg.Wait()
	defer g.cancel(nil)
	if g.err != nil {
		return g.err
	}
	return g.ctx.Err()
}
