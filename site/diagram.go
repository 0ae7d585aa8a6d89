package site

import (
	"regexp"
	"strings"
)

// A Mermaid flowchart as text, for readers who cannot see the drawing (a
// screen reader, a search engine, a reader whose browser runs no script):
// each group with what it holds, then each connection. Only the flowchart
// syntax the labs use is read; anything else is left out, never guessed.

var (
	// id["label"], id(("label")), id(["label"]), id[("label")], id{"label"} …
	mmNode = regexp.MustCompile(`([A-Za-z][A-Za-z0-9_]*)\s*(?:\(\(|\(\[|\[\(|\[|\(|\{)\s*(?:"([^"]*)"|([^"\]\)\}]*))\s*(?:\)\)|\]\)|\)\]|\]|\)|\})`)
	// A label written inside the arrow: a -- "text" --> b, a -. "text" .-> b.
	mmInline = regexp.MustCompile(`(--|-\.|==)\s*"([^"]*)"\s*([-.=]+>?)`)
	mmArrow  = regexp.MustCompile(`\s*(<?[-.=]{2,}>?)(?:\|([^|]*)\|)?\s*`)
	mmID     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	mmBreak  = regexp.MustCompile(`(?i)<br\s*/?>`)
)

type diagramText struct {
	Groups []string // "VPC …: Subnet …, Internet gateway …"
	Edges  []string // "Task → NAT gateway (0.0.0.0/0)"
}

func describeMermaid(src string) diagramText {
	labels := map[string]string{}
	var order []string // subgraph ids in order
	members := map[string][]string{}
	var stack []string
	var edges [][3]string // from, arrow, to (+ label in arrow)
	var edgeLabels []string
	placed := map[string]bool{}
	addMember := func(id string) {
		if len(stack) > 0 && !placed[id] {
			placed[id] = true
			members[stack[len(stack)-1]] = append(members[stack[len(stack)-1]], id)
		}
	}
	lines := strings.Split(src, "\n")
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if i == 0 || line == "" || strings.HasPrefix(line, "%%") || strings.HasPrefix(line, "classDef") ||
			strings.HasPrefix(line, "class ") || strings.HasPrefix(line, "style ") || strings.HasPrefix(line, "linkStyle") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "subgraph "); ok {
			id := strings.TrimSpace(rest)
			if m := mmNode.FindStringSubmatch(rest); m != nil {
				id = m[1]
				labels[id] = clean(m[2] + m[3])
			}
			addMember(id)
			stack = append(stack, id)
			order = append(order, id)
			continue
		}
		if line == "end" {
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		// Definitions become bare ids; the first definition of a node
		// inside a group makes it a member.
		line = replaceNodes(line, func(id, label string) {
			if _, seen := labels[id]; !seen {
				addMember(id)
			}
			labels[id] = label
		})
		line = mmInline.ReplaceAllString(line, "$3|$2|")
		parts := mmArrow.FindAllStringSubmatchIndex(line, -1)
		if len(parts) == 0 {
			if mmID.MatchString(line) {
				addMember(line)
			}
			continue
		}
		prev := strings.TrimSpace(line[:parts[0][0]])
		for j, p := range parts {
			end := len(line)
			if j+1 < len(parts) {
				end = parts[j+1][0]
			}
			next := strings.TrimSpace(line[p[1]:end])
			arrow := line[p[2]:p[3]]
			label := ""
			if p[4] >= 0 {
				label = clean(line[p[4]:p[5]])
			}
			if mmID.MatchString(prev) && mmID.MatchString(next) {
				edges = append(edges, [3]string{prev, arrow, next})
				edgeLabels = append(edgeLabels, label)
			}
			prev = next
		}
	}
	name := func(id string) string {
		if l := labels[id]; l != "" {
			return l
		}
		return id
	}
	var out diagramText
	for _, g := range order {
		var ms []string
		for _, m := range members[g] {
			ms = append(ms, name(m))
		}
		if len(ms) > 0 {
			out.Groups = append(out.Groups, name(g)+": "+strings.Join(ms, "; "))
		}
	}
	for i, e := range edges {
		sym := "—"
		switch {
		case strings.HasPrefix(e[1], "<") && strings.HasSuffix(e[1], ">"):
			sym = "↔"
		case strings.HasSuffix(e[1], ">"):
			sym = "→"
		}
		s := name(e[0]) + " " + sym + " " + name(e[2])
		if edgeLabels[i] != "" {
			s += " (" + edgeLabels[i] + ")"
		}
		out.Edges = append(out.Edges, s)
	}
	return out
}

// replaceNodes replaces each node definition in line by the node's id,
// calling def with the id and its label, in order. It is
// mmNode.ReplaceAllStringFunc, which would match every definition twice.
func replaceNodes(line string, def func(id, label string)) string {
	defs := mmNode.FindAllStringSubmatchIndex(line, -1)
	if defs == nil {
		return line
	}
	sub := func(m []int, i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return line[m[2*i]:m[2*i+1]]
	}
	var b strings.Builder
	last := 0
	for _, m := range defs {
		id := sub(m, 1)
		def(id, clean(sub(m, 2)+sub(m, 3)))
		b.WriteString(line[last:m[0]])
		b.WriteString(id)
		last = m[1]
	}
	b.WriteString(line[last:])
	return b.String()
}

func clean(s string) string {
	s = mmBreak.ReplaceAllString(s, ", ")
	return strings.Join(strings.Fields(strings.Trim(s, `"`)), " ")
}
