// What changed (/changes/): filter the changes by team, rep, kind of
// change and text. The filter lives in the URL (`?change=slipped&team=East`),
// so a link can open the page filtered. Without this script every table
// is shown whole.
"use strict";
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

  const params = new URLSearchParams(location.search);
  for (const key of [...keys, "q"]) {
    const v = params.get(key);
    if (v === null) continue;
    const field = form.elements[key];
    if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === v)) {
      field.add(new Option(v, v)); // a filter that matches nothing still shows
    }
    field.value = v;
  }

  const count = document.getElementById("changes-count");
  function apply(push) {
    const want = {};
    for (const key of keys) want[key] = form.elements[key].value;
    const q = form.elements.q.value.trim().toLowerCase();
    let shown = 0;
    for (const r of rows) {
      const ok = keys.every((k) => !want[k] || r.dataset[k] === want[k]) &&
        (!q || r.textContent.toLowerCase().includes(q));
      r.hidden = !ok;
      if (ok) shown++;
    }
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
    count.textContent = `${shown} of ${rows.length} changes`;
    if (push) {
      const p = new URLSearchParams();
      for (const key of [...keys, "q"]) {
        const v = form.elements[key].value.trim();
        if (v) p.set(key, v);
      }
      const qs = p.toString();
      history.replaceState(null, "", qs ? `?${qs}` : location.pathname);
    }
  }
  form.addEventListener("input", () => apply(true));
  form.addEventListener("submit", (e) => e.preventDefault());
  form.hidden = false;
  apply(false);
})();
