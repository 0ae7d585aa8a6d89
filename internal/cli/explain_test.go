package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/i18n"
)

func TestWriteExplain(t *testing.T) {
	rep := binding.Report{Region: "us-east-1", Bindings: []binding.Binding{
		{Type: account.VPCs, Name: "demo-vpc", ID: "vpc-0a", Evidence: binding.ByNameTag},
		{Type: account.Subnets, Name: "demo-public-a", ID: "subnet-0p", Evidence: binding.ByStructure,
			Why: i18n.Msg{ID: "BindWhySubnet", Data: i18n.M{"CIDR": "10.0.0.0/24", "VPC": "vpc-0a"}}},
		{Type: account.NATGateways, Name: "demo-nat", ID: "nat-0b", Evidence: binding.ByNameFold, Tag: "Demo-NAT",
			Twins: []binding.Twin{{ID: "nat-0old"}}},
		{Type: account.Addresses, Name: "demo-nat-eip", Evidence: binding.Unbound},
	}, Copies: []binding.RegionHit{{Region: "us-west-2", Name: "demo-vpc", ID: "vpc-0copy"}}}
	for _, c := range []struct {
		lang i18n.Lang
		want []string
	}{
		{i18n.EN, []string{"in us-east-1:", "demo-vpc (VPC) → vpc-0a: its Name tag", "demo-public-a (subnet) → subnet-0p: the subnet with the lab's CIDR 10.0.0.0/24 in vpc-0a",
			`demo-nat (NAT gateway) → nat-0b: its Name tag "Demo-NAT"`, "also fits: nat-0old", "demo-nat-eip (Elastic IP) → not found", "demo-vpc (VPC) in us-west-2: vpc-0copy"}},
		{i18n.JA, []string{"us-east-1 で", "demo-vpc（VPC）→ vpc-0a：Name タグ", "vpc-0a 内の、ラボの CIDR 10.0.0.0/24 を持つサブネット", "ほかに当てはまるもの：nat-0old", "見つかりません", "demo-vpc（VPC）：us-west-2 にあります（vpc-0copy）"}},
	} {
		var b bytes.Buffer
		writeExplain(&b, i18n.New(c.lang), rep)
		out := b.String()
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", c.lang, w, out)
			}
		}
		if strings.Contains(out, "<no value>") {
			t.Errorf("%s: a placeholder is missing:\n%s", c.lang, out)
		}
	}
}
