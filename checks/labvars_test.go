package checks_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// TestFixUsesTheLabsVariables: a fix that makes the lab's NAT gateway and
// its Elastic IP keeps their ids in the variables the lab's next blocks
// read ($NAT_A_ID, $EIP_A_ALLOC_ID), read from the lab's own commands.
func TestFixUsesTheLabsVariables(t *testing.T) {
	src, err := os.ReadFile("../content/labs/nat-private-egress/index.en.md")
	if err != nil {
		t.Fatal(err)
	}
	p, ds := content.ParsePage("labs/nat-private-egress/index.en.md", i18n.EN, src)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	var blocks []*content.CheckBlock
	for _, s := range p.Steps {
		blocks = append(blocks, s.Checks...)
	}
	labVar := checks.LabVars(blocks)
	if got := labVar(repair.CreateNATGateway, "vpclab-nat-a"); got != "NAT_A_ID" {
		t.Errorf("the NAT gateway's variable: %q", got)
	}
	if got := labVar(repair.AllocateAddress, "vpclab-nat-eip-a"); got != "EIP_A_ALLOC_ID" {
		t.Errorf("the address's variable: %q", got)
	}
	plan := repair.New(
		repair.Action{Op: repair.AllocateAddress, Name: "vpclab-nat-eip-a", Var: "EIP_ALLOC_ID"},
		repair.Action{Op: repair.CreateNATGateway, Subnet: "subnet-1", Alloc: repair.Var("EIP_ALLOC_ID"), Name: "vpclab-nat-a", Var: "NAT_ID"},
		repair.Action{Op: repair.ReplaceRoute, RouteTable: "rtb-1", Dest: "0.0.0.0/0", TargetKind: repair.ToNAT, Target: repair.Var("NAT_ID")},
	).WithLabVars(labVar)
	fix := plan.Render("ap-northeast-1")
	for _, want := range []string{"EIP_A_ALLOC_ID=$(aws ec2 allocate-address", `--allocation-id "$EIP_A_ALLOC_ID"`, "NAT_A_ID=$(aws ec2 create-nat-gateway", `--nat-gateway-id "$NAT_A_ID"`} {
		if !strings.Contains(fix, want) {
			t.Errorf("fix lacks %q:\n%s", want, fix)
		}
	}
	if strings.Contains(fix, "$NAT_ID") || strings.Contains(fix, "$EIP_ALLOC_ID") {
		t.Errorf("vpclab's own names are left:\n%s", fix)
	}
	// A name the lab does not capture keeps vpclab's variable.
	other := repair.New(repair.Action{Op: repair.CreateNATGateway, Subnet: "subnet-1", Alloc: "eipalloc-1", Name: "somebody-else", Var: "NAT_ID"}).WithLabVars(labVar)
	if !strings.Contains(other.Render("ap-northeast-1"), "NAT_ID=$(") {
		t.Errorf("renamed a resource the lab does not name: %s", other.Render("ap-northeast-1"))
	}
}
