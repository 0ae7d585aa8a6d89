package awsx_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/sandbox"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func TestClassifyRefused(t *testing.T) {
	cfg := sandboxtest.Config(t)
	awsx.Protect(&cfg, nil)
	_, err := ec2.NewFromConfig(cfg).CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	p := awsx.Classify(err)
	if p.Kind != awsx.Refused || p.Action != "ec2:CreateVpc" || p.Code != "" {
		t.Errorf("Classify = %+v, want refused ec2:CreateVpc", p)
	}
	if !strings.Contains(p.Message, "it only reads your account") {
		t.Errorf("Message = %q", p.Message)
	}
}

func TestClassifyUnreachable(t *testing.T) {
	cfg := aws.Config{
		Region:           sandboxtest.Region,
		BaseEndpoint:     aws.String(closedPort(t)),
		Credentials:      dummyCreds(),
		RetryMaxAttempts: 1,
	}
	awsx.Protect(&cfg, nil)
	_, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	p := awsx.Classify(err)
	if p.Kind != awsx.Unreachable || p.Action != "ec2:DescribeVpcs" {
		t.Errorf("Classify = %v %q (%v), want unreachable ec2:DescribeVpcs", p.Kind, p.Action, err)
	}
}

func TestClassifyUnresolvableHost(t *testing.T) {
	cfg := aws.Config{
		Region:           sandboxtest.Region,
		BaseEndpoint:     aws.String("http://vpclab-test.invalid"), // RFC 2606: never resolves
		Credentials:      dummyCreds(),
		RetryMaxAttempts: 1,
	}
	_, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if p := awsx.Classify(err); p.Kind != awsx.Unreachable {
		t.Errorf("Classify = %v (%v), want unreachable", p.Kind, err)
	}
}

// An error moto really returns is neither a setup nor a permission
// problem.
func TestClassifyAPIErrorFromMoto(t *testing.T) {
	cfg := sandboxtest.Config(t)
	awsx.Protect(&cfg, nil)
	_, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123456789abcdef0"}})
	p := awsx.Classify(err)
	if p.Kind != awsx.Other || p.Code != "InvalidVpcID.NotFound" || p.Action != "ec2:DescribeVpcs" {
		t.Errorf("Classify = %+v, want other InvalidVpcID.NotFound from ec2:DescribeVpcs", p)
	}
	if !strings.Contains(p.Message, "vpc-0123456789abcdef0") || strings.Contains(p.Message, "operation error") {
		t.Errorf("Message = %q, want AWS's own message", p.Message)
	}
}

func TestClassifyNoCredentials(t *testing.T) {
	isolateEnv(t)
	var m awsx.Meter
	cfg, err := awsx.Load(context.Background(), "", sandboxtest.Region, &m)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	p := awsx.Classify(err)
	if p.Kind != awsx.NoCredentials || p.Action != "ec2:DescribeVpcs" {
		t.Errorf("Classify = %v %q, want no-credentials ec2:DescribeVpcs; err: %v", p.Kind, p.Action, err)
	}
	if m.Total() != 0 {
		t.Errorf("Meter counted %v for a call that was never sent", m.Calls())
	}
}

// Off EC2, with the instance metadata service enabled, the credential chain
// ends with a connection error to IMDS. That is still "no credentials",
// not "AWS is unreachable".
func TestClassifyNoCredentialsIMDSUnreachable(t *testing.T) {
	isolateEnv(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", closedPort(t))
	cfg, err := awsx.Load(context.Background(), "", sandboxtest.Region, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if p := awsx.Classify(err); p.Kind != awsx.NoCredentials {
		t.Errorf("Classify = %v, want no-credentials; err: %v", p.Kind, err)
	}
}

func TestClassifyEmptyStaticCredentials(t *testing.T) {
	cfg := aws.Config{
		Region:           sandboxtest.Region,
		BaseEndpoint:     aws.String(closedPort(t)),
		Credentials:      credentials.NewStaticCredentialsProvider("", "", ""),
		RetryMaxAttempts: 1,
	}
	_, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if p := awsx.Classify(err); p.Kind != awsx.NoCredentials {
		t.Errorf("Classify = %v, want no-credentials; err: %v", p.Kind, err)
	}
}

func TestClassifyMissingProfile(t *testing.T) {
	isolateEnv(t)
	_, err := awsx.Load(context.Background(), "no-such-profile", sandboxtest.Region, nil)
	if err == nil {
		t.Fatal("Load with a missing profile succeeded")
	}
	if p := awsx.Classify(err); p.Kind != awsx.NoCredentials || p.Action != "" {
		t.Errorf("Classify = %+v, want no-credentials with no action", p)
	}
}

func TestClassifyNoRegion(t *testing.T) {
	isolateEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", sandbox.DummyCredential)
	t.Setenv("AWS_SECRET_ACCESS_KEY", sandbox.DummyCredential)
	_, err := awsx.Load(context.Background(), "", "", nil)
	if err == nil {
		t.Fatal("Load without a region succeeded")
	}
	if p := awsx.Classify(err); p.Kind != awsx.NoRegion {
		t.Errorf("Classify = %v, want no-region; err: %v", p.Kind, err)
	}
	// What the SDK itself says when a client has no region and no
	// endpoint: endpoint resolution fails before anything is sent.
	_, err = ec2.NewFromConfig(aws.Config{Credentials: dummyCreds()}).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if p := awsx.Classify(err); p.Kind != awsx.NoRegion {
		t.Errorf("Classify = %v, want no-region; err: %v", p.Kind, err)
	}
}

// SSO profiles whose session expired, or never started, are classified
// without any network: the SDK reads the token cache under $HOME.
func TestClassifyExpiredSSO(t *testing.T) {
	const startURL = "https://vpclab-test.awsapps.com/start"
	expired := `{"accessToken":"x","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"` + startURL + `"}`
	for _, c := range []struct {
		name, config, cacheKey, token string
	}{
		{
			name: "legacy profile, expired token",
			config: "[profile lab]\nsso_start_url = " + startURL + "\nsso_region = us-east-1\n" +
				"sso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-east-1\n",
			cacheKey: startURL, token: expired,
		},
		{
			name: "legacy profile, never logged in",
			config: "[profile lab]\nsso_start_url = " + startURL + "\nsso_region = us-east-1\n" +
				"sso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-east-1\n",
		},
		{
			name: "sso-session, expired token without refresh token",
			config: "[profile lab]\nsso_session = school\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-east-1\n" +
				"[sso-session school]\nsso_start_url = " + startURL + "\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n",
			cacheKey: "school", token: expired,
		},
		{
			name: "sso-session, never logged in",
			config: "[profile lab]\nsso_session = school\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-east-1\n" +
				"[sso-session school]\nsso_start_url = " + startURL + "\nsso_region = us-east-1\n",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := isolateEnv(t)
			writeFile(t, os.Getenv("AWS_CONFIG_FILE"), c.config)
			if c.token != "" {
				sum := sha1.Sum([]byte(c.cacheKey))
				writeFile(t, filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"), c.token)
			}
			var m awsx.Meter
			cfg, err := awsx.Load(context.Background(), "lab", "", &m)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			_, err = ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
			if p := awsx.Classify(err); p.Kind != awsx.ExpiredSSO {
				t.Errorf("Classify = %v, want expired-sso; err: %v", p.Kind, err)
			}
			if m.Total() != 0 {
				t.Errorf("Meter counted %v", m.Calls())
			}
		})
	}
}

// moto cannot deny access, expire a token or throttle, so these errors are
// built by hand the way the SDK wraps them: an API error inside the
// response error inside the *smithy.OperationError.
func TestClassifyAPIErrorCodes(t *testing.T) {
	for _, c := range []struct {
		svc, op, code string
		want          awsx.Kind
	}{
		{"EC2", "DescribeVpcs", "UnauthorizedOperation", awsx.AccessDenied},
		{"ECS", "ListTasks", "AccessDeniedException", awsx.AccessDenied},
		{"STS", "GetCallerIdentity", "AccessDenied", awsx.AccessDenied},
		{"ECS", "DescribeClusters", "UnrecognizedClientException", awsx.InvalidCredentials},
		{"STS", "GetCallerIdentity", "InvalidClientTokenId", awsx.InvalidCredentials},
		{"EC2", "DescribeVpcs", "AuthFailure", awsx.InvalidCredentials},
		{"STS", "GetCallerIdentity", "ExpiredToken", awsx.ExpiredToken},
		{"ECS", "DescribeTasks", "ExpiredTokenException", awsx.ExpiredToken},
		{"EC2", "DescribeSubnets", "RequestExpired", awsx.ExpiredToken},
		{"STS", "GetCallerIdentity", "Throttling", awsx.Throttled},
		{"ECS", "ListTasks", "ThrottlingException", awsx.Throttled},
		{"EC2", "DescribeRouteTables", "RequestLimitExceeded", awsx.Throttled},
		{"EC2", "DescribeVpcs", "InvalidParameterValue", awsx.Other},
		{"EC2", "DescribeVpcs", "InternalError", awsx.Other},
	} {
		err := opError(c.svc, c.op, &smithy.GenericAPIError{Code: c.code, Message: "msg for " + c.code})
		if c.want == awsx.Throttled {
			err = opError(c.svc, c.op, &retry.MaxAttemptsError{Attempt: 3, Err: apiResponseError(&smithy.GenericAPIError{Code: c.code, Message: "msg for " + c.code})})
		}
		p := awsx.Classify(err)
		wantAction := awsx.IAMAction(c.svc, c.op)
		if p.Kind != c.want || p.Code != c.code || p.Action != wantAction || p.Message != "msg for "+c.code {
			t.Errorf("Classify(%s from %s) = %+v, want %v from %s", c.code, wantAction, p, c.want, wantAction)
		}
	}
}

// Errors from a credential provider's own call inside the outer call.
func TestClassifyCredentialChain(t *testing.T) {
	chain := func(inner error) error {
		return opError("EC2", "DescribeVpcs",
			fmt.Errorf("get identity: get credentials: failed to refresh cached credentials, %w", inner))
	}
	for _, c := range []struct {
		name       string
		err        error
		want       awsx.Kind
		wantAction string
	}{
		{"AssumeRole denied", chain(opError("STS", "AssumeRole", apiResponseError(&smithy.GenericAPIError{Code: "AccessDenied"}))),
			awsx.AccessDenied, "sts:AssumeRole"},
		{"SSO role credentials refused", chain(opError("SSO", "GetRoleCredentials", apiResponseError(&smithy.GenericAPIError{Code: "UnauthorizedException"}))),
			awsx.ExpiredSSO, "sso:GetRoleCredentials"},
		{"SSO role not assigned", chain(opError("SSO", "GetRoleCredentials", apiResponseError(&smithy.GenericAPIError{Code: "ForbiddenException", Message: "No access"}))),
			awsx.AccessDenied, "sso:GetRoleCredentials"},
		{"SSO refresh grant expired", chain(fmt.Errorf("refresh cached SSO token failed, unable to refresh SSO token, %w",
			opError("SSO OIDC", "CreateToken", apiResponseError(&smithy.GenericAPIError{Code: "InvalidGrantException"})))),
			awsx.ExpiredSSO, "sso-oauth:CreateToken"},
		{"SSO portal offline", chain(opError("SSO", "GetRoleCredentials", &smithyhttp.RequestSendError{Err: &net.DNSError{Err: "no such host", Name: "portal.sso.us-east-1.amazonaws.com", IsNotFound: true}})),
			awsx.Unreachable, "ec2:DescribeVpcs"},
		{"console login expired", chain(errors.New("login session has expired, please reauthenticate")),
			awsx.ExpiredSSO, "ec2:DescribeVpcs"},
		{"IMDS disabled", chain(fmt.Errorf("no EC2 IMDS role found, %w", opError("ec2imds", "GetMetadata", errors.New(`access disabled to EC2 IMDS via client option, or "AWS_EC2_METADATA_DISABLED" environment variable`)))),
			awsx.NoCredentials, "ec2:DescribeVpcs"},
		{"canceled", opError("EC2", "DescribeVpcs", &aws.RequestCanceledError{Err: context.Canceled}),
			awsx.Other, "ec2:DescribeVpcs"},
		{"deadline", opError("EC2", "DescribeVpcs", &aws.RequestCanceledError{Err: context.DeadlineExceeded}),
			awsx.Unreachable, "ec2:DescribeVpcs"},
	} {
		p := awsx.Classify(c.err)
		if p.Kind != c.want || p.Action != c.wantAction {
			t.Errorf("%s: Classify = %v %q, want %v %q", c.name, p.Kind, p.Action, c.want, c.wantAction)
		}
	}
}

func TestClassifyNil(t *testing.T) {
	if p := awsx.Classify(nil); p != (awsx.Problem{}) {
		t.Errorf("Classify(nil) = %+v", p)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[awsx.Kind]string{
		awsx.Other: "other", awsx.NoCredentials: "no-credentials", awsx.ExpiredSSO: "expired-sso",
		awsx.AccessDenied: "access-denied", awsx.Refused: "refused", awsx.Kind(99): "unknown",
	} {
		if k.String() != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), k.String(), want)
		}
	}
}

// --- helpers shared with guard_test.go ---

func opError(svc, op string, err error) error {
	return &smithy.OperationError{ServiceID: svc, OperationName: op, Err: err}
}

// apiResponseError wraps an API error like the SDK's deserializers do.
func apiResponseError(api error) error {
	return fmt.Errorf("https response error StatusCode: 400, RequestID: test, %w", api)
}

func dummyCreds() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(sandbox.DummyCredential, sandbox.DummyCredential, "")
}

// closedPort is the URL of a loopback port nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// isolateEnv leaves the SDK nothing to find: no credential variables, empty
// config and credentials files, a fresh HOME (the SSO token cache lives
// there), no instance metadata, and a closed port as the endpoint in case a
// call is sent anyway. It returns the HOME directory.
func isolateEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "") // restored after the test
			os.Unsetenv(k)
		}
	}
	home := filepath.Join(dir, "home")
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("AWS_CONFIG_FILE", writeFile(t, filepath.Join(dir, "config"), ""))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", writeFile(t, filepath.Join(dir, "credentials"), ""))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ENDPOINT_URL", closedPort(t))
	t.Setenv("AWS_RETRY_MODE", "standard")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	return home
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestClassifyBadConfig: settings no request can carry (a session token
// pasted with a line break) or a config file that cannot be read are
// BadConfig, not "unreachable", and are not retried: net/http refuses the
// request before anything is sent (to a closed loopback port here, so a
// request that did go out would be Unreachable).
func TestClassifyBadConfig(t *testing.T) {
	isolateEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", sandbox.DummyCredential)
	t.Setenv("AWS_SECRET_ACCESS_KEY", sandbox.DummyCredential)
	t.Setenv("AWS_SESSION_TOKEN", "bad\ntoken")
	cfg, err := awsx.Load(context.Background(), "", sandboxtest.Region, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if p := awsx.Classify(err); p.Kind != awsx.BadConfig {
		t.Errorf("a token with a line break: %v (%v), want bad-config", p.Kind, err)
	}
	if err != nil && strings.Contains(err.Error(), "attempts") {
		t.Errorf("retried: %v", err)
	}
	if awsx.Transient(err) {
		t.Error("counted transient: --wait would keep trying")
	}

	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()) // a folder
	_, err = awsx.Load(context.Background(), "", sandboxtest.Region, nil)
	if p := awsx.Classify(err); err == nil || p.Kind != awsx.BadConfig {
		t.Errorf("a config file that is a folder: %v (%v), want bad-config", p.Kind, err)
	}
}
