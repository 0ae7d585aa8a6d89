package cli

import (
	"context"
	"flag"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/regions"
)

// Default time limits of the commands that talk to AWS: long enough for a
// slow network and the SDK's retries, short enough that nothing hangs.
const (
	DefaultCheckTimeout = 2 * time.Minute  // check and cost: one account, one read
	DefaultTestTimeout  = 30 * time.Minute // test: every lab's commands on a sandbox
)

// timeoutFlag adds --timeout, the time limit of the whole command's AWS
// work, to fs. 0 means no limit. A check's --wait is added to it by
// withTimeout, so waiting is never cut short by the default.
//
// Wiring for a command: t := timeoutFlag(env, fs, DefaultCheckTimeout)
// before parse, then ctx, cancel := withTimeout(env, *t, wait); defer
// cancel(), and pass ctx where env.Ctx was passed.
func timeoutFlag(env *Env, fs *flag.FlagSet, def time.Duration) *time.Duration {
	return fs.Duration("timeout", def, env.Loc.T("HardenFlagTimeout"))
}

// bounded returns a copy of env whose Ctx ends after d plus extra (d <= 0:
// no limit), so that every AWS call a command makes below it is bounded.
//
// Wiring in runCheck, after the usage checks and before awsx.Load:
//
//	env, cancel := bounded(env, *timeout, o.wait)
//	defer cancel()
func bounded(env *Env, d, extra time.Duration) (*Env, context.CancelFunc) {
	ctx, cancel := withTimeout(env, d, extra)
	cp := *env
	cp.Ctx = ctx
	return &cp, cancel
}

// withTimeout bounds env.Ctx by d plus extra (what --wait may spend on top
// of the AWS calls themselves). d <= 0 means no limit.
func withTimeout(env *Env, d, extra time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(env.Ctx)
	}
	return context.WithTimeout(env.Ctx, d+max(extra, 0))
}

// requireLoopback refuses an --endpoint that is not an http(s) URL on
// this machine (localhost, 127.0.0.0/8, ::1): vpclab test creates and
// deletes resources, so it must never be pointed at a real AWS endpoint.
// It returns the usage error's exit code, or ExitOK.
//
// Wiring in runTest: if code := requireLoopback(env, "test", *endpoint); code != ExitOK { return code }
// awsFlagsError refuses, before AWS is asked anything, a negative
// --timeout (0 is "no limit") and a --region that is no Region name; it
// returns ExitOK when both are fine.
func awsFlagsError(env *Env, name string, timeout time.Duration, region string) int {
	if timeout < 0 {
		return usageError(env, name, "CLIBadTimeout", i18n.M{"Timeout": timeout})
	}
	if region != "" && !content.ValidRegion(region) {
		return usageError(env, name, "ContentRegionInvalid", i18n.M{"Region": region, "Suggest": regions.Guess(region)})
	}
	return ExitOK
}

func requireLoopback(env *Env, name, endpoint string) int {
	if endpoint == "" || isLoopbackURL(endpoint) {
		return ExitOK
	}
	if u, err := url.Parse(endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		// 127.0.0.1:5999 or ftp://…: the address may be right, the form is not.
		return usageError(env, name, "HardenEndpointNotURL", i18n.M{"Endpoint": endpoint})
	}
	return usageError(env, name, "HardenEndpointNotLoopback", i18n.M{"Endpoint": endpoint})
}

func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
