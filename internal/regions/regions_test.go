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
	// Each English place is in its Region's description ("Asia Pacific
	// (Tokyo)").
	for _, p := range doc.Partitions {
		for r, raw := range p.Regions {
			var d struct{ Description string }
			_ = json.Unmarshal(raw, &d)
			for place, pr := range places {
				if pr == r && place[0] < 0x80 && !strings.Contains(strings.ToLower(d.Description), place) {
					t.Errorf("place %q for %s, whose description is %q", place, r, d.Description)
				}
			}
		}
	}
}

// TestGuess: a word that is no Region name but says one (written
// otherwise, an Availability Zone, the console's place) is answered with
// that Region; a Region name, or a word naming none or two, with "".
func TestGuess(t *testing.T) {
	for in, want := range map[string]string{
		"ap-northeast-1a": "ap-northeast-1", "us-west-2-lax-1a": "us-west-2", " AP-NORTHEAST-1 ": "ap-northeast-1",
		"ａｐ－ｎｏｒｔｈｅａｓｔ－１": "ap-northeast-1", "Tokyo": "ap-northeast-1", "東京": "ap-northeast-1",
		"アジアパシフィック (東京)": "ap-northeast-1", "Asia Pacific (Tokyo)": "ap-northeast-1", "東京リージョン": "ap-northeast-1",
		"US East (N. Virginia)": "us-east-1", "米国東部 (バージニア北部)": "us-east-1", "oregon": "us-west-2",
		"ap-northeast-1": "", "us-east-9": "", "tokyo or osaka": "", "mars": "", "": "", "ap-northeast-9a": "",
	} {
		if got := Guess(in); got != want {
			t.Errorf("Guess(%q) = %q, want %q", in, got, want)
		}
	}
	for place, r := range places {
		if !Known(r) {
			t.Errorf("place %q names %q, which is no Region", place, r)
		}
	}
}
