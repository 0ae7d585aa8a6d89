package awsx

import (
	"context"
	"sort"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/vpclab/vpclab/checks/account"
)

// NotReadOnlyError is returned, before anything is sent, for a call that is
// not in AllowedActions. It means a bug in vpclab, never in the learner's
// account.
type NotReadOnlyError struct {
	Action string // IAM action, e.g. "ec2:CreateVpc"
}

func (e *NotReadOnlyError) Error() string {
	return "vpclab refused to call " + e.Action + ": it only reads your account"
}

// RetryableError tells the SDK's retryer not to try a refused call again
// (refused at the transport, it would otherwise look like a failed send).
func (e *NotReadOnlyError) RetryableError() bool { return false }

// extraActions are allowed besides account.Actions and the identity call.
// AssumeRole is the classroom mode's way into each learner's account; it
// changes nothing in any account, and the guard lets it through only for
// configs protected with ProtectClass.
var extraActions = []string{
	"ec2:DescribeRegions",
	"sts:AssumeRole",
	// vpclab check --stack reads the learner's stack (checks/binding).
	"cloudformation:DescribeStacks",
	"cloudformation:ListStackResources",
}

var allowed = func() map[string]bool {
	m := map[string]bool{account.IdentityAction: true}
	for _, as := range account.Actions {
		for _, a := range as {
			m[a] = true
		}
	}
	for _, a := range extraActions {
		m[a] = true
	}
	return m
}()

// Allowed reports whether the guard lets action (e.g. "ec2:DescribeVpcs")
// through in some mode (sts:AssumeRole only in class mode).
func Allowed(action string) bool { return allowed[action] }

const assumeRole = "sts:AssumeRole"

// permitted is the guard's rule: the allowlist, with sts:AssumeRole only
// in class mode.
func permitted(action string, class bool) bool {
	if action == assumeRole {
		return class
	}
	return allowed[action]
}

// AllowedActions lists every allowed IAM action, sorted. It is the whole
// IAM policy vpclab needs.
func AllowedActions() []string {
	out := make([]string, 0, len(allowed))
	for a := range allowed {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// iamPrefixes maps SDK service IDs (the ServiceID constant of each
// service/* package) to IAM action prefixes where they differ from the
// lowercased ID.
var iamPrefixes = map[string]string{
	"EC2":                       "ec2",
	"ECS":                       "ecs",
	"STS":                       "sts",
	"CloudWatch Logs":           "logs",
	"ECR":                       "ecr",
	"Elastic Load Balancing v2": "elasticloadbalancing",
	"SSO":                       "sso",
	"SSO OIDC":                  "sso-oauth",
	"Signin":                    "signin",
	"ec2imds":                   "ec2imds", // not an IAM service; the instance metadata client
}

// IAMAction names the IAM action of an SDK operation: ("EC2",
// "DescribeVpcs") gives "ec2:DescribeVpcs". Unknown services are
// lowercased without spaces.
func IAMAction(serviceID, operation string) string {
	prefix, ok := iamPrefixes[serviceID]
	if !ok {
		prefix = strings.ToLower(strings.ReplaceAll(serviceID, " ", ""))
	}
	if prefix == "" {
		prefix = "unknown"
	}
	return prefix + ":" + operation
}

// operationAction is the IAM action of the operation running in ctx. Every
// generated client's invokeOperation puts the service ID and operation name
// in the context (resolveServiceMetadata) before the middleware stack runs,
// so they are there from the first Initialize middleware on.
func operationAction(ctx context.Context) string {
	return IAMAction(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx))
}

const (
	guardID     = "vpclab.ReadOnlyGuard"
	classModeID = "vpclab.ClassMode"
)

type classModeKey struct{}

// addGuard puts the guard first in the Initialize step, so nothing else in
// the stack (input validation, idempotency tokens, credential look-up)
// runs for a refused call, and nothing is sent. It is the first of two
// guards: per-call options can remove middleware, so the transport guard
// (transport.go) checks every request again.
func addGuard(stack *middleware.Stack) error {
	if _, ok := stack.Initialize.Get(guardID); ok {
		return nil
	}
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(guardID, func(
		ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler,
	) (middleware.InitializeOutput, middleware.Metadata, error) {
		class, _ := ctx.Value(classModeKey{}).(bool)
		if action := operationAction(ctx); !permitted(action, class) {
			return middleware.InitializeOutput{}, middleware.Metadata{}, &NotReadOnlyError{Action: action}
		}
		return next.HandleInitialize(ctx, in)
	}), middleware.Before)
}

// addClassMode marks calls as class mode for the middleware guard; it runs
// before the guard (both are added "Before", this one last).
func addClassMode(stack *middleware.Stack) error {
	if _, ok := stack.Initialize.Get(classModeID); ok {
		return nil
	}
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(classModeID, func(
		ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler,
	) (middleware.InitializeOutput, middleware.Metadata, error) {
		return next.HandleInitialize(context.WithValue(ctx, classModeKey{}, true), in)
	}), middleware.Before)
}
