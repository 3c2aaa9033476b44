"""Kehadiran and TPP (docs/rules.md §27–§28).

The working calendar of an instansi (schedules per unit, dated variants, shifts, holidays), attendance
machines and their PIN ↔ pegawai mapping, the taps themselves, absences and correction requests decided
by the atasan, and the TPP side: the versioned pagu table, versioned rule sets, disciplinary events, the
month's state (open / closed) and each pegawai's computed TPP. The rules themselves are in
`kinerja.rules.kehadiran` and `kinerja.rules.tpp`; writes are in the services of each feature.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, UnitKerja
from kinerja.penilaian.models import VersiTetap
from kinerja.rules.jenis_hari import KETIDAKHADIRAN, JenisHari
from kinerja.rules.tpp import JenisPeristiwa, TingkatHukuman

JENIS_KETIDAKHADIRAN_CHOICES = [(j.value, j.label) for j in JenisHari if j in KETIDAKHADIRAN]
JENIS_LIBUR_CHOICES = [(j.value, j.label) for j in (JenisHari.LIBUR, JenisHari.CUTI_BERSAMA)]


class StatusPengajuan(models.TextChoices):
    DIAJUKAN = "diajukan", "Menunggu persetujuan"
    DISETUJUI = "disetujui", "Disetujui"
    DITOLAK = "ditolak", "Ditolak"
    DIBATALKAN = "dibatalkan", "Dibatalkan"


# --- the working calendar -------------------------------------------------------------------------------


class JadwalKerja(models.Model):
    """The weekly schedule of an instansi (``unit`` empty) or of one unit and the units below it (the
    nearest unit up the tree with a schedule of its own wins).

    ``hari`` maps weekday numbers as strings ("0" Senin … "6" Minggu, as in `kinerja.rules.kehadiran`) to
    ``{"masuk": "07:30", "pulang": "16:00", "istirahat": 60}``; a weekday not in it is not a working day
    (5 or 6 working days per unit)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(UnitKerja, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    nama = models.CharField("nama jadwal", max_length=100)
    hari = models.JSONField("jam kerja per hari")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "jadwal kerja"
        verbose_name_plural = "jadwal kerja"
        ordering = ["instansi", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi"], condition=Q(unit__isnull=True), name="jadwal_kerja_instansi_unik"
            ),
            models.UniqueConstraint(fields=["unit"], name="jadwal_kerja_unit_unik"),
        ]

    def __str__(self) -> str:
        return self.nama


class VarianJadwal(models.Model):
    """A dated schedule that replaces the weekly one from ``mulai`` to ``selesai`` (Ramadan from 08.00),
    for the whole instansi (``unit`` empty) or one unit and the units below it. ``hari`` as in
    `JadwalKerja`."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(UnitKerja, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    nama = models.CharField("nama", max_length=100)
    mulai = models.DateField("mulai")
    selesai = models.DateField("selesai")
    hari = models.JSONField("jam kerja per hari")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "varian jadwal"
        verbose_name_plural = "varian jadwal"
        ordering = ["instansi", "mulai"]
        constraints = [
            models.CheckConstraint(condition=Q(selesai__gte=models.F("mulai")), name="varian_selesai_setelah")
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.mulai} – {self.selesai})"


class Shift(models.Model):
    """A named shift of an instansi (pagi, malam …); ``pulang`` before ``masuk`` means past midnight."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    nama = models.CharField("nama shift", max_length=60)
    masuk = models.TimeField("jam masuk")
    pulang = models.TimeField("jam pulang")
    istirahat_menit = models.PositiveSmallIntegerField("istirahat (menit)", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "shift"
        verbose_name_plural = "shift"
        ordering = ["instansi", "masuk"]
        constraints = [models.UniqueConstraint(fields=["instansi", "nama"], name="shift_nama_unik")]

    def __str__(self) -> str:
        return self.nama


class JadwalShift(models.Model):
    """One pegawai's shift on one date (beats the weekly schedule and any variant that day)."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    tanggal = models.DateField("tanggal")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="jadwal")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "jadwal shift"
        verbose_name_plural = "jadwal shift"
        ordering = ["pegawai", "tanggal"]
        constraints = [models.UniqueConstraint(fields=["pegawai", "tanggal"], name="jadwal_shift_unik")]


class TahunKalender(models.Model):
    """Whether an instansi's holiday calendar of a year has been checked by its admin: a year filled from
    the shipped national calendar stays "perlu diperiksa" until then."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField("tahun")
    diperiksa_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diperiksa_pada = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kalender libur"
        verbose_name_plural = "kalender libur"
        ordering = ["instansi", "-tahun"]
        constraints = [models.UniqueConstraint(fields=["instansi", "tahun"], name="tahun_kalender_unik")]

    @property
    def diperiksa(self) -> bool:
        return self.diperiksa_pada is not None


class HariLibur(models.Model):
    """A national holiday or a cuti bersama day in an instansi's calendar."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    tanggal = models.DateField("tanggal")
    nama = models.CharField("keterangan", max_length=150)
    jenis = models.CharField(
        "jenis", max_length=20, choices=JENIS_LIBUR_CHOICES, default=JenisHari.LIBUR.value
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "hari libur"
        verbose_name_plural = "hari libur"
        ordering = ["instansi", "tanggal"]
        constraints = [models.UniqueConstraint(fields=["instansi", "tanggal"], name="hari_libur_unik")]

    def __str__(self) -> str:
        return f"{self.tanggal}: {self.nama}"


class PengaturanKehadiran(models.Model):
    """An instansi's attendance and TPP settings (one row; missing means the defaults)."""

    instansi = models.OneToOneField(Instansi, on_delete=models.CASCADE, related_name="pengaturan_kehadiran")
    #: `kinerja.rules.kehadiran.AturanKehadiran` fields (window, how taps are read, grace, rounding).
    aturan = models.JSONField("aturan pembacaan rekaman", default=dict, blank=True)
    atasan_lihat_tpp = models.BooleanField("atasan boleh melihat TPP bawahan", default=False)
    #: The day of the next month by which the month's catatan/realisasi must be entered (docs/rules.md §28).
    batas_isi_hari = models.PositiveSmallIntegerField("batas pengisian kinerja bulanan (tanggal)", default=5)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pengaturan kehadiran"
        verbose_name_plural = "pengaturan kehadiran"


# --- attendance -----------------------------------------------------------------------------------------


class MesinPresensi(models.Model):
    """A fingerprint / face attendance machine of the instansi."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    nama = models.CharField("nama mesin", max_length=100)
    nomor_seri = models.CharField("nomor seri", max_length=60, blank=True)
    lokasi = models.CharField("lokasi", max_length=150, blank=True)
    #: The machine enrols pegawai with their NIP as PIN: no mapping rows needed.
    pin_adalah_nip = models.BooleanField("PIN mesin = NIP", default=False)
    aktif = models.BooleanField("aktif", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "mesin presensi"
        verbose_name_plural = "mesin presensi"
        ordering = ["instansi", "nama"]
        constraints = [models.UniqueConstraint(fields=["instansi", "nama"], name="mesin_nama_unik")]

    def __str__(self) -> str:
        return self.nama


class PinMesin(models.Model):
    """The PIN a pegawai is enrolled under on one machine."""

    mesin = models.ForeignKey(MesinPresensi, on_delete=models.CASCADE, related_name="pin")
    pin = models.CharField("PIN", max_length=24)
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "PIN mesin"
        verbose_name_plural = "PIN mesin"
        ordering = ["mesin", "pin"]
        constraints = [models.UniqueConstraint(fields=["mesin", "pin"], name="pin_mesin_unik")]


class SumberRekaman(models.TextChoices):
    MESIN = "mesin", "Mesin presensi (impor attlog)"
    LEMBAR = "lembar", "Impor lembar kerja"
    API = "api", "Sistem presensi (API)"
    KOREKSI = "koreksi", "Koreksi disetujui"


class ImporKehadiran(models.Model):
    """One import of an attendance file: what it was, what it added, what it refused and why.

    ``sha256`` of the file lets the page say "berkas ini sudah pernah diimpor"; re-importing changes
    nothing either way, because a tap is unique per pegawai and second."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    jenis = models.CharField(
        "jenis berkas", max_length=10, choices=[("attlog", "Attlog ZKTeco"), ("lembar", "Lembar kerja")]
    )
    mesin = models.ForeignKey(
        MesinPresensi, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nama_berkas = models.CharField("nama berkas", max_length=200)
    sha256 = models.CharField(max_length=64)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    pekerjaan = models.ForeignKey(
        "pekerjaan.Pekerjaan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jumlah_baris = models.PositiveIntegerField(default=0)
    jumlah_baru = models.PositiveIntegerField(default=0)
    jumlah_sudah_ada = models.PositiveIntegerField(default=0)
    #: ``[{"baris": 12, "isi": "…", "alasan": "…"}, …]`` (the first 1 000; ``jumlah_ditolak`` counts all).
    ditolak = models.JSONField(default=list, blank=True)
    jumlah_ditolak = models.PositiveIntegerField(default=0)
    selesai_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "impor kehadiran"
        verbose_name_plural = "impor kehadiran"
        ordering = ["-dibuat_pada", "-pk"]


class Rekaman(models.Model):
    """One attendance tap of a pegawai. Unique per pegawai and second: the same tap from a file imported
    twice, pushed twice, or from two machines at once is one record (imports stay idempotent)."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    waktu = models.DateTimeField("waktu")
    sumber = models.CharField("sumber", max_length=10, choices=SumberRekaman.choices)
    mesin = models.ForeignKey(
        MesinPresensi, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    impor = models.ForeignKey(
        ImporKehadiran, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    koreksi = models.ForeignKey(
        "KoreksiKehadiran", null=True, blank=True, on_delete=models.CASCADE, related_name="rekaman"
    )

    class Meta:
        verbose_name = "rekaman kehadiran"
        verbose_name_plural = "rekaman kehadiran"
        ordering = ["pegawai", "waktu"]
        constraints = [models.UniqueConstraint(fields=["pegawai", "waktu"], name="rekaman_unik")]


class Ketidakhadiran(models.Model):
    """An absence that excuses working days (cuti by type, dinas luar, izin, sakit, tugas belajar),
    requested by the pegawai (or entered by the admin) with its bukti and decided by the atasan."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    jenis = models.CharField("jenis", max_length=24, choices=JENIS_KETIDAKHADIRAN_CHOICES)
    mulai = models.DateField("mulai")
    selesai = models.DateField("sampai")
    keterangan = models.TextField("keterangan", blank=True)
    bukti = models.FileField("bukti", upload_to="kehadiran/bukti/%Y/%m/", blank=True)
    status = models.CharField(
        max_length=10, choices=StatusPengajuan.choices, default=StatusPengajuan.DIAJUKAN
    )
    diajukan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diajukan_pada = models.DateTimeField(auto_now_add=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    catatan_keputusan = models.TextField("catatan keputusan", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ketidakhadiran"
        verbose_name_plural = "ketidakhadiran"
        ordering = ["-mulai", "-pk"]
        indexes = [models.Index(fields=["pegawai", "mulai"], name="ketidakhadiran_pegawai_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(selesai__gte=models.F("mulai")), name="ketidakhadiran_rentang")
        ]


class JenisKoreksi(models.TextChoices):
    LUPA = "lupa", "Lupa merekam"
    MESIN_RUSAK = "mesin_rusak", "Mesin presensi rusak / mati"
    LAINNYA = "lainnya", "Lainnya"


class KoreksiKehadiran(models.Model):
    """A correction request for one day (a missed tap, a broken machine): the times the pegawai says they
    came and/or left. Once approved by the atasan it adds taps (`Rekaman` with ``sumber=koreksi``)."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    tanggal = models.DateField("tanggal")
    jenis = models.CharField("jenis", max_length=12, choices=JenisKoreksi.choices)
    masuk = models.TimeField("jam masuk", null=True, blank=True)
    pulang = models.TimeField("jam pulang", null=True, blank=True)
    alasan = models.TextField("alasan")
    bukti = models.FileField("bukti", upload_to="kehadiran/koreksi/%Y/%m/", blank=True)
    status = models.CharField(
        max_length=10, choices=StatusPengajuan.choices, default=StatusPengajuan.DIAJUKAN
    )
    diajukan_pada = models.DateTimeField(auto_now_add=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    catatan_keputusan = models.TextField("catatan keputusan", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "koreksi kehadiran"
        verbose_name_plural = "koreksi kehadiran"
        ordering = ["-tanggal", "-pk"]
        indexes = [models.Index(fields=["pegawai", "tanggal"], name="koreksi_pegawai_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(masuk__isnull=False) | Q(pulang__isnull=False), name="koreksi_ada_jam"
            )
        ]


# --- TPP ------------------------------------------------------------------------------------------------


class TabelPaguTpp(VersiTetap):
    """One version of the instansi's TPP pagu table (monthly gross before cuts), in force from
    ``berlaku_mulai``. Immutable like every `VersiTetap`; its rows are `PaguTpp`."""

    berlaku_mulai = models.DateField("berlaku mulai")

    class Meta(VersiTetap.Meta):
        verbose_name = "tabel pagu TPP"
        verbose_name_plural = "tabel pagu TPP"
        constraints = [
            models.UniqueConstraint(fields=["instansi", "versi"], name="tabel_pagu_tpp_versi_unik")
        ]

    def __str__(self) -> str:
        return f"Tabel pagu TPP versi {self.versi}"


class PaguTpp(models.Model):
    """One row of a pagu table: for a jabatan, or for every jabatan of a kelas jabatan (a jabatan row beats
    its kelas row)."""

    tabel = models.ForeignKey(TabelPaguTpp, on_delete=models.CASCADE, related_name="baris")
    jabatan = models.ForeignKey(Jabatan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kelas_jabatan = models.PositiveSmallIntegerField("kelas jabatan", null=True, blank=True)
    pagu = models.DecimalField("pagu TPP per bulan (Rp)", max_digits=14, decimal_places=0)

    class Meta:
        verbose_name = "pagu TPP"
        verbose_name_plural = "pagu TPP"
        ordering = ["tabel", "-kelas_jabatan", "jabatan"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jabatan__isnull=False) | Q(kelas_jabatan__isnull=False), name="pagu_tpp_kunci"
            ),
            models.UniqueConstraint(
                fields=["tabel", "jabatan"], condition=Q(jabatan__isnull=False), name="pagu_tpp_jabatan_unik"
            ),
            models.UniqueConstraint(
                fields=["tabel", "kelas_jabatan"],
                condition=Q(jabatan__isnull=True),
                name="pagu_tpp_kelas_unik",
            ),
        ]


class AturanTppInstansi(VersiTetap):
    """One version of the instansi's TPP rule set, in force from ``berlaku_mulai``: ``aturan`` is the
    `kinerja.rules.tpp.ke_dict` form of an `AturanTpp` (validated by `kinerja.rules.tpp.validasi`)."""

    nama = models.CharField("nama aturan", max_length=150)
    aturan = models.JSONField("aturan TPP")
    berlaku_mulai = models.DateField("berlaku mulai")

    class Meta(VersiTetap.Meta):
        verbose_name = "aturan TPP"
        verbose_name_plural = "aturan TPP"
        constraints = [models.UniqueConstraint(fields=["instansi", "versi"], name="aturan_tpp_versi_unik")]

    def __str__(self) -> str:
        return f"{self.nama} (versi {self.versi})"


class PeristiwaDisiplin(models.Model):
    """A missed apel or an atribut violation on a date, recorded by the admin (audited)."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    tanggal = models.DateField("tanggal")
    jenis = models.CharField("jenis", max_length=10, choices=[(j.value, j.label) for j in JenisPeristiwa])
    keterangan = models.CharField("keterangan", max_length=200, blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pelanggaran disiplin harian"
        verbose_name_plural = "pelanggaran disiplin harian"
        ordering = ["pegawai", "tanggal"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tanggal", "jenis"], name="peristiwa_disiplin_unik")
        ]


class HukumanDisiplinPegawai(models.Model):
    """A hukuman disiplin decision (PP 94/2021): its level cuts the TPP for the months the rule set says,
    counted from the decision date."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    tanggal = models.DateField("tanggal keputusan")
    tingkat = models.CharField("tingkat", max_length=10, choices=[(t.value, t.label) for t in TingkatHukuman])
    nomor_sk = models.CharField("nomor keputusan", max_length=100)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "hukuman disiplin"
        verbose_name_plural = "hukuman disiplin"
        ordering = ["pegawai", "-tanggal"]


class BulanTpp(models.Model):
    """The TPP month of an instansi: open (computed and recomputed) or closed (immutable; reopened only
    with a reason, kept in the history)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField("tahun")
    bulan = models.PositiveSmallIntegerField("bulan")
    ditutup = models.BooleanField("ditutup", default=False)
    ditutup_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ditutup_pada = models.DateTimeField(null=True, blank=True)
    alasan_buka = models.TextField("alasan membuka kembali", blank=True)
    dihitung_pada = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bulan TPP"
        verbose_name_plural = "bulan TPP"
        ordering = ["instansi", "-tahun", "-bulan"]
        constraints = [models.UniqueConstraint(fields=["instansi", "tahun", "bulan"], name="bulan_tpp_unik")]

    def __str__(self) -> str:
        return f"TPP {self.bulan:02d}/{self.tahun}"


class TppPegawai(models.Model):
    """One pegawai's computed TPP of a month: the totals and, in ``hasil``, every explained line (the
    `kinerja.rules.tpp.HasilTpp` as JSON). Rewritten while the month is open; frozen once it is closed."""

    bulan = models.ForeignKey(BulanTpp, on_delete=models.CASCADE, related_name="tpp")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UnitKerja, null=True, on_delete=models.PROTECT, related_name="+")
    jabatan = models.ForeignKey(Jabatan, null=True, on_delete=models.PROTECT, related_name="+")
    aturan = models.ForeignKey(AturanTppInstansi, on_delete=models.PROTECT, related_name="+")
    tabel_pagu = models.ForeignKey(TabelPaguTpp, on_delete=models.PROTECT, related_name="+")
    pagu = models.DecimalField(max_digits=14, decimal_places=0)
    potongan = models.DecimalField(max_digits=14, decimal_places=0)
    faktor_kinerja = models.DecimalField(max_digits=7, decimal_places=2)
    bruto = models.DecimalField(max_digits=14, decimal_places=0)
    hasil = models.JSONField()
    dihitung_pada = models.DateTimeField()

    class Meta:
        verbose_name = "TPP pegawai"
        verbose_name_plural = "TPP pegawai"
        ordering = ["bulan", "unit", "pegawai"]
        constraints = [models.UniqueConstraint(fields=["bulan", "pegawai"], name="tpp_pegawai_unik")]
