package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/checkrun"
)

const reportLab = "---\nid: demo\ntitle: Demo\nsummary: test\nlevel: beginner\nduration: 5\n" +
	"cost:\n  usd_per_hour: 0.05\n  region: us-east-1\nservices: [VPC]\nregion: us-east-1\n---\n\n## Route {#route}\n\n" +
	"```check\nid: route\nkind: route\nsubnet: demo-private\ntarget: nat-gateway\n```\n\n" +
	"```check\nid: path\nkind: egress-path\nfrom: demo-private\nto: internet\nvia: nat-gateway\n```\n"

// A snapshot whose private subnet lost its NAT route: the route check is
// the root cause with the plan, the path check points to it. (A hand-built
// snapshot: the report is what is tested.)
func reportRun(t *testing.T) (*content.Lab, checkrun.Report) {
	t.Helper()
	p, ds := content.ParsePage("demo/index.en.md", i18n.EN, []byte(reportLab))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	lab := &content.Lab{ID: "demo", Pages: map[i18n.Lang]*content.Page{i18n.EN: p}}
	tag := func(n string) []ec2types.Tag { return []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(n)}} }
	s := &account.Snapshot{Account: "123456789012", Region: "us-east-1", Loaded: map[account.Resource]bool{}}
	for r := range account.Actions {
		s.Loaded[r] = true
	}
	s.VPCs = []ec2types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16"), Tags: tag("demo-vpc")}}
	s.Subnets = []ec2types.Subnet{
		{SubnetId: aws.String("subnet-pub"), VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/24"), AvailabilityZone: aws.String("us-east-1a"), Tags: tag("demo-public")},
		{SubnetId: aws.String("subnet-priv"), VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a"), Tags: tag("demo-private")}}
	s.InternetGateways = []ec2types.InternetGateway{{InternetGatewayId: aws.String("igw-1"), Attachments: []ec2types.InternetGatewayAttachment{{VpcId: aws.String("vpc-1"), State: "available"}}}}
	assoc := func(rt, sn string) []ec2types.RouteTableAssociation {
		return []ec2types.RouteTableAssociation{{RouteTableId: aws.String(rt), SubnetId: aws.String(sn), RouteTableAssociationId: aws.String("rtbassoc-" + sn)}}
	}
	local := ec2types.Route{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local")}
	s.RouteTables = []ec2types.RouteTable{
		{RouteTableId: aws.String("rtb-pub"), VpcId: aws.String("vpc-1"), Associations: assoc("rtb-pub", "subnet-pub"),
			Routes: []ec2types.Route{local, {DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String("igw-1")}}},
		{RouteTableId: aws.String("rtb-priv"), VpcId: aws.String("vpc-1"), Associations: assoc("rtb-priv", "subnet-priv"), Routes: []ec2types.Route{local}, Tags: tag("demo-private-rt")}}
	s.NATGateways = []ec2types.NatGateway{{NatGatewayId: aws.String("nat-1"), VpcId: aws.String("vpc-1"), SubnetId: aws.String("subnet-pub"),
		State: ec2types.NatGatewayStateAvailable, Tags: tag("demo-nat"),
		NatGatewayAddresses: []ec2types.NatGatewayAddress{{PublicIp: aws.String("203.0.113.1"), AllocationId: aws.String("eipalloc-1")}}}}
	return lab, checkrun.Report{Lab: "demo", Account: s.Account, Region: s.Region, Results: checks.Evaluate(s, lab.Checks()), Names: checks.ResourceNames(s)}
}

func TestReportCarriesPlanAndRootCause(t *testing.T) {
	lab, rep := reportRun(t)
	for _, lang := range i18n.Langs {
		loc := i18n.New(lang)
		// JSON: the plan's actions with their commands and console steps,
		// and the root cause.
		jr := jsonReport(loc, rep, nil)
		raw, _ := json.Marshal(jr)
		var back struct {
			Results []struct {
				Plan []struct {
					Op, Command, Console string
				} `json:"plan"`
				Root string `json:"root_cause"`
				F    string `json:"fix"`
				C    string `json:"check"`
			} `json:"results"`
		}
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		route, path := back.Results[0], back.Results[1]
		if len(route.Plan) != 1 || route.Plan[0].Op != "create-route" || !strings.Contains(route.Plan[0].Command, "--nat-gateway-id nat-1") ||
			!strings.Contains(route.Plan[0].Console, "demo-private-rt (rtb-priv)") || route.F == "" {
			t.Errorf("%s: route plan %+v fix %q", lang, route.Plan, route.F)
		}
		if path.Root != "route" || path.F != "" || len(path.Plan) != 0 {
			t.Errorf("%s: path: root %q fix %q plan %v", lang, path.Root, path.F, path.Plan)
		}
		// Text: the fix, then the console steps.
		var out bytes.Buffer
		env := &Env{Stdout: &out, Loc: loc}
		writeText(env, &out, lab, rep, nil)
		text := out.String()
		if !strings.Contains(text, "aws ec2 create-route --route-table-id rtb-priv") || !strings.Contains(text, loc.T("RepairConsoleLabel")) ||
			!strings.Contains(text, "route") || strings.Contains(text, "<no value>") {
			t.Errorf("%s: text:\n%s", lang, text)
		}
		// JUnit: the follower names its root cause.
		out.Reset()
		writeJUnit(env, &out, lab, rep)
		if !strings.Contains(out.String(), loc.T("RepairRootCauseLabel", i18n.M{"Root": "route"})) {
			t.Errorf("%s: junit does not name the root cause:\n%s", lang, out.String())
		}
	}
}

// A finding's report line names the lab's resource and its kind, not the
// finding's internal id (binding:vpcs:NAME); JSON keeps the id.
func TestReportNamesFindingsByTheLabsName(t *testing.T) {
	lab, rep := reportRun(t)
	rep.Results = append(rep.Results, checks.Result{Step: "route", Check: "binding:vpcs:demo-vpc", Kind: "binding",
		Status: checks.Fail, Reason: "DUPLICATE_RESOURCE", Message: i18n.Msg{ID: "CLIPlain", Data: i18n.M{"Text": "two"}}})
	for _, lang := range i18n.Langs {
		loc := i18n.New(lang)
		var out bytes.Buffer
		writeText(&Env{Stdout: &out, Loc: loc}, &out, lab, rep, nil)
		want := " demo-vpc  (" + loc.T("ResVPC") + ")\n"
		if !strings.Contains(out.String(), want) || strings.Contains(out.String(), "binding:vpcs") {
			t.Errorf("%s: no line with %q, or the internal id shown:\n%s", lang, want, out.String())
		}
		raw, _ := json.Marshal(jsonReport(loc, rep, nil))
		if !strings.Contains(string(raw), `"check":"binding:vpcs:demo-vpc"`) {
			t.Errorf("%s: JSON lost the finding's id: %s", lang, raw)
		}
	}
}
