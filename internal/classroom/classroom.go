// Package classroom runs labs' checks for a whole class: for each learner
// of a roster it reaches their account (a role assumed through STS, or a
// named profile), reads it once through the read-only guard, judges every
// lab's checks, and prices what is still billing. Learners are checked a
// few at a time, each within a time limit, so one slow or broken account
// never holds up the class; a learner who cannot be checked gets a Problem
// that says why, and the others are unaffected.
//
// The results build a Report (a learners × steps grid, the class's most
// frequent failures, the cost still running) that renders as HTML in both
// languages, CSV and JSON. The CLI (vpclab class) and the local server use
// the same functions.
package classroom

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/roster"
)

// Defaults for Options.
const (
	DefaultParallel = 8
	DefaultTimeout  = 60 * time.Second
	DefaultPrefix   = "vpclab-"
)

// Options describe a class run.
type Options struct {
	Labs     []*content.Lab
	Learners []roster.Learner
	// Connect returns a config for a learner's account that the read-only
	// guard protects; it is required. Connector.Connect is the real one;
	// tests replace it to simulate slow or broken accounts.
	Connect func(ctx context.Context, l roster.Learner) (aws.Config, error)
	// Parallel is how many learners are checked at once (0: DefaultParallel).
	Parallel int
	// Timeout bounds each learner, connecting included (0: DefaultTimeout).
	Timeout time.Duration
	// Prefix is the Name-tag prefix of lab resources, for the cost
	// (billing.LabScope); "" means DefaultPrefix.
	Prefix string
	// FindRegion looks through the account's other regions when a lab's
	// VPC is missing from the learner's region, so that a lab built in the
	// wrong region is reported as such rather than as not started.
	FindRegion bool
	// AllRegions makes FindRegion sweep every region the account has
	// (a call per region). Without it the search asks only the likely
	// ones (see regionHints): a learner who has not started would
	// otherwise cost about 38 calls, more than checking a finished lab.
	AllRegions bool
	// Done is told about each learner as soon as they are done, one call
	// at a time, in the order learners finish. i is the learner's index.
	Done func(i int, o Outcome)
}

// Outcome is what checking one learner gave.
type Outcome struct {
	Learner roster.Learner
	// Account is the learner's account id (from sts:GetCallerIdentity; from
	// the role ARN when the account could not be read).
	Account string
	Region  string
	// Labs holds each lab's results, in Options.Labs order; empty when
	// Problem is set.
	Labs []LabResult
	// Cost is what is still billing in the learner's region; nil when it
	// could not be read (CostProblem says why).
	Cost        *Cost
	CostProblem *Problem
	// Problem is set when the learner could not be checked.
	Problem *Problem
	// Note is worth telling the instructor although the learner was
	// checked, e.g. that the lab's VPC does not exist yet.
	Note    *i18n.Msg
	Elapsed time.Duration
}

// LabResult is one lab's results for one learner.
type LabResult struct {
	Lab     *content.Lab
	Results []checks.Result
}

// Cost is what a learner leaves billing.
type Cost struct {
	Items      []billing.Item
	USDPerHour float64
	// Estimate: the region is not in the price table; the figure uses the
	// highest known prices.
	Estimate bool
}

// Checked reports whether the learner could be checked.
func (o Outcome) Checked() bool { return o.Problem == nil }

// Run checks every learner, Parallel at a time, and returns their outcomes
// in roster order. Cancelling ctx stops the run: learners not yet done get
// a ProblemCanceled.
func Run(ctx context.Context, o Options) []Outcome {
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	out := make([]Outcome, len(o.Learners))
	hints := newRegionHints(o.Labs, o.Learners)
	var (
		mu sync.Mutex // serializes Done
		wg sync.WaitGroup
	)
	next := make(chan int)
	for range min(o.Parallel, len(o.Learners)) {
		wg.Go(func() {
			for i := range next {
				res := runOne(ctx, o, o.Learners[i], hints)
				out[i] = res
				if o.Done != nil {
					mu.Lock()
					o.Done(i, res)
					mu.Unlock()
				}
			}
		})
	}
	for i := range o.Learners {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// Need is what one read of an account must load for labs' checks.
func Need(labs []*content.Lab) account.Need {
	var n account.Need
	n.Add()
	for _, l := range labs {
		ln := checks.NeedOf(l.Checks())
		for r, ok := range ln.Resources {
			if ok {
				n.Add(r)
			}
		}
		for _, c := range ln.Clusters {
			n.AddCluster(c)
		}
		for c, ss := range ln.Services {
			for _, s := range ss {
				n.AddService(c, s)
			}
		}
	}
	return n
}

// CostNeed is what the cost model (billing.Billable) reads: what the
// cleanup check reads, which judges with the same model, and the VPCs whose
// names scope it (billing.LabScope).
func CostNeed() account.Need {
	var n account.Need
	n.Add(account.VPCs)
	if k, ok := checks.Lookup("cleanup"); ok {
		n.Add(k.Resources...)
	}
	return n
}

func covers(have, want account.Need) bool {
	for r, ok := range want.Resources {
		if ok && !have.Resources[r] {
			return false
		}
	}
	return true
}

func runOne(parent context.Context, o Options, l roster.Learner, hints *regionHints) (out Outcome) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(parent, o.Timeout)
	defer cancel()
	out = Outcome{Learner: l, Account: l.Account(), Region: l.Region}
	defer func() { out.Elapsed = time.Since(start) }()

	fail := func(stage stage, err error) Outcome {
		out.Problem = classify(ctx, parent, stage, err, l, o.Timeout)
		out.Labs = nil
		return out
	}
	if err := parent.Err(); err != nil {
		return fail(stageConnect, err)
	}
	cfg, err := o.Connect(ctx, l)
	if err != nil {
		return fail(stageConnect, err)
	}
	if cfg.Region == "" {
		cfg.Region = l.Region
	}

	// One read of the account serves every lab: checkrun asks the loader
	// once per lab, and each gets the same snapshot.
	need := Need(o.Labs)
	costNeed := CostNeed()
	together := covers(need, costNeed)
	var snap *account.Snapshot
	checkIn := func(cfg aws.Config) ([]LabResult, error) {
		var (
			once    sync.Once
			loadErr error
			labs    []LabResult
		)
		snap = nil
		load := func(ctx context.Context, _ account.Need) (*account.Snapshot, error) {
			once.Do(func() { snap, loadErr = account.Load(ctx, cfg, need) })
			return snap, loadErr
		}
		for _, lab := range o.Labs {
			rep, err := checkrun.Run(ctx, checkrun.Options{Lab: lab, Load: load})
			if err != nil {
				return nil, err
			}
			labs = append(labs, LabResult{Lab: lab, Results: rep.Results})
		}
		return labs, nil
	}
	if out.Labs, err = checkIn(cfg); err != nil {
		return fail(stageRead, err)
	}
	if snap != nil {
		out.Account = snap.Account
	}

	if vpc := missingVPC(out.Labs); vpc != "" {
		var searched []any // the other Regions looked in, for the note
		if o.FindRegion {
			var only []string
			if !o.AllRegions {
				only = hints.list()
				for _, r := range only {
					if r != l.Region {
						searched = append(searched, r)
					}
				}
			}
			if r := findRegion(ctx, cfg, vpc, only); r != "" {
				hints.add(r)
				// The learner works in another Region than the roster
				// says: check them there, where their progress and what
				// they leave billing are, and say so.
				there := cfg.Copy()
				there.Region = r
				if labs, err := checkIn(there); err == nil {
					cfg, out.Labs, out.Region = there, labs, r
					out.Note = &i18n.Msg{ID: "ClassNoteOtherRegion", Data: i18n.M{"Name": vpc, "Region": r, "Here": l.Region}}
				} else {
					out.Problem = &Problem{Code: ProblemWrongRegion, Region: r,
						Msg: i18n.Msg{ID: "ClassProblemWrongRegion", Data: i18n.M{"Name": vpc, "Region": r, "Here": l.Region}}}
					out.Labs = nil
				}
			}
		}
		if out.Problem == nil && out.Note == nil {
			// Not found where it was looked for: say where, and how to
			// look everywhere (a lab built in a third Region bills there).
			data := i18n.M{"Name": vpc, "Region": l.Region, "All": o.FindRegion && o.AllRegions}
			if len(searched) > 0 {
				data["Searched"] = i18n.Joined{Parts: searched, Sep: ", "}
			}
			out.Note = &i18n.Msg{ID: "ClassNoteNoLabVPC", Data: data}
		}
	}

	// The cost: from the same snapshot when the labs read what it needs,
	// else from a read of its own. The learner's role may allow only the
	// labs' actions; then the cost is unknown, and the learner still
	// counts as checked.
	costSnap := snap
	if !together || snap == nil {
		costSnap, err = account.Load(ctx, cfg, costNeed)
		if err != nil {
			out.CostProblem = classify(ctx, parent, stageCost, err, l, o.Timeout)
			return out
		}
	}
	items := billing.Billable(costSnap, billing.LabScope(costSnap, o.Prefix))
	_, known := billing.For(costSnap.Region)
	out.Cost = &Cost{Items: items, USDPerHour: billing.Total(items), Estimate: !known}
	return out
}

// missingVPC is the Name of a lab VPC that a check found missing, or "".
func missingVPC(labs []LabResult) string {
	for _, lr := range labs {
		for _, r := range lr.Results {
			if r.Reason != "NOT_FOUND" || r.Message.ID != "CheckNotFound" {
				continue
			}
			if t, ok := r.Message.Data["Type"].(i18n.Msg); ok && t.ID == "ResVPC" {
				name, _ := r.Message.Data["Name"].(string)
				return name
			}
		}
	}
	return ""
}

// findRegion looks for a VPC called name in the account's other regions,
// as vpclab check's hint does; "" when it is nowhere, or the search fails.
// With only set, it asks those regions alone (a region the account has not
// enabled answers an error, which counts as not there).
func findRegion(ctx context.Context, cfg aws.Config, name string, only []string) string {
	client := ec2.NewFromConfig(cfg)
	regions := only
	if regions == nil {
		var err error
		if regions, err = account.EnabledRegions(ctx, cfg); err != nil {
			return ""
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	found := make(chan string, len(regions))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, region := range regions {
		if region == cfg.Region {
			continue
		}
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				return
			}
			out, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{name}}}},
				func(o *ec2.Options) { o.Region = region })
			if err == nil && len(out.Vpcs) > 0 {
				found <- region
				cancel()
			}
		})
	}
	wg.Wait()
	close(found)
	best := ""
	for r := range found {
		if best == "" || r < best {
			best = r
		}
	}
	return best
}
