package journey

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
)

// testLab: a section, four required steps (b has two checks), an optional
// step, an optional step the sandbox cannot do, and the clean-up.
func testLab(t *testing.T) *content.Lab {
	t.Helper()
	var b strings.Builder
	b.WriteString("---\nid: demo\n---\n## How it works {#intro}\n\nText.\n\n")
	step := func(heading string, checks ...string) {
		b.WriteString(heading + "\n\n")
		for _, c := range checks {
			fmt.Fprintf(&b, "```check\nid: %s\nkind: vpc\nname: vpclab-%s\n```\n\n", c, c)
		}
	}
	step("## A {#a}", "a1")
	step("## B {#b}", "b1", "b2")
	step("## C {#c}", "c1")
	step("## D {#d}", "d1")
	step("## Opt {#opt role=optional}", "o1")
	step(`## Sandboxed {#sb role=optional sandbox="moto cannot"}`, "s1")
	step("## Clean up {#cleanup role=cleanup}", "clean")
	step("## Troubleshooting {#trouble}")
	p, ds := content.ParsePage("demo/index.en.md", i18n.EN, []byte(b.String()))
	for _, d := range ds {
		if d.ID != "ContentFieldMissing" { // the front matter is cut short on purpose
			t.Fatalf("test lab: %v", d)
		}
	}
	return &content.Lab{ID: "demo", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
}

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func min(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// now makes this run's results: "a1" passes, "!b1" fails because what it
// checks is gone, "~b1" fails because it was changed, "?c1" errors.
func now(specs ...string) map[string]Result {
	m := map[string]Result{}
	for _, s := range specs {
		switch s[0] {
		case '!':
			m[s[1:]] = Result{Status: progress.StatusFail, Reason: "NOT_FOUND"}
		case '~':
			m[s[1:]] = Result{Status: progress.StatusFail, Reason: "CIDR_MISMATCH"}
		case '?':
			m[s[1:]] = Result{Status: progress.StatusError}
		default:
			m[s] = Result{Status: progress.StatusPass}
		}
	}
	return m
}

// withFinding adds a failing finding about step that is none of its
// checks, as vpclab's binding of names makes.
func withFinding(m map[string]Result, step, reason string) map[string]Result {
	m["binding:"+step] = Result{Status: progress.StatusFail, Reason: reason, Step: step}
	return m
}

// history records checks as a store would after each listed run.
type run struct {
	at      int
	results map[string]Result
}

func history(runs ...run) map[string]progress.Record {
	h := map[string]progress.Record{}
	for _, r := range runs {
		for id, res := range r.results {
			old, ok := h[id]
			rec := progress.Record{Check: id, Status: res.Status, Reason: res.Reason, At: min(r.at)}
			if !ok {
				rec.FirstAt = rec.At
			} else {
				rec.FirstAt, rec.PassedAt, rec.FirstPassedAt = old.FirstAt, old.PassedAt, old.FirstPassedAt
			}
			if res.Status == progress.StatusPass {
				rec.PassedAt = rec.At
				if rec.FirstPassedAt.IsZero() {
					rec.FirstPassedAt = rec.At
				}
			}
			h[id] = rec
		}
	}
	return h
}

func states(j *Journey) string {
	var parts []string
	for _, s := range j.Steps {
		parts = append(parts, s.ID+"="+string(s.State))
	}
	return strings.Join(parts, " ")
}

// failing is every check but the clean-up failing, plus more.
func failing(more ...string) []string {
	return append([]string{"!a1", "!b1", "!b2", "!c1", "!d1", "!o1", "!s1"}, more...)
}

func TestJourney(t *testing.T) {
	lab := testLab(t)
	built := now("a1", "b1", "b2", "c1", "d1", "!o1", "!s1", "!clean")
	cases := []struct {
		name     string
		in       Input
		want     string
		current  string
		since    time.Time
		complete bool
		started  bool
		done     int
	}{
		{"nothing done: the clean-up passes on an empty account but is not reached",
			Input{Now: now(failing("clean")...), At: min(1)},
			"a=current b=not-reached c=not-reached d=not-reached opt=optional sb=optional cleanup=not-reached",
			"a", min(1), false, false, 0},
		{"half a step is started, not done",
			Input{Now: now("a1", "b1", "!b2", "!c1", "!d1", "clean"), At: min(3)},
			"a=done b=current c=not-reached d=not-reached opt=optional sb=optional cleanup=not-reached",
			"b", min(3), false, true, 1},
		{"midway: three steps done, the fourth is current",
			Input{Now: now("a1", "b1", "b2", "c1", "!d1", "!clean"), History: history(run{1, now(failing()...)}, run{5, now("a1")}, run{9, now("a1", "b1", "b2", "c1")})},
			"a=done b=done c=done d=current opt=optional sb=optional cleanup=not-reached",
			"d", min(9), false, true, 3},
		{"a step done before, broken now, is a regression",
			Input{Now: now("a1", "!b1", "b2", "c1", "!d1", "!clean"), History: history(run{1, now("a1", "b1", "b2", "c1")})},
			"a=done b=failing c=done d=current opt=optional sb=optional cleanup=not-reached",
			"d", min(1), false, true, 3},
		{"a step done ahead of the current one is done; failing ahead is not reached",
			Input{Now: now("a1", "!b1", "!b2", "c1", "!d1", "!clean"), At: min(4)},
			"a=done b=current c=done d=not-reached opt=optional sb=optional cleanup=not-reached",
			"b", min(4), false, true, 2},
		{"an error is no verdict: the recorded pass stands",
			Input{Now: now("a1", "?b1", "b2", "!c1"), History: history(run{1, now("a1", "b1", "b2")})},
			"a=done b=done c=current d=not-reached opt=optional sb=optional cleanup=not-reached",
			"c", min(1), false, true, 2},
		{"required steps done: the clean-up is next",
			Input{Now: built, At: min(20), History: history(run{2, now("a1", "b1", "b2")}, run{7, now("c1", "d1")})},
			"a=done b=done c=done d=done opt=optional sb=optional cleanup=current",
			"cleanup", min(7), false, true, 4},
		{"cleaning up: deleted steps are done earlier, not regressions",
			Input{Now: now("!a1", "!b1", "!b2", "c1", "d1", "!clean"), History: history(run{2, built})},
			"a=done-earlier b=done-earlier c=done d=done opt=optional sb=optional cleanup=current",
			"cleanup", min(2), false, true, 4},
		{"required steps done: a step broken by a change, not a deletion, is a regression",
			Input{Now: now("a1", "~b1", "b2", "!c1", "d1", "!clean"), History: history(run{2, built})},
			"a=done b=failing c=done-earlier d=done opt=optional sb=optional cleanup=current",
			"cleanup", min(2), false, true, 4},
		{"the same when the change is only in the record (vpclab check --step)",
			Input{Now: now("!clean"), History: history(run{2, built}, run{3, now("~b1", "!c1")})},
			"a=done b=failing c=done-earlier d=done opt=optional sb=optional cleanup=current",
			"cleanup", min(2), false, true, 4},
		{"a finding about a done step that is not one of its checks (a VPC made twice) fails it",
			Input{Now: withFinding(now("a1", "b1", "b2", "c1", "!d1", "!clean"), "b", "DUPLICATE_RESOURCE"), History: history(run{1, now("a1", "b1", "b2", "c1")})},
			"a=done b=failing c=done d=current opt=optional sb=optional cleanup=not-reached",
			"d", min(1), false, true, 3},
		// A finding failing since the step's checks first passed (a Name
		// tag missing from the start): the step was never done whole, so
		// it is the current step, not "done, and broken now".
		{"a finding there since the step's checks first passed keeps it from being done",
			Input{Now: withFinding(now("a1", "b1", "b2", "c1", "!d1", "!clean"), "b", "NAME_TAG_MISSING"),
				History: history(run{1, withFinding(now("a1", "b1", "b2", "c1"), "b", "NAME_TAG_MISSING")})},
			"a=done b=current c=done d=not-reached opt=optional sb=optional cleanup=not-reached",
			"b", min(1), false, true, 2},
		// A route deleted by hand, everything else standing: a deletion
		// would cause it, but nothing of the lab is deleted, so the
		// clean-up has not begun and the step is broken.
		{"required steps done: a step broken as a deletion would break it, with nothing deleted, is a regression",
			Input{Now: map[string]Result{"a1": {Status: progress.StatusPass}, "b1": {Status: progress.StatusPass}, "b2": {Status: progress.StatusPass},
				"c1": {Status: progress.StatusFail, Reason: "NO_ROUTE_TO_DESTINATION"}, "d1": {Status: progress.StatusPass}, "clean": {Status: progress.StatusFail, Reason: "BILLABLE_RESOURCES_LEFT"}},
				History: history(run{2, built})},
			"a=done b=done c=failing d=done opt=optional sb=optional cleanup=current",
			"cleanup", min(2), false, true, 4},
		{"the same route missing once something is deleted is the clean-up",
			Input{Now: map[string]Result{"a1": {Status: progress.StatusPass}, "b1": {Status: progress.StatusPass}, "b2": {Status: progress.StatusPass},
				"c1": {Status: progress.StatusFail, Reason: "NO_ROUTE_TO_DESTINATION"}, "d1": {Status: progress.StatusFail, Reason: "TASK_STOPPED"}, "clean": {Status: progress.StatusFail, Reason: "BILLABLE_RESOURCES_LEFT"}},
				History: history(run{2, built})},
			"a=done b=done c=done-earlier d=done-earlier opt=optional sb=optional cleanup=current",
			"cleanup", min(2), false, true, 4},
		{"a rule revoked by hand is no deletion: the route missing beside it is still a regression",
			Input{Now: map[string]Result{"a1": {Status: progress.StatusPass}, "b1": {Status: progress.StatusFail, Reason: "SG_SOURCE_MISSING"}, "b2": {Status: progress.StatusPass},
				"c1": {Status: progress.StatusFail, Reason: "NO_ROUTE_TO_DESTINATION"}, "d1": {Status: progress.StatusPass}, "clean": {Status: progress.StatusFail, Reason: "BILLABLE_RESOURCES_LEFT"}},
				History: history(run{2, built})},
			"a=done b=failing c=failing d=done opt=optional sb=optional cleanup=current",
			"cleanup", min(2), false, true, 4},
		{"the deletion may be in the record only (vpclab check --step c)",
			Input{Now: map[string]Result{"c1": {Status: progress.StatusFail, Reason: "NO_ROUTE_TO_DESTINATION"}},
				History: history(run{2, built}, run{3, map[string]Result{"d1": {Status: progress.StatusFail, Reason: "NOT_FOUND"}}})},
			"a=done b=done c=done-earlier d=done-earlier opt=optional sb=optional cleanup=current",
			"cleanup", min(2), false, true, 4},
		{"cleaned up: complete",
			Input{Now: now(failing("clean")...), History: history(run{2, built})},
			"a=done-earlier b=done-earlier c=done-earlier d=done-earlier opt=optional sb=optional cleanup=done",
			"", time.Time{}, true, true, 4},
		{"complete stays complete when the learner builds again",
			Input{Now: built, History: history(run{2, built}, run{3, now(failing("clean")...)})},
			"a=done b=done c=done d=done opt=optional sb=optional cleanup=done-earlier",
			"", time.Time{}, true, true, 4},
		{"a change after the lab is complete is no regression: the learner has moved on",
			Input{Now: now("a1", "~b1", "b2", "c1", "d1", "!clean"), History: history(run{2, built}, run{3, now(failing("clean")...)})},
			"a=done b=done-earlier c=done d=done opt=optional sb=optional cleanup=done-earlier",
			"", time.Time{}, true, true, 4},
		{"a clean-up pass recorded before the build counts for nothing",
			Input{History: history(run{1, now(failing("clean")...)}, run{2, now("a1", "b1", "b2", "c1", "d1")})},
			"a=done b=done c=done d=done opt=optional sb=optional cleanup=current",
			"cleanup", min(2), false, true, 4},
		{"optional steps done now and earlier",
			Input{Now: now("a1", "!b1", "!b2", "o1", "!s1"), History: history(run{1, now("a1", "s1")})},
			"a=done b=current c=not-reached d=not-reached opt=done sb=done-earlier cleanup=not-reached",
			"b", min(1), false, true, 1},
		{"on the sandbox a sandbox step is not checkable",
			Input{History: history(run{1, now(failing()...)}), Sandbox: true},
			"a=current b=not-reached c=not-reached d=not-reached opt=optional sb=not-checkable cleanup=not-reached",
			"a", min(1), false, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.in.Lab = lab
			j := Of(c.in)
			if got := states(j); got != c.want {
				t.Errorf("states\n got %s\nwant %s", got, c.want)
			}
			if j.Current != c.current || !j.CurrentSince.Equal(c.since) {
				t.Errorf("current %q since %v, want %q since %v", j.Current, j.CurrentSince, c.current, c.since)
			}
			if j.Complete != c.complete || j.Started != c.started || j.RequiredDone != c.done || j.RequiredTotal != 4 {
				t.Errorf("complete %v started %v done %d/%d, want %v %v %d/4", j.Complete, j.Started, j.RequiredDone, j.RequiredTotal, c.complete, c.started, c.done)
			}
		})
	}
}

func TestJourneyDetails(t *testing.T) {
	lab := testLab(t)
	skippedB1 := now("a1", "!b2")
	skippedB1["b1"] = Result{Status: progress.StatusSkipped}
	if f := Of(Input{Lab: lab, Now: skippedB1}).Step("b").Failing; f != "b2" {
		t.Errorf("hint %q: want the failing check, not the one skipped", f)
	}
	j := Of(Input{Lab: lab, Now: now("a1", "b1", "!b2"), Sandbox: true})
	b := j.Step("b")
	if b.Failing != "b2" || b.Number != 2 || b.Role != content.RoleRequired {
		t.Errorf("step b: %+v", b)
	}
	if sb := j.Step("sb"); sb.Reason != "moto cannot" || sb.Number != 6 {
		t.Errorf("sandboxed step: %+v", sb)
	}
	if j.Step("intro") != nil || j.Step("trouble") != nil {
		t.Error("sections without checks are not steps")
	}
	if a := j.Step("a"); a.FirstDoneAt.IsZero() {
		t.Errorf("a passes now: FirstDoneAt should be set, got %v", a.FirstDoneAt)
	}
	r := Of(Input{Lab: lab, Now: now("a1", "!b1", "b2", "c1"), History: history(run{1, now("a1", "b1", "b2", "c1")})}).Regressions()
	if len(r) != 1 || r[0].ID != "b" {
		t.Errorf("regressions %+v", r)
	}
}

func TestIsSandbox(t *testing.T) {
	for ep, want := range map[string]bool{
		"http://127.0.0.1:5000": true, "http://localhost:4566": true, "http://[::1]:5000/": true,
		"": false, "https://ec2.ap-northeast-1.amazonaws.com": false, "http://10.0.0.5:5000": false, "::bad": false,
	} {
		if got := IsSandbox(ep); got != want {
			t.Errorf("IsSandbox(%q) = %v", ep, got)
		}
	}
}
