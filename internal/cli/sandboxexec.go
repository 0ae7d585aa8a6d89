package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awscli"
	"github.com/vpclab/vpclab/internal/sandbox"
)

// sandboxExec is `vpclab sandbox -- COMMAND…` and `vpclab sandbox
// --shell`: a sandbox that lives exactly as long as one command (or one
// interactive shell) that has its environment, for terminal users.
type sandboxExec struct {
	shell *bool
}

// sandboxExecFlags adds --shell to vpclab sandbox's flags.
func sandboxExecFlags(env *Env, fs *flag.FlagSet) *sandboxExec {
	return &sandboxExec{shell: fs.Bool("shell", false, env.Loc.T("SandboxExecFlagShell"))}
}

// execStopGrace is how long a command has to exit after vpclab itself was
// asked to stop (SIGTERM) before it is killed.
const execStopGrace = 5 * time.Second

// run runs the command, if there is one; ok is false when the command
// line asks for a plain `vpclab sandbox`. args are the arguments as given,
// fs has parsed them.
func (x *sandboxExec) run(env *Env, fs *flag.FlagSet, args []string, port int, region string, verbose bool) (code int, ok bool) {
	argv := fs.Args()
	dashes := len(args)-len(argv) > 0 && args[len(args)-len(argv)-1] == "--"
	switch {
	case *x.shell && len(argv) > 0:
		return usageError(env, "sandbox", "SandboxExecShellAndCommand", nil), true
	case *x.shell:
		sh := os.Getenv("SHELL")
		if sh == "" {
			sh = "bash"
		}
		argv = []string{sh}
	case len(argv) == 0:
		return 0, false
	case !dashes:
		return usageError(env, "sandbox", "SandboxExecNeedDashes", i18n.M{"Args": strings.Join(argv, " ")}), true
	}
	if port < 0 || port > 65535 {
		return usageError(env, "sandbox", "CLIBadPort", i18n.M{"Port": port}), true
	}
	if !flagSet(fs, "port") {
		port = 0 // a free port: a `vpclab sandbox` may be running on 5050
	}
	opts := sandbox.Options{Port: port}
	if verbose {
		opts.Log = env.Stderr
	}
	if *x.shell {
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStarting"))
	}
	startCtx, cancel := context.WithTimeout(env.Ctx, 60*time.Second)
	srv, err := sandbox.Start(startCtx, opts)
	cancel()
	if env.Ctx.Err() != nil {
		if srv != nil {
			srv.Stop()
		}
		return ExitFail, true
	}
	if !sandboxStarted(env, err) {
		return ExitFail, true
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintln(env.Stderr, env.Loc.T("SandboxStopFailed", i18n.M{"Err": err}))
		}
	}()
	if *x.shell {
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxExecShell", i18n.M{"URL": srv.URL(), "Region": region}))
	}

	cmd := exec.Command(argv[0], argv[1:]...)
	state, dropState := sandboxProgress()
	defer dropState()
	cmd.Env = append(append(sandboxExecEnviron(), sandbox.Env(srv.URL(), region)...), state...)
	// The learner's ~/.aws (profiles, SSO) stays out, so an explicit
	// --profile cannot bring a real account's settings in; /dev/null is
	// an empty file no one else can write.
	cmd.Env = append(cmd.Env, "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull, "AWS_EC2_METADATA_DISABLED=true",
		"VPCLAB_SANDBOX="+srv.URL())
	if *x.shell {
		// A practice session runs many aws commands: each starts in a
		// tenth of the time from a warm CLI (best effort).
		if warm, err := awscli.Start(env.Ctx, os.Getenv("PATH"), awscli.Options{}); err == nil {
			defer warm.Close()
			cmd.Env = warm.Env(cmd.Env)
		}
	}
	cmd.Dir = env.Dir
	// The child gets the terminal itself, not vpclab's wrappers around
	// it: through a pipe it would not see a terminal (no pager, colour or
	// full-screen programs) and its background jobs would hold vpclab.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = env.Stdin, underlying(env.Stdout), underlying(env.Stderr)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxExecNotStarted", i18n.M{"Command": argv[0], "Err": err}))
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return 127, true // as a shell says "command not found"
		}
		return 126, true
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopping := env.Ctx.Done()
	if *x.shell {
		// Ctrl-C at the prompt is the shell's to handle, not a reason to
		// end the learner's session: the shell ends when they exit it
		// (or the terminal hangs up).
		stopping = nil
	}
	select {
	case err = <-done:
	case <-stopping:
		// vpclab was asked to stop (Ctrl-C reaches the command too, from
		// the terminal): the command gets SIGTERM, then is killed.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err = <-done:
		case <-time.After(execStopGrace):
			_ = cmd.Process.Kill()
			err = <-done
		}
	case <-srv.Done():
		fmt.Fprintln(env.Stderr, env.Loc.T("SandboxDied"))
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(execStopGrace):
			_ = cmd.Process.Kill()
			<-done
		}
		return ExitFail, true
	}
	return exitStatus(err), true
}

// exitStatus is the command's exit status as a shell reports it: 128+N
// for a command killed by signal N.
func exitStatus(err error) int {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		if err != nil {
			return ExitFail
		}
		return ExitOK
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}

// sandboxExecEnviron is the process environment without AWS settings:
// the command reaches the sandbox and nothing else.
func sandboxExecEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			out = append(out, kv)
		}
	}
	return out
}
