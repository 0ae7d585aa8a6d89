package cli

import (
	"flag"
	"slices"
	"strings"
	"testing"
)

// TestInterleave: flags may follow the arguments, as people type them; a
// boolean flag never takes the next argument for its value, whatever the
// command, and "--" ends the flags.
func TestInterleave(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Bool("mutate", false, "")
	fs.Bool("record", true, "")
	fs.String("step", "", "")
	cases := []struct{ in, want []string }{
		{[]string{"nat", "--step", "route"}, []string{"--step", "route", "nat"}},
		{[]string{"--mutate", "first-vpc", "nat"}, []string{"--mutate", "first-vpc", "nat"}},
		{[]string{"first-vpc", "--mutate", "nat"}, []string{"--mutate", "first-vpc", "nat"}},
		{[]string{"--record", "roster.csv", "--step=a"}, []string{"--record", "--step=a", "roster.csv"}},
		{[]string{"--record=false", "lab"}, []string{"--record=false", "lab"}},
		{[]string{"lab", "-h"}, []string{"-h", "lab"}},
		{[]string{"lab", "--", "--step", "x"}, []string{"--", "lab", "--step", "x"}},
		{[]string{"--step", "a", "--", "-v"}, []string{"--step", "a", "--", "-v"}},
		{[]string{"lab", "--unknown", "v"}, []string{"--unknown", "v", "lab"}},
		// A flag that takes a value, last with none, stays last: the lab
		// must not become its value.
		{[]string{"nat", "--step"}, []string{"--step"}},
		{[]string{"nat", "--mutate", "--step"}, []string{"--mutate", "--step"}},
	}
	for _, c := range cases {
		if got := interleave(fs, c.in); !slices.Equal(got, c.want) {
			t.Errorf("interleave(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if err := fs.Parse(interleave(fs, []string{"nat", "--step"})); err == nil || !strings.Contains(err.Error(), "needs an argument") {
		t.Errorf("a dangling --step: %v", err)
	}
	// What the flag package then makes of it.
	if err := fs.Parse(interleave(fs, []string{"first-vpc", "--mutate", "--step", "s"})); err != nil || fs.Lookup("mutate").Value.String() != "true" || fs.Arg(0) != "first-vpc" {
		t.Errorf("parse: %v mutate=%s args=%q", err, fs.Lookup("mutate").Value, fs.Args())
	}
}
