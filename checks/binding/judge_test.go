package binding

import (
	"testing"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
)

// While the lab is in another Region every fix is withheld (it would build
// a second lab in the wrong Region), except the finding's own: check there.
func TestRegionFirst(t *testing.T) {
	plan := repair.New(repair.Action{Op: repair.DeleteVPC, VPC: "vpc-0a"})
	rs := []checks.Result{
		{Check: "binding:vpcs:demo-vpc", Status: checks.Fail, Reason: OtherRegion, Fix: "vpclab check demo --region us-west-2"},
		{Check: "vpc", Status: checks.Fail, Reason: "NOT_FOUND", Fix: "aws ec2 create-vpc --cidr-block 10.0.0.0/16", Plan: plan},
	}
	out := RegionFirst(rs)
	if out[0].Fix == "" || out[1].Fix != "" || out[1].Plan != nil {
		t.Errorf("fixes after RegionFirst: %q, %q (plan %v)", out[0].Fix, out[1].Fix, out[1].Plan)
	}
	if rs[1].Fix == "" {
		t.Error("RegionFirst changed its input")
	}
	// Without a lab elsewhere nothing is withheld.
	if out := RegionFirst(rs[1:]); out[0].Fix == "" || out[0].Plan == nil {
		t.Errorf("a fix withheld with the lab here: %+v", out[0])
	}
}

// Fold puts a failing finding into the block that names its resource: a
// passing check fails with the finding's message and fix; a failing one
// keeps its message and gains the fix; warnings are left out; a root
// cause that points at a folded finding points at its check.
func TestFold(t *testing.T) {
	s1, s2 := &content.Step{ID: "s1"}, &content.Step{ID: "s2"}
	vpc := &content.CheckBlock{ID: "vpc", Kind: "vpc", Step: s1, Pos: content.Pos{Line: 10}}
	nat := &content.CheckBlock{ID: "nat", Kind: "nat-gateway", Step: s2, Pos: content.Pos{Line: 20}}
	clean := &content.CheckBlock{ID: "cleanup", Kind: "cleanup", Step: s2, Pos: content.Pos{Line: 30}}
	blocks := []*content.CheckBlock{vpc, nat, clean}
	results := []checks.Result{
		{Check: "vpc", Kind: "vpc", Step: "s1", Status: checks.Pass, Block: vpc},
		{Check: "nat", Kind: "nat-gateway", Step: "s2", Status: checks.Fail, Reason: "NAT_NOT_AVAILABLE", Fix: "own fix", Block: nat},
		{Check: "cleanup", Kind: "cleanup", Step: "s2", Status: checks.Pass, Block: clean},
	}
	at := func(b *content.CheckBlock, id string) *content.CheckBlock {
		return &content.CheckBlock{ID: id, Kind: Kind, Step: b.Step, Pos: b.Pos}
	}
	findings := []checks.Result{
		{Check: "binding:vpcs:demo-vpc@us-west-2", Status: checks.Fail, Reason: Copy, Fix: "delete copy", Block: at(vpc, "binding:vpcs:demo-vpc@us-west-2"), Resources: []string{"vpc-0copy"}},
		{Check: "binding:nat-gateways:demo-nat", Status: checks.Fail, Reason: Duplicate, Fix: "delete twin", Block: at(nat, "x"), Resources: []string{"nat-0twin"}},
		{Check: "binding:cleanup", Status: checks.Fail, Reason: "BILLABLE_RESOURCES_LEFT", RootCause: "binding:vpcs:demo-vpc@us-west-2", Block: at(clean, "y")},
		{Check: "binding:subnets:demo-a", Status: checks.Warn, Reason: Mistagged, Fix: "tag", Block: at(vpc, "z")},
	}
	out := Fold(results, findings, blocks)
	if len(out) != 3 {
		t.Fatalf("%d results for 3 blocks", len(out))
	}
	if out[0].Check != "vpc" || out[0].Status != checks.Fail || out[0].Reason != Copy || out[0].Fix != "delete copy" {
		t.Errorf("vpc: %+v", out[0])
	}
	if out[1].Reason != "NAT_NOT_AVAILABLE" || out[1].Fix != "own fix\ndelete twin" || len(out[1].Resources) != 1 {
		t.Errorf("nat: %+v", out[1])
	}
	if out[2].Check != "cleanup" || out[2].Status != checks.Fail || out[2].RootCause != "vpc" {
		t.Errorf("cleanup: %+v", out[2])
	}
	if results[0].Status != checks.Pass {
		t.Error("Fold changed its input")
	}
}
