package lint_test

import (
	"fmt"
	"os"
	"testing"
	"testing/fstest"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/lint"
)

func TestZZScratch(t *testing.T) {
	dir := os.Getenv("SCRATCH")
	if dir == "" {
		t.Skip()
	}
	en, _ := os.ReadFile(dir + "/en.md")
	ja, _ := os.ReadFile(dir + "/ja.md")
	root := os.Getenv("ROOT")
	prefix := root
	if prefix == "." {
		prefix = ""
	} else {
		prefix += "/"
	}
	fsys := fstest.MapFS{prefix + "index.en.md": {Data: en}, prefix + "index.ja.md": {Data: ja}}
	labs, ds, err := content.Load(fsys, root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range lint.Labs(fsys, labs, ds) {
		fmt.Printf("DIAG %v %s %v | %s\n", d.Pos, d.ID, d.Args, d.Error())
	}
}
