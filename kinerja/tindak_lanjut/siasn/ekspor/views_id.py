"""The pegawai's SIASN ids from a file, on the export page (docs/rules.md §21.2, "ID SIASN dari berkas"):
upload (saved at once, or refused listing every problem, or shown with the ids it would replace for the
admin to confirm), the confirmation, and a template listing the instansi's pegawai."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.models import Instansi
from kinerja.permissions import admin_instansi
from kinerja.tindak_lanjut.siasn.ekspor import impor_id
from kinerja.tindak_lanjut.siasn.ekspor import selectors as sel
from kinerja.tindak_lanjut.siasn.ekspor import services as services_id

T = "tindak_lanjut/siasn/"
#: Problems and replacements listed on the page (the counts cover all).
DITAMPILKAN = 200
#: The export page's selection, carried through the upload so the admin comes back to it.
PILIHAN = ("tahun", "periode", "unit")


class IdSiasnForm(BootstrapMixin, forms.Form):
    berkas = forms.FileField(
        label="Berkas NIP dan ID SIASN (.xlsx atau .csv)",
        help_text=(
            "Baris judul dengan kolom “NIP” dan “ID SIASN” (unduhan data pegawai SIASN dengan kolom NIP_BARU "
            f"dan PNS_ID juga diterima); paling besar {impor_id.MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        ),
        error_messages={
            "required": "Pilih berkas .xlsx atau .csv berisi NIP dan ID SIASN.",
            "empty": "Berkas kosong (0 byte).",
        },
        widget=forms.FileInput(attrs={"accept": f".xlsx,.csv,{XLSX_CONTENT_TYPE},text/csv"}),
    )


def _kembali(request: HttpRequest) -> str:
    query = {k: v for k in PILIHAN if (v := request.POST.get(k, "")) and v.isalnum()}
    url = reverse("tindak_lanjut:siasn_ekspor")
    return f"{url}?{urlencode(query)}" if query else url


def _halaman(
    request: HttpRequest, instansi: Instansi, hasil: services_id.HasilImpor | None, form: IdSiasnForm
) -> HttpResponse:
    ctx = {
        "nav": "tindak_lanjut",
        "instansi": instansi,
        "form": form,
        "hasil": hasil,
        "kembali": _kembali(request),
        "pilihan": {k: request.POST.get(k, "") for k in PILIHAN},
    }
    if hasil is not None:
        ctx["galat"] = hasil.galat[:DITAMPILKAN]
        ctx["ganti"] = hasil.rencana.ganti[:DITAMPILKAN]
        ctx["galat_lain"] = max(0, len(hasil.galat) - DITAMPILKAN)
        ctx["ganti_lain"] = max(0, len(hasil.rencana.ganti) - DITAMPILKAN)
    status = 422 if (hasil is not None and hasil.galat) or form.errors else 200
    return render(request, T + "id_siasn.html", ctx, status=status)


def _selesai(request: HttpRequest, hasil: services_id.HasilImpor) -> HttpResponse:
    r = hasil.rencana
    messages.success(
        request,
        f"ID SIASN dari {hasil.nama_berkas} tersimpan: {len(r.baru)} pegawai baru diisi, "
        f"{len(r.ganti)} diganti, {r.sama} sudah sama"
        + (f"; {hasil.tanpa_id} baris tanpa ID SIASN dilewati." if hasil.tanpa_id else "."),
    )
    return redirect(_kembali(request))


@never_cache
@login_required
@require_POST
def impor_id_siasn(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    form = IdSiasnForm(request.POST, request.FILES)
    if not form.is_valid():
        return _halaman(request, instansi, None, form)
    berkas = form.cleaned_data["berkas"]
    hasil = services_id.import_id_siasn(instansi, request.user, berkas, berkas.name)
    if hasil.disimpan:
        return _selesai(request, hasil)
    return _halaman(request, instansi, hasil, IdSiasnForm())


@never_cache
@login_required
@require_POST
def konfirmasi_id_siasn(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    hasil = services_id.confirm_id_siasn(instansi, request.user, request.POST.get("token", ""))
    if hasil.disimpan:
        return _selesai(request, hasil)
    return _halaman(request, instansi, hasil, IdSiasnForm())


@never_cache
@login_required
@require_GET
def template_id_siasn(request: HttpRequest) -> HttpResponse:
    """Every active pegawai with NIP, name and the id stored now: fill the empty ids, upload."""
    instansi = admin_instansi(request)
    response = HttpResponse(
        impor_id.template_xlsx(sel.pegawai_template(instansi)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="id-siasn-{instansi.kode}.xlsx"'
    return response
