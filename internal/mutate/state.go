package mutate

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
)

// fullNeed is everything a snapshot can hold, plus the lab's clusters and
// services: mutants are generated from it, checks are judged on it, and
// its fingerprint decides whether a restore is needed.
func fullNeed(lab *content.Lab) account.Need {
	n := checks.NeedOf(lab.Checks())
	n.Add(account.VPCs, account.VPCAttributes, account.Subnets, account.RouteTables, account.InternetGateways,
		account.EgressOnlyGateways, account.NATGateways, account.Addresses, account.SecurityGroups,
		account.NetworkACLs, account.VPCEndpoints, account.PrefixLists, account.NetworkInterfaces,
		account.ECSClusters, account.ECSServices, account.ECSTasks, account.LoadBalancers, account.ECSClusterList)
	return n
}

func load(ctx context.Context, cfg aws.Config, need account.Need) (*account.Snapshot, error) {
	return account.Load(ctx, cfg, need)
}

// fingerprint is a digest of what the checks can see, without the fields
// that differ between two builds of the same state (times, events). Two
// snapshots with the same fingerprint have the same ids, routes, rules,
// associations and attributes, in the same order.
func fingerprint(s *account.Snapshot) string {
	raw, err := json.Marshal(s)
	if err != nil {
		return "unmarshalable: " + err.Error()
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "unmarshalable: " + err.Error()
	}
	v = strip(v)
	v = labOnly(s, v)
	norm, _ := json.MarshalIndent(v, "", " ") // maps marshal with sorted keys
	if dir := os.Getenv("VPCLAB_MUTATE_DEBUG"); dir != "" {
		debugN++
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("fp-%04d.json", debugN)), norm, 0o644)
	}
	sum := sha256.Sum256(norm)
	return string(sum[:])
}

func strip(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if x["IsDefault"] == true {
			// moto names a listener's default rule by a Python object's
			// address, which no replay reproduces; no command names it.
			delete(x, "RuleArn")
		}
		for k, val := range x {
			if volatile(k) {
				delete(x, k)
				continue
			}
			x[k] = strip(val)
		}
	case []any:
		for i := range x {
			x[i] = strip(x[i])
		}
	}
	return v
}

func volatile(k string) bool {
	return strings.HasSuffix(k, "Time") || strings.HasSuffix(k, "At") || strings.HasSuffix(k, "Timestamp") ||
		k == "Events" || k == "Version"
}

var debugN int // VPCLAB_MUTATE_DEBUG: dump each fingerprinted state, for diagnosing a restore

// labOnly drops what moto builds with a backend (the default VPC and what
// is in it, the managed prefix lists): moto re-creates those during a reset
// from an unseeded random state, so their ids differ after a replay. No
// lab's shell variable holds them; a route to a prefix list is compared by
// the list's name.
func labOnly(snap *account.Snapshot, v any) any {
	defaults := map[string]bool{}
	for _, x := range snap.VPCs {
		if aws.ToBool(x.IsDefault) {
			defaults[aws.ToString(x.VpcId)] = true
		}
	}
	pl := map[string]string{}
	for _, x := range snap.PrefixLists {
		pl[aws.ToString(x.PrefixListId)] = "prefix-list:" + aws.ToString(x.PrefixListName)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				x[k] = walk(val)
			}
		case []any:
			out := x[:0]
			for _, e := range x {
				if m, ok := e.(map[string]any); ok {
					if id, _ := m["VpcId"].(string); defaults[id] {
						continue
					}
				}
				out = append(out, walk(e))
			}
			return out
		case string:
			if name, ok := pl[x]; ok {
				return name
			}
		}
		return v
	}
	if m, ok := v.(map[string]any); ok {
		delete(m, "PrefixLists")
		delete(m, "VPCAttrs") // keyed by VPC id; the lab's are checked below
		attrs := map[string]any{}
		for id, a := range snap.VPCAttrs {
			if !defaults[id] {
				attrs[id] = map[string]bool{"support": a.DNSSupport, "hostnames": a.DNSHostnames}
			}
		}
		m["LabVPCAttrs"] = attrs
	}
	return walk(v)
}
