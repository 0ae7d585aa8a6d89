// Package regions knows the AWS Regions there are, to word a mistyped
// one (us-east-9) wherever vpclab meets it: a lab's front matter, a
// roster, --region, an endpoint DNS does not know.
package regions

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/width"
)

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

// places are the names the AWS console gives the commercial Regions, in
// English (the SDK's descriptions: "Asia Pacific (Tokyo)") and in
// Japanese (「アジアパシフィック (東京)」), lowercased: learners type the
// place they picked in the console's Region menu.
var places = map[string]string{
	"cape town": "af-south-1", "ケープタウン": "af-south-1",
	"hong kong": "ap-east-1", "香港": "ap-east-1",
	"taipei": "ap-east-2", "台北": "ap-east-2",
	"tokyo": "ap-northeast-1", "東京": "ap-northeast-1",
	"seoul": "ap-northeast-2", "ソウル": "ap-northeast-2",
	"osaka": "ap-northeast-3", "大阪": "ap-northeast-3",
	"mumbai": "ap-south-1", "ムンバイ": "ap-south-1",
	"hyderabad": "ap-south-2", "ハイデラバード": "ap-south-2",
	"singapore": "ap-southeast-1", "シンガポール": "ap-southeast-1",
	"sydney": "ap-southeast-2", "シドニー": "ap-southeast-2",
	"jakarta": "ap-southeast-3", "ジャカルタ": "ap-southeast-3",
	"melbourne": "ap-southeast-4", "メルボルン": "ap-southeast-4",
	"malaysia": "ap-southeast-5", "マレーシア": "ap-southeast-5",
	"new zealand": "ap-southeast-6", "ニュージーランド": "ap-southeast-6",
	"thailand": "ap-southeast-7", "タイ": "ap-southeast-7",
	"calgary": "ca-west-1", "カルガリー": "ca-west-1",
	"frankfurt": "eu-central-1", "フランクフルト": "eu-central-1",
	"zurich": "eu-central-2", "チューリッヒ": "eu-central-2",
	"stockholm": "eu-north-1", "ストックホルム": "eu-north-1",
	"milan": "eu-south-1", "ミラノ": "eu-south-1",
	"spain": "eu-south-2", "スペイン": "eu-south-2",
	"ireland": "eu-west-1", "アイルランド": "eu-west-1",
	"london": "eu-west-2", "ロンドン": "eu-west-2",
	"paris": "eu-west-3", "パリ": "eu-west-3",
	"tel aviv": "il-central-1", "テルアビブ": "il-central-1",
	"uae": "me-central-1", "アラブ首長国連邦": "me-central-1",
	"bahrain": "me-south-1", "バーレーン": "me-south-1",
	"saudi arabia": "me-west-1", "サウジアラビア": "me-west-1",
	"sao paulo": "sa-east-1", "サンパウロ": "sa-east-1",
	"chile": "sa-west-1", "チリ": "sa-west-1",
	"n. virginia": "us-east-1", "virginia": "us-east-1", "バージニア": "us-east-1",
	"ohio": "us-east-2", "オハイオ": "us-east-2",
	"n. california": "us-west-1", "california": "us-west-1", "カリフォルニア": "us-west-1",
	"oregon": "us-west-2", "オレゴン": "us-west-2",
}

// azSuffix is an Availability Zone's name: its Region's and a letter
// (ap-northeast-1a), or a Local Zone's (us-west-2-lax-1a).
var azSuffix = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})(?:[a-z]|-[a-z]+-[0-9][a-z])$`)

// Guess is the Region s most likely means when s is no Region name, or
// "": the same name written otherwise (" AP-NORTHEAST-1", in full-width
// letters), one of its Availability Zones (ap-northeast-1a), or the place
// the console names it by ("Tokyo", 「アジアパシフィック (東京)」).
// A misspelt name (us-east-9) is the callers' closest-name suggestion.
func Guess(s string) string {
	n := strings.ToLower(strings.TrimSpace(width.Fold.String(s)))
	if Known(n) {
		if n == s {
			return ""
		}
		return n
	}
	if m := azSuffix.FindStringSubmatch(n); m != nil && Known(m[1]) {
		return m[1]
	}
	if r, ok := places[n]; ok {
		return r
	}
	// "Asia Pacific (Tokyo)", 「アジアパシフィック (東京)」, "東京リージョン":
	// the Region of the places the text names, when they agree.
	guess := ""
	for place, r := range places {
		if strings.Contains(n, place) {
			if guess != "" && guess != r {
				return "" // two Regions' places: no guess
			}
			guess = r
		}
	}
	return guess
}
