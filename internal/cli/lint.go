package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/lint"
)

func init() { register(&command{name: "lint", run: runLint}) }

func runLint(env *Env, fs *flag.FlagSet, args []string) int {
	format := fs.String("format", "text", env.Loc.T("FlagLintFormat"))
	dir := contentFlag(env, fs) // as every other command takes it: one more PATH
	if ok, code := parse(env, fs, interleave(fs, args), "lint"); !ok {
		return code
	}
	if *format != "text" && *format != "json" && *format != "github" {
		return usageError(env, "lint", "CLIBadFormat", i18n.M{"Format": *format, "Allowed": "text, json, github"})
	}

	paths := fs.Args()
	if *dir != "" {
		paths = append([]string{*dir}, paths...)
	}
	targets, err := lintTargets(env, paths)
	if err != nil {
		return usageError(env, "lint", "CLIPathUnreadable", i18n.M{"Err": err})
	}
	var ds content.Diags
	labs := 0
	for _, t := range targets {
		if t.catalogs {
			ds = append(ds, t.lintCatalogs()...)
			continue
		}
		found, findings, err := lint.Load(t.fsys, t.dir)
		if err != nil {
			return usageError(env, "lint", "CLIPathUnreadable", i18n.M{"Err": t.display(err.Error())})
		}
		if len(found) == 0 {
			return usageError(env, "lint", "CLINoLabs", i18n.M{"Path": t.display(t.dir)})
		}
		labs += len(found)
		for _, d := range findings {
			ds = append(ds, t.displayDiag(d))
		}
	}
	ds.Sort()
	writeDiags(env, env.Stdout, *format, ds, labs)
	if len(ds) > 0 {
		fmt.Fprintln(env.Stderr, env.Loc.N("LintSummaryProblems", len(ds)))
		return ExitFail
	}
	fmt.Fprintln(env.Stderr, env.Loc.N("LintSummaryClean", labs))
	return ExitOK
}

// lintTarget is one thing to lint: labs under dir, or the message
// catalogs in dir.
type lintTarget struct {
	fsys     fs.FS
	dir      string
	prefix   string // put back in front of file names (for absolute paths)
	catalogs bool
}

func (t lintTarget) display(name string) string { return t.prefix + name }

// displayDiag puts the user's spelling of paths back into a diagnostic,
// including positions it mentions in its message.
func (t lintTarget) displayDiag(d content.Diag) content.Diag {
	if t.prefix == "" {
		return d
	}
	d.Pos.File = t.display(d.Pos.File)
	args := i18n.M{}
	for k, v := range d.Args {
		if p, ok := v.(content.Pos); ok {
			p.File = t.display(p.File)
			v = p
		}
		args[k] = v
	}
	d.Args = args
	return d
}

// lintCatalogs checks each area's catalogs (active.en.toml with
// active.ja.toml, repair.en.toml with repair.ja.toml, …) against each other.
func (t lintTarget) lintCatalogs() content.Diags {
	areas := i18n.Areas()
	if t.fsys != nil {
		areas = nil
		matches, _ := fs.Glob(t.fsys, path.Join(t.dir, "*.en.toml"))
		for _, m := range matches {
			areas = append(areas, strings.TrimSuffix(path.Base(m), ".en.toml"))
		}
	}
	var ds content.Diags
	for _, area := range areas {
		var cats []lint.Catalog
		for _, l := range i18n.Langs {
			name := path.Join(t.dir, i18n.AreaFile(area, l))
			var src []byte
			var err error
			if t.fsys == nil {
				src, err = i18n.AreaSource(area, l)
			} else {
				src, err = fs.ReadFile(t.fsys, name)
			}
			if err != nil {
				src = nil
			}
			cats = append(cats, lint.Catalog{Lang: l, Path: t.display(name), Src: src})
		}
		ds = append(ds, lint.Catalogs(cats)...)
	}
	return ds
}

// lintTargets resolves the command-line paths. With none, it lints the
// content and message catalogs of the current folder when it is a vpclab
// checkout (what an author wants), and otherwise the built-in labs.
func lintTargets(env *Env, args []string) ([]lintTarget, error) {
	cwd := env.Dir
	if cwd == "" {
		cwd, _ = os.Getwd()
	}
	if len(args) == 0 {
		var ts []lintTarget
		if hasDir(cwd, "content/labs") {
			ts = append(ts, lintTarget{fsys: os.DirFS(cwd), dir: "content"})
		}
		if _, err := os.Stat(filepath.Join(cwd, "i18n", i18n.CatalogFile(i18n.EN))); err == nil {
			ts = append(ts, lintTarget{fsys: os.DirFS(cwd), dir: "i18n", catalogs: true})
		}
		if len(ts) > 0 {
			return ts, nil
		}
		fmt.Fprintln(env.Stderr, env.Loc.T("LintBuiltIn"))
		return []lintTarget{{fsys: content.Embedded(), dir: "labs"}, {dir: "i18n", catalogs: true}}, nil
	}
	var ts []lintTarget
	for _, a := range args {
		p := a
		if !filepath.IsAbs(p) {
			p = filepath.Join(cwd, p)
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			p = filepath.Dir(p)
		}
		t := lintTarget{fsys: os.DirFS(cwd)}
		rel, err := filepath.Rel(cwd, p)
		if err == nil && rel == "." && content.IsLab(os.DirFS(p), ".") {
			// Linting the lab folder one stands in: the lab needs its
			// folder's name (its id), so read it from the parent.
			t.fsys, t.dir, t.prefix = os.DirFS(filepath.Dir(p)), filepath.Base(p), "../"
		} else if err == nil && fs.ValidPath(filepath.ToSlash(rel)) {
			t.dir = filepath.ToSlash(rel)
		} else {
			t.fsys, t.dir, t.prefix = os.DirFS("/"), strings.TrimPrefix(filepath.ToSlash(p), "/"), "/"
		}
		if _, err := os.Stat(filepath.Join(p, i18n.CatalogFile(i18n.EN))); err == nil {
			t.catalogs = true
		}
		ts = append(ts, t)
	}
	return ts, nil
}

func hasDir(cwd, dir string) bool {
	st, err := os.Stat(filepath.Join(cwd, dir))
	return err == nil && st.IsDir()
}

type jsonFinding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func writeDiags(env *Env, w io.Writer, format string, ds content.Diags, labs int) {
	switch format {
	case "json":
		out := struct {
			Labs     int           `json:"labs"`
			Findings []jsonFinding `json:"findings"`
		}{Labs: labs, Findings: []jsonFinding{}}
		for _, d := range ds {
			out.Findings = append(out.Findings, jsonFinding{d.Pos.File, d.Pos.Line, d.Pos.Col, d.ID, d.Message(env.Loc)})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	case "github":
		// GitHub Actions workflow commands become annotations on the diff.
		for _, d := range ds {
			fmt.Fprintf(w, "::error file=%s,line=%d,col=%d,title=%s::%s\n",
				ghProperty(d.Pos.File), d.Pos.Line, d.Pos.Col, ghProperty("vpclab "+d.ID), ghData(d.Message(env.Loc)))
		}
	default:
		for _, d := range ds {
			fmt.Fprintf(w, "%s: %s\n", d.Pos, d.Message(env.Loc))
		}
	}
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
