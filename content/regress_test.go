package content_test

import (
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Regressions found in review: each once panicked or pointed at the wrong
// place. Body line n is file line 12+n.
func TestParsePageRegressions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"a trailing --- in a check block is a second document, not a panic",
			withFM("## S {#s}\n\n'''check\nid: a\nkind: vpc\n---\n'''\n"),
			[]want{w("ContentYAMLManyDocuments", at(18, 1))}},
		{"a second document is reported at its ---",
			withFM("## S {#s}\n\n'''check\nid: a\nkind: vpc\n---\nid: b\n'''\n"),
			[]want{w("ContentYAMLManyDocuments", at(18, 1))}},
		{"columns after Japanese text count bytes",
			withFM("## S {#s}\n\n'''check\n{id: a, kind: vpc, name: ネットワーク, needs: {x: y}}\n'''\n"),
			[]want{w("ContentFieldType", at(16, 53))}},
		{"a tab in an indented block keeps the file's column",
			withFM("- item\n\n## S {#s}\n\n- item\n\n  '''check\n\t  id: [x\n  '''\n"),
			[]want{w("ContentYAMLSyntax", at(20, 8))}},
		{"a heading after >\\t is where its # is",
			withFM(">\t## S\n"),
			[]want{w("ContentStepNoID", at(13, 3))}},
		{"nested duplicate keys are reported",
			replaceFM(t, "  region: us-east-1\n", "  region: us-east-1\n  region: eu-west-1\n", ""),
			[]want{w("ContentYAMLDuplicateKey", at(10, 3))}},
		{"a missing nested field is reported at the mapping's first key",
			replaceFM(t, "  usd_per_hour: 0\n", "", ""),
			[]want{w("ContentFieldMissing", at(8, 3), "Field", "cost.usd_per_hour")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := content.ParsePage(file, i18n.EN, []byte(tt.src))
			checkDiags(t, ds, tt.want)
		})
	}
}

func TestParsePagePositionsAfterBlockquoteTab(t *testing.T) {
	p, _ := content.ParsePage(file, i18n.EN, []byte(withFM("## S {#s}\n\n>\t'''check\n>\tid: a\n>\tkind: vpc\n>\t'''\n")))
	if len(p.Steps) != 1 || len(p.Steps[0].Checks) != 1 {
		t.Fatalf("want one step with one check, got %+v", p.Steps)
	}
	if got := p.Steps[0].Checks[0].Pos; got != at(15, 3) {
		t.Errorf("fence after >\\t at %v, want %v (its first backtick)", got, at(15, 3))
	}
}

func TestParsePageBOMWithoutFrontMatterKeepsHeading(t *testing.T) {
	p, ds := content.ParsePage(file, i18n.EN, []byte("\ufeff## S {#s}\n"))
	checkDiags(t, ds, []want{w("ContentFrontMatterMissing", at(1, 1))})
	if len(p.Steps) != 1 || p.Steps[0].ID != "s" {
		t.Fatalf("the heading after a BOM was lost: %+v", p.Steps)
	}
}

func TestParsePageCRLFCodeMatchesLF(t *testing.T) {
	body := "## S {#s}\n\n'''bash {solution}\necho hi\n'''\n\n'''check\nid: a\nkind: vpc\n'''\n"
	lf, _ := content.ParsePage(file, i18n.EN, []byte(withFM(body)))
	crlf, _ := content.ParsePage(file, i18n.EN, []byte(strings.ReplaceAll(withFM(body), "\n", "\r\n")))
	if lf.Steps[0].Solution[0].Code != crlf.Steps[0].Solution[0].Code {
		t.Errorf("CRLF solution %q differs from LF %q", crlf.Steps[0].Solution[0].Code, lf.Steps[0].Solution[0].Code)
	}
	if lf.Steps[0].Checks[0].Raw != crlf.Steps[0].Checks[0].Raw {
		t.Errorf("CRLF check %q differs from LF %q", crlf.Steps[0].Checks[0].Raw, lf.Steps[0].Checks[0].Raw)
	}
}

// Diagnostics and roles must not depend on map order.
func TestParsePageDeterministic(t *testing.T) {
	src := []byte(withFM("## S {#s b=1 a=2}\n\n'''bash {solution cleanup zz yy}\necho\n'''\n"))
	_, first := content.ParsePage(file, i18n.EN, src)
	for range 50 {
		_, ds := content.ParsePage(file, i18n.EN, src)
		if ds.Error() != first.Error() {
			t.Fatalf("diagnostics changed between runs:\n%s\n---\n%s", first, ds)
		}
	}
}
