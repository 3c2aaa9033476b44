"""Reads of the TPP settings pages: versions of the rule set and of the pagu table, the jabatan without a
pagu, the month's disciplinary records (docs/rules.md §28)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kinerja.kehadiran.models import (
    AturanTppInstansi,
    HukumanDisiplinPegawai,
    PaguTpp,
    PeristiwaDisiplin,
    TabelPaguTpp,
)
from kinerja.kehadiran.tpp.selectors import aturan_berlaku, peta_pagu, tabel_pagu_berlaku
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan
from kinerja.rules.types import JenisPenempatan


def versi_aturan(instansi_id: int) -> QuerySet[AturanTppInstansi]:
    return (
        AturanTppInstansi.objects.filter(instansi_id=instansi_id)
        .select_related("dibuat_oleh")
        .defer("aturan")
        .order_by("-versi")
    )


def aturan_berlaku_kini(instansi_id: int) -> AturanTppInstansi | None:
    return aturan_berlaku(instansi_id, timezone.localdate())


def versi_pagu(instansi_id: int) -> QuerySet[TabelPaguTpp]:
    return (
        TabelPaguTpp.objects.filter(instansi_id=instansi_id)
        .select_related("dibuat_oleh")
        .annotate(n_baris=Count("baris"))
        .order_by("-versi")
    )


def tabel_pagu_kini(instansi_id: int) -> TabelPaguTpp | None:
    return tabel_pagu_berlaku(instansi_id, timezone.localdate())


def baris_pagu(tabel_id: int) -> list[PaguTpp]:
    return list(
        PaguTpp.objects.filter(tabel_id=tabel_id)
        .select_related("jabatan")
        .order_by("kelas_jabatan", "jabatan__nama")
    )


def jabatan_instansi(instansi_id: int) -> list[Jabatan]:
    return list(
        Jabatan.objects.filter(instansi_id=instansi_id)
        .select_related("unit")
        .only("pk", "kode", "nama", "kelas_jabatan", "unit__nama", "path")
        .order_by("path")
    )


def jabatan_tanpa_pagu(instansi_id: int, tabel_id: int | None, tanggal: datetime.date) -> list[Jabatan]:
    """Jabatan held (definitif) on ``tanggal`` whose pagu the table does not give: neither a row of their
    own nor one for their kelas jabatan (2 queries)."""
    dipegang = Penempatan.objects.filter(
        Q(selesai__isnull=True) | Q(selesai__gte=tanggal),
        mulai__lte=tanggal,
        jenis=JenisPenempatan.DEFINITIF.value,
    ).values("jabatan_id")
    jabatan = list(
        Jabatan.objects.filter(instansi_id=instansi_id, pk__in=dipegang)
        .select_related("unit")
        .only("pk", "kode", "nama", "kelas_jabatan", "unit__nama", "path")
        .order_by("path")
    )
    if tabel_id is None:
        return jabatan
    peta = peta_pagu(tabel_id)
    return [j for j in jabatan if peta.pagu(j.pk, j.kelas_jabatan) is None]


def peristiwa_bulan(instansi_id: int, awal: datetime.date, akhir: datetime.date) -> list[PeristiwaDisiplin]:
    return list(
        PeristiwaDisiplin.objects.filter(pegawai__instansi_id=instansi_id, tanggal__range=(awal, akhir))
        .select_related("pegawai", "dicatat_oleh")
        .order_by("tanggal", "pegawai__nama")
    )


def hukuman_instansi(instansi_id: int) -> list[HukumanDisiplinPegawai]:
    return list(
        HukumanDisiplinPegawai.objects.filter(pegawai__instansi_id=instansi_id)
        .select_related("pegawai", "dicatat_oleh")
        .order_by("-tanggal", "pegawai__nama")
    )


def pegawai_pilihan(instansi_id: int) -> list[tuple[int, str, str]]:
    """``(pk, nip, nama)`` of the instansi's pegawai, for the NIP/name input."""
    return list(
        Pegawai.objects.filter(instansi_id=instansi_id).order_by("nama").values_list("pk", "nip", "nama")
    )
