package progress

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkClassRecording records a class's results the way vpclab class
// check used to (one Record per learner, each rewriting the whole file)
// and the way it does now (one Record for the class), with 26 checks per
// learner as nat-private-egress has. It reports the time per learner: per
// learner it grows with the class; once it stays flat.
//
//	go test ./internal/progress -run '^$' -bench ClassRecording -benchtime 3x
func BenchmarkClassRecording(b *testing.B) {
	const checks = 26
	at := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	learner := func(i int) []Record {
		recs := make([]Record, checks)
		for c := range recs {
			recs[c] = Record{Account: fmt.Sprintf("%012d", 100000000001+i), Region: "ap-northeast-1", Lab: "nat-private-egress",
				Step: "route-private", Check: fmt.Sprintf("check-%02d", c), Status: StatusPass,
				Message: "Subnet vpclab-nat-private-a (subnet-13662dd2a10006bf4): route table sends 0.0.0.0/0 to vpclab-nat-a.", At: at}
		}
		return recs
	}
	for _, n := range []int{10, 50, 200, 500} {
		for _, mode := range []string{"per-learner", "once"} {
			if mode == "per-learner" && n > 50 {
				continue // a minute of fsyncs at 200; the trend shows by 50
			}
			b.Run(fmt.Sprintf("learners=%d/%s", n, mode), func(b *testing.B) {
				for b.Loop() {
					s := Open(filepath.Join(b.TempDir(), "progress.json"))
					var all []Record
					for i := range n {
						if mode == "per-learner" {
							if _, err := s.Record(learner(i)...); err != nil {
								b.Fatal(err)
							}
						} else {
							all = append(all, learner(i)...)
						}
					}
					if _, err := s.Record(all...); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/learner")
			})
		}
	}
}
