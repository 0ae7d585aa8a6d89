/* vpclab serve --sandbox: the "Run in sandbox" buttons and the reset
 * button. The server includes this script only in the sandbox mode; it
 * numbers each runnable block (data-block) and sends the per-run token in
 * <meta name="vpclab-token">. A run request names the lab and the block's
 * position, never its text: the server runs the lab's own code. The answer
 * streams as one JSON object per line (output lines, then {"done": true}).
 */
(function () {
  "use strict";
  var doc = document;
  var strings = {};
  try {
    var data = doc.getElementById("vpclab-sandbox");
    if (data) strings = (JSON.parse(data.textContent) || {}).strings || {};
  } catch (e) { /* keep the keys */ }
  function t(key) { return strings[key] || key; }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function token() {
    var m = doc.querySelector('meta[name="vpclab-token"]');
    return m ? m.getAttribute("content") : "";
  }

  function post(path, body) {
    var headers = { "Content-Type": "application/json" };
    var tok = token();
    if (tok) headers["X-Vpclab-Token"] = tok;
    body.lang = doc.documentElement.lang;
    return fetch(new URL(path, location.href).href, {
      method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin"
    });
  }

  function errorOf(res) {
    return res.json().catch(function () { return {}; }).then(function (d) {
      throw new Error(d.error || (res.status + " " + res.statusText));
    });
  }

  // readLines calls each(obj) for every JSON line of a streamed answer.
  function readLines(res, each) {
    var reader = res.body.getReader();
    var dec = new TextDecoder();
    var buf = "";
    function pump() {
      return reader.read().then(function (r) {
        if (r.value) buf += dec.decode(r.value, { stream: !r.done });
        var i;
        while ((i = buf.indexOf("\n")) >= 0) {
          var line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line) each(JSON.parse(line));
        }
        if (!r.done) return pump();
      });
    }
    return pump();
  }

  function runBlock(box, button) {
    var out = box.querySelector(".run-output");
    if (!out) {
      out = el("div", "run-output");
      out.setAttribute("role", "log");
      out.setAttribute("aria-label", t("output"));
      out.appendChild(el("pre", "run-text"));
      out.appendChild(el("p", "run-status"));
      box.appendChild(out);
    }
    var pre = out.querySelector(".run-text");
    var status = out.querySelector(".run-status");
    pre.textContent = "";
    status.textContent = t("running");
    box.setAttribute("data-run", "running");
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    var done = null;
    post("/api/run", { lab: box.getAttribute("data-lab"), block: Number(box.getAttribute("data-block")) })
      .then(function (res) {
        if (!res.ok) return errorOf(res);
        return readLines(res, function (ev) {
          if (ev.note) out.insertBefore(el("p", "run-note", ev.note), pre);
          if (ev.out != null) pre.textContent += ev.out + "\n";
          if (ev.done) done = ev;
        });
      })
      .then(function () {
        if (!done) throw new Error(t("failedRequest"));
        status.textContent = done.message || "";
        box.setAttribute("data-run", done.ok ? "ok" : "failed");
      })
      .catch(function (err) {
        status.textContent = (err && err.message) || t("failedRequest");
        box.setAttribute("data-run", "failed");
      })
      .finally(function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
  }

  function resetSandbox(button) {
    if (!window.confirm(t("resetConfirm"))) return;
    var result = doc.querySelector(".sandbox-reset-result");
    button.disabled = true;
    if (result) result.textContent = t("resetting");
    post("/api/sandbox/reset", {})
      .then(function (res) {
        if (!res.ok) return errorOf(res);
        return res.json();
      })
      .then(function (d) {
        if (result) result.textContent = d.message || "";
        // The page shows the recorded progress, which is now empty.
        location.reload();
      })
      .catch(function (err) {
        if (result) result.textContent = (err && err.message) || t("failedRequest");
        button.disabled = false;
      });
  }

  function init() {
    doc.querySelectorAll("[data-block]").forEach(function (box) {
      var head = box.querySelector(".code-head");
      if (!head) return;
      var reason = box.getAttribute("data-sandbox-reason");
      if (reason) {
        box.setAttribute("data-run", "not-run");
        box.appendChild(el("p", "run-skip", reason));
        return;
      }
      var b = el("button", "run-block", t("run"));
      b.type = "button";
      b.setAttribute("data-action", "run-block");
      head.insertBefore(b, head.querySelector(".copy"));
    });
    doc.addEventListener("click", function (ev) {
      var b = ev.target.closest && ev.target.closest("button[data-action]");
      if (!b) return;
      var action = b.getAttribute("data-action");
      if (action === "run-block") runBlock(b.closest("[data-block]"), b);
      if (action === "sandbox-reset") resetSandbox(b);
    });
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
