package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
)

var (
	tmplOnce sync.Once
	tmpl     *template.Template
)

func templates() *template.Template {
	tmplOnce.Do(func() {
		tmpl = template.Must(template.New("site").ParseFS(embedded, "templates/*.html"))
	})
	return tmpl
}

// pageCtx is what rendering one page needs.
type pageCtx struct {
	site *Site
	lab  *content.Lab
	page *content.Page
	lang i18n.Lang
	loc  *i18n.Localizer
	prog LabProgress
	// code caches highlighted code blocks by info string and code for a
	// one-off build, which renders a lab's two pages together (they share
	// most blocks); nil means the site's own cache, for a server.
	code map[string]string
	// tree: render from page.Doc, which no other render will touch (see
	// body); otherwise the page is parsed again.
	tree bool
}

// head is the data every page's <head> and top bar use.
type head struct {
	Lang, OtherLang string
	Root            string // relative path to the site root: "", "../" or "../../"
	Title           string
	Description     string
	OtherURL        string // the same page in the other language
	OtherName       string // that language's name, in that language
	OtherLabel      string
	HomeURL         string // the lab list in this language
	Live            bool
	Token           string
	Mermaid         bool
	Strings         template.JS // UI strings for the script, as JSON
	T               func(id string) string
}

func (s *Site) head(loc *i18n.Localizer, root string) head {
	lang := loc.Lang()
	w := s.words[lang]
	h := head{Lang: string(lang), OtherLang: string(lang.Other()), Root: root, Live: s.opts.Live,
		OtherName: w.T("SiteOtherLangName"), OtherLabel: w.T("SiteOtherLangLabel"),
		HomeURL: root + string(lang) + "/index.html", T: w.T, Strings: w.script}
	if s.opts.Live {
		h.Token = s.opts.Token
	}
	return h
}

// words are a language's fixed strings, rendered once per site: every
// page and card repeats the same labels, and go-i18n renders a message
// each time it is asked for one.
type words struct {
	loc    *i18n.Localizer
	script template.JS // the UI strings for site.js, as the page writes them
}

func newWords(lang i18n.Lang) *words {
	loc := i18n.New(lang)
	return &words{loc: loc, script: scriptJSON(scriptStrings(loc))}
}

// scriptJSON is strs as html/template writes a map in the page's script
// element, made once rather than for every page.
func scriptJSON(strs map[string]string) template.JS {
	const open, close = `<script type="application/json" id="vpclab-strings">`, `</script>`
	var b strings.Builder
	if err := template.Must(template.New("strings").Parse(open+"{{.}}"+close)).Execute(&b, strs); err != nil {
		panic(err) // a map of strings always marshals
	}
	return template.JS(strings.TrimSuffix(strings.TrimPrefix(b.String(), open), close))
}

// T is loc.T for a message without data (which the localizer renders
// once per process).
func (w *words) T(id string) string { return w.loc.T(id) }

func scriptStrings(loc *i18n.Localizer) map[string]string {
	strs := map[string]string{
		"copy": loc.T("SiteCopy"), "copied": loc.T("SiteCopied"), "copyFailed": loc.T("SiteCopyFailed"),
		"checking": loc.T("SiteChecking"), "failedRequest": loc.T("SiteCheckFailedRequest"),
		"noResult": loc.T("SiteCheckNoResult"), "fix": loc.T("SiteFix"), "reason": loc.T("SiteReason"),
		"copyLabel": loc.T("SiteCopyLabel"),
	}
	for _, id := range pageScriptStrings {
		strs[id] = loc.T(id)
	}
	for _, st := range []progress.Status{progress.StatusPass, progress.StatusWarn, progress.StatusFail, progress.StatusError, progress.StatusSkipped} {
		strs["status-"+string(st)] = loc.T(statusMsg(st))
	}
	for state, id := range stepStateMsg {
		strs["step-"+state] = loc.T(id)
	}
	return strs
}

// pageScriptStrings are the page area's messages site.js uses, by id.
var pageScriptStrings = []string{"PageSearchPlaceholder", "PageSearchNoResults", "PageSearchLoading", "PageSearchFailed",
	"PageSearchCount", "PageSearchThisLang", "PageSearchOtherLang", "PageDiagramClose", "PageErrDetails",
	"PageErrNetwork", "PageErrNetworkDo", "PageErrUnreachable", "PageErrUnreachableDo", "PageErrCredentials", "PageErrCredentialsDo",
	"PageErrDenied", "PageErrDeniedDo", "PageErrRegion", "PageErrRegionDo", "PageErrThrottled", "PageErrThrottledDo",
	"PageErrTimeout", "PageErrTimeoutDo", "PageErrOther", "PageErrOtherDo"}

func statusMsg(s progress.Status) string {
	return map[progress.Status]string{progress.StatusPass: "StatusPass", progress.StatusWarn: "StatusWarn",
		progress.StatusFail: "StatusFail", progress.StatusError: "StatusError", progress.StatusSkipped: "StatusSkipped"}[s]
}

// RenderRoot writes the site's root index.html: a language chooser that
// follows the browser's language, with plain links for when scripts are off.
func (s *Site) RenderRoot(w io.Writer) error {
	type choice struct{ Lang, Name, Label, Tagline string }
	var data struct {
		Choices []choice
		Title   string
	}
	for _, l := range i18n.Langs {
		loc := i18n.New(l)
		name := map[i18n.Lang]string{i18n.EN: "English", i18n.JA: "日本語"}[l]
		data.Choices = append(data.Choices, choice{Lang: string(l), Name: name, Label: loc.T("SiteChooseLanguage"), Tagline: loc.T("SiteTagline")})
	}
	data.Title = i18n.New(i18n.EN).T("SiteName")
	return execute(w, "root.html", data)
}

// labItem is a lab in the lab list.
type labItem struct {
	ID, Title, Summary, Level, LevelName, Duration, Cost string
	URL, Badge, BadgeAlt                                 string
	N                                                    int
	State                                                State
}

// RenderIndex writes the lab list in lang.
func (s *Site) RenderIndex(w io.Writer, lang i18n.Lang, prog *progress.Progress) error {
	loc := i18n.New(lang)
	h := s.head(loc, "../")
	h.Title = loc.T("SiteName")
	h.Description = loc.T("SiteTagline")
	h.OtherURL = "../" + string(lang.Other()) + "/index.html"
	var items []labItem
	for i, l := range s.labs {
		p := l.Page(lang)
		lp := ProgressOf(l, prog)
		items = append(items, labItem{ID: l.ID, N: i + 1, Title: p.Meta.Title, Summary: p.Meta.Summary,
			Level: p.Meta.Level, LevelName: levelName(loc, p.Meta.Level), Duration: loc.T("SiteDuration", i18n.M{"Minutes": p.Meta.Duration}),
			Cost: costText(loc, p.Meta.Cost), URL: l.ID + "/index.html", Badge: "../" + badgePath(badgeID(l.ID), lang),
			BadgeAlt: progressAlt(loc, lp), State: lp.State})
	}
	o := OverallOf(s.labs, prog)
	data := struct {
		head
		Labs       []labItem
		Overall    string
		OverallAlt string
	}{h, items, "../" + badgePath("overall", lang), loc.T("SiteOverallAlt", i18n.M{"Done": o.Done, "Total": o.Total})}
	return execute(w, "index.html", data)
}

func badgeID(id string) string { return id } // a lab called "overall" shows the overall badge

func levelName(loc *i18n.Localizer, level string) string {
	switch level {
	case "beginner":
		return loc.T("SiteLevelBeginner")
	case "intermediate":
		return loc.T("SiteLevelIntermediate")
	case "advanced":
		return loc.T("SiteLevelAdvanced")
	}
	return level
}

func costText(loc *i18n.Localizer, c content.Cost) string {
	if c.USDPerHour == 0 {
		return loc.T("SiteCostFree")
	}
	return loc.T("SiteCost", i18n.M{"USD": strconv.FormatFloat(c.USDPerHour, 'f', -1, 64), "Region": c.Region})
}

func progressAlt(loc *i18n.Localizer, lp LabProgress) string {
	return loc.T("ProgressAlt", i18n.M{"Value": lp.Words(loc)})
}

// stepStateMsg words each journey state for the table of contents.
var stepStateMsg = map[string]string{"done": "JourneyDone", "done-earlier": "JourneyDoneEarlier", "current": "JourneyCurrent",
	"not-reached": "JourneyNotReached", "failing": "JourneyRegression", "optional": "JourneyOptional", "not-checkable": "ProgressNotCheckable"}

// tocItem is a step in the lab page's table of contents.
type tocItem struct {
	ID          string
	Title       template.HTML // escaped, with <wbr> at Japanese phrase ends
	PlainTitle  string
	N           int    // the step's number; 0 for a section without checks
	Status      string // a journey state (done, current, not-reached, …); "" for a section
	StatusLabel string
	Role        string // required, optional, cleanup
	Checks      int
}

type prereq struct{ ID, Title, URL string }

// neighbour is the link to a lab next in the list, or nil for a lab
// without a page (one whose files could not be read: lint refuses it).
func neighbour(l *content.Lab, lang i18n.Lang) *prereq {
	p := l.Page(lang)
	if p == nil {
		return nil
	}
	return &prereq{ID: l.ID, Title: p.Meta.Title, URL: "../" + l.ID + "/index.html"}
}

// RenderLab writes the page of the lab with id in lang.
func (s *Site) RenderLab(w io.Writer, id string, lang i18n.Lang, prog *progress.Progress) error {
	l := s.lab(id)
	if l == nil {
		return fmt.Errorf("site: no lab %q: %w", id, ErrNotFound)
	}
	return s.renderLab(w, l, lang, prog, nil, false)
}

// renderLab writes l's page in lang. l may be a lab the site knows only
// by its front matter so far (a Builder's). code, when not nil, caches
// highlighted blocks for this render alone instead of the site's cache;
// tree renders from the page's own tree (pageCtx.tree).
func (s *Site) renderLab(w io.Writer, l *content.Lab, lang i18n.Lang, prog *progress.Progress, code map[string]string, tree bool) error {
	page := l.Page(lang)
	if page == nil {
		return fmt.Errorf("site: lab %q has no pages: %w", l.ID, ErrNotFound)
	}
	if page.Released() {
		return fmt.Errorf("site: lab %q: the %s page's Markdown was released before it was rendered", l.ID, lang)
	}
	loc := i18n.New(lang)
	pc := &pageCtx{site: s, lab: l, page: page, lang: lang, loc: loc, prog: ProgressOf(l, prog), code: code, tree: tree}
	// The body goes straight from goldmark's buffer to w: through the
	// template, each page's body was copied twice more.
	body := bodyBuffers.Get().(*bytes.Buffer)
	defer bodyBuffers.Put(body)
	body.Reset()
	mermaid, err := renderBody(body, pc)
	if err != nil {
		return err
	}
	h := s.head(loc, "../../")
	h.Title = page.Meta.Title + " · " + loc.T("SiteName")
	h.Description = page.Meta.Summary
	h.OtherURL = "../../" + string(lang.Other()) + "/" + l.ID + "/index.html"
	h.Mermaid = mermaid
	h.HomeURL = "../index.html"

	var toc []tocItem
	for _, st := range page.Steps {
		status := pc.prog.StepState(st)
		label := ""
		if id, ok := stepStateMsg[status]; ok {
			label = s.words[lang].T(id)
			if st.Role == content.RoleOptional && status != "optional" {
				label += " · " + s.words[lang].T("JourneyOptional")
			}
		}
		toc = append(toc, tocItem{ID: st.ID, Title: phraseBreaks(st.Title, lang), PlainTitle: st.Title, N: page.Number(st), Status: status, StatusLabel: label,
			Role: string(st.Role), Checks: len(st.Checks)})
	}
	var pres []prereq
	for _, pid := range page.Meta.Prerequisites {
		pr := prereq{ID: pid}
		if pl := s.lab(pid); pl != nil && pl.Page(lang) != nil {
			pr.Title, pr.URL = pl.Page(lang).Meta.Title, "../"+pid+"/index.html"
		}
		pres = append(pres, pr)
	}
	var prev, next *prereq
	for i, o := range s.labs {
		if o.ID != l.ID {
			continue
		}
		if i > 0 {
			prev = neighbour(s.labs[i-1], lang)
		}
		if i+1 < len(s.labs) {
			next = neighbour(s.labs[i+1], lang)
		}
	}
	where := ""
	if pc.prog.Account != "" {
		where = loc.T("SiteProgressWhere", i18n.M{"Account": pc.prog.Account, "Region": pc.prog.Region})
	}
	// The page's own fields and head's as fields, not embedded: the
	// templates look each field up by name, and a name not found at the
	// top of a struct with an embedded one takes reflect's slow search.
	data := struct {
		Head                                          head
		T                                             func(id string) string
		Root                                          string
		Live                                          bool
		ID, Summary, Level, LevelName, Duration, Cost string
		Services                                      []string
		Prerequisites                                 []prereq
		Badge, BadgeAlt, ProgressWhere                string
		State                                         State
		Steps                                         []tocItem
		HasChecks                                     bool
		LabCommand                                    string
		PageTitle                                     string
		Prev, Next                                    *prereq
	}{
		Head: h, T: h.T, Root: h.Root, Live: h.Live, ID: l.ID, Summary: page.Meta.Summary, Level: page.Meta.Level, LevelName: levelName(loc, page.Meta.Level),
		Duration: loc.T("SiteDuration", i18n.M{"Minutes": page.Meta.Duration}), Cost: costText(loc, page.Meta.Cost),
		Services: page.Meta.Services, Prerequisites: pres,
		Badge: "../../" + badgePath(badgeID(l.ID), lang), BadgeAlt: progressAlt(loc, pc.prog), ProgressWhere: where,
		State: pc.prog.State, Steps: toc, HasChecks: pc.prog.Total > 0, LabCommand: s.checkCommand(l.ID),
		PageTitle: page.Meta.Title,
		Prev:      prev, Next: next,
	}
	// The body is goldmark's output: raw HTML in the Markdown is never
	// passed through, and every value the site adds is escaped.
	// The page is written whole or not at all, as execute writes.
	buf, direct := w.(*bytes.Buffer)
	if !direct {
		buf = new(bytes.Buffer)
	}
	n := buf.Len()
	err = execute(buf, "lab-top", data)
	if err == nil {
		buf.Write(body.Bytes())
		err = execute(buf, "lab-bottom", data)
	}
	if err != nil {
		buf.Truncate(n)
		return err
	}
	if !direct {
		_, err = w.Write(buf.Bytes())
	}
	return err
}

// bodyBuffers hold rendered page bodies, a few hundred KB each, between
// renders.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// execute runs a template into w, which gets nothing from a run that
// fails. A buffer is written directly and cut back on failure: pages are
// large, and a copy of each was much of a build's allocation.
func execute(w io.Writer, name string, data any) error {
	if buf, ok := w.(*bytes.Buffer); ok {
		n := buf.Len()
		err := templates().ExecuteTemplate(buf, name, data)
		if err != nil {
			buf.Truncate(n)
		}
		return err
	}
	var buf bytes.Buffer
	if err := templates().ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// highlightYAML renders a check block: keys, comments and quoted strings
// get chroma's classes (so the theme colours them like any code). A check
// block is one flat mapping, and chroma's YAML lexer would cost more than
// the rest of its card.
func highlightYAML(code string) string {
	var b strings.Builder
	b.WriteString(`<pre class="chroma"><code>`)
	for _, line := range strings.SplitAfter(code, "\n") {
		if line == "" {
			continue
		}
		body, nl := strings.CutSuffix(line, "\n")
		trimmed := strings.TrimLeft(body, " ")
		indent := body[:len(body)-len(trimmed)]
		b.WriteString(indent)
		switch {
		case strings.HasPrefix(trimmed, "#"):
			b.WriteString(`<span class="c">` + esc(trimmed) + `</span>`)
		default:
			key, rest, ok := strings.Cut(trimmed, ":")
			if !ok || strings.ContainsAny(key, ` "'[{`) {
				b.WriteString(esc(trimmed))
				break
			}
			b.WriteString(`<span class="nt">` + esc(key) + `</span><span class="p">:</span>`)
			value := strings.TrimLeft(rest, " ")
			b.WriteString(rest[:len(rest)-len(value)])
			switch {
			case strings.HasPrefix(value, `"`) || strings.HasPrefix(value, "'"):
				b.WriteString(`<span class="s">` + esc(value) + `</span>`)
			case value == "true" || value == "false":
				b.WriteString(`<span class="kc">` + value + `</span>`)
			default:
				b.WriteString(esc(value))
			}
		}
		if nl {
			b.WriteString("\n")
		}
	}
	b.WriteString("</code></pre>")
	return b.String()
}

// checkCommand is the vpclab check command for a lab with args, and the
// site's CheckArgs, quoted for bash and zsh.
func (s *Site) checkCommand(args ...string) string {
	cmd := "vpclab check"
	for _, a := range append(args, s.opts.CheckArgs...) {
		cmd += " " + shellWord(a)
	}
	return cmd
}

// No = first: zsh expands =word to the path of a command.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9._/:@+,-][A-Za-z0-9._/:@+=,-]*$`)

// shellWord quotes a for bash and zsh; a plain word stays as it is.
func shellWord(a string) string {
	if plainWord.MatchString(a) {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}

// chromaCSSPath is where the highlighting theme (highlight.CSS) is written.
const chromaCSSPath = "assets/chroma.css"

// recordedMessage is a recorded result's message in the page's language:
// rendered again from its message id and data when the record has them
// (a result recorded from the English page reads in Japanese on the
// Japanese page), else the message as it was shown.
func recordedMessage(loc *i18n.Localizer, r progress.Record) string {
	if r.MessageID == "" {
		return r.Message
	}
	data, _ := msgValue(r.MessageData).(i18n.M)
	if s := loc.T(r.MessageID, data); !strings.HasPrefix(s, "[") {
		return s
	}
	return r.Message
}

// msgValue turns a message's data read back from JSON into what the
// localizer renders: a nested message ({"ID": …, "Data": …}) becomes an
// i18n.Msg again, and whole numbers become ints.
func msgValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		// i18n.Joined, as JSON: a list worded part by part.
		if parts, ok := v["Parts"].([]any); ok && len(v) == 2 {
			if sep, ok := v["Sep"].(string); ok {
				return i18n.Joined{Parts: msgValue(parts).([]any), Sep: sep}
			}
		}
		if id, ok := v["ID"].(string); ok && len(v) <= 2 {
			if _, hasData := v["Data"]; hasData || len(v) == 1 {
				data, _ := msgValue(v["Data"]).(i18n.M)
				return i18n.Msg{ID: id, Data: data}
			}
		}
		out := i18n.M{}
		for k, x := range v {
			out[k] = msgValue(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = msgValue(x)
		}
		return out
	case float64:
		if v == float64(int64(v)) {
			return int(v)
		}
	}
	return v
}

// phraseBreaks escapes a Japanese title and marks where a line may break
// between phrases (<wbr> after the kana that ends a phrase, before a word
// in another script), for browsers without word-break: auto-phrase, which
// site.css pairs with keep-all.
func phraseBreaks(title string, lang i18n.Lang) template.HTML {
	if lang != i18n.JA {
		return template.HTML(esc(title))
	}
	var b strings.Builder
	rs := []rune(title)
	for i, r := range rs {
		b.WriteString(esc(string(r)))
		if i+1 < len(rs) && isHiragana(r) && !isHiragana(rs[i+1]) && rs[i+1] != ' ' && !strings.ContainsRune("、。）」ー", rs[i+1]) {
			b.WriteString("<wbr>")
		}
	}
	return template.HTML(b.String())
}

func isHiragana(r rune) bool { return r >= 0x3041 && r <= 0x309f }
