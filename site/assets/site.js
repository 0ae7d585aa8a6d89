/* vpclab site script: copy buttons, diagrams, the steps' table of contents,
 * and, when the page is served by `vpclab serve` (<html data-live>), the
 * "Check this step" and "Check the whole lab" buttons.
 *
 * Check protocol (see site/doc.go): POST <site root>api/check with JSON
 * {"lab": "...", "step": "...", "lang": "en"} (no step: the whole lab; lang:
 * the page's language, for the answer's messages) and the header
 * X-Vpclab-Token from <meta name="vpclab-token">. The answer is the JSON of
 * `vpclab check --format json`: {results: [{check, step, status, message,
 * reason, fix}], hint}; an error is a non-2xx answer with {error: "..."}.
 */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement.getAttribute("data-root") || "";
  var strings = {};
  try {
    var s = doc.getElementById("vpclab-strings");
    if (s) strings = JSON.parse(s.textContent) || {};
  } catch (e) { /* keep defaults */ }
  function t(key, fallback) { return strings[key] || fallback || key; }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* ---- copy buttons ---- */
  function textToCopy(button) {
    var box = button.closest(".code, .cmd, .result-fix");
    if (!box) return "";
    var src = box.querySelector("pre") || box.querySelector("code");
    return src ? src.textContent.replace(/\n$/, "") : "";
  }

  function fallbackCopy(text) {
    var ta = el("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    doc.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    doc.body.removeChild(ta);
    return ok;
  }

  function flash(button, key, fallback) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = t(key, fallback);
    button.setAttribute("data-state", key);
    clearTimeout(button._timer);
    button._timer = setTimeout(function () {
      button.textContent = label;
      button.removeAttribute("data-state");
    }, 1800);
  }

  doc.addEventListener("click", function (ev) {
    var button = ev.target.closest("button.copy");
    if (!button) return;
    var text = textToCopy(button);
    var done = function () { flash(button, "copied", "Copied"); };
    var fail = function () {
      if (fallbackCopy(text)) done(); else flash(button, "copyFailed", "Press Ctrl+C");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fail);
    } else {
      fail();
    }
  });

  /* ---- remember the language the reader picked ---- */
  doc.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-lang]");
    if (!a) return;
    try { localStorage.setItem("vpclab-lang", a.getAttribute("data-lang")); } catch (e) { /* private mode */ }
  });

  /* ---- diagrams ---- */
  function drawDiagrams() {
    if (!window.mermaid || !doc.querySelector("pre.mermaid")) return;
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    try {
      window.mermaid.initialize({
        startOnLoad: false,
        securityLevel: "strict",
        theme: dark ? "dark" : "default",
        fontFamily: getComputedStyle(doc.body).fontFamily
      });
      var done = window.mermaid.run({ querySelector: "pre.mermaid" });
      if (done && done.then) done.then(keepReadable, function () {});
    } catch (e) {
      /* the source stays visible */
    }
  }

  // A wide diagram is fitted to the column, but never shrunk below 65% of
  // its natural size: past that its labels cannot be read, so it scrolls
  // sideways instead.
  function keepReadable() {
    doc.querySelectorAll("pre.mermaid svg").forEach(function (svg) {
      var vb = svg.viewBox && svg.viewBox.baseVal;
      var box = svg.closest(".diagram");
      if (!vb || !vb.width || !box) return;
      var avail = box.clientWidth - 32;
      if (avail / vb.width < 0.65) {
        svg.style.maxWidth = "none";
        svg.style.width = Math.round(vb.width * 0.65) + "px";
      }
    });
  }

  /* ---- table of contents: open on wide screens, follow the reader ---- */
  function setupTOC() {
    var toc = doc.querySelector(".toc");
    if (!toc) return;
    var wide = window.matchMedia("(min-width: 64.01rem)");
    var apply = function () { toc.open = wide.matches; };
    apply();
    if (wide.addEventListener) wide.addEventListener("change", apply);
    toc.addEventListener("click", function (ev) {
      if (ev.target.closest("a") && !wide.matches) toc.open = false;
    });

    var links = {};
    toc.querySelectorAll("a[data-toc]").forEach(function (a) { links[a.getAttribute("data-toc")] = a; });
    var sections = doc.querySelectorAll("section.step[data-step]");
    if (!("IntersectionObserver" in window) || !sections.length) return;
    var current = null;
    var visible = {};
    var obs = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.getAttribute("data-step")] = e.isIntersecting; });
      var first = null;
      for (var i = 0; i < sections.length; i++) {
        var id = sections[i].getAttribute("data-step");
        if (visible[id]) { first = id; break; }
      }
      if (!first || first === current) return;
      if (current && links[current]) links[current].removeAttribute("aria-current");
      current = first;
      if (links[current]) links[current].setAttribute("aria-current", "true");
    }, { rootMargin: "-20% 0px -60% 0px" });
    sections.forEach(function (s) { obs.observe(s); });
  }

  /* ---- live checks (vpclab serve) ---- */
  var live = doc.documentElement.hasAttribute("data-live");

  function token() {
    var m = doc.querySelector('meta[name="vpclab-token"]');
    return m ? m.getAttribute("content") : "";
  }

  function statusPill(status, cls) {
    var pill = el("span", cls || "result-status", t("status-" + status, status));
    pill.setAttribute("data-status", status);
    return pill;
  }

  // resultBox shows one check's result; inside its own card (compact) the
  // card already shows the status and the check's id.
  function resultBox(r, compact) {
    var box = el("div", "result");
    box.setAttribute("data-status", r.status || "");
    if (!compact) {
      var head = el("div", "result-head");
      head.appendChild(statusPill(r.status));
      if (r.check) head.appendChild(el("code", null, r.check));
      box.appendChild(head);
    }
    if (r.message) box.appendChild(el("p", compact ? "result-msg result-first" : "result-msg", r.message));
    // One cause, one fix: a result that follows from another links to that
    // check's card, which carries the fix (the message says so in words).
    if (r.root_cause) {
      box.setAttribute("data-root-cause", r.root_cause);
      var rootCard = doc.querySelector('.vcard[data-check="' + CSS.escape(r.root_cause) + '"]');
      var link = el(rootCard && rootCard.id ? "a" : "code", "result-root", "→ " + r.root_cause);
      if (rootCard && rootCard.id) link.href = "#" + rootCard.id;
      box.appendChild(el("p", "result-reason")).appendChild(link);
    }
    var ok = r.status === "pass";
    if (r.reason && !ok) box.appendChild(el("p", "result-reason", t("reason", "Reason:") + " " + r.reason));
    if (r.fix && !ok) {
      var fix = el("div", "result-fix");
      var head2 = el("div", "code-head");
      head2.appendChild(el("span", "code-label", t("fix", "Fix:")));
      var copy = el("button", "copy", t("copy", "Copy"));
      copy.type = "button";
      copy.setAttribute("aria-label", t("copyLabel", "Copy"));
      head2.appendChild(copy);
      fix.appendChild(head2);
      fix.appendChild(el("pre", null, r.fix));
      box.appendChild(fix);
      // The same plan as console steps, already in the page's language.
      var steps = (r.plan || []).filter(function (a) { return a.console; });
      if (steps.length) {
        var list = el("ol", "result-console");
        steps.forEach(function (a) { list.appendChild(el("li", null, a.console)); });
        box.appendChild(list);
      }
    }
    return box;
  }

  function refreshBadges() {
    var stamp = Date.now();
    doc.querySelectorAll("img[data-badge]").forEach(function (img) {
      var src = img.getAttribute("src").split("?")[0];
      img.setAttribute("src", src + "?t=" + stamp);
    });
  }

  function setTOCStatus(step) {
    var link = doc.querySelector('.toc a[data-toc="' + CSS.escape(step) + '"] .toc-status');
    if (!link) return;
    var cards = doc.querySelectorAll('.vcard[data-step="' + CSS.escape(step) + '"] .vcard-status');
    var pass = 0;
    cards.forEach(function (c) {
      var s = c.getAttribute("data-status");
      if (s === "pass" || s === "warn") pass++;
    });
    // The journey's states (internal/journey): a step passing now is done;
    // one that was done and fails now is done earlier, or failing before
    // the clean-up. A step not reached stays so: failing is not news there.
    var was = link.getAttribute("data-status") || "";
    var st = was;
    if (cards.length && pass === cards.length) st = "done";
    else if (was === "done") st = link.closest('li[data-role="cleanup"]') ? "current" : "failing";
    link.setAttribute("data-status", st);
  }

  // setTOCSteps shows the journey the server computed (vpclab check
  // --format json "steps"): done, current, not reached, failing, …
  function setTOCSteps(list) {
    list.forEach(function (s) {
      var a = doc.querySelector('.toc a[data-toc="' + CSS.escape(s.id) + '"]');
      if (!a) return;
      var dot = a.querySelector(".toc-status");
      if (dot) {
        dot.setAttribute("data-status", s.state);
        var label = t("step-" + s.state, "");
        if (label) dot.setAttribute("title", label);
        var hidden = dot.querySelector(".visually-hidden");
        if (hidden && label) hidden.textContent = label;
      }
      if (s.state === "current") a.setAttribute("data-current", "true");
      else a.removeAttribute("data-current");
    });
  }

  function showCard(card, r) {
    var pill = card.querySelector(".vcard-status");
    var out = card.querySelector(".vcard-result");
    var recorded = card.querySelector(".vcard-recorded");
    if (recorded) recorded.hidden = true;
    if (pill) {
      pill.setAttribute("data-status", r ? r.status : "");
      pill.textContent = r ? t("status-" + r.status, r.status) : t("noResult");
    }
    if (out) {
      out.textContent = "";
      out.appendChild(r ? resultBox(r, true) : el("p", "muted", t("noResult")));
    }
  }

  function runCheck(button) {
    var lab = button.getAttribute("data-lab");
    var step = button.getAttribute("data-step") || "";
    var scope = step ? doc.querySelectorAll('.vcard[data-lab="' + CSS.escape(lab) + '"][data-step="' + CSS.escape(step) + '"]')
                     : doc.querySelectorAll('.vcard[data-lab="' + CSS.escape(lab) + '"]');
    var holder = button.closest(".vgroup, .lab-check, .lab-card");
    var out = holder ? holder.querySelector(".vgroup-foot .check-result, .lab-check .check-result, .lab-card .check-result") : null;
    var buttons = step ? doc.querySelectorAll('button[data-action="check-step"][data-lab="' + CSS.escape(lab) + '"][data-step="' + CSS.escape(step) + '"]') : [button];
    buttons.forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
    scope.forEach(function (c) {
      var pill = c.querySelector(".vcard-status");
      if (pill) { pill.setAttribute("data-status", "checking"); pill.textContent = t("checking"); }
    });
    if (out) { out.textContent = ""; out.appendChild(el("p", "muted", t("checking"))); }

    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    var tok = token();
    if (tok) headers["X-Vpclab-Token"] = tok;
    // The page's language, so that the server answers in it.
    var body = { lab: lab, lang: doc.documentElement.lang };
    if (step) body.step = step;
    fetch(new URL(root + "api/check", location.href).href, {
      method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin"
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.error || (res.status + " " + res.statusText));
        return data;
      });
    }).then(function (data) {
      var byCheck = {};
      (data.results || []).forEach(function (r) { byCheck[r.check] = r; });
      var steps = {};
      scope.forEach(function (card) {
        showCard(card, byCheck[card.getAttribute("data-check")]);
        steps[card.getAttribute("data-step")] = true;
      });
      if (data.steps) setTOCSteps(data.steps);
      else Object.keys(steps).forEach(setTOCStatus);
      if (out && !out.closest(".vgroup")) {
        out.textContent = "";
        var counts = {};
        (data.results || []).forEach(function (r) { counts[r.status] = (counts[r.status] || 0) + 1; });
        var line = el("p", "result-summary");
        Object.keys(counts).forEach(function (k) {
          line.appendChild(statusPill(k));
          line.appendChild(doc.createTextNode(" " + counts[k] + "  "));
        });
        out.appendChild(line);
        if (data.hint) out.appendChild(el("p", "muted", data.hint));
      } else if (out) {
        out.textContent = "";
        if (data.hint) out.appendChild(el("p", "muted", data.hint));
      }
      refreshBadges();
    }).catch(function (err) {
      var msg = t("failedRequest", "{err}").replace("{err}", err && err.message ? err.message : String(err));
      scope.forEach(function (c) {
        var pill = c.querySelector(".vcard-status");
        if (pill) { pill.setAttribute("data-status", "error"); pill.textContent = t("status-error", "error"); }
      });
      if (out) { out.textContent = ""; out.appendChild(el("p", "result", msg)); }
    }).finally(function () {
      buttons.forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
    });
  }

  function setupLive() {
    if (!live) return;
    doc.querySelectorAll('button[data-action="check-step"], button[data-action="check-lab"]').forEach(function (b) {
      b.hidden = false;
      b.disabled = false;
    });
    doc.querySelectorAll(".lab-check .hint").forEach(function (p) { p.hidden = true; });
    doc.addEventListener("click", function (ev) {
      var b = ev.target.closest('button[data-action="check-step"], button[data-action="check-lab"]');
      if (b && !b.disabled) runCheck(b);
    });
  }

  function init() {
    setupTOC();
    setupLive();
    drawDiagrams();
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
