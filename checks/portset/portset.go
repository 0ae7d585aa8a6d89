// Package portset is a set of port ranges, for reading rules in order (a
// network ACL's): what an earlier rule decided is taken out of the set.
// The egress and inbound analyzers both use it.
package portset

// Range is the ports Lo..Hi, both included.
type Range struct{ Lo, Hi int }

// Set is a list of disjoint ranges.
type Set []Range

// Of is the set lo..hi.
func Of(lo, hi int) Set { return Set{{lo, hi}} }

// Overlaps reports whether some port of lo..hi is in s.
func (s Set) Overlaps(lo, hi int) bool {
	for _, r := range s {
		if r.Lo <= hi && lo <= r.Hi {
			return true
		}
	}
	return false
}

// Minus is s without lo..hi.
func (s Set) Minus(lo, hi int) Set {
	var out Set
	for _, r := range s {
		if r.Hi < lo || hi < r.Lo {
			out = append(out, r)
			continue
		}
		if r.Lo < lo {
			out = append(out, Range{r.Lo, lo - 1})
		}
		if hi < r.Hi {
			out = append(out, Range{hi + 1, r.Hi})
		}
	}
	return out
}
