package sandboxtest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1:5000", true},
		{"http://127.8.9.10", true},
		{"http://[::1]:5000", true},
		{"http://localhost:4566", true},
		{"https://LOCALHOST", true},
		{"https://ec2.us-east-1.amazonaws.com", false},
		{"http://10.0.0.5:5000", false},
		{"http://0.0.0.0:5000", false},
		{"http://127.0.0.1.nip.io", false},
		{"http://localhost.example.com", false},
		{"127.0.0.1:5000", false},
		{"ftp://127.0.0.1", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isLoopback(tt.url); got != tt.want {
			t.Errorf("isLoopback(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestCheckSafe(t *testing.T) {
	dummy := credentials.NewStaticCredentialsProvider("testing", "testing", "")
	tests := []struct {
		name    string
		cfg     aws.Config
		wantErr bool
	}{
		{"sandbox", aws.Config{BaseEndpoint: aws.String("http://127.0.0.1:5000"), Credentials: dummy}, false},
		{"no endpoint", aws.Config{Credentials: dummy}, true},
		{"real endpoint", aws.Config{BaseEndpoint: aws.String("https://ec2.us-east-1.amazonaws.com"), Credentials: dummy}, true},
		{"no credentials", aws.Config{BaseEndpoint: aws.String("http://127.0.0.1:5000")}, true},
		{"real-looking key", aws.Config{BaseEndpoint: aws.String("http://127.0.0.1:5000"),
			Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "secret", "")}, true},
		{"session token", aws.Config{BaseEndpoint: aws.String("http://127.0.0.1:5000"),
			Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "token")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkSafe(tt.cfg); (err != nil) != tt.wantErr {
				t.Errorf("checkSafe() = %v, want error: %v", err, tt.wantErr)
			}
		})
	}
}
