package checks

import (
	"fmt"
	"net/netip"
	"strings"

	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpclab/vpclab/i18n"
)

// evalSGIngress judges who may open connections to a group: the one-way
// egress lab's point is that private tasks admit only the load balancer.
func evalSGIngress(e *Env, p Params) Result {
	sg, r := findGroup(e, p)
	if r != nil {
		return *r
	}
	id := str(sg.GroupId)
	port := int32(p.Int("port", 80))
	var open []string // rules admitting the whole internet
	fromOK := false
	var from string
	if fromName := p.Str("from", ""); fromName != "" {
		src, ok := e.Snap.SecurityGroupByName(fromName, str(sg.VpcId))
		if !ok {
			return notFound(e, "ResSG", fromName, "")
		}
		from = str(src.GroupId)
	}
	for _, perm := range sg.IpPermissions {
		if !permCovers(perm, port) {
			continue
		}
		for _, rng := range perm.IpRanges {
			if c, err := netip.ParsePrefix(str(rng.CidrIp)); err == nil && c.Contains(publicIPv4) {
				open = append(open, str(rng.CidrIp))
			}
		}
		for _, rng := range perm.Ipv6Ranges {
			if c, err := netip.ParsePrefix(str(rng.CidrIpv6)); err == nil && c.Contains(publicIPv6) {
				open = append(open, str(rng.CidrIpv6))
			}
		}
		for _, pair := range perm.UserIdGroupPairs {
			if from != "" && str(pair.GroupId) == from {
				fromOK = true
			}
		}
	}
	if p.Bool("public", false) {
		if len(open) == 0 {
			return fail("SG_NOT_OPEN", "CheckSGIngressClosed", i18n.M{"ID": id, "Port": port},
				fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d --cidr 0.0.0.0/0", id, port), id)
		}
		return pass("CheckSGIngressOpenPass", i18n.M{"ID": id, "Port": port}, id)
	}
	if len(open) > 0 {
		return fail("SG_OPEN_TO_INTERNET", "CheckSGIngressOpen", i18n.M{"ID": id, "Port": port, "CIDR": strings.Join(open, ", ")},
			fmt.Sprintf("aws ec2 revoke-security-group-ingress --group-id %s --protocol tcp --port %d --cidr %s", id, port, open[0]), id)
	}
	if from != "" && !fromOK {
		return fail("SG_SOURCE_MISSING", "CheckSGIngressNoSource", i18n.M{"ID": id, "Port": port, "From": from},
			fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d --source-group %s", id, port, from), id, from)
	}
	return pass("CheckSGIngressPass", i18n.M{"ID": id, "Port": port, "From": orPlaceholder(from, "-")}, id)
}

func evalLoadBalancer(e *Env, p Params) Result {
	name := p.Str("name", "")
	lb, ok := e.Snap.LoadBalancer(name)
	if !ok {
		return notFoundNamed(e, "ResLB", name, fmt.Sprintf(
			"aws elbv2 create-load-balancer --name %s --type application --scheme internet-facing --subnets <PUBLIC_SUBNET_IDS> --security-groups <ALB_SG_ID>", name))
	}
	arn := str(lb.LoadBalancerArn)
	if lb.State != nil && lb.State.Code != elbtypes.LoadBalancerStateEnumActive && lb.State.Code != "" {
		return fail("BAD_STATE", "CheckLBState", i18n.M{"Name": name, "State": string(lb.State.Code)}, "", arn)
	}
	want := p.Str("scheme", "internet-facing")
	if string(lb.Scheme) != want {
		return fail("LB_SCHEME", "CheckLBScheme", i18n.M{"Name": name, "Want": want, "Got": string(lb.Scheme)}, "", arn)
	}
	var private []string
	for _, az := range lb.AvailabilityZones {
		if sn, ok := e.Snap.Subnet(str(az.SubnetId)); ok && want == "internet-facing" && !isPublic(e, sn) {
			private = append(private, str(sn.SubnetId))
		}
	}
	if len(private) > 0 {
		return fail("LB_IN_PRIVATE_SUBNET", "CheckLBPrivateSubnets", i18n.M{"Name": name, "Subnets": strings.Join(private, ", ")},
			fmt.Sprintf("aws elbv2 set-subnets --load-balancer-arn %s --subnets <PUBLIC_SUBNET_IDS>", arn), append([]string{arn}, private...)...)
	}
	return pass("CheckLBPass", i18n.M{"Name": name, "Scheme": want, "DNS": str(lb.DNSName), "AZs": len(lb.AvailabilityZones)}, arn)
}
