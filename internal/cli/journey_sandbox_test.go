package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/sandbox"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// breakers break the third step of each main lab again (and repair it),
// with the shell variables the lab's own solution blocks set.
var breakers = map[string]struct{ breakIt, repair string }{
	"igw-eip-basics": {
		`aws ec2 detach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id "$VPC_ID"`,
		`aws ec2 attach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id "$VPC_ID"`},
	"nat-private-egress": {
		`aws ec2 delete-route --route-table-id "$PRIVATE_A_RT_ID" --destination-cidr-block 0.0.0.0/0`,
		`aws ec2 create-route --route-table-id "$PRIVATE_A_RT_ID" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$NAT_A_ID" >/dev/null`},
	"one-way-egress": {
		`aws ec2 delete-route --route-table-id "$PRIVATE_RT_ID" --destination-cidr-block 0.0.0.0/0`,
		`aws ec2 create-route --route-table-id "$PRIVATE_RT_ID" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$NAT_ID" >/dev/null`},
	"nat-vs-endpoints": {
		`aws ec2 revoke-security-group-egress --group-id "$TASK_SG_ID" --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' >/dev/null`,
		`aws ec2 authorize-security-group-egress --group-id "$TASK_SG_ID" --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' >/dev/null`},
}

type checkJSON struct {
	CurrentStep string   `json:"current_step"`
	Complete    bool     `json:"complete"`
	Regressions []string `json:"regressions"`
	Steps       []struct {
		ID          string  `json:"id"`
		Role        string  `json:"role"`
		State       string  `json:"state"`
		FirstDoneAt *string `json:"first_done_at"`
	} `json:"steps"`
}

// Each main lab, built by its own solution blocks on the sandbox: midway
// the check exits 0 and names the fourth step; a step broken again is a
// regression (exit 1); after the required steps the clean-up is next; after
// the clean-up the lab is complete and its badge says done.
func TestCheckJourneyOnTheSandbox(t *testing.T) {
	labs, ds, err := content.Load(content.Embedded(), "labs")
	if err != nil || len(ds) > 0 {
		t.Fatal(err, ds)
	}
	// Each lab in an account of its own on the one sandbox, so that the
	// labs run side by side: the shell and vpclab check both use the
	// account's credentials (moto's AssumeRole picks the account).
	sandboxtest.Reset(t)
	t.Setenv("VPCLAB_STATE_DIR", t.TempDir())
	ids := []string{"igw-eip-basics", "nat-private-egress", "one-way-egress", "nat-vs-endpoints"}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(sandboxtest.Region), config.WithBaseEndpoint(sandboxtest.URL(t)),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(sandbox.DummyCredential, sandbox.DummyCredential, "")))
	if err != nil {
		t.Fatal(err)
	}
	var file strings.Builder
	keys := map[string][]string{}
	for i, id := range ids {
		out, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String(fmt.Sprintf("arn:aws:iam::%012d:role/vpclab-learner", 210000000000+i)), RoleSessionName: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		c := out.Credentials
		keys[id] = []string{"AWS_ACCESS_KEY_ID=" + *c.AccessKeyId, "AWS_SECRET_ACCESS_KEY=" + *c.SecretAccessKey, "AWS_SESSION_TOKEN=" + *c.SessionToken}
		fmt.Fprintf(&file, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n", id, *c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
	}
	credsFile := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(credsFile, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credsFile)

	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			lab := content.Find(labs, id)
			if lab == nil {
				t.Fatalf("no lab %s", id)
			}
			page := lab.Page(i18n.EN)
			region := page.Meta.Region
			env := append(append(os.Environ(), sandboxtest.Env(t)...), "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region, "AWS_PAGER=")
			env = append(env, keys[id]...)
			sh := startLabShell(t, env)

			var withChecks []*content.Step
			for _, s := range page.Steps {
				if s.IsStep() && s.Role == content.RoleRequired {
					withChecks = append(withChecks, s)
				}
			}
			if len(withChecks) < 4 {
				t.Fatalf("%d required steps with checks", len(withChecks))
			}

			check := func(wantCode int, args ...string) (checkJSON, string) {
				t.Helper()
				base := []string{"check", id, "--region", region, "--profile", id}
				code, out, stderr := runCLI(t, "", nil, append(append(base, args...), "--format", "json")...)
				if code != wantCode {
					t.Fatalf("check %v: exit %d, want %d\n%s\n%s", args, code, wantCode, out, stderr)
				}
				var j checkJSON
				if err := json.Unmarshal([]byte(out), &j); err != nil {
					t.Fatalf("check: not JSON: %v\n%s", err, out)
				}
				if wantCode == 1 || j.CurrentStep == "cleanup" || j.Complete || j.CurrentStep == withChecks[3].ID {
					// The words too, where the test reads them.
					_, text, _ := runCLI(t, "", nil, append(append(base, args...), "--record=false")...)
					return j, text
				}
				return j, ""
			}
			stateOf := func(j checkJSON, step string) string {
				for _, s := range j.Steps {
					if s.ID == step {
						return s.State
					}
				}
				return "(absent)"
			}
			began := time.Now()
			doStep := func(s *content.Step) {
				for _, b := range s.Solution {
					if _, skip := b.Attrs["sandbox"]; !skip {
						sh.run(s.ID+" "+b.Pos.String(), b.Code)
					}
				}
				t.Logf("%s done at %s", s.ID, time.Since(began).Round(time.Second))
			}

			// Midway: the first three steps with checks.
			third := withChecks[2]
			for _, s := range page.Steps {
				doStep(s)
				if s == third {
					break
				}
			}
			j, text := check(0)
			if j.CurrentStep != withChecks[3].ID {
				t.Errorf("midway: current step %q, want %q", j.CurrentStep, withChecks[3].ID)
			}
			for _, s := range withChecks[:3] {
				if st := stateOf(j, s.ID); st != "done" {
					t.Errorf("midway: step %s is %s", s.ID, st)
				}
			}
			if st := stateOf(j, withChecks[4%len(withChecks)].ID); len(withChecks) > 4 && st != "not-reached" {
				t.Errorf("midway: the fifth step is %s", st)
			}
			if !strings.Contains(text, "Next: step ") || !strings.Contains(text, "--step "+withChecks[3].ID) {
				t.Errorf("midway: the text does not name the next step:\n%s", text)
			}

			// The third step broken again: a regression.
			sh.run("break "+third.ID, breakers[id].breakIt)
			j, text = check(1)
			if len(j.Regressions) != 1 || j.Regressions[0] != third.ID || stateOf(j, third.ID) != "failing" {
				t.Errorf("broken: regressions %v, %s is %s", j.Regressions, third.ID, stateOf(j, third.ID))
			}
			if !strings.Contains(text, "Regression: step") || !strings.Contains(text, "#"+third.ID) {
				t.Errorf("broken: the text does not name the regression:\n%s", text)
			}
			sh.run("repair "+third.ID, breakers[id].repair)
			check(0)

			// Every required step: the clean-up is next.
			started := false
			for _, s := range page.Steps {
				if started && s.Role == content.RoleRequired && s.Sandbox() == "" {
					doStep(s)
				}
				started = started || s == third
			}
			j, text = check(0)
			if j.CurrentStep != "cleanup" || j.Complete {
				t.Errorf("built: current %q complete %v, want the clean-up", j.CurrentStep, j.Complete)
			}
			if !strings.Contains(text, "Next: clean up") {
				t.Errorf("built: the text does not name the clean-up:\n%s", text)
			}

			// The clean-up: complete, and nothing went backwards.
			for _, s := range page.Steps {
				for _, b := range s.Cleanup {
					if _, skip := b.Attrs["sandbox"]; !skip {
						sh.run(s.ID+" cleanup "+b.Pos.String(), b.Code)
					}
				}
			}
			j, text = check(0)
			if !j.Complete || j.CurrentStep != "" || len(j.Regressions) != 0 {
				t.Errorf("cleaned up: complete %v current %q regressions %v", j.Complete, j.CurrentStep, j.Regressions)
			}
			for _, s := range withChecks {
				if st := stateOf(j, s.ID); st != "done" && st != "done-earlier" {
					t.Errorf("cleaned up: step %s is %s", s.ID, st)
				}
			}
			if !strings.Contains(text, "Lab complete") {
				t.Errorf("cleaned up: the text does not say complete:\n%s", text)
			}
			code, svg, stderr := runCLI(t, "", nil, "badge", id)
			if code != 0 || !strings.Contains(svg, ">done<") {
				t.Errorf("badge: exit %d %s\n%s", code, stderr, svg)
			}
		})
	}
}
