"""Notifications page (/notifikasi/): the signed-in user's own notifications, newest first.

Only ever the user's own rows (the queries filter on `penerima`), so there is nobody else's to refuse.
Opening one (`/notifikasi/<pk>/buka/`) marks it read and goes to the page it is about; "Tandai semua
dibaca" marks the rest.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kinerja.notifikasi import services as notifikasi
from kinerja.notifikasi.models import Notifikasi

PER_HALAMAN = 30


@login_required
def daftar(request: HttpRequest) -> HttpResponse:
    halaman = Paginator(
        notifikasi.untuk(request.user).order_by("-dikirim_pada", "-pk"), PER_HALAMAN
    ).get_page(request.GET.get("halaman"))
    return render(
        request,
        "pelaksanaan/notifikasi/daftar.html",
        {"nav": "notifikasi", "halaman": halaman, "belum": notifikasi.jumlah_belum_dibaca(request.user)},
    )


@login_required
@require_POST
def buka(request: HttpRequest, pk: int) -> HttpResponse:
    notif = get_object_or_404(Notifikasi, pk=pk, penerima=request.user)
    notifikasi.mark_read(request.user, notif.pk)
    if notif.tautan and url_has_allowed_host_and_scheme(notif.tautan, allowed_hosts={request.get_host()}):
        return redirect(notif.tautan)
    return redirect("pelaksanaan:notifikasi")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifikasi.mark_read(request.user)
    return redirect("pelaksanaan:notifikasi")
