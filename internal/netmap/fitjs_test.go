package netmap_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/internal/netmap"
)

// TestFitJSInServedPage: the served page's script (site/assets/yourvpc.js)
// carries the same fit function as the offline file, so a diagram fits and
// scrolls alike in both.
func TestFitJSInServedPage(t *testing.T) {
	b, err := os.ReadFile("../../site/assets/yourvpc.js")
	if err != nil {
		t.Fatal(err)
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if !strings.Contains(squash(string(b)), squash(netmap.FitJS)) {
		t.Fatal("site/assets/yourvpc.js no longer holds netmap.FitJS's fit function; change both")
	}
}
