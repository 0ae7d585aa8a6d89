// Package regions knows the AWS Regions there are, to word a mistyped
// one (us-east-9) wherever vpclab meets it: a lab's front matter, a
// roster, --region, an endpoint DNS does not know.
package regions

import "slices"

// All are the AWS Regions of every partition that the AWS SDK this
// vpclab is built with knows (its endpoint rules, partitions.json);
// TestAllAreTheSDKs keeps the two the same. They word a mistyped
// Region (us-east-9 has no endpoint: "no such host" said nothing of the
// Region); nothing is refused for not being here, since a Region AWS
// opens later works with this SDK all the same.
var All = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1",
	"cn-northwest-1", "eu-central-1", "eu-central-2", "eu-isoe-west-1", "eu-north-1", "eu-south-1",
	"eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "eusc-de-east-1", "il-central-1",
	"me-central-1", "me-south-1", "me-west-1", "mx-central-1", "sa-east-1", "sa-west-1",
	"us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1",
	"us-isob-east-1", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1", "us-west-1", "us-west-2",
}

// Known reports whether r is one of All.
func Known(r string) bool {
	_, ok := slices.BinarySearch(All, r)
	return ok
}
