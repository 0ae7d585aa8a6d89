package content

import "testing"

// BenchmarkLoadLab is the parse a command that names one lab pays at
// start (vpclab check, class check): both pages of the largest lab.
func BenchmarkLoadLab(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ds := LoadLab(Embedded(), "labs/nat-private-egress"); len(ds) > 0 {
			b.Fatal(ds)
		}
	}
}
