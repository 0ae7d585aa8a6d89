package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/vpclab/vpclab/internal/classroom"
	"github.com/vpclab/vpclab/internal/roster"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/lint"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/internal/serve"
	"github.com/vpclab/vpclab/site"
)

func init() { register(&command{name: "serve", run: runServe}) }

// watchInterval is how often --watch looks at the content's files.
const watchInterval = 500 * time.Millisecond

type serveOpts struct {
	addr, profile, region, content string
	allowRemote, watch, sandbox    bool
	open                           bool
}

// runServe serves the live site: the lab pages with working "Check this
// step" buttons. Checks run here, with the learner's credentials; the
// browser only ever sees their results.
func runServe(env *Env, fs *flag.FlagSet, args []string) int {
	var o serveOpts
	fs.StringVar(&o.addr, "addr", serve.DefaultAddr, env.Loc.T("ServeFlagAddr"))
	fs.StringVar(&o.profile, "profile", "", env.Loc.T("FlagProfile"))
	fs.StringVar(&o.region, "region", "", env.Loc.T("FlagRegion"))
	fs.BoolVar(&o.watch, "watch", false, env.Loc.T("ServeFlagWatch"))
	fs.BoolVar(&o.allowRemote, "allow-remote", false, env.Loc.T("ServeFlagAllowRemote"))
	fs.BoolVar(&o.sandbox, "sandbox", false, env.Loc.T("PracticeFlagSandbox"))
	fs.BoolVar(&o.open, "open", false, env.Loc.T("PracticeFlagOpen"))
	class := &classRun{parallel: classroom.DefaultParallel, timeout: classroom.DefaultTimeout, prefix: "vpclab-", record: true, findRegion: true}
	fs.StringVar(&class.roster, "roster", "", env.Loc.T("ServeFlagRoster"))
	refresh := fs.Duration("refresh", time.Minute, env.Loc.T("ServeFlagRefresh"))
	dir := contentFlag(env, fs)
	if ok, code := parse(env, fs, interleave(fs, args), "serve"); !ok {
		return code
	}
	o.content = *dir
	if o.sandbox {
		// The sandbox mode runs commands: never for another machine, and
		// never with a real account's settings.
		for _, f := range []string{"roster", "profile", "allow-remote"} {
			if flagSet(fs, f) {
				return usageError(env, "serve", "PracticeServeConflict", i18n.M{"Flag": "--" + f})
			}
		}
	}
	var dash *classDashboard
	var learners *roster.Roster
	var classLabs []*content.Lab
	switch {
	case class.roster != "":
		if *refresh < 10*time.Second {
			return usageError(env, "serve", "ServeBadRefresh", i18n.M{"Value": *refresh})
		}
		class.profile, class.dir = o.profile, o.content
		var code int
		if learners, classLabs, code = class.prepare(env, fs, "serve"); learners == nil {
			return code
		}
		dash = &classDashboard{refresh: *refresh}
	case fs.NArg() > 0:
		return usageError(env, "serve", "CLIUnexpectedArgs", i18n.M{"Args": fmt.Sprint(fs.Args())})
	}
	labs, err := openLabs(env, o.content)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return ExitUsage
	}
	src := contentSource(env, o.content)
	if o.watch && src.disk == "" {
		return usageError(env, "serve", "ServeWatchNoFolder", nil)
	}
	tok, err := serve.NewToken()
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeInternalError", i18n.M{"Err": err}))
		return ExitFail
	}
	var prac *practiceRun
	if o.sandbox {
		var code int
		if prac, code = startPractice(env, practiceDefaultRegion(o.region)); prac == nil {
			return code
		}
		defer prac.stop(env)
	}
	st, err := newLiveSite(env, labs, o.content, tok)
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeInternalError", i18n.M{"Err": err}))
		return ExitFail
	}
	opts := serve.Options{
		Addr: o.addr, AllowRemote: o.allowRemote, Token: tok,
		Progress: func() *progress.Progress { return loadProgress(env) },
		Check:    serveChecker(env, o),
		Log:      env.Stderr,
		Class:    classHandler(dash),
		Diagram:  serveDiagram(env, o.profile, accountConfig(o)), // Your VPC (yourvpc.go)
	}
	if prac != nil {
		opts.Progress = func() *progress.Progress { return prac.progress(env) }
		opts.Check = prac.checker(env)
		opts.Diagram = serveDiagram(env, "", prac.sandboxConfig)
		opts.Practice = prac.options()
	}
	srv, err := serve.New(st, opts)
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeInternalError", i18n.M{"Err": err}))
		return ExitFail
	}
	var notLocal *serve.NotLoopbackError
	var badAddr *serve.BadAddrError
	switch err := srv.Listen(); {
	case errors.As(err, &notLocal):
		return usageError(env, "serve", "ServeNotLoopback", i18n.M{"Addr": notLocal.Addr})
	case errors.As(err, &badAddr):
		return usageError(env, "serve", "ServeBadAddr", i18n.M{"Addr": o.addr})
	case err != nil:
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeListenFailed", i18n.M{"Addr": o.addr, "Err": err}))
		return ExitFail
	}
	if !srv.Loopback() {
		warn := env.Loc.T("ServeRemoteWarning", i18n.M{"Addr": srv.ListenAddr()})
		bar := strings.Repeat("!", 72)
		fmt.Fprintf(env.Stderr, "%s\n%s\n%s\n", bar, warn, bar)
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("ServeReady"))
	// The address alone on standard output, for scripts and tests.
	fmt.Fprintln(env.Stdout, srv.URL())
	ctx, sandboxDied := env.Ctx, func() bool { return false }
	if prac != nil {
		prac.printExports(env)
		ctx, sandboxDied = prac.context(env, env.Ctx)
		defer srv.CloseSessions()
	} else {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeReadOnly"))
	}
	if dash != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeClassURL", i18n.M{"URL": srv.URL() + "class/", "Every": *refresh}))
		cctx, stopClass := context.WithCancel(env.Ctx)
		var checking sync.WaitGroup
		checking.Go(func() { dash.watch(cctx, env, class, learners, classLabs) })
		defer checking.Wait()
		defer stopClass()
	}
	if o.watch {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeWatching", i18n.M{"Dir": src.display}))
		wctx, stopWatch := context.WithCancel(env.Ctx)
		var watching sync.WaitGroup
		watching.Go(func() {
			serve.Watch(wctx, src.disk, watchInterval, func(cs []serve.Change) {
				reloadContent(env, srv, o.content, tok, cs)
			})
		})
		defer watching.Wait()
		defer stopWatch()
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("ServeStopHint"))
	if o.open {
		openBrowser(srv.URL())
	}
	if err := srv.Serve(ctx); err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeStopFailed", i18n.M{"Err": err}))
		return ExitFail
	}
	if sandboxDied() {
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxDied"))
		return ExitFail
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("ServeStopped"))
	return ExitOK
}

func newLiveSite(env *Env, labs []*content.Lab, dir, tok string) (*site.Site, error) {
	// The pages of a local server are read on this machine: the command
	// they show works from any folder with the absolute path. (A built
	// site may be published, so it keeps the path as typed.)
	abs := dir
	if dir != "" && !filepath.IsAbs(dir) {
		cwd := env.Dir
		if cwd == "" {
			cwd, _ = os.Getwd()
		}
		abs = filepath.Join(cwd, dir)
	}
	return site.New(labs, site.Options{Live: true, Token: tok, LabFiles: labFiles(env, dir), CheckArgs: contentArgs(abs)})
}

// serveChecker runs a page's check request as vpclab check runs the
// command line's: credentials and region loaded afresh (a new SSO login
// takes effect at once), one snapshot, results recorded as progress, and
// the answer in the page's language.
func serveChecker(env *Env, o serveOpts) serve.CheckFunc {
	return func(ctx context.Context, req serve.CheckRequest) (any, error) {
		e := *env
		e.Ctx, e.Loc = ctx, req.Loc
		lab, step := req.Lab, req.Step
		if len(checkrun.Blocks(lab, step)) == 0 {
			return JSONReport{Lab: lab.ID, Results: []JSONResult{}, CallsByOp: map[string]int{},
				Hint: e.Loc.T("CheckNothingToCheck", i18n.M{"Step": step})}, nil
		}
		meter := &awsx.Meter{}
		cfg, err := awsx.Load(ctx, o.profile, o.region, meter)
		if err == nil && cfg.Region == "" {
			err = errNoRegion
		}
		if err != nil {
			return nil, serveProblem(env, &e, err, lab, o.profile)
		}
		rep, err := checkrun.Run(ctx, checkrun.Options{
			Lab: lab, Step: step,
			Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
				return account.Load(ctx, cfg, need)
			},
			Elsewhere: elsewhere(cfg),
		})
		if err != nil {
			// As in vpclab check: no verdict, nothing recorded.
			return nil, serveProblem(env, &e, err, lab, o.profile)
		}
		at := time.Now().UTC()
		recordResultsAt(&e, rep, at)
		sum := checkrun.Summarize(rep.Results)
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeChecked", i18n.M{"Lab": lab.ID, "Step": step, "Pass": sum.Pass, "Warn": sum.Warn,
			"Fail": sum.Fail, "Error": sum.Error, "Calls": meter.Total(), "Elapsed": rep.Elapsed.Round(time.Millisecond)}))
		return checkJSONReport(&e, checkJourney(&e, lab, cfg, rep, at), rep, meter), nil
	}
}

// serveProblem is awsProblem for the page: the same words, in the page's
// language (req, the request's Env), sent as a 502 (AWS, not the page, is
// what failed), and printed in the terminal's language too.
func serveProblem(env, req *Env, err error, lab *content.Lab, profile string) error {
	if errors.Is(req.Ctx.Err(), context.DeadlineExceeded) {
		// The check's time limit, not the page: AWS did not answer in time.
		return &serve.Error{Status: http.StatusGatewayTimeout, Message: req.Loc.T("HardenServeTimedOut"), Code: "timeout"}
	}
	if req.Ctx.Err() != nil {
		// The page went away, or the server is stopping.
		return &serve.Error{Status: http.StatusServiceUnavailable, Message: req.Loc.T("ServeCheckCancelled"), Code: "cancelled"}
	}
	code := "aws-" + strings.ToLower(awsx.Classify(err).Kind.String())
	if errors.Is(err, errNoRegion) {
		code = "aws-no-region"
	}
	fmt.Fprintln(env.Stderr, awsProblemText(env, err, lab, profile))
	return &serve.Error{Status: http.StatusBadGateway, Message: awsProblemText(req, err, lab, profile), Code: code}
}

// source is where openLabs reads the labs from (labSource), and where
// that is on disk.
type source struct {
	fsys    fs.FS
	root    string
	disk    string // the folder on disk; "" for the built-in labs
	display string // that folder as the user knows it
	prefix  string // turns fsys's file names into paths as the user knows them
}

func contentSource(env *Env, dir string) source {
	fsys, root := labSource(env, dir)
	src := source{fsys: fsys, root: root}
	cwd := env.Dir
	if cwd == "" {
		cwd, _ = os.Getwd()
	}
	switch {
	case dir != "":
		src.disk, src.display = dir, dir
		if !filepath.IsAbs(dir) {
			src.disk = filepath.Join(cwd, dir)
		}
		src.prefix = slashPrefix(dir)
		if root != "." { // a lab folder, read from its parent
			src.prefix = slashPrefix(filepath.Dir(dir))
		}
	case root == "content": // a vpclab checkout
		src.disk, src.display = filepath.Join(cwd, "content"), "content"
	}
	return src
}

func slashPrefix(dir string) string {
	dir = filepath.ToSlash(filepath.Clean(dir))
	if dir == "." {
		return ""
	}
	return strings.TrimSuffix(dir, "/") + "/"
}

// reloadContent rebuilds the site after the content changed. Content with
// problems keeps the previous site, and the problems are printed as
// vpclab lint prints them.
func reloadContent(env *Env, srv *serve.Server, dir, tok string, cs []serve.Change) {
	src := contentSource(env, dir)
	for _, c := range cs {
		id := map[serve.ChangeKind]string{serve.Added: "ServeWatchAdded", serve.Modified: "ServeWatchModified", serve.Removed: "ServeWatchRemoved"}[c.Kind]
		fmt.Fprintln(env.Stderr, env.Loc.T(id, i18n.M{"File": displayPath(src.display, c.Path)}))
	}
	labs, ds, err := lint.Load(src.fsys, src.root) // one validation path: what lint rejects is never served
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeReloadFailed", i18n.M{"Err": err}))
		return
	}
	if len(ds) > 0 {
		t := lintTarget{prefix: src.prefix}
		for i := range ds {
			ds[i] = t.displayDiag(ds[i])
		}
		ds.Sort()
		writeDiags(env, env.Stderr, "text", ds, len(labs))
		fmt.Fprintln(env.Stderr, env.Loc.N("ServeReloadProblems", len(ds)))
		return
	}
	st, err := newLiveSite(env, labs, dir, tok)
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeReloadFailed", i18n.M{"Err": err}))
		return
	}
	srv.SetSite(st)
	fmt.Fprintln(env.Stderr, env.Loc.N("ServeReloaded", len(labs)))
}

func displayPath(dir, rel string) string {
	if dir == "" {
		return rel
	}
	return filepath.ToSlash(filepath.Join(dir, rel))
}

// classHandler is nil unless there is a dashboard, so the server does not
// route /class/ at all for a learner.
func classHandler(d *classDashboard) http.Handler {
	if d == nil {
		return nil
	}
	return d
}
