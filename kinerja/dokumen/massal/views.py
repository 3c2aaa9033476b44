"""The page that starts a unit's zip of documents and shows its progress (admin kepegawaian, or the head of
the unit). Thin: check the right, read the form, start the job (`services.start_arsip`), show the user's
latest zips of the unit with `pekerjaan/_progres.html`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kinerja.dokumen.massal import selectors, services
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.models import Periode, PeriodePenilaian, UnitKerja
from kinerja.perencanaan import selectors as perencanaan_selectors

AKHIR = "akhir"


class ArsipForm(BootstrapMixin, forms.Form):
    jenis = forms.ChoiceField(
        label="Dokumen",
        choices=[
            (selectors.SKP, "SKP (yang sudah disetujui)"),
            (selectors.EVALUASI, "Evaluasi kinerja dan dokumen evaluasi 1 halaman (yang sudah final)"),
        ],
        initial=selectors.SKP,
        widget=forms.RadioSelect,
    )
    periode = forms.ModelChoiceField(label="Tahun", queryset=Periode.objects.none(), empty_label=None)
    bagian = forms.ChoiceField(
        label="Periode evaluasi",
        help_text="Hanya untuk dokumen evaluasi: periodik (triwulan/semester/bulan) atau akhir tahun.",
        required=False,
    )
    sub_unit = forms.BooleanField(label="Termasuk semua sub-unit", required=False, initial=True)

    def __init__(self, unit: UnitKerja, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jenis"].widget.attrs["class"] = "form-check-input"  # radios, not a text box
        daftar = Periode.objects.filter(instansi_id=unit.instansi_id).order_by("-tahun")
        field: Any = self.fields["periode"]
        field.queryset = daftar
        field.label_from_instance = lambda p: str(p.tahun)
        berjalan = perencanaan_selectors.periode_berjalan(unit.instansi)
        field.initial = berjalan.pk if berjalan else None
        nama = (
            {pp.nomor: pp.nama for pp in PeriodePenilaian.objects.filter(periode=berjalan)}
            if berjalan
            else {}
        )
        self.fields["bagian"].choices = [  # type: ignore[attr-defined]
            (AKHIR, "Akhir tahun (predikat tahunan)"),
            *((str(n), nama[n]) for n in sorted(nama)),
        ]
        self.fields["bagian"].initial = AKHIR

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["periode_penilaian"] = None
        periode, bagian = data.get("periode"), data.get("bagian") or AKHIR
        if data.get("jenis") == selectors.EVALUASI and periode is not None and bagian != AKHIR:
            pp = PeriodePenilaian.objects.filter(periode=periode, nomor=int(bagian)).first()
            if pp is None:
                self.add_error("bagian", f"Periode evaluasi ini tidak ada pada tahun {periode.tahun}.")
            data["periode_penilaian"] = pp
        return data


@login_required
def arsip_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(UnitKerja.objects.select_related("instansi"), pk=unit_id)
    if not request.user.has_perm("dokumen.unduh_arsip_unit", unit):
        raise PermissionDenied("Anda tidak berhak mengunduh dokumen unit ini.")
    form = ArsipForm(unit, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            p = services.start_arsip(
                request.user,
                unit,
                d["periode"],
                d["jenis"],
                d["periode_penilaian"],
                d["sub_unit"],
                request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not p.baru:
                messages.info(request, "Berkas zip yang sama sedang disiapkan; kemajuannya di bawah.")
            return redirect(request.path)
    return render(
        request,
        "dokumen/massal/arsip_unit.html",
        {"unit": unit, "form": form, "daftar_pekerjaan": selectors.arsip_terakhir(request.user, unit)},
    )
