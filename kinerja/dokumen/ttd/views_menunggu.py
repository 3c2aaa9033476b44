"""The "Menunggu tanda tangan saya" page: what the user must sign now, and signing a selection of it with
one passphrase as a background job (docs/rules.md §29.6). Thin: list (`menunggu.menunggu_ttd`), read the
form, start the job (`massal.start_ttd_massal`), show the user's latest bulk jobs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd import layanan, massal
from kinerja.dokumen.ttd.forms import TtdForm
from kinerja.dokumen.ttd.menunggu import ItemTtd, menunggu_ttd
from kinerja.pekerjaan.models import Pekerjaan


class TtdMassalForm(TtdForm):
    """The single signing form (NIK for BSrE, passphrase or TOTP) plus the selection."""

    pilih = forms.MultipleChoiceField(
        label="Dokumen",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Pilih paling sedikit satu dokumen.",
            "invalid_choice": massal.PESAN_TIDAK_MENUNGGU,
        },
    )

    def __init__(self, daftar: list[ItemTtd], *args: Any, atur: PengaturanTtd | None = None, **kwargs: Any):
        super().__init__(*args, atur=atur, **kwargs)
        self.fields["pilih"].choices = [(i.kunci, i.kunci) for i in daftar]  # type: ignore[attr-defined]


def _pengaturan(user: Any) -> PengaturanTtd | None:
    return layanan.pengaturan(user.pegawai.instansi_id) if user.pegawai_id else None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def menunggu(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    atur = _pengaturan(user)
    daftar = menunggu_ttd(user, atur)
    form = TtdMassalForm(daftar, request.POST if request.method == "POST" else None, atur=atur)
    if form.is_bound:
        if not daftar:
            raise PermissionDenied("Tidak ada dokumen yang menunggu tanda tangan Anda.")
        if form.is_valid():
            d = form.cleaned_data
            try:
                p = massal.start_ttd_massal(
                    user, d["pilih"], form.kredensial(), request.build_absolute_uri("/")
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if p.baru:
                    messages.success(request, f"{p.judul} dimulai di latar; kemajuannya di bawah.")
                else:
                    messages.info(request, "Dokumen yang sama sedang ditandatangani; kemajuannya di bawah.")
                return redirect(request.path)
        # Never echo what was typed (the errors stay; only the rendered values go).
        data = form.data.copy()
        for nama in ("passphrase", "totp"):
            data.pop(nama, None)
        form.data = data
    pekerjaan = list(
        Pekerjaan.objects.filter(pemilik_id=user.pk, jenis=massal.JENIS_PEKERJAAN).order_by(
            "-dibuat_pada", "-pk"
        )[:3]
    )
    dipilih = set(form["pilih"].value() or []) if form.is_bound else set()
    return render(
        request,
        "dokumen/ttd/menunggu.html",
        {"nav": "ttd", "daftar": daftar, "form": form, "dipilih": dipilih, "daftar_pekerjaan": pekerjaan},
        status=422 if form.is_bound and form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def kartu(request: HttpRequest) -> HttpResponse:
    """The dashboard card, loaded by htmx after the dashboard (whose own query count stays as it was):
    empty when nothing waits or the instansi signs on paper. ``?bentuk=tugas``: as an item of the
    dashboard's to-do list (docs/rules.md §32)."""
    jumlah = len(menunggu_ttd(request.user, _pengaturan(request.user)))
    if not jumlah:
        return HttpResponse("")
    tugas = request.GET.get("bentuk") == "tugas"
    template = "dokumen/ttd/_tugas_beranda.html" if tugas else "dokumen/ttd/_kartu_beranda.html"
    return render(request, template, {"jumlah_ttd": jumlah})
