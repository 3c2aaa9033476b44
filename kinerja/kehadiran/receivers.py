"""The cached calendar (`selectors.kalender_tersimpan`) is dropped whenever what it reads changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kinerja.common import cache
from kinerja.kehadiran.models import HariLibur, JadwalKerja, PengaturanKehadiran, VarianJadwal
from kinerja.kehadiran.signals import kehadiran_berubah


@receiver(post_save, sender=JadwalKerja, dispatch_uid="kehadiran_cache_jadwal_simpan")
@receiver(post_delete, sender=JadwalKerja, dispatch_uid="kehadiran_cache_jadwal_hapus")
@receiver(post_save, sender=VarianJadwal, dispatch_uid="kehadiran_cache_varian_simpan")
@receiver(post_delete, sender=VarianJadwal, dispatch_uid="kehadiran_cache_varian_hapus")
@receiver(post_save, sender=HariLibur, dispatch_uid="kehadiran_cache_libur_simpan")
@receiver(post_delete, sender=HariLibur, dispatch_uid="kehadiran_cache_libur_hapus")
@receiver(post_save, sender=PengaturanKehadiran, dispatch_uid="kehadiran_cache_pengaturan_simpan")
@receiver(post_delete, sender=PengaturanKehadiran, dispatch_uid="kehadiran_cache_pengaturan_hapus")
def lupakan_kalender(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A calendar row saved or deleted through the ORM: drop the cached calendar (`kinerja.kehadiran.
    selectors.kalender_tersimpan`); bulk writes are caught by `kehadiran_berubah` below."""
    cache.invalidate(cache.scope("kalender-kehadiran", instance.instansi_id))


@receiver(kehadiran_berubah, dispatch_uid="kehadiran_cache_kalender")
def kalender_berubah(sender: Any, instansi_id: int, pegawai_ids: list[int] | None, **kwargs: Any) -> None:
    """The calendar services say "every pegawai" (None) when the calendar changed, also by bulk writes."""
    if pegawai_ids is None:
        cache.invalidate(cache.scope("kalender-kehadiran", instansi_id))
