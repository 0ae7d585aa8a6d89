package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/doctest"
	"github.com/vpclab/vpclab/internal/mutate"
)

// runMutate is vpclab test --mutate: each lab is built in the sandbox as
// vpclab test does, and after each step the learner mistakes of
// internal/mutate are made, judged and repaired with the printed fixes.
// The mutation pass runs the blocks in bash (mutants are about checks, not
// shells); each other shell of shells gets one plain pass per lab after it,
// so make test still proves the labs in zsh. Under --shard, every lab is
// built for its mutants, and the other shells' passes are run for plain,
// the shard's share of labs.
func runMutate(env *Env, labs, plainLabs []*content.Lab, format string, threshold float64, workers []mutate.Options, shells []string) int {
	start := time.Now()
	text := format == "text"
	reps := make([]*mutate.LabReport, len(labs))
	var others []string
	for _, sh := range shells {
		if sh != doctest.Bash {
			others = append(others, sh)
		}
	}
	plain := make([][]doctest.LabResult, len(labs))
	var mu sync.Mutex // one lab's text at a time on stdout
	jobs := make(chan int)
	var wg sync.WaitGroup
	for _, o := range workers {
		wg.Add(1)
		go func(o mutate.Options) {
			defer wg.Done()
			for i := range jobs {
				lab := labs[i]
				// With one worker the progress streams; with more, each
				// lab's text is printed whole when it ends.
				var buf bytes.Buffer
				var w io.Writer = &buf
				if len(workers) == 1 {
					w = env.Stdout
				}
				if text {
					o.Step = func(lab string, r doctest.StepResult) { writeStep(env, w, r) }
					o.Mutant = func(lab, step string, n, total int, r *mutate.MutantResult) {
						fmt.Fprintf(w, "      [%d/%d] %s %s (%s)\n", n, total, r.ID, outcomeText(env, r), r.Elapsed.Round(10*time.Millisecond))
					}
					fmt.Fprintf(w, "%s\n", env.Loc.T("TestLabHeader", i18n.M{"Lab": lab.ID, "Steps": len(lab.Page(i18n.EN).Steps)}))
				}
				rep := mutate.RunLab(env.Ctx, lab, o)
				if text {
					writeMutateLab(env, w, rep)
				}
				var extra []doctest.LabResult
				for _, sh := range others {
					if !slices.Contains(plainLabs, lab) {
						break
					}
					if env.Ctx.Err() != nil {
						break
					}
					r := runPlain(env, lab, o, sh, w, text)
					extra = append(extra, r)
				}
				mu.Lock()
				reps[i] = rep
				plain[i] = extra
				if len(workers) > 1 {
					_, _ = env.Stdout.Write(buf.Bytes())
				}
				mu.Unlock()
			}
		}(o)
	}
	for i := range labs {
		if env.Ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	failed := false
	var plainDone []doctest.LabResult
	for _, rs := range plain {
		for _, r := range rs {
			plainDone = append(plainDone, r)
			if !r.OK() {
				failed = true
			}
		}
	}
	done := reps[:0]
	for _, r := range reps {
		if r == nil {
			continue // interrupted before it started
		}
		done = append(done, r)
		if r.Err != nil || !r.Doctest.OK() {
			failed = true
		}
	}
	reps = done
	var total, binding mutate.Counts
	for _, r := range reps {
		c, b := r.Counts()
		total, binding = total.Plus(c), binding.Plus(b)
	}
	below := total.KillRate()*100 < threshold || total.RepairRate()*100 < threshold
	switch format {
	case "json":
		writeMutateJSON(env, env.Stdout, reps, plainDone, total, binding, threshold, !(failed || below), time.Since(start))
	case "junit":
		writeMutateJUnit(env, env.Stdout, reps, plainDone)
	default:
		writeSurvivors(env, env.Stdout, reps)
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("MutateTotal", mutateData(total, binding, time.Since(start))))
	if below {
		fmt.Fprintln(env.Stderr, env.Loc.T("MutateBelowThreshold", i18n.M{"Threshold": threshold}))
	}
	if failed || below {
		return ExitFail
	}
	return ExitOK
}

// runPlain is one plain vpclab test pass of lab in shell sh on the
// worker's sandbox.
func runPlain(env *Env, lab *content.Lab, o mutate.Options, sh string, w io.Writer, text bool) doctest.LabResult {
	opts := doctest.Options{Shell: sh, Reset: o.Reset, Config: o.Config,
		Env: func(region string) []string { return o.Env(o.Endpoint, region) }}
	if text {
		opts.Step = func(lab string, r doctest.StepResult) { writeStep(env, w, r) }
		name := doctest.LabResult{Lab: lab.ID, Shell: sh}.Name()
		fmt.Fprintf(w, "%s\n", env.Loc.T("TestLabHeader", i18n.M{"Lab": name, "Steps": len(lab.Page(i18n.EN).Steps)}))
	}
	r := doctest.RunLab(env.Ctx, lab, opts)
	if text {
		writeLabSummary(env, w, r)
	}
	return r
}

func mutateData(c, b mutate.Counts, elapsed time.Duration) i18n.M {
	return i18n.M{"Mutants": c.Mutants, "Killed": c.Killed, "Repaired": c.Repaired, "Equivalent": c.Equivalent,
		"KillRate": fmt.Sprintf("%.1f", c.KillRate()*100), "RepairRate": fmt.Sprintf("%.1f", c.RepairRate()*100),
		"Binding": b.Mutants, "BindingKilled": b.Killed, "NotApplied": c.NotApplied + b.NotApplied,
		"Elapsed": elapsed.Round(100 * time.Millisecond)}
}

func outcomeText(env *Env, r *mutate.MutantResult) string {
	switch r.Outcome {
	case mutate.Repaired:
		return env.Loc.T("MutateRepaired")
	case mutate.Unrepaired:
		return env.Loc.T("MutateUnrepaired")
	case mutate.Survived:
		return env.Loc.T("MutateSurvived")
	case mutate.Equiv:
		return env.Loc.T("MutateEquivalent", i18n.M{"Reason": r.Reason})
	}
	return env.Loc.T("MutateNotApplied", i18n.M{"Reason": r.Reason})
}

func writeMutateLab(env *Env, w io.Writer, rep *mutate.LabReport) {
	if rep.Err != nil {
		fmt.Fprintf(w, "  %s\n", env.Loc.T("TestError", i18n.M{"Detail": rep.Err}))
	}
	if rep.Doctest.Err != nil {
		fmt.Fprintf(w, "  %s\n", env.Loc.T("TestError", i18n.M{"Detail": rep.Doctest.Err}))
	}
	c, b := rep.Counts()
	d := mutateData(c, b, rep.Elapsed)
	d["Lab"], d["Replays"], d["Undos"] = rep.Lab, rep.Replays, rep.Undos
	fmt.Fprintf(w, "%s\n\n", env.Loc.T("MutateLabSummary", d))
}

func writeSurvivors(env *Env, w io.Writer, reps []*mutate.LabReport) {
	n := 0
	for _, rep := range reps {
		for _, s := range rep.Steps {
			for _, m := range s.Mutants {
				if !m.Survivor() {
					continue
				}
				if n == 0 {
					fmt.Fprintln(w, env.Loc.T("MutateSurvivorsHeader"))
				}
				n++
				tag := ""
				if m.Binding {
					tag = " [binding]"
				}
				fmt.Fprintf(w, "\n%s/%s %s%s: %s\n    %s\n", rep.Lab, s.Step, m.ID, tag, outcomeText(env, m), m.Detail)
				for _, f := range m.Failing {
					fmt.Fprintf(w, "    %s %s %s: %s\n", f.Status, f.Check, f.Reason, env.Loc.T(f.Message.ID, f.Message.Data))
				}
				for i, rd := range m.Rounds {
					fmt.Fprintf(w, "    %s\n", env.Loc.T("MutateRound", i18n.M{"N": i + 1, "Exit": rd.ExitCode}))
					for _, l := range strings.Split(rd.Fix, "\n") {
						fmt.Fprintf(w, "      $ %s\n", l)
					}
					for _, l := range strings.Split(rd.Output, "\n") {
						if l != "" {
							fmt.Fprintf(w, "      > %s\n", l)
						}
					}
					for _, f := range rd.After {
						fmt.Fprintf(w, "      %s %s %s\n", f.Status, f.Check, f.Reason)
					}
				}
			}
		}
	}
	if n > 0 {
		fmt.Fprintln(w)
	}
}

type mutJSONCheck struct {
	Check     string `json:"check"`
	Status    string `json:"status"`
	Reason    string `json:"reason,omitempty"`
	Message   string `json:"message"`
	Fix       string `json:"fix,omitempty"`
	RootCause string `json:"root_cause,omitempty"`
}

type mutJSONRound struct {
	Fix      string         `json:"fix"`
	Output   string         `json:"output"`
	ExitCode int            `json:"failed_lines"`
	After    []mutJSONCheck `json:"failing_after"`
}

type mutJSONMutant struct {
	Step    string         `json:"step"`
	Mutant  string         `json:"mutant"`
	Kind    string         `json:"kind"`
	Area    string         `json:"area"`
	Target  string         `json:"target"`
	Detail  string         `json:"detail"`
	Binding bool           `json:"binding,omitempty"`
	Outcome string         `json:"outcome"`
	Reason  string         `json:"reason,omitempty"`
	Failing []mutJSONCheck `json:"failing"`
	Rounds  []mutJSONRound `json:"rounds"`
	Restore string         `json:"restore,omitempty"`
}

type mutJSONCounts struct {
	mutate.Counts
	KillRate   float64 `json:"kill_rate"`
	RepairRate float64 `json:"repair_rate"`
}

type mutJSONLab struct {
	Lab string `json:"lab"`
	mutJSONCounts
	Binding     mutate.Counts   `json:"binding"`
	DoctestOK   bool            `json:"doctest_ok"`
	Error       string          `json:"error,omitempty"`
	Survivors   []mutJSONMutant `json:"survivors"`
	Equivalents []mutJSONMutant `json:"equivalents"`
	NotApplied  []mutJSONMutant `json:"not_applied_mutants"`
	Replays     int             `json:"replays"`
	Undos       int             `json:"undos"`
	Recorded    int             `json:"recorded_requests"`
	RestoreMS   int64           `json:"restore_ms"`
	FixMS       int64           `json:"fix_ms"`
	ElapsedMS   int64           `json:"elapsed_ms"`
}

type mutJSON struct {
	Labs []mutJSONLab `json:"labs"`
	// Shells are the plain passes in the shells other than bash.
	Shells []testJSONLab `json:"shells"`
	Total  struct {
		mutJSONCounts
		Binding mutate.Counts `json:"binding"`
	} `json:"total"`
	Kinds     int     `json:"kinds"`
	Threshold float64 `json:"threshold"`
	OK        bool    `json:"ok"`
	ElapsedMS int64   `json:"elapsed_ms"`
}

func jsonCounts(c mutate.Counts) mutJSONCounts {
	return mutJSONCounts{Counts: c, KillRate: round1(c.KillRate() * 100), RepairRate: round1(c.RepairRate() * 100)}
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

func jsonChecks(env *Env, cs []mutate.CheckResult) []mutJSONCheck {
	out := []mutJSONCheck{}
	for _, c := range cs {
		out = append(out, mutJSONCheck{Check: c.Check, Status: string(c.Status), Reason: c.Reason,
			Message: env.Loc.T(c.Message.ID, c.Message.Data), Fix: c.Fix, RootCause: c.RootCause})
	}
	return out
}

func jsonMutant(env *Env, step string, m *mutate.MutantResult) mutJSONMutant {
	j := mutJSONMutant{Step: step, Mutant: m.ID, Kind: m.Kind, Area: m.Area, Target: m.Target, Detail: m.Detail, Binding: m.Binding,
		Outcome: string(m.Outcome), Reason: m.Reason, Failing: jsonChecks(env, m.Failing), Rounds: []mutJSONRound{}, Restore: m.Restore}
	for _, r := range m.Rounds {
		j.Rounds = append(j.Rounds, mutJSONRound{Fix: r.Fix, Output: r.Output, ExitCode: r.ExitCode, After: jsonChecks(env, r.After)})
	}
	return j
}

func writeMutateJSON(env *Env, w io.Writer, reps []*mutate.LabReport, plain []doctest.LabResult, total, binding mutate.Counts, threshold float64, ok bool, elapsed time.Duration) {
	out := mutJSON{Labs: []mutJSONLab{}, Shells: testJSONLabs(env, plain), Kinds: len(mutate.Kinds), Threshold: threshold, OK: ok, ElapsedMS: elapsed.Milliseconds()}
	out.Total.mutJSONCounts, out.Total.Binding = jsonCounts(total), binding
	for _, rep := range reps {
		c, b := rep.Counts()
		l := mutJSONLab{Lab: rep.Lab, mutJSONCounts: jsonCounts(c), Binding: b, DoctestOK: rep.Doctest.OK(),
			Survivors: []mutJSONMutant{}, Equivalents: []mutJSONMutant{}, NotApplied: []mutJSONMutant{},
			Replays: rep.Replays, Undos: rep.Undos, Recorded: rep.Recorded, RestoreMS: rep.RestoreTime.Milliseconds(), FixMS: rep.FixTime.Milliseconds(), ElapsedMS: rep.Elapsed.Milliseconds()}
		if rep.Err != nil {
			l.Error = rep.Err.Error()
		} else if rep.Doctest.Err != nil {
			l.Error = rep.Doctest.Err.Error()
		}
		for _, s := range rep.Steps {
			for _, m := range s.Mutants {
				switch {
				case m.Survivor():
					l.Survivors = append(l.Survivors, jsonMutant(env, s.Step, m))
				case m.Outcome == mutate.Equiv:
					l.Equivalents = append(l.Equivalents, jsonMutant(env, s.Step, m))
				case m.Outcome == mutate.NotApplied:
					l.NotApplied = append(l.NotApplied, jsonMutant(env, s.Step, m))
				}
			}
		}
		out.Labs = append(out.Labs, l)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

func writeMutateJUnit(env *Env, w io.Writer, reps []*mutate.LabReport, plain []doctest.LabResult) {
	suites := testJUnitSuites(env, plain)
	for _, rep := range reps {
		s := junitSuite{Name: rep.Lab + " (mutations)", Time: fmt.Sprintf("%.3f", rep.Elapsed.Seconds())}
		for _, st := range rep.Steps {
			for _, m := range st.Mutants {
				c := junitCase{Class: rep.Lab + "." + st.Step, Name: m.ID}
				switch {
				case m.Survivor():
					var body strings.Builder
					fmt.Fprintln(&body, m.Detail)
					for _, f := range m.Failing {
						fmt.Fprintf(&body, "%s %s %s\n", f.Status, f.Check, f.Reason)
					}
					for _, r := range m.Rounds {
						fmt.Fprintf(&body, "$ %s\n%s\n", r.Fix, r.Output)
					}
					c.Failure = &junitMessage{Message: outcomeText(env, m), Type: string(m.Outcome), Body: body.String()}
					s.Failures++
				case m.Outcome == mutate.Equiv || m.Outcome == mutate.NotApplied:
					c.Skipped = &junitMessage{Message: outcomeText(env, m)}
					s.Skipped++
				}
				s.Tests++
				s.Cases = append(s.Cases, c)
			}
		}
		if err := rep.Err; err != nil || rep.Doctest.Err != nil || !rep.Doctest.OK() {
			msg := "the lab did not build"
			if err != nil {
				msg = err.Error()
			} else if rep.Doctest.Err != nil {
				msg = rep.Doctest.Err.Error()
			}
			s.Errors++
			s.Tests++
			s.Cases = append(s.Cases, junitCase{Class: rep.Lab, Name: "setup", Error: &junitMessage{Message: msg}})
		}
		suites.Suites = append(suites.Suites, s)
	}
	fmt.Fprint(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(suites)
	fmt.Fprintln(w)
}
