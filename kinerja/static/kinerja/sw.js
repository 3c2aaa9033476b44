// The service worker of the installable web app (docs/rules.md §35), served at /sw.js by
// kinerja/dashboard/pwa.py so that it controls every page.
// - /static/ files: cache first (their names change with their content in production).
// - pages: network first; when the network fails, the offline page ("Anda sedang luring").
// - nothing else is cached: no POST answer, no page or JSON of a signed-in user but the offline page,
//   which carries no user data.
"use strict";

var VERSI = "kinerja-1";
var STATIK = VERSI + "-statik";
var HALAMAN = VERSI + "-halaman";
var LURING = "/luring/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(HALAMAN).then(function (cache) { return cache.add(new Request(LURING, { cache: "reload" })); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (nama) {
      return Promise.all(nama.filter(function (n) { return n.indexOf(VERSI + "-") !== 0; })
        .map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return; // POSTs go straight to the network and are never cached
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.open(STATIK).then(function (cache) {
        return cache.match(req).then(function (ada) {
          if (ada) return ada;
          return fetch(req).then(function (resp) {
            if (resp.ok && resp.type === "basic") cache.put(req, resp.clone());
            return resp;
          });
        });
      })
    );
    return;
  }

  if (req.mode === "navigate") {
    event.respondWith(
      fetch(req).catch(function () {
        return caches.open(HALAMAN).then(function (cache) { return cache.match(LURING); })
          .then(function (luring) {
            return luring || new Response("Anda sedang luring.", {
              status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
            });
          });
      })
    );
  }
  // Everything else (htmx fragments, the API's JSON, files behind a permission check): the network only.
});
