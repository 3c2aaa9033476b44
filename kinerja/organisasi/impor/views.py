"""Import of unit kerja, jabatan, pegawai and penempatan from one Excel workbook (admin kepegawaian only).

The page checks the whole file first. A file without errors is not written at once: the page shows what
the import will create, change and close (a preview), keeps the file server-side for this admin, and
imports it — checked again, in one transaction — when the admin confirms (docs/rules.md §26).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.impor import services as importer
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


def _show_errors(context: dict[str, object], errors: list[importer.RowError]) -> None:
    context["kesalahan"] = errors[:MAX_ERRORS_SHOWN]
    context["jumlah_kesalahan"] = len(errors)
    context["kesalahan_tersembunyi"] = max(0, len(errors) - MAX_ERRORS_SHOWN)


@login_required
def impor(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    form = ImporForm(request.POST, request.FILES) if request.method == "POST" else ImporForm()
    context = _context(instansi, form)
    if form.is_bound and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        plan = importer.parse_workbook(berkas, instansi)
        errors = plan.errors
        if plan.ok:
            pratinjau = importer.preview(plan, request.user)
            errors = pratinjau.errors
            if pratinjau.ok:
                berkas.seek(0)
                tertunda = importer.save_tertunda(request.user, instansi, berkas.name, berkas.read())
                context.update(
                    pratinjau=pratinjau,
                    tertunda=tertunda,
                    peringatan=plan.warnings,
                    berlaku_menit=int(importer.PRATINJAU_BERLAKU.total_seconds() // 60),
                    perubahan=[
                        # in file order (the import itself writes parents first)
                        (
                            sheet,
                            sorted(c.changes, key=lambda p: p.row)[:MAX_CHANGES_SHOWN],
                            max(0, len(c.changes) - MAX_CHANGES_SHOWN),
                        )
                        for sheet, c in pratinjau.rows()
                        if c.changes
                    ],
                )
        if errors:
            _show_errors(context, errors)
        context["nama_berkas"] = berkas.name
        context["form"] = ImporForm()  # the file input cannot be prefilled; an empty form for the next upload
    return render(request, "organisasi/impor.html", context)


@login_required
@require_POST
def import_terapkan(request: HttpRequest, kode: str) -> HttpResponse:
    """Apply a previewed upload: only the admin who uploaded it, before it expires, checked again."""
    instansi = admin_instansi(request)
    context = _context(instansi, ImporForm())
    tertunda = importer.fetch_tertunda(kode, request.user, instansi)
    if tertunda is None:
        context["kedaluwarsa"] = True
        return render(request, "organisasi/impor.html", context, status=410)
    context["nama_berkas"] = tertunda.nama_berkas
    plan = importer.parse_workbook(importer.berkas_tertunda(tertunda), instansi)
    errors = plan.errors
    if plan.ok:
        result = importer.apply(plan, request.user)
        errors = result.errors
        if result.ok:
            context["hasil"] = result
            tertunda.delete()
    if errors:  # the data changed since the preview: nothing imported, the admin sees why
        _show_errors(context, errors)
    return render(request, "organisasi/impor.html", context)


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
