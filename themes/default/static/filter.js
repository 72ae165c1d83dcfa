// A filter form over table rows, shared by the deal board (board.js) and
// what changed (changes.js): the build puts this file at the start of
// each. The filter lives in the URL (`?team=East&q=acme`), so a link can
// open a page filtered. Each of `keys` is a select matched against the
// row's `data-KEY`; `q` is text matched anywhere in the row. After each
// filtering, `shown(n)` gets the number of rows left. Without the script
// every table is shown whole.
"use strict";
function tableFilter(form, rows, keys, shown) {
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

  function apply(push) {
    const want = {};
    for (const key of keys) want[key] = form.elements[key].value;
    const q = form.elements.q.value.trim().toLowerCase();
    let n = 0;
    for (const r of rows) {
      const ok = keys.every((k) => !want[k] || r.dataset[k] === want[k]) &&
        (!q || r.textContent.toLowerCase().includes(q));
      r.hidden = !ok;
      if (ok) n++;
    }
    shown(n);
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
}
