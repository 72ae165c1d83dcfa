// Search latency per keystroke in headless Chromium (includes one frame).
//   node tests/browser/search_bench.js BASE_URL   (with NODE_PATH to playwright-core)
const { chromium } = require("playwright-core");
(async () => {
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-background-networking"] });
  const p = await b.newPage();
  await p.goto("process.argv[2] + "search/"");
  await p.waitForTimeout(1500);
  const times = [];
  for (const q of ["a", "al", "ald", "alde", "alder", "aldergrove", "d", "di", "dis", "disc", "disco", "discovery c", "champion", "cfo budget", "x"]) {
    const t = await p.evaluate(async (q) => {
      const input = document.getElementById("search-input");
      const t0 = performance.now();
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    }, q);
    times.push(t);
  }
  times.sort((a,b)=>a-b);
  console.log("per keystroke ms: median", times[Math.floor(times.length/2)].toFixed(1), "max", times[times.length-1].toFixed(1));
  console.log("results:", await p.locator("#search-results li").count());
  await b.close();
})();
