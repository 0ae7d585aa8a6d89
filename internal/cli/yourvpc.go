package cli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/atomicfile"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/netmap"
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
func writeDiagram(env *Env, file string, lab *content.Lab, snap *account.Snapshot, rep checkrun.Report, at time.Time) {
	d := netmap.Build(snap, rep.Results, env.Loc, lab.ID)
	var buf bytes.Buffer
	err := d.HTML(&buf, at)
	if err == nil {
		err = atomicfile.Write(file, buf.Bytes(), 0o644)
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("NetmapWriteFailed", i18n.M{"File": file, "Err": err.Error()}))
		return
	}
	shown := file
	if abs, err := filepath.Abs(file); err == nil {
		shown = abs
	}
	fmt.Fprintln(env.Stderr, env.Loc.T("NetmapWritten", i18n.M{"File": shown}))
}
