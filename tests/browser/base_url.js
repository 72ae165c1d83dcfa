// The base_url attack in a real Chromium (issue #10, point 3).
//
// 1. The threat is real in this browser: a page on 127.0.0.1 with
//    `<script src="/\evil.example/search.js">` makes Chromium request the
//    script from evil.example (intercepted here, never sent). coachbook
//    refuses such a base_url (`.ci/run` checks the exit code).
// 2. A site served under a sub-path (`base_url` with a path) loads every
//    script, style sheet, image and link from its own origin, and no
//    request leaves 127.0.0.1.
//
//   node tests/browser/base_url.js SERVE_URL
"use strict";
const { chromium } = require("playwright-core");

const base = process.argv[2];
const fail = (msg) => { console.error("FAIL: " + msg); process.exitCode = 1; };

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  const outside = [];
  await page.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === "data:" || u.hostname === "127.0.0.1") return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });

  // 1. What a backslash in the base path would do.
  await page.goto(base);
  await page.setContent('<script src="/\\evil.example/search.js"></script>');
  await page.waitForTimeout(200);
  if (!outside.some((u) => new URL(u).hostname === "evil.example")) {
    fail("Chromium did not resolve /\\evil.example to another host; the check below proves nothing");
  }
  outside.length = 0;

  // 2. The site under a sub-path: everything from its own origin.
  const origin = new URL(base).origin;
  const prefix = new URL(base).pathname;
  const pages = ["", "search/?q=fenwick", "deals/", "forecast/", "definitions/"];
  const rep = await page.evaluate(async (b) => {
    const r = await fetch(b + "metrics.json");
    return Object.keys((await r.json()).reps)[0];
  }, base);
  pages.push(`reps/${rep}/`, `reps/${rep}/pipeline/`);
  for (const p of pages) {
    await page.goto(base + p);
    await page.waitForLoadState("networkidle");
    const wrong = await page.evaluate(([origin, prefix]) => {
      const urls = [];
      for (const e of document.querySelectorAll("script[src], link[href], img[src], a[href], form[action]")) {
        const raw = e.getAttribute("src") || e.getAttribute("href") || e.getAttribute("action") || "";
        const u = new URL(raw, document.baseURI);
        if (/^(mailto|tel|data):/.test(u.href) || raw.startsWith("#")) continue;
        // Links to other sites are allowed only as links, and written in full.
        if (e.tagName === "A" && /^https?:\/\//.test(raw)) continue;
        if (u.origin !== origin || !u.pathname.startsWith(prefix)) urls.push(`${e.tagName} ${raw}`);
      }
      return urls;
    }, [origin, prefix]);
    if (wrong.length) fail(`${p || "dashboard"} refers outside ${prefix}: ${wrong.slice(0, 5).join(", ")}`);
  }
  // The header search under the sub-path: its index and its results are
  // the site's own; Enter without a pick opens the search page there.
  await page.goto(base + "deals/");
  await page.locator(".site-header .search-form input[type=search]").pressSequentially("fenwi", { delay: 20 });
  try {
    await page.locator(".site-header .search-suggest [role=option]").first().waitFor({ state: "visible", timeout: 5000 });
    const hrefs = await page.locator(".site-header .search-suggest [role=option]").evaluateAll((els) => els.map((e) => e.dataset.href));
    const off = hrefs.filter((h) => !h.startsWith(prefix));
    if (off.length) fail(`header search results outside ${prefix}: ${off.join(", ")}`);
    if (!hrefs.some((h) => h.startsWith(prefix + "deals/fenwick"))) fail(`header search results ${hrefs.join(", ")}`);
  } catch (e) {
    fail("the header search shows no results under a sub-path: " + e.message);
  }
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === prefix + "search/" && u.search === "?q=fenwi", { timeout: 5000 }).catch(() => fail(`Enter in the header search went to ${page.url()}`));
  if (outside.length) fail("requests left 127.0.0.1: " + outside.join(", "));
  await browser.close();
  if (!process.exitCode) console.log("base_url checks passed");
})().catch((e) => { console.error(e); process.exit(1); });
