package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoStartUpRegistries: every command pays for the package set-up of
// everything the binary links. These packages build large registries
// when they start (chroma's 279 lexers: 8 ms of CPU and 2.7 MB, on every
// vpclab check and class run) for work vpclab does another way.
func TestNoStartUpRegistries(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/vpclab/vpclab/cmd/vpclab").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list gave %d packages; expected vpclab's whole dependency list", len(deps))
	}
	for _, pkg := range []string{
		"github.com/alecthomas/chroma/v2/lexers",
		"github.com/alecthomas/chroma/v2/styles",
	} {
		for _, d := range deps {
			if d == pkg {
				t.Errorf("vpclab links %s, whose set-up every command would pay for", pkg)
			}
		}
	}
}
