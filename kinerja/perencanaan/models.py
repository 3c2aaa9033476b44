"""Planning (docs/rules.md §10, §11): peta strategi, Manual IKU/IKI, Perjanjian Kinerja, and the SKP with its
RHK, indikator, perilaku and lampiran.

An SKP keeps its identity through revisions: "ajukan perubahan" reopens the same rows in draft, so the
cascade links of the bawahan (Rhk.intervensi) stay valid; each approved content is frozen in `SkpVersi`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import (
    IdentitasSnapshot,
    Instansi,
    Jabatan,
    Pegawai,
    Penempatan,
    Periode,
    UnitKerja,
)
from kinerja.rules import Aspek, JenisRhk, Konsolidasi, ModelSkp, Perspektif, Polaritas
from kinerja.rules.alur import Aksi, Status
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import Jenjang

KODE_PERILAKU_CHOICES = [(n.kode, n.nama) for n in BERAKHLAK]
DECIMAL = {"max_digits": 18, "decimal_places": 4}


class SasaranStrategis(models.Model):
    """A sasaran strategis of a unit's peta strategi, in one of the four perspectives."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="sasaran_strategis")
    tahun = models.PositiveSmallIntegerField("tahun")
    perspektif = models.CharField("perspektif", max_length=20, choices=Perspektif.choices())
    kode = models.CharField("kode", max_length=30)
    nama = models.CharField("sasaran strategis", max_length=300)
    urutan = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sasaran strategis"
        verbose_name_plural = "sasaran strategis"
        ordering = ["unit", "tahun", "perspektif", "urutan", "kode"]
        constraints = [models.UniqueConstraint(fields=["unit", "tahun", "kode"], name="sasaran_kode_unik")]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class ManualIndikator(models.Model):
    """Manual IKU (unit) / IKI (individu): how an indicator is defined, measured and targeted."""

    class Jenis(models.TextChoices):
        IKU = "iku", "IKU"
        IKI = "iki", "IKI"

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="manual_indikator")
    tahun = models.PositiveSmallIntegerField("tahun")
    jenis = models.CharField("jenis", max_length=3, choices=Jenis.choices, default=Jenis.IKU)
    sasaran = models.ForeignKey(
        SasaranStrategis,
        verbose_name="sasaran strategis",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indikator",
    )
    kode = models.CharField("kode", max_length=30)
    nama = models.CharField("nama indikator", max_length=300)
    deskripsi = models.TextField("deskripsi", blank=True)
    formula = models.TextField("formula", blank=True)
    satuan = models.CharField("satuan", max_length=40)
    polaritas = models.CharField("polaritas", max_length=10, choices=Polaritas.choices(), default="maximize")
    konsolidasi = models.CharField(
        "konsolidasi periode", max_length=10, choices=Konsolidasi.choices(), default="last"
    )
    sumber_data = models.CharField("sumber data", max_length=200, blank=True)
    periode_pelaporan = models.CharField("periode pelaporan", max_length=40, blank=True, default="Triwulanan")
    penanggung_jawab = models.ForeignKey(
        Jabatan,
        verbose_name="penanggung jawab",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_tahun = models.DecimalField("target tahunan", **DECIMAL)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "manual indikator"
        verbose_name_plural = "manual indikator"
        ordering = ["unit", "tahun", "kode"]
        constraints = [models.UniqueConstraint(fields=["unit", "tahun", "kode"], name="manual_kode_unik")]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class ManualTargetPeriode(models.Model):
    manual = models.ForeignKey(ManualIndikator, on_delete=models.CASCADE, related_name="target_periode")
    nomor = models.PositiveSmallIntegerField("periode ke-")
    target = models.DecimalField("target", null=True, blank=True, **DECIMAL)
    history = HistoricalRecords()

    class Meta:
        ordering = ["manual", "nomor"]
        constraints = [models.UniqueConstraint(fields=["manual", "nomor"], name="manual_target_periode_unik")]


class DokumenAlur(models.Model):
    """Shared shape of a document that runs the alur (draft → diajukan → disetujui / dikembalikan)."""

    status = models.CharField("status", max_length=12, choices=Status.choices(), default=Status.DRAFT.value)
    revisi = models.PositiveSmallIntegerField("revisi", default=1)
    diajukan_pada = models.DateTimeField("diajukan pada", null=True, blank=True)
    disetujui_pada = models.DateTimeField("disetujui pada", null=True, blank=True)
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    catatan_pengembalian = models.TextField("catatan pengembalian", blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def status_enum(self) -> Status:
        return Status(self.status)


class PerjanjianKinerja(DokumenAlur):
    """The unit head's yearly agreement of IKU and targets, approved by the head's own superior."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="perjanjian_kinerja")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="perjanjian_kinerja")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="perjanjian_kinerja")
    penyetuju = models.ForeignKey(
        Pegawai,
        verbose_name="pihak kedua (atasan)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="perjanjian_kinerja_disetujui",
    )
    # Identity as it was at creation (the document shows who signed, not who holds the post now).
    pegawai_nama = models.CharField(max_length=200)
    pegawai_nip = models.CharField(max_length=18)
    pegawai_jabatan = models.CharField(max_length=200)
    penyetuju_nama = models.CharField(max_length=200, blank=True)
    penyetuju_nip = models.CharField(max_length=18, blank=True)
    penyetuju_jabatan = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "perjanjian kinerja"
        verbose_name_plural = "perjanjian kinerja"
        ordering = ["periode", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["periode", "unit", "pegawai"], name="pk_satu_per_unit_pegawai_tahun"
            )
        ]

    def __str__(self) -> str:
        return f"Perjanjian Kinerja {self.unit.nama} {self.periode.tahun}"


class PerjanjianKinerjaIndikator(models.Model):
    perjanjian = models.ForeignKey(PerjanjianKinerja, on_delete=models.CASCADE, related_name="indikator")
    sasaran = models.ForeignKey(SasaranStrategis, on_delete=models.PROTECT, related_name="+")
    manual = models.ForeignKey(
        ManualIndikator, verbose_name="IKU", on_delete=models.PROTECT, related_name="+"
    )
    target_tahun = models.DecimalField("target", **DECIMAL)
    urutan = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["perjanjian", "urutan", "pk"]

    def __str__(self) -> str:
        return f"{self.manual.nama}: {self.target_tahun.normalize():f} {self.manual.satuan}"


class Skp(DokumenAlur, IdentitasSnapshot):
    """One SKP of one pegawai for one penempatan (and one penilai) in one year; its identity fields keep the
    pegawai, penilai and atasan penilai as at planning (docs/rules.md §8.2)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="skp")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="skp")
    penempatan = models.ForeignKey(Penempatan, on_delete=models.PROTECT, related_name="skp")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+")
    penilai = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.PROTECT, related_name="skp_dinilai"
    )
    penilai_jabatan = models.ForeignKey(
        Jabatan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    atasan_penilai = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    perjanjian_kinerja = models.ForeignKey(
        PerjanjianKinerja, null=True, blank=True, on_delete=models.PROTECT, related_name="skp"
    )
    model = models.CharField("model SKP", max_length=12, choices=ModelSkp.choices())
    mulai = models.DateField("berlaku mulai")
    selesai = models.DateField("berlaku sampai")
    batas = models.DateField("batas persetujuan")
    #: The jenjang of the jabatan fungsional as it was when the SKP was made: the angka kredit of its months
    #: (docs/rules.md §19.3), never rewritten when the jabatan row is edited later. Empty: not fungsional.
    pegawai_jenjang = models.CharField(
        "jenjang (saat SKP dibuat)", max_length=20, choices=Jenjang.choices(), blank=True, default=""
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "SKP"
        verbose_name_plural = "SKP"
        ordering = ["-periode__tahun", "-mulai"]
        indexes = [models.Index(fields=["periode", "status"]), models.Index(fields=["penilai", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "periode", "mulai"], name="skp_satu_per_pegawai_mulai"
            ),
            models.CheckConstraint(
                condition=Q(selesai__gte=models.F("mulai")), name="skp_selesai_setelah_mulai"
            ),
        ]

    #: The penilai as read from the database: a save that changes it drops the cached values of the old
    #: penilai too ("SKP menunggu", role facts: kinerja/dashboard/invalidasi.py).
    penilai_id_dimuat: int | None = None

    def __str__(self) -> str:
        return f"SKP {self.pegawai_nama} {self.periode.tahun}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Skp:
        skp = super().from_db(db, field_names, values)
        skp.penilai_id_dimuat = skp.__dict__.get("penilai_id")
        return skp

    @property
    def is_kuantitatif(self) -> bool:
        return self.model == ModelSkp.KUANTITATIF.value

    @property
    def terlambat(self) -> bool:
        """Submitted (or still not submitted) after the deadline: allowed, but flagged."""
        from django.utils import timezone

        if self.diajukan_pada is not None:
            return timezone.localdate(self.diajukan_pada) > self.batas
        return self.status != Status.DISETUJUI.value and timezone.localdate() > self.batas


class Rhk(models.Model):
    """Rencana Hasil Kerja: a result (not an activity), cascading from the penilai's RHK."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="rhk")
    jenis = models.CharField("jenis", max_length=10, choices=JenisRhk.choices(), default=JenisRhk.UTAMA.value)
    teks = models.TextField("rencana hasil kerja")
    intervensi = models.ForeignKey(
        "self",
        verbose_name="RHK pimpinan yang diintervensi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intervensi_bawahan",
    )
    pk_indikator = models.ForeignKey(
        PerjanjianKinerjaIndikator,
        verbose_name="IKU Perjanjian Kinerja",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rhk",
    )
    perspektif = models.CharField("perspektif", max_length=20, choices=Perspektif.choices(), blank=True)
    urutan = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "RHK"
        verbose_name_plural = "RHK"
        ordering = ["skp", "jenis", "urutan", "pk"]

    def __str__(self) -> str:
        return self.teks


class Indikator(models.Model):
    """Indikator kinerja individu of an RHK with its targets (year and per periode)."""

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="indikator")
    aspek = models.CharField("aspek", max_length=10, choices=Aspek.choices(), default=Aspek.KUANTITAS.value)
    teks = models.TextField("indikator")
    target_angka = models.DecimalField("target", null=True, blank=True, **DECIMAL)
    target_angka_atas = models.DecimalField("target batas atas (rentang)", null=True, blank=True, **DECIMAL)
    satuan = models.CharField("satuan", max_length=40, blank=True)
    target_teks = models.TextField("target (kualitatif)", blank=True)
    polaritas = models.CharField("polaritas", max_length=10, choices=Polaritas.choices(), default="maximize")
    konsolidasi = models.CharField(
        "konsolidasi periode", max_length=10, choices=Konsolidasi.choices(), default="sum"
    )
    urutan = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indikator kinerja individu"
        verbose_name_plural = "indikator kinerja individu"
        ordering = ["rhk", "urutan", "pk"]

    def __str__(self) -> str:
        return self.teks

    @property
    def target_tampil(self) -> str:
        if self.target_angka is None:
            return self.target_teks
        angka = f"{self.target_angka.normalize():f}"
        if self.target_angka_atas is not None:
            angka += f"–{self.target_angka_atas.normalize():f}"
        return f"{angka} {self.satuan}".strip()


class IndikatorTargetPeriode(models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="target_periode")
    nomor = models.PositiveSmallIntegerField("periode ke-")
    target_angka = models.DecimalField("target", null=True, blank=True, **DECIMAL)
    target_teks = models.CharField("target (kualitatif)", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indikator", "nomor"]
        constraints = [
            models.UniqueConstraint(fields=["indikator", "nomor"], name="indikator_target_periode_unik")
        ]


class SkpPerilaku(models.Model):
    """One BerAKHLAK value in an SKP, with the penilai's ekspektasi khusus."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="perilaku")
    kode = models.CharField("nilai", max_length=2, choices=KODE_PERILAKU_CHOICES)
    ekspektasi_khusus = models.TextField("ekspektasi khusus pimpinan", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["skp", "pk"]
        constraints = [models.UniqueConstraint(fields=["skp", "kode"], name="skp_perilaku_unik")]


class PustakaEkspektasi(models.Model):
    """A reusable ekspektasi khusus sentence of an instansi, per BerAKHLAK value."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    kode = models.CharField("nilai", max_length=2, choices=KODE_PERILAKU_CHOICES)
    teks = models.CharField("ekspektasi", max_length=500)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    dipakai = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kode", "-dipakai", "teks"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "kode", "teks"], name="pustaka_ekspektasi_unik")
        ]


class SkpLampiran(models.Model):
    class Jenis(models.TextChoices):
        DUKUNGAN = "dukungan", "Dukungan sumber daya"
        PERTANGGUNGJAWABAN = "pertanggungjawaban", "Skema pertanggungjawaban"
        KONSEKUENSI = "konsekuensi", "Konsekuensi"

    class Kategori(models.TextChoices):
        SDM = "sdm", "SDM"
        ANGGARAN = "anggaran", "Anggaran"
        PERALATAN = "peralatan", "Peralatan"
        PENDAMPINGAN = "pendampingan", "Pendampingan"
        SARANA = "sarana", "Sarana dan prasarana"
        LAINNYA = "", "—"

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="lampiran")
    jenis = models.CharField("jenis", max_length=20, choices=Jenis.choices)
    kategori = models.CharField("kategori dukungan", max_length=20, choices=Kategori.choices, blank=True)
    teks = models.TextField("uraian")
    urutan = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["skp", "jenis", "urutan", "pk"]


class SkpVersi(models.Model):
    """The content of an SKP as approved in one revision (kept readable after "ajukan perubahan")."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="versi")
    revisi = models.PositiveSmallIntegerField()
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    disetujui_pada = models.DateTimeField()

    class Meta:
        ordering = ["skp", "-revisi"]
        constraints = [models.UniqueConstraint(fields=["skp", "revisi"], name="skp_versi_unik")]


class LogAlur(models.Model):
    """Every workflow step of an SKP or Perjanjian Kinerja: who did what, when, with which note."""

    skp = models.ForeignKey(Skp, null=True, blank=True, on_delete=models.CASCADE, related_name="log")
    perjanjian = models.ForeignKey(
        PerjanjianKinerja, null=True, blank=True, on_delete=models.CASCADE, related_name="log"
    )
    aksi = models.CharField(max_length=20, choices=[*Aksi.choices(), ("buat", "Dibuat")])
    status_dari = models.CharField(max_length=12, choices=Status.choices(), blank=True)
    status_ke = models.CharField(max_length=12, choices=Status.choices())
    revisi = models.PositiveSmallIntegerField(default=1)
    catatan = models.TextField(blank=True)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    pada = models.DateTimeField(auto_now_add=True)
    terlambat = models.BooleanField(default=False)

    class Meta:
        ordering = ["-pada", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(skp__isnull=False, perjanjian__isnull=True)
                | Q(skp__isnull=True, perjanjian__isnull=False),
                name="log_alur_satu_dokumen",
            )
        ]
