package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclab/vpclab/checks/binding"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/checkrun"
)

// explainOpts are vpclab check's binding flags: --explain prints how each
// name of the lab was matched to a resource; --stack and --tfstate say the
// lab was built with infrastructure as code.
type explainOpts struct {
	explain        bool
	stack, tfstate string
}

// explainFlags registers the binding flags on vpclab check's flag set.
func explainFlags(env *Env, fs *flag.FlagSet) *explainOpts {
	x := &explainOpts{}
	fs.BoolVar(&x.explain, "explain", false, env.Loc.T("FlagCheckExplain"))
	fs.StringVar(&x.stack, "stack", "", env.Loc.T("FlagCheckStack"))
	fs.StringVar(&x.tfstate, "tfstate", "", env.Loc.T("FlagCheckTFState"))
	return x
}

// options adds binding to a run: the learner's IaC, read once here (a
// stack with read-only calls, a state file without running Terraform),
// and the look-up of a missing lab VPC in other Regions. ok is false when
// the IaC the learner named cannot be read; the reason is printed.
func (x *explainOpts) options(env *Env, cfg aws.Config, o checkrun.Options) (checkrun.Options, bool) {
	switch {
	case x.stack != "" && x.tfstate != "":
		fmt.Fprintln(env.Stderr, env.Loc.T("ExplainIaCFailed", i18n.M{"Source": "--stack, --tfstate", "Err": "choose one"}))
		return o, false
	case x.stack != "":
		iac, err := binding.LoadStack(env.Ctx, cfg, x.stack)
		if err != nil {
			fmt.Fprintln(env.Stderr, env.Loc.T("ExplainIaCFailed", i18n.M{"Source": x.stack, "Err": err}))
			return o, false
		}
		o.Bind.IaC = iac
	case x.tfstate != "":
		path := x.tfstate
		if env.Dir != "" && !strings.HasPrefix(path, "/") {
			path = env.Dir + "/" + path
		}
		iac, err := binding.ReadTFState(path)
		if err != nil {
			fmt.Fprintln(env.Stderr, env.Loc.T("ExplainIaCFailed", i18n.M{"Source": x.tfstate, "Err": err}))
			return o, false
		}
		o.Bind.IaC = iac
	}
	o.Elsewhere = elsewhere(cfg)
	return o, true
}

// elsewhere looks for the lab's VPCs in the account's other Regions, for
// binding: where the lab is when it is missing here (then no fix is
// printed: it would build a second lab in the wrong Region), and copies
// left there. A Region that cannot be read is left out.
func elsewhere(cfg aws.Config) func(ctx context.Context, names []string) []binding.RegionHit {
	return func(ctx context.Context, names []string) []binding.RegionHit {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		hits, _ := binding.Elsewhere(ctx, cfg, names)
		return hits
	}
}

// print writes the binding report when --explain was given: on standard
// output after a text report, on standard error after JSON or JUnit so
// that those stay machine-readable.
func (x *explainOpts) print(env *Env, format string, rep checkrun.Report) {
	if !x.explain {
		return
	}
	w := env.Stdout
	if format != "text" {
		w = env.Stderr
	}
	fmt.Fprintln(w)
	writeExplain(w, env.Loc, rep.Binding)
}

// writeExplain writes each name of the lab, the resource taken for it and
// why, in lab order.
func writeExplain(w io.Writer, loc *i18n.Localizer, r binding.Report) {
	fmt.Fprintln(w, loc.T("ExplainTitle", i18n.M{"Region": r.Region}))
	if len(r.Bindings) == 0 {
		fmt.Fprintln(w, loc.T("ExplainNothing"))
	}
	for _, b := range r.Bindings {
		data := i18n.M{"Name": b.Name, "Type": binding.TypeMsg(b.Type), "ID": b.ID, "Why": explainWhy(b)}
		if b.ID == "" {
			fmt.Fprintln(w, loc.T("ExplainMissing", data))
			continue
		}
		fmt.Fprintln(w, loc.T("ExplainLine", data))
		if len(b.Twins) > 0 {
			var ids []string
			for _, t := range b.Twins {
				ids = append(ids, t.ID)
			}
			fmt.Fprintln(w, loc.T("ExplainTwins", i18n.M{"IDs": strings.Join(ids, ", ")}))
		}
	}
	// What the other-Region search found: where the lab is, or copies.
	for _, h := range append(append([]binding.RegionHit(nil), r.Elsewhere...), r.Copies...) {
		fmt.Fprintln(w, loc.T("ExplainElsewhere", i18n.M{"Name": h.Name, "Region": h.Region, "ID": h.ID}))
	}
}

func explainWhy(b binding.Binding) i18n.Msg {
	switch b.Evidence {
	case binding.ByNameTag:
		return i18n.Msg{ID: "BindByNameTag"}
	case binding.ByNameFold:
		return i18n.Msg{ID: "BindByNameFold", Data: i18n.M{"Tag": b.Tag}}
	case binding.Unbound:
		return i18n.Msg{ID: "BindNotFound"}
	}
	return b.Why
}
