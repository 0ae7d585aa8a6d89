package serve_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/internal/sandboxtest"
	"github.com/vpclab/vpclab/internal/serve"
)

// slowLab is a lab made for the run API: its second block waits for a
// file that never appears, so the test can act while it runs.
const slowLabEN = `---
id: slow
title: Slow
summary: A lab for the run API's tests.
level: beginner
duration: 5
cost:
  usd_per_hour: 0
  region: us-east-1
services: [VPC]
region: eu-west-1
---

## Set a variable {#set}

` + "```bash {solution}\nGREETING=hello\nenv | grep ^AWS_ | sort\n```" + `

## Wait {#wait}

` + "```bash {solution}\necho \"$GREETING from the same shell\"\nwhile [ ! -e never-created ]; do sleep 0.1; done\n```" + `
`

func writeSlowLab(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	lab := filepath.Join(dir, "labs", "slow")
	if err := os.MkdirAll(lab, 0o755); err != nil {
		t.Fatal(err)
	}
	ja := strings.NewReplacer("title: Slow", "title: 遅いラボ", "summary: A lab for the run API's tests.", "summary: 実行 API のテスト用のラボです。",
		"## Set a variable {#set}", "## 変数を設定する {#set}", "## Wait {#wait}", "## 待つ {#wait}").Replace(slowLabEN)
	for name, text := range map[string]string{"index.en.md": slowLabEN, "index.ja.md": ja} {
		if err := os.WriteFile(filepath.Join(lab, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "labs")
}

// stream is a run request whose answer is read line by line.
type stream struct {
	res   *http.Response
	lines chan map[string]any
}

func startRun(t *testing.T, base, token, body string) *stream {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, strings.TrimSuffix(base, "/")+serve.RunPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(serve.TokenHeader, token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &stream{res: res, lines: make(chan map[string]any, 100)}
	go func() {
		defer close(s.lines)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			var ev map[string]any
			if json.Unmarshal(sc.Bytes(), &ev) == nil {
				s.lines <- ev
			}
		}
	}()
	return s
}

// next is the stream's next event; it fails the test if none comes in a
// minute (the events here take milliseconds).
func (s *stream) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case ev, ok := <-s.lines:
		if !ok {
			t.Fatal("the answer ended early")
		}
		return ev
	case <-time.After(time.Minute):
		t.Fatal("no event within a minute")
		return nil
	}
}

// TestPracticeRunAPI: one shell per lab, so a variable carries from block
// to block; only the sandbox's settings reach it; one block at a time per
// lab; a reset ends a running block and its shell.
func TestPracticeRunAPI(t *testing.T) {
	sandboxtest.Env(t) // skips, or fails under CI, without moto
	t.Setenv("AWS_PROFILE", "production")
	t.Setenv("AWS_SESSION_TOKEN", "a-real-looking-token")
	srv := startServe(t, t.TempDir(), "--sandbox", "--addr", "127.0.0.1:0", "--content", writeSlowLab(t))
	page := do(t, srv.URL, request{path: "/en/slow/"})
	token := regexp1(t, page.body, `name="vpclab-token" content="([^"]+)"`)

	first := startRun(t, srv.URL, token, `{"lab":"slow","block":0}`)
	var out []string
	for {
		ev := first.next(t)
		if o, ok := ev["out"].(string); ok {
			out = append(out, o)
		}
		if ev["done"] == true {
			if ev["ok"] != true {
				t.Fatalf("block 0: %v (output %q)", ev, out)
			}
			break
		}
	}
	env := strings.Join(out, "\n")
	for _, want := range []string{"AWS_ACCESS_KEY_ID=testing", "AWS_REGION=eu-west-1", "AWS_DEFAULT_REGION=eu-west-1", "AWS_ENDPOINT_URL=http://127.0.0.1:", "AWS_CONFIG_FILE=/dev/null"} {
		if !strings.Contains(env, want) {
			t.Errorf("the lab's shell lacks %s:\n%s", want, env)
		}
	}
	for _, leak := range []string{"production", "a-real-looking-token", "AWS_PROFILE", "AWS_SESSION_TOKEN"} {
		if strings.Contains(env, leak) {
			t.Errorf("the lab's shell has %s from vpclab's own environment:\n%s", leak, env)
		}
	}

	second := startRun(t, srv.URL, token, `{"lab":"slow","block":1}`)
	if ev := second.next(t); ev["out"] != "hello from the same shell" {
		t.Fatalf("block 1 did not see block 0's variable: %v", ev)
	}
	// While it runs, the lab takes no other block.
	r := do(t, srv.URL, request{method: http.MethodPost, path: serve.RunPath,
		header: map[string]string{"Content-Type": "application/json", serve.TokenHeader: token}, body: `{"lab":"slow","block":0}`})
	if r.status != http.StatusConflict || r.json["code"] != "lab-busy" {
		t.Errorf("a second block of a busy lab: %d %s", r.status, r.body)
	}
	// A reset ends it, and the shell with it.
	r = do(t, srv.URL, request{method: http.MethodPost, path: serve.ResetPath,
		header: map[string]string{"Content-Type": "application/json", serve.TokenHeader: token}, body: `{"lang":"ja"}`})
	if r.status != http.StatusOK || r.json["message"] != "サンドボックスを空にし、進捗を消去しました。" {
		t.Errorf("reset: %d %s", r.status, r.body)
	}
	ev := second.next(t)
	if ev["done"] != true || ev["ok"] == true || !strings.Contains(ev["message"].(string), "shell ended") {
		t.Errorf("the running block after a reset: %v", ev)
	}
	// The next run has a fresh shell: the variable is gone, and the page
	// is told which earlier block has not run.
	third := startRun(t, srv.URL, token, `{"lab":"slow","block":1,"lang":"en"}`)
	if ev := third.next(t); !strings.Contains(ev["note"].(string), "Blocks 1 of this lab have not run") {
		t.Errorf("the note: %v", ev)
	}
	if ev := third.next(t); ev["out"] != " from the same shell" {
		t.Errorf("after the reset the variable is still set: %v", ev)
	}
	third.res.Body.Close()

	// Two resets at once (two tabs) both go through, one after the other:
	// each takes every read slot, and two taking them together could each
	// hold some and wait for the other's.
	results := make(chan string, 2)
	for range 2 {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, strings.TrimSuffix(srv.URL, "/")+serve.ResetPath, strings.NewReader(`{"lang":"en"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(serve.TokenHeader, token)
			res, err := (&http.Client{Timeout: patience(t)}).Do(req)
			if err != nil {
				results <- err.Error()
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			results <- fmt.Sprintf("%d %s", res.StatusCode, body)
		}()
	}
	for range 2 {
		if r := <-results; !strings.HasPrefix(r, "200 ") {
			t.Errorf("one of two resets at once: %s", r)
		}
	}

	if code := srv.Stop(t); code != 0 {
		t.Errorf("exit %d; stderr:\n%s", code, srv.Stderr)
	}
	noShell(t)
}

func regexp1(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in:\n%.500s", re, s)
	}
	return m[1]
}
