package lint

import (
	"testing"
	"testing/fstest"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// TestLinkOutsideTheLabs: lint and build agree on a link that leaves the
// labs (the site cannot hold its target, even if the checkout has it);
// links to this lab's files and to another lab stay fine.
func TestLinkOutsideTheLabs(t *testing.T) {
	page := "---\nid: demo\n---\n\n## S {#s}\n\n[kinds](../../../checks/README.md) [pic](img/a.png) [next](../other/index.en.md)\n"
	fsys := fstest.MapFS{
		"repo/checks/README.md":               {Data: []byte("# kinds\n")},
		"repo/content/labs/demo/img/a.png":    {Data: []byte("png")},
		"repo/content/labs/other/index.en.md": {Data: []byte(page)},
		"repo/content/labs/demo/index.en.md":  {Data: []byte(page)},
	}
	p, _ := content.ParsePage("repo/content/labs/demo/index.en.md", i18n.EN, []byte(page))
	ds := linkRules(fsys, &content.Lab{ID: "demo", Dir: "repo/content/labs/demo"}, p)
	if len(ds) != 1 || ds[0].ID != "LintLinkOutside" || ds[0].Args["Dest"] != "../../../checks/README.md" {
		t.Errorf("findings %v, want one LintLinkOutside for ../../../checks/README.md", ds)
	}
}

// TestLabFileTooLarge: a file the site would refuse to copy is a lint
// finding at the file, so lint and build agree.
func TestLabFileTooLarge(t *testing.T) {
	fsys := fstest.MapFS{
		"labs/demo/index.en.md": {Data: []byte("---\nid: demo\n---\n")},
		"labs/demo/small.png":   {Data: []byte("png")},
		"labs/demo/huge.mp4":    {Data: make([]byte, content.MaxLabFileBytes+1)},
	}
	ds := fileRules(fsys, &content.Lab{ID: "demo", Dir: "labs/demo"})
	if len(ds) != 1 || ds[0].ID != "LintLabFileTooLarge" || ds[0].Pos.File != "labs/demo/huge.mp4" {
		t.Errorf("findings %v, want one LintLabFileTooLarge for labs/demo/huge.mp4", ds)
	}
}
