package classroom

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// BenchmarkClass checks classes of 10, 50 and 100 learners (the scale
// test's mix of progress, one account each in one sandbox) with the
// default parallelism, and builds the report, as vpclab class report does.
// It reports the time per learner and the API calls per learner, so the
// README can show how a class run grows with the class. Run with
// -benchmem for the memory.
func BenchmarkClass(b *testing.B) {
	for _, n := range []int{10, 50, 100} {
		b.Run(fmt.Sprintf("learners=%d", n), func(b *testing.B) {
			base := sandboxtest.Config(b)
			lab := demoLab(b)
			cl := makeClass(b, base, n)
			var meter *awsx.Meter
			start := time.Now()
			runs := 0
			for b.Loop() {
				meter = &awsx.Meter{}
				conn := &Connector{Base: base, Meter: meter}
				outcomes := Run(context.Background(), Options{Labs: []*content.Lab{lab}, Learners: cl.learners, Connect: conn.Connect})
				rep := Build([]*content.Lab{lab}, outcomes, BuildOptions{})
				if rep.Summary.Errors != 0 {
					b.Fatalf("%d learners could not be checked", rep.Summary.Errors)
				}
				runs++
			}
			perRun := time.Since(start) / time.Duration(runs)
			b.ReportMetric(perRun.Seconds(), "s/class")
			b.ReportMetric(float64(perRun.Milliseconds())/float64(n), "ms/learner")
			b.ReportMetric(float64(meter.Total())/float64(n), "calls/learner")
		})
	}
}
