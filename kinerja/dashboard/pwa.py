"""The installable web app (docs/rules.md §35): its manifest, the service worker served from the site root
(a worker controls only the paths below its own URL) and the page shown when the phone is offline."""

from __future__ import annotations

import json

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache

WARNA_TEMA = "#0b4f6c"  # the navbar (kinerja.css --kinerja-primary)


@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest; icon URLs resolved per request (hashed names exist after collectstatic)."""
    data = {
        "name": "Kinerja ASN",
        "short_name": "Kinerja",
        "description": "Pengelolaan kinerja pegawai ASN sesuai PermenPANRB No. 6 Tahun 2022.",
        "lang": "id",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": WARNA_TEMA,
        "background_color": "#f5f7f9",
        "icons": [
            {"src": static("kinerja/ikon/ikon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("kinerja/ikon/ikon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("kinerja/ikon/ikon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/manifest+json"
    )


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """kinerja/static/kinerja/sw.js at /sw.js, never cached so a new release's worker is picked up at once."""
    path = finders.find("kinerja/sw.js")
    if not path:
        raise Http404("Service worker tidak ditemukan.")
    with open(path, encoding="utf-8") as f:  # type: ignore[arg-type]
        isi = f.read()
    response = HttpResponse(isi, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


def luring(request: HttpRequest) -> HttpResponse:
    """The offline page the service worker keeps: no user data, so the same page serves every account."""
    return render(request, "luring.html")
