package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestWriteTableAlignsWideCharacters: every column starts at the same
// terminal column on each line, Japanese labels (two columns a character)
// included.
func TestWriteTableAlignsWideCharacters(t *testing.T) {
	var b bytes.Buffer
	writeTable(&b, [][]string{{"種類", "ID", "料金"}, {"NAT ゲートウェイ", "nat-0abc", "$0.045"}, {"パブリック IPv4", "eipalloc-1", "$0.005"}})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %q", len(lines), b.String())
	}
	col := func(line, cell string) int { return displayWidth(line[:strings.Index(line, cell)]) }
	if a, c, d := col(lines[0], "ID"), col(lines[1], "nat-0abc"), col(lines[2], "eipalloc-1"); a != c || c != d {
		t.Errorf("second column at %d, %d, %d:\n%s", a, c, d, b.String())
	}
	if a, c, d := col(lines[0], "料金"), col(lines[1], "$0.045"), col(lines[2], "$0.005"); a != c || c != d {
		t.Errorf("third column at %d, %d, %d:\n%s", a, c, d, b.String())
	}
}
