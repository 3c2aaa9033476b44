"""Umpan balik on an SKP, its RHK or a realisasi, and the library of ready phrases (docs/rules.md §12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import Instansi, PeriodePenilaian
from kinerja.perencanaan.models import KODE_PERILAKU_CHOICES, Rhk, Skp


class PustakaUmpanBalik(models.Model):
    """A reusable feedback phrase: the shipped starter set (instansi empty) or a penilai's own."""

    class Nada(models.TextChoices):
        APRESIASI = "apresiasi", "Apresiasi"
        PERBAIKAN = "perbaikan", "Perlu perbaikan"
        ARAHAN = "arahan", "Arahan"

    instansi = models.ForeignKey(Instansi, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    nada = models.CharField(max_length=10, choices=Nada.choices)
    teks = models.CharField(max_length=300)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["nada", "teks"]
        constraints = [models.UniqueConstraint(fields=["instansi", "teks"], name="pustaka_umpan_balik_unik")]


class UmpanBalik(models.Model):
    """Feedback by the penilai on an RHK / realisasi or a BerAKHLAK value, and the replies in its thread."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="umpan_balik")
    periode_penilaian = models.ForeignKey(
        PeriodePenilaian, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rhk = models.ForeignKey(Rhk, null=True, blank=True, on_delete=models.CASCADE, related_name="umpan_balik")
    realisasi = models.ForeignKey(
        "pelaksanaan.Realisasi", null=True, blank=True, on_delete=models.CASCADE, related_name="umpan_balik"
    )
    perilaku_kode = models.CharField(
        "nilai perilaku", max_length=2, choices=KODE_PERILAKU_CHOICES, blank=True
    )
    induk = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="balasan")
    teks = models.TextField("umpan balik")
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pada = models.DateTimeField(auto_now_add=True)
    dibaca_pada = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "umpan balik"
        verbose_name_plural = "umpan balik"
        ordering = ["pada", "pk"]
