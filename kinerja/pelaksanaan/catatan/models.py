"""Catatan kegiatan: the daily work log of a pegawai against an SKP (docs/rules.md §12)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import Pegawai
from kinerja.perencanaan.models import Indikator, Skp

DECIMAL = {"max_digits": 18, "decimal_places": 4}


class CatatanKegiatan(models.Model):
    """A logged activity (laporan harian): what a pegawai did on a day, for which rencana aksi."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="catatan_kegiatan")
    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="catatan_kegiatan")
    rencana_aksi = models.ForeignKey(
        "pelaksanaan.RencanaAksi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="catatan_kegiatan",
    )
    indikator = models.ForeignKey(
        Indikator, null=True, blank=True, on_delete=models.SET_NULL, related_name="catatan_kegiatan"
    )
    tanggal = models.DateField("tanggal")
    jam_mulai = models.TimeField("jam mulai", null=True, blank=True)
    jam_selesai = models.TimeField("jam selesai", null=True, blank=True)
    # Time spent; from the hours when both are given (docs/rules.md §34).
    durasi_menit = models.PositiveIntegerField("lama (menit)", null=True, blank=True)
    kegiatan = models.TextField("kegiatan")
    jumlah_output = models.DecimalField("jumlah output", null=True, blank=True, **DECIMAL)
    satuan_output = models.CharField("satuan output", max_length=40, blank=True)
    berkas = models.FileField(upload_to="catatan/%Y/%m/", blank=True, max_length=300)
    nama_berkas = models.CharField(max_length=200, blank=True)
    tautan = models.URLField("tautan bukti", max_length=1000, blank=True)
    # Sent by a phone's offline queue (docs/rules.md §35): the same key again is the same catatan.
    kunci_klien = models.UUIDField(null=True, blank=True, editable=False)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "catatan kegiatan"
        verbose_name_plural = "catatan kegiatan"
        ordering = ["-tanggal", "jam_mulai", "pk"]
        indexes = [models.Index(fields=["pegawai", "tanggal"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(jam_selesai__isnull=True)
                | Q(jam_mulai__isnull=True)
                | Q(jam_selesai__gte=models.F("jam_mulai")),
                name="catatan_jam_selesai_setelah_mulai",
            ),
            models.UniqueConstraint(
                fields=["pegawai", "kunci_klien"],
                condition=Q(kunci_klien__isnull=False),
                name="catatan_kunci_klien_unik",
            ),
        ]
