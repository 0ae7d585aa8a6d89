package roster

import (
	"errors"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	yamlparser "github.com/goccy/go-yaml/parser"

	"github.com/vpclab/vpclab/i18n"
)

// A YAML roster is either a list of learners or a mapping with the list
// under "learners" and defaults for every learner:
//
//	region: ap-northeast-1          # optional default
//	external_id: vpclab-spring-2026 # optional default, for role_arn learners
//	learners:
//	  - name: Aiko Tanaka
//	    role_arn: arn:aws:iam::111111111111:role/vpclab-class
//	  - name: Ben Carter
//	    profile: ben-lab
//	    region: us-east-1
func (p *parser) yaml(data []byte) []Learner {
	f, err := yamlparser.ParseBytes(data, 0, yamlparser.AllowDuplicateMapKey())
	if err != nil {
		line, detail := 0, err.Error()
		var ye yaml.Error
		if errors.As(err, &ye) {
			detail = ye.GetMessage()
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				line = tk.Position.Line
			}
		}
		p.fail(line, "RosterYAMLSyntax", i18n.M{"Detail": strings.TrimSpace(strings.TrimPrefix(detail, "yaml:"))})
		return nil
	}
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		p.fail(0, "RosterEmpty", nil)
		return nil
	}
	var defaults Learner
	body := unwrap(f.Docs[0].Body)
	var list *ast.SequenceNode
	switch n := body.(type) {
	case *ast.SequenceNode:
		list = n
	case *ast.MappingNode, *ast.MappingValueNode:
		for _, mv := range entries(n) {
			key, line := keyOf(mv)
			switch key {
			case "learners":
				seq, ok := unwrap(mv.Value).(*ast.SequenceNode)
				if !ok {
					p.fail(line, "RosterYAMLNotList", nil)
					return nil
				}
				list = seq
			case "region":
				defaults.Region = p.scalar(mv, line)
			case "external_id":
				defaults.ExternalID = p.scalar(mv, line)
			default:
				if looksSecret(key) {
					p.fail(line, "RosterSecretField", i18n.M{"Field": key})
				} else {
					p.fail(line, "RosterUnknownTopKey", i18n.M{"Key": key})
				}
			}
		}
		if list == nil && len(p.errs) == 0 {
			p.fail(lineOf(body), "RosterYAMLNoLearners", nil)
		}
	default:
		p.fail(lineOf(body), "RosterYAMLNotList", nil)
	}
	if list == nil || len(p.errs) > 0 {
		return nil
	}
	var out []Learner
	for _, item := range list.Values {
		item = unwrap(item)
		line := lineOf(item)
		if _, ok := item.(*ast.MappingNode); !ok {
			if _, ok := item.(*ast.MappingValueNode); !ok {
				p.fail(line, "RosterYAMLNotMapping", nil)
				continue
			}
		}
		l := Learner{Line: line}
		seen := map[string]int{}
		errsBefore := len(p.errs)
		if p.fieldLines == nil {
			p.fieldLines = map[int]map[string]int{}
		}
		p.fieldLines[len(out)] = seen
		for i, mv := range entries(item) {
			key, kline := keyOf(mv)
			if i == 0 {
				l.Line = kline // the "- name:" line, where an instructor looks
			}
			if first, dup := seen[key]; dup {
				p.fail(kline, "RosterDuplicateKey", i18n.M{"Key": key, "First": first})
				continue
			}
			if !p.field(key, kline) {
				continue
			}
			seen[key] = kline
			v := p.scalar(mv, kline)
			switch key {
			case "name":
				l.Name = v
			case "role_arn":
				l.RoleARN = v
			case "external_id":
				l.ExternalID = v
			case "profile":
				l.Profile = v
			case "region":
				l.Region = v
			}
		}
		if len(p.errs) > errsBefore {
			if p.broken == nil {
				p.broken = map[int]bool{}
			}
			p.broken[len(out)] = true
		}
		if l.Region == "" {
			l.Region = defaults.Region
		}
		if l.ExternalID == "" && l.RoleARN != "" {
			l.ExternalID = defaults.ExternalID
		}
		out = append(out, l)
	}
	return out
}

// scalar is a mapping value as text; anything but a scalar is an error.
func (p *parser) scalar(mv *ast.MappingValueNode, line int) string {
	v := unwrap(mv.Value)
	var s string
	switch n := v.(type) {
	case nil, *ast.NullNode:
		return ""
	case *ast.StringNode:
		s = n.Value
	case *ast.LiteralNode:
		s = n.Value.Value
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		// Written as the author typed it: an account id keeps its leading
		// zeros, a region such as "no" stays "no".
		s = n.GetToken().Value
	default:
		p.fail(line, "RosterYAMLNotScalar", i18n.M{"Key": keyName(mv)})
		return ""
	}
	s = strings.TrimSpace(s)
	p.value(s, line)
	return s
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		case *ast.DocumentNode:
			n = t.Body
		default:
			return n
		}
	}
}

func entries(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

func keyName(mv *ast.MappingValueNode) string {
	if mv.Key == nil {
		return ""
	}
	return mv.Key.GetToken().Value
}

func keyOf(mv *ast.MappingValueNode) (string, int) {
	if mv.Key == nil {
		return "", lineOf(mv)
	}
	return mv.Key.GetToken().Value, lineOf(mv.Key)
}

func lineOf(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}
