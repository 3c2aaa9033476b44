"""The hot-requests bench step runs on a small --lengkap instansi: every role's request answers, every
realisasi save of the run is accepted, and nothing it measured is left behind."""

from __future__ import annotations

import pytest

from kinerja.demo.bench.hot import bench_hot, table
from kinerja.organisasi.models import Instansi
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian.models import Evaluasi

pytestmark = pytest.mark.django_db


def test_bench_hot_measures_every_role_and_rolls_back() -> None:
    r = bench_hot(60, runs=1)
    instansi = Instansi.objects.get(kode="LENGKAP-1-60")
    assert r["generate"]["kode"] == instansi.kode
    assert set(r["roles"]) == {"pelaksana", "penilai", "kepala", "admin"}
    assert set(r["roles"]["penilai"]) == {
        "login", "dashboard", "skp", "realisasi", "realisasi_save", "board", "board_rollup", "evaluasi",
        "eval_list", "eval_group", "eval_list_open",
    }  # fmt: skip
    for role in ("pelaksana", "penilai", "kepala"):
        assert r["roles"][role]["realisasi_save"]["saves_ok"], role
    rows = [row for pages in r["roles"].values() for row in pages.values()]
    assert all(row["queries"] > 0 and row["cpu_ms"] >= 0 for row in rows)
    assert len(table(r)) == 2 + len(rows)
    assert not Evaluasi.objects.filter(instansi=instansi).exists()
    assert not Realisasi.objects.filter(
        indikator__rhk__skp__instansi=instansi, periode_penilaian__nomor=4
    ).exists()  # the saves of the run were rolled back
