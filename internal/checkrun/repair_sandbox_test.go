package checkrun_test

// Realistic learner mistakes on the real labs, against the sandbox: the
// lab's own commands build it, a mistake is made with the AWS CLI, vpclab
// must catch it, and the fix it prints, run as printed in bash, must make
// every check of the steps done so far pass again. The mistakes run one
// after another on one lab: each starts from the lab the previous repair
// left, which is itself what is being tested.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/checkrun"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func loadRealLab(t *testing.T, id string) *content.Lab {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", "content", "labs"))
	if err != nil {
		t.Fatal(err)
	}
	lab, ds := content.LoadLab(os.DirFS(root), id)
	if len(ds) > 0 {
		t.Fatalf("lab %s does not load: %v", id, ds)
	}
	return lab
}

// shell runs bash code with the sandbox's environment; the lab's blocks
// share shell variables, so they run in one script.
func shell(t *testing.T, env []string, code string) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", code)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LC_ALL=C.UTF-8"}, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash failed: %v\n--- code\n%s\n--- output\n%s", err, code, out)
	}
	return string(out)
}

// labScript is the lab's solution blocks up to and including step upTo.
func labScript(t *testing.T, lab *content.Lab, upTo string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("set -eo pipefail\n")
	for _, s := range lab.Page(i18n.EN).Steps {
		if _, skip := s.Attrs["sandbox"]; !skip {
			for _, blk := range s.Solution {
				if _, skip := blk.Attrs["sandbox"]; !skip {
					b.WriteString(blk.Code + "\n")
				}
			}
		}
		if s.ID == upTo {
			return b.String()
		}
	}
	t.Fatalf("lab %s has no step %s", lab.ID, upTo)
	return ""
}

// doneChecks are the ids of the checks of the steps up to upTo.
func doneChecks(lab *content.Lab, upTo string) map[string]bool {
	done := map[string]bool{}
	for _, s := range lab.Page(i18n.EN).Steps {
		if _, skip := s.Attrs["sandbox"]; !skip {
			for _, c := range s.Checks {
				done[c.ID] = true
			}
		}
		if s.ID == upTo {
			break
		}
	}
	return done
}

// lookup runs bash that prints NAME=value lines and adds them to env,
// so that each mistake's commands need no lookups of their own.
func lookup(t *testing.T, env []string, code string) []string {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(shell(t, env, "set -eo pipefail\n"+code)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && k != "" && !strings.ContainsAny(k, " \t") {
			env = append(env, k+"="+strings.TrimSpace(v))
		}
	}
	return env
}

type mistake struct {
	name   string
	mutate string // bash, with the lab's region exported
	killed string // a check of the steps done that must then fail
}

// runMistakes builds lab up to step upTo, checks that it passes, then
// makes each mistake, and repairs it with the fixes vpclab prints.
func runMistakes(t *testing.T, labID, upTo, ids string, ms []mistake) {
	cfg := sandboxtest.Config(t)
	env := sandboxtest.Env(t)
	lab := loadRealLab(t, labID)
	region := lab.Page(i18n.EN).Meta.Region
	cfg.Region = region
	env = append(env, "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
	done := doneChecks(lab, upTo)
	shell(t, env, labScript(t, lab, upTo))

	check := func() []checks.Result {
		rep, err := checkrun.Run(context.Background(), checkrun.Options{Lab: lab, Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
			return account.Load(ctx, cfg, need)
		}})
		if err != nil {
			t.Fatalf("checkrun: %v", err)
		}
		return rep.Results
	}
	en := i18n.New(i18n.EN)
	notOK := func(rs []checks.Result) []string {
		var out []string
		for _, r := range rs {
			if done[r.Check] && !r.OK() {
				out = append(out, r.Check+": "+string(r.Status)+" "+en.T(r.Message.ID, r.Message.Data))
			}
		}
		return out
	}
	if bad := notOK(check()); len(bad) > 0 {
		t.Fatalf("the lab built by its own commands does not pass:\n%s", strings.Join(bad, "\n"))
	}
	if ids != "" {
		env = lookup(t, env, ids)
	}
	for _, m := range ms {
		ok := t.Run(m.name, func(t *testing.T) {
			shell(t, env, "set -eo pipefail\n"+m.mutate)
			rs := check()
			byID := map[string]checks.Result{}
			for _, r := range rs {
				byID[r.Check] = r
				if strings.Contains(r.Fix, "<") {
					t.Errorf("check %s prints a placeholder:\n%s", r.Check, r.Fix)
				}
			}
			if byID[m.killed].OK() {
				t.Fatalf("mistake not caught: %s passes", m.killed)
			}
			var fixes []string
			for _, r := range rs {
				if !done[r.Check] || r.OK() {
					continue
				}
				switch {
				case r.RootCause != "":
					if r.Fix != "" {
						t.Errorf("%s follows %s but prints its own fix", r.Check, r.RootCause)
					}
				case r.Fix == "":
					t.Errorf("%s fails without a fix: %s", r.Check, en.T(r.Message.ID, r.Message.Data))
				default:
					fixes = append(fixes, r.Fix)
				}
			}
			if len(fixes) == 0 {
				t.Fatalf("no fix printed:\n%s", strings.Join(notOK(rs), "\n"))
			}
			for _, f := range fixes {
				t.Logf("running the printed fix:\n%s", f)
				// As printed: each line as the learner pastes it.
				shell(t, env, f)
			}
			if bad := notOK(check()); len(bad) > 0 {
				t.Fatalf("the printed fix did not repair the lab:\n%s", strings.Join(bad, "\n"))
			}
		})
		if !ok {
			return // the next mistake would start from a broken lab
		}
	}
}

// natIDs looks up, by the lab's Name tags, the ids the mistakes use.
const natIDs = `
id() { aws ec2 describe-$1 --filters Name=tag:Name,Values=$2 --query "$3" --output text; }
echo VPC=$(id vpcs vpclab-nat-vpc 'Vpcs[0].VpcId')
PRIV_A=$(id subnets vpclab-nat-private-a 'Subnets[0].SubnetId')
echo PRIV_A=$PRIV_A
echo PUB_RT=$(id route-tables vpclab-nat-public-rt 'RouteTables[0].RouteTableId')
echo PRIV_A_RT=$(id route-tables vpclab-nat-private-a-rt 'RouteTables[0].RouteTableId')
echo IGW=$(id internet-gateways vpclab-nat-igw 'InternetGateways[0].InternetGatewayId')
echo SG=$(id security-groups vpclab-nat-task-sg 'SecurityGroups[0].GroupId')
echo ACL=$(aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=$PRIV_A --query 'NetworkAcls[0].NetworkAclId' --output text)
`

// assocOfPrivA is the private subnet's association now (it changes when a
// fix re-associates the subnet).
const assocOfPrivA = "ASSOC=$(aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=$PRIV_A --query 'RouteTables[0].Associations[?SubnetId==`'$PRIV_A'`].RouteTableAssociationId|[0]' --output text)\n"

func TestPrintedFixesRepairTheNATLab(t *testing.T) {
	runMistakes(t, "nat-private-egress", "ecs-setup", natIDs, []mistake{
		{"private subnet associated with the shared public route table",
			assocOfPrivA + `aws ec2 replace-route-table-association --association-id $ASSOC --route-table-id $PUB_RT`, "private-a-is-private"},
		{"NAT route deleted",
			`aws ec2 delete-route --route-table-id $PRIV_A_RT --destination-cidr-block 0.0.0.0/0`, "private-a-route"},
		{"subnet left on the main route table",
			assocOfPrivA + `aws ec2 disassociate-route-table --association-id $ASSOC`, "private-a-route"},
		{"internet gateway detached",
			`aws ec2 detach-internet-gateway --internet-gateway-id $IGW --vpc-id $VPC`, "igw-attached"},
		{"task security group egress revoked",
			`aws ec2 revoke-security-group-egress --group-id $SG --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`, "task-sg-egress"},
		{"network ACL denies HTTPS out",
			`aws ec2 create-network-acl-entry --network-acl-id $ACL --egress --rule-number 50 --protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action deny`, "private-a-nacl"},
		{"route to a deleted NAT gateway",
			`NAT=$(aws ec2 describe-route-tables --route-table-ids $PRIV_A_RT --query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].NatGatewayId|[0]" --output text)
aws ec2 delete-nat-gateway --nat-gateway-id $NAT`, "private-a-route"},
	})
}

// The NAT gateway created in the other AZ's public subnet: vpclab must
// move it (it is the lab's NAT gateway, with the lab's Elastic IP), not
// point the subnets at any NAT gateway of the Region.
func TestPrintedFixesRepairANATInTheWrongAZ(t *testing.T) {
	cfg := sandboxtest.Config(t)
	_ = cfg
	lab := loadRealLab(t, "nat-private-egress")
	// The learner's create-nat block with the other public subnet.
	for _, s := range lab.Page(i18n.EN).Steps {
		if s.ID == "create-nat" {
			for _, b := range s.Solution {
				b.Code = strings.ReplaceAll(b.Code, `--subnet-id "$PUBLIC_A_ID"`, `--subnet-id "$PUBLIC_C_ID"`)
			}
		}
	}
	runMistakesOn(t, lab, "route-private", "nat-a-available")
}

// runMistakesOn is runMistakes for a lab the learner got wrong while
// building it: the mistake is in its own commands.
func runMistakesOn(t *testing.T, lab *content.Lab, upTo, killed string) {
	env := sandboxtest.Env(t)
	region := lab.Page(i18n.EN).Meta.Region
	cfg := sandboxtest.Config(t)
	cfg.Region = region
	env = append(env, "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
	done := doneChecks(lab, upTo)
	shell(t, env, labScript(t, lab, upTo))
	check := func() []checks.Result {
		rep, err := checkrun.Run(context.Background(), checkrun.Options{Lab: lab, Load: func(ctx context.Context, need account.Need) (*account.Snapshot, error) {
			return account.Load(ctx, aws.Config(cfg), need)
		}})
		if err != nil {
			t.Fatalf("checkrun: %v", err)
		}
		return rep.Results
	}
	en := i18n.New(i18n.EN)
	rs := check()
	var fixes []string
	for _, r := range rs {
		if r.Check == killed && r.OK() {
			t.Fatalf("mistake not caught: %s passes", killed)
		}
		if done[r.Check] && !r.OK() && r.RootCause == "" {
			if r.Fix == "" {
				t.Errorf("%s fails without a fix: %s", r.Check, en.T(r.Message.ID, r.Message.Data))
			}
			fixes = append(fixes, r.Fix)
		}
	}
	for _, f := range fixes {
		if strings.Contains(f, "<") {
			t.Errorf("placeholder in fix:\n%s", f)
		}
		t.Logf("running the printed fix:\n%s", f)
		shell(t, env, f)
	}
	for _, r := range check() {
		if done[r.Check] && !r.OK() {
			t.Errorf("after the printed fix %s still fails: %s", r.Check, en.T(r.Message.ID, r.Message.Data))
		}
	}
}

func TestPrintedFixesRepairTheIGWLab(t *testing.T) {
	runMistakes(t, "igw-eip-basics", "associate-eip", "", []mistake{
		{"Elastic IP association removed",
			`ASSOC=$(aws ec2 describe-addresses --filters Name=tag:Name,Values=vpclab-igw-eip --query 'Addresses[0].AssociationId' --output text)
aws ec2 disassociate-address --association-id $ASSOC`, "eip-associated"},
	})
}
