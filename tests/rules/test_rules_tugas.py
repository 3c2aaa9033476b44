"""The dashboard's to-do list rules (docs/rules.md §32): overdue, the order, a window's "sampai", the
admin's coming deadlines."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.tugas import akan_datang, batas_jendela, kunci_urut, terlambat, urutkan

HARI = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("batas", "hasil"),
    [
        (None, False),
        (date(2026, 12, 5), True),
        (date(2026, 12, 6), False),  # the deadline day itself is in time
        (date(2027, 1, 5), False),
    ],
)
def test_terlambat(batas: date | None, hasil: bool) -> None:
    assert terlambat(batas, HARI) is hasil


def test_order_overdue_then_dated_then_undated_stable() -> None:
    items = [
        ("tanpa-1", None),
        ("jan", date(2027, 1, 5)),
        ("lewat-baru", date(2026, 12, 1)),
        ("des", date(2026, 12, 19)),
        ("tanpa-2", None),
        ("lewat-lama", date(2026, 1, 31)),
        ("hari-ini", HARI),
    ]
    urut = [nama for nama, _ in urutkan(items, HARI, lambda i: i[1])]
    assert urut == ["lewat-lama", "lewat-baru", "hari-ini", "des", "jan", "tanpa-1", "tanpa-2"]


@pytest.mark.parametrize(
    ("mulai", "batas", "dibuka_sampai", "hasil"),
    [
        (date(2026, 10, 1), date(2027, 1, 5), None, date(2027, 1, 5)),  # open: until its deadline
        (date(2027, 1, 1), date(2027, 4, 5), None, None),  # not started yet
        (date(2026, 7, 1), date(2026, 10, 5), None, None),  # closed
        (date(2026, 7, 1), date(2026, 10, 5), date(2026, 12, 10), date(2026, 12, 10)),  # reopened
        (date(2026, 7, 1), date(2026, 10, 5), date(2026, 12, 1), None),  # reopening over
        (None, date(2026, 12, 6), None, date(2026, 12, 6)),  # no start, last day
    ],
)
def test_batas_jendela(
    mulai: date | None, batas: date, dibuka_sampai: date | None, hasil: date | None
) -> None:
    assert batas_jendela(mulai=mulai, batas=batas, hari=HARI, dibuka_sampai=dibuka_sampai) == hasil


def test_akan_datang_skips_the_past_and_keeps_the_next_three() -> None:
    batas = [
        ("SKP", date(2026, 1, 31)),
        ("Evaluasi TW III", date(2026, 10, 15)),
        ("Realisasi TW IV", date(2027, 1, 5)),
        ("Evaluasi TW IV", date(2027, 1, 15)),
        ("Tahunan", date(2027, 1, 31)),
        ("Hari ini", HARI),
    ]
    assert [n for n, _ in akan_datang(batas, HARI)] == ["Hari ini", "Realisasi TW IV", "Evaluasi TW IV"]
    assert akan_datang([("SKP", date(2025, 1, 31))], HARI) == []


tanggal = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(st.lists(st.one_of(st.none(), tanggal), max_size=20), tanggal)
def test_order_is_sorted_by_its_key_and_keeps_every_item(batas: list[date | None], hari: date) -> None:
    urut = urutkan(list(enumerate(batas)), hari, lambda i: i[1])
    assert sorted(urut, key=lambda i: i[0]) == list(enumerate(batas))
    kunci = [kunci_urut(b, hari) for _, b in urut]
    assert kunci == sorted(kunci)
    # every overdue item comes before every item still in time, and those before the undated ones
    rank = [k[0] for k in kunci]
    assert rank == sorted(rank)
    assert all(terlambat(b, hari) == (k[0] == 0) for (_, b), k in zip(urut, kunci, strict=True))


@given(tanggal, tanggal, st.integers(min_value=0, max_value=60))
def test_a_window_is_open_only_until_its_sampai(mulai: date, hari: date, panjang: int) -> None:
    batas = mulai + timedelta(days=panjang)
    sampai = batas_jendela(mulai=mulai, batas=batas, hari=hari)
    assert (sampai is not None) == (mulai <= hari <= batas)
    if sampai is not None:
        assert not terlambat(sampai, hari)
