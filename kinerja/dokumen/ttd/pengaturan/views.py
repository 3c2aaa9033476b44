"""The admin's electronic-signature pages: the instansi's settings and its signers' certificates
(docs/rules.md §29.2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.common.forms import apply_errors
from kinerja.dokumen.models import PengaturanTtd, SertifikatTtd
from kinerja.dokumen.ttd.bsre import PenyediaBsre
from kinerja.dokumen.ttd.layanan import pengaturan as pengaturan_instansi
from kinerja.dokumen.ttd.pengaturan import selectors, services
from kinerja.dokumen.ttd.pengaturan.forms import PengaturanTtdForm, UnggahSertifikatForm
from kinerja.dokumen.ttd.penyedia import GagalTtd
from kinerja.organisasi.models import Instansi
from kinerja.permissions import admin_instansi

T = "dokumen/ttd/"


def _instansi(request: HttpRequest) -> Instansi:
    instansi = admin_instansi(request)
    if not request.user.has_perm("dokumen.manage_ttd", instansi):
        raise PermissionDenied("Halaman ini hanya untuk admin kepegawaian.")
    return instansi


@login_required
def pengaturan(request: HttpRequest) -> HttpResponse:
    instansi = _instansi(request)
    atur = pengaturan_instansi(instansi.pk)
    tersimpan = bool(atur.bsre_sandi)
    if request.method == "POST":
        form = PengaturanTtdForm(request.POST, sandi_tersimpan=tersimpan)
        if form.is_valid():
            try:
                services.simpan_pengaturan(
                    request.user, instansi, services.IsianPengaturan(**form.cleaned_data)
                )
            except ValidationError as exc:
                apply_errors(form, exc, tandai=False)
            else:
                messages.success(request, "Pengaturan tanda tangan elektronik disimpan.")
                return redirect("dokumen:ttd_pengaturan")
    else:
        awal = {
            f: getattr(atur, f) for f in ("penyedia", "bsre_url", "bsre_versi", "bsre_pengguna", "tsa_url")
        }
        awal["lokasi"] = atur.lokasi or instansi.kota
        form = PengaturanTtdForm(initial=awal, sandi_tersimpan=tersimpan)
    ctx = {
        "nav": "organisasi",
        "tab": "pengaturan",
        "instansi": instansi,
        "atur": atur,
        "sandi_tersimpan": tersimpan,
        "form": form,
    }
    return render(request, T + "pengaturan.html", ctx, status=422 if form.errors else 200)


@login_required
@require_POST
def uji_bsre(request: HttpRequest) -> HttpResponse:
    """Ask the saved BSrE gateway whether it answers and accepts the application's account."""
    instansi = _instansi(request)
    atur = pengaturan_instansi(instansi.pk)
    if atur.penyedia != PengaturanTtd.Penyedia.BSRE:
        messages.error(request, "Pilih dan simpan penyedia BSrE lebih dulu, lalu uji koneksinya.")
        return redirect("dokumen:ttd_pengaturan")
    try:
        pesan = PenyediaBsre(atur, timeout=15).uji_koneksi()
    except GagalTtd as exc:
        messages.error(request, f"Uji koneksi BSrE gagal: {exc.pesan}")
    else:
        messages.success(request, pesan)
    return redirect("dokumen:ttd_pengaturan")


@login_required
def sertifikat(request: HttpRequest) -> HttpResponse:
    instansi = _instansi(request)
    if request.method == "POST":
        form = UnggahSertifikatForm(request.POST, request.FILES)
        if form.is_valid():
            berkas = form.cleaned_data["berkas"]
            try:
                obj = services.daftarkan_sertifikat(
                    request.user,
                    instansi,
                    form.cleaned_data["nip"],
                    berkas.read(),
                    form.cleaned_data["passphrase"],
                )
            except ValidationError as exc:
                apply_errors(form, exc, tandai=False)
            else:
                messages.success(request, f"Sertifikat {obj.subjek} didaftarkan.")
                return redirect("dokumen:ttd_sertifikat")
    else:
        form = UnggahSertifikatForm()
    ctx = {
        "nav": "organisasi",
        "tab": "sertifikat",
        "instansi": instansi,
        "daftar": selectors.sertifikat_instansi(instansi.pk),
        "akar": selectors.akar_terpasang(),
        "sekarang": timezone.now(),
        "form": form,
    }
    return render(request, T + "sertifikat.html", ctx, status=422 if form.errors else 200)


@login_required
@require_POST
def sertifikat_nonaktif(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = _instansi(request)
    obj = get_object_or_404(SertifikatTtd, pk=pk, instansi=instansi)
    services.nonaktifkan_sertifikat(request.user, obj)
    messages.success(request, f"Sertifikat {obj.subjek} dinonaktifkan.")
    return redirect("dokumen:ttd_sertifikat")
