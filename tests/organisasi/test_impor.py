"""Excel import of unit kerja, jabatan, pegawai and penempatan: all or nothing, errors located, idempotent."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.organisasi import selectors, services
from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, UnitKerja, User
from tests.organisasi.test_impor_sotk import post_job

pytestmark = pytest.mark.django_db

URL = reverse("organisasi:impor")
TEMPLATE_URL = reverse("organisasi:impor_template")
D = datetime.date

NIP_KADIS = "197001012000031001"
NIP_KABID = "197502022001122002"
NIP_KASI = "198003032005011003"
NIP_ANALIS = "198504042010012004"
NIP_STAF = "199005052015031005"
NIP_PPPK = "199206062023211006"
NIP_LAIN = "198001012005011001"  # the pegawai of `other_instansi` (tests/conftest.py)

UNITS = [  # child before parent on purpose: the import orders by depth
    ["SEKSI-1", "Seksi Satu", "BIDANG-1"],
    ["BIDANG-1", "Bidang Satu", "DINAS"],
    ["DINAS", "Dinas Uji", None],
]
JABATAN = [
    [
        "ANALIS",
        "Analis SDM Aparatur Ahli Muda",
        "Fungsional",
        "Ahli Muda",
        "SEKSI-1",
        "KASI",
        "Tidak",
        "Tidak",
    ],
    ["KASI", "Kepala Seksi Satu", "pengawas", None, "SEKSI-1", "KABID", "ya", None],
    ["KABID", "Kepala Bidang Satu", "Administrator", "", "BIDANG-1", "KADIS", "Ya", "Tidak"],
    ["KADIS", "Kepala Dinas", "JPT Pratama", None, "DINAS", None, "Ya", "Ya"],
    ["STAF", "Pengadministrasi Perkantoran", "PELAKSANA", None, "SEKSI-1", "KASI", None, None],
]
PEGAWAI = [
    [NIP_KADIS, "Budi Santoso", "Dr.", "M.Si.", "PNS", "IV/c", "budi@contoh.go.id", "Ya"],
    [NIP_KABID, "Sri Wahyuni", None, "S.E.", "pns", "IV/a", None, None],
    [NIP_KASI, "Agus Salim", None, None, "PNS", "iii/d", None, "Ya"],
    ["19850404 201001 2 004", "Dewi Lestari", None, "S.Psi.", "PNS", "III/c", "dewi@contoh.go.id", "Ya"],
    [NIP_STAF, "Rudi Hartono", None, None, "PNS", "II/c", None, "Ya"],
    [NIP_PPPK, "Nina Marlina", None, "S.Kom.", "PPPK", "IX", None, "Ya"],
]
PENEMPATAN = [
    [NIP_KADIS, "KADIS", "Definitif", datetime.datetime(2020, 1, 1), None, "800/1/2020"],
    [NIP_KABID, "KABID", "definitif", "01-01-2020", None, None],
    [NIP_KASI, "KASI", None, "2020-01-01", None, None],
    [NIP_ANALIS, "STAF", "Definitif", "01-01-2019", "31-01-2021", "800/9/2019"],
    [NIP_ANALIS, "ANALIS", "Definitif", D(2021, 2, 1), None, None],
    [NIP_STAF, "STAF", "Definitif", D(2022, 1, 1), None, None],
    [NIP_PPPK, "KABID", "PLT", D(2020, 6, 1), D(2020, 6, 30), None],
]
FULL = {"Unit Kerja": UNITS, "Jabatan": JABATAN, "Pegawai": PEGAWAI, "Penempatan": PENEMPATAN}


# --- fixtures and helpers ---------------------------------------------------------------------------


@pytest.fixture
def instansi(db: None) -> Instansi:
    return Instansi.objects.create(kode="DINAS-UJI", nama="Dinas Uji Coba")


@pytest.fixture
def admin(instansi: Instansi) -> User:
    return User.objects.create(username="admin-uji", admin_instansi=instansi)


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def template(client: Client) -> Workbook:
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def fill(wb: Workbook, data: dict[str, list[list[Any]]]) -> Workbook:
    for sheet, rows in data.items():
        for row in rows:
            wb[sheet].append(row)
    return wb


def as_upload(wb: Workbook, name: str = "impor.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


def upload(client: Client, wb: Workbook) -> Any:
    """Upload, and confirm the preview when the file had no errors (the page then imports it)."""
    response = post_job(client, URL, {"berkas": as_upload(wb)})
    assert response.status_code == 200
    tertunda = response.context.get("tertunda")
    if tertunda is not None:
        response = post_job(client, reverse("organisasi:impor_terapkan", args=[tertunda.kode]))
        assert response.status_code == 200
    return response


def workbook(data: dict[str, list[list[Any]]]) -> Workbook:
    """The template (built directly) filled with `data`."""
    return fill(load_workbook(io.BytesIO(impor.build_template())), data)


def parse(data: dict[str, list[list[Any]]], instansi: Instansi) -> impor.ImportPlan:
    return impor.parse_workbook(as_upload(workbook(data)), instansi)


def errors_of(response: Any) -> list[impor.RowError]:
    return list(response.context.get("kesalahan") or [])


def model_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (UnitKerja, Jabatan, Pegawai, Penempatan)}


def history_counts() -> dict[str, int]:
    return {m.__name__: m.history.count() for m in (UnitKerja, Jabatan, Pegawai, Penempatan)}


def with_rows(sheet: str, rows: list[list[Any]]) -> dict[str, list[list[Any]]]:
    return {**FULL, sheet: rows}


# --- the page and the template ----------------------------------------------------------------------


def test_page_explains_and_offers_template_and_upload(admin_client: Client) -> None:
    page = admin_client.get(URL).content.decode()
    assert "Unduh template Excel" in page
    assert 'name="berkas"' in page and 'type="file"' in page
    assert '<label class="form-label" for="id_berkas">' in page
    assert ">Periksa berkas</button>" in page
    for sheet in ("Unit Kerja", "Jabatan", "Pegawai", "Penempatan"):
        assert sheet in page


def test_template_has_four_empty_data_sheets_with_headers_dropdowns_and_text_nip(
    admin_client: Client,
) -> None:
    response = admin_client.get(TEMPLATE_URL)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Petunjuk", "Unit Kerja", "Jabatan", "Pegawai", "Penempatan"]
    headers = {
        "Unit Kerja": ["kode", "nama", "kode_induk"],
        "Jabatan": [
            "kode",
            "nama",
            "jenis",
            "jenjang",
            "kode_unit",
            "kode_atasan",
            "pimpinan_unit",
            "unit_kerja_mandiri",
            "formasi",
            "eselon",
        ],
        "Pegawai": [
            "nip",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "jenis_asn",
            "pangkat_golongan",
            "email",
            "aktif",
        ],
        "Penempatan": ["nip", "kode_jabatan", "jenis", "mulai", "selesai", "nomor_sk"],
    }
    for sheet, names in headers.items():
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == names
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.max_row == 1, f"{sheet} must have no example rows"
    assert wb["Pegawai"].column_dimensions["A"].number_format == "@"
    assert wb["Penempatan"].column_dimensions["A"].number_format == "@"
    lists = {dv.formula1 for dv in wb["Jabatan"].data_validations.dataValidation}
    assert any("JPT Pratama" in f and "Fungsional" in f for f in lists)
    assert any("Ahli Muda" in f for f in lists)
    petunjuk = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    assert "Ahli Muda" in petunjuk and "198503152010012001" in petunjuk and "Dinas Uji Coba" in petunjuk


# --- a whole import -----------------------------------------------------------------------------------


def test_full_import_creates_everything_and_the_penilai_chain_works(
    admin_client: Client, instansi: Instansi
) -> None:
    response = upload(admin_client, fill(template(admin_client), FULL))
    page = response.content.decode()
    assert "Impor berhasil" in page, errors_of(response)
    counts = response.context["hasil"].counts
    assert {s: (c.created, c.updated, c.unchanged) for s, c in counts.items()} == {
        "Unit Kerja": (3, 0, 0),
        "Jabatan": (5, 0, 0),
        "Pegawai": (6, 0, 0),
        "Penempatan": (7, 0, 0),
    }

    seksi = UnitKerja.objects.get(instansi=instansi, kode="SEKSI-1")
    assert seksi.parent.kode == "BIDANG-1" and seksi.parent.parent.kode == "DINAS"
    assert seksi.depth == 2 and seksi.path == f"/{seksi.parent.parent.pk}/{seksi.parent.pk}/{seksi.pk}/"
    analis = Jabatan.objects.get(instansi=instansi, kode="ANALIS")
    assert (analis.jenis, analis.jenjang, analis.parent.kode) == ("fungsional", "ahli_muda", "KASI")
    kadis = Jabatan.objects.get(instansi=instansi, kode="KADIS")
    assert (kadis.jenis, kadis.pimpinan_unit, kadis.unit_kerja_mandiri) == ("jpt_pratama", True, True)
    assert Jabatan.objects.get(instansi=instansi, kode="KASI").jenis == "pengawas"
    dewi = Pegawai.objects.get(nip=NIP_ANALIS)  # typed with spaces in the file
    assert (dewi.instansi, dewi.gelar_belakang, dewi.pangkat_golongan) == (instansi, "S.Psi.", "III/c")
    assert Pegawai.objects.get(nip=NIP_KASI).pangkat_golongan == "III/d"
    pppk = Pegawai.objects.get(nip=NIP_PPPK)
    assert (pppk.jenis_asn, pppk.pangkat_golongan) == ("pppk", "IX")
    lama = Penempatan.objects.get(pegawai=dewi, jabatan__kode="STAF")
    assert (lama.mulai, lama.selesai, lama.nomor_sk) == (D(2019, 1, 1), D(2021, 1, 31), "800/9/2019")
    assert Penempatan.objects.get(pegawai=pppk).jenis == "plt"

    rantai = selectors.rantai_penilai(dewi, D(2024, 6, 1))
    assert rantai.jabatan == analis
    assert rantai.penilai.pegawai.nip == NIP_KASI
    assert rantai.atasan_penilai.pegawai.nip == NIP_KABID
    rantai_kasi = selectors.rantai_penilai(Pegawai.objects.get(nip=NIP_KASI), D(2024, 6, 1))
    assert (rantai_kasi.penilai.pegawai.nip, rantai_kasi.atasan_penilai.pegawai.nip) == (NIP_KABID, NIP_KADIS)
    assert list(
        Pegawai.objects.get(nip=NIP_KADIS).history.values_list("history_user__username", flat=True)
    ) == ["admin-uji"]


def test_reimporting_the_same_file_changes_nothing(admin_client: Client) -> None:
    wb = fill(template(admin_client), FULL)
    assert "Impor berhasil" in upload(admin_client, wb).content.decode()
    before, history = model_counts(), history_counts()
    response = upload(admin_client, wb)
    assert "Tidak ada perubahan" in response.content.decode()
    counts = response.context["hasil"].counts
    assert all(c.created == 0 and c.updated == 0 for c in counts.values())
    assert [c.unchanged for c in counts.values()] == [3, 5, 6, 7]
    assert model_counts() == before
    assert history_counts() == history


def test_import_updates_exactly_the_pegawai_whose_name_changed(admin_client: Client) -> None:
    upload(admin_client, fill(template(admin_client), FULL))
    history = history_counts()
    pegawai = [list(row) for row in PEGAWAI]
    pegawai[2][1] = "Agus Salim Wijaya"
    response = upload(admin_client, fill(template(admin_client), with_rows("Pegawai", pegawai)))
    counts = response.context["hasil"].counts
    assert (counts["Pegawai"].updated, counts["Pegawai"].unchanged, counts["Pegawai"].created) == (1, 5, 0)
    assert Pegawai.objects.get(nip=NIP_KASI).nama == "Agus Salim Wijaya"
    assert history_counts() == {**history, "Pegawai": history["Pegawai"] + 1}


def test_import_moves_a_subtree_and_keeps_paths_right(admin_client: Client, instansi: Instansi) -> None:
    upload(admin_client, fill(template(admin_client), FULL))
    units = [["BIDANG-2", "Bidang Dua", "DINAS"], ["SEKSI-1", "Seksi Satu", "BIDANG-2"]]
    response = upload(admin_client, fill(template(admin_client), {"Unit Kerja": units}))
    counts = response.context["hasil"].counts["Unit Kerja"]
    assert (counts.created, counts.updated) == (1, 1)
    dinas, bidang2, seksi = (
        UnitKerja.objects.get(instansi=instansi, kode=k) for k in ("DINAS", "BIDANG-2", "SEKSI-1")
    )
    assert seksi.path == f"/{dinas.pk}/{bidang2.pk}/{seksi.pk}/"
    for jabatan in Jabatan.objects.filter(unit=seksi):
        assert jabatan.unit.path == seksi.path


def test_import_closes_a_placement_and_opens_the_next(admin_client: Client) -> None:
    upload(admin_client, fill(template(admin_client), FULL))
    penempatan = [
        [NIP_STAF, "STAF", "Definitif", D(2022, 1, 1), D(2024, 12, 31), None],  # same key: an update
        [NIP_STAF, "ANALIS", "Definitif", D(2025, 1, 1), None, None],
        [NIP_ANALIS, "ANALIS", "Definitif", D(2021, 2, 1), D(2024, 12, 31), None],
        [NIP_ANALIS, "KASI", "PLH", D(2025, 1, 1), D(2025, 1, 10), None],
    ]
    response = upload(admin_client, fill(template(admin_client), {"Penempatan": penempatan}))
    assert "Impor berhasil" in response.content.decode(), errors_of(response)
    counts = response.context["hasil"].counts["Penempatan"]
    assert (counts.created, counts.updated) == (2, 2)
    staf = Pegawai.objects.get(nip=NIP_STAF)
    assert selectors.jabatan_utama(staf, D(2025, 3, 1)).jabatan.kode == "ANALIS"


# --- errors: located, and nothing imported ------------------------------------------------------------


def test_bad_nip_in_pegawai_row_7_is_located_and_nothing_is_imported(admin_client: Client) -> None:
    pegawai = [list(row) for row in PEGAWAI]
    pegawai[5][0] = "12345"  # the sixth data row is Excel row 7
    before, history = model_counts(), history_counts()
    response = upload(admin_client, fill(template(admin_client), with_rows("Pegawai", pegawai)))
    page = response.content.decode()
    errors = errors_of(response)
    assert [(e.sheet, e.row, e.column, e.value) for e in errors if e.column == "nip"][0] == (
        "Pegawai",
        7,
        "nip",
        "12345",
    )
    assert "NIP harus 18 digit angka" in errors[0].message
    assert f"Tidak ada data yang diimpor. Perbaiki {len(errors)} kesalahan berikut lalu unggah ulang." in page
    assert '<th scope="col">Baris</th>' in page and "NIP harus 18 digit angka" in page
    assert model_counts() == before
    assert not Pegawai.objects.filter(nip__in=[NIP_KADIS, NIP_KABID]).exists()
    assert history_counts() == history


def test_unknown_parent_kode(instansi: Instansi) -> None:
    plan = parse({"Unit Kerja": [["A", "Unit A", None], ["B", "Unit B", "X"]]}, instansi)
    assert [(e.sheet, e.row, e.column, e.value) for e in plan.errors] == [
        ("Unit Kerja", 3, "kode_induk", "X")
    ]
    assert plan.errors[0].message == (
        "kode_induk 'X' tidak ditemukan di sheet Unit Kerja maupun di database instansi ini"
    )


def test_parent_may_already_exist_in_the_database(admin_client: Client, instansi: Instansi) -> None:
    upload(admin_client, fill(template(admin_client), FULL))
    plan = parse(
        {
            "Unit Kerja": [["SEKSI-2", "Seksi Dua", "BIDANG-1"]],
            "Jabatan": [["KASI-2", "Kepala Seksi Dua", "Pengawas", None, "SEKSI-2", "KABID", "Ya", "Tidak"]],
        },
        instansi,
    )
    assert plan.ok, plan.errors


def test_cycles_in_kode_induk_and_kode_atasan(instansi: Instansi) -> None:
    plan = parse(
        {
            "Unit Kerja": [["A", "Unit A", "B"], ["B", "Unit B", "A"], ["C", "Unit C", "C"]],
            "Jabatan": [
                ["J1", "Jabatan 1", "Pelaksana", None, "A", "J2", None, None],
                ["J2", "Jabatan 2", "Pelaksana", None, "A", "J1", None, None],
            ],
        },
        instansi,
    )
    found = {(e.sheet, e.row, e.column): e.message for e in plan.errors}
    assert found[("Unit Kerja", 2, "kode_induk")] == "kode_induk membentuk siklus: A → B → A"
    assert "siklus" in found[("Unit Kerja", 3, "kode_induk")]
    assert "dirinya sendiri" in found[("Unit Kerja", 4, "kode_induk")]
    assert "kode_atasan membentuk siklus" in found[("Jabatan", 2, "kode_atasan")]
    assert ("Jabatan", 3, "kode_atasan") in found


def test_cycle_through_the_database(admin_client: Client, instansi: Instansi) -> None:
    upload(admin_client, fill(template(admin_client), FULL))
    plan = parse({"Unit Kerja": [["DINAS", "Dinas Uji", "SEKSI-1"]]}, instansi)
    assert [e.message for e in plan.errors] == [
        "kode_induk membentuk siklus: DINAS → SEKSI-1 → BIDANG-1 → DINAS"
    ]


def test_duplicate_nip_and_kode_in_the_file(instansi: Instansi) -> None:
    pegawai = [*PEGAWAI, ["1970 0101 200003 1 001", "Budi Lagi", None, None, "PNS", None, None, None]]
    units = [*UNITS, ["DINAS", "Dinas Lagi", None]]
    plan = parse({**FULL, "Pegawai": pegawai, "Unit Kerja": units}, instansi)
    found = {(e.sheet, e.row, e.column): e.message for e in plan.errors}
    assert found == {
        ("Unit Kerja", 5, "kode"): "kode unit sudah ada di baris 4 sheet Unit Kerja; "
        "setiap kode unit hanya boleh muncul sekali",
        ("Pegawai", 8, "nip"): "NIP sudah ada di baris 2 sheet Pegawai; setiap NIP hanya boleh muncul sekali",
    }


def test_nip_registered_in_another_instansi(instansi: Instansi, other_instansi: Instansi) -> None:
    plan = parse(
        {
            **FULL,
            "Pegawai": [*PEGAWAI, [NIP_LAIN, "Pegawai Lain", None, None, "PNS", None, None, None]],
            "Penempatan": [*PENEMPATAN, [NIP_LAIN, "STAF", "PLT", D(2024, 1, 1), None, None]],
        },
        instansi,
    )
    found = [(e.sheet, e.row, e.column, e.message) for e in plan.errors]
    assert ("Pegawai", 8, "nip", "NIP sudah terdaftar di instansi lain") in found
    plan = parse({"Penempatan": [[NIP_LAIN, "J1", "Definitif", D(2024, 1, 1), None, None]]}, instansi)
    assert [(e.column, e.message) for e in plan.errors] == [
        ("nip", "NIP sudah terdaftar di instansi lain"),
        (
            "kode_jabatan",
            "kode_jabatan 'J1' tidak ditemukan di sheet Jabatan maupun di database instansi ini",
        ),
    ]


def test_nip_already_used_as_a_login_name(instansi: Instansi) -> None:
    User.objects.create(username=NIP_KABID)  # e.g. an admin who chose a NIP as user name
    plan = parse({"Pegawai": PEGAWAI[:2]}, instansi)
    assert [(e.row, e.column, e.message) for e in plan.errors] == [
        (3, "nip", "NIP ini sudah dipakai sebagai nama pengguna akun lain; ubah nama pengguna akun itu dulu")
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("data.xlsx", b"ini bukan berkas excel"),
        ("data.csv", b"kode,nama\nA,Unit A\n"),
        ("rusak.xlsx", b"PK\x03\x04" + b"\x00" * 200),
    ],
)
def test_a_file_that_is_not_xlsx_is_one_clear_error(admin_client: Client, name: str, content: bytes) -> None:
    response = admin_client.post(URL, {"berkas": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    errors = errors_of(response)
    assert len(errors) == 1
    assert "tidak dapat dibaca sebagai Excel .xlsx" in errors[0].message
    assert (
        "Tidak ada data yang diimpor. Perbaiki 1 kesalahan berikut lalu unggah ulang."
        in response.content.decode()
    )


def test_upload_without_a_file_asks_for_one(admin_client: Client) -> None:
    response = admin_client.post(URL, {})
    assert "Pilih berkas Excel (.xlsx) yang akan diimpor." in response.content.decode()


def test_empty_template_is_reported(admin_client: Client) -> None:
    errors = errors_of(upload(admin_client, template(admin_client)))
    assert len(errors) == 1 and "tidak berisi data" in errors[0].message


def test_missing_sheet_and_missing_column_are_named(instansi: Instansi) -> None:
    wb = workbook({})
    del wb["Penempatan"]
    wb["Pegawai"]["H1"] = None  # drop the "aktif" header
    plan = impor.parse_workbook(as_upload(wb), instansi)
    found = {(e.sheet, e.row, e.column): e.message for e in plan.errors}
    assert 'Sheet "Penempatan" tidak ditemukan' in found[("Penempatan", None, "")]
    assert (
        'Kolom "aktif" tidak ada pada baris judul (baris 1) sheet Pegawai' in found[("Pegawai", 1, "aktif")]
    )


def test_upload_over_the_size_cap_is_refused(admin_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(impor, "MAX_UPLOAD_BYTES", 1024)
    before = model_counts()
    errors = errors_of(upload(admin_client, fill(template(admin_client), FULL)))
    assert len(errors) == 1 and "Berkas terlalu besar" in errors[0].message
    assert model_counts() == before


def test_values_by_label_or_value_any_case_and_unknown_values_listed(instansi: Instansi) -> None:
    jabatan = [
        ["A1", "Analis", "fungsional", "ahli_muda", "DINAS", "A2", "YA", "tidak"],
        ["A2", "Kepala", "jpt pratama", None, "DINAS", None, True, False],
        ["A3", "Penata", "Fungsional", "AHLI MADYA", "DINAS", "A2", None, None],
        ["A4", "Kepala Seksi", "Kepala", None, "DINAS", "A2", None, None],
        ["A5", "Kepala Sub", "Pengawas", None, "DINAS", "A2", "mungkin", None],
    ]
    penempatan = [[NIP_KADIS, "A2", "Pelaksana Tugas (Plt.)", D(2024, 1, 1), None, None]]
    plan = parse(
        {
            "Unit Kerja": [["DINAS", "Dinas", None]],
            "Jabatan": jabatan,
            "Pegawai": [PEGAWAI[0]],
            "Penempatan": penempatan,
        },
        instansi,
    )
    found = {(e.row, e.column): e.message for e in plan.errors}
    assert found == {
        (
            5,
            "jenis",
        ): "jenis jabatan tidak dikenal: 'Kepala'; pilih salah satu: JPT Utama, JPT Madya, JPT Pratama, "
        "Administrator, Pengawas, Pelaksana, Fungsional, Struktural",
        (6, "pimpinan_unit"): "pimpinan_unit harus Ya atau Tidak, bukan 'mungkin'",
    }
    by_kode = {r.kode: r for r in plan.jabatan}
    assert (by_kode["A1"].jenis, by_kode["A1"].jenjang, by_kode["A1"].pimpinan_unit) == (
        "fungsional",
        "ahli_muda",
        True,
    )
    assert (by_kode["A2"].jenis, by_kode["A2"].pimpinan_unit) == ("jpt_pratama", True)
    assert by_kode["A3"].jenjang == "ahli_madya"
    assert plan.penempatan[0].jenis == "plt"


def test_jenjang_required_for_fungsional_and_forbidden_otherwise(instansi: Instansi) -> None:
    jabatan = [
        ["F1", "Analis", "Fungsional", None, "DINAS", "P1", None, None],
        ["P1", "Pengawas", "Pengawas", "Ahli Muda", "DINAS", None, None, None],
    ]
    plan = parse({"Unit Kerja": [["DINAS", "Dinas", None]], "Jabatan": jabatan}, instansi)
    found = {(e.row, e.column): e.message for e in plan.errors}
    assert found[(2, "jenjang")].startswith(
        "jenjang wajib diisi untuk jabatan Fungsional; pilih salah satu: Pemula"
    )
    assert found[(3, "jenjang")] == "jenjang hanya untuk jabatan Fungsional; kosongkan untuk jenis 'Pengawas'"


def test_pegawai_field_checks_like_the_form(instansi: Instansi) -> None:
    pegawai = [
        [NIP_KADIS, "A", None, None, "PNS", "IX", None, None],  # PPPK golongan for a PNS
        [NIP_KABID, "B", None, None, "PPPK", "III/a", None, None],  # PNS pangkat for a PPPK
        [NIP_PPPK, "C", None, None, "PNS", None, None, None],  # PPPK-format NIP as PNS
        [NIP_KASI, "D", None, None, "PNS", None, "bukan-email", None],
        [NIP_STAF, None, None, None, "ASN", None, None, "mungkin"],
        [float(198504042010012004), "E", None, None, "PNS", None, None, None],  # Excel's rounded number
        ["198513012010012004", "F", None, None, "PNS", None, None, None],  # month 13
    ]
    plan = parse({"Pegawai": pegawai}, instansi)
    found = {(e.row, e.column): e.message for e in plan.errors}
    assert found[(2, "pangkat_golongan")] == "PNS memakai pangkat/golongan (mis. III/a), bukan golongan PPPK"
    assert found[(3, "pangkat_golongan")] == "PPPK memakai golongan I–XVII, bukan pangkat PNS"
    assert "berformat PPPK" in found[(4, "jenis_asn")]
    assert found[(5, "email")] == "email tidak valid: 'bukan-email'"
    assert found[(6, "nama")] == "nama wajib diisi"
    assert found[(6, "jenis_asn")].startswith("jenis ASN tidak dikenal: 'ASN'; pilih salah satu: PNS, PPPK")
    assert found[(6, "aktif")] == "aktif harus Ya atau Tidak, bukan 'mungkin'"
    assert found[(7, "nip")].startswith("NIP harus diisi sebagai teks (format Teks), bukan angka")
    assert found[(8, "nip")].startswith("Tanggal lahir pada NIP tidak valid")


def test_dates_selesai_before_mulai_and_unreadable_dates(instansi: Instansi) -> None:
    penempatan = [
        [NIP_KADIS, "KADIS", None, "01-01-2024", "31-12-2023", None],
        [NIP_KABID, "KABID", None, "31-02-2024", None, None],
        [NIP_KASI, "KASI", None, "besok", None, None],
        [NIP_ANALIS, "ANALIS", None, None, None, None],
        [NIP_STAF, "STAF", "Tetap", 45292, None, None],  # an Excel serial number is a date (2024-01-01)
    ]
    plan = parse(with_rows("Penempatan", penempatan), instansi)
    found = {(e.row, e.column): e.message for e in plan.errors}
    assert found == {
        (2, "selesai"): "selesai (31 Desember 2023) tidak boleh sebelum mulai (1 Januari 2024)",
        (3, "mulai"): "mulai: tanggal '31-02-2024' tidak ada di kalender",
        (
            4,
            "mulai",
        ): "mulai: 'besok' bukan tanggal; gunakan format dd-mm-yyyy (mis. 02-01-2024) atau yyyy-mm-dd, "
        "atau sel bertipe tanggal",
        (5, "mulai"): "mulai wajib diisi (tanggal dd-mm-yyyy)",
        (6, "jenis"): "jenis penempatan tidak dikenal: 'Tetap'; pilih salah satu: Definitif, PLT, PLH",
    }
    assert plan.penempatan[4].mulai == D(2024, 1, 1)


def test_overlapping_definitif_in_the_file_and_against_the_database(
    admin_client: Client, instansi: Instansi
) -> None:
    penempatan = [
        *PENEMPATAN,
        [NIP_STAF, "KASI", "Definitif", D(2023, 1, 1), None, None],  # STAF already definitif; KASI taken
        [NIP_PPPK, "KABID", "PLT", D(2020, 6, 15), None, None],  # overlaps the PLT on the same jabatan
    ]
    plan = parse(with_rows("Penempatan", penempatan), instansi)
    found = {(e.row, e.column): e.message for e in plan.errors}
    assert list(found) == [(9, "mulai"), (10, "mulai")]
    assert (
        "pegawai ini sudah memegang jabatan definitif 'STAF' mulai 1 Januari 2022 (baris 7 sheet Penempatan)"
        in (found[(9, "mulai")])
    )
    assert "sudah ditempatkan pada jabatan 'KABID'" in found[(10, "mulai")]

    upload(admin_client, fill(template(admin_client), FULL))
    plan = parse({"Penempatan": [[NIP_PPPK, "KASI", "Definitif", D(2021, 1, 1), None, None]]}, instansi)
    assert [e.message for e in plan.errors] == [
        "jabatan 'KASI' sudah dipegang secara definitif oleh NIP 198003032005011003 mulai 1 Januari 2020 "
        "(data yang sudah ada di database) pada rentang tanggal yang tumpang tindih"
    ]
    # Closing the database row in the same file makes room for the new holder.
    plan = parse(
        {
            "Penempatan": [
                [NIP_KASI, "KASI", "Definitif", D(2020, 1, 1), D(2020, 12, 31), None],
                [NIP_PPPK, "KASI", "Definitif", D(2021, 1, 1), None, None],
            ]
        },
        instansi,
    )
    assert plan.ok, plan.errors


def test_a_failure_while_saving_rolls_everything_back(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = services.save_penempatan

    def failing(penempatan: Penempatan, **fields: Any) -> Penempatan:
        if fields["jabatan"].kode == "STAF" and fields["mulai"] == D(2022, 1, 1):
            raise ValidationError({"jabatan": "Jabatan ini sedang dikunci."})
        return real(penempatan, **fields)

    monkeypatch.setattr(services, "save_penempatan", failing)
    before, history = model_counts(), history_counts()
    response = upload(admin_client, fill(template(admin_client), FULL))
    errors = errors_of(response)
    assert [(e.sheet, e.row, e.column, e.message) for e in errors] == [
        ("Penempatan", 7, "kode_jabatan", "Gagal menyimpan: Jabatan ini sedang dikunci.")
    ]
    assert model_counts() == before
    assert history_counts() == history


def test_parse_uses_a_flat_number_of_queries(instansi: Instansi, django_assert_max_num_queries: Any) -> None:
    pegawai = [
        [
            f"19800101200501{1 + i // 999}{1 + i % 999:03d}",
            f"Pegawai {i}",
            None,
            None,
            "PNS",
            None,
            None,
            None,
        ]
        for i in range(1200)
    ]
    units = [["DINAS", "Dinas", None]] + [
        [f"U{i}", f"Unit {i}", "DINAS" if i == 0 else f"U{i - 1}"] for i in range(300)
    ]
    upload_file = as_upload(workbook({"Pegawai": pegawai, "Unit Kerja": units}))
    with django_assert_max_num_queries(8):
        plan = impor.parse_workbook(upload_file, instansi)
    assert plan.ok, plan.errors[:3]
    assert plan.units[-1].depth == 300


# --- who may import ----------------------------------------------------------------------------------


def test_pegawai_without_admin_rights_gets_403(instansi: Instansi) -> None:
    pegawai = Pegawai.objects.create(instansi=instansi, nip=NIP_STAF, nama="Rudi")
    client = Client()
    client.force_login(User.objects.create(username=NIP_STAF, pegawai=pegawai))
    before = model_counts()
    assert client.get(URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert client.post(URL, {"berkas": as_upload(workbook(FULL))}).status_code == 403
    assert model_counts() == before


def test_anonymous_is_sent_to_login() -> None:
    assert Client().get(URL).status_code == 302
    assert Client().get(TEMPLATE_URL).status_code == 302


def test_admin_of_another_instansi_cannot_touch_this_one(
    admin_client: Client, instansi: Instansi, other_instansi: Instansi
) -> None:
    upload(admin_client, fill(template(admin_client), FULL))
    lain = Client()
    lain.force_login(User.objects.get(username="admin-lain"))
    assert "Dinas Uji Coba" not in lain.get(URL).content.decode()

    # Our NIP in their file: refused, our pegawai untouched.
    renamed = [[NIP_KASI, "Nama Diganti", None, None, "PNS", None, None, None]]
    errors = errors_of(post_job(lain, URL, {"berkas": as_upload(workbook({"Pegawai": renamed}))}))
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "nip", "NIP sudah terdaftar di instansi lain")
    ]
    assert Pegawai.objects.get(nip=NIP_KASI).nama == "Agus Salim"

    # Our kode in their file: a unit of their own; our jabatan kode does not exist for them.
    data = {
        "Unit Kerja": [["DINAS", "Dinas Mereka", "U1"]],
        "Penempatan": [[NIP_LAIN, "KADIS", "PLT", D(2024, 1, 1), None, None]],
    }
    errors = errors_of(post_job(lain, URL, {"berkas": as_upload(workbook(data))}))
    assert [(e.sheet, e.column) for e in errors] == [("Penempatan", "kode_jabatan")]
    response = upload(lain, workbook({"Unit Kerja": data["Unit Kerja"]}))
    assert "Impor berhasil" in response.content.decode()
    assert UnitKerja.objects.get(instansi=instansi, kode="DINAS").nama == "Dinas Uji"
    assert UnitKerja.objects.get(instansi=other_instansi, kode="DINAS").nama == "Dinas Mereka"


def test_preview_lists_the_rows_in_file_order(admin_client: Client, instansi: Instansi) -> None:
    # The import writes parents first (UNITS lists the child first); the preview still reads like the file.
    response = post_job(admin_client, URL, {"berkas": as_upload(fill(template(admin_client), FULL))})
    perubahan = dict((sheet, rows) for sheet, rows, _ in response.context["perubahan"])
    for rows in perubahan.values():
        assert [p.row for p in rows] == sorted(p.row for p in rows)
    assert [p.data.split()[0] for p in perubahan["Unit Kerja"]] == ["SEKSI-1", "BIDANG-1", "DINAS"]
