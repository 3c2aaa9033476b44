"""The TPP pages: who sees whose TPP (docs/rules.md §28), the month page's actions, flat query counts."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from kinerja.kehadiran.models import BulanTpp, PengaturanKehadiran, TppPegawai
from kinerja.kehadiran.tpp import services
from kinerja.organisasi.models import Jabatan
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
TANPA_TK = dataclasses.replace(tpp.PRESET["kementerian"], nama="Uji", tk=tpp.PotonganHarian(Decimal(0)))


@pytest.fixture
def tim():
    t = atasan_dan_bawahan()
    Jabatan.objects.filter(instansi=t.instansi).update(kelas_jabatan=7)
    services.simpan_tabel_pagu(t.instansi, [(None, 7, "2200000")], JAN, "Perkada", t.admin)
    services.simpan_aturan(t.instansi, TANPA_TK, JAN, "Perkada", t.admin)
    return t


def _hitung(t, capture, bulan="2026-03"):
    with capture(execute=True):
        r = klien(t.admin).post(f"/kehadiran/tpp/bulan/{bulan}/aksi/", {"aksi": "hitung"})
    assert r.status_code == 302


def test_pegawai_sees_own_tpp_not_others(tim, django_capture_on_commit_callbacks):
    _hitung(tim, django_capture_on_commit_callbacks)
    c = klien(tim.bawahan.user)
    r = c.get("/kehadiran/tpp/saya/", follow=True)
    assert r.status_code == 200
    r = c.get(f"/kehadiran/tpp/pegawai/{tim.bawahan.pk}/2026-03/")
    assert "Rp2.200.000" in r.content.decode()
    assert c.get(f"/kehadiran/tpp/pegawai/{tim.atasan.pk}/2026-03/").status_code == 403


def test_atasan_only_when_the_instansi_allows(tim, django_capture_on_commit_callbacks):
    _hitung(tim, django_capture_on_commit_callbacks)
    url = f"/kehadiran/tpp/pegawai/{tim.bawahan.pk}/2026-03/"
    c = klien(tim.atasan.user)
    assert c.get(url).status_code == 403
    PengaturanKehadiran.objects.create(instansi=tim.instansi, atasan_lihat_tpp=True)
    assert c.get(url).status_code == 200


def test_unrelated_pegawai_and_other_admin_refused(tim, django_capture_on_commit_callbacks):
    _hitung(tim, django_capture_on_commit_callbacks)
    lain = pegawai_di(
        JabatanFactory(
            instansi=tim.instansi, unit=tim.unit, parent=Jabatan.objects.get(nama="Kepala Badan Uji")
        )
    )
    url = f"/kehadiran/tpp/pegawai/{tim.bawahan.pk}/2026-03/"
    assert klien(lain.user).get(url).status_code == 403
    admin_lain = admin_instansi(InstansiFactory(), "admin-lain")
    assert klien(admin_lain).get(url).status_code == 403
    assert klien(admin_lain).get("/kehadiran/tpp/bulan/2026-03/").status_code == 200  # their own month
    assert not BulanTpp.objects.filter(instansi=admin_lain.admin_instansi).exists()
    assert klien(tim.bawahan.user).get("/kehadiran/tpp/bulan/2026-03/").status_code == 403


def test_month_page_close_and_reopen(tim, django_capture_on_commit_callbacks):
    _hitung(tim, django_capture_on_commit_callbacks)
    c = klien(tim.admin)
    assert TppPegawai.objects.count() == 3
    c.post("/kehadiran/tpp/bulan/2026-03/aksi/", {"aksi": "tutup"})
    assert BulanTpp.objects.get().ditutup
    r = c.post("/kehadiran/tpp/bulan/2026-03/aksi/", {"aksi": "hitung"}, follow=True)
    assert "sudah ditutup" in r.content.decode()
    r = c.post("/kehadiran/tpp/bulan/2026-03/aksi/", {"aksi": "buka", "alasan": ""}, follow=True)
    assert "Alasan membuka kembali wajib diisi" in r.content.decode()
    c.post("/kehadiran/tpp/bulan/2026-03/aksi/", {"aksi": "buka", "alasan": "Koreksi"})
    assert not BulanTpp.objects.get().ditutup


def test_month_page_queries_flat_in_rows(
    tim, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _hitung(tim, django_capture_on_commit_callbacks)
    c = klien(tim.admin)
    with django_assert_max_num_queries(12):
        r = c.get("/kehadiran/tpp/bulan/2026-03/")
    assert r.content.decode().count("Rp2.200.000") >= 3
    for _ in range(10):
        pegawai_di(
            JabatanFactory(
                instansi=tim.instansi,
                unit=tim.bidang,
                kelas_jabatan=7,
                parent=Jabatan.objects.get(nama="Kepala Badan Uji"),
            )
        )
    _hitung(tim, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(12):
        c.get("/kehadiran/tpp/bulan/2026-03/")


def test_open_month_estimate_queries(tim, django_assert_max_num_queries):
    c = klien(tim.bawahan.user)
    url = f"/kehadiran/tpp/pegawai/{tim.bawahan.pk}/2026-12/"
    # Cold: the calendar, rule set and pagu reads (8) are not cached yet.
    with django_assert_max_num_queries(21):
        c.get(url)
    # Warm (any pegawai of the instansi asked before): only this pegawai's own reads and the base template.
    with django_assert_max_num_queries(10):
        r = c.get(url)
    assert "Perkiraan" in r.content.decode()
    assert "peringatan-isi" not in r.content.decode()  # this rule set does not cut a late entry


def test_estimate_warns_before_the_deadline_when_a_late_entry_is_cut(tim):
    services.simpan_aturan(
        tim.instansi,
        dataclasses.replace(TANPA_TK, terlambat_isi=Decimal(20)),
        JAN,
        "Terlambat isi",
        tim.admin,
    )
    r = klien(tim.bawahan.user).get(f"/kehadiran/tpp/pegawai/{tim.bawahan.pk}/2026-12/")
    assert "Isi catatan/realisasi bulan ini sebelum 5 Januari agar TPP tidak terpotong" in r.content.decode()
