package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/classroom"
	"github.com/vpclab/vpclab/internal/journey"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/internal/regions"
	"github.com/vpclab/vpclab/internal/roster"
)

func init() { register(&command{name: "class", run: runClass}) }

// classSubcommands are vpclab class's own commands; each has its help
// under Cmd<Class…>Usage/Help/Examples.
var classSubcommands = map[string]func(env *Env, fs *flag.FlagSet, args []string) int{
	"check":         runClassCheck,
	"report":        runClassReport,
	"role-template": runClassRoleTemplate,
}

func runClass(env *Env, fs *flag.FlagSet, args []string) int {
	if len(args) == 0 {
		commandHelp(env, env.Stderr, fs, "class")
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		commandHelp(env, env.Stdout, fs, "class")
		return ExitOK
	}
	run, ok := classSubcommands[args[0]]
	if !ok {
		return usageError(env, "class", "ClassUnknownSubcommand", i18n.M{"Sub": args[0], "Subs": "check, report, role-template"})
	}
	return run(env, newFlags(env, "class "+args[0]), args[1:])
}

// parseClass parses a subcommand's flags, which may follow its arguments.
func parseClass(env *Env, fs *flag.FlagSet, args []string, sub string) (bool, int) {
	err := fs.Parse(interleave(fs, args))
	if err == flag.ErrHelp {
		commandHelp(env, env.Stdout, fs, "class-"+sub)
		return false, ExitOK
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("CLIBadFlags", i18n.M{"Command": "class " + sub, "Err": err}))
		fmt.Fprintln(env.Stderr, env.Loc.T("CLISeeHelp", i18n.M{"Command": "class"}))
		return false, ExitUsage
	}
	return true, ExitOK
}

// classRun is what check and report share: a roster, labs, and how to
// check them.
type classRun struct {
	roster               string
	parallel             int
	timeout              time.Duration
	profile, prefix, dir string
	record, findRegion   bool
	allRegions           bool
}

func (c *classRun) flags(env *Env, fs *flag.FlagSet) {
	fs.StringVar(&c.roster, "roster", "", env.Loc.T("ClassFlagRoster"))
	fs.IntVar(&c.parallel, "parallel", classroom.DefaultParallel, env.Loc.T("ClassFlagParallel"))
	fs.DurationVar(&c.timeout, "timeout", classroom.DefaultTimeout, env.Loc.T("ClassFlagTimeout"))
	fs.StringVar(&c.profile, "profile", "", env.Loc.T("ClassFlagProfile"))
	fs.StringVar(&c.prefix, "prefix", classroom.DefaultPrefix, env.Loc.T("FlagCostPrefix"))
	fs.BoolVar(&c.record, "record", true, env.Loc.T("ClassFlagRecord"))
	fs.BoolVar(&c.findRegion, "find-region", true, env.Loc.T("ClassFlagFindRegion"))
	fs.BoolVar(&c.allRegions, "find-region-all", false, env.Loc.T("ClassFlagFindRegionAll"))
	fs.StringVar(&c.dir, "content", "", env.Loc.T("FlagContent"))
}

// prepare checks the flags and reads the roster and the labs; code is
// the exit code when it fails.
func (c *classRun) prepare(env *Env, fs *flag.FlagSet, sub string) (*roster.Roster, []*content.Lab, int) {
	switch {
	case c.roster == "":
		return nil, nil, usageError(env, "class", "ClassNeedRoster", nil)
	case fs.NArg() == 0:
		// vpclab serve --roster shares these flags: name its own command.
		if sub == "serve" {
			return nil, nil, usageError(env, "serve", "ClassNeedLab", i18n.M{"Cmd": "serve"})
		}
		return nil, nil, usageError(env, "class", "ClassNeedLab", i18n.M{"Cmd": "class " + sub})
	case c.parallel < 1:
		return nil, nil, usageError(env, "class", "ClassBadParallel", i18n.M{"Value": c.parallel})
	case c.timeout <= 0:
		return nil, nil, usageError(env, "class", "ClassBadTimeout", i18n.M{"Value": c.timeout})
	}
	all, err := openClassLabs(env, c.dir, fs.Args())
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return nil, nil, ExitUsage
	}
	var labs []*content.Lab
	for _, id := range fs.Args() {
		l, err := findLab(env, all, id)
		if err != nil {
			return nil, nil, usageError(env, "class", "CLIPlain", i18n.M{"Text": err.Error()})
		}
		if !containsLab(labs, l) {
			labs = append(labs, l)
		}
	}
	path := c.roster
	if !filepath.IsAbs(path) && env.Dir != "" {
		path = filepath.Join(env.Dir, path)
	}
	r, err := roster.Load(path)
	if err != nil {
		if es, ok := err.(roster.Errors); ok {
			for _, e := range es {
				e.Path = c.roster // as the instructor typed it
			}
			fmt.Fprintln(env.Stderr, es.Localize(env.Loc))
			fmt.Fprintln(env.Stderr, env.Loc.N("ClassRosterInvalid", len(es)))
		} else {
			fmt.Fprintln(env.Stderr, err)
		}
		return nil, nil, ExitUsage
	}
	for _, l := range r.Learners {
		if !regions.Known(l.Region) {
			data := i18n.M{"Path": c.roster, "Line": l.Line, "Name": l.Name, "Region": l.Region}
			fmt.Fprintln(env.Stderr, env.Loc.T(suggested("HardenClassRegionUnknown", l.Region, data), data))
		}
	}
	return r, labs, ExitOK
}

// openClassLabs is openLabs for a class run, which needs only the labs it
// was asked for: of the labs built into the binary (which openLabs does
// not lint either) it parses only those (ids, when each names a lab
// folder). Labs read from a folder, and ids that are not a lab's folder
// (the error lists the labs), go through openLabs.
func openClassLabs(env *Env, dir string, ids []string) ([]*content.Lab, error) {
	fsys, root := labSource(env, dir)
	if dir != "" || root != "labs" {
		return openLabs(env, dir)
	}
	dirs, err := content.Discover(fsys, root)
	if err != nil {
		return openLabs(env, dir)
	}
	var labs []*content.Lab
	for _, id := range ids {
		i := slices.IndexFunc(dirs, func(d string) bool { return path.Base(d) == id })
		if i < 0 {
			return openLabs(env, dir)
		}
		lab, ds := content.LoadLab(fsys, dirs[i])
		if len(ds) > 0 {
			return openLabs(env, dir) // says what is wrong, as every command does
		}
		labs = append(labs, lab)
	}
	return labs, nil
}

func containsLab(labs []*content.Lab, l *content.Lab) bool {
	for _, x := range labs {
		if x.ID == l.ID {
			return true
		}
	}
	return false
}

// run checks every learner, printing a line as each finishes to w and
// recording their progress. ok is false when the instructor's own AWS
// configuration cannot be loaded.
func (c *classRun) run(env *Env, w io.Writer, r *roster.Roster, labs []*content.Lab) (*classroom.Report, []classroom.Outcome, bool) {
	defer batchGC(classGCPercent)()
	meter := &awsx.Meter{}
	// The instructor's config assumes the learners' roles; STS is asked
	// in each learner's region, so any region does here.
	base, err := awsx.Load(env.Ctx, c.profile, r.Learners[0].Region, meter)
	if err != nil {
		p := awsx.Classify(err)
		fmt.Fprintln(env.Stderr, env.Loc.T("ClassInstructorConfig", i18n.M{"Detail": p.Message, "Profile": c.profile}))
		return nil, nil, false
	}
	conn := &classroom.Connector{Base: base, Meter: meter}
	// What learners passed in earlier runs, read before this run records
	// anything: a step done before (say, before cleaning up) stays done.
	history := loadProgress(env)
	total := len(r.Learners)
	var finished atomic.Int32
	fmt.Fprintln(w, env.Loc.N("ClassChecking", total, i18n.M{"Labs": labIDs(labs), "Parallel": c.parallel, "Timeout": c.timeout}))
	start := time.Now()
	// The class's records are written once, when the run ends (an
	// interrupted run included): each write re-reads and rewrites the
	// whole file, so one per learner made the class quadratic, and held
	// Done's lock while finished workers waited.
	var recs []progress.Record
	outcomes := classroom.Run(env.Ctx, classroom.Options{
		Labs: labs, Learners: r.Learners, Connect: conn.Connect,
		Parallel: c.parallel, Timeout: c.timeout, Prefix: c.prefix, FindRegion: c.findRegion, AllRegions: c.allRegions,
		Done: func(i int, o classroom.Outcome) {
			n := int(finished.Add(1))
			fmt.Fprintln(w, learnerLine(env.Loc, labs, history, o, n, total))
			if c.record {
				recs = append(recs, classroom.Records(o, env.Loc, time.Now())...)
			}
		},
	})
	writeProgress(env, recs)
	rep := classroom.Build(labs, outcomes, classroom.BuildOptions{History: history, Sandbox: c.sandbox(env)})
	fmt.Fprintln(w, env.Loc.T("ClassDone", i18n.M{"Elapsed": time.Since(start).Round(100 * time.Millisecond), "Calls": meter.Total()}))
	return rep, outcomes, true
}

// sandbox: the class is on the sandbox (vpclab's own tests, a rehearsal),
// where steps marked sandbox="…" cannot be done.
func (c *classRun) sandbox(env *Env) bool {
	return journey.IsSandbox(os.Getenv("AWS_ENDPOINT_URL")) || journey.IsSandbox(env.Getenv("AWS_ENDPOINT_URL"))
}

func labIDs(labs []*content.Lab) string {
	ids := make([]string, len(labs))
	for i, l := range labs {
		ids[i] = l.ID
	}
	return strings.Join(ids, ", ")
}

// learnerLine is the line printed as a learner is done.
func learnerLine(loc *i18n.Localizer, labs []*content.Lab, history *progress.Progress, o classroom.Outcome, n, total int) string {
	counter := fmt.Sprintf("[%*d/%d]", len(fmt.Sprint(total)), n, total)
	rep := classroom.Build(labs, []classroom.Outcome{o}, classroom.BuildOptions{History: history, Sandbox: journey.IsSandbox(os.Getenv("AWS_ENDPOINT_URL"))})
	row := rep.Learners[0]
	if row.Problem != nil {
		return counter + " " + loc.T("ClassLineProblem", i18n.M{"Name": row.Name, "Message": row.Problem.Message.In(loc.Lang()),
			"Elapsed": o.Elapsed.Round(100 * time.Millisecond)})
	}
	parts := []string{loc.T("ClassLineChecked", i18n.M{"Name": row.Name, "Account": row.Account, "Region": row.Region,
		"Done": row.Done, "Total": row.Total})}
	if row.Next != "" {
		for i, st := range rep.Steps {
			if st.Key() != row.Next {
				continue
			}
			c := row.Cells[i]
			data := i18n.M{"Step": st.Title.In(loc.Lang()), "Reason": c.Reason}
			if c.Reason != "" && c.Reason != "NOT_FOUND" && !st.Cleanup {
				parts = append(parts, loc.T("ClassLineFailing", data))
			} else {
				parts = append(parts, loc.T("ClassLineNext", data))
			}
		}
	}
	switch {
	case row.Cost == nil && o.CostProblem != nil:
		parts = append(parts, loc.T(o.CostProblem.Msg.ID, o.CostProblem.Msg.Data))
	case row.Cost == nil:
		parts = append(parts, loc.T("ClassLineCostUnknown"))
	case len(row.Cost.Items) > 0:
		parts = append(parts, loc.N("ClassLineCost", len(row.Cost.Items), i18n.M{"Hourly": fmt.Sprintf("%.3f", row.Cost.USDPerHour)}))
	}
	if len(row.Regressions) > 0 {
		parts = append(parts, loc.T("ClassStatusFailing")+": "+strings.Join(row.Regressions, ", "))
	}
	if row.Note != nil {
		parts = append(parts, row.Note.In(loc.Lang()))
	}
	return counter + " " + strings.Join(parts, " · ") + fmt.Sprintf(" (%s)", o.Elapsed.Round(100*time.Millisecond))
}

// writeClassSummary prints what the instructor needs after a run: who is
// done, what the class keeps getting wrong, what is still billing, and
// who could not be checked.
func writeClassSummary(env *Env, w io.Writer, rep *classroom.Report) {
	loc, lang := env.Loc, env.Loc.Lang()
	s := rep.Summary
	fmt.Fprintln(w)
	fmt.Fprintln(w, loc.T("ClassSummary", i18n.M{"Learners": s.Learners, "Checked": s.Checked, "Errors": s.Errors,
		"Complete": s.Complete, "NotStarted": s.NotStarted}))
	if len(rep.Failures) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, loc.T("ClassSummaryFailures"))
		for _, f := range rep.Failures {
			fmt.Fprintf(w, "  %s\n", loc.N("ClassSummaryFailure", f.Count, i18n.M{"Step": f.StepTitle.In(lang), "Check": f.Check, "Reason": f.Reason}))
		}
	}
	fmt.Fprintln(w)
	c := rep.Cost
	if c.Billing == 0 {
		fmt.Fprintln(w, loc.T("ClassSummaryNothingBilling"))
	} else {
		fmt.Fprintln(w, loc.N("ClassSummaryBilling", c.Billing, i18n.M{"Hourly": fmt.Sprintf("%.3f", c.USDPerHour),
			"Monthly": fmt.Sprintf("%.2f", c.USDPer30Days)}))
		var names []string
		for _, r := range rep.Learners {
			if r.Cost != nil && len(r.Cost.Items) > 0 {
				names = append(names, fmt.Sprintf("%s ($%.3f/h)", r.Name, r.Cost.USDPerHour))
			}
		}
		fmt.Fprintf(w, "  %s\n", strings.Join(names, ", "))
	}
	if c.Unknown > 0 {
		fmt.Fprintln(w, loc.N("ClassSummaryCostUnknown", c.Unknown))
	}
	if s.Errors > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, loc.N("ClassSummaryErrors", s.Errors))
		for _, r := range rep.Learners {
			if r.Problem != nil {
				fmt.Fprintf(w, "  %s: %s\n", r.Name, r.Problem.Message.In(lang))
			}
		}
	}
}

func classExit(rep *classroom.Report) int {
	if rep.Summary.Errors > 0 {
		return ExitAWS
	}
	return ExitOK
}

func runClassCheck(env *Env, fs *flag.FlagSet, args []string) int {
	var c classRun
	c.flags(env, fs)
	format := fs.String("format", "text", env.Loc.T("ClassFlagFormat"))
	if ok, code := parseClass(env, fs, args, "check"); !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		return usageError(env, "class", "CLIBadFormat", i18n.M{"Format": *format, "Allowed": "text, json"})
	}
	r, labs, code := c.prepare(env, fs, "check")
	if r == nil {
		return code
	}
	progressOut := env.Stdout
	if *format == "json" {
		progressOut = env.Stderr // stdout is for the JSON
	}
	rep, _, ok := c.run(env, progressOut, r, labs)
	if !ok {
		return ExitAWS
	}
	if *format == "json" {
		_ = classroom.WriteJSON(env.Stdout, rep)
	} else {
		writeClassSummary(env, env.Stdout, rep)
	}
	return classExit(rep)
}

func runClassReport(env *Env, fs *flag.FlagSet, args []string) int {
	var c classRun
	c.flags(env, fs)
	var out string
	fs.StringVar(&out, "o", "", env.Loc.T("ClassFlagOut"))
	fs.StringVar(&out, "out", "", env.Loc.T("ClassFlagOut"))
	if ok, code := parseClass(env, fs, args, "report"); !ok {
		return code
	}
	if out == "" {
		return usageError(env, "class", "ClassNeedOut", nil)
	}
	r, labs, code := c.prepare(env, fs, "report")
	if r == nil {
		return code
	}
	rep, _, ok := c.run(env, env.Stdout, r, labs)
	if !ok {
		return ExitAWS
	}
	dir := out
	if !filepath.IsAbs(dir) && env.Dir != "" {
		dir = filepath.Join(env.Dir, dir)
	}
	if err := classroom.WriteDir(dir, rep, env.Loc.Lang()); err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ClassReportWriteFailed", i18n.M{"Err": err}))
		return ExitFail
	}
	writeClassSummary(env, env.Stdout, rep)
	fmt.Fprintln(env.Stdout)
	fmt.Fprintln(env.Stdout, env.Loc.T("ClassReportWritten", i18n.M{"Path": filepath.Join(out, "index.html"),
		"Files": strings.Join(classroom.Files[1:], ", ")}))
	return classExit(rep)
}

func runClassRoleTemplate(env *Env, fs *flag.FlagSet, args []string) int {
	instructor := fs.String("instructor-account", "", env.Loc.T("ClassFlagInstructorAccount"))
	externalID := fs.String("external-id", "", env.Loc.T("ClassFlagExternalID"))
	roleName := fs.String("role-name", classroom.DefaultRoleName, env.Loc.T("ClassFlagRoleName"))
	dir := contentFlag(env, fs)
	if ok, code := parseClass(env, fs, args, "role-template"); !ok {
		return code
	}
	switch {
	case !roster.ValidAccountID(*instructor):
		return usageError(env, "class", "ClassBadInstructorAccount", i18n.M{"Value": *instructor})
	case *externalID != "" && !roster.ValidExternalID(*externalID):
		return usageError(env, "class", "ClassBadExternalID", i18n.M{"Value": *externalID})
	case !roster.ValidRoleName(*roleName):
		return usageError(env, "class", "ClassBadRoleName", i18n.M{"Value": *roleName})
	}
	labs, err := openLabs(env, *dir)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return ExitUsage
	}
	chosen, code := chooseLabs(env, labs, fs.Args(), "class")
	if chosen == nil {
		return code
	}
	ids := make([]string, len(chosen))
	for i, l := range chosen {
		ids[i] = l.ID
	}
	sort.Strings(ids)
	tpl, err := classroom.RoleTemplate(classroom.RoleTemplateOptions{Labs: ids, Actions: LeastPrivilege(chosen).Statement[0].Action,
		InstructorAccount: *instructor, ExternalID: *externalID, RoleName: *roleName}, env.Loc)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return ExitFail
	}
	_, _ = env.Stdout.Write(tpl)
	return ExitOK
}
