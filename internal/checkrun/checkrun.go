// Package checkrun runs a lab's checks against one account: it works out
// what to load, loads it once, judges every check, and with a wait retries
// the failing ones until they pass (AWS takes a while to settle), each
// retry reading again only what they read, and everything before the
// verdict it prints. The CLI, docs CI, the local server and classroom mode
// all run checks through it.
package checkrun

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/awsx"
)

// now is the clock the wait's deadline is measured on; tests move it.
var now = time.Now

// transientPause is the wait after a transient error before trying again.
const transientPause = 5 * time.Second

// Loader fetches what need asks for from one account.
type Loader func(ctx context.Context, need account.Need) (*account.Snapshot, error)

// Options describe one run.
type Options struct {
	Lab  *content.Lab
	Step string // only this step's checks ("" = all)
	// Steps, when set, keeps only these steps' checks: vpclab test asks
	// whether finished steps still pass without proving a repair plan
	// for every check of the steps not yet done.
	Steps []string
	// Wait is how long failing checks may be retried; 0 judges once. A
	// check's own timeout, when longer, does not extend it: the learner's
	// flag is the upper bound.
	Wait time.Duration
	Load Loader
	// Attempt is told about each round after the first, for progress
	// output: how many checks still fail and how long is left.
	Attempt func(failing int, left time.Duration)
	// Unanswered is told when --wait rides out a read that failed in a way
	// that may go away by itself (AWS unreachable, throttled), with what
	// failed and how long is left, so a silent minute is not a hang.
	Unanswered func(err error, left time.Duration)
	// Sleep waits between rounds; tests replace it. Nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Bind is what the learner said about how the lab was built (a
	// CloudFormation stack, a Terraform state) for binding names.
	Bind binding.Options
	// Elsewhere, if set, looks for the lab's VPCs in other Regions (once
	// per run): where the lab is when it is missing here, else copies.
	Elsewhere func(ctx context.Context, names []string) []binding.RegionHit
}

// Report is a run's outcome.
type Report struct {
	Lab     string
	Account string
	Region  string
	Results []checks.Result
	Binding binding.Report // how the last round bound the lab's names
	// Names are the Name tags of the resources in the account, by id, for
	// "Name (id)" in what the results print.
	Names map[string]string
	// Snapshot is the account the last round judged, bound to the lab's
	// names: under --wait, reads merged, so that it holds every resource
	// type even when the last read was a retry's (for "Your VPC").
	Snapshot *account.Snapshot
	Rounds   int
	Elapsed  time.Duration
	// ReadAt is when the read the results rest on ended: under --wait cut
	// short, it is earlier than when Run returned.
	ReadAt time.Time
}

// Blocks returns the check blocks a run covers, in lab order.
func Blocks(lab *content.Lab, step string) []*content.CheckBlock {
	var out []*content.CheckBlock
	for _, b := range lab.Checks() {
		if step == "" || (b.Step != nil && b.Step.ID == step) {
			out = append(out, b)
		}
	}
	return out
}

// Run judges the lab's checks. An error means the account could not be
// read at all (credentials, permissions, network); results are then empty.
func Run(ctx context.Context, o Options) (Report, error) {
	start := now()
	blocks := Blocks(o.Lab, o.Step)
	if o.Steps != nil {
		blocks = slices.DeleteFunc(blocks, func(b *content.CheckBlock) bool { return b.Step == nil || !slices.Contains(o.Steps, b.Step.ID) })
	}
	// The whole lab is loaded and judged with the step: a repair plan is
	// only shown when no check of the lab that passes would fail after it.
	all := o.Lab.Checks()
	full := checks.NeedOf(all)
	rep := Report{Lab: o.Lab.ID}
	deadline := start.Add(o.Wait)
	// The other-Region search needs only the lab's VPC names: it runs
	// beside the account read, once, and costs no round of its own.
	away := func() []binding.RegionHit { return nil }
	if names := binding.VPCNamesOf(all); len(names) > 0 && o.Elsewhere != nil {
		ch := make(chan []binding.RegionHit, 1)
		go func() { ch <- o.Elsewhere(ctx, names) }()
		away = sync.OnceValue(func() []binding.RegionHit { return <-ch })
	}
	sleep := o.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	// raw is the account as last read, merged over earlier reads and not
	// yet bound; need is what the next read fetches: everything first,
	// then under --wait only what the checks still failing read.
	var raw *account.Snapshot
	need := full
	judge := func(snap *account.Snapshot) int {
		rep.Account, rep.Region = snap.Account, snap.Region
		rep.Binding, rep.Results = bind(o, snap, blocks, all, away)
		rep.Names = checks.ResourceNames(snap)
		rep.Snapshot = snap
		rep.ReadAt = now()
		failing := 0
		for _, r := range rep.Results {
			if r.Status == checks.Fail {
				failing++
			}
		}
		return failing
	}
	for {
		fresh, err := read(ctx, o.Load, need, all)
		if err != nil {
			// --wait rides out what may go away by itself (throttling, a
			// dropped or stalled connection, a 5xx) until its deadline.
			if left := deadline.Sub(now()); left > 0 && awsx.Transient(err) {
				if o.Unanswered != nil {
					o.Unanswered(err, left)
				}
				if sleep(ctx, min(transientPause, left)) == nil {
					continue
				}
			}
			rep.Elapsed = now().Sub(start)
			if ctx.Err() != nil && rep.Rounds > 0 {
				// Interrupted during a retry's read: the last complete
				// round stands, as when interrupted during the pause.
				return rep, nil
			}
			return rep, err
		}
		partial := raw != nil && !covers(need, full)
		raw = merge(raw, fresh)
		failing := judge(raw.Merge(nil))
		rep.Rounds++
		left := deadline.Sub(now())
		if partial && (failing == 0 || left <= 0) {
			// The run ends on this round, and the checks that passed
			// before were judged on older reads: read the rest now, so
			// the verdict printed rests, like a fresh check's, on reads
			// made after the last pause (a full read is no more one
			// instant than these two).
			rest := complement(full, need)
			fresh, err := read(ctx, o.Load, rest, all)
			if err != nil {
				if left := deadline.Sub(now()); left > 0 && awsx.Transient(err) && sleep(ctx, min(transientPause, left)) == nil {
					need = full
					need.NoIdentity = true
					continue
				}
				rep.Elapsed = now().Sub(start)
				if ctx.Err() != nil {
					return rep, nil // as above: this round's verdict stands
				}
				return rep, err
			}
			raw = merge(raw, fresh)
			failing = judge(raw.Merge(nil))
			left = deadline.Sub(now())
		}
		if failing == 0 || left <= 0 {
			break
		}
		pause := retryInterval(rep.Results)
		if pause > left {
			pause = left
		}
		if o.Attempt != nil {
			o.Attempt(failing, left)
		}
		if err := sleep(ctx, pause); err != nil {
			// Interrupted: report what we have. After a retry that read
			// only the failing checks' resources, the others keep the
			// verdict of the read before it.
			break
		}
		// The first read named the account. A round before the last reads
		// only what may still change a failing verdict.
		need = full
		if pause < left {
			need = retryNeed(full, rep.Results)
		}
		need.NoIdentity = true
	}
	rep.Elapsed = now().Sub(start)
	return rep, nil
}

// read loads need, with every network interface when the lab needs them.
func read(ctx context.Context, load Loader, need account.Need, all []*content.CheckBlock) (*account.Snapshot, error) {
	snap, err := load(ctx, need)
	if err != nil {
		return nil, err
	}
	if err := allENIs(ctx, load, need, all, snap); err != nil {
		return nil, err
	}
	return snap, nil
}

func merge(raw, fresh *account.Snapshot) *account.Snapshot {
	if raw == nil {
		return fresh
	}
	return raw.Merge(fresh)
}

// retryNeed is what a --wait retry reads: the resources the checks that
// still fail (or were skipped behind one) read, as their kinds declare
// for their parameters. A check that passed is judged again on its
// earlier read until the run is about to end (see Run). A failing finding
// that is not a kind's (binding's) makes the retry read everything, and ECS
// reads are not narrowed, so that a retry never replaces a list with a
// shorter one.
func retryNeed(full account.Need, results []checks.Result) account.Need {
	var blocks []*content.CheckBlock
	for _, r := range results {
		if r.Status != checks.Fail && r.Status != checks.Skipped {
			continue
		}
		if r.Block == nil {
			return full
		}
		if _, ok := checks.Lookup(r.Block.Kind); !ok {
			// Binding's findings (a copy of the lab, a duplicate name,
			// the lab in another Region) weigh every resource by name.
			return full
		}
		blocks = append(blocks, r.Block)
	}
	n := checks.NeedOf(blocks)
	var want []account.Resource
	for r, ok := range n.Resources {
		if ok {
			want = append(want, r)
		}
	}
	if len(want) == 0 { // nothing known to read: never judge on nothing new
		return full
	}
	return narrowed(full, want)
}

// complement is what full reads beyond read.
func complement(full, read account.Need) account.Need {
	var want []account.Resource
	for r, ok := range full.Resources {
		if ok && !read.Resources[r] {
			want = append(want, r)
		}
	}
	return narrowed(full, want)
}

// ecsResources are replaced whole by a read, so a read of any of them
// reads them for every cluster and service full names, and lists the
// clusters when full does.
var ecsResources = []account.Resource{account.ECSClusters, account.ECSServices, account.ECSTasks, account.ECSClusterList}

// narrowed is full restricted to want, without the identity call.
func narrowed(full account.Need, want []account.Resource) account.Need {
	n := account.Need{NoIdentity: true}
	n.Add()
	ecs := false
	for _, r := range want {
		if full.Resources[r] {
			n.Add(r)
			ecs = ecs || slices.Contains(ecsResources, r)
		}
	}
	if ecs {
		n.Clusters, n.Services = full.Clusters, full.Services
		if n.Resources[account.ECSTasks] && full.Resources[account.ECSClusterList] {
			n.Add(account.ECSClusterList)
		}
	}
	return n
}

// covers reports whether n reads every resource full does.
func covers(n, full account.Need) bool {
	for r, ok := range full.Resources {
		if ok && !n.Resources[r] {
			return false
		}
	}
	return true
}

// bind resolves the lab's names in snap before the kinds judge it, and
// puts binding's findings (another Region first, then duplicates and
// names to fix) ahead of the kinds' results.
func bind(o Options, snap *account.Snapshot, blocks, all []*content.CheckBlock, away func() []binding.RegionHit) (binding.Report, []checks.Result) {
	// Bind every name of the lab, not only this step's: plans are proven
	// against the whole lab, which must see the same resources.
	b := binding.Bind(snap, all, o.Bind)
	if hits := away(); hits != nil {
		b.SetElsewhere(hits)
	}
	results := checks.EvaluateLab(snap, blocks, all)
	run := o.Lab.ID
	if o.Step != "" {
		run += " --step " + o.Step
	}
	return b, checks.WithoutConflicts(binding.RegionFirst(placeFindings(binding.Findings(b, snap, blocks, results, run, o.Bind), results)))
}

// placeFindings puts the lab found in another Region first, and each other
// finding just before the first result of its step, so that writers that
// group by step show it under the step that names the resource.
func placeFindings(findings, results []checks.Result) []checks.Result {
	out := make([]checks.Result, 0, len(findings)+len(results))
	byStep := map[string][]checks.Result{}
	for _, f := range findings {
		if f.Reason == binding.OtherRegion {
			out = append(out, f)
		} else {
			byStep[f.Step] = append(byStep[f.Step], f)
		}
	}
	for _, r := range results {
		out = append(out, byStep[r.Step]...)
		delete(byStep, r.Step)
		out = append(out, r)
	}
	for _, f := range findings { // a step with findings but no results of its own
		if _, left := byStep[f.Step]; left {
			out = append(out, f)
		}
	}
	return out
}

// allENIs reads every network interface when the lab has an Elastic IP
// check and also reads ECS tasks: the loader then reads only the tasks'
// interfaces, and the interface an Elastic IP belongs on would be missing
// from the repair plan.
func allENIs(ctx context.Context, load Loader, need account.Need, blocks []*content.CheckBlock, snap *account.Snapshot) error {
	if snap.AllENIs || !need.Resources[account.NetworkInterfaces] || !need.Resources[account.ECSTasks] {
		return nil
	}
	eip := false
	for _, b := range blocks {
		eip = eip || b.Kind == "elastic-ip"
	}
	if !eip {
		return nil
	}
	var n account.Need
	n.Add(account.NetworkInterfaces)
	extra, err := load(ctx, n)
	if err != nil {
		return err
	}
	snap.NetworkInterfaces = extra.NetworkInterfaces
	return nil
}

// DefaultRetry is the pause between rounds when no failing check sets its
// own: long enough not to hammer the API, short enough to feel live.
const DefaultRetry = 10 * time.Second

func retryInterval(results []checks.Result) time.Duration {
	best := time.Duration(0)
	for _, r := range results {
		if r.Status != checks.Fail || r.Block == nil || r.Block.Retry <= 0 {
			continue
		}
		if best == 0 || r.Block.Retry < best {
			best = r.Block.Retry
		}
	}
	if best == 0 {
		return DefaultRetry
	}
	return best
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Summary counts results by status.
type Summary struct {
	Pass    int `json:"pass"`
	Warn    int `json:"warn"`
	Fail    int `json:"fail"`
	Error   int `json:"error"`
	Skipped int `json:"skipped"`
}

// Summarize counts results by status.
func Summarize(results []checks.Result) Summary {
	var s Summary
	for _, r := range results {
		switch r.Status {
		case checks.Pass:
			s.Pass++
		case checks.Warn:
			s.Warn++
		case checks.Fail:
			s.Fail++
		case checks.Error:
			s.Error++
		case checks.Skipped:
			s.Skipped++
		}
	}
	return s
}
