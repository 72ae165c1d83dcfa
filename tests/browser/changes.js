// /changes/ in headless Chromium, on the site tests/browser/history_site.sh
// makes (three deals changed in the week compared): every change is
// listed; the filter in the URL (`?change=slipped`) shows only that kind,
// hides the teams and reps left empty and says how many (filter.js, the
// code the deal board shares); choosing "All" again shows every row and
// clears the URL.
//
//   node tests/browser/changes.js BASE_URL   (with NODE_PATH to playwright-core)
const { chromium } = require("playwright-core");

const base = process.argv[2];
function fail(msg) {
  console.error("FAIL: " + msg);
  process.exitCode = 1;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  await page.goto(base + "changes/");
  await page.waitForSelector("#changes-filter:not([hidden])");
  const kinds = await page.evaluate(() =>
    [...document.querySelectorAll("table.changes tbody tr")].map((r) => r.dataset.change).sort());
  if (kinds.join(" ") !== "slipped stage value") fail(`the changes listed are ${kinds.join(", ")}`);

  for (const kind of ["slipped", "stage", "value"]) {
    await page.goto(base + "changes/?change=" + kind);
    await page.waitForSelector("#changes-filter:not([hidden])");
    const got = await page.evaluate((kind) => {
      const rows = [...document.querySelectorAll("table.changes tbody tr")];
      const shown = rows.filter((r) => !r.hidden);
      const visible = (el) => !el.closest("[hidden]");
      const emptyShown = [...document.querySelectorAll("section.change-team, section.change-team .table-wrap")]
        .some((el) => visible(el) && ![...el.querySelectorAll("tbody tr")].some((r) => !r.hidden));
      return { total: rows.length, shown: shown.length, match: shown.every((r) => r.dataset.change === kind),
               count: document.getElementById("changes-count").textContent, emptyShown,
               field: document.querySelector("#changes-filter select[name=change]").value };
    }, kind);
    if (got.shown !== 1 || !got.match || got.emptyShown || got.field !== kind ||
        got.count !== `1 of ${got.total} changes`) {
      fail(`changes filtered to ${kind}: ${JSON.stringify(got)}`);
    }
  }
  await page.selectOption("#changes-filter select[name=change]", "");
  const all = await page.locator("table.changes tbody tr:not([hidden])").count();
  if (all !== 3) fail(`without a filter ${all} changes show`);
  if (!page.url().endsWith("/changes/")) fail(`clearing the filter left ${page.url()}`);

  if (errors.length) fail("console errors: " + errors.join(" | "));
  await browser.close();
  if (!process.exitCode) console.log("changes page checks passed");
})().catch((e) => { console.error(e); process.exit(1); });
