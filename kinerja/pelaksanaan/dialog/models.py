"""Dialog kinerja between a pegawai and the penilai, and its follow-ups (docs/rules.md §12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import Pegawai
from kinerja.perencanaan.models import Skp


class DialogKinerja(models.Model):
    """A performance conversation the penilai records with a pegawai (date, topics, agreements)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="dialog_kinerja")
    tanggal = models.DateField("tanggal")
    topik = models.TextField("topik yang dibahas")
    kesepakatan = models.TextField("kesepakatan", blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dicatat_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dialog kinerja"
        verbose_name_plural = "dialog kinerja"
        ordering = ["-tanggal", "-pk"]


class TindakLanjutDialog(models.Model):
    """A follow-up agreed in a dialog kinerja; shown on both dashboards until done."""

    dialog = models.ForeignKey(DialogKinerja, on_delete=models.CASCADE, related_name="tindak_lanjut")
    teks = models.TextField("tindak lanjut")
    penanggung_jawab = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    batas_waktu = models.DateField("batas waktu")
    selesai_pada = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["batas_waktu", "pk"]
