package roster

import "testing"

// FuzzParse: any file, in either format, gives learners or errors with
// lines inside the file, never a panic.
func FuzzParse(f *testing.F) {
	f.Add("c.csv", "name,role_arn,region\nAiko,"+arnA+",ap-northeast-1\n")
	f.Add("c.yaml", "region: us-east-1\nlearners:\n  - name: Ben\n    profile: p\n")
	f.Add("c.yml", "- {name: x, profile: [a]}\n")
	f.Fuzz(func(t *testing.T, path, src string) {
		r, err := Parse(path, []byte(src))
		if (r == nil) == (err == nil) {
			t.Fatalf("Parse gave roster %v and error %v", r, err)
		}
		if es, ok := err.(Errors); ok {
			for _, e := range es {
				if e.Line < 0 {
					t.Fatalf("error at line %d", e.Line)
				}
			}
		}
	})
}
