package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/site"
)

func init() { register(&command{name: "build", run: runBuild}) }

func runBuild(env *Env, fs *flag.FlagSet, args []string) int {
	out := fs.String("o", "public", env.Loc.T("FlagBuildOut"))
	fs.StringVar(out, "out", "public", env.Loc.T("FlagBuildOut"))
	dir := contentFlag(env, fs)
	if ok, code := parse(env, fs, interleave(fs, args), "build"); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(env, "build", "CLIUnexpectedArgs", i18n.M{"Args": fmt.Sprint(fs.Args())})
	}
	defer batchGC(buildGCPercent)()
	// A large site takes seconds: a terminal shows how far it is.
	sp := startTTYSpinner(env, env.Loc.T("BuildReading"))
	defer sp.stop()
	prog := loadProgress(env)
	target := *out
	if !filepath.IsAbs(target) && env.Dir != "" {
		target = filepath.Join(env.Dir, target)
	}
	start := time.Now()
	opts := site.Options{LabFiles: labFiles(env, *dir), CheckArgs: contentArgs(*dir)}
	if sp.tty {
		opts.Progress = func(done, total int) {
			if done%50 == 0 || done == total {
				sp.set(env.Loc.T("BuildWriting", i18n.M{"Done": done, "Total": total}))
			}
		}
	}
	// Each lab is parsed once: the site is begun from the labs' front
	// matter, and each lab's pages are rendered as soon as lint has read
	// them, from the same syntax trees.
	fsys, root := labSource(env, *dir)
	metas, mds, err := content.LoadMeta(fsys, root)
	if err == nil && len(mds) > 0 {
		// A page whose front matter cannot be read: the labs are not
		// rendered against it; lint says what is wrong (openLabs below).
		err = fmt.Errorf("%s: %s", mds[0].Pos, mds[0].ID)
	}
	var b *site.Builder
	if err == nil {
		b, err = site.NewBuilder(target, metas, prog, opts)
	}
	if err != nil {
		// What is wrong with the content comes first, as from every command.
		if _, lerr := openLabs(env, *dir); lerr != nil {
			sp.stop()
			fmt.Fprintln(env.Stderr, lerr)
			return ExitUsage
		}
		sp.stop()
		return buildFailed(env, err)
	}
	labs, err := openLabsEach(env, *dir, func(l *content.Lab) {
		if env.Ctx.Err() == nil { // after Ctrl-C, nothing more is rendered
			_ = b.Lab(l)
		}
		// Its pages are written: the lists and badges need only its
		// outline, and held whole, 300 labs were most of the heap.
		content.ReleaseSources(l)
	})
	if err != nil {
		b.Abandon()
		sp.stop()
		fmt.Fprintln(env.Stderr, err)
		return ExitUsage
	}
	if env.Ctx.Err() != nil {
		b.Abandon()
		sp.stop()
		fmt.Fprintln(env.Stderr, env.Loc.T("BuildInterrupted", i18n.M{"Dir": *out}))
		return ExitInterrupted
	}
	st, err := b.Finish(labs)
	sp.stop()
	if err != nil {
		return buildFailed(env, err)
	}
	fmt.Fprintln(env.Stdout, env.Loc.T("BuildDone", i18n.M{"Pages": st.Pages, "Badges": st.Badges, "Assets": st.Assets,
		"Dir": *out, "Elapsed": time.Since(start).Round(time.Millisecond)}))
	fmt.Fprintln(env.Stdout, env.Loc.T("BuildOpen", i18n.M{"Index": filepath.Join(st.Dir, "index.html")}))
	return ExitOK
}

func buildFailed(env *Env, err error) int {
	var notSite *site.NotSiteError
	if errors.As(err, &notSite) {
		fmt.Fprintln(env.Stderr, env.Loc.T("BuildNotSite", i18n.M{"Dir": notSite.Dir}))
	} else {
		fmt.Fprintln(env.Stderr, env.Loc.T("BuildFailed", i18n.M{"Err": err}))
	}
	return ExitFail
}

// loadProgress reads the learner's recorded progress for the badges. No
// progress is not an error: the badges then say "not started".
func loadProgress(env *Env) *progress.Progress {
	path, err := progress.DefaultPath()
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ProgressUnreadable", i18n.M{"Err": err}))
		return nil
	}
	prog, warnings, err := progress.Open(path).Load()
	for _, w := range warnings {
		fmt.Fprintln(env.Stderr, env.Loc.T(w.Msg().ID, w.Msg().Data))
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("ProgressUnreadable", i18n.M{"Err": err}))
		return nil
	}
	return prog
}

// contentArgs are what a check command must add for the labs of dir, the
// --content a site was built or served from ("" for the built-in labs).
func contentArgs(dir string) []string {
	if dir == "" {
		return nil
	}
	return []string{"--content", dir}
}

// labFiles is the file system in which the labs that openLabs(env, dir)
// returns have their Dir, so that the site can copy the labs' images.
func labFiles(env *Env, dir string) fs.FS {
	fsys, _ := labSource(env, dir)
	return fsys
}
