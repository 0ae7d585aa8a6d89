package content

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vpclab/vpclab/i18n"
)

// Pos is a place in a source file. Line and Col are 1-based; Col counts
// bytes, as Go's own tools do.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether p names a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Diag is one problem found in the content: where it is and which message
// explains it. The message is rendered late so that each user reads it in
// their own language.
type Diag struct {
	Pos  Pos
	ID   string // i18n message ID; doubles as the rule name in machine output
	Args i18n.M
}

// Message renders the diagnostic's text in loc's language.
func (d Diag) Message(loc *i18n.Localizer) string { return loc.T(d.ID, d.Args) }

// Error renders the diagnostic in English, gcc style.
func (d Diag) Error() string { return d.Pos.String() + ": " + d.Message(i18n.New(i18n.EN)) }

// Diags is a list of diagnostics; as an error it prints one per line.
type Diags []Diag

func (ds Diags) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns ds as an error, or nil when it is empty.
func (ds Diags) Err() error {
	if len(ds) == 0 {
		return nil
	}
	return ds
}

// Sort orders diagnostics by file, line, column and then message ID, so
// output is stable and reads top to bottom.
func (ds Diags) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return ds[i].ID < ds[j].ID
	})
}

func diag(p Pos, id string, args i18n.M) Diag { return Diag{Pos: p, ID: id, Args: args} }

// lineIndex converts byte offsets of one file into line and column.
type lineIndex struct {
	file   string
	starts []int // byte offset at which each line starts
}

func newLineIndex(file string, src []byte) *lineIndex {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{file: file, starts: starts}
}

// lineStart is the byte offset at which line (1-based) starts.
func (li *lineIndex) lineStart(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(li.starts) {
		return li.starts[len(li.starts)-1]
	}
	return li.starts[line-1]
}

// byteCol turns a 1-based character column in line into a byte offset:
// YAML counts characters, Go's tools (and ours) count bytes.
func byteCol(line []byte, col int) int {
	off := 0
	for i := 1; i < col && off < len(line) && line[off] != '\n'; i++ {
		_, size := utf8.DecodeRune(line[off:])
		off += size
	}
	return off
}

func (li *lineIndex) pos(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	i := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > offset }) - 1
	return Pos{File: li.file, Line: i + 1, Col: offset - li.starts[i] + 1}
}
