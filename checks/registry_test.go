package checks_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

func TestEvaluateNeeds(t *testing.T) {
	blocks := parseBlocks(t,
		lines("id: vpc", "kind: vpc", "name: lab-vpc"), // fails: there is no lab-vpc
		lines("id: subnet", "kind: subnet", "name: demo-private-a", "vpc: lab-vpc", "public: false", "needs: [vpc]"),
		lines("id: route", "kind: route", "subnet: demo-private-a", "target: nat-gateway", "needs: [subnet]"),
		lines("id: warns", "kind: route", "subnet: demo-private-b", "target: nat-gateway"), // warns: its NAT gateway is in another AZ
		lines("id: nat", "kind: nat-gateway", "name: demo-nat", "needs: [warns]"),
		lines("id: unrelated", "kind: elastic-ip", "name: demo-nat-eip", "needs: [nat, not-a-check]"),
	)
	snap := labSnap()
	for i := range snap.RouteTables {
		if *snap.RouteTables[i].RouteTableId == rtbPriv {
			snap.RouteTables[i].Associations = append(snap.RouteTables[i].Associations, explicitAssoc(rtbPriv, subPrivB))
		}
	}
	rs := checks.Evaluate(snap, blocks)
	if len(rs) != len(blocks) {
		t.Fatalf("%d results for %d blocks", len(rs), len(blocks))
	}
	for i, r := range rs {
		if r.Check != blocks[i].ID || r.Block != blocks[i] || r.Step != "s" || r.Kind != blocks[i].Kind {
			t.Errorf("result %d is labelled %s/%s/%s, want s/%s/%s", i, r.Step, r.Check, r.Kind, blocks[i].ID, blocks[i].Kind)
		}
	}
	checkResult(t, rs[0], want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFound"})
	checkResult(t, rs[1], want{status: checks.Skipped, msg: "CheckSkippedNeeds", data: i18n.M{"Need": "vpc"}, text: []string{`"vpc"`}, noFixAtAll: true})
	// a skipped check is not OK either: what needs it is skipped in turn
	checkResult(t, rs[2], want{status: checks.Skipped, msg: "CheckSkippedNeeds", data: i18n.M{"Need": "subnet"}})
	checkResult(t, rs[3], want{status: checks.Warn, reason: "NGW_CROSS_AZ", msg: "CheckRouteNATOtherAZ"})
	// a warning counts as done
	checkResult(t, rs[4], want{status: checks.Pass, msg: "CheckNATPass", res: []string{natID}})
	// an unknown need does not block
	checkResult(t, rs[5], want{status: checks.Pass, msg: "CheckEIPPass", res: []string{allocID}})
	if rs[1].OK() || rs[0].OK() || !rs[3].OK() || !rs[4].OK() {
		t.Errorf("OK(): fail %v, skipped %v, warn %v, pass %v", rs[0].OK(), rs[1].OK(), rs[3].OK(), rs[4].OK())
	}
}

func TestEvaluateNotLoaded(t *testing.T) {
	for _, c := range []struct {
		check   string
		missing account.Resource
	}{
		{lines("id: c", "kind: vpc", "name: demo-vpc"), account.VPCAttributes},
		{lines("id: c", "kind: route", "subnet: demo-private-a", "target: nat-gateway"), account.EgressOnlyGateways},
		{lines("id: c", "kind: ecs-task", "cluster: demo-cluster", "family: demo-web"), account.NetworkInterfaces},
		{lines("id: c", "kind: cleanup", "cluster: demo-cluster"), account.ECSTasks},
	} {
		t.Run(string(c.missing), func(t *testing.T) {
			snap := labSnap()
			delete(snap.Loaded, c.missing)
			r := checks.Evaluate(snap, parseBlocks(t, c.check))[0]
			checkResult(t, r, want{status: checks.Error, reason: "NOT_LOADED", msg: "CheckNotLoaded",
				data: i18n.M{"Resource": string(c.missing)}, noFixAtAll: true})
			if len(r.Resources) != 0 {
				t.Errorf("the kind ran: resources %v", r.Resources)
			}
		})
	}
}

func TestEvaluateUnknownKindAndPanic(t *testing.T) {
	blocks := parseBlocks(t, lines("id: c", "kind: vpc-peering", "name: x"))
	r := checks.Evaluate(labSnap(), blocks)[0]
	checkResult(t, r, want{status: checks.Error, reason: "UNKNOWN_KIND", msg: "LintKindUnknown", data: i18n.M{"Kind": "vpc-peering"}})

	// A kind that trips over state nobody foresaw (here: no snapshot at
	// all) becomes an error for that check alone; the next check still runs.
	blocks = parseBlocks(t, lines("id: a", "kind: vpc", "name: demo-vpc"), lines("id: b", "kind: elastic-ip", "name: x"))
	rs := checks.Evaluate(nil, blocks)
	if len(rs) != 2 {
		t.Fatalf("%d results, want 2", len(rs))
	}
	for _, r := range rs {
		checkResult(t, r, want{status: checks.Error, reason: "INTERNAL", msg: "CheckInternalError", text: []string{"nil pointer"}})
	}
}

// exampleBlock is a check block of kind k with every required parameter
// set to a valid value.
func exampleBlock(k *checks.Kind, id string) string {
	b := []string{"id: " + id, "kind: " + k.Name}
	for _, f := range k.Params {
		if !f.Required {
			continue
		}
		v := "x"
		switch {
		case len(f.Enum) > 0:
			v = f.Enum[0]
		case f.Type == content.Bool:
			v = "true"
		case f.Type == content.Int || f.Type == content.Number:
			v = "1"
		case f.Type == content.Strings:
			v = "[x]"
		}
		b = append(b, f.Name+": "+v)
	}
	return strings.Join(b, "\n")
}

func TestKindSchemas(t *testing.T) {
	kinds := checks.Kinds()
	if len(kinds) < 15 {
		t.Fatalf("only %d kinds registered: %v", len(kinds), checks.Names())
	}
	if !sort.StringsAreSorted(checks.Names()) {
		t.Errorf("Names() is not sorted: %v", checks.Names())
	}
	reserved := map[string]bool{}
	for _, f := range content.ReservedCheckKeys {
		reserved[f.Name] = true
	}
	for _, k := range kinds {
		if got, ok := checks.Lookup(k.Name); !ok || got != k {
			t.Errorf("Lookup(%q) does not return the registered kind", k.Name)
		}
		if k.Eval == nil {
			t.Errorf("%s: no Eval", k.Name)
		}
		if len(k.Resources) == 0 {
			t.Errorf("%s: no Resources", k.Name)
		}
		for _, r := range k.Resources {
			if len(account.Actions[r]) == 0 {
				t.Errorf("%s reads %s, which has no IAM actions", k.Name, r)
			}
		}
		seen := map[string]bool{}
		for _, f := range k.Params {
			switch {
			case f.Name == "":
				t.Errorf("%s: a parameter has no name", k.Name)
			case seen[f.Name]:
				t.Errorf("%s: parameter %s is declared twice", k.Name, f.Name)
			case reserved[f.Name]:
				t.Errorf("%s: parameter %s shadows a reserved check key", k.Name, f.Name)
			case len(f.Enum) > 0 && f.Type != content.String:
				t.Errorf("%s: parameter %s has an enum but is a %s", k.Name, f.Name, f.Type)
			}
			seen[f.Name] = true
		}
		// every required parameter set: it validates; one unknown key: it does not.
		parseBlocks(t, exampleBlock(k, "c")) // fails the test unless it validates
		withTypo := parseRaw(t, exampleBlock(k, "c")+"\nnmae: typo")[0]
		ds := k.Validate(withTypo.Params)
		if len(ds) != 1 || ds[0].ID != "ContentFieldUnknown" {
			t.Errorf("%s: an unknown parameter gives %v", k.Name, ds)
		}
		var required []string
		for _, f := range k.Params {
			if f.Required {
				required = append(required, f.Name)
			}
		}
		empty := parseRaw(t, "id: c\nkind: "+k.Name)[0]
		if ds := k.Validate(empty.Params); len(ds) != len(required) {
			t.Errorf("%s: without parameters %d diagnostics, want one per required parameter %v: %v", k.Name, len(ds), required, ds)
		}
	}
}

var readAction = regexp.MustCompile(`^(ec2|ecs|elasticloadbalancing):(Describe|List)[A-Z][A-Za-z]+$`)

func TestActions(t *testing.T) {
	// With no blocks, a run still names the account (and may look for the
	// lab's VPC in other regions): identity plus read actions only.
	base := checks.Actions(nil)
	if !contains(base, "sts:GetCallerIdentity") || account.IdentityAction != "sts:GetCallerIdentity" {
		t.Errorf("Actions(nil) = %v, want sts:GetCallerIdentity among them", base)
	}
	for _, a := range base {
		if a != "sts:GetCallerIdentity" && !readAction.MatchString(a) {
			t.Errorf("Actions(nil) has %s, not a Describe or List action", a)
		}
	}
	var bodies []string
	for i, k := range checks.Kinds() {
		bodies = append(bodies, exampleBlock(k, fmt.Sprintf("c%d", i)))
	}
	all := checks.Actions(parseBlocks(t, bodies...))
	if !contains(all, "sts:GetCallerIdentity") {
		t.Errorf("Actions lacks sts:GetCallerIdentity: %v", all)
	}
	if !sort.StringsAreSorted(all) {
		t.Errorf("Actions are not sorted: %v", all)
	}
	seen := map[string]bool{}
	for _, a := range all {
		if seen[a] {
			t.Errorf("action %s listed twice", a)
		}
		seen[a] = true
		if a != "sts:GetCallerIdentity" && !readAction.MatchString(a) {
			t.Errorf("action %s is not a Describe or List action", a)
		}
	}
	// every loader action is reachable from some kind
	for r, as := range account.Actions {
		for _, a := range as {
			if !seen[a] {
				t.Errorf("no kind reads %s (%s)", r, a)
			}
		}
	}
	nat := checks.Actions(parseBlocks(t, lines("id: c", "kind: nat-gateway", "name: demo-nat")))
	for _, a := range []string{"ec2:DescribeNatGateways", "ec2:DescribeAddresses", "ec2:DescribeRouteTables", "sts:GetCallerIdentity"} {
		if !contains(nat, a) {
			t.Errorf("nat-gateway actions %v lack %s", nat, a)
		}
	}
	if contains(nat, "ecs:DescribeTasks") {
		t.Errorf("nat-gateway actions %v include ECS", nat)
	}
}

func TestNeedOf(t *testing.T) {
	n := checks.NeedOf(parseBlocks(t,
		lines("id: a", "kind: ecs-service", "cluster: demo-cluster", "name: demo-web"),
		lines("id: b", "kind: ecs-task", "cluster: demo-cluster", "family: demo-web"),
		lines("id: c", "kind: cleanup", "cluster: lab-cluster"),
		lines("id: d", "kind: vpc", "name: demo-vpc"),
	))
	if fmt.Sprint(n.Clusters) != "[demo-cluster lab-cluster]" {
		t.Errorf("clusters %v", n.Clusters)
	}
	if fmt.Sprint(n.Services) != "map[demo-cluster:[demo-web]]" {
		t.Errorf("services %v", n.Services)
	}
	for _, r := range []account.Resource{account.ECSServices, account.ECSTasks, account.NetworkInterfaces, account.VPCAttributes} {
		if !n.Resources[r] {
			t.Errorf("need lacks %s: %v", r, n.Resources)
		}
	}
	if n.Resources[account.PrefixLists] {
		t.Errorf("need has prefix lists, which none of these kinds reads")
	}
}

// TestParamValuesValidated: a value no AWS resource can have is a lint
// finding at its position, not a check that can never pass.
func TestParamValuesValidated(t *testing.T) {
	for _, c := range []struct{ block, field string }{
		{"kind: vpc\nname: v\ncidr: 10.0.0.0/99", "cidr"},
		{"kind: vpc\nname: v\ncidr: 10.0.1.5/16", "cidr"}, // AWS keeps it masked: 10.0.0.0/16
		{"kind: subnet\nname: s\naz: mars-1a", "az"},
		{"kind: route\nsubnet: s\ntarget: nat-gateway\ndestination: banana", "destination"},
		{"kind: security-group-egress\ngroup: g\nport: 99999", "port"},
		{"kind: security-group-egress\ngroup: g\nport: -1", "port"},
	} {
		b := parseRaw(t, "id: c\n"+c.block)[0]
		k, _ := checks.Lookup(b.Kind)
		ds := k.Validate(b.Params)
		if len(ds) != 1 || ds[0].ID != "ContentFieldType" || ds[0].Args["Field"] != c.field || ds[0].Pos.Line == 0 {
			t.Errorf("%q: %v, want one ContentFieldType for %s at its line", c.block, ds, c.field)
		}
	}
	for _, ok := range []string{"kind: vpc\nname: v\ncidr: 10.0.0.0/16", "kind: subnet\nname: s\naz: ap-northeast-1a", "kind: subnet\nname: s\naz: us-gov-west-1b", "kind: subnet\nname: s\naz: us-west-2-lax-1a",
		"kind: route\nsubnet: s\ntarget: egress-only-internet-gateway\ndestination: ::/0", "kind: security-group-egress\ngroup: g\nport: 0"} {
		b := parseRaw(t, "id: c\n"+ok)[0]
		k, _ := checks.Lookup(b.Kind)
		if ds := k.Validate(b.Params); len(ds) > 0 {
			t.Errorf("%q: %v", ok, ds)
		}
	}
}
