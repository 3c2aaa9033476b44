"""The signing page of an issued document and the routes that issue the current document of an SKP, an
evaluation or a group's penetapan and open its signing page (docs/rules.md §29.5). Thin: find, check the
right, call `services.tanda_tangani`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.dokumen import selectors as dokumen_selectors
from kinerja.dokumen import services as dokumen_services
from kinerja.dokumen.evaluasi import selectors as sumber_evaluasi
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.evaluasi.views import _penetapan
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.ttd import pihak, selectors, services
from kinerja.dokumen.ttd.forms import TtdForm
from kinerja.dokumen.ttd.penyedia import GagalTtd
from kinerja.dokumen.views import _dasar, _sumber
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.permissions import allowed


def _halaman(token: str) -> Dokumen:
    dok = selectors.dokumen_by_token(token)
    if dok is None:
        raise Http404("Dokumen tidak ditemukan.")
    return dok


def _url_pdf(dok: Dokumen) -> str:
    if dok.jenis == Dokumen.Jenis.SKP:
        return reverse("dokumen:skp_pdf", args=[dok.objek_id]) + f"?revisi={dok.revisi}"
    if dok.jenis in (Dokumen.Jenis.EVALUASI, Dokumen.Jenis.PREDIKAT):
        return reverse("dokumen:evaluasi_pdf", args=[dok.objek_id])
    if dok.jenis == Dokumen.Jenis.RINGKAS:
        return reverse("dokumen:evaluasi_ringkas_pdf", args=[dok.objek_id])
    if dok.jenis == Dokumen.Jenis.KEPUTUSAN_KEBERATAN:
        return reverse("dokumen:keputusan_keberatan_pdf", args=[dok.objek_id])
    return reverse("dokumen:ttd_berkas", args=[dok.token]) if dok.berkas else ""


@require_http_methods(["GET", "POST"])
@login_required
def halaman(request: HttpRequest, token: str) -> HttpResponse:
    dok = _halaman(token)
    if not request.user.has_perm("dokumen.view_identitas", dok):
        raise PermissionDenied("Anda tidak berhak melihat dokumen ini.")
    boleh = allowed(request.user, "dokumen.sign_dokumen", dok)  # the rule: a superuser signs for nobody
    atur = pihak.pengaturan(dok)
    form = TtdForm(request.POST if request.method == "POST" else None, atur=atur)
    gagal = ""
    if request.method == "POST":
        if not boleh:
            raise PermissionDenied("Anda tidak dapat menandatangani dokumen ini sekarang.")
        if form.is_valid():
            try:
                services.tanda_tangani(dok, request.user, form.kredensial(), _dasar(request))  # type: ignore[arg-type]
            except GagalTtd as exc:
                gagal = exc.pesan
                # Never echo the passphrase or TOTP; the NIK (not a secret) stays for the next try.
                form = TtdForm(initial={"nik": form.cleaned_data.get("nik", "")}, atur=atur)
            else:
                messages.success(request, "Dokumen berhasil ditandatangani secara elektronik.")
                return redirect("dokumen:ttd", token=dok.token)
    return render(
        request,
        "dokumen/ttd/halaman.html",
        {
            "dokumen": dok,
            "slot": selectors.slot_dokumen(dok),
            "boleh": boleh,
            "form": form,
            "gagal": gagal,
            "url_pdf": _url_pdf(dok),
            "aktif": pihak.ttd_aktif(dok),
            "boleh_nomor": request.user.has_perm("dokumen.number_penetapan", dok),
        },
        status=422 if gagal or form.errors else 200,
    )


@require_POST
@login_required
def nomor(request: HttpRequest, token: str) -> HttpResponse:
    """The penetapan's nomor keputusan (docs/rules.md §31), set before it is signed."""
    dok = _halaman(token)
    if not request.user.has_perm("dokumen.view_identitas", dok):
        raise PermissionDenied("Anda tidak berhak melihat dokumen ini.")
    try:
        dokumen_services.atur_nomor_keputusan(request.user, dok, request.POST.get("nomor", ""))  # type: ignore[arg-type]
    except ValidationError as exc:
        for pesan in exc.messages:
            messages.error(request, pesan)
    else:
        messages.success(request, "Nomor keputusan disimpan.")
    return redirect("dokumen:ttd", token=dok.token)


@require_GET
@login_required
def berkas(request: HttpRequest, token: str) -> HttpResponse:
    """The stored (frozen/signed) file of a document, for a reader of its source."""
    dok = _halaman(token)
    if not dok.berkas or not request.user.has_perm("dokumen.view_identitas", dok):
        raise Http404("Berkas tidak ditemukan.")
    with dok.berkas.open("rb") as f:
        isi = f.read()
    response = HttpResponse(isi, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dok.jenis}-r{dok.revisi}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def entri_skp(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _sumber(
        request,
        dokumen_selectors.skp_untuk_dokumen,
        pk,
        Skp.DoesNotExist,
        "perencanaan.view_skp",
        "SKP tidak ditemukan.",
        "Anda tidak berhak melihat SKP ini.",
    )
    isi = dokumen_selectors.fill_skp(skp)
    if not isi.disetujui:
        raise Http404("SKP ini belum disetujui; hanya SKP yang disetujui yang ditandatangani.")
    dok = dokumen_services.issue_skp(skp, isi, request.user)  # type: ignore[arg-type]
    return redirect("dokumen:ttd", token=dok.token)


@require_GET
@login_required
def entri_evaluasi(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _sumber(
        request,
        sumber_evaluasi.evaluasi_untuk_dokumen,
        pk,
        Evaluasi.DoesNotExist,
        "penilaian.view_evaluasi",
        "Evaluasi tidak ditemukan.",
        "Anda tidak berhak melihat evaluasi kinerja ini.",
    )
    if not ev.is_final:
        raise Http404("Evaluasi ini belum final; hanya evaluasi final yang ditandatangani.")
    ringkas = request.GET.get("ringkas") == "1"  # the one-page Dokumen Evaluasi (docs/rules.md §31)
    isi = sumber_evaluasi.fill_evaluasi(ev)
    dok = services_evaluasi.issue_evaluasi(ev, isi, request.user, ringkas=ringkas)  # type: ignore[arg-type]
    return redirect("dokumen:ttd", token=dok.token)


@require_GET
@login_required
def entri_penetapan(request: HttpRequest) -> HttpResponse:
    pen = _penetapan(request)
    if not pen.final:
        raise Http404("Penetapan predikat kelompok ini belum final.")
    dok = services_evaluasi.issue_penetapan(pen, request.user)  # type: ignore[arg-type]
    return redirect("dokumen:ttd", token=dok.token)
