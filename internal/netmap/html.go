package netmap

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/vpclab/vpclab/site"
)

// The page's parts: the same fragment is what vpclab serve sends to the
// lab page (site/assets/yourvpc.js puts it in <section id="your-vpc">) and
// what the self-contained file shows.
var tmpl = template.Must(template.New("fragment").Parse(`<div class="yv" data-lab="{{.D.Lab}}" data-stops="{{.Stops}}">
<details class="yv-box" open>
<summary><h2 class="yv-title">{{.T.Title}}{{if .Stops}} <span class="yv-stop">✖ {{.Stops}}</span>{{end}}</h2></summary>
<p class="yv-intro">{{.T.Intro}}</p>
<ul class="yv-legend"><li class="yv-legend-path">{{.T.LegendPath}}</li><li class="yv-legend-broken">{{.T.LegendBroken}}</li></ul>
<figure class="yv-figure" role="group" aria-label="{{.T.Figure}}">
<div class="yv-scroll" tabindex="0"><pre class="mermaid yv-mermaid">{{.Source}}</pre></div>
</figure>
<h3 class="yv-paths-title">{{.T.Paths}}</h3>
{{- if .D.Paths}}
<ul class="yv-paths">
{{- range .D.Paths}}
<li class="yv-path" data-status="{{.Status}}"{{if .N}} data-stop="{{.N}}"{{end}}>
<p class="yv-path-head">{{if .N}}<span class="yv-stop">✖ {{.N}}</span> {{else if eq (print .Status) "pass"}}<span class="yv-ok" aria-hidden="true">✔</span> {{end}}<code>{{.Check}}</code> <span class="yv-outcome">{{.Outcome}}</span></p>
{{- range .Legs}}
<p class="yv-hops">{{.}}</p>
{{- end}}
{{- if .N}}
{{- if .Message}}
<p class="yv-msg">{{.Message}}</p>
{{- end}}
<p class="yv-reason"><strong>{{$.T.Reason}}:</strong> <code>{{.Reason}}</code>{{if .Why}} {{.Why}}{{end}}</p>
{{- if .Fix}}
<div class="yv-fix"><p class="yv-fix-label">{{$.T.Fix}}</p><pre>{{.Fix}}</pre></div>
{{- else if .FixNote}}
<p class="yv-fix-note">{{.FixNote}}</p>
{{- end}}
{{- end}}
</li>
{{- end}}
</ul>
{{- else}}
<p class="yv-none">{{.T.NoPaths}}</p>
{{- end}}
</details>
</div>
`))

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="vpclab">
<title>{{.Title}} · {{.Lab}}</title>
<style>{{.CSS}}</style>
</head>
<body class="yv-page">
<main>
<p class="yv-meta"><code>{{.Lab}}</code> · {{.Region}} · {{.At}}</p>
{{.Fragment}}
</main>
<script>{{.Mermaid}}</script>
<script>{{.Init}}</script>
</body>
</html>
`))

// initJS draws the diagram once the inlined Mermaid has loaded; the page
// says on <html data-drawn> when it is done (or why not), for tests.
const initJS = `(function () {
  var root = document.documentElement;
` + FitJS + `
  try {
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default",
      flowchart: { useMaxWidth: false, htmlLabels: true } });
    window.mermaid.run({ querySelector: "pre.yv-mermaid" }).then(function () {
      document.querySelectorAll(".yv-scroll").forEach(fit);
      window.addEventListener("resize", function () { document.querySelectorAll(".yv-scroll").forEach(fit); });
      root.setAttribute("data-drawn", "yes");
    }, function (e) { root.setAttribute("data-drawn", "error: " + e); });
  } catch (e) { root.setAttribute("data-drawn", "error: " + e); }
})();`

// FitJS fits a drawn diagram to its box, but never below 75% of its
// natural size (smaller labels cannot be read): past that the box scrolls,
// and it scrolls to the first hop where a path stops. site/assets/yourvpc.js
// carries the same function for the served page.
const FitJS = `function fit(box) {
  var svg = box.querySelector("svg");
  var vb = svg && svg.viewBox && svg.viewBox.baseVal;
  if (!vb || !vb.width) return;
  var scale = Math.max(Math.min(1, (box.clientWidth - 24) / vb.width), 0.75);
  svg.style.maxWidth = "none";
  svg.style.width = Math.round(vb.width * scale) + "px";
  svg.style.height = "auto";
  var stop = svg.querySelector("g.node.vpcBroken");
  if (stop && box.scrollWidth > box.clientWidth) {
    var b = stop.getBoundingClientRect(), r = box.getBoundingClientRect();
    box.scrollLeft += (b.left + b.width / 2) - (r.left + r.width / 2);
  }
}
`

type texts struct {
	Title, Intro, Figure, Paths, NoPaths, Reason, Fix, LegendPath, LegendBroken string
}

func (d *Diagram) texts() texts {
	return texts{
		Title: d.t("NetmapTitle"), Intro: d.t("NetmapIntro", map[string]any{"Account": d.Account, "Region": d.Region}),
		Figure: d.t("NetmapFigureLabel", map[string]any{"Region": d.Region}), Paths: d.t("NetmapPathsHeading"),
		NoPaths: d.t("NetmapNoPaths"), Reason: d.t("NetmapReason"), Fix: d.t("NetmapFix"),
		LegendPath: d.t("NetmapLegendPath"), LegendBroken: d.t("NetmapLegendBroken"),
	}
}

// Stops counts the hops where a path stops (the ✖ marks).
func (d *Diagram) Stops() int {
	n := 0
	for _, p := range d.Paths {
		if p.N > 0 {
			n++
		}
	}
	return n
}

// Fragment writes the diagram as an HTML fragment: the Mermaid source in
// a <pre class="mermaid"> (Mermaid draws it in the browser) and the paths
// in words, which are also the diagram's text description.
func (d *Diagram) Fragment(w io.Writer) error {
	return tmpl.Execute(w, map[string]any{"D": d, "T": d.texts(), "Source": d.Mermaid(), "Stops": d.Stops()})
}

// HTML writes a self-contained page: the fragment, the CSS and Mermaid
// inlined, so that the file opens from disk with no network.
func (d *Diagram) HTML(w io.Writer, at time.Time) error {
	css, js, err := assets()
	if err != nil {
		return err
	}
	var frag bytes.Buffer
	if err := d.Fragment(&frag); err != nil {
		return err
	}
	return pageTmpl.Execute(w, map[string]any{
		"Lang": string(d.Lang), "Title": d.t("NetmapTitle"), "Lab": d.Lab, "Region": d.Region,
		"At": at.UTC().Format("2006-01-02 15:04 UTC"), "Fragment": template.HTML(frag.String()),
		"CSS": template.CSS(css), "Mermaid": template.JS(js), "Init": template.JS(initJS),
	})
}

// CSSPath and MermaidPath are the site's files the page inlines (the
// served lab page loads the same ones).
const (
	CSSPath     = "assets/yourvpc.css"
	MermaidPath = "assets/vendor/mermaid/mermaid.min.js"
)

func assets() (css, js string, err error) {
	st, err := site.New(nil, site.Options{})
	if err != nil {
		return "", "", err
	}
	c, err := st.File(CSSPath, nil)
	if err != nil {
		return "", "", err
	}
	j, err := st.File(MermaidPath, nil)
	if err != nil {
		return "", "", err
	}
	// Inlined in <script>, the library must not close the element early.
	if strings.Contains(strings.ToLower(string(j)), "</script") {
		return "", "", errors.New("netmap: the vendored Mermaid contains </script and cannot be inlined")
	}
	return string(c), string(j), nil
}
