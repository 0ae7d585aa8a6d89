package binding_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/binding"
)

// A raw state (format 4) as terraform apply writes it, trimmed to what
// binding reads, with a data source and a counted resource.
const rawState = `{
  "version": 4,
  "terraform_version": "1.9.5",
  "resources": [
    {"mode": "managed", "type": "aws_vpc", "name": "main", "instances": [{"attributes": {"id": "vpc-0abc", "cidr_block": "10.0.0.0/16"}}]},
    {"mode": "data", "type": "aws_vpc", "name": "default", "instances": [{"attributes": {"id": "vpc-0default"}}]},
    {"mode": "managed", "type": "aws_subnet", "name": "private", "instances": [
      {"index_key": 0, "attributes": {"id": "subnet-0a"}},
      {"index_key": 1, "attributes": {"id": "subnet-0c"}}]},
    {"mode": "managed", "type": "aws_eip", "name": "nat", "instances": [{"attributes": {"id": "eipalloc-0nat", "allocation_id": "eipalloc-0nat", "public_ip": "203.0.113.10"}}]},
    {"mode": "managed", "type": "aws_lb", "name": "alb", "module": "module.web", "instances": [{"attributes": {"id": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1", "arn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1"}}]},
    {"mode": "managed", "type": "aws_iam_role", "name": "task", "instances": [{"attributes": {"id": "task"}}]}
  ]
}`

// terraform show -json output, with a child module.
const showJSON = `{
  "format_version": "1.0",
  "values": {"root_module": {
    "resources": [{"address": "aws_nat_gateway.main", "mode": "managed", "type": "aws_nat_gateway", "values": {"id": "nat-0abc"}}],
    "child_modules": [{"address": "module.net", "resources": [
      {"address": "module.net.aws_security_group.tasks", "mode": "managed", "type": "aws_security_group", "values": {"id": "sg-0tasks"}}]}]
  }}
}`

func TestParseTFState(t *testing.T) {
	iac, err := binding.ParseTFState(strings.NewReader(rawState))
	if err != nil {
		t.Fatal(err)
	}
	want := []binding.Resource{
		{Type: account.VPCs, Logical: "aws_vpc.main", Physical: "vpc-0abc"},
		{Type: account.Subnets, Logical: "aws_subnet.private[0]", Physical: "subnet-0a"},
		{Type: account.Subnets, Logical: "aws_subnet.private[1]", Physical: "subnet-0c"},
		{Type: account.Addresses, Logical: "aws_eip.nat", Physical: "eipalloc-0nat"},
		{Type: account.LoadBalancers, Logical: "module.web.aws_lb.alb", Physical: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1"},
	}
	if len(iac.Resources) != len(want) {
		t.Fatalf("got %+v\nwant %+v", iac.Resources, want)
	}
	for i := range want {
		if iac.Resources[i] != want[i] {
			t.Errorf("resource %d = %+v, want %+v", i, iac.Resources[i], want[i])
		}
	}
	if iac.Kind != binding.ByTerraform || iac.Has(account.VPCs, "vpc-0default") {
		t.Errorf("kind %s; data sources are not the learner's resources: %v", iac.Kind, iac.Has(account.VPCs, "vpc-0default"))
	}

	show, err := binding.ParseTFState(strings.NewReader(showJSON))
	if err != nil {
		t.Fatal(err)
	}
	if !show.Has(account.NATGateways, "nat-0abc") || !show.Has(account.SecurityGroups, "sg-0tasks") || len(show.Resources) != 2 {
		t.Errorf("terraform show -json: %+v", show.Resources)
	}
	if r, _ := show.Of(account.SecurityGroups, "sg-0tasks"); r.Logical != "module.net.aws_security_group.tasks" {
		t.Errorf("logical %q", r.Logical)
	}
}

func TestParseTFStateErrors(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"not JSON", "{\n  \"version\": 4,\n  oops\n}", "line 3, column 3"},
		{"old format", `{"version": 3, "modules": []}`, "version 3"},
		{"something else", `{"hello": "world"}`, "not a Terraform state"},
		{"a plan, not a state", `[1, 2]`, "not a Terraform state"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := binding.ParseTFState(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	big := bytes.Repeat([]byte(" "), binding.MaxTFStateBytes+1)
	if _, err := binding.ParseTFState(bytes.NewReader(big)); !errors.Is(err, binding.ErrTFStateTooLarge) {
		t.Errorf("a state over the limit: %v", err)
	}
}

// FuzzParseTFState: any input gives a state or an error, never a panic,
// and every resource it keeps has a type binding knows and an id.
func FuzzParseTFState(f *testing.F) {
	f.Add([]byte(rawState))
	f.Add([]byte(showJSON))
	f.Add([]byte(`{"values":{"root_module":{"child_modules":[{"child_modules":[{}]}]}}}`))
	f.Add([]byte(`{"version":4,"resources":[{"type":"aws_vpc","instances":[{"attributes":{"id":7}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		iac, err := binding.ParseTFState(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range iac.Resources {
			if r.Physical == "" || r.Type == "" || r.Logical == "" {
				t.Errorf("kept %+v", r)
			}
		}
	})
}
