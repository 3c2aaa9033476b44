"""Reads of the dialog kinerja: lists per role and the open follow-ups for the dashboard."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet

from kinerja.organisasi.models import Pegawai
from kinerja.pelaksanaan.models import DialogKinerja, TindakLanjutDialog
from kinerja.perencanaan.models import Skp


def prefetch_tindak_lanjut() -> Prefetch[TindakLanjutDialog]:
    return Prefetch(
        "tindak_lanjut",
        queryset=TindakLanjutDialog.objects.select_related("penanggung_jawab").order_by("batas_waktu", "pk"),
    )


def dialog_qs() -> QuerySet[DialogKinerja]:
    return DialogKinerja.objects.select_related("skp__periode", "dicatat_oleh__pegawai").prefetch_related(
        prefetch_tindak_lanjut()
    )


def dialog_skp(skp: Skp) -> list[DialogKinerja]:
    return list(dialog_qs().filter(skp=skp))


def dialog_sebagai_pegawai(pegawai: Pegawai) -> list[DialogKinerja]:
    return list(dialog_qs().filter(skp__pegawai=pegawai))


def dialog_sebagai_penilai(pegawai: Pegawai) -> list[DialogKinerja]:
    """Dialogs I recorded or about an SKP I am the penilai / atasan penilai of (not my own SKP)."""
    return list(
        dialog_qs()
        .filter(Q(dicatat_oleh__pegawai=pegawai) | Q(skp__penilai=pegawai) | Q(skp__atasan_penilai=pegawai))
        .exclude(skp__pegawai=pegawai)
        .distinct()
    )


def skp_dapat_dicatat(pegawai: Pegawai) -> list[Skp]:
    """Approved or submitted SKP of the current years whose penilai or atasan penilai is the pegawai."""
    return list(
        Skp.objects.filter(Q(penilai=pegawai) | Q(atasan_penilai=pegawai), status="disetujui")
        .exclude(pegawai=pegawai)
        .select_related("periode")
        .order_by("-periode__tahun", "pegawai_nama", "-mulai")
    )


def tindak_lanjut_terbuka(pegawai: Pegawai) -> list[TindakLanjutDialog]:
    """Open follow-ups of every dialog the pegawai took part in (as the pegawai, as the one who recorded
    it, or as the responsible person), soonest due first: shown on the dashboard until done."""
    return list(
        TindakLanjutDialog.objects.filter(selesai_pada__isnull=True)
        .filter(
            Q(penanggung_jawab=pegawai)
            | Q(dialog__skp__pegawai=pegawai)
            | Q(dialog__dicatat_oleh__pegawai=pegawai)
        )
        .select_related("dialog__skp", "penanggung_jawab")
        .distinct()
        .order_by("batas_waktu", "pk")
    )


def terlambat(tindak: TindakLanjutDialog, hari_ini: datetime.date) -> bool:
    return tindak.selesai_pada is None and tindak.batas_waktu < hari_ini
