package doctest

import (
	"context"
	"fmt"
	"io/fs"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// TestInterruptedRunIsNoDeviation: Ctrl-C while a step runs leaves that
// step interrupted, not failed with "context canceled", and the lab
// marked interrupted; no later step runs. (The hook before a step's blocks
// cancels and fails as a check's read cut short does, so it is the same
// every time.)
func TestInterruptedRunIsNoDeviation(t *testing.T) {
	src, err := fs.ReadFile(content.Embedded(), "labs/first-vpc/index.en.md")
	if err != nil {
		t.Fatal(err)
	}
	p, ds := content.ParsePage("labs/first-vpc/index.en.md", i18n.EN, src)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	lab := &content.Lab{ID: "first-vpc", Dir: "labs/first-vpc", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
	var withBlocks []string
	for _, s := range p.Steps {
		if len(s.Solution) > 0 {
			withBlocks = append(withBlocks, s.ID)
		}
	}
	if len(withBlocks) < 2 {
		t.Fatalf("first-vpc has %d steps with commands; the test needs two", len(withBlocks))
	}
	stopAt := withBlocks[1]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := sandboxOptions(t)
	o.BeforeBlocks = func(_ context.Context, s *content.Step) error {
		if s.ID == stopAt {
			cancel() // Ctrl-C
			return fmt.Errorf("operation error EC2: DescribeVpcs: %w", context.Canceled)
		}
		return nil
	}
	res := RunLab(ctx, lab, o)
	if !res.Interrupted || res.OK() {
		t.Errorf("lab: interrupted %v, ok %v; want interrupted and not ok", res.Interrupted, res.OK())
	}
	last := res.Steps[len(res.Steps)-1]
	if last.Step != stopAt || !last.Interrupted() {
		t.Errorf("last step %s (%s, %+v); want %s, interrupted", last.Step, last.Status, last.Problems, stopAt)
	}
	for _, s := range res.Steps[:len(res.Steps)-1] {
		if s.Status == Failed {
			t.Errorf("step %s before the interruption failed: %+v", s.Step, s.Problems)
		}
	}
}
