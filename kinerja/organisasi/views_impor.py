"""Import of unit kerja, jabatan, pegawai and penempatan from one Excel workbook (admin kepegawaian only).

The page checks the whole file first; it imports only when no row has an error, all in one transaction.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import impor as importer
from .forms import BootstrapMixin
from .views import admin_instansi

MAX_ERRORS_SHOWN = 500
MAX_UPLOAD_MB = importer.MAX_UPLOAD_BYTES // 1024 // 1024


class ImporForm(BootstrapMixin, forms.Form):
    berkas = forms.FileField(
        label="Berkas Excel (.xlsx)",
        help_text=f"Template yang sudah diisi; paling besar {MAX_UPLOAD_MB} MB.",
        error_messages={
            "required": "Pilih berkas Excel (.xlsx) yang akan diimpor.",
            "empty": "Berkas kosong (0 byte). Unggah berkas Excel (.xlsx) dari template.",
        },
        widget=forms.FileInput(attrs={"accept": f".xlsx,{importer.XLSX_CONTENT_TYPE}"}),
    )


@login_required
def impor(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    form = ImporForm(request.POST, request.FILES) if request.method == "POST" else ImporForm()
    context: dict[str, object] = {
        "nav": "organisasi",
        "instansi": instansi,
        "form": form,
        "sheets": [
            (sheet, importer.SHEET_HELP[sheet], importer.COLUMNS[sheet]) for sheet in importer.DATA_SHEETS
        ],
    }
    if form.is_bound and form.is_valid():
        plan = importer.parse_workbook(form.cleaned_data["berkas"], instansi)
        errors = plan.errors
        if plan.ok:
            result = importer.apply(plan, request.user)
            errors = result.errors
            if result.ok:
                context["hasil"] = result
        if errors:
            context["kesalahan"] = errors[:MAX_ERRORS_SHOWN]
            context["jumlah_kesalahan"] = len(errors)
            context["kesalahan_tersembunyi"] = max(0, len(errors) - MAX_ERRORS_SHOWN)
        context["nama_berkas"] = form.cleaned_data["berkas"].name
        form = ImporForm()  # the file input cannot be prefilled; show an empty form for the next upload
        context["form"] = form
    return render(request, "organisasi/impor.html", context)


@login_required
def template_xlsx(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    response = HttpResponse(importer.build_template(instansi), content_type=importer.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="template-impor-kinerja.xlsx"'
    return response
