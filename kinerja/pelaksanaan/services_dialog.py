"""Dialog kinerja (issue 4 §6): the penilai records a performance conversation with a pegawai.

Only the SKP's penilai or atasan penilai records one (the two the SKP names); follow-ups are assigned to
the pegawai or to the one recording it and are marked done by their responsible person.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.organisasi.models import User
from kinerja.perencanaan.models import Skp

from .models import DialogKinerja, TindakLanjutDialog


def boleh_catat(user: User, skp: Skp) -> bool:
    """The SKP's penilai or atasan penilai (as recorded on the SKP) may record a dialog about it."""
    return bool(
        user.is_authenticated
        and user.pegawai_id
        and user.pegawai_id != skp.pegawai_id
        and user.pegawai_id in (skp.penilai_id, skp.atasan_penilai_id)
    )


@dataclass(frozen=True)
class TindakLanjutInput:
    teks: str
    penanggung_jawab_id: int
    batas_waktu: datetime.date


@transaction.atomic
def catat_dialog(
    skp: Skp,
    oleh: User,
    *,
    tanggal: datetime.date,
    topik: str,
    kesepakatan: str = "",
    tindak_lanjut: Sequence[TindakLanjutInput] = (),
) -> DialogKinerja:
    """Record a dialog kinerja held on ``tanggal`` (not in the future) with its follow-ups."""
    if not boleh_catat(oleh, skp):
        raise PermissionDenied(
            "Hanya pejabat penilai atau atasan pejabat penilai SKP ini yang mencatat dialog."
        )
    errors: dict[str, str] = {}
    topik = (topik or "").strip()
    if not topik:
        errors["topik"] = "Wajib diisi."
    if tanggal > timezone.localdate():
        errors["tanggal"] = "Dialog dicatat setelah berlangsung; tanggal tidak boleh di masa depan."
    boleh_pj = {skp.pegawai_id, oleh.pegawai_id}
    for t in tindak_lanjut:
        if t.penanggung_jawab_id not in boleh_pj:
            errors["tindak_lanjut"] = "Penanggung jawab tindak lanjut adalah pegawai yang dinilai atau Anda."
        elif t.batas_waktu < tanggal:
            errors["tindak_lanjut"] = "Batas waktu tindak lanjut tidak boleh sebelum tanggal dialog."
    if errors:
        raise ValidationError(errors)
    dialog = DialogKinerja(
        skp=skp, tanggal=tanggal, topik=topik, kesepakatan=(kesepakatan or "").strip(), dicatat_oleh=oleh
    )
    dialog._history_user = oleh  # type: ignore[attr-defined]
    dialog.save()
    for t in tindak_lanjut:
        tl = TindakLanjutDialog(
            dialog=dialog,
            teks=t.teks.strip(),
            penanggung_jawab_id=t.penanggung_jawab_id,
            batas_waktu=t.batas_waktu,
        )
        tl._history_user = oleh  # type: ignore[attr-defined]
        tl.save()
    return dialog


@transaction.atomic
def tandai_selesai(
    tindak: TindakLanjutDialog, oleh: User, selesai: bool = True, sekarang: datetime.datetime | None = None
) -> TindakLanjutDialog:
    """The responsible person marks a follow-up done (or reopens it)."""
    if not oleh.pegawai_id or oleh.pegawai_id != tindak.penanggung_jawab_id:
        raise PermissionDenied("Hanya penanggung jawab tindak lanjut ini yang dapat menandainya selesai.")
    tindak.selesai_pada = (sekarang or timezone.now()) if selesai else None
    tindak._history_user = oleh  # type: ignore[attr-defined]
    tindak.save()
    return tindak
