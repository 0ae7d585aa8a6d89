package checkrun_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/checkrun"
)

// unreachableErr is a real SDK error from a real connection to a loopback
// port nobody listens on: what a dropped network looks like to vpclab.
func unreachableErr(t *testing.T) error {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	_, err = ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if err == nil || !awsx.Transient(err) {
		t.Fatalf("want a transient network error, got %v", err)
	}
	return err
}

// TestWaitRidesOutTransientErrors: with --wait, an error that may go away
// by itself (here, the network dropped for two rounds) is waited out until
// the deadline like a failing check, instead of ending the run.
func TestWaitRidesOutTransientErrors(t *testing.T) {
	netErr := unreachableErr(t)
	o := natOnlyLab(t)
	loads := 0
	o.Load = func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
		loads++
		if loads <= 2 {
			return nil, netErr
		}
		return snapshot(ec2types.NatGatewayStateAvailable), nil
	}
	o.Sleep = func(ctx context.Context, d time.Duration) error { return nil }
	o.Wait = time.Minute
	var told []error // each ridden-out error is told, for the progress line
	o.Unanswered = func(err error, left time.Duration) {
		if left <= 0 || left > time.Minute {
			t.Errorf("told %s left", left)
		}
		told = append(told, err)
	}
	rep, err := checkrun.Run(context.Background(), *o)
	if err != nil {
		t.Fatalf("Run with --wait gave up on a transient error: %v", err)
	}
	if loads != 3 || len(rep.Results) != 1 || rep.Results[0].Status != checks.Pass {
		t.Errorf("%d loads, results %+v; want 3 loads and a pass", loads, rep.Results)
	}
	if len(told) != 2 || !errors.Is(told[0], netErr) {
		t.Errorf("told %v, want the network error twice", told)
	}
	o.Unanswered = nil

	// Without --wait the first error ends the run, and a final error (the
	// guard refusing a call) ends it even with --wait.
	for _, tc := range []struct {
		wait time.Duration
		err  error
	}{{0, netErr}, {time.Minute, &awsx.NotReadOnlyError{Action: "ec2:CreateVpc"}}} {
		loads = 0
		o.Wait = tc.wait
		o.Load = func(ctx context.Context, need account.Need) (*account.Snapshot, error) { loads++; return nil, tc.err }
		if _, err := checkrun.Run(context.Background(), *o); !errors.Is(err, tc.err) || loads != 1 {
			t.Errorf("wait %s, %T: err %v after %d loads; want the error after 1 load", tc.wait, tc.err, err, loads)
		}
	}
}
