// The one-pass rating form (docs/rules.md §33): Ctrl+Enter (⌘+Enter) saves it, as its "Simpan" button.
// A static file bound by a data attribute: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var target = event.target instanceof Element ? event.target : null;
    var form = target ? target.closest("form[data-menilai]") : null;
    if (!form) return;
    event.preventDefault();
    var tombol = form.querySelector("[data-simpan]");
    if (form.requestSubmit) {
      form.requestSubmit(tombol || undefined);
    } else if (tombol) {
      tombol.click();
    }
  });
})();
