package classroom

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/vpclab/vpclab/i18n"
)

// DefaultRoleName is the role the template creates, so that an instructor
// can write a roster from account ids alone.
const DefaultRoleName = "vpclab-class"

// RoleTemplateOptions describe the role a learner deploys.
type RoleTemplateOptions struct {
	Labs []string // lab ids, for the descriptions
	// Actions are the read-only IAM actions the labs' checks need (what
	// vpclab policy prints); the role is allowed exactly these.
	Actions           []string
	InstructorAccount string // 12 digits; the only account trusted
	ExternalID        string // the ExternalId parameter's default; "" = none, the learner types it
	RoleName          string // "" = DefaultRoleName
}

type kv = yaml.MapItem
type mapping = yaml.MapSlice

// RoleTemplate is a CloudFormation template (YAML) that a learner deploys
// in their own account: one IAM role that only the instructor's account
// may assume, only with the external id, and that may only make the labs'
// read-only calls. Its output RoleArn goes into the class roster. The
// comments and descriptions are in loc's language, except the role's own
// description, which IAM limits to Latin-1.
func RoleTemplate(o RoleTemplateOptions, loc *i18n.Localizer) ([]byte, error) {
	if o.RoleName == "" {
		o.RoleName = DefaultRoleName
	}
	labs := strings.Join(o.Labs, ", ")
	externalID := mapping{
		{Key: "Type", Value: "String"},
		{Key: "MinLength", Value: 2},
		{Key: "MaxLength", Value: 1224},
		{Key: "AllowedPattern", Value: `[\w+=,.@:/-]*`},
		{Key: "Description", Value: loc.T("ClassRoleParamExternalID")},
	}
	if o.ExternalID != "" {
		externalID = append(externalID[:1], append(mapping{{Key: "Default", Value: o.ExternalID}}, externalID[1:]...)...)
	}
	tpl := mapping{
		{Key: "AWSTemplateFormatVersion", Value: "2010-09-09"},
		{Key: "Description", Value: loc.T("ClassRoleDescription", i18n.M{"Labs": labs})},
		{Key: "Parameters", Value: mapping{
			{Key: "InstructorAccountId", Value: mapping{
				{Key: "Type", Value: "String"},
				{Key: "Default", Value: o.InstructorAccount},
				{Key: "AllowedPattern", Value: `\d{12}`},
				{Key: "Description", Value: loc.T("ClassRoleParamInstructor")},
			}},
			{Key: "ExternalId", Value: externalID},
		}},
		{Key: "Resources", Value: mapping{
			{Key: "VpclabClassRole", Value: mapping{
				{Key: "Type", Value: "AWS::IAM::Role"},
				{Key: "Properties", Value: mapping{
					{Key: "RoleName", Value: o.RoleName},
					// IAM accepts only Latin-1 here, so this one is English.
					{Key: "Description", Value: "Read-only access for the vpclab class checks of your instructor (" + labs + ")"},
					{Key: "MaxSessionDuration", Value: 3600},
					{Key: "AssumeRolePolicyDocument", Value: mapping{
						{Key: "Version", Value: "2012-10-17"},
						{Key: "Statement", Value: []mapping{{
							{Key: "Sid", Value: "OnlyTheInstructorWithTheExternalId"},
							{Key: "Effect", Value: "Allow"},
							{Key: "Principal", Value: mapping{
								{Key: "AWS", Value: mapping{{Key: "Fn::Sub", Value: "arn:${AWS::Partition}:iam::${InstructorAccountId}:root"}}},
							}},
							{Key: "Action", Value: "sts:AssumeRole"},
							{Key: "Condition", Value: mapping{
								{Key: "StringEquals", Value: mapping{{Key: "sts:ExternalId", Value: mapping{{Key: "Ref", Value: "ExternalId"}}}}},
							}},
						}}},
					}},
					{Key: "Policies", Value: []mapping{{
						{Key: "PolicyName", Value: "vpclab-read-only-checks"},
						{Key: "PolicyDocument", Value: mapping{
							{Key: "Version", Value: "2012-10-17"},
							{Key: "Statement", Value: []mapping{{
								{Key: "Sid", Value: "VpclabReadOnlyChecks"},
								{Key: "Effect", Value: "Allow"},
								{Key: "Action", Value: o.Actions},
								{Key: "Resource", Value: "*"},
							}}},
						}},
					}}},
				}},
			}},
		}},
		{Key: "Outputs", Value: mapping{
			{Key: "RoleArn", Value: mapping{
				{Key: "Description", Value: loc.T("ClassRoleOutput")},
				{Key: "Value", Value: mapping{{Key: "Fn::GetAtt", Value: []string{"VpclabClassRole", "Arn"}}}},
			}},
		}},
	}
	body, err := yaml.MarshalWithOptions(tpl, yaml.IndentSequence(true))
	if err != nil {
		return nil, err
	}
	var head strings.Builder
	for _, line := range strings.Split(loc.T("ClassRoleComment", i18n.M{"Labs": labs, "Instructor": o.InstructorAccount, "Role": o.RoleName}), "\n") {
		fmt.Fprintf(&head, "# %s\n", line)
	}
	return append([]byte(strings.ReplaceAll(head.String(), "# \n", "#\n")), body...), nil
}
