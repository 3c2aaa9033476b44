"""`python manage.py kirim_pengingat [--tanggal YYYY-MM-DD]`: realisasi deadline reminders.

For every periode penilaian whose realisasi deadline (`batas_realisasi`) falls within the next three days
(today included), each pegawai with an approved SKP covering that periode who has not entered a single
realisasi for it gets a notification (in the app, and by email when their account has an address).
Idempotent per day: the notification key names the user, the periode and the date, so running the command
again the same day sends nothing new. Run it daily (cron, systemd timer, or by hand in development); when
cron runs it on every app node at once, a cross-process lock lets one send and the others find it done.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.urls import reverse

from kinerja.common.klaster import kunci_lintas_proses
from kinerja.common.tanggal import tanggal_acuan
from kinerja.notifikasi import services as notifikasi
from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.organisasi.selectors import today
from kinerja.pelaksanaan.models import Realisasi
from kinerja.perencanaan.models import Skp
from kinerja.rules.alur import Status
from kinerja.rules.realisasi import format_tanggal

HARI_SEBELUM_BATAS = 3


def lock_pengingat(user_id: int, periode_id: int, tanggal: datetime.date) -> str:
    return f"pengingat-realisasi:{user_id}:{periode_id}:{tanggal.isoformat()}"


def send_pengingat(hari_ini: datetime.date) -> int:
    """Send today's reminders; returns how many new ones were sent."""
    periode_list = PeriodePenilaian.objects.filter(
        batas_realisasi__gte=hari_ini,
        batas_realisasi__lte=hari_ini + datetime.timedelta(days=HARI_SEBELUM_BATAS),
        mulai__lte=hari_ini,
    ).select_related("periode")
    terkirim = 0
    for p in periode_list:
        kosong = (
            Skp.objects.filter(
                periode_id=p.periode_id,
                status=Status.DISETUJUI.value,
                mulai__lte=p.selesai,
                selesai__gte=p.mulai,
            )
            .filter(
                ~Exists(Realisasi.objects.filter(indikator__rhk__skp=OuterRef("pk"), periode_penilaian=p))
            )
            .values_list("pegawai_id", flat=True)
        )
        users = list(
            User.objects.filter(pegawai_id__in=set(kosong), is_active=True).select_related("pegawai")
        )
        kunci = {u.pk: lock_pengingat(u.pk, p.pk, hari_ini) for u in users}
        sudah = set(Notifikasi.objects.filter(kunci__in=kunci.values()).values_list("kunci", flat=True))
        sisa = (p.batas_realisasi - hari_ini).days
        kapan = "hari ini" if sisa == 0 else ("besok" if sisa == 1 else f"{sisa} hari lagi")
        for u in users:
            if kunci[u.pk] in sudah:
                continue
            notifikasi.kirim(
                u,
                "pengingat_realisasi",
                kunci[u.pk],
                f"Batas pengisian realisasi {p} {kapan}",
                f"Realisasi {p} belum Anda isi. Batas pengisiannya {format_tanggal(p.batas_realisasi)} "
                f"({kapan}); setelah itu pengisian hanya dapat dilakukan bila dibuka oleh admin kepegawaian.",
                f"{reverse('pelaksanaan:realisasi')}?periode={p.nomor}",
            )
            terkirim += 1
    return terkirim


class Command(BaseCommand):
    help = (
        "Kirim pengingat batas pengisian realisasi (3 hari sebelum batas) kepada pegawai yang belum mengisi."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tanggal", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")

    def handle(self, *args: Any, **options: Any) -> None:
        hari_ini = tanggal_acuan(options.get("tanggal"), "2026-12-29", today())
        with kunci_lintas_proses("kirim-pengingat"):
            n = send_pengingat(hari_ini)
        self.stdout.write(f"Pengingat realisasi terkirim: {n} (tanggal acuan {format_tanggal(hari_ini)}).")
