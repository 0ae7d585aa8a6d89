package checks

import (
	"fmt"
	"strings"
)

// kindDocs say in a sentence what each kind asserts (English; the author
// reference is for lab authors, who write in English first).
var kindDocs = map[string]string{
	"vpc":                    "A VPC with this Name tag exists, with the CIDR and DNS attributes given.",
	"subnet":                 "A subnet exists and is public (its effective route table sends 0.0.0.0/0 to an attached internet gateway) or private (it does not).",
	"internet-gateway":       "An internet gateway is attached to the VPC.",
	"elastic-ip":             "An Elastic IP with this Name tag is allocated, and associated (or not).",
	"nat-gateway":            "A NAT gateway is available, with the expected connectivity and mode; a zonal public one sits in a public subnet and has an Elastic IP.",
	"route":                  "The subnet's effective route table (explicit, else the VPC's main table) routes the destination to the expected kind of target, and that target exists.",
	"security-group-egress":  "The security group lets traffic out on the port to the destination.",
	"security-group-ingress": "The security group admits the port only from the named group and never from the whole internet; or, with public: true, from the internet (a load balancer's group).",
	"load-balancer":          "The load balancer is active with the expected scheme; an internet-facing one sits only in public subnets.",
	"network-acl":            "The subnet's network ACL lets the traffic out and its return traffic (ports 1024-65535) back in.",
	"gateway-endpoint":       "A gateway endpoint (S3 or DynamoDB) is available on the route tables of the subnets given.",
	"interface-endpoint":     "An interface endpoint for the service is available, with private DNS, in the subnets given, admitting HTTPS from the client security group.",
	"ecs-cluster":            "The ECS cluster exists and is active.",
	"ecs-service":            "The ECS service runs on Fargate with awsvpc networking in private subnets, without public IPs, and wants at least one task.",
	"load-balancer-security": "The load balancer carries the lab's security group (not the VPC's default one instead), its groups let it open the targets' port toward the targets' group (or the VPC), and the targets' group admits that port from it.",
	"ecs-task":               "A task of the family runs in a private subnet without a public IP; a stopped task's reason is shown.",
	"egress-path":            "Traffic from the subnet (or an ECS service's subnets and security groups) reaches the destination, hop by hop, through the expected exit; or, with reachable: false, does not.",
	"cleanup":                "Nothing billable from the lab is left: NAT gateways, Elastic IPs and other public IPv4 addresses, interface endpoints, running tasks.",
}

// Reference renders checks/README.md: every kind, its parameters and the
// AWS actions it reads. A test keeps the file in step with the code.
func Reference() string {
	var b strings.Builder
	b.WriteString("# Check kinds\n\n")
	b.WriteString("<!-- Generated from the code by `VPCLAB_UPDATE=1 go test ./checks -run TestReference`; do not edit. -->\n\n")
	b.WriteString("A check block names one of these kinds and gives its parameters next to the shared keys ")
	b.WriteString("(`id`, `kind`, `timeout`, `retry`, `needs`; see [content/README.md](../content/README.md)). ")
	b.WriteString("Resources are found by their Name tag. Every kind only reads the account.\n\n")
	for _, k := range Kinds() {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", k.Name, kindDocs[k.Name])
		b.WriteString("| parameter | type | required | meaning |\n|---|---|---|---|\n")
		for _, f := range k.Params {
			typ := f.Type.String()
			if len(f.Enum) > 0 {
				typ = strings.Join(f.Enum, " \\| ")
			}
			req := ""
			if f.Required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, typ, req, f.Doc)
		}
		fmt.Fprintf(&b, "\nReads: %s\n\n", "`"+strings.Join(k.Actions(), "`, `")+"`")
	}
	return b.String()
}
