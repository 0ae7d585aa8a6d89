// Command vpclab validates, renders and tests hands-on AWS egress
// networking labs. Run "vpclab help" for the commands.
package main

import (
	"os"

	"github.com/vpclab/vpclab/internal/cli"
)

func main() { os.Exit(cli.Main()) }
