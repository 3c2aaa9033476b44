"""Laporan capaian IIAA: writes, atomic, permission-checked, audited.

A structural official (JPT, administrator, pengawas) explains every numeric indikator of their approved SKP
that is below target in a periode: Issues, Implication, Accountability and an Action plan (what, who, by
when). The action plans' status is reported in the next periode. Only the SKP's owner writes; the penilai
chain and the admin read (`perencanaan.view_skp`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.common.tanggal import tanggal_panjang
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.iiaa.selectors import di_bawah_target
from kinerja.pelaksanaan.models import LaporanIIAA, RencanaTindak
from kinerja.perencanaan.models import Indikator, Skp
from kinerja.permissions import require
from kinerja.rules.alur import Status
from kinerja.rules.types import JenisJabatan

JENIS_STRUKTURAL = frozenset(
    {
        JenisJabatan.JPT_UTAMA.value,
        JenisJabatan.JPT_MADYA.value,
        JenisJabatan.JPT_PRATAMA.value,
        JenisJabatan.ADMINISTRATOR.value,
        JenisJabatan.PENGAWAS.value,
    }
)


def is_struktural(skp: Skp) -> bool:
    """Whether the SKP is that of a structural official (the jabatan it was made for)."""
    return skp.jabatan.jenis in JENIS_STRUKTURAL


def capaian_periode(indikator: Indikator, periode_penilaian: PeriodePenilaian) -> selectors.BarisIndikator:
    """The indikator's target, realisasi and capaian in the periode (computed by `kinerja.rules`)."""
    daftar = selectors.periode_list(periode_penilaian.periode)
    ind = selectors.indikator_qs(periode_penilaian.periode).get(pk=indikator.pk)
    return selectors.baris_indikator(ind, periode_penilaian, daftar)


@dataclass(frozen=True)
class TindakanInput:
    """One action plan row as submitted: ``pk`` of the row it changes, ``None`` for a new one."""

    apa: str
    siapa: str
    batas_waktu: datetime.date
    pk: int | None = None


def _pastikan_pemilik(skp: Skp, oleh: User) -> None:
    require(
        oleh, "pelaksanaan.change_realisasi", skp, "Hanya pemilik SKP yang dapat menyusun laporan IIAA-nya."
    )
    if skp.status != Status.DISETUJUI.value:
        raise ValidationError("Laporan IIAA disusun pada SKP yang sudah disetujui pejabat penilai.")
    if not is_struktural(skp):
        raise ValidationError("Laporan IIAA disusun oleh pejabat struktural (JPT, administrator, pengawas).")


def _wajib(errors: dict[str, str], nama: str, nilai: str) -> str:
    nilai = (nilai or "").strip()
    if not nilai:
        errors[nama] = "Wajib diisi."
    return nilai


@transaction.atomic
def save_laporan(
    skp: Skp,
    indikator: Indikator,
    periode_penilaian: PeriodePenilaian,
    oleh: User,
    *,
    issues: str,
    implication: str,
    accountability: str,
    rencana: Sequence[TindakanInput],
) -> LaporanIIAA:
    """Create or change the IIAA report of an indikator below target in the periode, with its action plan.

    Action plan rows named by ``pk`` are changed (keeping their status), new ones added, and rows of the
    report not submitted again are deleted. A new report needs the indikator below target in the periode;
    an existing one may still be corrected after the realisasi was raised.
    """
    _pastikan_pemilik(skp, oleh)
    if indikator.rhk.skp_id != skp.pk:
        raise ValidationError("Indikator ini bukan bagian dari SKP tersebut.")
    if periode_penilaian.periode_id != skp.periode_id:
        raise ValidationError(f"{periode_penilaian} bukan periode SKP tahun {skp.periode.tahun}.")
    laporan = (
        LaporanIIAA.objects.select_for_update()
        .filter(indikator=indikator, periode_penilaian=periode_penilaian)
        .first()
    )
    if laporan is None and not di_bawah_target(capaian_periode(indikator, periode_penilaian)):
        raise ValidationError(
            f"Capaian indikator ini pada {periode_penilaian.nama} tidak di bawah target; "
            "laporan IIAA hanya untuk indikator yang belum mencapai target."
        )
    errors: dict[str, str] = {}
    issues = _wajib(errors, "issues", issues)
    implication = _wajib(errors, "implication", implication)
    accountability = _wajib(errors, "accountability", accountability)
    rows = [r for r in rencana if (r.apa or "").strip()]
    if not rows:
        errors["rencana"] = "Isi minimal satu rencana tindak (apa, siapa, batas waktu)."
    for r in rows:
        if not (r.siapa or "").strip():
            errors["rencana"] = "Setiap rencana tindak perlu penanggung jawab (siapa)."
        elif r.batas_waktu < periode_penilaian.mulai:
            errors["rencana"] = (
                f"Batas waktu rencana tindak tidak boleh sebelum awal {periode_penilaian.nama} "
                f"({tanggal_panjang(periode_penilaian.mulai)})."
            )
    if errors:
        raise ValidationError(errors)

    if laporan is None:
        laporan = LaporanIIAA(
            skp=skp, indikator=indikator, periode_penilaian=periode_penilaian, dibuat_oleh=oleh
        )
    laporan.issues, laporan.implication, laporan.accountability = issues, implication, accountability
    laporan._history_user = oleh  # type: ignore[attr-defined]
    laporan.save()

    existing = {t.pk: t for t in laporan.rencana_tindak.all()} if laporan.pk else {}
    kept: set[int] = set()
    for r in rows:
        tindak = existing.get(r.pk) if r.pk is not None else None
        if tindak is None:
            tindak = RencanaTindak(laporan=laporan)
        else:
            kept.add(tindak.pk)
        tindak.apa, tindak.siapa, tindak.batas_waktu = r.apa.strip(), r.siapa.strip(), r.batas_waktu
        tindak._history_user = oleh  # type: ignore[attr-defined]
        tindak.save()
    for pk, tindak in existing.items():
        if pk not in kept:
            tindak._history_user = oleh  # type: ignore[attr-defined]
            tindak.delete()
    return laporan


@transaction.atomic
def update_status(tindak: RencanaTindak, oleh: User, status: str, catatan: str = "") -> RencanaTindak:
    """The owner reports the progress of one action plan (shown in the next periode's report)."""
    skp = tindak.laporan.skp
    require(
        oleh,
        "pelaksanaan.change_realisasi",
        skp,
        "Hanya pemilik SKP yang dapat memperbarui status rencana tindak.",
    )
    if status not in RencanaTindak.Status.values:
        raise ValidationError({"status": "Pilih status yang tersedia."})
    tindak.status = status
    tindak.catatan_status = (catatan or "").strip()
    tindak._history_user = oleh  # type: ignore[attr-defined]
    tindak.save()
    return tindak
