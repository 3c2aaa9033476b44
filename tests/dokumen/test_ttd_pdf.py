"""PAdES core: fields at the signature blocks, incremental signatures, pyHanko's validation
(docs/rules.md §29)."""

from __future__ import annotations

import datetime
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from weasyprint import HTML

from kinerja.dokumen.ttd import ca_demo, pdf
from kinerja.dokumen.ttd.penyedia import GagalTtd

HTML_DOKUMEN = """<html><body><h1>Dokumen uji</h1><p>Isi dokumen.</p><table style="margin-top:80mm"><tr>
<td><div id="ttd-pegawai" style="width:60mm;height:22mm"></div>Pegawai</td>
<td><div id="ttd-penilai" style="width:60mm;height:22mm"></div>Penilai</td></tr></table></body></html>"""


@pytest.fixture(scope="module")
def ca() -> ca_demo.Ca:
    return ca_demo.buat_ca("CA Uji")


@pytest.fixture(scope="module")
def akar(ca: ca_demo.Ca) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(ca.sertifikat.public_bytes(serialization.Encoding.DER))]


@pytest.fixture(scope="module")
def dasar() -> bytes:
    dokumen = HTML(string=HTML_DOKUMEN).render()
    kotak = pdf.kotak_tanda_tangan(dokumen)
    assert set(kotak) == {"ttd-pegawai", "ttd-penilai"}
    assert kotak["ttd-pegawai"].halaman == 0
    x1, y1, x2, y2 = kotak["ttd-pegawai"].kotak
    assert x2 - x1 == pytest.approx(60 / 25.4 * 72, abs=1) and y2 - y1 == pytest.approx(22 / 25.4 * 72, abs=1)
    return pdf.siapkan_field(dokumen.write_pdf(), kotak)


def _tanda_tangani(data: bytes, ca: ca_demo.Ca, nama: str, field: str) -> bytes:
    signer = pdf.muat_p12(
        ca_demo.buat_p12(ca, nama, "rahasia-123", nomor="199001012015011001"), "rahasia-123"
    )
    return pdf.tanda_tangani_p12(data, signer, field, "Menyetujui", "Kota Uji").pdf


def test_two_signatures_each_over_the_previous_revision_are_valid(
    dasar: bytes, ca: ca_demo.Ca, akar: list[asn1_x509.Certificate]
) -> None:
    satu = _tanda_tangani(dasar, ca, "Pegawai Satu", "ttd-pegawai")
    dua = _tanda_tangani(satu, ca, "Penilai Dua", "ttd-penilai")
    assert dua.startswith(satu)  # incremental: the first signed revision stays byte for byte
    hasil = pdf.periksa(dua, akar)
    assert [(h.field, h.nama) for h in hasil.tanda_tangan] == [
        ("ttd-pegawai", "Pegawai Satu"),
        ("ttd-penilai", "Penilai Dua"),
    ]
    assert hasil.semua_sah and all(
        h.penerbit == "CA Uji" and h.alasan == "Menyetujui" for h in hasil.tanda_tangan
    )
    assert all(h.keterangan.startswith("Sah") for h in hasil.tanda_tangan)


def test_one_byte_changed_is_invalid(dasar: bytes, ca: ca_demo.Ca, akar: list[asn1_x509.Certificate]) -> None:
    ditandatangani = _tanda_tangani(dasar, ca, "Pegawai Satu", "ttd-pegawai")
    rusak = bytearray(ditandatangani)
    posisi = ditandatangani.index(b"Dokumen") if b"Dokumen" in ditandatangani else len(dasar) // 2
    rusak[posisi] ^= 0x01
    hasil = pdf.periksa(bytes(rusak), akar)
    assert not hasil.semua_sah
    assert all(not h.utuh for h in hasil.tanda_tangan)
    assert hasil.tanda_tangan[0].keterangan.startswith("Tidak sah")


def test_unknown_issuer_is_intact_but_not_trusted(dasar: bytes, ca: ca_demo.Ca) -> None:
    ditandatangani = _tanda_tangani(dasar, ca, "Pegawai Satu", "ttd-pegawai")
    (h,) = pdf.periksa(ditandatangani, []).tanda_tangan
    assert h.utuh and not h.terpercaya and not h.sah
    assert "tidak berasal dari penerbit tepercaya" in h.keterangan


def test_wrong_passphrase_and_expired_certificate_are_refused(dasar: bytes, ca: ca_demo.Ca) -> None:
    p12 = ca_demo.buat_p12(ca, "Pegawai Satu", "benar")
    with pytest.raises(GagalTtd, match="Passphrase salah"):
        pdf.muat_p12(p12, "salah")
    lama = ca_demo.buat_p12(
        ca, "Pegawai Lama", "benar", mulai=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), hari=30
    )
    with pytest.raises(GagalTtd, match="kedaluwarsa"):
        pdf.tanda_tangani_p12(dasar, pdf.muat_p12(lama, "benar"), "ttd-pegawai", "x", "y")


def test_not_a_pdf_is_reported_not_raised() -> None:
    hasil = pdf.periksa(b"bukan pdf sama sekali", [])
    assert hasil.galat and not hasil.semua_sah


def test_unsigned_pdf_has_no_signatures(dasar: bytes) -> None:
    hasil = pdf.periksa(dasar, [])
    assert hasil.tanda_tangan == () and not hasil.semua_sah
    assert len(PdfFileReader(io.BytesIO(dasar)).root["/AcroForm"]["/Fields"]) == 2


def test_a_configured_tsa_timestamps_the_signature(
    dasar: bytes, ca: ca_demo.Ca, akar: list[asn1_x509.Certificate]
) -> None:
    from tests.tsa_palsu import TsaPalsu

    signer = pdf.muat_p12(ca_demo.buat_p12(ca, "Pegawai Satu", "rahasia-123"), "rahasia-123")
    with TsaPalsu(ca) as tsa:
        hasil = pdf.tanda_tangani_p12(dasar, signer, "ttd-pegawai", "Menyetujui", "Kota Uji", tsa.url)
        assert tsa.permintaan >= 1
        (h,) = pdf.periksa(hasil.pdf, akar).tanda_tangan
        assert h.sah and h.bertanda_waktu and h.waktu is not None

        tsa.mati = True
        with pytest.raises(GagalTtd, match="stempel waktu") as gagal:
            pdf.tanda_tangani_p12(dasar, signer, "ttd-pegawai", "Menyetujui", "Kota Uji", tsa.url)
        assert gagal.value.sementara


def test_signing_and_validating_inside_a_running_event_loop(
    dasar: bytes, ca: ca_demo.Ca, akar: list[asn1_x509.Certificate]
) -> None:
    """As under an ASGI server, or in a process that also drives a browser (the browser tests): pyHanko's
    own asyncio.run() would refuse; the signature and the validation still happen."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def di_dalam_loop() -> pdf.Pemeriksaan:
        return pdf.periksa(_tanda_tangani(dasar, ca, "Pegawai Satu", "ttd-pegawai"), akar)

    # A loop of our own on a thread of its own: this worker's main thread may already run Playwright's.
    with ThreadPoolExecutor(max_workers=1) as pool:
        hasil = pool.submit(asyncio.run, di_dalam_loop()).result()
    assert hasil.semua_sah and [h.nama for h in hasil.tanda_tangan] == ["Pegawai Satu"]
