package classroom

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/roster"
)

// SessionName is the RoleSessionName of every role vpclab assumes, so a
// learner's CloudTrail shows who looked.
const SessionName = "vpclab-class"

// Connector reaches learners' accounts.
type Connector struct {
	// Base is the instructor's config (awsx.Load): its credentials assume
	// learners' roles. Its endpoint settings (the sandbox's) carry over.
	Base aws.Config
	// Meter, when not nil, counts every call made for every learner.
	Meter *awsx.Meter
}

// AssumeRoleError is a failed sts:AssumeRole into a learner's role.
type AssumeRoleError struct {
	Role string
	Err  error
}

func (e *AssumeRoleError) Error() string { return "assume " + e.Role + ": " + e.Err.Error() }
func (e *AssumeRoleError) Unwrap() error { return e.Err }

// Connect returns a guarded config for l's account in l's region: for a
// role, the instructor's credentials assume it (with l's external id, as
// session SessionName, for 15 minutes, which outlasts a check); for a
// profile, the profile is loaded as the AWS CLI would.
func (c *Connector) Connect(ctx context.Context, l roster.Learner) (aws.Config, error) {
	if l.Profile != "" {
		return awsx.Load(ctx, l.Profile, l.Region, c.Meter)
	}
	cfg := c.Base.Copy()
	cfg.Region = l.Region
	awsx.ProtectClass(&cfg, c.Meter) // the one place vpclab assumes a role
	in := &sts.AssumeRoleInput{
		RoleArn:         aws.String(l.RoleARN),
		RoleSessionName: aws.String(SessionName),
		DurationSeconds: aws.Int32(int32((15 * time.Minute).Seconds())),
	}
	if l.ExternalID != "" {
		in.ExternalId = aws.String(l.ExternalID)
	}
	res, err := sts.NewFromConfig(cfg).AssumeRole(ctx, in)
	if err != nil {
		return aws.Config{}, &AssumeRoleError{Role: l.RoleARN, Err: err}
	}
	cr := res.Credentials
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
		aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken)))
	return cfg, nil
}

// Problem codes: why a learner could not be checked. They are stable, for
// scripts reading the JSON and CSV.
const (
	ProblemRoleNotAssumable      = "role-not-assumable"     // sts:AssumeRole refused: no role, wrong trust or external id
	ProblemInstructorCredentials = "instructor-credentials" // the instructor's own credentials are missing or expired
	ProblemNoCredentials         = "no-credentials"         // a learner's profile is missing or has no credentials
	ProblemInvalidCredentials    = "invalid-credentials"    // AWS does not accept the profile's keys
	ProblemBadConfig             = "bad-config"             // the AWS settings cannot make a request at all
	ProblemExpired               = "expired-credentials"    // the profile's session (SSO or token) has expired
	ProblemAccessDenied          = "access-denied"          // the role or profile lacks a read permission
	ProblemThrottled             = "throttled"              // AWS rate-limited the calls
	ProblemUnreachable           = "unreachable"            // no answer from the endpoint
	ProblemTimeout               = "timeout"                // the learner took longer than the time limit
	ProblemWrongRegion           = "wrong-region"           // the lab's VPC is in another region than the roster says
	ProblemRefused               = "refused"                // the read-only guard stopped a call: a vpclab bug
	ProblemCanceled              = "canceled"               // the run was interrupted before this learner was done
	ProblemOther                 = "other"                  // anything else AWS answered
)

var problemMsgs = map[string]string{
	ProblemRoleNotAssumable:      "ClassProblemRoleNotAssumable",
	ProblemInstructorCredentials: "ClassProblemInstructorCredentials",
	ProblemNoCredentials:         "ClassProblemNoCredentials",
	ProblemInvalidCredentials:    "ClassProblemInvalidCredentials",
	ProblemBadConfig:             "ClassProblemBadConfig",
	ProblemExpired:               "ClassProblemExpired",
	ProblemAccessDenied:          "ClassProblemAccessDenied",
	ProblemThrottled:             "ClassProblemThrottled",
	ProblemUnreachable:           "ClassProblemUnreachable",
	ProblemTimeout:               "ClassProblemTimeout",
	ProblemWrongRegion:           "ClassProblemWrongRegion",
	ProblemRefused:               "ClassProblemRefused",
	ProblemCanceled:              "ClassProblemCanceled",
	ProblemOther:                 "ClassProblemOther",
}

// Problem says why a learner (or their cost) could not be checked.
type Problem struct {
	Code   string
	Action string // the IAM action that failed, when known
	Detail string // AWS's own words (English), when it answered
	Region string // ProblemWrongRegion: where the lab's VPC is
	Msg    i18n.Msg
	Err    error
}

type stage int

const (
	stageConnect stage = iota // assuming the role, loading the profile
	stageRead                 // reading the account for the checks
	stageCost                 // reading what the cost model needs
)

// classify turns err into a Problem. ctx is the learner's (with its time
// limit), parent the run's: a learner cut off by its limit timed out, one
// cut off by the run was canceled.
func classify(ctx, parent context.Context, st stage, err error, l roster.Learner, timeout time.Duration) *Problem {
	data := i18n.M{"Role": l.RoleARN, "Profile": l.Profile, "Region": l.Region, "Timeout": timeout.String()}
	mk := func(code string, p awsx.Problem) *Problem {
		data["Action"], data["Detail"] = p.Action, p.Message
		if code == ProblemAccessDenied && st == stageCost {
			return &Problem{Code: code, Action: p.Action, Detail: p.Message, Err: err,
				Msg: i18n.Msg{ID: "ClassProblemCostAccessDenied", Data: data}}
		}
		return &Problem{Code: code, Action: p.Action, Detail: p.Message, Err: err, Msg: i18n.Msg{ID: problemMsgs[code], Data: data}}
	}
	switch {
	case parent.Err() != nil:
		return mk(ProblemCanceled, awsx.Problem{Message: parent.Err().Error()})
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return mk(ProblemTimeout, awsx.Problem{Message: err.Error()})
	}
	var noProfile config.SharedConfigProfileNotExistError
	if errors.As(err, &noProfile) {
		data["Profile"] = noProfile.Profile
		return &Problem{Code: ProblemNoCredentials, Err: err, Msg: i18n.Msg{ID: "ClassProblemProfileMissing", Data: data}}
	}
	p := awsx.Classify(err)
	var assume *AssumeRoleError
	if errors.As(err, &assume) {
		switch p.Kind {
		case awsx.NoCredentials, awsx.InvalidCredentials, awsx.ExpiredSSO, awsx.ExpiredToken:
			return mk(ProblemInstructorCredentials, p)
		case awsx.Unreachable:
			return mk(ProblemUnreachable, p)
		case awsx.Throttled:
			return mk(ProblemThrottled, p)
		case awsx.Refused:
			return mk(ProblemRefused, p)
		}
		return mk(ProblemRoleNotAssumable, p)
	}
	code := map[awsx.Kind]string{
		awsx.NoCredentials:      ProblemNoCredentials,
		awsx.InvalidCredentials: ProblemInvalidCredentials,
		awsx.ExpiredSSO:         ProblemExpired,
		awsx.ExpiredToken:       ProblemExpired,
		awsx.AccessDenied:       ProblemAccessDenied,
		awsx.Throttled:          ProblemThrottled,
		awsx.Unreachable:        ProblemUnreachable,
		awsx.Refused:            ProblemRefused,
		awsx.BadConfig:          ProblemBadConfig,
	}[p.Kind]
	if code == "" {
		code = ProblemOther
	}
	return mk(code, p)
}
