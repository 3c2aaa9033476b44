"""Reads of the taps pages: machines with their PIN counts, a machine's PINs, the import history."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from kinerja.kehadiran.models import ImporKehadiran, MesinPresensi, PinMesin

RIWAYAT_MAKS = 50


def daftar_mesin(instansi_id: int) -> QuerySet[MesinPresensi]:
    return MesinPresensi.objects.filter(instansi_id=instansi_id).annotate(jumlah_pin=Count("pin"))


def mesin(instansi_id: int, pk: int) -> MesinPresensi | None:
    return MesinPresensi.objects.filter(instansi_id=instansi_id, pk=pk).first()


def pin_mesin(m: MesinPresensi) -> QuerySet[PinMesin]:
    return PinMesin.objects.filter(mesin=m).select_related("pegawai").order_by("pin")


def riwayat_impor(instansi_id: int) -> list[ImporKehadiran]:
    qs = ImporKehadiran.objects.filter(instansi_id=instansi_id).select_related(
        "mesin", "dibuat_oleh", "pekerjaan"
    )
    return list(qs.defer("ditolak")[:RIWAYAT_MAKS])


def impor(instansi_id: int, pk: int) -> ImporKehadiran | None:
    qs = ImporKehadiran.objects.select_related("mesin", "dibuat_oleh", "pekerjaan")
    return qs.filter(instansi_id=instansi_id, pk=pk).first()


def impor_sebelumnya(i: ImporKehadiran) -> ImporKehadiran | None:
    """An earlier import of the same file (same sha256) in the instansi."""
    qs = ImporKehadiran.objects.filter(instansi_id=i.instansi_id, sha256=i.sha256, pk__lt=i.pk)
    return qs.order_by("pk").only("pk", "dibuat_pada").first()
