package lint

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"

	"github.com/vpclab/vpclab/checks/billing"
	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
)

// styleRules enforces the mechanical part of content/STYLE.md in prose
// (code spans and blocks are not prose): one currency form, the right
// width of parentheses for the page's language, and prices that match
// checks/billing/prices.json and say when they were checked.
func styleRules(p *content.Page) content.Diags {
	return append(styleRulesWith(p, billing.PriceTable()), shellRules(p)...)
}

func styleRulesWith(p *content.Page, table billing.Table) content.Diags {
	if p.Doc == nil {
		return nil
	}
	var ds content.Diags
	quotesPrice := false
	_ = ast.Walk(p.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.CodeSpan, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		t, ok := n.(*ast.Text)
		if !ok || joined(p.Source, t.PreviousSibling(), t) {
			return ast.WalkContinue, nil // a run is checked from its first node
		}
		// goldmark splits a line into several text nodes; check the run of
		// adjacent ones as one string, so "45.26 ドル" is seen whole.
		start, stop := t.Segment.Start, t.Segment.Stop
		for next := t.NextSibling(); next != nil && joined(p.Source, next.PreviousSibling(), next); next = next.NextSibling() {
			stop = next.(*ast.Text).Segment.Stop
		}
		text := string(p.Source[start:stop])
		at := func(off int) content.Pos { return p.PosOf(start + off) }
		for _, m := range findCurrency(text) {
			ds = append(ds, diag(at(m[0]), "StyleCurrency", i18n.M{"Got": text[m[0]:m[1]]}))
		}
		if !consoleLabel(t) {
			ds = append(ds, parenRules(p.Lang, text, at)...)
		}
		for _, m := range findDollar(text) {
			quotesPrice = true
			amount := text[m[2]:m[3]]
			if !(unitPrice(text, m[1]) || strings.HasSuffix(strings.TrimSpace(text[:m[0]]), "あたり")) {
				continue
			}
			// A known rate first: most quoted prices are, and the line's
			// arithmetic is an expression to run.
			v, err := strconv.ParseFloat(amount, 64)
			if err != nil || knownRate(v, table) || derived(lineAround(p.Source, start+m[0])) {
				continue
			}
			ds = append(ds, diag(at(m[0]), "StylePriceUnknown", i18n.M{"Price": "$" + amount, "Checked": table.Checked}))
		}
		return ast.WalkContinue, nil
	})
	if quotesPrice && !mentionsDate(p, table.Checked) {
		ds = append(ds, diag(p.MetaPos, "StylePriceDateMissing", i18n.M{"Checked": table.Checked, "JA": jaDate(table.Checked)}))
	}
	return ds
}

var (
	// Prices are written $0.062 in both languages; these are the other forms.
	badCurrency = regexp.MustCompile(`\d(?:[\d,]*\.?\d*)\s*(?:USD|ドル|米ドル)|(?:USD|US\$)\s*\d|＄`)
	dollar      = regexp.MustCompile(`\$(\d+(?:\.\d+)?)`)
	// A unit right after the amount makes it a rate ("$0.062 per hour",
	// "$0.005/h", "$0.062/時間", "$0.01 per GB").
	rateUnit = regexp.MustCompile(`^\s*(?:per (?:hour|GB|endpoint)|an hour|a GB|/h\b|/hour|/GB|/時間)`)
	// Words that mark an amount as worked out from rates, not quoted.
	arithmetic = regexp.MustCompile(`[×+=≈÷]|\b(?:[Tt]otal|each|both|all|two|three)\b|合計|それぞれ|2 つ|3 つ|合わせて`)
)

// joined reports whether text node b directly continues text node a, with
// at most white space (a line break inside a paragraph) between them.
func joined(src []byte, a, b ast.Node) bool {
	ta, ok1 := a.(*ast.Text)
	tb, ok2 := b.(*ast.Text)
	if !ok1 || !ok2 || ta.Segment.Stop > tb.Segment.Start {
		return false
	}
	return strings.TrimSpace(string(src[ta.Segment.Stop:tb.Segment.Start])) == ""
}

// findCurrency and findDollar run their expressions only on text that
// holds what every match must hold: most prose quotes no price, and the
// expressions were most of lint's time.
func findCurrency(text string) [][]int {
	if !strings.Contains(text, "USD") && !strings.Contains(text, "ドル") && !strings.Contains(text, "US$") && !strings.Contains(text, "＄") {
		return nil
	}
	return badCurrency.FindAllStringIndex(text, -1)
}

func findDollar(text string) [][]int {
	if !strings.Contains(text, "$") {
		return nil
	}
	return dollar.FindAllStringSubmatchIndex(text, -1)
}

func unitPrice(text string, end int) bool { return rateUnit.MatchString(text[end:]) }

// derived reports whether the line holding an amount also shows the
// arithmetic or the count behind it: such a figure is a product or sum of
// rates, which the rule cannot attribute to one price.
func derived(line string) bool { return arithmetic.MatchString(line) }

func lineAround(src []byte, off int) string {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := off
	for end < len(src) && src[end] != '\n' {
		end++
	}
	return string(src[start:end])
}

// knownRate reports whether v is one of the rates in prices.json, for any
// Region it lists.
func knownRate(v float64, table billing.Table) bool {
	for _, p := range table.Regions {
		for _, r := range []float64{p.NATGatewayHour, p.NATGatewayGB, p.RegionalNATGatewayAZHour, p.PublicIPv4Hour,
			p.InterfaceEndpointAZHour, p.InterfaceEndpointGB, p.DataTransferOutGB, p.InterAZGB,
			p.FargateVCPUHour, p.FargateGBHour, p.LoadBalancerHour} {
			if math.Abs(r-v) < 1e-9 {
				return true
			}
		}
	}
	return false
}

// mentionsDate reports whether the page's prose or front matter names the
// date prices.json was checked, as 2026-11-23 or 2026 年 11 月 23 日.
func mentionsDate(p *content.Page, checked string) bool {
	return checked != "" && (bytes.Contains(p.Source, []byte(checked)) || bytes.Contains(p.Source, []byte(jaDate(checked))))
}

func jaDate(iso string) string {
	f := strings.Split(iso, "-")
	if len(f) != 3 {
		return iso
	}
	y, _ := strconv.Atoi(f[0])
	m, _ := strconv.Atoi(f[1])
	d, _ := strconv.Atoi(f[2])
	return strconv.Itoa(y) + " 年 " + strconv.Itoa(m) + " 月 " + strconv.Itoa(d) + " 日"
}

// consoleLabel reports whether t is bold text: console labels are quoted
// in bold exactly as the console shows them, half-width parentheses
// included (**アジアパシフィック (東京)**).
func consoleLabel(t ast.Node) bool {
	e, ok := t.Parent().(*ast.Emphasis)
	return ok && e.Level == 2
}

// parenRules: Japanese prose uses full-width （）, English prose half-width
// (); a Japanese page mixing both around 東京 was the symptom.
func parenRules(lang i18n.Lang, text string, at func(int) content.Pos) content.Diags {
	var ds content.Diags
	wrong, want := "()", "（）"
	if lang != i18n.JA {
		wrong, want = "（）", "()"
	}
	// Most prose has no parenthesis of the wrong width: look for one
	// before decoding every rune.
	first, _ := utf8.DecodeRuneInString(wrong)
	second, _ := utf8.DecodeLastRuneInString(wrong)
	if !strings.ContainsRune(text, first) && !strings.ContainsRune(text, second) {
		return nil
	}
	for off, r := range text {
		if strings.ContainsRune(wrong, r) {
			ds = append(ds, diag(at(off), "StyleParenWidth", i18n.M{"Got": string(r), "Want": want}))
		}
	}
	return ds
}

// shellRules flags, in solution and clean-up blocks, what works in bash
// but not in zsh, the default shell on macOS: an unquoted $VAR used as a
// word (zsh does not split it, so "for id in $IDS" sees one id made of
// all of them), and bash- or zsh-only commands. Heredoc bodies are data,
// not commands, and are skipped.
func shellRules(p *content.Page) content.Diags {
	var ds content.Diags
	for _, s := range p.Steps {
		for _, b := range append(append([]*content.CodeBlock{}, s.Solution...), s.Cleanup...) {
			heredoc := ""
			for i, line := range strings.Split(b.Code, "\n") {
				if i >= len(b.Lines) {
					break
				}
				if heredoc != "" {
					if strings.TrimSpace(line) == heredoc {
						heredoc = ""
					}
					continue
				}
				code := unquoted(shellCode(line))
				if strings.Contains(code, "<<") {
					if m := heredocStart.FindStringSubmatch(code); m != nil {
						heredoc = m[1]
					}
				}
				at := func(col int) content.Pos { pos := b.Lines[i]; pos.Col += col; return pos }
				if mayHaveBareVar(code) {
					for _, m := range bareVar.FindAllStringSubmatchIndex(code, -1) {
						ds = append(ds, diag(at(m[2]), "StyleShellSplit", i18n.M{"Var": code[m[2]:m[3]]}))
					}
				}
				if oneShellOnlyMaybe(code) {
					for _, m := range oneShellOnly.FindAllStringIndex(code, -1) {
						ds = append(ds, diag(at(m[0]), "StyleShellOnly", i18n.M{"Got": code[m[0]:m[1]]}))
					}
				}
			}
		}
	}
	return ds
}

var (
	bareVar      = regexp.MustCompile(`(?:^|[\s=])(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)(?:\s|;|\)|$)`)
	oneShellOnly = regexp.MustCompile(`\b(?:setopt|unsetopt|emulate|printf -v|declare -n|mapfile|readarray|shopt)\b`)
	heredocStart = regexp.MustCompile(`<<-?\s*\\?(?:x+|([A-Za-z_]+))`)
)

// mayHaveBareVar reports whether code holds what every bareVar match
// holds, a $ before a name or a brace: most lines with a $ only have
// $( ), so the expression runs on few lines.
func mayHaveBareVar(code string) bool {
	for i := strings.IndexByte(code, '$'); i >= 0 && i+1 < len(code); {
		if c := code[i+1]; c == '{' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			return true
		}
		next := strings.IndexByte(code[i+1:], '$')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

// oneShellOnlyMaybe reports whether code holds a word oneShellOnly needs
// (unsetopt holds setopt): the expression then runs on few lines.
func oneShellOnlyMaybe(code string) bool {
	for _, w := range []string{"setopt", "emulate", "printf", "declare", "mapfile", "readarray", "shopt"} {
		if strings.Contains(code, w) {
			return true
		}
	}
	return false
}

// unquoted blanks out what is inside quotes, so that only the words the
// shell splits remain: "$VPC_ID" is safe, $VPC_ID is not.
func unquoted(line string) string {
	b := []byte(line)
	var quote byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				if c == '\\' && quote == '"' && i+1 < len(b) {
					b[i] = 'x'
					i++
				}
				b[i] = 'x'
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\\' && i+1 < len(b):
			i++
		}
	}
	return string(b)
}
