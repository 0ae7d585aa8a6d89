// Package badge draws flat two-part SVG badges in the style of shields.io:
// a grey label on the left and a coloured value on the right. Text is
// measured with a per-rune width table (Verdana at 11px for ASCII, a full
// em for East Asian wide characters), so that Japanese text fits without a
// font being available at build time.
package badge

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"unicode"

	"golang.org/x/text/width"
)

// Color is a badge's value colour. The colours are dark enough for white
// text to meet WCAG AA contrast.
type Color string

const (
	Grey  Color = "#6e7781" // not started
	Blue  Color = "#0969da" // in progress
	Green Color = "#1a7f37" // done
	Red   Color = "#cf222e" // a check is failing
)

const (
	labelColor = "#555"
	fontSize   = 11  // px
	padding    = 6.0 // px on each side of a text
	height     = 20
)

// verdana holds the advance widths of printable ASCII (0x20–0x7e) in
// Verdana at 11px, the font shields.io measures with.
var verdana = [95]float64{
	3.87, 4.33, 5.05, 9.01, 7.00, 11.84, 7.99, 2.95, 4.99, 4.99, 7.00, 9.01, 4.00, 4.99, 4.00, 4.99, // space … /
	7.00, 7.00, 7.00, 7.00, 7.00, 7.00, 7.00, 7.00, 7.00, 7.00, // 0 … 9
	4.99, 4.99, 9.01, 9.01, 9.01, 6.00, 11.00, // : ; < = > ? @
	7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.00, 7.62, 6.12, 9.27, // A … M
	8.23, 8.66, 6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, // N … Z
	4.99, 4.99, 4.99, 9.01, 7.00, 7.00, // [ \ ] ^ _ `
	6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.70, // a … m
	6.96, 6.68, 6.85, 6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 8.98, 6.51, 6.51, 5.78, // n … z
	6.98, 4.99, 6.98, 9.01, // { | } ~
}

// RuneWidth is the width in pixels that r takes at 11px.
func RuneWidth(r rune) float64 {
	switch {
	case r >= 0x20 && r <= 0x7e:
		return verdana[r-0x20]
	case unicode.Is(unicode.Mn, r) || r == '\u200b' || r == '\ufeff':
		return 0 // combining marks and zero-width characters
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return fontSize // kana, kanji and full-width forms are one em
	case width.EastAsianHalfwidth:
		return fontSize / 2.0
	}
	return 7.0 // other scripts: about an average Latin letter
}

// TextWidth is the width in pixels of s at 11px.
func TextWidth(s string) float64 {
	var w float64
	for _, r := range s {
		w += RuneWidth(r)
	}
	return w
}

// Badge is one badge to draw.
type Badge struct {
	Label string
	Value string
	Color Color
	// Title is the accessible name and tooltip; "Label: Value" when empty.
	Title string
}

// Width is the badge's total width in pixels.
func (b Badge) Width() int {
	lw, vw := b.parts()
	return lw + vw
}

func (b Badge) parts() (label, value int) {
	return int(math.Ceil(TextWidth(b.Label) + 2*padding)), int(math.Ceil(TextWidth(b.Value) + 2*padding))
}

// SVG draws the badge as a standalone SVG document.
func (b Badge) SVG() []byte {
	lw, vw := b.parts()
	total := lw + vw
	title := b.Title
	if title == "" {
		title = b.Label + ": " + b.Value
	}
	color := b.Color
	if color == "" {
		color = Grey
	}
	var buf bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&buf, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`, total, height, total, height, esc(title))
	p(`<title>%s</title>`, esc(title))
	p(`<linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`)
	p(`<clipPath id="r"><rect width="%d" height="%d" rx="3" fill="#fff"/></clipPath>`, total, height)
	p(`<g clip-path="url(#r)"><rect width="%d" height="%d" fill="%s"/><rect x="%d" width="%d" height="%d" fill="%s"/><rect width="%d" height="%d" fill="url(#s)"/></g>`,
		lw, height, labelColor, lw, vw, height, esc(string(color)), total, height)
	p(`<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,'Hiragino Sans','Noto Sans CJK JP','Noto Sans JP','Yu Gothic',Meiryo,sans-serif" font-size="%d">`, fontSize)
	text := func(x float64, s string, w int) {
		tl := w - int(2*padding)
		p(`<text x="%.1f" y="15" fill="#010101" fill-opacity=".3" textLength="%d" lengthAdjust="spacingAndGlyphs">%s</text>`, x, tl, esc(s))
		p(`<text x="%.1f" y="14" textLength="%d" lengthAdjust="spacingAndGlyphs">%s</text>`, x, tl, esc(s))
	}
	text(float64(lw)/2, b.Label, lw)
	text(float64(lw)+float64(vw)/2, b.Value, vw)
	p(`</g></svg>`)
	buf.WriteByte('\n')
	return buf.Bytes()
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
