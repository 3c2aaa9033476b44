// The installable web app on the pegawai's phone (docs/rules.md §35): registers the service worker, and keeps
// the offline queue. A form marked <form data-antrean="catatan|realisasi" data-antrean-judul="…"> that
// cannot reach the server (the phone is offline, or the request fails on the network) is stored in
// IndexedDB with a client key, shown as "Menunggu dikirim (n)" in #antrean, and sent in order when the phone
// is back online (the `online` event, and each page load), with the CSRF token. The server answers JSON to
// a queued send (header X-Antrean-Luring): 2xx sent; 4xx refused (kept as "gagal" to open or discard);
// 5xx or no network: kept for the next try; a redirect to the login page: kept, and the user is asked to
// sign in. A catatan carries kunci_klien, so sending it again never makes a second one; a realisasi is the
// value of its (indikator, periode), so sending it again changes nothing.
(function () {
  "use strict";

  var body = document.body;
  if ("serviceWorker" in navigator && body.getAttribute("data-sw")) {
    navigator.serviceWorker.register(body.getAttribute("data-sw"), { scope: "/" }).catch(function () {});
  }
  if (!("indexedDB" in window)) return;

  // The offline page carries no user data: it shows the queue of the account last signed in on this
  // browser, and sends nothing (the next page load does).
  var luring = body.hasAttribute("data-luring");
  var pengguna = body.getAttribute("data-pengguna") || "";
  try {
    if (luring) pengguna = localStorage.getItem("kinerja-pengguna") || "";
    else if (pengguna) localStorage.setItem("kinerja-pengguna", pengguna);
    else localStorage.removeItem("kinerja-pengguna");
  } catch (e) { /* storage refused: the queue still works on the signed-in pages */ }
  var DB = "kinerja-antrean";
  var STORE = "isian";
  var sedangKirim = false;
  var pesanStatus = "";

  function buka() {
    return new Promise(function (ok, gagal) {
      var r = indexedDB.open(DB, 1);
      r.onupgradeneeded = function () { r.result.createObjectStore(STORE, { keyPath: "urut", autoIncrement: true }); };
      r.onsuccess = function () { ok(r.result); };
      r.onerror = function () { gagal(r.error); };
    });
  }

  function transaksi(mode, kerja) {
    return buka().then(function (db) {
      return new Promise(function (ok, gagal) {
        var tx = db.transaction(STORE, mode);
        var hasil = kerja(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); ok(hasil && hasil.result !== undefined ? hasil.result : hasil); };
        tx.onerror = function () { db.close(); gagal(tx.error); };
      });
    });
  }

  // Only this account's items: on a shared phone another user's queue is neither shown nor sent as theirs.
  function semua() {
    return transaksi("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return items.filter(function (i) { return i.pengguna === pengguna; });
    });
  }
  function simpan(item) { return transaksi("readwrite", function (s) { return s.put(item); }); }
  function buang(urut) { return transaksi("readwrite", function (s) { return s.delete(urut); }); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function tokenCsrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function antrekan(form) {
    var jenis = form.getAttribute("data-antrean");
    var data = [];
    new FormData(form).forEach(function (nilai, nama) {
      if (nama === "csrfmiddlewaretoken") return; // the token of the moment of sending is used
      if (typeof nilai !== "string" && (!nilai.name || !nilai.size)) return; // no file chosen
      data.push([nama, nilai]);
    });
    var kunci = uuid();
    if (jenis === "catatan") data.push(["kunci_klien", kunci]);
    var item = {
      kunci: kunci, pengguna: pengguna, jenis: jenis, url: form.getAttribute("action") || location.pathname,
      halaman: location.pathname + location.search, judul: form.getAttribute("data-antrean-judul") || jenis,
      ringkas: ringkasan(form), data: data, dibuat: new Date().toISOString(), status: "menunggu", pesan: ""
    };
    return simpan(item).then(function () {
      pesanStatus = "Anda sedang luring: isian disimpan di perangkat ini dan dikirim otomatis saat tersambung.";
      form.reset();
      return tampilkan();
    });
  }

  function ringkasan(form) {
    var teks = form.querySelector("textarea, input[type=text], input[inputmode=decimal]");
    var v = teks ? teks.value.trim() : "";
    return v.length > 80 ? v.slice(0, 77) + "…" : v;
  }

  function kirimSatu(item) {
    var fd = new FormData();
    item.data.forEach(function (p) { fd.append(p[0], p[1]); });
    return fetch(item.url, {
      method: "POST", body: fd, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": tokenCsrf(), "X-Antrean-Luring": "1", "Accept": "application/json" }
    }).then(function (resp) {
      if (resp.type === "opaqueredirect" || (resp.status >= 300 && resp.status < 400)) return "masuk";
      if (resp.ok) return buang(item.urut).then(function () { return "terkirim"; });
      if (resp.status >= 400 && resp.status < 500) {
        return resp.text().then(function (teks) {
          var j = {};
          try { j = JSON.parse(teks); } catch (e) {
            // Django's CSRF refusal (no CSRF cookie any more: signed out, cookies cleared): sign in again.
            if (resp.status === 403 && teks.indexOf("CSRF") !== -1) return "masuk";
          }
          item.status = "gagal";
          item.pesan = (j && j.pesan) || ("ditolak server (" + resp.status + ")");
          return simpan(item).then(function () { return "gagal"; });
        });
      }
      return "nanti"; // 5xx: the server will be back
    }, function () { return "nanti"; });
  }

  function kirim() {
    if (sedangKirim || luring || !navigator.onLine || !pengguna) return Promise.resolve();
    sedangKirim = true;
    var terkirim = 0;
    return semua().then(function (items) {
      var menunggu = items.filter(function (i) { return i.status === "menunggu"; });
      var lanjut = function (n) {
        if (n >= menunggu.length) return null;
        return kirimSatu(menunggu[n]).then(function (hasil) {
          if (hasil === "terkirim") terkirim += 1;
          if (hasil === "masuk") {
            pesanStatus = "Sesi Anda telah berakhir. Masuk lagi untuk mengirim isian yang menunggu; isian tetap tersimpan di perangkat ini.";
            return null;
          }
          if (hasil === "nanti") return null; // in order: the rest waits for the next try
          return lanjut(n + 1);
        });
      };
      return lanjut(0);
    }).then(function () {
      if (terkirim) pesanStatus = terkirim + " isian dari antrean luring terkirim. Muat ulang halaman untuk melihatnya.";
    }).catch(function () {}).then(function () {
      sedangKirim = false;
      return tampilkan();
    });
  }

  function el(tag, kelas, teks) {
    var e = document.createElement(tag);
    if (kelas) e.className = kelas;
    if (teks !== undefined) e.textContent = teks;
    return e;
  }

  function tampilkan() {
    var wadah = document.getElementById("antrean");
    if (!wadah) return Promise.resolve();
    return semua().then(function (items) {
      wadah.textContent = "";
      if (!items.length && !pesanStatus) { wadah.classList.add("d-none"); return; }
      wadah.classList.remove("d-none");
      if (pesanStatus) wadah.appendChild(el("div", "small mb-1", pesanStatus)).setAttribute("role", "status");
      if (!items.length) return;
      var menunggu = items.filter(function (i) { return i.status === "menunggu"; }).length;
      var det = el("details", "antrean-daftar");
      var ringkas = el("summary", "small");
      if (menunggu) ringkas.appendChild(el("span", "badge text-bg-warning antrean-lencana me-1", "Menunggu dikirim (" + menunggu + ")"));
      var gagal = items.length - menunggu;
      if (gagal) ringkas.appendChild(el("span", "badge text-bg-danger", "Gagal (" + gagal + ")"));
      det.appendChild(ringkas);
      var ul = el("ul", "list-unstyled small mb-0 mt-1");
      items.forEach(function (i) {
        var li = el("li", "border-top py-1");
        li.appendChild(el("div", "fw-semibold", i.judul));
        if (i.ringkas) li.appendChild(el("div", "text-muted", i.ringkas));
        li.appendChild(el("div", i.status === "gagal" ? "text-danger" : "text-muted",
          i.status === "gagal" ? "gagal: " + i.pesan : "menunggu dikirim, dicatat " + new Date(i.dibuat).toLocaleString("id-ID")));
        if (i.status === "gagal") {
          var isi = el("details");
          isi.appendChild(el("summary", "", "Buka isian"));
          var dl = el("dl", "mb-1");
          i.data.forEach(function (p) {
            if (p[0] === "kunci_klien" || /-?versi$/.test(p[0]) || typeof p[1] !== "string" || !p[1]) return;
            dl.appendChild(el("dt", "fw-normal text-muted", p[0].replace(/^i\d+-/, "")));
            dl.appendChild(el("dd", "mb-1", p[1]));
          });
          isi.appendChild(dl);
          var a = el("a", "btn btn-sm btn-outline-secondary me-2", "Buka halamannya");
          a.href = i.halaman;
          isi.appendChild(a);
          var b = el("button", "btn btn-sm btn-outline-danger", "Buang");
          b.type = "button";
          b.setAttribute("data-antrean-buang", i.urut);
          isi.appendChild(b);
          li.appendChild(isi);
        }
        ul.appendChild(li);
      });
      det.appendChild(ul);
      wadah.appendChild(det);
    }).catch(function () {});
  }

  // Offline at submit: keep the form in the queue instead of letting htmx or the browser try (capture phase,
  // before htmx's own listener on the form).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-antrean") || navigator.onLine) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    antrekan(form);
  }, true);

  // Online but the request never reached the server: keep it, too.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail && event.detail.elt;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-antrean")) antrekan(form);
  });

  document.addEventListener("click", function (event) {
    var t = event.target instanceof Element ? event.target.closest("[data-antrean-buang]") : null;
    if (!t || !window.confirm("Buang isian ini dari antrean? Isian tidak akan dikirim.")) return;
    buang(Number(t.getAttribute("data-antrean-buang"))).then(tampilkan);
  });

  window.addEventListener("online", function () { kirim(); });
  window.addEventListener("offline", function () {
    pesanStatus = "Anda sedang luring. Catatan kegiatan dan realisasi yang disimpan akan dikirim saat tersambung.";
    tampilkan();
  });

  // For the browser tests: the queue's few operations.
  window.KinerjaAntrean = { kirim: kirim, semua: semua, simpan: simpan, tampilkan: tampilkan };

  tampilkan().then(kirim);
})();
