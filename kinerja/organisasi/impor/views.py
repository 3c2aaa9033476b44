"""Import of unit kerja, jabatan, pegawai and penempatan from one Excel workbook (admin kepegawaian only).

The upload request checks only the file's size and format and keeps it server-side for this admin; a
background job checks every row and builds the preview (`/impor/<kode>/` shows its progress, then its
errors or the preview). A file without errors is not written at once: the page shows what the import will
create, change and close, and a second job imports it — checked again, in one transaction — when the admin
confirms (docs/rules.md §26).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE, BerkasDitolak, periksa_cepat
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.impor import services as importer
from kinerja.organisasi.models import Instansi
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.views import progres_atau_muat_ulang
from kinerja.permissions import admin_instansi

MAX_ERRORS_SHOWN = 500
MAX_CHANGES_SHOWN = 200  # rows listed per sheet in the preview (the counts cover all)
MAX_UPLOAD_MB = importer.MAX_UPLOAD_BYTES // 1024 // 1024


class ImporForm(BootstrapMixin, forms.Form):
    berkas = forms.FileField(
        label="Berkas Excel (.xlsx)",
        help_text=f"Template yang sudah diisi; paling besar {MAX_UPLOAD_MB} MB.",
        error_messages={
            "required": "Pilih berkas Excel (.xlsx) yang akan diimpor.",
            "empty": "Berkas kosong (0 byte). Unggah berkas Excel (.xlsx) dari template.",
        },
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )


def _context(instansi: object, form: ImporForm) -> dict[str, object]:
    return {
        "nav": "organisasi",
        "instansi": instansi,
        "form": form,
        "sheets": [
            (sheet, importer.SHEET_HELP[sheet], importer.COLUMNS[sheet]) for sheet in importer.DATA_SHEETS
        ],
    }


def _show_errors(
    context: dict[str, object], errors: list[importer.RowError], jumlah: int | None = None
) -> None:
    jumlah = len(errors) if jumlah is None else jumlah
    context["kesalahan"] = errors[:MAX_ERRORS_SHOWN]
    context["jumlah_kesalahan"] = jumlah
    context["kesalahan_tersembunyi"] = max(0, jumlah - min(len(errors), MAX_ERRORS_SHOWN))


@login_required
def impor(request: HttpRequest) -> HttpResponse:
    """The upload: a quick check of the file's size and format, then a background job checks every row."""
    instansi = admin_instansi(request)
    form = ImporForm(request.POST, request.FILES) if request.method == "POST" else ImporForm()
    context = _context(instansi, form)
    if form.is_bound and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        try:
            periksa_cepat(berkas, importer.MAX_UPLOAD_BYTES)
        except BerkasDitolak as exc:
            _show_errors(context, [importer.RowError("(berkas)", None, "", berkas.name, exc.pesan)])
            context["nama_berkas"] = berkas.name
            context["form"] = ImporForm()
            return render(request, "organisasi/impor.html", context)
        _, p = importer.start_periksa(request.user, instansi, berkas.name, berkas.read())
        return redirect("organisasi:impor_pekerjaan", pk=p.pk)
    return render(request, "organisasi/impor.html", context)


def _pekerjaan(request: HttpRequest, pk: int, instansi: Instansi) -> Pekerjaan:
    p = importer.pekerjaan_impor(pk, request.user, instansi)
    if p is None:
        raise Http404("Pemeriksaan atau impor ini tidak ditemukan.")
    return p


@never_cache
@login_required
def impor_pekerjaan(request: HttpRequest, pk: int) -> HttpResponse:
    """One check or import job: its progress while it runs; then its errors, the preview or the result."""
    instansi = admin_instansi(request)
    context = _context(instansi, ImporForm())
    p = _pekerjaan(request, pk, instansi)
    context["pekerjaan"] = p
    hasil = None if p.dipantau else importer.hasil_impor(p)
    if hasil is None:
        return render(request, "organisasi/impor.html", context)
    context["nama_berkas"] = hasil.nama_berkas
    if not hasil.ok:
        _show_errors(context, hasil.errors, hasil.jumlah_kesalahan)
    elif hasil.tahap == importer.JENIS_TERAPKAN:
        context["hasil"] = hasil.result()
    else:
        tertunda = importer.fetch_tertunda(p.parameter.get("kode"), request.user, instansi)
        if tertunda is None:  # cancelled, imported or expired since: nothing to confirm any more
            context["kedaluwarsa"] = True
            return render(request, "organisasi/impor.html", context, status=410)
        context.update(
            pratinjau=hasil.result(),
            tertunda=tertunda,
            peringatan=hasil.warnings,
            berlaku_menit=int(importer.PRATINJAU_BERLAKU.total_seconds() // 60),
            perubahan=[
                (sheet, c.changes, hasil.lainnya.get(sheet, 0))
                for sheet, c in hasil.counts.items()
                if c.changes
            ],
        )
    return render(request, "organisasi/impor.html", context)


@never_cache
@login_required
def impor_progres(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress alone, polled by htmx; once the job has ended the whole page is loaded again to show
    its outcome (``HX-Refresh``)."""
    p = _pekerjaan(request, pk, admin_instansi(request))
    return progres_atau_muat_ulang(p, reverse("organisasi:impor_progres", args=[p.pk]), request)


@login_required
@require_POST
def import_terapkan(request: HttpRequest, kode: str) -> HttpResponse:
    """Apply a previewed upload in the background: only the admin who uploaded it, before it expires, checked
    again by the job."""
    instansi = admin_instansi(request)
    tertunda = importer.fetch_tertunda(kode, request.user, instansi)
    if tertunda is None:
        context = _context(instansi, ImporForm())
        context["kedaluwarsa"] = True
        return render(request, "organisasi/impor.html", context, status=410)
    p = importer.start_terapkan(request.user, instansi, tertunda)
    return redirect("organisasi:impor_pekerjaan", pk=p.pk)


@login_required
@require_POST
def import_batal(request: HttpRequest, kode: str) -> HttpResponse:
    instansi = admin_instansi(request)
    tertunda = importer.fetch_tertunda(kode, request.user, instansi)
    context = _context(instansi, ImporForm())
    if tertunda is None:  # not this admin's, or expired: nothing was cancelled, so say that
        context["kedaluwarsa"] = True
        return render(request, "organisasi/impor.html", context, status=410)
    tertunda.delete()
    context["dibatalkan"] = True
    return render(request, "organisasi/impor.html", context)


@login_required
def template_xlsx(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    response = HttpResponse(importer.build_template(instansi), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="template-impor-kinerja.xlsx"'
    return response
