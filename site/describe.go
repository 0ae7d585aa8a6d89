package site

import (
	"html/template"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Describe says in one sentence, in loc's language, what a check block
// verifies, from its kind and parameters (defaults filled in as the kind
// applies them).
func Describe(loc *i18n.Localizer, b *content.CheckBlock) string {
	id, data := describeMsg(b)
	s := loc.T(id, data)
	if loc.Lang() == i18n.JA {
		s = autospace(s)
	}
	return s
}

// resource, destination and hop names in the reader's language, from the
// catalogs the check messages use.
var (
	destMsgs = map[string]string{"internet": "DestInternet", "ipv6-internet": "DestIPv6", "s3": "DestS3", "ecr": "DestECR", "logs": "DestLogs", "vpc": "DestVPC"}
	hopMsgs  = map[string]string{"internet-gateway": "ResIGW", "nat-gateway": "ResNAT", "egress-only-internet-gateway": "ResEIGW",
		"gateway-endpoint": "ResGatewayEndpoint", "interface-endpoint": "ResInterfaceEndpoint"}
)

func msgOr(table map[string]string, key string) any {
	if id, ok := table[key]; ok {
		return i18n.Msg{ID: id}
	}
	return key
}

func onOff(p checks.Params, key string) any {
	if !p.Has(key) {
		return ""
	}
	if p.Bool(key, false) {
		return i18n.Msg{ID: "SiteOn"}
	}
	return i18n.Msg{ID: "SiteOff"}
}

// describeMsg picks the message and its data for a check block.
func describeMsg(b *content.CheckBlock) (string, i18n.M) {
	params := b.Params
	if params == nil {
		params = &content.Mapping{}
	}
	p := checks.NewParams(params)
	s := func(k string) string { return p.Str(k, "") }
	switch b.Kind {
	case "vpc":
		return "SiteCheckVPC", i18n.M{"Name": s("name"), "CIDR": s("cidr"),
			"DNSHostnames": onOff(p, "dns_hostnames"), "DNSSupport": onOff(p, "dns_support")}
	case "subnet":
		// public is optional: unset, the subnet's kind is not judged.
		return "SiteCheckSubnet", i18n.M{"Name": s("name"), "VPC": s("vpc"), "CIDR": s("cidr"), "AZ": s("az"), "RouteTable": s("route_table"),
			"Public": p.Has("public") && p.Bool("public", false), "Private": p.Has("public") && !p.Bool("public", true)}
	case "internet-gateway":
		return "SiteCheckIGW", i18n.M{"Name": s("name"), "VPC": s("vpc")}
	case "elastic-ip":
		return "SiteCheckEIP", i18n.M{"Name": s("name"), "Associated": p.Bool("associated", true)}
	case "nat-gateway":
		return "SiteCheckNAT", i18n.M{"Name": s("name"), "VPC": s("vpc"), "Subnet": s("subnet"), "EIP": s("eip"),
			"Private": s("connectivity") == "private", "Regional": s("mode") == "regional", "Zonal": s("mode") == "zonal"}
	case "route":
		data := i18n.M{"Subnet": s("subnet"), "Destination": p.Str("destination", "0.0.0.0/0"), "Target": s("target_name")}
		switch s("target") {
		case "internet-gateway":
			return "SiteCheckRouteIGW", data
		case "nat-gateway":
			return "SiteCheckRouteNAT", data
		case "egress-only-internet-gateway":
			return "SiteCheckRouteEIGW", data
		case "none":
			return "SiteCheckRouteNone", data
		}
	case "security-group-egress":
		return "SiteCheckSGEgress", i18n.M{"Group": s("group"), "Port": p.Int("port", 443), "To": msgOr(destMsgs, p.Str("to", "internet"))}
	case "security-group-ingress":
		data := i18n.M{"Group": s("group"), "Port": p.Int("port", 80), "From": s("from")}
		switch {
		case p.Bool("public", false):
			return "SiteCheckSGIngressPublic", data
		case s("from") != "":
			return "SiteCheckSGIngressFrom", data
		}
		return "SiteCheckSGIngressClosed", data
	case "load-balancer":
		return "SiteCheckLB", i18n.M{"Name": s("name"), "Internal": s("scheme") == "internal"}
	case "load-balancer-security":
		return "SiteCheckLBSecurity", i18n.M{"Name": s("name"), "Group": s("group"), "Port": p.Int("port", 80), "Targets": s("targets")}
	case "network-acl":
		return "SiteCheckNACL", i18n.M{"Subnet": s("subnet"), "Port": p.Int("port", 443)}
	case "gateway-endpoint":
		return "SiteCheckGatewayEndpoint", i18n.M{"VPC": s("vpc"), "Service": p.Str("service", "s3"), "Subnets": strings.Join(p.Strings("subnets"), ", ")}
	case "interface-endpoint":
		return "SiteCheckInterfaceEndpoint", i18n.M{"VPC": s("vpc"), "Service": s("service"), "Subnets": strings.Join(p.Strings("subnets"), ", "),
			"From": s("from"), "PrivateDNS": p.Bool("private_dns", true)}
	case "ecs-cluster":
		return "SiteCheckCluster", i18n.M{"Name": s("name")}
	case "ecs-service":
		return "SiteCheckService", i18n.M{"Name": s("name"), "Cluster": s("cluster"), "MinRunning": p.Int("min_running", 0)}
	case "ecs-task":
		if g := s("target_group"); g != "" {
			return "SiteCheckTaskRegistered", i18n.M{"Family": s("family"), "Cluster": s("cluster"), "Group": g}
		}
		return "SiteCheckTask", i18n.M{"Family": s("family"), "Cluster": s("cluster")}
	case "egress-path":
		from := i18n.Msg{ID: "SitePathFromSubnet", Data: i18n.M{"Name": s("from"), "Group": s("group")}}
		if p.Has("service") {
			from = i18n.Msg{ID: "SitePathFromService", Data: i18n.M{"Name": s("service"), "Cluster": s("cluster")}}
		}
		data := i18n.M{"From": from, "To": msgOr(destMsgs, s("to")), "Port": p.Int("port", 443), "Via": ""}
		if v := s("via"); v != "" {
			data["Via"] = msgOr(hopMsgs, v)
		}
		if !p.Bool("reachable", true) {
			return "SiteCheckPathBlocked", data
		}
		return "SiteCheckPath", data
	case "exposure":
		target := s("group")
		if t := s("service"); t != "" {
			target = t
		} else if t := s("family"); t != "" {
			target = t
		}
		data := i18n.M{"Target": target, "Cluster": s("cluster"), "LB": "", "Port": 0}
		if v, ok := params.Get("except"); ok {
			if m, ok := v.Mapping(); ok {
				q := checks.NewParams(m)
				data["LB"], data["Port"] = q.Str("load_balancer", ""), q.Int("port", 0)
			}
		}
		if data["LB"] != "" {
			return "SiteCheckExposureExcept", data
		}
		return "SiteCheckExposure", data
	case "cleanup":
		return "SiteCheckCleanup", i18n.M{"Prefix": p.Str("prefix", "vpclab-"), "VPC": s("vpc"), "Cluster": s("cluster")}
	}
	return "SiteCheckOther", i18n.M{"Kind": b.Kind}
}

// codeKeys are the parameters whose values are names or addresses the
// learner types, shown as code in a card's description.
var codeKeys = []string{"name", "vpc", "subnet", "subnets", "eip", "group", "from", "cluster", "service", "family",
	"target_name", "route_table", "cidr", "destination", "prefix", "az", "targets"}

// describeHTML is a description with the check's names and addresses
// (vpclab-nat, 10.0.0.0/16) set as code, the way the lab's prose shows them.
func describeHTML(desc string, b *content.CheckBlock) template.HTML {
	set := map[string]bool{}
	if b.Params != nil {
		for _, k := range codeKeys {
			v, ok := b.Params.Get(k)
			if !ok {
				continue
			}
			if list, ok := v.Strings(); ok {
				for _, s := range list {
					set[s] = true
				}
			}
			if s := v.Str(); s != "" {
				set[s] = true
			}
		}
	}
	set["0.0.0.0/0"], set["::/0"] = true, true
	if b.Kind == "cleanup" {
		set["vpclab-"] = true
	}
	var values []string
	for v := range set {
		if len(v) >= 2 {
			values = append(values, v)
		}
	}
	sort.Slice(values, func(i, j int) bool {
		return len(values[i]) > len(values[j]) || len(values[i]) == len(values[j]) && values[i] < values[j]
	})
	var out strings.Builder
	for i := 0; i < len(desc); {
		matched := ""
		if i == 0 || !nameByte(desc[i-1]) {
			for _, v := range values {
				if strings.HasPrefix(desc[i:], v) && (i+len(v) == len(desc) || !nameByte(desc[i+len(v)]) || desc[i+len(v)] == '.') {
					matched = v
					break
				}
			}
		}
		if matched != "" {
			out.WriteString("<code>" + esc(matched) + "</code>")
			i += len(matched)
			continue
		}
		_, size := utf8.DecodeRuneInString(desc[i:])
		out.WriteString(esc(desc[i : i+size]))
		i += size
	}
	return template.HTML(out.String())
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/'
}

// autospace puts a space between Japanese and Latin letters or digits
// where a placeholder left none ("VPC vpclab-aがあり" becomes "VPC vpclab-a
// があり"), the spacing the labs' Japanese uses throughout.
func autospace(s string) string {
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if i > 0 && (isJapanese(prev) && isLatin(r) || isLatin(prev) && isJapanese(r)) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func isJapanese(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || r == 'ー'
}

func isLatin(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
