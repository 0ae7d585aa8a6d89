package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awscli"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/internal/sandbox"
	"github.com/vpclab/vpclab/internal/serve"
)

// practiceRun is what vpclab serve --sandbox adds to the server: a moto
// sandbox of its own, and progress kept apart from the real account's in
// a folder of its own that lives as long as the sandbox.
type practiceRun struct {
	sb       *sandbox.Server
	warm     *awscli.Warm
	stateDir string
	progPath string
	region   string
}

// startPractice starts the sandbox; nil means it could not (said why) and
// code is the exit status.
func startPractice(env *Env, region string) (*practiceRun, int) {
	state, err := os.MkdirTemp("", "vpclab-practice-")
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeInternalError", i18n.M{"Err": err}))
		return nil, ExitFail
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStarting"))
	ctx, cancel := context.WithTimeout(env.Ctx, 60*time.Second)
	sb, err := sandbox.Start(ctx, sandbox.Options{}) // a free port: a `vpclab sandbox` may hold 5050
	cancel()
	if env.Ctx.Err() != nil {
		if sb != nil {
			sb.Stop()
		}
		os.RemoveAll(state)
		return nil, ExitOK
	}
	if !sandboxStarted(env, err) {
		os.RemoveAll(state)
		return nil, ExitFail
	}
	// Best effort: without it each aws command a block runs starts Python.
	warm, _ := awscli.Start(env.Ctx, os.Getenv("PATH"), sandboxOnly(env))
	return &practiceRun{sb: sb, warm: warm, stateDir: state, progPath: filepath.Join(state, "progress.json"), region: region}, ExitOK
}

func (p *practiceRun) stop(env *Env) {
	p.warm.Close()
	if err := p.sb.Stop(); err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStopFailed", i18n.M{"Err": err}))
	}
	os.RemoveAll(p.stateDir)
}

func (p *practiceRun) options() *serve.Practice {
	return &serve.Practice{Sandbox: p.sb, Region: p.region, AWSCLI: p.warm, Reset: func(context.Context) error {
		if err := os.Remove(p.progPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}}
}

// context is ctx, ended early if moto dies: a practice server without
// its sandbox would only answer errors.
func (p *practiceRun) context(env *Env, ctx context.Context) (context.Context, func() bool) {
	ctx, cancel := context.WithCancel(ctx)
	died := make(chan struct{})
	go func() {
		select {
		case <-p.sb.Done():
			close(died)
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() bool {
		cancel()
		select {
		case <-died:
			return true
		default:
			return false
		}
	}
}

func (p *practiceRun) progress(env *Env) *progress.Progress {
	prog, warnings, err := progress.Open(p.progPath).Load()
	for _, w := range warnings {
		fmt.Fprintln(env.Stderr, env.Loc.T(w.Msg().ID, w.Msg().Data))
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ProgressUnreadable", i18n.M{"Err": err}))
		return nil
	}
	return prog
}

// printExports tells a terminal user how to reach the same sandbox.
func (p *practiceRun) printExports(env *Env) {
	fmt.Fprintln(env.Stderr, env.Loc.T("SandboxReady", i18n.M{"URL": p.sb.URL()}))
	fmt.Fprintln(env.Stderr, env.Loc.T("SandboxPaste"))
	// The page's progress folder too, so that a check run in the
	// terminal shows on the page and stays out of the learner's own.
	for _, kv := range append(sandbox.Env(p.sb.URL(), p.region), "VPCLAB_STATE_DIR="+p.stateDir) {
		fmt.Fprintf(env.Stderr, "  export %s\n", shellAssign(kv))
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("PracticeServeNote"))
}

// checker runs a page's check against the sandbox, in the lab's Region,
// and records the results in the sandbox's own progress.
func (p *practiceRun) checker(env *Env) serve.CheckFunc {
	return func(ctx context.Context, req serve.CheckRequest) (any, error) {
		e := *env
		e.Ctx, e.Loc = ctx, req.Loc
		lab, step := req.Lab, req.Step
		if len(checkrun.Blocks(lab, step)) == 0 {
			return JSONReport{Lab: lab.ID, Results: []JSONResult{}, CallsByOp: map[string]int{},
				Hint: e.Loc.T("CheckNothingToCheck", i18n.M{"Step": step})}, nil
		}
		meter := &awsx.Meter{}
		cfg := aws.Config{Region: practiceRegion(lab), BaseEndpoint: aws.String(p.sb.URL()), RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider(sandbox.DummyCredential, sandbox.DummyCredential, "")}
		awsx.Protect(&cfg, meter)
		rep, err := checkrun.Run(ctx, checkrun.Options{
			Lab: lab, Step: step,
			Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
				return account.Load(ctx, cfg, need)
			},
		})
		if err != nil {
			return nil, serveProblem(env, &e, err, lab, "")
		}
		p.record(&e, rep)
		sum := checkrun.Summarize(rep.Results)
		fmt.Fprintln(env.Stderr, env.Loc.T("ServeChecked", i18n.M{"Lab": lab.ID, "Step": step, "Pass": sum.Pass, "Warn": sum.Warn,
			"Fail": sum.Fail, "Error": sum.Error, "Calls": meter.Total(), "Elapsed": rep.Elapsed.Round(time.Millisecond)}))
		return jsonReport(e.Loc, rep, meter), nil
	}
}

func (p *practiceRun) record(env *Env, rep checkrun.Report) {
	recs := progressRecords(env, rep, time.Now().UTC())
	if len(recs) == 0 {
		return
	}
	warnings, err := progress.Open(p.progPath).Record(recs...)
	for _, w := range warnings {
		fmt.Fprintln(env.Stderr, env.Loc.T(w.Msg().ID, w.Msg().Data))
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ProgressWriteFailed", i18n.M{"Err": err}))
	}
}

// practiceRegion is the lab's Region, where its commands create things.
func practiceRegion(lab *content.Lab) string {
	if p := lab.Page(i18n.EN); p != nil && p.Meta.Region != "" {
		return p.Meta.Region
	}
	return "us-east-1"
}

// practiceDefaultRegion is the Region of the export lines printed for a
// terminal: --region, else us-east-1 (moto's default). Lab pages show
// their lab's own.
func practiceDefaultRegion(flagRegion string) string {
	if flagRegion != "" {
		return flagRegion
	}
	return "us-east-1"
}

// flagSet reports whether the command line set the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// openBrowser opens url in the desktop's browser, if there is one; it
// never waits for the browser and says nothing when there is none.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return // no desktop: the address printed is the way in
		}
		cmd = exec.Command("xdg-open", url)
	}
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}
