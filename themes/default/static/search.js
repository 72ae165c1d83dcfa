/* coachbook client-side search. No libraries; the only request is the site's
 * own search-index.json: {"docs": [{"t": title, "u": url relative to the
 * site root, "k": kind, "g": [tags], "x": lower-cased searchable text}]}.
 * Results are built with DOM nodes and textContent, never innerHTML. */
(function () {
  "use strict";

  var LIMIT = 50;
  var SNIPPET = 180;
  var root = document.documentElement;

  function basePath() {
    var b = root.getAttribute("data-base") ||
      (document.body && document.body.getAttribute("data-base")) || "/";
    return b.charAt(b.length - 1) === "/" ? b : b + "/";
  }

  // "/" focuses the search box from anywhere (unless typing in a field).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-input") ||
      document.querySelector(".search-form input[type=search]");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list) return;
  if (status && !status.hasAttribute("aria-live")) status.setAttribute("aria-live", "polite");

  var base = basePath();
  var docs = null;       // the index, once loaded
  var failed = false;
  var active = -1;       // index of li.active
  var links = [];        // the result links, in order

  function say(text) { if (status) status.textContent = text; }

  function terms(q) {
    var seen = {}, out = [];
    q.toLowerCase().split(/\s+/).forEach(function (t) {
      if (t && !seen[t]) { seen[t] = true; out.push(t); }
    });
    return out;
  }

  function count(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i >= 0 && n < 20) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }

  function search(ts) {
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i], x = d.x, ok = true;
      for (var j = 0; j < ts.length; j++) {
        if (x.indexOf(ts[j]) < 0 && d.tl.indexOf(ts[j]) < 0) { ok = false; break; }
      }
      if (!ok) continue;
      var inTitle = 0, n = 0;
      for (j = 0; j < ts.length; j++) {
        if (d.tl.indexOf(ts[j]) >= 0) inTitle++;
        n += count(x, ts[j]);
      }
      hits.push({ d: d, i: i, title: inTitle, n: n });
    }
    hits.sort(function (a, b) {
      return (b.title - a.title) || (b.n - a.n) || (a.i - b.i);
    });
    return hits;
  }

  // Appends `text` to `el`, wrapping each occurrence of a term in <mark>.
  function highlight(el, text, ts) {
    var lower = text.toLowerCase();
    if (lower.length !== text.length) { el.appendChild(document.createTextNode(text)); return; }
    var ranges = [];
    ts.forEach(function (t) {
      var i = lower.indexOf(t);
      while (i >= 0 && ranges.length < 200) {
        ranges.push([i, i + t.length]);
        i = lower.indexOf(t, i + t.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[1] <= pos) return;
      var start = Math.max(r[0], pos);
      if (start > pos) el.appendChild(document.createTextNode(text.slice(pos, start)));
      var m = document.createElement("mark");
      m.textContent = text.slice(start, r[1]);
      el.appendChild(m);
      pos = r[1];
    });
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
  }

  // A window of the text around the first match, skipping the title that
  // the indexed text usually starts with.
  function snippet(d, ts) {
    var x = d.x;
    var from = d.tl && x.indexOf(d.tl) === 0 ? d.tl.length : 0;
    var pos = -1, len = 0;
    for (var pass = 0; pass < 2 && pos < 0; pass++) {
      var off = pass === 0 ? from : 0;
      ts.forEach(function (t) {
        var i = x.indexOf(t, off);
        if (i >= 0 && (pos < 0 || i < pos)) { pos = i; len = t.length; }
      });
    }
    if (pos < 0) pos = from;
    var start = Math.max(from, pos - 60);
    if (start > pos) start = pos;
    var end = Math.min(x.length, start + SNIPPET);
    if (start > 0) {
      var sp = x.indexOf(" ", start);
      if (sp >= 0 && sp < pos) start = sp + 1;
    }
    if (end < x.length) {
      var se = x.lastIndexOf(" ", end);
      if (se > pos + len) end = se;
    }
    var s = x.slice(start, end).replace(/\s+/g, " ").trim();
    return (start > 0 ? "\u2026" : "") + s + (end < x.length ? "\u2026" : "");
  }

  function setActive(i) {
    var items = list.children;
    if (active >= 0 && items[active]) items[active].classList.remove("active");
    active = i;
    if (i >= 0 && items[i]) {
      items[i].classList.add("active");
      if (items[i].scrollIntoView) items[i].scrollIntoView({ block: "nearest" });
    }
  }

  function updateUrl(q) {
    if (!window.history || !history.replaceState) return;
    try {
      var url = new URL(window.location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    } catch (e) { /* file:// or sandboxed: keep the URL as it is */ }
  }

  function run() {
    var q = input.value;
    updateUrl(q.trim());
    while (list.firstChild) list.removeChild(list.firstChild);
    active = -1;
    links = [];
    if (failed) return;
    if (!docs) { say("Loading the search index\u2026"); return; }
    var ts = terms(q);
    if (!ts.length) {
      say("Type to search " + docs.length + (docs.length === 1 ? " note." : " notes."));
      return;
    }
    var hits = search(ts);
    var frag = document.createDocumentFragment();
    hits.slice(0, LIMIT).forEach(function (h) {
      var d = h.d;
      var li = document.createElement("li");
      if (d.k) {
        var kind = document.createElement("span");
        kind.className = "result-kind";
        kind.textContent = d.k;
        li.appendChild(kind);
      }
      var a = document.createElement("a");
      a.href = base + d.u.replace(/^\/+/, "");
      highlight(a, d.t || d.u || "(untitled)", ts);
      li.appendChild(a);
      var p = document.createElement("p");
      p.className = "result-snippet";
      highlight(p, snippet(d, ts), ts);
      li.appendChild(p);
      frag.appendChild(li);
      links.push(a);
    });
    list.appendChild(frag);
    var n = hits.length;
    var quoted = "\u201c" + q.trim() + "\u201d";
    if (!n) say("No results for " + quoted + ".");
    else if (n > LIMIT) say(n + " results for " + quoted + "; showing the first " + LIMIT + ".");
    else say(n + (n === 1 ? " result for " : " results for ") + quoted + ".");
  }

  input.addEventListener("input", run);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!links.length) return;
      e.preventDefault();
      var next = e.key === "ArrowDown" ? active + 1 : active - 1;
      if (next >= links.length) next = 0;
      if (next < 0) next = links.length - 1;
      setActive(next);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (active >= 0 && links[active]) window.location.href = links[active].href;
    } else if (e.key === "Escape") {
      setActive(-1);
    }
  });
  if (input.form) input.form.addEventListener("submit", function (e) { e.preventDefault(); });

  try {
    var q0 = new URLSearchParams(window.location.search).get("q");
    if (q0) input.value = q0;
  } catch (e) { /* no URLSearchParams: start empty */ }
  run();

  function str(v) { return typeof v === "string" ? v : ""; }

  fetch(base + "search-index.json", { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    })
    .then(function (data) {
      var raw = data && Array.isArray(data.docs) ? data.docs : null;
      if (!raw) throw new Error("no docs");
      docs = raw.map(function (d) {
        d = d || {};
        var t = str(d.t), g = Array.isArray(d.g) ? d.g.map(str) : [];
        var x = str(d.x);
        if (!x) x = (t + " " + g.join(" ")).toLowerCase();
        return { t: t, tl: t.toLowerCase(), u: str(d.u), k: str(d.k), g: g, x: x };
      });
      run();
    })
    .catch(function () {
      failed = true;
      run();
      say("Search is unavailable: the search index could not be loaded.");
    });
})();
