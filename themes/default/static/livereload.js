// coachbook serve: reloads the page once a rebuild has fully finished, and
// shows an overlay while a note has errors. Only in pages `serve` builds.
(function () {
  "use strict";
  var base = document.documentElement.getAttribute("data-base") || "/";
  var version = null;
  var overlay = null;

  function showErrors(errors) {
    if (!errors || errors.length === 0) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "coachbook-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
        "background:#2b0b0b;color:#fff;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;" +
        "padding:12px 16px;z-index:2147483647;box-shadow:0 -4px 16px rgba(0,0,0,.35)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var h = document.createElement("strong");
    h.textContent = errors.length === 1 ? "1 problem: the last good version of the page is shown"
      : errors.length + " problems: the last good version of the pages is shown";
    overlay.appendChild(h);
    errors.forEach(function (e) {
      var p = document.createElement("div");
      p.className = "coachbook-error";
      p.style.marginTop = "6px";
      p.textContent = e.file + (e.line ? ":" + e.line : "") + "  " + e.message;
      overlay.appendChild(p);
    });
  }

  function connect() {
    var es = new EventSource(base + "__coachbook/events");
    es.onmessage = function (ev) {
      var state;
      try { state = JSON.parse(ev.data); } catch (e) { return; }
      if (version !== null && state.version !== version) {
        location.reload();
        return;
      }
      version = state.version;
      showErrors(state.errors);
    };
    es.onerror = function () {
      es.close();
      setTimeout(connect, 1000);
    };
  }
  if (window.EventSource) { connect(); }
})();
