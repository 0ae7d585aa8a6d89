package inbound

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestAdmitsInternet(t *testing.T) {
	for cidr, want := range map[string]bool{
		"0.0.0.0/0": true, "203.0.113.5/32": true, "::/0": true, "2600::/16": true, "8.0.0.0/7": true,
		"10.0.0.0/16": false, "172.16.0.0/12": false, "192.168.1.0/24": false, "100.64.0.0/10": false, "fd00::/8": false,
		"not a cidr": false,
		// a range that holds private and public addresses admits the internet
		"0.0.0.0/1": true, "10.0.0.0/7": true,
	} {
		if got := admitsInternet(cidr); got != want {
			t.Errorf("admitsInternet(%s) = %v, want %v", cidr, got, want)
		}
	}
}

func entry(n int32, egress bool, proto, cidr string, action ec2types.RuleAction, lo, hi int32) ec2types.NetworkAclEntry {
	e := ec2types.NetworkAclEntry{RuleNumber: aws.Int32(n), Egress: aws.Bool(egress), Protocol: aws.String(proto), CidrBlock: aws.String(cidr), RuleAction: action}
	if lo >= 0 {
		e.PortRange = &ec2types.PortRange{From: aws.Int32(lo), To: aws.Int32(hi)}
	}
	return e
}

func TestACLAdmitsAny(t *testing.T) {
	all := netip.MustParsePrefix("0.0.0.0/0")
	home := netip.MustParsePrefix("203.0.113.5/32")
	allow, deny := ec2types.RuleActionAllow, ec2types.RuleActionDeny
	cases := []struct {
		name    string
		entries []ec2types.NetworkAclEntry
		peer    netip.Prefix
		proto   string
		lo, hi  int32
		want    bool
	}{
		{"default allow", []ec2types.NetworkAclEntry{entry(100, false, "-1", "0.0.0.0/0", allow, -1, 0)}, all, "tcp", 80, 80, true},
		{"no rule: implicit deny", nil, all, "tcp", 80, 80, false},
		{"deny first wins", []ec2types.NetworkAclEntry{entry(90, false, "-1", "0.0.0.0/0", deny, -1, 0), entry(100, false, "-1", "0.0.0.0/0", allow, -1, 0)}, all, "tcp", 80, 80, false},
		{"deny of port 22 leaves 80", []ec2types.NetworkAclEntry{entry(90, false, "6", "0.0.0.0/0", deny, 22, 22), entry(100, false, "-1", "0.0.0.0/0", allow, -1, 0)}, all, "-1", -1, 0, true},
		{"deny of one address leaves the rest", []ec2types.NetworkAclEntry{entry(90, false, "-1", "198.51.100.0/24", deny, -1, 0), entry(100, false, "-1", "0.0.0.0/0", allow, -1, 0)}, all, "tcp", 80, 80, true},
		{"a deny covering the client", []ec2types.NetworkAclEntry{entry(90, false, "-1", "203.0.113.0/24", deny, -1, 0), entry(100, false, "-1", "0.0.0.0/0", allow, -1, 0)}, home, "tcp", 80, 80, false},
		{"UDP rule does not admit TCP", []ec2types.NetworkAclEntry{entry(100, false, "17", "0.0.0.0/0", allow, 0, 65535)}, all, "tcp", 80, 80, false},
		{"egress direction only", []ec2types.NetworkAclEntry{entry(100, true, "-1", "0.0.0.0/0", allow, -1, 0)}, all, "tcp", 80, 80, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := aclAdmitsAny(ec2types.NetworkAcl{Entries: c.entries}, false, c.peer, c.proto, c.lo, c.hi); got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestExposurePorts(t *testing.T) {
	for _, c := range []struct {
		x    Exposure
		want string
	}{
		{Exposure{Protocol: "tcp", From: 80, To: 80}, "80"},
		{Exposure{Protocol: "tcp", From: 8000, To: 8080}, "8000-8080"},
		{Exposure{Protocol: "-1", From: -1, To: -1}, "all"},
		{Exposure{Protocol: "tcp", From: 0, To: 65535}, "all"},
	} {
		if got := c.x.Ports(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.x, got, c.want)
		}
	}
}
