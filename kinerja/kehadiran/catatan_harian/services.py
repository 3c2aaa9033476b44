"""Reminders to log the catatan kegiatan (docs/rules.md §34).

The day after a working day (the instansi's calendar: Monday to Friday minus its holidays) each pegawai of an
instansi whose `pengingat_catatan` is "aplikasi" or "surel" who has an approved SKP in force that day, was not
on an approved absence (cuti, dinas luar, izin, sakit, tugas belajar), and logged nothing that day, gets a
notification in the app, and an email too when the instansi chose "surel" and the account has an address.

Bulk: one query finds who is to be reminded (EXISTS over the catatan, the absences and the SKP), one reads
the keys already sent, and the notifications are inserted with `bulk_create`. Idempotent: the key
``catatan-pengingat:<pegawai>:<date>`` is unique, so running again sends nothing new. Run daily by
`manage.py kirim_pengingat_catatan` (cron) or the django-tasks task `tasks.kirim_pengingat_catatan`.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from kinerja.common import cache
from kinerja.kehadiran.models import HariLibur, Ketidakhadiran, StatusPengajuan
from kinerja.notifikasi.models import Notifikasi
from kinerja.notifikasi.services import alamat
from kinerja.organisasi.models import Instansi, User
from kinerja.pelaksanaan.models import CatatanKegiatan
from kinerja.perencanaan.models import Skp
from kinerja.rules.alur import Status
from kinerja.rules.catatan import hari_kerja_sebelumnya
from kinerja.rules.realisasi import format_tanggal

log = logging.getLogger(__name__)

JENIS = "pengingat_catatan"
#: Holidays are read this far back to find the previous working day.
HARI_MUNDUR = 21
#: Rows per INSERT and per IN (...) read.
POTONGAN = 2000


def kunci_pengingat(pegawai_id: int, tanggal: datetime.date) -> str:
    return f"catatan-pengingat:{pegawai_id}:{tanggal.isoformat()}"


@dataclass(frozen=True)
class Penerima:
    user_id: int
    pegawai_id: int
    email: str
    surel: bool


def penerima(instansi_ids: list[int], tanggal: datetime.date, surel: set[int]) -> list[Penerima]:
    """The accounts to remind about ``tanggal`` in these instansi (one query)."""
    ada_catatan = CatatanKegiatan.objects.filter(pegawai_id=OuterRef("pegawai_id"), tanggal=tanggal)
    absen = Ketidakhadiran.objects.filter(
        pegawai_id=OuterRef("pegawai_id"),
        status=StatusPengajuan.DISETUJUI,
        mulai__lte=tanggal,
        selesai__gte=tanggal,
    )
    skp = Skp.objects.filter(
        pegawai_id=OuterRef("pegawai_id"),
        status=Status.DISETUJUI.value,
        mulai__lte=tanggal,
        selesai__gte=tanggal,
    )
    baris = (
        User.objects.filter(
            is_active=True,
            pegawai__aktif=True,
            pegawai__instansi_id__in=instansi_ids,
            pegawai_id__isnull=False,
        )
        .filter(Exists(skp))
        .exclude(Exists(ada_catatan))
        .exclude(Exists(absen))
        .order_by("pk")
        .values_list("pk", "pegawai_id", "email", "pegawai__instansi_id")
    )
    return [Penerima(u, p, e or "", i in surel) for u, p, e, i in baris]


def _tanggal_diingatkan(instansi_ids: list[int], hari_ini: datetime.date) -> dict[datetime.date, list[int]]:
    """The previous working day of each instansi (its own holidays), grouped (one query)."""
    libur: dict[int, set[datetime.date]] = defaultdict(set)
    for i, t in HariLibur.objects.filter(
        instansi_id__in=instansi_ids,
        tanggal__range=(hari_ini - datetime.timedelta(days=HARI_MUNDUR), hari_ini),
    ).values_list("instansi_id", "tanggal"):
        libur[i].add(t)
    grup: dict[datetime.date, list[int]] = defaultdict(list)
    for i in instansi_ids:
        grup[hari_kerja_sebelumnya(hari_ini, libur[i])].append(i)
    return grup


def kirim_pengingat_catatan(hari_ini: datetime.date) -> int:
    """Remind about the working day before ``hari_ini``; returns how many new reminders were recorded."""
    pilihan = dict(
        Instansi.objects.exclude(pengingat_catatan="nonaktif").values_list("pk", "pengingat_catatan")
    )
    if not pilihan:
        return 0
    surel = {i for i, p in pilihan.items() if p == "surel"}
    jumlah = 0
    for tanggal, instansi_ids in _tanggal_diingatkan(list(pilihan), hari_ini).items():
        jumlah += _kirim(penerima(instansi_ids, tanggal, surel), tanggal)
    return jumlah


def _kirim(daftar: list[Penerima], tanggal: datetime.date) -> int:
    tautan = f"{reverse('kehadiran:catatan_hari')}?tanggal={tanggal.isoformat()}"
    judul = f"Catatan kegiatan {format_tanggal(tanggal)} belum diisi"
    isi = (
        f"Anda belum mengisi catatan kegiatan untuk {format_tanggal(tanggal)}. Catat apa yang Anda kerjakan "
        "hari itu dan berapa lama, selama periodenya masih terbuka."
    )
    baru: list[Penerima] = []
    for awal in range(0, len(daftar), POTONGAN):
        potong = daftar[awal : awal + POTONGAN]
        sudah = set(
            Notifikasi.objects.filter(
                kunci__in=[kunci_pengingat(p.pegawai_id, tanggal) for p in potong]
            ).values_list("kunci", flat=True)
        )
        baru += [p for p in potong if kunci_pengingat(p.pegawai_id, tanggal) not in sudah]
    with transaction.atomic():
        Notifikasi.objects.bulk_create(
            [
                Notifikasi(
                    penerima_id=p.user_id,
                    jenis=JENIS,
                    kunci=kunci_pengingat(p.pegawai_id, tanggal),
                    judul=judul,
                    isi=isi,
                    tautan=tautan,
                )
                for p in baru
            ],
            batch_size=POTONGAN,
            ignore_conflicts=True,  # a second run at the same moment: its rows stand
        )
        surat = [p for p in baru if p.surel and p.email]
        if surat:
            transaction.on_commit(lambda: _email(surat, tanggal, judul, isi, tautan))
    cache.invalidate_user(*(p.user_id for p in baru))  # the bell badge
    return len(baru)


def _email(daftar: list[Penerima], tanggal: datetime.date, judul: str, isi: str, tautan: str) -> None:
    """One connection for all the reminder emails; the rows sent are marked. A mail server error leaves
    the in-app reminders standing (logged)."""
    badan = f"{isi}\n\nBuka: {alamat(tautan)}\n\n-- \nKinerja ASN (pesan otomatis; jangan dibalas)"
    pesan = [EmailMessage(f"[Kinerja] {judul}", badan, None, [p.email]) for p in daftar]
    try:
        get_connection().send_messages(pesan)
    except Exception:  # noqa: BLE001 - the in-app reminder stands; the failure is logged
        log.exception("Surel pengingat catatan %s gagal dikirim", tanggal)
        return
    for awal in range(0, len(daftar), POTONGAN):
        Notifikasi.objects.filter(
            kunci__in=[kunci_pengingat(p.pegawai_id, tanggal) for p in daftar[awal : awal + POTONGAN]]
        ).update(email_terkirim=True)
