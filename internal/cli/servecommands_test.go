package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// TestServedCommandsSayContent: the pages vpclab serve --content shows
// give check commands with the same --content, made absolute: they are
// read on this machine, and then work from any folder.
func TestServedCommandsSayContent(t *testing.T) {
	labs, ds, err := content.Load(content.Embedded(), "labs")
	if err != nil || len(ds) > 0 || len(labs) == 0 {
		t.Fatalf("built-in labs: %v %v", err, ds)
	}
	env := &Env{Getenv: func(string) string { return "" }, Ctx: context.Background(), Loc: i18n.New(i18n.EN)}
	env.Dir = "/srv/course"
	for dir, want := range map[string]string{"my labs": "vpclab check " + labs[0].ID + " --content '/srv/course/my labs'<",
		"/abs/labs": "vpclab check " + labs[0].ID + " --content /abs/labs<", "": "vpclab check " + labs[0].ID + "<"} {
		st, err := newLiveSite(env, labs, dir, "token")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := st.RenderLab(&b, labs[0].ID, i18n.EN, nil); err != nil {
			t.Fatal(err)
		}
		if page := strings.ReplaceAll(b.String(), "&#39;", "'"); !strings.Contains(page, want) {
			t.Errorf("--content %q: the page has no %q", dir, want)
		}
	}
}
