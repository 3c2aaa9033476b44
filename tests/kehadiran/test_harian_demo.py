"""The demo's month of attendance (`kinerja.demo.kehadiran`)."""

from __future__ import annotations

import pytest

from kinerja.demo.kehadiran import seed_kehadiran
from kinerja.kehadiran.models import Ketidakhadiran, KoreksiKehadiran, Rekaman, StatusPengajuan
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.django_db


def _jumlah() -> tuple[int, int, int]:
    return Rekaman.objects.count(), Ketidakhadiran.objects.count(), KoreksiKehadiran.objects.count()


def test_demo_month_seeds_once(demo_instansi):
    seed_kehadiran(demo_instansi, DEMO_TODAY)
    jumlah = _jumlah()
    assert jumlah[0] > 100
    assert Ketidakhadiran.objects.filter(status=StatusPengajuan.DIAJUKAN).count() == 1
    assert Ketidakhadiran.objects.filter(status=StatusPengajuan.DISETUJUI, jenis="cuti_tahunan").count() == 1
    assert Ketidakhadiran.objects.filter(status=StatusPengajuan.DISETUJUI, jenis="dinas_luar").count() == 1
    assert KoreksiKehadiran.objects.filter(status=StatusPengajuan.DISETUJUI).count() == 1
    assert KoreksiKehadiran.objects.filter(status=StatusPengajuan.DIAJUKAN).count() == 1
    seed_kehadiran(demo_instansi, DEMO_TODAY)
    assert _jumlah() == jumlah
