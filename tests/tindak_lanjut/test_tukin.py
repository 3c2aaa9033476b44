"""Tunjangan kinerja: the instansi's table (no default, versioned, immutable, audited by its versions),
the admin page, and the list "Daftar tunjangan kinerja" of a periode (xlsx): who is listed, with which
version's percentage, who is "belum final", and the refusals.

Cast (tests/builders.py), built once: a small instansi whose every pegawai has an approved 2026 SKP: the
kepala; Bidang Uji (the kabid, a fungsional, a pelaksana and three colleagues); Subbagian Umum (its head);
Bidang Mutasi (its kabid and seven staff); the admin."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kinerja.organisasi.models import Instansi, Pegawai, PeriodePenilaian, User
from kinerja.rules.types import Predikat
from kinerja.tindak_lanjut.models import TabelTunjanganKinerja
from kinerja.tindak_lanjut.tukin.services import save_tabel
from tests import builders as b
from tests.tindak_lanjut._data_tukin_rekap import evaluasi, skp_disetujui

pytestmark = pytest.mark.django_db

SB, B, BP, K, SK = list(Predikat)
URL = "/tindak-lanjut/tunjangan-kinerja/"
XLSX = "/tindak-lanjut/tunjangan-kinerja/daftar.xlsx"
NILAI = {SB: "100", B: "90", BP: "80", K: "62,5", SK: "25"}
FORM = {f"persen_{p.value}": v for p, v in NILAI.items()}


def _bangun() -> dict[str, Pegawai | User]:
    tim = b.atasan_dan_bawahan(jenis_bawahan="fungsional")
    j_kabid = tim.atasan.penempatan.get().jabatan
    pelaksana = b.pegawai_di(b.JabatanFactory(unit=tim.bidang, nama="Pengolah Data Uji", parent=j_kabid))
    subum = b.kabid_lain(tim, "Subbagian Umum")
    kabid_mp = b.kabid_lain(tim, "Bidang Mutasi")
    j_staf_mp = b.JabatanFactory(
        unit=kabid_mp.penempatan.get().jabatan.unit, parent=kabid_mp.penempatan.get().jabatan
    )
    for peg in (tim.kepala, tim.atasan, kabid_mp, subum):
        b.skp_disetujui(peg)
    for peg in [
        tim.bawahan,
        pelaksana,
        *(b.pegawai_di(pelaksana.penempatan.get().jabatan) for _ in range(3)),
    ]:
        b.skp_disetujui(peg)
    for _ in range(7):
        b.skp_disetujui(b.pegawai_di(j_staf_mp))
    return {
        "admin": tim.admin,
        "kepala": tim.kepala,
        "kabid": tim.atasan,
        "fungsional": tim.bawahan,
        "pelaksana": pelaksana,
        "subum": subum,
        "kabid_mp": kabid_mp,
    }


_pemeran, pemeran = b.pemeran_modul(_bangun, "pemeran")


@pytest.fixture
def instansi(pemeran) -> Instansi:  # type: ignore[no-untyped-def]
    return pemeran["admin"].admin_instansi


@pytest.fixture
def client_for(pemeran):  # type: ignore[no-untyped-def]
    """client_for("kabid") → a Client logged in as that member of the cast."""
    return lambda peran: b.klien(pemeran["admin"] if peran == "admin" else pemeran[peran].user)


def _admin(instansi: Instansi) -> User:
    return User.objects.get(admin_instansi=instansi)


def _unit(pegawai: Pegawai) -> str:
    return pegawai.penempatan.get().jabatan.unit.kode


def _tw(instansi, nomor: int) -> PeriodePenilaian:  # type: ignore[no-untyped-def]
    return PeriodePenilaian.objects.get(periode__instansi=instansi, periode__tahun=2026, nomor=nomor)


def _simpan(instansi, mulai: datetime.date, nilai=None, alasan="Perkada TPP 2026"):  # type: ignore[no-untyped-def]
    row, _ = save_tabel(instansi, nilai or NILAI, mulai, alasan, _admin(instansi))
    return row


# --- table, versions, audit ------------------------------------------------------------------------------


def test_no_table_until_set_page_says_so_and_the_list_is_refused(client_for, instansi):  # type: ignore[no-untyped-def]
    c = client_for("admin")
    resp = c.get(URL)
    assert resp.status_code == 200 and resp.context["berlaku"] is None
    html = resp.content.decode()
    assert "Tabel tunjangan kinerja belum ditetapkan." in html
    assert "Belum ada versi: tabel tunjangan kinerja belum ditetapkan." in html
    assert 'id="unduh-daftar"' not in html and 'id="daftar-ditolak"' in html
    # No default numbers in the form.
    assert [v for _, _, v in resp.context["isian"]] == ["", "", "", "", ""]
    resp = c.get(XLSX, {"tahun": 2026, "periode": 1})
    assert resp.status_code == 409
    assert "tabel tunjangan kinerja instansi belum ditetapkan" in resp.content.decode()


def test_admin_saves_a_version_through_the_page(client_for, instansi):  # type: ignore[no-untyped-def]
    c = client_for("admin")
    resp = c.post(URL, {**FORM, "berlaku_mulai": "2026-01-01", "alasan": "Perkada TPP 2026"})
    assert resp.status_code == 302
    row = TabelTunjanganKinerja.objects.get(instansi=instansi)
    assert (row.versi, row.berlaku_mulai, row.alasan, row.dibuat_oleh) == (
        1,
        datetime.date(2026, 1, 1),
        "Perkada TPP 2026",
        _admin(instansi),
    )
    assert row.persen(K) == Decimal("62.50") and row.persen("sangat_baik") == Decimal(100)
    html = c.get(URL).content.decode()
    assert "Berlaku hari ini: <strong>versi 1</strong>" in html
    assert "Alasan: Perkada TPP 2026" in html and "Kurang/Misconduct 62,5 %" in html
    assert f"oleh {_admin(instansi).username}</div>" in html


def test_refused_input_names_the_fields_and_keeps_what_was_typed(client_for, instansi):  # type: ignore[no-untyped-def]
    c = client_for("admin")
    form = {**FORM, "persen_baik": "", "persen_kurang": "120", "persen_sangat_kurang": "abc"}
    resp = c.post(URL, {**form, "berlaku_mulai": "", "alasan": " "})
    assert resp.status_code == 422
    g = resp.context["galat"]
    assert g["persen_baik"] == "Persentase untuk predikat Baik wajib diisi."
    assert g["persen_kurang"] == "Persentase untuk predikat Kurang/Misconduct harus antara 0 dan 100."
    assert (
        g["persen_sangat_kurang"]
        == "Persentase untuk predikat Sangat Kurang harus berupa angka, misalnya 87,5."
    )
    assert (
        g["berlaku_mulai"] == "Tanggal berlaku mulai wajib diisi."
        and g["alasan"] == "Alasan perubahan wajib diisi."
    )
    assert 'value="120"' in resp.content.decode()
    assert not TabelTunjanganKinerja.objects.filter(instansi=instansi).exists()
    resp = c.post(URL, {**FORM, "berlaku_mulai": "31-12-2026", "alasan": "x"})
    assert resp.context["galat"]["berlaku_mulai"] == "Tanggal berlaku mulai tidak valid."


def test_monotonic_is_a_warning_not_an_error(client_for, instansi):  # type: ignore[no-untyped-def]
    c = client_for("admin")
    resp = c.post(
        URL, {**FORM, "persen_baik": "70", "berlaku_mulai": "2026-01-01", "alasan": "Uji"}, follow=True
    )
    assert TabelTunjanganKinerja.objects.filter(instansi=instansi).count() == 1
    html = resp.content.decode()
    assert "Predikat Baik (70 %) mendapat persentase lebih kecil daripada Butuh Perbaikan (80 %)." in html


def test_versions_are_immutable_and_numbered(instansi):  # type: ignore[no-untyped-def]
    v1 = _simpan(instansi, datetime.date(2026, 1, 1))
    v2 = _simpan(instansi, datetime.date(2026, 4, 1), {**NILAI, BP: "75"}, "Revisi April")
    assert (v1.versi, v2.versi) == (1, 2)
    v1.refresh_from_db()
    assert v1.persen(BP) == Decimal(80)  # the old version is untouched
    v1.persen_baik = Decimal(1)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        v1.save()
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        v2.delete()
    assert TabelTunjanganKinerja.objects.filter(instansi=instansi).count() == 2


def test_only_the_admin_of_the_instansi_may_save(instansi, pemeran):  # type: ignore[no-untyped-def]
    kabid = pemeran["kabid"].user
    for user in (kabid, b.admin_instansi(b.InstansiFactory())):
        with pytest.raises(PermissionDenied, match="hanya dapat dikelola oleh admin kepegawaian"):
            save_tabel(instansi, NILAI, datetime.date(2026, 1, 1), "x", user)
    assert not TabelTunjanganKinerja.objects.exists()


@pytest.mark.parametrize("role", ["kepala", "kabid", "fungsional", "pelaksana"])
def test_pegawai_penilai_and_heads_are_refused(role, client_for, instansi):  # type: ignore[no-untyped-def]
    _simpan(instansi, datetime.date(2026, 1, 1))
    c = client_for(role)
    assert c.get(URL).status_code == 403
    assert c.post(URL, {**FORM, "berlaku_mulai": "2026-01-01", "alasan": "x"}).status_code == 403
    assert c.get(XLSX, {"tahun": 2026, "periode": 1}).status_code == 403
    assert TabelTunjanganKinerja.objects.count() == 1


def test_admin_of_another_instansi_sees_only_its_own(instansi):  # type: ignore[no-untyped-def]
    _simpan(instansi, datetime.date(2026, 1, 1), alasan="Perkada Sukamaju")
    other_instansi = b.InstansiFactory()
    c = b.klien(b.admin_instansi(other_instansi))
    resp = c.get(URL)
    assert resp.status_code == 200 and resp.context["instansi"] == other_instansi
    html = resp.content.decode()
    assert "Perkada Sukamaju" not in html and "Tabel tunjangan kinerja belum ditetapkan." in html
    resp = c.post(URL, {**FORM, "berlaku_mulai": "2026-01-01", "alasan": "Milik Dinas Lain"})
    assert resp.status_code == 302
    assert TabelTunjanganKinerja.objects.get(instansi=other_instansi).versi == 1
    assert TabelTunjanganKinerja.objects.get(instansi=instansi).alasan == "Perkada Sukamaju"
    resp = c.get(XLSX)
    assert resp.status_code == 409 and "belum memiliki periode" in resp.content.decode()


# --- the list of a periode ---------------------------------------------------------------------------------


@pytest.fixture
def tw1(instansi, pemeran):  # type: ignore[no-untyped-def]
    """TW I: three final evaluations in Bidang Uji (Sangat Baik, Baik, Kurang), one rated not final, one
    draft; one final in Subbagian Umum (Butuh Perbaikan); every other approved SKP has no TW I evaluation."""
    pp = _tw(instansi, 1)
    bpkp = skp_disetujui(instansi, _unit(pemeran["kabid"]))
    subum = skp_disetujui(instansi, _unit(pemeran["subum"]))
    final = [evaluasi(bpkp[0], pp, SB), evaluasi(bpkp[1], pp, B), evaluasi(bpkp[2], pp, K)]
    final.append(evaluasi(subum[0], pp, BP))
    lain = [evaluasi(bpkp[3], pp, B, status="dinilai"), evaluasi(bpkp[4], pp, None, status="draft")]
    return pp, final, lain


def _sheets(resp):  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.content[:300]
    return load_workbook(io.BytesIO(resp.content))


def test_list_of_a_periode_uses_the_version_in_force_on_its_last_day(tw1, client_for, instansi):  # type: ignore[no-untyped-def]
    pp, final, lain = tw1
    _simpan(instansi, datetime.date(2026, 1, 1))
    _simpan(instansi, datetime.date(2026, 4, 1), {**NILAI, SB: "95"}, "Mulai TW II")
    _simpan(instansi, datetime.date(2026, 3, 31), {**NILAI, K: "50"}, "Koreksi akhir TW I")  # versi 3
    resp = client_for("admin").get(XLSX, {"tahun": 2026, "periode": 1})
    assert resp["Content-Disposition"] == 'attachment; filename="tunjangan-kinerja-2026-1.xlsx"'
    wb = _sheets(resp)
    assert wb.sheetnames == ["Tunjangan kinerja", "Belum final", "Tabel"]
    ws = wb["Tunjangan kinerja"]
    assert ws["A1"].value == "DAFTAR TUNJANGAN KINERJA"
    assert ws["A3"].value == (
        "Tabel tunjangan kinerja versi 3 (berlaku mulai 31 Maret 2026), yang berlaku pada hari terakhir "
        "periode 31 Maret 2026."
    )
    assert [c.value for c in ws[5]] == [
        "No",
        "NIP",
        "Nama",
        "Jabatan",
        "Unit kerja",
        "Predikat kinerja",
        "Persentase tunjangan kinerja (%)",
    ]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=6) if r[0].value is not None]
    by_nip = {r[1]: r for r in rows}
    assert len(rows) == 4 and [r[0] for r in rows] == [1, 2, 3, 4]
    for ev in final:
        r = by_nip[ev.pegawai_nip]
        assert r[2:6] == [ev.pegawai_nama, ev.pegawai_jabatan, ev.pegawai_unit, Predikat(ev.predikat).label]
    assert [by_nip[ev.pegawai_nip][6] for ev in final] == [100, 90, 50, 80]  # Kurang from versi 3
    assert isinstance(by_nip[final[0].pegawai_nip][1], str)  # NIP kept as text
    belum = wb["Belum final"]
    brows = {r[1].value: [c.value for c in r] for r in belum.iter_rows(min_row=6) if r[0].value is not None}
    assert brows[lain[0].pegawai_nip][5] == "Dinilai" and brows[lain[1].pegawai_nip][5] == "Draft"
    assert not {ev.pegawai_nip for ev in final} & set(brows)
    # Everyone else with an approved SKP covering TW I is there as "Belum dibuka", once.
    tanpa = {
        s.pegawai_nip for s in skp_disetujui(instansi) if s.mulai <= pp.selesai and s.selesai >= pp.mulai
    }
    tanpa -= {ev.pegawai_nip for ev in final + lain}
    assert {n for n, r in brows.items() if r[5] == "Belum dibuka"} == tanpa
    assert len(brows) == len(tanpa) + 2
    tabel = wb["Tabel"]
    assert [(tabel.cell(i, 1).value, tabel.cell(i, 2).value) for i in range(5, 10)] == [
        ("Sangat Baik", 100),
        ("Baik", 90),
        ("Butuh Perbaikan", 80),
        ("Kurang/Misconduct", 50),
        ("Sangat Kurang", 25),
    ]
    # TW II ends after 1 April: versi 2 (Sangat Baik 95); its list has no final evaluation yet.
    wb2 = _sheets(client_for("admin").get(XLSX, {"tahun": 2026, "periode": 2}))
    assert "versi 2" in wb2["Tunjangan kinerja"]["A3"].value
    assert wb2["Tunjangan kinerja"]["A6"].value == "Belum ada pegawai dengan evaluasi final pada periode ini."


def test_list_refused_when_no_version_applies_on_the_last_day(tw1, client_for, instansi):  # type: ignore[no-untyped-def]
    _simpan(instansi, datetime.date(2026, 7, 1))
    resp = client_for("admin").get(XLSX, {"tahun": 2026, "periode": 1})
    assert resp.status_code == 409
    assert "belum ada tabel tunjangan kinerja yang berlaku pada 31 Maret 2026" in resp.content.decode()
    html = client_for("admin").get(URL, {"tahun": 2026, "periode": 1}).content.decode()
    assert 'id="daftar-ditolak"' in html and "Belum ada tabel yang berlaku hari ini." not in html


def test_annual_list(tw1, client_for, instansi, pemeran):  # type: ignore[no-untyped-def]
    _simpan(instansi, datetime.date(2026, 1, 1))
    skp = skp_disetujui(instansi, _unit(pemeran["kabid_mp"]))[0]
    evaluasi(skp, None, SB)
    wb = _sheets(client_for("admin").get(XLSX, {"tahun": 2026, "periode": "akhir"}))
    ws = wb["Tunjangan kinerja"]
    assert ws["A2"].value.endswith("Akhir (tahunan) 2026") and "periode 31 Desember 2026" in ws["A3"].value
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=6) if r[0].value is not None]
    assert [(r[1], r[5], r[6]) for r in rows] == [(skp.pegawai_nip, "Sangat Baik", 100)]


def test_list_queries_do_not_grow_with_pegawai(tw1, client_for, instansi):  # type: ignore[no-untyped-def]
    _simpan(instansi, datetime.date(2026, 1, 1))
    c = client_for("admin")

    def n() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(XLSX, {"tahun": 2026, "periode": 1}).status_code == 200
        return len(ctx.captured_queries)

    kecil = n()
    pp = _tw(instansi, 1)
    sudah = set(pp.evaluasi.values_list("skp_id", flat=True))
    sisa = [s for s in skp_disetujui(instansi) if s.pk not in sudah]
    assert len(sisa) >= 10
    for i, s in enumerate(sisa):
        evaluasi(s, pp, list(Predikat)[i % 5])
    assert n() == kecil
