package binding

import (
	"sync"

	"github.com/vpclab/vpclab/content"
)

// A resource tagged with another lab's name is that lab's, however well
// it fits this one: the warm-up lab's VPC and subnets share their CIDRs
// with the NAT lab's, and binding took vpclab-nat-vpc for vpclab-first,
// then told the learner to retag it and to remove its route to the
// internet gateway, breaking the other lab. Structure never takes a
// resource named as another lab names one. The other labs are the
// built-in ones and, for a course of its own, Options.Others.

// NamesOf lists the Name tags the blocks give resources.
func NamesOf(blocks []*content.CheckBlock) map[string]bool {
	names := map[string]bool{}
	for _, ws := range collect(blocks).byKey {
		for name := range ws {
			names[name] = true
		}
	}
	return names
}

// builtinNames are the names the built-in labs use, read once, and only
// when binding falls back on structure.
var builtinNames = sync.OnceValue(func() map[string]bool {
	labs, _, err := content.Load(content.Embedded(), "labs")
	if err != nil {
		return nil
	}
	var blocks []*content.CheckBlock
	for _, l := range labs {
		blocks = append(blocks, l.Checks()...)
	}
	return NamesOf(blocks)
})

// foreign reports whether name is another lab's: a built-in lab's or one
// of Options.Others', and not this lab's own.
func (r *resolver) foreign(name string) bool {
	if name == "" {
		return false
	}
	for _, ws := range r.ws.byKey {
		if ws[name] != nil {
			return false
		}
	}
	return r.o.Others[name] || builtinNames()[name]
}
