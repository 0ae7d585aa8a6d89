package account

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Every field a load writes belongs to exactly one resource in fields, and
// every resource has an entry: otherwise Merge would keep a stale list.
func TestMergeCoversEveryField(t *testing.T) {
	meta := map[string]bool{"Account": true, "Region": true, "Loaded": true, "Bindings": true}
	owner := map[string]Resource{}
	for r, fs := range fields {
		for _, f := range fs {
			if prev, dup := owner[f]; dup {
				t.Errorf("field %s is listed for %s and %s", f, prev, r)
			}
			owner[f] = r
		}
	}
	typ := reflect.TypeFor[Snapshot]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if _, ok := owner[f.Name]; !ok && !meta[f.Name] {
			t.Errorf("Snapshot.%s is written by no resource in fields: Merge would leave it stale", f.Name)
		}
		delete(owner, f.Name)
	}
	for f := range owner {
		t.Errorf("fields names %s, which Snapshot does not have", f)
	}
	for r := range Actions {
		if _, ok := fields[r]; !ok {
			t.Errorf("resource %s has no entry in fields", r)
		}
	}
}

func TestMergeReplacesOnlyWhatWasRead(t *testing.T) {
	rt := func(id string) []ec2types.RouteTable { return []ec2types.RouteTable{{RouteTableId: aws.String(id)}} }
	old := &Snapshot{Account: "1", Region: "us-east-1", Loaded: map[Resource]bool{RouteTables: true, Subnets: true},
		RouteTables: rt("rtb-old"), Subnets: []ec2types.Subnet{{SubnetId: aws.String("subnet-old")}},
		Bindings: map[Resource]map[string]string{VPCs: {"lab": "vpc-1"}}}
	fresh := &Snapshot{Account: "1", Region: "us-east-1", Loaded: map[Resource]bool{RouteTables: true}, RouteTables: rt("rtb-new")}
	m := old.Merge(fresh)
	if got := *m.RouteTables[0].RouteTableId; got != "rtb-new" {
		t.Errorf("route tables %s, want the fresh rtb-new", got)
	}
	if got := *m.Subnets[0].SubnetId; got != "subnet-old" {
		t.Errorf("subnets %s, want the kept subnet-old", got)
	}
	if m.Bindings != nil {
		t.Error("the merged snapshot kept the old bindings")
	}
	if !m.Loaded[RouteTables] || !m.Loaded[Subnets] {
		t.Errorf("loaded %v", m.Loaded)
	}
	if *old.RouteTables[0].RouteTableId != "rtb-old" || old.Bindings == nil {
		t.Error("Merge changed the snapshot it started from")
	}
}
