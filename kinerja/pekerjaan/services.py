"""Starting, running and restarting background jobs (docs/architecture.md "Background jobs").

A stage runs its long work as a job with :func:`mulai`: it names the work by a key (one queued or running
job per key: a second press gets the same job back), gives a module-level function
``fungsi(laporan: Laporan, **parameter)`` and JSON parameters. The worker (`tasks.jalankan_pekerjaan`)
calls it; the function reports its progress with ``laporan.langkah(done, total, teks)``, attaches its file
with ``laporan.hasil(isi, nama_berkas)`` and may say what it did with ``laporan.ringkas(teks)``. What it
raises fails the job: a ValidationError, PermissionDenied or :class:`GagalPekerjaan` with its own message,
anything else with a general one (the traceback goes to the log). The caller checks the right to start the
work before calling ``mulai`` (its own service, with `require`).

The function must not hold one transaction across the whole run: progress written inside it is visible to
the page only when it commits.
"""

from __future__ import annotations

import datetime
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from kinerja.pekerjaan.models import AKTIF, DetakPekerja, Pekerjaan, Status

logger = logging.getLogger(__name__)

#: The reporter writes progress at most this often (seconds); the first and the last step always.
JEDA_LAPORAN = 0.5

PESAN_TERHENTI = (
    "Pekerjaan terhenti: pekerja latar berhenti di tengah jalan (server dimulai ulang atau gangguan). "
    "Silakan mulai ulang."
)


class GagalPekerjaan(Exception):
    """Raised by a job's function with a message for the user (Bahasa Indonesia)."""

    def __init__(self, pesan: str) -> None:
        super().__init__(pesan)
        self.pesan = pesan


class PekerjaanDiambilAlih(Exception):
    """The job's record is no longer running (restarted after a stall): this run stops quietly."""


def _jalur(fungsi: Callable[..., Any] | str) -> str:
    if isinstance(fungsi, str):
        return fungsi
    jalur = f"{fungsi.__module__}:{fungsi.__qualname__}"
    try:
        ditemukan = _impor(jalur)
    except (ImportError, AttributeError):
        ditemukan = None
    if ditemukan is not fungsi:
        raise ValueError(f"{jalur} bukan fungsi tingkat modul: pekerja latar tidak dapat menemukannya.")
    return jalur


def _impor(jalur: str) -> Callable[..., Any]:
    modul, _, nama = jalur.partition(":")
    obj: Any = importlib.import_module(modul)
    for bagian in nama.split("."):
        obj = getattr(obj, bagian)
    return obj  # type: ignore[no-any-return]


def mulai(
    jenis: str,
    kunci: str,
    pemilik: Any,
    instansi: Any,
    judul: str,
    fungsi: Callable[..., Any] | str,
    /,
    **parameter: Any,
) -> Pekerjaan:
    """Queue ``fungsi(laporan, **parameter)`` as a job for ``pemilik``, or give the one with ``kunci`` still
    queued or running (``.baru`` tells which). A stalled one is marked failed and replaced."""
    jalur = _jalur(fungsi)
    with transaction.atomic():
        ada = Pekerjaan.objects.select_for_update().filter(kunci=kunci, status__in=AKTIF).first()
        if ada is not None:
            if not ada.terhenti:
                ada.baru = False
                return ada
            _hentikan(ada)
        try:
            with transaction.atomic():
                p = Pekerjaan.objects.create(
                    jenis=jenis,
                    kunci=kunci,
                    pemilik=pemilik,
                    instansi=instansi,
                    judul=judul[:200],
                    fungsi=jalur,
                    parameter=parameter,
                )
        except IntegrityError:
            # Another request created it between our read and our insert (the partial unique index).
            lain = Pekerjaan.objects.get(kunci=kunci, status__in=AKTIF)
            lain.baru = False
            return lain
        transaction.on_commit(lambda: _antrekan(p.pk))
    p.baru = True
    return p


def mulai_ulang(p: Pekerjaan) -> Pekerjaan:
    """Run a finished, failed or stalled job's work again (same owner, same parameters). The caller checks
    the right to (`pekerjaan.restart_pekerjaan`)."""
    return mulai(p.jenis, p.kunci, p.pemilik, p.instansi, p.judul, p.fungsi, **p.parameter)


def _antrekan(pk: int) -> None:
    from kinerja.pekerjaan.tasks import jalankan_pekerjaan

    hasil = jalankan_pekerjaan.enqueue(pk)
    Pekerjaan.objects.filter(pk=pk).update(task_id=str(hasil.id)[:64])


def _hentikan(p: Pekerjaan) -> None:
    kini = timezone.now()
    Pekerjaan.objects.filter(pk=p.pk).update(status=Status.GAGAL, alasan=PESAN_TERHENTI, selesai_pada=kini)
    logger.warning("pekerjaan %s (%s) terhenti tanpa tanda hidup sejak %s", p.pk, p.kunci, p.detak_pada)


class Laporan:
    """What a job's function writes while it runs: progress (cheap: at most every JEDA_LAPORAN seconds),
    its result file, its summary. Each write is also the job's heartbeat."""

    def __init__(self, pekerjaan: Pekerjaan) -> None:
        self.pekerjaan = pekerjaan
        self._terakhir = 0.0

    def _tulis(self, **ubah: Any) -> None:
        ubah["detak_pada"] = timezone.now()
        n = Pekerjaan.objects.filter(pk=self.pekerjaan.pk, status=Status.BERJALAN).update(**ubah)
        if not n:
            raise PekerjaanDiambilAlih(self.pekerjaan.pk)
        for k, v in ubah.items():
            setattr(self.pekerjaan, k, v)

    def langkah(self, selesai: int, jumlah: int, teks: str = "") -> None:
        """``selesai`` of ``jumlah`` steps done, now doing ``teks`` (shown under the bar)."""
        kini = monotonic()
        if selesai not in (0, jumlah) and kini - self._terakhir < JEDA_LAPORAN:
            return
        self._terakhir = kini
        self._tulis(selesai=selesai, jumlah=jumlah, langkah=teks[:200])

    def hasil(self, isi: bytes, nama_berkas: str) -> None:
        """The job's file, offered for download under ``nama_berkas`` when the job is done."""
        nama = get_valid_filename(nama_berkas) or "hasil"
        p = self.pekerjaan
        p.berkas.save(f"{p.pk}-{nama}", ContentFile(isi), save=False)
        self._tulis(berkas=p.berkas.name, nama_berkas=nama)

    def ringkas(self, teks: str) -> None:
        """What the job did, shown when it is done ("120 evaluasi dihitung ulang, 3 gagal")."""
        self._tulis(ringkasan=teks)


def _alasan(p: Pekerjaan, e: Exception) -> str:
    if isinstance(e, GagalPekerjaan):
        return e.pesan
    if isinstance(e, ValidationError):
        return " ".join(e.messages)
    if isinstance(e, PermissionDenied):
        return str(e) or "Anda tidak memiliki hak untuk melakukan tindakan ini."
    return (
        "Terjadi kesalahan tak terduga saat menjalankan pekerjaan ini. Silakan mulai ulang; jika terulang, "
        f"sampaikan nomor pekerjaan #{p.pk} kepada admin aplikasi."
    )


def jalankan(pekerjaan_id: int) -> None:
    """Run one queued job to its end (the worker's task). A job already taken, finished or gone is left
    alone: a task delivered twice does the work once."""
    kini = timezone.now()
    diambil = Pekerjaan.objects.filter(pk=pekerjaan_id, status=Status.ANTRE).update(
        status=Status.BERJALAN, dimulai_pada=kini, detak_pada=kini
    )
    if not diambil:
        return
    p = Pekerjaan.objects.get(pk=pekerjaan_id)
    laporan = Laporan(p)
    try:
        _impor(p.fungsi)(laporan, **p.parameter)
        laporan._tulis(status=Status.SELESAI, selesai=max(p.selesai, p.jumlah), selesai_pada=timezone.now())
    except PekerjaanDiambilAlih:
        logger.warning("pekerjaan %s dihentikan: sudah dimulai ulang", pekerjaan_id)
    except Exception as e:
        logger.exception("pekerjaan %s (%s) gagal", pekerjaan_id, p.fungsi)
        Pekerjaan.objects.filter(pk=pekerjaan_id, status=Status.BERJALAN).update(
            status=Status.GAGAL, alasan=_alasan(p, e), selesai_pada=timezone.now(), detak_pada=timezone.now()
        )


# --- the worker's heartbeat and the retention of finished jobs ------------------------------------------


def detak(nama: str) -> None:
    """The worker ``nama`` (host:pid) is alive now."""
    kini = timezone.now()
    if not DetakPekerja.objects.filter(nama=nama).update(detak_pada=kini):
        DetakPekerja.objects.get_or_create(nama=nama, defaults={"dimulai_pada": kini, "detak_pada": kini})


def berhenti(nama: str) -> None:
    """The worker ``nama`` stops (its heartbeat row goes)."""
    DetakPekerja.objects.filter(nama=nama).delete()


@dataclass(frozen=True)
class Dibersihkan:
    pekerjaan: int
    berkas: int
    detak: int


def bersihkan(hari: int | None = None, sekarang: datetime.datetime | None = None) -> Dibersihkan:
    """Remove the jobs finished or failed more than ``hari`` days ago (``PEKERJAAN_SIMPAN_HARI``, default
    7) with their result files, and the heartbeats of workers silent for a day. Queued and running jobs stay
    whatever their age (a stalled one is replaced by its restart). Who started what stays in the history."""
    hari = int(getattr(settings, "PEKERJAAN_SIMPAN_HARI", 7)) if hari is None else hari
    kini = sekarang or timezone.now()
    lama = Pekerjaan.objects.filter(
        status__in=[Status.SELESAI, Status.GAGAL], selesai_pada__lt=kini - datetime.timedelta(days=hari)
    )
    n_berkas = n = 0
    for p in lama.only("pk", "berkas").iterator(chunk_size=500):
        if p.berkas:
            try:
                p.berkas.delete(save=False)
                n_berkas += 1
            except OSError:
                logger.warning("berkas pekerjaan %s tidak dapat dihapus: %s", p.pk, p.berkas.name)
        p.delete()
        n += 1
    n_detak, _ = DetakPekerja.objects.filter(detak_pada__lt=kini - datetime.timedelta(days=1)).delete()
    return Dibersihkan(n, n_berkas, n_detak)
