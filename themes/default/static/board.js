// The deal board (/deals/): filter by owner, team, stage, risk, close
// quarter and text, and sort by a column. The filter lives in the URL
// (`?risk=red&team=Mid-Market`), so a number elsewhere on the site can
// link to the deals behind it (filter.js). Without this script the table
// is complete.
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

  const count = document.getElementById("board-count");
  tableFilter(form, rows, keys, (n) => {
    count.textContent = `${n} of ${rows.length} open deals`;
  });

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
