"""The installable web app on a phone (docs/rules.md §35), 390 × 844 with touch: the service worker
registers; a catatan written offline is queued ("Menunggu dikirim (1)") and sent once when back online,
also when the same item is sent again; a realisasi entered offline is sent when online; the pegawai's
pages never scroll sideways."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kinerja.pelaksanaan.models import CatatanKegiatan, Realisasi
from kinerja.perencanaan.models import Indikator, Skp

PELAKSANA = "199108162015031001"  # Rahmat Hidayat
PONSEL = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def ponsel(browser, live_server) -> Iterator[tuple[Any, Any]]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **PONSEL)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield context, page
    context.close()


def masuk(page: Any, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("kinerja-demo")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def test_catatan_dan_realisasi_luring_terkirim_sekali(ponsel, seeded) -> None:  # type: ignore[no-untyped-def]
    context, page = ponsel
    masuk(page, PELAKSANA)
    page.goto(reverse("pelaksanaan:catatan"))
    # the service worker registers and controls the whole site
    cakupan = page.evaluate("navigator.serviceWorker.ready.then(r => r.active && r.scope)")
    assert cakupan == page.url.split("/catatan/")[0] + "/"

    # Offline: the catatan is kept on the phone, nothing reaches the server.
    context.set_offline(True)
    form = page.locator("form[data-antrean=catatan]")
    form.get_by_label("Kegiatan", exact=True).fill("Menyusun notulen rapat di lapangan")
    form.get_by_role("button", name="Simpan catatan").click()
    expect(page.locator("#antrean")).to_contain_text("Menunggu dikirim (1)")
    milik = CatatanKegiatan.objects.filter(pegawai__nip=PELAKSANA)
    assert not milik.filter(kegiatan__startswith="Menyusun notulen").exists()
    item = page.evaluate("KinerjaAntrean.semua().then(a => a[0])")
    assert ["kunci_klien", item["kunci"]] in item["data"]

    # Back online: sent once.
    context.set_offline(False)
    expect(page.locator("#antrean")).to_contain_text("1 isian dari antrean luring terkirim")
    assert page.evaluate("KinerjaAntrean.semua().then(a => a.length)") == 0
    assert milik.filter(kegiatan="Menyusun notulen rapat di lapangan").count() == 1
    # A retry of the same item (its answer lost on the way back): still exactly one catatan.
    del item["urut"]
    page.evaluate("i => KinerjaAntrean.simpan(i).then(() => KinerjaAntrean.kirim())", item)
    assert page.evaluate("KinerjaAntrean.semua().then(a => a.length)") == 0
    assert milik.filter(kegiatan="Menyusun notulen rapat di lapangan").count() == 1

    # A realisasi entered offline is sent when the phone is back online.
    skp = Skp.objects.get(pegawai__nip=PELAKSANA, status="disetujui")
    ind = Indikator.objects.filter(rhk__skp=skp).order_by("rhk__jenis", "rhk__urutan", "urutan", "pk").first()
    assert ind is not None
    page.goto(reverse("pelaksanaan:realisasi") + "?periode=4")
    context.set_offline(True)
    kartu = page.locator(f"#ind-{ind.pk}")
    nilai = "3" if ind.target_angka is not None else "Laporan triwulan IV selesai disusun"
    kartu.get_by_label("Realisasi Triwulan IV").fill(nilai)
    kartu.get_by_label("Penjelasan").fill("Diisi saat luring")
    kartu.get_by_role("button", name="Simpan realisasi").click()
    expect(page.locator("#antrean")).to_contain_text("Menunggu dikirim (1)")
    assert not Realisasi.objects.filter(indikator=ind, periode_penilaian__nomor=4).exists()
    context.set_offline(False)
    expect(page.locator("#antrean")).to_contain_text("terkirim")
    real = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=4)
    assert real.narasi == "Diisi saat luring"


def test_halaman_pegawai_tidak_melebar_di_390(ponsel, seeded) -> None:  # type: ignore[no-untyped-def]
    _, page = ponsel
    masuk(page, PELAKSANA)
    skp = Skp.objects.get(pegawai__nip=PELAKSANA, status="disetujui")
    for url in [
        reverse("dashboard:home"),
        reverse("skp:saya"),
        reverse("skp:detail", args=[skp.pk]),
        reverse("pelaksanaan:realisasi") + "?periode=4",
        reverse("pelaksanaan:catatan"),
        reverse("pelaksanaan:umpan_balik"),
        reverse("penilaian:index"),
        reverse("tindak_lanjut:keberatan"),
        reverse("luring"),
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        lebar = page.evaluate("document.documentElement.scrollWidth")
        assert lebar <= 390, (url, lebar)


@pytest.mark.parametrize("kuki", ["sessionid", "semua"])
def test_sesi_berakhir_antrean_tetap(ponsel, seeded, kuki) -> None:  # type: ignore[no-untyped-def]
    context, page = ponsel
    masuk(page, PELAKSANA)
    page.goto(reverse("pelaksanaan:catatan"))
    context.set_offline(True)
    form = page.locator("form[data-antrean=catatan]")
    form.get_by_label("Kegiatan", exact=True).fill("Kunjungan lapangan tanpa sinyal")
    form.get_by_role("button", name="Simpan catatan").click()
    expect(page.locator("#antrean")).to_contain_text("Menunggu dikirim (1)")
    # the session ended while the phone was offline (the server answers with the login page), or every
    # cookie is gone (the CSRF check refuses first): either way, sign in again
    context.clear_cookies(**({"name": kuki} if kuki == "sessionid" else {}))
    context.set_offline(False)
    expect(page.locator("#antrean")).to_contain_text("Sesi Anda telah berakhir. Masuk lagi")
    assert page.evaluate("KinerjaAntrean.semua().then(a => a.length)") == 1
    assert not CatatanKegiatan.objects.filter(kegiatan="Kunjungan lapangan tanpa sinyal").exists()
    # signed in again, the first page loaded (the dashboard) sends it
    masuk(page, PELAKSANA)
    expect(page.locator("#antrean")).to_contain_text("terkirim")
    assert CatatanKegiatan.objects.filter(kegiatan="Kunjungan lapangan tanpa sinyal").count() == 1


def test_kelompok_penilai_tidak_melebar_di_390(ponsel, seeded) -> None:  # type: ignore[no-untyped-def]
    _, page = ponsel
    masuk(page, "197904182005012005")  # the kabid: the group page with its chart and list
    page.goto(reverse("penilaian:kelompok"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
