"""The installable web app (docs/rules.md §35): the manifest and its link, the service worker's headers, the
icons' sizes and the offline page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db

IKON = Path(__file__).resolve().parents[2] / "kinerja" / "static" / "kinerja" / "ikon"


def test_manifest_json_dan_tautannya(client: Client) -> None:
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200 and r["Content-Type"] == "application/manifest+json"
    m = json.loads(r.content)
    assert m["name"] == "Kinerja ASN" and m["short_name"] and m["start_url"] == "/"
    assert m["display"] == "standalone" and m["theme_color"] == "#0b4f6c"
    ukuran = {(i["sizes"], i.get("purpose", "any")) for i in m["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= ukuran
    for ikon in m["icons"]:  # the test client serves no static files: the finders must know each one
        assert finders.find(ikon["src"].removeprefix(settings.STATIC_URL))
    html = client.get("/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#0b4f6c">' in html and 'rel="apple-touch-icon"' in html
    assert 'data-sw="/sw.js"' in html and "kinerja/antrean.js" in html


@pytest.mark.parametrize(
    ("nama", "ukuran"),
    [
        ("ikon-192.png", 192),
        ("ikon-512.png", 512),
        ("ikon-maskable-512.png", 512),
        ("apple-touch-icon.png", 180),
    ],
)
def test_ikon_ada_dengan_ukurannya(nama: str, ukuran: int) -> None:
    with Image.open(IKON / nama) as img:
        assert img.format == "PNG" and img.size == (ukuran, ukuran)


def test_service_worker_dari_akar(client: Client) -> None:
    r = client.get("/sw.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/"
    assert "no-cache" in r["Cache-Control"] and "max-age=0" in r["Cache-Control"]
    isi = r.content.decode()
    assert '"/luring/"' in isi and 'req.method !== "GET"' in isi  # POSTs are never cached


def test_halaman_luring_tanpa_data_pengguna(client_for) -> None:  # type: ignore[no-untyped-def]
    html = Client().get("/luring/").content.decode()
    assert "Anda sedang luring" in html and "Yang tetap dapat dilakukan" in html and "data-luring" in html
    assert 'id="antrean"' in html
    # the same page for a signed-in user: nothing of theirs on it (the worker keeps one copy for all)
    assert client_for("pelaksana").get("/luring/").content.decode() == html
