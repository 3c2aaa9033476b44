"""The SKP agreement in a real browser: the pelaksana drafts and submits an SKP, the penilai returns it with a
note, the pegawai fixes and resubmits, the penilai approves, the pegawai sees it approved (and its PDF)."""

import re

from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from kinerja.perencanaan.models import Skp

PELAKSANA = "199108162015031001"  # Rahmat Hidayat
KABID = "197904182005012005"  # Ratna Sari Dewi, his pejabat penilai
RHK = "Tersedianya data kinerja pegawai yang mutakhir setiap triwulan"
RHK_DIPERBAIKI = "Tersedianya data kinerja pegawai yang mutakhir dan terverifikasi setiap triwulan"
CATATAN = "Sebutkan bahwa data harus terverifikasi sebelum dilaporkan."


def logout(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("[data-bs-toggle=dropdown][title^='Anda masuk sebagai']").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def mark_page(page) -> None:  # type: ignore[no-untyped-def]
    """A marker that survives htmx swaps but not a full page load."""
    page.evaluate("window.__tanpaMuatUlang = true")


def assert_not_reloaded(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("window.__tanpaMuatUlang === true"), "the page was reloaded"


def test_skp_drafted_returned_fixed_and_approved(page, login, seeded):
    Skp.objects.filter(pegawai__nip=PELAKSANA).delete()  # start fresh: nobody intervenes his RHK

    # The pelaksana creates an SKP, adds an RHK under the kabid's RHK and an indikator, without reloads.
    login(PELAKSANA)
    page.get_by_role("link", name="SKP saya").click()
    expect(page.locator("main")).to_contain_text("Anda belum memiliki SKP tahun")
    page.get_by_role("button", name=re.compile(r"^Buat SKP \d{4}")).click()
    expect(page.locator("main")).to_contain_text("dibuat sebagai draft")
    expect(page.locator("#masalah")).to_contain_text("Belum ada RHK utama")

    mark_page(page)
    page.get_by_role("button", name="Tambah RHK").click()
    form = page.locator("#rhk-baru form")
    form.get_by_label("Rencana hasil kerja").fill("Melakukan input data kinerja")
    form.get_by_role("button", name="Simpan RHK").click()
    expect(page.locator("#rhk-baru")).to_contain_text("wajib menyebut RHK pimpinan yang diintervensi")
    intervensi = form.get_by_label("RHK pimpinan yang diintervensi")
    assert intervensi.locator("option").count() > 1
    intervensi.select_option(index=1)
    form.get_by_label("Rencana hasil kerja").fill(RHK)
    form.get_by_role("button", name="Simpan RHK").click()
    kartu = page.locator("article.rhk").filter(has_text=RHK)
    expect(kartu).to_be_visible()
    expect(kartu).to_contain_text("Belum ada indikator")
    expect(page.locator("#masalah")).to_contain_text("belum memiliki indikator")

    kartu.get_by_role("button", name="Tambah indikator").click()
    ind = kartu.locator("form")
    ind.get_by_label("Aspek").select_option("kualitas")
    ind.get_by_label("Indikator kinerja individu").fill("Data kinerja pegawai terverifikasi")
    ind.get_by_label("Target (ukuran keberhasilan)").fill("Seluruh data terverifikasi")
    ind.get_by_label("Triwulan I", exact=True).fill("Data triwulan I terverifikasi")
    ind.get_by_role("button", name="Simpan indikator").click()
    kartu = page.locator("article.rhk").filter(has_text=RHK)
    expect(kartu).to_contain_text("Seluruh data terverifikasi")
    expect(page.locator("#masalah")).to_contain_text("Semua syarat pengajuan terpenuhi")
    assert_not_reloaded(page)

    # Submitting is confirmed first: without the tick the browser refuses the click.
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).not_to_contain_text("SKP diajukan kepada")
    page.get_by_label("Saya memahami bahwa SKP yang diajukan tidak dapat diubah").check()
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.locator("main")).to_contain_text("SKP diajukan kepada Ratna Sari Dewi")
    expect(page.locator("main")).to_contain_text("Diajukan")
    expect(page.get_by_role("button", name="Tambah RHK")).to_have_count(0)
    logout(page)

    # The penilai finds it in the inbox and returns it with a note.
    login(KABID)
    page.get_by_role("button", name="Bawahan").click()
    page.get_by_role("link", name="Persetujuan SKP").click()
    page.get_by_role("link", name="Periksa SKP Rahmat Hidayat").click()
    expect(page.get_by_role("heading", name="RHK saya yang diintervensi")).to_be_visible()
    expect(page.locator("aside")).to_contain_text(RHK)  # the cascade, side by side
    page.get_by_label("Catatan untuk pegawai").fill(CATATAN)
    page.get_by_role("button", name="Kembalikan dengan catatan").click()
    expect(page.locator("main")).to_contain_text("dikembalikan dengan catatan")
    logout(page)

    # The pegawai sees the note, fixes the RHK and submits again.
    login(PELAKSANA)
    page.get_by_role("link", name="SKP saya").click()
    expect(page.locator("main")).to_contain_text(CATATAN)
    page.get_by_role("link", name="Buka dan isi SKP").click()
    expect(page.locator(".catatan-pengembalian")).to_contain_text(CATATAN)
    mark_page(page)
    kartu = page.locator("article.rhk").filter(has_text=RHK)
    kartu.get_by_role("button", name="Ubah RHK").click()
    page.locator("article.rhk form").get_by_label("Rencana hasil kerja").fill(RHK_DIPERBAIKI)
    page.locator("article.rhk form").get_by_role("button", name="Simpan RHK").click()
    expect(page.locator("article.rhk").filter(has_text=RHK_DIPERBAIKI)).to_be_visible()
    expect(page.locator("#perubahan")).to_contain_text("RHK diubah")
    assert_not_reloaded(page)
    page.get_by_label("Saya memahami bahwa SKP yang diajukan tidak dapat diubah").check()
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.locator("main")).to_contain_text("SKP diajukan")
    logout(page)

    # The penilai approves.
    login(KABID)
    page.goto("/skp/persetujuan/")
    page.get_by_role("link", name="Periksa SKP Rahmat Hidayat").click()
    expect(page.locator("#hasil-kerja")).to_contain_text(RHK_DIPERBAIKI)
    page.get_by_role("button", name="Setujui SKP").click()  # refused by the browser until confirmed
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).not_to_contain_text("Tidak ada SKP yang menunggu persetujuan Anda")
    page.get_by_label("Saya memahami bahwa SKP yang disetujui menjadi dasar penilaian").check()
    page.get_by_role("button", name="Setujui SKP").click()
    expect(page.locator("main")).to_contain_text("disetujui")
    expect(page.locator("main")).to_contain_text("Tidak ada SKP yang menunggu persetujuan Anda")
    logout(page)

    # The pegawai sees it approved, read-only, with the approved version and the PDF.
    login(PELAKSANA)
    page.get_by_role("link", name="SKP saya").click()
    expect(page.locator("main")).to_contain_text("Disetujui")
    skp = Skp.objects.get(pegawai__nip=PELAKSANA)
    assert (skp.status, skp.revisi) == ("disetujui", 1)
    try:
        pdf_url = reverse("dokumen:skp_pdf", args=[skp.pk])
    except NoReverseMatch:
        pdf_url = None
    page.get_by_role("link", name="Buka SKP").click()
    expect(page.locator("main")).to_contain_text("Disetujui oleh Ratna Sari Dewi")
    expect(page.get_by_role("button", name="Tambah RHK")).to_have_count(0)
    page.locator("details.riwayat summary").click()  # the history panel is read when it is opened
    expect(page.get_by_role("link", name="Revisi 1")).to_be_visible()
    if pdf_url is not None:
        link = page.get_by_role("link", name="Unduh PDF SKP")
        expect(link).to_have_attribute("href", pdf_url)
        response = page.request.get(pdf_url)
        assert response.status == 200
        assert response.headers["content-type"].startswith("application/pdf")
        assert response.body()[:5] == b"%PDF-"
