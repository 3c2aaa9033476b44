"""Helpers of the two-step sign-in tests: enrol a user directly, compute a current code."""

from __future__ import annotations

import time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.organisasi.keamanan import services_dua_langkah as services
from kinerja.organisasi.models import User

SANDI = "kinerja-demo"


def kode(device: TOTPDevice) -> str:
    """A code the device accepts now: the current step as the device sees it (its drift), or the step after
    the last one used (a code is never accepted twice), which the tolerance of one step still takes."""
    device.refresh_from_db()
    sekarang = (int(time.time()) - device.t0) // device.step
    langkah = max(device.last_t + 1, sekarang + device.drift)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, langkah - sekarang):06d}"


def aktifkan(user: User) -> tuple[TOTPDevice, list[str]]:
    """Enrol and confirm `user`'s authenticator; returns it and the recovery codes."""
    device = services.perangkat_pendaftaran(user)
    pemulihan = services.konfirmasi_perangkat(user, kode(device))
    device.refresh_from_db()
    return device, pemulihan
