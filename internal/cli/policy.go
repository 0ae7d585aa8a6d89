package cli

import (
	"encoding/json"
	"flag"
	"fmt"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/content"
)

func init() { register(&command{name: "policy", run: runPolicy}) }

// Policy is an IAM policy document.
type Policy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one IAM policy statement.
type Statement struct {
	Sid      string   `json:"Sid"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource string   `json:"Resource"`
}

// LeastPrivilege is the read-only policy that running labs' checks needs,
// derived from the resources their check kinds read. Describe and List
// calls do not support resource-level permissions, hence Resource "*".
func LeastPrivilege(labs []*content.Lab) Policy {
	var blocks []*content.CheckBlock
	for _, l := range labs {
		blocks = append(blocks, l.Checks()...)
	}
	return Policy{Version: "2012-10-17", Statement: []Statement{{
		Sid: "VpclabReadOnlyChecks", Effect: "Allow", Action: checks.Actions(blocks), Resource: "*",
	}}}
}

func runPolicy(env *Env, fs *flag.FlagSet, args []string) int {
	dir := contentFlag(env, fs)
	if ok, code := parse(env, fs, interleave(fs, args), "policy"); !ok {
		return code
	}
	labs, err := openLabs(env, *dir)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return ExitUsage
	}
	chosen, code := chooseLabs(env, labs, fs.Args(), "policy")
	if chosen == nil {
		return code
	}
	out, _ := json.MarshalIndent(LeastPrivilege(chosen), "", "  ")
	fmt.Fprintln(env.Stdout, string(out))
	return ExitOK
}
