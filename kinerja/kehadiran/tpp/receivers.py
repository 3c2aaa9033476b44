"""The TPP feature listens to `kehadiran_berubah`: the computed, open months a change touches are
recomputed — a handful of pegawai inline, the whole instansi (or many) as the month's job."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kinerja.common import cache
from kinerja.kehadiran.models import (
    AturanTppInstansi,
    BulanTpp,
    PaguTpp,
    TabelPaguTpp,
)
from kinerja.kehadiran.signals import kehadiran_berubah

#: More pegawai than this in one change: the month's job instead of inline recomputation.
SEKETIKA = 20


@receiver(post_save, sender=AturanTppInstansi, dispatch_uid="tpp_cache_aturan_simpan")
@receiver(post_delete, sender=AturanTppInstansi, dispatch_uid="tpp_cache_aturan_hapus")
@receiver(post_save, sender=TabelPaguTpp, dispatch_uid="tpp_cache_tabel_simpan")
@receiver(post_delete, sender=TabelPaguTpp, dispatch_uid="tpp_cache_tabel_hapus")
def lupakan_aturan(sender: Any, instance: Any, **kwargs: Any) -> None:
    cache.invalidate(cache.scope("aturan-tpp", instance.instansi_id))


@receiver(post_save, sender=PaguTpp, dispatch_uid="tpp_cache_pagu_simpan")
@receiver(post_delete, sender=PaguTpp, dispatch_uid="tpp_cache_pagu_hapus")
def lupakan_pagu(sender: Any, instance: PaguTpp, **kwargs: Any) -> None:
    instansi_id = (
        TabelPaguTpp.objects.filter(pk=instance.tabel_id).values_list("instansi_id", flat=True).first()
    )
    if instansi_id is not None:
        cache.invalidate(cache.scope("aturan-tpp", instansi_id))


@receiver(kehadiran_berubah, dispatch_uid="tpp_hitung_ulang")
def hitung_ulang(
    sender: Any,
    instansi_id: int,
    pegawai_ids: list[int] | None,
    mulai: datetime.date,
    selesai: datetime.date,
    **kwargs: Any,
) -> None:
    from kinerja.kehadiran.tpp import services
    from kinerja.organisasi.models import Pegawai
    from kinerja.pekerjaan.services import mulai as mulai_pekerjaan

    awal = mulai.year * 12 + mulai.month - 1
    akhir = selesai.year * 12 + selesai.month - 1
    bulan = [
        b
        for b in BulanTpp.objects.select_related("instansi").filter(
            instansi_id=instansi_id, ditutup=False, dihitung_pada__isnull=False
        )
        if awal <= b.tahun * 12 + b.bulan - 1 <= akhir
    ]
    if not bulan:
        return
    if pegawai_ids is not None and len(pegawai_ids) <= SEKETIKA:
        daftar = list(Pegawai.objects.filter(pk__in=pegawai_ids, instansi_id=instansi_id))
        for b in bulan:
            for p in daftar:
                services.hitung_pegawai(p, b.tahun, b.bulan)
        return
    from kinerja.organisasi.models import User
    from kinerja.pekerjaan.models import Pekerjaan

    for b in bulan:
        kunci = f"tpp:{instansi_id}:{b.tahun}-{b.bulan:02d}"
        # The change itself was authorised; the job belongs to whoever computed the month last (or an admin
        # of the instansi) so that it shows on their jobs page.
        pemilik = (
            Pekerjaan.objects.filter(kunci=kunci).order_by("-pk").values_list("pemilik_id", flat=True).first()
            or User.objects.filter(admin_instansi_id=instansi_id)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pemilik is None:
            continue
        mulai_pekerjaan(
            "tpp",
            kunci,
            User.objects.get(pk=pemilik),
            b.instansi,
            f"Hitung ulang TPP {b.bulan:02d}/{b.tahun}",
            services.jalankan_hitung_bulan,
            instansi_id=instansi_id,
            tahun=b.tahun,
            bulan=b.bulan,
        )
