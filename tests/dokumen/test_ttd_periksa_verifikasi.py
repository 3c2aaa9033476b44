"""The verification page shows a signed document's embedded signatures, and anyone may upload a PDF to
check it against the record (docs/rules.md §29.4)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from kinerja.dokumen.models import Dokumen, TandaTangan
from kinerja.dokumen.selectors import mask_nama
from kinerja.dokumen.ttd import ca_demo, pdf, verifikasi
from tests import builders as b

pytestmark = pytest.mark.django_db

HTML_DOKUMEN = """<html><body><h1>Dokumen uji</h1><p>Isi dokumen.</p><table style="margin-top:80mm"><tr>
<td><div id="ttd-pegawai" style="width:60mm;height:22mm"></div>Pegawai</td>
<td><div id="ttd-penilai" style="width:60mm;height:22mm"></div>Penilai</td></tr></table></body></html>"""
PENANDA = "Ika Puspitasari"


@pytest.fixture(scope="module")
def ca() -> ca_demo.Ca:
    return ca_demo.buat_ca("CA Uji Periksa")


@pytest.fixture(scope="module")
def bertanda(ca: ca_demo.Ca) -> tuple[bytes, bytes]:
    """(the PDF with empty fields, the same PDF signed by the pegawai)."""
    dokumen = HTML(string=HTML_DOKUMEN).render()
    dasar = pdf.siapkan_field(dokumen.write_pdf(), pdf.kotak_tanda_tangan(dokumen))
    penanda = pdf.muat_p12(ca_demo.buat_p12(ca, PENANDA, "rahasia-123"), "rahasia-123")
    return dasar, pdf.tanda_tangani_p12(dasar, penanda, "ttd-pegawai", "Menyetujui SKP", "Kota Uji").pdf


@pytest.fixture(autouse=True)
def _akar(settings, tmp_path, ca: ca_demo.Ca):  # type: ignore[no-untyped-def]
    akar = tmp_path / "akar"
    akar.mkdir()
    (akar / "ca.pem").write_bytes(ca.pem)
    settings.TTD_AKAR_DIR = akar
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def dok_bertanda(login_kecil, skp_kecil, user_kecil, bertanda) -> Dokumen:  # type: ignore[no-untyped-def]
    """The fungsional's SKP document, signed by her (the penilai has yet to sign)."""
    skp = skp_kecil("fungsional")
    assert login_kecil("fungsional").get(reverse("dokumen:skp_pdf", args=[skp.pk])).status_code == 200
    dok = Dokumen.objects.filter(jenis="skp", objek_id=skp.pk).latest("pk")
    dasar, ditandatangani = bertanda
    dok.berkas.save("skp.pdf", ContentFile(ditandatangani), save=False)
    dok.berkas_sha256 = _sha(ditandatangani)
    dok.status_ttd = "sebagian"
    dok.save()
    TandaTangan.objects.create(
        dokumen=dok,
        peran="pegawai",
        penanda_tangan=user_kecil("fungsional"),
        nama=PENANDA,
        penyedia="sertifikat",
        sha256_berkas=_sha(ditandatangani),
        waktu=timezone.now(),
    )
    return dok


def _halaman(client: Client, dok: Dokumen) -> str:
    response = client.get(reverse("dokumen:verifikasi", args=[dok.token]))
    assert response.status_code == 200
    return response.content.decode()


def test_public_page_shows_each_signature_masked_and_who_is_still_to_sign(dok_bertanda):
    html = _halaman(Client(), dok_bertanda)
    assert mask_nama(PENANDA) in html and PENANDA not in html
    assert "CA Uji Periksa" in html and "Sah" in html
    assert "Sebagian ditandatangani" in html
    assert "Masih menunggu tanda tangan: Pejabat Penilai Kinerja" in html
    # The signed file carries personal data: no download for the public.
    assert reverse("dokumen:berkas_ttd", args=[dok_bertanda.token]) not in html


def test_reader_of_the_source_sees_the_name_and_downloads_the_signed_file(
    dok_bertanda, login_kecil, bertanda
):
    client = login_kecil("kabid")
    html = _halaman(client, dok_bertanda)
    unduh = reverse("dokumen:berkas_ttd", args=[dok_bertanda.token])
    assert PENANDA in html and unduh in html
    response = client.get(unduh)
    assert response.status_code == 200 and response.content == bertanda[1]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("siapa", ["lain_unit", "lain_instansi"])
def test_others_may_not_download_the_signed_file(dok_bertanda, login_kecil, siapa):
    if siapa == "lain_instansi":
        client = b.klien(b.admin_instansi(b.InstansiFactory()))
    else:
        client = login_kecil(siapa)
    unduh = reverse("dokumen:berkas_ttd", args=[dok_bertanda.token])
    assert unduh not in _halaman(client, dok_bertanda)
    assert client.get(unduh).status_code == 403
    assert Client().get(unduh).status_code == 302  # anonymous: to the login page


def test_validation_is_cached_by_the_file_hash(dok_bertanda, monkeypatch):
    _halaman(Client(), dok_bertanda)
    monkeypatch.setattr(pdf, "periksa", lambda *a, **k: pytest.fail("validated again"))
    assert "Sah" in _halaman(Client(), dok_bertanda)


def test_unsigned_document_says_so(login_kecil, skp_kecil):
    skp = skp_kecil("kabid")
    login_kecil("kabid").get(reverse("dokumen:skp_pdf", args=[skp.pk]))
    dok = Dokumen.objects.filter(jenis="skp", objek_id=skp.pk).latest("pk")
    html = _halaman(Client(), dok)
    assert "Belum ditandatangani" in html and "belum ditandatangani secara elektronik" in html


def test_frozen_file_without_signatures_is_shown_as_unsigned(dok_bertanda, bertanda):
    TandaTangan.objects.filter(dokumen=dok_bertanda).delete()
    dok_bertanda.berkas.save("beku.pdf", ContentFile(bertanda[0]), save=False)
    dok_bertanda.berkas_sha256 = _sha(bertanda[0])
    dok_bertanda.status_ttd = "belum"
    dok_bertanda.save()
    html = _halaman(Client(), dok_bertanda)
    assert "belum ditandatangani secara elektronik" in html and 'id="daftar-ttd"' not in html


def test_superseded_signed_document_names_its_replacement(dok_bertanda):
    baru = Dokumen.objects.create(
        instansi=dok_bertanda.instansi,
        jenis="skp",
        objek_id=dok_bertanda.objek_id,
        tahun=dok_bertanda.tahun,
        revisi=2,
        token="t" * 40,
        sha256="b" * 64,
        status_sumber="disetujui",
        pegawai_nama=dok_bertanda.pegawai_nama,
        status_ttd="lengkap",
    )
    dok_bertanda.digantikan_oleh = baru
    dok_bertanda.save()
    html = _halaman(Client(), dok_bertanda)
    assert "Digantikan oleh revisi 2" in html
    assert "tidak lagi berlaku" in html and "revisi 2 (ditandatangani lengkap)" in html


def test_page_stays_flat_in_queries(dok_bertanda, django_assert_max_num_queries):
    _halaman(Client(), dok_bertanda)  # warm the validation cache
    with django_assert_max_num_queries(12):
        _halaman(Client(), dok_bertanda)


# --- the upload check --------------------------------------------------------------------------------


def _unggah(data: bytes, nama: str = "dok.pdf", client: Client | None = None, **extra: str):
    berkas = io.BytesIO(data)
    berkas.name = nama
    return (client or Client()).post(reverse("dokumen:periksa_berkas"), {"berkas": berkas, **extra})


def test_check_page_is_public():
    response = Client().get(reverse("dokumen:periksa_berkas"))
    assert response.status_code == 200 and "Periksa keaslian berkas PDF" in response.content.decode()


def test_registered_signed_file_is_recognised_as_the_latest(dok_bertanda, bertanda):
    response = _unggah(bertanda[1])
    html = response.content.decode()
    assert response.status_code == 200
    assert "terdaftar di Kinerja dan merupakan berkas terakhir" in html
    assert reverse("dokumen:verifikasi", args=[dok_bertanda.token]) in html
    assert PENANDA in html and "Sah" in html and "ada-tidak-sah" not in html


def test_earlier_revision_is_recognised_but_not_the_latest(dok_bertanda, bertanda, ca):
    lama = bertanda[1]
    penilai = pdf.muat_p12(ca_demo.buat_p12(ca, "Penilai Dua", "x-123"), "x-123")
    baru = pdf.tanda_tangani_p12(lama, penilai, "ttd-penilai", "Menetapkan", "Kota Uji").pdf
    dok_bertanda.berkas_sha256 = _sha(baru)
    dok_bertanda.save()
    hasil = verifikasi.periksa_unggahan(io.BytesIO(lama), len(lama))
    assert hasil.dokumen == dok_bertanda and not hasil.terbaru and not hasil.revisi_berkas_terakhir
    assert "bukan berkas terakhir" in _unggah(lama).content.decode()


def test_tampered_copy_is_not_valid_and_not_registered(dok_bertanda, bertanda):
    rusak = bytearray(bertanda[1])
    rusak[len(bertanda[0]) // 2] ^= 0x01  # one byte inside the signed first revision
    html = _unggah(bytes(rusak)).content.decode()
    assert "tidak terdaftar" in html
    assert "Tidak sah" in html and 'id="ada-tidak-sah"' in html


def test_unknown_issuer_is_intact_but_not_trusted(bertanda):
    penanda = pdf.muat_p12(ca_demo.buat_p12(ca_demo.buat_ca("CA Asing"), "Orang Lain", "p-123"), "p-123")
    asing = pdf.tanda_tangani_p12(bertanda[0], penanda, "ttd-pegawai", "x", "y").pdf
    html = _unggah(asing).content.decode()
    assert "Utuh tetapi penerbit tidak tepercaya" in html and "tidak terdaftar" in html


def test_pdf_without_signatures_and_non_pdf_get_clear_messages(bertanda):
    assert 'id="tanpa-ttd"' in _unggah(bertanda[0]).content.decode()
    response = _unggah(b"MZ\x90\x00 bukan pdf", "virus.pdf")
    assert response.status_code == 400 and "bukan PDF" in response.content.decode()
    response = Client().post(reverse("dokumen:periksa_berkas"), {})
    assert response.status_code == 400 and "Pilih berkas PDF" in response.content.decode()


def test_too_large_file_is_refused_without_reading_it(monkeypatch, bertanda):
    monkeypatch.setattr(verifikasi, "BATAS_UNGGAH_MB", 0)
    response = _unggah(bertanda[0])
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()


def test_nothing_uploaded_is_stored(bertanda, settings):
    jumlah = Dokumen.objects.count(), TandaTangan.objects.count()
    _unggah(bertanda[1])
    assert (Dokumen.objects.count(), TandaTangan.objects.count()) == jumlah
    assert not (settings.MEDIA_ROOT).exists() or not any(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_uploads_are_throttled_per_address(monkeypatch, bertanda):
    monkeypatch.setattr(verifikasi, "BATAS_UNGGAH_PER_JENDELA", 2)
    client = Client(REMOTE_ADDR="10.0.0.7")
    assert [_unggah(bertanda[0], client=client).status_code for _ in range(3)] == [200, 200, 429]
    assert _unggah(bertanda[0], client=Client(REMOTE_ADDR="10.0.0.8")).status_code == 200


def test_upload_from_another_documents_page_warns(dok_bertanda, bertanda):
    html = _unggah(bertanda[1], token="lain" * 10).content.decode()
    assert "bukan dokumen yang halaman verifikasinya Anda buka" in html
