"""Bulk Excel pages for the pegawai: download the workbook of a periode, upload it back.

The upload page checks the whole file first and saves only when no row has an error, in one transaction;
otherwise it lists every error (sheet, row, column, value, message). Only the SKP's owner may upload.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.excel import workbook as excel
from kinerja.perencanaan import selectors as perencanaan_selectors
from kinerja.perencanaan.models import Skp
from kinerja.permissions import is_pemilik
from kinerja.rules.alur import Status

MAX_ERRORS_SHOWN = 500


class UnggahForm(BootstrapMixin, forms.Form):
    berkas = forms.FileField(
        label="Berkas Excel (.xlsx)",
        help_text="Berkas yang diunduh dari halaman ini lalu diisi; "
        f"paling besar {excel.MAX_UPLOAD_BYTES // 1024 // 1024} MB.",
        error_messages={
            "required": "Pilih berkas Excel (.xlsx) yang akan diunggah.",
            "empty": "Berkas kosong (0 byte).",
        },
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )


def _skp_saya(request: HttpRequest) -> tuple[Skp | None, Any, list[Any]]:
    """The pegawai's approved SKP for ``?periode=N`` (``?skp=ID`` picks another of their own SKP)."""
    if not request.user.pegawai_id:
        raise PermissionDenied("Halaman ini untuk pegawai yang memiliki SKP.")
    pegawai = request.user.pegawai
    skp_id = request.GET.get("skp", "")
    if skp_id.isdigit():
        skp = Skp.objects.select_related("periode", "pegawai").filter(pk=int(skp_id)).first()
        if skp is None:
            raise Http404("SKP tidak ditemukan.")
        if not is_pemilik(request.user, skp):
            raise PermissionDenied("Berkas Excel hanya dapat diunduh untuk SKP Anda sendiri.")
        if skp.status != Status.DISETUJUI.value:
            raise Http404("SKP ini belum disetujui.")
        daftar = selectors.periode_list(skp.periode)
        return skp, selectors.select_periode(daftar, request.GET.get("periode")), daftar
    periode = perencanaan_selectors.periode_berjalan(pegawai.instansi)
    if periode is None:
        return None, None, []
    daftar = selectors.periode_list(periode)
    if not daftar:
        return None, None, []
    pp = selectors.select_periode(daftar, request.GET.get("periode"))
    skp = selectors.skp_realisasi(pegawai, periode, pp)
    return skp, pp, daftar


@login_required
def unduh(request: HttpRequest) -> HttpResponse:
    skp, periode, _ = _skp_saya(request)
    if skp is None:
        raise Http404("Anda belum memiliki SKP yang disetujui untuk periode ini.")
    response = HttpResponse(excel.build_workbook(skp, periode), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{excel.nama_berkas(skp, periode)}"'
    return response


@login_required
def unggah(request: HttpRequest) -> HttpResponse:
    skp, periode, daftar = _skp_saya(request)
    form = UnggahForm(request.POST, request.FILES) if request.method == "POST" else UnggahForm()
    ctx: dict[str, Any] = {"nav": "realisasi", "form": form, "skp": skp, "periode": periode, "daftar": daftar}
    status = 200
    if form.is_bound and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        plan = excel.parse_workbook(berkas, request.user)
        errors = plan.errors
        if plan.ok:
            errors = excel.apply(plan, request.user)
            if not errors:
                ctx["hasil"] = plan
        if errors:
            ctx["kesalahan"] = errors[:MAX_ERRORS_SHOWN]
            ctx["jumlah_kesalahan"] = len(errors)
            ctx["kesalahan_tersembunyi"] = max(0, len(errors) - MAX_ERRORS_SHOWN)
            status = 403 if plan.ditolak else 200
        if plan.skp is not None and plan.periode is not None and not plan.ditolak:
            ctx["skp"], ctx["periode"] = plan.skp, plan.periode
        ctx["nama_berkas"] = berkas.name
        ctx["form"] = UnggahForm()
    return render(request, "pelaksanaan/excel/unggah.html", ctx, status=status)
