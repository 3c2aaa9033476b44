"""The month's payroll list (daftar TPP, xlsx) as a background job: columns, totals, the versions sheet,
who may start it (docs/rules.md §28)."""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kinerja.kehadiran.models import PeristiwaDisiplin, TppPegawai
from kinerja.kehadiran.tpp import services
from kinerja.kehadiran.tpp.hasil import jenis_rincian
from kinerja.kehadiran.tpp.xlsx import KEPALA
from kinerja.organisasi.models import Jabatan
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.rules import tpp
from tests.builders import (
    InstansiFactory,
    JabatanFactory,
    admin_instansi,
    atasan_dan_bawahan,
    klien,
    pegawai_di,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
ATURAN = dataclasses.replace(
    tpp.PRESET["kementerian"], nama="Uji", tk=tpp.PotonganHarian(Decimal(0)), apel=Decimal(1)
)
URL = "/kehadiran/tpp/bulan/2026-03/aksi/"


@pytest.fixture
def tim():
    t = atasan_dan_bawahan()
    Jabatan.objects.filter(instansi=t.instansi).update(kelas_jabatan=7)
    services.simpan_tabel_pagu(t.instansi, [(None, 7, "2200000")], JAN, "Perkada", t.admin)
    services.simpan_aturan(t.instansi, ATURAN, JAN, "Perkada", t.admin)
    PeristiwaDisiplin.objects.create(
        pegawai=t.bawahan, tanggal=datetime.date(2026, 3, 9), jenis="apel", dicatat_oleh=t.admin
    )
    return t


def _post(user, capture, aksi):
    with capture(execute=True):
        return klien(user).post(URL, {"aksi": aksi}, follow=True)


def _buku():
    p = Pekerjaan.objects.filter(jenis="tpp_daftar").latest("pk")
    assert p.status == "selesai", p.pesan if hasattr(p, "pesan") else p.status
    with p.berkas.open("rb") as f:
        return p, load_workbook(io.BytesIO(f.read()))


def test_payroll_list_columns_totals_and_versions(tim, django_capture_on_commit_callbacks):
    _post(tim.admin, django_capture_on_commit_callbacks, "hitung")
    r = _post(tim.admin, django_capture_on_commit_callbacks, "unduh")
    assert "Unduh daftar TPP (xlsx)" in r.content.decode()
    p, wb = _buku()
    assert p.nama_berkas == "daftar-tpp-2026-03-sementara.xlsx"
    ws = wb["Daftar TPP"]
    kepala = [c.value for c in ws[4]]
    assert kepala == [k for k, _ in KEPALA]
    rows = [list(c.value for c in row) for row in ws.iter_rows(min_row=5, max_row=ws.max_row)]
    data, total = rows[:-1], rows[-1]
    assert len(data) == 3
    col = {k: i for i, (k, _) in enumerate(KEPALA)}
    bawahan = next(r for r in data if r[col["NIP"]] == tim.bawahan.nip)
    assert bawahan[col["Nama"]] == tim.bawahan.nama
    assert bawahan[col["Kelas jabatan"]] == 7
    assert Decimal(bawahan[col["Potongan Apel (Rp)"]]) == Decimal(22000)  # 1 % of Rp2.200.000
    assert Decimal(bawahan[col["TPP bruto (Rp)"]]) == Decimal(2178000)
    assert bawahan[col["Batas potongan diterapkan"]] == "tidak"
    assert total[col["NIP"]] == "Jumlah (3 pegawai)"
    for k in ("Pagu (Rp)", "Potongan Apel (Rp)", "TPP bruto (Rp)"):
        assert Decimal(total[col[k]]) == sum(Decimal(r[col[k]]) for r in data)
    info = {row[0].value: row[1].value for row in wb["Keterangan"].iter_rows(min_row=5)}
    assert info["Status bulan"].startswith("SEMENTARA")
    assert "versi 1" in info["Aturan TPP yang dipakai"]
    assert "versi 1" in info["Tabel pagu TPP yang dipakai"]

    klien(tim.admin).post(URL, {"aksi": "tutup"})
    _post(tim.admin, django_capture_on_commit_callbacks, "unduh")
    p, wb = _buku()
    assert p.nama_berkas == "daftar-tpp-2026-03.xlsx"
    assert wb["Keterangan"]["B5"].value.startswith("FINAL")


def test_download_refused_before_computing_and_to_others(tim, django_capture_on_commit_callbacks):
    r = _post(tim.admin, django_capture_on_commit_callbacks, "unduh")
    assert "belum dihitung" in r.content.decode()
    _post(tim.admin, django_capture_on_commit_callbacks, "hitung")
    assert klien(tim.bawahan.user).post(URL, {"aksi": "unduh"}).status_code == 403
    assert klien(tim.atasan.user).post(URL, {"aksi": "unduh"}).status_code == 403
    lain = pegawai_di(
        JabatanFactory(
            instansi=tim.instansi, unit=tim.unit, parent=Jabatan.objects.get(nama="Kepala Badan Uji")
        )
    )
    assert klien(lain.user).post(URL, {"aksi": "unduh"}).status_code == 403
    # Another instansi's admin acts on their own (uncomputed) month, never on this one.
    admin_lain = admin_instansi(InstansiFactory(), "admin-lain")
    r = _post(admin_lain, django_capture_on_commit_callbacks, "unduh")
    assert "belum dihitung" in r.content.decode()
    assert not Pekerjaan.objects.filter(jenis="tpp_daftar").exists()


def test_stored_lines_keep_their_kind_and_older_lines_are_read_by_text(
    tim, django_capture_on_commit_callbacks
):
    _post(tim.admin, django_capture_on_commit_callbacks, "hitung")
    row = TppPegawai.objects.get(pegawai=tim.bawahan)
    [baris] = row.hasil["segmen"][0]["rincian"]
    assert baris["jenis"] == "apel"
    lama = {k: v for k, v in baris.items() if k != "jenis"}
    assert jenis_rincian(lama) is tpp.JenisPotongan.APEL
    assert jenis_rincian({"teks": "TL 12 menit (3 Maret)"}) is tpp.JenisPotongan.TL
    assert jenis_rincian({"teks": "Cuti besar (3 Maret)"}) is tpp.JenisPotongan.ABSEN_LAIN
