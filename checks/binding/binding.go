// Package binding resolves each name a lab uses (vpclab-oneway-vpc, …) to
// the learner's actual resource before any check judges it, and says why:
// the Name tag, the same name typed differently, the lab's structure (the
// VPC with the lab's CIDR, the NAT gateway in the lab's public subnet, the
// route table associated with the lab's subnet, …) or the learner's
// infrastructure as code (a CloudFormation stack, a Terraform state).
//
// Where the account does not fit the lab neatly, binding reports it as
// findings: two resources answering to one name (a step run twice: one of
// them bills for nothing), a resource found only by structure (its Name
// tag is missing or wrong), a lab built in another Region.
package binding

import (
	"sort"
	"time"

	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// Evidence says how a name was bound.
type Evidence string

const (
	ByNameTag   Evidence = "name-tag"       // the Name tag (or group / load balancer name) is the lab's name
	ByNameFold  Evidence = "name-tag-fold"  // the same name, but in other case or spacing
	ByNameTypo  Evidence = "name-tag-typo"  // the only name one or two letters off: a typo
	ByStack     Evidence = "cloudformation" // the resource of the learner's CloudFormation stack that fits the lab
	ByTerraform Evidence = "terraform"      // the resource of the learner's Terraform state that fits the lab
	ByStructure Evidence = "structure"      // no name: the lab's structure identifies it
	Unbound     Evidence = "not-found"      // nothing fits
)

// Binding is one name of the lab and the resource taken for it.
type Binding struct {
	Type     account.Resource
	Name     string
	Step     string              // the first step that names it
	Block    *content.CheckBlock // the first check block that names it
	ID       string              // "" when nothing fits
	Evidence Evidence
	Why      i18n.Msg // the structure or IaC fact that identified it; empty for names
	Tag      string   // the resource's actual Name tag
	Twins    []Twin   // other resources that fit as well as ID (ambiguity)
}

// Twin is a resource that fits a name as well as the bound one.
type Twin struct {
	ID       string
	Tag      string
	Created  *time.Time
	USDPerHr float64
}

// Options are what the learner told vpclab about how the lab was built.
type Options struct {
	IaC *IaC // resources of a CloudFormation stack or Terraform state, or nil
	// Others are the Name tags the course's other labs use (NamesOf their
	// blocks): a resource of theirs is never taken for this lab's (see
	// foreign.go). The built-in labs' count without it.
	Others map[string]bool
	// Now is the clock for ages in messages; nil means time.Now.
	Now func() time.Time
}

// Report is the outcome of binding one snapshot.
type Report struct {
	Region   string
	Bindings []Binding
	// Elsewhere lists, when the lab's VPC is missing here, the Regions
	// where a VPC of that name exists (set by the caller, see Elsewhere).
	Elsewhere []RegionHit
	// Copies lists VPCs of the lab's names in other Regions while the lab
	// is here (see SetElsewhere): each bills or confuses, and fails.
	Copies []RegionHit

	raw   *account.Snapshot     // the snapshot as loaded, before ApplyBindings
	named []*content.CheckBlock // the blocks whose names were bound, to prove plans with the same names
}

// Bound returns the binding of a name.
func (r Report) Bound(typ account.Resource, name string) (Binding, bool) {
	for _, b := range r.Bindings {
		if b.Type == typ && b.Name == name {
			return b, true
		}
	}
	return Binding{}, false
}

// order is the order types are bound in: each may use what the previous
// ones bound (subnets inside the bound VPC, the NAT gateway in the bound
// subnet, its Elastic IP).
var order = []account.Resource{account.VPCs, account.Subnets, account.RouteTables, account.InternetGateways,
	account.NATGateways, account.Addresses, account.SecurityGroups, account.LoadBalancers}

// Bind resolves every name blocks use against snap, records the result in
// snap's binding table (so the kinds' lookups use it) and returns the
// report. It reads snap only; it never calls AWS.
func Bind(snap *account.Snapshot, blocks []*content.CheckBlock, o Options) Report {
	ws := collect(blocks)
	r := &resolver{snap: snap, ws: ws, o: o, bound: map[account.Resource]map[string]string{}}
	rep := Report{Region: snap.Region, named: blocks}
	for _, typ := range order {
		// Names the account has exactly come first: a resource that
		// carries one lab name is never taken for another by structure.
		var later []*want
		for _, w := range ws.list(typ) {
			if b := r.resolve(w, true); b.ID != "" {
				r.take(snap, b)
				rep.Bindings = append(rep.Bindings, b)
			} else {
				later = append(later, w)
			}
		}
		for _, w := range later {
			b := r.resolve(w, false)
			if b.ID != "" {
				r.take(snap, b)
			}
			rep.Bindings = append(rep.Bindings, b)
		}
	}
	sort.SliceStable(rep.Bindings, func(i, j int) bool {
		return ws.get(rep.Bindings[i].Type, rep.Bindings[i].Name).order < ws.get(rep.Bindings[j].Type, rep.Bindings[j].Name).order
	})
	rep.raw = snap.Clone()
	rep.raw.Bindings = nil
	snap.ApplyBindings()
	return rep
}

func (r *resolver) take(snap *account.Snapshot, b Binding) {
	if r.bound[b.Type] == nil {
		r.bound[b.Type] = map[string]string{}
	}
	r.bound[b.Type][b.Name] = b.ID
	snap.Bind(b.Type, b.Name, b.ID)
}

// IDs lists the resources of type typ that belong to the lab: each bound
// resource and every twin. The clean-up check and vpclab cost should
// count these, whatever their names (a twin or an untagged resource bills
// like any other).
func (r Report) IDs(typ account.Resource) []string {
	var out []string
	for _, b := range r.Bindings {
		if b.Type != typ || b.ID == "" {
			continue
		}
		out = append(out, b.ID)
		for _, t := range b.Twins {
			out = append(out, t.ID)
		}
	}
	return out
}
