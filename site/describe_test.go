package site

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// everyKind has a check block of every kind, some with only the required
// parameters and some with all of them.
const everyKind = `
## Everything {#everything}

'''check
id: a1
kind: vpc
name: vpclab-v
'''
'''check
id: a2
kind: vpc
name: vpclab-v
cidr: 10.0.0.0/16
dns_support: true
dns_hostnames: false
'''
'''check
id: b1
kind: subnet
name: vpclab-s
public: true
'''
'''check
id: b2
kind: subnet
name: vpclab-s
vpc: vpclab-v
cidr: 10.0.1.0/24
az: ap-northeast-1a
public: false
'''
'''check
id: b3
kind: subnet
name: vpclab-s
route_table: vpclab-rt
'''
'''check
id: c1
kind: internet-gateway
vpc: vpclab-v
'''
'''check
id: c2
kind: internet-gateway
vpc: vpclab-v
name: vpclab-igw
'''
'''check
id: d1
kind: elastic-ip
name: vpclab-eip
'''
'''check
id: d2
kind: elastic-ip
name: vpclab-eip
associated: false
'''
'''check
id: e1
kind: nat-gateway
name: vpclab-nat
'''
'''check
id: e2
kind: nat-gateway
name: vpclab-nat
subnet: vpclab-s
connectivity: private
mode: regional
eip: vpclab-eip
'''
'''check
id: f1
kind: route
subnet: vpclab-s
target: internet-gateway
'''
'''check
id: f2
kind: route
subnet: vpclab-s
destination: "::/0"
target: egress-only-internet-gateway
target_name: vpclab-eigw
'''
'''check
id: f3
kind: route
subnet: vpclab-s
target: nat-gateway
target_name: vpclab-nat
'''
'''check
id: f4
kind: route
subnet: vpclab-s
target: none
'''
'''check
id: g1
kind: security-group-egress
group: vpclab-sg
'''
'''check
id: g2
kind: security-group-egress
group: vpclab-sg
port: 80
to: s3
'''
'''check
id: h1
kind: security-group-ingress
group: vpclab-sg
'''
'''check
id: h2
kind: security-group-ingress
group: vpclab-sg
from: vpclab-alb-sg
'''
'''check
id: h3
kind: security-group-ingress
group: vpclab-alb-sg
public: true
port: 443
'''
'''check
id: i1
kind: load-balancer
name: vpclab-alb
'''
'''check
id: x1
kind: exposure
cluster: vpclab
service: vpclab-web
except:
  load_balancer: vpclab-alb
  port: 80
'''
'''check
id: x2
kind: exposure
group: vpclab-sg
'''
'''check
id: i2
kind: load-balancer
name: vpclab-alb
scheme: internal
'''
'''check
id: i3
kind: load-balancer-security
name: vpclab-alb
group: vpclab-alb-sg
targets: vpclab-task-sg
'''
'''check
id: j1
kind: network-acl
subnet: vpclab-s
'''
'''check
id: k1
kind: gateway-endpoint
vpc: vpclab-v
'''
'''check
id: k2
kind: gateway-endpoint
vpc: vpclab-v
service: dynamodb
subnets: [vpclab-s, vpclab-t]
'''
'''check
id: l1
kind: interface-endpoint
vpc: vpclab-v
service: ecr.api
'''
'''check
id: l2
kind: interface-endpoint
vpc: vpclab-v
service: logs
subnets: [vpclab-s]
from: vpclab-sg
private_dns: false
'''
'''check
id: m1
kind: ecs-cluster
name: vpclab-cluster
'''
'''check
id: m2
kind: ecs-service
cluster: vpclab-cluster
name: vpclab-svc
'''
'''check
id: m3
kind: ecs-service
cluster: vpclab-cluster
name: vpclab-svc
min_running: 2
'''
'''check
id: m4
kind: ecs-task
cluster: vpclab-cluster
family: vpclab-curl
'''
'''check
id: n1
kind: egress-path
from: vpclab-s
to: internet
'''
'''check
id: n2
kind: egress-path
cluster: vpclab-cluster
service: vpclab-svc
to: ecr
via: interface-endpoint
port: 443
'''
'''check
id: n4
kind: egress-path
from: vpclab-s
group: vpclab-sg
to: s3
via: gateway-endpoint
'''
'''check
id: n3
kind: egress-path
from: vpclab-s
to: ipv6-internet
reachable: false
'''
'''check
id: o1
kind: cleanup
'''
'''check
id: o2
kind: cleanup
prefix: vpclab-nat-
vpc: vpclab-v
'''
`

func everyKindBlocks(t *testing.T) []*content.CheckBlock {
	t.Helper()
	p, ds := content.ParsePage("labs/demo/index.en.md", i18n.EN, []byte(frontMatter("demo", "Demo", "beginner")+md(everyKind)))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	var out []*content.CheckBlock
	for _, s := range p.Steps {
		out = append(out, s.Checks...)
	}
	for _, b := range out {
		k, ok := checks.Lookup(b.Kind)
		if !ok {
			t.Fatalf("%s: no kind %s", b.ID, b.Kind)
		}
		if ds := k.Validate(b.Params); len(ds) > 0 {
			t.Fatalf("%s: %v", b.ID, ds)
		}
	}
	return out
}

// Every registered kind has a sentence of its own, so a new kind cannot
// ship with the generic one unnoticed.
func TestEveryKindIsDescribed(t *testing.T) {
	seen := map[string]bool{}
	for _, b := range everyKindBlocks(t) {
		seen[b.Kind] = true
		if id, _ := describeMsg(b); id == "SiteCheckOther" {
			t.Errorf("kind %s has no description", b.Kind)
		}
	}
	for _, k := range checks.Names() {
		if !seen[k] {
			t.Errorf("kind %s is not in the test's blocks: add it to everyKind and to describeMsg", k)
		}
	}
}

// catalogs loads the message catalogs with the site's pending messages
// (until the lead merges them) into one bundle.
func catalogs(t *testing.T) (*goi18n.Bundle, map[i18n.Lang]map[string]bool) {
	t.Helper()
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	ids := map[i18n.Lang]map[string]bool{}
	for _, l := range i18n.Langs {
		ids[l] = map[string]bool{}
		src, err := i18n.CatalogSource(l)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{i18n.CatalogFile(l): src}
		pending := filepath.Join("..", "i18n", "pending", "site."+string(l)+".toml")
		if data, err := os.ReadFile(pending); err == nil {
			files["site."+string(l)+".toml"] = data
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		for name, data := range files {
			mf, err := b.ParseMessageFileBytes(data, name)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, m := range mf.Messages {
				ids[l][m.ID] = true
			}
		}
	}
	return b, ids
}

// tr renders a message like i18n.Localizer.T, from the bundle.
func tr(t *testing.T, b *goi18n.Bundle, lang i18n.Lang, id string, data i18n.M) string {
	t.Helper()
	d := i18n.M{}
	for k, v := range data {
		if m, ok := v.(i18n.Msg); ok {
			v = tr(t, b, lang, m.ID, m.Data)
		}
		d[k] = v
	}
	s, err := goi18n.NewLocalizer(b, string(lang)).Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: d})
	if err != nil {
		t.Fatalf("%s %s: %v", lang, id, err)
	}
	return s
}

func TestDescriptionsRead(t *testing.T) {
	b, _ := catalogs(t)
	for _, blk := range everyKindBlocks(t) {
		id, data := describeMsg(blk)
		for _, lang := range i18n.Langs {
			s := tr(t, b, lang, id, data)
			if lang == i18n.JA {
				s = autospace(s)
			}
			if strings.Contains(s, "<no value>") || strings.Contains(s, "[") || strings.Contains(s, "  ") {
				t.Errorf("%s %s: %q", blk.ID, lang, s)
			}
			for _, k := range []string{"name", "vpc", "subnet", "group", "cluster", "family", "target_name", "from", "route_table"} {
				if v, ok := blk.Params.Get(k); ok && !strings.Contains(s, v.Str()) {
					t.Errorf("%s %s: %q does not name %s %q", blk.ID, lang, s, k, v.Str())
				}
			}
			if lang == i18n.JA && !strings.HasSuffix(s, "確認します。") && !strings.HasSuffix(s, "実行します。") {
				t.Errorf("%s: %q is not a polite sentence", blk.ID, s)
			}
			if lang == i18n.EN && !strings.HasPrefix(s, "Checks that ") {
				t.Errorf("%s: %q", blk.ID, s)
			}
			t.Logf("%s %s: %s", blk.ID, lang, s)
		}
	}
}

func TestAutospace(t *testing.T) {
	for in, want := range map[string]string{
		"VPC vpclab-aがあります":   "VPC vpclab-a があります",
		"0.0.0.0/0を送ります":      "0.0.0.0/0 を送ります",
		"サブネット vpclab-s のルート": "サブネット vpclab-s のルート",
		"ポート443":              "ポート 443",
		"インターネット（CIDR）":       "インターネット（CIDR）",
		"English only":        "English only",
	} {
		if got := autospace(in); got != want {
			t.Errorf("autospace(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDescriptionMarksNamesAsCode(t *testing.T) {
	blocks := everyKindBlocks(t)
	var f3 *content.CheckBlock
	for _, b := range blocks {
		if b.ID == "f3" {
			f3 = b
		}
	}
	got := string(describeHTML("route of vpclab-s sends 0.0.0.0/0 to vpclab-nat. Not vpclab-natx, <b>", f3))
	want := "route of <code>vpclab-s</code> sends <code>0.0.0.0/0</code> to <code>vpclab-nat</code>. Not vpclab-natx, &lt;b&gt;"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Every message the site and its commands name exists in both languages,
// in the catalogs or among the pending messages.
func TestSiteMessagesExist(t *testing.T) {
	_, ids := catalogs(t)
	idRE := regexp.MustCompile(`^(Site|Badge|Build|Cmd|Flag|Progress|Status|Dest|Res)[A-Z][A-Za-z]+$`)
	var used []string
	files, _ := filepath.Glob("*.go")
	cli, _ := filepath.Glob(filepath.Join("..", "internal", "cli", "b[au]*.go"))
	for _, f := range append(files, cli...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && idRE.MatchString(s) {
					used = append(used, s)
				}
			}
			return true
		})
	}
	tmpls, _ := filepath.Glob(filepath.Join("templates", "*.html"))
	for _, f := range tmpls {
		data, _ := os.ReadFile(f)
		for _, m := range regexp.MustCompile(`call \$?\.T "([A-Za-z]+)"`).FindAllStringSubmatch(string(data), -1) {
			used = append(used, m[1])
		}
	}
	for _, cmd := range []string{"Build", "Badge"} {
		for _, part := range []string{"Summary", "Usage", "Help", "Examples"} {
			used = append(used, "Cmd"+cmd+part)
		}
	}
	if len(used) < 60 {
		t.Fatalf("found only %d message IDs: the scan is broken", len(used))
	}
	for _, id := range used {
		for _, l := range i18n.Langs {
			if !ids[l][id] {
				t.Errorf("message %s is missing in %s", id, l)
			}
		}
	}
}
