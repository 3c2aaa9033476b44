"""Realisasi of a periode: when it may be entered (locks) and its capaian, per periode and year to date.

Entry window (docs/rules.md §12), for realisasi and rencana aksi of one periode:

* realisasi may be entered from the periode's first day (``mulai``; a result cannot be reported before
  the work starts) up to and including its ``batas_realisasi`` (a local date: the whole deadline day is
  on time, like :func:`kinerja.rules.jadwal.lewat_batas`). Rencana aksi are a plan, so they may be
  written ahead of the periode: callers pass ``mulai=None`` for them.
* after the deadline the periode is locked, unless the admin kepegawaian unlocked it for the pegawai and
  that unlock is still valid (``berlaku_sampai`` strictly after now). Entry under an unlock is allowed
  but flagged ``terlambat``.

Capaian of a numeric indikator in one periode uses :mod:`kinerja.rules.capaian` (polaritas, cap, the
target-0 cases, range targets). A range indikator (``target_atas`` given) keeps its range in every
periode: ranges are levels ("80-90 %"), not amounts that split over the year.

Year to date of a range target: the average (or the last) of its period capaian, never a sum (a range
is a level); an indikator stored with "sum" uses the instansi's choice (docs/rules.md §4, §12).

Year to date (``s.d. periode``) otherwise: the realisasi of the periods **that have a realisasi and a
target** are consolidated with the indikator's konsolidasi (sum / average / last) and compared with the
targets of those same periods consolidated the same way. So a pegawai who filled TW I and TW II of a summed
indikator is measured against the TW I + TW II targets, not the yearly target, and a periode left empty
does not pull the capaian down (its absence is visible on its own; the lock makes it late).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from kinerja.rules.capaian import (
    CAP_DEFAULT,
    KONSOLIDASI_RENTANG_DEFAULT,
    Angka,
    capaian,
    capaian_rentang,
    capaian_rentang_kumulatif,
    konsolidasi,
    konsolidasi_rentang,
)
from kinerja.rules.jadwal import format_tanggal, lewat_batas
from kinerja.rules.types import Konsolidasi, Polaritas

__all__ = [
    "Kumulatif",
    "NilaiPeriode",
    "StatusPengisian",
    "capaian_indikator",
    "capaian_kumulatif",
    "format_tanggal",
    "format_waktu",
    "status_pengisian",
    "warna_capaian",
]


def format_waktu(waktu: datetime) -> str:
    """``12 Juli 2026 pukul 10.00`` (the caller passes a local time)."""
    return f"{format_tanggal(waktu.date())} pukul {waktu:%H.%M}"


@dataclass(frozen=True)
class StatusPengisian:
    """Whether input for a periode is open now, why, and whether it counts as late."""

    boleh: bool
    alasan: str
    terlambat: bool = False
    dibuka_sampai: datetime | None = None


def status_pengisian(
    *,
    nama: str,
    batas: date,
    hari_ini: date,
    sekarang: datetime,
    mulai: date | None = None,
    buka_kunci_sampai: datetime | None = None,
) -> StatusPengisian:
    """Whether the periode ``nama`` is open for input at ``sekarang`` (local date ``hari_ini``).

    ``mulai``: first day input is allowed (``None``: no lower bound, for rencana aksi). ``batas``: the
    inclusive deadline. ``buka_kunci_sampai``: end of the latest unlock of this pegawai and periode, if
    any (valid while strictly after ``sekarang``). ``sekarang`` and ``buka_kunci_sampai`` must be both
    naive or both aware (the caller passes local times so the message shows the local clock).
    """
    if mulai is not None and hari_ini < mulai:
        return StatusPengisian(False, f"Realisasi {nama} baru dapat diisi mulai {format_tanggal(mulai)}.")
    if not lewat_batas(batas, hari_ini):
        return StatusPengisian(True, f"Pengisian {nama} terbuka sampai {format_tanggal(batas)}.")
    if buka_kunci_sampai is not None and buka_kunci_sampai > sekarang:
        return StatusPengisian(
            True,
            f"Batas pengisian {nama} ({format_tanggal(batas)}) sudah lewat, tetapi dibuka kembali oleh admin "
            f"kepegawaian sampai {format_waktu(buka_kunci_sampai)}. Isian dicatat terlambat.",
            terlambat=True,
            dibuka_sampai=buka_kunci_sampai,
        )
    return StatusPengisian(
        False,
        f"Batas pengisian {nama} ({format_tanggal(batas)}) sudah lewat. "
        "Minta admin kepegawaian membuka kunci.",
    )


def capaian_indikator(
    realisasi: Angka | None,
    target: Angka | None,
    polaritas: Polaritas,
    target_atas: Angka | None = None,
    cap: Angka = CAP_DEFAULT,
) -> Decimal | None:
    """Capaian of one realisasi against its target (a range when ``target_atas`` is given).

    ``None`` when there is no realisasi or no target (nothing to compare); everything else, including a
    target of 0, is decided by :mod:`kinerja.rules.capaian`.
    """
    if realisasi is None or target is None:
        return None
    if target_atas is not None:
        return capaian_rentang(realisasi, target, target_atas, polaritas, cap)
    return capaian(realisasi, target, polaritas, cap)


@dataclass(frozen=True)
class NilaiPeriode:
    """The realisasi and target of one periode (either may be missing)."""

    realisasi: Angka | None
    target: Angka | None


@dataclass(frozen=True)
class Kumulatif:
    """Year-to-date values: consolidated realisasi and target of the counted periods, and the capaian."""

    realisasi: Decimal
    target: Decimal | None
    capaian: Decimal
    jumlah_periode: int


def capaian_kumulatif(
    nilai: Sequence[NilaiPeriode],
    jenis: Konsolidasi,
    polaritas: Polaritas,
    rentang: tuple[Angka, Angka] | None = None,
    cap: Angka = CAP_DEFAULT,
    konsolidasi_rentang_bawaan: Konsolidasi = KONSOLIDASI_RENTANG_DEFAULT,
) -> Kumulatif | None:
    """Year-to-date capaian over ``nilai`` (periods in order, up to the periode shown).

    Counts the periods with a realisasi and (without ``rentang``) a target; consolidates realisasi and
    targets of those periods with ``jenis`` and applies :func:`capaian_indikator`. With ``rentang`` the
    capaian is `capaian.capaian_rentang_kumulatif` (average or last of the period capaian; ``jenis`` "sum"
    is replaced by ``konsolidasi_rentang_bawaan``, the instansi's CONFIG); the realisasi shown is
    consolidated the same way and ``target`` is ``None``. Nothing to count -> ``None``.
    """
    jenis = Konsolidasi(jenis)
    if rentang is not None:
        dipakai = [n for n in nilai if n.realisasi is not None]
    else:
        dipakai = [n for n in nilai if n.realisasi is not None and n.target is not None]
    if not dipakai:
        return None
    if rentang is not None:
        cara = konsolidasi_rentang(jenis, konsolidasi_rentang_bawaan)
        nilai_capaian = capaian_rentang_kumulatif(
            [n.realisasi for n in dipakai], rentang[0], rentang[1], cara, polaritas, cap
        )
        realisasi_rentang = konsolidasi([n.realisasi for n in dipakai], cara)
        assert nilai_capaian is not None and realisasi_rentang is not None
        return Kumulatif(realisasi_rentang, None, nilai_capaian, len(dipakai))
    realisasi = konsolidasi([n.realisasi for n in dipakai], jenis)
    assert realisasi is not None
    target = konsolidasi([n.target for n in dipakai], jenis)
    assert target is not None
    return Kumulatif(realisasi, target, capaian(realisasi, target, polaritas, cap), len(dipakai))


def warna_capaian(nilai: Decimal | None) -> str:
    """Badge colour of a capaian: ``baik`` (>= 100), ``sedang`` (80 to < 100), ``kurang`` (< 80)."""
    if nilai is None:
        return ""
    if nilai >= 100:
        return "baik"
    if nilai >= 80:
        return "sedang"
    return "kurang"
