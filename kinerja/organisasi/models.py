"""Organisation and people: instansi, unit kerja tree, jabatan tree, pegawai, penempatan.

Penilai and atasan penilai are never stored: they follow from the jabatan tree and who holds which
jabatan on a given date (see `selectors.rantai_penilai` and `kinerja.rules.penilai`).
Trees keep a materialised `path` ("/<id>/<id>/…/") so "everything under X" is one indexed prefix query.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kinerja.common.tampil import nip_tampil
from kinerja.common.token import TokenDasar
from kinerja.rules import JenisJabatan, JenisPenempatan, Jenjang, Konsolidasi
from kinerja.rules.angka_kredit_tahunan import BULAN_SEBAGIAN_DEFAULT, BulanSebagian
from kinerja.rules.capaian import KONSOLIDASI_RENTANG_DEFAULT
from kinerja.rules.evaluasi import ModeFinalisasi
from kinerja.rules.jadwal import Skema

JPT_VALUES = frozenset(
    j.value for j in (JenisJabatan.JPT_UTAMA, JenisJabatan.JPT_MADYA, JenisJabatan.JPT_PRATAMA)
)


class Instansi(models.Model):
    kode = models.CharField("kode", max_length=20, unique=True)
    nama = models.CharField("nama instansi", max_length=200)
    singkatan = models.CharField("singkatan", max_length=40, blank=True)
    alamat = models.CharField("alamat", max_length=300, blank=True)
    kota = models.CharField("kota (tempat penandatanganan dokumen)", max_length=80, blank=True)
    # CONFIG (docs/rules.md §11): an instansi may require the kuantitatif SKP model of every pegawai.
    skp_kuantitatif_semua = models.BooleanField("semua SKP memakai model kuantitatif", default=False)
    # CONFIG: or only the SKP of its pejabat struktural (unit heads, who report IKU capaian and IIAA).
    skp_kuantitatif_struktural = models.BooleanField(
        "SKP pejabat struktural memakai model kuantitatif", default=False
    )
    # CONFIG (docs/rules.md §12): the largest bukti dukung file, and how long an unlock of realisasi lasts.
    batas_ukuran_bukti_mb = models.PositiveSmallIntegerField("ukuran maksimal bukti dukung (MB)", default=10)
    lama_buka_kunci_hari = models.PositiveSmallIntegerField("lama buka kunci realisasi (hari)", default=7)
    # CONFIG (docs/rules.md §4): the year-to-date capaian of a range target stored with "sum"
    # (a range is never summed): the average or the last of its period capaian.
    konsolidasi_rentang = models.CharField(
        "capaian s.d. periode untuk target rentang",
        max_length=10,
        choices=[
            (Konsolidasi.AVERAGE.value, "Rata-rata capaian periode"),
            (Konsolidasi.LAST.value, "Capaian periode terakhir"),
        ],
        default=KONSOLIDASI_RENTANG_DEFAULT.value,
    )
    # CONFIG (docs/rules.md §14.2): a violated pola distribusi only warns (finalising then needs a reason) or
    # blocks finalisation; the group checked is the bawahan of one penilai or everyone rated in the penilai's
    # unit.
    distribusi_mode = models.CharField(
        "pelanggaran pola distribusi",
        max_length=12,
        choices=ModeFinalisasi.choices(),
        default=ModeFinalisasi.PERINGATAN.value,
    )
    kelompok_distribusi = models.CharField(
        "kelompok pola distribusi",
        max_length=10,
        choices=[
            ("penilai", "Bawahan satu pejabat penilai"),
            ("unit", "Seluruh pegawai yang dinilai di unit"),
        ],
        default="penilai",
    )
    # CONFIG (docs/rules.md §3.8): a group with fewer pegawai in its curve gets the curve as
    # advice only (never blocks, never needs a reason).
    minimal_kelompok_distribusi = models.PositiveSmallIntegerField(
        "jumlah minimal pegawai kelompok pola distribusi", default=5
    )
    # CONFIG (docs/rules.md §13.4): least average IKU capaian (percent) per capaian organisasi, as
    # `kinerja.rules.rating.AmbangCapaianOrganisasi.to_dict()` writes it; empty = no suggestion.
    ambang_capaian_organisasi = models.JSONField("ambang saran capaian organisasi", null=True, blank=True)
    # CONFIG (docs/rules.md §13.1): "sebagian besar" / "sebagian kecil" of the suggested ratings, as
    # `kinerja.rules.rating.AmbangRating.to_dict()` writes it; empty = the defaults (1/2 and 1/3).
    ambang_rating = models.JSONField("ambang saran rating", null=True, blank=True)
    # CONFIG (docs/rules.md §2, UNSURE): capaian organisasi -> rating hasil kerja of the head of a unit, as
    # {capaian value: rating value} for all five levels; empty = `kinerja.rules.kuadran.PIMPINAN_DEFAULT`.
    pemetaan_rating_pimpinan = models.JSONField("rating hasil kerja pimpinan unit", null=True, blank=True)
    # CONFIG (docs/rules.md §16, kinerja.rules.keberatan): the keberatan windows in calendar days, and whether
    # a periodic predikat may be objected to as well (default: only the annual one).
    keberatan_hari_pengajuan = models.PositiveSmallIntegerField(
        "batas pengajuan keberatan (hari sejak dokumen terbit)", default=14
    )
    keberatan_hari_penjelasan = models.PositiveSmallIntegerField(
        "batas penjelasan pejabat penilai (hari sejak keberatan diajukan)", default=5
    )
    keberatan_hari_keputusan = models.PositiveSmallIntegerField(
        "batas keputusan atasan pejabat penilai (hari sejak keberatan diajukan)", default=14
    )
    keberatan_periodik = models.BooleanField("keberatan atas predikat periodik diizinkan", default=False)
    # CONFIG (docs/rules.md §17, PP 30/2019): the predikat that count as "not meeting the kinerja target" for
    # the sanksi review list, as a list of `Predikat` values; empty = Kurang/Misconduct and Sangat Kurang.
    predikat_tinjauan_sanksi = models.JSONField("predikat untuk tinjauan sanksi", null=True, blank=True)
    # CONFIG (docs/rules.md §5): how a month an SKP covers only in part counts for angka kredit.
    bulan_sebagian_angka_kredit = models.CharField(
        "bulan sebagian pada angka kredit",
        max_length=16,
        choices=BulanSebagian.choices(),
        default=BULAN_SEBAGIAN_DEFAULT.value,
    )
    # The letterhead (kop) of the documents it issues (docs/rules.md §31): the government it belongs to on
    # the top line, its contacts under its name, its logo on the left; the Garuda on the forms that carry it.
    nama_induk = models.CharField(
        "pemerintah induk (baris atas kop)",
        max_length=200,
        blank=True,
        help_text="Mis. PEMERINTAH KABUPATEN X.",
    )
    telepon = models.CharField("telepon", max_length=60, blank=True)
    surel = models.EmailField("surel", blank=True)
    laman = models.CharField("laman", max_length=200, blank=True)
    logo = models.FileField("logo kop", upload_to="instansi/logo/", blank=True, max_length=300)
    lambang_garuda = models.FileField(
        "lambang Garuda Pancasila", upload_to="instansi/lambang/", blank=True, max_length=300
    )
    # CONFIG (docs/rules.md §30): a second sign-in factor (TOTP) required of the admins and of the penilai.
    wajib_2fa_admin = models.BooleanField("admin wajib memakai verifikasi dua langkah", default=False)
    wajib_2fa_penilai = models.BooleanField(
        "pejabat penilai wajib memakai verifikasi dua langkah", default=False
    )
    # CONFIG (docs/rules.md §34): the reminder the day after a workday without catatan kegiatan.
    pengingat_catatan = models.CharField(
        "pengingat catatan kegiatan",
        max_length=12,
        choices=[
            ("nonaktif", "Tidak ada pengingat"),
            ("aplikasi", "Di aplikasi"),
            ("surel", "Di aplikasi dan surel"),
        ],
        default="aplikasi",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "instansi"
        verbose_name_plural = "instansi"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class TreeNode(models.Model):
    """Shared shape of the two trees (unit kerja, jabatan): parent link plus materialised path."""

    path = models.CharField(max_length=400, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        abstract = True

    def computed_path(self) -> str:
        parent = getattr(self, "parent", None)
        return f"{parent.path if parent else '/'}{self.pk}/"

    def is_within(self, other: TreeNode) -> bool:
        """True when self is `other` or lies below it."""
        return self.path.startswith(other.path)


class UnitKerja(TreeNode):
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="unit_kerja")
    kode = models.CharField("kode unit", max_length=30)
    nama = models.CharField("nama unit kerja", max_length=200)
    #: SIASN's unor id, set by the organisation import from SIASN: a re-sync matches units by it, never by
    #: name (docs/rules.md §21.12). Empty for units made here or by the Excel import.
    siasn_id = models.CharField("ID unor SIASN", max_length=64, blank=True, default="", db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="unit induk",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    history = HistoricalRecords(excluded_fields=["path", "depth"])

    class Meta:
        verbose_name = "unit kerja"
        verbose_name_plural = "unit kerja"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "kode"], name="unit_kode_unik_per_instansi")
        ]

    def __str__(self) -> str:
        return self.nama


class Jabatan(TreeNode):
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="jabatan")
    unit = models.ForeignKey(
        UnitKerja, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="jabatan"
    )
    kode = models.CharField("kode jabatan", max_length=30)
    nama = models.CharField("nama jabatan", max_length=200)
    jenis = models.CharField("jenis jabatan", max_length=20, choices=JenisJabatan.choices())
    jenjang = models.CharField(
        "jenjang (jabatan fungsional)", max_length=20, choices=Jenjang.choices(), blank=True, default=""
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="jabatan atasan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    pimpinan_unit = models.BooleanField("pimpinan unit kerja", default=False)
    unit_kerja_mandiri = models.BooleanField("pimpinan unit kerja mandiri", default=False)
    # Formasi (docs/rules.md §8.1): how many pegawai a jabatan fungsional/pelaksana row is meant to hold;
    # empty = not set. More holders only warn. A leadership jabatan always has one definitif holder.
    formasi = models.PositiveSmallIntegerField(
        "formasi (jumlah pemangku)",
        null=True,
        blank=True,
        help_text="Untuk jabatan fungsional dan pelaksana: jumlah pegawai menurut formasi/ABK. "
        "Kosong = tidak ditetapkan. Jabatan pimpinan selalu satu pemangku.",
    )
    # Kelas jabatan (1–17) keys the TPP pagu table (docs/rules.md §28); empty = not set.
    kelas_jabatan = models.PositiveSmallIntegerField(
        "kelas jabatan",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(17)],
    )
    history = HistoricalRecords(excluded_fields=["path", "depth"])

    class Meta:
        verbose_name = "jabatan"
        verbose_name_plural = "jabatan"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "kode"], name="jabatan_kode_unik_per_instansi"),
            models.CheckConstraint(
                condition=Q(jenis=JenisJabatan.FUNGSIONAL.value) | Q(jenjang=""),
                name="jenjang_hanya_untuk_fungsional",
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def is_jpt(self) -> bool:
        return self.jenis in JPT_VALUES


class JenisAsn(models.TextChoices):
    PNS = "pns", "PNS"
    PPPK = "pppk", "PPPK"


PANGKAT_PNS = [
    ("I/a", "Juru Muda (I/a)"),
    ("I/b", "Juru Muda Tingkat I (I/b)"),
    ("I/c", "Juru (I/c)"),
    ("I/d", "Juru Tingkat I (I/d)"),
    ("II/a", "Pengatur Muda (II/a)"),
    ("II/b", "Pengatur Muda Tingkat I (II/b)"),
    ("II/c", "Pengatur (II/c)"),
    ("II/d", "Pengatur Tingkat I (II/d)"),
    ("III/a", "Penata Muda (III/a)"),
    ("III/b", "Penata Muda Tingkat I (III/b)"),
    ("III/c", "Penata (III/c)"),
    ("III/d", "Penata Tingkat I (III/d)"),
    ("IV/a", "Pembina (IV/a)"),
    ("IV/b", "Pembina Tingkat I (IV/b)"),
    ("IV/c", "Pembina Utama Muda (IV/c)"),
    ("IV/d", "Pembina Utama Madya (IV/d)"),
    ("IV/e", "Pembina Utama (IV/e)"),
]
ROMAWI_PPPK = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
ROMAWI_PPPK += ["X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"]
GOLONGAN_PPPK = [(g, f"Golongan {g}") for g in ROMAWI_PPPK]
PANGKAT_GOLONGAN_CHOICES = [("PNS", PANGKAT_PNS), ("PPPK", GOLONGAN_PPPK)]
PANGKAT_LABEL = dict(PANGKAT_PNS + GOLONGAN_PPPK)


class Pegawai(models.Model):
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="pegawai")
    nip = models.CharField("NIP", max_length=18, unique=True)
    nama = models.CharField("nama (tanpa gelar)", max_length=150)
    gelar_depan = models.CharField("gelar depan", max_length=40, blank=True)
    gelar_belakang = models.CharField("gelar belakang", max_length=60, blank=True)
    jenis_asn = models.CharField("jenis ASN", max_length=4, choices=JenisAsn.choices, default=JenisAsn.PNS)
    pangkat_golongan = models.CharField(
        "pangkat/golongan", max_length=6, choices=PANGKAT_GOLONGAN_CHOICES, blank=True
    )
    email = models.EmailField("email", blank=True)
    aktif = models.BooleanField("aktif", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"
        ordering = ["nama"]
        indexes = [models.Index(fields=["instansi", "nama"])]

    def __str__(self) -> str:
        return self.nama_lengkap

    @property
    def nama_lengkap(self) -> str:
        depan = f"{self.gelar_depan} " if self.gelar_depan else ""
        belakang = f", {self.gelar_belakang}" if self.gelar_belakang else ""
        return f"{depan}{self.nama}{belakang}"

    @property
    def pangkat_label(self) -> str:
        return PANGKAT_LABEL.get(self.pangkat_golongan, self.pangkat_golongan or "-")

    @property
    def nip_tampil(self) -> str:
        return nip_tampil(self.nip)


class IdentitasSnapshot(models.Model):
    """Name, NIP, pangkat/golongan, jabatan and unit of the pegawai, the penilai and the atasan penilai as
    they were when the record was made (docs/rules.md §8.2): an SKP keeps them as at planning, an evaluation
    as at evaluation, whatever later happens to the pegawai and jabatan rows. Inherited by
    `perencanaan.Skp` and `penilaian.Evaluasi`; filled by `identitas_values` (from the rows) and
    `copy_identitas` (from another snapshot)."""

    pegawai_nama = models.CharField(max_length=200)
    pegawai_nip = models.CharField(max_length=18)
    pegawai_pangkat = models.CharField(max_length=60, blank=True)
    pegawai_jabatan = models.CharField(max_length=200)
    pegawai_unit = models.CharField(max_length=200)
    penilai_nama = models.CharField(max_length=200, blank=True)
    penilai_nip = models.CharField(max_length=18, blank=True)
    penilai_pangkat = models.CharField(max_length=60, blank=True)
    penilai_jabatan_nama = models.CharField(max_length=200, blank=True)
    penilai_unit = models.CharField(max_length=200, blank=True)
    atasan_nama = models.CharField(max_length=200, blank=True)
    atasan_nip = models.CharField(max_length=18, blank=True)
    atasan_pangkat = models.CharField(max_length=60, blank=True)
    atasan_jabatan_nama = models.CharField(max_length=200, blank=True)
    atasan_unit = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def identitas_fields(pihak: str, pegawai: Pegawai | None, jabatan: Jabatan | None) -> dict[str, str]:
        """The snapshot fields of one party from the current pegawai and jabatan rows (all empty when the
        party has nobody, e.g. the PPK's penilai)."""
        # "penilai_jabatan" and "atasan_penilai" are the foreign keys; the names carry "_nama".
        jabatan_field = "pegawai_jabatan" if pihak == "pegawai" else f"{pihak}_jabatan_nama"
        if pegawai is None or jabatan is None:
            return dict.fromkeys(
                (f"{pihak}_nama", f"{pihak}_nip", f"{pihak}_pangkat", jabatan_field, f"{pihak}_unit"), ""
            )
        return {
            f"{pihak}_nama": pegawai.nama_lengkap,
            f"{pihak}_nip": pegawai.nip,
            f"{pihak}_pangkat": pegawai.pangkat_label if pegawai.pangkat_golongan else "",
            jabatan_field: jabatan.nama,
            f"{pihak}_unit": jabatan.unit.nama,
        }

    @classmethod
    def identitas_values(
        cls, pegawai: Pegawai, jabatan: Jabatan, penilai: Any, atasan: Any
    ) -> dict[str, str]:
        """Every snapshot field: the pegawai in their jabatan, then the penilai and the atasan penilai, each
        a holder of a jabatan (`.pegawai`, `.jabatan`, as `selectors.rantai_penilai` gives them) or None."""
        return {
            **cls.identitas_fields("pegawai", pegawai, jabatan),
            **cls.identitas_fields(
                "penilai", *((penilai.pegawai, penilai.jabatan) if penilai else (None, None))
            ),
            **cls.identitas_fields("atasan", *((atasan.pegawai, atasan.jabatan) if atasan else (None, None))),
        }

    def copy_identitas(self, sumber: IdentitasSnapshot) -> None:
        """Copy every snapshot field from another record (an evaluation from its SKP)."""
        for name in IDENTITAS_FIELDS:
            setattr(self, name, getattr(sumber, name))


#: The names of the snapshot fields, in declaration order.
IDENTITAS_FIELDS = tuple(f.name for f in IdentitasSnapshot._meta.local_fields)


class PenempatanQuerySet(models.QuerySet["Penempatan"]):
    def aktif_pada(self, tanggal: datetime.date) -> PenempatanQuerySet:
        return self.filter(Q(selesai__isnull=True) | Q(selesai__gte=tanggal), mulai__lte=tanggal)


class Penempatan(models.Model):
    """A pegawai holds a jabatan from `mulai` to `selesai` (inclusive; open-ended when empty).

    PLT/PLH are acting appointments held in addition to the pegawai's own definitif jabatan.
    """

    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="penempatan")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="penempatan")
    jenis = models.CharField(
        "jenis penempatan",
        max_length=10,
        choices=JenisPenempatan.choices(),
        default=JenisPenempatan.DEFINITIF.value,
    )
    mulai = models.DateField("TMT mulai")
    selesai = models.DateField("sampai", null=True, blank=True)
    nomor_sk = models.CharField("nomor SK", max_length=100, blank=True)
    history = HistoricalRecords()

    objects = PenempatanQuerySet.as_manager()

    class Meta:
        verbose_name = "penempatan"
        verbose_name_plural = "penempatan"
        ordering = ["-mulai"]
        indexes = [models.Index(fields=["jabatan", "mulai"]), models.Index(fields=["pegawai", "mulai"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(selesai__isnull=True) | Q(selesai__gte=models.F("mulai")),
                name="penempatan_selesai_setelah_mulai",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pegawai} — {self.jabatan} ({self.get_jenis_display()})"


class Periode(models.Model):
    """A performance year of an instansi with its periodic scheme and deadlines (docs/rules.md §7, CONFIG)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="periode")
    tahun = models.PositiveSmallIntegerField("tahun")
    skema = models.CharField(
        "skema evaluasi periodik", max_length=12, choices=Skema.choices(), default=Skema.TRIWULANAN.value
    )
    batas_skp = models.DateField("batas persetujuan SKP")
    batas_evaluasi_tahunan = models.DateField("batas evaluasi tahunan")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "periode"
        verbose_name_plural = "periode"
        ordering = ["-tahun"]
        constraints = [models.UniqueConstraint(fields=["instansi", "tahun"], name="periode_tahun_unik")]

    def __str__(self) -> str:
        return f"Tahun {self.tahun}"


class PeriodePenilaian(models.Model):
    """One periodic evaluation window of a year (a month, triwulan or semester)."""

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE, related_name="periode_penilaian")
    nomor = models.PositiveSmallIntegerField("nomor")
    nama = models.CharField("nama", max_length=40)
    mulai = models.DateField("mulai")
    selesai = models.DateField("selesai")
    batas_realisasi = models.DateField("batas pengisian realisasi")
    batas_evaluasi = models.DateField("batas evaluasi periodik")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "periode penilaian"
        verbose_name_plural = "periode penilaian"
        ordering = ["periode", "nomor"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "nomor"], name="periode_penilaian_nomor_unik")
        ]

    def __str__(self) -> str:
        return f"{self.nama} {self.periode.tahun}"


class User(AbstractUser):
    """A login. Pegawai log in with their NIP; an admin kepegawaian may have no pegawai record.

    Penilai and atasan rights are never flags here: they come from the org tree.
    """

    pegawai = models.OneToOneField(
        Pegawai, null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    admin_instansi = models.ForeignKey(
        Instansi,
        verbose_name="admin kepegawaian instansi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admin_users",
    )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # `_password` is set only by set_password(); Django's re-hash on login clears it before saving, so
        # only a real change counts. API tokens end with the password (docs/rules.md §24.2), whichever
        # path changed it: the password change page, the admin's "Atur kata sandi", a reset, the shell.
        password_changed = self.pk is not None and self._password is not None
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(user=self).delete()


class ApiToken(TokenDasar):
    """A personal API token ("Authorization: Bearer <token>"); only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    nama = models.CharField("nama token", max_length=100)

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        ordering = ["-dibuat_pada"]


class PembukaanKunciAkun(models.Model):
    """The admin kepegawaian unlocked a login locked after repeated wrong passwords (docs/rules.md §24.1)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pembukaan_kunci")
    dibuka_oleh = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    dibuka_pada = models.DateTimeField(auto_now_add=True)
    alasan = models.TextField()
    jumlah_gagal = models.PositiveIntegerField("jumlah percobaan gagal yang dihapus")

    class Meta:
        verbose_name = "pembukaan kunci akun"
        verbose_name_plural = "pembukaan kunci akun"
        ordering = ["-dibuka_pada"]

    def __str__(self) -> str:
        return f"{self.user} dibuka {self.dibuka_pada:%Y-%m-%d %H:%M}"


class ResetDuaLangkah(models.Model):
    """The admin kepegawaian removed a pegawai's two-step devices (a lost phone), with a reason (§30)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reset_dua_langkah")
    direset_oleh = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    direset_pada = models.DateTimeField(auto_now_add=True)
    alasan = models.TextField()
    jumlah_perangkat = models.PositiveIntegerField("jumlah perangkat yang dihapus")

    class Meta:
        verbose_name = "reset verifikasi dua langkah"
        verbose_name_plural = "reset verifikasi dua langkah"
        ordering = ["-direset_pada"]

    def __str__(self) -> str:
        return f"{self.user} direset {self.direset_pada:%Y-%m-%d %H:%M}"


class ImporTertunda(models.Model):
    """An uploaded organisation workbook kept between its preview and its application (docs/rules.md §26).

    Only the admin who uploaded it may apply it, into the instansi it was checked for, before it expires;
    it is checked again when applied and deleted afterwards.
    """

    kode = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    nama_berkas = models.CharField(max_length=255)
    isi = models.BinaryField()
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "impor tertunda"
        verbose_name_plural = "impor tertunda"
