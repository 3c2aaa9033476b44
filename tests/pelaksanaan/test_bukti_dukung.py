"""Bukti dukung: upload validation (each bad case → a clear message, nothing saved), good files and links,
storage under MEDIA_ROOT, download permissions, delete, and the lock after the periode's deadline.

Cast (tests/builders.py `atasan_dan_bawahan`): the bawahan owns an approved SKP 2026 rated by the atasan
(penilai); a colleague of the bawahan is a peer (no right to see it); the admin is the instansi's admin;
`other_instansi` brings a foreign admin.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kinerja.common import berkas
from kinerja.organisasi.models import Instansi, User
from kinerja.pelaksanaan.bukti import services as services_bukti
from kinerja.pelaksanaan.models import BuktiDukung, Realisasi
from kinerja.perencanaan.models import Indikator, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
HARI_INI = datetime.date(2026, 11, 24)  # inside Triwulan IV (open until 5 January 2027)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(services_bukti, "today", lambda: HARI_INI)
    return settings.MEDIA_ROOT


def client_of(user: User | str) -> Client:
    c = Client()
    c.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return c


@pytest.fixture
def realisasi(tim: b.Tim) -> Realisasi:
    """A realisasi of the bawahan's approved SKP in Triwulan IV (open)."""
    skp = Skp.objects.get(pegawai=tim.bawahan, status="disetujui")
    indikator = Indikator.objects.filter(rhk__skp=skp).order_by("pk").first()
    periode = skp.periode.periode_penilaian.get(nomor=4)
    return Realisasi.objects.create(
        indikator=indikator, periode_penilaian=periode, nilai_teks="Laporan selesai"
    )


def unggah(realisasi: Realisasi, nama: str, isi: bytes, who: User | None = None, **extra: str):  # type: ignore[no-untyped-def]
    return client_of(who or realisasi.indikator.rhk.skp.pegawai.user).post(
        reverse("pelaksanaan:bukti", args=[realisasi.pk]),
        {"berkas": SimpleUploadedFile(nama, isi), "keterangan": "uji", **extra},
        **HTMX,
    )


# --- bad uploads: a clear message, nothing saved, realisasi untouched ------------------------------------


@pytest.mark.parametrize(
    ("nama", "isi", "pesan"),
    [
        ("kosong.pdf", b"", "kosong (0 byte)"),
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "program (executable)"),
        ("skrip.pdf", b"#!/bin/sh\nrm -rf /\n", "program (executable)"),
        ("elf.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "program (executable)"),
        ("gambar.pdf", PNG, "Ekstensi .pdf tidak sesuai dengan isi berkas"),
        ("laporan.docx", PDF, "Ekstensi .docx tidak sesuai"),
        ("catatan.txt", b"hanya teks", "Jenis berkas .txt tidak diterima"),
        ("palsu.pdf", b"ini bukan pdf sama sekali", "bukan PDF yang sah"),
        ("arsip.docx", _zip({"a.txt": b"x"}), "bukan dokumen Word (DOCX) yang sah"),
        (
            "bom.docx",
            _zip({"[Content_Types].xml": b"<T/>", "word/d.xml": b"\x00" * (20 * 1024 * 1024)}),
            "zip bomb",
        ),
        ("rusak.docx", b"PK\x03\x04" + b"\x00" * 30, "Berkas rusak"),
    ],
)
def test_bad_upload_is_refused_with_a_message_and_nothing_saved(realisasi, media, nama, isi, pesan) -> None:
    versi = realisasi.versi
    response = unggah(realisasi, nama, isi)
    assert response.status_code == 200
    html = response.content.decode()
    assert pesan in html
    assert "Tidak ada yang disimpan." in html
    assert not BuktiDukung.objects.filter(realisasi=realisasi).exists()
    assert not any(p.is_file() for p in Path(media).rglob("*")) if Path(media).exists() else True
    realisasi.refresh_from_db()
    assert realisasi.versi == versi


def test_too_big_for_the_instansi_setting(realisasi, tim) -> None:
    Instansi.objects.filter(pk=tim.instansi.pk).update(batas_ukuran_bukti_mb=1)
    response = unggah(realisasi, "besar.pdf", PDF + b"0" * (1024 * 1024 + 10))
    assert "melebihi batas 1 MB" in response.content.decode()
    assert not BuktiDukung.objects.exists()


@pytest.mark.parametrize(
    "tautan", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.go.id/a", "data:text/html,hi"]
)
def test_bad_link_scheme_refused(realisasi, pemilik, tautan) -> None:
    response = client_of(pemilik).post(
        reverse("pelaksanaan:bukti", args=[realisasi.pk]), {"tautan": tautan}, **HTMX
    )
    assert "Tautan harus diawali http:// atau https://" in response.content.decode()
    assert not BuktiDukung.objects.exists()


def test_link_too_long_and_nothing_given(realisasi, pemilik) -> None:
    c = client_of(pemilik)
    url = reverse("pelaksanaan:bukti", args=[realisasi.pk])
    assert (
        "Tautan terlalu panjang"
        in c.post(url, {"tautan": "https://a.go.id/" + "x" * 1000}, **HTMX).content.decode()
    )
    assert (
        "Pilih berkas untuk diunggah atau isi tautan"
        in c.post(url, {"keterangan": "x"}, **HTMX).content.decode()
    )
    assert not BuktiDukung.objects.exists()


# --- good uploads -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nama", "isi", "tipe"),
    [
        ("Laporan TW IV.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("notulen.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("rekap.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("surat.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_good_file_accepted_and_stored_under_media_root(realisasi, media, settings, nama, isi, tipe) -> None:
    import hashlib

    response = unggah(realisasi, nama, isi)
    assert "ditambahkan sebagai bukti dukung" in response.content.decode()
    b = BuktiDukung.objects.get(realisasi=realisasi)
    assert b.jenis == "berkas" and b.tipe == tipe and b.ukuran == len(isi)
    assert b.sha256 == hashlib.sha256(isi).hexdigest()
    path = Path(b.berkas.path).resolve()
    assert path.is_relative_to(Path(media).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert path.read_bytes() == isi
    assert b.nama_berkas in response.content.decode()


def test_good_link_accepted(realisasi, pemilik) -> None:
    response = client_of(pemilik).post(
        reverse("pelaksanaan:bukti", args=[realisasi.pk]),
        {"tautan": " https://drive.example.go.id/laporan ", "keterangan": "Folder laporan"},
        **HTMX,
    )
    assert "Tautan ditambahkan" in response.content.decode()
    b = BuktiDukung.objects.get(realisasi=realisasi)
    assert b.jenis == "tautan" and b.tautan == "https://drive.example.go.id/laporan"


def test_file_name_cleaned() -> None:
    assert berkas.sanitise_nama("../../etc/passwd.pdf") == "passwd.pdf"
    assert berkas.sanitise_nama("C:\\Users\\Budi\\Laporan Akhir (final).PDF") == "Laporan_Akhir_final.pdf"
    assert berkas.sanitise_nama("Résumé<script>.docx") == "Resume_script.docx"
    assert berkas.sanitise_nama(".pdf") == "berkas.pdf"
    panjang = berkas.sanitise_nama("a" * 500 + ".xlsx")
    assert len(panjang) <= berkas.PANJANG_NAMA and panjang.endswith(".xlsx")


def test_no_url_serves_media_root(realisasi, pemilik) -> None:
    unggah(realisasi, "laporan.pdf", PDF)
    b = BuktiDukung.objects.get()
    response = client_of(pemilik).get("/media/" + b.berkas.name)
    assert response.status_code == 404


# --- who may add, delete, download ---------------------------------------------------------------


def test_only_the_owner_adds(realisasi, penilai, rekan) -> None:
    assert unggah(realisasi, "laporan.pdf", PDF, who=penilai).status_code == 403
    assert unggah(realisasi, "laporan.pdf", PDF, who=rekan).status_code == 403
    assert not BuktiDukung.objects.exists()


def test_locked_after_the_deadline(realisasi, pemilik, monkeypatch) -> None:
    monkeypatch.setattr(services_bukti, "today", lambda: datetime.date(2027, 1, 6))
    response = unggah(realisasi, "laporan.pdf", PDF)
    html = response.content.decode()
    assert "sudah lewat" in html and "Minta admin kepegawaian membuka kunci" in html
    assert not BuktiDukung.objects.exists()
    # The partial shows the reason instead of the form.
    html = client_of(pemilik).get(reverse("pelaksanaan:bukti", args=[realisasi.pk])).content.decode()
    assert "Tambah bukti" not in html and "sudah lewat" in html


@pytest.fixture
def bukti(realisasi) -> BuktiDukung:
    unggah(realisasi, "laporan.pdf", PDF)
    return BuktiDukung.objects.get(realisasi=realisasi)


@pytest.mark.parametrize("who", ["pemilik", "penilai", "admin"])
def test_download_allowed_to_owner_penilai_admin(bukti, tim, who) -> None:
    user = {"pemilik": tim.bawahan.user, "penilai": tim.atasan.user, "admin": tim.admin}[who]
    response = client_of(user).get(reverse("pelaksanaan:bukti_unduh", args=[bukti.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="laporan')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_pdf_may_be_viewed_inline(bukti, penilai) -> None:
    response = client_of(penilai).get(reverse("pelaksanaan:bukti_unduh", args=[bukti.pk]) + "?lihat=1")
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_refused_to_other_pegawai_and_other_instansi_admin(bukti, rekan, other_instansi) -> None:
    url = reverse("pelaksanaan:bukti_unduh", args=[bukti.pk])
    assert client_of(rekan).get(url).status_code == 403
    assert client_of("admin-lain").get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page
    for who in (rekan, "admin-lain"):
        assert client_of(who).get(reverse("pelaksanaan:bukti", args=[bukti.realisasi_id])).status_code == 403
        assert (
            client_of(who).get(reverse("pelaksanaan:bukti_halaman", args=[bukti.realisasi_id])).status_code
            == 403
        )


def test_partial_lists_evidence_and_only_the_owner_sees_delete(bukti, pemilik, penilai) -> None:
    url = reverse("pelaksanaan:bukti", args=[bukti.realisasi_id])
    owner = client_of(pemilik).get(url).content.decode()
    assert "laporan" in owner and "Hapus" in owner and "Tambah bukti" in owner
    html = client_of(penilai).get(url).content.decode()
    assert "laporan" in html and "Hapus" not in html and "Tambah bukti" not in html
    page = client_of(penilai).get(reverse("pelaksanaan:bukti_halaman", args=[bukti.realisasi_id]))
    assert page.status_code == 200 and "Bukti dukung realisasi" in page.content.decode()


def test_owner_deletes_and_the_file_goes(bukti, pemilik, penilai, django_capture_on_commit_callbacks) -> None:
    path = Path(bukti.berkas.path)
    assert (
        client_of(penilai).post(reverse("pelaksanaan:bukti_hapus", args=[bukti.pk]), **HTMX).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(pemilik).post(reverse("pelaksanaan:bukti_hapus", args=[bukti.pk]), **HTMX)
    assert "Bukti dukung dihapus." in response.content.decode()
    assert not BuktiDukung.objects.exists()
    assert not path.exists()


def test_non_htmx_post_redirects_to_the_page_with_a_message(realisasi, pemilik) -> None:
    c = client_of(pemilik)
    response = c.post(
        reverse("pelaksanaan:bukti", args=[realisasi.pk]),
        {"berkas": SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 10)},
        follow=True,
    )
    assert "program (executable)" in response.content.decode()
    assert not BuktiDukung.objects.exists()
