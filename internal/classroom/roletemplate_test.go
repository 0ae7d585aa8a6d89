package classroom

import (
	"reflect"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/vpclab/vpclab/i18n"
)

// cfnTemplate is the part of a CloudFormation template the tests read.
type cfnTemplate struct {
	Version    string `yaml:"AWSTemplateFormatVersion"`
	Parameters map[string]struct {
		Type    string  `yaml:"Type"`
		Default *string `yaml:"Default"`
	} `yaml:"Parameters"`
	Resources map[string]struct {
		Type       string `yaml:"Type"`
		Properties struct {
			RoleName    string `yaml:"RoleName"`
			Description string `yaml:"Description"`
			Trust       struct {
				Statement []struct {
					Effect    string                                  `yaml:"Effect"`
					Principal map[string]any                          `yaml:"Principal"`
					Action    string                                  `yaml:"Action"`
					Condition map[string]map[string]map[string]string `yaml:"Condition"`
				} `yaml:"Statement"`
			} `yaml:"AssumeRolePolicyDocument"`
			Policies []struct {
				Document struct {
					Version   string `yaml:"Version"`
					Statement []struct {
						Effect   string   `yaml:"Effect"`
						Action   []string `yaml:"Action"`
						Resource string   `yaml:"Resource"`
					} `yaml:"Statement"`
				} `yaml:"PolicyDocument"`
			} `yaml:"Policies"`
		} `yaml:"Properties"`
	} `yaml:"Resources"`
	Outputs map[string]struct {
		Value map[string][]string `yaml:"Value"`
	} `yaml:"Outputs"`
}

// parseTemplate reads a template as any YAML parser would.
func parseTemplate(t *testing.T, src []byte) cfnTemplate {
	t.Helper()
	var tpl cfnTemplate
	if err := yaml.Unmarshal(src, &tpl); err != nil {
		t.Fatalf("template is not YAML: %v\n%s", err, src)
	}
	return tpl
}

func TestRoleTemplate(t *testing.T) {
	actions := []string{"ec2:DescribeNatGateways", "ec2:DescribeRegions", "ec2:DescribeVpcs", "sts:GetCallerIdentity"}
	for _, lang := range i18n.Langs {
		for _, ext := range []string{"spring-26", ""} {
			src, err := RoleTemplate(RoleTemplateOptions{Labs: []string{"nat-private-egress"}, Actions: actions,
				InstructorAccount: "123456789012", ExternalID: ext}, i18n.New(lang))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(src), "# ") {
				t.Errorf("%s: the template does not start with its instructions", lang)
			}
			tpl := parseTemplate(t, src)
			if tpl.Version != "2010-09-09" {
				t.Errorf("AWSTemplateFormatVersion = %q", tpl.Version)
			}
			if d := tpl.Parameters["InstructorAccountId"].Default; d == nil || *d != "123456789012" {
				t.Errorf("InstructorAccountId default = %v", d)
			}
			if d := tpl.Parameters["ExternalId"].Default; (ext == "" && d != nil) || (ext != "" && (d == nil || *d != ext)) {
				t.Errorf("ExternalId default = %v, want %q", d, ext)
			}
			role, ok := tpl.Resources["VpclabClassRole"]
			if !ok || role.Type != "AWS::IAM::Role" || role.Properties.RoleName != DefaultRoleName {
				t.Fatalf("role = %+v", role)
			}
			for _, r := range role.Properties.Description {
				if r > 0xff {
					t.Errorf("the role's description has %q: IAM accepts Latin-1 only", r)
					break
				}
			}
			trust := role.Properties.Trust.Statement
			if len(trust) != 1 || trust[0].Action != "sts:AssumeRole" || trust[0].Effect != "Allow" ||
				!reflect.DeepEqual(trust[0].Principal, map[string]any{"AWS": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::${InstructorAccountId}:root"}}) ||
				trust[0].Condition["StringEquals"]["sts:ExternalId"]["Ref"] != "ExternalId" {
				t.Errorf("trust policy = %+v", trust)
			}
			pols := role.Properties.Policies
			if len(pols) != 1 || len(pols[0].Document.Statement) != 1 {
				t.Fatalf("policies = %+v", pols)
			}
			st := pols[0].Document.Statement[0]
			if !reflect.DeepEqual(st.Action, actions) || st.Effect != "Allow" || st.Resource != "*" || pols[0].Document.Version != "2012-10-17" {
				t.Errorf("policy statement = %+v", st)
			}
			if v := tpl.Outputs["RoleArn"].Value["Fn::GetAtt"]; !reflect.DeepEqual(v, []string{"VpclabClassRole", "Arn"}) {
				t.Errorf("output = %v", v)
			}
		}
	}
}
