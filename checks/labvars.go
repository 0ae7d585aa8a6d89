package checks

import (
	"regexp"
	"strings"

	"github.com/vpclab/vpclab/checks/repair"
	"github.com/vpclab/vpclab/content"
)

// capture is a lab command that keeps a new resource's id in a variable:
// NAT_A_ID=$(aws ec2 create-nat-gateway … Value=vpclab-nat-a …).
var (
	capture = regexp.MustCompile(`^\s*([A-Z_][A-Z0-9_]*)=\$\(aws [a-z0-9-]+ ([a-z-]+) (.*)`)
	nameTag = regexp.MustCompile(`Key=Name,Value=([A-Za-z0-9._-]+)`)
)

// labVars reads, from the solution blocks of the lab's steps, which
// variable the lab keeps each resource it creates in, by the command and
// the resource's Name tag; for repair.Plan.WithLabVars.
func labVars(lab []*content.CheckBlock) func(op repair.Op, name string) string {
	vars := map[string]string{}
	seen := map[*content.Step]bool{}
	for _, b := range lab {
		if b.Step == nil || seen[b.Step] {
			continue
		}
		seen[b.Step] = true
		for _, cb := range b.Step.Solution {
			// A command continued over lines with "\" is one line here.
			code := strings.ReplaceAll(cb.Code, "\\\n", " ")
			for _, line := range strings.Split(code, "\n") {
				m := capture.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				for _, t := range nameTag.FindAllStringSubmatch(m[3], -1) {
					vars[m[2]+"\x00"+t[1]] = m[1]
				}
			}
		}
	}
	return func(op repair.Op, name string) string { return vars[string(op)+"\x00"+name] }
}
