"""One root per instansi, formasi (many holders of a jabatan fungsional/pelaksana), SIASN spellings, a
rounded NIP reported once, the preview kept server-side, the new-instansi page and command, the Ahli
Madya warning (docs/rules.md §8.1, §26)."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi import services
from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import ImporTertunda, Instansi, Jabatan, Pegawai, Penempatan, UnitKerja, User
from tests.organisasi.test_impor_sotk import post_job, xlsx

pytestmark = pytest.mark.django_db

URL = reverse("organisasi:impor")
D = datetime.date
NIP_A, NIP_B, NIP_C = "198004042005011001", "198102022006022002", "198203032007031003"


@pytest.fixture
def instansi(db: None) -> Instansi:
    return Instansi.objects.create(kode="UJI", nama="Pemkab Uji")


@pytest.fixture
def tree(instansi: Instansi) -> dict[str, Any]:
    """Kepala (JPT) → Kepala Seksi (pengawas) → Pengadministrasi (pelaksana)."""
    root = services.save_unit_kerja(
        UnitKerja(instansi=instansi), instansi=instansi, kode="ROOT", nama="Dinas"
    )
    common = {"unit": root, "jenjang": "", "pimpinan_unit": False, "unit_kerja_mandiri": False}
    kepala = services.save_jabatan(
        Jabatan(instansi=instansi), kode="KA", nama="Kepala Dinas", jenis="jpt_pratama", parent=None, **common
    )
    kasi = services.save_jabatan(
        Jabatan(instansi=instansi),
        kode="KASI",
        nama="Kepala Seksi",
        jenis="pengawas",
        parent=kepala,
        **common,
    )
    staf = services.save_jabatan(
        Jabatan(instansi=instansi),
        kode="PP",
        nama="Pengadministrasi Perkantoran",
        jenis="pelaksana",
        parent=kasi,
        formasi=2,
        **common,
    )
    pegawai = [
        services.save_pegawai(Pegawai(instansi=instansi), nip=nip, nama=f"Pegawai {i}")
        for i, nip in enumerate((NIP_A, NIP_B, NIP_C))
    ]
    return {"root": root, "kepala": kepala, "kasi": kasi, "staf": staf, "pegawai": pegawai}


MULAI = D(2024, 1, 1)


def place(pegawai: Pegawai, jabatan: Jabatan, mulai: datetime.date = MULAI) -> Penempatan:
    return services.save_penempatan(
        Penempatan(pegawai=pegawai, jabatan=jabatan), jenis="definitif", mulai=mulai, selesai=None
    )


def admin_client(instansi: Instansi, username: str = "admin-uji") -> Client:
    client = Client()
    client.force_login(User.objects.create(username=username, admin_instansi=instansi))
    return client


def errors(plan: impor.ImportPlan) -> list[tuple[str, int | None, str, str]]:
    return [(e.sheet, e.row, e.column, e.message) for e in plan.errors]


# --- one root unit and one top jabatan per instansi --------------------------------------------------


def test_a_second_root_unit_or_top_jabatan_is_refused_by_the_import(tree: dict[str, Any]) -> None:
    instansi = tree["root"].instansi
    plan = impor.parse_workbook(
        xlsx(
            {
                "Unit Kerja": [["PEMKAB", "Pemerintah Kabupaten Lain", None]],
                "Jabatan": [["SEKDA", "Sekretaris Daerah", "JPT Pratama", None, "ROOT", None, "Ya", "Tidak"]],
            }
        ),
        instansi,
    )
    found = errors(plan)
    assert [(sheet, row, column) for sheet, row, column, _ in found] == [
        ("Unit Kerja", 2, "kode_induk"),
        ("Jabatan", 2, "kode_atasan"),
    ]
    assert "'PEMKAB' unit tertinggi kedua" in found[0][3] and "'ROOT'" in found[0][3]
    assert "buat instansi baru" in found[0][3]
    assert "'SEKDA' jabatan tertinggi kedua" in found[1][3] and "'KA'" in found[1][3]


def test_two_roots_in_one_file_for_an_empty_instansi(instansi: Instansi) -> None:
    plan = impor.parse_workbook(
        xlsx({"Unit Kerja": [["A", "Satu", None], ["B", "Dua", None], ["C", "Tiga", "A"]]}), instansi
    )
    assert [(row, column) for _, row, column, _ in errors(plan)] == [(3, "kode_induk")]
    assert "di baris 2 sheet Unit Kerja" in plan.errors[0].message


def test_the_existing_root_stays_the_root_whatever_the_row_order(tree: dict[str, Any]) -> None:
    instansi = tree["root"].instansi
    rows = [["BARU", "Unit Baru", None], ["ROOT", "Dinas", None]]
    plan = impor.parse_workbook(xlsx({"Unit Kerja": rows}), instansi)
    assert [(row, column) for _, row, column, _ in errors(plan)] == [(2, "kode_induk")]
    assert "'BARU' unit tertinggi kedua" in plan.errors[0].message and "'ROOT'" in plan.errors[0].message
    # Moving the existing root under a new one keeps one root: allowed.
    rows = [["BARU", "Pemerintah Kabupaten", None], ["ROOT", "Dinas", "BARU"]]
    assert impor.parse_workbook(xlsx({"Unit Kerja": rows}), instansi).ok


def test_the_services_and_forms_refuse_a_second_root(tree: dict[str, Any], instansi: Instansi) -> None:
    with pytest.raises(ValidationError, match="sudah memiliki unit tertinggi"):
        services.save_unit_kerja(
            UnitKerja(instansi=instansi), instansi=instansi, kode="X", nama="X", parent=None
        )
    # Moving the root itself stays allowed (it is the same root).
    services.save_unit_kerja(tree["root"], nama="Dinas Uji", parent=None)
    client = admin_client(instansi)
    response = client.post(
        reverse("organisasi:jabatan_create"),
        {"kode": "KA2", "nama": "Kepala Lain", "jenis": "jpt_pratama", "unit": tree["root"].pk, "parent": ""},
    )
    assert response.status_code == 200
    assert "sudah memiliki jabatan tertinggi (KA Kepala Dinas)" in response.content.decode()
    assert not Jabatan.objects.filter(kode="KA2").exists()


# --- formasi: many holders of a jabatan fungsional / pelaksana, one of a leadership jabatan --------------


def test_a_pelaksana_row_has_many_definitif_holders_a_pengawas_one(tree: dict[str, Any]) -> None:
    a, b, c = tree["pegawai"]
    place(a, tree["staf"])
    place(b, tree["staf"])  # was refused as "tumpang tindih"
    place(c, tree["kasi"])
    d = services.save_pegawai(Pegawai(instansi=c.instansi), nip="199107072015011007", nama="Empat")
    with pytest.raises(ValidationError, match="sudah dipegang secara definitif"):
        place(d, tree["kasi"], D(2025, 1, 1))


def test_a_jabatan_held_by_many_cannot_be_an_atasan(tree: dict[str, Any], instansi: Instansi) -> None:
    a, b, _ = tree["pegawai"]
    place(a, tree["staf"])
    place(b, tree["staf"])
    with pytest.raises(ValidationError, match="dipegang beberapa pegawai sekaligus"):
        services.save_jabatan(
            Jabatan(instansi=instansi),
            kode="X",
            nama="Bawahan",
            jenis="pelaksana",
            jenjang="",
            unit=tree["root"],
            parent=tree["staf"],
            pimpinan_unit=False,
            unit_kerja_mandiri=False,
        )
    with pytest.raises(ValidationError, match="jabatan pimpinan hanya boleh satu pemangku"):
        services.save_jabatan(Jabatan.objects.get(pk=tree["staf"].pk), jenis="pengawas")


def test_import_many_holders_formasi_warning_and_leadership_limits(tree: dict[str, Any]) -> None:
    instansi = tree["root"].instansi
    penempatan = [[nip, "PP", "Definitif", D(2024, 1, 1), None, None] for nip in (NIP_A, NIP_B, NIP_C)]
    plan = impor.parse_workbook(xlsx({"Penempatan": penempatan}), instansi)
    assert plan.ok, errors(plan)
    assert [(w.sheet, w.column, w.message) for w in plan.warnings] == [
        (
            "Jabatan",
            "formasi",
            "jabatan 'PP' dipegang 3 pegawai definitif hari ini, lebih dari formasinya (2)",
        )
    ]
    # Two definitif holders of the pengawas jabatan, a formasi on it, and an atasan held by many: refused.
    jabatan = [
        ["KASI", "Kepala Seksi", "Pengawas", None, "ROOT", "KA", "Ya", "Tidak", 3, None],
        ["SUB", "Bawahan staf", "Pelaksana", None, "ROOT", "PP", None, None, None, None],
    ]
    penempatan = [
        [NIP_A, "KASI", "Definitif", D(2024, 1, 1), None, None],
        [NIP_B, "KASI", "Definitif", D(2024, 1, 1), None, None],
        [NIP_C, "PP", "Definitif", D(2024, 1, 1), None, None],
        [NIP_A, "PP", "Definitif", D(2023, 1, 1), D(2023, 12, 31), None],
        [NIP_B, "PP", "Definitif", D(2023, 6, 1), D(2023, 12, 31), None],
    ]
    found = errors(impor.parse_workbook(xlsx({"Jabatan": jabatan, "Penempatan": penempatan}), instansi))
    assert [(s, r, c) for s, r, c, _ in found] == [
        ("Jabatan", 2, "formasi"),
        ("Penempatan", 3, "mulai"),
        ("Penempatan", 6, "mulai"),
    ]
    assert "jabatan pimpinan selalu satu pemangku" in found[0][3]
    assert (
        "sudah dipegang secara definitif" in found[1][3] and "sudah dipegang secara definitif" in found[2][3]
    )


# --- SIASN spellings -----------------------------------------------------------------------------------


def test_siasn_pangkat_and_jenis_values(tree: dict[str, Any]) -> None:
    instansi = tree["root"].instansi
    jabatan = [
        ["KB", "Kepala Bidang Umum", "Struktural", None, "ROOT", "KA", "Ya", None, None, None],
        ["KS", "Kepala Seksi Data", "struktural", None, "ROOT", "KB", "Ya", None, None, "IV.a"],
        ["X1", "Koordinator Wilayah", "Struktural", None, "ROOT", "KA", None, None, None, None],
        ["X2", "Kepala Seksi Lain", "Struktural", None, "ROOT", "KB", None, None, None, "IX.z"],
        [
            "JF",
            "Pranata Komputer Ahli Pertama",
            "Fungsional Tertentu",
            None,
            "ROOT",
            "KS",
            None,
            None,
            None,
            None,
        ],
    ]
    pegawai = [
        ["199001012015011004", "Satu", None, None, "PNS", "Penata Tk. I (III/d)", None, None],
        ["199002022015012005", "Dua", None, None, "PNS", "Pengatur Muda Tk.I (II/b)", None, None],
        ["199003032015011006", "Tiga", None, None, "PNS", "Penata Sekali (III/z)", None, None],
    ]
    plan = impor.parse_workbook(xlsx({"Jabatan": jabatan, "Pegawai": pegawai}), instansi)
    found = {(s, r, c): m for s, r, c, m in errors(plan)}
    assert set(found) == {
        ("Jabatan", 4, "jenis"),
        ("Jabatan", 5, "eselon"),
        ("Pegawai", 4, "pangkat_golongan"),
    }
    assert "isi kolom eselon (II.a/II.b = JPT Pratama" in found[("Jabatan", 4, "jenis")]
    assert "Koordinator Wilayah" in found[("Jabatan", 4, "jenis")]
    assert found[("Jabatan", 5, "eselon")].startswith("eselon tidak dikenal: 'IX.z'")
    by_kode = {r.kode: r for r in plan.jabatan}
    assert (by_kode["KB"].jenis, by_kode["KS"].jenis) == ("administrator", "pengawas")
    assert (by_kode["JF"].jenis, by_kode["JF"].jenjang) == ("fungsional", "ahli_pertama")
    assert [r.pangkat_golongan for r in plan.pegawai[:2]] == ["III/d", "II/b"]


# --- a NIP that Excel turned into a number ------------------------------------------------------------


def test_a_rounded_nip_is_reported_once_at_its_cause(instansi: Instansi) -> None:
    root = [["ROOT", "Dinas", None]]
    jabatan = [["KA", "Kepala", "JPT Pratama", None, "ROOT", None, "Ya", None]]
    rounded = float(int(NIP_A))  # what Excel keeps of an 18-digit number: 1.98001012005011E+17
    pegawai = [[rounded, "Satu", None, None, "PNS", None, None, None]]
    penempatan = [[NIP_A, "KA", "Definitif", D(2024, 1, 1), None, None]]
    plan = impor.parse_workbook(
        xlsx({"Unit Kerja": root, "Jabatan": jabatan, "Pegawai": pegawai, "Penempatan": penempatan}), instansi
    )
    assert [(s, r, c) for s, r, c, _ in errors(plan)] == [("Pegawai", 2, "nip")]
    assert plan.errors[0].message.startswith("NIP harus diisi sebagai teks")
    assert plan.errors[0].message.endswith("NIP ini juga dipakai di sheet Penempatan baris 2.")


def test_the_same_rounded_nip_in_both_sheets_is_reported_once(instansi: Instansi) -> None:
    # Typed as a number in both sheets, the NIP is rounded the same way in both: one error, at the
    # Pegawai row, naming the Penempatan rows (not an error per sheet).
    root = [["ROOT", "Dinas", None]]
    jabatan = [["KA", "Kepala", "JPT Pratama", None, "ROOT", None, "Ya", None]]
    rounded = float(int(NIP_A))
    pegawai = [[rounded, "Satu", None, None, "PNS", None, None, None]]
    penempatan = [[rounded, "KA", "Definitif", D(2024, 1, 1), None, None]]
    plan = impor.parse_workbook(
        xlsx({"Unit Kerja": root, "Jabatan": jabatan, "Pegawai": pegawai, "Penempatan": penempatan}), instansi
    )
    assert [(s, r, c) for s, r, c, _ in errors(plan)] == [("Pegawai", 2, "nip")]
    assert plan.errors[0].message.endswith("NIP ini juga dipakai di sheet Penempatan baris 2.")


def test_an_exact_integer_nip_is_read(instansi: Instansi) -> None:
    # A tool that writes the number's digits into the file (not Excel's 15-digit double) keeps the NIP
    # exact; openpyxl reads it back as an int. openpyxl itself would round, so the cell is patched.
    upload = xlsx({"Pegawai": [[123454321, "Dua", None, None, "PNS", None, None, None]]})
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data.replace(b"<v>123454321</v>", f"<v>{NIP_B}</v>".encode()))
    patched.seek(0)
    plan = impor.parse_workbook(patched, instansi)
    assert plan.ok, errors(plan)
    assert plan.pegawai[0].nip == NIP_B


# --- preview, kept upload, confirmation ---------------------------------------------------------------


UNIT_FILE = {"Unit Kerja": [["ROOT", "Dinas Uji", None], ["BID", "Bidang Baru", "ROOT"]]}


def test_preview_writes_nothing_and_only_its_admin_applies_it_in_time(tree: dict[str, Any]) -> None:
    instansi = tree["root"].instansi
    client = admin_client(instansi)
    response = post_job(client, URL, {"berkas": xlsx(UNIT_FILE)})
    pratinjau = response.context["pratinjau"]
    assert (pratinjau.counts["Unit Kerja"].created, pratinjau.counts["Unit Kerja"].updated) == (1, 1)
    changes = {(p.aksi, p.data, p.rincian) for p in pratinjau.counts["Unit Kerja"].changes}
    assert changes == {
        ("baru", "BID Bidang Baru", ""),
        ("diubah", "ROOT Dinas Uji", "nama: Dinas → Dinas Uji"),
    }
    assert not UnitKerja.objects.filter(kode="BID").exists()
    kode = response.context["tertunda"].kode
    terapkan = reverse("organisasi:impor_terapkan", args=[kode])

    other = admin_client(instansi, "admin-lain")  # another admin of the same instansi: not theirs
    assert other.post(terapkan).status_code == 410
    ImporTertunda.objects.filter(kode=kode).update(
        dibuat_pada=timezone.now() - datetime.timedelta(minutes=31)
    )
    response = client.post(terapkan)
    assert response.status_code == 410 and "kedaluwarsa" in response.content.decode()
    assert not ImporTertunda.objects.exists() and not UnitKerja.objects.filter(kode="BID").exists()

    kode = post_job(client, URL, {"berkas": xlsx(UNIT_FILE)}).context["tertunda"].kode
    assert client.get(reverse("organisasi:impor_terapkan", args=[kode])).status_code == 405
    assert (
        "Impor berhasil"
        in post_job(client, reverse("organisasi:impor_terapkan", args=[kode])).content.decode()
    )
    assert UnitKerja.objects.get(kode="BID").parent == tree["root"]
    assert not ImporTertunda.objects.exists()


def test_apply_checks_the_file_again_and_cancel_removes_it(tree: dict[str, Any], other_instansi: Any) -> None:
    instansi = tree["root"].instansi
    client = admin_client(instansi)
    nip = "199505052020011001"
    data = {"Pegawai": [[nip, "Baru", None, None, "PNS", None, None, None]]}
    kode = post_job(client, URL, {"berkas": xlsx(data)}).context["tertunda"].kode
    # Between preview and apply the NIP was registered in another instansi: nothing is imported.
    services.save_pegawai(Pegawai(instansi=other_instansi), nip=nip, nama="Di Sana")
    response = post_job(client, reverse("organisasi:impor_terapkan", args=[kode]))
    assert [e.message for e in response.context["kesalahan"]] == ["NIP sudah terdaftar di instansi lain"]
    assert not Pegawai.objects.filter(instansi=instansi, nip=nip).exists()

    kode = post_job(client, URL, {"berkas": xlsx(UNIT_FILE)}).context["tertunda"].kode
    response = client.post(reverse("organisasi:impor_batal", args=[kode]))
    assert "Impor dibatalkan" in response.content.decode()
    assert not ImporTertunda.objects.filter(kode=kode).exists()
    # Cancelling it again (or another admin's) cancels nothing and says so.
    response = client.post(reverse("organisasi:impor_batal", args=[kode]))
    assert response.status_code == 410 and "Impor dibatalkan" not in response.content.decode()


def test_command_dry_run_shows_the_preview_and_writes_nothing(tree: dict[str, Any], tmp_path: Any) -> None:
    path = tmp_path / "unit.xlsx"
    path.write_bytes(xlsx(UNIT_FILE).read())
    out = io.StringIO()
    call_command("impor_organisasi", str(path), instansi="UJI", dry_run=True, stdout=out)
    text = out.getvalue()
    assert "PRATINJAU — tidak ada data yang disimpan." in text
    assert "Unit Kerja baris 3 [baru] BID Bidang Baru" in text
    assert "Unit Kerja: 1 baru, 1 diperbarui" in text
    assert not UnitKerja.objects.filter(kode="BID").exists()


# --- a new instansi -----------------------------------------------------------------------------------


def test_only_a_superuser_creates_an_instansi_on_the_page(instansi: Instansi) -> None:
    url = reverse("organisasi:instansi_create")
    assert admin_client(instansi).get(url).status_code == 403
    root = Client()
    root.force_login(User.objects.create_superuser("root", "root@contoh.go.id", "x"))
    assert "Tambah instansi" in root.get(reverse("dashboard:home")).content.decode()
    data = {
        "kode": "PEMKAB-B",
        "nama": "Pemerintah Kabupaten B",
        "admin_username": "bkpsdm-b",
        "admin_password": "Sandi-Kuat-2025!",
    }
    response = root.post(url, data)
    assert response.status_code == 302 and response["Location"] == URL
    baru = Instansi.objects.get(kode="PEMKAB-B")
    assert root.session["instansi_id"] == baru.pk
    assert User.objects.get(username="bkpsdm-b").admin_instansi == baru
    assert baru.history.get().history_user.username == "root"
    response = root.post(url, {**data, "kode": "pemkab-b", "admin_username": "lain"})
    assert "Kode instansi pemkab-b sudah dipakai instansi lain." in response.content.decode()
    response = root.post(url, {**data, "kode": "PEMKAB-C", "admin_username": "c", "admin_password": "123"})
    assert not Instansi.objects.filter(kode="PEMKAB-C").exists()  # a weak password: nothing half-saved


def test_buat_instansi_command_needs_a_password_without_input(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KINERJA_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="KINERJA_ADMIN_PASSWORD"):
        call_command("buat_instansi", kode="K1", nama="Kab 1", admin="adm", no_input=True)
    call_command("buat_instansi", kode="K1", nama="Kab 1", stdout=io.StringIO())
    err = io.StringIO()
    with pytest.raises(CommandError, match="Instansi tidak dibuat"):
        call_command("buat_instansi", kode="k1", nama="Kab 1 lagi", stderr=err)
    assert "sudah dipakai" in err.getvalue()
    assert not User.objects.filter(username="adm").exists()


# --- Ahli Madya ---------------------------------------------------------------------------------------


def test_ahli_madya_under_a_kepala_bidang_warns_on_the_form_and_import(tree: dict[str, Any]) -> None:
    instansi = tree["root"].instansi
    client = admin_client(instansi)
    data = {
        "kode": "MADYA",
        "nama": "Perencana Ahli Madya",
        "jenis": "fungsional",
        "jenjang": "ahli_madya",
        "unit": tree["root"].pk,
        "parent": tree["kasi"].pk,
    }
    response = client.post(reverse("organisasi:jabatan_create"), data, follow=True)
    page = response.content.decode()
    assert "Jabatan Perencana Ahli Madya disimpan." in page
    assert "biasanya bertanggung jawab langsung kepada pimpinan unit organisasi" in page
    assert Jabatan.objects.filter(kode="MADYA").exists()  # warned, never refused
    data = {**data, "kode": "MADYA2", "parent": tree["kepala"].pk}
    page = client.post(reverse("organisasi:jabatan_create"), data, follow=True).content.decode()
    assert "biasanya bertanggung jawab" not in page


def test_every_dropdown_value_of_the_template_is_accepted() -> None:
    for sheet, columns in impor.COLUMNS.items():
        for column in columns:
            for value in column.choices:
                if value in (impor.YA, impor.TIDAK):
                    continue
                choices = {
                    "jenis": impor.JENIS_JABATAN if sheet == "Jabatan" else impor.JENIS_PENEMPATAN,
                    "jenjang": impor.JENJANG,
                    "jenis_asn": impor.JENIS_ASN,
                    "pangkat_golongan": impor.PANGKAT,
                }[column.name]
                assert choices.get(value) is not None, (sheet, column.name, value)
