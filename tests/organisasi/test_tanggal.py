"""Dates as the instansi sees them: the local date of a moment (Asia/Jakarta, the settings' time zone) and
one Indonesian long form, "31 Januari 2026", for messages, pages and documents (docs/rules.md §22)."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template

from kinerja.common.tanggal import tanggal_lokal, tanggal_panjang

# 17:30 UTC on 9 January is 00:30 WIB on 10 January.
MALAM_UTC = datetime.datetime(2026, 1, 9, 17, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("value", "lokal", "panjang"),
    [
        (MALAM_UTC, datetime.date(2026, 1, 10), "10 Januari 2026"),
        (
            datetime.datetime(2026, 1, 9, 16, 59, tzinfo=datetime.UTC),
            datetime.date(2026, 1, 9),
            "9 Januari 2026",
        ),
        (
            datetime.datetime(2026, 12, 31, 23, 0),
            datetime.date(2026, 12, 31),
            "31 Desember 2026",
        ),  # naive: local
        (datetime.date(2026, 5, 1), datetime.date(2026, 5, 1), "1 Mei 2026"),
        (None, None, ""),
    ],
)
def test_local_date_and_long_form(value, lokal, panjang):
    assert tanggal_lokal(value) == lokal
    assert tanggal_panjang(value) == panjang


@pytest.mark.parametrize(
    ("value", "tampil"),
    [
        (MALAM_UTC, "10 Januari 2026"),
        (datetime.date(2026, 1, 31), "31 Januari 2026"),
        ("2026-01-31", "31 Januari 2026"),
        ("bukan tanggal", ""),
        (None, ""),
        ("", ""),
    ],
)
def test_the_template_filter_is_a_builtin(value, tampil):
    assert Template("{{ v|tanggal }}").render(Context({"v": value})) == tampil


@pytest.mark.parametrize("bulan", range(1, 13))
def test_waktu_singkat_is_what_the_template_date_filter_writes(bulan: int) -> None:
    """Every month, a moment whose local date differs from its UTC date, single- and double-digit days."""
    from kinerja.common.tanggal import waktu_singkat

    for hari, jam, menit in ((1, 17, 5), (28, 23, 59), (9, 2, 0)):
        value = datetime.datetime(2026, bulan, hari, jam, menit, tzinfo=datetime.UTC)
        template = Template('{{ v|date:"j F Y H.i" }}').render(Context({"v": value}))
        assert waktu_singkat(value) == template
