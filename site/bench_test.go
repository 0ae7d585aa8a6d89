package site

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// syntheticLab is a lab of a realistic size: five steps with prose, a
// table, a diagram, commands and eight checks.
func syntheticLab(id string, lang i18n.Lang) string {
	var b strings.Builder
	title := "Synthetic lab " + id
	prose := "A NAT gateway lets tasks in a private subnet open connections to the internet, and nothing comes back in unless they asked for it.\nThe route table of the private subnet sends 0.0.0.0/0 to it.\n"
	if lang == i18n.JA {
		title = "合成ラボ " + id
		prose = "NAT ゲートウェイを使うと、プライベートサブネットのタスクから\nインターネットへの接続を開けます。応答以外は入ってきません。\nプライベートサブネットのルートテーブルは 0.0.0.0/0 をそこへ送ります。\n"
	}
	b.WriteString(frontMatter(id, title, []string{"beginner", "intermediate", "advanced"}[len(id)%3]))
	b.WriteString("\n" + prose + "\n'''mermaid\nflowchart LR\n  a[Task] --> b[NAT gateway] --> c((Internet))\n'''\n")
	for s := 1; s <= 5; s++ {
		fmt.Fprintf(&b, "\n## Step %d of %s {#step-%d}\n\n%s\n| name | CIDR |\n|---|---|\n| `vpclab-%s-%d` | `10.0.%d.0/24` |\n\n", s, id, s, prose, id, s, s)
		fmt.Fprintf(&b, "'''bash {solution}\nSUBNET_ID=$(aws ec2 create-subnet --vpc-id \"$VPC_ID\" --cidr-block 10.0.%d.0/24 \\\n  --tag-specifications 'ResourceType=subnet,Tags=[{Key=Name,Value=vpclab-%s-%d}]' \\\n  --query Subnet.SubnetId --output text)\necho \"$SUBNET_ID\"\n'''\n\n", s, id, s)
		if s == 5 {
			fmt.Fprintf(&b, "'''bash {cleanup}\naws ec2 delete-subnet --subnet-id \"$SUBNET_ID\"\n'''\n\n")
		}
		for c := 1; c <= 2 && s < 5; c++ {
			fmt.Fprintf(&b, "'''check\nid: check-%d-%d\nkind: subnet\nname: vpclab-%s-%d\nvpc: vpclab-%s\ncidr: 10.0.%d.0/24\npublic: false\n'''\n\n", s, c, id, s, id, s)
		}
	}
	return md(b.String())
}

// writeSyntheticContent writes n labs in both languages under dir/labs.
func writeSyntheticContent(tb testing.TB, dir string, n int) {
	tb.Helper()
	for i := range n {
		id := fmt.Sprintf("lab-%03d", i)
		d := filepath.Join(dir, "labs", id)
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatal(err)
		}
		for _, l := range i18n.Langs {
			if err := os.WriteFile(filepath.Join(d, content.PageFile(l)), []byte(syntheticLab(id, l)), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

func loadContent(tb testing.TB, dir string) []*content.Lab {
	tb.Helper()
	labs, ds, err := content.Load(os.DirFS(dir), ".")
	if err != nil {
		tb.Fatal(err)
	}
	if len(ds) > 0 {
		tb.Fatalf("%d problems, the first: %s %s", len(ds), ds[0].Pos, ds[0].ID)
	}
	return labs
}

func TestSyntheticContentParses(t *testing.T) {
	dir := t.TempDir()
	writeSyntheticContent(t, dir, 3)
	labs := loadContent(t, dir)
	if len(labs) != 3 || len(labs[0].Checks()) != 8 {
		t.Fatalf("%d labs, %d checks in the first", len(labs), len(labs[0].Checks()))
	}
}

// BenchmarkBuild builds a site of 300 labs in both languages (602 pages,
// 602 badges) and reports pages per second.
func BenchmarkBuild(b *testing.B) {
	dir := b.TempDir()
	writeSyntheticContent(b, dir, 300)
	labs := loadContent(b, dir)
	benchBuild(b, labs)
}

// BenchmarkBuildRealLabs builds the labs in ../content, as vpclab build
// does in a checkout.
func BenchmarkBuildRealLabs(b *testing.B) {
	labs, _, err := content.Load(os.DirFS(filepath.Join("..", "content")), ".")
	if err != nil || len(labs) == 0 {
		b.Skip("no labs in ../content")
	}
	benchBuild(b, labs)
}

func benchBuild(b *testing.B, labs []*content.Lab) {
	out := filepath.Join(b.TempDir(), "public")
	pages := 0
	b.ResetTimer()
	for b.Loop() {
		st, err := Build(out, labs, nil, Options{})
		if err != nil {
			b.Fatal(err)
		}
		pages = st.Pages
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(pages), "pages")
}
