package checks

import (
	"os"
	"testing"
)

// checks/README.md is generated; this fails when a kind or parameter
// changed and the file was not regenerated.
func TestReferenceUpToDate(t *testing.T) {
	want := Reference()
	if os.Getenv("VPCLAB_UPDATE") != "" {
		if err := os.WriteFile("README.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("checks/README.md is stale. To update, run: VPCLAB_UPDATE=1 go test ./checks -run TestReference")
	}
	for _, k := range Kinds() {
		if kindDocs[k.Name] == "" {
			t.Errorf("kind %s has no one-line description in kindDocs", k.Name)
		}
	}
}
