"""Bukti dukung of a realisasi: an uploaded file or a link (docs/rules.md §12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class BuktiDukung(models.Model):
    """Evidence of a realisasi: an uploaded file (stored outside any public path) or an http(s) link."""

    class Jenis(models.TextChoices):
        BERKAS = "berkas", "Berkas"
        TAUTAN = "tautan", "Tautan"

    realisasi = models.ForeignKey("pelaksanaan.Realisasi", on_delete=models.CASCADE, related_name="bukti")
    jenis = models.CharField(max_length=6, choices=Jenis.choices)
    berkas = models.FileField(upload_to="bukti/%Y/%m/", blank=True, max_length=300)
    nama_berkas = models.CharField("nama berkas", max_length=200, blank=True)
    tipe = models.CharField("tipe berkas", max_length=100, blank=True)
    ukuran = models.PositiveIntegerField("ukuran (byte)", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    tautan = models.URLField("tautan", max_length=1000, blank=True)
    keterangan = models.CharField("keterangan", max_length=300, blank=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    diunggah_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bukti dukung"
        verbose_name_plural = "bukti dukung"
        ordering = ["realisasi", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(jenis="berkas") & ~Q(berkas="")) | (Q(jenis="tautan") & ~Q(tautan="")),
                name="bukti_berkas_atau_tautan",
            )
        ]
