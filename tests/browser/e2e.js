// End-to-end check of the example site in headless Chromium, served by
// `coachbook serve` on 127.0.0.1: the dashboard renders with its charts,
// search finds a deal by account name and the result opens it, a wikilink
// navigates, no console errors, no request leaves 127.0.0.1; and
// screenshots of the key pages at desktop and phone widths.
//
//   node tests/browser/e2e.js BASE_URL SCREENSHOT_DIR
"use strict";
const { chromium } = require("playwright-core");

const base = process.argv[2];
const shots = process.argv[3];
const fail = (msg) => { console.error("FAIL: " + msg); process.exitCode = 1; };

// ---------------------------------------------------------------- search
// Search (src/render/search/), in both of the client's modes.
// One file (the example site as it is: an index under 4 MB is written as
// one file the manifest names as `all`): typing a query shows the
// expected result, the page fetched the manifest and that file, each once
// and nothing else; a second query needs no request; a browser that asks
// to save data fetches the file only at the first query.
// Sharded (an index over 4 MB; here the example site's manifest rewritten
// on its way without `all`, and each shard and chunk served from the bytes
// the one file holds, as a large site writes them apart): the same result,
// and the page fetched only the manifest, the shards whose word ranges can
// hold what was typed, and metadata chunks; never every shard, nor the
// one file (nor the single-file index of old).

// Prefix lists (a large index has them for the prefixes whose words lie
// in many shards, such as a first letter): the example site's shards
// rewritten as above, plus a prefix list made here from them, as the
// contract of the format says (each document's best score among the
// first 400 words the prefix starts, in the shards' order: weight 1, 4,
// 10 or 10, plus one for the prefix itself), in either encoding. The same
// results as from the shards, for one file fetched and no shard.

// A small index's one file: its shards and chunks (a count, then each
// one's varint length and bytes; shards, then chunks).
function parts(buf) {
  let pos = 0;
  const varint = () => {
    let v = 0, shift = 0, b;
    do { b = buf[pos++]; v += (b & 127) * 2 ** shift; shift += 7; } while (b >= 128);
    return v;
  };
  const part = () => {
    const out = [];
    for (let n = varint(); n > 0; n--) {
      const len = varint();
      out.push(buf.subarray(pos, pos + len));
      pos += len;
    }
    return out;
  };
  const shards = part();
  const chunks = part();
  if (pos !== buf.length) fail(`the one file has ${buf.length - pos} bytes past its chunks`);
  return { shards, chunks };
}

function varintAt(buf, at) {
  let v = 0, shift = 0, b;
  do { b = buf[at.p++]; v += (b & 127) * 2 ** shift; shift += 7; } while (b >= 128);
  return v;
}

// A shard's terms, each with its postings (doc * 4 + weight).
function shardTerms(buf, docs) {
  const at = { p: 0 }, out = [];
  for (let n = varintAt(buf, at); n > 0; n--) {
    let len = varintAt(buf, at);
    const text = Buffer.from(buf.subarray(at.p, at.p + len)).toString("utf8");
    at.p += len;
    const kind = buf[at.p++];
    len = varintAt(buf, at);
    const post = buf.subarray(at.p, at.p + len), list = [];
    at.p += len;
    if (kind === 0) {
      const a = { p: 0 };
      for (let v = 0; a.p < post.length;) { v += varintAt(post, a); list.push(v); }
    } else {
      for (let d = 0; d < docs; d++) {
        const w = (post[d >> 2] >> ((d % 4) * 2)) & 3;
        if (w) list.push(d * 4 + w - 1);
      }
    }
    out.push({ text, list });
  }
  return out;
}

// The prefix list of `prefix` over these shards, in encoding `kind`.
function prefixList(shards, docs, prefix, kind) {
  const score = new Uint8Array(docs);
  const words = shards.flatMap((s) => shardTerms(s, docs)).filter((t) => t.text.startsWith(prefix)).slice(0, 400);
  for (const t of words) {
    for (const v of t.list) {
      const s = [1, 4, 10, 10][v & 3] + (t.text === prefix ? 1 : 0);
      score[v >> 2] = Math.max(score[v >> 2], s);
    }
  }
  const out = [kind];
  if (kind === 1) {
    for (let d = 0; d < docs; d += 2) out.push(score[d] | ((score[d + 1] || 0) << 4));
  } else {
    let last = 0;
    score.forEach((s, d) => {
      if (!s) return;
      let gap = d * 16 + s - last;
      last = d * 16 + s;
      while (gap >= 128) { out.push((gap & 127) | 128); gap = Math.floor(gap / 128); }
      out.push(gap);
    });
  }
  return { words: words.length, bytes: Buffer.from(out) };
}

// Opens the search page in a new context (empty cache), sharded (the
// manifest rewritten and the shards and chunks served as above) when
// `sharded`, saving data when `saveData`; waits `idle` ms once it is
// ready, then types `typed`. Returns the page, the index files it asked
// for (names, in order, with their query strings) and how many before the
// typing, the manifest (as written) and the first result's title.
async function searchWith(browser, typed, { sharded, saveData, idle, prefix } = {}) {
  const page = await browser.newPage();
  const fetched = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.includes("/search/data/") || u.pathname.endsWith("search-index.json")) {
      fetched.push(u.pathname.replace(/^.*\/search\/data\//, "") + u.search);
    }
  });
  // Fetched outside the page: neither rewritten nor counted.
  const manifest = await (await page.request.get(base + "search/data/manifest.json")).json();
  if (sharded) {
    const all = parts(await (await page.request.get(base + "search/data/" + manifest.all)).body());
    const list = prefix && prefixList(all.shards, manifest.docs, prefix.p, prefix.kind);
    if (list && list.words < 2) fail(`prefix list "${prefix.p}": only ${list.words} words`);
    await page.route("**/search/data/**", async (route) => {
      const name = new URL(route.request().url()).pathname.replace(/^.*\/search\/data\//, "");
      const shard = manifest.shards.findIndex((s) => s[3] === name);
      const chunk = /^d-(\d+)\.json$/.exec(name);
      if (name === "manifest.json") {
        const res = await route.fetch();
        const m = await res.json();
        delete m.all;
        if (list) m.prefixes = [[prefix.p, "p-test.bin"]];
        await route.fulfill({ response: res, body: JSON.stringify(m) });
      } else if (list && name === "p-test.bin") {
        await route.fulfill({ contentType: "application/octet-stream", body: list.bytes });
      } else if (shard >= 0) {
        await route.fulfill({ contentType: "application/octet-stream", body: all.shards[shard] });
      } else if (chunk && all.chunks[+chunk[1]]) {
        await route.fulfill({ contentType: "application/json", body: all.chunks[+chunk[1]] });
      } else {
        await route.continue();
      }
    });
  }
  if (saveData) {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "connection",
      { configurable: true, get: () => ({ saveData: true }) }));
  }
  await page.goto(base + "search/");
  await page.waitForFunction(() => /^Type to search/.test(document.getElementById("search-status").textContent));
  if (idle) await page.waitForTimeout(idle);
  const beforeTyping = fetched.length;
  await page.locator("#search-input").pressSequentially(typed, { delay: 30 });
  await page.waitForFunction(() => /result/.test(document.getElementById("search-status").textContent), null, { timeout: 5000 });
  const first = await page.locator("#search-results li a").first().textContent();
  return { page, fetched, beforeTyping, manifest, first };
}

// The files of `fetched` (query strings dropped) by kind; fails on any
// file fetched twice or that is not the manifest, the one file, a shard
// or a chunk.
function kinds(fetched, manifest, mode) {
  const got = { manifest: 0, all: 0, shards: [], chunks: [] };
  if (new Set(fetched).size !== fetched.length) fail(`${mode}: a file fetched twice: ${fetched}`);
  for (const f of fetched.map((p) => p.replace(/\?.*$/, ""))) {
    if (f === "manifest.json") got.manifest++;
    else if (f === manifest.all) got.all++;
    else if (manifest.shards.some((s) => s[3] === f)) got.shards.push(f);
    else if (/^d-\d+\.json$/.test(f)) got.chunks.push(f);
    else fail(`${mode}: fetched ${f}`);
  }
  if (got.manifest !== 1) fail(`${mode}: fetched the manifest ${got.manifest} times`);
  return got;
}

async function sharded(browser, mode) {
  const typed = "fenwi";
  const { page, fetched, manifest, first } = await searchWith(browser, typed, { sharded: true });
  if (!/Fenwick/i.test(first)) fail(`${mode}: the first result for "${typed}" is ${first}`);
  // Time for any other request, had one started, to show.
  await page.waitForTimeout(300);
  const shards = manifest.shards;
  const wanted = (s) => [...typed].some((_, i) => {
    const p = typed.slice(0, i + 1);
    return s[1] >= p && (s[0] <= p || s[0].startsWith(p));
  });
  const got = kinds(fetched, manifest, mode);
  if (got.all) fail(`${mode}: fetched the one file ${manifest.all}`);
  for (const f of got.shards) {
    const s = shards.find((x) => x[3] === f);
    if (!wanted(s)) fail(`${mode}: fetched ${f} (${s[0]}..${s[1]}), which cannot hold "${typed}"`);
  }
  if (!got.shards.length || !got.chunks.length) fail(`${mode}: fetched shards ${got.shards} and chunks ${got.chunks}`);
  if (shards.length < 2 || got.shards.length >= shards.length) {
    fail(`${mode}: fetched ${got.shards.length} of ${shards.length} shards`);
  }
  await page.close();
}

// Every result of the page's query (once all are shown) and its status.
async function allResults(page) {
  await page.waitForFunction(() => {
    const n = /^(\d+) results? for/.exec(document.getElementById("search-status").textContent);
    return n && document.querySelectorAll("#search-results li").length === Math.min(50, Number(n[1]));
  }, null, { timeout: 5000 });
  return page.evaluate(() => document.getElementById("search-status").textContent + "\n" +
    [...document.querySelectorAll("#search-results li a")].map((a) => a.getAttribute("href")).join("\n"));
}

async function prefixLists(browser) {
  for (const [p, kind] of [["c", 0], ["s", 1]]) {
    const mode = `prefix list "${p}" (encoding ${kind})`;
    const plain = await searchWith(browser, p, { sharded: true });
    const want = await allResults(plain.page);
    await plain.page.close();
    const { page, fetched, manifest } = await searchWith(browser, p, { sharded: true, prefix: { p, kind } });
    const got = await allResults(page);
    if (got !== want) fail(`${mode}: results differ from the shards':\n${got.slice(0, 300)}\n---\n${want.slice(0, 300)}`);
    const names = fetched.map((f) => f.replace(/\?.*$/, ""));
    if (!names.includes("p-test.bin")) fail(`${mode}: not fetched (${names})`);
    const shards = names.filter((f) => manifest.shards.some((s) => s[3] === f));
    if (shards.length) fail(`${mode}: fetched shards ${shards} as well`);
    await page.close();
  }
}

async function oneFile(browser, mode, opts) {
  const typed = "fenwi";
  const { page, fetched, beforeTyping, manifest, first } = await searchWith(browser, typed, opts);
  if (!/Fenwick/i.test(first)) fail(`${mode}: the first result for "${typed}" is ${first}`);
  if (!/^all-[0-9a-f]{16}\.bin$/.test(manifest.all)) fail(`${mode}: the manifest's one file is ${manifest.all}`);
  // Saving data: nothing but the manifest until the first query.
  if (opts.saveData && beforeTyping !== 1) fail(`${mode}: fetched ${fetched.slice(0, beforeTyping)} before the first query`);
  // Time for a second request of any file to show.
  await page.waitForTimeout(300);
  const got = kinds(fetched, manifest, mode);
  if (got.all !== 1 || got.shards.length || got.chunks.length) {
    fail(`${mode}: fetched ${fetched}, not the manifest and the one file`);
  }
  // Another query now needs no request.
  const before = fetched.length;
  await page.locator("#search-input").fill("respectfu");
  await page.waitForFunction(() => /\u201crespectfu\u201d/.test(document.getElementById("search-status").textContent), null, { timeout: 5000 });
  const again = await page.locator("#search-results li a").first().textContent();
  if (!/coaching handbook/i.test(again)) fail(`${mode}: the first result for "respectfu" is ${again}`);
  if (fetched.length !== before) fail(`${mode}: a second query fetched ${fetched.slice(before)}`);
  await page.close();
}

async function shardedSearch(browser) {
  await oneFile(browser, "search of a small index, one file", {});
  await oneFile(browser, "search of a small index saving data", { saveData: true, idle: 500 });
  await sharded(browser, "sharded search (an index over 4 MB)");
  await prefixLists(browser);
  // The header's box on another page: results as you type, from the same
  // files.
  const page = await browser.newPage();
  await page.goto(base + "notes/");
  await page.locator(".site-header .search-form input[type=search]").pressSequentially("respectfu", { delay: 30 });
  await page.locator(".site-header .search-suggest [role=option]").first().waitFor({ state: "visible", timeout: 5000 });
  const suggest = await page.locator(".site-header .search-suggest [role=option]").first().textContent();
  if (!/coaching handbook/i.test(suggest)) fail(`header search: the first result is ${suggest}`);
  await page.close();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const errors = [];
  const outside = [];
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol !== "data:" && u.hostname !== "127.0.0.1") outside.push(r.url());
  });

  // Dashboard with its charts.
  await page.goto(base);
  const charts = await page.locator("figure.chart svg").count();
  if (charts < 4) fail(`dashboard has ${charts} charts`);
  const scorecard = await page.locator("section[aria-labelledby=scorecard] .card").count();
  if (scorecard !== 4) fail(`scorecard has ${scorecard} cards`);
  if (shots) await page.screenshot({ path: `${shots}/dashboard-desktop.png`, fullPage: false });

  // Search by account name, open the result.
  await page.goto(base + "search/?q=fenwick");
  await page.waitForSelector("#search-results li a", { timeout: 5000 });
  const first = page.locator("#search-results li a").first();
  const text = await first.textContent();
  if (!/Fenwick/i.test(text)) fail(`first search result is ${text}`);
  await first.click();
  await page.waitForLoadState();
  if (!page.url().includes("/deals/")) fail(`search result opened ${page.url()}`);
  if (shots) await page.screenshot({ path: `${shots}/deal-desktop.png` });

  // Full text, typed: a word from deep in a handbook page's body, found by
  // its first letters; arrow down and Enter open the result.
  await page.goto(base + "search/");
  await page.waitForFunction(() => /^Type to search/.test(document.getElementById("search-status").textContent));
  await page.locator("#search-input").pressSequentially("respectfu", { delay: 20 });
  await page.waitForSelector("#search-results li a", { timeout: 5000 });
  const hit = await page.locator("#search-results li a").first().textContent();
  if (!/coaching handbook/i.test(hit)) fail(`full-text search found ${hit}`);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/pages\/coaching-handbook\/$/, { timeout: 5000 });
  // The query went into the search page's URL before the result was
  // followed, so Back returns to the same search.
  await page.goBack();
  if (!/\/search\/\?q=respectfu$/.test(page.url())) fail(`Back from a search result went to ${page.url()}`);
  // And it goes there once typing pauses.
  await page.goto(base + "search/");
  await page.waitForFunction(() => /^Type to search/.test(document.getElementById("search-status").textContent));
  await page.locator("#search-input").pressSequentially("fenwi", { delay: 20 });
  await page.waitForURL(/\/search\/\?q=fenwi$/, { timeout: 5000 }).catch(() => fail(`after typing, the search page's URL is ${page.url()}`));

  // A wikilink navigates.
  await page.goto(base + "pages/coaching-handbook/");
  const link = page.locator(".prose a.wikilink").first();
  const href = await link.getAttribute("href");
  await link.click();
  await page.waitForLoadState();
  if (!page.url().endsWith(href)) fail(`wikilink to ${href} went to ${page.url()}`);

  // The deal board: the dashboard's red-deal count opens it filtered to
  // those deals; a column sorts; the filter is in the URL.
  await page.goto(base);
  const redText = await page.locator('a[href$="deals/?risk=red"]').first().textContent();
  const red = parseInt(redText, 10);
  await page.locator('a[href$="deals/?risk=red"]').first().click();
  await page.waitForURL(/deals\/\?risk=red$/);
  await page.waitForSelector("#board-filter:not([hidden])");
  const board = await page.evaluate(() => {
    const rows = [...document.querySelectorAll("#board tbody tr")];
    const shown = rows.filter((r) => !r.hidden);
    return { total: rows.length, shown: shown.length, allRed: shown.every((r) => r.dataset.risk === "red"),
             risk: document.querySelector("#board-filter select[name=risk]").value };
  });
  if (board.shown !== red || !board.allRed || board.risk !== "red") {
    fail(`board filtered to red shows ${board.shown} (all red: ${board.allRed}) for a dashboard count of ${red}`);
  }
  await page.selectOption("#board-filter select[name=risk]", "");
  const all = await page.locator("#board tbody tr:not([hidden])").count();
  if (all !== board.total) fail(`board without a filter shows ${all} of ${board.total}`);
  if (!page.url().endsWith("/deals/")) fail(`clearing the filter left ${page.url()}`);
  await page.locator("#board thead th button.sort", { hasText: "Value" }).click();
  await page.locator("#board thead th button.sort", { hasText: "Value" }).click();
  const values = await page.evaluate(() => [...document.querySelectorAll("#board tbody tr")]
    .map((r) => Number(r.cells[4].dataset.value)));
  if (values.some((v, i) => i > 0 && values[i - 1] < v)) fail(`sorting by value descending gave ${values}`);
  if (shots) await page.screenshot({ path: `${shots}/deal-board-desktop.png` });

  // A team's stage bars (their data table) and its risk counts open the
  // board filtered to the team's deals of that stage, or of that risk.
  await page.goto(base + "teams/");
  await page.locator("table.data td.lead a").first().click();
  await page.waitForLoadState();
  for (const sel of ['figure.chart table a[href*="stage="]', '.card a[href*="risk=yellow"]']) {
    const link = page.locator(sel).first();
    const href = new URL(await link.getAttribute("href"), page.url());
    const want = Object.fromEntries(href.searchParams);
    // A chart's links are in its data table, behind "Data table".
    await link.evaluate((a) => { const d = a.closest("details"); if (d) d.open = true; });
    await link.click();
    await page.waitForSelector("#board-filter:not([hidden])");
    const got = await page.evaluate((want) => {
      const shown = [...document.querySelectorAll("#board tbody tr")].filter((r) => !r.hidden);
      const form = document.getElementById("board-filter");
      return {
        rows: shown.length,
        match: shown.every((r) => Object.entries(want).every(([k, v]) => r.dataset[k] === v)),
        fields: Object.keys(want).every((k) => form.elements[k].value === want[k]),
      };
    }, want);
    if (!got.match || !got.fields || (want.stage && !got.rows)) {
      fail(`${sel} of a team page opened the board with ${got.rows} rows (matching ${JSON.stringify(want)}: ${got.match}, in the form: ${got.fields})`);
    }
    await page.goBack();
  }

  // Coaching plan, pipeline review, dashboard, deal board and forecast
  // call, desktop and phone.
  const rep = await page.evaluate(async (b) => {
    const r = await fetch(b + "metrics.json");
    return Object.keys((await r.json()).reps)[0];
  }, base);
  for (const [name, width] of [["desktop", 1280], ["phone", 390]]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [what, path] of [["coaching-plan", `reps/${rep}/`], ["pipeline-review", `reps/${rep}/pipeline/`], ["dashboard", ""],
      ["deal-board", "deals/"], ["forecast", "forecast/"]]) {
      await page.goto(base + path);
      if (shots) await page.screenshot({ path: `${shots}/${what}-${name}.png` });
    }
  }

  // The prep sheet flags an overdue one-to-one, in words, visibly, with
  // the link to the cadence's definition (the example site has some).
  await page.setViewportSize({ width: 1280, height: 900 });
  const reps = await page.evaluate(async (b) => Object.keys((await (await fetch(b + "metrics.json")).json()).reps), base);
  let overdue = 0;
  for (const id of reps) {
    await page.goto(base + `reps/${id}/`);
    const flag = page.locator(".prep-sheet a.badge.risk-red", { hasText: /^Overdue by \d+ days?$/ });
    if (await flag.count()) {
      if (!(await flag.first().isVisible())) fail(`the overdue flag of ${id} is not visible`);
      if (!(await flag.first().getAttribute("href")).endsWith("metrics/#one-to-one-cadence")) fail(`the overdue flag of ${id} does not link the cadence's definition`);
      overdue++;
    }
  }
  if (!overdue) fail("no coaching plan flags an overdue one-to-one");

  // Printed for a one-to-one, a pipeline review or the forecast call: A4
  // portrait, no site chrome, nothing cut off at the right edge, every
  // chart drawn, the site title and the as-of date at the top of every
  // page (a page margin box, from the print style base.html writes).
  const asOf = await page.evaluate(async (b) => (await (await fetch(b + "metrics.json")).json()).as_of, base);
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: "print" });
  for (const [what, path] of [["coaching-plan", `reps/${rep}/`], ["pipeline-review", `reps/${rep}/pipeline/`], ["dashboard", ""],
    ["deal-board", "deals/"], ["forecast", "forecast/"]]) {
    await page.goto(base + path);
    const check = await page.evaluate(() => {
      const hidden = [".site-header", ".site-footer", ".search-form"]
        .filter((s) => document.querySelector(s))
        .filter((s) => getComputedStyle(document.querySelector(s)).display !== "none");
      const wide = [...document.querySelectorAll("main *")]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map((e) => e.tagName + "." + e.className);
      const charts = [...document.querySelectorAll("figure.chart svg")]
        .filter((svg) => svg.getBoundingClientRect().height < 20).length;
      const head = [...document.querySelectorAll('style[media="print"]')].map((s) => s.textContent).join(" ");
      return { shown: hidden, wide: wide.slice(0, 5), flatCharts: charts, h1: !!document.querySelector("main h1"), head };
    });
    if (!check.head.includes("@top-left") || !check.head.includes(`as of ${asOf}`)) fail(`${what} prints no title and as-of date on its pages: ${check.head}`);
    if (check.shown.length) fail(`${what} prints the site chrome: ${check.shown}`);
    if (check.wide.length) fail(`${what} is cut off when printed: ${check.wide}`);
    if (check.flatCharts) fail(`${what} prints ${check.flatCharts} empty charts`);
    if (!check.h1) fail(`${what} prints without its heading`);
    if (shots) {
      if (what === "coaching-plan" || what === "pipeline-review") await page.screenshot({ path: `${shots}/${what}-print.png`, fullPage: true });
      await page.pdf({ path: `${shots}/${what}.pdf`, format: "A4", printBackground: false });
    }
  }
  await page.emulateMedia({ media: "screen" });

  await shardedSearch(browser);

  if (errors.length) fail("console errors: " + errors.join(" | "));
  if (outside.length) fail("requests left 127.0.0.1: " + outside.join(", "));
  await browser.close();
  if (!process.exitCode) console.log("browser checks passed");
})().catch((e) => { console.error(e); process.exit(1); });
