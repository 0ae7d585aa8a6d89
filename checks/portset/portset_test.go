package portset

import (
	"slices"
	"testing"
)

func TestSet(t *testing.T) {
	all := Of(0, 65535)
	tests := []struct {
		name   string
		s      Set
		lo, hi int
		want   Set
	}{
		{"middle", all, 443, 443, Set{{0, 442}, {444, 65535}}},
		{"low end", all, 0, 1023, Set{{1024, 65535}}},
		{"high end", all, 1024, 65535, Set{{0, 1023}}},
		{"everything", all, 0, 65535, nil},
		{"outside", Of(80, 90), 100, 200, Set{{80, 90}}},
		{"across two", Set{{10, 20}, {30, 40}}, 15, 35, Set{{10, 14}, {36, 40}}},
	}
	for _, tt := range tests {
		if got := tt.s.Minus(tt.lo, tt.hi); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v minus %d-%d = %v, want %v", tt.name, tt.s, tt.lo, tt.hi, got, tt.want)
		}
	}
	s := Set{{10, 20}, {30, 40}}
	for _, c := range []struct {
		lo, hi int
		want   bool
	}{{21, 29, false}, {20, 21, true}, {0, 9, false}, {40, 50, true}, {25, 31, true}} {
		if got := s.Overlaps(c.lo, c.hi); got != c.want {
			t.Errorf("%v overlaps %d-%d = %v, want %v", s, c.lo, c.hi, got, c.want)
		}
	}
}
