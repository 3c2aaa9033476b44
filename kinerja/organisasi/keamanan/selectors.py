"""Reads for "Keamanan akun": whether a login is locked and its sign-in history (docs/rules.md §24.1)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import F, Max, Sum
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.common import cache
from kinerja.organisasi.models import Instansi, Pegawai, PembukaanKunciAkun, User
from kinerja.rules.dua_langkah import Kebijakan

RIWAYAT_BARIS = 50


@dataclass(frozen=True)
class StatusKunci:
    gagal: int  # failures of this login counted now (within the lock time of the last one)
    terkunci_sampai: datetime.datetime | None


def status_kunci(username: str) -> StatusKunci:
    """How many recent failures a login has and, when they reached the limit, until when it is locked."""
    sejak = timezone.now() - settings.AXES_COOLOFF_TIME
    agg = AccessAttempt.objects.filter(username=username, attempt_time__gte=sejak).aggregate(
        gagal=Sum("failures_since_start"), terakhir=Max("attempt_time")
    )
    gagal = agg["gagal"] or 0
    if gagal >= settings.AXES_FAILURE_LIMIT and agg["terakhir"] is not None:
        return StatusKunci(gagal, agg["terakhir"] + settings.AXES_COOLOFF_TIME)
    return StatusKunci(gagal, None)


def terkunci(username: str) -> bool:
    return status_kunci(username).terkunci_sampai is not None


_PERAMBAN = [
    ("Edge", r"Edg/"),
    ("Opera", r"OPR/"),
    ("Firefox", r"Firefox/"),
    ("Chromium", r"Chromium/"),
    ("Chrome", r"Chrome/"),
    ("Safari", r"Safari/"),
]
_SISTEM = [
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X"),
    ("Linux", r"Linux"),
]


def summarise_peramban(user_agent: str) -> str:
    """A short "Chrome · Windows" from a user agent string (the full string is shown on hover)."""
    peramban = next((nama for nama, pola in _PERAMBAN if re.search(pola, user_agent)), "")
    sistem = next((nama for nama, pola in _SISTEM if re.search(pola, user_agent)), "")
    return " · ".join(b for b in (peramban, sistem) if b) or (user_agent[:40] or "tidak diketahui")


@dataclass(frozen=True)
class BarisRiwayat:
    waktu: datetime.datetime
    jenis: str  # "berhasil", "gagal", "dibuka"
    alamat: str
    peramban: str
    user_agent: str
    keterangan: str


def riwayat_masuk(user: User, batas: int = RIWAYAT_BARIS) -> list[BarisRiwayat]:
    """The latest sign-ins of a login, failures and unlocks by the admin, newest first (three queries)."""
    baris: list[BarisRiwayat] = []
    for log in AccessLog.objects.filter(username=user.username).order_by("-attempt_time")[:batas]:
        baris.append(
            BarisRiwayat(
                log.attempt_time,
                "berhasil",
                log.ip_address or "",
                summarise_peramban(log.user_agent),
                log.user_agent,
                "",
            )
        )
    for log in AccessFailureLog.objects.filter(username=user.username).order_by("-attempt_time")[:batas]:
        baris.append(
            BarisRiwayat(
                log.attempt_time,
                "gagal",
                log.ip_address or "",
                summarise_peramban(log.user_agent),
                log.user_agent,
                "akun dikunci" if log.locked_out else "",
            )
        )
    for buka in (
        PembukaanKunciAkun.objects.filter(user=user)
        .select_related("dibuka_oleh", "dibuka_oleh__pegawai")
        .order_by("-dibuka_pada")[:batas]
    ):
        oleh = buka.dibuka_oleh
        nama = oleh.pegawai.nama_lengkap if oleh.pegawai_id else (oleh.get_full_name() or oleh.username)
        baris.append(
            BarisRiwayat(buka.dibuka_pada, "dibuka", "", "", "", f"Dibuka oleh {nama}: {buka.alasan}")
        )
    baris.sort(key=lambda b: b.waktu, reverse=True)
    return baris[:batas]


def pegawai_menurut_nip(nip: str) -> Pegawai | None:
    """The pegawai a NIP names (with their instansi), for the page of a refused OIDC sign-in (§24.5)."""
    if not nip:
        return None
    return Pegawai.objects.select_related("instansi").filter(nip=nip).first()


# --- Two-step sign-in (docs/rules.md §30) ------------------------------------------------------------


#: Dropped whenever an instansi is saved (`dua_langkah.connect`): policies change rarely.
SCOPE_KEBIJAKAN = cache.scope("kebijakan-2fa", "semua")


def _kebijakan(row: dict[str, bool] | None) -> Kebijakan:
    if row is None:
        return Kebijakan()
    return Kebijakan(admin=row["wajib_2fa_admin"], penilai=row["wajib_2fa_penilai"])


def kebijakan_dua_langkah(instansi_id: int | None) -> Kebijakan:
    """The instansi's two-step policy; cached, so the check on every request costs no query."""
    if instansi_id is None:
        return Kebijakan()
    return cache.cached(
        f"kebijakan-2fa:{instansi_id}",
        [SCOPE_KEBIJAKAN],
        lambda: _kebijakan(
            Instansi.objects.filter(pk=instansi_id).values("wajib_2fa_admin", "wajib_2fa_penilai").first()
        ),
    )


def kebijakan_dua_langkah_pegawai(pegawai_id: int) -> Kebijakan:
    """The policy of the pegawai's instansi, cached without loading the pegawai (pages without the
    navigation, htmx fragments, files, pay nothing for the check)."""
    return cache.cached(
        f"kebijakan-2fa-pegawai:{pegawai_id}",
        [SCOPE_KEBIJAKAN, cache.pegawai(pegawai_id)],
        lambda: _kebijakan(
            Pegawai.objects.filter(pk=pegawai_id)
            .values(
                wajib_2fa_admin=F("instansi__wajib_2fa_admin"),
                wajib_2fa_penilai=F("instansi__wajib_2fa_penilai"),
            )
            .first()
        ),
    )


def perangkat_totp(user: User, confirmed: bool | None = True) -> TOTPDevice | None:
    """The user's authenticator (one per user in Kinerja); `confirmed=None`: either."""
    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-pk").first()


def punya_dua_langkah(user: User) -> bool:
    """Has a confirmed authenticator: the password is then followed by a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def sisa_kode_pemulihan(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def jumlah_perangkat(user: User) -> int:
    return TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()


def dua_langkah_pegawai(pegawai: Pegawai) -> bool:
    """The pegawai's account has an authenticator or recovery codes (what an admin's reset would remove)."""
    return (
        TOTPDevice.objects.filter(user__pegawai=pegawai).exists()
        or StaticDevice.objects.filter(user__pegawai=pegawai).exists()
    )
