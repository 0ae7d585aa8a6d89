package lint

import (
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// TestGlossaryEmptyAvoid: an empty word under avoid in a lab author's
// glossary.yaml is ignored (it once made lint loop for ever).
func TestGlossaryEmptyAvoid(t *testing.T) {
	p, _ := content.ParsePage("x/index.ja.md", i18n.JA, []byte("---\nid: x\n---\n\n## 手順 {#s}\n\nNATゲートウェイを作ります。\n"))
	ds := glossaryRules(p, []content.Term{{JA: "NAT ゲートウェイ", Avoid: []string{"", "NATゲートウェイ"}}})
	if len(ds) != 1 || ds[0].Args["Got"] != "NATゲートウェイ" {
		t.Fatalf("findings %v, want one for NATゲートウェイ", ds)
	}
}
