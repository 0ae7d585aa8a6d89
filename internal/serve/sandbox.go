package serve

// Practice mode (vpclab serve --sandbox): the server has started a moto
// sandbox of its own, every check runs against it, and each lab's solution
// and clean-up blocks can be run from the page, by their position in the
// lab, in one bash session per lab.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awscli"
	"github.com/vpclab/vpclab/internal/labshell"
	"github.com/vpclab/vpclab/internal/sandbox"
)

// Practice configures the sandbox mode.
type Practice struct {
	// Sandbox is the moto server this process started. There is no other
	// way to get one: a server cannot be talked into running commands
	// against an endpoint it did not start.
	Sandbox *sandbox.Server
	// Region is the Region the page's export lines name outside a lab
	// (a lab page names the lab's own).
	Region string
	// Reset empties what the sandbox mode keeps besides the sandbox: its
	// progress. Called after moto's own reset succeeded.
	Reset func(ctx context.Context) error
	// BlockTimeout bounds one block (DefaultBlockTimeout when 0).
	BlockTimeout time.Duration
	// AWSCLI, when set, is put first on the lab shells' PATH: each aws
	// command a block runs then starts in a tenth of the time.
	AWSCLI *awscli.Warm
}

// DefaultBlockTimeout bounds one "Run in sandbox". moto answers at once
// (its waiters pass on their first poll), but each aws command starts
// Python, and a long block on a busy machine takes a minute or more.
const DefaultBlockTimeout = 5 * time.Minute

// maxRuns is how many blocks run at once over all labs.
const maxRuns = 2

// The API paths of the sandbox mode. Without it they do not exist (404).
const (
	RunPath   = "/api/run"
	ResetPath = "/api/sandbox/reset"
)

type practice struct {
	opts     Practice
	runs     chan struct{}
	mu       sync.Mutex
	sessions map[string]*labSession // by lab id
}

// labSession is one lab's bash session and which blocks it has run.
type labSession struct {
	busy sync.Mutex // held while a block runs: one at a time per lab
	mu   sync.Mutex // guards sh and ran (a reset may close sh at any time)
	sh   *labshell.Session
	ran  map[int]bool
}

func (ls *labSession) close() {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.sh != nil {
		ls.sh.Close()
		ls.sh, ls.ran = nil, nil
	}
}

func newPractice(o *Practice) (*practice, error) {
	if o.Sandbox == nil {
		return nil, errors.New("serve: sandbox mode needs the sandbox this process started")
	}
	if o.BlockTimeout <= 0 {
		o.BlockTimeout = DefaultBlockTimeout
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	return &practice{opts: *o, runs: make(chan struct{}, maxRuns), sessions: map[string]*labSession{}}, nil
}

// practicePath reports whether p is one of the sandbox mode's API paths
// and the mode is on.
func (s *Server) practicePath(p string) bool {
	return s.practice != nil && (p == RunPath || p == ResetPath)
}

// CloseSessions ends every lab's shell (vpclab serve does when it stops).
func (s *Server) CloseSessions() {
	if s.practice != nil {
		s.practice.closeAll()
	}
}

func (p *practice) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, ls := range p.sessions {
		ls.close()
		delete(p.sessions, id)
	}
}

// Block is one runnable block of a lab: a solution or clean-up block, in
// document order.
type Block struct {
	Index  int
	Step   string
	Role   content.Role
	Code   string
	Reason string // why it cannot run on the sandbox ("" if it can)
}

// Blocks lists a lab's runnable blocks in page's language (the code and
// the order are the same in both; the reasons are prose).
func Blocks(lab *content.Lab, lang i18n.Lang) []Block {
	page := lab.Page(lang)
	if page == nil {
		return nil
	}
	type found struct {
		b   *content.CodeBlock
		st  *content.Step
		pos content.Pos
	}
	var all []found
	for _, st := range page.Steps {
		for _, b := range append(slices.Clone(st.Solution), st.Cleanup...) {
			all = append(all, found{b, st, b.Pos})
		}
	}
	slices.SortStableFunc(all, func(a, b found) int {
		if a.pos.Line != b.pos.Line {
			return a.pos.Line - b.pos.Line
		}
		return a.pos.Col - b.pos.Col
	})
	out := make([]Block, len(all))
	for i, f := range all {
		reason, ok := f.b.Attrs["sandbox"]
		if !ok {
			reason, ok = f.st.Attrs["sandbox"]
		}
		if ok && reason == "" {
			reason = "-"
		}
		out[i] = Block{Index: i, Step: f.st.ID, Role: f.b.Role, Code: f.b.Code, Reason: reason}
	}
	return out
}

// shellEnv is the whole environment of a lab's shell: the server's own
// without any AWS setting, then the sandbox's, in the lab's Region.
func (p *practice) shellEnv(region string) (env, pinned []string) {
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	pinned = []string{
		"AWS_ENDPOINT_URL=" + p.opts.Sandbox.URL(),
		"AWS_ACCESS_KEY_ID=" + sandbox.DummyCredential,
		"AWS_SECRET_ACCESS_KEY=" + sandbox.DummyCredential,
		// The learner's ~/.aws (profiles, SSO, credential_process) stays
		// out; an empty file no one else can write.
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	}
	env = append(env, pinned...)
	env = append(env, "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
	return p.opts.AWSCLI.Env(env), pinned
}

func labRegion(lab *content.Lab) string {
	if p := lab.Page(i18n.EN); p != nil && p.Meta.Region != "" {
		return p.Meta.Region
	}
	return "us-east-1"
}

type runBody struct {
	Lab   string `json:"lab"`
	Block *int   `json:"block"`
	Lang  string `json:"lang"`
}

// RunEvent is one line of a run's answer (application/x-ndjson): output
// lines while the block runs, then one event with Done set.
type RunEvent struct {
	Out      *string `json:"out,omitempty"`
	Note     string  `json:"note,omitempty"`
	Done     bool    `json:"done,omitempty"`
	OK       bool    `json:"ok,omitempty"`
	Status   int     `json:"status,omitempty"`
	Line     int     `json:"line,omitempty"`
	TimedOut bool    `json:"timedOut,omitempty"`
	Message  string  `json:"message,omitempty"`
}

// practiceAPI answers the sandbox mode's API, after api() has made the
// same checks as for a check request (method, Sec-Fetch-Site, token,
// Content-Type).
func (s *Server) practiceAPI(w http.ResponseWriter, r *http.Request, loc *i18n.Localizer) {
	fail := func(status int, code, id string, data ...i18n.M) {
		writeJSON(w, status, errorBody{Error: loc.T(id, data...), Code: code})
	}
	var req runBody
	var ok bool
	if loc, ok = readJSON(w, r, loc, &req, func() string { return req.Lang }, true); !ok {
		return
	}
	p := s.practice
	select {
	case <-p.opts.Sandbox.Done():
		fail(http.StatusServiceUnavailable, "sandbox-gone", "PracticeSandboxGone")
		return
	default:
	}
	if r.URL.Path == ResetPath {
		s.practiceReset(w, r, loc)
		return
	}
	lab := content.Find(s.site.Load().Labs(), req.Lab)
	if lab == nil {
		fail(http.StatusNotFound, "unknown-lab", "ServeUnknownLab", i18n.M{"Lab": req.Lab})
		return
	}
	blocks := Blocks(lab, i18n.EN) // the code and the decision to run: the same in both languages
	if req.Block == nil || *req.Block < 0 || *req.Block >= len(blocks) {
		n := "-"
		if req.Block != nil {
			n = strconv.Itoa(*req.Block)
		}
		fail(http.StatusNotFound, "unknown-block", "PracticeUnknownBlock", i18n.M{"Lab": lab.ID, "Block": n, "Count": len(blocks)})
		return
	}
	b := blocks[*req.Block]
	if b.Reason != "" {
		shown := Blocks(lab, loc.Lang())
		reason := b.Reason
		if len(shown) == len(blocks) {
			reason = shown[b.Index].Reason
		}
		fail(http.StatusConflict, "not-in-sandbox", "PracticeBlockNotRunnable", i18n.M{"Reason": reason})
		return
	}
	select {
	case p.runs <- struct{}{}:
	default:
		fail(http.StatusServiceUnavailable, "busy", "ServeBusy")
		return
	}
	ls := p.session(lab.ID)
	if !ls.busy.TryLock() {
		<-p.runs
		fail(http.StatusConflict, "lab-busy", "PracticeLabBusy")
		return
	}
	// Released before the final event is sent: a page (or a script) that
	// runs the next block as soon as it reads "done" must find the lab free.
	release := sync.OnceFunc(func() { ls.busy.Unlock(); <-p.runs })
	defer release()
	ls.mu.Lock()
	if ls.sh == nil {
		env, pinned := p.shellEnv(labRegion(lab))
		sh, err := labshell.Start(labshell.Options{Env: env, Pinned: pinned, DropPrefix: "AWS_", Keep: []string{"AWS_REGION", "AWS_DEFAULT_REGION"}})
		if err != nil {
			ls.mu.Unlock()
			fail(http.StatusInternalServerError, "internal", "ServeInternalError", i18n.M{"Err": err})
			return
		}
		ls.sh, ls.ran = sh, map[int]bool{}
	}
	sh := ls.sh
	var missing []string
	for _, e := range blocks[:b.Index] {
		if e.Reason == "" && !ls.ran[e.Index] {
			missing = append(missing, strconv.Itoa(e.Index+1))
		}
	}
	ls.mu.Unlock()

	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Now().Add(p.opts.BlockTimeout + 30*time.Second))
	enc := json.NewEncoder(w)
	send := func(ev RunEvent) {
		_ = enc.Encode(ev)
		_ = rc.Flush()
	}
	if len(missing) > 0 {
		send(RunEvent{Note: loc.T("PracticeEarlierNotRun", i18n.M{"Blocks": strings.Join(missing, ", ")})})
	}
	s.logf("run %s block %d (step %s)", lab.ID, b.Index+1, b.Step)
	res := sh.Run(r.Context(), b.Code, p.opts.BlockTimeout, func(line string) { send(RunEvent{Out: &line}) })
	ev := RunEvent{Done: true, OK: res.OK(), Status: res.Status, Line: res.FailLine, TimedOut: res.TimedOut}
	switch {
	case res.TimedOut && r.Context().Err() == nil:
		ev.Message = loc.T("PracticeTimedOut", i18n.M{"Limit": p.opts.BlockTimeout})
	case res.TimedOut || res.Died:
		ev.Message = loc.T("PracticeShellEnded")
	case !res.OK():
		ev.Message = loc.T("PracticeBlockFailed", i18n.M{"Status": res.Status, "Line": res.FailLine})
	default:
		ev.Message = loc.T("PracticeBlockDone")
	}
	ls.mu.Lock()
	if ls.sh == sh { // not reset meanwhile
		if res.OK() {
			ls.ran[b.Index] = true
		}
		if res.TimedOut || res.Died {
			sh.Close()
			ls.sh, ls.ran = nil, nil // a fresh session next time
		}
	}
	ls.mu.Unlock()
	release()
	send(ev)
}

func (p *practice) session(lab string) *labSession {
	p.mu.Lock()
	defer p.mu.Unlock()
	ls := p.sessions[lab]
	if ls == nil {
		ls = &labSession{}
		p.sessions[lab] = ls
	}
	return ls
}

// practiceReset empties the sandbox (moto's reset), ends every lab's
// shell (its variables name resources that are gone) and empties the
// sandbox's progress.
func (s *Server) practiceReset(w http.ResponseWriter, r *http.Request, loc *i18n.Localizer) {
	p := s.practice
	p.closeAll() // a block still running ends now
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	release, err := s.takeAllSlots(ctx)
	if err == nil {
		defer release()
		err = p.opts.Sandbox.Reset(ctx)
	}
	if err == nil && p.opts.Reset != nil {
		err = p.opts.Reset(ctx)
	}
	if err != nil {
		s.logf("reset the sandbox: %v", err)
		writeJSON(w, http.StatusBadGateway, errorBody{Error: loc.T("PracticeResetFailed", i18n.M{"Err": err}), Code: "reset-failed"})
		return
	}
	s.logf("the sandbox was reset")
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "message": loc.T("PracticeResetDone")})
}

// codeBox finds the opening tags of solution and clean-up blocks in a
// rendered lab page, in document order.
var codeBox = regexp.MustCompile(`<div class="code code-(?:solution|cleanup)">`)

// decorate adds the sandbox mode to a rendered page: its style and script,
// the banner saying that nothing here touches a real account (with the
// export lines and the reset button), and on a lab page the position of
// each runnable block (data-block) and why a block cannot run here.
func (s *Server) decorate(page []byte, name string, loc *i18n.Localizer) []byte {
	p := s.practice
	parts := strings.Split(name, "/")
	langs := []i18n.Lang{loc.Lang()}
	if name == "index.html" { // the language chooser speaks both
		langs = i18n.Langs
	}
	region := p.opts.Region
	var lab *content.Lab
	if len(parts) == 3 {
		if lab = content.Find(s.site.Load().Labs(), parts[1]); lab != nil {
			region = labRegion(lab)
		}
	}
	var exports strings.Builder
	for _, kv := range sandbox.Env(p.opts.Sandbox.URL(), region) {
		fmt.Fprintf(&exports, "export %s\n", kv)
	}

	var banner bytes.Buffer
	banner.WriteString(`<aside class="sandbox-banner" id="sandbox-banner" role="note">` + "\n<div class=\"sandbox-inner\">\n")
	for _, l := range langs {
		t := i18n.New(l)
		fmt.Fprintf(&banner, `<div class="sandbox-lang" lang="%s"><p class="sandbox-title"><strong>%s</strong></p><p class="sandbox-text">%s</p></div>`+"\n",
			l, html.EscapeString(t.T("PracticeBanner")), html.EscapeString(t.T("PracticeBannerText")))
	}
	t := loc
	fmt.Fprintf(&banner, `<details class="sandbox-terminal"><summary>%s</summary>`, html.EscapeString(t.T("PracticeTerminal")))
	fmt.Fprintf(&banner, `<div class="code sandbox-exports"><div class="code-head"><span class="code-label">bash</span><button type="button" class="copy" aria-label="%s">%s</button></div><pre><code>%s</code></pre></div></details>`+"\n",
		html.EscapeString(t.T("SiteCopyLabel")), html.EscapeString(t.T("SiteCopy")), html.EscapeString(exports.String()))
	fmt.Fprintf(&banner, `<p class="sandbox-actions"><button type="button" class="sandbox-reset" data-action="sandbox-reset">%s</button> <span class="sandbox-reset-result" role="status" aria-live="polite"></span></p>`+"\n",
		html.EscapeString(t.T("PracticeResetButton")))
	banner.WriteString("</div>\n</aside>\n")

	strs := map[string]string{
		"run": t.T("PracticeRunButton"), "running": t.T("PracticeRunning"),
		"resetConfirm": t.T("PracticeResetConfirm"), "resetting": t.T("PracticeResetting"), "failedRequest": t.T("SiteCheckFailedRequest"),
		"output": t.T("PracticeOutputLabel"),
	}
	data, _ := json.Marshal(map[string]any{"strings": strs})
	head := `<link rel="stylesheet" href="/assets/sandbox.css">` + "\n" +
		`<script type="application/json" id="vpclab-sandbox">` + string(data) + "</script>\n" + // Marshal escapes <, > and &
		`<script src="/assets/sandbox.js" defer></script>` + "\n"

	out := page
	if lab != nil {
		out = s.markBlocks(out, lab, loc)
	}
	out = insertAfter(out, "</head>", head, true)
	if bytes.Contains(out, []byte("</header>")) {
		out = insertAfter(out, "</header>", banner.String(), false)
	} else {
		out = insertAfterTag(out, "<body", banner.String())
	}
	return out
}

// markBlocks numbers the page's runnable blocks. If the page does not show
// exactly the lab's blocks (a renderer change), none is numbered: a wrong
// number would run the wrong block.
func (s *Server) markBlocks(page []byte, lab *content.Lab, loc *i18n.Localizer) []byte {
	blocks := Blocks(lab, loc.Lang())
	locs := codeBox.FindAllIndex(page, -1)
	if len(locs) != len(blocks) || len(Blocks(lab, i18n.EN)) != len(blocks) {
		s.logf("%s (%s): %d code blocks on the page, %d in the lab; Run in sandbox is off on it", lab.ID, loc.Lang(), len(locs), len(blocks))
		return page
	}
	var out bytes.Buffer
	prev := 0
	for i, l := range locs {
		out.Write(page[prev : l[1]-1])
		fmt.Fprintf(&out, ` data-lab="%s" data-block="%d"`, html.EscapeString(lab.ID), i)
		if r := blocks[i].Reason; r != "" {
			fmt.Fprintf(&out, ` data-sandbox-reason="%s"`, html.EscapeString(loc.T("PracticeNotRunLabel", i18n.M{"Reason": r})))
		}
		out.WriteByte('>')
		prev = l[1]
	}
	out.Write(page[prev:])
	return out.Bytes()
}

func insertAfter(page []byte, marker, text string, before bool) []byte {
	i := bytes.Index(page, []byte(marker))
	if i < 0 {
		return page
	}
	if !before {
		i += len(marker)
	}
	return slices.Concat(page[:i], []byte(text), page[i:])
}

func insertAfterTag(page []byte, tag, text string) []byte {
	i := bytes.Index(page, []byte(tag))
	if i < 0 {
		return append([]byte(text), page...)
	}
	j := bytes.IndexByte(page[i:], '>')
	if j < 0 {
		return page
	}
	i += j + 1
	return slices.Concat(page[:i], []byte(text), page[i:])
}
