// Search latency per keystroke in headless Chromium (includes one frame).
//   node tests/browser/search_bench.js BASE_URL   (with NODE_PATH to playwright-core)
const { chromium } = require("playwright-core");
(async () => {
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-background-networking"] });
  const p = await b.newPage();
  const t0 = Date.now();
  await p.goto(process.argv[2] + "search/");
  await p.waitForFunction(() => /^Type to search/.test(document.getElementById("search-status").textContent), null, { timeout: 30000 });
  console.log("index loaded and ready after", Date.now() - t0, "ms (from navigation)");
  const times = [];
  for (const q of ["a", "al", "ald", "alde", "alder", "aldergrove", "d", "di", "dis", "disc", "disco", "discovery c", "champion", "cfo budget", "x", "pen", "penetration test", "procurement three weeks"]) {
    const t = await p.evaluate(async (q) => {
      const input = document.getElementById("search-input");
      const t0 = performance.now();
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    }, q);
    times.push(t);
    if (process.env.VERBOSE) console.log(JSON.stringify(q), t.toFixed(1));
  }
  times.sort((a,b)=>a-b);
  console.log("per keystroke ms: median", times[Math.floor(times.length/2)].toFixed(1), "max", times[times.length-1].toFixed(1));
  console.log("results:", await p.locator("#search-results li").count());
  await b.close();
})();
