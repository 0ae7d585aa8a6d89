// Package doctest proves that a lab still works, the way docs CI needs:
// for each step, its checks must fail before the step's commands run and
// pass after, in a fresh account, with the commands run from the page in
// one shell session. A check that already passes before its step is a
// defect (it would tell a learner "done" for work never done).
package doctest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/checkrun"
)

// Options configure a run.
type Options struct {
	// Config returns an AWS config for the sandbox in region; its calls go
	// through the read-only guard like a learner's.
	Config func(region string) aws.Config
	// Env returns the shell environment for the lab's commands in region.
	Env func(region string) []string
	// Reset gives the lab a fresh account; nil keeps the state.
	Reset func(ctx context.Context) error
	// Shell runs the blocks: Bash (the default) or Zsh.
	Shell string
	// BlockTimeout bounds one code block (default 3 minutes).
	BlockTimeout time.Duration
	// Step is told about each finished step, for live output.
	Step func(lab string, r StepResult)
	// BeforeBlocks runs after a step's "before" judgement, just before its
	// blocks run (mutation testing seeds and records the sandbox here).
	BeforeBlocks func(ctx context.Context, step *content.Step) error
	// AfterStep runs after each step that was not skipped, before the next
	// one; it may change the sandbox (mutation testing) but must leave it
	// as it found it, since later steps use the shell's variables.
	AfterStep func(ctx context.Context, step *content.Step, r *StepResult)
	// SameReads also proves, after every step that ran, that each check
	// of the lab is judged alike on the least its kind reads and on a read
	// of everything (see sameReads); a difference fails the step.
	SameReads bool
}

// Status of a step.
type Status string

const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
)

// Problem is one deviation from "fails before, passes after".
type Problem struct {
	Kind    string      // passed-before, failed-after, reads-differ, broken-by-step, broken-by-cleanup, command-failed, timeout, interrupted, shell-exited, error
	Check   string      // the check id, for check problems
	Pos     content.Pos // the check block or the failing command's line
	Message i18n.Msg    // the check's own message, for check problems
	Detail  string      // command output or reason code
}

// StepResult is what happened in one step.
type StepResult struct {
	Step   string
	Title  string
	Status Status
	Reason string // why a step was skipped (its sandbox attribute)
	Checks int
	Blocks int
	// NotRun are the blocks marked sandbox="reason": shown to learners,
	// not run here; their reasons, so the report says what was left out.
	NotRun   []string
	Problems []Problem
	Elapsed  time.Duration
}

// LabResult is a whole lab's run.
type LabResult struct {
	Lab     string
	Shell   string // the shell the blocks ran in
	Steps   []StepResult
	Elapsed time.Duration
	Err     error // the run could not happen (the shell missing, sandbox reset failed)
	// Interrupted: the run was cancelled (Ctrl-C) before the lab finished;
	// its last step, or Err, is that and not a deviation.
	Interrupted bool
}

// Interrupted reports whether a step was cut short by a cancelled run.
func (s StepResult) Interrupted() bool {
	return s.Status == Failed && len(s.Problems) == 1 && s.Problems[0].Kind == "interrupted"
}

// Name is the lab as reports show it: bash runs keep the lab's id, others
// carry their shell ("first-vpc [zsh]").
func (r LabResult) Name() string {
	if r.Shell == "" || r.Shell == Bash {
		return r.Lab
	}
	return r.Lab + " [" + r.Shell + "]"
}

// OK reports whether the lab passed.
func (r LabResult) OK() bool {
	if r.Err != nil {
		return false
	}
	for _, s := range r.Steps {
		if s.Status == Failed {
			return false
		}
	}
	return true
}

// RunLab tests one lab.
func RunLab(ctx context.Context, lab *content.Lab, o Options) LabResult {
	start := time.Now()
	res := LabResult{Lab: lab.ID, Shell: o.Shell}
	if res.Shell == "" {
		res.Shell = Bash
	}
	page := lab.Page(i18n.EN) // the commands are the same in both languages (lint)
	region := page.Meta.Region
	if o.Reset != nil {
		if err := o.Reset(ctx); err != nil {
			res.Err = fmt.Errorf("reset the sandbox: %w", err)
			res.Interrupted = ctx.Err() != nil
			return res
		}
	}
	sh, err := startShell(ctx, res.Shell, o.Env(region))
	if err != nil {
		res.Err = err
		res.Interrupted = ctx.Err() != nil
		return res
	}
	defer sh.close()
	cfg := o.Config(region)
	load := func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		return account.Load(ctx, cfg, need)
	}
	timeout := o.BlockTimeout
	if timeout == 0 {
		timeout = 3 * time.Minute
	}
	ran := map[string]bool{} // steps whose blocks ran
	for _, step := range page.Steps {
		var midCleanup func(context.Context) []Problem
		if step.Role == content.RoleCleanup {
			seen := map[string]bool{}
			midCleanup = func(ctx context.Context) []Problem { return brokenByCleanup(ctx, lab, ran, seen, load) }
		}
		reads := &lastReads{}
		sr := runStep(ctx, lab, step, sh, load, reads.record(load), timeout, o.BeforeBlocks, midCleanup)
		if sr.Status == Passed && step.Role != content.RoleCleanup && ctx.Err() == nil && !sh.dead {
			// A learner checks the whole lab after each step: a step
			// that breaks a finished one reads to them as "step 1 was
			// done and fails now", however well its own checks pass.
			// Nothing has run since the step's own checks were judged:
			// the whole lab is judged on what they read.
			if ps := brokenByStep(ctx, lab, step, ran, reads.replay(load)); len(ps) > 0 {
				sr.Problems = append(sr.Problems, ps...)
				sr.Status = Failed
			}
		}
		if sr.Status == Passed {
			ran[step.ID] = true // a failed step's checks are reported there already
		}
		if o.SameReads && sr.Status != Skipped && ctx.Err() == nil {
			if ps := sameReads(ctx, lab, load); len(ps) > 0 {
				for i := range ps {
					if ps[i].Pos.File == "" {
						ps[i].Pos = step.Pos
					}
				}
				sr.Problems = append(sr.Problems, ps...)
				sr.Status = Failed
			}
		}
		if o.Step != nil {
			o.Step(lab.ID, sr)
		}
		if o.AfterStep != nil && sr.Status != Skipped {
			o.AfterStep(ctx, step, &sr)
		}
		res.Steps = append(res.Steps, sr)
		if ctx.Err() != nil || sh.dead {
			// Later steps need this session's variables: with the shell
			// gone they could only fail, each hiding this step's cause.
			break
		}
	}
	res.Elapsed = time.Since(start)
	res.Interrupted = ctx.Err() != nil
	return res
}

// lastReads keeps what one judging of the lab read, by need, to be read
// again instead of asking the sandbox when nothing can have changed.
type lastReads struct {
	mu    sync.Mutex
	snaps map[string]*account.Snapshot
}

func readKey(n account.Need) string { return fmt.Sprint(needKey(n), n.NoIdentity) }

func (l *lastReads) record(load checkrun.Loader) checkrun.Loader {
	return func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		snap, err := load(ctx, need)
		if err == nil {
			l.mu.Lock()
			if l.snaps == nil {
				l.snaps = map[string]*account.Snapshot{}
			}
			l.snaps[readKey(need)] = snap.Clone()
			l.mu.Unlock()
		}
		return snap, err
	}
}

func (l *lastReads) replay(load checkrun.Loader) checkrun.Loader {
	return func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		l.mu.Lock()
		snap, ok := l.snaps[readKey(need)]
		l.mu.Unlock()
		if ok {
			return snap.Clone(), nil
		}
		return load(ctx, need)
	}
}

// runStep runs one step: its checks must fail before its blocks and pass
// after. afterLoad reads the account for the judging after the blocks.
func runStep(ctx context.Context, lab *content.Lab, step *content.Step, sh *shell, load, afterLoad checkrun.Loader, timeout time.Duration,
	beforeBlocks func(context.Context, *content.Step) error, afterBlock func(context.Context) []Problem) (sr StepResult) {
	start := time.Now()
	sr = StepResult{Step: step.ID, Title: step.Title, Checks: len(step.Checks), Status: Passed}
	defer func() {
		sr.Elapsed = time.Since(start)
		// What failed because the run was cancelled (a check's read, a
		// command killed) says nothing about the lab: the step was
		// interrupted, which reports must not show as a deviation.
		if sr.Status == Failed && ctx.Err() != nil {
			// Real findings made before it stay; those the cancellation
			// caused become one "interrupted".
			var kept []Problem
			cut := false
			for _, p := range sr.Problems {
				if p.Kind == "interrupted" || strings.Contains(p.Detail, context.Canceled.Error()) {
					cut = true
					continue
				}
				kept = append(kept, p)
			}
			if cut || len(kept) == 0 {
				kept = append(kept, Problem{Kind: "interrupted", Pos: step.Pos})
			}
			sr.Problems = kept
		}
	}()
	if reason, ok := step.Attrs["sandbox"]; ok {
		sr.Status, sr.Reason = Skipped, reason
		return sr
	}
	judge := func(load checkrun.Loader) ([]checks.Result, error) {
		if len(step.Checks) == 0 {
			return nil, nil
		}
		rep, err := checkrun.Run(ctx, checkrun.Options{Lab: lab, Step: step.ID, Load: load})
		return rep.Results, err
	}

	before, err := judge(load)
	if err != nil {
		sr.Status = Failed
		sr.Problems = append(sr.Problems, Problem{Kind: "error", Pos: step.Pos, Detail: err.Error()})
		return sr
	}
	for _, r := range before {
		// Skipped means a check it needs is not passing: not passing either.
		if r.Status != checks.Fail && r.Status != checks.Skipped {
			sr.Problems = append(sr.Problems, Problem{Kind: "passed-before", Check: r.Check, Pos: r.Block.Pos, Message: r.Message, Detail: string(r.Status)})
		}
	}

	if beforeBlocks != nil {
		if err := beforeBlocks(ctx, step); err != nil {
			sr.Status = Failed
			sr.Problems = append(sr.Problems, Problem{Kind: "error", Pos: step.Pos, Detail: err.Error()})
			return sr
		}
	}
	for _, b := range append(append([]*content.CodeBlock{}, step.Solution...), step.Cleanup...) {
		if reason, skip := b.Attrs["sandbox"]; skip {
			sr.NotRun = append(sr.NotRun, reason)
			continue
		}
		sr.Blocks++
		out := sh.run(ctx, b.Code, timeout)
		before := len(sr.Problems)
		switch {
		case out.interrupted:
			sr.Problems = append(sr.Problems, Problem{Kind: "interrupted", Pos: b.Pos})
		case out.timedOut:
			sr.Problems = append(sr.Problems, Problem{Kind: "timeout", Pos: b.Pos, Detail: tail(out.output)})
		case out.died:
			sr.Problems = append(sr.Problems, Problem{Kind: "shell-exited", Pos: b.Pos, Detail: tail(out.output)})
		case out.failed:
			pos := b.Pos
			if out.failLine > 0 && out.failLine <= len(b.Lines) {
				pos = b.Lines[out.failLine-1]
			}
			sr.Problems = append(sr.Problems, Problem{Kind: "command-failed", Pos: pos,
				Detail: fmt.Sprintf("exit %d: %s", out.status, tail(out.output))})
		}
		if len(sr.Problems) > before { // this block failed
			sr.Status = Failed
			return sr // later blocks depend on this one
		}
		if afterBlock != nil {
			sr.Problems = append(sr.Problems, afterBlock(ctx)...)
		}
	}

	after, err := judge(afterLoad)
	if err != nil {
		sr.Problems = append(sr.Problems, Problem{Kind: "error", Pos: step.Pos, Detail: err.Error()})
	}
	for _, r := range after {
		if !r.OK() {
			sr.Problems = append(sr.Problems, Problem{Kind: "failed-after", Check: r.Check, Pos: r.Block.Pos, Message: r.Message, Detail: r.Reason})
		}
	}
	if len(sr.Problems) > 0 {
		sr.Status = Failed
	}
	return sr
}

// brokenByCleanup proves checks.Teardown against the lab's own clean-up,
// one block at a time: every check of a step that ran and fails part way
// through the clean-up must fail for a reason taking the lab apart can
// cause, beside something the block deleted (checks.Deletion). Any other
// would tell a learner who is cleaning up, as the lab says to, that a step
// they finished is broken (internal/journey).
func brokenByCleanup(ctx context.Context, lab *content.Lab, ran map[string]bool, seen map[string]bool, load checkrun.Loader) []Problem {
	rep, err := checkrun.Run(ctx, checkrun.Options{Lab: lab, Load: load})
	if err != nil {
		return []Problem{{Kind: "error", Detail: err.Error()}}
	}
	// A failure a deletion causes (a route missing) reads as clean-up
	// only beside a deletion (checks.Deletion): each block must leave one.
	deleting := false
	for _, r := range rep.Results {
		// The step's own checks, as internal/journey reads them (not the
		// findings about names).
		if step := lab.Page(i18n.EN).StepByID(r.Step); step != nil && step.Role != content.RoleCleanup && ran[r.Step] &&
			r.Status == checks.Fail && checks.Deletion(r.Reason) && !strings.HasPrefix(r.Check, "binding:") {
			deleting = true
		}
	}
	var ps []Problem
	for _, r := range rep.Results {
		step := lab.Page(i18n.EN).StepByID(r.Step)
		if step == nil || step.Role == content.RoleCleanup || !ran[r.Step] || r.Status != checks.Fail || checks.Teardown(r.Reason) && deleting || seen[r.Check] {
			continue
		}
		seen[r.Check] = true // once, at the block that broke it
		ps = append(ps, Problem{Kind: "broken-by-cleanup", Check: r.Check, Pos: r.Block.Pos, Message: r.Message, Detail: r.Reason})
	}
	return ps
}

// brokenByStep is every check of an earlier step that ran (not of the
// clean-up) that fails once step's commands have run: the lab itself
// undoes what it had a learner build.
func brokenByStep(ctx context.Context, lab *content.Lab, step *content.Step, ran map[string]bool, load checkrun.Loader) []Problem {
	if len(ran) == 0 {
		return nil
	}
	var done []string
	for id := range ran {
		done = append(done, id)
	}
	rep, err := checkrun.Run(ctx, checkrun.Options{Lab: lab, Steps: done, Load: load})
	if err != nil {
		return []Problem{{Kind: "error", Pos: step.Pos, Detail: err.Error()}}
	}
	var ps []Problem
	for _, r := range rep.Results {
		if r.Step == step.ID || !ran[r.Step] || r.Status != checks.Fail || strings.HasPrefix(r.Check, "binding:") {
			continue
		}
		ps = append(ps, Problem{Kind: "broken-by-step", Check: r.Check, Pos: r.Block.Pos, Message: r.Message, Detail: r.Step})
	}
	return ps
}

// tail is the end of a command's output: where the error is.
func tail(lines []string) string {
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
