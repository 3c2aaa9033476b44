"""Dialog kinerja: the penilai records a performance conversation with a pegawai.

Only the SKP's penilai or atasan penilai records one (the two the SKP names); follow-ups are assigned to
the pegawai or to the one recording it and are marked done by their responsible person. The one who
recorded a dialog may later correct it (date, topics, agreements, the follow-ups not yet done) or delete
it; every change is in the history with its author. The pegawai is notified of a recorded dialog, and a
responsible person of a follow-up given to them (`notifikasi.dialog_baru`, `notifikasi.tindak_lanjut_baru`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.organisasi.models import User
from kinerja.pelaksanaan.models import DialogKinerja, TindakLanjutDialog
from kinerja.pelaksanaan.notifikasi import services as notifikasi
from kinerja.perencanaan.models import Skp
from kinerja.permissions import require
from kinerja.permissions.pelaksanaan import is_pencatat_dialog


@dataclass(frozen=True)
class TindakLanjutInput:
    """One follow-up as submitted: ``pk`` of the open follow-up it changes, ``None`` for a new one."""

    teks: str
    penanggung_jawab_id: int
    batas_waktu: datetime.date
    pk: int | None = None


def _periksa(
    skp: Skp,
    pencatat: User,
    tanggal: datetime.date,
    topik: str,
    tindak_lanjut: Sequence[TindakLanjutInput],
) -> dict[str, str]:
    """The field errors of a dialog as recorded or changed (empty when it is valid)."""
    errors: dict[str, str] = {}
    if not (topik or "").strip():
        errors["topik"] = "Wajib diisi."
    if tanggal > timezone.localdate():
        errors["tanggal"] = "Dialog dicatat setelah berlangsung; tanggal tidak boleh di masa depan."
    boleh_pj = {skp.pegawai_id, pencatat.pegawai_id}
    for t in tindak_lanjut:
        if not (t.teks or "").strip():
            errors["tindak_lanjut"] = "Isi apa yang ditindaklanjuti."
        elif t.penanggung_jawab_id not in boleh_pj:
            errors["tindak_lanjut"] = "Penanggung jawab tindak lanjut adalah pegawai yang dinilai atau Anda."
        elif t.batas_waktu < tanggal:
            errors["tindak_lanjut"] = "Batas waktu tindak lanjut tidak boleh sebelum tanggal dialog."
    return errors


@transaction.atomic
def record_dialog(
    skp: Skp,
    oleh: User,
    *,
    tanggal: datetime.date,
    topik: str,
    kesepakatan: str = "",
    tindak_lanjut: Sequence[TindakLanjutInput] = (),
) -> DialogKinerja:
    """Record a dialog kinerja held on ``tanggal`` (not in the future) with its follow-ups.

    The pegawai gets one notification for the dialog, listing the follow-ups given to them; any other
    follow-up given to someone else than the recorder is notified on its own.
    """
    require(
        oleh,
        "pelaksanaan.record_dialog",
        skp,
        "Hanya pejabat penilai atau atasan pejabat penilai SKP ini yang mencatat dialog.",
    )
    errors = _periksa(skp, oleh, tanggal, topik, tindak_lanjut)
    if errors:
        raise ValidationError(errors)
    dialog = DialogKinerja(
        skp=skp,
        tanggal=tanggal,
        topik=topik.strip(),
        kesepakatan=(kesepakatan or "").strip(),
        dicatat_oleh=oleh,
    )
    dialog._history_user = oleh  # type: ignore[attr-defined]
    dialog.save()
    baru = []
    for t in tindak_lanjut:
        tl = TindakLanjutDialog(
            dialog=dialog,
            teks=t.teks.strip(),
            penanggung_jawab_id=t.penanggung_jawab_id,
            batas_waktu=t.batas_waktu,
        )
        tl._history_user = oleh  # type: ignore[attr-defined]
        tl.save()
        baru.append(tl)
    notifikasi.dialog_baru(dialog, baru)
    for tl in baru:
        if tl.penanggung_jawab_id != skp.pegawai_id:
            notifikasi.tindak_lanjut_baru(tl)
    return dialog


@transaction.atomic
def update_dialog(
    dialog: DialogKinerja,
    oleh: User,
    *,
    tanggal: datetime.date,
    topik: str,
    kesepakatan: str = "",
    tindak_lanjut: Sequence[TindakLanjutInput] = (),
) -> DialogKinerja:
    """Change a dialog: its date, topics and agreements, and its open follow-ups (recorder only).

    ``tindak_lanjut`` is the new list of open follow-ups: rows named by ``pk`` change that follow-up, new
    rows are added, and open follow-ups not submitted again are deleted. Follow-ups already done stay as
    they are (a row naming one is refused: its responsible person closed it in the meantime). A follow-up
    added, or given to another person, notifies its responsible person unless that is the recorder.
    """
    if not is_pencatat_dialog(oleh, dialog):
        raise PermissionDenied("Hanya pejabat yang mencatat dialog ini yang dapat mengubahnya.")
    dialog = (
        DialogKinerja.objects.select_for_update(of=("self",))
        .select_related("skp", "dicatat_oleh__pegawai")
        .get(pk=dialog.pk)
    )
    ada = {t.pk: t for t in TindakLanjutDialog.objects.select_for_update().filter(dialog=dialog)}
    for t in ada.values():
        t.dialog = dialog
    errors = _periksa(dialog.skp, oleh, tanggal, topik, tindak_lanjut)
    for t in tindak_lanjut:
        if t.pk is None:
            continue
        lama = ada.get(t.pk)
        if lama is None:
            errors["tindak_lanjut"] = "Tindak lanjut ini sudah dihapus; muat ulang halaman."
        elif lama.selesai_pada is not None:
            errors["tindak_lanjut"] = (
                f"Tindak lanjut “{lama.teks}” sudah ditandai selesai oleh penanggung jawabnya; "
                "muat ulang halaman."
            )
    if any(t.selesai_pada is not None and t.batas_waktu < tanggal for t in ada.values()):
        errors.setdefault(
            "tanggal", "Tanggal dialog tidak boleh setelah batas waktu tindak lanjut yang sudah selesai."
        )
    if errors:
        raise ValidationError(errors)

    baru = (tanggal, topik.strip(), (kesepakatan or "").strip())
    if (dialog.tanggal, dialog.topik, dialog.kesepakatan) != baru:
        dialog.tanggal, dialog.topik, dialog.kesepakatan = baru
        dialog._history_user = oleh  # type: ignore[attr-defined]
        dialog.save()
    dipakai: set[int] = set()
    for t in tindak_lanjut:
        tl = ada[t.pk] if t.pk is not None else TindakLanjutDialog(dialog=dialog)
        pj_lama = tl.penanggung_jawab_id if tl.pk else None
        isi = (t.teks.strip(), t.penanggung_jawab_id, t.batas_waktu)
        if tl.pk:
            dipakai.add(tl.pk)
            if (tl.teks, tl.penanggung_jawab_id, tl.batas_waktu) == isi:
                continue
        tl.teks, tl.penanggung_jawab_id, tl.batas_waktu = isi
        tl._history_user = oleh  # type: ignore[attr-defined]
        tl.save()
        if tl.penanggung_jawab_id != pj_lama:
            notifikasi.tindak_lanjut_baru(tl)
    for pk, tl in ada.items():
        if pk not in dipakai and tl.selesai_pada is None:
            tl._history_user = oleh  # type: ignore[attr-defined]
            tl.delete()
    return dialog


@transaction.atomic
def delete_dialog(dialog: DialogKinerja, oleh: User) -> None:
    """Delete a dialog with its follow-ups (recorder only); the history keeps who deleted them."""
    if not is_pencatat_dialog(oleh, dialog):
        raise PermissionDenied("Hanya pejabat yang mencatat dialog ini yang dapat menghapusnya.")
    for tl in TindakLanjutDialog.objects.filter(dialog=dialog):
        tl._history_user = oleh  # type: ignore[attr-defined]
        tl.delete()
    dialog._history_user = oleh  # type: ignore[attr-defined]
    dialog.delete()


@transaction.atomic
def mark_selesai(
    tindak: TindakLanjutDialog, oleh: User, selesai: bool = True, sekarang: datetime.datetime | None = None
) -> TindakLanjutDialog:
    """The responsible person marks a follow-up done (or reopens it)."""
    require(
        oleh,
        "pelaksanaan.finish_tindak_lanjut",
        tindak,
        "Hanya penanggung jawab tindak lanjut ini yang dapat menandainya selesai.",
    )
    tindak.selesai_pada = (sekarang or timezone.now()) if selesai else None
    tindak._history_user = oleh  # type: ignore[attr-defined]
    tindak.save()
    return tindak
