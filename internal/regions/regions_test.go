package regions

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAllAreTheSDKs: Regions is the list of the AWS SDK in go.mod
// (its endpoint rules' partitions.json), sorted; when an SDK update
// brings a Region, this fails until All has it.
func TestAllAreTheSDKs(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2").Output()
	if err != nil {
		t.Fatalf("go list the SDK's folder: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "internal", "endpoints", "awsrulesfn", "partitions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Partitions []struct {
			Regions map[string]json.RawMessage `json:"regions"`
		} `json:"partitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range doc.Partitions {
		for r := range p.Regions {
			if !strings.HasPrefix(r, "aws-") { // aws-global and the like are no Regions
				want = append(want, r)
			}
		}
	}
	slices.Sort(want)
	if !slices.Equal(All, want) {
		t.Errorf("All = %v\nthe SDK's: %v", All, want)
	}
	if len(want) < 30 || !Known("ap-northeast-1") || Known("us-east-9") {
		t.Errorf("%d Regions; ap-northeast-1 known %v, us-east-9 known %v", len(want), Known("ap-northeast-1"), Known("us-east-9"))
	}
}
