"""The organisation import as background jobs: the upload request checks only size and format, a job checks
every row and builds the preview with progress, a second job imports all or nothing; errors keep their
sheet, row and column; a double press starts one job."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.demo.bench.massal import workbook_organisasi
from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import ImporTertunda, Instansi, Pegawai, Penempatan, User
from kinerja.pekerjaan import services as pekerjaan_services
from kinerja.pekerjaan.models import Pekerjaan

pytestmark = pytest.mark.django_db

URL = reverse("organisasi:impor")


@pytest.fixture
def instansi(db: None) -> Instansi:
    return Instansi.objects.create(kode="DINAS-LATAR", nama="Dinas Uji Latar")


@pytest.fixture
def admin(instansi: Instansi) -> User:
    return User.objects.create(username="admin-latar", admin_instansi=instansi)


@pytest.fixture
def client(admin: User) -> Client:
    c = Client()
    c.force_login(admin)
    return c


def _berkas(isi: bytes, nama: str = "impor.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(nama, isi, content_type=XLSX_CONTENT_TYPE)


@pytest.fixture
def langkah(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, str]]:
    """Every progress step a job reports (the reporter's pause set to 0 so none is skipped)."""
    seen: list[tuple[int, int, str]] = []
    asli = pekerjaan_services.Laporan.langkah

    def catat(self: Any, selesai: int, jumlah: int, teks: str = "") -> None:
        seen.append((selesai, jumlah, teks))
        asli(self, selesai, jumlah, teks)

    monkeypatch.setattr(pekerjaan_services, "JEDA_LAPORAN", 0)
    monkeypatch.setattr(pekerjaan_services.Laporan, "langkah", catat)
    return seen


def test_an_import_of_3000_rows_runs_as_jobs_with_progress(
    client: Client,
    instansi: Instansi,
    langkah: list[tuple[int, int, str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    isi = workbook_organisasi(1490)  # 10 units, 19 jabatan, 1 490 pegawai, 1 490 penempatan
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"berkas": _berkas(isi)})
    assert response.status_code == 302
    tertunda = ImporTertunda.objects.get()
    periksa = Pekerjaan.objects.get(kunci=impor.kunci_impor(tertunda))
    assert response.url == reverse("organisasi:impor_pekerjaan", args=[periksa.pk])
    assert periksa.status == "selesai", periksa.alasan
    assert periksa.selesai == periksa.jumlah == impor.LANGKAH_IMPOR
    assert [s for s, _, _ in langkah] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert langkah[3][2] == "Memeriksa sheet Pegawai"
    assert not Pegawai.objects.filter(instansi=instansi).exists()  # the preview keeps nothing

    page = client.get(response.url)
    assert page.status_code == 200
    pratinjau = page.context["pratinjau"]
    assert dict((s, c.created) for s, c in pratinjau.rows()) == {
        "Unit Kerja": 10,
        "Jabatan": 19,
        "Pegawai": 1490,
        "Penempatan": 1490,
    }
    assert "Terapkan impor" in page.content.decode()

    langkah.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisasi:impor_terapkan", args=[tertunda.kode]))
    assert response.status_code == 302
    terapkan = Pekerjaan.objects.filter(jenis=impor.JENIS_TERAPKAN).get()
    assert terapkan.status == "selesai", terapkan.alasan
    assert [s for s, _, _ in langkah] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert Pegawai.objects.filter(instansi=instansi).count() == 1490
    assert Penempatan.objects.filter(pegawai__instansi=instansi).count() == 1490
    page = client.get(response.url)
    assert "Impor berhasil" in page.content.decode()
    assert dict((s, c.created) for s, c in page.context["hasil"].rows())["Pegawai"] == 1490
    assert not ImporTertunda.objects.exists()  # the kept upload goes once imported


def test_a_bad_row_saves_nothing_and_the_error_names_sheet_row_and_column(
    client: Client, instansi: Instansi, django_capture_on_commit_callbacks: Any
) -> None:
    wb = load_workbook(io.BytesIO(workbook_organisasi(40)))
    wb["Pegawai"]["E12"] = "Honorer"  # row 12 of sheet Pegawai, column jenis_asn
    buffer = io.BytesIO()
    wb.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"berkas": _berkas(buffer.getvalue())})
    p = Pekerjaan.objects.get()
    assert p.status == "gagal"
    assert "1 kesalahan" in p.alasan and "tidak ada data yang disimpan" in p.alasan
    page = client.get(response.url)
    errors = page.context["kesalahan"]
    assert [(e.sheet, e.row, e.column, e.value) for e in errors] == [("Pegawai", 12, "jenis_asn", "Honorer")]
    assert "Impor gagal" in page.content.decode()
    assert "/terapkan/" not in page.content.decode()  # nothing to confirm
    # The form on the failed job's page uploads the corrected file as a new check (not back to this job).
    assert f'action="{URL}"' in page.content.decode()
    assert not Pegawai.objects.filter(instansi=instansi).exists()


@pytest.mark.parametrize(
    ("isi", "pesan"),
    [
        (b"bukan excel", "tidak dapat dibaca sebagai Excel"),
        (b"", "Berkas kosong"),
    ],
)
def test_the_upload_request_refuses_what_is_not_an_xlsx_without_a_job(
    client: Client, isi: bytes, pesan: str
) -> None:
    response = client.post(URL, {"berkas": _berkas(isi, "data.xlsx")})
    assert response.status_code == 200
    assert pesan in response.content.decode()
    assert not Pekerjaan.objects.exists()
    assert not ImporTertunda.objects.exists()


def test_a_too_big_file_is_refused_by_the_request(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(impor, "MAX_UPLOAD_BYTES", 1024)
    response = client.post(URL, {"berkas": _berkas(workbook_organisasi(10))})
    assert "Berkas terlalu besar" in response.content.decode()
    assert not Pekerjaan.objects.exists()


def test_a_double_press_of_terapkan_starts_one_job(
    client: Client, admin: User, antrean: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"berkas": _berkas(workbook_organisasi(10))})
    tertunda = ImporTertunda.objects.get()
    periksa = Pekerjaan.objects.get()
    pekerjaan_services.jalankan(periksa.pk)  # the worker runs the check
    url = reverse("organisasi:impor_terapkan", args=[tertunda.kode])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert Pekerjaan.objects.filter(jenis=impor.JENIS_TERAPKAN).count() == 1
    assert len(antrean.results) == 2  # the check, then one import


def test_while_the_job_runs_the_page_shows_its_progress_and_polls(client: Client, antrean: Any) -> None:
    response = client.post(URL, {"berkas": _berkas(workbook_organisasi(10))})
    page = client.get(response.url)
    html = page.content.decode()
    assert 'role="progressbar"' in html
    progres = reverse("organisasi:impor_progres", args=[Pekerjaan.objects.get().pk])
    assert progres in html
    assert client.get(progres).status_code == 200
    Pekerjaan.objects.update(status="selesai")
    selesai = client.get(progres)
    assert selesai["HX-Refresh"] == "true"


def test_another_admin_cannot_see_the_upload(client: Client, antrean: Any) -> None:
    response = client.post(URL, {"berkas": _berkas(workbook_organisasi(10))})
    lain = User.objects.create(
        username="admin-lain-latar", admin_instansi=Instansi.objects.create(kode="LAIN", nama="Lain")
    )
    other = Client()
    other.force_login(lain)
    assert other.get(response.url).status_code == 404
