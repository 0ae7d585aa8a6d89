package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/vpclab/vpclab/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"vpclab": func() { os.Exit(cli.Main()) },
	})
}

// TestScripts runs the CLI end to end from testdata/script/*.txtar. Set
// VPCLAB_UPDATE=1 to rewrite the scripts' expected files.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	moto := motoInstalled()
	if !moto && os.Getenv("CI") == "true" {
		t.Fatal("moto is not installed, and CI must run the sandbox scripts: install it with pip install 'moto[server]'")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("VPCLAB_UPDATE") != "",
		Setup: func(env *testscript.Env) error {
			// A developer's own locale and AWS settings must not leak in.
			// (Removed rather than emptied: an empty AWS_PROFILE names the
			// profile "" to botocore.)
			kept := env.Vars[:0]
			for _, kv := range env.Vars {
				k, _, _ := strings.Cut(kv, "=")
				if !strings.HasPrefix(k, "AWS_") && k != "LC_ALL" && k != "LC_MESSAGES" {
					kept = append(kept, kv)
				}
			}
			env.Vars = kept
			env.Setenv("LANG", "C")
			env.Setenv("REPO", repo)
			env.Setenv("AWS_CONFIG_FILE", filepath.Join(env.WorkDir, "no-aws-config"))
			env.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(env.WorkDir, "no-aws-credentials"))
			env.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			env.Setenv("AWS_PAGER", "")
			env.Setenv("VPCLAB_STATE_DIR", filepath.Join(env.WorkDir, "state"))
			port, err := freePort()
			if err != nil {
				return err
			}
			env.Setenv("SANDBOX_PORT", strconv.Itoa(port))
			if port, err = freePort(); err != nil {
				return err
			}
			env.Setenv("SERVE_PORT", strconv.Itoa(port))
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "moto":
				return moto, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":   cmdExitCode,
			"waitfile":   cmdWaitFile,
			"httpwait":   cmdHTTPWait,
			"portclosed": cmdPortClosed,
			"signal":     cmdSignal,
			"noproc":     cmdNoProc,
		},
	})
}

func motoInstalled() bool {
	python := os.Getenv("VPCLAB_PYTHON")
	if python == "" {
		python = "python3"
	}
	return exec.Command(python, "-c", "import moto, flask, flask_cors").Run() == nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// exitcode N command [args...] runs a command and requires its exact exit
// status: scripts that call vpclab rely on 0, 1, 2 and 3 meaning what the
// README says. Its stdout and stderr are kept for stdout/stderr asserts.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("usage: exitcode N command [args...]: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// waitfile FILE waits up to a minute for FILE to exist (a background
// command writes it when it is ready).
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile FILE")
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
	}
	ts.Fatalf("%s did not appear within a minute", args[0])
}

// httpwait URL TEXT waits up to two minutes for a 200 answer at URL whose
// body contains TEXT (a background server's page, once it is ready).
func cmdHTTPWait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: httpwait URL TEXT")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	last := ""
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		resp, err := client.Get(args[0])
		if err != nil {
			last = err.Error()
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && strings.Contains(string(body), args[1]) {
			fmt.Fprint(ts.Stdout(), string(body))
			return
		}
		last = resp.Status + ": " + string(body)
	}
	ts.Fatalf("%s never answered with %q; last: %.300s", args[0], args[1], last)
}

// portclosed PORT requires that nothing listens on 127.0.0.1:PORT.
func cmdPortClosed(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: portclosed PORT")
	}
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+args[0], time.Second)
	if err == nil {
		conn.Close()
		ts.Fatalf("something still listens on 127.0.0.1:%s", args[0])
	}
}

// signal TERM|HUP|INT sends that signal to the script's background
// commands, as a service manager, a closed terminal or Ctrl-C would.
func cmdSignal(ts *testscript.TestScript, neg bool, args []string) {
	sigs := map[string]syscall.Signal{"TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP, "INT": syscall.SIGINT}
	if neg || len(args) != 1 || sigs[args[0]] == 0 {
		ts.Fatalf("usage: signal TERM|HUP|INT")
	}
	for _, c := range ts.BackgroundCmds() {
		if c.Process != nil {
			ts.Check(c.Process.Signal(sigs[args[0]]))
		}
	}
}

// noproc TEXT requires that no process's command line contains TEXT; it
// proves that stopping the sandbox left no moto behind.
func cmdNoProc(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: noproc TEXT")
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		ts.Fatalf("noproc needs /proc: %v", err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		left := ""
		for _, e := range entries {
			if _, err := strconv.Atoi(e.Name()); err != nil {
				continue
			}
			cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if err == nil && strings.Contains(strings.ReplaceAll(string(cmdline), "\x00", " "), args[0]) && !zombie(e.Name()) {
				left = e.Name() + ": " + strings.ReplaceAll(string(cmdline), "\x00", " ")
			}
		}
		if left == "" {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("a process is left behind: %s", left)
		}
		entries, _ = os.ReadDir("/proc")
	}
}

func zombie(pid string) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return true // gone
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] == 'Z'
}
