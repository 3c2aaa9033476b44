"""Every issued document: one row per distinct content and status of its source.

The row's random token is printed as a QR code on the PDF and opens the public verification page; the
SHA-256 of the document's content data lets anyone check a printed copy against the record. Printing the
same content again returns the same row, so the QR code of a document stays stable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

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
        # The regulation's one-page summary of an evaluation (periodic or annual), beside the full form.
        RINGKAS = "evaluasi_ringkas", "Dokumen Evaluasi Kinerja Pegawai (satu halaman)"
        PENETAPAN = "penetapan_predikat", "Penetapan Predikat Kinerja Pegawai"
        KEPUTUSAN_KEBERATAN = "keputusan_keberatan", "Keputusan atas Keberatan Predikat Kinerja"

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField("jenis dokumen", max_length=20, choices=Jenis.choices)
    # The source: Skp.pk, PerjanjianKinerja.pk, UnitKerja.pk for a matriks (with `tahun`), Evaluasi.pk for an
    # evaluation document (full form or one-page summary), FinalisasiKelompok.pk for the penetapan predikat
    # of a rating group.
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
    # The PDF frozen at the first signature (with its empty signature fields), then each signed revision:
    # once a document carries a signature, every download serves this file and nothing renders it again
    # (docs/rules.md §29). Empty while unsigned.
    berkas = models.FileField(
        "berkas bertanda tangan", upload_to="dokumen/ttd/%Y/%m/", blank=True, max_length=300
    )
    berkas_sha256 = models.CharField("SHA-256 berkas", max_length=64, blank=True)
    #: kinerja.rules.ttd.StatusTtd of the document's signatures.
    status_ttd = models.CharField("status tanda tangan", max_length=10, default="belum")
    #: Where each signature block lies on the frozen file: {"ttd-<peran>": [page, x1, y1, x2, y2]} in PDF
    #: points. The field itself is created by the signature (docs/rules.md §29.1), so no empty one stays.
    kotak_ttd = models.JSONField("letak blok tanda tangan", default=dict, blank=True)
    # The penetapan is a Keputusan: its nomor, set by the penetap or the admin before it is frozen for
    # signing (then immutable, docs/rules.md §31); printed as a blank "…/…/…" while empty. Not hashed
    # content: the issued record's own number, like its token.
    nomor = models.CharField("nomor keputusan", max_length=100, blank=True)
    nomor_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nomor_pada = models.DateTimeField("nomor diisi pada", null=True, blank=True)

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


class PengaturanTtd(models.Model):
    """How an instansi signs its documents (docs/rules.md §29.2): off, with certificates the instansi holds
    (PKCS#12 per signer), or through its BSrE signing gateway. The gateway password is stored encrypted
    (`kinerja.common.rahasia`); a signer's passphrase or TOTP is never stored."""

    class Penyedia(models.TextChoices):
        NONAKTIF = "nonaktif", "Tidak aktif (dokumen dicetak dan ditandatangani basah)"
        SERTIFIKAT = "sertifikat", "Sertifikat elektronik instansi (PKCS#12 per penanda tangan)"
        BSRE = "bsre", "BSrE (Balai Sertifikasi Elektronik, BSSN)"

    class VersiBsre(models.TextChoices):
        V1 = "v1", "API lama (multipart, /api/sign/pdf)"
        V2 = "v2", "API v2 (JSON, /api/v2/sign/pdf)"

    instansi = models.OneToOneField(Instansi, on_delete=models.CASCADE, related_name="+")
    penyedia = models.CharField(
        "penyedia tanda tangan", max_length=12, choices=Penyedia.choices, default="nonaktif"
    )
    bsre_url = models.URLField("alamat layanan BSrE", blank=True)
    bsre_versi = models.CharField("versi API BSrE", max_length=2, choices=VersiBsre.choices, default="v2")
    bsre_pengguna = models.CharField("pengguna aplikasi (HTTP Basic)", max_length=150, blank=True)
    bsre_sandi = models.TextField("kata sandi aplikasi (terenkripsi)", blank=True)
    tsa_url = models.URLField("alamat TSA (stempel waktu)", blank=True)
    lokasi = models.CharField("lokasi penandatanganan", max_length=100, blank=True)
    diubah_pada = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["bsre_sandi"])

    class Meta:
        verbose_name = "pengaturan tanda tangan elektronik"
        verbose_name_plural = "pengaturan tanda tangan elektronik"

    def __str__(self) -> str:
        return f"TTE {self.instansi_id}: {self.penyedia}"


class SertifikatTtd(models.Model):
    """A signer's certificate held by the instansi: the PKCS#12 as issued (its key encrypted under the
    signer's passphrase, which the signer types at signing time and is never stored)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    p12 = models.BinaryField("berkas PKCS#12")
    subjek = models.CharField(max_length=300)
    penerbit = models.CharField(max_length=300)
    nomor_seri = models.CharField(max_length=64)
    sidik_jari = models.CharField("SHA-256 sertifikat", max_length=64)
    berlaku_mulai = models.DateTimeField()
    berlaku_sampai = models.DateTimeField()
    aktif = models.BooleanField(default=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["p12"])

    class Meta:
        verbose_name = "sertifikat penanda tangan"
        verbose_name_plural = "sertifikat penanda tangan"
        constraints = [models.UniqueConstraint(fields=["pengguna", "sidik_jari"], name="sertifikat_ttd_unik")]
        indexes = [models.Index(fields=["pengguna", "aktif"])]

    def __str__(self) -> str:
        return self.subjek


class TandaTangan(models.Model):
    """One signature embedded in a document's PDF (an incremental revision over the previous one)."""

    dokumen = models.ForeignKey(Dokumen, on_delete=models.PROTECT, related_name="tanda_tangan")
    #: kinerja.rules.ttd.Peran
    peran = models.CharField(max_length=10)
    penanda_tangan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nama = models.CharField(max_length=200)
    nip = models.CharField(max_length=18, blank=True)
    #: PengaturanTtd.Penyedia used.
    penyedia = models.CharField(max_length=12)
    sertifikat_subjek = models.CharField(max_length=300, blank=True)
    sertifikat_penerbit = models.CharField(max_length=300, blank=True)
    sertifikat_seri = models.CharField(max_length=64, blank=True)
    #: The PDF's SHA-256 after this signature (the revision it closed).
    sha256_berkas = models.CharField(max_length=64)
    waktu = models.DateTimeField("ditandatangani pada")

    class Meta:
        verbose_name = "tanda tangan elektronik"
        verbose_name_plural = "tanda tangan elektronik"
        ordering = ["waktu", "pk"]
        constraints = [models.UniqueConstraint(fields=["dokumen", "peran"], name="ttd_satu_per_peran")]
        indexes = [models.Index(fields=["penanda_tangan", "waktu"])]

    def __str__(self) -> str:
        return f"{self.nama} ({self.peran}) {self.waktu:%Y-%m-%d %H:%M}"


class KredensialSementara(models.Model):
    """A bulk signing's credential on its way to the worker (docs/rules.md §29.6): Fernet-encrypted
    (`kinerja.common.rahasia`), taken and deleted by the job when it starts, and worthless after
    ``kedaluwarsa``. In the database, not the cache, so a worker on another process or machine reads it
    without a shared cache; expired rows are deleted whenever a new one is stored."""

    kunci = models.CharField(max_length=64, unique=True)
    sandi = models.TextField()
    pemilik = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kedaluwarsa = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "kredensial sementara tanda tangan massal"
        verbose_name_plural = "kredensial sementara tanda tangan massal"

    def __str__(self) -> str:
        return f"kredensial {self.pemilik_id} s.d. {self.kedaluwarsa:%H:%M}"
