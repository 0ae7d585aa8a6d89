package lint

import "testing"

// FuzzMayHaveBareVar: the filter never hides a line the expression
// matches.
func FuzzMayHaveBareVar(f *testing.F) {
	for _, s := range []string{"echo $VPC_ID", "x=$(aws ec2)", "a $ b", "${X}", "$", "$$a", "$1 $_x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		if bareVar.MatchString(code) && !mayHaveBareVar(code) {
			t.Errorf("mayHaveBareVar(%q) = false, but bareVar matches", code)
		}
	})
}
