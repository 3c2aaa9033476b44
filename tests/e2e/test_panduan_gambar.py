"""The user guide's pictures (docs/rules.md §36): every step of every role page is visited in a real browser
as the demo account of that role, on the demo data; the test asserts the page shows the heading the guide
names and the part it photographs, and that the page's Bantuan link opens a guide page.

With PANDUAN_PERBARUI_GAMBAR=1 it also writes each step's picture to
kinerja/dashboard/static/panduan/gambar/<langkah>.png (1200 px wide, cropped to the step's part, at most 720
px high, reduced to 64 colours): `PANDUAN_PERBARUI_GAMBAR=1 pytest tests/e2e/test_panduan_gambar.py`.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from playwright.sync_api import expect

from kinerja.dashboard.panduan import isi
from kinerja.demo import organisasi as demo

GAMBAR = Path(__file__).resolve().parents[2] / "kinerja" / "dashboard" / "static" / "panduan" / "gambar"
LEBAR, TINGGI = 1200, 720


def _simpan(png: bytes, tujuan: Path) -> None:
    from PIL import Image

    gambar = Image.open(io.BytesIO(png)).convert("RGB")
    kecil = gambar.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    kecil.save(tujuan, format="PNG", optimize=True)


def test_setiap_langkah_panduan_tampil_dan_bergambar(browser, live_server, seeded):
    perbarui = os.environ.get("PANDUAN_PERBARUI_GAMBAR") == "1"
    akun = {peran: login for peran, login, _ in demo.demo_accounts()}
    for peran in isi.PERAN.values():
        context = browser.new_context(
            base_url=live_server.url, locale="id-ID", viewport={"width": LEBAR, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/login/")
        page.get_by_label("NIP atau nama pengguna").fill(akun[peran.akun_demo])
        page.get_by_label("Kata sandi").fill("kinerja-demo")
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_load_state()
        for langkah in peran.langkah:
            page.goto(langkah.url)
            expect(page.locator("main h1").first, langkah.kode).to_contain_text(langkah.halaman)
            wilayah = page.locator(langkah.wilayah).first
            expect(wilayah, langkah.kode).to_be_visible()
            expect(page.locator("#tautan-bantuan")).to_have_attribute("href", re.compile(r"^/panduan/"))
            if perbarui:
                kotak = wilayah.bounding_box()
                assert kotak is not None, langkah.kode
                klip = {
                    "x": kotak["x"],
                    "y": kotak["y"],
                    "width": min(kotak["width"], LEBAR),
                    "height": min(kotak["height"], TINGGI),
                }
                _simpan(page.screenshot(clip=klip, full_page=True), GAMBAR / f"{langkah.kode}.png")
        context.close()
