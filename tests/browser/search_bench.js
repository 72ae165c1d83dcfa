// Search benchmark in headless Chromium: bytes fetched and time to the
// first results. A benchmark, not a test: it prints figures, asserts none.
//
//   node tests/browser/search_bench.js BASE_URL   (with NODE_PATH to playwright-core)
//
// Serve a built site from 127.0.0.1 (`coachbook serve`, or any static
// server: `python3 -m http.server -b 127.0.0.1 8000 -d OUT`). Two parts:
// 1. cold: for each query, a new browser context (empty cache) opens the
//    search page, waits until it is ready ("Type to search"), types the
//    query at once and waits for the first result. Prints the time from
//    the keystroke to the first result, and the index bytes the page had
//    fetched by then (from navigation: manifest, shards, chunks; or the
//    whole index of the single-file format);
// 2. typing: in one page, queries typed a letter at a time; per keystroke
//    the time until the status line answers that text (plus one frame);
// 3. settled: a new page left alone until its index requests stop (500 ms
//    without a new one: a small index, one file, is then in; see
//    COMBINE_MAX in src/render/search/shards.rs), the time that took from
//    navigation and the bytes, then the same typing.
// Works on every index format (the single file of old, shards, shards
// with the prefetch, one file for a small index), so old and new builds
// compare directly.
const { chromium } = require("playwright-core");

const base = process.argv[2];
const COLD = ["fenwick", "discovery", "champion", "cfo budget", "procurement three weeks",
  "pen", "a", "d", "x", "renewal risk"];
const TYPED = ["a", "al", "ald", "alde", "alder", "aldergrove", "d", "di", "dis", "disc", "disco",
  "discovery c", "champion", "cfo budget", "x", "pen", "penetration test", "procurement three weeks"];

const isIndex = (name) => name.includes("/search/data/") || name.endsWith("search-index.json");

// In the page: types `q` into the search box at once; resolves when the
// status answers it, with the time taken and the index bytes fetched so
// far (those finished before the answer).
async function typeAndWait(page, q) {
  return page.evaluate(async (q) => {
    const input = document.getElementById("search-input");
    const status = document.getElementById("search-status");
    const want = "\u201c" + q.trim() + "\u201d";
    const t0 = performance.now();
    input.value = q;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => {
      const done = () => status.textContent.includes(want);
      if (done()) return resolve();
      const mo = new MutationObserver(() => { if (done()) { mo.disconnect(); resolve(); } });
      mo.observe(status, { childList: true, characterData: true, subtree: true });
    });
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const t1 = performance.now();
    let bytes = 0, files = 0;
    for (const e of performance.getEntriesByType("resource")) {
      if ((e.name.includes("/search/data/") || e.name.includes("search-index.json")) && e.responseEnd <= t1) {
        bytes += e.decodedBodySize;
        files++;
      }
    }
    return { ms: t1 - t0, bytes, files, results: document.querySelectorAll("#search-results li").length,
             status: status.textContent };
  }, q);
}

async function ready(page) {
  const t0 = Date.now();
  await page.goto(base + "search/");
  await page.evaluate(() => performance.setResourceTimingBufferSize(100000));
  await page.waitForFunction(() => /^Type to search/.test(document.getElementById("search-status").textContent),
    null, { timeout: 120000 });
  return Date.now() - t0;
}

const kb = (b) => (b / 1024).toFixed(1) + " KB";

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });

  console.log("cold (new context per query): query | ready after navigation | keystroke -> first result | index bytes before it (files) | results");
  const cold = [];
  for (const q of COLD) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const readyMs = await ready(page);
    const r = await typeAndWait(page, q);
    cold.push({ q, readyMs, ...r });
    console.log(`  ${JSON.stringify(q).padEnd(26)} ${String(readyMs).padStart(6)} ms ${r.ms.toFixed(1).padStart(8)} ms ${kb(r.bytes).padStart(12)} (${r.files}) ${r.status}`);
    await ctx.close();
  }
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  console.log(`cold: median ready ${med(cold.map((c) => c.readyMs))} ms; keystroke -> first result median ${med(cold.map((c) => c.ms)).toFixed(1)} ms, max ${Math.max(...cold.map((c) => c.ms)).toFixed(1)} ms; bytes before first result median ${kb(med(cold.map((c) => c.bytes)))}, max ${kb(Math.max(...cold.map((c) => c.bytes)))}`);

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const readyMs = await ready(page);
  const times = [];
  let bytes = 0;
  for (const q of TYPED) {
    const r = await typeAndWait(page, q);
    times.push(r.ms);
    bytes = r.bytes;
    if (process.env.VERBOSE) console.log(`  ${JSON.stringify(q)} ${r.ms.toFixed(1)} ms, ${kb(r.bytes)} so far`);
  }
  console.log(`typing (one page, ${TYPED.length} keystrokes, ready after ${readyMs} ms): per keystroke median ${med(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; index bytes fetched in all ${kb(bytes)}`);
  await ctx.close();

  const ctx2 = await browser.newContext();
  const page2 = await ctx2.newPage();
  await ready(page2);
  const settled = await page2.evaluate(async () => {
    const index = () => performance.getEntriesByType("resource")
      .filter((e) => e.name.includes("/search/data/") || e.name.includes("search-index.json"));
    let n = -1, since = performance.now();
    while (performance.now() - since < 500 && performance.now() < 30000) {
      const now = index().length;
      if (now !== n) { n = now; since = performance.now(); }
      await new Promise((r) => setTimeout(r, 25));
    }
    const all = index();
    return { ms: Math.max(...all.map((e) => e.responseEnd)), files: all.length,
             bytes: all.reduce((a, e) => a + e.decodedBodySize, 0) };
  });
  const warm = [];
  for (const q of TYPED) warm.push((await typeAndWait(page2, q)).ms);
  console.log(`settled: index requests done ${settled.ms.toFixed(0)} ms after navigation (${settled.files} files, ${kb(settled.bytes)}); then per keystroke median ${med(warm).toFixed(1)} ms, max ${Math.max(...warm).toFixed(1)} ms`);
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
