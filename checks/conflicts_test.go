package checks

import (
	"testing"

	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/i18n"
)

// TestWithoutConflicts: a fix that builds on what another fix of the
// report deletes is withheld, with why; the clean-up's teardown and fixes
// about other resources are left alone.
func TestWithoutConflicts(t *testing.T) {
	release := repair.New(repair.Action{Op: repair.ReleaseAddress, Alloc: "eipalloc-1"})
	useIt := repair.New(repair.Action{Op: repair.CreateTags, Target: "eipalloc-1", Name: "vpclab-nat-eip-c"},
		repair.Action{Op: repair.CreateNATGateway, Subnet: "subnet-1", Alloc: "eipalloc-1", Var: "NAT_ID"})
	other := repair.New(repair.Action{Op: repair.CreateTags, Target: "vpc-1", Name: "vpclab-nat-vpc"})
	teardown := repair.New(repair.Action{Op: repair.DeleteVPC, VPC: "vpc-1"})
	rs := WithoutConflicts([]Result{
		{Check: "binding:eip", Status: Warn, Plan: release, Fix: "release"},
		{Check: "eip-c", Status: Fail, Plan: useIt, Fix: "tag and use", Message: i18n.Msg{ID: "CheckNotFound"}},
		{Check: "vpc-name", Status: Fail, Plan: other, Fix: "tag vpc"},
		{Check: "nothing-left", Kind: "cleanup", Status: Fail, Plan: teardown, Fix: "delete vpc"},
	})
	if rs[0].Plan != release || rs[2].Plan != other || rs[3].Plan != teardown {
		t.Errorf("a fix without conflict was withheld: %+v", rs)
	}
	if rs[1].Plan != nil || rs[1].Fix != "" || rs[1].Message.ID != "RepairConflict" ||
		rs[1].Message.Data["Other"] != "binding:eip" || rs[1].Message.Data["ID"] != "eipalloc-1" {
		t.Errorf("the fix that uses the released address: %+v", rs[1])
	}
	if !useIt.Uses("eipalloc-1") || release.Uses("eipalloc-1") || len(teardown.Removes()) != 1 {
		t.Error("Uses and Removes")
	}
}
