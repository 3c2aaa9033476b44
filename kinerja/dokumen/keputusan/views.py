"""The keberatan decision as PDF (docs/rules.md §29.7). Thin: find, check who may read, issue, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from kinerja.common.pdf import kertas_dari
from kinerja.dokumen.keputusan import selectors, services
from kinerja.dokumen.keputusan.cetak import pdf_keputusan
from kinerja.permissions.tindak_lanjut import may_view_keberatan
from kinerja.tindak_lanjut.models import Keberatan


def _keberatan_diputus(request: HttpRequest, pk: int, belum: str) -> Keberatan:
    """The keberatan when the reader may read it (403 otherwise) and it is decided (404 ``belum`` not)."""
    try:
        k = selectors.keberatan_untuk_dokumen(pk)
    except Keberatan.DoesNotExist as exc:
        raise Http404("Keberatan tidak ditemukan.") from exc
    if not may_view_keberatan(request.user, k):
        raise PermissionDenied("Anda tidak berhak melihat keberatan ini.")
    if not selectors.diputus(k):
        raise Http404(belum)
    return k


@require_GET
@login_required
def keputusan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may read the keberatan may read its decision; there is none before it is decided (404)."""
    k = _keberatan_diputus(request, pk, "Keberatan ini belum diputus: dokumen keputusan belum ada.")
    isi = selectors.fill_keputusan(k)
    dok = services.issue_keputusan(k, isi, request.user)
    pdf = pdf_keputusan(isi, dok, request.build_absolute_uri("/"), kertas_dari(request.GET.get("kertas")))
    response = HttpResponse(pdf, content_type="application/pdf")
    nama = f"Keputusan-Keberatan-{isi.data['pegawai']['nip']}-{isi.data['tahun']}.pdf"
    response["Content-Disposition"] = f'inline; filename="{nama}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def entri_ttd(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Tanda tangani keputusan": issue the decision's document (as its download does) and go to its
    signing page, where `dokumen.sign_dokumen` decides (docs/rules.md §29.7)."""
    k = _keberatan_diputus(
        request, pk, "Keberatan ini belum diputus: belum ada keputusan untuk ditandatangani."
    )
    dok = services.issue_keputusan(k, selectors.fill_keputusan(k), request.user)
    return redirect("dokumen:ttd", token=dok.token)
