// Package checks defines the check kinds that lab check blocks name: their
// parameter schemas (for vpclab lint), the AWS read operations each needs
// (for vpclab policy) and, with the engine, how each judges an account.
package checks

import (
	"sort"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Kind is one kind of check.
type Kind struct {
	Name   string
	Params []content.Field
	// Reads are the IAM actions the kind needs, e.g. "ec2:DescribeVpcs";
	// vpclab policy derives the least-privilege policy from them.
	Reads []string
}

var registry = map[string]*Kind{}

// register adds a kind at init time; a duplicate name is a programming
// error caught by every test run.
func register(k *Kind) *Kind {
	if _, dup := registry[k.Name]; dup {
		panic("checks: kind registered twice: " + k.Name)
	}
	registry[k.Name] = k
	return k
}

// Lookup returns the kind called name.
func Lookup(name string) (*Kind, bool) {
	k, ok := registry[name]
	return k, ok
}

// Kinds lists every kind, sorted by name.
func Kinds() []*Kind {
	out := make([]*Kind, 0, len(registry))
	for _, k := range registry {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names lists the kinds' names, sorted.
func Names() []string {
	var out []string
	for _, k := range Kinds() {
		out = append(out, k.Name)
	}
	return out
}

// Validate checks a check block's parameters against the kind's schema.
func (k *Kind) Validate(params *content.Mapping) content.Diags {
	return content.Validate(params, k.Params, i18n.Msg{ID: "WhereCheckKind", Data: i18n.M{"Kind": k.Name}})
}
