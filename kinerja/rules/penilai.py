"""Pejabat penilai kinerja and atasan pejabat penilai from the org chart (pure rule, no database).

Input: ``parent_of`` (jabatan id -> parent jabatan id, ``None`` or absent for a root) and ``holders``
(jabatan id -> who holds it now, each with :class:`~kinerja.rules.types.JenisPenempatan`).

* The **pejabat penilai** of a pegawai in jabatan ``j`` is the holder of the nearest *occupied* ancestor
  of ``j``. Vacant ancestors are skipped upward (the next official up evaluates). Among several holders
  of one jabatan the priority is definitif > Plt. > Plh. (then the order given).
* The pegawai is never their own penilai: an ancestor whose only holder is the pegawai (e.g. they are
  Plt. of their own superior's jabatan) is skipped like a vacant one.
* The **atasan pejabat penilai** is found the same way starting from the penilai's jabatan, skipping
  ancestors held only by the pegawai or by the penilai (a person cannot decide a keberatan against their
  own evaluation).
* The rank of the jabatan (e.g. "at least pejabat pengawas") is not checked here.

:class:`Resolver` memoises the nearest occupied ancestor of each jabatan, so resolving every pegawai
of a large tree costs about one step per jabatan; it walks iteratively (no recursion limit) and raises
``ValueError`` on a cycle.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from kinerja.rules.types import JenisPenempatan

__all__ = [
    "PRIORITAS",
    "Holder",
    "Pejabat",
    "Rantai",
    "Resolver",
    "select_pemangku",
    "resolve",
    "resolve_all",
]

#: Lower is preferred.
PRIORITAS: Mapping[JenisPenempatan, int] = MappingProxyType(
    {
        JenisPenempatan.DEFINITIF: 0,
        JenisPenempatan.PLT: 1,
        JenisPenempatan.PLH: 2,
    }
)


@dataclass(frozen=True)
class Holder:
    """A pegawai holding a jabatan, definitively or as Plt./Plh."""

    pegawai_id: int
    penempatan: JenisPenempatan = JenisPenempatan.DEFINITIF


class Pejabat(NamedTuple):
    """A resolved official: the jabatan and the pegawai who acts in it."""

    jabatan_id: int
    pegawai_id: int


@dataclass(frozen=True)
class Rantai:
    """The evaluation chain of one pegawai; ``None`` where nobody is found (top of the tree)."""

    penilai: Pejabat | None
    atasan_penilai: Pejabat | None


def select_pemangku(holders: Iterable[Holder], kecuali: Collection[int] = ()) -> Holder | None:
    """The holder who acts for a jabatan: definitif > Plt. > Plh., first given among equals.

    Holders whose ``pegawai_id`` is in ``kecuali`` are ignored. ``None`` when nobody is left.
    """
    best: Holder | None = None
    for holder in holders:
        if holder.pegawai_id in kecuali:
            continue
        if best is None or PRIORITAS[holder.penempatan] < PRIORITAS[best.penempatan]:
            best = holder
    return best


class Resolver:
    """Resolves evaluation chains over one org chart, memoising ancestor look-ups."""

    def __init__(self, parent_of: Mapping[int, int | None], holders: Mapping[int, Sequence[Holder]]) -> None:
        self._parent_of = parent_of
        self._holders = holders
        self._above: dict[int, int | None] = {}

    def occupied_ancestor(self, jabatan_id: int) -> int | None:
        """The nearest strict ancestor of ``jabatan_id`` that has at least one holder."""
        if jabatan_id in self._above:
            return self._above[jabatan_id]
        path = [jabatan_id]
        on_path = {jabatan_id}
        result: int | None = None
        parent = self._parent_of.get(jabatan_id)
        while parent is not None:
            if parent in on_path:
                raise ValueError(f"Struktur jabatan melingkar: jabatan {parent} menjadi atasannya sendiri")
            if self._holders.get(parent):
                result = parent
                break
            if parent in self._above:
                result = self._above[parent]
                break
            path.append(parent)
            on_path.add(parent)
            parent = self._parent_of.get(parent)
        for node in path:
            self._above[node] = result
        return result

    def _first_above(self, jabatan_id: int, kecuali: Collection[int]) -> Pejabat | None:
        current = self.occupied_ancestor(jabatan_id)
        while current is not None:
            holder = select_pemangku(self._holders.get(current, ()), kecuali)
            if holder is not None:
                return Pejabat(current, holder.pegawai_id)
            current = self.occupied_ancestor(current)
        return None

    def resolve(self, jabatan_id: int, pegawai_id: int | None = None) -> Rantai:
        """The chain of the pegawai ``pegawai_id`` (if given, never chosen as their own penilai or
        atasan) holding ``jabatan_id``."""
        kecuali: tuple[int, ...] = () if pegawai_id is None else (pegawai_id,)
        penilai = self._first_above(jabatan_id, kecuali)
        if penilai is None:
            return Rantai(None, None)
        atasan = self._first_above(penilai.jabatan_id, (*kecuali, penilai.pegawai_id))
        return Rantai(penilai, atasan)


def resolve(
    jabatan_id: int,
    parent_of: Mapping[int, int | None],
    holders: Mapping[int, Sequence[Holder]],
    pegawai_id: int | None = None,
) -> Rantai:
    """The evaluation chain of ``pegawai_id`` in ``jabatan_id`` (one-off; use :class:`Resolver` or
    :func:`resolve_all` for many)."""
    return Resolver(parent_of, holders).resolve(jabatan_id, pegawai_id)


def resolve_all(
    parent_of: Mapping[int, int | None], holders: Mapping[int, Sequence[Holder]]
) -> dict[tuple[int, int], Rantai]:
    """The chain of every holder of every jabatan, keyed by ``(jabatan_id, pegawai_id)``."""
    resolver = Resolver(parent_of, holders)
    return {
        (jabatan_id, holder.pegawai_id): resolver.resolve(jabatan_id, holder.pegawai_id)
        for jabatan_id, jabatan_holders in holders.items()
        for holder in jabatan_holders
    }
