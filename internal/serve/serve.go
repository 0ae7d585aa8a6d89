// Package serve is the local web server behind `vpclab serve`: it serves
// the live site (site.Options{Live: true}) from memory and answers the
// pages' "Check this step" buttons by running the same checks as
// `vpclab check`, with the learner's own credentials, which stay in this
// process.
//
// # Security
//
// The server runs on a learner's machine next to their AWS credentials, so
// every request is treated as hostile until proven otherwise:
//
//   - It listens on loopback unless AllowRemote is set (Listen refuses any
//     other address with a *NotLoopbackError).
//   - A request whose Host header is not the server's own address
//     (127.0.0.1:PORT, localhost:PORT, [::1]:PORT) gets 421: a DNS-
//     rebinding page cannot talk to it.
//   - A request with an Origin header other than the server's own origin
//     gets 403, and so does an API request that the browser marks as
//     cross-site (Sec-Fetch-Site).
//   - POST /api/check needs the per-run token (NewToken: 32 random bytes,
//     compared in constant time) in X-Vpclab-Token and a JSON body of at
//     most MaxBody bytes; GET is refused.
//   - Every response carries a Content-Security-Policy (CSP), nosniff,
//     no-referrer and DENY framing.
//
// # API
//
//	POST /api/check
//	X-Vpclab-Token: <token>
//	Content-Type: application/json
//
//	{"lab": "first-vpc", "step": "create-vpc", "lang": "ja"}
//
// step "" (or missing) checks the whole lab. lang is the page's language
// (the answer's messages are in it); without it the Referer's /en/ or /ja/
// and then Accept-Language decide. The answer is what the CheckFunc
// returns (vpclab's is the JSON of `vpclab check --format json`), or a
// non-2xx status with {"error": "…"} in that language.
//
// In the sandbox mode (Options.Practice; see sandbox.go) two more
// endpoints exist behind the same checks: POST /api/run {"lab", "block"}
// runs a lab's block by its position and streams its output, and POST
// /api/sandbox/reset empties the sandbox. Without the mode they are 404.
package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/language"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/site"
)

// DefaultAddr is where vpclab serve listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8080"

// MaxBody is the largest request body the API reads; a check request is a
// few dozen bytes.
const MaxBody = 16 << 10

// TokenHeader carries the per-run token on API requests.
const TokenHeader = "X-Vpclab-Token"

// CSP is the Content-Security-Policy of every response. Scripts come only
// from the server's own files; inline styles are allowed because mermaid
// styles the diagrams it draws with <style> elements and style attributes
// (nothing else in the site needs them).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// checkTimeout bounds one check request: loading the account once is a
// few seconds, but a slow network or a throttled account can take longer.
const checkTimeout = 2 * time.Minute

// maxChecks is how many check requests run at once; more wait their turn,
// so a page cannot flood the learner's account with calls.
const maxChecks = 2

// CheckRequest is one validated check request.
type CheckRequest struct {
	Lab  *content.Lab
	Step string // "" for the whole lab; else a step of Lab
	Loc  *i18n.Localizer
}

// CheckFunc runs a check request and returns the value to send as JSON. An
// error that is an *Error is sent with its status and message; any other
// error is an internal error.
type CheckFunc func(ctx context.Context, req CheckRequest) (any, error)

// Error is a CheckFunc's failure to run a check (no credentials, access
// denied, AWS unreachable, …): Status is the HTTP status to answer with and
// Message the explanation in the request's language.
type Error struct {
	Status  int
	Message string
	Code    string // optional machine-readable kind, sent as "code"
}

func (e *Error) Error() string { return e.Message }

// Options configure a Server.
type Options struct {
	// Addr is host:port to listen on (DefaultAddr when empty); port 0
	// picks a free port. A bare port number means 127.0.0.1.
	Addr string
	// AllowRemote lets Listen use an address that is not loopback.
	AllowRemote bool
	// Token is the per-run token the pages carry (see NewToken); the site
	// must have been made with the same one.
	Token string
	// Progress loads the learner's recorded progress; it is called for
	// every page and badge so that they are current. Nil means none.
	Progress func() *progress.Progress
	// Check runs checks for POST /api/check.
	Check CheckFunc
	// Log receives problems the pages cannot show (a page that failed to
	// render); nil discards them.
	Log io.Writer
	// Class, when set, serves the live class dashboard under /class/
	// (vpclab serve --roster), behind the same Host and Origin checks.
	Class http.Handler
	// Practice, when set, is the sandbox mode (vpclab serve --sandbox):
	// see sandbox.go.
	Practice *Practice
	// Diagram, when set, draws "Your VPC" for POST /api/yourvpc (yourvpc.go).
	Diagram DiagramFunc
}

// Server serves one site. Create it with New, then Listen and Serve.
type Server struct {
	opts  Options
	site  atomic.Pointer[site.Site]
	ln    net.Listener
	http  *http.Server
	hosts map[string]bool // allowed Host headers, lower case
	local bool            // listening on loopback only
	url   string
	shown string // the address as the user gave it, with the port bound
	slots chan struct{}
	// exclusive is held by the one taking every slot (takeAllSlots).
	exclusive chan struct{}
	logMu     sync.Mutex

	practice *practice // nil unless Options.Practice
}

// NotLoopbackError is Listen's error for an address other machines can
// reach, when Options.AllowRemote is not set.
type NotLoopbackError struct{ Addr string }

func (e *NotLoopbackError) Error() string {
	return fmt.Sprintf("%s is not a loopback address; refusing to listen on it without AllowRemote", e.Addr)
}

// BadAddrError is Listen's error for an address that is not host:port.
type BadAddrError struct {
	Addr string
	Err  error
}

func (e *BadAddrError) Error() string { return fmt.Sprintf("bad address %q: %v", e.Addr, e.Err) }
func (e *BadAddrError) Unwrap() error { return e.Err }

// NewToken returns a fresh per-run token: 32 bytes from crypto/rand,
// base64url-encoded.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// New returns a server for s. It does not listen yet.
func New(s *site.Site, opts Options) (*Server, error) {
	if s == nil {
		return nil, errors.New("serve: no site")
	}
	if len(opts.Token) < 32 {
		return nil, errors.New("serve: the token is missing or too short; use NewToken")
	}
	if opts.Check == nil {
		return nil, errors.New("serve: no CheckFunc")
	}
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	srv := &Server{opts: opts, slots: make(chan struct{}, maxChecks), exclusive: make(chan struct{}, 1)}
	if opts.Practice != nil {
		var err error
		if srv.practice, err = newPractice(opts.Practice); err != nil {
			return nil, err
		}
	}
	srv.site.Store(s)
	return srv, nil
}

// SetSite replaces the site being served (vpclab serve --watch does after
// the content changed); requests already running finish with the old one.
func (s *Server) SetSite(st *site.Site) { s.site.Store(st) }

// Site is the site being served.
func (s *Server) Site() *site.Site { return s.site.Load() }

// NormalizeAddr turns what a user typed for --addr into host:port: a bare
// port number means that port on 127.0.0.1.
func NormalizeAddr(addr string) string {
	if addr == "" {
		return DefaultAddr
	}
	if _, err := strconv.ParseUint(addr, 10, 16); err == nil {
		return net.JoinHostPort("127.0.0.1", addr)
	}
	return addr
}

// IsLoopback reports whether host (the host part of an address) can only
// be reached from this machine: "localhost", 127.0.0.0/8 or ::1. An empty
// host means every interface and is not loopback.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Listen binds the address. It refuses an address that is not loopback
// unless AllowRemote is set (*NotLoopbackError), and an address that is
// not host:port (*BadAddrError).
func (s *Server) Listen() error {
	addr := NormalizeAddr(s.opts.Addr)
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return &BadAddrError{Addr: s.opts.Addr, Err: err}
	}
	s.local = IsLoopback(host)
	if !s.local && !s.opts.AllowRemote {
		return &NotLoopbackError{Addr: addr}
	}
	if strings.EqualFold(host, "localhost") {
		// "localhost" could resolve to anything on a strange system;
		// the loopback promise is about the address actually bound.
		addr = net.JoinHostPort("127.0.0.1", addr[strings.LastIndex(addr, ":")+1:])
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	tcp := ln.Addr().(*net.TCPAddr)
	port := strconv.Itoa(tcp.Port)
	shownHost := host
	if shownHost == "" {
		shownHost = "0.0.0.0"
	}
	s.shown = net.JoinHostPort(shownHost, port)
	s.hosts = map[string]bool{}
	allow := func(h string) {
		h = strings.ToLower(strings.Trim(h, "[]"))
		if h == "" {
			return
		}
		hp := net.JoinHostPort(h, port)
		s.hosts[hp] = true
		if port == "80" {
			s.hosts[strings.TrimSuffix(hp, ":80")] = true // browsers leave out the default port
		}
	}
	for _, h := range []string{"127.0.0.1", "localhost", "::1"} {
		allow(h)
	}
	if tcp.IP.IsLoopback() {
		allow(tcp.IP.String()) // 127.0.0.2, say
		s.url = "http://" + net.JoinHostPort(tcp.IP.String(), port) + "/"
	} else {
		// Remote access, on purpose: the machine's own names and
		// addresses are its Host headers too.
		allow(host)
		allow(tcp.IP.String())
		if name, err := os.Hostname(); err == nil {
			allow(name)
		}
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if ipn, ok := a.(*net.IPNet); ok {
					allow(ipn.IP.String())
				}
			}
		}
		s.url = "http://" + net.JoinHostPort("127.0.0.1", port) + "/"
		if !tcp.IP.IsUnspecified() {
			s.url = "http://" + net.JoinHostPort(tcp.IP.String(), port) + "/"
		}
	}
	return nil
}

// Loopback reports whether the server listens on loopback only.
func (s *Server) Loopback() bool { return s.local }

// Addr is the address the server listens on (after Listen).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// ListenAddr is the address as Options.Addr gave it, with the port that
// was bound: "0.0.0.0:8080" where Addr may say "[::]:8080".
func (s *Server) ListenAddr() string { return s.shown }

// URL is the address to open in a browser, "http://127.0.0.1:PORT/"
// (after Listen).
func (s *Server) URL() string { return s.url }

// Serve answers requests until ctx is done, then shuts down cleanly:
// running checks are cancelled and open connections closed within a few
// seconds. It returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      checkTimeout + 30*time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cancelBase() // running checks stop now
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(sctx)
	if err != nil {
		s.http.Close()
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// Handler is the server's handler: the security checks, then the API and
// the site's files.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")

	loc := i18n.New(headerLang(r))
	if !s.hosts[strings.ToLower(r.Host)] {
		// DNS rebinding: a page on evil.example whose name now points at
		// 127.0.0.1 sends Host: evil.example.
		plain(w, http.StatusMisdirectedRequest, loc.T("ServeBadHost", i18n.M{"Host": r.Host, "URL": s.url}))
		return
	}
	if origin, ok := r.Header["Origin"]; ok && (len(origin) != 1 || !strings.EqualFold(origin[0], "http://"+r.Host)) {
		// Another site (or a sandboxed frame, "null") calling in.
		s.refuse(w, r, http.StatusForbidden, loc.T("ServeBadOrigin"), "origin")
		return
	}
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		s.api(w, r, loc)
		return
	}
	if s.opts.Class != nil && (r.URL.Path == "/class" || strings.HasPrefix(r.URL.Path, "/class/")) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			plain(w, http.StatusMethodNotAllowed, loc.T("ServeBadMethod", i18n.M{"Method": r.Method}))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		s.opts.Class.ServeHTTP(w, r)
		return
	}
	s.file(w, r, loc)
}

// refuse answers with JSON on the API and plain text elsewhere.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, msg, code string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, errorBody{Error: msg, Code: code})
		return
	}
	plain(w, status, msg)
}

type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code,omitempty"`
}

type checkBody struct {
	Lab  string `json:"lab"`
	Step string `json:"step"`
	Lang string `json:"lang"`
}

func (s *Server) api(w http.ResponseWriter, r *http.Request, loc *i18n.Localizer) {
	fail := func(status int, code, id string, data ...i18n.M) {
		writeJSON(w, status, errorBody{Error: loc.T(id, data...), Code: code})
	}
	if r.URL.Path != "/api/check" && r.URL.Path != yourVPCPath && !s.practicePath(r.URL.Path) {
		fail(http.StatusNotFound, "not-found", "ServeNoSuchAPI", i18n.M{"Path": r.URL.Path})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		fail(http.StatusMethodNotAllowed, "method", "ServeBadMethod", i18n.M{"Method": r.Method})
		return
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		fail(http.StatusForbidden, "cross-site", "ServeBadOrigin")
		return
	}
	if !s.tokenOK(r.Header.Get(TokenHeader)) {
		fail(http.StatusForbidden, "token", "ServeBadToken")
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		fail(http.StatusUnsupportedMediaType, "content-type", "ServeBadContentType")
		return
	}
	if s.practicePath(r.URL.Path) {
		s.practiceAPI(w, r, loc)
		return
	}
	if r.URL.Path == yourVPCPath {
		s.yourVPC(w, r, loc)
		return
	}
	var req checkBody
	var ok bool
	if loc, ok = readJSON(w, r, loc, &req, func() string { return req.Lang }, false); !ok {
		return
	}
	st := s.site.Load()
	lab := content.Find(st.Labs(), req.Lab)
	if lab == nil {
		fail(http.StatusNotFound, "unknown-lab", "ServeUnknownLab", i18n.M{"Lab": req.Lab})
		return
	}
	if req.Step != "" {
		page := lab.Page(loc.Lang())
		if page == nil || page.StepByID(req.Step) == nil {
			fail(http.StatusNotFound, "unknown-step", "ServeUnknownStep", i18n.M{"Lab": lab.ID, "Step": req.Step})
			return
		}
	}

	ctx, release, ok := s.takeSlot(r)
	if !ok {
		fail(http.StatusServiceUnavailable, "busy", "ServeBusy")
		return
	}
	defer release()
	out, err := s.opts.Check(ctx, CheckRequest{Lab: lab, Step: req.Step, Loc: loc})
	var ce *Error
	switch {
	case errors.As(err, &ce):
		writeJSON(w, ce.httpStatus(), errorBody{Error: ce.Message, Code: ce.Code})
	case err != nil:
		s.logf("check %s %s: %v", lab.ID, req.Step, err)
		fail(http.StatusInternalServerError, "internal", "ServeInternalError", i18n.M{"Err": err})
	default:
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) tokenOK(got string) bool {
	want := s.opts.Token
	// ConstantTimeCompare returns at once for different lengths; the
	// length of the token is no secret.
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// file serves one file of the site, rendered now with the progress just
// loaded.
func (s *Server) file(w http.ResponseWriter, r *http.Request, loc *i18n.Localizer) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		plain(w, http.StatusMethodNotAllowed, loc.T("ServeBadMethod", i18n.M{"Method": r.Method}))
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if strings.HasSuffix(p, "/") || name == "" {
		name = path.Join(name, "index.html")
	}
	if l, ok := exactLang(strings.SplitN(name, "/", 2)[0]); ok {
		loc = i18n.New(l)
	}
	st := s.site.Load()
	var prog *progress.Progress
	if s.opts.Progress != nil && (strings.HasSuffix(name, ".html") || strings.HasPrefix(name, "badges/")) {
		prog = s.opts.Progress()
	}
	var buf bytes.Buffer
	err := st.WriteFile(&buf, name, prog)
	if errors.Is(err, site.ErrNotFound) && path.Ext(name) == "" {
		// /en/first-vpc: the page's relative links need the slash.
		if st.WriteFile(io.Discard, name+"/index.html", nil) == nil {
			http.Redirect(w, r, "/"+name+"/", http.StatusMovedPermanently)
			return
		}
	}
	switch {
	case errors.Is(err, site.ErrNotFound):
		plain(w, http.StatusNotFound, loc.T("ServeNotFound", i18n.M{"Path": r.URL.Path, "URL": "/" + string(loc.Lang()) + "/"}))
		return
	case err != nil:
		s.logf("render %s: %v", name, err)
		plain(w, http.StatusInternalServerError, loc.T("ServeInternalError", i18n.M{"Err": err}))
		return
	}
	if s.practice != nil && strings.HasSuffix(name, ".html") {
		dec := s.decorate(buf.Bytes(), name, loc)
		buf.Reset()
		buf.Write(dec)
	}
	h := w.Header()
	h.Set("Content-Type", site.ContentType(name))
	if prog != nil || strings.HasSuffix(name, ".html") || strings.HasPrefix(name, "badges/") {
		h.Set("Cache-Control", "no-store") // progress changes with every check
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.opts.Log, "vpclab serve: "+format+"\n", args...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"could not encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

func plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}

// exactLang accepts exactly "en" or "ja".
func exactLang(s string) (i18n.Lang, bool) {
	for _, l := range i18n.Langs {
		if s == string(l) {
			return l, true
		}
	}
	return "", false
}

var langMatcher = language.NewMatcher([]language.Tag{language.English, language.Japanese})

// headerLang guesses the language of a request before its body is read:
// the page it came from (/en/… or /ja/…), else Accept-Language.
func headerLang(r *http.Request) i18n.Lang {
	if ref := r.Referer(); ref != "" {
		if u, err := url.Parse(ref); err == nil {
			if l, ok := exactLang(strings.SplitN(strings.TrimPrefix(u.Path, "/"), "/", 2)[0]); ok {
				return l
			}
		}
	}
	if l, ok := exactLang(strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]); ok {
		return l
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, i, conf := langMatcher.Match(tags...)
			if conf != language.No {
				return i18n.Langs[i]
			}
		}
	}
	return i18n.EN
}

// readJSON reads an API request's one JSON object into v (strict: no
// unknown fields) and answers a bad or oversized body itself, in the
// request's language (lang, read after decoding) when it names one. It
// returns the localizer to answer with, and false when it has answered.
func readJSON(w http.ResponseWriter, r *http.Request, loc *i18n.Localizer, v any, lang func() string, strict bool) (*i18n.Localizer, bool) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("data after the JSON object")
		}
	}
	if l, ok := exactLang(lang()); ok {
		loc = i18n.New(l)
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: loc.T("ServeBodyTooLarge", i18n.M{"Max": MaxBody}), Code: "too-large"})
		return loc, false
	case err != nil:
		writeJSON(w, http.StatusBadRequest, errorBody{Error: loc.T("ServeBadRequest", i18n.M{"Err": err}), Code: "bad-request"})
		return loc, false
	}
	return loc, true
}

// takeSlot waits for one of the slots that bound the account reads running
// at once (checks and Your VPC). It returns the read's context, bounded by
// checkTimeout, and the function that frees the slot and the context; ok
// is false (nothing to free) when the request ends first.
func (s *Server) takeSlot(r *http.Request) (ctx context.Context, release func(), ok bool) {
	ctx, cancel := context.WithTimeout(r.Context(), checkTimeout)
	select {
	case s.slots <- struct{}{}:
		return ctx, func() { <-s.slots; cancel() }, true
	case <-ctx.Done():
		cancel()
		return nil, nil, false
	}
}

// takeAllSlots takes every read slot, one by one as the reads in flight
// end, so that nothing reads the account until release: a sandbox reset
// runs alone, since moto fails a read that overlaps its reset (HTTP 500,
// which the learner saw as an error in Your VPC).
//
// One caller at a time takes them: two taking them one by one could each
// hold some and wait for the other's.
func (s *Server) takeAllSlots(ctx context.Context) (release func(), err error) {
	select {
	case s.exclusive <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	n := 0
	release = func() {
		for ; n > 0; n-- {
			<-s.slots
		}
		<-s.exclusive
	}
	for n < cap(s.slots) {
		select {
		case s.slots <- struct{}{}:
			n++
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	return release, nil
}

// httpStatus is the answer's status for e: its own when it is an error
// status, else 502 (AWS, behind this server, failed).
func (e *Error) httpStatus() int {
	if e.Status < 400 || e.Status > 599 {
		return http.StatusBadGateway
	}
	return e.Status
}
