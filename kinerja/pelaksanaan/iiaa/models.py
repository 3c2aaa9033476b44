"""Laporan IIAA (identifikasi, isu, analisis, aksi) of an indikator and its rencana tindak
(docs/rules.md §12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import PeriodePenilaian
from kinerja.perencanaan.models import Indikator, Skp


class LaporanIIAA(models.Model):
    """Laporan capaian IIAA of a structural official for one indikator below target in one periode:
    Issues, Implication, Accountability, Action plan."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="laporan_iiaa")
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="laporan_iiaa")
    periode_penilaian = models.ForeignKey(PeriodePenilaian, on_delete=models.PROTECT, related_name="+")
    issues = models.TextField("issues (permasalahan)")
    implication = models.TextField("implication (dampak terhadap target)")
    accountability = models.TextField("accountability (penanggung jawab)")
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "laporan IIAA"
        verbose_name_plural = "laporan IIAA"
        ordering = ["skp", "periode_penilaian__nomor", "indikator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "periode_penilaian"], name="iiaa_satu_per_indikator_periode"
            )
        ]


class RencanaTindak(models.Model):
    """One action of an IIAA action plan: what, who, by when; its status is reported the next periode."""

    class Status(models.TextChoices):
        BELUM = "belum", "Belum dimulai"
        BERJALAN = "berjalan", "Sedang berjalan"
        SELESAI = "selesai", "Selesai"
        BATAL = "batal", "Dibatalkan"

    laporan = models.ForeignKey(LaporanIIAA, on_delete=models.CASCADE, related_name="rencana_tindak")
    apa = models.TextField("tindakan")
    siapa = models.CharField("penanggung jawab", max_length=200)
    batas_waktu = models.DateField("batas waktu")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BELUM)
    catatan_status = models.TextField("catatan perkembangan", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["laporan", "batas_waktu", "pk"]
