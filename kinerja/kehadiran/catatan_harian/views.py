"""Pages of the catatan kegiatan day by day (docs/rules.md §34): the pegawai's day and the atasan's board
"Belum mencatat". Thin: reads in `selectors`; adding and editing stay on the catatan pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kinerja.kehadiran.catatan_harian import selectors
from kinerja.organisasi.models import Pegawai

T = "kehadiran/catatan_harian/"


def _pegawai_saya(request: HttpRequest) -> Pegawai:
    if not request.user.pegawai_id:
        raise Http404("Akun ini tidak terhubung dengan data pegawai.")
    return Pegawai.objects.get(pk=request.user.pegawai_id)


@login_required
def hari(request: HttpRequest) -> HttpResponse:
    """The pegawai's catatan of one day (``?tanggal=YYYY-MM-DD``) with the week's totals per day."""
    pegawai = _pegawai_saya(request)
    tanggal = selectors.tanggal_dari(request.GET.get("tanggal"))
    return render(
        request,
        T + "hari.html",
        {"nav": "catatan", "h": selectors.harian(pegawai, tanggal), "hari_ini": timezone.localdate()},
    )


@login_required
def belum(request: HttpRequest) -> HttpResponse:
    """The atasan's bawahan who have not logged today (``?lingkup=hari``) or this week (``minggu``)."""
    if not request.user.has_perm("kehadiran.view_belum_mencatat"):
        raise PermissionDenied("Halaman ini untuk atasan yang memiliki bawahan.")
    atasan = _pegawai_saya(request)
    semua = request.GET.get("semua") == "1"
    lingkup = "minggu" if request.GET.get("lingkup") == "minggu" else "hari"
    papan = selectors.belum_mencatat(atasan, semua=semua)
    baris = papan.kosong_minggu_ini if lingkup == "minggu" else papan.belum_hari_ini
    return render(
        request,
        T + "belum.html",
        {"nav": "persetujuan", "papan": papan, "baris": baris, "lingkup": lingkup, "semua": semua},
    )
