"""The user guide's pages and the first-run checklist (docs/rules.md §36)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kinerja.dashboard.panduan import isi, selectors
from kinerja.permissions import admin_instansi, allowed, is_superuser


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboard/panduan/index.html",
        {
            "nav": "panduan",
            "peran": list(isi.PERAN.values()),
            "admin": allowed(request.user, "organisasi.view_org"),
        },
    )


@login_required
def peran(request: HttpRequest, kode: str) -> HttpResponse:
    halaman = isi.PERAN.get(kode)
    if halaman is None:
        raise Http404("Halaman panduan ini tidak ada.")
    return render(
        request,
        "dashboard/panduan/peran.html",
        {"nav": "panduan", "halaman": halaman, "semua_peran": list(isi.PERAN.values())},
    )


@login_required
def mulai(request: HttpRequest) -> HttpResponse:
    """The checklist of the admin's instansi; a superuser before any instansi sees step 0 only."""
    try:
        instansi = admin_instansi(request)
    except PermissionDenied:
        if not is_superuser(request.user):
            raise
        instansi = None
    langkah = selectors.langkah_mulai(instansi, superuser=is_superuser(request.user))
    return render(
        request,
        "dashboard/panduan/mulai.html",
        {
            "nav": "panduan",
            "instansi": instansi,
            "langkah": langkah,
            "belum": sum(1 for baris in langkah if not baris.selesai),
        },
    )
