package cli

import (
	"fmt"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/regions"
)

// regionNotice says, before an endpoint of AWS_ENDPOINT_URL (the
// sandbox, an emulator) is asked, that region is not one AWS had when this
// vpclab was built, with the closest one that is: the sandbox answers a
// typo such as us-east-9 with an HTTP 500. AWS itself needs no notice: its
// DNS says such a Region's endpoint does not exist (HardenNoSuchRegion).
// It refuses nothing: a Region newer than vpclab works.
func regionNotice(env *Env, region string) {
	endpoint := env.Getenv("AWS_ENDPOINT_URL")
	if region == "" || endpoint == "" || regions.Known(region) {
		return
	}
	data := i18n.M{"Region": region, "Endpoint": endpoint}
	fmt.Fprintln(env.Stderr, env.Loc.T(suggested("HardenRegionUnknown", region, data), data))
}

// suggested returns id, or id+"Suggest" with data's Suggest set to the
// Region closest to region, when one is.
func suggested(id, region string, data i18n.M) string {
	if s := content.Suggest(region, regions.All); s != "" {
		data["Suggest"] = s
		return id + "Suggest"
	}
	return id
}
