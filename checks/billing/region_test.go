package billing

import "testing"

// TestInRegion: a delete command for a resource outside the shell's Region
// names the Region on every AWS CLI line, before any remark.
func TestInRegion(t *testing.T) {
	for _, tc := range []struct{ cmd, want string }{
		{"", ""},
		{"aws ec2 delete-nat-gateway --nat-gateway-id nat-1", "aws ec2 delete-nat-gateway --nat-gateway-id nat-1 --region eu-west-3"},
		{"aws ec2 release-address --allocation-id eipalloc-1   # after its NAT gateway is deleted",
			"aws ec2 release-address --allocation-id eipalloc-1 --region eu-west-3   # after its NAT gateway is deleted"},
		{"aws ec2 disassociate-address --association-id eipassoc-1\naws ec2 release-address --allocation-id eipalloc-1",
			"aws ec2 disassociate-address --association-id eipassoc-1 --region eu-west-3\naws ec2 release-address --allocation-id eipalloc-1 --region eu-west-3"},
	} {
		if got := InRegion(tc.cmd, "eu-west-3"); got != tc.want {
			t.Errorf("InRegion(%q) =\n%q\nwant\n%q", tc.cmd, got, tc.want)
		}
	}
}
