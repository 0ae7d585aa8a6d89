package cli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/atomicfile"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/netmap"
	"github.com/vpclab/vpclab/internal/sandbox"
	"github.com/vpclab/vpclab/internal/serve"
)

// snapshotKeeper remembers the last full snapshot a run judged, for "Your
// VPC" (checkrun.Report carries results, not the snapshot).
type snapshotKeeper struct {
	mu   sync.Mutex
	last *account.Snapshot
}

// keep wraps a loader. The extra load of every network interface that
// checkrun makes for Elastic IP checks holds nothing else and is not kept.
func (k *snapshotKeeper) keep(load checkrun.Loader) checkrun.Loader {
	return func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		s, err := load(ctx, need)
		if err == nil && need.Resources[account.VPCs] {
			k.mu.Lock()
			k.last = s
			k.mu.Unlock()
		}
		return s, err
	}
}

// writeDiagram writes "Your VPC" as a self-contained HTML file; a failure
// to write it is said, but does not change the check's verdict.
func writeDiagram(env *Env, file string, lab *content.Lab, snap *account.Snapshot, rep checkrun.Report, at time.Time) bool {
	d := netmap.Build(snap, rep.Results, env.Loc, lab.ID)
	var buf bytes.Buffer
	err := d.HTML(&buf, at)
	if err == nil {
		err = atomicfile.Write(file, buf.Bytes(), 0o644)
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("NetmapWriteFailed", i18n.M{"File": file, "Err": err}))
		return false
	}
	shown := file
	if abs, err := filepath.Abs(file); err == nil {
		shown = abs
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("NetmapWritten", i18n.M{"File": shown}))
	return true
}

// serveDiagram is "Your VPC" for vpclab serve: the whole lab judged on one
// fresh snapshot from the account config returns, as a check request does
// (nothing recorded: the check button records).
func serveDiagram(env *Env, profile string, config func(ctx context.Context, lab *content.Lab) (aws.Config, error)) serve.DiagramFunc {
	return func(ctx context.Context, req serve.CheckRequest) (*netmap.Diagram, error) {
		e := *env
		e.Ctx, e.Loc = ctx, req.Loc
		cfg, err := config(ctx, req.Lab)
		if err != nil {
			return nil, serveProblem(env, &e, err, req.Lab, profile)
		}
		var snap snapshotKeeper
		rep, err := checkrun.Run(ctx, checkrun.Options{Lab: req.Lab,
			Load: snap.keep(func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
				return account.Load(ctx, cfg, need)
			})})
		if err != nil {
			return nil, serveProblem(env, &e, err, req.Lab, profile)
		}
		return netmap.Build(snap.last, rep.Results, req.Loc, req.Lab.ID), nil
	}
}

// accountConfig is the learner's account as vpclab serve checks it.
func accountConfig(o serveOpts) func(ctx context.Context, lab *content.Lab) (aws.Config, error) {
	return func(ctx context.Context, lab *content.Lab) (aws.Config, error) {
		cfg, err := awsx.Load(ctx, o.profile, o.region, &awsx.Meter{})
		if err == nil && cfg.Region == "" {
			err = errNoRegion
		}
		return cfg, err
	}
}

// sandboxConfig is the practice sandbox as its checker reaches it.
func (p *practiceRun) sandboxConfig(ctx context.Context, lab *content.Lab) (aws.Config, error) {
	cfg := aws.Config{Region: practiceRegion(lab), BaseEndpoint: aws.String(p.sb.URL()), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(sandbox.DummyCredential, sandbox.DummyCredential, "")}
	awsx.Protect(&cfg, &awsx.Meter{})
	return cfg, nil
}
