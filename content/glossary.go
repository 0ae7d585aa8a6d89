package content

import (
	_ "embed"
	"errors"
	"io/fs"
	"path"

	"github.com/goccy/go-yaml"
)

// Term is one glossary entry: the console's English and Japanese words,
// and Japanese variants that read as mistakes to a console user.
type Term struct {
	EN    string   `yaml:"en"`
	JA    string   `yaml:"ja"`
	Avoid []string `yaml:"avoid"`
}

//go:embed glossary.yaml
var glossaryYAML []byte

// Glossary reads glossary.yaml next to the labs (in dir or its parent, as
// in content/labs and content/glossary.yaml), else the built-in one.
func Glossary(fsys fs.FS, dir string) ([]Term, error) {
	for _, p := range []string{path.Join(dir, "glossary.yaml"), path.Join(path.Dir(dir), "glossary.yaml")} {
		b, err := ReadRegular(fsys, p, MaxYAMLBytes*64)
		switch {
		case err == nil:
			return parseGlossary(b)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err // there, but not readable: say so rather than use the built-in one
		}
	}
	return parseGlossary(glossaryYAML)
}

func parseGlossary(b []byte) ([]Term, error) {
	var terms []Term
	if err := yaml.Unmarshal(b, &terms); err != nil {
		return nil, err
	}
	return terms, nil
}

// PosOf converts a byte offset in the page's source to a position.
func (p *Page) PosOf(offset int) Pos {
	if p.released { // no text left to count lines in
		return Pos{File: p.Path}
	}
	if p.lines == nil {
		p.lines = newLineIndex(p.Path, p.Source)
	}
	return p.lines.pos(offset)
}
