// The deal board (/deals/): filter by owner, team, stage, risk, close
// quarter and text, and sort by a column. The filter lives in the URL
// (`?risk=red&team=Mid-Market`), so a number elsewhere on the site can
// link to the deals behind it. Without this script the table is complete.
"use strict";
(function () {
  const table = document.getElementById("board");
  const form = document.getElementById("board-filter");
  if (!table || !form) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const keys = ["owner", "team", "stage", "risk", "quarter"];

  // Fill each select with the values present, labelled as the table shows them.
  const labelOf = {
    owner: (r) => r.cells[1].textContent.trim(),
    team: (r) => r.cells[2].textContent.trim(),
    stage: (r) => r.cells[5].textContent.trim(),
    risk: (r) => r.dataset.risk,
    quarter: (r) => r.dataset.quarter,
  };
  for (const key of keys) {
    const select = form.elements[key];
    const seen = new Map();
    for (const r of rows) {
      const v = r.dataset[key];
      if (v && !seen.has(v)) seen.set(v, labelOf[key](r) || v);
    }
    for (const [v, label] of [...seen].sort((a, b) => a[1].localeCompare(b[1]))) {
      select.add(new Option(label, v));
    }
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

  const count = document.getElementById("board-count");
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
    count.textContent = `${shown} of ${rows.length} open deals`;
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

  // Sort by a column: click (or Enter) a header; again to reverse.
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((th, i) => {
    const kind = th.dataset.sort;
    if (!kind) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", () => {
      const up = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      const value = (r) => {
        const c = r.cells[i];
        return kind === "num" ? Number(c.dataset.value ?? c.textContent) : c.textContent.trim().toLowerCase();
      };
      const sorted = rows.slice().sort((a, b) => {
        const x = value(a), y = value(b);
        const c = kind === "num" ? x - y : x.localeCompare(y);
        return up ? c : -c;
      });
      for (const r of sorted) body.appendChild(r);
    });
  });
})();
