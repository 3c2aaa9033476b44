"""The live estimate's per-instansi reads come from the cache and are dropped when the calendar, the rule
set or the pagu table change (docs/rules.md §28)."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from kinerja.kehadiran.models import HariLibur
from kinerja.kehadiran.tpp import selectors as sel
from kinerja.kehadiran.tpp import services
from kinerja.organisasi.models import Jabatan
from kinerja.rules import tpp
from kinerja.rules.jenis_hari import JenisHari
from tests.builders import atasan_dan_bawahan, klien

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
DES = datetime.date(2026, 12, 1)
ATURAN = dataclasses.replace(tpp.PRESET["kementerian"], nama="Uji", tk=tpp.PotonganHarian(Decimal(0)))


@pytest.fixture
def tim():
    t = atasan_dan_bawahan()
    Jabatan.objects.filter(instansi=t.instansi).update(kelas_jabatan=7)
    services.simpan_tabel_pagu(t.instansi, [(None, 7, "2200000")], JAN, "Perkada", t.admin)
    services.simpan_aturan(t.instansi, ATURAN, JAN, "Perkada", t.admin)
    return t


def _hari_kerja(t) -> int:
    h = sel.perkiraan(t.instansi.pk, t.bawahan.pk, 2026, 12)
    assert h is not None and h.hasil is not None
    return h.hasil.hari_kerja_bulan


def test_a_holiday_saved_drops_the_cached_calendar(tim, django_assert_max_num_queries):
    sebelum = _hari_kerja(tim)
    with django_assert_max_num_queries(7):  # the pegawai's own reads only
        assert _hari_kerja(tim) == sebelum
    HariLibur.objects.create(
        instansi=tim.instansi,
        tanggal=datetime.date(2026, 12, 1),
        nama="Libur uji",
        jenis=JenisHari.LIBUR.value,
    )
    assert _hari_kerja(tim) == sebelum - 1


def test_a_bulk_calendar_change_drops_it_through_the_signal(tim, django_capture_on_commit_callbacks):
    from kinerja.kehadiran.signals import kabarkan_perubahan

    sebelum = _hari_kerja(tim)
    HariLibur.objects.bulk_create(
        [HariLibur(instansi=tim.instansi, tanggal=datetime.date(2026, 12, 2), nama="Massal", jenis="libur")]
    )
    assert _hari_kerja(tim) == sebelum  # bulk writes send no model signal: still cached
    with django_capture_on_commit_callbacks(execute=True):
        kabarkan_perubahan(tim.instansi.pk, None, DES, datetime.date(2026, 12, 31))
    assert _hari_kerja(tim) == sebelum - 1


def test_a_new_rule_set_or_pagu_table_is_read_at_once(tim):
    assert sel.perkiraan(tim.instansi.pk, tim.bawahan.pk, 2026, 12).hasil.bruto == Decimal(2_200_000)
    services.simpan_tabel_pagu(tim.instansi, [(None, 7, "3300000")], DES, "Perubahan", tim.admin)
    assert sel.perkiraan(tim.instansi.pk, tim.bawahan.pk, 2026, 12).hasil.bruto == Decimal(3_300_000)
    baru = dataclasses.replace(ATURAN, nama="Uji 2", pembulatan=tpp.Pembulatan.KE_BAWAH)
    services.simpan_aturan(tim.instansi, baru, DES, "Perubahan", tim.admin)
    assert sel.dasar_tersimpan(tim.instansi.pk, DES)[0].nama == "Uji 2"


def test_the_estimate_page_shows_the_new_pagu(tim):
    c = klien(tim.bawahan.user)
    url = f"/kehadiran/tpp/pegawai/{tim.bawahan.pk}/2026-12/"
    assert "Rp2.200.000" in c.get(url).content.decode()
    services.simpan_tabel_pagu(tim.instansi, [(None, 7, "3300000")], DES, "Perubahan", tim.admin)
    assert "Rp3.300.000" in c.get(url).content.decode()
