package mutate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

func TestWriteClientRefusesNonLoopback(t *testing.T) {
	for _, u := range []string{
		"https://ec2.us-east-1.amazonaws.com",
		"http://10.0.0.1:5000",
		"http://0.0.0.0:5000",
		"http://192.168.1.20:5000",
		"http://[2001:db8::1]:5000",
		"ftp://127.0.0.1",
		"127.0.0.1:5000",
		"",
	} {
		_, err := newWriteClients(u, "us-east-1")
		var nl *NotLoopbackError
		if !errors.As(err, &nl) {
			t.Errorf("newWriteClients(%q) = %v, want NotLoopbackError", u, err)
		}
	}
	for _, u := range []string{"http://127.0.0.1:5000", "http://localhost:1", "http://[::1]:5000", "http://127.0.0.2:80"} {
		if _, err := newWriteClients(u, "us-east-1"); err != nil {
			t.Errorf("newWriteClients(%q) = %v, want nil", u, err)
		}
	}
}

// TestWriteClientRefusesRedirectedRequest proves the per-request guard: a
// client built for loopback whose endpoint is changed per call to a real
// AWS URL sends nothing.
func TestWriteClientRefusesRedirectedRequest(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c, err := newWriteClients(srv.URL, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ec2.CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")},
		func(o *ec2.Options) { o.BaseEndpoint = aws.String("https://ec2.us-east-1.amazonaws.com") })
	var nl *NotLoopbackError
	if !errors.As(err, &nl) {
		t.Fatalf("CreateVpc to a real endpoint: err = %v, want NotLoopbackError", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("the loopback server got %d requests, want 0", hits.Load())
	}
}
