// What changed (/changes/): filter the changes by team, rep, kind of
// change and text. The filter lives in the URL (`?change=slipped&team=East`),
// so a link can open the page filtered (filter.js). Without this script
// every table is shown whole.
(function () {
  const form = document.getElementById("changes-filter");
  if (!form) return;
  const rows = Array.from(document.querySelectorAll("table.changes tbody tr"));
  const keys = ["team", "rep", "change"];

  // Fill the team and rep selects with the values present.
  for (const key of ["team", "rep"]) {
    const select = form.elements[key];
    const seen = [...new Set(rows.map((r) => r.dataset[key]).filter(Boolean))];
    for (const v of seen.sort((a, b) => a.localeCompare(b))) select.add(new Option(v, v));
  }

  const count = document.getElementById("changes-count");
  tableFilter(form, rows, keys, (n) => {
    // A rep's heading and table, and a team's section, go when empty.
    for (const wrap of document.querySelectorAll("section.change-team .table-wrap")) {
      const any = [...wrap.querySelectorAll("tbody tr")].some((r) => !r.hidden);
      wrap.hidden = !any;
      const h = wrap.previousElementSibling;
      if (h && h.tagName === "H4") h.hidden = !any;
    }
    for (const team of document.querySelectorAll("section.change-team")) {
      team.hidden = ![...team.querySelectorAll("tbody tr")].some((r) => !r.hidden);
    }
    count.textContent = `${n} of ${rows.length} changes`;
  });
})();
