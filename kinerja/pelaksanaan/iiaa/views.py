"""Laporan capaian IIAA pages: the periode's report, its edit form, action plan status, PDF.

Thin: every view checks `perencanaan.view_skp` first (owner, penilai chain, admin of the instansi); writes
go through `services_iiaa`, which allows only the SKP's owner.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.common.forms import apply_errors
from kinerja.common.pdf import kertas_dari, render_pdf
from kinerja.common.pengguna import pegawai_sendiri
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.iiaa import selectors as selectors_iiaa
from kinerja.pelaksanaan.iiaa import services as services_iiaa
from kinerja.pelaksanaan.models import LaporanIIAA, RencanaTindak
from kinerja.pelaksanaan.views import _pemilik, _periode, _skp
from kinerja.perencanaan import selectors as perencanaan_selectors
from kinerja.perencanaan.models import Indikator, Skp
from kinerja.rules.realisasi import format_tanggal, format_waktu

T = "pelaksanaan/iiaa/"
BARIS_KOSONG = 2


class LaporanForm(forms.Form):
    issues = forms.CharField(
        label="Issues (permasalahan)",
        required=False,  # checked by the service, with the action plan
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Apa yang menyebabkan capaian di bawah target?",
    )
    implication = forms.CharField(
        label="Implication (dampak terhadap target)",
        required=False,  # checked by the service, with the action plan
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Apa dampaknya terhadap target tahunan dan kinerja unit/instansi?",
    )
    accountability = forms.CharField(
        label="Accountability (penanggung jawab)",
        required=False,  # checked by the service, with the action plan
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text="Siapa yang bertanggung jawab memperbaikinya?",
    )


class TindakForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    apa = forms.CharField(
        label="Tindakan (apa)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    siapa = forms.CharField(
        label="Penanggung jawab (siapa)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    batas_waktu = forms.DateField(
        label="Batas waktu",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("apa") or "").strip() and not data.get("batas_waktu"):
            self.add_error("batas_waktu", "Isi batas waktu.")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=RencanaTindak.Status.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    catatan = forms.CharField(
        label="Catatan perkembangan",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


# --- helpers ----------------------------------------------------------------------------------------------


def _skp_saya(request: HttpRequest) -> tuple[Skp | None, Any]:
    """The user's approved SKP covering the periode asked for (as on the realisasi page)."""
    pegawai = pegawai_sendiri(request.user, "Halaman ini untuk pegawai yang memiliki SKP.")
    periode = perencanaan_selectors.periode_berjalan(pegawai.instansi)
    if periode is None:
        return None, None
    daftar = selectors.periode_list(periode)
    pp = selectors.select_periode(daftar, request.GET.get("periode")) if daftar else None
    skp = selectors.skp_realisasi(pegawai, periode, pp) or selectors.skp_realisasi(pegawai, periode, None)
    if skp is not None:
        skp = Skp.objects.select_related("periode", "pegawai", "jabatan").get(pk=skp.pk)
    return skp, periode


def _halaman_url(request: HttpRequest, skp: Skp) -> str:
    if _pemilik(request, skp):
        return reverse("pelaksanaan:iiaa")
    return reverse("pelaksanaan:iiaa_skp", args=[skp.pk])


def _pdf_url(request: HttpRequest, skp: Skp) -> str:
    if _pemilik(request, skp):
        return reverse("pelaksanaan:iiaa_pdf")
    return reverse("pelaksanaan:iiaa_skp_pdf", args=[skp.pk])


def _halaman(request: HttpRequest, skp: Skp) -> HttpResponse:
    if not services_iiaa.is_struktural(skp):
        return render(request, T + "tanpa.html", {"nav": "realisasi", "skp": skp, "bukan_struktural": True})
    periode, daftar = _periode(skp, request.GET.get("periode"))
    h = selectors_iiaa.halaman_iiaa(skp, periode, daftar)
    pemilik = _pemilik(request, skp)
    jumlah = selectors_iiaa.jumlah_laporan(skp)
    hari_ini = timezone.localdate()
    tabs = [(p, jumlah.get(p.nomor, 0), p.mulai > hari_ini) for p in daftar]
    return render(
        request,
        T + "halaman.html",
        {
            "nav": "realisasi" if pemilik else "skp",
            "h": h,
            "skp": skp,
            "periode": periode,
            "tabs": tabs,
            "tab_url": _halaman_url(request, skp),
            "pdf_url": _pdf_url(request, skp),
            "pemilik": pemilik,
            "dapat_ubah": pemilik and skp.status == "disetujui",
            "status_choices": RencanaTindak.Status.choices,
            "hari_ini": hari_ini,
        },
    )


# --- pages ------------------------------------------------------------------------------------------------


@login_required
def saya(request: HttpRequest) -> HttpResponse:
    """The structural official's own IIAA report for ``?periode=N``."""
    skp, periode = _skp_saya(request)
    if skp is None:
        return render(request, T + "tanpa.html", {"nav": "realisasi", "periode": periode})
    return _halaman(request, skp)


@login_required
def skp(request: HttpRequest, skp_id: int) -> HttpResponse:
    """The IIAA report of one SKP: editable by its owner, read-only for the penilai chain and admin."""
    obj = _skp(request, skp_id)
    obj = Skp.objects.select_related("periode", "pegawai", "jabatan").get(pk=obj.pk)
    return _halaman(request, obj)


def _tindak_forms(laporan: LaporanIIAA | None, data: Any = None) -> list[TindakForm]:
    rows = list(laporan.rencana_tindak.all()) if laporan else []
    n = len(rows) + BARIS_KOSONG
    if data is not None:
        n = max(n, int(data.get("jumlah_baris") or 0) if str(data.get("jumlah_baris", "")).isdigit() else 0)
        n = min(n, 20)
    forms_ = []
    for i in range(n):
        initial = {}
        if i < len(rows):
            t = rows[i]
            initial = {"pk": t.pk, "apa": t.apa, "siapa": t.siapa, "batas_waktu": t.batas_waktu}
        forms_.append(TindakForm(data, initial=initial, prefix=f"t{i}"))
    return forms_


@login_required
def ubah(request: HttpRequest, skp_id: int, indikator_id: int, nomor: int) -> HttpResponse:
    """Write or change the IIAA report of one indikator in one periode (owner only)."""
    obj = _skp(request, skp_id)
    if not _pemilik(request, obj):
        raise PermissionDenied("Hanya pemilik SKP yang dapat menyusun laporan IIAA-nya.")
    obj = Skp.objects.select_related("periode", "pegawai", "jabatan").get(pk=obj.pk)
    periode, daftar = _periode(obj, nomor)
    indikator = get_object_or_404(
        Indikator.objects.select_related("rhk__skp"),
        pk=indikator_id,
        rhk__skp=obj,
        target_angka__isnull=False,
    )
    laporan = (
        LaporanIIAA.objects.filter(indikator=indikator, periode_penilaian=periode)
        .prefetch_related("rencana_tindak")
        .first()
    )
    baris = services_iiaa.capaian_periode(indikator, periode)
    kembali = f"{_halaman_url(request, obj)}?periode={periode.nomor}"
    if laporan is None and not selectors_iiaa.di_bawah_target(baris):
        messages.info(request, "Capaian indikator ini tidak di bawah target; laporan IIAA tidak diperlukan.")
        return redirect(kembali)
    initial = {}
    if laporan is not None:
        initial = {
            "issues": laporan.issues,
            "implication": laporan.implication,
            "accountability": laporan.accountability,
        }
    data = request.POST if request.method == "POST" else None
    form = LaporanForm(data, initial=initial)
    tindak = _tindak_forms(laporan, data)
    if data is not None:
        valid = form.is_valid() & all([f.is_valid() for f in tindak])
        if valid:
            rencana = [
                services_iiaa.TindakanInput(
                    apa=f.cleaned_data.get("apa") or "",
                    siapa=f.cleaned_data.get("siapa") or "",
                    batas_waktu=f.cleaned_data["batas_waktu"],
                    pk=f.cleaned_data.get("pk"),
                )
                for f in tindak
                if (f.cleaned_data.get("apa") or "").strip()
            ]
            try:
                services_iiaa.save_laporan(
                    obj,
                    indikator,
                    periode,
                    request.user,
                    issues=form.cleaned_data["issues"],
                    implication=form.cleaned_data["implication"],
                    accountability=form.cleaned_data["accountability"],
                    rencana=rencana,
                )
            except ValidationError as exc:
                apply_errors(form, exc)  # "rencana" is no form field: shown above the action plan
            else:
                messages.success(request, f"Laporan IIAA {periode.nama} tersimpan.")
                return redirect(f"{kembali}#iiaa-{indikator.pk}")
    return render(
        request,
        T + "ubah.html",
        {
            "nav": "realisasi",
            "skp": obj,
            "periode": periode,
            "indikator": indikator,
            "baris": baris,
            "laporan": laporan,
            "form": form,
            "tindak": tindak,
            "kembali": kembali,
        },
    )


@login_required
@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner reports the status of an earlier action plan (from the next periode's page)."""
    tindak = get_object_or_404(
        RencanaTindak.objects.select_related("laporan__skp", "laporan__periode_penilaian"), pk=pk
    )
    obj = _skp(request, tindak.laporan.skp_id)
    form = StatusForm(request.POST, prefix=f"s{tindak.pk}")
    nomor = request.POST.get("periode") or ""
    kembali = f"{_halaman_url(request, obj)}?periode={nomor if nomor.isdigit() else ''}#status-{tindak.pk}"
    if not form.is_valid():
        messages.error(request, "Pilih status rencana tindak.")
        return redirect(kembali)
    try:
        services_iiaa.update_status(
            tindak, request.user, form.cleaned_data["status"], form.cleaned_data["catatan"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Status rencana tindak diperbarui.")
    return redirect(kembali)


# --- PDF --------------------------------------------------------------------------------------------------


def _pdf(request: HttpRequest, obj: Skp) -> HttpResponse:
    if not services_iiaa.is_struktural(obj):
        raise PermissionDenied("Laporan IIAA hanya untuk pejabat struktural.")
    periode, daftar = _periode(obj, request.GET.get("periode"))
    h = selectors_iiaa.halaman_iiaa(obj, periode, daftar)
    html = render_to_string(
        T + "pdf.html",
        {
            "h": h,
            "skp": obj,
            "periode": periode,
            "instansi": obj.instansi,
            "dicetak": format_waktu(timezone.localtime()),
            "tanggal_cetak": format_tanggal(timezone.localdate()),
        },
    )
    pdf = render_pdf(html, kertas=kertas_dari(request.GET.get("kertas")))
    response = HttpResponse(pdf, content_type="application/pdf")
    nama = f"IIAA-{obj.pegawai_nip}-{obj.periode.tahun}-{periode.nomor}.pdf"
    response["Content-Disposition"] = f'inline; filename="{nama}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def pdf_saya(request: HttpRequest) -> HttpResponse:
    obj, _ = _skp_saya(request)
    if obj is None:
        raise PermissionDenied("Anda belum memiliki SKP yang disetujui tahun ini.")
    return _pdf(
        request, Skp.objects.select_related("periode", "pegawai", "jabatan", "instansi").get(pk=obj.pk)
    )


@login_required
def pdf_skp(request: HttpRequest, skp_id: int) -> HttpResponse:
    obj = _skp(request, skp_id)
    return _pdf(
        request, Skp.objects.select_related("periode", "pegawai", "jabatan", "instansi").get(pk=obj.pk)
    )
