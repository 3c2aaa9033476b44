"""The TPP month bench (`kinerja.demo.bench.tpp`) on a small generated instansi: its data is added once, the
job runs to its end as the worker would, and the taps' mix gives some cuts."""

from __future__ import annotations

import datetime

import pytest

from kinerja.demo import generate
from kinerja.demo.bench.tpp import baris, bench_tpp, siapkan
from kinerja.kehadiran.models import TppPegawai
from kinerja.organisasi.models import Jabatan, User

pytestmark = pytest.mark.django_db


def test_bench_tpp_prepares_once_and_computes_the_whole_month() -> None:
    instansi = generate.generate(150, 3, kode="UJI-BENCH-TPP").instansi
    admin = User.objects.get(admin_instansi=instansi)
    r = bench_tpp(instansi, admin, datetime.date(2026, 12, 6))
    h = r["hitung"]
    assert h["status"] == "selesai" and h["bulan"] == "11/2026"
    assert not Jabatan.objects.filter(instansi=instansi, kelas_jabatan__isnull=True).exists()
    # 21 working days in November 2026, two taps a day less the absent days and missing pulang.
    assert 0.9 * 2 * 21 * h["pegawai"] < r["siapkan"]["rekaman"] <= 2 * 21 * h["pegawai"]
    assert h["pegawai"] == TppPegawai.objects.filter(bulan__instansi=instansi).count() > 100
    rows = TppPegawai.objects.filter(bulan__instansi=instansi)
    assert rows.filter(potongan__gt=0).exists() and rows.filter(potongan=0).exists()
    assert all(0 < r.bruto <= r.pagu for r in rows)
    assert siapkan(instansi, admin, 2026, 11)["rekaman"] == 0
    assert len(baris(r)) == 2
