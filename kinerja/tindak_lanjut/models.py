"""Follow-up of the evaluation (docs/rules.md §16–§20): keberatan against a predikat, the instansi's tunjangan
kinerja table (versioned), and the tokens other agency systems use to read finalised predikat.

The regulation's rules are in `kinerja.rules.keberatan` (workflow, windows) and
`kinerja.rules.tindak_lanjut` (penghargaan / pembinaan / sanksi lists); writes are in `services*.py`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kinerja.common.token import TokenDasar
from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.penilaian.models import RATING_CHOICES, Evaluasi, VersiTetap
from kinerja.rules.keberatan import DIPUTUS, TERBUKA, Status
from kinerja.rules.types import Predikat


class Keberatan(models.Model):
    """A pegawai's keberatan against the predikat of one final evaluation, up to the final decision.

    The ratings and predikat at filing are kept (``*_awal``); a granted keberatan records the new ratings
    and the predikat that follows from the kuadran (``*_baru``, ``predikat_akhir``) and the revised
    document. The penilai and the pemutus (the atasan pejabat penilai, or the official the admin routed it
    to when there is none) are fixed at filing; the admin may route it again (audited).
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.PROTECT, related_name="keberatan")
    # The finalisation (result) objected to: a reopened and re-finalised evaluation is a new result.
    finalisasi_ke = models.PositiveIntegerField("finalisasi ke-", default=0)
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="keberatan")
    status = models.CharField(
        "status", max_length=12, choices=Status.choices(), default=Status.DIAJUKAN.value
    )
    alasan = models.TextField("alasan keberatan")
    # The result objected to, as it was when the keberatan was filed.
    rating_hasil_awal = models.CharField(max_length=8, choices=RATING_CHOICES)
    rating_perilaku_awal = models.CharField(max_length=8, choices=RATING_CHOICES)
    predikat_awal = models.CharField(max_length=16, choices=Predikat.choices())
    dokumen_awal = models.ForeignKey(
        "dokumen.Dokumen", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diajukan_pada = models.DateTimeField("diajukan pada")
    diajukan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The penilai's penjelasan.
    penilai = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.PROTECT, related_name="keberatan_dijelaskan"
    )
    batas_penjelasan = models.DateField("batas penjelasan pejabat penilai")
    penjelasan = models.TextField("penjelasan pejabat penilai", blank=True)
    dijelaskan_pada = models.DateTimeField(null=True, blank=True)
    dijelaskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who decides: the atasan pejabat penilai; empty until the admin routes it when there is none.
    pemutus = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.PROTECT, related_name="keberatan_diputus"
    )
    pemutus_dialihkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pemutus_dialihkan_alasan = models.TextField("alasan penetapan pemutus", blank=True)
    batas_keputusan = models.DateField("batas keputusan")
    keputusan_alasan = models.TextField("pertimbangan keputusan", blank=True)
    rating_hasil_baru = models.CharField(max_length=8, choices=RATING_CHOICES, blank=True)
    rating_perilaku_baru = models.CharField(max_length=8, choices=RATING_CHOICES, blank=True)
    predikat_akhir = models.CharField(max_length=16, choices=Predikat.choices(), blank=True)
    diputus_pada = models.DateTimeField(null=True, blank=True)
    diputus_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ditarik_pada = models.DateTimeField(null=True, blank=True)
    ditarik_alasan = models.TextField("alasan menarik keberatan", blank=True)
    dokumen_revisi = models.ForeignKey(
        "dokumen.Dokumen", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    versi = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "keberatan"
        verbose_name_plural = "keberatan"
        ordering = ["-diajukan_pada", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluasi", "finalisasi_ke"],
                condition=Q(status__in=sorted(s.value for s in TERBUKA)),  # sorted: a set has no stable order
                name="keberatan_satu_terbuka_per_finalisasi",
            ),
            models.UniqueConstraint(
                fields=["evaluasi", "finalisasi_ke"],
                condition=Q(status__in=sorted(s.value for s in DIPUTUS)),
                name="keberatan_satu_diputus_per_finalisasi",
            ),
        ]

    def __str__(self) -> str:
        return f"Keberatan {self.pegawai} atas {self.evaluasi.nama_periode}"

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def terbuka(self) -> bool:
        return self.status_enum in TERBUKA


class LampiranKeberatan(models.Model):
    """A file attached to a keberatan by the pegawai (validated like bukti dukung; served with checks)."""

    keberatan = models.ForeignKey(Keberatan, on_delete=models.CASCADE, related_name="lampiran")
    berkas = models.FileField(upload_to="keberatan/%Y/%m/", max_length=300)
    nama_asli = models.CharField("nama berkas", max_length=255)
    jenis = models.CharField("jenis berkas", max_length=100)
    ukuran = models.PositiveBigIntegerField("ukuran (byte)")
    sha256 = models.CharField(max_length=64)
    diunggah_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lampiran keberatan"
        verbose_name_plural = "lampiran keberatan"
        ordering = ["diunggah_pada", "pk"]


class TabelTunjanganKinerja(VersiTetap):
    """One version of the instansi's table predikat → percentage of tunjangan kinerja (docs/rules.md §20.1:
    CONFIG, no default numbers). Rows are immutable; a change is a new version with who, when and why; the
    latest is in force; no row means the table is not set yet."""

    persen_sangat_baik = models.DecimalField("Sangat Baik (%)", max_digits=5, decimal_places=2)
    persen_baik = models.DecimalField("Baik (%)", max_digits=5, decimal_places=2)
    persen_butuh_perbaikan = models.DecimalField("Butuh Perbaikan (%)", max_digits=5, decimal_places=2)
    persen_kurang = models.DecimalField("Kurang/Misconduct (%)", max_digits=5, decimal_places=2)
    persen_sangat_kurang = models.DecimalField("Sangat Kurang (%)", max_digits=5, decimal_places=2)
    berlaku_mulai = models.DateField("berlaku mulai")

    class Meta(VersiTetap.Meta):
        verbose_name = "tabel tunjangan kinerja"
        verbose_name_plural = "tabel tunjangan kinerja"
        constraints = [
            models.UniqueConstraint(fields=["instansi", "versi"], name="tabel_tukin_versi_unik"),
        ]

    def __str__(self) -> str:
        return f"Tabel tunjangan kinerja versi {self.versi}"

    def persen(self, predikat: Predikat | str) -> Any:
        return getattr(self, f"persen_{Predikat(predikat).value}")


class TokenInstansi(TokenDasar):
    """A token with which another system of the instansi (TPP, talent management) reads its finalised
    predikat through the read API; only the SHA-256 is stored; revoked tokens stay for the record."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="token_sistem")
    nama = models.CharField("nama sistem", max_length=100)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dicabut_pada = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "token sistem instansi"
        verbose_name_plural = "token sistem instansi"
        ordering = ["-dibuat_pada"]


class IdSiasnPegawai(models.Model):
    """The SIASN id of a pegawai (``id`` of ``pns/data-utama/{nip}``), looked up once and kept: it is what
    the kinerja saves name the pegawai by (docs/rules.md §21.7)."""

    pegawai = models.OneToOneField(Pegawai, on_delete=models.CASCADE, related_name="id_siasn")
    pns_id = models.CharField("ID SIASN", max_length=64)
    dicari_pada = models.DateTimeField("dicari pada")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ID SIASN pegawai"
        verbose_name_plural = "ID SIASN pegawai"

    def __str__(self) -> str:
        return f"{self.pegawai_id}: {self.pns_id}"


class StatusKirimSiasn(models.TextChoices):
    ANTRI = "antri", "Dalam antrean"
    TERKIRIM = "terkirim", "Terkirim"
    GAGAL = "gagal", "Gagal"


class KirimSiasn(models.Model):
    """One final evaluation sent (or to be sent) to SIASN: the record id SIASN returned, so a second send
    updates the same record instead of adding one, and the state of the last attempt (docs/rules.md §21.7)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    evaluasi = models.OneToOneField(Evaluasi, on_delete=models.PROTECT, related_name="kirim_siasn")
    endpoint = models.CharField("endpoint", max_length=40)
    status = models.CharField(
        "status", max_length=10, choices=StatusKirimSiasn.choices, default=StatusKirimSiasn.ANTRI
    )
    siasn_id = models.CharField("ID riwayat di SIASN", max_length=64, blank=True)
    #: The uploaded evaluation document as ``path`` lists it, kept so a re-send does not upload again.
    dokumen = models.JSONField("dokumen terunggah", default=list, blank=True)
    pesan = models.TextField("pesan SIASN", blank=True)
    #: ``rules.siasn.JenisGagal`` of the last failure (empty when the last attempt succeeded): who must act.
    jenis_gagal = models.CharField("jenis kegagalan", max_length=20, blank=True)
    percobaan = models.PositiveIntegerField("jumlah percobaan", default=0)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    dicoba_pada = models.DateTimeField("percobaan terakhir", null=True, blank=True)
    terkirim_pada = models.DateTimeField("terkirim pada", null=True, blank=True)
    # The queue (docs/rules.md §21.9). Who asked for the send now waiting (empty: the system, because the
    # evaluation became final) and when; the next attempt after a passing SIASN trouble.
    diminta_pada = models.DateTimeField("diantrekan pada", null=True, blank=True)
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    berikutnya_pada = models.DateTimeField("percobaan berikutnya", null=True, blank=True)
    #: Raised by every new request: a task carrying an older number was superseded and does nothing.
    tiket = models.PositiveIntegerField(default=0)
    #: Set while a worker sends (a claim, so one evaluation is never sent twice at once).
    diproses_sejak = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["diproses_sejak"])

    class Meta:
        verbose_name = "pengiriman SIASN"
        verbose_name_plural = "pengiriman SIASN"
        indexes = [models.Index(fields=["instansi", "status"], name="kirim_siasn_status")]

    def __str__(self) -> str:
        return f"{self.evaluasi_id} → {self.endpoint} ({self.status})"


class DataUtamaSiasn(models.Model):
    """What SIASN held for a pegawai when last read (``pns/data-utama/{nip}``, docs/rules.md §21.10): the
    unit (unor) and jabatan compared with ours by the mismatch report. Only these fields are kept (no NIK,
    address or family data). Replaced on every read; the history keeps the earlier reads."""

    pegawai = models.OneToOneField(Pegawai, on_delete=models.CASCADE, related_name="data_utama_siasn")
    pns_id = models.CharField("ID SIASN", max_length=64)
    unor_id = models.CharField("ID unor", max_length=64, blank=True)
    unor_nama = models.CharField("unor (unit) di SIASN", max_length=300, blank=True)
    unor_induk_id = models.CharField("ID unor induk", max_length=64, blank=True)
    unor_induk_nama = models.CharField("unor induk di SIASN", max_length=300, blank=True)
    jabatan_id = models.CharField("ID jabatan", max_length=64, blank=True)
    jabatan_nama = models.CharField("jabatan di SIASN", max_length=300, blank=True)
    jenis_jabatan_id = models.PositiveSmallIntegerField("jenisJabatanId", null=True, blank=True)
    jenis_jabatan = models.CharField("jenis jabatan di SIASN", max_length=100, blank=True)
    tmt_jabatan = models.DateField("TMT jabatan di SIASN", null=True, blank=True)
    golongan = models.CharField("golongan di SIASN", max_length=20, blank=True)
    eselon = models.CharField("eselon di SIASN", max_length=20, blank=True)
    dibaca_pada = models.DateTimeField("dibaca dari SIASN pada")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "data utama SIASN"
        verbose_name_plural = "data utama SIASN"

    def __str__(self) -> str:
        return f"{self.pegawai_id}: {self.unor_nama} / {self.jabatan_nama}"


class StatusPenyegaran(models.TextChoices):
    ANTRI = "antri", "Dalam antrean"
    BERJALAN = "berjalan", "Berjalan"
    SELESAI = "selesai", "Selesai"
    GAGAL = "gagal", "Gagal"


class PenyegaranDataUtama(models.Model):
    """One refresh of the data-utama of an instansi's pegawai (a background task): the progress the page
    shows (done / total) and every failure with its reason (docs/rules.md §21.10)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    dimulai_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Only these NIPs (empty: every active pegawai of the instansi).
    nip = models.JSONField("NIP yang dibaca", default=list, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=StatusPenyegaran.choices, default=StatusPenyegaran.ANTRI
    )
    jumlah = models.PositiveIntegerField("jumlah pegawai", default=0)
    selesai = models.PositiveIntegerField("sudah dibaca", default=0)
    #: ``[{"nip", "nama", "alasan"}]``, one per pegawai whose data could not be read.
    kegagalan = models.JSONField("kegagalan", default=list, blank=True)
    pesan = models.TextField("pesan", blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)
    #: A read for the organisation import (§21.12): NIPs not (yet) in Kinerja are read too.
    untuk_impor = models.BooleanField("untuk impor pegawai dan penempatan", default=False)
    #: Snapshots of the NIPs not in Kinerja (no pegawai to hang a DataUtamaSiasn on), as JSON.
    baru = models.JSONField("data utama NIP baru", default=list, blank=True)
    diterapkan_pada = models.DateTimeField(null=True, blank=True)
    diterapkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The background job that runs it (docs/architecture.md "Background jobs"); empty for a record queued
    #: before reads ran as jobs, or once the job has been cleaned away (the record keeps the outcome).
    pekerjaan = models.ForeignKey(
        "pekerjaan.Pekerjaan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["nip", "kegagalan", "baru", "pekerjaan"])

    class Meta:
        verbose_name = "penyegaran data utama SIASN"
        verbose_name_plural = "penyegaran data utama SIASN"
        ordering = ["-dibuat_pada", "-pk"]

    def __str__(self) -> str:
        return f"Penyegaran {self.instansi_id} ({self.status} {self.selesai}/{self.jumlah})"

    @property
    def berjalan(self) -> bool:
        return self.status in (StatusPenyegaran.ANTRI, StatusPenyegaran.BERJALAN)

    @property
    def persen(self) -> int:
        return round(100 * self.selesai / self.jumlah) if self.jumlah else 100


class TarikUnorSiasn(models.Model):
    """One read of SIASN's unit reference (``referensi/ref-unor``) for the organisation import (docs/rules.md
    §21.12): the unor under the instansi's root unor as SIASN listed them, kept so the admin reviews the
    differences before applying them; when and by whom they were applied."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    dimulai_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    akar_id = models.CharField("ID unor instansi di SIASN", max_length=64)
    status = models.CharField(
        "status", max_length=10, choices=StatusPenyegaran.choices, default=StatusPenyegaran.ANTRI
    )
    #: The unor of the tree, parents first: ``[{"id", "nama", "diatasan_id", "nama_jabatan", "kode_cepat"}]``.
    unor = models.JSONField("unor dari SIASN", default=list, blank=True)
    pesan = models.TextField("pesan", blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)
    diterapkan_pada = models.DateTimeField(null=True, blank=True)
    diterapkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The background job that runs it; empty for a record queued before reads ran as jobs.
    pekerjaan = models.ForeignKey(
        "pekerjaan.Pekerjaan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["unor", "pekerjaan"])

    class Meta:
        verbose_name = "pembacaan unor SIASN"
        verbose_name_plural = "pembacaan unor SIASN"
        ordering = ["-dibuat_pada", "-pk"]

    def __str__(self) -> str:
        return f"Unor SIASN {self.akar_id} ({self.status})"

    @property
    def berjalan(self) -> bool:
        return self.status in (StatusPenyegaran.ANTRI, StatusPenyegaran.BERJALAN)
