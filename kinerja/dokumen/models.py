"""Every issued document: one row per distinct content and status of its source.

The row's random token is printed as a QR code on the PDF and opens the public verification page; the
SHA-256 of the document's content data lets anyone check a printed copy against the record. Printing the
same content again returns the same row, so the QR code of a document stays stable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kinerja.organisasi.models import Instansi
from kinerja.rules.alur import Status

FINAL = "final"  # the status of a final evaluation (kinerja.rules.evaluasi.Status.FINAL)


class Dokumen(models.Model):
    class Jenis(models.TextChoices):
        SKP = "skp", "Sasaran Kinerja Pegawai"
        PERJANJIAN_KINERJA = "perjanjian_kinerja", "Perjanjian Kinerja"
        MATRIKS = "matriks", "Matriks Pembagian Peran dan Hasil"
        EVALUASI = "evaluasi_kinerja", "Dokumen Evaluasi Kinerja Pegawai"
        PREDIKAT = "predikat_kinerja", "Dokumen Predikat Kinerja Pegawai"
        PENETAPAN = "penetapan_predikat", "Penetapan Predikat Kinerja Pegawai"

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField("jenis dokumen", max_length=20, choices=Jenis.choices)
    # The source: Skp.pk, PerjanjianKinerja.pk, UnitKerja.pk for a matriks (with `tahun`), Evaluasi.pk for an
    # evaluation document, FinalisasiKelompok.pk for the penetapan predikat of a rating group.
    objek_id = models.PositiveBigIntegerField("objek")
    tahun = models.PositiveSmallIntegerField("tahun")
    revisi = models.PositiveSmallIntegerField("revisi", default=1)
    token = models.CharField(max_length=64, unique=True, editable=False)
    sha256 = models.CharField("SHA-256 isi dokumen", max_length=64)
    status_sumber = models.CharField(
        "status saat diterbitkan", max_length=12, choices=[*Status.choices(), (FINAL, "Final")]
    )
    disetujui_pada = models.DateTimeField("disetujui pada", null=True, blank=True)
    # Whom the document is about, as printed (the verification page shows these, the NIP masked).
    pegawai_nama = models.CharField(max_length=200)
    pegawai_nip = models.CharField(max_length=18, blank=True)
    unit_nama = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField("diterbitkan pada", auto_now_add=True)
    # A later revision replaces this one (e.g. the predikat revised by a granted keberatan); this row stays
    # for the record and its verification page says it was superseded, by what and why.
    digantikan_oleh = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    digantikan_alasan = models.CharField("alasan digantikan", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "dokumen"
        verbose_name_plural = "dokumen"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["jenis", "objek_id", "tahun"])]
        constraints = [
            models.UniqueConstraint(
                fields=["jenis", "objek_id", "tahun", "sha256", "status_sumber"], name="dokumen_isi_unik"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.pegawai_nama} {self.tahun} r{self.revisi}"

    @property
    def status_sumber_label(self) -> str:
        return "Final" if self.status_sumber == FINAL else Status(self.status_sumber).label

    @property
    def hash_pendek(self) -> str:
        return self.sha256[:12]
