"""A month of attendance for the demo (docs/rules.md §27): taps of every demo pegawai on the working days
of the previous full month, with a late pegawai, an approved cuti tahunan, a TK day, a dinas luar, an
approved correction, and a pending absence and correction for the atasan's board. Requests go through the
services, as the app makes them. Idempotent: a month that already has taps is left as it is."""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kinerja.kehadiran.harian import services
from kinerja.kehadiran.kalender import services as kalender
from kinerja.kehadiran.models import HariLibur, Ketidakhadiran, Rekaman, SumberRekaman
from kinerja.organisasi.models import Instansi, Pegawai, User

KEPALA = "197205141998031003"
KABID = "197904182005012005"
FUNGSIONAL = "198506282010012004"
PELAKSANA = "199108162015031001"


def _waktu(t: datetime.date, jam: int, menit: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(t, datetime.time(jam, menit)))


def _putuskan(k: Ketidakhadiran, *atasan: User) -> None:
    """Approved by the first atasan the rules accept (kabid, else kepala)."""
    for u in atasan:
        try:
            services.putuskan_ketidakhadiran(u, k, setuju=True)
            return
        except PermissionDenied:
            continue


def seed_kalender(instansi: Instansi, today: datetime.date | None = None) -> None:
    """The shipped national holidays and cuti bersama of the demo's year (and of the year before, when last
    month falls in it), left "perlu diperiksa" as a new instansi would see them."""
    today = today or timezone.localdate()
    admin = User.objects.get(username="admin")
    for tahun in sorted({today.year, (today.replace(day=1) - datetime.timedelta(days=1)).year}):
        if kalender.data_nasional(tahun) is not None:
            kalender.isi_kalender_nasional(admin, instansi, tahun)


def seed_kehadiran(instansi: Instansi, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    selesai = today.replace(day=1) - datetime.timedelta(days=1)
    mulai = selesai.replace(day=1)
    pegawai = {p.nip: p for p in Pegawai.objects.filter(instansi=instansi).select_related("user")}
    if (
        not pegawai
        or Rekaman.objects.filter(
            pegawai__instansi=instansi, waktu__gte=_waktu(mulai, 0, 0), waktu__lt=_waktu(selesai, 23, 59)
        ).exists()
    ):
        return
    libur = set(HariLibur.objects.filter(instansi=instansi).values_list("tanggal", flat=True))
    kerja = [
        mulai + datetime.timedelta(days=i)
        for i in range((selesai - mulai).days + 1)
        if (mulai + datetime.timedelta(days=i)).weekday() < 5
        and mulai + datetime.timedelta(days=i) not in libur
    ]
    rng = random.Random(f"{instansi.kode}-{mulai}")  # noqa: S311 - demo data, not security
    cuti = set(kerja[5:8])
    dinas = set(kerja[10:12])
    tk = kerja[3]
    lupa = kerja[14]
    telat = set(kerja[0:15:3])
    tunggu = kerja[-1]
    rekaman = []
    for nip, p in pegawai.items():
        for t in kerja:
            if (nip == FUNGSIONAL and t in cuti) or (nip == KABID and t in dinas):
                continue
            if nip == PELAKSANA and t == tk:
                continue
            if nip == PELAKSANA and t in telat:
                masuk = _waktu(t, 7, 40 + rng.randint(0, 19))
            else:
                masuk = _waktu(t, 7, rng.randint(0, 29))
            rekaman.append(Rekaman(pegawai=p, waktu=masuk, sumber=SumberRekaman.MESIN))
            if nip == PELAKSANA and t in (lupa, tunggu):
                continue  # forgot to tap out: corrected below
            pulang = _waktu(t, 16, rng.randint(0, 40))
            rekaman.append(Rekaman(pegawai=p, waktu=pulang, sumber=SumberRekaman.MESIN))
    Rekaman.objects.bulk_create(rekaman, ignore_conflicts=True)

    kepala, kabid = pegawai.get(KEPALA), pegawai.get(KABID)
    fungsional, pelaksana = pegawai.get(FUNGSIONAL), pegawai.get(PELAKSANA)
    atasan = [p.user for p in (kabid, kepala) if p is not None and p.user is not None]
    if fungsional is not None:
        k = services.ajukan_ketidakhadiran(
            fungsional.user,
            fungsional,
            jenis="cuti_tahunan",
            mulai=min(cuti),
            selesai=max(cuti),
            keterangan="Acara keluarga di kampung halaman.",
        )
        _putuskan(k, *atasan)
        besok = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)
        services.ajukan_ketidakhadiran(
            fungsional.user,
            fungsional,
            jenis="izin",
            mulai=besok,
            selesai=besok,
            keterangan="Mengantar anak berobat.",
        )
    if kabid is not None and kepala is not None:
        k = services.ajukan_ketidakhadiran(
            kabid.user,
            kabid,
            jenis="dinas_luar",
            mulai=min(dinas),
            selesai=max(dinas),
            keterangan="Rapat koordinasi di provinsi.",
        )
        _putuskan(k, kepala.user)
    if pelaksana is not None:
        kor = services.ajukan_koreksi(
            pelaksana.user,
            pelaksana,
            tanggal=lupa,
            jenis="lupa",
            masuk=None,
            pulang=datetime.time(16, 15),
            alasan="Lupa merekam pulang.",
            hari_ini=lupa + datetime.timedelta(days=1),
        )
        for u in atasan:
            try:
                services.putuskan_koreksi(u, kor, setuju=True)
                break
            except PermissionDenied:
                continue
        services.ajukan_koreksi(
            pelaksana.user,
            pelaksana,
            tanggal=tunggu,
            jenis="mesin_rusak",
            masuk=None,
            pulang=datetime.time(16, 5),
            alasan="Mesin presensi mati sore itu.",
            hari_ini=tunggu + datetime.timedelta(days=1),
        )


def seed_bulan_ini(instansi: Instansi, today: datetime.date | None = None) -> None:
    """This month's taps up to today, so that the atasan board and the TPP estimate have a today: every
    pegawai on time on the working days before today; today all but two have tapped in (the board's
    "belum merekam")."""
    today = today or timezone.localdate()
    mulai = today.replace(day=1)
    pegawai = list(Pegawai.objects.filter(instansi=instansi).order_by("nip"))
    if (
        not pegawai
        or Rekaman.objects.filter(
            pegawai__instansi=instansi, waktu__gte=_waktu(mulai, 0, 0), waktu__lt=_waktu(today, 23, 59)
        ).exists()
    ):
        return
    libur = set(
        HariLibur.objects.filter(instansi=instansi, tanggal__gte=mulai).values_list("tanggal", flat=True)
    )
    kerja = [
        t
        for t in (mulai + datetime.timedelta(days=i) for i in range((today - mulai).days + 1))
        if t.weekday() < 5 and t not in libur
    ]
    rng = random.Random(f"{instansi.kode}-{today}")  # noqa: S311 - demo data, not security
    rekaman = []
    for i, p in enumerate(pegawai):
        for t in kerja:
            if t == today and i < 2:
                continue
            rekaman.append(
                Rekaman(pegawai=p, waktu=_waktu(t, 7, rng.randint(0, 29)), sumber=SumberRekaman.MESIN)
            )
            if t < today:
                pulang = _waktu(t, 16, rng.randint(0, 40))
                rekaman.append(Rekaman(pegawai=p, waktu=pulang, sumber=SumberRekaman.MESIN))
    Rekaman.objects.bulk_create(rekaman, ignore_conflicts=True)
