/* coachbook client-side search. No libraries; the only request is the site's
 * own search-index.json (see src/render/search.rs):
 *   {"v": 2, "docs": [[title, url from the site root, kind, date, summary]],
 *    "terms": [sorted words], "post": [posting list of each word]}
 * A posting list is base-36 gaps between entries doc * 4 + weight (2 title,
 * 1 names/account/tags/takeaway, 0 text), separated by commas.
 * Every word of a query must match (the last one as a prefix, as it is
 * being typed; the others as a prefix too, so "negot" finds "negotiation").
 * Results are built with DOM nodes and textContent, never innerHTML. */
(function () {
  "use strict";

  var LIMIT = 50;
  // Most words a prefix may expand to (a one-letter prefix matches many).
  var EXPAND = 400;
  var STOP = {};
  ("an and are as at be but by for from has have he her his if in into is it its of on or our " +
   "she so that the their them then there they this to was we were what when which who will " +
   "with you your").split(" ").forEach(function (w) { STOP[w] = true; });
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
  var idx = null;        // {docs, terms, post, cache}, once loaded
  var failed = false;
  var active = -1;       // index of li.active
  var links = [];        // the result links, in order

  function say(text) { if (status) status.textContent = text; }

  var SPLIT = /[^\p{L}\p{N}]+/u;

  // The query's words, as the index has them; `last` is true for the word
  // still being typed.
  function terms(q) {
    var seen = {}, out = [];
    var parts = q.toLowerCase().split(SPLIT);
    var open = !/[^\p{L}\p{N}]$/u.test(q);
    parts.forEach(function (t, i) {
      if (!t || seen[t]) return;
      var last = open && i === parts.length - 1;
      if (!last && (t.length < 2 || STOP[t])) return;
      seen[t] = true;
      out.push({ t: t, last: last });
    });
    return out;
  }

  function postings(i) {
    var p = idx.cache[i];
    if (p) return p;
    var parts = idx.post[i].split(","), v = 0;
    p = new Int32Array(parts.length);
    for (var j = 0; j < parts.length; j++) { v += parseInt(parts[j], 36); p[j] = v; }
    idx.cache[i] = p;
    return p;
  }

  // The first index of `terms` not below `t`.
  function lowerBound(t) {
    var lo = 0, hi = idx.terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (idx.terms[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  var WEIGHT = [1, 4, 10, 10];

  // One query word's matches: per doc, the best place it (or a word it
  // starts) is in, exact words counting a little more than longer ones;
  // `docs` lists the docs matched.
  function match(q) {
    var score = new Uint8Array(idx.docs.length), docs = [];
    var i = lowerBound(q.t), n = 0;
    for (; i < idx.terms.length && n < EXPAND; i++, n++) {
      var term = idx.terms[i];
      if (term.lastIndexOf(q.t, 0) !== 0) break;
      var exact = term.length === q.t.length ? 1 : 0;
      var p = postings(i);
      for (var j = 0; j < p.length; j++) {
        var doc = p[j] >> 2, s = WEIGHT[p[j] & 3] + exact;
        if (score[doc] === 0) docs.push(doc);
        if (score[doc] < s) score[doc] = s;
      }
    }
    return { score: score, docs: docs };
  }

  function search(ts) {
    var sets = ts.map(match);
    sets.sort(function (a, b) { return a.docs.length - b.docs.length; });
    var hits = [], first = sets[0];
    for (var i = 0; i < first.docs.length; i++) {
      var doc = first.docs[i], s = first.score[doc];
      for (var k = 1; k < sets.length && s > 0; k++) {
        var o = sets[k].score[doc];
        s = o ? s + o : 0;
      }
      if (s > 0) hits.push({ doc: doc, s: s });
    }
    var docs = idx.docs;
    hits.sort(function (a, b) {
      if (b.s !== a.s) return b.s - a.s;
      var da = docs[a.doc][3], db = docs[b.doc][3];
      return da < db ? 1 : da > db ? -1 : a.doc - b.doc;
    });
    return hits;
  }

  // Appends `text` to `el`, marking each word that starts with a query word.
  function highlight(el, text, ts) {
    var lower = text.toLowerCase();
    if (lower.length !== text.length) { el.appendChild(document.createTextNode(text)); return; }
    var ranges = [];
    ts.forEach(function (q) {
      var i = lower.indexOf(q.t);
      while (i >= 0 && ranges.length < 200) {
        var before = i === 0 ? "" : lower.charAt(i - 1);
        if (!before || SPLIT.test(before)) ranges.push([i, i + q.t.length]);
        i = lower.indexOf(q.t, i + q.t.length);
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
    if (!idx) { say("Loading the search index\u2026"); return; }
    var ts = terms(q);
    var n0 = idx.docs.length;
    if (!ts.length) {
      say("Type to search " + n0 + (n0 === 1 ? " note." : " notes."));
      return;
    }
    var hits = search(ts);
    var frag = document.createDocumentFragment();
    hits.slice(0, LIMIT).forEach(function (h) {
      var d = idx.docs[h.doc];
      var li = document.createElement("li");
      var meta = [d[2], d[3]].filter(Boolean).join(" \u00b7 ");
      if (meta) {
        var kind = document.createElement("span");
        kind.className = "result-kind";
        kind.textContent = meta;
        li.appendChild(kind);
      }
      var a = document.createElement("a");
      a.href = base + d[1].replace(/^\/+/, "");
      highlight(a, d[0] || d[1] || "(untitled)", ts);
      li.appendChild(a);
      if (d[4]) {
        var p = document.createElement("p");
        p.className = "result-snippet";
        highlight(p, d[4], ts);
        li.appendChild(p);
      }
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
      if (!data || !Array.isArray(data.docs) || !Array.isArray(data.terms) ||
          !Array.isArray(data.post) || data.terms.length !== data.post.length) {
        throw new Error("not a search index");
      }
      idx = {
        docs: data.docs.map(function (d) {
          d = Array.isArray(d) ? d : [];
          return [str(d[0]), str(d[1]), str(d[2]), str(d[3]), str(d[4])];
        }),
        terms: data.terms.map(str),
        post: data.post.map(str),
        cache: []
      };
      run();
    })
    .catch(function () {
      failed = true;
      run();
      say("Search is unavailable: the search index could not be loaded.");
    });
})();
