package cli

import (
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// Across the N shards every lab runs exactly once, the shards' sizes
// differ by at most one, and the split does not depend on the order the
// labs come in.
func TestShardSplitsEveryLabOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for nLabs := 0; nLabs <= 12; nLabs++ {
		var labs []*content.Lab
		for i := range nLabs {
			labs = append(labs, &content.Lab{ID: fmt.Sprintf("lab-%02d", (i*7)%13)})
		}
		for n := 1; n <= 6; n++ {
			seen := map[string]int{}
			minSize, maxSize := nLabs+1, -1
			for k := 1; k <= n; k++ {
				s := shard{k, n}
				part := s.labs(labs)
				shuffled := slices.Clone(labs)
				rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				if a, b := ids(part), ids(s.labs(shuffled)); !slices.Equal(sorted(a), sorted(b)) {
					t.Errorf("%d labs, shard %s: %v in one order, %v in another", nLabs, s, ids(part), ids(s.labs(shuffled)))
				}
				for _, l := range part {
					seen[l.ID]++
				}
				minSize, maxSize = min(minSize, len(part)), max(maxSize, len(part))
			}
			for _, l := range labs {
				if seen[l.ID] != 1 {
					t.Errorf("%d labs over %d shards: %s runs %d times", nLabs, n, l.ID, seen[l.ID])
				}
			}
			if len(seen) != nLabs {
				t.Errorf("%d labs over %d shards: %d distinct labs run", nLabs, n, len(seen))
			}
			if nLabs > 0 && maxSize-minSize > 1 {
				t.Errorf("%d labs over %d shards: sizes from %d to %d", nLabs, n, minSize, maxSize)
			}
		}
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func ids(labs []*content.Lab) []string {
	var out []string
	for _, l := range labs {
		out = append(out, l.ID)
	}
	return out
}

// Every mutant belongs to exactly one shard, and no shard of a realistic
// pass (hundreds of mutants) is left empty.
func TestShardSplitsEveryMutantOnce(t *testing.T) {
	for n := 1; n <= 6; n++ {
		counts := make([]int, n)
		for i := range 400 {
			lab, step, id := fmt.Sprintf("lab-%d", i%5), fmt.Sprintf("step-%d", i%9), fmt.Sprintf("kind-%d:target-%d", i%49, i)
			owners := 0
			for k := 1; k <= n; k++ {
				if (shard{k, n}).mutant(lab, step, id) {
					owners++
					counts[k-1]++
				}
			}
			if owners != 1 {
				t.Fatalf("%s/%s %s over %d shards: %d owners", lab, step, id, n, owners)
			}
		}
		for k, c := range counts {
			if c == 0 {
				t.Errorf("shard %d/%d got no mutant of 400", k+1, n)
			}
		}
	}
}

func TestShardBadValues(t *testing.T) {
	for _, s := range []string{"", "1", "0/2", "3/2", "a/b", "1/0", "-1/2", "1/2/3", "1/1000"} {
		if _, err := parseShard(s); err == nil {
			t.Errorf("parseShard(%q) accepted", s)
		}
	}
	if got, err := parseShard(" 2/3"); err != nil || got != (shard{2, 3}) {
		t.Errorf("parseShard(2/3) = %v, %v", got, err)
	}
	code, _, stderr := runCLI(t, "", nil, "test", "--shard", "4/3", "--endpoint", "http://127.0.0.1:1")
	if code != ExitUsage || !strings.Contains(stderr, "--shard must be K/N") {
		t.Errorf("--shard 4/3: exit %d, %s", code, stderr)
	}
}

// The shards' JUnit reports, put together, hold exactly the test cases of
// one unsharded run: the matrix jobs' reports merge into the whole.
func TestShardJUnitReportsMerge(t *testing.T) {
	url := sandboxtest.URL(t)
	dir := t.TempDir()
	labs := []string{"shard-a", "shard-b", "shard-c"}
	for i, id := range labs {
		writeTinyLab(t, dir, id, i)
	}
	run := func(extra ...string) []string {
		t.Helper()
		args := append([]string{"test", "--content", dir, "--endpoint", url, "--shell", "bash", "--format", "junit"}, extra...)
		code, out, stderr := runCLI(t, "", nil, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, stderr)
		}
		var suites junitSuites
		if err := xml.Unmarshal([]byte(out), &suites); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		var cases []string
		for _, s := range suites.Suites {
			for _, c := range s.Cases {
				cases = append(cases, s.Name+"/"+c.Class+"/"+c.Name)
			}
		}
		return cases
	}
	// What one unsharded run reports (a suite per lab, a case per step);
	// spelled out rather than run, to keep the test to three lab runs.
	var whole []string
	for _, id := range labs {
		whole = append(whole, id+"/"+id+"/create-vpc", id+"/"+id+"/cleanup")
	}
	slices.Sort(whole)
	var merged []string
	for k := 1; k <= 2; k++ {
		merged = append(merged, run("--shard", fmt.Sprintf("%d/2", k))...)
	}
	slices.Sort(merged)
	if !slices.Equal(merged, whole) {
		t.Errorf("shards 1/2 and 2/2 together:\n%v\nunsharded:\n%v", merged, whole)
	}
}

// writeTinyLab writes a two-step lab (a VPC, then its clean-up) in both
// languages; n keeps the labs' CIDRs apart.
func writeTinyLab(t *testing.T, dir, id string, n int) {
	t.Helper()
	for _, lang := range []string{"en", "ja"} {
		body := fmt.Sprintf(`---
id: %[1]s
title: %[1]s
summary: A tiny lab for sharding.
level: beginner
duration: 5
cost:
  usd_per_hour: 0
  region: us-east-1
services: [VPC]
region: ap-northeast-1
---

## Create the VPC {#create-vpc}

`+"```bash {solution}"+`
VPC_ID=$(aws ec2 create-vpc --cidr-block 10.%[2]d.0.0/16 \
  --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=%[1]s-vpc}]' \
  --query Vpc.VpcId --output text)
`+"```"+`

`+"```check"+`
id: vpc-exists
kind: vpc
name: %[1]s-vpc
`+"```"+`

## Clean up {#cleanup}

`+"```bash {cleanup}"+`
aws ec2 delete-vpc --vpc-id "$VPC_ID"
`+"```"+`
`, id, 50+n)
		if err := os.MkdirAll(filepath.Join(dir, id), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, id, "index."+lang+".md"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
