"""The Content-Security-Policy in a real browser: the main pages of every role, htmx swaps and the small
behaviours of kinerja.js run without one violation or console error (docs/rules.md §24.3)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kinerja.dokumen.models import Dokumen
from kinerja.organisasi.models import Pegawai
from kinerja.perencanaan.models import Indikator, Skp

ADMIN = "admin"
KABID = "197904182005012005"
PELAKSANA = "199108162015031001"

# Recorded before any page script runs; the policy does not apply to scripts Playwright injects.
CATAT_PELANGGARAN = """
window.__pelanggaran = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__pelanggaran.push(`${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sourceFile || ''}`);
});
"""


@pytest.fixture
def pantau(page):  # type: ignore[no-untyped-def]
    """Collect CSP violations and console errors; `periksa(url)` visits a page and asserts there were none."""
    kesalahan: list[str] = []
    page.add_init_script(CATAT_PELANGGARAN)

    def catat(m) -> None:  # type: ignore[no-untyped-def]
        # The browser asks for /favicon.ico on its own; whether there is one is not this test's business.
        if m.type in {"error", "warning"} and not m.location.get("url", "").endswith("/favicon.ico"):
            kesalahan.append(f"{m.type}: {m.text} ({m.location.get('url', '')})")

    page.on("console", catat)
    page.on("pageerror", lambda e: kesalahan.append(f"pageerror: {e}"))

    def periksa(url: str | None = None) -> None:
        if url is not None:
            page.goto(url)
            page.wait_for_load_state("networkidle")
        pelanggaran = page.evaluate("window.__pelanggaran || []")
        assert pelanggaran == [], f"{page.url}: {pelanggaran}"
        assert kesalahan == [], f"{page.url}: {kesalahan}"

    return periksa


def test_pages_of_the_admin_run_under_the_policy(page, login, seeded, pantau):
    login(ADMIN)
    pantau()
    pegawai = Pegawai.objects.get(nip=PELAKSANA)
    for url in [
        reverse("dashboard:home"),
        reverse("organisasi:unit_tree"),
        reverse("organisasi:pegawai_list"),
        reverse("organisasi:pegawai_detail", args=[pegawai.pk]),
        reverse("organisasi:pegawai_keamanan", args=[pegawai.pk]),
        reverse("organisasi:pengaturan"),
        reverse("organisasi:periode_list"),
        reverse("skp:progres"),
        reverse("pelaksanaan:papan_progres"),
        reverse("penilaian:kelompok"),
        reverse("penilaian:capaian"),
        reverse("tindak_lanjut:rekap"),
        reverse("tindak_lanjut:tukin"),
        reverse("tindak_lanjut:token_sistem"),
        "/api/v1/docs",
    ]:
        pantau(url)


def test_pages_of_a_penilai_run_under_the_policy(page, login, seeded, pantau):
    login(KABID)
    for url in [
        reverse("dashboard:home"),
        reverse("skp:saya"),
        reverse("skp:persetujuan"),
        reverse("pelaksanaan:papan"),
        reverse("penilaian:index"),
        reverse("rencana:pohon"),
        reverse("rencana:pk_list"),
    ]:
        pantau(url)
    # kinerja.js replaces the inline handlers: "Buka semua" opens every node of the pohon kinerja.
    page.goto(reverse("rencana:pohon"))
    page.get_by_role("button", name="Buka semua").click()
    expect(page.locator("#pohon details:not([open])")).to_have_count(0)
    pantau()


def test_pages_and_htmx_of_a_pegawai_run_under_the_policy(page, login, seeded, pantau):
    login(PELAKSANA)
    for url in [
        reverse("dashboard:home"),
        reverse("skp:saya"),
        reverse("pelaksanaan:realisasi") + "?periode=4",
        reverse("pelaksanaan:catatan"),
        reverse("pelaksanaan:umpan_balik"),
        reverse("penilaian:index"),
        reverse("tindak_lanjut:keberatan"),
        reverse("keamanan_akun"),
    ]:
        pantau(url)
    # An htmx swap: saving a penjelasan of a realisasi replaces the card in place.
    skp = Skp.objects.get(pegawai__nip=PELAKSANA, status="disetujui")
    ind = Indikator.objects.filter(rhk__skp=skp).order_by("rhk__jenis", "rhk__urutan", "urutan", "pk").first()
    page.goto(reverse("pelaksanaan:realisasi") + "?periode=4")
    kartu = page.locator(f"#ind-{ind.pk}")
    kartu.get_by_label("Realisasi Triwulan IV").fill(
        "3" if ind.target_angka is not None else "Laporan selesai"
    )
    kartu.get_by_label("Penjelasan").fill("Diisi untuk memeriksa kebijakan keamanan konten.")
    kartu.get_by_role("button", name="Simpan realisasi").click()
    expect(page.locator(f"#ind-{ind.pk}")).to_contain_text("Tersimpan")
    pantau()
    # The token page: the new token is copied by kinerja.js, revoking asks first.
    page.goto(reverse("organisasi:token_list"))
    page.get_by_label("Nama token").fill("Skrip uji")
    page.get_by_role("button", name="Buat token").click()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Salin").click()
    expect(page.get_by_role("button", name="Tersalin")).to_be_visible()
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Cabut").click()
    expect(page.get_by_role("cell", name="Skrip uji")).to_be_visible()
    pantau()


def test_the_public_verification_page_runs_under_the_policy(page, seeded, pantau, client):
    from kinerja.organisasi.models import User

    client.force_login(User.objects.get(username=PELAKSANA))
    skp = Pegawai.objects.get(nip=PELAKSANA).skp.order_by("-pk").first()
    assert client.get(reverse("dokumen:skp_pdf", args=[skp.pk])).status_code == 200
    dokumen = Dokumen.objects.order_by("-pk").first()
    pantau(reverse("dokumen:verifikasi", args=[dokumen.token]))
    expect(page.locator("main")).to_contain_text(dokumen.sha256[:16])
