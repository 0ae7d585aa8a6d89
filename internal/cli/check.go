package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/journey"
	"github.com/vpclab/vpclab/internal/progress"
)

func init() { register(&command{name: "check", run: runCheck}) }

type checkOpts struct {
	step, format, profile, region, content string
	diagram                                string // --diagram FILE: "Your VPC" (yourvpc.go)
	wait                                   time.Duration
	record                                 bool
}

func runCheck(env *Env, fs *flag.FlagSet, args []string) int {
	var o checkOpts
	fs.StringVar(&o.step, "step", "", env.Loc.T("FlagCheckStep"))
	fs.StringVar(&o.format, "format", "text", env.Loc.T("FlagCheckFormat"))
	fs.StringVar(&o.profile, "profile", "", env.Loc.T("FlagProfile"))
	fs.StringVar(&o.region, "region", "", env.Loc.T("FlagRegion"))
	fs.DurationVar(&o.wait, "wait", 0, env.Loc.T("FlagCheckWait"))
	fs.BoolVar(&o.record, "record", true, env.Loc.T("FlagCheckRecord"))
	fs.StringVar(&o.diagram, "diagram", "", env.Loc.T("FlagCheckDiagram"))
	timeout := timeoutFlag(env, fs, DefaultCheckTimeout)
	dir := contentFlag(env, fs)
	x := explainFlags(env, fs) // binding: --explain, --stack, --tfstate (explain.go)
	if ok, code := parse(env, fs, interleave(fs, args), "check"); !ok {
		return code
	}
	o.content = *dir
	if fs.NArg() != 1 {
		return usageError(env, "check", "CLINeedOneLab", nil)
	}
	if o.format != "text" && o.format != "json" && o.format != "junit" {
		return usageError(env, "check", "CLIBadFormat", i18n.M{"Format": o.format, "Allowed": "text, json, junit"})
	}
	if o.wait < 0 {
		return usageError(env, "check", "CLIBadWait", i18n.M{"Wait": o.wait})
	}
	if code := awsFlagsError(env, "check", *timeout, o.region); code != ExitOK {
		return code
	}
	labs, err := openLabs(env, o.content)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return ExitUsage
	}
	lab, err := findLab(env, labs, fs.Arg(0))
	if err != nil {
		return usageError(env, "check", "CLIPlain", i18n.M{"Text": err.Error()})
	}
	if o.step != "" && lab.Page(env.Loc.Lang()).StepByID(o.step) == nil {
		// A check's id given for its step's: name the step.
		for _, b := range checkrun.Blocks(lab, "") {
			if b.ID == o.step && b.Step != nil {
				return usageError(env, "check", "CLIStepIsACheck", i18n.M{"Check": o.step, "Step": b.Step.ID, "Lab": lab.ID})
			}
		}
		ids := stepIDs(lab)
		return usageError(env, "check", "CLIUnknownStep", i18n.M{"Step": o.step, "Lab": lab.ID, "Steps": strings.Join(ids, ", "), "Suggest": content.Suggest(o.step, ids)})
	}
	if len(checkrun.Blocks(lab, o.step)) == 0 {
		fmt.Fprintln(env.Stderr, env.Loc.T("CheckNothingToCheck", i18n.M{"Step": o.step}))
		return ExitOK
	}

	env, cancel := bounded(env, *timeout, o.wait)
	defer cancel()
	meter := &awsx.Meter{}
	cfg, err := awsx.Load(env.Ctx, o.profile, o.region, meter)
	if err == nil && cfg.Region == "" {
		err = errNoRegion
	}
	if err != nil {
		return o.awsProblem(env, err, lab)
	}
	regionNotice(env, cfg.Region)
	spin := startSpinner(env, env.Loc.T("CheckLoading", i18n.M{"Region": cfg.Region}))
	runOpts, ok := x.options(env, cfg, checkrun.Options{
		Lab: lab, Step: o.step, Wait: o.wait, Bind: binding.Options{Others: otherLabsNames(labs, lab)},
		Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
			return account.Load(ctx, cfg, need)
		},
		Attempt: func(failing int, left time.Duration) {
			spin.set(env.Loc.T("CheckWaiting", i18n.M{"Failing": failing, "Left": left.Round(time.Second)}))
		},
		Unanswered: func(err error, left time.Duration) {
			why := map[awsx.Kind]string{awsx.Unreachable: "WaitWhyUnreachable", awsx.Throttled: "WaitWhyThrottled"}[awsx.Classify(err).Kind]
			if why == "" {
				why = "WaitWhyServer"
			}
			spin.set(env.Loc.T("CheckWaitingUnanswered", i18n.M{"Why": i18n.Msg{ID: why}, "Left": left.Round(time.Second)}))
		},
	})
	if !ok {
		spin.stop()
		return ExitUsage
	}
	rep, err := checkrun.Run(env.Ctx, runOpts)
	spin.stop()
	if err != nil {
		// Nothing is recorded: without the account's answers there is no
		// verdict, and the store must never lose an earlier pass.
		return o.awsProblem(env, err, lab)
	}
	at := time.Now().UTC()
	if !rep.ReadAt.IsZero() {
		at = rep.ReadAt.UTC() // when the account was read, not when the run ended
	}
	diagramLost := o.diagram != "" && !writeDiagram(env, o.diagram, lab, rep.Snapshot, rep, at) // under --wait, every read merged
	// A diagram asked for and not written is lost output (exit 4), unless
	// the verdict already says something is wrong.
	exit := func(code int) int {
		if env.Ctx.Err() != nil && o.wait > 0 {
			// Ctrl-C while waiting: what is shown is the last complete
			// read's verdict, so say so, not "no verdict" (130 still).
			fmt.Fprintln(env.Stderr, env.Loc.T("CheckWaitInterrupted", i18n.M{"At": at.Local().Format("15:04:05")}))
			return ExitInterrupted
		}
		if diagramLost && code == ExitOK {
			return ExitOutput
		}
		return code
	}
	if o.record {
		recordResultsAt(env, rep, at)
	}
	j := checkJourney(env, lab, cfg, rep, at)
	if o.step != "" {
		// One step asked for: its checks are the answer, 0 only when it
		// passes (the clean-up too, judged whenever asked).
		if st := j.Step(o.step); st != nil && st.State == journey.Unavailable {
			// The sandbox cannot do this step: a command for it would fail
			// there, so say why instead of printing one.
			rep = withoutFixes(rep, o.step)
			if o.format == "text" {
				fmt.Fprintln(env.Stdout, env.Loc.T("CheckStepNotOnSandbox", i18n.M{"Reason": j.Reason(st, env.Loc.Lang())}))
			}
		}
		if o.format == "json" {
			writeCheckJSON(env, j, rep, meter)
		} else {
			writeReport(env, o.format, lab, rep, meter)
		}
		x.print(env, o.format, rep)
		return exit(reportExit(rep))
	}
	switch o.format {
	case "json":
		writeCheckJSON(env, j, rep, meter)
	case "junit":
		writeReport(env, o.format, lab, reached(j, rep), meter)
	default:
		shown := reached(j, rep)
		writeReport(env, o.format, lab, shown, meter)
		if hidden := len(rep.Results) - len(shown.Results); hidden > 0 {
			// So that the counts above add up to --format json's.
			fmt.Fprintln(env.Stdout, env.Loc.N("CheckNotShown", hidden))
		}
		writeJourney(env, env.Stdout, lab, j, rep)
	}
	x.print(env, o.format, rep)
	return exit(journeyExit(j, rep))
}

var errNoRegion = errors.New("no region")

// interleave lets flags follow the lab name ("vpclab check nat --step x"),
// as learners type them; the flag package stops at the first argument.
// fs says which flags are boolean and so take no value: `--sandbox --addr
// X` keeps X with --addr, and `--mutate first-vpc` leaves the lab alone.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" { // the rest are arguments, even those that look like flags
			return append(append(flags, "--"), append(rest, args[i+1:]...)...)
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && !isBoolFlag(fs, name) {
				if i+1 == len(args) {
					// A flag that takes a value, last with none: parsed
					// last, it is "needs a value" (before, the lab's name
					// moved behind it became its value).
					return flags
				}
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	return append(flags, rest...)
}

func isBoolFlag(fs *flag.FlagSet, name string) bool {
	if name == "h" || name == "help" {
		return true
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// withoutFixes drops the fixes of step's results.
func withoutFixes(rep checkrun.Report, step string) checkrun.Report {
	out := rep
	out.Results = slices.Clone(rep.Results)
	for i := range out.Results {
		if out.Results[i].Step == step {
			out.Results[i].Fix, out.Results[i].Plan = "", nil
		}
	}
	return out
}

// stepIDs lists the steps --step can check: those with checks.
func stepIDs(lab *content.Lab) []string {
	var ids []string
	if p := lab.Page(i18n.EN); p != nil {
		for _, s := range p.Steps {
			if s.IsStep() {
				ids = append(ids, s.ID)
			}
		}
	}
	return ids
}

func reportExit(rep checkrun.Report) int {
	sum := checkrun.Summarize(rep.Results)
	switch {
	case sum.Fail > 0:
		return ExitFail
	case sum.Error > 0:
		return ExitAWS
	}
	return ExitOK
}

// otherLabsNames are the Name tags the labs other than lab use, so that
// binding never takes their resources for lab's.
func otherLabsNames(labs []*content.Lab, lab *content.Lab) map[string]bool {
	var blocks []*content.CheckBlock
	for _, l := range labs {
		if l != lab {
			blocks = append(blocks, l.Checks()...)
		}
	}
	return binding.NamesOf(blocks)
}

// awsProblem explains, in the learner's language, why vpclab could not read
// the account, and what to run about it.
func (o *checkOpts) awsProblem(env *Env, err error, lab *content.Lab) int {
	return awsFailed(env, err, o.format, func() string { return awsProblemText(env, err, lab, o.profile) })
}

// JSONError is --format json's answer when there is no report: what kind
// of failure (awsx kinds: unreachable, no-credentials, access-denied, …)
// and the message shown on standard error.
type JSONError struct {
	Error struct {
		Kind    string `json:"kind"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeJSONError(env *Env, kind, message string) {
	var e JSONError
	e.Error.Kind, e.Error.Message = kind, message
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(e)
}

// awsFailed prints explain's words for a failed read of the account and
// returns ExitAWS; with --format json the same words are also JSON on
// standard output, so that a script parsing it is not handed nothing. A
// read cut short by Ctrl-C gets no words here, since Run says it was
// interrupted (and exits 130) for every command alike.
func awsFailed(env *Env, err error, format string, explain func() string) int {
	if env.Ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return ExitAWS
	}
	text := explain()
	fmt.Fprintln(env.Stderr, text)
	if format == "json" {
		writeJSONError(env, awsx.Classify(err).Kind.String(), text)
	}
	return ExitAWS
}

// awsProblemText is awsProblem's explanation (vpclab serve sends it to the
// page).
func awsProblemText(env *Env, err error, lab *content.Lab, profile string) string {
	id, region := "", ""
	if lab != nil {
		id = lab.ID
		if p := lab.Page(env.Loc.Lang()); p != nil {
			region = p.Meta.Region
		}
	}
	return explainAWS(env, err, profile, id, region, false)
}

// explainAWS words an AWS failure for check, serve and cost (cost has no
// lab: labRegion is "" and its access-denied message names no lab). The
// first minute gets special care: everything missing is said at once,
// with the free way to practise (vpclab sandbox), and a profile that does
// not exist is named with where it came from.
func explainAWS(env *Env, err error, profile, labID, labRegion string, cost bool) string {
	source := "--profile"
	if profile == "" {
		profile, source = env.Getenv("AWS_PROFILE"), "AWS_PROFILE"
	}
	var noProfile config.SharedConfigProfileNotExistError
	if errors.As(err, &noProfile) {
		return env.Loc.T("HardenProfileMissing", i18n.M{"Profile": noProfile.Profile, "Source": source})
	}
	p := awsx.Classify(err)
	if errors.Is(err, errNoRegion) || p.Kind == awsx.NoRegion {
		noCreds := awsx.CredentialsMissing(env.Ctx, profile)
		switch {
		case noCreds && labRegion != "":
			return env.Loc.T("HardenNoSetup", i18n.M{"Region": labRegion})
		case noCreds:
			return env.Loc.T("HardenNoSetupNoLab", nil)
		case cost || labRegion == "":
			return env.Loc.T("CostNoRegion", nil)
		}
		return env.Loc.T("ProblemNoRegion", i18n.M{"Region": labRegion})
	}
	data := i18n.M{"Action": p.Action, "Profile": profile, "Lab": labID, "Detail": p.Message}
	switch p.Kind {
	case awsx.NoCredentials:
		return env.Loc.T("HardenNoCredentials", data)
	case awsx.Unreachable:
		endpoint := env.Getenv("AWS_ENDPOINT_URL")
		if region, host, ok := awsx.NoSuchRegion(err); ok {
			data := i18n.M{"Region": region, "Host": host}
			return env.Loc.T(suggested("HardenNoSuchRegion", region, data), data)
		}
		switch {
		case p.TimedOut && p.Action == "":
			return env.Loc.T("HardenTimedOutNoAction", data)
		case p.TimedOut:
			return env.Loc.T("HardenTimedOut", data)
		case endpoint != "" && isLoopbackURL(endpoint):
			data["Endpoint"] = endpoint
			return env.Loc.T("HardenUnreachableSandbox", data)
		}
		return env.Loc.T("HardenUnreachable", data)
	case awsx.AccessDenied:
		if cost {
			return env.Loc.T("CostAccessDenied", data)
		}
	}
	id := map[awsx.Kind]string{
		awsx.InvalidCredentials: "ProblemInvalidCredentials",
		awsx.ExpiredSSO:         "ProblemExpiredSSO",
		awsx.ExpiredToken:       "ProblemExpiredToken",
		awsx.AccessDenied:       "ProblemAccessDenied",
		awsx.Throttled:          "ProblemThrottled",
		awsx.Refused:            "ProblemRefused",
		awsx.BadConfig:          "ProblemBadConfig",
	}[p.Kind]
	if id == "" {
		id = "ProblemOther"
	}
	return env.Loc.T(id, data)
}

func statusOf(s checks.Status) progress.Status { return progress.Status(s) }

func recordResults(env *Env, rep checkrun.Report) { recordResultsAt(env, rep, time.Now().UTC()) }

// recordResultsAt records rep as judged at now (the journey's time).
func recordResultsAt(env *Env, rep checkrun.Report, now time.Time) {
	writeProgress(env, progressRecords(env, rep, now))
}

// progressRecords are rep's results as the store keeps them: the message
// in the reader's language, and its id and data (JSON-safe) so that the
// site can word it again in the other.
func progressRecords(env *Env, rep checkrun.Report, now time.Time) []progress.Record {
	var recs []progress.Record
	for _, r := range rep.Results {
		recs = append(recs, progress.Record{Account: rep.Account, Region: rep.Region, Lab: rep.Lab, Step: r.Step, Check: r.Check,
			Status: statusOf(r.Status), Reason: r.Reason, Message: env.Loc.T(r.Message.ID, r.Message.Data),
			MessageID: r.Message.ID, MessageData: i18n.Portable(r.Message.Data), At: now})
	}
	return recs
}

func writeProgress(env *Env, recs []progress.Record) {
	if len(recs) == 0 {
		return
	}
	path, err := progress.DefaultPath()
	if err == nil {
		var warnings []progress.Warning
		warnings, err = progress.Open(path).Record(recs...)
		for _, w := range warnings {
			fmt.Fprintln(env.Stderr, env.Loc.T(w.Msg().ID, w.Msg().Data))
		}
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ProgressWriteFailed", i18n.M{"Err": err}))
	}
}
