package awscli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/internal/awscli"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func TestMain(m *testing.M) { sandboxtest.Main(m) }

// start starts the warm CLI or fails: on the project's machines (and in
// CI) the aws command is the awscli package, so a test that cannot warm
// it would silently measure nothing.
func start(t *testing.T, o ...awscli.Options) *awscli.Warm {
	t.Helper()
	w, err := awscli.Start(context.Background(), os.Getenv("PATH"), append(o, awscli.Options{})[0])
	if err != nil {
		sandboxtest.Skip(t, "no warm AWS CLI here: "+err.Error())
	}
	t.Cleanup(w.Close)
	return w
}

type run struct {
	stdout, stderr string
	code           int
}

func bash(t *testing.T, env []string, dir, script, stdin string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", script)
	cmd.Env, cmd.Dir = env, dir
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return run{o.String(), e.String(), code}
}

// TestWarmIsTheRealCLI: each command gives the same output, errors and
// exit status through the warm CLI as through the plain aws command —
// reads, writes, queries, text output, a usage error, an AWS error,
// arguments from a file and from standard input, and the working folder.
func TestWarmIsTheRealCLI(t *testing.T) {
	base := append(os.Environ(), plain(sandboxtest.Env(t))...)
	w := start(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tags.json"), []byte(`[{"Key":"Name","Value":"from-a-file"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, script, stdin string }{
		{"read", `aws ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[].CidrBlock' --output text`, ""},
		{"json", `aws ec2 describe-availability-zones --query 'AvailabilityZones[].ZoneName'`, ""},
		{"write and read back", `id=$(aws ec2 create-vpc --cidr-block 10.77.0.0/16 --query Vpc.VpcId --output text) && aws ec2 create-tags --resources "$id" --tags file://tags.json && aws ec2 describe-vpcs --vpc-ids "$id" --query 'Vpcs[0].[CidrBlock,Tags[0].Value]' --output text`, ""},
		{"stdin", `aws ec2 describe-vpcs --cli-input-json file:///dev/stdin --query 'length(Vpcs)'`, `{"Filters":[{"Name":"cidr-block","Values":["10.77.0.0/16"]}]}`},
		{"aws error", `aws ec2 describe-vpcs --vpc-ids vpc-00000000000000000`, ""},
		{"usage error", `aws ec2 create-vpc --no-such-flag`, ""},
		{"required argument missing", `aws ec2 create-subnet --vpc-id vpc-1`, ""},
		{"no operation", `aws ec2`, ""},
		{"a <PLACEHOLDER> pasted", `aws ec2 delete-route --route-table-id <RTB_ID>`, ""},
		{"exit status in a pipeline", `set -o pipefail; aws ec2 describe-subnets --subnet-ids subnet-nope | cat; echo "status $?"`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sandboxtest.Reset(t)
			cold := bash(t, base, dir, c.script, c.stdin)
			sandboxtest.Reset(t)
			warm := bash(t, w.Env(base), dir, c.script, c.stdin)
			if warm != cold {
				t.Errorf("the warm CLI differs from aws:\n cold: %+v\n warm: %+v", cold, warm)
			}
			if c.name == "read" && !strings.Contains(cold.stdout, "172.31.0.0/16") {
				t.Errorf("the read did not reach the sandbox: %+v", cold)
			}
		})
	}
}

// TestWarmServesOnlyTheSandbox: a command aimed anywhere else runs the
// plain aws command (here it cannot connect: the address is unroutable
// and the wait is bounded), never the warm server.
func TestWarmServesOnlyTheSandbox(t *testing.T) {
	sandboxtest.Env(t)
	w := start(t)
	env := w.Env(append(os.Environ(), "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_ENDPOINT_URL=http://192.0.2.1:9", "AWS_MAX_ATTEMPTS=1"))
	r := bash(t, env, t.TempDir(), `type -P aws; aws ec2 describe-vpcs --cli-connect-timeout 1`, "")
	if !strings.HasPrefix(r.stdout, w.Bin()) {
		t.Fatalf("the warm aws is not first on PATH: %+v", r)
	}
	if r.code == 0 || strings.Contains(r.stderr, "serves the local sandbox only") || !strings.Contains(r.stderr, "192.0.2.1") {
		t.Errorf("a command for another endpoint was not left to the plain aws: %+v", r)
	}
}

// TestSandboxOnlyRefuses: in a shell that runs a lab's own commands, the
// aws command refuses anything that could reach past the sandbox (another
// endpoint, by variable or flag, a profile, configured endpoints switched
// off), says so, and sends nothing; what is aimed at the sandbox runs,
// whatever its keys (moto picks the account by them).
func TestSandboxOnlyRefuses(t *testing.T) {
	base := sandboxtest.Env(t)
	w := start(t, awscli.Options{SandboxOnly: true, Refusal: "refused: sandbox only"})
	env := w.Env(plain(append(os.Environ(), append(base, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1")...)))
	for _, c := range []struct{ script, why string }{
		{`env -u AWS_ENDPOINT_URL aws sts get-caller-identity`, "AWS_ENDPOINT_URL is not set"},
		{`AWS_ENDPOINT_URL=https://sts.amazonaws.com aws sts get-caller-identity`, "AWS_ENDPOINT_URL=https://sts.amazonaws.com"},
		{`AWS_ENDPOINT_URL_EC2=https://ec2.us-east-1.amazonaws.com aws ec2 describe-vpcs`, "AWS_ENDPOINT_URL_EC2="},
		{`aws ec2 describe-vpcs --endpoint-url https://ec2.us-east-1.amazonaws.com`, "--endpoint-url"},
		{`aws ec2 describe-vpcs --endpoint-url=https://192.0.2.1`, "--endpoint-url=https://192.0.2.1"},
		{`aws sts get-caller-identity --profile work`, "--profile"},
		{`AWS_PROFILE=work aws sts get-caller-identity`, "AWS_PROFILE"},
		{`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true aws sts get-caller-identity`, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"},
		{`aws sts get-caller-identity --endpoint https://192.0.2.1`, "--endpoint"}, // argparse takes abbreviations
		{`aws sts get-caller-identity --prof work`, "--prof"},
		// A config file of the command's own with a profile's endpoint:
		// the server refuses the request itself.
		{`printf '[default]\nendpoint_url = https://192.0.2.1\n' > c; AWS_CONFIG_FILE=c AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ENDPOINT_URL_STS=https://192.0.2.1 aws sts get-caller-identity`, "AWS_ENDPOINT_URL_STS"},
	} {
		r := bash(t, env, t.TempDir(), c.script, "")
		if r.code != 255 || !strings.Contains(r.stderr, "refused: sandbox only ("+c.why) || r.stdout != "" {
			t.Errorf("%s: %+v; want exit 255 and the refusal naming %q", c.script, r, c.why)
		}
	}
	if r := bash(t, env, t.TempDir(), `aws sts get-caller-identity --query Account --output text --endpoint-url "$AWS_ENDPOINT_URL"`, ""); r.code != 0 || strings.TrimSpace(r.stdout) != "123456789012" {
		t.Errorf("a command aimed at the sandbox did not run: %+v", r)
	}
	// The server refuses on its own, request by request: a client that
	// let everything through still sends nothing off this machine.
	client, err := os.ReadFile(filepath.Join(w.Bin(), "aws"))
	if err != nil || !strings.Contains(string(client), "STRICT = 1") {
		t.Fatalf("the client: %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lax"), []byte(strings.Replace(string(client), "STRICT = 1", "STRICT = 0", 1)), 0o700); err != nil {
		t.Fatal(err)
	}
	r := bash(t, env, dir, `./lax sts get-caller-identity --endpoint-url https://192.0.2.1 --cli-connect-timeout 1`, "")
	if r.code != 255 || !strings.Contains(r.stderr, "refused: sandbox only (192.0.2.1)") {
		t.Errorf("the server sent a request off this machine: %+v", r)
	}
}

// TestWarmClose: Close leaves no files behind, and a nil Warm (Start
// failed) leaves a shell's environment as it was.
// plain drops the PATH sandboxtest.Env sets (its own warm CLI first).
func plain(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PATH=") {
			out = append(out, kv)
		}
	}
	return out
}

func TestWarmClose(t *testing.T) {
	sandboxtest.Env(t)
	w := start(t)
	w.Close()
	if _, err := os.Stat(w.Bin()); !os.IsNotExist(err) {
		t.Errorf("Close left %s behind", w.Bin())
	}
	var nilWarm *awscli.Warm
	if got := nilWarm.Env([]string{"PATH=/bin"}); len(got) != 1 || got[0] != "PATH=/bin" {
		t.Errorf("a nil Warm changed the environment: %v", got)
	}
}
