// Package mutate is mutation testing of the labs: after each step it makes
// the mistakes a learner makes (mutants) to the resources the step created,
// in the sandbox, and asserts that a check of that step or an earlier one
// fails (the mutant is killed) and that the fixes vpclab prints, run as
// printed with the AWS CLI in a fresh bash, make the lab pass again (the
// mutant is repaired). Writes go only to a loopback sandbox (client.go).
package mutate

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/doctest"
	"github.com/vpclab/vpclab/internal/procgroup"
)

// Options configure a mutation pass.
type Options struct {
	// Endpoint is the sandbox (moto) URL; it must be loopback.
	Endpoint string
	// Config returns a read-only config for the sandbox in region.
	Config func(region string) aws.Config
	// Env returns the shell environment for the AWS CLI against endpoint
	// in region (loopback endpoint, dummy credentials, no other AWS_*).
	Env func(endpoint, region string) []string
	// Reset gives a fresh sandbox (and re-pins ECS task states).
	Reset func(ctx context.Context) error
	// Rounds a learner runs the printed fixes at most (default 3).
	Rounds int
	// FixTimeout bounds one round of fixes (default 2 minutes).
	FixTimeout time.Duration
	// Step and Mutant report progress; either may be nil.
	Step   func(lab string, r doctest.StepResult)
	Mutant func(lab, step string, n, total int, r *MutantResult)
	// Extra adds mutants to a step (tests: a deliberately harmless one).
	Extra func(step *content.Step, g *Gen) []*Mutant
	// Kinds, when set, limits the pass to these mutation kinds.
	Kinds []string
	// Only, when set, keeps the mutants it accepts (vpclab test --shard).
	Only func(lab, step, id string) bool
}

// Gen exposes the step's before/after snapshots to Options.Extra.
type Gen = gen

// After is the account after the step.
func (g *gen) After() *account.Snapshot { return g.after }

// NewMutant builds a mutant for Options.Extra.
func NewMutant(kind, target, detail string, apply func(ctx context.Context, ec2 EC2Writer) error) *Mutant {
	return &Mutant{Kind: kind, Area: "test", Target: target, Detail: detail,
		apply: func(ctx context.Context, c *writeClients) (func(context.Context) error, error) {
			return nil, apply(ctx, EC2Writer{c})
		}}
}

// EC2Writer hands the loopback-only EC2 client to Options.Extra.
type EC2Writer struct{ c *writeClients }

// Tag sets a tag on a resource.
func (w EC2Writer) Tag(ctx context.Context, id, key, value string) error {
	_, err := w.c.ec2.CreateTags(ctx, &ec2CreateTagsInput{Resources: []string{id}, Tags: []ec2Tag{{Key: aws.String(key), Value: aws.String(value)}}})
	return err
}

// Outcome of a mutant.
type Outcome string

const (
	Repaired   Outcome = "repaired"   // killed, and the printed fixes repaired it
	Unrepaired Outcome = "unrepaired" // killed, but the fixes did not repair it
	Survived   Outcome = "survived"   // no check failed
	Equiv      Outcome = "equivalent" // declared equivalent by the lab
	NotApplied Outcome = "not-applied"
)

// CheckResult is one check's verdict, as a survivor report needs it.
type CheckResult struct {
	Check   string
	Status  checks.Status
	Reason  string
	Message i18n.Msg
	Fix     string
	// RootCause is the id of the check whose fix covers this one.
	RootCause string
}

// Round is one run of the printed fixes.
type Round struct {
	Fix      string // the commands, as run
	Output   string
	ExitCode int           // how many of its lines failed
	After    []CheckResult // the failing checks after it
}

// MutantResult is what happened to one mutant.
type MutantResult struct {
	ID, Kind, Area, Target, Detail string
	Binding                        bool
	Outcome                        Outcome
	Reason                         string        // equivalence reason, or why it was not applied
	Failing                        []CheckResult // the checks it made fail
	Rounds                         []Round
	Restore                        string // none, undo or replay
	Elapsed                        time.Duration
}

// Survivor reports whether the mutant must be named in the report.
func (r *MutantResult) Survivor() bool { return r.Outcome == Survived || r.Outcome == Unrepaired }

// StepReport is one step's mutants.
type StepReport struct {
	Step    string
	Mutants []*MutantResult
}

// LabReport is one lab's pass.
type LabReport struct {
	Lab     string
	Doctest doctest.LabResult
	Steps   []StepReport
	Err     error // the pass stopped (restore failed, bad declaration)
	Elapsed time.Duration
	Replays int
	Undos   int
	// Time spent restoring (fingerprints, undos, replays) and running
	// printed fixes, for the report's cost figures.
	RestoreTime, FixTime time.Duration
	Recorded             int // requests recorded from the lab's commands
	// SearchedRegions is the most Regions one other-Region search asked.
	SearchedRegions int
}

// Counts are the figures per lab and in total. Binding mutants are
// counted apart: today's checks cannot judge some of them by design.
type Counts struct {
	Mutants    int `json:"mutants"`
	Killed     int `json:"killed"`
	Repaired   int `json:"repaired"`
	Equivalent int `json:"equivalent"`
	NotApplied int `json:"not_applied"`
}

// Add counts one result.
func (c *Counts) Add(r *MutantResult) {
	switch r.Outcome {
	case NotApplied:
		c.NotApplied++
		return
	case Equiv:
		c.Mutants++
		c.Equivalent++
		return
	}
	c.Mutants++
	if r.Outcome == Repaired || r.Outcome == Unrepaired {
		c.Killed++
	}
	if r.Outcome == Repaired {
		c.Repaired++
	}
}

// Plus sums counts.
func (c Counts) Plus(o Counts) Counts {
	return Counts{c.Mutants + o.Mutants, c.Killed + o.Killed, c.Repaired + o.Repaired, c.Equivalent + o.Equivalent, c.NotApplied + o.NotApplied}
}

// KillRate is killed / non-equivalent mutants (1 when there are none).
func (c Counts) KillRate() float64 {
	if n := c.Mutants - c.Equivalent; n > 0 {
		return float64(c.Killed) / float64(n)
	}
	return 1
}

// RepairRate is repaired / killed (1 when none was killed).
func (c Counts) RepairRate() float64 {
	if c.Killed > 0 {
		return float64(c.Repaired) / float64(c.Killed)
	}
	return 1
}

// Counts sums the lab's results: core mutants, and binding mutants apart.
func (r *LabReport) Counts() (core, binding Counts) {
	for _, s := range r.Steps {
		for _, m := range s.Mutants {
			if m.Binding {
				binding.Add(m)
			} else {
				core.Add(m)
			}
		}
	}
	return core, binding
}

// pass is one lab's state while it runs.
type pass struct {
	o      Options
	lab    *content.Lab
	region string
	rec    *recorder
	w      *writeClients
	cfg    aws.Config
	need   account.Need
	rep    *LabReport
	before *account.Snapshot
	done   []*content.Step // steps whose blocks ran, in order
	broken bool
	// away is what the other-Region search found after the step: only a
	// binding mutant (a copy of the lab in another Region) or its fix
	// changes another Region, so the other mutants reuse it instead of
	// reading every Region at each judgement.
	away struct {
		key  string
		hits []binding.RegionHit
		ok   bool
	}
	// enabled are the sandbox's enabled Regions, read once: the search
	// covers no Region vpclab check would not.
	enabled []string
}

// RunLab builds the lab in the sandbox with doctest and mutates it after
// each step.
func RunLab(ctx context.Context, lab *content.Lab, o Options) *LabReport {
	start := time.Now()
	rep := &LabReport{Lab: lab.ID}
	defer func() { rep.Elapsed = time.Since(start) }()
	if o.Rounds == 0 {
		o.Rounds = 3
	}
	if o.FixTimeout == 0 {
		o.FixTimeout = 2 * time.Minute
	}
	page := lab.Page(i18n.EN)
	p := &pass{o: o, lab: lab, region: page.Meta.Region, rep: rep, need: fullNeed(lab)}
	var err error
	if p.rec, err = startRecorder(o.Endpoint); err != nil {
		rep.Err = err
		return rep
	}
	defer p.rec.close()
	// Every write of the pass (the lab's commands, mutants, printed fixes)
	// goes through the recorder, which so knows each Region that can hold
	// anything (see judge).
	if p.w, err = newWriteClients(p.rec.URL(), p.region); err != nil {
		rep.Err = err
		return rep
	}
	p.cfg = o.Config(p.region)
	for _, st := range page.Steps {
		if _, err := Declarations(st); err != nil {
			rep.Err = err
			return rep
		}
	}
	rep.Doctest = doctest.RunLab(ctx, lab, doctest.Options{
		Config:       o.Config,
		Env:          func(region string) []string { return o.Env(p.rec.URL(), region) },
		Reset:        p.reset,
		Step:         o.Step,
		BeforeBlocks: p.beforeBlocks,
		AfterStep:    p.afterStep,
		// The pass that proves the fixes also proves the reads: every
		// check judged alike on what its kind reads and on everything.
		SameReads: true,
	})
	rep.Recorded = p.rec.calls()
	return rep
}

// warm creates moto's lazily built backends of the lab's region (the
// default VPC takes random ids) before a seed, the same way in the first
// build and in a replay. It returns the account as it is.
func (p *pass) warm(ctx context.Context) (*account.Snapshot, error) {
	// One service at a time: the snapshot loader is concurrent, and moto
	// builds backends in whatever order requests arrive.
	if _, err := p.w.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
		return nil, err
	}
	if _, err := p.w.ecs.ListClusters(ctx, &ecs.ListClustersInput{}); err != nil {
		return nil, err
	}
	if _, err := p.w.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{}); err != nil {
		return nil, err
	}
	return load(ctx, p.cfg, p.need)
}

// reset gives a fresh sandbox whose lazily built parts (the default VPC
// and its friends) get the same ids every time: seeded, then warmed.
func (p *pass) reset(ctx context.Context) error {
	if err := p.o.Reset(ctx); err != nil {
		return err
	}
	if err := p.rec.post(ctx, fmt.Sprintf("/moto-api/seed?a=%d", stepSeed(-1)), ""); err != nil {
		return err
	}
	_, err := p.warm(ctx)
	return err
}

func (p *pass) beforeBlocks(ctx context.Context, step *content.Step) error {
	snap, err := load(ctx, p.cfg, p.need)
	if err != nil {
		return err
	}
	p.before = snap
	if err := p.rec.seed(ctx, len(p.rec.segments)); err != nil {
		return err
	}
	p.rec.begin()
	p.done = append(p.done, step)
	return nil
}

// judged are the check blocks of steps up to step that ran.
func (p *pass) blocksThrough(step *content.Step) []*content.CheckBlock {
	var out []*content.CheckBlock
	for _, s := range p.lab.Page(i18n.EN).Steps {
		if _, skip := s.Attrs["sandbox"]; !skip {
			out = append(out, s.Checks...)
		}
		if s == step {
			break
		}
	}
	return out
}

// judge loads the sandbox and judges blocks as vpclab check does. m is
// the mutant being judged, nil for the state after the step.
func (p *pass) judge(ctx context.Context, blocks []*content.CheckBlock, m *Mutant) ([]checks.Result, *account.Snapshot, error) {
	snap, err := load(ctx, p.cfg, p.need)
	if err != nil {
		return nil, nil, err
	}
	elsewhere := func(ctx context.Context, names []string) ([]binding.RegionHit, error) {
		key := strings.Join(names, "\x00")
		if m != nil && !m.Binding && p.away.ok && p.away.key == key {
			return p.away.hits, nil
		}
		regions, err := p.otherRegions(ctx)
		if err != nil {
			return nil, err
		}
		p.rep.SearchedRegions = max(p.rep.SearchedRegions, len(regions))
		hits, err := binding.ElsewhereIn(ctx, p.cfg, names, regions)
		if err == nil && m == nil {
			p.away.key, p.away.hits, p.away.ok = key, hits, true
		}
		return hits, err
	}
	// As vpclab check judges: names bound first, and a duplicate, a
	// missing Name tag or a copy in another Region fails a check.
	return binding.Judge(ctx, p.cfg, snap, blocks, p.lab.Checks(), p.lab.ID, elsewhere), snap, nil
}

// otherRegions are the Regions the other-Region search asks: the enabled
// ones (as vpclab check's search) that a request of the pass went to, or
// every enabled one when the recorder could not tell where a request went.
// In any other Region moto has nothing but a default VPC, which has no
// Name. Asking moto about the others would build a backend in each (about
// 2 s for all), and the next reset would rebuild each once more before
// dropping it (about 2 s again).
func (p *pass) otherRegions(ctx context.Context) ([]string, error) {
	if p.enabled == nil {
		enabled, err := account.EnabledRegions(ctx, p.cfg)
		if err != nil {
			return nil, err
		}
		p.enabled = enabled
	}
	touched, known := p.rec.touched(p.region)
	return slices.DeleteFunc(slices.Clone(p.enabled), func(r string) bool {
		return r == p.region || known && !slices.Contains(touched, r)
	}), nil
}

func (p *pass) afterStep(ctx context.Context, step *content.Step, sr *doctest.StepResult) {
	p.rec.pause()
	if p.broken || p.before == nil {
		return
	}
	before := p.before
	p.before = nil
	if sr.Status != doctest.Passed {
		p.broken = true // later steps build on a state the lab did not mean
		return
	}
	if sr.Blocks == 0 {
		return
	}
	blocks := p.blocksThrough(step)
	base, after, err := p.judge(ctx, blocks, nil)
	if err != nil {
		p.fail(err)
		return
	}
	fp0 := fingerprint(after)
	var judged []*content.CheckBlock // the checks that pass now: a mutant must break one
	for i, r := range base {
		if r.OK() {
			judged = append(judged, blocks[i])
		}
	}
	decl, _ := Declarations(step)
	g := &gen{before: before, after: after, region: p.region, cleanup: len(step.Cleanup) > 0}
	for _, b := range blocks {
		// A path asserted blocked (reachable: false) stays blocked under
		// a deny rule: it claims no traffic.
		if b.Kind == "network-acl" || (b.Kind == "egress-path" && checks.NewParams(b.Params).Bool("reachable", true)) {
			g.traffic = true
			g.firstTraffic = b.Step == step
			break
		}
	}
	var ms []*Mutant
	for _, k := range Kinds {
		if len(p.o.Kinds) == 0 || slices.Contains(p.o.Kinds, k.ID) {
			ms = append(ms, k.gen(g)...)
		}
	}
	if p.o.Extra != nil {
		ms = append(ms, p.o.Extra(step, g)...)
	}
	ms = slices.DeleteFunc(ms, func(m *Mutant) bool { return p.o.Only != nil && !p.o.Only(p.lab.ID, step.ID, m.ID()) })
	report := StepReport{Step: step.ID}
	for i, m := range ms {
		if ctx.Err() != nil {
			break
		}
		r := p.one(ctx, m, decl, blocks, judged, fp0)
		report.Mutants = append(report.Mutants, r)
		if p.o.Mutant != nil {
			p.o.Mutant(p.lab.ID, step.ID, i+1, len(ms), r)
		}
		if p.broken {
			break
		}
	}
	p.rep.Steps = append(p.rep.Steps, report)
}

func (p *pass) fail(err error) {
	p.broken = true
	if p.rep.Err == nil {
		p.rep.Err = err
	}
}

// ok reports whether every judged check passes in results.
func okAll(results []checks.Result, blocks, judged []*content.CheckBlock) ([]CheckResult, bool) {
	want := map[*content.CheckBlock]bool{}
	for _, b := range judged {
		want[b] = true
	}
	var failing []CheckResult
	for i, r := range results {
		if want[blocks[i]] && !r.OK() {
			failing = append(failing, toCheck(r))
		}
	}
	return failing, len(failing) == 0
}

func toCheck(r checks.Result) CheckResult {
	return CheckResult{Check: r.Check, Status: r.Status, Reason: r.Reason, Message: r.Message, Fix: r.Fix, RootCause: r.RootCause}
}

func (p *pass) one(ctx context.Context, m *Mutant, decl []Equivalent, blocks, judged []*content.CheckBlock, fp0 string) *MutantResult {
	start := time.Now()
	r := &MutantResult{ID: m.ID(), Kind: m.Kind, Area: m.Area, Target: m.Target, Detail: m.Detail, Binding: m.Binding}
	defer func() { r.Elapsed = time.Since(start) }()
	for _, e := range decl {
		if e.matches(m) {
			r.Outcome, r.Reason = Equiv, e.Reason
			return r
		}
	}
	undo, err := m.apply(ctx, p.w)
	if err != nil {
		r.Outcome, r.Reason = NotApplied, err.Error()
		p.restore(ctx, r, undo, fp0)
		return r
	}
	results, snap, err := p.judge(ctx, blocks, m)
	if err != nil {
		p.fail(err)
		return r
	}
	if !m.Binding && fingerprint(snap) == fp0 {
		// moto accepted the call and changed nothing the checks can see
		// (e.g. ModifyVpcEndpoint --no-private-dns-enabled): not a survivor.
		r.Outcome, r.Reason = NotApplied, "the sandbox accepted the call but changed nothing the checks can see"
		p.restore(ctx, r, undo, fp0)
		return r
	}
	failing, ok := okAll(results, blocks, judged)
	r.Failing = failing
	if ok {
		r.Outcome = Survived
		p.restore(ctx, r, undo, fp0)
		return r
	}
	r.Outcome = Unrepaired
	prev := ""
	for round := 0; round < p.o.Rounds; round++ {
		fix := fixes(withRoots(results, failing))
		if fix == "" || fix == prev {
			break // nothing (new) to run: a learner would be stuck here
		}
		prev = fix
		out, code := p.runFix(ctx, fix)
		results, _, err = p.judge(ctx, blocks, m)
		if err != nil {
			p.fail(err)
			return r
		}
		failing, ok = okAll(results, blocks, judged)
		r.Rounds = append(r.Rounds, Round{Fix: fix, Output: out, ExitCode: code, After: failing})
		if ok {
			r.Outcome = Repaired
			break
		}
	}
	p.restore(ctx, r, undo, fp0)
	return r
}

// withRoots adds, in report order, the results that failing ones name as
// their root cause when those carry the fix themselves: a warning (a NAT
// gateway in another AZ) can hold the fix that repairs a failure, and the
// learner sees it printed under the warning.
func withRoots(results []checks.Result, failing []CheckResult) []CheckResult {
	roots := map[string]bool{}
	have := map[string]bool{}
	for _, c := range failing {
		have[c.Check] = true
		if c.RootCause != "" {
			roots[c.RootCause] = true
		}
	}
	var out []CheckResult
	for _, r := range results {
		if roots[r.Check] && !have[r.Check] && r.Fix != "" {
			out = append(out, toCheck(r))
		}
	}
	return append(out, failing...)
}

// fixes are the printed fixes of the failing results, in report order,
// each once (a learner does not paste the same command twice), without
// those whose root cause another result fixes.
func fixes(failing []CheckResult) string {
	var out []string
	seen := map[string]bool{}
	for _, c := range failing {
		f := strings.TrimSpace(c.Fix)
		if f == "" || c.RootCause != "" || seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
	return strings.Join(out, "\n")
}

// runFix runs the commands as printed, in a fresh bash (no variables from
// the lab's session), against the sandbox only.
func (p *pass) runFix(ctx context.Context, fix string) (string, int) {
	start := time.Now()
	defer func() { p.rep.FixTime += time.Since(start) }()
	for _, bad := range []string{"--endpoint-url", "--profile"} {
		if strings.Contains(fix, bad) {
			return "not run: a printed fix must not choose its own " + bad, -1
		}
	}
	ctx, cancel := context.WithTimeout(ctx, p.o.FixTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "vpclab-fix-")
	if err != nil {
		return err.Error(), -1
	}
	defer os.RemoveAll(dir)
	// An interactive bash fed the lines is a learner's paste into a
	// terminal: a line that fails (even a syntax error, as a <PLACEHOLDER>
	// is) does not stop the next. The exit status is the number of lines
	// that failed.
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-i")
	cmd.Stdin = strings.NewReader(fix + "\nexit $((vpclab_fails > 255 ? 255 : vpclab_fails))\n")
	cmd.Dir = dir
	cmd.Env = append(p.o.Env(p.rec.URL(), p.region),
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull,
		"PS1=$ ", "PS2=> ", "HISTFILE=", "vpclab_fails=0",
		`PROMPT_COMMAND=vpclab_rc=$?; [ "$vpclab_rc" -eq 0 ] || vpclab_fails=$((vpclab_fails+1))`)
	procgroup.Set(cmd, 0)
	cmd.Cancel = func() error { procgroup.Kill(cmd); return nil }
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		code = -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
	}
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		// bash -i without a terminal says so; not the fix's output.
		if strings.HasPrefix(l, "bash: cannot set terminal process group") || l == "bash: no job control in this shell" ||
			strings.HasPrefix(l, "$ exit $((vpclab_fails") || l == "exit" {
			continue
		}
		keep = append(keep, l)
	}
	s := strings.TrimSpace(strings.Join(keep, "\n"))
	if len(s) > 4000 {
		s = s[:4000] + "…"
	}
	return s, code
}

// restore brings the sandbox back to the state after the step (fp0):
// nothing to do when the fix restored it exactly, else the mutant's own
// inverse when it has one, else reset and replay of the lab's writes.
func (p *pass) restore(ctx context.Context, r *MutantResult, undo func(context.Context) error, fp0 string) {
	start := time.Now()
	defer func() { p.rep.RestoreTime += time.Since(start) }()
	same := func() bool {
		snap, err := load(ctx, p.cfg, p.need)
		return err == nil && fingerprint(snap) == fp0
	}
	if same() {
		r.Restore = "none"
		return
	}
	if undo != nil {
		_ = undo(ctx) // may fail when a fix already undid part of it
		if same() {
			r.Restore = "undo"
			p.rep.Undos++
			return
		}
	}
	r.Restore = "replay"
	p.rep.Replays++
	if err := p.replay(ctx); err != nil {
		p.fail(fmt.Errorf("restore after %s: %w", r.ID, err))
		return
	}
	if !same() {
		p.fail(fmt.Errorf("restore after %s: the replayed sandbox differs from the lab's state (a write moto does not replay deterministically)", r.ID))
	}
}

func (p *pass) replay(ctx context.Context) error {
	if err := p.reset(ctx); err != nil {
		return err
	}
	for i := range p.rec.segments {
		if err := p.rec.seed(ctx, i); err != nil {
			return err
		}
		if err := p.rec.replay(ctx, i); err != nil {
			return err
		}
	}
	return nil
}
