// A running job's page: poll its status every two seconds, move the bar and the counts,
// and reload the page when the job ends (without JavaScript, <noscript> refreshes it).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var shown = box.getAttribute("data-status");

  function set(selector, text) {
    var el = box.querySelector(selector);
    if (el) { el.textContent = text; }
  }

  function show(state) {
    if (state.finished || state.status !== shown) { window.location.reload(); return; }
    set(".job-status", state.status_label.charAt(0).toUpperCase() + state.status_label.slice(1));
    var bar = box.querySelector(".job-bar");
    if (bar && state.percent !== null) {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated", "w-100");
      bar.style.width = state.percent + "%";
      bar.parentNode.setAttribute("aria-valuenow", state.percent);
    }
    var counts = box.querySelector(".job-counts");
    if (counts && state.done) {
      counts.hidden = false;
      set(".job-done", state.done);
      if (state.total) { set(".job-total", state.total); }
    }
    var cancelling = box.querySelector(".job-cancelling");
    if (cancelling) { cancelling.hidden = !state.cancelling; }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) { show(state); } })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
})();
