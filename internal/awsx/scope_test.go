package awsx

import "testing"

func TestCredentialScope(t *testing.T) {
	for auth, want := range map[string]string{
		"AWS4-HMAC-SHA256 Credential=testing/20261205/us-west-2/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab": "us-west-2",
		"AWS4-HMAC-SHA256 Credential=testing/20261205/ap-northeast-1/ecs/aws4_request,SignedHeaders=host":                      "ap-northeast-1",
		"": "",
		"AWS4-HMAC-SHA256 Credential=testing/20261205":                   "",
		"AWS4-HMAC-SHA256 Credential=k/d//ec2/aws4_request, Signature=x": "",
		"AWS4-HMAC-SHA256 Credential=k/d/r/ec2/aws5_request":             "",
		"Basic dXNlcjpwYXNz": "",
	} {
		if got, _ := CredentialScope(auth); got != want {
			t.Errorf("CredentialScope(%q) region = %q, want %q", auth, got, want)
		}
	}
}

// The service is what the call meter counts requests under.
func TestCredentialScopeService(t *testing.T) {
	if r, s := CredentialScope("AWS4-HMAC-SHA256 Credential=testing/20261205/us-west-2/ec2/aws4_request, SignedHeaders=host, Signature=ab"); r != "us-west-2" || s != "ec2" {
		t.Errorf("CredentialScope = %q, %q", r, s)
	}
}
