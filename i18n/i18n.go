// Package i18n holds every user-facing string of vpclab, in English and
// Japanese, and picks the learner's language.
//
// The message catalogs active.en.toml and active.ja.toml are the source of
// truth: code refers to messages by ID, and tests fail when an ID used in
// code is missing from either catalog or when the two catalogs disagree on
// IDs or placeholders.
package i18n

import (
	"embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// The catalogs are split by area (active, repair, progress, …) so that work
// on one part of vpclab does not contend for one file: <area>.<lang>.toml.
//
//go:embed *.toml
var catalogs embed.FS

// Lang is a language vpclab speaks.
type Lang string

const (
	EN Lang = "en"
	JA Lang = "ja"
)

// Langs lists the supported languages in their canonical order.
var Langs = []Lang{EN, JA}

// Other returns the language that is not l (the language switch's target).
func (l Lang) Other() Lang {
	if l == JA {
		return EN
	}
	return JA
}

// Parse accepts "en", "ja" and locale names such as "ja_JP.UTF-8" or "en-US".
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "_-.@"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "en":
		return EN, true
	case "ja":
		return JA, true
	}
	return "", false
}

// Detect decides the language: an explicit flag value wins, then the POSIX
// locale variables in their usual order of precedence, then English.
func Detect(flagValue string, getenv func(string) string) (Lang, error) {
	if flagValue != "" {
		l, ok := Parse(flagValue)
		if !ok {
			return EN, fmt.Errorf("unsupported language %q", flagValue)
		}
		return l, nil
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if val := getenv(v); val != "" {
			if l, ok := Parse(val); ok {
				return l, nil
			}
			// The first variable that is set decides, as in POSIX; an
			// unsupported locale means English, not the next variable.
			return EN, nil
		}
	}
	return EN, nil
}

// M is the data a message's placeholders are filled from.
type M = map[string]any

// Msg is a message used as a value inside another message; it is rendered
// in the same language as the message that holds it.
type Msg struct {
	ID   string
	Data M
}

// CatalogFile is the file name of l's main message catalog; its presence
// marks a folder as vpclab's i18n folder.
func CatalogFile(l Lang) string { return AreaFile("active", l) }

// AreaFile is the file name of one area's catalog in l.
func AreaFile(area string, l Lang) string { return area + "." + string(l) + ".toml" }

// Areas lists the catalog areas, from the English files, sorted.
func Areas() []string {
	ents, _ := catalogs.ReadDir(".")
	var out []string
	for _, e := range ents {
		if a, ok := strings.CutSuffix(e.Name(), ".en.toml"); ok {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// AreaSource returns the embedded catalog of one area in l.
func AreaSource(area string, l Lang) ([]byte, error) { return catalogs.ReadFile(AreaFile(area, l)) }

// CatalogSource returns every message of l, all areas joined (each area
// file is a set of top-level tables, so the join is one valid catalog).
func CatalogSource(l Lang) ([]byte, error) {
	var out []byte
	for _, a := range Areas() {
		src, err := AreaSource(a, l)
		if err != nil {
			return nil, err
		}
		out = append(append(out, src...), '\n')
	}
	return out, nil
}

// Localizer renders messages in one language.
type Localizer struct {
	lang Lang
	loc  *goi18n.Localizer
}

// New returns a localizer for l. The catalogs are embedded and tested, so a
// failure to load them is a build defect and panics at start-up.
func New(l Lang) *Localizer {
	if err := shared.open(l); err != nil {
		panic("i18n: embedded catalogs do not load: " + err.Error())
	}
	return &Localizer{lang: l, loc: goi18n.NewLocalizer(shared.bundle, string(l))}
}

// Joined is a list shown as one value, its parts joined by Sep; a part
// may be a Msg, rendered in the reader's language (a path's hops, where
// "internet" is a word and the rest are ids).
type Joined struct {
	Parts []any
	Sep   string
}

// Portable is m as it can be stored as JSON and rendered again later, in
// either language: errors become their text (English; what the kind was
// is lost once stored), messages and lists keep their shape.
func Portable(m M) M {
	if m == nil {
		return nil
	}
	out := make(M, len(m))
	for k, v := range m {
		out[k] = portable(v)
	}
	return out
}

func portable(v any) any {
	switch x := v.(type) {
	case error:
		return x.Error()
	case Msg:
		return Msg{ID: x.ID, Data: Portable(x.Data)}
	case Joined:
		parts := make([]any, len(x.Parts))
		for i, p := range x.Parts {
			parts[i] = portable(p)
		}
		return Joined{Parts: parts, Sep: x.Sep}
	}
	return v
}

// value renders a message's data value: messages and errors in l's
// language, lists part by part, anything else as it is.
func (l *Localizer) value(v any) any {
	switch x := v.(type) {
	case Msg:
		return l.T(x.ID, x.Data)
	case error:
		return l.Err(x)
	case Joined:
		parts := make([]string, len(x.Parts))
		for i, p := range x.Parts {
			parts[i] = fmt.Sprint(l.value(p))
		}
		sep := x.Sep
		if sep == ", " && l.lang == JA {
			sep = "、" // a list's comma in Japanese
		}
		return strings.Join(parts, sep)
	}
	return v
}

// Lang is the localizer's language.
func (l *Localizer) Lang() Lang { return l.lang }

// T renders message id with data. A missing message renders as its ID in
// brackets so that the output still says what was meant; tests make sure
// this never ships.
func (l *Localizer) T(id string, data ...M) string {
	cache, ok := noDataCache[l.lang]
	if len(data) > 0 || !ok {
		return l.render(id, nil, data)
	}
	// Without data a message always reads the same: a page's labels are
	// rendered once, not once a page (the catalogs are embedded).
	if s, ok := cache.Load(id); ok {
		return s.(string)
	}
	s := l.render(id, nil, nil)
	cache.Store(id, s)
	return s
}

// noDataCache holds the messages rendered without data, by language.
var noDataCache = map[Lang]*sync.Map{EN: {}, JA: {}}

// N renders the plural form of id for count; data may use {{.Count}}.
func (l *Localizer) N(id string, count int, data ...M) string {
	return l.render(id, count, data)
}

func (l *Localizer) render(id string, count any, data []M) string {
	d := M{}
	for _, m := range data {
		for k, v := range m {
			v = l.value(v)
			if s, ok := v.(string); ok && s != "" && l.lang == JA { // "" stays falsy for {{if}}
				v = valueStart + s + valueEnd // see spaceLatin
			}
			d[k] = v
		}
	}
	if count != nil {
		if _, ok := d["Count"]; !ok {
			d["Count"] = count
		}
	}
	shared.need(l.lang, id)
	shared.mu.RLock()
	var (
		s   string
		err error
		ok  bool
	)
	if t := shared.fastLocked(l.lang, id); t != nil && count == nil {
		s, ok = t.exec(d)
	}
	if !ok {
		s, err = l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: count})
	}
	shared.mu.RUnlock()
	if err != nil && s == "" {
		return "[" + id + "]"
	}
	if l.lang == JA {
		s = spaceLatin(s)
	}
	return s
}

// valueStart and valueEnd mark a placeholder's value in a rendered
// Japanese message, for spaceLatin; they never reach the output.
const (
	valueStart = "\x02"
	valueEnd   = "\x03"
)

// spaceLatin puts a space between Japanese and Latin letters or digits
// where a message's text meets a placeholder's value ("の" + "VPC" + "が"
// is "の VPC が"), as the console and the style guide write them; the
// catalogs cannot, since a placeholder may hold either (ロードバランサー,
// VPC). Inside a value nothing changes: a path, a command or a Name tag
// the learner typed ("私のVPC") is shown as it is. Unmarked text (the
// catalogs' own) is spaced where Japanese and Latin meet.
func spaceLatin(s string) string {
	if !strings.ContainsAny(s, valueStart+valueEnd) && !needsSpace(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := rune(0)
	depth := 0       // inside a value when > 0
	crossed := false // a value's edge lies between prev and r
	for _, r := range s {
		switch string(r) {
		case valueStart:
			depth++
			crossed = true
			continue
		case valueEnd:
			depth--
			crossed = true
			continue
		}
		if prev != 0 && (depth == 0 || crossed) && (japanese(prev) && latin(r) || latin(prev) && japanese(r)) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev, crossed = r, false
	}
	return b.String()
}

func needsSpace(s string) bool {
	prev := rune(0)
	for _, r := range s {
		if prev != 0 && (japanese(prev) && latin(r) || latin(prev) && japanese(r)) {
			return true
		}
		prev = r
	}
	return false
}

func latin(r rune) bool {
	return r < 0x80 && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
}

func japanese(r rune) bool {
	return r == 'ー' || r == '々' || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
}

// Has reports whether id exists in l's own catalog (no fallback).
func Has(l Lang, id string) bool {
	e := catalogIDs(l)
	ids, err := e.ids, e.err
	if err != nil {
		return false
	}
	i := sort.SearchStrings(ids, id)
	return i < len(ids) && ids[i] == id
}

// IDs lists the message IDs of l's catalog, sorted. The catalogs are
// embedded, so each language is parsed once.
func IDs(l Lang) ([]string, error) {
	e := catalogIDs(l)
	return slices.Clone(e.ids), e.err
}

func catalogIDs(l Lang) *cachedIDs {
	c, _ := idCache.LoadOrStore(l, &cachedIDs{})
	e := c.(*cachedIDs)
	e.once.Do(func() { e.ids, e.err = parseIDs(l) })
	return e
}

type cachedIDs struct {
	once sync.Once
	ids  []string
	err  error
}

var idCache sync.Map // Lang → *cachedIDs

func parseIDs(l Lang) ([]string, error) {
	src, err := CatalogSource(l)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := toml.Unmarshal(src, &raw); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, nil
}
