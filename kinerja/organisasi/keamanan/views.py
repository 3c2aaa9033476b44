"""Keamanan akun: one's own sign-in history, and the admin's view of a pegawai's with "Buka kunci akun"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.keamanan import services as services_keamanan
from kinerja.organisasi.keamanan.axes import menit_kunci
from kinerja.organisasi.models import Pegawai, User


def _konteks(user: User) -> dict[str, object]:
    return {
        "akun": user,
        "status": selectors_keamanan.status_kunci(user.username),
        "riwayat": selectors_keamanan.riwayat_masuk(user),
        "batas_gagal": settings.AXES_FAILURE_LIMIT,
        "menit_kunci": menit_kunci(),
    }


@never_cache
@login_required
def keamanan_saya(request: HttpRequest) -> HttpResponse:
    context = _konteks(request.user)
    context.update({"nav": "profil", "milik_sendiri": True, "jumlah_token": request.user.api_tokens.count()})
    return render(request, "organisasi/keamanan_akun.html", context)


@never_cache
@login_required
def keamanan_pegawai(request: HttpRequest, pk: int) -> HttpResponse:
    pegawai = get_object_or_404(Pegawai.objects.select_related("instansi"), pk=pk)
    if not request.user.has_perm("organisasi.change_pegawai", pegawai):
        raise PermissionDenied("Riwayat masuk pegawai hanya untuk admin kepegawaian instansinya.")
    user = User.objects.filter(pegawai=pegawai).first()
    context: dict[str, object] = {"nav": "organisasi", "pegawai": pegawai, "milik_sendiri": False}
    if user is not None:
        context.update(_konteks(user))
    return render(request, "organisasi/keamanan_akun.html", context)


@require_POST
@login_required
def buka_kunci(request: HttpRequest, pk: int) -> HttpResponse:
    pegawai = get_object_or_404(Pegawai, pk=pk)
    try:
        services_keamanan.unlock_akun(pegawai, request.user, request.POST.get("alasan", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Kunci akun {pegawai.nama_lengkap} dibuka; pegawai dapat masuk lagi.")
    kembali = (
        "organisasi:pegawai_keamanan"
        if request.POST.get("kembali") == "keamanan"
        else "organisasi:pegawai_detail"
    )
    return redirect(kembali, pegawai.pk)
