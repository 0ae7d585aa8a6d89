package classroom

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/internal/roster"
)

// outcome is a learner whose checks have the given statuses (by check id;
// the rest pass), as if judged.
func outcome(lab *content.Lab, name, account string, fails map[string]checks.Result) Outcome {
	o := Outcome{Learner: roster.Learner{Name: name}, Account: account, Region: "us-east-1", Cost: &Cost{}}
	lr := LabResult{Lab: lab}
	for _, b := range lab.Checks() {
		r, ok := fails[b.ID]
		if !ok {
			r = checks.Result{Status: checks.Pass, Message: i18n.Msg{ID: "CheckCleanupPass"}}
		}
		r.Check, r.Step, r.Kind, r.Block = b.ID, b.Step.ID, b.Kind, b
		lr.Results = append(lr.Results, r)
	}
	o.Labs = []LabResult{lr}
	return o
}

var (
	notFound = checks.Result{Status: checks.Fail, Reason: "NOT_FOUND", Message: i18n.Msg{ID: "CheckNotFound",
		Data: i18n.M{"Type": i18n.Msg{ID: "ResVPC"}, "Name": "vpclab-demo-vpc", "Region": "us-east-1"}}}
	skipped  = checks.Result{Status: checks.Skipped, Message: i18n.Msg{ID: "CheckSkippedNeeds", Data: i18n.M{"Need": "nat"}}}
	noRouteR = checks.Result{Status: checks.Fail, Reason: "NO_ROUTE_TO_DESTINATION", Message: i18n.Msg{ID: "CheckRouteNoTable", Data: i18n.M{"ID": "subnet-1"}}}
	billingR = checks.Result{Status: checks.Fail, Reason: "BILLABLE_RESOURCES_LEFT", Message: i18n.Msg{ID: "CheckCleanupPass"}}
	errorR   = checks.Result{Status: checks.Error, Reason: "INTERNAL", Message: i18n.Msg{ID: "CheckInternalError", Data: i18n.M{"Err": "boom"}}}
)

func states(r Row) []State {
	var out []State
	for _, c := range r.Cells {
		out = append(out, c.State)
	}
	return out
}

func TestBuild(t *testing.T) {
	lab := demoLab(t)
	nothing := map[string]checks.Result{"vpc": notFound, "igw": skipped, "public-subnet": skipped, "private-subnet": skipped,
		"nat": notFound, "private-route": skipped}
	outcomes := []Outcome{
		outcome(lab, "done", "111111111111", map[string]checks.Result{"nothing-billable-left": billingR}),
		outcome(lab, "no route", "222222222222", map[string]checks.Result{"private-route": noRouteR, "nothing-billable-left": billingR}),
		outcome(lab, "no route 2", "333333333333", map[string]checks.Result{"private-route": noRouteR}),
		outcome(lab, "network only", "444444444444", map[string]checks.Result{"nat": notFound, "private-route": skipped}),
		outcome(lab, "not started", "555555555555", nothing),
		outcome(lab, "half a step", "666666666666", map[string]checks.Result{"igw": notFound, "nat": notFound, "private-route": skipped}),
		outcome(lab, "kind error", "777777777777", map[string]checks.Result{"nat": errorR, "private-route": skipped}),
		{Learner: roster.Learner{Name: "broken"}, Region: "us-east-1", Problem: &Problem{Code: ProblemTimeout, Msg: i18n.Msg{ID: "ClassProblemTimeout", Data: i18n.M{"Timeout": "1m0s"}}}},
	}
	outcomes[0].Cost = &Cost{USDPerHour: 0.05, Items: []billing.Item{{Type: billing.NATGateway, ID: "nat-1", USDPerHr: 0.045, DeleteCmd: "aws ec2 delete-nat-gateway --nat-gateway-id nat-1"}, {Type: billing.PublicIPv4, ID: "eipalloc-1", USDPerHr: 0.005}}}
	outcomes[1].Cost = &Cost{USDPerHour: 0.045, Items: []billing.Item{{Type: billing.NATGateway, ID: "nat-2", USDPerHr: 0.045}}}
	outcomes[2].Cost = nil // the role could not read the cost

	rep := Build([]*content.Lab{lab}, outcomes, BuildOptions{Now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)})

	var keys []string
	for _, s := range rep.Steps {
		keys = append(keys, s.Key())
	}
	if want := []string{"class-demo/network", "class-demo/create-nat", "class-demo/route-private", "class-demo/cleanup"}; !reflect.DeepEqual(keys, want) {
		t.Fatalf("steps = %v, want %v", keys, want)
	}
	if !rep.Steps[3].Cleanup || rep.Steps[0].Cleanup || rep.Steps[1].Title[i18n.JA] != "NAT ゲートウェイを作る" || rep.Steps[3].Role != "cleanup" || rep.Steps[2].Number != 3 {
		t.Errorf("steps = %+v", rep.Steps)
	}
	// Per step: how many of the 7 learners checked have done it.
	var done []string
	for _, s := range rep.Steps {
		done = append(done, fmt.Sprintf("%d/%d", s.Done, s.Of))
	}
	if want := []string{"5/7", "3/7", "1/7", "0/7"}; !reflect.DeepEqual(done, want) {
		t.Errorf("steps done %v, want %v", done, want)
	}
	D, C, N, E := Passed, Current, NotReached, Errored
	want := map[string]struct {
		states     []State
		done       int
		next       string
		status     string
		problem    bool
		costKnown  bool
		failReason string // of the current cell, if any
	}{
		// Every required step done: the clean-up is current.
		"done":         {[]State{D, D, D, C}, 3, "class-demo/cleanup", StatusCleanup, false, true, "BILLABLE_RESOURCES_LEFT"},
		"no route":     {[]State{D, D, C, N}, 2, "class-demo/route-private", StatusInProgress, false, true, "NO_ROUTE_TO_DESTINATION"},
		"no route 2":   {[]State{D, D, C, N}, 2, "class-demo/route-private", StatusInProgress, false, false, "NO_ROUTE_TO_DESTINATION"},
		"network only": {[]State{D, C, N, N}, 1, "class-demo/create-nat", StatusInProgress, false, true, "NOT_FOUND"},
		// Nothing built: the cleanup check passes, but that is no step done.
		"not started": {[]State{C, N, N, N}, 0, "class-demo/network", StatusNotStarted, false, true, "NOT_FOUND"},
		"half a step": {[]State{C, N, N, N}, 0, "class-demo/network", StatusInProgress, false, true, "NOT_FOUND"},
		"kind error":  {[]State{D, E, N, N}, 1, "class-demo/create-nat", StatusInProgress, false, true, "INTERNAL"},
		"broken":      {[]State{E, E, E, E}, 0, "", StatusError, true, false, ""},
	}
	// Learners on a step first (all reached theirs now: roster order),
	// then the one cleaning up, the one not started, the one not checked.
	var order []string
	for _, row := range rep.Learners {
		order = append(order, row.Name)
	}
	if w := []string{"no route", "no route 2", "network only", "half a step", "kind error", "done", "not started", "broken"}; !reflect.DeepEqual(order, w) {
		t.Errorf("order %v, want %v", order, w)
	}
	for _, row := range rep.Learners {
		w := want[row.Name]
		if got := states(row); !reflect.DeepEqual(got, w.states) {
			t.Errorf("%s: states %v, want %v", row.Name, got, w.states)
		}
		if row.Done != w.done || row.Total != 3 || row.Next != w.next || row.Status != w.status || (row.Problem != nil) != w.problem || (row.Cost != nil) != w.costKnown {
			t.Errorf("%s: done %d/%d next %q status %s problem %v cost %v; want %d/3 %q %s %v %v", row.Name, row.Done, row.Total, row.Next, row.Status,
				row.Problem, row.Cost, w.done, w.next, w.status, w.problem, w.costKnown)
		}
		if row.Percent != row.Done*100/3 {
			t.Errorf("%s: percent %d", row.Name, row.Percent)
		}
		for _, c := range row.Cells {
			if row.Problem != nil || c.State != Current && c.State != Errored {
				continue
			}
			if c.Reason != w.failReason {
				t.Errorf("%s: current cell's reason %q, want %q", row.Name, c.Reason, w.failReason)
			}
			if c.Message[i18n.EN] == "" || c.Message[i18n.JA] == "" {
				t.Errorf("%s: current cell without a message in both languages: %+v", row.Name, c)
			}
		}
		if row.Problem == nil && (row.Since == nil || row.Minutes != 0 || row.CurrentTitle[i18n.JA] == "" && row.Next != "") {
			t.Errorf("%s: since %v (%d min), title %v", row.Name, row.Since, row.Minutes, row.CurrentTitle)
		}
	}
	if p := rep.Learners[7].Problem; p.Code != ProblemTimeout || p.Message[i18n.EN] == "" || p.Message[i18n.JA] == "" {
		t.Errorf("problem row: %+v", p)
	}

	// What blocks people now: the route (two learners on it); the igw of
	// a half-built first step. Not the NAT gateway nobody has begun, not
	// the clean-up, which fails by design until it is done.
	if len(rep.Failures) != 2 {
		t.Fatalf("failures = %+v", rep.Failures)
	}
	f := rep.Failures[0]
	if f.Check != "private-route" || f.Reason != "NO_ROUTE_TO_DESTINATION" || f.Count != 2 || !reflect.DeepEqual(f.Learners, []string{"no route", "no route 2"}) ||
		f.Step != "route-private" || f.StepTitle[i18n.JA] != "プライベートサブネットのルート" || f.Example[i18n.EN] == "" {
		t.Errorf("most frequent failure = %+v", f)
	}
	if f := rep.Failures[1]; f.Check != "igw" || f.Count != 1 {
		t.Errorf("second failure = %+v", f)
	}

	wantSum := Summary{Learners: 8, Checked: 7, Errors: 1, Complete: 0, NotStarted: 1}
	if rep.Summary != wantSum {
		t.Errorf("summary = %+v, want %+v", rep.Summary, wantSum)
	}
	c := rep.Cost
	if c.Billing != 2 || c.Unknown != 1 || !near(c.USDPerHour, 0.095) || !near(c.USDPer30Days, 0.095*720) || c.PriceChecked == "" {
		t.Errorf("class cost = %+v", c)
	}
	// The command names the learner's Region: the instructor's shell is
	// set to another (or none).
	if it := rep.Learners[5].Cost.Items[0]; it.Type != "nat-gateway" || !strings.HasSuffix(it.Delete, " --region "+rep.Learners[5].Region) || rep.Learners[5].Region == "" || !near(rep.Learners[5].Cost.USDPer30Days, 36) {
		t.Errorf("cost items = %+v", rep.Learners[5].Cost)
	}
}

// near compares money: sums of float prices drift in the last digits.
func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

// A learner who finished and cleaned up: the NAT gateway is gone, so its
// checks fail now, but they passed before: done earlier, complete, no
// failure. The history also says how long a learner has been on a step.
func TestBuildWithHistory(t *testing.T) {
	lab := demoLab(t)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	gone := checks.Result{Status: checks.Fail, Reason: "NOT_FOUND", Message: i18n.Msg{ID: "CheckCleanupPass"}}
	cleaned := outcome(lab, "cleaned up", "111111111111", map[string]checks.Result{"vpc": notFound, "nat": gone, "private-route": skipped})
	stuck := outcome(lab, "stuck", "222222222222", map[string]checks.Result{"private-route": noRouteR, "nothing-billable-left": billingR})
	fresh := outcome(lab, "fresh", "333333333333", map[string]checks.Result{"private-route": noRouteR, "nothing-billable-left": billingR})
	broke := outcome(lab, "broke it", "444444444444", map[string]checks.Result{"igw": notFound, "nat": notFound, "private-route": skipped, "nothing-billable-left": billingR})

	store := progress.Open(filepath.Join(t.TempDir(), "progress.json"))
	rec := func(account, step, check string, st progress.Status, at time.Time) progress.Record {
		return progress.Record{Account: account, Region: "us-east-1", Lab: "class-demo", Step: step, Check: check, Status: st, At: at}
	}
	var recs []progress.Record
	network := func(account string, at time.Time) {
		for _, c := range []string{"vpc", "igw", "public-subnet", "private-subnet"} {
			recs = append(recs, rec(account, "network", c, progress.StatusPass, at))
		}
	}
	network("111111111111", t0.Add(-3*time.Hour))
	recs = append(recs, rec("111111111111", "create-nat", "nat", progress.StatusPass, t0.Add(-2*time.Hour)),
		rec("111111111111", "route-private", "private-route", progress.StatusPass, t0.Add(-2*time.Hour)))
	network("222222222222", t0.Add(-2*time.Hour))
	recs = append(recs, rec("222222222222", "create-nat", "nat", progress.StatusPass, t0.Add(-90*time.Minute))) // on the route since
	network("333333333333", t0.Add(-20*time.Minute))
	recs = append(recs, rec("333333333333", "create-nat", "nat", progress.StatusPass, t0.Add(-10*time.Minute)))
	network("444444444444", t0.Add(-time.Hour))
	recs = append(recs, rec("999999999999", "network", "vpc", progress.StatusPass, t0))
	if _, err := store.Record(recs...); err != nil {
		t.Fatal(err)
	}
	hist, _, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The finished learner's VPC is gone: the class run said "no VPC yet".
	cleaned.Note = &i18n.Msg{ID: "ClassNoteNoLabVPC", Data: i18n.M{"Name": "vpclab-demo-vpc", "Region": "us-east-1"}}
	// One who started but has not done every step: "yet" stays (a VPC
	// rebuilt in a third Region must keep its "--find-region-all" hint).
	fresh.Note = &i18n.Msg{ID: "ClassNoteNoLabVPC", Data: i18n.M{"Name": "vpclab-demo-vpc", "Region": "us-east-1"}}
	outcomes := []Outcome{cleaned, fresh, broke, stuck}
	rep := Build([]*content.Lab{lab}, outcomes, BuildOptions{History: hist, Now: t0})
	byName := map[string]Row{}
	var order []string
	for _, r := range rep.Learners {
		byName[r.Name] = r
		order = append(order, r.Name)
	}
	// Longest on their step first; the one who broke a step counts from
	// when they reached their current step; the finished one last.
	if w := []string{"stuck", "broke it", "fresh", "cleaned up"}; !reflect.DeepEqual(order, w) {
		t.Errorf("order %v, want %v", order, w)
	}
	if r := byName["stuck"]; r.Minutes != 90 || r.Next != "class-demo/route-private" {
		t.Errorf("stuck: %d min on %s", r.Minutes, r.Next)
	}
	row := byName["cleaned up"]
	if got := states(row); !reflect.DeepEqual(got, []State{PassedBefore, PassedBefore, PassedBefore, Passed}) || row.Done != 3 || row.Status != StatusComplete {
		t.Errorf("cleaned up: %v, %d done, %s", got, row.Done, row.Status)
	}
	// Not "yet" for a learner whose steps are done: deleted, as clean-up does.
	if n := row.Note[i18n.EN]; !strings.Contains(n, "now: deleted") || strings.Contains(n, "yet") {
		t.Errorf("cleaned up: note %q", n)
	}
	if n := byName["fresh"].Note[i18n.EN]; !strings.Contains(n, "yet") {
		t.Errorf("fresh: note %q, want 'no VPC ... yet'", n)
	}
	if c := row.Cells[1]; c.Check != "nat" || c.Message[i18n.EN] == "" {
		t.Errorf("cells: %+v", row.Cells)
	}
	if r := byName["broke it"]; r.Status != StatusFailing || !reflect.DeepEqual(r.Regressions, []string{"class-demo/network"}) ||
		!reflect.DeepEqual(states(r), []State{Failing, Current, NotReached, NotReached}) {
		t.Errorf("broke it: %s %v %v", r.Status, r.Regressions, states(r))
	}
	if rep.Summary.Complete != 1 || rep.Summary.Failing != 1 {
		t.Errorf("summary %+v", rep.Summary)
	}
	// Failures: the route for two learners on it, the broken igw; not the
	// clean-up, not the NAT gateway of the finished learner.
	got := map[string]int{}
	for _, f := range rep.Failures {
		got[f.Check] = f.Count
	}
	if !reflect.DeepEqual(got, map[string]int{"private-route": 2, "igw": 1}) {
		t.Errorf("failures %v", got)
	}
}

var (
	tagRE     = regexp.MustCompile(`<[!/]?[a-zA-Z][^>]*>`)
	tagNameRE = regexp.MustCompile(`^<[!/]?([a-zA-Z]+)`)
	eventRE   = regexp.MustCompile(`\son[a-z]+\s*=`)
	titleRE   = regexp.MustCompile(`\stitle="([^"]*)"`)
	quotedRE  = regexp.MustCompile(`"[^"]*"`)
)

// A learner's name is theirs to choose: it must render as text, in every
// output, never as markup.
func TestReportEscapes(t *testing.T) {
	lab := demoLab(t)
	evil := `<script>alert(1)</script>`
	attr := `x" onmouseover="alert(2)`
	o1 := outcome(lab, evil, "111111111111", map[string]checks.Result{"private-route": {Status: checks.Fail, Reason: "NO_ROUTE_TO_DESTINATION",
		Message: i18n.Msg{ID: "CheckRouteNoTable", Data: i18n.M{"ID": `subnet-"><img src=x onerror=alert(3)>`}}}})
	o2 := outcome(lab, attr, "222222222222", nil)
	rep := Build([]*content.Lab{lab}, []Outcome{o1, o2}, BuildOptions{})
	for _, lang := range i18n.Langs {
		var buf bytes.Buffer
		if err := RenderHTML(&buf, rep, lang); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		for _, bad := range []string{"<script", "<img", `" onmouseover="`} {
			if strings.Contains(page, bad) {
				t.Errorf("%s page contains %q unescaped", lang, bad)
			}
		}
		// html/template escapes every < in text and attributes, so each
		// literal < starts a tag vpclab wrote.
		var texts, titles []string
		for _, tag := range tagRE.FindAllString(page, -1) {
			if name := strings.ToLower(tagNameRE.FindStringSubmatch(tag)[1]); name == "script" || name == "img" {
				t.Errorf("%s page has a %s element: %s", lang, name, tag)
			}
			if m := eventRE.FindString(quotedRE.ReplaceAllString(tag, `""`)); m != "" {
				t.Errorf("%s page has an event handler attribute %s in %s", lang, m, tag)
			}
			for _, m := range titleRE.FindAllStringSubmatch(tag, -1) {
				titles = append(titles, html.UnescapeString(m[1]))
			}
		}
		for _, txt := range tagRE.Split(page, -1) {
			texts = append(texts, html.UnescapeString(txt))
		}
		all := strings.Join(texts, "\n")
		if !strings.Contains(all, evil) || !strings.Contains(all, attr) {
			t.Errorf("%s page does not show the names as text", lang)
		}
		if !strings.Contains(strings.Join(titles, "\n"), `<img src=x onerror=alert(3)>`) {
			t.Errorf("%s page: the failing cell's title does not carry the message as text: %q", lang, titles)
		}
		for _, net := range []string{"http://", "https://", "<link", "@import", "src="} {
			if strings.Contains(strings.ReplaceAll(page, "src=x", ""), net) {
				t.Errorf("%s page refers to the network (%s)", lang, net)
			}
		}
	}

	var csvBuf bytes.Buffer
	if err := WriteCSV(&csvBuf, rep, i18n.EN); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&csvBuf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][0] != evil || recs[2][0] != attr {
		t.Errorf("CSV names = %q, %q", recs[1][0], recs[2][0])
	}
	var jsonBuf bytes.Buffer
	if err := WriteJSON(&jsonBuf, rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(jsonBuf.String(), "<script") {
		t.Errorf("JSON has a raw <script (it should be \\u003c)")
	}
	var back Report
	if err := json.Unmarshal(jsonBuf.Bytes(), &back); err != nil || back.Learners[0].Name != evil {
		t.Errorf("JSON does not round-trip the name: %v", err)
	}
}

func TestCSVAndDir(t *testing.T) {
	lab := demoLab(t)
	o := outcome(lab, "=HYPERLINK(\"x\")", "111111111111", map[string]checks.Result{"private-route": noRouteR})
	o.Cost = &Cost{USDPerHour: 0.05, Items: []billing.Item{{Type: billing.NATGateway, ID: "nat-1", USDPerHr: 0.05}}}
	broken := Outcome{Learner: roster.Learner{Name: "Ben"}, Region: "us-east-1", Problem: &Problem{Code: ProblemRoleNotAssumable,
		Msg: i18n.Msg{ID: "ClassProblemRoleNotAssumable", Data: i18n.M{"Role": "arn:aws:iam::222222222222:role/x", "Detail": "AccessDenied"}}}}
	rep := Build([]*content.Lab{lab}, []Outcome{o, broken}, BuildOptions{})

	dir := filepath.Join(t.TempDir(), "report")
	if err := WriteDir(dir, rep, i18n.JA); err != nil {
		t.Fatal(err)
	}
	for _, f := range Files {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	index, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for _, want := range []string{`href="en/index.html"`, `href="ja/index.html"`, "English", "日本語"} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	ja, _ := os.ReadFile(filepath.Join(dir, "ja", "index.html"))
	if !bytes.Contains(ja, []byte(`<html lang="ja">`)) || !bytes.Contains(ja, []byte(`href="../en/index.html"`)) || !bytes.Contains(ja, []byte("プライベートサブネットのルート")) {
		t.Errorf("ja/index.html is not the Japanese page")
	}

	data, _ := os.ReadFile(filepath.Join(dir, "report.csv"))
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(recs[0], ",")
	if !strings.HasPrefix(head, "learner,account,region,problem,message,status,steps_done,steps_total,percent,current_step,current_since,minutes_on_step,regressions,usd_per_hour,class-demo/network,class-demo/network reason") {
		t.Errorf("CSV header = %s", head)
	}
	if got := recs[1]; got[0] != `'=HYPERLINK("x")` || got[5] != "in-progress" || got[6] != "2" || got[7] != "3" || got[9] != "class-demo/route-private" ||
		got[10] == "" || got[13] != "0.050" || got[18] != "current" || got[19] != "NO_ROUTE_TO_DESTINATION" || got[20] != "not-reached" {
		t.Errorf("CSV row = %q", got)
	}
	if got := recs[2]; got[3] != ProblemRoleNotAssumable || got[4] == "" || got[5] != "error" || got[13] != "" || got[14] != "error" {
		t.Errorf("CSV problem row = %q", got)
	}
	if got := recs[len(recs)-1]; got[0] != "*" || got[14] != "1/1" || got[18] != "0/1" {
		t.Errorf("CSV steps-done row = %q", got)
	}

	var back Report
	data, _ = os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Learners) != 2 || back.Learners[1].Problem.Code != ProblemRoleNotAssumable || back.Learners[0].Cells[2].Reason != "NO_ROUTE_TO_DESTINATION" {
		t.Errorf("JSON = %+v", back)
	}
	var raw map[string]any
	_ = json.Unmarshal(data, &raw)
	for _, k := range []string{"generated", "labs", "steps", "learners", "failures", "summary", "cost"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
}

// The dashboard shows each learner's current step and time on it, the
// per-step counts, a not-started learner as such, and step headers with
// their full title as a tooltip (written vertically, so Japanese titles
// read whole).
func TestDashboardShowsJourney(t *testing.T) {
	lab := demoLab(t)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	outcomes := []Outcome{
		outcome(lab, "on the route", "222222222222", map[string]checks.Result{"private-route": noRouteR, "nothing-billable-left": billingR}),
		outcome(lab, "nobody yet", "555555555555", map[string]checks.Result{"vpc": notFound, "igw": skipped, "public-subnet": skipped, "private-subnet": skipped,
			"nat": notFound, "private-route": skipped}),
	}
	rep := Build([]*content.Lab{lab}, outcomes, BuildOptions{Now: t0})
	for _, lang := range i18n.Langs {
		var b bytes.Buffer
		if err := RenderHTML(&b, rep, lang); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		loc := i18n.New(lang)
		title := "プライベートサブネットのルート"
		if lang == i18n.EN {
			title = "Route the private subnet"
		}
		for _, want := range []string{
			`title="3. ` + title + ` (class-demo/route-private)"><span class="vt">3. ` + title + `</span>`,
			`<td class="current">` + title + `<small>` + loc.T("ClassReportMinutes", i18n.M{"Minutes": 0}) + `</small>`,
			`<span class="not-started">` + loc.T("ClassStateNotStarted") + `</span>`,
			`>1/2</td>`, // the network: one of two learners
			`<td class="cell current" title="` + loc.T("ClassStateCurrent") + ` — NO_ROUTE_TO_DESTINATION: `,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks %s", lang, want)
			}
		}
	}
}
