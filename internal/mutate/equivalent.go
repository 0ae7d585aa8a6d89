package mutate

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/vpclab/vpclab/content"
)

// Equivalent is a lab's declaration that a mutant cannot be detected by
// design, in a ```mutations block of the step:
//
//	equivalent:
//	  - mutant: sg-open-ingress-443:vpclab-nat-task-sg
//	    reason: the task's group may accept 443; the lab does not forbid it
//
// mutant is kind:target as the report prints it; kind:* matches every
// target of that kind in the step.
type Equivalent struct {
	Mutant string
	Reason string
	Pos    content.Pos
}

func (e Equivalent) matches(m *Mutant) bool {
	kind, target, _ := strings.Cut(e.Mutant, ":")
	return kind == m.Kind && (target == "*" || target == m.Target)
}

// Declarations reads a step's ```mutations blocks. Errors name file:line:col.
func Declarations(step *content.Step) ([]Equivalent, error) {
	var out []Equivalent
	for _, b := range step.Mutations {
		var doc struct {
			Equivalent []struct {
				Mutant string `yaml:"mutant"`
				Reason string `yaml:"reason"`
			} `yaml:"equivalent"`
		}
		if err := yaml.UnmarshalWithOptions([]byte(b.Code), &doc, yaml.Strict()); err != nil {
			return nil, fmt.Errorf("%s: mutations block: %v", b.Pos, err)
		}
		for i, e := range doc.Equivalent {
			pos := b.Pos
			if i < len(b.Lines) {
				pos = b.Lines[min(len(b.Lines)-1, 1+2*i)]
			}
			kind, target, ok := strings.Cut(e.Mutant, ":")
			switch {
			case !ok || kind == "" || target == "":
				return nil, fmt.Errorf("%s: mutations block: mutant %q must be kind:target (e.g. route-delete-default:my-rt)", pos, e.Mutant)
			case !knownKind(kind):
				return nil, fmt.Errorf("%s: mutations block: unknown mutation kind %q", pos, kind)
			case strings.TrimSpace(e.Reason) == "":
				return nil, fmt.Errorf("%s: mutations block: mutant %s is declared equivalent without a reason", pos, e.Mutant)
			}
			out = append(out, Equivalent{Mutant: e.Mutant, Reason: strings.TrimSpace(e.Reason), Pos: pos})
		}
	}
	return out, nil
}

// KnownKind reports whether id names a mutation kind.
func KnownKind(id string) bool { return knownKind(id) }

func knownKind(id string) bool {
	for _, k := range Kinds {
		if k.ID == id {
			return true
		}
	}
	return false
}
