package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
)

func init() { register(&command{name: "cost", run: runCost}) }

// costNeed is what the cost model reads.
var costNeed = func() account.Need {
	var n account.Need
	n.Add(account.VPCs, account.NATGateways, account.Addresses, account.VPCEndpoints,
		account.ECSClusterList, account.ECSTasks, account.NetworkInterfaces, account.LoadBalancers)
	return n
}

type costItemJSON struct {
	Type          string  `json:"type"`
	ID            string  `json:"id"`
	Name          string  `json:"name,omitempty"`
	Detail        string  `json:"detail,omitempty"`
	Region        string  `json:"region"`
	USDPerHour    float64 `json:"usd_per_hour"`
	USDPer30Days  float64 `json:"usd_per_30_days"`
	DeleteCommand string  `json:"delete,omitempty"`
	// AfterNAT: delete works only once the NAT gateway using the address
	// is deleted.
	AfterNAT bool `json:"after_nat_gateway_deleted,omitempty"`
}

type costJSON struct {
	Account       string         `json:"account"`
	Region        string         `json:"region"`
	Regions       []string       `json:"regions"`
	Scope         string         `json:"scope"`
	Items         []costItemJSON `json:"items"`
	TotalPerHour  float64        `json:"total_usd_per_hour"`
	TotalPer30Day float64        `json:"total_usd_per_30_days"`
	PriceSource   string         `json:"price_source"`
	PriceChecked  string         `json:"price_checked"`
	PriceEstimate bool           `json:"price_estimate"`
}

// costRegion is what cost found in one Region.
type costRegion struct {
	region string
	snap   *account.Snapshot
	items  []billing.Item
}

func runCost(env *Env, fs *flag.FlagSet, args []string) int {
	profile := fs.String("profile", "", env.Loc.T("FlagProfile"))
	region := fs.String("region", "", env.Loc.T("FlagRegion"))
	all := fs.Bool("all", false, env.Loc.T("HardenFlagCostAll"))
	prefix := fs.String("prefix", "vpclab-", env.Loc.T("FlagCostPrefix"))
	format := fs.String("format", "text", env.Loc.T("FlagCostFormat"))
	timeout := timeoutFlag(env, fs, DefaultCheckTimeout)
	dir := contentFlag(env, fs)
	if ok, code := parse(env, fs, args, "cost"); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(env, "cost", "CLIUnexpectedArgs", i18n.M{"Args": fs.Args()})
	}
	if *format != "text" && *format != "json" {
		return usageError(env, "cost", "CLIBadFormat", i18n.M{"Format": *format, "Allowed": "text, json"})
	}
	if code := awsFlagsError(env, "cost", *timeout, *region); code != ExitOK {
		return code
	}
	ctx, cancel := withTimeout(env, *timeout, 0)
	defer cancel()
	cfg, err := awsx.Load(ctx, *profile, *region, nil)
	if err == nil && cfg.Region == "" {
		err = errNoRegion
	}
	if err != nil {
		return costProblem(env, err, *profile, *format)
	}
	regionNotice(env, cfg.Region)
	var regions []string
	if *all {
		regions, err = enabledRegions(ctx, cfg)
		if err != nil {
			return costProblem(env, err, *profile, *format)
		}
	} else {
		regions = labRegions(env, *dir, cfg.Region)
		// A lab built (also) in another Region bills there: binding's
		// other-Region search finds the Regions holding a VPC, NAT gateway
		// or Elastic IP of the labs' prefix (a Region it cannot read is
		// left out of this search; --all reads every Region or fails).
		more, err := binding.WithPrefix(ctx, cfg, *prefix)
		if err != nil {
			return costProblem(env, err, *profile, *format)
		}
		for _, r := range more {
			if !slices.Contains(regions, r) {
				regions = append(regions, r)
			}
		}
		slices.Sort(regions)
	}
	spin := startSpinner(env, env.Loc.T("CheckLoading", i18n.M{"Region": strings.Join(regions, ", ")}))
	found, err := costInRegions(ctx, cfg, regions, *prefix, *all)
	spin.stop()
	if err != nil {
		return costProblem(env, err, *profile, *format)
	}
	var items []billing.Item
	for _, f := range found {
		for _, it := range f.items {
			// Always with its Region, as check's fixes: the AWS CLI's
			// own default may be another one.
			it.DeleteCmd = billing.InRegion(it.DeleteCmd, it.Region)
			items = append(items, it)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].USDPerHr > items[j].USDPerHr })
	unknown := estimated(regions, items)
	table := billing.PriceTable()
	acct := found[0].snap.Account
	if *format == "json" {
		out := costJSON{Account: acct, Region: cfg.Region, Regions: regions, Scope: *prefix + "*", Items: []costItemJSON{},
			TotalPerHour: billing.USD(billing.Total(items)), TotalPer30Day: billing.USD(billing.Total(items) * billing.HoursPerMonth),
			PriceSource: table.Source, PriceChecked: table.Checked, PriceEstimate: len(unknown) > 0}
		if *all {
			out.Scope = "all"
		}
		for _, it := range items {
			out.Items = append(out.Items, costItemJSON{Type: string(it.Type), ID: it.ID, Name: it.Name, Detail: it.Detail, Region: it.Region,
				USDPerHour: billing.USD(it.USDPerHr), USDPer30Days: billing.USD(it.USDPerHr * billing.HoursPerMonth), DeleteCommand: it.DeleteCmd, AfterNAT: it.AfterNAT})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	} else {
		writeCost(env, env.Stdout, acct, regions, items, *all, *prefix, unknown, table)
	}
	if len(items) > 0 {
		return ExitFail
	}
	return ExitOK
}

// estimated are the Regions whose figures are estimates: not in the price
// table, and something bills there (an empty one needs no warning, and
// cost --all looks in every Region).
func estimated(regions []string, items []billing.Item) []string {
	var out []string
	for _, r := range regions {
		if _, known := billing.For(r); !known && slices.ContainsFunc(items, func(it billing.Item) bool { return it.Region == r }) {
			out = append(out, r)
		}
	}
	return out
}

// labRegions are the Regions where the labs put resources (each lab's
// region: and any region a check block names) and the configured one,
// sorted. Labs that cannot be read only leave their Regions out.
func labRegions(env *Env, dir, configured string) []string {
	set := map[string]bool{configured: true}
	labs, err := openLabs(env, dir)
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("HardenCostLabsUnread", i18n.M{"Region": configured}))
	}
	for _, l := range labs {
		for _, p := range l.Pages {
			if p.Meta.Region != "" {
				set[p.Meta.Region] = true
			}
		}
		for _, b := range l.Checks() {
			if v, ok := b.Params.Get("region"); ok && v.Str() != "" {
				set[v.Str()] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// enabledRegions are the account's enabled Regions (what --all covers).
func enabledRegions(ctx context.Context, cfg aws.Config) ([]string, error) {
	regions, err := account.EnabledRegions(ctx, cfg)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{cfg.Region: true}
	for _, r := range regions {
		set[r] = true
	}
	return slices.Sorted(maps.Keys(set)), nil
}

// costInRegions reads every Region (four at a time) and lists what bills
// there. One Region that cannot be read fails the whole: "nothing
// billable" must never be said about a Region vpclab did not see.
func costInRegions(ctx context.Context, cfg aws.Config, regions []string, prefix string, all bool) ([]costRegion, error) {
	out := make([]costRegion, len(regions))
	errs := make([]error, len(regions))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, r := range regions {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c := cfg.Copy()
			c.Region = r
			snap, err := account.Load(ctx, c, costNeed())
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", r, err)
				return
			}
			sc := billing.LabScope(snap, prefix)
			sc.All = all
			out[i] = costRegion{region: r, snap: snap, items: billing.Billable(snap, sc)}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func writeCost(env *Env, w io.Writer, acct string, regions []string, items []billing.Item, all bool, prefix string, unknown []string, table billing.Table) {
	loc := env.Loc
	scope := loc.T("CostScopePrefix", i18n.M{"Prefix": prefix})
	if all {
		scope = loc.T("CostScopeAll")
	}
	where := strings.Join(regions, ", ")
	if len(regions) > 3 {
		where = loc.T("HardenRegionCount", i18n.M{"Count": len(regions)})
	}
	looked := loc.T("HardenCostLookedIn", i18n.M{"Count": len(regions), "Regions": strings.Join(regions, ", ")})
	fmt.Fprintln(w, loc.T("CostHeader", i18n.M{"Account": acct, "Region": where, "Scope": scope}))
	if len(items) == 0 {
		fmt.Fprintln(w, loc.T("CostNothing"))
		fmt.Fprintln(w, looked)
		return
	}
	fmt.Fprintln(w)
	rows := [][]string{{loc.T("CostColType"), loc.T("CostColID"), loc.T("CostColName"), loc.T("CostColDetail"), loc.T("CostColHour"), loc.T("CostColMonth"), loc.T("HardenCostColRegion")}}
	for _, it := range items {
		rows = append(rows, []string{loc.T(costTypeMsg[it.Type]), shortARN(it.ID), orDash(it.Name), orDash(it.Detail),
			fmt.Sprintf("$%.3f", it.USDPerHr), fmt.Sprintf("$%.2f", it.USDPerHr*billing.HoursPerMonth), it.Region})
	}
	writeTable(w, rows)
	total := billing.Total(items)
	fmt.Fprintf(w, "\n%s\n", loc.T("CostTotal", i18n.M{"Count": len(items), "Hourly": fmt.Sprintf("%.3f", total), "Monthly": fmt.Sprintf("%.2f", total*billing.HoursPerMonth)}))
	for _, r := range unknown {
		fmt.Fprintln(w, loc.T("CostEstimate", i18n.M{"Region": r}))
	}
	fmt.Fprintf(w, "\n%s\n", loc.T("CostDeleteHint"))
	// The commands are pasted into a terminal, where zsh (macOS's shell)
	// takes a # for a word: no remarks on them. An address a NAT gateway
	// still uses is released after a wait for its deletion.
	cmd := func(c string) {
		for _, line := range strings.Split(c, "\n") {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	var later []billing.Item
	nats := map[string][]string{} // NAT gateways deleted above, by Region
	for _, it := range items {
		switch {
		case it.DeleteCmd == "":
		case it.AfterNAT:
			later = append(later, it)
		default:
			cmd(it.DeleteCmd)
			if it.Type == billing.NATGateway {
				nats[it.Region] = append(nats[it.Region], it.ID)
			}
		}
	}
	if len(later) > 0 {
		fmt.Fprintln(w, loc.T("CostAfterNATDeleted"))
		for _, r := range slices.Sorted(maps.Keys(nats)) {
			cmd("aws ec2 wait nat-gateway-deleted --nat-gateway-ids " + strings.Join(nats[r], " ") + " --region " + r)
		}
		for _, it := range later {
			cmd(it.DeleteCmd)
		}
	}
	fmt.Fprintf(w, "\n%s\n", loc.T("CostPriceSource", i18n.M{"Checked": table.Checked}))
	fmt.Fprintln(w, looked)
}

var costTypeMsg = map[billing.Type]string{
	billing.NATGateway: "ResNAT", billing.PublicIPv4: "CostTypePublicIPv4", billing.InterfaceEndpoint: "ResInterfaceEndpoint", billing.FargateTask: "CostTypeTask",
	billing.LoadBalancer: "ResLB",
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func shortARN(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return s[i+1:]
		}
	}
	return s
}

// costProblem explains an AWS failure; cost has no lab to name.
func costProblem(env *Env, err error, profile, format string) int {
	return awsFailed(env, err, format, func() string { return explainAWS(env, err, profile, "", "", true) })
}
