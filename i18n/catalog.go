package i18n

import (
	"bytes"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Start-up cost: parsing every catalog of both languages took about 13 ms
// of CPU in each vpclab process (a sixth of a one-learner class check), for
// the few dozen messages one command prints. Instead, a language's
// catalogs are indexed when its first Localizer is made (a scan for the
// table headers, a fraction of a millisecond), and a message's table is
// parsed the first time it is rendered.
//
// Anything the index cannot vouch for (a header that is not a bare ID, a
// key outside a table, an ID twice, an unclosed multi-line string, a table
// that does not parse alone) sends that language back to parsing its
// catalogs whole, as before. Tests keep the two ways equal for every
// message of the shipped catalogs and check that these take the index.

// catalogFile is one catalog: its file name (which gives go-i18n the
// language) and its TOML.
type catalogFile struct {
	name string
	src  []byte
}

// catalog is the messages loaded so far, in one go-i18n bundle.
type catalog struct {
	files func(Lang) ([]catalogFile, error)

	// mu guards bundle and langs: messages are added under mu, and
	// go-i18n reads the bundle (Localize) under mu.RLock, since a bundle
	// must not change while it is read.
	mu     sync.RWMutex
	bundle *goi18n.Bundle
	langs  map[Lang]*langIndex
}

// langIndex is one language's index and what of it is in the bundle.
type langIndex struct {
	tag    language.Tag
	tables map[string][]byte        // message ID → the TOML of its table
	loaded map[string]bool          // IDs looked up so far, present or not
	whole  bool                     // every catalog of the language is in the bundle
	fast   map[string]*fastTemplate // the messages that are fastTemplates
}

// shared is the process's catalog of the embedded files.
var shared = newCatalog(embeddedFiles)

func embeddedFiles(l Lang) ([]catalogFile, error) {
	var out []catalogFile
	for _, area := range Areas() {
		name := AreaFile(area, l)
		src, err := catalogs.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, catalogFile{name, src})
	}
	return out, nil
}

func newCatalog(files func(Lang) ([]catalogFile, error)) *catalog {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	// Both languages are known to the bundle from the start, in the order
	// loading every file used to add them, so go-i18n's language matching
	// does not depend on which messages were rendered first.
	for _, l := range Langs {
		if err := b.AddMessages(language.Make(string(l))); err != nil {
			panic(err) // English and Japanese have plural rules
		}
	}
	return &catalog{files: files, bundle: b, langs: map[Lang]*langIndex{}}
}

// open indexes l's catalogs, once.
func (c *catalog) open(l Lang) error {
	c.mu.RLock()
	li := c.langs[l]
	c.mu.RUnlock()
	if li != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.openLocked(l)
	return err
}

func (c *catalog) openLocked(l Lang) (*langIndex, error) {
	if li := c.langs[l]; li != nil {
		return li, nil
	}
	files, err := c.files(l)
	if err != nil {
		return nil, err
	}
	li := &langIndex{tag: language.Make(string(l)), loaded: map[string]bool{}}
	var ok bool
	if li.tables, ok = indexTables(files); !ok {
		if err := c.loadWhole(li, files); err != nil {
			return nil, err
		}
	}
	c.langs[l] = li
	return li, nil
}

// loadWhole parses every file of a language into the bundle.
func (c *catalog) loadWhole(li *langIndex, files []catalogFile) error {
	for _, f := range files {
		if _, err := c.bundle.ParseMessageFileBytes(f.src, f.name); err != nil {
			return err
		}
	}
	li.whole, li.tables = true, nil
	return nil
}

// need puts message id of l in the bundle, and, when l lacks it, the
// English one that go-i18n falls back to.
func (c *catalog) need(l Lang, id string) {
	c.mu.RLock()
	li := c.langs[l]
	done := li != nil && (li.whole || li.loaded[id])
	c.mu.RUnlock()
	if done {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.addLocked(l, id); err != nil {
		panic("i18n: embedded catalogs do not load: " + err.Error())
	}
}

func (c *catalog) addLocked(l Lang, id string) error {
	li, err := c.openLocked(l)
	if err != nil {
		return err
	}
	if li.whole || li.loaded[id] {
		return nil
	}
	li.loaded[id] = true
	src, ok := li.tables[id]
	if !ok {
		if l != EN {
			return c.addLocked(EN, id)
		}
		return nil
	}
	msgs, err := goi18n.ParseMessageBytes(src, toml.Unmarshal)
	if err != nil || len(msgs) != 1 || msgs[0].ID != id {
		// The index was wrong about this table: trust only a whole parse.
		files, ferr := c.files(l)
		if ferr != nil {
			return ferr
		}
		return c.loadWhole(li, files)
	}
	if err := c.bundle.AddMessages(li.tag, msgs[0]); err != nil {
		return err
	}
	if t := compileFast(msgs[0]); t != nil {
		if li.fast == nil {
			li.fast = map[string]*fastTemplate{}
		}
		li.fast[id] = t
	}
	return nil
}

// fastLocked returns message id of l as a fastTemplate, if it is one and
// l has it. Call it with c.mu held for reading.
func (c *catalog) fastLocked(l Lang, id string) *fastTemplate {
	if li := c.langs[l]; li != nil && !li.whole {
		return li.fast[id]
	}
	return nil
}

// indexTables maps each message ID of files to the TOML of its table: from
// its "[ID]" line to the next header. It reports false for anything it
// does not recognise, and the caller then parses the files whole.
func indexTables(files []catalogFile) (map[string][]byte, bool) {
	tables := map[string][]byte{}
	for _, f := range files {
		src := f.src
		id, start := "", 0
		var inString []byte // the delimiter of the multi-line string the line is in
		for off := 0; off < len(src); {
			next := len(src)
			if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
				next = off + i + 1
			}
			line := bytes.TrimSpace(src[off:next])
			switch {
			case inString != nil:
				if bytes.Contains(line, inString) {
					inString = nil
				}
			case len(line) == 0 || line[0] == '#':
			case line[0] == '[':
				name, ok := bareHeader(line)
				if !ok {
					return nil, false
				}
				if id != "" {
					tables[id] = src[start:off]
				}
				if _, dup := tables[name]; dup {
					return nil, false
				}
				id, start = name, off
				tables[id] = nil // taken, for the duplicate check
			default:
				if id == "" {
					return nil, false // a key outside any table
				}
				inString = opensString(line)
			}
			off = next
		}
		if inString != nil {
			return nil, false
		}
		if id != "" {
			tables[id] = src[start:]
		}
	}
	return tables, true
}

// bareHeader is ID of the line "[ID]" when ID is a bare TOML key without
// dots (what go-i18n reads as one message).
func bareHeader(line []byte) (string, bool) {
	if len(line) < 3 || line[len(line)-1] != ']' {
		return "", false
	}
	name := line[1 : len(line)-1]
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return "", false
		}
	}
	return string(name), true
}

// opensString is the delimiter of a multi-line string that a key line
// opens and does not close, or nil.
func opensString(line []byte) []byte {
	for _, d := range [][]byte{[]byte(`"""`), []byte(`'''`)} {
		if i := bytes.Index(line, d); i >= 0 {
			if bytes.Contains(line[i+len(d):], d) {
				return nil
			}
			return d
		}
	}
	return nil
}
