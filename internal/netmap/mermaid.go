package netmap

import (
	"fmt"
	"regexp"
	"strings"
)

// Classes the Mermaid source sets on nodes; the browser test and the page's
// CSS look for them in the drawn SVG (Mermaid puts a node's classes on its
// <g class="node …">).
const (
	ClassBroken = "vpcBroken" // a node where a path stops
	ClassPath   = "vpcPath"   // a node a path crosses
)

// Colours meet 3:1 on the light and the dark theme: #2f81f7 and #e5534b
// on white and on Mermaid's dark grey.
var classDefs = []string{
	"classDef " + ClassPath + " stroke:#2f81f7,stroke-width:3px",
	"classDef " + ClassBroken + " fill:#ffe9e7,stroke:#b3261e,stroke-width:4px,color:#5c0b06",
	"classDef vpcGhost fill:#f4f4f4,stroke:#6b6b6b,stroke-dasharray:5 4,color:#333",
	"classDef vpcOut fill:#eef6ee,stroke:#2f6f3a,color:#123d1a",
}

const (
	pathLink   = "stroke:#2f81f7,stroke-width:4px"
	brokenLink = "stroke:#e5534b,stroke-width:4px,stroke-dasharray:7 5"
)

// Mermaid is the diagram as a Mermaid flowchart, top to bottom so that it
// fits a narrow column: subnets above their route tables, above the
// gateways, above the internet.
func (d *Diagram) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart TB\n")
	if d.Empty {
		fmt.Fprintf(&b, "  empty[\"%s\"]\n", esc(d.t("NetmapNoVPC", map[string]any{"Region": d.Region})))
		return b.String()
	}
	children := map[string][]Group{}
	for _, g := range d.Groups {
		children[g.Parent] = append(children[g.Parent], g)
	}
	members := map[string][]*Node{}
	for _, n := range d.Nodes {
		members[n.Group] = append(members[n.Group], n)
	}
	var group func(g Group, indent string)
	group = func(g Group, indent string) {
		fmt.Fprintf(&b, "%ssubgraph %s[\"%s\"]\n", indent, mid("g", g.ID), esc(g.Label))
		for _, c := range children[g.ID] {
			group(c, indent+"  ")
		}
		for _, n := range members[g.ID] {
			b.WriteString(indent + "  " + d.nodeLine(n) + "\n")
		}
		b.WriteString(indent + "end\n")
	}
	for _, g := range children[""] {
		group(g, "  ")
	}
	for _, n := range members[""] {
		b.WriteString("  " + d.nodeLine(n) + "\n")
	}
	var pathLinks, brokenLinks []string
	for i, e := range d.Edges {
		arrow := "-->"
		if e.Mark == Plain && e.Label == "" && strings.HasPrefix(e.To, "subnet-") {
			arrow = "-.->" // placement: a NAT gateway or a task in its subnet
		}
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", mid("n", e.From), arrow, esc(e.Label), mid("n", e.To))
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", mid("n", e.From), arrow, mid("n", e.To))
		}
		switch e.Mark {
		case OnPath:
			pathLinks = append(pathLinks, fmt.Sprint(i))
		case Broken:
			brokenLinks = append(brokenLinks, fmt.Sprint(i))
		}
	}
	for _, c := range classDefs {
		b.WriteString("  " + c + "\n")
	}
	byClass := map[string][]string{}
	for _, n := range d.Nodes {
		switch {
		case n.Mark == Broken:
			byClass[ClassBroken] = append(byClass[ClassBroken], mid("n", n.ID))
		case n.Mark == OnPath:
			byClass[ClassPath] = append(byClass[ClassPath], mid("n", n.ID))
		case n.Kind == "missing" || n.Kind == "note":
			byClass["vpcGhost"] = append(byClass["vpcGhost"], mid("n", n.ID))
		case n.Kind == "internet" || n.Kind == "service":
			byClass["vpcOut"] = append(byClass["vpcOut"], mid("n", n.ID))
		}
	}
	for _, c := range []string{ClassPath, ClassBroken, "vpcGhost", "vpcOut"} {
		if ids := byClass[c]; len(ids) > 0 {
			fmt.Fprintf(&b, "  class %s %s\n", strings.Join(ids, ","), c)
		}
	}
	if len(pathLinks) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s %s\n", strings.Join(pathLinks, ","), pathLink)
	}
	if len(brokenLinks) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s %s\n", strings.Join(brokenLinks, ","), brokenLink)
	}
	return b.String()
}

// nodeLine is one node: its kind in bold, its name, its id, its facts,
// and the ✖ of each path stopping there; the shape says the kind.
func (d *Diagram) nodeLine(n *Node) string {
	var parts []string
	// One line per reason: "✖ 1, 2: the path stops here (REASON)".
	var reasons []string
	marks := map[string][]string{}
	for _, s := range n.Stops {
		r := d.Paths[pathIndex(d.Paths, s)].Reason
		if _, ok := marks[r]; !ok {
			reasons = append(reasons, r)
		}
		marks[r] = append(marks[r], fmt.Sprint(s))
	}
	for _, r := range reasons {
		parts = append(parts, "<b>"+esc(d.t("NetmapStopsHere", map[string]any{"N": strings.Join(marks[r], ", "), "Reason": r}))+"</b>")
	}
	switch n.Kind {
	case "internet", "service", "note":
		parts = append(parts, esc(n.Label()))
	default:
		parts = append(parts, "<b>"+esc(n.Title)+"</b>")
		id := n.ID
		if n.Shown != "" {
			id = n.Shown
		}
		if n.Name != "" && n.Name != id {
			parts = append(parts, esc(n.Name))
		}
		parts = append(parts, esc(id))
		for _, l := range n.Lines {
			parts = append(parts, esc(l))
		}
	}
	label := strings.Join(parts, "<br>")
	open, close := "[\"", "\"]"
	switch n.Kind {
	case "internet", "service":
		open, close = "((\"", "\"))"
	case "internet-gateway", "egress-only-internet-gateway", "nat-gateway":
		open, close = "([\"", "\"])"
	case "route-table":
		open, close = "[[\"", "\"]]"
	case "gateway-endpoint", "interface-endpoint":
		open, close = "[/\"", "\"/]"
	case "load-balancer":
		open, close = "{{\"", "\"}}"
	}
	return mid("n", n.ID) + open + label + close
}

func pathIndex(ps []Path, n int) int {
	for i, p := range ps {
		if p.N == n {
			return i
		}
	}
	return 0
}

var notID = regexp.MustCompile(`[^A-Za-z0-9_]`)

// mid is a Mermaid id for an AWS id or ARN: letters, digits and _ only,
// with a prefix so that no id is a Mermaid keyword ("end").
func mid(prefix, id string) string { return prefix + "_" + notID.ReplaceAllString(id, "_") }

// esc makes text safe inside a quoted Mermaid label: Name tags are the
// learner's, and may hold quotes, angle brackets or Mermaid's own syntax.
// Mermaid turns #code; entities back into the characters.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '#', '"', '<', '>', '&', '`', '|', '[', ']', '{', '}', '(', ')':
			fmt.Fprintf(&b, "#%d;", r)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
