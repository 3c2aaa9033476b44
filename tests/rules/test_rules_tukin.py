"""Tunjangan kinerja table rules: validation (all five, 0–100, two decimals), the monotonicity warning,
lookup, the version in force on a date, and reading typed percentages."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.tukin import persen, read_persen, teks_persen, validasi, versi_berlaku
from kinerja.rules.types import Predikat

SB, B, BP, K, SK = list(Predikat)
D = Decimal
LENGKAP = {SB: D(100), B: D(90), BP: D(70), K: D(50), SK: D(25)}


def test_a_complete_descending_table_is_valid_without_warning() -> None:
    hasil = validasi(LENGKAP)
    assert hasil.ok and hasil.peringatan == ()


@pytest.mark.parametrize("p", list(Predikat))
def test_every_predikat_is_required(p: Predikat) -> None:
    hasil = validasi({**LENGKAP, p: None})
    assert set(hasil.galat) == {p}
    assert hasil.galat[p] == f"Persentase untuk predikat {p.label} wajib diisi."


@pytest.mark.parametrize(
    ("x", "ok"),
    [
        (D("0"), True),
        (D("100"), True),
        (D("99.99"), True),
        (D("0.01"), True),
        (D("-0.01"), False),
        (D("100.01"), False),
        (D("150"), False),
        (D("12.345"), False),
        (D("NaN"), False),
    ],
)
def test_bounds_and_decimals(x: Decimal, ok: bool) -> None:
    hasil = validasi({**LENGKAP, K: x})
    assert hasil.ok is ok
    if not ok:
        assert "Kurang/Misconduct" in hasil.galat[K]


def test_the_bound_messages() -> None:
    assert validasi({**LENGKAP, SB: D(101)}).galat[SB] == (
        "Persentase untuk predikat Sangat Baik harus antara 0 dan 100."
    )
    assert "dua angka di belakang koma" in validasi({**LENGKAP, B: D("1.001")}).galat[B]


def test_a_better_predikat_paying_less_is_a_warning_not_an_error() -> None:
    hasil = validasi({**LENGKAP, B: D("80"), BP: D("87.5")})
    assert hasil.ok
    assert hasil.peringatan == (
        "Predikat Baik (80 %) mendapat persentase lebih kecil daripada Butuh Perbaikan (87,5 %).",
    )


def test_equal_neighbours_are_not_warned() -> None:
    assert validasi({p: D(100) for p in Predikat}).peringatan == ()


def test_no_warning_next_to_a_refused_value() -> None:
    hasil = validasi({**LENGKAP, BP: D(200)})
    assert set(hasil.galat) == {BP} and hasil.peringatan == ()


def test_lookup() -> None:
    assert persen(LENGKAP, "butuh_perbaikan") == D(70)
    assert persen(LENGKAP, Predikat.SANGAT_KURANG) == D(25)
    with pytest.raises(ValueError):
        persen(LENGKAP, "luar_biasa")


@pytest.mark.parametrize(
    ("teks", "nilai"),
    [
        ("87,5", D("87.5")),
        ("87.5", D("87.5")),
        (" 100 ", D(100)),
        ("60 %", D(60)),
        ("", None),
        ("  ", None),
        (None, None),
        (D("12.5"), D("12.5")),
        (7, D(7)),
    ],
)
def test_reading_typed_percentages(teks: object, nilai: Decimal | None) -> None:
    assert read_persen(teks) == nilai  # type: ignore[arg-type]


@pytest.mark.parametrize("teks", ["abc", "1,2,3", "Infinity", "nan"])
def test_reading_refuses_non_numbers(teks: str) -> None:
    with pytest.raises(ValueError, match="harus berupa angka"):
        read_persen(teks)


# --- the version in force -------------------------------------------------------------------------------


@dataclass(frozen=True)
class V:
    versi: int
    berlaku_mulai: date


VERSI = [V(1, date(2026, 1, 1)), V(2, date(2026, 7, 1)), V(3, date(2026, 7, 1)), V(4, date(2027, 1, 1))]


@pytest.mark.parametrize(
    ("tanggal", "harap"),
    [
        (date(2025, 12, 31), None),
        (date(2026, 1, 1), 1),
        (date(2026, 6, 30), 1),
        (date(2026, 7, 1), 3),  # same day: the later correction
        (date(2026, 12, 31), 3),
        (date(2027, 1, 1), 4),
        (date(2030, 1, 1), 4),
    ],
)
def test_version_in_force(tanggal: date, harap: int | None) -> None:
    v = versi_berlaku(reversed(VERSI), tanggal)
    assert (v.versi if v else None) == harap


def test_no_versions() -> None:
    assert versi_berlaku([], date(2026, 1, 1)) is None


persen_st = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(st.fixed_dictionaries({p: persen_st for p in Predikat}))
def test_any_table_within_bounds_is_valid(tabel: dict[Predikat, Decimal]) -> None:
    hasil = validasi(tabel)
    assert hasil.ok
    # A warning exactly when some better predikat pays less than the next worse one.
    urut = list(Predikat)
    turun = all(tabel[a] >= tabel[b] for a, b in zip(urut, urut[1:], strict=False))
    assert (hasil.peringatan == ()) is turun
    for p in Predikat:
        assert persen(tabel, p) == tabel[p]


@given(
    st.lists(
        st.tuples(st.integers(1, 50), st.dates(date(2020, 1, 1), date(2030, 12, 31))),
        unique_by=lambda t: t[0],
        max_size=8,
    ),
    st.dates(date(2019, 1, 1), date(2031, 12, 31)),
)
def test_version_in_force_properties(rows: list[tuple[int, date]], tanggal: date) -> None:
    daftar = [V(n, d) for n, d in rows]
    v = versi_berlaku(daftar, tanggal)
    berlaku = [x for x in daftar if x.berlaku_mulai <= tanggal]
    if not berlaku:
        assert v is None
        return
    assert v is not None and v.berlaku_mulai <= tanggal
    # Nothing applies later than it; among those from the same day it has the highest number.
    assert all(x.berlaku_mulai <= v.berlaku_mulai for x in berlaku)
    assert all(x.versi <= v.versi for x in berlaku if x.berlaku_mulai == v.berlaku_mulai)
    # Order of the input does not matter; the day after still sees it unless a newer one starts.
    assert versi_berlaku(list(reversed(daftar)), tanggal) == v
    besok = versi_berlaku(daftar, tanggal + timedelta(days=1))
    assert besok is not None and besok.berlaku_mulai >= v.berlaku_mulai


@pytest.mark.parametrize(
    ("x", "teks"), [(D("100.00"), "100"), (D("62.50"), "62,5"), (D("0"), "0"), (D("12.05"), "12,05")]
)
def test_display_text(x: Decimal, teks: str) -> None:
    assert teks_persen(x) == teks
