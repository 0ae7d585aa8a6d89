package site

import (
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// TestMutationsBlocksHidden: a ```mutations block is for vpclab test
// --mutate and the lab's authors; the page shows the step's other blocks
// and none of the declaration.
func TestMutationsBlocksHidden(t *testing.T) {
	body := md(`
## Create the VPC {#create-vpc}

'''bash {solution}
VPC_ID=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)
'''

'''check
id: vpc-exists
kind: vpc
name: demo-vpc
'''

'''mutations
equivalent:
  - mutant: vpc-delete:demo-vpc
    reason: only-for-authors-zq
'''

After the declaration.
`)
	lab := parseLab(t, "mut", map[i18n.Lang]string{
		i18n.EN: frontMatter("mut", "Mutations", "beginner") + body,
		i18n.JA: frontMatter("mut", "ミューテーション", "beginner") + body,
	})
	if n := len(lab.Page(i18n.EN).Steps[0].Mutations); n != 1 {
		t.Fatalf("the parser found %d mutations blocks, want 1: the test would prove nothing", n)
	}
	s, err := New([]*content.Lab{lab}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"en/mut/index.html", "ja/mut/index.html"} {
		page := render(t, s, name, nil)
		for _, hidden := range []string{"only-for-authors-zq", "equivalent:", "vpc-delete:demo-vpc", "mutations"} {
			if strings.Contains(page, hidden) {
				t.Errorf("%s shows %q of the mutations block", name, hidden)
			}
		}
		// The rest of the step is still there.
		for _, shown := range []string{"create-vpc", `data-check="vpc-exists"`, "After the declaration."} {
			if !strings.Contains(page, shown) {
				t.Errorf("%s lost %q", name, shown)
			}
		}
	}
}
