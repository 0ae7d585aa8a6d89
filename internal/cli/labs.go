package cli

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// contentFlag adds --content, the folder of labs to use instead of the
// built-in ones.
func contentFlag(env *Env, fs *flag.FlagSet) *string {
	return fs.String("content", "", env.Loc.T("FlagContent"))
}

// openLabs loads the labs from dir, or from ./content when run in a vpclab
// checkout (so authors see their edits), or the built-in labs. Content
// with errors is refused: lint says what to fix.
func openLabs(env *Env, dir string) ([]*content.Lab, error) {
	fsys, root := labSource(env, dir)
	labs, ds, err := content.Load(fsys, root)
	if err != nil {
		return nil, err
	}
	if len(ds) > 0 {
		return nil, fmt.Errorf("%s", env.Loc.T("CLIContentInvalid", i18n.M{"First": ds[0].Pos.String() + ": " + ds[0].Message(env.Loc), "Count": len(ds)}))
	}
	return labs, nil
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
	return nil, fmt.Errorf("%s", env.Loc.T("CLIUnknownLab", i18n.M{"Lab": id, "Labs": strings.Join(ids, ", ")}))
}
