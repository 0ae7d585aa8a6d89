package checks_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/content"
)

// What a block reads for its parameters must stay within what its kind
// declares (vpclab policy grants only that), for every block of the
// built-in labs and for each destination a path or group check can name.
// Whether the narrower read judges the same is proven against the
// sandbox in internal/checkrun (TestMinimalLoadJudgesAlike).
func TestReadsWithinResources(t *testing.T) {
	labs, diags, err := content.Load(os.DirFS("../content"), "labs")
	if err != nil || diags.Err() != nil {
		t.Fatalf("content: %v %v", err, diags)
	}
	var blocks []*content.CheckBlock
	for _, l := range labs {
		blocks = append(blocks, l.Checks()...)
	}
	for i, src := range []string{
		"kind: egress-path\nfrom: a\nto: internet", "kind: egress-path\nfrom: a\nto: ipv6-internet",
		"kind: egress-path\nfrom: a\ngroup: g\nto: s3", "kind: egress-path\ncluster: c\nservice: s\nto: ecr",
		"kind: egress-path\nfrom: a\nto: logs", "kind: security-group-egress\ngroup: g\nto: s3",
		"kind: security-group-egress\ngroup: g\nto: vpc", "kind: security-group-egress\ngroup: g",
	} {
		blocks = append(blocks, parseBlocks(t, fmt.Sprintf("id: x%d\n%s", i, src))...)
	}
	narrowed := 0
	for _, b := range blocks {
		k, ok := checks.Lookup(b.Kind)
		if !ok {
			t.Fatalf("%s: unknown kind %s", b.Pos, b.Kind)
		}
		reads := k.ReadsOf(checks.NewParams(b.Params))
		for _, r := range reads {
			if !slices.Contains(k.Resources, r) {
				t.Errorf("%s (%s): reads %s, which the kind does not declare", b.Pos, b.Kind, r)
			}
		}
		if len(reads) < len(k.Resources) {
			narrowed++
		}
	}
	if narrowed == 0 {
		t.Error("no block reads less than its kind declares: the per-parameter needs are not applied")
	}
}
