package classroom

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/internal/roster"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// fullClassSize is the scale test's class: 60 accounts in one moto, when
// the test's time allows (see scaleClassSize). Larger classes are
// measured by the benchmarks (see bench/README.md), not by make test.
const fullClassSize = 60

// minClassSize is the smallest class the scale test accepts: still several
// learners of each scenario, and more than Parallel (8) at once.
const minClassSize = 24

// scaleClassSize sizes the scale test to its budget, so that a busy
// machine (a CI runner, two cores shared with other jobs) makes it slower,
// not fail at the go test timeout. It times building a few accounts and
// takes the class that fits in half the test's remaining time, counting
// building, checking and reporting as four times the building; at most
// fullClassSize, at least minClassSize.
func scaleClassSize(t *testing.T) int {
	deadline, ok := t.Deadline()
	if !ok {
		return fullClassSize
	}
	const probe = 8
	base := sandboxtest.Config(t)
	start := time.Now()
	makeClass(t, base, probe)
	perLearner := time.Since(start) / probe * 4
	budget := time.Until(deadline) / 2
	n := min(fullClassSize, int(budget/max(perLearner, time.Millisecond)))
	if n < fullClassSize {
		t.Logf("busy machine: %s per learner, %s left: a class of %d instead of %d", perLearner, time.Until(deadline).Round(time.Second), max(n, minClassSize), fullClassSize)
	}
	return max(n, minClassSize)
}

// What each scenario must look like in the grid (network, create-nat,
// route-private, cleanup) and what it leaves billing in us-east-1: the NAT
// gateway and its Elastic IP.
var expect = map[scenario]struct {
	states []State
	done   int
	usd    float64
}{
	complete:    {[]State{Passed, Passed, Passed, Current}, 3, 0.045 + 0.005},
	noRoute:     {[]State{Passed, Passed, Current, NotReached}, 2, 0.045 + 0.005},
	networkOnly: {[]State{Passed, Current, NotReached, NotReached}, 1, 0},
	notStarted:  {[]State{Current, NotReached, NotReached, NotReached}, 0, 0},
}

// TestClassAtScale checks a class of up to 60 learners, each in an account of
// their own in one sandbox, plus two that cannot be reached: one whose
// role STS refuses to let the instructor assume (moto assumes any role, so
// STS's AccessDenied is put in the way of that one call), and one whose
// region has no endpoint (the sandbox fails every call there). The broken
// ones get a Problem each and nobody else notices.
func TestClassAtScale(t *testing.T) {
	sandboxtest.Heavy(t) // dozens of accounts
	classSize := scaleClassSize(t)
	base := sandboxtest.Config(t)
	lab := demoLab(t)
	start := time.Now()
	cl := makeClass(t, base, classSize)
	t.Logf("built %d accounts in %s", classSize, time.Since(start).Round(time.Millisecond))

	refused := roster.Learner{Name: "role not assumable", RoleARN: roleARN(classSize), ExternalID: "wrong-id", Region: sandboxtest.Region}
	learners := append(slices.Clone(cl.learners), refused,
		roster.Learner{Name: "no endpoint", RoleARN: roleARN(classSize + 1), Region: "ap-northeast-9"})
	meter := &awsx.Meter{}
	conn := &Connector{Base: refuseAssume(base, refused.RoleARN), Meter: meter}
	var (
		mu    sync.Mutex
		order []int
	)
	start = time.Now()
	outcomes := Run(context.Background(), Options{Labs: []*content.Lab{lab}, Learners: learners, Connect: conn.Connect, Timeout: 2 * time.Minute,
		Done: func(i int, o Outcome) {
			mu.Lock()
			defer mu.Unlock()
			order = append(order, i)
		}})
	t.Logf("checked %d learners in %s with %d calls", len(learners), time.Since(start).Round(time.Millisecond), meter.Total())

	if len(order) != len(learners) {
		t.Errorf("Done was called %d times for %d learners", len(order), len(learners))
	}
	slices.Sort(order)
	for i, n := range order {
		if i != n {
			t.Fatalf("Done got learner indexes %v", order)
		}
	}
	// Every call went through the guard and was read-only, and one read of
	// each account served the lab and the cost (the lab has a cleanup
	// check, so it reads what the cost needs).
	for action, n := range meter.Calls() {
		if !awsx.Allowed(action) {
			t.Errorf("%s called %d times: not on the read-only allowlist", action, n)
		}
	}
	if n := meter.Calls()["sts:AssumeRole"]; n != len(learners)-1 { // the refused one is stopped before sending
		t.Errorf("%d AssumeRole calls for %d learners", n, len(learners)-1)
	}
	if n := meter.Calls()["ec2:DescribeNatGateways"]; n < classSize || n > classSize+1 { // +1: the region without an endpoint may get that far
		t.Errorf("%d DescribeNatGateways for %d learners: want one read per learner", n, classSize)
	}

	for i, o := range outcomes[:classSize] {
		s := cl.scenarios[i]
		if o.Problem != nil {
			t.Errorf("learner %d (%s): %s: %v", i, s, o.Problem.Code, o.Problem.Err)
			continue
		}
		if o.Account != accountID(i) || o.Region != sandboxtest.Region || o.Learner.Name != learners[i].Name {
			t.Errorf("learner %d: account %s region %s name %q", i, o.Account, o.Region, o.Learner.Name)
		}
		if o.Cost == nil || !near(o.Cost.USDPerHour, expect[s].usd) {
			t.Errorf("learner %d (%s): cost %+v, want $%.3f/h", i, s, o.Cost, expect[s].usd)
		}
		if (o.Note != nil) != (s == notStarted) {
			t.Errorf("learner %d (%s): note %v", i, s, o.Note)
		}
	}
	bad := outcomes[classSize]
	if bad.Problem == nil || bad.Problem.Code != ProblemRoleNotAssumable || bad.Account != accountID(classSize) || bad.Problem.Action != "sts:AssumeRole" ||
		bad.Problem.Msg.Data["Role"] != refused.RoleARN {
		t.Errorf("role not assumable: %+v", bad.Problem)
	}
	if bad := outcomes[classSize+1]; bad.Problem == nil || bad.Account != accountID(classSize+1) {
		t.Errorf("region without an endpoint: %+v", bad.Problem)
	} else {
		t.Logf("region without an endpoint: %s: %s", bad.Problem.Code, bad.Problem.Detail)
	}

	// History: each learner reached their current step i minutes before
	// the report (a learner not started was first seen then), so the grid
	// must list them by time on their step.
	reportAt := time.Now().UTC().Truncate(time.Minute)
	hstore := progress.Open(filepath.Join(t.TempDir(), "history.json"))
	var hrecs []progress.Record
	for i, o := range outcomes[:classSize] {
		at := reportAt.Add(-time.Duration(i+1) * time.Minute)
		for _, lr := range o.Labs {
			for _, r := range lr.Results {
				st := progress.Status(r.Status)
				if r.Step == "cleanup" {
					st = progress.StatusFail // the clean-up never passed before
				}
				hrecs = append(hrecs, progress.Record{Account: o.Account, Region: o.Region, Lab: lab.ID, Step: r.Step, Check: r.Check, Status: st, At: at})
			}
		}
	}
	if _, err := hstore.Record(hrecs...); err != nil {
		t.Fatal(err)
	}
	hist, _, err := hstore.Load()
	if err != nil {
		t.Fatal(err)
	}
	rep := Build([]*content.Lab{lab}, outcomes, BuildOptions{History: hist, Now: reportAt})
	count := map[scenario]int{}
	index := map[string]int{}
	for i, l := range learners {
		index[l.Name] = i
	}
	var prev *Row
	for k, row := range rep.Learners {
		i := index[row.Name]
		if i >= classSize {
			if row.Problem == nil || !reflect.DeepEqual(states(row), []State{Errored, Errored, Errored, Errored}) || k < classSize {
				t.Errorf("%s (row %d): %+v", row.Name, k, row)
			}
			continue
		}
		s := cl.scenarios[i]
		count[s]++
		if got := states(row); !reflect.DeepEqual(got, expect[s].states) || row.Done != expect[s].done {
			t.Errorf("learner %d (%s): grid %v (%d done), want %v (%d)", i, s, got, row.Done, expect[s].states, expect[s].done)
		}
		if row.Minutes != i+1 || row.Next == "" {
			t.Errorf("learner %d (%s): %d minutes on %q, want %d", i, s, row.Minutes, row.Next, i+1)
		}
		// Longest on their step first, within each group: on a step, then
		// cleaning up, then not started.
		if prev != nil && prev.Status == row.Status && prev.Minutes < row.Minutes {
			t.Errorf("row %d (%s, %d min) comes after %s (%d min)", k, row.Name, row.Minutes, prev.Name, prev.Minutes)
		}
		if prev != nil && statusOrder[prev.Status] > statusOrder[row.Status] {
			t.Errorf("row %d (%s) is %s after a %s learner", k, row.Name, row.Status, prev.Status)
		}
		prev = &rep.Learners[k]
		if s == noRoute {
			if c := row.Cells[2]; c.Check != "private-route" || c.Reason != "NO_ROUTE_TO_DESTINATION" || !strings.Contains(c.Message[i18n.EN], "rtb-") {
				t.Errorf("learner %d: route cell %+v", i, c)
			}
		}
	}
	wantSum := Summary{Learners: classSize + 2, Checked: classSize, Errors: 2, Complete: 0, NotStarted: count[notStarted]}
	if rep.Summary != wantSum {
		t.Errorf("summary %+v, want %+v", rep.Summary, wantSum)
	}
	// Per step, how many have done it.
	wantDone := []int{count[complete] + count[noRoute] + count[networkOnly], count[complete] + count[noRoute], count[complete], 0}
	for i, st := range rep.Steps {
		if st.Done != wantDone[i] || st.Of != classSize {
			t.Errorf("step %s: %d of %d done, want %d of %d", st.ID, st.Done, st.Of, wantDone[i], classSize)
		}
	}
	// What blocks learners now: only the route, for those on it. Not the
	// NAT gateway nobody on that step has begun, not the clean-up.
	if len(rep.Failures) != 1 {
		t.Fatalf("failures: %+v", rep.Failures)
	}
	if f := rep.Failures[0]; f.Check != "private-route" || f.Reason != "NO_ROUTE_TO_DESTINATION" || f.Count != count[noRoute] || len(f.Learners) != count[noRoute] {
		t.Errorf("most frequent failure: %+v", f)
	}
	billing := count[complete] + count[noRoute]
	if c := rep.Cost; c.Billing != billing || c.Unknown != 0 || !near(c.USDPerHour, float64(billing)*0.05) || c.Estimate {
		t.Errorf("class cost %+v, want %d learners at $%.3f/h", c, billing, float64(billing)*0.05)
	}
	t.Logf("scenarios %v; failures %d × %s; cost $%.3f/h", count, rep.Failures[0].Count, rep.Failures[0].Reason, rep.Cost.USDPerHour)

	// Progress: one record per check per learner who was checked, in the
	// learner's account.
	store := progress.Open(filepath.Join(t.TempDir(), "progress.json"))
	en := i18n.New(i18n.EN)
	for _, o := range outcomes {
		if _, err := store.Record(Records(o, en, time.Now())...); err != nil {
			t.Fatal(err)
		}
	}
	prog, _, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	if n, want := len(prog.Records()), classSize*len(lab.Checks()); n != want {
		t.Errorf("%d progress records, want %d", n, want)
	}
	if recs := prog.Lab(accountID(0), sandboxtest.Region, "class-demo"); len(recs) != len(lab.Checks()) || recs["private-route"].Status != progress.StatusPass {
		t.Errorf("learner 0's progress: %+v", recs)
	}
}

// refuseAssume is base whose STS refuses to assume role, as STS does when
// the role's trust policy or external id does not let the caller in.
func refuseAssume(base aws.Config, role string) aws.Config {
	cfg := base.Copy()
	cfg.APIOptions = append(cfg.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("refuse", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if a, ok := in.Parameters.(*sts.AssumeRoleInput); ok && aws.ToString(a.RoleArn) == role {
				return middleware.InitializeOutput{}, middleware.Metadata{}, &smithy.OperationError{ServiceID: "STS", OperationName: "AssumeRole",
					Err: &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: arn:aws:iam::123456789012:user/moto is not authorized to perform: sts:AssumeRole on resource: " + role}}
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
	})
	return cfg
}

// TestConnectAssumesRole: the role is assumed as session vpclab-class with
// the learner's external id, in the learner's region, and the config that
// comes back is in the learner's account and guarded.
func TestConnectAssumesRole(t *testing.T) {
	base := sandboxtest.Config(t)
	var (
		mu  sync.Mutex
		ins []*sts.AssumeRoleInput
	)
	base.APIOptions = append(base.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("capture", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if a, ok := in.Parameters.(*sts.AssumeRoleInput); ok {
				mu.Lock()
				ins = append(ins, a)
				mu.Unlock()
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
	})
	conn := &Connector{Base: base}
	l := roster.Learner{Name: "Aiko", RoleARN: roleARN(7), ExternalID: "spring-26", Region: "ap-northeast-1"}
	cfg, err := conn.Connect(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 1 || aws.ToString(ins[0].RoleSessionName) != SessionName || aws.ToString(ins[0].ExternalId) != "spring-26" || aws.ToString(ins[0].RoleArn) != l.RoleARN {
		t.Fatalf("AssumeRole inputs: %+v", ins)
	}
	if cfg.Region != "ap-northeast-1" {
		t.Errorf("region %q", cfg.Region)
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Account) != accountID(7) || !strings.HasSuffix(aws.ToString(id.Arn), "/"+SessionName) {
		t.Errorf("identity %s %s", aws.ToString(id.Account), aws.ToString(id.Arn))
	}
	_, err = ec2.NewFromConfig(cfg).CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	var nro *awsx.NotReadOnlyError
	if !errors.As(err, &nro) {
		t.Errorf("a learner's config let CreateVpc through: %v", err)
	}
}

// TestSlowLearner: one learner who never answers is cut off at the time
// limit; the others finish long before it.
func TestSlowLearner(t *testing.T) {
	base := sandboxtest.Config(t)
	lab := demoLab(t)
	cl := makeClass(t, base, 3)
	conn := &Connector{Base: base}
	learners := append(slices.Clone(cl.learners), roster.Learner{Name: "slow", RoleARN: roleARN(50), Region: sandboxtest.Region})
	var (
		mu       sync.Mutex
		finished []string
	)
	start := time.Now()
	// The others must finish within the limit even on a busy machine;
	// the slow one takes all of it, so it is the test's length.
	limit := 10 * time.Second
	outcomes := Run(context.Background(), Options{Labs: []*content.Lab{lab}, Learners: learners, Parallel: 2, Timeout: limit,
		Connect: func(ctx context.Context, l roster.Learner) (aws.Config, error) {
			if l.Name == "slow" {
				<-ctx.Done() // an endpoint that never answers
				return aws.Config{}, fmt.Errorf("assume: %w", ctx.Err())
			}
			return conn.Connect(ctx, l)
		},
		Done: func(i int, o Outcome) {
			mu.Lock()
			finished = append(finished, o.Learner.Name)
			mu.Unlock()
		}})
	elapsed := time.Since(start)
	if p := outcomes[3].Problem; p == nil || p.Code != ProblemTimeout || outcomes[3].Elapsed < limit {
		t.Fatalf("slow learner: %+v after %s", p, outcomes[3].Elapsed)
	}
	for _, o := range outcomes[:3] {
		if o.Problem != nil {
			t.Errorf("%s: %+v", o.Learner.Name, o.Problem)
		}
	}
	// No bound on elapsed: on a busy machine the others are slow too; the
	// order says they did not wait for the slow one.
	if finished[len(finished)-1] != "slow" {
		t.Errorf("finished in order %v after %s", finished, elapsed)
	}
}

// TestInterrupted: cancelling the run gives the learners not yet done a
// ProblemCanceled, not a timeout or a failure.
func TestInterrupted(t *testing.T) {
	lab := demoLab(t)
	ctx, cancel := context.WithCancel(context.Background())
	learners := []roster.Learner{{Name: "a", RoleARN: roleARN(1), Region: "us-east-1"}, {Name: "b", RoleARN: roleARN(2), Region: "us-east-1"}}
	outcomes := Run(ctx, Options{Labs: []*content.Lab{lab}, Learners: learners, Parallel: 1,
		Connect: func(ctx context.Context, l roster.Learner) (aws.Config, error) {
			cancel()
			<-ctx.Done()
			return aws.Config{}, ctx.Err()
		}})
	for _, o := range outcomes {
		if o.Problem == nil || o.Problem.Code != ProblemCanceled {
			t.Errorf("%s: %+v", o.Learner.Name, o.Problem)
		}
	}
}

// TestWrongRegion: a lab built in another region than the roster says is
// found there and checked there, with a note, rather than shown as not
// started or unreachable (its progress and what it bills are there); a
// learner with no lab VPC anywhere is not started, with a note.
func TestWrongRegion(t *testing.T) {
	base := sandboxtest.Config(t)
	lab := demoLab(t)
	ctx := context.Background()
	cfg, err := assume(ctx, base, accountID(1), "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := build(ctx, cfg, networkOnly); err != nil {
		t.Fatal(err)
	}
	conn := &Connector{Base: base}
	learners := []roster.Learner{
		{Name: "elsewhere", RoleARN: roleARN(1), Region: sandboxtest.Region},
		{Name: "nothing yet", RoleARN: roleARN(2), Region: sandboxtest.Region},
	}
	outcomes := Run(ctx, Options{Labs: []*content.Lab{lab}, Learners: learners, Connect: conn.Connect, FindRegion: true})
	o := outcomes[0]
	passed := 0
	for _, lr := range o.Labs {
		for _, r := range lr.Results {
			if r.Status == checks.Pass {
				passed++
			}
		}
	}
	if o.Problem != nil || o.Region != "us-west-2" || o.Note == nil || o.Note.ID != "ClassNoteOtherRegion" || passed == 0 || o.Cost == nil {
		t.Errorf("elsewhere: problem %+v, region %s, note %+v, %d checks passed, cost %+v", o.Problem, o.Region, o.Note, passed, o.Cost)
	}
	if o := outcomes[1]; o.Problem != nil || o.Note == nil || o.Note.ID != "ClassNoteNoLabVPC" || o.Note.Data["Name"] != "vpclab-demo-vpc" {
		t.Errorf("nothing yet: problem %+v note %+v", o.Problem, o.Note)
	} else if note := i18n.New(i18n.EN).T(o.Note.ID, o.Note.Data); !strings.Contains(note, "nor in ") || !strings.Contains(note, "us-west-2") ||
		!strings.Contains(note, "--find-region-all") {
		// Where it was looked for, and how to look everywhere: a lab in
		// a third Region bills there unseen.
		t.Errorf("nothing yet: note %q does not say where vpclab looked", note)
	}
}

// TestLabRegionSearched: the Region a lab's text asks for is searched
// without --find-region-all even when neither the roster nor the
// defaults name it: a learner who followed the lab rather than the
// roster built there.
func TestLabRegionSearched(t *testing.T) {
	base := sandboxtest.Config(t)
	lab := demoLab(t)
	for _, p := range lab.Pages {
		p.Meta.Region = "eu-west-3"
	}
	ctx := context.Background()
	cfg, err := assume(ctx, base, accountID(3), "eu-west-3")
	if err != nil {
		t.Fatal(err)
	}
	if err := build(ctx, cfg, networkOnly); err != nil {
		t.Fatal(err)
	}
	conn := &Connector{Base: base}
	learners := []roster.Learner{{Name: "followed the lab", RoleARN: roleARN(3), Region: sandboxtest.Region}}
	o := Run(ctx, Options{Labs: []*content.Lab{lab}, Learners: learners, Connect: conn.Connect, FindRegion: true})[0]
	if o.Problem != nil || o.Region != "eu-west-3" || o.Note == nil || o.Note.ID != "ClassNoteOtherRegion" {
		t.Errorf("problem %+v, region %s, note %+v; want the lab found in its own Region eu-west-3", o.Problem, o.Region, o.Note)
	}
}

// TestCostAccessDenied: when the learner's role lets the checks read but
// not what the cost needs, the learner is checked and only the cost is
// unknown.
func TestCostAccessDenied(t *testing.T) {
	base := sandboxtest.Config(t)
	cl := makeClass(t, base, 1)
	// A lab without a cleanup check does not read what the cost needs.
	p, ds := content.ParsePage("vpc-only/index.en.md", i18n.EN, []byte(strings.Replace(fmt.Sprintf(labFront, "VPC only"), "class-demo", "vpc-only", 1)+
		"## Network {#network}\n\n```check\nid: vpc\nkind: vpc\nname: vpclab-demo-vpc\n```\n"))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	lab := &content.Lab{ID: "vpc-only", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
	conn := &Connector{Base: base}
	outcomes := Run(context.Background(), Options{Labs: []*content.Lab{lab}, Learners: cl.learners,
		Connect: func(ctx context.Context, l roster.Learner) (aws.Config, error) {
			cfg, err := conn.Connect(ctx, l)
			// What an IAM role allowing only the lab's actions answers.
			cfg.APIOptions = append(cfg.APIOptions, func(s *middleware.Stack) error {
				return s.Initialize.Add(middleware.InitializeMiddlewareFunc("deny", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if _, ok := in.Parameters.(*ec2.DescribeNatGatewaysInput); ok {
						return middleware.InitializeOutput{}, middleware.Metadata{}, &smithy.GenericAPIError{Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.After)
			})
			return cfg, err
		}})
	o := outcomes[0]
	if o.Problem != nil || len(o.Labs) != 1 || o.Labs[0].Results[0].Status != "pass" {
		t.Fatalf("learner not checked: %+v", o.Problem)
	}
	if o.Cost != nil || o.CostProblem == nil || o.CostProblem.Code != ProblemAccessDenied || o.CostProblem.Msg.ID != "ClassProblemCostAccessDenied" {
		t.Errorf("cost %+v, cost problem %+v", o.Cost, o.CostProblem)
	}
}

// TestNotStartedIsCheap: a learner with no lab VPC anywhere is looked for
// in the likely Regions only (us-east-1, us-west-2, the roster's), not in
// every Region of the account; --find-region-all still sweeps them all.
func TestNotStartedIsCheap(t *testing.T) {
	base := sandboxtest.Config(t)
	lab := demoLab(t)
	learners := []roster.Learner{{Name: "nothing yet", RoleARN: roleARN(3), Region: sandboxtest.Region}}
	calls := func(find, all bool) (int, Outcome) {
		m := &awsx.Meter{}
		conn := &Connector{Base: base, Meter: m}
		out := Run(context.Background(), Options{Labs: []*content.Lab{lab}, Learners: learners, Connect: conn.Connect, FindRegion: find, AllRegions: all})
		return m.Total(), out[0]
	}
	plain, _ := calls(false, false)
	likely, o := calls(true, false)
	all, _ := calls(true, true)
	if o.Note == nil || o.Note.ID != "ClassNoteNoLabVPC" {
		t.Errorf("not started: problem %+v note %+v", o.Problem, o.Note)
	}
	// The roster's Region is us-east-1, so only us-west-2 is left to ask.
	if likely-plain != 1 {
		t.Errorf("the search made %d calls, want 1 (us-west-2)", likely-plain)
	}
	if all-plain < 10 {
		t.Errorf("the full sweep made %d calls: it no longer asks every Region", all-plain)
	}
	t.Logf("calls: %d without the search, %d with the likely Regions, %d with every Region", plain, likely, all)
}
