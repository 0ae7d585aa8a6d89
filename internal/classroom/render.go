package classroom

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/atomicfile"
)

//go:embed templates
var templateFS embed.FS

// The templates are parsed when first rendered, not at start-up: every
// vpclab command (a learner's vpclab check too) would pay for them at start.
var (
	css       = template.CSS(must(templateFS.ReadFile("templates/style.css")))
	reportTpl = sync.OnceValue(func() *template.Template {
		return template.Must(template.New("report.html.tmpl").Funcs(funcs(nil)).ParseFS(templateFS, "templates/report.html.tmpl"))
	})
	indexTpl = sync.OnceValue(func() *template.Template {
		return template.Must(template.New("index.html.tmpl").ParseFS(templateFS, "templates/index.html.tmpl"))
	})
)

func must[T any](v T, err error) T {
	if err != nil {
		panic("classroom: embedded templates: " + err.Error())
	}
	return v
}

// langNames are the languages' names in themselves, for the switch.
var langNames = map[i18n.Lang]string{i18n.EN: "English", i18n.JA: "日本語"}

// funcs are the templates' helpers; loc is nil only while parsing.
func funcs(loc *i18n.Localizer) template.FuncMap {
	return template.FuncMap{
		// t renders a message: t "ID" "Key" value "Key" value …; with a
		// Count, in its plural form.
		"t": func(id string, kv ...any) string {
			data := i18n.M{}
			for i := 0; i+1 < len(kv); i += 2 {
				k, _ := kv[i].(string)
				data[k] = kv[i+1]
			}
			if n, ok := data["Count"].(int); ok {
				return loc.N(id, n, data)
			}
			return loc.T(id, data)
		},
		"usd":    func(f float64) string { return "$" + strconv.FormatFloat(f, 'f', 3, 64) },
		"num3":   func(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) },
		"num2":   func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
		"when":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"join":   func(s []string) string { return strings.Join(s, ", ") },
		"mark":   mark,
		"state":  func(s State) string { return loc.T(stateMsgs[s]) },
		"states": func() []State { return States },
		"status": func(s string) string { return loc.T(statusMsgs[s]) },
	}
}

var stateMsgs = map[State]string{Passed: "ClassStatePassed", PassedBefore: "ClassStatePassedEarlier", Current: "ClassStateCurrent",
	NotReached: "ClassStateNotReached", Failing: "ClassStateFailing", Optional: "ClassStateOptional",
	NotCheckable: "ClassStateNotCheckable", Errored: "ClassStateError"}

// States are the grid's states in the order the legend lists them.
var States = []State{Passed, PassedBefore, Current, Failing, NotReached, Optional, NotCheckable, Errored}

var statusMsgs = map[string]string{StatusNotStarted: "ClassStateNotStarted", StatusInProgress: "ClassStatusInProgress",
	StatusCleanup: "ClassStatusCleanup", StatusComplete: "ClassReportComplete", StatusFailing: "ClassStatusFailing", StatusError: "ClassStateError"}

// mark is a cell's symbol, so the grid reads without colour.
func mark(s State) string {
	switch s {
	case Passed, PassedBefore:
		return "✓"
	case Current:
		return "→"
	case Failing:
		return "✗"
	case Optional:
		return "○"
	case NotCheckable:
		return "~"
	case Errored:
		return "?"
	}
	return "·"
}

type labSpan struct {
	Title string
	Span  int
}

type page struct {
	R         *Report
	Lang      i18n.Lang
	Other     i18n.Lang
	OtherName string
	CSS       template.CSS
	LabSpans  []labSpan
}

// RenderHTML writes the class dashboard in lang: the learners × steps
// grid, each learner's progress, the most frequent failures and the cost
// still running. The page is self-contained (inline CSS, no scripts, no
// network assets) and links to the other language at ../<lang>/index.html.
// Every value from the report is escaped.
func RenderHTML(w io.Writer, rep *Report, lang i18n.Lang) error {
	p := page{R: rep, Lang: lang, Other: lang.Other(), OtherName: langNames[lang.Other()], CSS: css}
	for _, l := range rep.Labs {
		n := 0
		for _, s := range rep.Steps {
			if s.Lab == l.ID {
				n++
			}
		}
		if n > 0 {
			p.LabSpans = append(p.LabSpans, labSpan{Title: l.Title.In(lang), Span: n})
		}
	}
	t, err := reportTpl().Clone()
	if err != nil {
		return err
	}
	return t.Funcs(funcs(i18n.New(lang))).Execute(w, p)
}

type choice struct {
	Lang        i18n.Lang
	Name, Title string
}

// RenderIndex writes the language chooser that links to <lang>/index.html.
func RenderIndex(w io.Writer) error {
	data := struct {
		CSS     template.CSS
		Choices []choice
	}{CSS: css}
	for _, l := range i18n.Langs {
		data.Choices = append(data.Choices, choice{Lang: l, Name: langNames[l], Title: i18n.New(l).T("ClassReportTitle")})
	}
	return indexTpl().Execute(w, data)
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteCSV writes the grid as CSV, one learner a row: who, whether they
// could be checked, their progress and cost, then for each step its state
// and the failing check's reason code. Messages are in lang.
func WriteCSV(w io.Writer, rep *Report, lang i18n.Lang) error {
	cw := csv.NewWriter(w)
	head := []string{"learner", "account", "region", "problem", "message", "status", "steps_done", "steps_total", "percent", "current_step",
		"current_since", "minutes_on_step", "regressions", "usd_per_hour"}
	for _, s := range rep.Steps {
		head = append(head, s.Key(), s.Key()+" reason")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range rep.Learners {
		problem, msg := "", r.Note.In(lang)
		if r.Problem != nil {
			problem, msg = r.Problem.Code, r.Problem.Message.In(lang)
		}
		cost := ""
		if r.Cost != nil {
			cost = strconv.FormatFloat(r.Cost.USDPerHour, 'f', 3, 64)
		}
		since := ""
		if r.Since != nil {
			since = r.Since.UTC().Format(time.RFC3339)
		}
		rec := []string{cell(r.Name), r.Account, r.Region, problem, cell(msg), r.Status, strconv.Itoa(r.Done), strconv.Itoa(r.Total),
			strconv.Itoa(r.Percent), r.Next, since, strconv.Itoa(r.Minutes), strings.Join(r.Regressions, " "), cost}
		for _, c := range r.Cells {
			rec = append(rec, string(c.State), c.Reason)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	// The last row counts each step's learners who have done it: "n/N".
	foot := make([]string, len(head))
	foot[0], foot[5] = "*", "steps_done"
	for i, st := range rep.Steps {
		foot[len(head)-2*len(rep.Steps)+2*i] = strconv.Itoa(st.Done) + "/" + strconv.Itoa(st.Of)
	}
	if err := cw.Write(foot); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// cell keeps a spreadsheet from reading text as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Files are what WriteDir writes, relative to its folder.
var Files = []string{"index.html", "en/index.html", "ja/index.html", "report.csv", "report.json"}

// WriteDir writes the static report into dir: index.html (the language
// chooser), en/index.html and ja/index.html, report.csv (messages in
// lang) and report.json. Each file is replaced atomically; nothing else in
// dir is touched.
func WriteDir(dir string, rep *Report, lang i18n.Lang) error {
	var files [][2]string
	render := func(name string, f func(w io.Writer) error) error {
		var buf bytes.Buffer
		if err := f(&buf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files = append(files, [2]string{name, buf.String()})
		return nil
	}
	if err := render("index.html", RenderIndex); err != nil {
		return err
	}
	for _, l := range i18n.Langs {
		if err := render(string(l)+"/index.html", func(w io.Writer) error { return RenderHTML(w, rep, l) }); err != nil {
			return err
		}
	}
	if err := render("report.csv", func(w io.Writer) error { return WriteCSV(w, rep, lang) }); err != nil {
		return err
	}
	if err := render("report.json", func(w io.Writer) error { return WriteJSON(w, rep) }); err != nil {
		return err
	}
	for _, f := range files {
		if err := atomicfile.Write(filepath.Join(dir, filepath.FromSlash(f[0])), []byte(f[1]), 0o644); err != nil {
			return err
		}
	}
	return nil
}
