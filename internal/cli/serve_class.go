package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/classroom"
	"github.com/vpclab/vpclab/internal/roster"
)

// classDashboard is the live class report of vpclab serve --roster: the
// class is checked again every refresh, and the pages reload themselves
// on the same beat.
type classDashboard struct {
	refresh time.Duration
	mu      sync.RWMutex
	rep     *classroom.Report
}

// watch checks the class until ctx ends, the first time at once.
func (d *classDashboard) watch(ctx context.Context, env *Env, c *classRun, r *roster.Roster, labs []*content.Lab) {
	for {
		if rep, _, ok := c.run(env, io.Discard, r, labs); ok && ctx.Err() == nil {
			// Said before it is served: whoever sees the new page (the
			// serve_class script, on a busy machine too) finds the line.
			fmt.Fprintln(env.Stderr, env.Loc.T("ServeClassUpdated", i18n.M{"Learners": len(r.Learners)}))
			d.mu.Lock()
			d.rep = rep
			d.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(d.refresh):
		}
	}
}

func (d *classDashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.RLock()
	rep := d.rep
	d.mu.RUnlock()
	path := strings.TrimPrefix(r.URL.Path, "/class")
	var buf bytes.Buffer
	var err error
	switch {
	case path == "" || path == "/" || path == "/index.html":
		if path == "" {
			http.Redirect(w, r, "/class/", http.StatusFound)
			return
		}
		err = classroom.RenderIndex(&buf)
	default:
		lang, ok := i18n.Parse(strings.Trim(strings.TrimSuffix(path, "index.html"), "/"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		if rep == nil {
			// The first round is still running: say so, and look again soon.
			fmt.Fprintf(&buf, "<!doctype html><html lang=%q><head><meta charset=utf-8><title>vpclab</title></head><body><p>%s</p></body></html>",
				lang, i18n.New(lang).T("ServeClassWaiting"))
			d.write(w, buf.Bytes(), 5*time.Second)
			return
		}
		err = classroom.RenderHTML(&buf, rep, lang)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	d.write(w, buf.Bytes(), d.refresh)
}

// write sends a page that reloads itself after every, so the instructor's
// screen follows the class without a script (the CSP allows none inline).
func (d *classDashboard) write(w http.ResponseWriter, page []byte, every time.Duration) {
	meta := fmt.Sprintf(`<meta http-equiv="refresh" content="%d">`, int(every.Seconds()))
	page = bytes.Replace(page, []byte("<head>"), []byte("<head>"+meta), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(page)
}
