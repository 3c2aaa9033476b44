"""One write path for an SKP: its content (RHK, indikator, lampiran) and its workflow steps.

`PengubahSkp` takes a change as plain data (the dataclasses below), locks the SKP row, checks that the
caller may edit it, applies every part through the per-part services of `kinerja.perencanaan.services`
and audits through them (django-simple-history), all in one transaction. The API's PUT replaces whole
lists (`update_skp`: every refusal is collected, nothing is saved when one part is refused); the SKP page
saves one part at a time through the same class. `run_skp` runs a workflow step on the locked row
(docs/rules.md §10, §11).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.organisasi.models import User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import Indikator, PerjanjianKinerjaIndikator, Rhk, Skp, SkpLampiran
from kinerja.rules import Aspek, JenisRhk, Konsolidasi, Polaritas
from kinerja.rules.alur import Aksi, Peran, Status

Loc = tuple[str | int, ...]


# --- the change, as plain data ------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetPeriodeUbah:
    nomor: int
    target_angka: Decimal | None = None
    target_teks: str = ""


@dataclass(frozen=True)
class IndikatorUbah:
    """One indikator of an RHK; `id` keeps an existing one (its identity), None makes a new one."""

    teks: str
    id: int | None = None
    aspek: str = Aspek.KUANTITAS.value
    target_angka: Decimal | None = None
    target_angka_atas: Decimal | None = None
    satuan: str = ""
    target_teks: str = ""
    polaritas: str = Polaritas.MAXIMIZE.value
    konsolidasi: str = Konsolidasi.SUM.value
    target_periode: list[TargetPeriodeUbah] = field(default_factory=list)


@dataclass(frozen=True)
class RhkUbah:
    """One RHK; `id` keeps an existing one, None makes a new one; `indikator` None leaves them as they are."""

    teks: str
    id: int | None = None
    jenis: str = JenisRhk.UTAMA.value
    intervensi_id: int | None = None
    pk_indikator_id: int | None = None
    perspektif: str = ""
    indikator: list[IndikatorUbah] | None = None


@dataclass(frozen=True)
class LampiranUbah:
    jenis: str
    teks: str
    kategori: str = ""


@dataclass(frozen=True)
class PerubahanSkp:
    """The full lists that change; a list left as None stays as it is."""

    rhk: list[RhkUbah] | None = None
    lampiran: list[LampiranUbah] | None = None


class PerubahanDitolak(Exception):
    """Every refusal of one change, each with where in the change it belongs, e.g.
    `(("rhk", 0, "indikator", 1), ValidationError({"target_angka": ...}))`; nothing was saved."""

    def __init__(self, galat: list[tuple[Loc, ValidationError]]) -> None:
        super().__init__("; ".join(m for _, exc in galat for m in exc.messages))
        self.galat = galat


# --- the change manager -------------------------------------------------------------------------------


@contextmanager
def _coba(galat: list[tuple[Loc, ValidationError]], loc: Loc) -> Iterator[None]:
    """Collect a part's ValidationError (located at `loc`) and go on checking the rest."""
    try:
        yield
    except ValidationError as exc:
        galat.append((loc, exc))


def _kunci(skp_id: int) -> Skp:
    """The SKP row locked for the rest of the transaction (two saves of one SKP never interleave)."""
    return Skp.objects.select_for_update(of=("self",)).select_related("periode", "jabatan").get(pk=skp_id)


class PengubahSkp:
    """Every change to the content of one SKP, by its owner, while it may be edited.

    Each method opens one transaction on the locked row and checks the owner may edit before anything
    else (so the check runs even when nothing would be written). A refused single part raises the
    service's own `ValidationError`; a refused full change raises `PerubahanDitolak` with all of them.
    """

    def __init__(self, skp: Skp, oleh: User) -> None:
        self.skp, self.oleh = skp, oleh

    @contextmanager
    def _terkunci(self) -> Iterator[Skp]:
        with transaction.atomic():
            skp = _kunci(self.skp.pk)
            services.ensure_editable(skp, self.oleh)
            yield skp

    # --- the full change (API PUT) ---

    def ubah(self, perubahan: PerubahanSkp) -> Skp:
        """Replace the lists that are given; all or nothing."""
        with self._terkunci() as skp:
            galat: list[tuple[Loc, ValidationError]] = []
            if perubahan.rhk is not None:
                self._ganti_rhk(skp, perubahan.rhk, galat)
            if perubahan.lampiran is not None:
                self._ganti_lampiran(skp, perubahan.lampiran, galat)
            if galat:
                raise PerubahanDitolak(galat)  # rolls the whole change back
        return skp

    # --- one part (the SKP page) ---

    def save_rhk(self, rhk: Rhk | None = None, **data: Any) -> tuple[Rhk, list[str]]:
        with self._terkunci() as skp:
            return services.save_rhk(skp, self.oleh, rhk, **data)

    def delete_rhk(self, rhk: Rhk) -> None:
        with self._terkunci() as skp:
            rhk.skp = skp
            services.delete_rhk(rhk, self.oleh)

    def save_indikator(self, rhk: Rhk, indikator: Indikator | None = None, **data: Any) -> Indikator:
        with self._terkunci() as skp:
            rhk.skp = skp
            return services.save_indikator(rhk, self.oleh, indikator, **data)

    def delete_indikator(self, indikator: Indikator) -> None:
        with self._terkunci() as skp:
            indikator.rhk.skp = skp
            services.delete_indikator(indikator, self.oleh)

    def save_lampiran(self, *, jenis: str, teks: str, kategori: str = "") -> SkpLampiran:
        with self._terkunci() as skp:
            return services.save_lampiran(skp, self.oleh, jenis=jenis, teks=teks, kategori=kategori)

    def delete_lampiran(self, lampiran: SkpLampiran) -> None:
        with self._terkunci() as skp:
            lampiran.skp = skp
            services.delete_lampiran(lampiran, self.oleh)

    # --- the parts of the full change ---

    def _ganti_rhk(self, skp: Skp, items: list[RhkUbah], galat: list[tuple[Loc, ValidationError]]) -> None:
        oleh = self.oleh
        lama = {r.pk: r for r in skp.rhk.prefetch_related("indikator__target_periode")}
        for r in lama.values():
            r.skp = skp
        dipakai: set[int] = set()
        for n, item in enumerate(items):
            if item.id is None:
                continue
            if item.id not in lama:
                galat.append((("rhk", n, "id"), ValidationError(f"RHK {item.id} bukan bagian dari SKP ini.")))
            elif item.id in dipakai:
                galat.append((("rhk", n, "id"), ValidationError(f"RHK {item.id} disebut lebih dari sekali.")))
            dipakai.add(item.id)
        if galat:
            return
        for r in lama.values():
            if r.pk not in dipakai:
                with _coba(galat, ("rhk",)):
                    services.delete_rhk(r, oleh)
        induk = Rhk.objects.select_related("skp").in_bulk({i.intervensi_id for i in items if i.intervensi_id})
        iku = PerjanjianKinerjaIndikator.objects.select_related("perjanjian").in_bulk(
            {i.pk_indikator_id for i in items if i.pk_indikator_id}
        )
        for n, item in enumerate(items):
            loc: Loc = ("rhk", n)
            intervensi = induk.get(item.intervensi_id) if item.intervensi_id else None
            if item.intervensi_id and intervensi is None:
                galat.append(
                    ((*loc, "intervensi_id"), ValidationError("RHK yang diintervensi tidak ditemukan."))
                )
                continue
            pk_indikator = iku.get(item.pk_indikator_id) if item.pk_indikator_id else None
            if item.pk_indikator_id and pk_indikator is None:
                galat.append(
                    ((*loc, "pk_indikator_id"), ValidationError("IKU Perjanjian Kinerja tidak ditemukan."))
                )
                continue
            rhk = lama.get(item.id) if item.id else None
            berubah = rhk is None or (
                rhk.teks,
                rhk.jenis,
                rhk.intervensi_id,
                rhk.pk_indikator_id,
                rhk.perspektif,
            ) != (
                item.teks.strip(),
                item.jenis,
                item.intervensi_id,
                item.pk_indikator_id,
                item.perspektif,
            )
            if berubah:
                before = len(galat)
                with _coba(galat, loc):
                    rhk, _ = services.save_rhk(
                        skp,
                        oleh,
                        rhk,
                        teks=item.teks,
                        jenis=item.jenis,
                        intervensi=intervensi,
                        pk_indikator=pk_indikator,
                        perspektif=item.perspektif,
                    )
                if len(galat) > before:
                    continue
            if item.indikator is not None and rhk is not None:
                self._ganti_indikator(skp, rhk, item.indikator, loc, galat)

    @staticmethod
    def _target_periode(
        skp: Skp,
        items: list[TargetPeriodeUbah],
        jumlah: int,
        loc: Loc,
        galat: list[tuple[Loc, ValidationError]],
    ) -> dict[int, Any]:
        out: dict[int, Any] = {}
        for n, t in enumerate(items):
            if t.nomor > jumlah:
                galat.append(
                    (
                        (*loc, "target_periode", n, "nomor"),
                        ValidationError(
                            f"Periode ke-{t.nomor} tidak ada; tahun {skp.periode.tahun} memiliki "
                            f"{jumlah} periode."
                        ),
                    )
                )
            elif t.nomor in out:
                galat.append(
                    (
                        (*loc, "target_periode", n, "nomor"),
                        ValidationError(f"Periode ke-{t.nomor} disebut dua kali."),
                    )
                )
            else:
                out[t.nomor] = t.target_angka if skp.is_kuantitatif else t.target_teks
        return out

    def _ganti_indikator(
        self,
        skp: Skp,
        rhk: Rhk,
        items: list[IndikatorUbah],
        loc: Loc,
        galat: list[tuple[Loc, ValidationError]],
    ) -> None:
        oleh = self.oleh
        lama = {i.pk: i for i in rhk.indikator.all()} if rhk.pk else {}
        for i in lama.values():
            i.rhk = rhk
        ids = [i.id for i in items if i.id is not None]
        ok = True
        for n, item in enumerate(items):
            if item.id is not None and (item.id not in lama or ids.count(item.id) > 1):
                galat.append(
                    (
                        (*loc, "indikator", n, "id"),
                        ValidationError(f"Indikator {item.id} bukan (satu-satunya) indikator RHK ini."),
                    )
                )
                ok = False
        if not ok:
            return
        for i in lama.values():
            if i.pk not in ids:
                with _coba(galat, (*loc, "indikator")):
                    services.delete_indikator(i, oleh)
        jumlah = len(skp.periode.periode_penilaian.all())
        for n, item in enumerate(items):
            iloc: Loc = (*loc, "indikator", n)
            before = len(galat)
            periode = self._target_periode(skp, item.target_periode, jumlah, iloc, galat)
            if len(galat) > before:
                continue
            indikator = lama.get(item.id) if item.id else None
            if indikator is not None and not _indikator_berubah(skp, indikator, item, periode):
                continue
            with _coba(galat, iloc):
                services.save_indikator(
                    rhk,
                    oleh,
                    indikator,
                    teks=item.teks,
                    aspek=item.aspek,
                    target_angka=item.target_angka,
                    target_angka_atas=item.target_angka_atas,
                    satuan=item.satuan,
                    target_teks=item.target_teks,
                    polaritas=item.polaritas,
                    konsolidasi=item.konsolidasi,
                    target_periode=periode,
                )

    def _ganti_lampiran(
        self, skp: Skp, items: list[LampiranUbah], galat: list[tuple[Loc, ValidationError]]
    ) -> None:
        """Keep rows equal to an item, delete the rest, create the new (unchanged rows leave no history)."""
        oleh = self.oleh
        sisa = list(skp.lampiran.all())
        baru: list[tuple[int, LampiranUbah]] = []
        for n, item in enumerate(items):
            kategori = item.kategori if item.jenis == SkpLampiran.Jenis.DUKUNGAN else ""
            cocok = next(
                (
                    lam
                    for lam in sisa
                    if (lam.jenis, lam.kategori, lam.teks) == (item.jenis, kategori, item.teks.strip())
                ),
                None,
            )
            if cocok is not None:
                sisa.remove(cocok)
            else:
                baru.append((n, item))
        for lam in sisa:
            lam.skp = skp
            with _coba(galat, ("lampiran",)):
                services.delete_lampiran(lam, oleh)
        for n, item in baru:
            with _coba(galat, ("lampiran", n)):
                services.save_lampiran(skp, oleh, jenis=item.jenis, teks=item.teks, kategori=item.kategori)


def _indikator_berubah(skp: Skp, lama: Indikator, item: IndikatorUbah, periode: dict[int, Any]) -> bool:
    """False when saving `item` would write nothing (keeps the history free of empty changes)."""
    if (lama.teks, lama.aspek, lama.satuan, lama.polaritas, lama.konsolidasi) != (
        item.teks.strip(),
        item.aspek,
        item.satuan.strip(),
        item.polaritas,
        item.konsolidasi,
    ):
        return True
    if skp.is_kuantitatif:
        if (lama.target_angka, lama.target_angka_atas) != (item.target_angka, item.target_angka_atas):
            return True
        sekarang = {t.nomor: t.target_angka for t in lama.target_periode.all()}
        return any(sekarang.get(n) != periode.get(n) for n in set(sekarang) | set(periode))
    if lama.target_teks != item.target_teks.strip():
        return True
    sekarang_teks = {t.nomor: t.target_teks for t in lama.target_periode.all()}
    return any(
        sekarang_teks.get(n, "") != (periode.get(n) or "").strip() for n in set(sekarang_teks) | set(periode)
    )


def update_skp(skp: Skp, oleh: User, perubahan: PerubahanSkp) -> Skp:
    """The full change of an SKP's content (see `PengubahSkp.ubah`)."""
    return PengubahSkp(skp, oleh).ubah(perubahan)


# --- workflow -----------------------------------------------------------------------------------------


_LANGKAH: dict[Aksi, Callable[[Skp, User], Skp]] = {
    Aksi.AJUKAN: services.submit_skp,
    Aksi.TARIK: services.withdraw_skp,
    Aksi.SETUJUI: services.approve_skp,
    Aksi.AJUKAN_PERUBAHAN: services.submit_perubahan_skp,
}


def run_skp(skp: Skp, oleh: User, aksi: Aksi, catatan: str = "") -> Skp:
    """One workflow step on the locked SKP row; returns the SKP as it now is.

    Kembalikan without a note, by the penilai of a submitted SKP, is refused only for the note: the
    refusal then names the field (`{"catatan": ...}`) so a client can show it there.
    """
    with transaction.atomic():
        dikunci = _kunci(skp.pk)
        if aksi is not Aksi.KEMBALIKAN:
            return _LANGKAH[aksi](dikunci, oleh)
        hanya_catatan = (
            not catatan.strip()
            and Peran.PENYETUJU in services.peran_skp(dikunci, oleh)
            and dikunci.status == Status.DIAJUKAN
        )
        try:
            return services.return_skp(dikunci, oleh, catatan)
        except ValidationError as exc:
            if hanya_catatan:
                raise ValidationError({"catatan": exc.messages}) from exc
            raise
