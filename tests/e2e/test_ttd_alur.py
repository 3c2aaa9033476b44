"""Electronic signatures in a real browser (docs/rules.md §29.4, §29.5): the pelaksana signs his approved
SKP (a wrong passphrase first), his penilai signs it after him, the verification page shows both signatures
valid; the signed PDF downloaded and altered by one byte is shown as not valid at the public upload check,
the untouched file as valid and registered."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from django.urls import reverse
from playwright.sync_api import expect

from kinerja.dokumen.models import Dokumen, PengaturanTtd, SertifikatTtd
from kinerja.dokumen.ttd import ca_demo
from kinerja.organisasi.models import User
from kinerja.perencanaan.models import Skp

PELAKSANA = "199108162015031001"  # Rahmat Hidayat
KABID = "197904182005012005"  # Ratna Sari Dewi, his pejabat penilai
PASSPHRASE = "sandi-sertifikat-uji"


def _sertifikat(ca: ca_demo.Ca, user: User) -> None:
    peg = user.pegawai
    assert peg is not None
    p12 = ca_demo.buat_p12(ca, peg.nama_lengkap, PASSPHRASE, nomor=peg.nip)
    cert = ca_demo.baca_p12(p12, PASSPHRASE)
    SertifikatTtd.objects.create(
        instansi_id=peg.instansi_id,
        pengguna=user,
        p12=p12,
        subjek=peg.nama_lengkap,
        penerbit="CA Uji E2E",
        nomor_seri=format(cert.serial_number, "x"),
        sidik_jari=cert.fingerprint(hashes.SHA256()).hex(),
        berlaku_mulai=cert.not_valid_before_utc,
        berlaku_sampai=cert.not_valid_after_utc,
    )


@pytest.fixture
def ttd_siap(seeded: None, settings: Any, tmp_path: Path) -> Skp:
    """Signing by certificate on for the demo instansi, the pelaksana and the kabid holding certificates of
    a CA the verification trusts; the pelaksana's approved SKP."""
    ca = ca_demo.buat_ca("CA Uji E2E")
    akar = tmp_path / "akar"
    akar.mkdir()
    (akar / "ca-uji.pem").write_bytes(ca.pem)
    settings.TTD_AKAR_DIR = str(akar)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    skp = Skp.objects.select_related("instansi").get(pegawai__nip=PELAKSANA)
    assert skp.status == "disetujui"  # the demo's SKP of the running year
    PengaturanTtd.objects.create(instansi=skp.instansi, penyedia="sertifikat", lokasi="Sukamaju")
    for nip in (PELAKSANA, KABID):
        _sertifikat(ca, User.objects.get(username=nip))
    return skp


def _tanda_tangani(page: Any, passphrase: str) -> None:
    form = page.locator("#form-ttd")
    form.get_by_label("Passphrase sertifikat elektronik").fill(passphrase)
    form.get_by_role("button", name="Tanda tangani").click()  # confirmed in the dialog (accepted)
    page.wait_for_load_state()


def _ubah_satu_bita(data: bytes) -> bytes:
    """``data`` with one byte flipped inside a content stream near the middle of the file, in the part
    every signature covers (before the first signature's /Contents), so the file still parses."""
    awal_isi = data.index(b"/Contents <")  # the first signature's value: nothing before it is excluded
    tengah = min(len(data) // 2, awal_isi // 2)
    aliran = data.find(b"stream\n", tengah)
    if aliran == -1 or aliran > awal_isi - 100:
        aliran = data.index(b"stream\n")
    pos = aliran + len(b"stream\n") + 20
    assert pos < awal_isi
    return data[:pos] + bytes([data[pos] ^ 0x01]) + data[pos + 1 :]


def _unggah(page: Any, nama: str, data: bytes) -> None:
    page.goto("/verifikasi/periksa/")
    page.locator("#id_berkas").set_input_files(
        files=[{"name": nama, "mimeType": "application/pdf", "buffer": data}]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_load_state()


def test_pegawai_and_penilai_sign_the_skp_and_the_file_is_verified(page, login, keluar, ttd_siap):  # type: ignore[no-untyped-def]
    skp = ttd_siap
    page.on("dialog", lambda d: d.accept())  # the "Tanda tangani ... ?" confirmation

    # The pelaksana opens his approved SKP and signs it; a wrong passphrase is refused in Indonesian.
    login(PELAKSANA)
    page.goto(reverse("skp:detail", args=[skp.pk]))
    page.locator("#tanda-tangani").click()
    expect(page.get_by_role("heading", name="Tanda tangan elektronik")).to_be_visible()
    expect(page.locator("#status-ttd")).to_contain_text("Belum ditandatangani")
    _tanda_tangani(page, "passphrase-keliru")
    expect(page.locator("#gagal")).to_contain_text("Passphrase salah: sertifikat elektronik tidak")
    expect(page.locator("#id_passphrase")).to_have_value("")  # what was typed is never echoed
    assert not Dokumen.objects.filter(jenis="skp", objek_id=skp.pk).exclude(status_ttd="belum").exists()
    _tanda_tangani(page, PASSPHRASE)
    expect(page.locator("main")).to_contain_text("Dokumen berhasil ditandatangani secara elektronik.")
    expect(page.locator("#slot-pegawai")).to_contain_text("Ditandatangani")
    expect(page.locator("#status-ttd")).to_contain_text("Sebagian ditandatangani")
    expect(page.locator("#form-ttd")).to_have_count(0)  # signed once; the penilai is next
    keluar()

    # The kabid, his penilai, signs it from the SKP page.
    login(KABID)
    page.goto(reverse("skp:detail", args=[skp.pk]))
    page.locator("#tanda-tangani").click()
    expect(page.locator("#slot-pegawai")).to_contain_text("Rahmat Hidayat")
    _tanda_tangani(page, PASSPHRASE)
    expect(page.locator("#status-ttd")).to_contain_text("Ditandatangani lengkap")
    expect(page.locator("#slot-penilai")).to_contain_text("Ditandatangani")

    # The verification page shows both embedded signatures valid.
    page.get_by_role("link", name="Halaman verifikasi").click()
    expect(page).to_have_url(re.compile(r"/verifikasi/[\w-]+/$"))
    daftar = page.locator("#daftar-ttd")
    expect(daftar.locator(".badge", has_text="Sah")).to_have_count(2)
    expect(daftar).not_to_contain_text("Tidak sah")
    expect(daftar).to_contain_text("Menyetujui SKP sebagai pegawai yang dinilai")
    expect(daftar).to_contain_text("Menetapkan SKP sebagai Pejabat Penilai Kinerja")

    # The kabid may read the SKP, so she downloads the signed file.
    unduh = page.get_by_role("link", name="Unduh PDF bertanda tangan")
    respons = page.request.get(unduh.get_attribute("href"))
    assert respons.status == 200 and respons.headers["content-type"].startswith("application/pdf")
    asli = respons.body()
    dok = Dokumen.objects.get(jenis="skp", objek_id=skp.pk, status_ttd="lengkap")
    with dok.berkas.open("rb") as f:
        assert f.read() == asli
    keluar()

    # Anyone may check a file: one byte changed, and the signatures are not valid any more.
    _unggah(page, "skp-diubah.pdf", _ubah_satu_bita(asli))
    hasil = page.locator("#hasil")
    expect(hasil).to_contain_text("tidak terdaftar")
    expect(page.locator("#ada-tidak-sah")).to_contain_text("Tidak semua tanda tangan dalam berkas ini sah.")
    expect(hasil.locator("#daftar-ttd .badge", has_text="Tidak sah")).not_to_have_count(0)

    # The untouched file: registered, the document's latest file, both signatures valid.
    _unggah(page, "skp.pdf", asli)
    hasil = page.locator("#hasil")
    expect(hasil).to_contain_text("terdaftar di Kinerja dan merupakan berkas terakhir dokumen tersebut")
    expect(hasil.locator("#daftar-ttd .badge", has_text="Sah")).to_have_count(2)
    expect(page.locator("#ada-tidak-sah")).to_have_count(0)
    hasil.get_by_role("link", name="Lihat halaman verifikasi dokumen ini").click()
    expect(page).to_have_url(re.compile(rf"/verifikasi/{re.escape(dok.token)}/$"))
