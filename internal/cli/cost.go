package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/billing"
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
	USDPerHour    float64 `json:"usd_per_hour"`
	USDPer30Days  float64 `json:"usd_per_30_days"`
	DeleteCommand string  `json:"delete,omitempty"`
}

type costJSON struct {
	Account       string         `json:"account"`
	Region        string         `json:"region"`
	Scope         string         `json:"scope"`
	Items         []costItemJSON `json:"items"`
	TotalPerHour  float64        `json:"total_usd_per_hour"`
	TotalPer30Day float64        `json:"total_usd_per_30_days"`
	PriceSource   string         `json:"price_source"`
	PriceChecked  string         `json:"price_checked"`
	PriceEstimate bool           `json:"price_estimate"`
}

func runCost(env *Env, fs *flag.FlagSet, args []string) int {
	profile := fs.String("profile", "", env.Loc.T("FlagProfile"))
	region := fs.String("region", "", env.Loc.T("FlagRegion"))
	all := fs.Bool("all", false, env.Loc.T("FlagCostAll"))
	prefix := fs.String("prefix", "vpclab-", env.Loc.T("FlagCostPrefix"))
	format := fs.String("format", "text", env.Loc.T("FlagCostFormat"))
	if ok, code := parse(env, fs, args, "cost"); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(env, "cost", "CLIUnexpectedArgs", i18n.M{"Args": fs.Args()})
	}
	if *format != "text" && *format != "json" {
		return usageError(env, "cost", "CLIBadFormat", i18n.M{"Format": *format, "Allowed": "text, json"})
	}
	cfg, err := awsx.Load(env.Ctx, *profile, *region, nil)
	if err == nil && cfg.Region == "" {
		err = errNoRegion
	}
	if err != nil {
		return costProblem(env, err, *profile)
	}
	spin := startSpinner(env, env.Loc.T("CheckLoading", i18n.M{"Region": cfg.Region}))
	snap, err := account.Load(env.Ctx, cfg, costNeed())
	spin.stop()
	if err != nil {
		return costProblem(env, err, *profile)
	}
	sc := billing.LabScope(snap, *prefix)
	sc.All = *all
	items := billing.Billable(snap, sc)
	_, known := billing.For(snap.Region)
	table := billing.PriceTable()
	if *format == "json" {
		out := costJSON{Account: snap.Account, Region: snap.Region, Scope: *prefix + "*", Items: []costItemJSON{},
			TotalPerHour: billing.Total(items), TotalPer30Day: billing.Total(items) * billing.HoursPerMonth,
			PriceSource: table.Source, PriceChecked: table.Checked, PriceEstimate: !known}
		if *all {
			out.Scope = "all"
		}
		for _, it := range items {
			out.Items = append(out.Items, costItemJSON{Type: string(it.Type), ID: it.ID, Name: it.Name, Detail: it.Detail,
				USDPerHour: it.USDPerHr, USDPer30Days: it.USDPerHr * billing.HoursPerMonth, DeleteCommand: it.DeleteCmd})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	} else {
		writeCost(env, env.Stdout, snap, items, *all, *prefix, known, table)
	}
	if len(items) > 0 {
		return ExitFail
	}
	return ExitOK
}

func writeCost(env *Env, w io.Writer, snap *account.Snapshot, items []billing.Item, all bool, prefix string, known bool, table billing.Table) {
	loc := env.Loc
	scope := loc.T("CostScopePrefix", i18n.M{"Prefix": prefix})
	if all {
		scope = loc.T("CostScopeAll")
	}
	fmt.Fprintln(w, loc.T("CostHeader", i18n.M{"Account": snap.Account, "Region": snap.Region, "Scope": scope}))
	if len(items) == 0 {
		fmt.Fprintln(w, loc.T("CostNothing"))
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", loc.T("CostColType"), loc.T("CostColID"), loc.T("CostColName"), loc.T("CostColDetail"), loc.T("CostColHour"), loc.T("CostColMonth"))
	for _, it := range items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t$%.3f\t$%.2f\n", loc.T(costTypeMsg[it.Type]), shortARN(it.ID), orDash(it.Name), orDash(it.Detail), it.USDPerHr, it.USDPerHr*billing.HoursPerMonth)
	}
	tw.Flush()
	total := billing.Total(items)
	fmt.Fprintf(w, "\n%s\n", loc.T("CostTotal", i18n.M{"Count": len(items), "Hourly": fmt.Sprintf("%.3f", total), "Monthly": fmt.Sprintf("%.2f", total*billing.HoursPerMonth)}))
	if !known {
		fmt.Fprintln(w, loc.T("CostEstimate", i18n.M{"Region": snap.Region}))
	}
	fmt.Fprintf(w, "\n%s\n", loc.T("CostDeleteHint"))
	for _, it := range items {
		if it.DeleteCmd != "" {
			fmt.Fprintf(w, "  %s\n", it.DeleteCmd)
		}
	}
	fmt.Fprintf(w, "\n%s\n", loc.T("CostPriceSource", i18n.M{"Checked": table.Checked}))
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
func costProblem(env *Env, err error, profile string) int {
	if profile == "" {
		profile = env.Getenv("AWS_PROFILE")
	}
	if err == errNoRegion {
		fmt.Fprintln(env.Stderr, env.Loc.T("CostNoRegion"))
		return ExitAWS
	}
	p := awsx.Classify(err)
	data := i18n.M{"Action": p.Action, "Profile": profile, "Lab": "", "Detail": p.Message}
	id := map[awsx.Kind]string{
		awsx.NoCredentials: "ProblemNoCredentials", awsx.InvalidCredentials: "ProblemInvalidCredentials", awsx.ExpiredSSO: "ProblemExpiredSSO",
		awsx.ExpiredToken: "ProblemExpiredToken", awsx.AccessDenied: "CostAccessDenied", awsx.Throttled: "ProblemThrottled",
		awsx.Unreachable: "ProblemUnreachable", awsx.NoRegion: "CostNoRegion", awsx.Refused: "ProblemRefused",
	}[p.Kind]
	if id == "" {
		id = "ProblemOther"
	}
	fmt.Fprintln(env.Stderr, env.Loc.T(id, data))
	return ExitAWS
}
