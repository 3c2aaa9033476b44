"""The lookups of the realisasi page, its save and the penilai board have an index that matches them, and
the planner takes it without statistics (a SQLite database is never ANALYZEd by the app).

Before the (rhk, periode) index, "the rencana aksi of these RHK in this periode" had one index per column
and SQLite took the periode's, reading a whole periode of the instansi (~0.2 s on 20 000 pegawai).
"""

from __future__ import annotations

import pytest
from django.db import connection

from kinerja.organisasi.models import Jabatan, PeriodePenilaian, UnitKerja
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.models import BukaKunci, Realisasi, RencanaAksi

pytestmark = pytest.mark.django_db


def _indeks(model: type) -> dict[tuple[str, ...], dict]:  # type: ignore[type-arg]
    """The table's indexes (unique ones included) by their columns, from the database itself."""
    with connection.cursor() as cursor:
        semua = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {tuple(c["columns"]): c for c in semua.values() if c["index"] or c["unique"]}


def test_indeks_gabungan_ada_dan_kolom_tunggal_yang_tercakup_tidak() -> None:
    aksi = _indeks(RencanaAksi)
    assert ("rhk_id", "periode_penilaian_id") in aksi
    assert ("rhk_id",) not in aksi  # covered by the pair
    assert ("periode_penilaian_id",) in aksi  # the periode's own lookups (PROTECT) keep theirs
    buka = _indeks(BukaKunci)
    assert ("pegawai_id", "periode_penilaian_id") in buka and ("pegawai_id",) not in buka
    realisasi = _indeks(Realisasi)
    assert realisasi[("indikator_id", "periode_penilaian_id")]["unique"]
    assert ("indikator_id",) not in realisasi  # covered by the unique pair
    # No index on the periode alone: PostgreSQL, its statistics behind the open periode's rows on deadline
    # day (estimated 1, read 800), drove every board SKP's count from it (a 120 ms board); models.py.
    assert ("periode_penilaian_id",) not in realisasi


def _rencana(pp: PeriodePenilaian) -> str:
    """The plan of the realisasi page's rencana aksi query (as `halaman_realisasi` prefetches it)."""
    return selectors.rencana_aksi_qs(pp).filter(rhk_id__in=[1, 2, 3]).explain()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the plan without statistics is SQLite's case")
def test_rencana_aksi_halaman_dicari_lewat_rhk_dan_periode() -> None:
    plan = _rencana(PeriodePenilaian(pk=1))
    assert "rencanaaksi_rhk_periode (rhk_id=? AND periode_penilaian_id=?)" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL has Django's pattern_ops index")
@pytest.mark.parametrize("model", [Jabatan, UnitKerja])
def test_subpohon_memakai_indeks_path(model: type) -> None:
    """``path LIKE 'X%'`` (everything under X) reads one index range, not the whole path index."""
    plan = model._default_manager.filter(path__startswith="/1/2/").order_by().values("pk").explain()
    assert f"{model._meta.db_table}_path_nocase (path>? AND path<?)" in plan, plan
