package serve_test

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/sandboxtest"
	"github.com/vpclab/vpclab/site"
)

// The learner's page in a real browser (issue 12), from a static build
// opened from file://: search, Console / CLI tabs, tables, diagrams and
// the phone layout, in both languages, at desktop and phone sizes; then,
// in the same browser, the live parts served by vpclab serve (livePage: a
// failing card's fix, a result recorded from the other language, the
// error state). Screenshots go to artifacts() ($VPCLAB_ARTIFACTS).

type viewport struct {
	name          string
	width, height int64
	phone         bool
}

var (
	desktop = viewport{"desktop", 1280, 900, false}
	phone   = viewport{"phone", 390, 844, true}
)

func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	if v.phone {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// media switches CSS to the print (or screen, "") media type.
func media(m string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return chromedp.Void{}, err
	}
}

func buildStatic(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(dir, builtinLabs(t), nil, site.Options{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// open loads a page of the static build and waits for its scripts.
func open(t *testing.T, ctx context.Context, dir, page string) {
	t.Helper()
	step(t, ctx, "open "+page, chromedp.Navigate("file://"+filepath.Join(dir, filepath.FromSlash(page))), loaded,
		chromedp.WaitVisible(chromedp.CSS(`h1`)))
}

type searchHit struct {
	Lang  string `json:"lang"`
	Href  string `json:"href"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// searchFor types q into the search dialog and returns what it lists.
func searchFor(t *testing.T, ctx context.Context, q string) []searchHit {
	t.Helper()
	step(t, ctx, "open the search", chromedp.Click(chromedp.CSS(`button[data-action="search-open"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog.search-dialog[open] .search-input`)),
		chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector('.search-input'); i.value = ''; })()`),
		chromedp.SendKeys(chromedp.CSS(`.search-input`), q),
		chromedp.Poll[chromedp.Void](`document.querySelector('.search-results').getAttribute('data-query') === `+strconv.Quote(q),
			chromedp.WithPollingTimeout(10*time.Second)))
	hits := value(t, ctx, "search results", chromedp.Evaluate[[]searchHit](`Array.from(document.querySelectorAll('.search-results a')).map(a => ({
		lang: a.getAttribute('data-lang-result'), href: a.href, title: a.querySelector('.search-result-title').textContent,
		text: a.querySelector('.search-result-text').textContent}))`))
	return hits
}

func TestBrowserPage(t *testing.T) {
	chrome := needChromium(t)
	started := time.Now()
	dir := buildStatic(t)
	shots := artifacts(t)
	ctx, console := browser(t, chrome)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("browser console:\n%s", strings.Join(console.all(), "\n"))
		}
	})

	// Search, offline from file://: "NAT" in both languages, and Japanese
	// by a substring with no word boundary around it.
	for _, lang := range []string{"en", "ja"} {
		open(t, ctx, dir, lang+"/first-vpc/index.html")
		hits := searchFor(t, ctx, "NAT")
		langs := map[string]int{}
		for _, h := range hits {
			langs[h.Lang]++
		}
		if langs["en"] == 0 || langs["ja"] == 0 {
			t.Errorf("%s page: search for NAT found %d results, by language %v; want both languages", lang, len(hits), langs)
		} else if hits[0].Lang != lang {
			t.Errorf("%s page: the first result is in %s; the page's language comes first", lang, hits[0].Lang)
		}
		screenshot(t, ctx, shots, "page-search-nat-"+lang+".png", chromedp.CaptureScreenshot())
		step(t, ctx, "close the search", chromedp.KeyEvent("\x1b"))
	}
	for _, q := range []string{"ゲートウェイ", "ートウェ", "ルートテーブル"} {
		hits := searchFor(t, ctx, q)
		ja := 0
		for _, h := range hits {
			if h.Lang == "ja" && strings.Contains(h.Title+h.Text, q) {
				ja++
			}
		}
		if ja == 0 {
			t.Errorf("search for %q found no Japanese section that contains it: %+v", q, hits)
		}
		if q == "ゲートウェイ" {
			screenshot(t, ctx, shots, "page-search-gateway.png", chromedp.CaptureScreenshot())
		}
		step(t, ctx, "close the search", chromedp.KeyEvent("\x1b"))
	}
	// A result leads to its section.
	hits := searchFor(t, ctx, "ゲートウェイ")
	step(t, ctx, "follow the first result", chromedp.Click(chromedp.CSS(`.search-results a`)))
	var loc string
	waitFor(t, 10*time.Second, "the first result's page", func() bool {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		l, err := chromedp.Run(sctx, chromedp.Location())
		loc = l
		return err == nil && sameDoc(l, hits[0].Href)
	})
	if !strings.HasPrefix(loc, "file://") {
		t.Errorf("the first result went to %s, want %s", loc, hits[0].Href)
	}

	// Console / CLI tabs: the first is shown, a click switches, and the
	// choice holds on the next step and on another lab's page.
	open(t, ctx, dir, "en/nat-private-egress/index.html")
	state := func(what string) []string {
		return value(t, ctx, what, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.tabs')).map(g =>
			g.querySelector('.tab[aria-selected="true"]').dataset.tab + ':' +
			Array.from(g.querySelectorAll(':scope > .tab-panel')).filter(p => !p.hidden && p.offsetHeight > 0).map(p => p.dataset.tab).join(','))`))
	}
	groups := state("tabs")
	if len(groups) < 5 {
		t.Fatalf("nat-private-egress has %d tab groups; want one per Console/CLI pair", len(groups))
	}
	for _, g := range groups {
		if g != "console:console" {
			t.Errorf("before any choice, a group shows %q; want the console tab and its panel only", g)
		}
	}
	step(t, ctx, "choose AWS CLI", chromedp.ScrollIntoView(chromedp.CSS(`.tabs .tab[data-tab="cli"]`)),
		chromedp.Click(chromedp.CSS(`.tabs .tab[data-tab="cli"]`)))
	for _, g := range state("tabs after the click") {
		if g != "cli:cli" {
			t.Errorf("after choosing AWS CLI, a group shows %q; want cli:cli on every step", g)
		}
	}
	screenshot(t, ctx, shots, "page-tabs-cli.png", chromedp.Screenshot(chromedp.CSS(`.tabs`)))
	open(t, ctx, dir, "ja/one-way-egress/index.html")
	for _, g := range state("tabs on another page") {
		if g != "cli:cli" {
			t.Errorf("on another lab's page (Japanese), a group shows %q; the choice was not remembered", g)
		}
	}
	if label := value(t, ctx, "tab label", chromedp.Text(chromedp.CSS(`.tabs .tab[data-tab="console"]`))); label != i18n.New(i18n.JA).T("PageTabConsole") {
		t.Errorf("the Japanese console tab says %q", label)
	}
	step(t, ctx, "back to the console", chromedp.ScrollIntoView(chromedp.CSS(`.tabs .tab[data-tab="console"]`)),
		chromedp.Click(chromedp.CSS(`.tabs .tab[data-tab="console"]`)))
	screenshot(t, ctx, shots, "page-tabs-console-ja.png", chromedp.Screenshot(chromedp.CSS(`.tabs`)))

	for _, v := range []viewport{desktop, phone} {
		for _, lang := range []string{"en", "ja"} {
			pageChecks(t, ctx, dir, shots, v, lang)
		}
	}

	// The same browser, on pages that vpclab serve serves.
	livePage(t, ctx, shots, console)

	for _, m := range console.all() {
		if strings.Contains(m, "status of 502") && (strings.Contains(m, "/api/check") || strings.Contains(m, "/api/yourvpc")) {
			continue // the checks (and Your VPC, redrawn after each) made with AWS unreachable
		}
		if strings.Contains(m, "Content Security Policy") || strings.HasPrefix(m, "exception") || strings.HasPrefix(m, "error") {
			t.Errorf("browser console: %s", m)
		}
	}
	t.Logf("page browser test took %v", time.Since(started).Round(time.Millisecond))
}

// sameDoc compares two URLs, fragments included.
func sameDoc(a, b string) bool { return a == b }

type box struct {
	Left, Right, Top, Bottom, Width float64
}

// pageChecks are the layout assertions for one size and language.
func pageChecks(t *testing.T, ctx context.Context, dir, shots string, v viewport, lang string) {
	t.Helper()
	tag := v.name + "-" + lang
	step(t, ctx, "size "+v.name, v.emulate())
	open(t, ctx, dir, lang+"/nat-private-egress/index.html")

	if w := value(t, ctx, "page width", chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > float64(v.width)+0.5 {
		t.Errorf("%s: the page is %.0fpx wide in a %dpx window: it scrolls sideways", tag, w, v.width)
	}
	// "All labs" is there at every width.
	if vis := value(t, ctx, "all labs", chromedp.Evaluate[bool](`(() => { const a = document.querySelector('.topnav .all-labs'); const r = a.getBoundingClientRect(); return r.width > 0 && r.right <= innerWidth; })()`)); !vis {
		t.Errorf("%s: the All labs link is hidden", tag)
	}

	// Troubleshooting: every column of every row can be reached.
	step(t, ctx, "troubleshooting", chromedp.ScrollIntoView(chromedp.CSS(`section[data-step="troubleshooting"] .table-wrap`)))
	unreachable := value(t, ctx, "table cells", chromedp.Evaluate[[]string](`(() => {
	  const bad = [];
	  document.querySelectorAll('section[data-step="troubleshooting"] .table-wrap').forEach((w, i) => {
	    w.scrollLeft = w.scrollWidth;   // as far right as a reader can scroll it
	    const wr = w.getBoundingClientRect();
	    w.querySelectorAll('td').forEach((td, j) => {
	      const r = td.getBoundingClientRect();
	      if (r.width < 20 || r.left < Math.max(0, wr.left) - 1 || r.right > Math.min(innerWidth, wr.right) + 1) {
	        if (r.right - r.left > wr.width + 1 || r.right > innerWidth + 1 || r.width < 20) bad.push('table ' + i + ' cell ' + j + ': ' + Math.round(r.left) + '..' + Math.round(r.right) + ' in ' + Math.round(wr.left) + '..' + Math.round(wr.right));
	      }
	    });
	    w.scrollLeft = 0;
	  });
	  return bad;
	})()`))
	if len(unreachable) > 0 {
		t.Errorf("%s: troubleshooting cells that cannot be seen whole: %v", tag, unreachable)
	}
	cols := value(t, ctx, "columns", chromedp.Evaluate[int](`document.querySelector('section[data-step="troubleshooting"] .table-wrap tr').children.length`))
	if cols < 3 {
		t.Errorf("%s: the troubleshooting table has %d columns; the test expects the real 3- or 4-column table", tag, cols)
	}
	if v.phone {
		// On a phone each row is a card: each cell carries its column's name.
		labels := value(t, ctx, "cell labels", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('section[data-step="troubleshooting"] tbody tr:first-child td')).map(td => getComputedStyle(td, '::before').content)`))
		if len(labels) != cols {
			t.Errorf("%s: first row has %d cells for %d columns", tag, len(labels), cols)
		}
		for _, l := range labels {
			if l == "none" || l == `""` {
				t.Errorf("%s: a reflowed cell does not show its column's name: %v", tag, labels)
				break
			}
		}
	}
	screenshot(t, ctx, shots, "page-table-"+tag+".png", chromedp.Screenshot(chromedp.CSS(`section[data-step="troubleshooting"] .table-wrap`)))

	// The diagram fits its column, has a name and a text, and opens full
	// size.
	step(t, ctx, "diagram drawn", chromedp.ScrollIntoView(chromedp.CSS(`figure.diagram`)), chromedp.WaitVisible(chromedp.CSS(`figure.diagram pre.mermaid svg`)))
	fit := value(t, ctx, "diagram size", chromedp.Evaluate[map[string]float64](`(() => {
	  const f = document.querySelector('figure.diagram'), s = f.querySelector('svg');
	  return {fig: f.getBoundingClientRect().right, svg: s.getBoundingClientRect().right, natural: s.viewBox.baseVal.width, shown: s.getBoundingClientRect().width};
	})()`))
	if fit["svg"] > fit["fig"]+0.5 {
		t.Errorf("%s: the diagram sticks out of its box: %v", tag, fit)
	}
	name := value(t, ctx, "diagram name", chromedp.Evaluate[string](`document.querySelector('figure.diagram svg').getAttribute('aria-label')`))
	if !strings.HasPrefix(name, i18n.New(i18n.Lang(lang)).T("SiteDiagramLabel")+": ") {
		t.Errorf("%s: the diagram's accessible name is %q", tag, name)
	}
	desc := value(t, ctx, "diagram text", chromedp.Evaluate[string](`document.getElementById(document.querySelector('figure.diagram').getAttribute('aria-describedby')).textContent`))
	if !strings.Contains(desc, "→") || !strings.Contains(desc, "NAT") {
		t.Errorf("%s: the diagram's text description: %q", tag, desc)
	}
	screenshot(t, ctx, shots, "page-diagram-"+tag+".png", chromedp.Screenshot(chromedp.CSS(`figure.diagram`)))
	if fit["shown"] < fit["natural"]-1 {
		step(t, ctx, "open the diagram", chromedp.Click(chromedp.CSS(`figure.diagram pre.mermaid svg`)),
			chromedp.WaitVisible(chromedp.CSS(`dialog.diagram-dialog[open] svg`)))
		full := value(t, ctx, "full size", chromedp.Evaluate[float64](`document.querySelector('dialog.diagram-dialog svg').getBoundingClientRect().width`))
		if full < fit["natural"]-1 {
			t.Errorf("%s: opened, the diagram is %.0fpx wide; its natural width is %.0fpx", tag, full, fit["natural"])
		}
		screenshot(t, ctx, shots, "page-diagram-open-"+tag+".png", chromedp.CaptureScreenshot())
		step(t, ctx, "close the diagram", chromedp.Click(chromedp.CSS(`dialog.diagram-dialog .diagram-close`)))
	}

	// Far down the page: the step list is still at the top, folded to the
	// step being read, and there is a way back to the top.
	step(t, ctx, "scroll far down", chromedp.Evaluate[chromedp.Void](`window.scrollTo({top: document.body.scrollHeight * 0.6, behavior: 'instant'})`),
		chromedp.Poll[chromedp.Void](`!document.querySelector('.back-to-top').hidden`, chromedp.WithPollingTimeout(5*time.Second)))
	nav := value(t, ctx, "sticky steps", chromedp.Evaluate[box](`(() => { const r = document.querySelector('.sidebar').getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; })()`))
	if nav.Bottom <= 0 || nav.Top > 120 {
		t.Errorf("%s: scrolled down, the step list is off screen: %+v", tag, nav)
	}
	if v.phone {
		cur := value(t, ctx, "current step", chromedp.Text(chromedp.CSS(`.toc-current`)))
		if cur == "" {
			t.Errorf("%s: the folded step list does not name the step being read", tag)
		}
	}
	step(t, ctx, "paint", chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise))
	screenshot(t, ctx, shots, "page-scrolled-"+tag+".png", chromedp.CaptureScreenshot())

	// Previous and next lab, in the lab list's order.
	pager := value(t, ctx, "pager", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.lab-pager a')).map(a => a.getAttribute('href'))`))
	if fmt.Sprint(pager) != "[../igw-eip-basics/index.html ../one-way-egress/index.html]" {
		t.Errorf("%s: previous/next = %v; want igw-eip-basics and one-way-egress (the lab list's order)", tag, pager)
	}

	// Printed, nothing is cut off: no box scrolls.
	step(t, ctx, "print media", media("print"))
	clipped := value(t, ctx, "clipped in print", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.prose pre, .table-wrap, .cmd code')).filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map(e => e.className + ': ' + e.textContent.slice(0, 40))`))
	step(t, ctx, "screen media", media(""))
	if len(clipped) > 0 {
		t.Errorf("%s: in print, %d boxes are clipped, e.g. %v", tag, len(clipped), clipped[0])
	}
}

// livePage is the page with vpclab serve against the sandbox: a failing
// card's fix shows the whole command at desktop and phone sizes; a result
// recorded from the English page reads in Japanese on the Japanese page;
// and with AWS unreachable the card says what happened and what to do
// first, in the page's language, the raw error folded away.
func livePage(t *testing.T, ctx context.Context, shots string, console *consoleLog) {
	t.Helper()
	cfg := sandboxtest.Config(t)
	for _, kv := range sandboxtest.Env(t) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("VPCLAB_STATE_DIR", t.TempDir())
	vpcID := buildFirstVPC(t, cfg)
	srv := startServe(t, t.TempDir(), "--addr", "127.0.0.1:0")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("vpclab serve's stderr:\n%s", srv.Stderr)
		}
	})

	// The English page: create-subnet is not done, so its card fails with
	// a fix that names the real VPC.
	card := `.vcard[data-check="subnet-private"]`
	step(t, ctx, "open the English page", chromedp.Navigate(srv.URL+"en/first-vpc/"), loaded,
		chromedp.Click(chromedp.CSS(`button[data-action="check-step"][data-step="create-subnet"]`)),
		chromedp.WaitVisible(chromedp.CSS(card+` .result-fix pre`)))
	enMsg := value(t, ctx, "English message", chromedp.Text(chromedp.CSS(card+` .result-msg`)))
	for _, v := range []viewport{desktop, phone} {
		step(t, ctx, "size "+v.name, v.emulate(), chromedp.ScrollIntoView(chromedp.CSS(card)))
		fix := value(t, ctx, "fix box", chromedp.Evaluate[map[string]any](`(() => {
		  const p = document.querySelector('`+card+` .result-fix pre'), r = p.getBoundingClientRect();
		  return {text: p.textContent, scroll: p.scrollWidth, client: p.clientWidth, right: r.right, width: innerWidth};
		})()`))
		text, _ := fix["text"].(string)
		if !strings.Contains(text, "aws ec2 create-subnet --vpc-id "+vpcID) || !strings.Contains(text, "Value=vpclab-first-a") {
			t.Errorf("%s: the fix is %q; want the whole create-subnet command for %s", v.name, text, vpcID)
		}
		if fix["scroll"].(float64) > fix["client"].(float64) || fix["right"].(float64) > fix["width"].(float64) {
			t.Errorf("%s: the fix box cuts the command off: %v", v.name, fix)
		}
		screenshot(t, ctx, shots, "live-fix-"+v.name+".png", chromedp.Screenshot(chromedp.CSS(`.vgroup[data-step="create-subnet"]`)))
	}
	step(t, ctx, "desktop", desktop.emulate())

	// The Japanese page shows that result, recorded from the English page,
	// in Japanese.
	step(t, ctx, "open the Japanese page", chromedp.Navigate(srv.URL+"ja/first-vpc/"), loaded,
		chromedp.WaitVisible(chromedp.CSS(card+` .vcard-recorded`)))
	rec := value(t, ctx, "recorded", chromedp.Text(chromedp.CSS(card+` .vcard-recorded`)))
	if !japanese.MatchString(rec) || strings.Contains(rec, enMsg) || !strings.Contains(rec, "vpclab-first-a") {
		t.Errorf("the Japanese page shows the result recorded from the English page as %q (English: %q)", rec, enMsg)
	}
	step(t, ctx, "scroll to the card", chromedp.ScrollIntoView(chromedp.CSS(card)))
	screenshot(t, ctx, shots, "live-recorded-ja.png", chromedp.Screenshot(chromedp.CSS(`.vgroup[data-step="create-subnet"]`)))
	// Search works from the server too (under its CSP), and the arrow key
	// moves from the field to the first result.
	if hits := searchFor(t, ctx, "ゲートウェイ"); len(hits) == 0 || hits[0].Lang != "ja" {
		t.Errorf("served page: search found %+v", hits)
	}
	step(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
	if f := value(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.getAttribute('data-lang-result') || document.activeElement.className`)); f != "ja" {
		t.Errorf("after ArrowDown the focus is on %q, not the first result", f)
	}
	step(t, ctx, "close the search", chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Escape))
	if code := srv.Stop(t); code != 0 {
		t.Errorf("vpclab serve exited with %d", code)
	}

	// AWS unreachable: a loopback port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	t.Setenv("AWS_ENDPOINT_URL", dead)
	srv2 := startServe(t, t.TempDir(), "--addr", "127.0.0.1:0")
	for _, lang := range []i18n.Lang{i18n.JA, i18n.EN} {
		loc := i18n.New(lang)
		step(t, ctx, "check with AWS unreachable", chromedp.Navigate(srv2.URL+string(lang)+"/first-vpc/"), loaded,
			chromedp.Click(chromedp.CSS(`button[data-action="check-step"][data-step="create-vpc"]`)),
			chromedp.WaitVisible(chromedp.CSS(`.vgroup[data-step="create-vpc"] .check-result .result[data-status="error"]`)))
		got := value(t, ctx, "error box", chromedp.Evaluate[map[string]string](`(() => {
		  const b = document.querySelector('.vgroup[data-step="create-vpc"] .check-result .result');
		  const d = b.querySelector('details');
		  return {code: b.dataset.error, problem: b.querySelector('.result-problem').textContent, todo: b.querySelector('.result-do').textContent,
		          open: d && d.open ? 'open' : 'closed', raw: d ? d.querySelector('pre').textContent : ''};
		})()`))
		if got["code"] != "aws-unreachable" || got["problem"] != loc.T("PageErrUnreachable") || got["todo"] != loc.T("PageErrUnreachableDo") {
			t.Errorf("%s: AWS unreachable shows %+v; want what happened and what to do first in the page's language", lang, got)
		}
		if got["open"] != "closed" || got["raw"] == "" {
			t.Errorf("%s: the raw error should be behind a closed details toggle: %+v", lang, got)
		}
		step(t, ctx, "open the details", chromedp.Click(chromedp.CSS(`.vgroup[data-step="create-vpc"] .check-result details summary`)),
			chromedp.ScrollIntoView(chromedp.CSS(`.vgroup[data-step="create-vpc"]`)))
		screenshot(t, ctx, shots, "live-error-"+string(lang)+".png", chromedp.Screenshot(chromedp.CSS(`.vgroup[data-step="create-vpc"]`)))
	}
}
