package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/chromedp/chromedp"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/sandboxtest"
	"github.com/vpclab/vpclab/internal/serve"
)

// patience bounds one browser wait that includes AWS CLI runs: each aws
// call starts Python, which is slow on a busy machine. It is a bound, not
// a measurement: the test ends as soon as the page says so.
func patience(t *testing.T) time.Duration {
	d := 5 * time.Minute
	if dl, ok := t.Deadline(); ok && time.Until(dl)/2 < d {
		d = time.Until(dl) / 2
	}
	return d
}

// waitJS polls a JavaScript condition with a long timeout.
func waitJS(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	d := patience(t)
	sctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if _, err := chromedp.Run(sctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

var sandboxURL = regexp.MustCompile(`Sandbox ready at (http://127\.0\.0\.1:(\d+))`)

// runOutcome is what a block's box says after "Run in sandbox".
type runOutcome struct {
	Run    string `json:"run"`
	Status string `json:"status"`
	Output string `json:"output"`
}

// TestPracticeInBrowser is a newcomer's session with vpclab serve
// --sandbox: every solution block of nat-private-egress is run from the
// page, each step is checked from the page and turns green; the reset
// button empties the sandbox; what a foreign page or a wrong request may
// not do is refused; nothing is left running after Ctrl-C.
func TestPracticeInBrowser(t *testing.T) {
	chrome := needChromium(t)
	sandboxtest.Env(t) // skips, or fails under CI, without moto, as the other sandbox tests do
	started := time.Now()
	t.Setenv("VPCLAB_STATE_DIR", t.TempDir()) // the real-account progress, which must stay untouched
	realProgress := filepath.Join(os.Getenv("VPCLAB_STATE_DIR"), "progress.json")
	shots := artifacts(t)

	srv := startServe(t, t.TempDir(), "--sandbox", "--addr", "127.0.0.1:0")
	m := sandboxURL.FindStringSubmatch(srv.Stderr.String())
	if m == nil {
		t.Fatalf("serve --sandbox did not say where its sandbox is:\n%s", srv.Stderr)
	}
	motoURL, motoPort := m[1], m[2]
	ctx, console := browser(t, chrome)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("vpclab serve's stderr:\n%s", srv.Stderr)
			t.Logf("browser console:\n%s", strings.Join(console.all(), "\n"))
		}
	})
	lab := content.Find(builtinLabs(t), "nat-private-egress")
	page := lab.Page(i18n.EN)
	blocks := serve.Blocks(lab, i18n.EN)

	step(t, ctx, "open the lab", chromedp.Navigate(srv.URL+"en/nat-private-egress/"), loaded,
		chromedp.WaitVisible(chromedp.CSS(`.sandbox-banner`)), chromedp.WaitVisible(chromedp.CSS(`button.run-block`)))
	banner := value(t, ctx, "banner", chromedp.Text(chromedp.CSS(`.sandbox-banner .sandbox-title`)))
	if banner != "Practice sandbox: nothing here touches a real AWS account" {
		t.Errorf("banner = %q", banner)
	}
	exports := value(t, ctx, "exports", chromedp.Evaluate[string](`document.querySelector('.sandbox-exports pre').textContent`))
	if !strings.Contains(exports, "export AWS_ENDPOINT_URL="+motoURL+"\n") || !strings.Contains(exports, "export AWS_REGION="+page.Meta.Region+"\n") {
		t.Errorf("the page's exports do not name the sandbox %s and the lab's Region %s:\n%s", motoURL, page.Meta.Region, exports)
	}
	nButtons := value(t, ctx, "buttons", chromedp.Evaluate[int](`document.querySelectorAll('button.run-block').length`))
	runnable := 0
	for _, b := range blocks {
		if b.Reason == "" {
			runnable++
		}
	}
	if nButtons != runnable {
		t.Errorf("%d Run in sandbox buttons for %d runnable blocks", nButtons, runnable)
	}
	screenshot(t, ctx, shots, "sandbox-en-top.png", chromedp.CaptureScreenshot())
	step(t, ctx, "open the terminal exports", chromedp.Click(chromedp.CSS(`.sandbox-terminal summary`)),
		chromedp.WaitVisible(chromedp.CSS(`.sandbox-exports pre`)))
	screenshot(t, ctx, shots, "sandbox-en-banner.png", chromedp.Screenshot(chromedp.CSS(`.sandbox-banner`)))

	ran, checked := 0, 0
	for _, st := range page.Steps {
		stepHasRun := false
		for _, b := range blocks {
			if b.Step != st.ID || b.Role != content.Solution {
				continue
			}
			sel := fmt.Sprintf(`[data-block="%d"]`, b.Index)
			if b.Reason != "" {
				// Explained, not run: no button, the reason in its place.
				got := value(t, ctx, "reason", chromedp.Evaluate[string](`(() => { const b = document.querySelector('`+sel+`');
					return b.querySelector('button.run-block') ? 'has a button' : (b.querySelector('.run-skip') || {}).textContent || ''; })()`))
				if got != "Not run in the sandbox: "+b.Reason {
					t.Errorf("block %d (%s), marked sandbox=%q, shows %q", b.Index, st.ID, b.Reason, got)
				}
				continue
			}
			step(t, ctx, fmt.Sprintf("run block %d", b.Index), chromedp.ScrollIntoView(chromedp.CSS(sel)),
				chromedp.Click(chromedp.CSS(sel+` button.run-block`)))
			waitJS(t, ctx, fmt.Sprintf("block %d (%s) to finish", b.Index, st.ID),
				`(() => { const r = document.querySelector('`+sel+`').getAttribute('data-run'); return r === 'ok' || r === 'failed'; })()`)
			out := value(t, ctx, "outcome", chromedp.Evaluate[runOutcome](`(() => { const b = document.querySelector('`+sel+`');
				return {run: b.getAttribute('data-run'), status: b.querySelector('.run-status').textContent, output: b.querySelector('.run-text').textContent}; })()`))
			if out.Run != "ok" || out.Status != `Done. Now press "Check this step".` {
				t.Fatalf("block %d (%s) did not run cleanly: %+v", b.Index, st.ID, out)
			}
			ran++
			stepHasRun = true
			if b.Index == 0 {
				screenshot(t, ctx, shots, "sandbox-en-run.png", chromedp.Screenshot(chromedp.CSS(sel)))
			}
		}
		if len(st.Checks) == 0 || !stepHasRun {
			continue
		}
		// "Check this step", then every card of the step passes and the
		// step turns green in the table of contents.
		btn := `button[data-action="check-step"][data-step="` + st.ID + `"]`
		step(t, ctx, "check "+st.ID, chromedp.ScrollIntoView(chromedp.CSS(btn)), chromedp.Click(chromedp.CSS(btn)))
		cards := `document.querySelectorAll('.vcard[data-step="` + st.ID + `"] .vcard-status')`
		waitJS(t, ctx, "the checks of "+st.ID, `Array.from(`+cards+`).every(c => { const s = c.getAttribute('data-status'); return s && s !== 'checking'; })`)
		statuses := value(t, ctx, "statuses", chromedp.Evaluate[[]string](`Array.from(`+cards+`).map(c => c.getAttribute('data-status'))`))
		if len(statuses) != len(st.Checks) {
			t.Errorf("step %s: %d cards for %d checks", st.ID, len(statuses), len(st.Checks))
		}
		for i, s := range statuses {
			// A warning is a pass with advice (NGW_CROSS_AZ before the
			// optional per-AZ step); the page counts it as done.
			if s != "pass" && s != "warn" {
				msg := value(t, ctx, "message", chromedp.Evaluate[string](`(document.querySelectorAll('.vcard[data-step="`+st.ID+`"] .vcard-result')[`+strconv.Itoa(i)+`] || {}).textContent || ''`))
				t.Errorf("step %s, check %s: %s after its blocks ran: %s", st.ID, st.Checks[i].ID, s, msg)
			}
		}
		if toc := value(t, ctx, "toc", chromedp.Evaluate[string](`(document.querySelector('.toc a[data-toc="`+st.ID+`"] .toc-status') || {getAttribute: () => 'missing'}).getAttribute('data-status')`)); toc != "done" {
			// The step list speaks the progress model's states (internal/journey).
			t.Errorf("step %s is %q in the table of contents, not done", st.ID, toc)
		}
		checked++
	}
	if ran == 0 || checked < 4 {
		t.Fatalf("ran %d blocks and checked %d steps: the lab was not walked through", ran, checked)
	}
	step(t, ctx, "back to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))

	// The same page in Japanese: the banner and the buttons speak it.
	step(t, ctx, "open the Japanese page", chromedp.Navigate(srv.URL+"ja/nat-private-egress/"), loaded,
		chromedp.WaitVisible(chromedp.CSS(`button.run-block`)))
	ja := i18n.New(i18n.JA)
	if b := value(t, ctx, "ja banner", chromedp.Text(chromedp.CSS(`.sandbox-banner .sandbox-title`))); b != ja.T("PracticeBanner") || !japanese.MatchString(b) {
		t.Errorf("Japanese banner = %q", b)
	}
	if b := value(t, ctx, "ja button", chromedp.Text(chromedp.CSS(`button.run-block`))); b != ja.T("PracticeRunButton") {
		t.Errorf("Japanese run button = %q", b)
	}
	// The progress made in English shows here too (it is the sandbox's).
	if n := value(t, ctx, "passes", chromedp.Evaluate[int](`document.querySelectorAll('.vcard-status[data-status="pass"]').length`)); n == 0 {
		t.Errorf("the Japanese page shows none of the recorded passes")
	}
	screenshot(t, ctx, shots, "sandbox-ja-top.png", chromedp.CaptureScreenshot())
	step(t, ctx, "show a Japanese run", chromedp.ScrollIntoView(chromedp.CSS(`[data-block="2"]`)),
		chromedp.Click(chromedp.CSS(`[data-block="2"] button.run-block`)))
	waitJS(t, ctx, "the Japanese run", `['ok','failed'].includes(document.querySelector('[data-block="2"]').getAttribute('data-run'))`)
	screenshot(t, ctx, shots, "sandbox-ja-run.png", chromedp.Screenshot(chromedp.CSS(`[data-block="2"]`)))

	// A phone: the banner and the buttons fit without sideways scrolling.
	step(t, ctx, "phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"ja/nat-private-egress/"), loaded, chromedp.WaitVisible(chromedp.CSS(`button.run-block`)))
	if w := value(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("at phone width the sandbox page is %dpx wide: it scrolls sideways", w)
	}
	step(t, ctx, "to a block", chromedp.ScrollIntoView(chromedp.CSS(`[data-block="1"]`)))
	screenshot(t, ctx, shots, "sandbox-ja-phone.png", chromedp.CaptureScreenshot())
	step(t, ctx, "desktop width", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"ja/nat-private-egress/"), loaded,
		chromedp.WaitVisible(chromedp.CSS(`button.run-block`)))

	// Reset: the sandbox is empty again and so is its progress.
	ec := ec2.NewFromConfig(aws.Config{Region: page.Meta.Region, BaseEndpoint: aws.String(motoURL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	ownVPCs := func() int {
		out, err := ec.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"false"}}}})
		if err != nil {
			t.Fatalf("describe the sandbox's VPCs: %v", err)
		}
		return len(out.Vpcs)
	}
	if n := ownVPCs(); n == 0 {
		t.Fatal("after the lab the sandbox has no VPC of its own")
	}
	step(t, ctx, "reset the sandbox", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true; window.scrollTo(0, 0)`),
		chromedp.Click(chromedp.CSS(`button[data-action="sandbox-reset"]`)))
	// The page reloads itself: a poll may see its old document go away,
	// so it is asked again until the new one answers.
	reloaded := `document.readyState === 'complete' && !!document.querySelector('.sandbox-reset-result') && !document.querySelector('.sandbox-reset-result').textContent && document.querySelectorAll('.vcard-status[data-status="pass"], .vcard-status[data-status="warn"]').length === 0`
	for deadline := time.Now().Add(patience(t)); ; {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := chromedp.Run(sctx, chromedp.Poll[chromedp.Void](reloaded, chromedp.WithPollingTimeout(10*time.Second)))
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not reload without progress after the reset: %v", err)
		}
	}
	if n := ownVPCs(); n != 0 {
		t.Errorf("after the reset the sandbox still has %d VPCs of its own", n)
	}
	if _, err := os.Stat(realProgress); err == nil {
		t.Errorf("practice wrote the real-account progress file %s", realProgress)
	}

	// What a plain HTTP client, not the page, may not do.
	token := value(t, ctx, "token", chromedp.Evaluate[string](`document.querySelector('meta[name="vpclab-token"]').content`))
	run := func(body string, h map[string]string) response {
		hdr := map[string]string{"Content-Type": "application/json", serve.TokenHeader: token}
		for k, v := range h {
			if v == "" {
				delete(hdr, k)
			} else {
				hdr[k] = v
			}
		}
		return do(t, srv.URL, request{method: http.MethodPost, path: serve.RunPath, header: hdr, body: body})
	}
	first := `{"lab":"nat-private-egress","block":0,"lang":"en"}`
	if r := run(first, map[string]string{"Origin": "http://attacker.example"}); r.status != http.StatusForbidden {
		t.Errorf("a foreign Origin: %d %s", r.status, r.body)
	}
	if r := run(first, map[string]string{serve.TokenHeader: ""}); r.status != http.StatusForbidden {
		t.Errorf("no token: %d %s", r.status, r.body)
	}
	if r := run(first, map[string]string{"Sec-Fetch-Site": "cross-site"}); r.status != http.StatusForbidden {
		t.Errorf("cross-site: %d %s", r.status, r.body)
	}
	if r := do(t, srv.URL, request{method: http.MethodPost, path: serve.RunPath, host: "attacker.example:1", header: map[string]string{"Content-Type": "application/json", serve.TokenHeader: token}, body: first}); r.status != http.StatusMisdirectedRequest {
		t.Errorf("a wrong Host: %d %s", r.status, r.body)
	}
	for _, body := range []string{
		fmt.Sprintf(`{"lab":"nat-private-egress","block":%d}`, len(blocks)),
		`{"lab":"nat-private-egress","block":-1}`,
		`{"lab":"nat-private-egress"}`,
		`{"lab":"no-such-lab","block":0}`,
	} {
		if r := run(body, nil); r.status != http.StatusNotFound {
			t.Errorf("%s: %d %s", body, r.status, r.body)
		}
	}
	// A code field is not a thing: the server runs the lab's own block.
	if r := run(`{"lab":"nat-private-egress","block":0,"code":"echo pwned"}`, nil); r.status != http.StatusBadRequest {
		t.Errorf("a request with code: %d %s", r.status, r.body)
	}
	for _, b := range blocks {
		if b.Reason != "" {
			if r := run(fmt.Sprintf(`{"lab":"nat-private-egress","block":%d}`, b.Index), nil); r.status != http.StatusConflict || !strings.Contains(r.body, b.Reason) {
				t.Errorf("block %d marked sandbox=%q: %d %s", b.Index, b.Reason, r.status, r.body)
			}
			break
		}
	}
	// The refusals above were the checks', not an accident: the same
	// request with everything right runs. (After the reset the lab's
	// shell is new, so the page is told that block 1 has not run.)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+strings.TrimPrefix(serve.RunPath, "/"), strings.NewReader(`{"lab":"nat-private-egress","block":1,"lang":"en"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(serve.TokenHeader, token)
	res, err := (&http.Client{Timeout: patience(t)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"note":"Blocks 1 of this lab have not run in this session yet`) ||
		!strings.Contains(string(body), `"done":true`) {
		t.Errorf("a valid run request: %d %v\n%s", res.StatusCode, err, body)
	}

	for _, m := range console.all() {
		if strings.Contains(m, "Content Security Policy") || strings.HasPrefix(m, "exception") || strings.HasPrefix(m, "error") {
			t.Errorf("browser console: %s", m)
		}
	}
	if code := srv.Stop(t); code != 0 {
		t.Errorf("vpclab serve --sandbox exited with %d after Ctrl-C; stderr:\n%s", code, srv.Stderr)
	}
	noProcess(t, "-p "+motoPort)
	noShell(t)
	t.Logf("practice browser test: %d blocks run, %d steps checked, %v", ran, checked, time.Since(started).Round(time.Second))
}

// TestServeWithoutSandbox: plain vpclab serve has no run buttons and no
// run API, even for a request that would be valid in the sandbox mode.
func TestServeWithoutSandbox(t *testing.T) {
	f := startFake(t, func(context.Context, serve.CheckRequest) (any, error) { return map[string]any{}, nil }, nil)
	page := do(t, f.URL, request{path: "/en/nat-private-egress/"})
	if page.status != http.StatusOK {
		t.Fatalf("the lab page: %d", page.status)
	}
	for _, s := range []string{"data-block=", "sandbox.js", "sandbox-banner", "Practice sandbox"} {
		if strings.Contains(page.body, s) {
			t.Errorf("plain serve's page contains %q", s)
		}
	}
	for _, p := range []string{serve.RunPath, serve.ResetPath} {
		r := do(t, f.URL, request{method: http.MethodPost, path: p, header: map[string]string{"Content-Type": "application/json", serve.TokenHeader: f.Token},
			body: `{"lab":"nat-private-egress","block":0}`})
		if r.status != http.StatusNotFound {
			t.Errorf("POST %s without --sandbox: %d %s", p, r.status, r.body)
		}
	}
	// The check API still answers: the 404s were about the mode.
	if r := f.check(t, `{"lab":"nat-private-egress","step":"create-nat"}`, nil); r.status != http.StatusOK {
		t.Errorf("check: %d %s", r.status, r.body)
	}
}

// TestPracticeNeedsItsOwnSandbox: the server cannot be put in the sandbox
// mode without a sandbox this process started.
func TestPracticeNeedsItsOwnSandbox(t *testing.T) {
	tok, _ := serve.NewToken()
	f := startFake(t, func(context.Context, serve.CheckRequest) (any, error) { return nil, nil }, nil)
	_, err := serve.New(f.Site(), serve.Options{Token: tok, Check: func(context.Context, serve.CheckRequest) (any, error) { return nil, nil }, Practice: &serve.Practice{}})
	if err == nil {
		t.Fatal("serve.New accepted the sandbox mode without a sandbox")
	}
}

// noProcess fails if a process's command line contains text.
func noProcess(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := ""
		ents, _ := os.ReadDir("/proc")
		for _, e := range ents {
			if _, err := strconv.Atoi(e.Name()); err != nil {
				continue
			}
			cmd, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if err == nil && strings.Contains(strings.ReplaceAll(string(cmd), "\x00", " "), text) && !isZombie(e.Name()) {
				left = e.Name() + ": " + strings.ReplaceAll(string(cmd), "\x00", " ")
			}
		}
		if left == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("a process is left behind: %.200s", left)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// noShell fails if a lab shell (a process working in a vpclab-shell-
// folder) of this test process is left behind.
func noShell(t *testing.T) {
	t.Helper()
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		stat, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err == nil && strings.Contains(cwd, "vpclab-shell-") && !isZombie(e.Name()) && parentIs(stat, os.Getpid()) {
			t.Errorf("a lab shell is left behind: pid %s in %s", e.Name(), cwd)
		}
	}
}

func parentIs(stat []byte, pid int) bool {
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return false
	}
	f := strings.Fields(s[i+1:])
	return len(f) > 1 && f[1] == strconv.Itoa(pid)
}

func isZombie(pid string) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return true
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] == 'Z'
}
