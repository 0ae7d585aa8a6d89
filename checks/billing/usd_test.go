package billing

import "testing"

// Sums of prices are floating point; a report gives the price itself.
func TestUSD(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{0.045 + 0.005, 0.05}, {0.16234250000000003, 0.162343}, {0, 0}, {32.4, 32.4}} {
		if got := USD(c.in); got != c.want {
			t.Errorf("USD(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
