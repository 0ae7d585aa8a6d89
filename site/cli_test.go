package site_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/cli"
)

// The commands live in internal/cli; their tests live here, next to what
// they drive.

const cliLab = `---
id: tiny
title: "Tiny"
summary: "A tiny lab."
level: beginner
duration: 5
cost:
  usd_per_hour: 0
  region: ap-northeast-1
services: [VPC]
region: ap-northeast-1
---

## Make it {#make-it}

` + "```check\nid: vpc-there\nkind: vpc\nname: vpclab-tiny\n```\n"

// merged reports whether the commands' messages are in the catalogs yet
// (they wait in i18n/pending until the lead merges them).
func merged() bool { return i18n.Has(i18n.EN, "BuildDone") && i18n.Has(i18n.JA, "BuildDone") }

func cliEnv(t *testing.T, dir string) (*cli.Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	return &cli.Env{Stdout: &out, Stderr: &errb, Dir: dir, Getenv: func(string) string { return "" }}, &out, &errb
}

func writeContent(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	labDir := filepath.Join(dir, "content", "labs", "tiny")
	if err := os.MkdirAll(filepath.Join(labDir, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.en.md", "index.ja.md"} {
		if err := os.WriteFile(filepath.Join(labDir, name), []byte(cliLab), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(labDir, "images", "a.png"), []byte("PNG"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VPCLAB_STATE_DIR", filepath.Join(dir, "state")) // no progress yet
	return dir
}

func TestBuildCommand(t *testing.T) {
	dir := writeContent(t)
	env, out, errb := cliEnv(t, dir)
	if code := cli.Run([]string{"build", "-o", "site", "--content", "content/labs"}, env); code != cli.ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errb)
	}
	for _, f := range []string{"index.html", "en/tiny/index.html", "ja/tiny/index.html", "badges/tiny.ja.svg", "en/tiny/images/a.png"} {
		if _, err := os.Stat(filepath.Join(dir, "site", f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if merged() && !strings.Contains(out.String(), filepath.Join(dir, "site", "index.html")) {
		t.Errorf("output does not say where the site is:\n%s", out)
	}

	// Again: the previous build is replaced.
	env, out, errb = cliEnv(t, dir)
	if code := cli.Run([]string{"build", "--content", "content/labs", "-o", "site"}, env); code != cli.ExitOK {
		t.Fatalf("rebuild: exit %d\n%s%s", code, out, errb)
	}

	// Content that lint refuses leaves the previous build as it was, and
	// nothing half-written beside it, though clean labs are rendered
	// while the others are still being read.
	before, err := os.ReadFile(filepath.Join(dir, "site", "en", "tiny", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "content", "labs", "broken")
	if err := os.MkdirAll(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(strings.Replace(cliLab, "id: tiny", "id: broken", 1), "name: vpclab-tiny", "name: [a, list]", 1)
	for _, name := range []string{"index.en.md", "index.ja.md"} {
		if err := os.WriteFile(filepath.Join(broken, name), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// refused builds the content, which must be refused with exit 2 and
	// an error naming file.
	refused := func(what, file string) {
		t.Helper()
		env, out, errb := cliEnv(t, dir)
		if code := cli.Run([]string{"build", "--content", "content/labs", "-o", "site"}, env); code != cli.ExitUsage {
			t.Fatalf("build with %s: exit %d, want 2\n%s%s", what, code, out, errb)
		}
		if !strings.Contains(errb.String(), file) {
			t.Errorf("the error does not name %s:\n%s", file, errb)
		}
	}
	refused("refused content", filepath.Join("broken", "index.en.md"))
	after, err := os.ReadFile(filepath.Join(dir, "site", "en", "tiny", "index.html"))
	if err != nil || !bytes.Equal(after, before) {
		t.Errorf("the previous build changed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "site", "en", "broken")); err == nil {
		t.Error("the refused lab reached the site")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".site") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if err := os.RemoveAll(broken); err != nil {
		t.Fatal(err)
	}

	// A lab whose page cannot be read (here a folder where the file should
	// be) is refused like any lint finding, before any lab is rendered
	// against it: it once crashed the build, rendering its neighbours.
	for _, lab := range []string{"aaa", "zzz"} { // before and after tiny in the list
		if err := os.MkdirAll(filepath.Join(dir, "content", "labs", lab, "index.en.md"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	refused("an unreadable page", filepath.Join("aaa", "index.en.md"))
	for _, lab := range []string{"aaa", "zzz"} {
		if err := os.RemoveAll(filepath.Join(dir, "content", "labs", lab)); err != nil {
			t.Fatal(err)
		}
	}

	// Interrupted (Ctrl-C cancels the command's context): the build is
	// abandoned, exit 1, and the previous one is as it was.
	env, out, errb = cliEnv(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env.Ctx = ctx
	if code := cli.Run([]string{"build", "--content", "content/labs", "-o", "site"}, env); code != cli.ExitInterrupted {
		t.Errorf("interrupted build: exit %d, want %d\n%s%s", code, cli.ExitInterrupted, out, errb)
	}
	if merged() && !strings.Contains(errb.String(), "Interrupted") {
		t.Errorf("the interruption is not said: %s", errb)
	}
	if after, err := os.ReadFile(filepath.Join(dir, "site", "en", "tiny", "index.html")); err != nil || !bytes.Equal(after, before) {
		t.Errorf("an interrupted build changed the previous one: %v", err)
	}
	entries, _ = os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".site") {
			t.Errorf("an interrupted build left %s", e.Name())
		}
	}

	// A folder that is not a build is refused, with exit 1.
	os.MkdirAll(filepath.Join(dir, "mine"), 0o755)
	os.WriteFile(filepath.Join(dir, "mine", "keep.txt"), []byte("keep"), 0o644)
	env, _, errb = cliEnv(t, dir)
	if code := cli.Run([]string{"build", "-o", "mine", "--content", "content/labs"}, env); code != cli.ExitFail {
		t.Errorf("build into a foreign folder: exit %d, want 1", code)
	}
	if merged() && !strings.Contains(errb.String(), "mine") {
		t.Errorf("error does not name the folder: %s", errb)
	}

	// Usage errors exit 2.
	for _, args := range [][]string{{"build", "extra"}, {"build", "--nope"}, {"build", "--content", "no/such/dir"}} {
		env, _, _ = cliEnv(t, dir)
		if code := cli.Run(args, env); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestBadgeCommand(t *testing.T) {
	dir := writeContent(t)
	for _, args := range [][]string{
		{"badge", "tiny", "--content", "content/labs"},
		{"--lang", "ja", "badge", "--content", "content/labs", "tiny"},
		{"badge", "overall", "--content", "content/labs"},
	} {
		env, out, errb := cliEnv(t, dir)
		if code := cli.Run(args, env); code != cli.ExitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errb)
		}
		if err := xml.Unmarshal(out.Bytes(), new(struct{})); err != nil || !bytes.HasPrefix(out.Bytes(), []byte("<svg")) {
			t.Errorf("%v: not an SVG (%v):\n%s", args, err, out)
		}
	}

	env, out, _ := cliEnv(t, dir)
	if code := cli.Run([]string{"badge", "tiny", "-o", "b/tiny.svg", "--content", "content/labs"}, env); code != cli.ExitOK || out.Len() != 0 {
		t.Fatalf("-o: exit %d, stdout %q", code, out)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "b", "tiny.svg")); err != nil || !bytes.Contains(data, []byte(">tiny<")) {
		t.Errorf("badge file: %v\n%s", err, data)
	}

	for _, args := range [][]string{{"badge"}, {"badge", "a", "b"}, {"badge", "nope", "--content", "content/labs"}} {
		env, _, _ := cliEnv(t, dir)
		if code := cli.Run(args, env); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
