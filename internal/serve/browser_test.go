package serve_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/chromedp/chromedp"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/internal/sandboxtest"
	"github.com/vpclab/vpclab/internal/serve"
	"github.com/vpclab/vpclab/site"
)

// chromiumPath is Debian's Chromium. The tests never download a browser.
const chromiumPath = "/usr/bin/chromium"

const chromiumInstall = "apt-get update -qq && apt-get install -y -qq chromium"

// needChromium returns the browser, or skips the test (fails under CI=true)
// when it is not installed.
func needChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatalf("CI=true and Chromium is not installed at %s; the browser tests may not skip (%s)", chromiumPath, chromiumInstall)
	}
	sandboxtest.Skip(t, "Chromium is not installed; to run the browser tests: "+chromiumInstall) // reported loudly at the end
	return ""
}

// artifacts is where screenshots go: $VPCLAB_ARTIFACTS, else
// artifacts/screenshots at the repository root.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("VPCLAB_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// browser starts headless Chromium and returns a tab's context; console
// collects what the pages write to their consoles.
func browser(t *testing.T, path string) (context.Context, *consoleLog) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-sync", true),
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "en-US"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser; no timeout may be bound to it
		t.Fatalf("start Chromium: %v", err)
	}
	log := &consoleLog{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			log.add(fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
		}
	}()
	return ctx, log
}

type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleLog) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, s)
}

func (c *consoleLog) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

// step runs browser actions with a timeout of their own.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func value[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func screenshot(t *testing.T, ctx context.Context, dir, name string, a chromedp.Action[[]byte]) {
	t.Helper()
	png := value(t, ctx, "screenshot "+name, a)
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", filepath.Join(dir, name))
}

// loaded waits until the page's deferred scripts have run, so that its
// buttons work.
var loaded = chromedp.Poll[chromedp.Void](`document.readyState === "complete"`, chromedp.WithPollingTimeout(10*time.Second))

// badgeShown is what the lab page's progress badge says right now: the
// image as the page loaded it, read back through the page.
type badgeShown struct {
	Src    string `json:"src"`
	Loaded bool   `json:"loaded"`
	Title  string `json:"title"`
	Fill   string `json:"fill"`
}

const readBadgeJS = `(async () => {
  const img = document.querySelector('.lab-check img[data-badge]');
  const res = await fetch(img.src, {cache: 'no-store'});
  const svg = new DOMParser().parseFromString(await res.text(), 'image/svg+xml');
  const rects = svg.querySelectorAll('g[clip-path] rect');
  return {src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
          title: svg.querySelector('title').textContent, fill: rects[1].getAttribute('fill')};
})()`

func readBadge(t *testing.T, ctx context.Context) badgeShown {
	t.Helper()
	return value(t, ctx, "read the badge", chromedp.Evaluate[badgeShown](readBadgeJS, chromedp.EvalAwaitPromise))
}

// buildFirstVPC does the first-vpc lab's create-vpc step with the SDK (a
// VPC vpclab-first, 10.0.0.0/16, DNS hostnames on) and not create-subnet.
func buildFirstVPC(t *testing.T, cfg aws.Config) string {
	t.Helper()
	ctx := context.Background()
	c := ec2.NewFromConfig(cfg)
	out, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc,
			Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("vpclab-first")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.Vpc.VpcId)
	if _, err := c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: &id,
		EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	return id
}

var japanese = regexp.MustCompile(`[\p{Hiragana}\p{Katakana}\p{Han}]`)

// TestBrowser is a learner's session with vpclab serve in a real browser:
// read the lab in English and in Japanese, check a finished step, then an
// unfinished one, against the sandbox.
func TestBrowser(t *testing.T) {
	chrome := needChromium(t)
	started := time.Now()
	cfg := sandboxtest.Config(t)
	for _, kv := range sandboxtest.Env(t) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	state := t.TempDir()
	t.Setenv("VPCLAB_STATE_DIR", state)
	vpcID := buildFirstVPC(t, cfg)
	shots := artifacts(t)

	srv := startServe(t, t.TempDir(), "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("serve printed %q; want http://127.0.0.1:PORT/", srv.URL)
	}
	ctx, console := browser(t, chrome)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("vpclab serve's stderr:\n%s", srv.Stderr)
			t.Logf("browser console:\n%s", strings.Join(console.all(), "\n"))
		}
	})
	lab := content.Find(builtinLabs(t), "first-vpc")
	enTitle, jaTitle := lab.Page(i18n.EN).Meta.Title, lab.Page(i18n.JA).Meta.Title

	// The English page, live.
	step(t, ctx, "open the English page", chromedp.Navigate(srv.URL+"en/first-vpc/"), loaded,
		chromedp.WaitVisible(chromedp.CSS(`button[data-action="check-step"][data-step="create-vpc"]`)))
	if lang := value(t, ctx, "html lang", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
		t.Errorf("html lang = %q", lang)
	}
	if h1 := value(t, ctx, "h1", chromedp.Text(chromedp.CSS("h1"))); h1 != enTitle {
		t.Errorf("English h1 = %q, want %q", h1, enTitle)
	}
	if b := value(t, ctx, "button", chromedp.Text(chromedp.CSS(`button[data-action="check-step"][data-step="create-vpc"]`))); b != "Check this step" {
		t.Errorf("button says %q", b)
	}
	token := value(t, ctx, "token", chromedp.Evaluate[string](`document.querySelector('meta[name="vpclab-token"]').content`))
	if len(token) < 40 {
		t.Fatalf("token %q", token)
	}
	// The diagram is drawn under the CSP.
	step(t, ctx, "mermaid draws the diagram", chromedp.WaitVisible(chromedp.CSS(`pre.mermaid svg`)))
	screenshot(t, ctx, shots, "en-page.png", chromedp.CaptureScreenshot())
	screenshot(t, ctx, shots, "en-diagram.png", chromedp.Screenshot(chromedp.CSS(`figure.diagram`)))
	step(t, ctx, "back to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))

	// The language switch.
	step(t, ctx, "switch to Japanese", chromedp.Click(chromedp.CSS(`a.lang-switch`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="ja"] button[data-action="check-step"][data-step="create-vpc"]`)), loaded)
	if loc := value(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, "/ja/first-vpc/index.html") {
		t.Errorf("after the switch: %s", loc)
	}
	if h1 := value(t, ctx, "h1", chromedp.Text(chromedp.CSS("h1"))); h1 != jaTitle {
		t.Errorf("Japanese h1 = %q, want %q", h1, jaTitle)
	}
	if b := value(t, ctx, "button", chromedp.Text(chromedp.CSS(`button[data-action="check-step"][data-step="create-vpc"]`))); b != i18n.New(i18n.JA).T("SiteCheckStep") {
		t.Errorf("Japanese button says %q", b)
	}
	step(t, ctx, "mermaid draws the diagram", chromedp.WaitVisible(chromedp.CSS(`pre.mermaid svg`)))
	screenshot(t, ctx, shots, "ja-page.png", chromedp.CaptureScreenshot())

	before := readBadge(t, ctx)
	if !before.Loaded || before.Title != jaTitle+": 未着手" || before.Fill != string(site.NotStarted.Color()) {
		t.Errorf("badge before any check: %+v", before)
	}

	// Check the finished step: its card passes, the badge moves on.
	vpcCard := `.vcard[data-check="vpc-exists"]`
	step(t, ctx, "check create-vpc",
		chromedp.Click(chromedp.CSS(`button[data-action="check-step"][data-step="create-vpc"]`)),
		chromedp.WaitVisible(chromedp.CSS(vpcCard+` .vcard-status[data-status="pass"]`)))
	step(t, ctx, "the badge reloads", chromedp.Poll[chromedp.Void](
		`(() => { const i = document.querySelector('.lab-check img[data-badge]'); return i.getAttribute('src').includes('?t=') && i.complete && i.naturalWidth > 0; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	after := readBadge(t, ctx)
	if !after.Loaded || after.Title != jaTitle+": 1 / 2 ステップ" || after.Fill != string(site.InProgress.Color()) {
		t.Errorf("badge after create-vpc passed: %+v (was %+v)", after, before)
	}
	msg := value(t, ctx, "pass message", chromedp.Text(chromedp.CSS(vpcCard+` .vcard-result .result-msg`)))
	if !japanese.MatchString(msg) || !strings.Contains(msg, vpcID) {
		t.Errorf("the pass message is not the Japanese one about %s: %q", vpcID, msg)
	}
	step(t, ctx, "scroll to the card", chromedp.ScrollIntoView(chromedp.CSS(`.vgroup[data-step="create-vpc"]`)))
	screenshot(t, ctx, shots, "card-pass.png", chromedp.Screenshot(chromedp.CSS(`.vgroup[data-step="create-vpc"]`)))

	// Check the unfinished step: its card fails, with the reason and the
	// command that fixes it, naming the real VPC.
	subnetCard := `.vcard[data-check="subnet-private"]`
	step(t, ctx, "check create-subnet",
		chromedp.Click(chromedp.CSS(`button[data-action="check-step"][data-step="create-subnet"]`)),
		chromedp.WaitVisible(chromedp.CSS(subnetCard+` .vcard-status[data-status="fail"]`)))
	msg = value(t, ctx, "fail message", chromedp.Text(chromedp.CSS(subnetCard+` .vcard-result .result-msg`)))
	if !japanese.MatchString(msg) || !strings.Contains(msg, "vpclab-first-a") {
		t.Errorf("the failure message is not the Japanese one about vpclab-first-a: %q", msg)
	}
	fix := value(t, ctx, "fix", chromedp.Text(chromedp.CSS(subnetCard+` .vcard-result .result-fix pre`)))
	if !strings.Contains(fix, "aws ec2 create-subnet --vpc-id "+vpcID) {
		t.Errorf("fix = %q; want aws ec2 create-subnet --vpc-id %s …", fix, vpcID)
	}
	if reason := value(t, ctx, "reason", chromedp.Text(chromedp.CSS(subnetCard+` .vcard-result .result-reason`))); !strings.Contains(reason, "NOT_FOUND") {
		t.Errorf("reason = %q", reason)
	}
	step(t, ctx, "scroll to the card", chromedp.ScrollIntoView(chromedp.CSS(`.vgroup[data-step="create-subnet"]`)))
	screenshot(t, ctx, shots, "card-fail.png", chromedp.Screenshot(chromedp.CSS(`.vgroup[data-step="create-subnet"]`)))
	step(t, ctx, "the badge reloads", chromedp.Poll[chromedp.Void](
		`(() => { const i = document.querySelector('.lab-check img[data-badge]'); return i.complete && i.naturalWidth > 0; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	// The step not done yet is the current step, not a failure: the badge
	// still reads 1 / 2 steps, in progress.
	if current := readBadge(t, ctx); current.Fill != string(site.InProgress.Color()) || !strings.Contains(current.Title, "1 / 2") {
		t.Errorf("badge after create-subnet failed: %+v", current)
	}
	step(t, ctx, "the step list marks the current step", chromedp.WaitVisible(chromedp.CSS(`.toc a[data-toc="create-subnet"] .toc-status[data-status="current"]`)))
	step(t, ctx, "and the done one", chromedp.WaitVisible(chromedp.CSS(`.toc a[data-toc="create-vpc"] .toc-status[data-status="done"]`)))

	// Both results are recorded as vpclab check records them.
	prog, _, err := progress.Open(filepath.Join(state, "progress.json")).Load()
	if err != nil {
		t.Fatal(err)
	}
	recs := prog.Lab("123456789012", sandboxtest.Region, "first-vpc")
	if recs["vpc-exists"].Status != progress.StatusPass || recs["subnet-private"].Status != progress.StatusFail || recs["subnet-private"].Reason != "NOT_FOUND" {
		t.Errorf("recorded progress: %+v", recs)
	}

	// Back in English: the page comes from the recorded progress, and a
	// check answers in English.
	step(t, ctx, "switch to English", chromedp.Click(chromedp.CSS(`a.lang-switch`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] `+vpcCard+` .vcard-status[data-status="pass"]`)), loaded)
	step(t, ctx, "check create-subnet in English",
		chromedp.Click(chromedp.CSS(`button[data-action="check-step"][data-step="create-subnet"]`)),
		chromedp.WaitVisible(chromedp.CSS(subnetCard+` .vcard-result .result-msg`)))
	msg = value(t, ctx, "English fail message", chromedp.Text(chromedp.CSS(subnetCard+` .vcard-result .result-msg`)))
	if japanese.MatchString(msg) || !strings.Contains(msg, `"vpclab-first-a"`) {
		t.Errorf("the English failure message: %q", msg)
	}

	// The whole lab at once.
	step(t, ctx, "check the whole lab",
		chromedp.Click(chromedp.CSS(`button[data-action="check-lab"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.lab-check .check-result .result-summary`)))
	summary := value(t, ctx, "summary", chromedp.Text(chromedp.CSS(`.lab-check .check-result .result-summary`)))
	// vpc-exists passes; subnet-private and the clean-up check (the lab is
	// still there) fail.
	if !strings.Contains(summary, "pass 1") || !strings.Contains(summary, "fail 2") {
		t.Errorf("the whole lab's summary: %q", summary)
	}

	// A phone.
	step(t, ctx, "phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"en/first-vpc/"), loaded, chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if w := value(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("at phone width the page is %dpx wide: it scrolls sideways", w)
	}
	screenshot(t, ctx, shots, "phone.png", chromedp.CaptureScreenshot())

	for _, m := range console.all() {
		if strings.Contains(m, "Content Security Policy") || strings.HasPrefix(m, "exception") || strings.HasPrefix(m, "error") {
			t.Errorf("browser console: %s", m)
		}
	}

	// What a plain HTTP client, not the page, may not do.
	host := hostPort(t, srv.URL)
	_, port, _ := net.SplitHostPort(host)
	body := `{"lab":"first-vpc","step":"create-vpc","lang":"en"}`
	post := func(h map[string]string, hostHeader string) response {
		hdr := map[string]string{"Content-Type": "application/json", serve.TokenHeader: token}
		for k, v := range h {
			if v == "" {
				delete(hdr, k)
			} else {
				hdr[k] = v
			}
		}
		return do(t, srv.URL, request{method: http.MethodPost, path: "/api/check", host: hostHeader, header: hdr, body: body})
	}
	if r := post(map[string]string{"Origin": "http://attacker.example"}, ""); r.status != http.StatusForbidden {
		t.Errorf("a foreign Origin: %d %s", r.status, r.body)
	}
	if r := post(nil, "attacker.example:"+port); r.status != http.StatusMisdirectedRequest {
		t.Errorf("a wrong Host: %d %s", r.status, r.body)
	}
	if r := post(map[string]string{serve.TokenHeader: ""}, ""); r.status != http.StatusForbidden {
		t.Errorf("no token: %d %s", r.status, r.body)
	}
	if r := do(t, srv.URL, request{path: "/api/check", header: map[string]string{serve.TokenHeader: token}}); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/check: %d", r.status)
	}
	// The same request with everything right is answered: the refusals
	// above were the checks', not an accident.
	r := post(nil, "")
	var rep struct {
		Results []struct{ Check, Status string }
	}
	if err := json.Unmarshal([]byte(r.body), &rep); r.status != http.StatusOK || err != nil || len(rep.Results) != 1 || rep.Results[0].Status != "pass" {
		t.Errorf("a valid request: %d %s", r.status, r.body)
	}

	if code := srv.Stop(t); code != 0 {
		t.Errorf("vpclab serve exited with %d after Ctrl-C; stderr:\n%s", code, srv.Stderr)
	}
	t.Logf("browser test took %v", time.Since(started).Round(time.Millisecond))
}
