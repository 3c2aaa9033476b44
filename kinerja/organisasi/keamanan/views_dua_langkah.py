"""Two-step sign-in pages: enrolment and settings ("Verifikasi dua langkah"), the code step after the
password, the admin's reset of a pegawai's devices (docs/rules.md §30)."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.organisasi.keamanan import dua_langkah
from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.keamanan import services_dua_langkah as services
from kinerja.organisasi.models import Pegawai, User
from kinerja.permissions.organisasi import wajib_dua_langkah


def _pesan(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def penerbit(user: User) -> str:
    """The issuer the authenticator app shows: "Kinerja <singkatan instansi>"."""
    instansi = user.pegawai.instansi if user.pegawai_id else user.admin_instansi
    nama = (instansi.singkatan or instansi.kode) if instansi is not None else ""
    return f"Kinerja {nama}".strip().replace(":", "")


def url_otpauth(device: TOTPDevice, issuer: str) -> str:
    """The otpauth:// URL of the device (Key URI Format), with Kinerja's issuer."""
    label = f"{issuer}:{device.user.get_username()}"
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode(),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


def _konteks_daftar(request: HttpRequest, galat: str = "") -> dict[str, object]:
    user = request.user
    device = services.perangkat_pendaftaran(user)
    rahasia = b32encode(device.bin_key).decode().rstrip("=")
    issuer = penerbit(user)
    return {
        "nav": "profil",
        "qr": segno.make(url_otpauth(device, issuer), error="m").svg_data_uri(scale=5, border=2),
        "rahasia": rahasia,
        "rahasia_kelompok": " ".join(rahasia[i : i + 4] for i in range(0, len(rahasia), 4)),
        "penerbit": issuer,
        "galat": galat,
        "wajib": wajib_dua_langkah(user),
    }


def _halaman_kode_pemulihan(request: HttpRequest, kode: list[str]) -> HttpResponse:
    teks = "Kode pemulihan Kinerja untuk " + request.user.get_username() + "\n"
    teks += "Setiap kode hanya dapat dipakai sekali.\n\n" + "\n".join(kode) + "\n"
    context = {"nav": "profil", "kode": kode, "unduhan": "data:text/plain;charset=utf-8," + quote(teks)}
    response = render(request, "organisasi/dua_langkah_pemulihan.html", context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def dua_langkah_saya(request: HttpRequest) -> HttpResponse:
    """Enrolment when the user has no authenticator, else its state with the recovery codes and disabling."""
    user = request.user
    if not selectors_keamanan.punya_dua_langkah(user):
        return render(request, "organisasi/dua_langkah_daftar.html", _konteks_daftar(request))
    device = selectors_keamanan.perangkat_totp(user)
    context = {
        "nav": "profil",
        "perangkat": device,
        "sisa_kode": selectors_keamanan.sisa_kode_pemulihan(user),
        "wajib": wajib_dua_langkah(user),
        "terverifikasi": dua_langkah.terverifikasi(request),
    }
    return render(request, "organisasi/dua_langkah.html", context)


@never_cache
@require_POST
@login_required
def konfirmasi(request: HttpRequest) -> HttpResponse:
    try:
        kode = services.konfirmasi_perangkat(request.user, request.POST.get("kode", ""))
    except ValidationError as exc:
        return render(request, "organisasi/dua_langkah_daftar.html", _konteks_daftar(request, _pesan(exc)))
    device = selectors_keamanan.perangkat_totp(request.user)
    otp_login(request, device)
    messages.success(request, "Verifikasi dua langkah aktif. Simpan kode pemulihan di bawah ini.")
    return _halaman_kode_pemulihan(request, kode)


@never_cache
@require_POST
@login_required
def kode_pemulihan_baru(request: HttpRequest) -> HttpResponse:
    if not dua_langkah.terverifikasi(request):
        raise PermissionDenied("Masukkan kode verifikasi dua langkah lebih dahulu.")
    try:
        kode = services.buat_ulang_kode_pemulihan(request.user)
    except ValidationError as exc:
        messages.error(request, _pesan(exc))
        return redirect("dua_langkah")
    messages.success(request, "Kode pemulihan baru dibuat; kode yang lama tidak berlaku lagi.")
    return _halaman_kode_pemulihan(request, kode)


@require_POST
@login_required
def nonaktifkan(request: HttpRequest) -> HttpResponse:
    try:
        services.nonaktifkan(request.user, request.POST.get("kode_atau_sandi", ""))
    except ValidationError as exc:
        messages.error(request, _pesan(exc))
    else:
        messages.success(request, "Verifikasi dua langkah dinonaktifkan. Masuk cukup dengan kata sandi.")
    return redirect("dua_langkah")


@never_cache
def masuk_kode(request: HttpRequest) -> HttpResponse:
    """The second step: after the password (a pending sign-in) or for a signed-in session the policy
    wants verified (an ASN Digital sign-in when its own factor does not count)."""
    pending = dua_langkah.tertunda(request)
    if pending is not None:
        user, backend, tujuan = pending
    elif request.user.is_authenticated:
        user, backend, tujuan = request.user, "", request.GET.get("next", "")
    else:
        messages.info(request, "Waktu memasukkan kode habis. Masuk lagi dengan kata sandi.")
        return redirect("login")
    if not url_has_allowed_host_and_scheme(tujuan, allowed_hosts={request.get_host()}):
        tujuan = ""
    galat = ""
    if request.method == "POST":
        try:
            device = services.periksa_kode(user, request.POST.get("kode", ""))
        except ValidationError as exc:
            galat = _pesan(exc)
        else:
            if pending is not None:
                oidc = dua_langkah.akhiri_tunda(request)
                auth_login(request, user, backend=backend)
                if oidc:
                    request.session["oidc_masuk"] = True
            otp_login(request, device)
            return redirect(tujuan or resolve_url("dashboard:home"))
    context = {"galat": galat, "akun": user}
    return render(request, "registration/masuk_kode.html", context, status=400 if galat else 200)


@require_POST
@login_required
def reset_pegawai(request: HttpRequest, pk: int) -> HttpResponse:
    pegawai = get_object_or_404(Pegawai, pk=pk)
    try:
        services.reset_perangkat(pegawai, request.user, request.POST.get("alasan", ""))
    except ValidationError as exc:
        messages.error(request, _pesan(exc))
    else:
        messages.success(
            request,
            f"Verifikasi dua langkah {pegawai.nama_lengkap} direset; pegawai mendaftarkan aplikasi lagi.",
        )
    return redirect("organisasi:pegawai_detail", pegawai.pk)
