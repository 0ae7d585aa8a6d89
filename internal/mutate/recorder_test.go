package mutate

import "testing"

func TestSignedRegion(t *testing.T) {
	for auth, want := range map[string]string{
		"AWS4-HMAC-SHA256 Credential=testing/20261205/us-west-2/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab": "us-west-2",
		"AWS4-HMAC-SHA256 Credential=testing/20261205/ap-northeast-1/ecs/aws4_request,SignedHeaders=host":                      "ap-northeast-1",
		"": "",
		"AWS4-HMAC-SHA256 Credential=testing/20261205":                   "",
		"AWS4-HMAC-SHA256 Credential=k/d//ec2/aws4_request, Signature=x": "",
		"AWS4-HMAC-SHA256 Credential=k/d/r/ec2/aws5_request":             "",
		"Basic dXNlcjpwYXNz": "",
	} {
		if got := signedRegion(auth); got != want {
			t.Errorf("signedRegion(%q) = %q, want %q", auth, got, want)
		}
	}
}

func TestTouched(t *testing.T) {
	r := &recorder{regions: map[string]bool{"us-east-1": true, "us-west-2": true, "eu-west-1": true}}
	got, ok := r.touched("us-east-1")
	if !ok || len(got) != 2 || got[0] != "eu-west-1" || got[1] != "us-west-2" {
		t.Errorf("touched = %v, %v", got, ok)
	}
	r = &recorder{regions: map[string]bool{"us-east-1": true}}
	if got, ok := r.touched("us-east-1"); !ok || got == nil || len(got) != 0 {
		t.Errorf("only the lab's Region: touched = %#v, %v (an empty search, not every Region)", got, ok)
	}
	r.unsigned = true
	if _, ok := r.touched("us-east-1"); ok {
		t.Error("a request whose Region is unknown must make the search cover every Region")
	}
}
