/* "Your VPC" beside the lab, under vpclab serve (internal/netmap).
 *
 * Fills <section id="your-vpc"> with the learner's lab network: POST
 * <root>api/yourvpc {"lab", "lang"} with the page's token answers
 * {html, stops, updated}; html is a fragment the server rendered and
 * escaped (html/template), with the Mermaid source in pre.yv-mermaid,
 * which this script draws. It loads when the page opens and again after
 * every check: site.js marks a check button aria-busy while it runs, and
 * the diagram is refreshed when the mark goes away.
 */
(function () {
  "use strict";
  var doc = document;
  var section = doc.getElementById("your-vpc");
  if (!section || !doc.documentElement.hasAttribute("data-live")) return;
  var root = doc.documentElement.getAttribute("data-root") || "";
  var lab = section.getAttribute("data-lab");
  var busy = false, again = false;

  function token() {
    var m = doc.querySelector('meta[name="vpclab-token"]');
    return m ? m.getAttribute("content") : "";
  }

  // Mermaid is loaded only by pages with a diagram of their own.
  var mermaidReady = null;
  function mermaid() {
    if (window.mermaid) return Promise.resolve(window.mermaid);
    if (!mermaidReady) {
      mermaidReady = new Promise(function (resolve, reject) {
        var s = doc.createElement("script");
        s.src = root + "assets/vendor/mermaid/mermaid.min.js";
        s.onload = function () { resolve(window.mermaid); };
        s.onerror = function () { reject(new Error("mermaid.min.js")); };
        doc.head.appendChild(s);
      });
    }
    return mermaidReady;
  }

  // fit is netmap.FitJS: fit the column, never below 75%, then scroll to
  // the first hop where a path stops.
  function fit(box) {
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

  function status(text) {
    var p = section.querySelector(".yv-status");
    if (!p) {
      p = doc.createElement("p");
      p.className = "yv-status";
      p.setAttribute("role", "status");
      section.insertBefore(p, section.firstChild);
    }
    p.textContent = text;
  }

  function load() {
    if (busy) { again = true; return; }
    busy = true;
    section.setAttribute("aria-busy", "true");
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    var tok = token();
    if (tok) headers["X-Vpclab-Token"] = tok;
    fetch(new URL(root + "api/yourvpc", location.href).href, {
      method: "POST", headers: headers, credentials: "same-origin",
      body: JSON.stringify({ lab: lab, lang: doc.documentElement.lang })
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.error || (res.status + " " + res.statusText));
        return data;
      });
    }).then(function (data) {
      // The learner may have folded it away: it stays folded.
      var box = section.querySelector("details.yv-box");
      var folded = box && !box.open;
      section.innerHTML = data.html; // rendered and escaped by the server
      if (folded) section.querySelector("details.yv-box").open = false;
      section.hidden = false;
      section.setAttribute("data-stops", String(data.stops));
      status(data.updated || "");
      return mermaid().then(function (m) {
        var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
        m.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default",
          flowchart: { useMaxWidth: false, htmlLabels: true } });
        return m.run({ nodes: section.querySelectorAll("pre.yv-mermaid") });
      }).then(function () {
        section.querySelectorAll(".yv-scroll").forEach(fit);
        section.setAttribute("data-drawn", "yes");
      });
    }).catch(function (err) {
      section.hidden = false;
      status(err && err.message ? err.message : String(err));
      section.setAttribute("data-drawn", "error");
    }).finally(function () {
      busy = false;
      section.removeAttribute("aria-busy");
      if (again) { again = false; load(); }
    });
  }

  // After every check: a check button's aria-busy goes away when its
  // answer has been shown (site.js).
  var watch = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var b = records[i].target;
      if (records[i].oldValue === "true" && !b.hasAttribute("aria-busy")) { load(); return; }
    }
  });
  doc.querySelectorAll('button[data-action="check-step"], button[data-action="check-lab"]').forEach(function (b) {
    watch.observe(b, { attributes: true, attributeFilter: ["aria-busy"], attributeOldValue: true });
  });

  window.addEventListener("resize", function () { section.querySelectorAll(".yv-scroll").forEach(fit); });

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", load);
  else load();
})();
