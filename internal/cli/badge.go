package cli

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/atomicfile"
	"github.com/vpclab/vpclab/site"
)

func init() { register(&command{name: "badge", run: runBadge}) }

func runBadge(env *Env, fs *flag.FlagSet, args []string) int {
	out := fs.String("o", "", env.Loc.T("FlagBadgeOut"))
	fs.StringVar(out, "out", "", env.Loc.T("FlagBadgeOut"))
	dir := contentFlag(env, fs)
	if ok, code := parse(env, fs, interleave(fs, args), "badge"); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(env, "badge", "BadgeNeedLab", nil)
	}
	labs, err := openLabs(env, *dir)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return ExitUsage
	}
	id := fs.Arg(0)
	lang := env.Loc.Lang()
	var svg []byte
	if lab := content.Find(labs, id); lab != nil {
		svg = site.LabBadge(lab, lang, loadProgress(env)).SVG()
	} else if id == "overall" {
		svg = site.OverallBadge(labs, lang, loadProgress(env)).SVG()
	} else {
		_, err := findLab(env, labs, id)
		return usageError(env, "badge", "CLIPlain", i18n.M{"Text": err.Error()})
	}
	if *out == "" {
		_, err = env.Stdout.Write(svg)
		if err != nil {
			return ExitFail
		}
		return ExitOK
	}
	target := *out
	if !filepath.IsAbs(target) && env.Dir != "" {
		target = filepath.Join(env.Dir, target)
	}
	if err := atomicfile.Write(target, svg, 0o644); err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("BadgeWriteFailed", i18n.M{"File": *out, "Err": err}))
		return ExitFail
	}
	return ExitOK
}
