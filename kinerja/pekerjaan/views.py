"""Background jobs (docs/architecture.md "Background jobs"):

* ``/pekerjaan/``: "Pekerjaan saya", the user's recent jobs;
* ``/pekerjaan/<pk>/``: one job with its progress; ``…/progres/``: the progress alone (polled by htmx);
* ``…/unduh/``: the result file; ``…/ulang/`` (POST): start a finished, failed or stalled job again.

Only the owner and the admin kepegawaian of the job's instansi see a job; anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinerja.pekerjaan import selectors, services
from kinerja.pekerjaan.models import Pekerjaan, Status

T = "pekerjaan/"


def _pekerjaan(request: HttpRequest, pk: int, perm: str = "pekerjaan.view_pekerjaan") -> Pekerjaan:
    p = Pekerjaan.objects.select_related("pemilik").filter(pk=pk).first()
    if p is None or not request.user.has_perm(perm, p):
        raise Http404("Pekerjaan tidak ditemukan.")
    return p


@never_cache
@login_required
@require_GET
def daftar(request: HttpRequest) -> HttpResponse:
    ctx = {"nav": "pekerjaan", "daftar": selectors.pekerjaan_saya(request.user)}
    return render(request, T + "daftar.html", ctx)


@never_cache
@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, T + "detail.html", {"nav": "pekerjaan", "pekerjaan": _pekerjaan(request, pk)})


@never_cache
@login_required
@require_GET
def progres(request: HttpRequest, pk: int) -> HttpResponse:
    p = _pekerjaan(request, pk)
    ctx = {"pekerjaan": p, "oob": True, "kembali": request.GET.get("kembali", "")}
    return render(request, T + "_progres_isi.html", ctx)


def progres_atau_muat_ulang(p: Pekerjaan, url_progres: str, request: HttpRequest) -> HttpResponse:
    """The progress of a job on a page that shows the job's outcome itself (an upload being checked or
    imported): the bar while it runs, polling ``url_progres`` (that page's own progress view, which checks
    access and calls this); once the job has ended, ``204`` with ``HX-Refresh`` so htmx loads the whole page
    again to show the outcome."""
    if not p.dipantau:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, T + "_progres_isi.html", {"pekerjaan": p, "url_progres": url_progres})


@login_required
@require_GET
def unduh(request: HttpRequest, pk: int) -> FileResponse:
    p = _pekerjaan(request, pk)
    if p.status != Status.SELESAI or not p.berkas:
        raise Http404("Pekerjaan ini belum menghasilkan berkas.")
    try:
        berkas = p.berkas.open("rb")
    except FileNotFoundError as e:
        raise Http404("Berkas hasil pekerjaan ini sudah tidak tersedia; mulai ulang pekerjaannya.") from e
    return FileResponse(berkas, as_attachment=True, filename=p.nama_berkas or "hasil")


@login_required
@require_POST
def ulang(request: HttpRequest, pk: int) -> HttpResponse:
    p = _pekerjaan(request, pk, "pekerjaan.restart_pekerjaan")
    if p.aktif and not p.terhenti:
        messages.info(request, f"{p.judul} masih berjalan; tunggu hingga selesai.")
    else:
        baru = services.mulai_ulang(p)
        messages.success(request, f"{baru.judul} dimulai ulang di latar belakang.")
        p = baru
    kembali = request.POST.get("kembali", "")
    if kembali and url_has_allowed_host_and_scheme(kembali, {request.get_host()}, request.is_secure()):
        return redirect(kembali)
    return redirect("pekerjaan:detail", pk=p.pk)
