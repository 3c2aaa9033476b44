"""The instansi's kop (docs/rules.md §31): uploads checked (PNG/JPEG, ≤ 1 MB, a real image), the PDF
renderer reads the uploaded images under MEDIA_ROOT/instansi/ and nothing else, the kop on the documents."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image

from kinerja.common import pdf
from kinerja.dokumen.konteks import kop
from kinerja.organisasi import services
from kinerja.organisasi.models import Instansi
from tests import builders as b
from tests.dokumen.conftest import pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("organisasi:pengaturan")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def gambar(format_: str = "PNG", ukuran: tuple[int, int] = (37, 23)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", ukuran, (20, 60, 140)).save(buf, format=format_)
    return buf.getvalue()


def _lebar_gambar(content: bytes) -> set[int]:
    """The widths of the images a PDF embeds (its image XObjects)."""
    return {int(w) for w in re.findall(rb"/Subtype\s*/Image.*?/Width\s+(\d+)", content, re.S)} | {
        int(w) for w in re.findall(rb"/Width\s+(\d+).*?/Subtype\s*/Image", content, re.S)
    }


def _html_kop(instansi: Instansi, **extra: Any) -> str:
    isi = render_to_string("dokumen/_kop.html", {"kop": kop(instansi), **extra})
    return f"<html><body>{isi}<p>Isi surat</p></body></html>"


@pytest.fixture
def tim():  # type: ignore[no-untyped-def]
    return b.atasan_dan_bawahan(b.InstansiFactory(nama="Badan Kepegawaian Uji", kota="Sukamaju"))


def _post(client: Any, instansi: Instansi, **files: Any) -> Any:
    data: dict[str, Any] = {
        n: getattr(instansi, n)
        for n in services.PENGATURAN_INSTANSI
        if n not in services.GAMBAR_KOP and getattr(instansi, n) not in (None, False)
    }
    data.pop("ambang_capaian_organisasi", None), data.pop("ambang_rating", None)
    data.pop("pemetaan_rating_pimpinan", None), data.pop("predikat_tinjauan_sanksi", None)
    data.update({f"pemetaan_rating_pimpinan_{i}": "" for i in range(5)})
    from kinerja.rules.kuadran import PIMPINAN_DEFAULT
    from kinerja.rules.types import CapaianOrganisasi

    for i, c in enumerate(CapaianOrganisasi):
        data[f"pemetaan_rating_pimpinan_{i}"] = PIMPINAN_DEFAULT[c].value
    data.update(nama_induk="Pemerintah Kota Sukamaju", telepon="(0274) 555123", surel="bkd@sukamaju.go.id")
    data.update(files)
    return client.post(URL, data)


def test_admin_uploads_a_logo_and_it_appears_in_the_kop(tim):  # type: ignore[no-untyped-def]
    admin = b.klien(tim.admin)
    page = admin.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in page and "Kop surat" in page
    response = _post(admin, tim.instansi, logo=SimpleUploadedFile("kop.png", gambar(), "image/png"))
    assert response.status_code == 302, response.content.decode()[:2000]
    instansi = Instansi.objects.get(pk=tim.instansi.pk)
    assert instansi.logo.name.startswith("instansi/logo/logo") and instansi.logo.name.endswith(".png")
    assert instansi.nama_induk == "Pemerintah Kota Sukamaju" and instansi.telepon == "(0274) 555123"
    konten = pdf.render_pdf(_html_kop(instansi))
    assert 37 in _lebar_gambar(konten)  # the uploaded 37 × 23 logo is embedded
    text = pdf_text(konten)
    assert "PEMERINTAH KOTA SUKAMAJU" in text and "BADAN KEPEGAWAIAN UJI" in text
    assert "Telepon (0274) 555123" in text and "Surel bkd@sukamaju.go.id" in text
    # The Garuda variant: only the lambang, centred, no instansi lines.
    _post(admin, instansi, lambang_garuda=SimpleUploadedFile("g.jpg", gambar("JPEG", (41, 41)), "image/jpeg"))
    instansi.refresh_from_db()
    assert instansi.lambang_garuda.name.endswith(".jpg")
    garuda = pdf.render_pdf(_html_kop(instansi, garuda=True))
    assert 41 in _lebar_gambar(garuda) and "BADAN KEPEGAWAIAN UJI" not in pdf_text(garuda)


@pytest.mark.parametrize(
    ("nama", "isi", "pesan"),
    [
        ("logo.png", b"bukan gambar sama sekali", "bukan gambar PNG atau JPEG yang dapat dibaca"),
        ("logo.gif", gambar("GIF"), "harus berupa gambar PNG atau JPEG (berkas ini GIF)"),
        ("logo.png", gambar() + b"\0" * (1024 * 1024), "paling besar 1 MB"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "bukan gambar PNG atau JPEG"),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_at_the_field(tim, nama, isi, pesan):  # type: ignore[no-untyped-def]
    response = _post(b.klien(tim.admin), tim.instansi, logo=SimpleUploadedFile(nama, isi))
    assert response.status_code == 200
    assert pesan in response.content.decode()
    instansi = Instansi.objects.get(pk=tim.instansi.pk)
    assert not instansi.logo and instansi.nama_induk == ""  # nothing half-saved


def test_another_instansi_admin_and_a_pegawai_may_not_change_the_kop(tim, other_instansi):  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="Hanya admin kepegawaian"):
        services.update_pengaturan_instansi(tim.instansi, tim.bawahan.user, nama_induk="X")
    assert b.klien(tim.bawahan.user).get(URL).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://127.0.0.1:9/logo.png",
        "file:///etc/passwd",
        "ftp://example.com/logo.png",
    ],
)
def test_remote_and_other_urls_are_refused(url):  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="disallowed protocol"):
        pdf._HanyaDataUri().fetch(url)


def test_only_images_under_media_instansi_are_read(settings, tmp_path):  # type: ignore[no-untyped-def]
    media = Path(settings.MEDIA_ROOT)
    (media / "instansi" / "logo").mkdir(parents=True)
    (media / "dokumen").mkdir()
    logo = media / "instansi" / "logo" / "logo.png"
    logo.write_bytes(gambar())
    rahasia = media / "dokumen" / "rahasia.png"
    rahasia.write_bytes(gambar())
    (media / "instansi" / "tautan.png").symlink_to(rahasia)
    assert pdf.berkas_kop_boleh(logo.as_uri())
    assert pdf._HanyaDataUri().fetch(logo.as_uri())
    for ditolak in (
        rahasia.as_uri(),  # under MEDIA_ROOT but not instansi/
        (media / "instansi" / "tautan.png").as_uri(),  # a symlink out of instansi/
        f"file://{media}/instansi/logo/../../dokumen/rahasia.png",  # .. out of instansi/
        f"file://{media}/instansi/logo/tidak-ada.png",
        "file://evil.example.com" + str(logo),  # a remote host
    ):
        assert not pdf.berkas_kop_boleh(ditolak), ditolak
        with pytest.raises(ValueError, match="disallowed protocol"):
            pdf._HanyaDataUri().fetch(ditolak)
    (media / "instansi" / "catatan.txt").write_text("x")
    assert not pdf.berkas_kop_boleh((media / "instansi" / "catatan.txt").as_uri())  # not an image name
    html = f'<html><body><img src="{rahasia.as_uri()}"><img src="https://example.com/x.png"><p>Uji</p></body></html>'
    konten = pdf.render_pdf(html)
    assert "Uji" in pdf_text(konten) and not _lebar_gambar(konten)  # neither was loaded
