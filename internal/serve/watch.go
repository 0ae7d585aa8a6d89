package serve

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ChangeKind says how a watched file changed.
type ChangeKind int

const (
	Added ChangeKind = iota
	Modified
	Removed
)

// Change is one file that changed under a watched folder.
type Change struct {
	Path string // relative to the folder, slash-separated
	Kind ChangeKind
}

type fileState struct {
	mod  time.Time
	size int64
}

// Watch polls the files under dir every interval (no file-system
// notifications: they differ by platform and miss network drives) and,
// once a change has settled (a poll finds nothing new since the one
// before, so a file caught half-written is not reported twice), calls
// changed with what was added, modified or removed, sorted by path. It
// returns when ctx is done. Hidden files and folders and editors' backup
// and swap files are ignored.
func Watch(ctx context.Context, dir string, interval time.Duration, changed func([]Change)) {
	last := scan(dir)                 // what changed was last told
	var settling map[string]fileState // a change seen, not yet reported
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := scan(dir)
		switch {
		case settling != nil && len(diff(settling, now)) == 0:
			settling = nil
			if cs := diff(last, now); len(cs) > 0 {
				last = now
				changed(cs)
			}
		case settling != nil || len(diff(last, now)) > 0:
			settling = now
		}
	}
}

func scan(dir string) map[string]fileState {
	out := map[string]fileState{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone between listing and reading: the next poll sees it
		}
		if p != dir && ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return nil
		}
		out[filepath.ToSlash(rel)] = fileState{mod: info.ModTime(), size: info.Size()}
		return nil
	})
	return out
}

// ignored: dot files (.git, .DS_Store, vim's .x.swp, emacs's .#x) and
// backups (x~).
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasPrefix(name, "#")
}

func diff(old, cur map[string]fileState) []Change {
	var cs []Change
	for p, st := range cur {
		o, ok := old[p]
		switch {
		case !ok:
			cs = append(cs, Change{p, Added})
		case !o.mod.Equal(st.mod) || o.size != st.size:
			cs = append(cs, Change{p, Modified})
		}
	}
	for p := range old {
		if _, ok := cur[p]; !ok {
			cs = append(cs, Change{p, Removed})
		}
	}
	slices.SortFunc(cs, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return cs
}
