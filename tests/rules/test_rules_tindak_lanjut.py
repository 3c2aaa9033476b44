"""Follow-up lists from the annual predikat (penghargaan, pengembangan, pembinaan, tinjauan sanksi)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.tindak_lanjut import PREDIKAT_SANKSI_DEFAULT, Kategori, tindak_lanjut
from kinerja.rules.types import Predikat

SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


@pytest.mark.parametrize(
    "lalu,sekarang,kategori,dua",
    [
        (None, SB, Kategori.PENGHARGAAN, False),
        (B, SB, Kategori.PENGHARGAAN, False),
        (SB, SB, Kategori.PENGHARGAAN, True),
        (None, B, None, None),
        (SB, B, None, None),
        (B, B, Kategori.PENGEMBANGAN, True),
        (None, BP, Kategori.PEMBINAAN, False),
        (BP, BP, Kategori.PEMBINAAN, True),
        (None, K, Kategori.TINJAUAN_SANKSI, False),
        (SK, K, Kategori.TINJAUAN_SANKSI, True),  # both below target: two years in a row
        (K, SK, Kategori.TINJAUAN_SANKSI, True),
        (BP, SK, Kategori.TINJAUAN_SANKSI, False),
    ],
)
def test_table(lalu, sekarang, kategori, dua) -> None:  # type: ignore[no-untyped-def]
    riwayat = {2026: sekarang} | ({2025: lalu} if lalu else {})
    hasil = tindak_lanjut(2026, riwayat)
    if kategori is None:
        assert hasil is None
    else:
        assert hasil is not None and (hasil.kategori, hasil.dua_tahun) == (kategori, dua)
        assert hasil.keterangan


def test_no_predikat_that_year() -> None:
    assert tindak_lanjut(2026, {2025: SB}) is None


def test_configured_sanksi_set_moves_butuh_perbaikan_and_frees_kurang() -> None:
    sanksi = {BP, K, SK}
    assert tindak_lanjut(2026, {2026: BP}, sanksi).kategori is Kategori.TINJAUAN_SANKSI  # type: ignore[union-attr]
    hanya_sk = {SK}
    hasil = tindak_lanjut(2026, {2025: K, 2026: K}, hanya_sk)
    assert hasil is not None and hasil.kategori is Kategori.PEMBINAAN and hasil.dua_tahun


def test_messages_name_the_years_for_two_in_a_row() -> None:
    hasil = tindak_lanjut(2026, {2025: SK, 2026: SK})
    assert hasil is not None and "2025 dan 2026" in hasil.keterangan


@given(
    riwayat=st.dictionaries(st.integers(2020, 2030), st.sampled_from(list(Predikat)), max_size=11),
    tahun=st.integers(2020, 2030),
)
def test_sanksi_iff_in_the_set_and_two_years_iff_previous_also(riwayat, tahun) -> None:  # type: ignore[no-untyped-def]
    hasil = tindak_lanjut(tahun, riwayat)
    sekarang = riwayat.get(tahun)
    if sekarang is None:
        assert hasil is None
        return
    assert (hasil is not None and hasil.kategori is Kategori.TINJAUAN_SANKSI) == (
        sekarang in PREDIKAT_SANKSI_DEFAULT
    )
    if hasil is not None and hasil.kategori is Kategori.TINJAUAN_SANKSI:
        assert hasil.dua_tahun == (riwayat.get(tahun - 1) in PREDIKAT_SANKSI_DEFAULT)
