package doctest

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// TestCleanupThatChangesIsCaught: a clean-up block that changes a
// finished step's resource (turns DNS hostnames off) instead of deleting
// it is reported as broken-by-cleanup, once, at that block; the clean-up
// still runs to its end (the lab's own clean-up passes this proof, see
// vpclab test on the built-in labs).
func TestCleanupThatChangesIsCaught(t *testing.T) {
	orig, err := fs.ReadFile(content.Embedded(), "labs/first-vpc/index.en.md")
	if err != nil {
		t.Fatal(err)
	}
	change := "```bash {cleanup}\nexport AWS_REGION=ap-northeast-1 AWS_DEFAULT_REGION=ap-northeast-1\n" +
		"aws ec2 modify-vpc-attribute --vpc-id \"$VPC_ID\" --enable-dns-hostnames '{\"Value\":false}'\n```\n\n"
	page := strings.Replace(string(orig), "Delete the subnet first, then the VPC.\n", "Delete the subnet first, then the VPC.\n\n"+change, 1)
	if page == string(orig) {
		t.Fatal("first-vpc's clean-up moved: the test cannot insert its block")
	}
	p, ds := content.ParsePage("labs/first-vpc/index.en.md", i18n.EN, []byte(page))
	if len(ds) > 0 {
		t.Fatalf("the changed page: %v", ds)
	}
	lab := &content.Lab{ID: "first-vpc", Dir: "labs/first-vpc", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
	res := RunLab(context.Background(), lab, sandboxOptions(t))
	if res.Err != nil {
		t.Fatalf("the lab did not run: %v", res.Err)
	}
	var broken []Problem
	cleanupBlocks := 0
	for _, s := range res.Steps {
		for _, pr := range s.Problems {
			if pr.Kind == "broken-by-cleanup" {
				broken = append(broken, pr)
			} else if s.Step != "cleanup" {
				t.Errorf("step %s: %s %s %s", s.Step, pr.Kind, pr.Check, pr.Detail)
			}
		}
		if s.Step == "cleanup" {
			cleanupBlocks = s.Blocks
		}
	}
	if len(broken) != 1 || broken[0].Check != "vpc-exists" || broken[0].Detail != "VPC_DNS_ATTRIBUTE_DISABLED" {
		t.Errorf("broken-by-cleanup findings %+v, want one for vpc-exists (VPC_DNS_ATTRIBUTE_DISABLED)", broken)
	}
	if cleanupBlocks != 2 {
		t.Errorf("the clean-up ran %d blocks, want both (a finding does not stop it)", cleanupBlocks)
	}
}

// sandboxOptions runs a lab on the test sandbox: its config (read-only)
// for the checks, its environment for the lab's commands.
func sandboxOptions(t *testing.T) Options {
	base := sandboxtest.Config(t)
	env := sandboxtest.Env(t)
	return Options{
		Config: func(region string) aws.Config {
			c := base.Copy()
			c.Region = region
			awsx.Protect(&c, nil)
			return c
		},
		Env: func(region string) []string {
			return append(append(os.Environ(), env...), "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
		},
	}
}
