package cli

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// noAWSSetup leaves the process with no AWS credentials, files or
// endpoint (the SDK reads the process environment).
func noAWSSetup(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("VPCLAB_STATE_DIR", dir+"/state")
}

// TestNoSDKLogLines: off EC2, the credential chain asks the instance
// metadata service, which refuses a token (as a proxy or a non-EC2 host
// does), and the SDK logs "WARN falling back to IMDSv1" to stderr. That
// line is not vpclab's and must not leak, unless --debug asks for it.
func TestNoSDKLogLines(t *testing.T) {
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }))
	defer imds.Close()
	noAWSSetup(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "")
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	t.Setenv("AWS_REGION", "us-east-1")
	env := map[string]string{"AWS_REGION": "us-east-1"}

	code, _, stderr := runCLI(t, "", env, "check", "first-vpc")
	if code != ExitAWS {
		t.Fatalf("exit %d, want %d: %s", code, ExitAWS, stderr)
	}
	if strings.Contains(stderr, "SDK") || strings.Contains(stderr, "WARN") {
		t.Errorf("the SDK's log leaked:\n%s", stderr)
	}
	if !strings.Contains(stderr, "No AWS credentials were found") || !strings.Contains(stderr, "vpclab sandbox") {
		t.Errorf("want the no-credentials message with the sandbox:\n%s", stderr)
	}
	_, _, stderr = runCLI(t, "", env, "--debug", "check", "first-vpc")
	if !strings.Contains(stderr, "SDK") {
		t.Errorf("--debug: want the SDK's log lines:\n%s", stderr)
	}
}

// TestCostTimeout: with every AWS request stalled, vpclab cost and vpclab
// check stop at --timeout with exit 3 and say AWS did not answer in time
// (both were once still waiting after 280 s). The test's own deadline is
// the bound.
func TestCostTimeout(t *testing.T) {
	for _, args := range [][]string{{"cost", "--timeout", "2s"}, {"check", "first-vpc", "--timeout", "2s", "--record=false"}} {
		t.Run(args[0], func(t *testing.T) { stalledAWS(t, args...) })
	}
}

func stalledAWS(t *testing.T, args ...string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() { // accept and never answer
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	noAWSSetup(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL", "http://"+l.Addr().String())
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	code, stdout, stderr := runCLI(t, "", map[string]string{"AWS_ENDPOINT_URL": "http://" + l.Addr().String()}, args...)
	if code != ExitAWS {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, ExitAWS, stdout, stderr)
	}
	if !strings.Contains(stderr, "AWS did not answer in time") {
		t.Errorf("stderr does not say AWS did not answer in time:\n%s", stderr)
	}
}
