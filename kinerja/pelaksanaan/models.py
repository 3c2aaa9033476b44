"""Carrying out the SKP (docs/rules.md §12): rencana aksi, realisasi with bukti dukung, unlocks, umpan balik.

Realisasi and rencana aksi carry a `versi` counter for optimistic locking: a save names the version it
was read at, and a stale one is refused instead of overwriting someone else's change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import Instansi, Pegawai, PeriodePenilaian
from kinerja.perencanaan.models import KODE_PERILAKU_CHOICES, Indikator, Rhk, Skp

DECIMAL = {"max_digits": 18, "decimal_places": 4}


class RencanaAksi(models.Model):
    """What the pegawai will do for an RHK in one periode (several per RHK and periode)."""

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="rencana_aksi")
    periode_penilaian = models.ForeignKey(PeriodePenilaian, on_delete=models.PROTECT, related_name="+")
    teks = models.TextField("rencana aksi")
    urutan = models.PositiveSmallIntegerField(default=0)
    versi = models.PositiveIntegerField(default=1)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rencana aksi"
        verbose_name_plural = "rencana aksi"
        ordering = ["rhk", "periode_penilaian__nomor", "urutan", "pk"]


class Realisasi(models.Model):
    """The realisasi of one indikator in one periode: a number (kuantitatif) or text, with a narrative."""

    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="realisasi")
    periode_penilaian = models.ForeignKey(PeriodePenilaian, on_delete=models.PROTECT, related_name="+")
    nilai_angka = models.DecimalField("realisasi", null=True, blank=True, **DECIMAL)
    nilai_teks = models.TextField("realisasi (kualitatif)", blank=True)
    narasi = models.TextField("penjelasan", blank=True)
    versi = models.PositiveIntegerField(default=1)
    terlambat = models.BooleanField("diisi setelah batas", default=False)
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "realisasi"
        verbose_name_plural = "realisasi"
        ordering = ["indikator", "periode_penilaian__nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "periode_penilaian"], name="realisasi_satu_per_periode"
            )
        ]


class BuktiDukung(models.Model):
    """Evidence of a realisasi: an uploaded file (stored outside any public path) or an http(s) link."""

    class Jenis(models.TextChoices):
        BERKAS = "berkas", "Berkas"
        TAUTAN = "tautan", "Tautan"

    realisasi = models.ForeignKey(Realisasi, on_delete=models.CASCADE, related_name="bukti")
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


class BukaKunci(models.Model):
    """The admin reopens realisasi entry of one pegawai for one periode after its deadline (audited)."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="buka_kunci")
    periode_penilaian = models.ForeignKey(PeriodePenilaian, on_delete=models.CASCADE, related_name="+")
    alasan = models.TextField("alasan")
    dibuka_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuka_pada = models.DateTimeField(auto_now_add=True)
    berlaku_sampai = models.DateTimeField("berlaku sampai")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "buka kunci"
        verbose_name_plural = "buka kunci"
        ordering = ["-dibuka_pada"]


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
        Realisasi, null=True, blank=True, on_delete=models.CASCADE, related_name="umpan_balik"
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


class CatatanKegiatan(models.Model):
    """A logged activity (laporan harian): what a pegawai did on a day, for which rencana aksi."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="catatan_kegiatan")
    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="catatan_kegiatan")
    rencana_aksi = models.ForeignKey(
        RencanaAksi, null=True, blank=True, on_delete=models.SET_NULL, related_name="catatan_kegiatan"
    )
    indikator = models.ForeignKey(
        Indikator, null=True, blank=True, on_delete=models.SET_NULL, related_name="catatan_kegiatan"
    )
    tanggal = models.DateField("tanggal")
    jam_mulai = models.TimeField("jam mulai", null=True, blank=True)
    jam_selesai = models.TimeField("jam selesai", null=True, blank=True)
    kegiatan = models.TextField("kegiatan")
    jumlah_output = models.DecimalField("jumlah output", null=True, blank=True, **DECIMAL)
    satuan_output = models.CharField("satuan output", max_length=40, blank=True)
    berkas = models.FileField(upload_to="catatan/%Y/%m/", blank=True, max_length=300)
    nama_berkas = models.CharField(max_length=200, blank=True)
    tautan = models.URLField("tautan bukti", max_length=1000, blank=True)
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
            )
        ]


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
