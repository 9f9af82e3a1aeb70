/* Switching language keeps what was typed: before the language form is sent, the page's
   other forms are written to sessionStorage (this tab only); the page in the new language
   puts the values back and forgets them. Passwords, files and the CSRF token are never kept. */
(function () {
  "use strict";
  var KEY = "birgemiz-keep:" + location.pathname;
  var SKIP = { password: 1, file: 1, hidden: 1, submit: 1, button: 1, reset: 1 };
  var FRESH_MS = 60 * 1000; // what was kept is put back only on the page that follows the switch

  function fields() {
    var out = [];
    document.querySelectorAll("form").forEach(function (form) {
      if (form.classList.contains("lang-switch") || (form.method || "").toLowerCase() !== "post") return;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && !SKIP[el.type] && el.name !== "csrfmiddlewaretoken") out.push(el);
      });
    });
    return out;
  }

  function save() {
    var kept = fields().map(function (el) {
      if (el.type === "checkbox" || el.type === "radio") return [el.name, el.value, el.checked];
      if (el.tagName === "SELECT" && el.multiple) {
        return [el.name, Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; }), null];
      }
      return [el.name, el.value, null];
    });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ at: Date.now(), fields: kept }));
    } catch (e) { /* storage off: nothing kept */ }
  }

  function restore() {
    var raw;
    try { raw = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (e) { return; }
    if (!raw) return;
    var kept = JSON.parse(raw);
    if (!kept.at || Date.now() - kept.at > FRESH_MS) return;
    var byName = {};
    kept.fields.forEach(function (item) { (byName[item[0]] = byName[item[0]] || []).push(item); });
    fields().forEach(function (el) {
      var items = byName[el.name];
      if (!items) return;
      if (el.type === "checkbox" || el.type === "radio") {
        items.forEach(function (item) { if (item[1] === el.value) el.checked = item[2]; });
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = items[0][1].indexOf(o.value) >= 0; });
      } else {
        el.value = items.shift()[1];
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    restore();
    document.querySelectorAll("form.lang-switch").forEach(function (form) {
      form.addEventListener("submit", save);
    });
  });
})();
