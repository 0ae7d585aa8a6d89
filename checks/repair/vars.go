package repair

import "reflect"

// WithLabVars is p with the shell variables of the resources it creates
// named as the lab names them (labVar, by the action and the resource's
// Name tag; "" keeps vpclab's name), everywhere the plan uses them. A
// learner who runs a fix and goes on with the lab's next block then finds
// the new resource in the variable that block reads ($NAT_A_ID), not an
// empty one.
func (p *Plan) WithLabVars(labVar func(op Op, name string) string) *Plan {
	rename := map[string]string{}
	used := map[string]bool{}
	for _, a := range p.Actions {
		if a.Var != "" {
			used[a.Var] = true
		}
	}
	for _, a := range p.Actions {
		if a.Var == "" || a.Name == "" {
			continue
		}
		if v := labVar(a.Op, a.Name); v != "" && v != a.Var && !used[v] {
			rename[a.Var], used[v] = v, true
		}
	}
	if len(rename) == 0 {
		return p
	}
	out := &Plan{After: p.After}
	for _, a := range p.Actions {
		if v, ok := rename[a.Var]; ok {
			a.Var = v
		}
		renameRefs(reflect.ValueOf(&a).Elem(), rename)
		if a.Rule != nil {
			r := *a.Rule
			renameRefs(reflect.ValueOf(&r).Elem(), rename)
			a.Rule = &r
		}
		out.Actions = append(out.Actions, a)
	}
	return out
}

// renameRefs rewrites "$OLD" to "$NEW" in the string fields of a struct.
func renameRefs(v reflect.Value, rename map[string]string) {
	swap := func(s string) string {
		if isVar(s) {
			if n, ok := rename[s[1:]]; ok {
				return Var(n)
			}
		}
		return s
	}
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.String && f.CanSet():
			f.SetString(swap(f.String()))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String && !f.IsNil():
			s := make([]string, f.Len())
			for j := range s {
				s[j] = swap(f.Index(j).String())
			}
			f.Set(reflect.ValueOf(s))
		}
	}
}
