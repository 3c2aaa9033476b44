"""The dashboard's dated to-do list (docs/rules.md §32), as data: when an item is overdue, what its
"sampai <tanggal>" is for a window that can be reopened, which deadlines of a year are still coming, and the
order the list is shown in.

Order (**Choice**): overdue items first (the earliest deadline first), then the dated ones by deadline, then
the undated ones; ties keep the order the items were composed in (the role's own order). A deadline day
itself is still in time (as everywhere: `jadwal.lewat_batas`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TypeVar

from kinerja.rules.jadwal import lewat_batas

__all__ = ["akan_datang", "batas_jendela", "kunci_urut", "terlambat", "urutkan"]

T = TypeVar("T")

#: Ranks of `kunci_urut`.
TERLAMBAT, BERTANGGAL, TANPA_TANGGAL = 0, 1, 2


def terlambat(batas: date | None, hari: date) -> bool:
    """Whether an item with the (inclusive) deadline ``batas`` is overdue on ``hari``; undated: never."""
    return batas is not None and lewat_batas(batas, hari)


def kunci_urut(batas: date | None, hari: date) -> tuple[int, date]:
    """The sort key of an item: (rank, deadline); undated items sort after every dated one."""
    if batas is None:
        return (TANPA_TANGGAL, date.max)
    return (TERLAMBAT if terlambat(batas, hari) else BERTANGGAL, batas)


def urutkan(items: Iterable[T], hari: date, batas: Callable[[T], date | None]) -> list[T]:
    """``items`` in the list's order (see module); stable."""
    return sorted(items, key=lambda item: kunci_urut(batas(item), hari))


def batas_jendela(
    *, mulai: date | None, batas: date, hari: date, dibuka_sampai: date | None = None
) -> date | None:
    """The "sampai" of a window for input (realisasi of a periode) on ``hari``: its deadline while open,
    the last day of an admin's reopening after it, None when the window is not open (not started yet, or
    closed and not reopened) — then there is nothing to do today."""
    if mulai is not None and hari < mulai:
        return None
    if not lewat_batas(batas, hari):
        return batas
    if dibuka_sampai is not None and not lewat_batas(dibuka_sampai, hari):
        return dibuka_sampai
    return None


def akan_datang(batas: Sequence[tuple[str, date]], hari: date, jumlah: int = 3) -> list[tuple[str, date]]:
    """Of a year's named deadlines, the next ``jumlah`` still to come (today included), earliest first: the
    admin's list never leads with a deadline already past."""
    return sorted((b for b in batas if not lewat_batas(b[1], hari)), key=lambda b: b[1])[:jumlah]
