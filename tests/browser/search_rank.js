// Compares the results of two builds of the same site in headless
// Chromium: each query is typed into the search page of both, and the
// result links (in order), the result count and the status line must be
// the same. Made to check that the sharded index (format 3) ranks exactly
// as the single-file index before it; not part of CI (it needs a build of
// the old version).
//
//   node tests/browser/search_rank.js OLD_BASE_URL NEW_BASE_URL [QUERY...]
"use strict";
const { chromium } = require("playwright-core");

const [oldBase, newBase, ...given] = process.argv.slice(2);
const QUERIES = given.length ? given : [
  "a", "d", "p", "x", "fe", "fenwick", "fenwick renewal", "respectfu", "champion",
  "discovery c", "cfo budget", "pen", "procurement three weeks", "coaching", "deal",
  "meddpicc", "ana", "ana silva", "q3", "2026", "forecast commit", "objection",
  "pricing", "security review", "next step", "zzzz", "the", "negot", "talk track",
  "renewal risk", "call", "debrief", "acme", "team", "one-to-one",
];

async function results(page, base, q) {
  await page.goto(base + "search/?q=" + encodeURIComponent(q));
  // Answered, and every result shown (the first ones come before the rest).
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    if (/No results|Type to search/.test(s)) return true;
    const n = /^(\d+) results? for/.exec(s);
    return n && document.querySelectorAll("#search-results li").length === Math.min(50, Number(n[1]));
  }, null, { timeout: 20000 });
  return page.evaluate(() => ({
    status: document.getElementById("search-status").textContent,
    links: [...document.querySelectorAll("#search-results li a")].map((a) => a.getAttribute("href")),
    snippets: [...document.querySelectorAll("#search-results li")].map((li) => li.textContent),
  }));
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const page = await browser.newPage();
  let same = 0;
  for (const q of QUERIES) {
    const a = await results(page, oldBase, q);
    const b = await results(page, newBase, q);
    const ok = a.status === b.status && JSON.stringify(a.links) === JSON.stringify(b.links) &&
      JSON.stringify(a.snippets) === JSON.stringify(b.snippets);
    if (ok) same++;
    else {
      process.exitCode = 1;
      console.log(`DIFFERENT ${JSON.stringify(q)}:\n  old ${a.status} ${a.links.slice(0, 8).join(" ")}\n  new ${b.status} ${b.links.slice(0, 8).join(" ")}`);
    }
    if (process.env.VERBOSE) console.log(JSON.stringify(q), a.status);
  }
  console.log(`${same} of ${QUERIES.length} queries give the same results`);
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
