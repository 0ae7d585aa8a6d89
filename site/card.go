package site

import (
	"html/template"

	"github.com/yuin/goldmark/util"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// A page has a verification card for each check block, nine thousand on
// the 300-lab corpus, and through html/template they were a tenth of a
// build's CPU and a fifth of its allocations (each value goes through the
// escaper by reflection). So cards are written here, escaped as
// html/template escapes text and quoted attribute values; TestCardsAreTheTemplates
// holds them to the templates they were.

// cardData is one verification card, or the frame of a group of them.
type cardData struct {
	Lab, Step, Check, Kind string
	Label                  string // the group's heading
	Description            template.HTML
	Command                string
	Raw                    template.HTML // highlighted YAML of the block
	Status                 string        // recorded status, "" when none
	StatusLabel            string
	Recorded               string // "Last recorded …: message"
	Live                   bool
	T                      func(id string) string
}

func (p *pageCtx) cardBase(c *content.CheckBlock) cardData {
	step := ""
	if c.Step != nil {
		step = c.Step.ID
	}
	return cardData{Lab: p.lab.ID, Step: step, Check: c.ID, Kind: c.Kind, Live: p.site.opts.Live,
		Command: p.site.checkCommand(p.lab.ID, "--step", step), T: p.site.words[p.lang].T}
}

// groupOpen starts a group of verification cards: the check blocks that
// follow one another in the page share one command and one button.
func (p *pageCtx) groupOpen(w util.BufWriter, c *content.CheckBlock, count int) error {
	writeGroupOpen(w, p.groupData(c, count))
	return nil
}

func (p *pageCtx) groupData(c *content.CheckBlock, count int) cardData {
	d := p.cardBase(c)
	d.Label = p.site.words[p.lang].T("SiteCardLabel")
	if count > 1 {
		d.Label = p.loc.N("SiteCardLabelCount", count)
	}
	return d
}

func (p *pageCtx) groupClose(w util.BufWriter, c *content.CheckBlock) error {
	writeGroupClose(w, p.cardBase(c))
	return nil
}

// card writes a check block as a verification card: what it verifies in
// the reader's language, its last recorded result and the block itself.
func (p *pageCtx) card(w util.BufWriter, c *content.CheckBlock) error {
	writeCard(w, p.cardData(c))
	return nil
}

func (p *pageCtx) cardData(c *content.CheckBlock) cardData {
	d := p.cardBase(c)
	d.Description = describeHTML(Describe(p.loc, c), c)
	// A check's block is the same in both languages: coloured once (keys
	// of cards start with c, of code blocks with f).
	key := "c" + c.Raw
	raw, ok := p.highlighted(key)
	if !ok {
		raw = highlightYAML(c.Raw)
		p.keepHighlighted(key, raw)
	}
	d.Raw = template.HTML(raw)
	if r, ok := p.prog.Records[c.ID]; ok {
		d.Status, d.StatusLabel = string(r.Status), p.site.words[p.lang].T(statusMsg(r.Status))
		if msg := recordedMessage(p.loc, r); msg != "" {
			d.Recorded = p.loc.T("SiteCardRecorded", i18n.M{"When": r.At.UTC().Format("2006-01-02 15:04 UTC"), "Message": msg})
		}
	} else {
		d.StatusLabel = p.site.words[p.lang].T("SiteCardNotChecked")
	}
	return d
}

const shieldIcon = `<svg class="vcard-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M12 2.5l7.5 3v5.7c0 4.6-3.1 8.7-7.5 10.3-4.4-1.6-7.5-5.7-7.5-10.3V5.5z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/><path d="M8.5 12.2l2.4 2.4 4.6-4.8" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/></svg>`

func writeGroupOpen(w util.BufWriter, d cardData) {
	put(w, `<div class="vgroup" data-lab="`, d.Lab, `" data-step="`, d.Step, `">`+"\n")
	put(w, `<div class="vgroup-head">`+shieldIcon+`<span class="vgroup-label">`, d.Label, `</span></div>`+"\n")
	_, _ = w.WriteString(`<ul class="vcards">` + "\n")
}

func writeCard(w util.BufWriter, d cardData) {
	put(w, `<li class="vcard" id="check-`, d.Check, `" data-lab="`, d.Lab, `" data-step="`, d.Step,
		`" data-check="`, d.Check, `" data-kind="`, d.Kind, `">`+"\n")
	put(w, `<div class="vcard-head"><span class="vcard-status" data-status="`, d.Status, `">`, d.StatusLabel,
		`</span><code class="vcard-id">`, d.Check, `</code></div>`+"\n")
	_, _ = w.WriteString(`<p class="vcard-desc">` + string(d.Description) + "</p>\n" + `<div class="vcard-meta">`)
	if d.Recorded != "" {
		put(w, `<span class="vcard-recorded">`, d.Recorded, `</span>`)
	}
	put(w, `<details class="vcard-raw"><summary>`, d.T("SiteCardBlock"), `</summary>`)
	_, _ = w.WriteString(string(d.Raw) + "</details></div>\n" +
		`<div class="vcard-result" role="status" aria-live="polite"></div>` + "\n</li>\n")
}

func writeGroupClose(w util.BufWriter, d cardData) {
	_, _ = w.WriteString("</ul>\n" + `<div class="vgroup-foot">` + "\n")
	put(w, `<p class="vcard-cmd-label">`, d.T("SiteCardCommand"), `</p>`+"\n")
	put(w, `<div class="cmd"><code>`, d.Command, `</code><button type="button" class="copy" aria-label="`, d.T("SiteCopyLabel"),
		`">`, d.T("SiteCopy"), `</button></div>`+"\n")
	put(w, `<div class="vgroup-actions"><button type="button" class="btn btn-primary check-step" data-action="check-step" data-lab="`, d.Lab,
		`" data-step="`, d.Step, `"`)
	if !d.Live {
		_, _ = w.WriteString(` hidden disabled`)
	}
	put(w, `>`, d.T("SiteCheckStep"), `</button></div>`+"\n")
	_, _ = w.WriteString(`<div class="check-result" role="status" aria-live="polite"></div>` + "\n</div>\n</div>\n")
}

// put writes markup and values in turn: parts[0] is markup, parts[1] a
// value (escaped), parts[2] markup, and so on.
func put(w util.BufWriter, parts ...string) {
	for i, s := range parts {
		if i%2 == 0 {
			_, _ = w.WriteString(s)
		} else {
			writeEscaped(w, s)
		}
	}
}

// writeEscaped writes s as html/template writes a string in text or in a
// quoted attribute value: its htmlReplacementTable replaces seven ASCII
// characters, and no byte of a longer UTF-8 sequence is ASCII.
func writeEscaped(w util.BufWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		_, _ = w.WriteString(s[last:i])
		_, _ = w.WriteString(repl)
		last = i + 1
	}
	_, _ = w.WriteString(s[last:])
}
