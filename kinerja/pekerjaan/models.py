"""The background job record: below every stage, so any stage may run its long work as one."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

#: A running job whose worker wrote nothing (no progress, no heartbeat) for this long is shown stalled
#: ("terhenti") and may be started again.
TERHENTI_SETELAH = datetime.timedelta(minutes=5)
#: A worker writes its heartbeat (`DetakPekerja`) this often (seconds) while it runs, busy or idle.
DETAK_SETIAP = 15
#: A worker whose heartbeat is older than this is taken as gone.
PEKERJA_HIDUP = datetime.timedelta(seconds=60)


class Status(models.TextChoices):
    ANTRE = "antre", "Menunggu giliran"
    BERJALAN = "berjalan", "Sedang berjalan"
    SELESAI = "selesai", "Selesai"
    GAGAL = "gagal", "Gagal"


AKTIF = (Status.ANTRE, Status.BERJALAN)


class Pekerjaan(models.Model):
    """One run of a long piece of work (an export, a bulk evaluation, a bulk send) for one user.

    ``kunci`` names what is done (e.g. ``rekap-xlsx:12:2026-akhir``): while a job with that key is queued or
    running no second one starts (a partial unique index holds it even against two requests at once); a
    finished one may be started again. ``fungsi``/``parameter`` are what the worker runs, kept so a stalled
    job can be restarted."""

    jenis = models.CharField("jenis", max_length=50)
    judul = models.CharField("judul", max_length=200)
    pemilik = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pekerjaan")
    instansi = models.ForeignKey("organisasi.Instansi", on_delete=models.CASCADE, related_name="+")
    kunci = models.CharField("kunci", max_length=200)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.ANTRE)
    selesai = models.PositiveIntegerField("langkah selesai", default=0)
    jumlah = models.PositiveIntegerField("jumlah langkah", default=0)
    langkah = models.CharField("langkah", max_length=200, blank=True)
    #: For the user, in Bahasa Indonesia (the traceback goes to the log only).
    alasan = models.TextField("alasan gagal", blank=True)
    #: What the job did, for the user ("120 evaluasi dihitung ulang").
    ringkasan = models.TextField("ringkasan", blank=True)
    #: Private storage (MEDIA_ROOT, never served directly): only `pekerjaan:unduh` hands it out.
    berkas = models.FileField("berkas hasil", upload_to="pekerjaan/%Y/%m/", blank=True)
    nama_berkas = models.CharField("nama berkas", max_length=200, blank=True)
    fungsi = models.CharField("fungsi", max_length=200)
    parameter = models.JSONField("parameter", default=dict, blank=True)
    task_id = models.CharField("id tugas django-tasks", max_length=64, blank=True)
    dibuat_pada = models.DateTimeField(default=timezone.now)
    dimulai_pada = models.DateTimeField(null=True, blank=True)
    detak_pada = models.DateTimeField("tanda hidup terakhir", null=True, blank=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)

    #: Who started which work when stays after the job itself is cleaned away (`bersihkan_pekerjaan`): a
    #: history row per create/save (progress is written with UPDATE and is not recorded).
    history = HistoricalRecords(excluded_fields=["parameter", "langkah", "ringkasan", "alasan", "berkas"])

    #: Set by `services.mulai`: this call created the job (False: it gave the one already queued/running).
    baru: bool = False

    class Meta:
        verbose_name = "pekerjaan latar"
        verbose_name_plural = "pekerjaan latar"
        ordering = ["-dibuat_pada", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kunci"], condition=Q(status__in=["antre", "berjalan"]), name="pekerjaan_satu_aktif"
            )
        ]
        indexes = [models.Index(fields=["pemilik", "-dibuat_pada"], name="pekerjaan_pemilik_idx")]

    def __str__(self) -> str:
        return f"{self.judul} ({self.status} {self.selesai}/{self.jumlah})"

    @property
    def aktif(self) -> bool:
        return self.status in AKTIF

    @property
    def terhenti(self) -> bool:
        """Running, but the worker has written nothing for TERHENTI_SETELAH (killed, or the machine
        restarted): the page says so and offers a restart."""
        if self.status != Status.BERJALAN:
            return False
        terakhir = self.detak_pada or self.dimulai_pada or self.dibuat_pada
        return timezone.now() - terakhir > TERHENTI_SETELAH

    @property
    def dipantau(self) -> bool:
        """The page keeps polling it: queued or running, and not stalled."""
        return self.aktif and not self.terhenti

    @property
    def tanpa_pekerja(self) -> bool:
        """Queued for longer than ``PEKERJAAN_TANPA_PEKERJA_DETIK`` while no worker has written a heartbeat
        for `PEKERJA_HIDUP`: the page says so instead of waiting silently (one query, only then)."""
        if self.status != Status.ANTRE:
            return False
        batas = datetime.timedelta(seconds=getattr(settings, "PEKERJAAN_TANPA_PEKERJA_DETIK", 30))
        kini = timezone.now()
        if kini - self.dibuat_pada <= batas:
            return False
        return not DetakPekerja.objects.filter(detak_pada__gt=kini - PEKERJA_HIDUP).exists()

    @property
    def persen(self) -> int:
        if self.status == Status.SELESAI:
            return 100
        if not self.jumlah:
            return 0
        return min(100, self.selesai * 100 // self.jumlah)


class DetakPekerja(models.Model):
    """The heartbeat of one worker process (`manage.py db_worker`), written every `DETAK_SETIAP` seconds
    while it runs: a job queued while no worker is alive says so on its page. Rows of workers gone for a
    day are removed by `bersihkan_pekerjaan`."""

    nama = models.CharField("pekerja (host:pid)", max_length=200, unique=True)
    dimulai_pada = models.DateTimeField(default=timezone.now)
    detak_pada = models.DateTimeField("tanda hidup terakhir", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "detak pekerja latar"
        verbose_name_plural = "detak pekerja latar"

    def __str__(self) -> str:
        return f"{self.nama} ({self.detak_pada:%Y-%m-%d %H:%M:%S})"
