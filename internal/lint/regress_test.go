package lint_test

import "testing"

// Regressions found in review.
func TestLabsRegressions(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(l *labFiles)
		want   func(l *labFiles) []finding
	}{
		{"a difference inside a Japanese character points at its first byte", func(l *labFiles) {
			l.editBoth("name: demo-vpc", "name: ネットワーク")
			l.editJA("name: ネットワーク", "name: ネットワーン")
		}, func(l *labFiles) []finding {
			return []finding{f("LintCheckDiffers", l.inJA("name: ネットワー|ン"), "ID", "vpc-exists")}
		}},
		{"a Japanese block missing its last line points at the closing fence", func(l *labFiles) {
			l.editJA("public: false\nneeds: [vpc-exists]\n'''", "public: false\n'''")
		}, func(l *labFiles) []finding {
			return []finding{f("LintCheckDiffers", l.inJA("public: false\n|'''"), "ID", "subnet-private")}
		}},
		{"a Japanese page saved with CRLF is not a translation drift", func(l *labFiles) {
			l.ja = crlf(l.ja)
		}, func(*labFiles) []finding { return nil }},
		{"Japanese prose uses the console's terms; code and longer words are left alone", func(l *labFiles) {
			l.editJA("## 後片付け {#cleanup}", "## 後片付け {#cleanup}\n\nNATゲートウェイとクラスターを削除します。`NATゲートウェイ` はコードです。")
		}, func(l *labFiles) []finding {
			return []finding{f("LintGlossary", l.inJA("|NATゲートウェイとクラスター"), "Got", "NATゲートウェイ", "Want", "NAT ゲートウェイ")}
		}},
		{"every avoided word of a sentence is found, each time it is written", func(l *labFiles) {
			l.editJA("## 後片付け {#cleanup}", "## 後片付け {#cleanup}\n\nルーティングテーブルとNATゲートウェイ、もう一つのNATゲートウェイを削除します。")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintGlossary", l.inJA("|ルーティングテーブルとNAT"), "Got", "ルーティングテーブル", "Want", "ルートテーブル"),
				f("LintGlossary", l.inJA("ルーティングテーブルと|NATゲートウェイ、"), "Got", "NATゲートウェイ", "Want", "NAT ゲートウェイ"),
				f("LintGlossary", l.inJA("もう一つの|NATゲートウェイを"), "Got", "NATゲートウェイ", "Want", "NAT ゲートウェイ"),
			}
		}},
		{"a check that does not parse is reported once: a later check that needs it is not reported too", func(l *labFiles) {
			l.editBoth("name: demo-vpc", "name: \"demo-vpc")
		}, func(l *labFiles) []finding {
			detail := "could not find end character of double-quoted text"
			return []finding{
				f("ContentYAMLSyntax", l.inEN("name: |\"demo-vpc"), "Detail", detail),
				f("ContentYAMLSyntax", l.inJA("name: |\"demo-vpc"), "Detail", detail),
			}
		}},
		{"a Region AWS does not have is found in the front matter, with the closest that exists", func(l *labFiles) {
			l.editBoth("\nregion: ap-northeast-1", "\nregion: ap-northeast-9")
			l.editBoth("  region: ap-northeast-1", "  region: zz-nowhere-7")
		}, func(l *labFiles) []finding {
			return []finding{
				f("LintRegionUnknownSuggest", l.inEN("\nregion: |ap-northeast-9"), "Region", "ap-northeast-9", "Suggest", "ap-northeast-1"),
				f("LintRegionUnknownSuggest", l.inJA("\nregion: |ap-northeast-9"), "Region", "ap-northeast-9", "Suggest", "ap-northeast-1"),
				f("LintRegionUnknown", l.inEN("  region: |zz-nowhere-7"), "Region", "zz-nowhere-7"),
				f("LintRegionUnknown", l.inJA("  region: |zz-nowhere-7"), "Region", "zz-nowhere-7"),
			}
		}},
		{"a misspelt shared key gets a suggestion", func(l *labFiles) {
			l.editBoth("kind: vpc\n", "kind: vpc\ntimout: 5m\n")
		}, func(l *labFiles) []finding {
			return []finding{
				f("ContentFieldUnknown", l.inEN("timout: 5m"), "Field", "timout", "Suggest", "timeout"),
				f("ContentFieldUnknown", l.inJA("timout: 5m"), "Field", "timout", "Suggest", "timeout"),
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t)
			tt.mutate(l)
			checkFindings(t, lintLab(t, l.fs()), tt.want(l))
		})
	}
}

func crlf(s string) string {
	out := make([]byte, 0, len(s)+len(s)/20)
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, '\r')
		}
		out = append(out, s[i])
	}
	return string(out)
}
