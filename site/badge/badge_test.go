package badge

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// wellFormed parses svg as XML and returns its text content and the root's
// width attribute.
func wellFormed(t *testing.T, svg []byte) (text []string, width string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root is %v, want svg in the SVG namespace", tok.Name)
				}
				for _, a := range tok.Attr {
					if a.Name.Local == "width" {
						width = a.Value
					}
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				text = append(text, s)
			}
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced elements")
	}
	return text, width
}

func TestSVGWellFormedWithText(t *testing.T) {
	for _, b := range []Badge{
		{Label: "nat-private-egress", Value: "3/5", Color: Blue},
		{Label: "first-vpc", Value: "未着手", Color: Grey},
		{Label: `a <b> & "c"`, Value: "done 5/5", Color: Green, Title: "x < y"},
	} {
		text, width := wellFormed(t, b.SVG())
		joined := strings.Join(text, "|")
		for _, want := range []string{b.Label, b.Value} {
			if !strings.Contains(joined, want) {
				t.Errorf("%q not in the SVG's text %q", want, joined)
			}
		}
		if width == "" {
			t.Errorf("no width on the svg element")
		}
	}
}

func TestWidthGrowsWithText(t *testing.T) {
	short := Badge{Label: "lab", Value: "1/2"}.Width()
	long := Badge{Label: "lab", Value: "1/2 failing"}.Width()
	if long <= short {
		t.Errorf("width %d for the longer value, %d for the shorter", long, short)
	}
	// Japanese is full width: four kana are wider than four Latin letters.
	ja := Badge{Label: "lab", Value: "未着手です"}.Width()
	en := Badge{Label: "lab", Value: "abcde"}.Width()
	if ja <= en {
		t.Errorf("Japanese value %d px is not wider than Latin %d px", ja, en)
	}
	if got := TextWidth("未着手"); got != 33 {
		t.Errorf("TextWidth(未着手) = %v, want 33 (three ems at 11px)", got)
	}
	if TextWidth("W") <= TextWidth("i") {
		t.Errorf("W should be wider than i")
	}
}

func TestColorDefaultsToGrey(t *testing.T) {
	svg := string(Badge{Label: "a", Value: "b"}.SVG())
	if !strings.Contains(svg, string(Grey)) {
		t.Errorf("no grey in %s", svg)
	}
}
