"""Carrying out the SKP (docs/rules.md §12): rencana aksi, realisasi with bukti dukung, unlocks, umpan balik.

Realisasi and rencana aksi carry a `versi` counter for optimistic locking: a save names the version it
was read at, and a stale one is refused instead of overwriting someone else's change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from kinerja.organisasi.models import Pegawai, PeriodePenilaian
from kinerja.perencanaan.models import Indikator, Rhk

DECIMAL = {"max_digits": 18, "decimal_places": 4}


class RencanaAksi(models.Model):
    """What the pegawai will do for an RHK in one periode (several per RHK and periode)."""

    # Indexed by (rhk, periode) below: what the realisasi page, the board and a save look up.
    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="rencana_aksi", db_index=False)
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
        # "These RHK in this periode" must start from the RHK: without statistics (SQLite before ANALYZE)
        # a planner given two single-column indexes may take the periode's and read a whole instansi's
        # periode. The pair also serves every lookup by RHK alone (CASCADE), so no separate RHK index.
        indexes = [models.Index(fields=["rhk", "periode_penilaian"], name="rencanaaksi_rhk_periode")]


class Realisasi(models.Model):
    """The realisasi of one indikator in one periode: a number (kuantitatif) or text, with a narrative."""

    # Indexed by the unique (indikator, periode) constraint below, which serves lookups by indikator alone.
    indikator = models.ForeignKey(
        Indikator, on_delete=models.CASCADE, related_name="realisasi", db_index=False
    )
    # Not indexed alone: on deadline day the open periode's rows grow faster than the statistics, and with
    # an index on the periode PostgreSQL would read every realisasi of the periode for each SKP of a board
    # (estimated 1 row, read 800 × 51). Reads go from the indikator (the constraint below); docs/scale.md.
    periode_penilaian = models.ForeignKey(
        PeriodePenilaian, on_delete=models.PROTECT, related_name="+", db_index=False
    )
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


class BukaKunci(models.Model):
    """The admin reopens realisasi entry of one pegawai for one periode after its deadline (audited)."""

    # Indexed by (pegawai, periode) below: the active unlock of one pegawai and periode.
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="buka_kunci", db_index=False)
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
        indexes = [models.Index(fields=["pegawai", "periode_penilaian"], name="bukakunci_pegawai_periode")]


# The rooms of this app define their own models; importing them here registers them with the app and
# keeps `kinerja.pelaksanaan.models` the one place to import any pelaksanaan model from.
from kinerja.pelaksanaan.bukti.models import BuktiDukung  # noqa: E402
from kinerja.pelaksanaan.catatan.models import CatatanKegiatan  # noqa: E402
from kinerja.pelaksanaan.dialog.models import DialogKinerja, TindakLanjutDialog  # noqa: E402
from kinerja.pelaksanaan.iiaa.models import LaporanIIAA, RencanaTindak  # noqa: E402
from kinerja.pelaksanaan.umpan_balik.models import PustakaUmpanBalik, UmpanBalik  # noqa: E402

__all__ = [
    "BukaKunci",
    "BuktiDukung",
    "CatatanKegiatan",
    "DialogKinerja",
    "LaporanIIAA",
    "PustakaUmpanBalik",
    "Realisasi",
    "RencanaAksi",
    "RencanaTindak",
    "TindakLanjutDialog",
    "UmpanBalik",
]
