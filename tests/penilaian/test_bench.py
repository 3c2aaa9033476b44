"""The penilaian benchmarks run on a small generated instansi and leave nothing behind."""

from __future__ import annotations

import pytest

from kinerja.demo import generate
from kinerja.demo.bench.penilaian import (
    bench_evaluasi_instansi,
    bench_halaman_kelompok,
    bench_halaman_penilai,
)
from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi
from kinerja.perencanaan.models import Skp

pytestmark = pytest.mark.django_db


def test_bench_evaluasi_instansi_menilai_semua_dan_digulung_balik() -> None:
    hasil = generate.generate(150, 3, kode="UJI-BENCH-NILAI")
    instansi = hasil.instansi
    pegawai = Pegawai.objects.filter(instansi=instansi).count()
    r = bench_evaluasi_instansi(instansi, sampel=200)
    # Everyone with a definitif jabatan is evaluated; every group gets checked against its capaian.
    assert r["evaluasi"] == r["skp"] == r["berpredikat"] and pegawai - 5 <= r["evaluasi"] <= pegawai
    assert r["rating_rhk"] == 3 * r["evaluasi"] and r["rating_perilaku"] == 7 * r["evaluasi"]
    assert r["kelompok"] > 1 and r["kelompok_diperiksa"] == r["kelompok"]
    assert 0 < r["diubah_dari_saran"] < r["evaluasi"] and r["pimpinan_unit"] > 0
    assert r["evaluasi_queries"] <= 8 and r["evaluasi_s"] < r["goal_s"]
    # The bulk result equals the per-evaluation service for every evaluation.
    assert r["layanan"]["sampel"] == r["evaluasi"] and r["layanan"]["berbeda"] == 0
    assert not Skp.objects.filter(instansi=instansi).exists()
    assert not Evaluasi.objects.filter(instansi=instansi).exists()
    assert not CapaianOrganisasiUnit.objects.filter(instansi=instansi).exists()


def test_bench_halaman_kelompok_digulung_balik() -> None:
    r = bench_halaman_kelompok(6, runs=1)
    assert r["anggota"] == 6 and r["queries"] > 0 and r["median_ms"] > 0
    assert r["diukur"] in ("halaman", "selectors.kelompok")
    if r["diukur"] == "halaman":
        assert r["url"].startswith("/penilaian/kelompok/?periode=") and r["bytes"] > 0
    assert not Instansi.objects.filter(kode="BENCH-KELOMPOK").exists()


def test_bench_halaman_penilai_mengukur_semua_dan_digulung_balik() -> None:
    r = bench_halaman_penilai(4, runs=1)
    for key in ("papan", "daftar", "kelompok", "evaluasi_penilai", "evaluasi_pegawai", "simpan_rating"):
        assert r[key]["queries"] > 0 and r[key]["cpu_ms"] >= 0 and r[key]["bytes"] > 0, key
    assert r["simpan_rating"]["method"] == "POST"
    assert not Instansi.objects.filter(kode="BENCH-PENILAI").exists()
