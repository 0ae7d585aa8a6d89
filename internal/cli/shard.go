package cli

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/vpclab/vpclab/content"
)

// shard is one part of vpclab test's work in a CI matrix: --shard K/N
// runs part K (1-based) of N. Every shard computes the same split from the
// same content, so N jobs together run every lab exactly once.
type shard struct{ K, N int }

// whole is the shard of an unsharded run.
var whole = shard{1, 1}

func parseShard(s string) (shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(strings.TrimSpace(k))
	ni, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni || ni > 256 {
		return shard{}, fmt.Errorf("bad shard %q", s)
	}
	return shard{ki, ni}, nil
}

// labs is the shard's share of labs: sorted by id and dealt round-robin,
// so the split is balanced (shard sizes differ by at most one) and does
// not depend on the order the labs were named or found in.
func (s shard) labs(labs []*content.Lab) []*content.Lab {
	if s.N <= 1 {
		return labs
	}
	sorted := slices.Clone(labs)
	slices.SortFunc(sorted, func(a, b *content.Lab) int { return strings.Compare(a.ID, b.ID) })
	var out []*content.Lab
	for i, l := range sorted {
		if i%s.N == s.K-1 {
			out = append(out, l)
		}
	}
	return out
}

// mutant says whether the mutant lab/step/id is this shard's. Mutants are
// only known while a lab is built, so the split is a hash of their name:
// stable across runs and machines, and independent of the other mutants.
func (s shard) mutant(lab, step, id string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%s\x00%s\x00%s", lab, step, id)
	return int(h.Sum32()%uint32(s.N)) == s.K-1
}

func (s shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }
