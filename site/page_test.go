package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
)

func TestSearchTerms(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"NAT gateway", []string{"nat", "gateway"}},
		{"create-nat-gateway 0.0.0.0/0", []string{"create", "nat", "gateway", "0", "0", "0", "0", "0"}},
		// Japanese runs as pairs plus the run's last character; Latin words
		// between them whole; full-width letters folded by NFKC.
		{"NAT ゲートウェイを作成", []string{"nat", "ゲー", "ート", "トウ", "ウェ", "ェイ", "イを", "を作", "作成", "成"}},
		{"ＮＡＴゲートウェイ", []string{"nat", "ゲー", "ート", "トウ", "ウェ", "ェイ", "イ"}},
		{"港", []string{"港"}},
	}
	for _, c := range cases {
		var got []string
		searchTerms(c.in, func(t string) { got = append(got, t) })
		if !slices.Equal(got, c.want) {
			t.Errorf("searchTerms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSearchIndex: the index is MiniSearch's serialized form, with every
// section of both languages, and the Japanese text joined across source
// line breaks so a phrase wrapped in the Markdown is still found.
func TestSearchIndex(t *testing.T) {
	s, err := New(demoLabs(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	js := render(t, s, searchIndexPath, nil)
	body, ok := strings.CutPrefix(js, "window.vpclabSearch=")
	if !ok {
		t.Fatalf("the index is not a script setting window.vpclabSearch: %.60q", js)
	}
	var ix struct {
		DocumentCount int                          `json:"documentCount"`
		FieldIDs      map[string]int               `json:"fieldIds"`
		DocumentIDs   map[string]string            `json:"documentIds"`
		FieldLength   map[string][]int             `json:"fieldLength"`
		StoredFields  map[string]map[string]string `json:"storedFields"`
		Index         []json.RawMessage            `json:"index"`
		Version       int                          `json:"serializationVersion"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimSpace(body), ";")), &ix); err != nil {
		t.Fatal(err)
	}
	if ix.Version != 2 || ix.FieldIDs["t"] != 0 || ix.FieldIDs["x"] != 2 || ix.DocumentCount != len(ix.DocumentIDs) || len(ix.FieldLength) != ix.DocumentCount {
		t.Errorf("not MiniSearch's version 2 layout: version %d, fields %v, %d docs, %d ids, %d lengths", ix.Version, ix.FieldIDs, ix.DocumentCount, len(ix.DocumentIDs), len(ix.FieldLength))
	}
	langs := map[string]int{}
	terms := map[string]bool{}
	for _, raw := range ix.Index {
		var pair []json.RawMessage
		if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
			t.Fatalf("index entry %s", raw)
		}
		var term string
		_ = json.Unmarshal(pair[0], &term)
		terms[term] = true
	}
	for _, d := range ix.StoredFields {
		langs[d["l"]]++
		if !strings.HasPrefix(d["u"], d["l"]+"/") {
			t.Errorf("stored url %q is not under its language %q", d["u"], d["l"])
		}
	}
	if langs["en"] == 0 || langs["ja"] == 0 {
		t.Errorf("sections by language: %v", langs)
	}
	// demoBody's Japanese "日本語の\n文章" is one phrase: "の文" must be a term.
	for _, want := range []string{"の文", "作成", "vpc"} {
		if !terms[want] {
			t.Errorf("the index has no term %q", want)
		}
	}
}

// TestSearchIndexChunks: the index's terms written in many chunks (one
// entry each) are the same bytes as in one.
func TestSearchIndexChunks(t *testing.T) {
	build := func() string {
		s, err := New(demoLabs(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return render(t, s, searchIndexPath, nil)
	}
	one := build()
	defer func(n int) { indexChunk = n }(indexChunk)
	indexChunk = 16
	if many := build(); many != one {
		t.Errorf("in chunks of %d bytes the index differs: %d bytes against %d", indexChunk, len(many), len(one))
	}
	if !strings.Contains(one, `"index":[["`) || !strings.HasSuffix(one, "}}]]};\n") {
		t.Errorf("the index's terms are not one JSON array: %.40q … %q", one, one[max(0, len(one)-20):])
	}
}

// TestRecordedMessageInPageLanguage: a result recorded from the English
// page (message id and data kept) reads in Japanese on the Japanese page,
// also after a trip through the progress file's JSON.
func TestRecordedMessageInPageLanguage(t *testing.T) {
	data := map[string]any{"Param": "destination", "Value": "10.0.0.0/8"}
	r := progress.Record{Account: "123456789012", Region: "ap-northeast-1", Lab: "demo", Step: "create-vpc", Check: "vpc-exists",
		Status: progress.StatusFail, Message: i18n.New(i18n.EN).T("CheckBadParam", data), MessageID: "CheckBadParam", MessageData: data, At: time.Now()}
	p := record(t, r) // through the file
	got := p.Lab(r.Account, r.Region, "demo")["vpc-exists"]
	ja := recordedMessage(i18n.New(i18n.JA), got)
	if ja != i18n.New(i18n.JA).T("CheckBadParam", data) || ja == r.Message {
		t.Errorf("on the Japanese page: %q (English: %q)", ja, r.Message)
	}
	// A nested message comes back as a message, in the page's language.
	nested := msgValue(map[string]any{"What": map[string]any{"ID": "StatusFail", "Data": nil}, "N": float64(3)}).(i18n.M)
	if m, ok := nested["What"].(i18n.Msg); !ok || m.ID != "StatusFail" || nested["N"] != 3 {
		t.Errorf("msgValue: %#v", nested)
	}
	// A list (a path's hops, what bills) and an error value survive the
	// file too: the list worded part by part, the error as its text.
	list := i18n.M{"Count": 1, "Hourly": "0.045", "Monthly": "32.40", "List": i18n.Joined{Sep: ", ", Parts: []any{
		i18n.Msg{ID: "CleanupItem", Data: i18n.M{"Type": i18n.Msg{ID: "ResNAT"}, "ID": "nat-1", "Hourly": "0.045"}}}}}
	r2 := r
	r2.Check, r2.MessageID, r2.MessageData = "left", "CheckCleanupLeft", i18n.Portable(list)
	got2 := record(t, r2).Lab(r.Account, r.Region, "demo")["left"]
	if ja, want := recordedMessage(i18n.New(i18n.JA), got2), i18n.New(i18n.JA).T("CheckCleanupLeft", list); ja != want {
		t.Errorf("a list after the file: %q, want %q", ja, want)
	}
	errData := i18n.Portable(i18n.M{"Err": errors.New("boom")})
	if s, ok := errData["Err"].(string); !ok || s != "boom" {
		t.Errorf("an error value stored as %#v", errData["Err"])
	}
	// An older record without an id shows its message as it was.
	got.MessageID = ""
	if s := recordedMessage(i18n.New(i18n.JA), got); s != r.Message {
		t.Errorf("without an id: %q", s)
	}
}

func TestDescribeMermaid(t *testing.T) {
	d := describeMermaid(`flowchart LR
  inet(("Internet"))
  subgraph vpc["VPC demo (10.0.0.0/16)"]
    igw["Internet gateway"]
    subgraph pub["Public subnet"]
      nat["NAT gateway<br/>EIP"]
    end
  end
  nat -- "0.0.0.0/0" --> igw
  igw <--> inet
  nat -.- igw --> inet
`)
	wantGroups := []string{"VPC demo (10.0.0.0/16): Internet gateway; Public subnet", "Public subnet: NAT gateway, EIP"}
	wantEdges := []string{"NAT gateway, EIP → Internet gateway (0.0.0.0/0)", "Internet gateway ↔ Internet", "NAT gateway, EIP — Internet gateway", "Internet gateway → Internet"}
	if !slices.Equal(d.Groups, wantGroups) || !slices.Equal(d.Edges, wantEdges) {
		t.Errorf("groups %q\nedges %q", d.Groups, d.Edges)
	}
}

// TestTabsRender: markers become a tab bar and panels (the bar hidden
// until the script runs); other raw HTML stays dropped.
func TestTabsRender(t *testing.T) {
	body := "## Make it {#make}\n\n<!-- tab: console -->\n**Console:** click.\n\n<!-- tab: cli -->\n**AWS CLI:**\n\n'''bash {solution}\necho hi\n'''\n\n<!-- /tabs -->\n\n<div>raw</div>\n\n'''check\nid: c1\nkind: vpc\nname: v\n'''\n"
	labs := []*content.Lab{parseLab(t, "tabs", map[i18n.Lang]string{i18n.EN: frontMatter("tabs", "Tabs", "beginner") + md(body), i18n.JA: frontMatter("tabs", "タブ", "beginner") + md(body)})}
	s, err := New(labs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := render(t, s, "ja/tabs/index.html", nil)
	for _, want := range []string{
		`<div class="tabs" data-tabs="console cli"><div class="tab-bar" role="tablist" aria-label="操作方法" hidden>`,
		`data-tab="console" aria-selected="false" tabindex="-1">コンソール</button>`,
		`<div class="tab-panel" role="tabpanel" id="tabs-1-cli-panel" aria-labelledby="tabs-1-cli" data-tab="cli">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// The check card comes after both panels are closed, outside the tabs.
	tabsEnd := strings.Index(page, "</div></div>\n")
	if tabsEnd < 0 || strings.Index(page, `class="vgroup"`) < tabsEnd || strings.Index(page, "echo") > tabsEnd {
		t.Error("the tab group does not close before the check card")
	}
	if strings.Contains(page, "<div>raw</div>") {
		t.Error("raw HTML passed through")
	}
}

// BenchmarkSearchIndex is what the search index adds to a build of the
// labs in ../content.
func BenchmarkSearchIndex(b *testing.B) {
	labs, _, err := content.Load(os.DirFS(filepath.Join("..", "content")), ".")
	if err != nil || len(labs) == 0 {
		b.Skip("no labs in ../content")
	}
	s, err := New(labs, Options{})
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for b.Loop() {
		var buf bytes.Buffer
		if err := s.writeSearchIndex(&buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes")
}

func TestPhraseBreaks(t *testing.T) {
	if got := phraseBreaks("2 つのサブネットを<b>パブリックにする", i18n.JA); got != "2 つの<wbr>サブネットを<wbr>&lt;b&gt;パブリックにする" {
		t.Errorf("ja: %s", got)
	}
	if got := phraseBreaks("Create the <NAT> gateway", i18n.EN); got != "Create the &lt;NAT&gt; gateway" {
		t.Errorf("en: %s", got)
	}
}

// TestLabLinks: a lab's id written as code links to that lab in the page's
// language, but not inside a link, and not the page's own lab.
func TestLabLinks(t *testing.T) {
	body := "## Go on {#go}\n\nNext, do `other`. Or [`other`](https://example.com/). This is `demo`.\n"
	labs := []*content.Lab{
		parseLab(t, "demo", map[i18n.Lang]string{i18n.EN: frontMatter("demo", "Demo", "beginner") + md(body), i18n.JA: frontMatter("demo", "デモ", "beginner") + md(body)}),
		parseLab(t, "other", map[i18n.Lang]string{i18n.EN: frontMatter("other", "Other lab", "beginner") + md(otherBody), i18n.JA: frontMatter("other", "別のラボ", "beginner") + md(otherBody)}),
	}
	s, err := New(labs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := render(t, s, "ja/demo/index.html", nil)
	if !strings.Contains(page, `Next, do <a class="lab-link" href="../other/index.html" title="別のラボ"><code>other</code></a>.`) {
		t.Error("the lab's id is not linked to its page with its Japanese title")
	}
	if strings.Count(page, `class="lab-link"`) != 1 || !strings.Contains(page, "This is <code>demo</code>.") {
		t.Error("an id inside a link, or the page's own id, was linked")
	}
}

// BenchmarkSplitPages is the search index's share of rendering: cutting
// the labs in ../content into sections and counting their terms.
func BenchmarkSplitPages(b *testing.B) {
	labs, _, err := content.Load(os.DirFS(filepath.Join("..", "content")), ".")
	if err != nil || len(labs) == 0 {
		b.Fatalf("no labs in ../content: %v", err)
	}
	sections := 0
	for b.Loop() {
		var dict termDict
		sections = 0
		for _, l := range labs {
			for _, lang := range i18n.Langs {
				p := l.Page(lang)
				sections += len(splitPage(l, p, lang, p.Doc, &dict))
			}
		}
	}
	b.ReportMetric(float64(sections), "sections")
}

// FuzzReplaceNodes: replaceNodes does what mmNode.ReplaceAllStringFunc
// did, matching each definition again on its own.
func FuzzReplaceNodes(f *testing.F) {
	for _, s := range []string{`a["Task"] --> b(("NAT"))`, `sn["Subnet (10.0.1.0/24)"] --- x{y}`, `a --> b`, `t[Task<br/>x] -->|0.0.0.0/0| n[(db)]`, `a[[x]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		type def struct{ id, label string }
		var got, want []def
		out := replaceNodes(line, func(id, label string) { got = append(got, def{id, label}) })
		ref := mmNode.ReplaceAllStringFunc(line, func(s string) string {
			m := mmNode.FindStringSubmatch(s)
			want = append(want, def{m[1], clean(m[2] + m[3])})
			return m[1]
		})
		if out != ref || !slices.Equal(got, want) {
			t.Errorf("replaceNodes(%q) = %q %v, want %q %v", line, out, got, ref, want)
		}
	})
}

// TestCheckCommandQuoting: a check command with the --content it was
// built from is read back word for word by bash and zsh, whatever the
// folder's name.
func TestCheckCommandQuoting(t *testing.T) {
	dirs := []string{"labs", "my labs", "=labs", "it's", "ラボ", "-x", "$HOME", "a\nb", "*", "~/x", "{a,b}", `back\slash`, "a=b", "!x"}
	for _, sh := range []string{"bash", "zsh"} {
		if _, err := exec.LookPath(sh); err != nil {
			t.Fatalf("%s is not installed (.ci/run installs zsh): %v", sh, err)
		}
		for _, dir := range dirs {
			s, err := New(nil, Options{CheckArgs: []string{"--content", dir}})
			if err != nil {
				t.Fatal(err)
			}
			cmd := s.checkCommand("demo", "--step", "s")
			script := "vpclab() { printf '%s\\0' \"$@\"; }\n" + cmd
			out, err := exec.Command(sh, "-c", script).Output()
			got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			if want := []string{"check", "demo", "--step", "s", "--content", dir}; err != nil || !slices.Equal(got, want) {
				t.Errorf("%s reads %q as %q (%v), want %q", sh, cmd, got, err, want)
			}
		}
	}
}
