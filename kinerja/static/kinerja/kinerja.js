// Small behaviours of the pages, bound by data attributes: the Content-Security-Policy allows no inline script
// (docs/rules.md §24.3), so no template carries onclick=/onsubmit= handlers.
(function () {
  "use strict";

  // <form data-konfirmasi="Pertanyaan?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var pertanyaan = form instanceof HTMLFormElement ? form.getAttribute("data-konfirmasi") : null;
    if (pertanyaan && !window.confirm(pertanyaan)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    // <button data-salin="id-of-input">: copy the input's value to the clipboard.
    var salin = target.closest("[data-salin]");
    if (salin) {
      var input = document.getElementById(salin.getAttribute("data-salin"));
      if (!input) return;
      input.select();
      var selesai = function () { salin.textContent = "Tersalin"; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value).then(selesai);
      } else {
        document.execCommand("copy");
        selesai();
      }
      return;
    }

    // <button data-buka-semua="#pohon" data-buka="true|false">: open or close every <details> inside.
    var buka = target.closest("[data-buka-semua]");
    if (buka) {
      var terbuka = buka.getAttribute("data-buka") === "true";
      document.querySelectorAll(buka.getAttribute("data-buka-semua") + " details").forEach(function (d) {
        d.open = terbuka;
      });
    }
  });

  // <input data-pilih-saat-fokus>: select the whole value when focused (a token to copy).
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-pilih-saat-fokus")) {
      target.select();
    }
  });
})();
