"""The rekap benchmark runs on a small generated instansi, measures the page and the xlsx (a background job:
the request that starts it and the job), and leaves nothing behind."""

from __future__ import annotations

import pytest

from kinerja.demo import generate
from kinerja.demo.bench.tindak_lanjut import bench_rekap
from kinerja.organisasi.models import Pegawai
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.tindak_lanjut.models import Keberatan

pytestmark = pytest.mark.django_db


def test_bench_rekap_mengukur_halaman_dan_xlsx_lalu_digulung_balik() -> None:
    instansi = generate.generate(150, 3, kode="UJI-BENCH-REKAP").instansi
    pegawai = Pegawai.objects.filter(instansi=instansi).count()
    r = bench_rekap(instansi, runs=1)
    assert r["evaluasi"] == r["skp"] and pegawai - 5 <= r["evaluasi"] <= pegawai
    assert 0.8 * r["evaluasi"] < r["final"] < r["evaluasi"] and r["keberatan"] == r["final"] // 100
    assert r["unit"] > 1
    for kunci in ("halaman", "halaman_buka_unit", "halaman_buka_bidang", "xlsx"):
        assert r[kunci]["median_ms"] > 0 and r[kunci]["queries"] > 0 and r[kunci]["bytes"] > 0
    assert r["halaman"]["url"].startswith("/tindak-lanjut/rekap/?tahun=")
    # A small constant number of queries (the rekap tests show it does not grow with the data).
    assert r["halaman"]["queries"] <= 12
    # The xlsx is a background job: the request that starts it is a hot one; the job ran to its end.
    xlsx = r["xlsx"]
    assert xlsx["status"] == "selesai" and xlsx["url"] == "/tindak-lanjut/rekap/xlsx/"
    assert xlsx["mulai_pertama"]["queries"] <= 12 and xlsx["mulai_lagi"]["queries"] <= 12
    assert r["halaman_buka_unit"]["queries"] <= 12 and r["halaman_buka_unit"]["cpu_ms"] > 0
    assert not Skp.objects.filter(instansi=instansi).exists()
    assert not Evaluasi.objects.filter(instansi=instansi).exists()
    assert not Keberatan.objects.filter(instansi=instansi).exists()
