package cli

import (
	"fmt"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
)

// regionNotice says, before AWS is asked, that region is not one AWS had
// when this vpclab was built, with the closest one that is: a typo such as
// us-east-9 otherwise showed only as "no such host" (or the sandbox's
// HTTP 500). It refuses nothing: a Region newer than vpclab works.
func regionNotice(env *Env, region string) {
	if region == "" || awsx.KnownRegion(region) {
		return
	}
	data := i18n.M{"Region": region}
	fmt.Fprintln(env.Stderr, env.Loc.T(suggested("HardenRegionUnknown", region, data), data))
}

// suggested returns id, or id+"Suggest" with data's Suggest set to the
// Region closest to region, when one is.
func suggested(id, region string, data i18n.M) string {
	if s := content.Suggest(region, awsx.Regions); s != "" {
		data["Suggest"] = s
		return id + "Suggest"
	}
	return id
}
