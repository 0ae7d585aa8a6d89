package binding

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/vpclab/vpclab/checks/account"
)

// IaC is the set of resources the learner's infrastructure as code made:
// binding prefers them to look-alikes that are not part of it.
type IaC struct {
	Kind      Evidence // ByStack or ByTerraform
	Source    string   // the stack name or the state file
	Resources []Resource
}

// Resource is one resource of a stack or state.
type Resource struct {
	Type     account.Resource
	Logical  string // CloudFormation logical id, or Terraform address (aws_vpc.main)
	Physical string // the resource id (an EIP may be named by its public IP)
}

// Evidence is the evidence a binding through this IaC carries.
func (c *IaC) Evidence() Evidence { return c.Kind }

// Of returns the IaC resource with one of ids.
func (c *IaC) Of(typ account.Resource, ids ...string) (Resource, bool) {
	for _, r := range c.Resources {
		if r.Type == typ && r.Physical != "" && slices.Contains(ids, r.Physical) {
			return r, true
		}
	}
	return Resource{}, false
}

// Has reports whether the IaC made the resource id (or, for an Elastic
// IP, its public IP).
func (c *IaC) Has(typ account.Resource, id string, more ...string) bool {
	_, ok := c.Of(typ, append([]string{id}, more...)...)
	return ok
}

// Like returns the items whose logical id shares the most words with the
// lab's name beyond those every name of the lab shares ("vpclab",
// "oneway"): vpclab-oneway-alb-sg fits AlbSecurityGroup or aws_security_group.alb.
func (c *IaC) Like(name string, its []item) []item {
	words := nameWords(name)
	best, bestScore := []item{}, 0
	for _, it := range its {
		r, ok := c.Of(it.typ, append([]string{it.id}, it.allocs...)...)
		if !ok {
			continue
		}
		lw := strings.Join(nameWords(r.Logical), " ")
		score := 0
		for _, w := range words {
			if w != "vpclab" && strings.Contains(lw, w) {
				score++
			}
		}
		switch {
		case score > bestScore:
			best, bestScore = []item{it}, score
		case score == bestScore && score > 0:
			best = append(best, it)
		}
	}
	return best
}

var camel = regexp.MustCompile(`[A-Z]+[a-z0-9]*|[a-z0-9]+`)

// nameWords splits a-name, a_name, aName and AName into lower-case words,
// with "sg" and "securitygroup" alike.
func nameWords(s string) []string {
	var out []string
	for _, w := range camel.FindAllString(s, -1) {
		w = strings.ToLower(w)
		switch w {
		case "security", "group":
			w = "sg"
		case "natgateway", "ngw":
			w = "nat"
		case "internetgateway", "gateway":
			w = "igw"
		}
		out = append(out, w)
	}
	return out
}

// cfnTypes and tfTypes map the IaC resource types binding uses.
var cfnTypes = map[string]account.Resource{
	"AWS::EC2::VPC": account.VPCs, "AWS::EC2::Subnet": account.Subnets, "AWS::EC2::RouteTable": account.RouteTables,
	"AWS::EC2::InternetGateway": account.InternetGateways, "AWS::EC2::NatGateway": account.NATGateways,
	"AWS::EC2::EIP": account.Addresses, "AWS::EC2::SecurityGroup": account.SecurityGroups,
	"AWS::ElasticLoadBalancingV2::LoadBalancer": account.LoadBalancers,
}

var tfTypes = map[string]account.Resource{
	"aws_vpc": account.VPCs, "aws_subnet": account.Subnets, "aws_route_table": account.RouteTables,
	"aws_internet_gateway": account.InternetGateways, "aws_nat_gateway": account.NATGateways,
	"aws_eip": account.Addresses, "aws_security_group": account.SecurityGroups,
	"aws_lb": account.LoadBalancers, "aws_alb": account.LoadBalancers,
}

// StackActions are the read-only calls --stack makes, for vpclab policy.
var StackActions = []string{"cloudformation:DescribeStacks", "cloudformation:ListStackResources"}

// LoadStack reads a CloudFormation stack's resources with read-only calls
// (DescribeStacks to say clearly when the stack is missing, then
// ListStackResources).
func LoadStack(ctx context.Context, cfg aws.Config, name string) (*IaC, error) {
	c := cloudformation.NewFromConfig(cfg)
	out, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("stack %s in %s: %w", name, cfg.Region, err)
	}
	if len(out.Stacks) == 0 {
		return nil, fmt.Errorf("stack %s in %s: not found", name, cfg.Region)
	}
	iac := &IaC{Kind: ByStack, Source: name}
	p := cloudformation.NewListStackResourcesPaginator(c, &cloudformation.ListStackResourcesInput{StackName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("stack %s resources: %w", name, err)
		}
		for _, r := range page.StackResourceSummaries {
			if typ, ok := cfnTypes[aws.ToString(r.ResourceType)]; ok && aws.ToString(r.PhysicalResourceId) != "" {
				iac.Resources = append(iac.Resources, Resource{Type: typ, Logical: aws.ToString(r.LogicalResourceId), Physical: aws.ToString(r.PhysicalResourceId)})
			}
		}
		if len(iac.Resources) > maxIaCResources {
			return nil, fmt.Errorf("stack %s: more than %d resources", name, maxIaCResources)
		}
	}
	return iac, nil
}

// Limits on a Terraform state: a lab's state is kilobytes; anything this
// large is not a lab's, and reading it must not exhaust memory.
const (
	MaxTFStateBytes = 16 << 20
	maxIaCResources = 10000
)

// ErrTFStateTooLarge is returned for a state over MaxTFStateBytes.
var ErrTFStateTooLarge = errors.New("larger than 16 MiB")

// ReadTFState reads a Terraform state file, never running Terraform.
func ReadTFState(path string) (*IaC, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	iac, err := ParseTFState(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	iac.Source = path
	return iac, nil
}

// ParseTFState parses either a raw state (terraform.tfstate, format 4:
// resources[].instances[].attributes) or `terraform show -json` output
// (values.root_module.resources[].values, with child_modules). Only
// managed aws_* resources of the types binding uses are kept.
func ParseTFState(r io.Reader) (*IaC, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxTFStateBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxTFStateBytes {
		return nil, ErrTFStateTooLarge
	}
	var doc struct {
		Version   *int `json:"version"`
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Module    string `json:"module"`
			Instances []struct {
				IndexKey   any            `json:"index_key"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
		Values *struct {
			RootModule *tfModule `json:"root_module"`
		} `json:"values"`
		FormatVersion string `json:"format_version"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(data, se.Offset)
			return nil, fmt.Errorf("line %d, column %d: not JSON: %v", line, col, err)
		}
		return nil, fmt.Errorf("not a Terraform state: %v", err)
	}
	iac := &IaC{Kind: ByTerraform}
	add := func(typ, addr string, attrs map[string]any) error {
		t, ok := tfTypes[typ]
		if !ok {
			return nil
		}
		id, _ := attrs["id"].(string)
		if t == account.LoadBalancers {
			if arn, _ := attrs["arn"].(string); arn != "" {
				id = arn
			}
		}
		if t == account.Addresses {
			if alloc, _ := attrs["allocation_id"].(string); alloc != "" {
				id = alloc
			}
		}
		if id == "" {
			return nil
		}
		if len(iac.Resources) >= maxIaCResources {
			return fmt.Errorf("more than %d resources", maxIaCResources)
		}
		iac.Resources = append(iac.Resources, Resource{Type: t, Logical: addr, Physical: id})
		return nil
	}
	switch {
	case doc.Values != nil && doc.Values.RootModule != nil:
		if err := doc.Values.RootModule.walk(add, 0); err != nil {
			return nil, err
		}
	case doc.Version != nil:
		if *doc.Version != 4 {
			return nil, fmt.Errorf("state format version %d; vpclab reads version 4 (Terraform 0.12 and later)", *doc.Version)
		}
		for _, res := range doc.Resources {
			if res.Mode != "" && res.Mode != "managed" {
				continue
			}
			addr := res.Type + "." + res.Name
			if res.Module != "" {
				addr = res.Module + "." + addr
			}
			for i, in := range res.Instances {
				a := addr
				if len(res.Instances) > 1 {
					a = fmt.Sprintf("%s[%v]", addr, orIndex(in.IndexKey, i))
				}
				if err := add(res.Type, a, in.Attributes); err != nil {
					return nil, err
				}
			}
		}
	default:
		return nil, errors.New("not a Terraform state: neither \"version\" nor \"values.root_module\"")
	}
	return iac, nil
}

func orIndex(k any, i int) any {
	if k == nil {
		return i
	}
	return k
}

type tfModule struct {
	Address   string `json:"address"`
	Resources []struct {
		Address string         `json:"address"`
		Mode    string         `json:"mode"`
		Type    string         `json:"type"`
		Values  map[string]any `json:"values"`
	} `json:"resources"`
	ChildModules []*tfModule `json:"child_modules"`
}

// maxModuleDepth bounds recursion on a hostile file; JSON nesting is
// already bounded by encoding/json, this keeps the walk shallow too.
const maxModuleDepth = 64

func (m *tfModule) walk(add func(typ, addr string, attrs map[string]any) error, depth int) error {
	if m == nil {
		return nil
	}
	if depth > maxModuleDepth {
		return fmt.Errorf("modules nested deeper than %d", maxModuleDepth)
	}
	for _, r := range m.Resources {
		if r.Mode != "" && r.Mode != "managed" {
			continue
		}
		if err := add(r.Type, r.Address, r.Values); err != nil {
			return err
		}
	}
	for _, c := range m.ChildModules {
		if err := c.walk(add, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func lineCol(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off-1 && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
