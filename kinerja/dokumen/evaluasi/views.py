"""Evaluation documents: the Dokumen Evaluasi / Predikat Kinerja Pegawai of one evaluation and
the penetapan predikat of a rating group (PDF and xlsx). Thin: find, check permission, read the content,
register it when final, render.

The group is named with the parameters of the group page (`kinerja.penilaian.kelompok.views`), so it can
link here with the same query: ``periode`` (the periode's number in the year, or ``akhir``), ``penilai``
(a Pegawai pk; ``0``: the group without a penilai, i.e. the head of the instansi rated by the admin;
empty: the reader's own group), ``unit`` (a UnitKerja pk; alone in the instansi setting "unit") and
``tahun`` (default: the running year).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from kinerja.common.pdf import kertas_dari, render_pdf
from kinerja.dokumen import cetak
from kinerja.dokumen.evaluasi import selectors as sumber
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.evaluasi.konteks import konteks_penetapan
from kinerja.dokumen.evaluasi.xlsx import penetapan_xlsx
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.views import (
    XLSX,
    _dasar,
    _int_param,
    _lampiran,
    _pdf_terbit,
    _sumber,
    _url_verifikasi,
)
from kinerja.penilaian.models import Evaluasi
from kinerja.permissions import user_instansi_id


@require_GET
@login_required
def evaluasi_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The Evaluasi Kinerja Pegawai form: periodic, or annual (PERIODE: AKHIR)."""
    return _pdf_evaluasi(request, _evaluasi(request, pk), ringkas=False)


@require_GET
@login_required
def evaluasi_ringkas_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page Dokumen Evaluasi Kinerja Pegawai of the same evaluation (docs/rules.md §31)."""
    return _pdf_evaluasi(request, _evaluasi(request, pk), ringkas=True)


def _evaluasi(request: HttpRequest, pk: int) -> Evaluasi:
    """The evaluation behind either document, readable by the user (404 / 403 otherwise)."""
    return _sumber(
        request,
        sumber.evaluasi_untuk_dokumen,
        pk,
        Evaluasi.DoesNotExist,
        "penilaian.view_evaluasi",
        "Evaluasi tidak ditemukan.",
        "Anda tidak berhak melihat evaluasi kinerja ini.",
    )


def _pdf_evaluasi(request: HttpRequest, ev: Evaluasi, ringkas: bool) -> HttpResponse:
    isi = sumber.fill_evaluasi(ev)
    dok = services_evaluasi.issue_evaluasi(ev, isi, request.user, ringkas) if ev.is_final else None
    kertas = kertas_dari(request.GET.get("kertas"))
    pdf = cetak.pdf_evaluasi(ev, isi, dok, _dasar(request), kertas, ringkas)
    return _lampiran(pdf, "application/pdf", sumber.nama_berkas_pdf(ev, ringkas))


def _penetapan(request: HttpRequest) -> sumber.Penetapan:
    user = request.user
    try:
        kel = sumber.find_kelompok(
            instansi_id=user_instansi_id(user),
            pegawai_id=user.pegawai_id,
            penilai=request.GET.get("penilai", "").strip(),
            unit_id=_int_param(request, "unit"),
            periode=request.GET.get("periode", ""),
            tahun=_int_param(request, "tahun"),
        )
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    if not user.has_perm("penilaian.view_kelompok", kel):
        raise PermissionDenied("Anda tidak berhak melihat penetapan predikat kelompok ini.")
    return sumber.fill_penetapan(kel)


def _nama_berkas(pen: sumber.Penetapan, ext: str) -> str:
    kel = pen.kelompok
    periode = f"P{kel.periode_penilaian.nomor}" if kel.periode_penilaian else "Akhir"
    draf = "" if pen.final else "-DRAFT"
    return f"Penetapan-Predikat-{kel.unit.kode}-{kel.periode.tahun}-{periode}{draf}.{ext}"


@require_GET
@login_required
def penetapan_pdf(request: HttpRequest) -> HttpResponse:
    pen = _penetapan(request)
    kertas = kertas_dari(request.GET.get("kertas"))
    kota = pen.kelompok.periode.instansi.kota
    kunci = f"penetapan-{pen.kelompok.unit.pk}"

    def html(dok: Dokumen | None, url: str) -> str:
        return render_to_string(
            "dokumen/evaluasi/penetapan.html",
            konteks_penetapan(pen.isi, dok, url, kota, kunci, pen.kelompok.periode.instansi),
        )

    if pen.final:
        dok = services_evaluasi.issue_penetapan(pen, request.user)
        pdf = _pdf_terbit(request, dok, kertas, lambda url: html(dok, url))
    else:
        pdf = render_pdf(html(None, ""), kertas=kertas)
    return _lampiran(pdf, "application/pdf", _nama_berkas(pen, "pdf"))


@require_GET
@login_required
def penetapan_xlsx_view(request: HttpRequest) -> HttpResponse:
    pen = _penetapan(request)
    url = sha = ""
    if pen.final:
        dok = services_evaluasi.issue_penetapan(pen, request.user)
        url, sha = _url_verifikasi(request, dok), dok.sha256
    isi = penetapan_xlsx(pen.isi.data, pen.final, url, sha)
    return _lampiran(isi, XLSX, _nama_berkas(pen, "xlsx"), inline=False)
