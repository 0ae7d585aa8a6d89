package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awscli"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/doctest"
	"github.com/vpclab/vpclab/internal/mutate"
	"github.com/vpclab/vpclab/internal/sandbox"
)

func init() { register(&command{name: "test", run: runTest}) }

func runTest(env *Env, fs *flag.FlagSet, args []string) int {
	endpoint := fs.String("endpoint", "", env.Loc.T("FlagTestEndpoint"))
	format := fs.String("format", "text", env.Loc.T("FlagTestFormat"))
	mutateFlag := fs.Bool("mutate", false, env.Loc.T("FlagTestMutate"))
	threshold := fs.Float64("threshold", 95, env.Loc.T("FlagTestThreshold"))
	kinds := fs.String("kind", "", env.Loc.T("FlagTestKind"))
	parallel := fs.Int("parallel", 2, env.Loc.T("FlagTestParallelAll"))
	shardFlag := fs.String("shard", "", env.Loc.T("FlagTestShard"))
	shellFlag := fs.String("shell", "", env.Loc.T("FlagTestShell"))
	plainAWS := fs.Bool("plain-aws", false, env.Loc.T("FlagTestPlainAWS"))
	dir := contentFlag(env, fs)
	if ok, code := parse(env, fs, interleave(fs, args), "test"); !ok {
		return code
	}
	// vpclab test creates and deletes resources: never against a real AWS.
	if code := requireLoopback(env, "test", *endpoint); code != ExitOK {
		return code
	}
	if *format != "text" && *format != "json" && *format != "junit" {
		return usageError(env, "test", "CLIBadFormat", i18n.M{"Format": *format, "Allowed": "text, json, junit"})
	}
	if *threshold < 0 || *threshold > 100 {
		return usageError(env, "test", "MutateBadThreshold", i18n.M{"Value": *threshold})
	}
	if *parallel < 1 || *parallel > 8 {
		return usageError(env, "test", "MutateBadParallel", i18n.M{"Value": *parallel})
	}
	part := whole
	if *shardFlag != "" {
		var err error
		if part, err = parseShard(*shardFlag); err != nil {
			return usageError(env, "test", "TestBadShard", i18n.M{"Value": *shardFlag})
		}
	}
	var only []string
	if *kinds != "" {
		for _, k := range strings.Split(*kinds, ",") {
			k = strings.TrimSpace(k)
			if !mutate.KnownKind(k) {
				return usageError(env, "test", "MutateUnknownKind", i18n.M{"Kind": k})
			}
			only = append(only, k)
		}
	}
	shells, code := chooseShells(env, *shellFlag)
	if shells == nil {
		return code
	}
	labs, err := openLabs(env, *dir)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		// A CI that reads the report gets one that says why nothing ran,
		// not an empty file it cannot parse.
		switch *format {
		case "json":
			writeJSONError(env, "content", err.Error())
		case "junit":
			writeJUnitRefused(env, err)
		}
		return ExitUsage
	}
	prefix := labSourcePrefix(env, *dir) // problems name files as lint does
	chosen, code := chooseLabs(env, labs, fs.Args(), "test")
	if chosen == nil {
		return code
	}
	// Plain runs take the shard's labs; a mutation pass builds every lab
	// (its mutants need the lab's state) and takes the shard's mutants.
	mine := part.labs(chosen)
	if part.N > 1 {
		fmt.Fprintln(env.Stderr, env.Loc.T("TestShardLabs", i18n.M{"Shard": part.String(), "Labs": len(mine), "All": len(chosen)}))
	}

	url := *endpoint
	var reset func(context.Context) error
	if url == "" {
		srv := startSandbox(env, env.Ctx, sandbox.Options{})
		if srv == nil {
			return ExitFail
		}
		defer srv.Stop()
		url, reset = srv.URL(), srv.Reset
	} else {
		reset = func(ctx context.Context) error { return sandbox.ResetAt(ctx, url) }
	}

	// The labs' blocks and the printed fixes run thousands of AWS CLI
	// commands; one warm CLI forked per command makes each start cheap.
	var warm *awscli.Warm
	if !*plainAWS {
		w, err := awscli.Start(env.Ctx, os.Getenv("PATH"), sandboxOnly(env))
		if err != nil {
			fmt.Fprintln(env.Stderr, env.Loc.T("TestPlainAWS", i18n.M{"Why": err.Error()}))
		} else {
			warm = w
			defer w.Close()
		}
	}
	sandboxEnv := func(endpoint, region string) []string {
		// No config or credentials file: a profile or keys from this
		// machine are never within a lab command's reach.
		return warm.Env(append(testEnviron(), append(sandbox.Env(endpoint, region), "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true",
			"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)...))
	}
	configFor := func(url string) func(region string) aws.Config {
		return func(region string) aws.Config {
			cfg := aws.Config{Region: region, BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
				Credentials: credentials.NewStaticCredentialsProvider(sandbox.DummyCredential, sandbox.DummyCredential, "")}
			awsx.Protect(&cfg, nil)
			return cfg
		}
	}
	opts := doctest.Options{
		Reset:  reset,
		Env:    func(region string) []string { return sandboxEnv(url, region) },
		Config: configFor(url),
	}
	if *mutateFlag {
		// One sandbox per worker: a reset is global to a moto server.
		onlyMine := part.mutant
		workers := []mutate.Options{{Endpoint: url, Config: configFor(url), Env: sandboxEnv, Reset: reset, Kinds: only, Only: onlyMine}}
		for i := 1; *endpoint == "" && i < *parallel && i < len(chosen); i++ {
			srv := startSandbox(env, env.Ctx, sandbox.Options{})
			if srv == nil {
				return ExitFail
			}
			defer srv.Stop()
			workers = append(workers, mutate.Options{Endpoint: srv.URL(), Config: configFor(srv.URL()), Env: sandboxEnv, Reset: srv.Reset, Kinds: only, Only: onlyMine})
		}
		return runMutate(env, chosen, mine, *format, *threshold, workers, shells)
	}
	// One sandbox per worker: a reset is global to a moto server, so labs
	// run at once only on sandboxes of their own.
	workers := []doctest.Options{opts}
	for i := 1; *endpoint == "" && i < *parallel && i < len(mine); i++ {
		srv := startSandbox(env, env.Ctx, sandbox.Options{})
		if srv == nil {
			return ExitFail
		}
		defer srv.Stop()
		u := srv.URL()
		workers = append(workers, doctest.Options{Reset: srv.Reset, Config: configFor(u),
			Env: func(region string) []string { return sandboxEnv(u, region) }})
	}
	results, tested, failed := runPlainLabs(env, mine, shells, workers, *format == "text", prefix)
	switch *format {
	case "json":
		writeTestJSON(env, env.Stdout, results)
	case "junit":
		writeTestJUnit(env, env.Stdout, results)
	}
	if env.Ctx.Err() != nil {
		return ExitFail // no summary, no verdict: Run exits 130 and says so
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("TestSummary", i18n.M{"Labs": tested, "Failed": failed}))
	if failed > 0 {
		return ExitFail
	}
	return ExitOK
}

// runPlainLabs runs each lab in each shell, a lab at a time per worker.
// With one worker the text streams; with more, each lab's text is printed
// whole when it ends. Results keep the labs' order whatever finishes first.
// The counts are of labs, not runs: a lab with a deviation in any shell is
// one lab with deviations.
func runPlainLabs(env *Env, labs []*content.Lab, shells []string, workers []doctest.Options, text bool, prefix string) (results []doctest.LabResult, tested, failed int) {
	per := make([][]doctest.LabResult, len(labs))
	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	for _, o := range workers {
		wg.Add(1)
		go func(o doctest.Options) {
			defer wg.Done()
			for i := range jobs {
				lab := labs[i]
				var buf bytes.Buffer
				var w io.Writer = &buf
				if len(workers) == 1 {
					w = env.Stdout
				}
				if text {
					o.Step = func(lab string, r doctest.StepResult) { writeStep(env, w, shownFrom(prefix, r)) }
				}
				var rs []doctest.LabResult
				for _, sh := range shells {
					if env.Ctx.Err() != nil {
						break
					}
					o.Shell = sh
					if text {
						name := doctest.LabResult{Lab: lab.ID, Shell: sh}.Name()
						fmt.Fprintf(w, "%s\n", env.Loc.T("TestLabHeader", i18n.M{"Lab": name, "Steps": len(lab.Page(i18n.EN).Steps)}))
					}
					r := doctest.RunLab(env.Ctx, lab, o)
					for i := range r.Steps {
						r.Steps[i] = shownFrom(prefix, r.Steps[i])
					}
					rs = append(rs, r)
					if text {
						writeLabSummary(env, w, r)
					}
				}
				mu.Lock()
				per[i] = rs
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
	for _, rs := range per {
		if len(rs) == 0 {
			continue // interrupted before it started
		}
		tested++
		bad := false
		for _, r := range rs {
			results = append(results, r)
			bad = bad || !r.OK()
		}
		if bad {
			failed++
		}
	}
	return results, tested, failed
}

// chooseShells reads --shell. By default the labs run in bash and in zsh
// (macOS's shell), so a block that only works in bash fails; without zsh
// that half is left out loudly, and under CI=true not at all: CI must not
// pass by testing less.
func chooseShells(env *Env, flagValue string) ([]string, int) {
	if flagValue == "" {
		if _, err := exec.LookPath("zsh"); err != nil {
			fmt.Fprintln(env.Stderr, env.Loc.T("TestZshMissing"))
			if env.Getenv("CI") == "true" {
				return nil, ExitUsage
			}
			return []string{doctest.Bash}, ExitOK
		}
		return []string{doctest.Bash, doctest.Zsh}, ExitOK
	}
	var shells []string
	for _, sh := range strings.Split(flagValue, ",") {
		sh = strings.TrimSpace(sh)
		if sh != doctest.Bash && sh != doctest.Zsh {
			return nil, usageError(env, "test", "TestBadShell", i18n.M{"Shell": sh})
		}
		if _, err := exec.LookPath(sh); err != nil {
			fmt.Fprintln(env.Stderr, env.Loc.T("TestShellMissing", i18n.M{"Shell": sh}))
			return nil, ExitUsage
		}
		shells = append(shells, sh)
	}
	return shells, ExitOK
}

// sandboxOnly is the warm AWS CLI for shells that run a lab's own
// commands: it refuses what could reach past the sandbox.
func sandboxOnly(env *Env) awscli.Options {
	return awscli.Options{SandboxOnly: true, Refusal: env.Loc.T("TestAWSRefused")}
}

// testEnviron is the process environment without AWS settings, so the
// lab's commands can only ever reach the sandbox.
func testEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			out = append(out, kv)
		}
	}
	return out
}

// shownFrom names r's files as vpclab lint does, from where the command
// was run (the content folder given, not the labs inside it).
func shownFrom(prefix string, r doctest.StepResult) doctest.StepResult {
	if prefix == "" || len(r.Problems) == 0 {
		return r
	}
	r.Problems = slices.Clone(r.Problems)
	for i := range r.Problems {
		if f := r.Problems[i].Pos.File; f != "" {
			r.Problems[i].Pos.File = prefix + f
		}
	}
	return r
}

func writeStep(env *Env, w io.Writer, r doctest.StepResult) {
	loc := env.Loc
	mark := map[doctest.Status]string{doctest.Passed: "✓", doctest.Failed: "✗", doctest.Skipped: "-"}[r.Status]
	var what string
	switch {
	case r.Status == doctest.Skipped:
		what = loc.T("TestStepSkipped", i18n.M{"Reason": r.Reason})
	case r.Checks == 0 && r.Blocks == 0:
		what = loc.T("TestStepNothing")
	case r.Status == doctest.Failed:
		what = loc.T("TestStepFailed", i18n.M{"Checks": r.Checks, "Blocks": r.Blocks})
	case r.Checks == 0:
		what = loc.T("TestStepRan", i18n.M{"Blocks": r.Blocks})
	default:
		what = loc.T("TestStepProved", i18n.M{"Checks": r.Checks, "Blocks": r.Blocks})
	}
	fmt.Fprintf(w, "  %s %-24s %s (%s)\n", mark, r.Step, what, r.Elapsed.Round(10*time.Millisecond))
	for _, reason := range r.NotRun {
		fmt.Fprintf(w, "      %s\n", loc.T("TestBlockNotRun", i18n.M{"Reason": reason}))
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "      %s: %s\n", p.Pos, problemText(loc, p))
		if p.Detail != "" && p.Kind != "passed-before" && p.Kind != "failed-after" && p.Kind != "broken-by-cleanup" && p.Kind != "broken-by-step" {
			for _, line := range strings.Split(p.Detail, "\n") {
				fmt.Fprintf(w, "        %s\n", line)
			}
		}
	}
}

func problemText(loc *i18n.Localizer, p doctest.Problem) string {
	msg := ""
	if p.Message.ID != "" {
		msg = loc.T(p.Message.ID, p.Message.Data)
	}
	switch p.Kind {
	case "passed-before":
		return loc.T("TestPassedBefore", i18n.M{"Check": p.Check, "Message": msg})
	case "failed-after":
		return loc.T("TestFailedAfter", i18n.M{"Check": p.Check, "Message": msg})
	case "reads-differ":
		return loc.T("TestReadsDiffer", i18n.M{"Check": p.Check})
	case "broken-by-cleanup":
		return loc.T("TestBrokenByCleanup", i18n.M{"Check": p.Check, "Reason": p.Detail, "Message": msg})
	case "broken-by-step":
		return loc.T("TestBrokenByStep", i18n.M{"Check": p.Check, "Step": p.Detail, "Message": msg})
	case "command-failed":
		return loc.T("TestCommandFailed")
	case "timeout":
		return loc.T("TestTimeout")
	case "interrupted":
		return loc.T("TestInterruptedBlock")
	case "shell-exited":
		return loc.T("TestShellExited")
	}
	return loc.T("TestError", i18n.M{"Detail": p.Detail})
}

func writeLabSummary(env *Env, w io.Writer, r doctest.LabResult) {
	if r.Err != nil {
		fmt.Fprintf(w, "  %s\n", env.Loc.T("TestError", i18n.M{"Detail": r.Err}))
	}
	var passed, failed, skipped int
	for _, s := range r.Steps {
		switch s.Status {
		case doctest.Passed:
			passed++
		case doctest.Failed:
			failed++
		default:
			skipped++
		}
	}
	fmt.Fprintf(w, "%s\n\n", env.Loc.N("TestLabSummary", passed, i18n.M{"Lab": r.Name(), "Passed": passed, "Failed": failed, "Skipped": skipped,
		"Elapsed": r.Elapsed.Round(100 * time.Millisecond)}))
}

type testJSONProblem struct {
	Kind    string `json:"kind"`
	Check   string `json:"check,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
}

type testJSONStep struct {
	Step      string            `json:"step"`
	Status    string            `json:"status"`
	Reason    string            `json:"reason,omitempty"`
	Checks    int               `json:"checks"`
	Blocks    int               `json:"blocks"`
	NotRun    []string          `json:"not_run,omitempty"`
	Problems  []testJSONProblem `json:"problems"`
	ElapsedMS int64             `json:"elapsed_ms"`
}

type testJSONLab struct {
	Lab       string         `json:"lab"`
	Shell     string         `json:"shell"`
	OK        bool           `json:"ok"`
	Error     string         `json:"error,omitempty"`
	Steps     []testJSONStep `json:"steps"`
	ElapsedMS int64          `json:"elapsed_ms"`
}

func writeTestJSON(env *Env, w io.Writer, results []doctest.LabResult) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(testJSONLabs(env, results))
}

func testJSONLabs(env *Env, results []doctest.LabResult) []testJSONLab {
	out := []testJSONLab{}
	for _, r := range results {
		l := testJSONLab{Lab: r.Lab, Shell: r.Shell, OK: r.OK(), Steps: []testJSONStep{}, ElapsedMS: r.Elapsed.Milliseconds()}
		if r.Err != nil {
			l.Error = r.Err.Error()
		}
		for _, s := range r.Steps {
			js := testJSONStep{Step: s.Step, Status: string(s.Status), Reason: s.Reason, Checks: s.Checks, Blocks: s.Blocks, NotRun: s.NotRun,
				Problems: []testJSONProblem{}, ElapsedMS: s.Elapsed.Milliseconds()}
			for _, p := range s.Problems {
				js.Problems = append(js.Problems, testJSONProblem{Kind: p.Kind, Check: p.Check, File: p.Pos.File, Line: p.Pos.Line, Col: p.Pos.Col,
					Message: problemText(env.Loc, p), Detail: p.Detail})
			}
			l.Steps = append(l.Steps, js)
		}
		out = append(out, l)
	}
	return out
}

// writeJUnitRefused is the JUnit report of labs refused before anything
// ran: one errored case, vpclab lint's findings as its text.
func writeJUnitRefused(env *Env, err error) {
	msg := env.Loc.T("TestJUnitRefused")
	suite := junitSuite{Name: "vpclab", Tests: 1, Errors: 1, Time: "0.000",
		Cases: []junitCase{{Class: "vpclab", Name: "lint", Error: &junitMessage{Message: msg, Type: "content", Body: err.Error()}}}}
	fmt.Fprint(env.Stdout, xml.Header)
	enc := xml.NewEncoder(env.Stdout)
	enc.Indent("", "  ")
	_ = enc.Encode(junitSuites{Suites: []junitSuite{suite}})
	fmt.Fprintln(env.Stdout)
}

func writeTestJUnit(env *Env, w io.Writer, results []doctest.LabResult) {
	fmt.Fprint(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(testJUnitSuites(env, results))
	fmt.Fprintln(w)
}

func testJUnitSuites(env *Env, results []doctest.LabResult) junitSuites {
	var suites junitSuites
	for _, r := range results {
		s := junitSuite{Name: r.Name(), Time: fmt.Sprintf("%.3f", r.Elapsed.Seconds())}
		for _, st := range r.Steps {
			c := junitCase{Class: r.Name(), Name: st.Step}
			switch {
			case st.Interrupted():
				// Cut short by Ctrl-C: not a failure of the lab.
				c.Skipped = &junitMessage{Message: problemText(env.Loc, st.Problems[0])}
				s.Skipped++
			case st.Status == doctest.Failed:
				var lines []string
				for _, p := range st.Problems {
					lines = append(lines, fmt.Sprintf("%s: %s\n%s", p.Pos, problemText(env.Loc, p), p.Detail))
				}
				c.Failure = &junitMessage{Message: problemText(env.Loc, st.Problems[0]), Type: st.Problems[0].Kind, Body: strings.Join(lines, "\n")}
				s.Failures++
			case st.Status == doctest.Skipped:
				c.Skipped = &junitMessage{Message: st.Reason}
				s.Skipped++
			}
			s.Tests++
			s.Cases = append(s.Cases, c)
		}
		if r.Err != nil && !r.Interrupted {
			s.Errors++
			s.Tests++
			s.Cases = append(s.Cases, junitCase{Class: r.Name(), Name: "setup", Error: &junitMessage{Message: r.Err.Error()}})
		}
		suites.Suites = append(suites.Suites, s)
	}
	return suites
}
