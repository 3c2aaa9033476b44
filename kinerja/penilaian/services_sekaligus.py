"""Rating an evaluation in one pass (docs/rules.md §33): every RHK rating and the seven BerAKHLAK values
with their notes, saved by one call in one transaction, all or nothing.

The checks are those of a rating of one row (`services.nilai_baris`): the evaluation's ``versi``, its
penilai, not final, not past the deadline lock. Every input is validated before anything is written, and
the errors come back together, one per field (``rhk-<row id>-rating``, ``perilaku-<KODE>-catatan``). Only
the rows that change are written, with `bulk_update_with_history` (flat in the number of RHK; each changed
row gets its history record naming the penilai)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from kinerja.organisasi.models import User
from kinerja.penilaian import services
from kinerja.penilaian.models import Evaluasi, RatingPerilaku, RatingRhk
from kinerja.permissions import require
from kinerja.rules.types import Rating

BATAS_CATATAN = 4000


@dataclass(frozen=True)
class Isian:
    """One row's input: its rating ("" or None clears it) and its note (umpan balik)."""

    rating: Rating | str | None
    catatan: str = ""


@dataclass
class HasilSekaligus:
    """What was saved: the evaluation (read with everything the page's header reads), every rating row as
    saved (RHK in page order, the values) and how many rows changed."""

    evaluasi: Evaluasi
    rhk: list[RatingRhk]
    perilaku: list[RatingPerilaku]
    diubah: int


def _nilai(isian: Isian, field: str, galat: dict[str, list[str]]) -> str | None:
    """The rating's value ("" clears), or None with the error recorded on ``field``."""
    if isian.rating in (None, ""):
        return ""
    try:
        return Rating(isian.rating).value
    except ValueError:
        pilihan = ", ".join(r.label for r in Rating)
        galat.setdefault(field, []).append(f"Rating tidak dikenal; pilih salah satu: {pilihan}.")
        return None


def _catatan(isian: Isian, field: str, apa: str, galat: dict[str, list[str]]) -> str:
    teks = (isian.catatan or "").strip()
    if len(teks) > BATAS_CATATAN:
        galat.setdefault(field, []).append(
            f"Umpan balik {apa} terlalu panjang ({len(teks)} karakter; paling banyak {BATAS_CATATAN})."
        )
    return teks


def _ambil(evaluasi_id: int, oleh: User, versi: int | None, sekarang: datetime.datetime | None) -> Evaluasi:
    """The evaluation under its row lock, for a rating write by its penilai (as `services.nilai_baris`)."""
    ev = services._ambil_kunci(evaluasi_id)
    require(oleh, "penilaian.view_evaluasi", ev, "Anda tidak berhak melihat evaluasi ini.")
    services._pastikan_versi(ev, versi)
    services._pastikan_penilai(ev, oleh, "Rating")
    services._pastikan_dapat_diubah(ev)
    services._pastikan_belum_terkunci(ev, sekarang)
    return ev


def _simpan_semua(
    ev: Evaluasi,
    oleh: User,
    rows: list[RatingRhk],
    perilaku: list[RatingPerilaku],
    rhk: Mapping[int, Isian],
    nilai: Mapping[str, Isian],
) -> HasilSekaligus:
    galat: dict[str, list[str]] = {}
    per_id = {r.pk: r for r in rows}
    per_kode = {p.kode: p for p in perilaku}
    ubah_rhk: list[RatingRhk] = []
    ubah_perilaku: list[RatingPerilaku] = []
    for row_id, isian in rhk.items():
        field = f"rhk-{row_id}-rating"
        row = per_id.get(row_id)
        if row is None:
            galat.setdefault(field, []).append("RHK tidak ditemukan pada evaluasi ini; muat ulang halaman.")
            continue
        rating = _nilai(isian, field, galat)
        catatan = _catatan(isian, f"rhk-{row_id}-catatan", "RHK", galat)
        if rating is None or (rating, catatan) == (row.rating, row.catatan):
            continue
        if row.rhk_id is None:
            galat.setdefault(field, []).append("RHK ini sudah dihapus dari SKP; buka ulang evaluasi.")
            continue
        row.rating, row.catatan = rating, catatan
        ubah_rhk.append(row)
    for kode_masuk, isian in nilai.items():
        kode = str(kode_masuk).upper()
        field = f"perilaku-{kode}-rating"
        p = per_kode.get(kode)
        if p is None:
            galat.setdefault(field, []).append(f"Nilai BerAKHLAK tidak dikenal: {kode_masuk}.")
            continue
        rating = _nilai(isian, field, galat)
        catatan = _catatan(isian, f"perilaku-{kode}-catatan", services.NAMA_PERILAKU[kode], galat)
        if rating is None or (rating, catatan) == (p.rating, p.catatan):
            continue
        p.rating, p.catatan = rating, catatan
        ubah_perilaku.append(p)
    if galat:
        raise ValidationError(galat)  # nothing written yet: all or nothing
    if ubah_rhk:
        bulk_update_with_history(ubah_rhk, RatingRhk, ["rating", "catatan"], default_user=oleh)
    if ubah_perilaku:
        bulk_update_with_history(ubah_perilaku, RatingPerilaku, ["rating", "catatan"], default_user=oleh)
    diubah = len(ubah_rhk) + len(ubah_perilaku)
    if diubah:  # an autosave that changed nothing leaves the version (and other tabs) alone
        services._hitung_saran(ev, rows, perilaku)
        ev = services._simpan(ev, oleh)
    return HasilSekaligus(ev, rows, perilaku, diubah)


def _baris(ev: Evaluasi) -> tuple[list[RatingRhk], list[RatingPerilaku]]:
    return list(ev.rating_rhk.order_by("urutan", "pk")), list(ev.rating_perilaku_set.order_by("pk"))


@transaction.atomic
def nilai_sekaligus(
    evaluasi_id: int,
    oleh: User,
    rhk: Mapping[int, Isian],
    perilaku: Mapping[str, Isian],
    *,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> HasilSekaligus:
    """The penilai rates the RHK (``rhk``: rating row id → input) and the values (``perilaku``: kode →
    input) of the evaluation ``evaluasi_id`` at once; rows left out keep their rating. Raises
    ``Evaluasi.DoesNotExist``, ``PermissionDenied`` (not its penilai) and ``ValidationError`` (stale
    ``versi``, final, locked; or a dict of per-field errors, nothing saved)."""
    ev = _ambil(evaluasi_id, oleh, versi, sekarang)
    rows, nilai = _baris(ev)
    return _simpan_semua(ev, oleh, rows, nilai, rhk, perilaku)


@transaction.atomic
def perilaku_sesuai_ekspektasi(
    evaluasi_id: int,
    oleh: User,
    *,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> HasilSekaligus:
    """A starting point: every value not yet rated becomes "Sesuai Ekspektasi" (rated ones are kept); the
    penilai then adjusts. Audited as any rating (history records name the penilai)."""
    ev = _ambil(evaluasi_id, oleh, versi, sekarang)
    rows, nilai = _baris(ev)
    isian = {p.kode: Isian(Rating.SESUAI.value, p.catatan) for p in nilai if not p.rating}
    return _simpan_semua(ev, oleh, rows, nilai, {}, isian)
