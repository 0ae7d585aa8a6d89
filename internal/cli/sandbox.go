package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/atomicfile"
	"github.com/vpclab/vpclab/internal/sandbox"
)

func init() { register(&command{name: "sandbox", run: runSandbox}) }

// defaultSandboxPort is fixed so that the exports a learner pasted keep
// working after a restart; 5000, moto's own default, clashes with macOS's
// AirPlay receiver.
const defaultSandboxPort = 5050

func runSandbox(env *Env, fs *flag.FlagSet, args []string) int {
	port := fs.Int("port", defaultSandboxPort, env.Loc.T("FlagSandboxPort"))
	region := fs.String("region", "us-east-1", env.Loc.T("FlagSandboxRegion"))
	verbose := fs.Bool("verbose", false, env.Loc.T("FlagSandboxVerbose"))
	envFile := fs.String("env-file", "", env.Loc.T("FlagSandboxEnvFile"))
	execOpts := sandboxExecFlags(env, fs) // --shell; see sandboxexec.go
	if ok, code := parse(env, fs, args, "sandbox"); !ok {
		return code
	}
	if code, ok := execOpts.run(env, fs, args, *port, *region, *verbose); ok { // vpclab sandbox -- COMMAND…
		return code
	}
	if fs.NArg() > 0 {
		return usageError(env, "sandbox", "CLIUnexpectedArgs", i18n.M{"Args": fs.Args()})
	}
	if *port < 0 || *port > 65535 {
		return usageError(env, "sandbox", "CLIBadPort", i18n.M{"Port": *port})
	}

	fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStarting"))
	opts := sandbox.Options{Port: *port}
	if *verbose {
		opts.Log = env.Stderr
	}
	// moto answers in about a second; a busy machine (a loaded CI runner)
	// can take much longer, and a crash is seen at once, not at this limit.
	startCtx, cancel := context.WithTimeout(env.Ctx, sandboxStartWait)
	srv, err := sandbox.Start(startCtx, opts)
	cancel()
	if env.Ctx.Err() != nil { // Ctrl-C while starting is a normal stop
		if srv != nil {
			srv.Stop()
		}
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStopped"))
		return ExitOK
	}
	if !sandboxStarted(env, err) {
		return ExitFail
	}
	defer srv.Stop()

	var exports strings.Builder
	state, dropState := sandboxProgress()
	defer dropState()
	// names are for the unset line when it stops: left set, they send the
	// AWS CLI to a dead port and vpclab's progress to a removed folder.
	var names []string
	for _, kv := range append(sandbox.Env(srv.URL(), *region), state...) {
		fmt.Fprintf(&exports, "export %s\n", shellAssign(kv))
		k, _, _ := strings.Cut(kv, "=")
		names = append(names, k)
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("SandboxReady", i18n.M{"URL": srv.URL()}))
	fmt.Fprintln(env.Stderr, env.Loc.T("SandboxPaste"))
	fmt.Fprint(env.Stdout, exports.String())
	if *envFile != "" {
		// Written only once moto answers, so a script may wait for the file.
		if err := atomicfile.Write(*envFile, []byte(exports.String()), 0o600); err != nil {
			fmt.Fprintln(env.Stderr, env.Loc.T("SandboxEnvFileFailed", i18n.M{"Err": err}))
			return ExitFail
		}
		defer os.Remove(*envFile) // stale exports would point at a dead port
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxEnvFileWritten", i18n.M{"File": *envFile}))
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStopHint"))

	select {
	case <-env.Ctx.Done():
		if err := srv.Stop(); err != nil {
			fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStopFailed", i18n.M{"Err": err}))
			return ExitFail
		}
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStopped"))
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxUnsetHint", i18n.M{"Vars": strings.Join(names, " ")}))
		return ExitOK
	case <-srv.Done():
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxDied"))
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxUnsetHint", i18n.M{"Vars": strings.Join(names, " ")}))
		return ExitFail
	}
}

// sandboxStartWait bounds vpclab sandbox's wait for moto to answer.
const sandboxStartWait = 3 * time.Minute

// startSandbox starts moto for a command that needs one (vpclab test),
// saying so; nil means it could not, and why was printed.
func startSandbox(env *Env, ctx context.Context, opts sandbox.Options) *sandbox.Server {
	fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStarting"))
	srv, err := sandbox.Start(ctx, opts)
	if !sandboxStarted(env, err) {
		return nil
	}
	return srv
}

// sandboxStarted explains a start failure in the user's language.
func sandboxStarted(env *Env, err error) bool {
	switch {
	case errors.Is(err, sandbox.ErrNotInstalled):
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxNotInstalled"))
	case err != nil:
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStartFailed", i18n.M{"Err": err}))
	default:
		return true
	}
	return false
}

// sandboxProgress is the environment that keeps the progress of checks
// against a sandbox in a folder of the sandbox's own, removed with it.
// Every sandbox is account 123456789012 and starts empty: in the
// learner's own store, the progress of the last practice made a new,
// empty sandbox look like a finished lab ("done earlier" on every step).
func sandboxProgress() (env []string, drop func()) {
	dir, err := os.MkdirTemp("", "vpclab-sandbox-progress-")
	if err != nil {
		return nil, func() {}
	}
	return []string{"VPCLAB_STATE_DIR=" + dir}, func() { os.RemoveAll(dir) }
}

// shellAssign writes KEY=VALUE for bash and zsh, the value quoted when a
// shell would split or expand it (a temporary folder under a Windows user
// name with a space).
func shellAssign(kv string) string {
	k, v, _ := strings.Cut(kv, "=")
	if strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:") == "" {
		return kv
	}
	return k + "='" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
