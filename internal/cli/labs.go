package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/lint"
)

// contentFlag adds --content, the folder of labs to use instead of the
// built-in ones.
func contentFlag(env *Env, fs *flag.FlagSet) *string {
	return fs.String("content", "", env.Loc.T("FlagContent"))
}

// openLabs loads the labs from dir, or from ./content when run in a vpclab
// checkout (so authors see their edits), or the built-in labs. Content
// that vpclab lint rejects is refused, with lint's own findings: one
// validation path, so that a check block lint calls wrong can never run
// (and never record a pass).
//
// The labs built into the binary are only parsed: lint cannot find
// anything in them that it did not find before they were built in
// (TestEmbeddedLabsLintClean), and linting was most of a command's
// start-up.
func openLabs(env *Env, dir string) ([]*content.Lab, error) { return openLabsEach(env, dir, nil) }

// openLabsEach is openLabs with clean called on every lab found sound, as
// soon as it is, with its syntax trees (see lint.LoadEach).
func openLabsEach(env *Env, dir string, clean func(*content.Lab)) ([]*content.Lab, error) {
	if err := contentDirError(env, dir); err != nil {
		return nil, err
	}
	fsys, root := labSource(env, dir)
	var (
		labs []*content.Lab
		ds   content.Diags
		err  error
	)
	if dir == "" && root == "labs" {
		labs, ds, err = content.LoadEach(fsys, root, func(l *content.Lab, parsed content.Diags) content.Diags {
			if clean != nil && len(parsed) == 0 {
				clean(l)
			}
			return nil
		})
	} else {
		labs, ds, err = lint.LoadEach(fsys, root, clean)
	}
	if err != nil {
		return nil, err
	}
	if dir != "" && len(labs) == 0 && len(ds) == 0 {
		// A folder with no lab in it (--content / or a typo'd parent):
		// "no lab X; the labs are: " with an empty list said nothing.
		return nil, errors.New(env.Loc.T("CLINoLabs", i18n.M{"Path": dir}))
	}
	if len(ds) > 0 {
		return nil, contentError(env, labSourcePrefix(env, dir), ds, len(labs))
	}
	return labs, nil
}

// contentError words lint's findings as vpclab lint prints them (text
// format), then one line saying the content was refused.
func contentError(env *Env, prefix string, ds content.Diags, labs int) error {
	t := lintTarget{prefix: prefix}
	for i := range ds {
		ds[i] = t.displayDiag(ds[i])
	}
	var b strings.Builder
	writeDiags(env, &b, "text", ds, labs)
	b.WriteString(env.Loc.T("HardenContentRefused", i18n.M{"Count": len(ds)}))
	return errors.New(b.String())
}

// contentDirError names a --content folder that is not there, or is a
// file: reading it said only "open .: no such file or directory".
func contentDirError(env *Env, dir string) error {
	if dir == "" {
		return nil
	}
	abs := dir
	if !filepath.IsAbs(abs) && env.Dir != "" {
		abs = filepath.Join(env.Dir, dir)
	}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New(env.Loc.T("CLIContentMissing", i18n.M{"Dir": dir}))
	case err != nil:
		return errors.New(env.Loc.T("CLIContentUnreadable", i18n.M{"Dir": dir, "Err": err}))
	case !info.IsDir():
		return errors.New(env.Loc.T("CLIContentNotFolder", i18n.M{"Dir": dir}))
	}
	return nil
}

// labSourcePrefix is put before the file names of diagnostics so that
// they read as the user's own path to --content, as lint shows them.
func labSourcePrefix(env *Env, dir string) string {
	if dir == "" {
		return ""
	}
	d := filepath.Clean(dir)
	abs := d
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(env.Dir, d)
	}
	if content.IsLab(os.DirFS(abs), ".") {
		d = filepath.Dir(d) // a lab folder is read from its parent (labSource)
	}
	if d == "." {
		return ""
	}
	return filepath.ToSlash(d) + "/"
}

// labSource is where openLabs reads: the file system the labs' Dir is in
// (the site copies lab images from it) and the folder to load.
func labSource(env *Env, dir string) (fs.FS, string) {
	fsys, root := content.Embedded(), "labs"
	cwd := env.Dir
	if cwd == "" {
		cwd, _ = os.Getwd()
	}
	switch {
	case dir != "":
		abs := dir
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(cwd, dir)
		}
		fsys, root = os.DirFS(abs), "."
		if content.IsLab(fsys, ".") {
			// A lab folder: its name is its id, so read it from the parent.
			fsys, root = os.DirFS(filepath.Dir(abs)), filepath.Base(abs)
		}
	case hasDir(cwd, "content/labs"):
		fsys, root = os.DirFS(cwd), "content"
	}
	return fsys, root
}

// chooseLabs picks the labs named in ids (all when none is named); a wrong
// name is a usage error of command name.
func chooseLabs(env *Env, labs []*content.Lab, ids []string, name string) ([]*content.Lab, int) {
	if len(ids) == 0 {
		return labs, ExitOK
	}
	var chosen []*content.Lab
	for _, id := range ids {
		l, err := findLab(env, labs, id)
		if err != nil {
			return nil, usageError(env, name, "CLIPlain", i18n.M{"Text": err.Error()})
		}
		chosen = append(chosen, l)
	}
	return chosen, ExitOK
}

// findLab returns the lab called id, or a usage error listing the labs.
func findLab(env *Env, labs []*content.Lab, id string) (*content.Lab, error) {
	if l := content.Find(labs, id); l != nil {
		return l, nil
	}
	var ids []string
	for _, l := range labs {
		ids = append(ids, l.ID)
	}
	sort.Strings(ids)
	return nil, fmt.Errorf("%s", env.Loc.T("CLIUnknownLab", i18n.M{"Lab": id, "Labs": strings.Join(ids, ", "), "Suggest": content.Suggest(id, ids)}))
}
