package lint

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/mutate"
)

// mutationRules reads each step's ```mutations blocks with the very parser
// vpclab test --mutate uses (mutate.Declarations), so a declaration that
// would stop the mutation run (bad YAML, an unknown kind, a mutant without
// a reason) is found by lint, at its place. mutate imports neither lint nor
// cli, so there is no cycle.
func mutationRules(p *content.Page) content.Diags {
	var ds content.Diags
	for _, step := range p.Steps {
		if len(step.Mutations) == 0 {
			continue
		}
		_, err := mutate.Declarations(step)
		if err == nil {
			continue
		}
		ds = append(ds, mutationDiag(step, err.Error()))
	}
	return ds
}

// yamlAt is the "[line:col] " a YAML error starts with, in the block.
var yamlAt = regexp.MustCompile(`^\[(\d+):(\d+)\] `)

// mutationDiag turns Declarations' "file:line:col: mutations block: why"
// into a finding at that position (one of the step's block lines; the
// first block's fence when the text names none). A YAML error's own
// [line:col] in the block becomes the file's line and column; only its
// first line is kept (the rest is a source excerpt the position replaces).
func mutationDiag(step *content.Step, msg string) content.Diag {
	pos := step.Mutations[0].Pos
	if at, why, ok := strings.Cut(msg, ": mutations block: "); ok {
		for _, b := range step.Mutations {
			for _, cand := range append([]content.Pos{b.Pos}, b.Lines...) {
				if cand.String() != at {
					continue
				}
				pos, msg = cand, why
				if m := yamlAt.FindStringSubmatch(why); m != nil {
					line, _ := strconv.Atoi(m[1])
					col, _ := strconv.Atoi(m[2])
					if line >= 1 && line <= len(b.Lines) {
						pos = b.Lines[line-1]
						pos.Col += max(col-1, 0)
						msg = why[len(m[0]):]
					}
				}
			}
		}
	}
	msg, _, _ = strings.Cut(msg, "\n")
	return diag(pos, "LintMutationsBlock", i18n.M{"Detail": strings.TrimSpace(msg)})
}
