package content

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/vpclab/vpclab/i18n"
)

// Type is the type of a field in front matter or in a check block.
type Type int

const (
	String   Type = iota // a scalar, read as text
	Int                  // a whole number
	Number               // any number
	Bool                 // true or false
	Duration             // a Go duration such as 30s or 5m
	Strings              // a list of strings (a single string is accepted as a list of one)
	Object               // a mapping with its own Fields
	CIDR                 // an IP prefix as AWS writes it: 10.0.1.0/24 (no host bits)
	Port                 // a TCP or UDP port, 0 to 65535
	AZ                   // an Availability Zone name such as ap-northeast-1a
)

var typeNames = map[Type]string{
	String: "string", Int: "integer", Number: "number", Bool: "boolean",
	Duration: "duration", Strings: "list of strings", Object: "mapping",
	CIDR: "CIDR block", Port: "port (0-65535)", AZ: "Availability Zone",
}

func (t Type) String() string { return typeNames[t] }

var typeMsgs = map[Type]string{
	String: "YAMLTypeString", Int: "YAMLTypeInt", Number: "YAMLTypeNumber", Bool: "YAMLTypeBool",
	Duration: "YAMLTypeDuration", Strings: "YAMLTypeStrings", Object: "YAMLTypeObject",
	CIDR: "YAMLTypeCIDR", Port: "YAMLTypePort", AZ: "YAMLTypeAZ",
}

// msg names the type in the reader's language.
func (t Type) msg() i18n.Msg { return i18n.Msg{ID: typeMsgs[t]} }

// Field describes one key an author may write.
type Field struct {
	Name     string
	Type     Type
	Required bool
	Enum     []string // allowed values of a String field, if limited
	Fields   []Field  // keys of an Object field
	Doc      string   // one line for authors, English (shown in the author reference)
}

// Value is one YAML value with its position in the Markdown file.
type Value struct {
	Pos  Pos
	node ast.Node
	at   posFunc // maps nested tokens, so nested mappings keep exact positions
}

// Entry is one key of a mapping.
type Entry struct {
	Key    string
	KeyPos Pos
	Value  Value
}

// Mapping is a YAML mapping that keeps its key order and positions.
type Mapping struct {
	Pos     Pos
	Entries []Entry
}

// Get returns the value of key.
func (m *Mapping) Get(key string) (Value, bool) {
	if m == nil {
		return Value{}, false
	}
	for _, e := range m.Entries {
		if e.Key == key {
			return e.Value, true
		}
	}
	return Value{}, false
}

// KeyPos returns where key is written, or the mapping's position.
func (m *Mapping) KeyPos(key string) Pos {
	for _, e := range m.Entries {
		if e.Key == key {
			return e.KeyPos
		}
	}
	return m.Pos
}

// Str returns a scalar as text ("" for anything else).
func (v Value) Str() string {
	switch n := unwrap(v.node).(type) {
	case *ast.StringNode:
		return n.Value
	case *ast.LiteralNode:
		return n.Value.Value
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return n.GetToken().Value
	}
	return ""
}

// Int returns a whole number.
func (v Value) Int() (int, bool) {
	n, ok := unwrap(v.node).(*ast.IntegerNode)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n.GetToken().Value)
	return i, err == nil
}

// Float returns any number.
func (v Value) Float() (float64, bool) {
	switch n := unwrap(v.node).(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		f, err := strconv.ParseFloat(n.GetToken().Value, 64)
		return f, err == nil
	}
	return 0, false
}

// Bool returns a boolean.
func (v Value) Bool() (bool, bool) {
	n, ok := unwrap(v.node).(*ast.BoolNode)
	if !ok {
		return false, false
	}
	return n.Value, true
}

// Duration returns a Go duration written as a string such as 90s.
func (v Value) Duration() (time.Duration, bool) {
	s, ok := unwrap(v.node).(*ast.StringNode)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s.Value)
	return d, err == nil && d >= 0
}

// Strings returns a list of scalars; a lone scalar is a list of one.
func (v Value) Strings() ([]string, bool) {
	switch n := unwrap(v.node).(type) {
	case *ast.SequenceNode:
		out := make([]string, 0, len(n.Values))
		for _, item := range n.Values {
			s := (Value{node: item}).Str()
			if s == "" && !isScalar(item) {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case *ast.StringNode, *ast.IntegerNode:
		return []string{v.Str()}, true
	}
	return nil, false
}

// Mapping returns a nested mapping.
func (v Value) Mapping() (*Mapping, bool) {
	m, ok := unwrap(v.node).(*ast.MappingNode)
	if !ok {
		return nil, false
	}
	at := v.at
	if at == nil {
		at = func(*token.Token) Pos { return v.Pos }
	}
	mp := mappingOf(m, at)
	mp.Pos = v.Pos // where the author sees the mapping start
	return mp, true
}

// Any decodes the value into plain Go values (for JSON output and fix
// templates).
func (v Value) Any() any {
	var out any
	if v.node == nil {
		return nil
	}
	if err := yaml.NodeToValue(v.node, &out); err != nil {
		return v.Str()
	}
	return out
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		default:
			return n
		}
	}
}

func isScalar(n ast.Node) bool {
	switch unwrap(n).(type) {
	case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.LiteralNode:
		return true
	}
	return false
}

// yamlCache holds YAML text a lab's pages share, parsed once: a lab's
// check blocks are the same text in both languages (lint holds them to
// it), and their parse was a tenth of loading a lab. Only text that
// parsed is kept; each page maps the tokens to its own positions (its
// posFunc), and nothing writes to a parsed tree.
type yamlCache map[string]*ast.File

// posFunc maps a YAML token to its place in the Markdown file.
type posFunc func(tk *token.Token) Pos

// parseMapping parses src as one YAML mapping. An empty document gives an
// empty mapping; anything else that is not a mapping is a diagnostic at
// whole.
// shared, when not nil, holds text parsed before and gets src's parse.
func parseMapping(src []byte, at posFunc, whole Pos, shared yamlCache) (*Mapping, Diags) {
	f := shared[string(src)]
	if f == nil {
		toks, d := yamlLimits(src, at)
		if d != nil {
			return nil, Diags{*d} // before the parser: see limits.go
		}
		var err error
		if f, err = parser.Parse(toks, 0, parser.AllowDuplicateMapKey()); err != nil {
			return nil, Diags{yamlDiag(err, at, whole)}
		}
		if shared != nil {
			shared[string(src)] = f
		}
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return &Mapping{Pos: whole}, nil
	}
	if len(f.Docs) > 1 {
		// The "---" itself; a document may have no body to point at.
		tk := f.Docs[1].Start
		if tk == nil && f.Docs[1].Body != nil {
			tk = f.Docs[1].Body.GetToken()
		}
		return nil, Diags{diag(at(tk), "ContentYAMLManyDocuments", nil)}
	}
	body := unwrap(f.Docs[0].Body)
	if _, isComment := body.(*ast.CommentGroupNode); isComment {
		return &Mapping{Pos: whole}, nil
	}
	m, ok := body.(*ast.MappingNode)
	if !ok {
		if mv, ok := body.(*ast.MappingValueNode); ok { // a single key
			m = ast.Mapping(mv.GetToken(), false, mv)
		} else {
			return nil, Diags{diag(at(body.GetToken()), "ContentYAMLNotMapping", nil)}
		}
	}
	mp := mappingOf(m, at)
	mp.Pos = whole
	return mp, duplicateKeys(mp)
}

func mappingOf(m *ast.MappingNode, at posFunc) *Mapping {
	out := &Mapping{Pos: at(m.GetToken())}
	for _, mv := range m.Values {
		key := ""
		if mv.Key != nil {
			key = mv.Key.GetToken().Value
		}
		out.Entries = append(out.Entries, Entry{
			Key:    key,
			KeyPos: at(mv.Key.GetToken()),
			Value:  Value{Pos: valuePos(mv, at), node: mv.Value, at: at},
		})
	}
	return out
}

// valuePos is where a value starts; nested mappings and lists start at
// their first token, which goccy reports on the following line.
func valuePos(mv *ast.MappingValueNode, at posFunc) Pos {
	if mv.Value == nil {
		return at(mv.Key.GetToken())
	}
	if _, isNull := mv.Value.(*ast.NullNode); isNull {
		return at(mv.Key.GetToken())
	}
	// A block mapping's own token is its first colon; its first key is
	// where an author sees it start.
	if m, ok := unwrap(mv.Value).(*ast.MappingNode); ok && !m.IsFlowStyle && len(m.Values) > 0 && m.Values[0].Key != nil {
		return at(m.Values[0].Key.GetToken())
	}
	return at(mv.Value.GetToken())
}

func duplicateKeys(m *Mapping) Diags {
	var ds Diags
	seen := map[string]Pos{}
	for _, e := range m.Entries {
		if first, ok := seen[e.Key]; ok {
			ds = append(ds, diag(e.KeyPos, "ContentYAMLDuplicateKey", i18n.M{"Key": e.Key, "First": first.Line}))
			continue
		}
		seen[e.Key] = e.KeyPos
	}
	return ds
}

// yamlDiag turns a YAML library error into a diagnostic at the token it
// names. The library's own words are English; they follow our localized
// lead-in.
func yamlDiag(err error, at posFunc, whole Pos) Diag {
	var ye yaml.Error
	p := whole
	detail := err.Error()
	if errors.As(err, &ye) {
		detail = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			p = at(tk)
		}
	}
	detail = strings.TrimSpace(strings.TrimPrefix(detail, "yaml:"))
	if strings.Contains(detail, "\t") {
		// The commonest YAML mistake, and the library prints the tab
		// itself: say what it is and what to do.
		return diag(p, "ContentYAMLTab", nil)
	}
	return diag(p, "ContentYAMLSyntax", i18n.M{"Detail": detail})
}

// Validate checks m against fields: unknown keys, missing required keys,
// wrong types and values outside an enum, each at its exact position.
// where names the block in messages; prefix is put before nested keys.
func Validate(m *Mapping, fields []Field, where i18n.Msg) Diags {
	return validate(m, fields, where, "")
}

func validate(m *Mapping, fields []Field, where i18n.Msg, prefix string) Diags {
	var ds Diags
	known := map[string]Field{}
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		known[f.Name] = f
		names = append(names, f.Name)
	}
	for _, e := range m.Entries {
		f, ok := known[e.Key]
		if !ok {
			ds = append(ds, diag(e.KeyPos, "ContentFieldUnknown", i18n.M{
				"Field": prefix + e.Key, "Where": where, "Allowed": strings.Join(names, ", "), "Suggest": Suggest(e.Key, names)}))
			continue
		}
		ds = append(ds, checkType(prefix+e.Key, e.Value, f, where)...)
	}
	for _, f := range fields {
		if _, ok := m.Get(f.Name); f.Required && !ok {
			ds = append(ds, diag(m.Pos, "ContentFieldMissing", i18n.M{"Field": prefix + f.Name, "Where": where}))
		}
	}
	return ds
}

func checkType(name string, v Value, f Field, where i18n.Msg) Diags {
	bad := func() Diags {
		return Diags{diag(v.Pos, "ContentFieldType", i18n.M{"Field": name, "Want": f.Type.msg(), "Got": describe(v.node)})}
	}
	ok := true
	switch f.Type {
	case String:
		ok = isScalar(v.node)
		if ok && f.Required && strings.TrimSpace(v.Str()) == "" {
			// title: "" would make a blank lab card and an empty <h1>.
			return Diags{diag(v.Pos, "ContentFieldEmpty", i18n.M{"Field": name})}
		}
	case Int:
		_, ok = v.Int()
	case Number:
		_, ok = v.Float()
	case Bool:
		_, ok = v.Bool()
	case Duration:
		_, ok = v.Duration()
	case Strings:
		_, ok = v.Strings()
	case CIDR:
		// AWS stores a block masked: 10.0.1.5/24 would never match.
		pfx, err := netip.ParsePrefix(v.Str())
		ok = isScalar(v.node) && err == nil && pfx == pfx.Masked()
	case Port:
		n, isInt := v.Int()
		ok = isInt && n >= 0 && n <= 65535
	case AZ:
		ok = isScalar(v.node) && azName.MatchString(v.Str())
	case Object:
		m, isMap := v.Mapping()
		if !isMap {
			return bad()
		}
		return append(duplicateKeys(m), validate(m, f.Fields, where, name+".")...)
	}
	if !ok {
		return bad()
	}
	if len(f.Enum) > 0 && !contains(f.Enum, v.Str()) {
		return Diags{diag(v.Pos, "ContentFieldEnum", i18n.M{"Field": name, "Value": v.Str(), "Allowed": strings.Join(f.Enum, ", ")})}
	}
	return nil
}

// azName is an Availability Zone's name: a Region's name and a letter,
// or a Local Zone's (us-west-2-lax-1a).
var azName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+(-[a-z]+-[0-9]+)?[a-z]$`)

// describe names what an author wrote: the value itself, or its shape.
func describe(n ast.Node) any {
	switch t := unwrap(n).(type) {
	case nil, *ast.NullNode:
		return i18n.Msg{ID: "YAMLGotNothing"}
	case *ast.StringNode:
		return fmt.Sprintf("%q", t.Value)
	case *ast.MappingNode, *ast.MappingValueNode:
		return i18n.Msg{ID: "YAMLGotMapping"}
	case *ast.SequenceNode:
		return i18n.Msg{ID: "YAMLGotList"}
	default:
		return t.GetToken().Value
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Suggest returns the closest allowed name to a misspelt one, or "": the
// "did you mean" of check-block keys and of command-line flags alike.
func Suggest(got string, names []string) string {
	best, bestD := "", 3 // more than two edits is not a typo
	for _, n := range names {
		if d := editDistance(got, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
