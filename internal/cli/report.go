package cli

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
)

// JSONResult is one check in --format json.
type JSONResult struct {
	Step      string   `json:"step"`
	Check     string   `json:"check"`
	Kind      string   `json:"kind"`
	Status    string   `json:"status"`
	Reason    string   `json:"reason,omitempty"`
	Message   string   `json:"message"`
	Resources []string `json:"resources"`
	Fix       string   `json:"fix,omitempty"`
	// Plan is Fix as typed actions, each with its command and, where the
	// console says it more plainly, a console step in the reader's
	// language. RootCause is the check whose fix repairs this one.
	Plan      []JSONAction `json:"plan,omitempty"`
	RootCause string       `json:"root_cause,omitempty"`
	Path      []string     `json:"path,omitempty"`
}

// JSONAction is one action of a repair plan.
type JSONAction struct {
	repair.Action
	Command string `json:"command"`
	Console string `json:"console,omitempty"`
}

// planJSON renders a result's plan for --format json and the site.
func planJSON(loc *i18n.Localizer, region string, r checks.Result, names func(string) string) []JSONAction {
	if r.Plan == nil {
		return nil
	}
	cmds := r.Plan.Commands(region)
	out := make([]JSONAction, len(cmds))
	for i, c := range cmds {
		out[i] = JSONAction{Action: r.Plan.Actions[i], Command: c}
		if m, ok := r.Plan.Console(i, names); ok {
			out[i].Console = loc.T(m.ID, m.Data)
		}
	}
	return out
}

// consoleSteps are a plan's console steps in the reader's language.
func consoleSteps(loc *i18n.Localizer, r checks.Result, names func(string) string) []string {
	if r.Plan == nil {
		return nil
	}
	var out []string
	for i := range r.Plan.Actions {
		if m, ok := r.Plan.Console(i, names); ok {
			out = append(out, loc.T(m.ID, m.Data))
		}
	}
	return out
}

// nameLabels turns ids into "Name (id)" using what the results name.
func nameLabels(rep checkrun.Report) func(string) string {
	return func(id string) string {
		if n := rep.Names[id]; n != "" {
			return n + " (" + id + ")"
		}
		return id
	}
}

// JSONReport is the whole of --format json: one object per run.
type JSONReport struct {
	Lab       string           `json:"lab"`
	Account   string           `json:"account"`
	Region    string           `json:"region"`
	Results   []JSONResult     `json:"results"`
	Summary   checkrun.Summary `json:"summary"`
	APICalls  int              `json:"api_calls"`
	CallsByOp map[string]int   `json:"api_calls_by_action"`
	ElapsedMS int64            `json:"elapsed_ms"`
	Hint      string           `json:"hint,omitempty"` // a note for the page, such as "nothing to check here"
}

func jsonReport(loc *i18n.Localizer, rep checkrun.Report, meter *awsx.Meter) JSONReport {
	out := JSONReport{Lab: rep.Lab, Account: rep.Account, Region: rep.Region, Results: []JSONResult{},
		Summary: checkrun.Summarize(rep.Results), ElapsedMS: rep.Elapsed.Milliseconds(), CallsByOp: map[string]int{}}
	if meter != nil {
		out.APICalls, out.CallsByOp = meter.Total(), meter.Calls()
	}
	names := nameLabels(rep)
	for _, r := range rep.Results {
		jr := JSONResult{Step: r.Step, Check: r.Check, Kind: r.Kind, Status: string(r.Status), Reason: r.Reason,
			Message: loc.T(r.Message.ID, r.Message.Data), Resources: r.Resources, Fix: r.Fix,
			Plan: planJSON(loc, rep.Region, r, names), RootCause: r.RootCause}
		if jr.Resources == nil {
			jr.Resources = []string{}
		}
		if r.Path != nil {
			for _, l := range r.Path.Legs {
				for _, h := range l.Hops {
					jr.Path = append(jr.Path, h.Kind+":"+h.ID)
				}
			}
		}
		out.Results = append(out.Results, jr)
	}
	return out
}

func writeReport(env *Env, format string, lab *content.Lab, rep checkrun.Report, meter *awsx.Meter) {
	switch format {
	case "json":
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(jsonReport(env.Loc, rep, meter))
	case "junit":
		writeJUnit(env, env.Stdout, lab, rep)
	default:
		writeText(env, env.Stdout, lab, rep, meter)
	}
}

var statusMsg = map[checks.Status]string{checks.Pass: "StatusPass", checks.Warn: "StatusWarn", checks.Fail: "StatusFail",
	checks.Error: "StatusError", checks.Skipped: "StatusSkipped"}

// statusMark is a symbol and a word, so the status reads without color.
func statusMark(loc *i18n.Localizer, s checks.Status) string {
	mark := map[checks.Status]string{checks.Pass: "✓", checks.Warn: "!", checks.Fail: "✗", checks.Error: "?", checks.Skipped: "-"}[s]
	return mark + " " + loc.T(statusMsg[s])
}

func writeText(env *Env, w io.Writer, lab *content.Lab, rep checkrun.Report, meter *awsx.Meter) {
	loc := env.Loc
	page := lab.Page(loc.Lang())
	fmt.Fprintln(w, loc.T("CheckHeader", i18n.M{"Lab": lab.ID, "Title": page.Meta.Title, "Account": rep.Account, "Region": rep.Region}))
	if want := page.Meta.Region; want != "" && rep.Region != "" && want != rep.Region {
		// Doing a lab in another Region is fine (zones map by letter), but
		// a Region left over from another shell is the likelier cause of
		// a lab that "is not there".
		fmt.Fprintln(w, loc.T("CheckOtherRegionNote", i18n.M{"Lab": lab.ID, "LabRegion": want, "Region": rep.Region}))
	}
	names := nameLabels(rep)
	lastStep := ""
	for _, r := range rep.Results {
		if r.Step != lastStep {
			lastStep = r.Step
			title := r.Step
			if s := page.StepByID(r.Step); s != nil {
				title = s.Title
			}
			fmt.Fprintf(w, "\n%s  #%s\n", title, r.Step)
		}
		label, kind := r.Check, r.Kind
		if name, about, ok := binding.Title(r.Check); ok {
			label, kind = name, loc.T(about.ID, about.Data)
		}
		fmt.Fprintf(w, "  %-10s %s  (%s)\n", statusMark(loc, r.Status), label, kind)
		fmt.Fprintf(w, "      %s\n", loc.T(r.Message.ID, r.Message.Data))
		if r.Reason != "" && r.Status != checks.Pass { // a warning names its reason too
			fmt.Fprintf(w, "      %s %s\n", loc.T("CheckReason"), r.Reason)
		}
		if r.Fix != "" && r.Status != checks.Pass {
			fmt.Fprintf(w, "      %s\n", loc.T("CheckFix"))
			for _, line := range strings.Split(r.Fix, "\n") {
				fmt.Fprintf(w, "        %s\n", line)
			}
			if steps := consoleSteps(loc, r, names); len(steps) > 0 {
				fmt.Fprintf(w, "      %s\n", loc.T("RepairConsoleLabel"))
				for _, st := range steps {
					fmt.Fprintf(w, "        %s\n", st)
				}
			}
		}
	}
	sum := checkrun.Summarize(rep.Results)
	calls := 0
	if meter != nil {
		calls = meter.Total()
	}
	fmt.Fprintf(w, "\n%s\n", loc.T("CheckSummary", i18n.M{"Pass": sum.Pass, "Warn": sum.Warn, "Fail": sum.Fail, "Error": sum.Error,
		"Skipped": sum.Skipped, "Calls": calls, "Elapsed": rep.Elapsed.Round(time.Millisecond)}))
	if sum.Fail == 0 && sum.Error == 0 {
		fmt.Fprintln(w, loc.T("CheckAllDone"))
	}
}

// JUnit XML, the format CI systems display as test results.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Class   string        `xml:"classname,attr"`
	Name    string        `xml:"name,attr"`
	Failure *junitMessage `xml:"failure,omitempty"`
	Error   *junitMessage `xml:"error,omitempty"`
	Skipped *junitMessage `xml:"skipped,omitempty"`
	Output  string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

func writeJUnit(env *Env, w io.Writer, lab *content.Lab, rep checkrun.Report) {
	sum := checkrun.Summarize(rep.Results)
	suite := junitSuite{Name: lab.ID, Tests: len(rep.Results), Failures: sum.Fail, Errors: sum.Error, Skipped: sum.Skipped,
		Time: fmt.Sprintf("%.3f", rep.Elapsed.Seconds())}
	for _, r := range rep.Results {
		msg := env.Loc.T(r.Message.ID, r.Message.Data)
		c := junitCase{Class: lab.ID + "." + r.Step, Name: r.Check}
		body := r.Fix
		if r.RootCause != "" {
			body = env.Loc.T("RepairRootCauseLabel", i18n.M{"Root": r.RootCause})
		}
		m := &junitMessage{Message: msg, Type: r.Reason, Body: body}
		switch r.Status {
		case checks.Fail:
			c.Failure = m
		case checks.Error:
			c.Error = m
		case checks.Skipped:
			c.Skipped = m
		default:
			c.Output = msg
		}
		suite.Cases = append(suite.Cases, c)
	}
	fmt.Fprint(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(junitSuites{Suites: []junitSuite{suite}})
	fmt.Fprintln(w)
}

// spinner shows that vpclab is working while it reads the account: a
// rotating mark on a terminal, one plain line otherwise (logs, CI).
type spinner struct {
	mu   sync.Mutex
	text string
	done chan struct{}
	wg   sync.WaitGroup
	tty  bool
	once sync.Once // stop closes done once
	w    io.Writer
	// quiet: without a terminal, nothing is written (startTTYSpinner).
	quiet bool
}

func startSpinner(env *Env, text string) *spinner {
	return newSpinner(env, text, true)
}

// startTTYSpinner is startSpinner that writes nothing unless standard
// error is a terminal: for a command whose output is its result.
func startTTYSpinner(env *Env, text string) *spinner {
	return newSpinner(env, text, false)
}

func newSpinner(env *Env, text string, plain bool) *spinner {
	s := &spinner{text: text, done: make(chan struct{}), w: env.Stderr, quiet: !plain}
	// A terminal that cannot move the cursor (TERM=dumb: Emacs shells,
	// some CI consoles) gets the plain line, as a file does.
	if f, ok := underlying(env.Stderr).(*os.File); ok && env.Getenv("TERM") != "dumb" {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			s.tty = true
		}
	}
	if !s.tty {
		if plain {
			fmt.Fprintln(s.w, text)
		}
		return s
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			s.mu.Lock()
			fmt.Fprintf(s.w, "\r\033[K%s %s", frames[i%len(frames)], s.text)
			s.mu.Unlock()
			select {
			case <-s.done:
				fmt.Fprint(s.w, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *spinner) set(text string) {
	s.mu.Lock()
	s.text = text
	s.mu.Unlock()
	if !s.tty && !s.quiet {
		fmt.Fprintln(s.w, text)
	}
}

// stop clears the spinner; calling it again does nothing.
func (s *spinner) stop() {
	if s.tty {
		s.once.Do(func() { close(s.done) })
		s.wg.Wait()
	}
}
