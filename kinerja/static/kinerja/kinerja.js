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

  // A tree table (the unit tree): every row carries data-pohon-path (its materialised path, "/1/5/"); a
  // <button data-pohon aria-expanded hx-get=… hx-trigger="pohon-buka" hx-target="closest tr"
  // hx-swap="afterend"> opens its row by asking htmx for the rows right below, and closes it by removing
  // every row below it (they follow it in tree order). One request at a time per button (aria-busy).
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var tombol = target ? target.closest("[data-pohon]") : null;
    if (!tombol || tombol.getAttribute("aria-busy") === "true") return;
    var baris = tombol.closest("tr");
    var path = baris.getAttribute("data-pohon-path");
    if (tombol.getAttribute("aria-expanded") === "true") {
      var berikut = baris.nextElementSibling;
      while (berikut) {
        var p = berikut.getAttribute("data-pohon-path") || "";
        if (p === path || p.indexOf(path) !== 0) break;
        var hapus = berikut;
        berikut = berikut.nextElementSibling;
        hapus.remove();
      }
      tombol.setAttribute("aria-expanded", "false");
    } else if (window.htmx) {
      tombol.setAttribute("aria-expanded", "true");
      tombol.setAttribute("aria-busy", "true");
      window.htmx.trigger(tombol, "pohon-buka");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var tombol = event.detail && event.detail.elt;
    if (!(tombol instanceof Element) || !tombol.hasAttribute("data-pohon")) return;
    tombol.removeAttribute("aria-busy");
    if (!event.detail.successful) tombol.setAttribute("aria-expanded", "false");
  });

  // <input data-pilih-saat-fokus>: select the whole value when focused (a token to copy).
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-pilih-saat-fokus")) {
      target.select();
    }
  });

  // <input type="checkbox" data-pilih-semua="NAME">: checks or clears every checkbox named NAME of its form.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || !target.hasAttribute("data-pilih-semua") || !target.form) return;
    var nama = target.getAttribute("data-pilih-semua");
    target.form.querySelectorAll('input[type="checkbox"]').forEach(function (kotak) {
      if (kotak.name === nama) kotak.checked = target.checked;
    });
  });
})();
