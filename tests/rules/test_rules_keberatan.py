"""Keberatan rules: the workflow table, the filing window (day 14 in time, day 15 refused) and deadlines."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.keberatan import (
    TERBUKA,
    TRANSISI,
    Aksi,
    Peran,
    Status,
    TransisiDitolak,
    batas,
    may_submit,
    terlambat,
    transisi,
)

TERBIT = date(2027, 1, 10)


# --- workflow --------------------------------------------------------------------------------------------

DIIZINKAN = {
    (Status.DIAJUKAN, Aksi.JELASKAN, Peran.PENILAI): Status.DIJELASKAN,
    (Status.DIJELASKAN, Aksi.TOLAK, Peran.PEMUTUS): Status.DITOLAK,
    (Status.DIJELASKAN, Aksi.KABULKAN, Peran.PEMUTUS): Status.DIKABULKAN,
    (Status.DIAJUKAN, Aksi.TARIK, Peran.PEGAWAI): Status.DITARIK,
    (Status.DIJELASKAN, Aksi.TARIK, Peran.PEGAWAI): Status.DITARIK,
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("aksi", list(Aksi))
@pytest.mark.parametrize("peran", list(Peran))
def test_every_combination(status, aksi, peran) -> None:  # type: ignore[no-untyped-def]
    harap = DIIZINKAN.get((status, aksi, peran))
    if harap is None:
        with pytest.raises(TransisiDitolak):
            transisi(status, aksi, peran)
    else:
        assert transisi(status, aksi, peran) is harap


def test_messages_name_the_role_then_the_status() -> None:
    with pytest.raises(TransisiDitolak, match="hanya dapat dilakukan oleh pejabat penilai"):
        transisi(Status.DIAJUKAN, Aksi.JELASKAN, Peran.PEGAWAI)
    with pytest.raises(TransisiDitolak, match="berstatus ditolak"):
        transisi(Status.DITOLAK, Aksi.TARIK, Peran.PEGAWAI)


@pytest.mark.parametrize("aksi", [Aksi.TOLAK, Aksi.KABULKAN])
def test_deciding_without_penjelasan_only_after_its_deadline(aksi) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TransisiDitolak, match="setelah pejabat penilai memberi penjelasan"):
        transisi(Status.DIAJUKAN, aksi, Peran.PEMUTUS)
    assert transisi(Status.DIAJUKAN, aksi, Peran.PEMUTUS, penjelasan_lewat=True) in (
        Status.DITOLAK,
        Status.DIKABULKAN,
    )


def test_decisions_are_final_and_only_open_ones_move() -> None:
    akhir = set(Status) - TERBUKA
    assert akhir == {Status.DITOLAK, Status.DIKABULKAN, Status.DITARIK}
    for aturan in TRANSISI.values():
        assert set(aturan.ke) <= TERBUKA


# --- windows ---------------------------------------------------------------------------------------------


def _boleh(hari_ke: int, **kw) -> bool:  # type: ignore[no-untyped-def]
    args = {"tahunan": True, "final": True, "terbit": TERBIT, "hari_ini": TERBIT + timedelta(days=hari_ke)}
    return may_submit(**(args | kw)).boleh


@pytest.mark.parametrize(
    "hari_ke,harap", [(0, True), (1, True), (13, True), (14, True), (15, False), (40, False)]
)
def test_window_day_14_in_time_day_15_refused(hari_ke, harap) -> None:  # type: ignore[no-untyped-def]
    assert _boleh(hari_ke) is harap


def test_window_messages() -> None:
    ok = may_submit(tahunan=True, final=True, terbit=TERBIT, hari_ini=TERBIT)
    assert ok.batas == date(2027, 1, 24) and "sampai 24 Januari 2027" in ok.alasan
    lewat = may_submit(tahunan=True, final=True, terbit=TERBIT, hari_ini=date(2027, 1, 25))
    assert "berakhir 24 Januari 2027" in lewat.alasan and "10 Januari 2027" in lewat.alasan


def test_refusals_in_order() -> None:
    assert "sudah final" in may_submit(tahunan=True, final=False, terbit=None, hari_ini=TERBIT).alasan
    periodik = may_submit(tahunan=False, final=True, terbit=TERBIT, hari_ini=TERBIT)
    assert not periodik.boleh and "tahunan (Akhir)" in periodik.alasan
    assert _boleh(3, tahunan=False, periodik_diizinkan=True)
    terbuka = may_submit(tahunan=True, final=True, terbit=TERBIT, hari_ini=TERBIT, ada_yang_terbuka=True)
    assert not terbuka.boleh and "belum diputus" in terbuka.alasan


def test_configured_days() -> None:
    assert _boleh(30, hari=30) and not _boleh(31, hari=30)
    with pytest.raises(ValueError):
        batas(TERBIT, 0)


@given(
    terbit=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    hari=st.integers(min_value=1, max_value=90),
    geser=st.integers(min_value=0, max_value=200),
)
def test_in_time_iff_not_after_the_deadline(terbit, hari, geser) -> None:  # type: ignore[no-untyped-def]
    hari_ini = terbit + timedelta(days=geser)
    s = may_submit(tahunan=True, final=True, terbit=terbit, hari_ini=hari_ini, hari=hari)
    assert s.boleh == (geser <= hari) == (not terlambat(batas(terbit, hari), hari_ini))
