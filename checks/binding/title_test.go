package binding

import "testing"

func TestTitle(t *testing.T) {
	for _, c := range []struct {
		check, name, about string
		ok                 bool
	}{
		{"binding:vpcs:vpclab-nat-vpc", "vpclab-nat-vpc", "ResVPC", true},
		{"binding:vpcs:demo-vpc@us-west-2", "demo-vpc@us-west-2", "ResVPC", true},
		{"binding:nat-gateways:demo:nat", "demo:nat", "ResNAT", true},
		{"binding:cleanup:nothing-left@us-west-2:vpc-0abc", "nothing-left", "BindTitleCleanup", true},
		{"binding:no-such-type:x", "", "", false},
		{"binding:vpcs:", "", "", false},
		{"private-a-route", "", "", false},
	} {
		name, about, ok := Title(c.check)
		if ok != c.ok || name != c.name || about.ID != c.about {
			t.Errorf("Title(%q) = %q, %q, %v; want %q, %q, %v", c.check, name, about.ID, ok, c.name, c.about, c.ok)
		}
	}
}
