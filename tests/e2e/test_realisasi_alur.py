"""Realisasi, evidence and feedback in a real browser: the pelaksana enters a realisasi of Triwulan IV with a
PDF and a link, the penilai sees both and gives feedback from the phrase library, the pelaksana gets a
notification, reads the feedback and replies."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from kinerja.notifikasi.models import Notifikasi
from kinerja.pelaksanaan.models import BuktiDukung, Realisasi, UmpanBalik
from kinerja.perencanaan.models import Indikator, Skp

PELAKSANA = "199108162015031001"  # Rahmat Hidayat
KABID = "197904182005012005"  # Ratna Sari Dewi, his pejabat penilai
FRASA = "Bukti dukung lengkap dan jelas."
BALASAN = "Terima kasih, Bu. Notulen rapat juga sudah saya unggah."
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def test_realisasi_with_pdf_and_link_feedback_and_reply(page, login, keluar, seeded):
    skp = Skp.objects.get(pegawai__nip=PELAKSANA, status="disetujui")
    ind = Indikator.objects.filter(rhk__skp=skp).order_by("rhk__jenis", "rhk__urutan", "urutan", "pk").first()

    # The pelaksana enters the realisasi of the running periode, then a PDF and a link as evidence.
    login(PELAKSANA)
    page.goto(reverse("pelaksanaan:realisasi") + "?periode=4")
    kartu = page.locator(f"#ind-{ind.pk}")
    if ind.target_angka is not None:
        kartu.get_by_label("Realisasi Triwulan IV").fill("3")
    else:
        kartu.get_by_label("Realisasi Triwulan IV").fill("Laporan triwulan IV selesai disusun")
    kartu.get_by_label("Penjelasan").fill("Disusun bersama tim dan sudah dipaparkan dalam rapat bidang.")
    kartu.get_by_role("button", name="Simpan realisasi").click()
    kartu = page.locator(f"#ind-{ind.pk}")
    expect(kartu).to_contain_text("Tersimpan")
    realisasi = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=4)
    bukti = page.locator(f"#bukti-{realisasi.pk}")
    bukti.get_by_label("Unggah berkas").set_input_files(
        files=[{"name": "Laporan TW IV.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    bukti.get_by_label("Keterangan").fill("Laporan triwulan")
    bukti.get_by_role("button", name="Tambah bukti").click()
    expect(page.locator(f"#bukti-{realisasi.pk}")).to_contain_text("Laporan_TW_IV.pdf")
    bukti = page.locator(f"#bukti-{realisasi.pk}")
    bukti.get_by_label("atau tautan").fill("https://drive.sukamaju.go.id/kinerja/tw4")
    bukti.get_by_role("button", name="Tambah bukti").click()
    expect(page.locator(f"#bukti-{realisasi.pk}")).to_contain_text("drive.sukamaju.go.id")
    assert BuktiDukung.objects.filter(realisasi=realisasi).count() == 2
    keluar()

    # The penilai sees the realisasi with its evidence, then gives feedback from the library.
    login(KABID)
    page.goto(reverse("pelaksanaan:realisasi_skp", args=[skp.pk]) + "?periode=4")
    kartu = page.locator(f"#ind-{ind.pk}")
    expect(kartu).to_contain_text("Disusun bersama tim")
    expect(kartu).to_contain_text("Laporan_TW_IV.pdf")
    expect(kartu).to_contain_text("drive.sukamaju.go.id")
    page.goto(reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk]) + f"?item=realisasi:{realisasi.pk}")
    form = page.locator("#form-umpan-balik")
    frasa = form.get_by_label(FRASA)
    if not frasa.is_visible():
        form.locator("summary", has_text="Apresiasi").click()  # open the phrase group
    frasa.check()
    form.get_by_role("button", name="Kirim umpan balik").click()
    expect(page.locator("#form-umpan-balik")).to_contain_text(re.compile(r"Umpan balik untuk .+ terkirim\."))
    expect(page.locator("#isi-umpan-balik")).to_contain_text(FRASA)
    keluar()

    # The pelaksana is notified, reads the feedback and replies.
    login(PELAKSANA)
    bell = page.get_by_role("link", name="Notifikasi")
    expect(bell).to_contain_text("baru")  # the feedback (and the SKP approval of the seed)
    bell.click()
    item = page.locator(".list-group-item", has_text="Umpan balik baru dari")
    expect(item).to_contain_text(FRASA)
    item.get_by_role("button", name="Buka").click()
    expect(page).to_have_url(reverse("pelaksanaan:umpan_balik"))
    expect(page.locator("main")).to_contain_text(FRASA)
    page.get_by_placeholder("Tulis balasan…").fill(BALASAN)
    page.get_by_role("button", name="Balas").click()
    expect(page.locator("main")).to_contain_text(BALASAN)
    utas = UmpanBalik.objects.get(induk=None, realisasi=realisasi)
    assert list(utas.balasan.values_list("teks", flat=True)) == [BALASAN]
    assert Notifikasi.objects.filter(penerima__username=KABID, jenis="umpan_balik").exists()
