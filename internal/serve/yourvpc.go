package serve

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/netmap"
)

// DiagramFunc draws "Your VPC" for a lab: it runs the whole lab's checks
// on one fresh snapshot, as a check request does, and returns the diagram
// (vpclab's is in internal/cli/yourvpc.go). An *Error is sent with its
// status and message.
type DiagramFunc func(ctx context.Context, req CheckRequest) (*netmap.Diagram, error)

// yourVPCPath answers POST {"lab", "lang"} with {"html": fragment, "stops": n,
// "updated": "..."}: the fragment (netmap.Diagram.Fragment) holds the
// Mermaid source that site/assets/yourvpc.js draws. Same token, Origin and
// content-type rules as /api/check (api checks them before calling here).
const yourVPCPath = "/api/yourvpc"

type yourVPCAnswer struct {
	HTML    string `json:"html"`
	Stops   int    `json:"stops"`
	Updated string `json:"updated"`
}

func (s *Server) yourVPC(w http.ResponseWriter, r *http.Request, loc *i18n.Localizer) {
	fail := func(status int, code, id string, data ...i18n.M) {
		writeJSON(w, status, errorBody{Error: loc.T(id, data...), Code: code})
	}
	if s.opts.Diagram == nil {
		fail(http.StatusNotFound, "not-found", "ServeNoSuchAPI", i18n.M{"Path": r.URL.Path})
		return
	}
	var req checkBody
	var ok bool
	if loc, ok = readJSON(w, r, loc, &req, func() string { return req.Lang }, false); !ok {
		return
	}
	lab := content.Find(s.site.Load().Labs(), req.Lab)
	if lab == nil {
		fail(http.StatusNotFound, "unknown-lab", "ServeUnknownLab", i18n.M{"Lab": req.Lab})
		return
	}
	// The diagram reads the account like a check: it takes a check slot.
	ctx, release, ok := s.takeSlot(r)
	if !ok {
		fail(http.StatusServiceUnavailable, "busy", "ServeBusy")
		return
	}
	defer release()
	d, err := s.opts.Diagram(ctx, CheckRequest{Lab: lab, Loc: loc})
	var ce *Error
	switch {
	case errors.As(err, &ce):
		writeJSON(w, ce.httpStatus(), errorBody{Error: loc.T("NetmapFailed", i18n.M{"Err": ce.Message}), Code: ce.Code})
		return
	case err != nil:
		s.logf("your vpc %s: %v", lab.ID, err)
		fail(http.StatusInternalServerError, "internal", "ServeInternalError", i18n.M{"Err": err})
		return
	}
	var buf bytes.Buffer
	if err := d.Fragment(&buf); err != nil {
		fail(http.StatusInternalServerError, "internal", "ServeInternalError", i18n.M{"Err": err})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, yourVPCAnswer{HTML: buf.String(), Stops: d.Stops(),
		Updated: loc.T("NetmapUpdated", i18n.M{"At": time.Now().Format("15:04:05")})})
}
