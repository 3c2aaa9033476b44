"""Evaluation (docs/rules.md §13–§15): capaian kinerja organisasi, periodic and annual evaluations with their
RHK and BerAKHLAK ratings, predikat, and the finalisation of a rating group against its pola distribusi.

Writes go through `services`; the predikat is never typed: `Evaluasi.save()` derives it from the two
ratings with `kinerja.rules.kuadran.predikat`, and refuses to save a row that was already final (a final
evaluation changes only by being reopened by the admin, `services.reopen`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import (
    PANGKAT_GOLONGAN_CHOICES,
    IdentitasSnapshot,
    Instansi,
    Jabatan,
    Pegawai,
    Periode,
    PeriodePenilaian,
    UnitKerja,
)
from kinerja.perencanaan.models import KODE_PERILAKU_CHOICES, Rhk, Skp
from kinerja.rules import JenisRhk
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules import rating as rating_rules
from kinerja.rules.evaluasi import Status
from kinerja.rules.kuadran import predikat as kuadran_predikat
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating


class CapaianOrganisasiUnit(models.Model):
    """Capaian kinerja organisasi of a unit for one periode (or the year: `periode_penilaian` empty),
    set by the head of the unit above (docs/rules.md §13.4)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="capaian_organisasi")
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="capaian_organisasi")
    periode_penilaian = models.ForeignKey(
        PeriodePenilaian,
        verbose_name="periode penilaian (kosong = tahunan)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    nilai = models.CharField("capaian kinerja organisasi", max_length=16, choices=CapaianOrganisasi.choices())
    saran = models.CharField(
        "saran dari capaian IKU", max_length=16, choices=CapaianOrganisasi.choices(), blank=True, default=""
    )
    saran_alasan = models.TextField("dasar saran", blank=True)
    catatan = models.TextField("catatan", blank=True)
    # Set by the admin (the top unit): the PPK's written decision it records (docs/rules.md §15).
    ppk_pejabat = models.CharField("PPK yang memutuskan", max_length=200, blank=True)
    ppk_nomor = models.CharField("nomor keputusan PPK", max_length=100, blank=True)
    ppk_tanggal = models.DateField("tanggal keputusan PPK", null=True, blank=True)
    ditetapkan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ditetapkan_pada = models.DateTimeField("ditetapkan pada")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "capaian kinerja organisasi"
        verbose_name_plural = "capaian kinerja organisasi"
        ordering = ["periode", "unit__path", "periode_penilaian__nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "periode", "periode_penilaian"],
                condition=Q(periode_penilaian__isnull=False),
                name="capaian_organisasi_unik_periodik",
            ),
            models.UniqueConstraint(
                fields=["unit", "periode"],
                condition=Q(periode_penilaian__isnull=True),
                name="capaian_organisasi_unik_tahunan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.periode_penilaian or self.periode}: {self.get_nilai_display()}"

    @property
    def nilai_enum(self) -> CapaianOrganisasi:
        return CapaianOrganisasi(self.nilai)


class JenisEvaluasi(models.TextChoices):
    PERIODIK = "periodik", "Evaluasi periodik"
    TAHUNAN = "tahunan", "Evaluasi tahunan (Akhir)"


class DasarHasil(models.TextChoices):
    RHK = "rhk", "Rating RHK"
    PIMPINAN = "pimpinan", "Capaian organisasi unit yang dipimpin"


RATING_CHOICES = Rating.choices()


class StatusPenilai(models.TextChoices):
    """SIASN's ``statusPenilai``: the penilai is an ASN (NIP) or not (e.g. a bupati: NIK)."""

    ASN = "ASN", "ASN"
    NON_ASN = "NON ASN", "NON ASN"


class PenilaiEksternal(models.Model):
    """A pejabat penilai the app does not hold (docs/rules.md "Penilai di luar instansi"): the PPK or the
    Sekda who rates the head of the instansi, recorded by the admin kepegawaian per pegawai and year, or
    for one periode penilaian (a row for a periode wins over the row for the year)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="penilai_eksternal")
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="+")
    periode_penilaian = models.ForeignKey(
        PeriodePenilaian,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="periode penilaian (kosong = sepanjang tahun)",
    )
    status = models.CharField("status penilai", max_length=8, choices=StatusPenilai.choices)
    nama = models.CharField("nama", max_length=200)
    nomor_identitas = models.CharField("NIP/NRP atau NIK", max_length=18)
    jabatan = models.CharField("jabatan", max_length=200)
    golongan = models.CharField(
        "pangkat/golongan", max_length=6, choices=PANGKAT_GOLONGAN_CHOICES, blank=True
    )
    instansi_penilai = models.CharField("instansi penilai", max_length=200)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diubah_pada = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "penilai eksternal"
        verbose_name_plural = "penilai eksternal"
        ordering = ["periode", "pegawai__nama", "periode_penilaian__nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "periode", "periode_penilaian"],
                condition=Q(periode_penilaian__isnull=False),
                name="penilai_eksternal_periode_unik",
            ),
            models.UniqueConstraint(
                fields=["pegawai", "periode"],
                condition=Q(periode_penilaian__isnull=True),
                name="penilai_eksternal_tahun_unik",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.jabatan})"

    @property
    def label_nomor(self) -> str:
        return "NIP" if self.status == StatusPenilai.ASN else "NIK"


class Evaluasi(IdentitasSnapshot):
    """One evaluation of one pegawai: periodic (per periode penilaian) or annual ("Akhir", the year).

    The rating group is the penilai (CONFIG: or the penilai's unit, `unit_kelompok`), whose capaian
    organisasi decides the pola distribusi. Identity fields are a snapshot (docs/rules.md §8.2), copied from
    the SKP when opened and refreshed until the evaluation is final.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField("jenis evaluasi", max_length=10, choices=JenisEvaluasi.choices)
    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="evaluasi")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="evaluasi")
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="evaluasi")
    periode_penilaian = models.ForeignKey(
        PeriodePenilaian, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluasi"
    )
    status = models.CharField("status", max_length=16, choices=Status.choices(), default=Status.DRAFT.value)
    penilai = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluasi_dinilai"
    )
    penilai_jabatan = models.ForeignKey(
        Jabatan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    atasan_penilai = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        UnitKerja, verbose_name="unit pegawai", on_delete=models.PROTECT, related_name="+"
    )
    unit_kelompok = models.ForeignKey(
        UnitKerja,
        verbose_name="unit kelompok penilaian",
        on_delete=models.PROTECT,
        related_name="evaluasi_kelompok",
    )
    unit_dipimpin = models.ForeignKey(
        UnitKerja,
        verbose_name="unit yang dipimpin pegawai",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Capaian organisasi of the unit the pegawai heads (heads only), as used for their rating hasil kerja.
    capaian_organisasi = models.CharField(
        "capaian organisasi unit yang dipimpin",
        max_length=16,
        choices=CapaianOrganisasi.choices(),
        blank=True,
    )
    rating_hasil = models.CharField("rating hasil kerja", max_length=8, choices=RATING_CHOICES, blank=True)
    saran_hasil = models.CharField(
        "saran rating hasil kerja", max_length=8, choices=RATING_CHOICES, blank=True
    )
    saran_hasil_alasan = models.TextField("dasar saran rating hasil kerja", blank=True)
    alasan_ubah_hasil = models.TextField("alasan rating hasil kerja berbeda dari saran", blank=True)
    dasar_hasil = models.CharField(
        "dasar rating hasil kerja", max_length=10, choices=DasarHasil.choices, default=DasarHasil.RHK
    )
    rating_perilaku = models.CharField(
        "rating perilaku kerja", max_length=8, choices=RATING_CHOICES, blank=True
    )
    saran_perilaku = models.CharField(
        "saran rating perilaku kerja", max_length=8, choices=RATING_CHOICES, blank=True
    )
    saran_perilaku_alasan = models.TextField("dasar saran rating perilaku kerja", blank=True)
    alasan_ubah_perilaku = models.TextField("alasan rating perilaku kerja berbeda dari saran", blank=True)
    predikat = models.CharField("predikat kinerja", max_length=16, choices=Predikat.choices(), blank=True)
    # Annual: how the prefill was made (the periodic results, the SKP of a mutation); shown to the penilai.
    isian_awal_alasan = models.TextField("dasar isian awal", blank=True)
    catatan = models.TextField("catatan", blank=True)
    rekomendasi = models.TextField("rekomendasi", blank=True)
    dinilai_pada = models.DateTimeField(null=True, blank=True)
    dinilai_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disesuaikan_atasan_alasan = models.TextField("alasan penyesuaian oleh atasan penilai", blank=True)
    # Rated by the admin on the written decision of a penilai outside the instansi: the snapshot's penilai
    # fields are that penilai's (services._simpan); the decision is a `KeputusanPenilaiEksternal`.
    penilai_eksternal = models.ForeignKey(
        PenilaiEksternal, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluasi"
    )
    final_pada = models.DateTimeField(null=True, blank=True)
    final_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The pegawai was told of the final result (in-app + email; docs/rules.md §18): the keberatan window
    # starts here. Each finalisation counts (a reopened and re-finalised evaluation is a new result).
    diberitahu_pada = models.DateTimeField("pegawai diberi tahu pada", null=True, blank=True)
    finalisasi_ke = models.PositiveIntegerField("finalisasi ke-", default=0)
    dibuka_kembali_pada = models.DateTimeField(null=True, blank=True)
    dibuka_kembali_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dibuka_kembali_alasan = models.TextField("alasan dibuka kembali", blank=True)
    # The deadline lock (rules.evaluasi.status_kunci): the admin's latest unlock after the batas evaluasi.
    kunci_dibuka_sampai = models.DateTimeField("kunci evaluasi dibuka sampai", null=True, blank=True)
    kunci_dibuka_pada = models.DateTimeField(null=True, blank=True)
    kunci_dibuka_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kunci_dibuka_alasan = models.TextField("alasan membuka kunci evaluasi", blank=True)
    versi = models.PositiveIntegerField(default=1)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "evaluasi kinerja"
        verbose_name_plural = "evaluasi kinerja"
        ordering = ["periode", "periode_penilaian__nomor", "pegawai_nama"]
        indexes = [
            models.Index(fields=["penilai", "periode_penilaian"]),
            models.Index(fields=["unit_kelompok", "periode_penilaian"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "periode_penilaian"],
                condition=Q(jenis="periodik"),
                name="evaluasi_periodik_unik",
            ),
            models.UniqueConstraint(
                fields=["pegawai", "periode"], condition=Q(jenis="tahunan"), name="evaluasi_tahunan_unik"
            ),
            models.CheckConstraint(
                condition=(Q(jenis="periodik") & Q(periode_penilaian__isnull=False))
                | (Q(jenis="tahunan") & Q(periode_penilaian__isnull=True)),
                name="evaluasi_jenis_sesuai_periode",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluasi {self.pegawai_nama} {self.nama_periode}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Derive the predikat from the two ratings (never typed) and refuse to change a final row, except
        for the decision on a keberatan (`kinerja.tindak_lanjut`), which sets ``_keputusan_keberatan``."""
        if (
            getattr(self, "_status_tersimpan", None) == Status.FINAL.value
            and self.status == Status.FINAL.value
            and not getattr(self, "_keputusan_keberatan", False)
        ):
            raise ValidationError(
                "Evaluasi yang sudah final tidak dapat diubah; minta admin membukanya kembali."
            )
        if self.rating_hasil and self.rating_perilaku:
            self.predikat = kuadran_predikat(Rating(self.rating_hasil), Rating(self.rating_perilaku)).value
        else:
            self.predikat = ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "predikat"}
        super().save(*args, **kwargs)
        self._status_tersimpan = self.status

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Evaluasi:
        obj = super().from_db(db, field_names, values)
        obj._status_tersimpan = obj.__dict__.get("status")  # type: ignore[attr-defined]
        return obj

    @property
    def nama_periode(self) -> str:
        if self.periode_penilaian_id:
            return str(self.periode_penilaian)
        return f"Akhir (tahunan) {self.periode.tahun}"

    @property
    def batas_evaluasi(self) -> datetime.date:
        """The deadline of this evaluation: the periode's batas evaluasi, or the annual one."""
        if self.periode_penilaian_id:
            return self.periode_penilaian.batas_evaluasi  # type: ignore[union-attr]
        return self.periode.batas_evaluasi_tahunan

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_final(self) -> bool:
        return self.status == Status.FINAL.value

    @property
    def is_tahunan(self) -> bool:
        return self.jenis == JenisEvaluasi.TAHUNAN

    @property
    def predikat_enum(self) -> Predikat | None:
        return Predikat(self.predikat) if self.predikat else None

    @property
    def hasil_diubah_dari_saran(self) -> bool:
        return rating_rules.diubah_dari_saran(self.rating_hasil, self.saran_hasil)

    @property
    def perilaku_diubah_dari_saran(self) -> bool:
        return rating_rules.diubah_dari_saran(self.rating_perilaku, self.saran_perilaku)


def _tolak_bila_final(evaluasi: Evaluasi) -> None:
    """A rating row of a final evaluation is never written (the services refuse first; this is the net)."""
    if evaluasi.status == Status.FINAL.value:
        raise ValidationError("Evaluasi yang sudah final tidak dapat diubah; minta admin membukanya kembali.")


class KeputusanPenilaiEksternal(models.Model):
    """The written decision of an external penilai the admin entered the ratings from: its number, date and
    optionally the scan (checked like every upload, `kinerja.common.berkas`). One row per entry; never
    changed (a new decision is a new row)."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.PROTECT, related_name="keputusan_eksternal")
    penilai = models.ForeignKey(PenilaiEksternal, on_delete=models.PROTECT, related_name="keputusan")
    nomor = models.CharField("nomor keputusan", max_length=100)
    tanggal = models.DateField("tanggal keputusan")
    rating_hasil = models.CharField("rating hasil kerja", max_length=8, choices=RATING_CHOICES)
    rating_perilaku = models.CharField("rating perilaku kerja", max_length=8, choices=RATING_CHOICES)
    berkas = models.FileField(upload_to="keputusan_penilai/%Y/%m/", max_length=300, blank=True)
    nama_asli = models.CharField("nama berkas", max_length=255, blank=True)
    jenis = models.CharField("jenis berkas", max_length=100, blank=True)
    ukuran = models.PositiveBigIntegerField("ukuran (byte)", null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dicatat_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "keputusan penilai eksternal"
        verbose_name_plural = "keputusan penilai eksternal"
        ordering = ["dicatat_pada", "pk"]

    def __str__(self) -> str:
        return f"Keputusan {self.nomor} ({self.tanggal})"


class RatingRhk(models.Model):
    """The penilai's rating of one RHK in one evaluation (the RHK's jenis and text are kept with it)."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.CASCADE, related_name="rating_rhk")
    rhk = models.ForeignKey(Rhk, null=True, blank=True, on_delete=models.SET_NULL, related_name="rating")
    rhk_jenis = models.CharField("jenis RHK", max_length=10, choices=JenisRhk.choices())
    rhk_teks = models.TextField("RHK")
    urutan = models.PositiveSmallIntegerField(default=0)
    rating = models.CharField("rating", max_length=8, choices=RATING_CHOICES, blank=True)
    catatan = models.TextField("catatan", blank=True)
    tanpa_realisasi = models.BooleanField("tidak ada realisasi", default=False)
    tanpa_realisasi_alasan = models.TextField("alasan tidak ada realisasi", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rating RHK"
        verbose_name_plural = "rating RHK"
        ordering = ["evaluasi", "urutan", "pk"]
        constraints = [models.UniqueConstraint(fields=["evaluasi", "rhk"], name="rating_rhk_unik")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        _tolak_bila_final(self.evaluasi)
        super().save(*args, **kwargs)


class RatingPerilaku(models.Model):
    """The penilai's rating of one BerAKHLAK value in one evaluation."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.CASCADE, related_name="rating_perilaku_set")
    kode = models.CharField("nilai", max_length=2, choices=KODE_PERILAKU_CHOICES)
    rating = models.CharField("rating", max_length=8, choices=RATING_CHOICES, blank=True)
    catatan = models.TextField("catatan", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rating perilaku"
        verbose_name_plural = "rating perilaku"
        ordering = ["evaluasi", "pk"]
        constraints = [models.UniqueConstraint(fields=["evaluasi", "kode"], name="rating_perilaku_unik")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        _tolak_bila_final(self.evaluasi)
        super().save(*args, **kwargs)


class FinalisasiKelompok(models.Model):
    """One finalisation of a rating group for a periode (or the year), with the pola distribusi findings
    it was finalised with and the reason when there were violations."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="+")
    periode_penilaian = models.ForeignKey(
        PeriodePenilaian, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    penilai = models.ForeignKey(Pegawai, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_kelompok = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+")
    kelompok = models.CharField("kelompok", max_length=10, default="penilai")
    capaian_organisasi = models.CharField(max_length=16, choices=CapaianOrganisasi.choices(), blank=True)
    jumlah_pegawai = models.PositiveIntegerField(default=0)
    pelanggaran = models.JSONField("pelanggaran pola distribusi", default=list, blank=True)
    alasan = models.TextField("alasan finalisasi dengan pelanggaran", blank=True)
    #: The version of the instansi's pola distribusi rules the group was checked against (`AturanDistribusi`;
    #: None: the regulation's defaults).
    versi_aturan = models.PositiveIntegerField("versi aturan pola distribusi", null=True, blank=True)
    #: When the group's curve was "tidak dapat diterapkan" (docs/rules.md §3.4): why (`distribusi.Sebab`) and
    #: the full reason as shown; both empty when the curve was applied.
    sebab_tidak_diterapkan = models.CharField(
        "sebab pola distribusi tidak dapat diterapkan",
        max_length=20,
        choices=distribusi_rules.Sebab.choices(),
        blank=True,
    )
    alasan_tidak_diterapkan = models.TextField("alasan pola distribusi tidak dapat diterapkan", blank=True)
    #: `Instansi.minimal_kelompok_distribusi` in force at finalisation (None: finalised before the setting
    #: existed, no minimum), so a final group keeps being checked as it was finalised.
    minimal_kelompok = models.PositiveSmallIntegerField(
        "jumlah minimal pegawai kelompok", null=True, blank=True
    )
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "finalisasi kelompok"
        verbose_name_plural = "finalisasi kelompok"
        ordering = ["-pada", "-pk"]


class VersiTetap(models.Model):
    """A row of a versioned instansi setting: never changed or deleted once saved (a change is a new
    version with who, when and why), so the history of versions stays whole."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    versi = models.PositiveIntegerField("versi")
    alasan = models.TextField("alasan perubahan")
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["instansi", "-versi"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(
                f"{str(self._meta.verbose_name).capitalize()} tidak dapat diubah; simpan sebagai versi baru."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(
            f"{str(self._meta.verbose_name).capitalize()} tidak dapat dihapus; riwayat versinya harus utuh."
        )


class AturanDistribusi(VersiTetap):
    """One version of an instansi's pola distribusi rules (docs/rules.md §3.7: CONFIG per instansi).

    ``aturan`` is the `kinerja.rules.distribusi.rules_to_dict` form. Rows are immutable: a change is a new
    version (1, 2, ... per instansi) with who, when and why; the latest version is the one in force and no
    row at all means the regulation's defaults. Written only by `services_aturan.save_aturan`.
    """

    aturan = models.JSONField("aturan pola distribusi")

    class Meta(VersiTetap.Meta):
        verbose_name = "aturan pola distribusi"
        verbose_name_plural = "aturan pola distribusi"
        constraints = [
            models.UniqueConstraint(fields=["instansi", "versi"], name="aturan_distribusi_versi_unik"),
        ]

    def __str__(self) -> str:
        return f"Aturan pola distribusi versi {self.versi}"
