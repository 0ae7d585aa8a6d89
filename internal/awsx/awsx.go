// Package awsx is vpclab's only way to the learner's AWS account. It loads
// credentials the way the AWS CLI does, and every config it returns carries
// a read-only guard and an optional call meter as SDK middleware, so a
// mistake elsewhere in vpclab cannot change the account.
//
// Errors from AWS calls go through Classify, which sorts them into the few
// Kinds the CLI explains to learners (no credentials, expired session,
// access denied, …). This package has no i18n: the CLI words the Problems.
package awsx

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/middleware"
)

// appID is added to the SDK's User-Agent so that CloudTrail shows which
// calls vpclab made.
const appID = "vpclab"

// Load resolves credentials and region like the AWS CLI does: environment
// variables, the shared config and credentials files, SSO and login
// sessions, container and instance roles. profile and region override
// AWS_PROFILE and AWS_REGION when not empty. AWS_ENDPOINT_URL and its
// per-service variants are honoured by the SDK itself (the sandbox uses
// them).
//
// Load fails with *aws.MissingRegionError when no region is given or
// configured. The config is Protect-ed: it can only make the calls in
// AllowedActions, and m, when not nil, counts them.
func Load(ctx context.Context, profile, region string, m *Meter) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithAppID(appID),
		config.WithRetryer(newRetryer),
		config.WithHTTPClient(httpClient()),
		// The SDK logs warnings (such as "falling back to IMDSv1") to
		// stderr, where they look like vpclab's own; only --debug shows them.
		config.WithLogger(sdkLogger()),
	}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, err
	}
	if cfg.Region == "" {
		// Like the AWS CLI, insist on a region up front. Without one the SDK
		// fails each call on endpoint resolution, or, with AWS_ENDPOINT_URL
		// set, sends it with an empty signing region.
		return aws.Config{}, &aws.MissingRegionError{}
	}
	Protect(&cfg, m)
	return cfg, nil
}

// Protect installs the read-only guard in cfg and, when m is not nil, m.
// Every client built from cfg afterwards (ec2.NewFromConfig, …) refuses
// calls outside AllowedActions with a *NotReadOnlyError before anything is
// sent, and m counts each attempt that is sent.
//
// Protect never changes the APIOptions of configs that cfg was copied from
// (aws.Config.Copy shares the slice). Protecting a config twice keeps one
// guard, and a Meter installed twice counts each call once.
//
// The guard is installed twice: as middleware (refusing before anything
// else runs) and around cfg.HTTPClient, where a per-call option that drops
// the middleware (o.APIOptions = nil) cannot remove it.
func Protect(cfg *aws.Config, m *Meter) { protect(cfg, m, false) }

// ProtectClass is Protect for the classroom mode: the guard also lets
// sts:AssumeRole through, the instructor's way into learners' accounts.
// Configs cfg was copied from are not changed.
func ProtectClass(cfg *aws.Config, m *Meter) { protect(cfg, m, true) }

func protect(cfg *aws.Config, m *Meter, class bool) {
	opts := cfg.APIOptions[:len(cfg.APIOptions):len(cfg.APIOptions)] // force a copy on append
	opts = append(opts, addGuard)
	if class {
		opts = append(opts, addClassMode)
	}
	if m != nil {
		opts = append(opts, m.middleware())
	}
	cfg.APIOptions = opts
	cfg.HTTPClient = guardHTTP(cfg.HTTPClient, class)
}

// meterSeq gives each Meter its own middleware ID: a stack refuses two
// middlewares with one ID, and one Meter installed twice must count once.
var meterSeq atomic.Int64

func (m *Meter) middleware() func(*middleware.Stack) error {
	m.idOnce.Do(func() { m.id = fmt.Sprintf("vpclab.Meter.%d", meterSeq.Add(1)) })
	id := m.id
	return func(stack *middleware.Stack) error {
		if _, ok := stack.Finalize.Get(id); ok {
			return nil
		}
		// Finalize, After: behind the retry loop (so every attempt passes
		// here), credential resolution and signing, and just before the
		// request goes out. A call refused by the guard, or one that failed
		// for want of credentials, never gets here.
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc(id, func(
			ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler,
		) (middleware.FinalizeOutput, middleware.Metadata, error) {
			m.add(operationAction(ctx))
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
	}
}

// CredentialsMissing reports whether the credential chain finds nothing at
// all for profile ("" = the default chain): no keys, no profile, no SSO,
// no container or instance role. It is for the first-minute message that
// names everything missing at once, so it gives up quickly.
func CredentialsMissing(ctx context.Context, profile string) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	opts := []func(*config.LoadOptions) error{config.WithRegion("us-east-1"), config.WithLogger(sdkLogger())}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err == nil {
		if cfg.Credentials == nil {
			return true
		}
		_, err = cfg.Credentials.Retrieve(ctx)
	}
	return err != nil && Classify(err).Kind == NoCredentials
}
