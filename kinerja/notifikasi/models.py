"""The notification row: below every stage, so any stage may notify without importing a later one."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notifikasi(models.Model):
    """A notification sent to a user (email + shown in the app); `kunci` makes each one idempotent."""

    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifikasi"
    )
    jenis = models.CharField(max_length=30)
    kunci = models.CharField(max_length=200, unique=True)
    judul = models.CharField(max_length=200)
    isi = models.TextField()
    tautan = models.CharField(max_length=300, blank=True)
    dikirim_pada = models.DateTimeField(auto_now_add=True)
    dibaca_pada = models.DateTimeField(null=True, blank=True)
    email_terkirim = models.BooleanField(default=False)

    class Meta:
        # The table and index were made by the pelaksanaan app; the model moved, the rows did not.
        db_table = "pelaksanaan_notifikasi"
        ordering = ["-dikirim_pada"]
        indexes = [models.Index(fields=["penerima", "dibaca_pada"], name="pelaksanaan_penerim_f9da0b_idx")]
