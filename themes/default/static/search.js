/* coachbook client-side search. No libraries; the only requests are the
 * site's own index files under search/data/ (see src/render/search/):
 *   manifest.json  {"v": 5, "docs": N, "chunk": C, "h": hash, "bytes": B,
 *                   "all": file (a small index only),
 *                   "prefixes": [[prefix, file], ...] (a large index only),
 *                   "shards": [[first word, last word, words, file], ...]}
 *   t-*.bin        a shard: sorted words with their posting lists
 *   p-*.bin        a prefix list: for a prefix whose words lie in many
 *                  shards, each document's score for it, merged from
 *                  those words as match() would (one file, not dozens)
 *   d-K.json       the rows [title, url from the site root, kind, date,
 *                  summary] of documents K*C .. K*C+C-1
 *   all-*.bin      a small index (at most 4 MB, decided when the site is
 *                  built): every shard and every chunk in one file, in
 *                  place of the files above
 * A posting list holds doc * 4 + weight (2 title, 1 names/account/tags/
 * takeaway, 0 text), as varint gaps or two bits per document. Documents
 * are numbered newest first, so equal scores rank by number.
 * A query fetches the manifest (once), the shards its words' prefixes fall
 * in, ranks, then fetches the chunks of the results it shows. When the
 * manifest names an `all` file, that one file is fetched instead, once the
 * page is in (or by the first query, if sooner; only by a query when the
 * browser asks to save data), and every query is answered from it: the
 * same shards and chunks, so the same results, without a request each.
 * Every word of a query must match (the last one as a prefix, as it is
 * being typed; the others as a prefix too, so "negot" finds "negotiation").
 * Results are built with DOM nodes and textContent, never innerHTML.
 *
 * Two boxes use it: the search page's (#search-input, results in a list
 * with the search page's URL kept up to date), and the header's on every
 * page, which shows the first results under the field as you type (an ARIA
 * combobox: arrow keys pick, Enter opens, Escape closes; without a pick,
 * Enter submits the form to the search page, as it does without JS).
 * The manifest is fetched when a box is first used; every file once.
 *
 * It also labels the cells of tables whose template did not (the note
 * lists), so that on a phone, where table rows become cards, each value
 * shows its column's name. */
(function () {
  "use strict";

  var LIMIT = 50;
  // The search page shows this many results first, each as soon as the
  // chunks that describe it and every result above it are in, then the
  // rest up to LIMIT.
  var FIRST = 10;
  // Most words a prefix may expand to (a one-letter prefix matches many;
  // EXPAND in src/render/search/shards.rs, which merges prefix lists).
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

  // Phone cards: every cell of a table.data labelled with its column.
  function labelTables() {
    var tables = document.querySelectorAll("table.data");
    for (var t = 0; t < tables.length; t++) {
      var table = tables[t];
      if (!table.tHead || table.querySelector("td[data-label]")) continue;
      var heads = table.tHead.rows[0] ? table.tHead.rows[0].cells : [];
      var body = table.tBodies;
      for (var b = 0; b < body.length; b++) {
        for (var r = 0; r < body[b].rows.length; r++) {
          var cells = body[b].rows[r].cells;
          for (var c = 0; c < cells.length; c++) {
            if (c === 0) { cells[c].classList.add("lead"); continue; }
            var h = heads[c] && heads[c].textContent.trim();
            if (h && cells[c].tagName === "TD") cells[c].setAttribute("data-label", h);
          }
        }
      }
    }
  }
  labelTables();

  var base = basePath();
  var DATA = "search/data/";
  var idx = null;        // the manifest, once loaded (see load)
  var failed = false;
  var loading = null;    // the manifest's promise, once asked for

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

  // An index file, fetched once (with the index's hash, so a browser never
  // mixes files of two builds).
  function file(name, binary) {
    var f = idx.files[name];
    if (f) return f;
    f = fetch(base + DATA + name + "?h=" + idx.h, { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return binary ? r.arrayBuffer() : r.json();
    });
    f.catch(function () { delete idx.files[name]; });
    idx.files[name] = f;
    return f;
  }

  // Something made from the index's files, once: `make()`'s promise,
  // kept under `key`, made again after a failure.
  function once(key, make) {
    var p = idx.made[key];
    if (p) return p;
    p = idx.made[key] = make();
    p.catch(function () { if (idx.made[key] === p) delete idx.made[key]; });
    return p;
  }

  // A small index's one file, split into the bytes of its shards and
  // chunks (see parseAll); fetched once, by the first who asks.
  function whole() {
    return once("all", function () {
      return file(idx.all, true).then(parseAll).then(function (w) {
        // After the tasks of the query waiting for it, if any.
        setTimeout(function () { warm(w); }, 0);
        return w;
      });
    });
  }

  // Every shard, then every chunk of the one file, parsed in the
  // background, a few milliseconds' worth a task (a keystroke waits for
  // no more), so that later queries find them parsed, as they found the
  // files the prefetch of format 3 fetched; a part a query asked for
  // first is not parsed again.
  function warm(w) {
    var n = idx.shards.length, k = 0;
    function part(j) {
      return function () {
        return new Promise(function (ok) { ok(j < n ? shardOf(w, j) : chunkOf(w, j - n)); });
      };
    }
    (function next() {
      var until = performance.now() + 4;
      for (; k < n + w.chunks.length && performance.now() < until; k++) {
        once(k < n ? "t" + k : "d" + (k - n), part(k)).catch(function () {});
      }
      if (k < n + w.chunks.length) setTimeout(next, 0);
    })();
  }

  // Shard i and chunk c of the one file, parsed.
  function shardOf(w, i) { return parseShard(w.shards[i]); }
  function chunkOf(w, c) {
    if (!w.chunks[c]) throw new Error("no chunk " + c);
    return JSON.parse(utf8.decode(w.chunks[c]));
  }

  // Shard i of the manifest, fetched and parsed once; asked again after a
  // failure.
  function shard(i) {
    return once("t" + i, function () {
      if (idx.all) return whole().then(function (w) { return shardOf(w, i); });
      return file(idx.shards[i][3], true).then(function (b) { return parseShard(new Uint8Array(b)); });
    });
  }

  // Chunk c: the rows of documents c*chunk .. c*chunk+chunk-1.
  function chunk(c) {
    if (!idx.all) return file("d-" + c + ".json", false);
    return once("d" + c, function () {
      return whole().then(function (w) { return chunkOf(w, c); });
    });
  }

  // The one file of a small index: a count of shards, then each shard's
  // length and bytes, in the manifest's order; a count of chunks, then
  // each chunk's length and bytes (its JSON), chunk 0 first. Only split
  // here: each part is parsed by the first query that needs it, or by
  // warm, whichever comes first.
  function parseAll(buf) {
    var bytes = new Uint8Array(buf), pos = { p: 0 }, out = {};
    ["shards", "chunks"].forEach(function (what) {
      var n = varint(bytes, pos), parts = [];
      for (var i = 0; i < n; i++) {
        var len = varint(bytes, pos);
        if (pos.p + len > bytes.length) throw new Error("truncated index");
        parts.push(bytes.subarray(pos.p, pos.p + len));
        pos.p += len;
      }
      out[what] = parts;
    });
    if (out.shards.length !== idx.shards.length) throw new Error("not this index");
    return out;
  }

  // LEB128 varint at pos.p of bytes.
  function varint(bytes, pos) {
    var v = 0, shift = 0, b;
    do {
      if (pos.p >= bytes.length) throw new Error("truncated shard");
      b = bytes[pos.p++];
      v += (b & 127) * Math.pow(2, shift);
      shift += 7;
    } while (b >= 128);
    return v;
  }

  // A shard (its bytes): its terms, and where each one's postings are.
  var utf8 = new TextDecoder();
  function parseShard(bytes) {
    var pos = { p: 0 };
    var n = varint(bytes, pos), shard = { terms: [], kind: [], post: [] };
    for (var i = 0; i < n; i++) {
      var len = varint(bytes, pos);
      shard.terms.push(utf8.decode(bytes.subarray(pos.p, pos.p + len)));
      pos.p += len;
      shard.kind.push(bytes[pos.p++]);
      len = varint(bytes, pos);
      shard.post.push(bytes.subarray(pos.p, pos.p + len));
      pos.p += len;
    }
    return shard;
  }

  // The shards that may hold words starting with `t` (the manifest lists
  // each shard's first and last word), up to the EXPAND words the query
  // uses; as indexes into idx.shards.
  function shardsFor(t) {
    var sh = idx.shards, lo = 0, hi = sh.length, out = [], n = 0;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sh[mid][1] < t) lo = mid + 1; else hi = mid;
    }
    for (var i = lo; i < sh.length; i++) {
      var first = sh[i][0];
      if (first > t && first.lastIndexOf(t, 0) !== 0) break;
      out.push(i);
      if (i > lo) n += sh[i][2];
      if (n >= EXPAND) break;
    }
    return out;
  }

  // A word's score by its weight; the prefix lists are merged at build
  // time with the same figures (WEIGHTS in src/render/search/shards.rs).
  var WEIGHT = [1, 4, 10, 10];

  // One query word's matches: per doc, the best place it (or a word it
  // starts) is in, exact words counting a little more than longer ones;
  // `docs` lists the docs matched. `shards` are the parsed shards of
  // shardsFor(q.t), in order. Each word's postings are read here, in
  // place, not decoded into an array first: a query's words are read
  // once, on pages that have only just loaded this code.
  function match(q, shards) {
    var score = new Uint8Array(idx.docs), docs = new Int32Array(idx.docs), nd = 0, n = 0;
    var doc = 0, sc = 0;
    for (var s = 0; s < shards.length && n < EXPAND; s++) {
      var shard = shards[s], ts = shard.terms;
      // The first term not below q.t.
      var lo = 0, hi = ts.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (ts[mid] < q.t) lo = mid + 1; else hi = mid;
      }
      for (var i = lo; i < ts.length && n < EXPAND; i++, n++) {
        var term = ts[i];
        if (term.lastIndexOf(q.t, 0) !== 0) { s = shards.length; break; }
        var exact = term.length === q.t.length ? 1 : 0;
        var bytes = shard.post[i];
        if (shard.kind[i] === 1) {
          // Two bits per document: weight + 1, or 0 when absent.
          for (var b = 0; b < bytes.length; b++) {
            var x = bytes[b];
            if (!x) continue;
            for (var k = 0; k < 4; k++) {
              var w = (x >> (k * 2)) & 3;
              if (!w) continue;
              doc = b * 4 + k;
              sc = WEIGHT[w - 1] + exact;
              if (score[doc] === 0) docs[nd++] = doc;
              if (score[doc] < sc) score[doc] = sc;
            }
          }
        } else {
          // LEB128 gaps between entries doc * 4 + weight.
          var v = 0, gap = 0, mul = 1;
          for (var at = 0; at < bytes.length; at++) {
            var c = bytes[at];
            gap += (c & 127) * mul;
            if (c >= 128) { mul *= 128; continue; }
            v += gap;
            gap = 0;
            mul = 1;
            doc = v >> 2;
            sc = WEIGHT[v & 3] + exact;
            if (score[doc] === 0) docs[nd++] = doc;
            if (score[doc] < sc) score[doc] = sc;
          }
        }
      }
    }
    return { score: score, docs: docs.subarray(0, nd) };
  }

  // A prefix list (its file's name), fetched and read once: what match()
  // makes of the words it merges. An encoding byte, then varint gaps
  // between entries doc * 16 + score (0), or four bits a document, two
  // documents a byte from the low bits (1). Only read, never changed.
  function prefixList(name) {
    return once("p" + name, function () {
      return file(name, true).then(function (buf) {
        var bytes = new Uint8Array(buf), n = idx.docs;
        var score = new Uint8Array(n), docs = new Int32Array(n), nd = 0, doc;
        if (bytes[0] === 1) {
          for (var b = 1; b < bytes.length; b++) {
            var x = bytes[b];
            if (!x) continue;
            doc = (b - 1) * 2;
            if ((x & 15) && doc < n) { score[doc] = x & 15; docs[nd++] = doc; }
            if ((x >> 4) && doc + 1 < n) { score[doc + 1] = x >> 4; docs[nd++] = doc + 1; }
          }
        } else {
          var v = 0, gap = 0, mul = 1;
          for (var at = 1; at < bytes.length; at++) {
            var c = bytes[at];
            gap += (c & 127) * mul;
            if (c >= 128) { mul *= 128; continue; }
            v += gap;
            gap = 0;
            mul = 1;
            doc = Math.floor(v / 16);
            if (doc < n && !score[doc]) docs[nd++] = doc;
            if (doc < n) score[doc] = v % 16;
          }
        }
        return { score: score, docs: docs.subarray(0, nd) };
      });
    });
  }

  // A query's results: `n`, how many documents match, and `top`, the
  // best LIMIT of them, best first, as {doc, s}. Documents are numbered
  // newest first, so among equal scores the lower number ranks first.
  // Resolves once the shards of the query's words are fetched.
  function search(ts) {
    return Promise.all(ts.map(function (q) {
      var p = idx.prefixes[q.t];
      if (p) return prefixList(p);
      return Promise.all(shardsFor(q.t).map(shard)).then(function (s) { return match(q, s); });
    })).then(function (sets) {
      sets.sort(function (a, b) { return a.docs.length - b.docs.length; });
      var first = sets[0], total = new Uint16Array(idx.docs), count = [], n = 0;
      for (var i = 0; i < first.docs.length; i++) {
        var doc = first.docs[i], s = first.score[doc];
        for (var k = 1; k < sets.length && s > 0; k++) {
          var o = sets[k].score[doc];
          s = o ? s + o : 0;
        }
        if (s > 0) {
          s = Math.min(s, 65535);
          total[doc] = s;
          count[s] = (count[s] || 0) + 1;
          n++;
        }
      }
      return { n: n, top: best(total, count, n) };
    });
  }

  // The best LIMIT documents by score, then by number, as {doc, s}: from
  // `count` (documents per score) the lowest score still among them, then
  // one pass in document order; no sort of every match, which took tens of
  // milliseconds for a word in half of 100,000 notes.
  function best(total, count, n) {
    if (!n) return [];
    var want = Math.min(n, LIMIT), above = 0, low = count.length - 1;
    for (; low > 0; low--) {
      var c = count[low] || 0;
      if (above + c >= want) break;
      above += c;
    }
    // Every document scoring above `low`, and the first `want - above`
    // scoring `low`.
    var top = [], atLow = want - above;
    for (var doc = 0; doc < total.length && top.length < want; doc++) {
      var s = total[doc];
      if (s > low || (s === low && atLow > 0)) {
        if (s === low) atLow--;
        top.push({ doc: doc, s: s });
      }
    }
    top.sort(function (a, b) { return b.s - a.s || a.doc - b.doc; });
    return top;
  }

  // The rows [title, url, kind, date, summary] of these hits, from the
  // chunks that hold them.
  function rows(hits) {
    return Promise.all(hits.map(row));
  }

  // The row of one hit, from the chunk that holds it.
  function row(h) {
    var size = idx.chunk;
    return chunk(Math.floor(h.doc / size)).then(function (c) {
      var d = Array.isArray(c) && Array.isArray(c[h.doc % size]) ? c[h.doc % size] : [];
      return [str(d[0]), str(d[1]), str(d[2]), str(d[3]), str(d[4])];
    });
  }

  // Calls `fn` once the browser has painted what is on the page: in an
  // idle moment after the next frame (soon, in a hidden page, which has
  // no frames).
  function afterPaint(fn) {
    if (document.hidden || !window.requestAnimationFrame) { setTimeout(fn, 0); return; }
    requestAnimationFrame(function () {
      if (window.requestIdleCallback) requestIdleCallback(function () { fn(); }, { timeout: 50 });
      else setTimeout(fn, 0);
    });
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

  // The search page.
  function searchPage(input, list, status) {
  var active = -1;       // index of li.active
  var links = [];        // the result links, in order
  if (status && !status.hasAttribute("aria-live")) status.setAttribute("aria-live", "polite");
  function say(text) { if (status) status.textContent = text; }

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

  var seq = 0;           // the query being answered; older answers are dropped
  function clear() {
    while (list.firstChild) list.removeChild(list.firstChild);
    active = -1;
    links = [];
  }
  function show(docs, ts) {
    var frag = document.createDocumentFragment();
    docs.forEach(function (d) {
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
  }

  // Answers the box's query. The query goes into the page's URL once
  // typing pauses, or before a result is followed: replaceState takes
  // milliseconds a call, which a keystroke's answer need not wait for.
  var urlTimer = 0;
  function run() {
    answer(input.value);
    clearTimeout(urlTimer);
    urlTimer = setTimeout(syncUrl, 300);
  }
  function syncUrl() {
    clearTimeout(urlTimer);
    updateUrl(input.value.trim());
  }
  list.addEventListener("click", syncUrl, true);
  window.addEventListener("pagehide", syncUrl);

  function answer(q) {
    var my = ++seq;
    if (failed) { clear(); return; }
    if (!idx) { clear(); say("Loading the search index\u2026"); return; }
    var ts = terms(q);
    var n0 = idx.docs;
    if (!ts.length) {
      clear();
      say("Type to search " + n0 + (n0 === 1 ? " note." : " notes."));
      return;
    }
    search(ts).then(function (res) {
      if (my !== seq) return null;
      var shown = res.top, n = res.n;
      var quoted = "\u201c" + q.trim() + "\u201d";
      if (!n) {
        clear();
        say("No results for " + quoted + ".");
        return null;
      }
      // The first results, each as soon as it and every result ranked
      // above it are in (their chunks arrive in any order: a result is
      // never shown out of rank), then the rest.
      var first = shown.slice(0, FIRST), got = [], next = 0;
      function flush() {
        if (my !== seq) return;
        var ready = [];
        while (next < first.length && got[next]) ready.push(got[next++]);
        if (!ready.length) return;
        if (next === ready.length) {
          clear();
          if (n > LIMIT) say(n + " results for " + quoted + "; showing the first " + LIMIT + ".");
          else say(n + (n === 1 ? " result for " : " results for ") + quoted + ".");
        }
        show(ready, ts);
      }
      function take(i) {
        return row(first[i]).then(function (d) { got[i] = d; flush(); });
      }
      // The first result's chunk alone, and nothing more until the first
      // result is painted; then the others' chunks (often the same file).
      // Eight files asked for at once, and the rows they bring, kept the
      // first one from the screen for tens of milliseconds.
      return take(0).then(function () {
        return my === seq ? new Promise(afterPaint) : null;
      }).then(function () {
        if (my !== seq) return null;
        return Promise.all(first.slice(1).map(function (h, i) { return take(i + 1); }));
      }).then(function () {
        if (my !== seq || shown.length <= FIRST) return null;
        return rows(shown.slice(FIRST)).then(function (more) {
          if (my === seq) show(more, ts);
        });
      });
    }).catch(function () {
      if (my !== seq) return;
      clear();
      say("Search is unavailable: part of the search index could not be loaded.");
    });
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
      if (active >= 0 && links[active]) {
        syncUrl();
        window.location.href = links[active].href;
      }
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
  load().then(run, function () {
    run();
    say("Search is unavailable: the search index could not be loaded.");
  });

  }

  function str(v) { return typeof v === "string" ? v : ""; }

  // The manifest, fetched once: the number of notes, the shards with the
  // first and last word each holds, the hash every file is asked with and,
  // for a small index, its one file (then fetched once the page is in:
  // see fetchWhole).
  function load() {
    if (loading) return loading;
    loading = fetch(base + DATA + "manifest.json", { credentials: "same-origin", cache: "no-cache" })
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    })
    .then(function (m) {
      var name = /^[\w.-]+$/;
      if (!m || m.v !== 5 || typeof m.docs !== "number" || !(m.chunk > 0) ||
          typeof m.h !== "string" || !Array.isArray(m.shards) ||
          (m.all !== undefined && !(typeof m.all === "string" && name.test(m.all))) ||
          (m.prefixes !== undefined && !Array.isArray(m.prefixes))) {
        throw new Error("not a search index");
      }
      // Prefix lists by prefix (a map without a prototype: a query word
      // such as "constructor" is no key of it).
      var prefixes = Object.create(null);
      (m.prefixes || []).forEach(function (p) {
        if (Array.isArray(p) && typeof p[0] === "string" && typeof p[1] === "string" && name.test(p[1])) {
          prefixes[p[0]] = p[1];
        }
      });
      var shards = m.shards.filter(function (s) {
        return Array.isArray(s) && typeof s[0] === "string" && typeof s[1] === "string" &&
          typeof s[2] === "number" && typeof s[3] === "string" && name.test(s[3]);
      });
      // The one file holds every shard, in the manifest's order.
      if (m.all && shards.length !== m.shards.length) throw new Error("not a search index");
      idx = {
        docs: m.docs,
        chunk: m.chunk,
        h: encodeURIComponent(m.h),
        all: m.all || null,
        shards: shards,
        prefixes: prefixes,
        files: {},       // fetched files' promises, by name (see file)
        made: {}         // parsed shards and chunks (see once)
      };
      fetchWhole();
    })
    .catch(function (e) {
      failed = true;
      throw e;
    });
    return loading;
  }

  // A small index's one file, fetched as soon as the page itself is in
  // (never delaying its load), so that queries find it there; when the
  // browser asks to save data, only by the first query (see whole).
  function fetchWhole() {
    var conn = navigator.connection;
    if (!idx.all || (conn && conn.saveData)) return;
    function start() { whole().catch(function () {}); }
    if (document.readyState === "complete") start();
    else window.addEventListener("load", start);
  }

  // The header's box: the first results under it as you type.
  var SUGGEST = 8;
  function headerSearch(box) {
    var form = box.form;
    if (!form) return;
    var listId = "header-search-results";
    var ul = document.createElement("ul");
    ul.id = listId;
    ul.className = "search-suggest";
    ul.setAttribute("role", "listbox");
    ul.setAttribute("aria-label", "Search results");
    ul.hidden = true;
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    form.appendChild(ul);
    form.appendChild(live);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", listId);
    var options = [];   // {li, href}
    var current = -1;

    function pick(i) {
      if (current >= 0 && options[current]) options[current].li.setAttribute("aria-selected", "false");
      current = i;
      if (i >= 0 && options[i]) {
        options[i].li.setAttribute("aria-selected", "true");
        box.setAttribute("aria-activedescendant", options[i].li.id);
        if (options[i].li.scrollIntoView) options[i].li.scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }
    function close() {
      pick(-1);
      ul.hidden = true;
      box.setAttribute("aria-expanded", "false");
    }
    function option(href, fill, extra) {
      var li = document.createElement("li");
      li.id = listId + "-" + options.length;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      if (extra) li.className = extra;
      // An option holds no link (a listbox's options are plain text to
      // assistive technology): the keyboard stays in the field and picks
      // with the arrow keys; a click opens the option's page.
      fill(li);
      li.setAttribute("data-href", href);
      ul.appendChild(li);
      options.push({ li: li, href: href });
    }
    var seq = 0;         // the query being answered; older answers are dropped
    var shownFor = null; // the query the options are for
    function reset() {
      shownFor = null;
      while (ul.firstChild) ul.removeChild(ul.firstChild);
      options = [];
      current = -1;
      box.removeAttribute("aria-activedescendant");
    }
    function update() {
      var q = box.value;
      var my = ++seq;
      var ts = q.trim() ? terms(q) : [];
      if (!ts.length || failed || !idx) {
        reset();
        close();
        live.textContent = failed && q.trim() ? "Search is unavailable." : "";
        return;
      }
      var n = 0;
      search(ts).then(function (res) {
        n = res.n;
        return my === seq ? rows(res.top.slice(0, SUGGEST)) : null;
      }).then(function (docs) {
        if (my !== seq || !docs) return;
        reset();
        shownFor = q;
        docs.forEach(function (d) {
          option(base + d[1].replace(/^\/+/, ""), function (a) {
            var t = document.createElement("span");
            t.className = "suggest-title";
            highlight(t, d[0] || d[1] || "(untitled)", ts);
            a.appendChild(t);
            var meta = [d[2], d[3]].filter(Boolean).join(" \u00b7 ");
            if (meta) {
              var m = document.createElement("span");
              m.className = "suggest-meta";
              m.textContent = meta;
              a.appendChild(m);
            }
          });
        });
        var quoted = "\u201c" + q.trim() + "\u201d";
        option(base + "search/?q=" + encodeURIComponent(q.trim()), function (a) {
          a.textContent = (n ? "All " + n + (n === 1 ? " result" : " results") : "No results") +
            " for " + quoted + " on the search page";
        }, "suggest-all");
        ul.hidden = false;
        box.setAttribute("aria-expanded", "true");
        live.textContent = n ? n + (n === 1 ? " result" : " results") +
          "; arrow keys to choose." : "No results.";
      }).catch(function () {
        if (my !== seq) return;
        reset();
        close();
        live.textContent = "Search is unavailable.";
      });
    }
    box.addEventListener("input", function () {
      if (idx || failed) { update(); return; }
      load().then(update, update);
    });
    box.addEventListener("focus", function () { load().catch(function () {}); });
    box.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (ul.hidden) {
          // Closed with Escape (or by leaving the field): the same
          // query's results open again at once; another query's come
          // when its files are in.
          if (options.length && shownFor === box.value) {
            ul.hidden = false;
            box.setAttribute("aria-expanded", "true");
          } else {
            if (box.value.trim() && idx) update();
            return;
          }
        }
        e.preventDefault();
        var n = options.length;
        var next = e.key === "ArrowDown" ? current + 1 : current - 1;
        if (next >= n) next = 0;
        if (next < 0) next = n - 1;
        pick(next);
      } else if (e.key === "Enter") {
        if (!ul.hidden && current >= 0 && options[current]) {
          e.preventDefault();
          window.location.href = options[current].href;
        }
      } else if (e.key === "Escape") {
        if (!ul.hidden) { e.preventDefault(); close(); }
      }
    });
    // A click on a result opens it; the field keeps the focus meanwhile.
    ul.addEventListener("mousedown", function (e) { e.preventDefault(); });
    ul.addEventListener("click", function (e) {
      var li = e.target.closest ? e.target.closest("li[data-href]") : null;
      if (li) window.location.href = li.getAttribute("data-href");
    });
    box.addEventListener("blur", close);
    document.addEventListener("click", function (e) {
      if (!form.contains(e.target)) close();
    });
  }

  var pageInput = document.getElementById("search-input");
  var pageList = document.getElementById("search-results");
  if (pageInput && pageList) searchPage(pageInput, pageList, document.getElementById("search-status"));
  var headerBox = document.querySelector(".site-header .search-form input[type=search]");
  if (headerBox) headerSearch(headerBox);
})();
