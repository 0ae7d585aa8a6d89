package cli

import (
	"context"
	"net"
	"strings"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/vpclab/vpclab/i18n"
)

// TestNoSuchRegionExplained: DNS saying a Region's endpoint does not
// exist reads as that Region not existing, with the closest that does,
// not as "check your network"; a known Region's lookup failing still
// reads as the network.
func TestNoSuchRegionExplained(t *testing.T) {
	lookup := func(host string) error {
		return &smithyhttp.RequestSendError{Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}}
	}
	for _, tc := range []struct {
		lang i18n.Lang
		host string
		want string
	}{
		{i18n.EN, "ec2.us-east-9.amazonaws.com", "AWS has no Region us-east-9: DNS says its endpoint (ec2.us-east-9.amazonaws.com) does not exist. Did you mean us-east-1? Use a Region AWS has (--region, AWS_REGION or your profile's region)."},
		{i18n.JA, "ec2.ap-northeast-9.amazonaws.com", "AWS にリージョン ap-northeast-9 はありません。そのエンドポイント（ec2.ap-northeast-9.amazonaws.com）は存在しないと DNS が答えました。ap-northeast-1 の誤りではありませんか。"},
		{i18n.EN, "ec2.zz-nowhere-7.amazonaws.com", "AWS has no Region zz-nowhere-7: DNS says its endpoint (ec2.zz-nowhere-7.amazonaws.com) does not exist. Use a Region AWS has"},
		{i18n.EN, "ec2.us-east-1.amazonaws.com", "Cannot reach AWS: "},
	} {
		env := &Env{Getenv: func(string) string { return "" }, Ctx: context.Background(), Loc: i18n.New(tc.lang)}
		if got := explainAWS(env, lookup(tc.host), "", "first-vpc", "ap-northeast-1", false); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s %s:\n got %q\nwant %q…", tc.lang, tc.host, got, tc.want)
		}
	}
}

// TestRegionNoticeOnlyForEndpoints: the notice is for an endpoint of
// AWS_ENDPOINT_URL (the sandbox answers a Region it does not know with an
// HTTP 500); against AWS itself the DNS answer says it, once.
func TestRegionNoticeOnlyForEndpoints(t *testing.T) {
	for _, tc := range []struct {
		endpoint, region string
		want             string
	}{
		{"http://127.0.0.1:5050", "us-east-9", "Note: us-east-9 is not an AWS Region this vpclab knows. Did you mean us-east-1? vpclab asks http://127.0.0.1:5050 about it all the same.\n"},
		{"http://127.0.0.1:5050", "zz-nowhere-7", "Note: zz-nowhere-7 is not an AWS Region this vpclab knows. vpclab asks http://127.0.0.1:5050 about it all the same.\n"},
		{"http://127.0.0.1:5050", "ap-northeast-1", ""},
		{"", "us-east-9", ""},
		{"http://127.0.0.1:5050", "", ""},
	} {
		var errb strings.Builder
		env := &Env{Stderr: &errb, Getenv: func(k string) string {
			if k == "AWS_ENDPOINT_URL" {
				return tc.endpoint
			}
			return ""
		}, Ctx: context.Background(), Loc: i18n.New(i18n.EN)}
		regionNotice(env, tc.region)
		if errb.String() != tc.want {
			t.Errorf("endpoint %q, Region %q: %q, want %q", tc.endpoint, tc.region, errb.String(), tc.want)
		}
	}
}
