"""Two-step sign-in (TOTP): enrolment, recovery codes, the code check, disabling, the admin's reset
(docs/rules.md §30). The TOTP key is django-otp's (hex in its table); it never goes to a log or a message."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.notifikasi import services as notifikasi
from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.models import Pegawai, ResetDuaLangkah, User
from kinerja.permissions import require
from kinerja.permissions.organisasi import wajib_dua_langkah
from kinerja.rules.dua_langkah import JUMLAH_KODE_PEMULIHAN, jenis_kode, normalisasi_kode

PESAN_FORMAT = "Masukkan 6 angka dari aplikasi autentikator, atau salah satu kode pemulihan (8 huruf/angka)."


def perangkat_pendaftaran(user: User) -> TOTPDevice:
    """The authenticator being enrolled (unconfirmed until its first code); made on the first visit."""
    device = selectors_keamanan.perangkat_totp(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=False)
    return device


def _pesan_tunggu(device: Device) -> str | None:
    """Why the device may not be tried now (django-otp's throttling after wrong codes), in Indonesian."""
    boleh, data = device.verify_is_allowed()
    if boleh:
        return None
    sampai = (data or {}).get("locked_until")
    if sampai is None:
        return "Terlalu banyak kode salah. Coba lagi beberapa saat lagi."
    detik = max(1, math.ceil((sampai - timezone.now()).total_seconds()))
    return f"Terlalu banyak kode salah. Tunggu {detik} detik, lalu coba lagi."


def _coba(device: Device, kode: str, pesan_salah: str) -> None:
    """Verify `kode` on `device` (a wrong one counts toward its throttle) or raise with a clear message."""
    pesan = _pesan_tunggu(device)
    if pesan:
        raise ValidationError({"kode": pesan})
    if not device.verify_token(kode):
        raise ValidationError({"kode": pesan_salah})


def konfirmasi_perangkat(user: User, kode: str) -> list[str]:
    """Confirm the authenticator being enrolled with its first code; returns the new recovery codes (to be
    shown once)."""
    device = selectors_keamanan.perangkat_totp(user, confirmed=False)
    if device is None:
        raise ValidationError("Buka lagi halaman verifikasi dua langkah untuk memulai pendaftaran.")
    kode = normalisasi_kode(kode)
    if jenis_kode(kode) != "totp":
        raise ValidationError({"kode": "Masukkan 6 angka yang tampil di aplikasi autentikator."})
    # Outside a transaction: a wrong code's throttle count must stay written.
    _coba(device, kode, "Kode salah. Periksa jam ponsel Anda dan masukkan kode yang sedang tampil.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _buat_kode_pemulihan(user)


def _buat_kode_pemulihan(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Kode pemulihan", confirmed=True)
    kode = [StaticToken.random_token() for _ in range(JUMLAH_KODE_PEMULIHAN)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=k) for k in kode)
    return kode


@transaction.atomic
def buat_ulang_kode_pemulihan(user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not selectors_keamanan.punya_dua_langkah(user):
        raise ValidationError("Verifikasi dua langkah belum aktif.")
    return _buat_kode_pemulihan(user)


def periksa_kode(user: User, teks: str) -> Device:
    """The device that accepts the code typed at sign-in: the authenticator (6 digits) or a recovery code
    (used up). A wrong code counts toward that device's throttle."""
    kode = normalisasi_kode(teks)
    jenis = jenis_kode(kode)
    if jenis is None:
        raise ValidationError({"kode": PESAN_FORMAT})
    device: Device | None
    if jenis == "totp":
        device = selectors_keamanan.perangkat_totp(user)
        salah = "Kode salah atau sudah kedaluwarsa. Masukkan kode yang sedang tampil di aplikasi."
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        salah = "Kode pemulihan salah atau sudah pernah dipakai."
    if device is None:
        raise ValidationError({"kode": "Akun ini tidak memiliki kode seperti itu. " + PESAN_FORMAT})
    _coba(device, kode, salah)
    return device


def nonaktifkan(user: User, kode_atau_sandi: str) -> None:
    """The user turns two-step sign-in off with a current code or their password; refused while the
    instansi's policy obliges them."""
    if wajib_dua_langkah(user):
        raise ValidationError("Instansi Anda mewajibkan verifikasi dua langkah untuk peran Anda.")
    if not kode_atau_sandi or not user.check_password(kode_atau_sandi):
        periksa_kode(user, kode_atau_sandi)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def reset_perangkat(pegawai: Pegawai, oleh: User, alasan: str) -> ResetDuaLangkah:
    """The admin kepegawaian of the pegawai's instansi removes their authenticator and recovery codes (a lost
    phone), with a reason: recorded, and the pegawai is told. They enrol again at their next sign-in."""
    require(
        oleh,
        "organisasi.reset_2fa",
        pegawai,
        "Hanya admin kepegawaian instansi pegawai ini yang dapat mereset verifikasi dua langkahnya "
        "(tidak untuk akun sendiri).",
    )
    alasan = alasan.strip()
    if not alasan:
        raise ValidationError(
            {"alasan": "Tuliskan alasan reset, mis. “ponsel hilang, dikonfirmasi lewat telepon”."}
        )
    user = User.objects.filter(pegawai=pegawai).first()
    if user is None:
        raise ValidationError("Pegawai ini belum memiliki akun.")
    with transaction.atomic():
        jumlah = selectors_keamanan.jumlah_perangkat(user)
        if not jumlah:
            raise ValidationError("Pegawai ini tidak memakai verifikasi dua langkah.")
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        catatan = ResetDuaLangkah.objects.create(
            user=user, direset_oleh=oleh, alasan=alasan, jumlah_perangkat=jumlah
        )
        notifikasi.kirim(
            user,
            "dua_langkah_reset",
            f"reset-2fa:{catatan.pk}",
            "Verifikasi dua langkah Anda direset",
            f"Admin kepegawaian menghapus aplikasi autentikator dan kode pemulihan Anda. Alasan: {alasan}. "
            "Daftarkan lagi aplikasi autentikator Anda.",
            reverse("dua_langkah"),
        )
    return catatan
