package netmap_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// chromium is Debian's Chromium; the tests never download a browser. Under
// CI=true a missing browser fails the test instead of skipping it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatal("CI=true and Chromium is not installed (apt-get install -y chromium)")
	}
	sandboxtest.Skip(t, "Chromium is not installed; to run the browser test: apt-get install -y chromium")
	return ""
}

// shots is where screenshots go: $VPCLAB_ARTIFACTS, else
// artifacts/screenshots at the repository root.
func shots(t *testing.T) string {
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

// budget is the time a browser step may take: generous, and within the
// test's own deadline (a slow machine is slow, not broken).
func budget(t *testing.T) time.Duration {
	if d, ok := t.Deadline(); ok {
		return max(time.Until(d)/4, 10*time.Second)
	}
	return 2 * time.Minute
}

func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, budget(t))
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, what string, as ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, budget(t))
	defer cancel()
	if err := chromedp.Do(sctx, as...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func newTab(t *testing.T, path string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun, chromedp.Flag("disable-sync", true), chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

type drawn struct {
	State    string `json:"state"`
	SVGs     int    `json:"svgs"`
	Broken   int    `json:"broken"`
	OnPath   int    `json:"onPath"`
	Text     string `json:"text"`
	Overflow bool   `json:"overflow"`
}

const readDrawn = `(() => {
  const b = document.querySelectorAll("pre.yv-mermaid svg g.node.vpcBroken");
  return {
    state: document.documentElement.getAttribute("data-drawn") || "",
    svgs: document.querySelectorAll("pre.yv-mermaid svg").length,
    broken: b.length,
    onPath: document.querySelectorAll("pre.yv-mermaid svg g.node.vpcPath").length,
    text: Array.from(b).map(g => g.textContent).join(" | "),
    overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
  };
})()`

// open loads a --diagram file from file:// (no server, no network) and
// waits until Mermaid has drawn it.
func open(t *testing.T, ctx context.Context, file string) drawn {
	t.Helper()
	do(t, ctx, "open "+file, chromedp.Navigate("file://"+file),
		chromedp.Poll[chromedp.Void](`document.documentElement.hasAttribute("data-drawn")`, chromedp.WithPollingTimeout(budget(t))))
	d := run(t, ctx, "read the diagram", chromedp.Evaluate[drawn](readDrawn))
	if d.State != "yes" || d.SVGs != 1 {
		t.Fatalf("%s: Mermaid did not draw the diagram: %+v", file, d)
	}
	return d
}

func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	p := filepath.Join(shots(t), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// TestDiagramFileInBrowser opens what vpclab check --diagram wrote for a
// broken and a repaired lab (built in the sandbox) from file:// in headless
// Chromium: the broken one draws the route table as the stopping hop, the
// repaired one draws the path and no stop; on a desktop, in an 800 px
// column and on a phone.
func TestDiagramFileInBrowser(t *testing.T) {
	path := chromium(t)
	net := buildNatLab(t)
	dir := t.TempDir()
	repaired := filepath.Join(dir, "repaired.html")
	checkDiagram(t, repaired, "en")
	if _, err := net.c.DeleteRoute(context.Background(), deleteDefault(net.privARt)); err != nil {
		t.Fatal(err)
	}
	brokenEN, brokenJA := filepath.Join(dir, "broken-en.html"), filepath.Join(dir, "broken-ja.html")
	checkDiagram(t, brokenEN, "en")
	checkDiagram(t, brokenJA, "ja")

	// The files themselves go next to the screenshots, to open by hand.
	for _, f := range []string{repaired, brokenEN, brokenJA} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots(t), "yourvpc-"+filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newTab(t, path)
	ok := open(t, ctx, repaired)
	if ok.Broken != 0 || ok.OnPath == 0 {
		t.Errorf("repaired lab: %d broken hops drawn, %d on a path; want 0 and some", ok.Broken, ok.OnPath)
	}
	shot(t, ctx, "yourvpc-repaired.png")

	bad := open(t, ctx, brokenEN)
	if bad.Broken != 1 || !strings.Contains(bad.Text, "NO_ROUTE_TO_DESTINATION") || !strings.Contains(bad.Text, "vpclab-nat-private-a-rt") {
		t.Errorf("broken lab: %d broken hops drawn (%q); want the private-a route table with its reason", bad.Broken, bad.Text)
	}
	if bad.Overflow {
		t.Error("the page is wider than the window: the diagram must scroll inside its box")
	}
	shot(t, ctx, "yourvpc-broken-en.png")

	for _, size := range []struct {
		name string
		w, h int64
	}{{"column", 800, 1000}, {"phone", 390, 844}} {
		do(t, ctx, size.name, chromedp.EmulateViewport(size.w, size.h, chromedp.EmulateScale(1)))
		ja := open(t, ctx, brokenJA)
		if ja.Broken != 1 || !strings.Contains(ja.Text, "経路はここで止まります") {
			t.Errorf("%s, Japanese: %d broken hops drawn (%q)", size.name, ja.Broken, ja.Text)
		}
		if ja.Overflow {
			t.Errorf("%s: the page is wider than the window", size.name)
		}
		shot(t, ctx, fmt.Sprintf("yourvpc-broken-ja-%s.png", size.name))
	}
}
