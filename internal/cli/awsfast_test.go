package cli

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The lab tests run hundreds of AWS CLI commands; each start of the CLI
// costs Python about a second. awsServer runs the same AWS CLI (its
// clidriver, in process) behind a loopback port, and the bash function
// awsFunction sends each command's arguments there, so that a lab's own
// blocks run unchanged, with the real CLI, at a fraction of the cost.
// Without the awscli Python package (the CLI v2 binary), the shell keeps
// the plain aws command.
const awsServer = `
import io, os, socket, sys, base64, contextlib
from awscli.clidriver import create_clidriver
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(4)
print(srv.getsockname()[1], flush=True)
def read_fields(f, n):
    out, buf = [], b""
    while len(out) < n:
        c = f.read(1)
        if not c:
            return None
        if c == b"\0":
            out.append(buf.decode()); buf = b""
        else:
            buf += c
    return out
while True:
    conn, _ = srv.accept()
    f = conn.makefile("rwb")
    head = read_fields(f, 1)
    if head is None:
        conn.close(); continue
    fields = read_fields(f, int(head[0]))
    cwd, region, default_region, args = fields[0], fields[1], fields[2], fields[3:]
    os.chdir(cwd)
    for k, v in (("AWS_REGION", region), ("AWS_DEFAULT_REGION", default_region)):
        if v: os.environ[k] = v
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = create_clidriver().main(args)
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 1
    except Exception as e:
        err.write(repr(e)); rc = 255
    f.write(b"%d\n" % (rc or 0))
    f.write(base64.b64encode(err.getvalue().encode()) + b"\n")
    f.write(out.getvalue().encode())
    f.flush(); f.close(); conn.close()
`

// awsFunction replaces aws in the lab shell when the server runs.
const awsFunction = `aws() {
  local fd rc errb
  exec {fd}<>/dev/tcp/127.0.0.1/$VPCLAB_AWS_PORT || return 255
  printf '%s\0' "$(( $# + 3 ))" "$PWD" "${AWS_REGION:-}" "${AWS_DEFAULT_REGION:-}" "$@" >&$fd
  IFS= read -r rc <&$fd || rc=255
  IFS= read -r errb <&$fd || errb=
  cat <&$fd
  exec {fd}<&-
  [ -z "$errb" ] || printf '%s' "$errb" | base64 -d >&2
  return "$rc"
}
`

// startAWSServer starts the server with env; "" when the awscli package
// is not there.
func startAWSServer(t *testing.T, env []string) string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "awsserver.py")
	if err := os.WriteFile(script, []byte(awsServer), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", script)
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Logf("no python3 for the fast AWS CLI (%v): the plain aws command runs", err)
		return ""
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		port <- strings.TrimSpace(line)
	}()
	select {
	case p := <-port:
		if p == "" {
			t.Log("the awscli package is not importable: the plain aws command runs")
		}
		return p
	case <-time.After(testBudget(t, time.Minute)):
		t.Log("the fast AWS CLI did not start: the plain aws command runs")
		return ""
	}
}
