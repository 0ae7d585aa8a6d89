package awsx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Kind sorts AWS failures by what the learner has to do about them.
type Kind int

const (
	// Other is anything else: an AWS 5xx, a bad request, a vpclab bug.
	Other Kind = iota
	// NoCredentials: no credentials anywhere in the chain (env, profile,
	// SSO, container or instance role), or the named profile does not exist.
	NoCredentials
	// InvalidCredentials: AWS does not recognise the access key or the
	// signature (deleted key, mistyped secret).
	InvalidCredentials
	// ExpiredSSO: the IAM Identity Center (SSO) or console login session
	// has expired or was never started; "aws sso login" (or "aws login")
	// fixes it.
	ExpiredSSO
	// ExpiredToken: temporary credentials (a session token) have expired.
	ExpiredToken
	// AccessDenied: the credentials work but lack the permission; Action
	// names it.
	AccessDenied
	// Throttled: AWS rate-limited the calls even after retries.
	Throttled
	// Unreachable: no answer from the endpoint (network down, DNS, proxy,
	// TLS, timeout).
	Unreachable
	// NoRegion: no region given or configured.
	NoRegion
	// Refused: vpclab's read-only guard stopped a call (a vpclab bug).
	Refused
	// BadConfig: the request could not even be made from this machine's
	// AWS settings (a session token with a line break, an endpoint URL
	// without http://, a config file that is a folder): nothing was sent,
	// so it is neither the network nor AWS.
	BadConfig
)

var kindNames = [...]string{
	Other:              "other",
	NoCredentials:      "no-credentials",
	InvalidCredentials: "invalid-credentials",
	ExpiredSSO:         "expired-sso",
	ExpiredToken:       "expired-token",
	AccessDenied:       "access-denied",
	Throttled:          "throttled",
	Unreachable:        "unreachable",
	NoRegion:           "no-region",
	Refused:            "refused",
	BadConfig:          "bad-config",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Problem is a classified AWS failure.
type Problem struct {
	Kind Kind
	// Action is the IAM action of the call that failed, e.g.
	// "ec2:DescribeVpcs", or "" when unknown (config errors). For an error
	// AWS returned it is the operation that got that error, which may be a
	// credential call such as "sts:AssumeRole" inside the outer one.
	Action string
	// Code is the AWS error code when AWS answered, e.g. "AccessDenied".
	Code string
	// Message is the raw text: AWS's own message when AWS answered,
	// otherwise the whole error. English, not for translation.
	Message string
	// Err is the classified error.
	Err error
	// Status is the HTTP status of the response, 0 when there was none.
	Status int
	// TimedOut: the call ended at its deadline (--timeout) with no answer.
	TimedOut bool
}

// Error codes by kind. Codes are matched exactly, as AWS returns them.
var codeKinds = map[string]Kind{
	"AccessDenied":          AccessDenied,
	"AccessDeniedException": AccessDenied,
	"UnauthorizedOperation": AccessDenied,

	"UnrecognizedClientException": InvalidCredentials,
	"InvalidClientTokenId":        InvalidCredentials,
	"AuthFailure":                 InvalidCredentials,
	"InvalidAccessKeyId":          InvalidCredentials,
	"SignatureDoesNotMatch":       InvalidCredentials,
	"IncompleteSignature":         InvalidCredentials,

	"MissingAuthenticationToken": NoCredentials,

	"ExpiredToken":          ExpiredToken,
	"ExpiredTokenException": ExpiredToken,
	"RequestExpired":        ExpiredToken,

	"Throttling":                Throttled,
	"ThrottlingException":       Throttled,
	"RequestLimitExceeded":      Throttled,
	"TooManyRequestsException":  Throttled,
	"RequestThrottled":          Throttled,
	"RequestThrottledException": Throttled,
}

// Services whose calls happen only while resolving SSO or login
// credentials: most errors AWS returns from them mean the session must be
// renewed.
var loginServices = map[string]bool{"SSO": true, "SSO OIDC": true, "Signin": true}

// Messages of credential providers that return untyped errors.
var (
	loginMessages = []string{
		"SSO session has expired",   // ssocreds.InvalidTokenError
		"cached SSO token",          // SSO token provider: expired and cannot be refreshed
		"failed to read cached SSO", // never logged in (no cache file)
		"login session has expired", // logincreds
		"login session password has changed",
		"token file not found, please reauthenticate",
	}
	credentialMessages = []string{
		"get identity:",                        // smithy auth: the identity resolver failed
		"failed to retrieve credentials",       // signer without a resolved identity
		"failed to refresh cached credentials", // aws.CredentialsCache
		"no EC2 IMDS role found",
		"could not select an auth scheme", // no credentials provider at all
		"no identity resolver",
	}
)

// Classify sorts err, from an AWS call or from Load, into a Problem.
// Classify(nil) is the zero Problem.
func Classify(err error) Problem {
	if err == nil {
		return Problem{}
	}
	p := Problem{Kind: Other, Message: err.Error(), Err: err, Action: outerAction(err)}
	var apiErr smithy.APIError
	hasAPI := errors.As(err, &apiErr)
	if hasAPI {
		p.Code = apiErr.ErrorCode()
		if msg := apiErr.ErrorMessage(); msg != "" {
			p.Message = msg
		}
		p.Action = apiAction(err)
	}
	p.Status = httpStatus(err)
	if p.Status >= 400 && (!hasAPI || p.Code == "UnknownError" || p.Code == "") {
		p.Code = ""
		p.Message = notFromAWS(p.Action, p.Status)
	} else if p.Status >= 500 && hasAPI {
		p.Message = fmt.Sprintf("%s: HTTP %d %s: %s", p.Action, p.Status, p.Code, p.Message)
	}
	p.TimedOut = errors.Is(err, context.DeadlineExceeded)
	p.Kind = kindOf(err, apiErr)
	if p.Kind == Refused {
		var nro *NotReadOnlyError
		errors.As(err, &nro)
		p.Action = nro.Action
	}
	return p
}

func kindOf(err error, apiErr smithy.APIError) Kind {
	var (
		refused     *NotReadOnlyError
		noRegion    *aws.MissingRegionError
		noProfile   config.SharedConfigProfileNotExistError
		ssoToken    *ssocreds.InvalidTokenError
		emptyStatic *credentials.StaticCredentialsEmptyError
	)
	var sharedConfig config.SharedConfigLoadError
	switch {
	case errors.As(err, &refused):
		return Refused
	case errors.As(err, &sharedConfig), unsendable(err):
		return BadConfig
	case errors.As(err, &noRegion), strings.Contains(err.Error(), "Missing Region"):
		// Endpoint rules say "Invalid Configuration: Missing Region"; older
		// SDKs returned *aws.MissingRegionError.
		return NoRegion
	case errors.As(err, &noProfile):
		return NoCredentials
	case errors.As(err, &ssoToken):
		return ExpiredSSO
	}

	// A network failure is Unreachable, except on the way to the instance
	// metadata service: off EC2 that is how the credential chain ends when
	// it finds nothing, so it means no credentials.
	if netErr := networkError(err); netErr != nil {
		if innerService(err, netErr) == "ec2imds" {
			return NoCredentials
		}
		return Unreachable
	}

	if apiErr != nil && loginServices[innerService(err, apiErr)] {
		switch apiErr.ErrorCode() {
		case "ForbiddenException", "ResourceNotFoundException":
			// sso:GetRoleCredentials: the session is fine, but the profile's
			// account or role is not assigned to this user.
			return AccessDenied
		case "TooManyRequestsException":
			return Throttled
		}
		return ExpiredSSO
	}
	msg := err.Error()
	for _, s := range loginMessages {
		if strings.Contains(msg, s) {
			return ExpiredSSO
		}
	}
	if apiErr != nil {
		if k, ok := codeKinds[apiErr.ErrorCode()]; ok {
			return k
		}
		return Other
	}
	if errors.As(err, &emptyStatic) {
		return NoCredentials
	}
	for _, s := range credentialMessages {
		if strings.Contains(msg, s) {
			return NoCredentials
		}
	}
	return Other
}

// unsendableMessages are net/http's words for a request it refuses to
// send: built from settings no request can carry.
var unsendableMessages = []string{"net/http: invalid header field", "unsupported protocol scheme", "net/http: no Host in request URL", "invalid URL escape", "invalid control character in URL"}

func unsendable(err error) bool {
	msg := err.Error()
	for _, s := range unsendableMessages {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// networkError finds the error that says the endpoint could not be
// reached, or nil. A canceled context is not one (the user stopped vpclab);
// a deadline is (AWS did not answer in time).
func networkError(err error) error {
	var (
		send    *smithyhttp.RequestSendError
		opErr   *net.OpError
		dnsErr  *net.DNSError
		urlErr  *url.Error
		timeout interface{ Timeout() bool }
	)
	switch {
	case errors.As(err, &send):
		return send
	case errors.As(err, &opErr):
		return opErr
	case errors.As(err, &dnsErr):
		return dnsErr
	case errors.As(err, &urlErr):
		return urlErr
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	case errors.As(err, &timeout) && timeout.Timeout():
		return err
	}
	return nil
}

// outerAction is the IAM action of the outermost operation in err: the
// call vpclab made.
func outerAction(err error) string {
	var op *smithy.OperationError
	if errors.As(err, &op) {
		return IAMAction(op.ServiceID, op.OperationName)
	}
	return ""
}

// apiAction is the IAM action of the innermost operation that still
// contains AWS's error: an AccessDenied from an AssumeRole in the
// credential chain names sts:AssumeRole, not the call vpclab made.
func apiAction(err error) string {
	op := innermostOp(err, func(e error) bool {
		var a smithy.APIError
		return errors.As(e, &a)
	})
	if op == nil {
		return outerAction(err)
	}
	return IAMAction(op.ServiceID, op.OperationName)
}

// innerService is the service ID of the innermost operation whose error
// chain contains target.
func innerService(err, target error) string {
	op := innermostOp(err, func(e error) bool { return errors.Is(e, target) })
	if op == nil {
		return ""
	}
	return op.ServiceID
}

// innermostOp descends through nested *smithy.OperationErrors (a credential
// provider's call inside the outer call) as long as contains holds for the
// nested operation's error.
func innermostOp(err error, contains func(error) bool) *smithy.OperationError {
	var op *smithy.OperationError
	if !errors.As(err, &op) || !contains(op.Err) {
		return nil
	}
	for {
		var inner *smithy.OperationError
		if !errors.As(op.Err, &inner) || !contains(inner.Err) {
			return op
		}
		op = inner
	}
}
