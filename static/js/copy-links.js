/* Progressive: without JavaScript the links stay selectable in their read-only fields.
   Buttons .copy-link[data-target=<input id>] appear only where the clipboard works.
   A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only. */
(function () {
  var script = document.currentScript;
  var copied = (script && script.dataset.copied) || "OK";
  if (!navigator.clipboard) return;
  document.querySelectorAll(".copy-link").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.target);
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = copied;
      });
    });
  });
})();
