package lint

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

var testPrices = billing.Table{Checked: "2026-11-23", Regions: map[string]billing.Prices{
	"ap-northeast-1": {NATGatewayHour: 0.062, PublicIPv4Hour: 0.005, InterfaceEndpointAZHour: 0.014, DataTransferOutGB: 0.114},
}}

const styleFront = `---
id: demo
title: "t"
summary: "s"
level: beginner
duration: 5
cost:
  usd_per_hour: 0
  region: ap-northeast-1
services: [VPC]
region: ap-northeast-1
---

`

// stylePage parses body as the lab "demo" in lang.
func stylePage(t *testing.T, lang i18n.Lang, body string) *content.Page {
	t.Helper()
	fsys := fstest.MapFS{"labs/demo/index." + string(lang) + ".md": {Data: []byte(styleFront + body)}}
	lab, ds := content.LoadLab(fsys, "labs/demo")
	p := lab.Pages[lang]
	if p == nil {
		t.Fatalf("page did not load: %v", ds)
	}
	return p
}

func ruleIDs(ds content.Diags) []string {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID+"@"+d.Pos.String()[strings.LastIndex(d.Pos.String(), "/")+1:])
	}
	return ids
}

func TestStyleRules(t *testing.T) {
	dated := "\n\nPrices checked on 2026-11-23 for ap-northeast-1.\n"
	cases := []struct {
		name string
		lang i18n.Lang
		body string
		want []string // rule@file:line:col (col in bytes); line 14 is the body's first line
	}{
		{"clean English", i18n.EN, "A NAT gateway costs $0.062 per hour (Tokyo)." + dated, nil},
		{"clean Japanese", i18n.JA, "NAT ゲートウェイは 1 時間あたり $0.062 です（東京リージョン）。\n\n料金は 2026 年 11 月 23 日時点のものです。\n", nil},
		{"currency forms", i18n.JA, "NAT ゲートウェイは 0.062 USD、月に 45.26 ドルです。" + dated,
			[]string{"StyleCurrency@index.ja.md:14:27", "StyleCurrency@index.ja.md:14:46"}},
		{"USD before the amount", i18n.EN, "It costs USD 0.062 an hour." + dated, []string{"StyleCurrency@index.en.md:14:10"}},
		{"half-width in Japanese", i18n.JA, "東京 (ap-northeast-1) です。\n", []string{"StyleParenWidth@index.ja.md:14:8", "StyleParenWidth@index.ja.md:14:23"}},
		{"full-width in English", i18n.EN, "Tokyo（ap-northeast-1）.\n", []string{"StyleParenWidth@index.en.md:14:6", "StyleParenWidth@index.en.md:14:23"}},
		{"console labels are quoted as shown", i18n.JA, "**アジアパシフィック (東京)** を選びます。\n", nil},
		{"code is not prose", i18n.JA, "`$(aws sts get-caller-identity)` と `0.062 USD` はコードです。\n\n```bash\necho \"(x)\" 0.062 USD\n```\n", nil},
		{"unknown rate", i18n.EN, "A NAT gateway costs $0.063 per hour." + dated, []string{"StylePriceUnknown@index.en.md:14:21"}},
		{"data transfer out is a known rate", i18n.JA, "インターネットへのデータ転送は 1 GB あたり $0.114 です。" + dated, nil},
		{"a stale transfer rate is not", i18n.EN, "Data out to the internet costs $0.09 per GB." + dated, []string{"StylePriceUnknown@index.en.md:14:32"}},
		{"unknown rate in Japanese", i18n.JA, "NAT ゲートウェイは 1 時間あたり $0.063 です。" + dated, []string{"StylePriceUnknown@index.ja.md:14:45"}},
		{"derived figures are not rates", i18n.EN, "Six endpoint-AZs: 6 × $0.014 = $0.084 per hour." + dated, nil},
		{"monthly figures are not rates", i18n.EN, "About $45.26 a month." + dated, nil},
		{"no date", i18n.EN, "A NAT gateway costs $0.062 per hour.\n", []string{"StylePriceDateMissing@index.en.md:1:1"}},
		{"no price, no date needed", i18n.EN, "Everything here is free.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ruleIDs(styleRulesWith(stylePage(t, c.lang, c.body), testPrices))
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
		})
	}
}

// The real table must carry a date, or no page could satisfy the date rule.
func TestPriceTableHasDate(t *testing.T) {
	if d := billing.PriceTable().Checked; len(d) != len("2026-11-23") {
		t.Fatalf("prices.json checked = %q, want an ISO date", d)
	}
}

// Every message the style rules emit exists in both catalogs.
func TestStyleMessagesExist(t *testing.T) {
	for _, id := range []string{"StyleCurrency", "StyleParenWidth", "StylePriceUnknown", "StylePriceDateMissing"} {
		for _, l := range i18n.Langs {
			msg := content.Diag{ID: id, Args: map[string]any{"Got": "x", "Want": "y", "Price": "$1", "Checked": "d", "JA": "j"}}.Message(i18n.New(l))
			if msg == "" || strings.Contains(msg, id) {
				t.Errorf("%s has no %s message: %q", l, id, msg)
			}
		}
	}
}

func TestShellRules(t *testing.T) {
	body := "## Clean up {#cleanup}\n\n```bash {cleanup}\n" +
		"for id in $NAT_IDS; do\n" + // line 17: not split by zsh
		"  aws ec2 delete-nat-gateway --nat-gateway-id \"$id\"\n" +
		"done\n" +
		"aws ecs wait tasks-stopped --tasks $TASKS --cluster c\n" + // line 20
		"printf -v NAME '%s' x\n" + // line 21
		"IDS=($(aws ec2 describe-vpcs --query 'Vpcs[].VpcId' --output text))\n" +
		"for id in \"${IDS[@]}\" $(aws sts get-caller-identity --output text); do echo \"$id ${#IDS[@]}\"; done\n" +
		"X=$(cat <<'EOF'\n[\"$IP\", $HOME]\nEOF\n)\n" +
		"echo ok # a comment may say $X\n" +
		"```\n"
	got := ruleIDs(shellRules(stylePage(t, i18n.EN, body)))
	want := []string{"StyleShellSplit@index.en.md:17:11", "StyleShellSplit@index.en.md:20:36", "StyleShellOnly@index.en.md:21:1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}
