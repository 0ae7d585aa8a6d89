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
      if (done && done.then) done.then(afterDiagrams, function () {});
    } catch (e) {
      /* the source stays visible */
    }
  }

  // A drawn diagram fits its column (site.css); it gets the figure's
  // name, and a click or its button opens it at its natural size in a
  // dialog that scrolls both ways.
  function afterDiagrams() {
    doc.querySelectorAll("figure.diagram").forEach(function (fig) {
      var svg = fig.querySelector("pre.mermaid svg");
      if (!svg) return;
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", fig.getAttribute("aria-label") || "");
      var open = fig.querySelector(".diagram-open");
      if (open) open.hidden = false;
    });
  }

  function openDiagram(fig) {
    var svg = fig.querySelector("pre.mermaid svg");
    if (!svg) return;
    var dlg = doc.querySelector("dialog.diagram-dialog");
    if (!dlg) {
      dlg = el("dialog", "diagram-dialog");
      var bar = el("div", "diagram-dialog-bar");
      bar.appendChild(el("span", "diagram-dialog-title"));
      var close = el("button", "diagram-close", t("PageDiagramClose", "Close"));
      close.type = "button";
      close.addEventListener("click", function () { dlg.close(); });
      bar.appendChild(close);
      dlg.appendChild(bar);
      dlg.appendChild(el("div", "diagram-dialog-body"));
      dlg.addEventListener("click", function (ev) { if (ev.target === dlg) dlg.close(); });
      doc.body.appendChild(dlg);
    }
    var name = fig.getAttribute("aria-label") || "";
    dlg.setAttribute("aria-label", name);
    dlg.querySelector(".diagram-dialog-title").textContent = name;
    var body = dlg.querySelector(".diagram-dialog-body");
    body.textContent = "";
    var copy = svg.cloneNode(true);
    var vb = svg.viewBox && svg.viewBox.baseVal;
    copy.removeAttribute("style");
    if (vb && vb.width) {
      copy.setAttribute("width", Math.round(vb.width));
      copy.setAttribute("height", Math.round(vb.height));
    }
    copy.style.cursor = "default";
    body.appendChild(copy);
    dlg.showModal();
  }

  doc.addEventListener("click", function (ev) {
    var b = ev.target.closest('[data-action="diagram-open"], figure.diagram pre.mermaid svg');
    if (!b) return;
    var fig = b.closest("figure.diagram");
    if (fig) openDiagram(fig);
  });

  /* ---- tables: the column's name on each cell (for phones, where a row
     becomes a card) and a hint while a table is wider than its box ---- */
  function setupTables() {
    var wraps = doc.querySelectorAll(".table-wrap");
    wraps.forEach(function (w) {
      var heads = [];
      w.querySelectorAll("thead th").forEach(function (th) { heads.push(th.textContent.trim()); });
      w.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (heads[i]) td.setAttribute("data-label", heads[i]);
        });
      });
    });
    var hint = function () {
      wraps.forEach(function (w) {
        var h = w.previousElementSibling;
        if (h && h.classList.contains("table-hint")) h.hidden = !(w.scrollWidth > w.clientWidth + 2);
      });
    };
    hint();
    window.addEventListener("resize", hint);
  }

  /* ---- Console / CLI tabs: one choice for every step and page ---- */
  var tabKey = "vpclab-tab";
  function chooseTab(name, save) {
    doc.querySelectorAll(".tabs").forEach(function (group) {
      var names = (group.getAttribute("data-tabs") || "").split(" ");
      var pick = names.indexOf(name) >= 0 ? name : names[0];
      group.querySelectorAll(".tab").forEach(function (b) {
        var on = b.getAttribute("data-tab") === pick;
        b.setAttribute("aria-selected", on ? "true" : "false");
        b.tabIndex = on ? 0 : -1;
      });
      group.querySelectorAll(":scope > .tab-panel").forEach(function (p) {
        p.hidden = p.getAttribute("data-tab") !== pick;
      });
    });
    if (save) { try { localStorage.setItem(tabKey, name); } catch (e) { /* private mode */ } }
  }
  function setupTabs() {
    if (!doc.querySelector(".tabs")) return;
    doc.querySelectorAll(".tab-bar").forEach(function (bar) { bar.hidden = false; });
    var saved = null;
    try { saved = localStorage.getItem(tabKey); } catch (e) { /* private mode */ }
    // Practice mode (vpclab serve --sandbox) runs the CLI blocks, so it
    // starts on the CLI tab; otherwise the console comes first.
    var practice = !!doc.getElementById("vpclab-sandbox");
    chooseTab(saved || (practice ? "cli" : "console"), false);
    doc.addEventListener("click", function (ev) {
      var b = ev.target.closest(".tab-bar .tab");
      if (!b) return;
      // Keep the clicked tab where it is on the screen while the panels
      // above it change height.
      var top = b.getBoundingClientRect().top;
      chooseTab(b.getAttribute("data-tab"), true);
      window.scrollBy(0, b.getBoundingClientRect().top - top);
    });
    doc.addEventListener("keydown", function (ev) {
      var b = ev.target.closest && ev.target.closest(".tab-bar .tab");
      if (!b || (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft")) return;
      var tabs = Array.prototype.slice.call(b.parentNode.querySelectorAll(".tab"));
      var i = tabs.indexOf(b) + (ev.key === "ArrowRight" ? 1 : -1);
      var next = tabs[(i + tabs.length) % tabs.length];
      chooseTab(next.getAttribute("data-tab"), true);
      next.focus();
      ev.preventDefault();
    });
    window.addEventListener("storage", function (ev) {
      if (ev.key === tabKey && ev.newValue) chooseTab(ev.newValue, false);
    });
  }

  /* ---- back to the top, and the step being read in the folded list ---- */
  function setupScroll() {
    var top = doc.querySelector(".back-to-top");
    if (!top) return;
    var onScroll = function () { top.hidden = window.scrollY < window.innerHeight; };
    window.addEventListener("scroll", onScroll, { passive: true });
    onScroll();
    top.addEventListener("click", function (ev) {
      ev.preventDefault();
      window.scrollTo({ top: 0 });
      var main = doc.getElementById("main");
      if (main) main.focus({ preventScroll: true });
    });
  }

  /* ---- search: MiniSearch over the index vpclab build wrote ---- */
  // searchTokens cuts a query as site/search.go cuts the index: NFKC, lower
  // case, words of other scripts whole, Japanese as character pairs.
  var cjk = /[\u3005\u3006\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var wordChar = /[\p{L}\p{N}]/u;
  function searchTokens(text) {
    var s = (text || "").normalize("NFKC").toLowerCase();
    var out = [], word = "", run = [];
    var endWord = function () { if (word) { out.push(word); word = ""; } };
    var endRun = function () {
      if (run.length === 1) out.push(run[0]);
      for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
      run = [];
    };
    Array.from(s).forEach(function (ch) {
      if (cjk.test(ch)) { endWord(); run.push(ch); }
      else if (wordChar.test(ch)) { endRun(); word += ch; }
      else { endWord(); endRun(); }
    });
    endWord(); endRun();
    return out;
  }

  var search = null; // the loaded MiniSearch, or a promise of it
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var sc = doc.createElement("script");
      sc.src = src;
      sc.onload = resolve;
      sc.onerror = function () { reject(new Error(src)); };
      doc.head.appendChild(sc);
    });
  }
  function loadSearch() {
    if (search) return search;
    search = loadScript(root + "assets/vendor/minisearch/minisearch.js").then(function () {
      return window.vpclabSearch ? null : loadScript(root + "search/index.js");
    }).then(function () {
      return window.MiniSearch.loadJS(window.vpclabSearch, { fields: ["t", "p", "x"], storeFields: ["l", "u", "t", "p", "x"] });
    });
    search.catch(function () { search = null; });
    return search;
  }

  function snippet(textValue, query) {
    var lower = textValue.normalize("NFKC").toLowerCase();
    var q = query.normalize("NFKC").toLowerCase().trim();
    var at = q ? lower.indexOf(q) : -1;
    var len = q.length;
    if (at < 0) {
      var toks = searchTokens(q);
      for (var i = 0; i < toks.length && at < 0; i++) { at = lower.indexOf(toks[i]); len = toks[i].length; }
    }
    var span = el("span", "search-result-text");
    if (at < 0) { span.textContent = textValue.slice(0, 140) + (textValue.length > 140 ? "…" : ""); return span; }
    var from = Math.max(0, at - 50);
    if (from > 0) span.appendChild(doc.createTextNode("…"));
    span.appendChild(doc.createTextNode(textValue.slice(from, at)));
    span.appendChild(el("mark", null, textValue.slice(at, at + len)));
    var rest = textValue.slice(at + len, at + len + 90);
    span.appendChild(doc.createTextNode(rest + (at + len + 90 < textValue.length ? "…" : "")));
    return span;
  }

  function runSearch(dlg) {
    var input = dlg.querySelector(".search-input");
    var list = dlg.querySelector(".search-results");
    var status = dlg.querySelector(".search-status");
    var query = input.value;
    list.textContent = "";
    list.removeAttribute("data-query");
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = t("PageSearchLoading", "…");
    loadSearch().then(function (ms) {
      if (input.value !== query) return;
      var lang = doc.documentElement.lang;
      var hits = ms.search(query, {
        tokenize: searchTokens,
        processTerm: function (term) { return term; },
        prefix: function (term) { return cjk.test(term) ? term.length === 1 : term.length > 1; },
        fuzzy: function (term) { return !cjk.test(term) && term.length > 4 ? 0.2 : false; },
        combineWith: "AND",
        boost: { t: 3, p: 1.5 }
      });
      // The page's language first, then the other one.
      var mine = hits.filter(function (h) { return h.l === lang; }).slice(0, 25);
      var other = hits.filter(function (h) { return h.l !== lang; }).slice(0, 15);
      hits = mine.concat(other);
      status.textContent = hits.length ? t("PageSearchCount", "{n}").replace("{n}", hits.length)
                                       : t("PageSearchNoResults", "{q}").replace("{q}", query);
      hits.forEach(function (h) {
        var li = el("li");
        var a = el("a");
        a.href = root + h.u;
        a.setAttribute("lang", h.l);
        a.setAttribute("data-lang-result", h.l);
        var labLine = el("span", "search-result-lab", h.p);
        if (h.l !== lang) labLine.appendChild(el("span", "search-lang", t("PageSearchOtherLang", h.l)));
        a.appendChild(labLine);
        a.appendChild(el("span", "search-result-title", h.t));
        a.appendChild(snippet(h.x || "", query));
        li.appendChild(a);
        list.appendChild(li);
      });
      list.setAttribute("data-query", query);
    }, function () {
      status.textContent = t("PageSearchFailed", "The search index could not be loaded.");
    });
  }

  function setupSearch() {
    var dlg = doc.querySelector("dialog.search-dialog");
    if (!dlg || !dlg.showModal) return;
    var input = dlg.querySelector(".search-input");
    var timer = null;
    var open = function () {
      if (!dlg.open) dlg.showModal();
      input.focus();
      input.select();
      loadSearch();
    };
    doc.addEventListener("click", function (ev) {
      if (ev.target.closest('[data-action="search-open"]')) open();
      else if (ev.target === dlg) dlg.close();
    });
    doc.addEventListener("keydown", function (ev) {
      var tag = (ev.target.tagName || "").toLowerCase();
      if (ev.key === "/" && !dlg.open && tag !== "input" && tag !== "textarea" && !ev.target.isContentEditable) {
        ev.preventDefault();
        open();
      }
    });
    // Escape closes the search at once (a search field would only clear);
    // the arrow keys move between the field and the results.
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { ev.preventDefault(); dlg.close(); }
    });
    dlg.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(dlg.querySelectorAll(".search-results a"));
      if (!links.length) return;
      var i = links.indexOf(doc.activeElement);
      var next = ev.key === "ArrowDown" ? i + 1 : i - 1;
      ev.preventDefault();
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { runSearch(dlg); }, 80);
    });
    dlg.querySelector("form").addEventListener("submit", function (ev) {
      var first = dlg.querySelector(".search-results a");
      if (ev.submitter && ev.submitter.classList.contains("search-close")) return;
      ev.preventDefault();
      if (first) location.href = first.href;
    });
    // A result on this same page: close the dialog and go there.
    dlg.addEventListener("click", function (ev) {
      if (ev.target.closest(".search-results a")) dlg.close();
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
      var label = toc.querySelector(".toc-current");
      if (label && links[current]) {
        var num = links[current].querySelector(".toc-num");
        var title = links[current].querySelector(".toc-title");
        label.textContent = (num && num.textContent ? num.textContent + ". " : "") + (title ? Array.prototype.filter.call(title.childNodes, function (n) { return n.nodeType === 3; })
                    .map(function (n) { return n.textContent; }).join("").trim() : "");
      }
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
        if (!res.ok) {
          var e = new Error(data.error || (res.status + " " + res.statusText));
          e.code = data.code || "http-" + res.status;
          throw e;
        }
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
      scope.forEach(function (c) {
        var pill = c.querySelector(".vcard-status");
        if (pill) { pill.setAttribute("data-status", "error"); pill.textContent = t("status-error", "error"); }
      });
      if (out) { out.textContent = ""; out.appendChild(errorBox(err)); }
    }).finally(function () {
      buttons.forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
    });
  }

  // errorBox says what happened and what to do first, in the page's
  // language; the raw error (the server's words, or the browser's) is
  // behind a details toggle.
  var errorKinds = {
    "network": "Network", "aws-unreachable": "Unreachable", "aws-no-credentials": "Credentials",
    "aws-invalid-credentials": "Credentials", "aws-expired-sso": "Credentials", "aws-expired-token": "Credentials",
    "aws-access-denied": "Denied", "aws-no-region": "Region", "aws-throttled": "Throttled", "timeout": "Timeout"
  };
  function errorBox(err) {
    var code = (err && err.code) || (err instanceof TypeError ? "network" : "");
    var kind = errorKinds[code] || "Other";
    var box = el("div", "result");
    box.setAttribute("data-status", "error");
    box.setAttribute("data-error", code || "other");
    box.appendChild(el("p", "result-problem", t("PageErr" + kind)));
    box.appendChild(el("p", "result-do", t("PageErr" + kind + "Do")));
    var raw = err && err.message ? err.message : String(err);
    if (raw) {
      var det = el("details", "result-details");
      det.appendChild(el("summary", null, t("PageErrDetails", "Details")));
      det.appendChild(el("pre", null, raw));
      box.appendChild(det);
    }
    return box;
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
    setupTabs();
    setupTables();
    setupScroll();
    setupSearch();
    setupLive();
    drawDiagrams();
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
