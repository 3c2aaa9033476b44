"""Bulk Excel pages for the pegawai: download the workbook of a periode, upload it back.

The upload request checks only the file's size and format; a background job checks the whole file and
saves only when no row has an error, in one transaction (`services.jalankan_unggah`); the page follows its
progress, then lists every error (sheet, row, column, value, message) or what was saved. Only the SKP's
owner may upload.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE, BerkasDitolak, periksa_cepat
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.impor.services import RowError
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.views import progres_atau_muat_ulang
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.excel import services
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
    """The upload: a quick check of size and format, then a background job checks and saves every row."""
    skp, periode, daftar = _skp_saya(request)
    form = UnggahForm(request.POST, request.FILES) if request.method == "POST" else UnggahForm()
    ctx: dict[str, Any] = {"nav": "realisasi", "form": form, "skp": skp, "periode": periode, "daftar": daftar}
    if form.is_bound and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        try:
            periksa_cepat(berkas, excel.MAX_UPLOAD_BYTES)
        except BerkasDitolak as exc:
            _kesalahan(ctx, [RowError("(berkas)", None, "", berkas.name, exc.pesan)], 1)
            ctx["nama_berkas"] = berkas.name
            ctx["form"] = UnggahForm()
            return render(request, "pelaksanaan/excel/unggah.html", ctx)
        p = services.start_unggah(request.user, berkas.name, berkas.read())
        return redirect("pelaksanaan:realisasi_excel_pekerjaan", pk=p.pk)
    return render(request, "pelaksanaan/excel/unggah.html", ctx)


def _kesalahan(ctx: dict[str, Any], errors: list[RowError], jumlah: int) -> None:
    ctx["kesalahan"] = errors[:MAX_ERRORS_SHOWN]
    ctx["jumlah_kesalahan"] = jumlah
    ctx["kesalahan_tersembunyi"] = max(0, jumlah - min(len(errors), MAX_ERRORS_SHOWN))


def _pekerjaan(request: HttpRequest, pk: int) -> Pekerjaan:
    p = services.pekerjaan_unggah(pk, request.user)
    if p is None:
        raise Http404("Unggahan ini tidak ditemukan.")
    return p


@never_cache
@login_required
def unggah_pekerjaan(request: HttpRequest, pk: int) -> HttpResponse:
    """One upload's job: its progress while it runs; then its errors or what it saved (403 when the file
    belonged to someone else's SKP, as before)."""
    skp, periode, daftar = _skp_saya(request)
    p = _pekerjaan(request, pk)
    ctx: dict[str, Any] = {
        "nav": "realisasi",
        "form": UnggahForm(),
        "skp": skp,
        "periode": periode,
        "daftar": daftar,
        "pekerjaan": p,
    }
    hasil = None if p.dipantau else services.hasil_unggah(p)
    if hasil is None:
        return render(request, "pelaksanaan/excel/unggah.html", ctx)
    ctx["nama_berkas"] = hasil.nama_berkas
    rencana = hasil.rencana()
    if rencana.skp is not None and rencana.periode is not None:
        ctx["skp"], ctx["periode"] = rencana.skp, rencana.periode
    if not hasil.ok:
        _kesalahan(ctx, hasil.errors, hasil.jumlah_kesalahan)
    else:
        ctx["hasil"] = rencana
    status = 403 if hasil.ditolak else 200
    return render(request, "pelaksanaan/excel/unggah.html", ctx, status=status)


@never_cache
@login_required
def unggah_progres(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress alone, polled by htmx; once the job has ended the page is loaded again (HX-Refresh)."""
    p = _pekerjaan(request, pk)
    return progres_atau_muat_ulang(p, reverse("pelaksanaan:realisasi_excel_progres", args=[p.pk]), request)
