"""Pages of the taps feature (admin kepegawaian, `kehadiran.manage_kehadiran`): machines and their PINs,
attendance file imports (a background job: progress, then the counts and every refused line)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.kehadiran.halaman import instansi_dikelola
from kinerja.kehadiran.models import MesinPresensi, PinMesin
from kinerja.kehadiran.rekaman import selectors, services
from kinerja.kehadiran.rekaman.forms import ImporForm, MesinForm, PinBerkasForm, PinForm
from kinerja.organisasi.models import Instansi
from kinerja.pekerjaan.views import progres_atau_muat_ulang

T = "kehadiran/rekaman/"


def _mesin(request: HttpRequest, instansi: Instansi, pk: int) -> MesinPresensi:
    m = selectors.mesin(instansi.pk, pk)
    if m is None:
        raise Http404("Mesin presensi tidak ditemukan.")
    return m


def _galat(form: object, e: ValidationError) -> None:
    if hasattr(e, "error_dict"):
        for field, errs in e.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)  # type: ignore[attr-defined]
    else:
        form.add_error(None, e.messages)  # type: ignore[attr-defined]


@login_required
def mesin_daftar(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    return render(
        request, T + "mesin_daftar.html", {"nav": "kehadiran", "mesin": selectors.daftar_mesin(instansi.pk)}
    )


@login_required
def mesin_ubah(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instansi = instansi_dikelola(request)
    m = _mesin(request, instansi, pk) if pk is not None else MesinPresensi(instansi=instansi)
    form = MesinForm(request.POST or None, instance=m)
    if request.method == "POST" and form.is_valid():
        try:
            m = services.simpan_mesin(request.user, instansi, form.instance)
        except ValidationError as e:
            _galat(form, e)
        else:
            messages.success(request, f"Mesin {m.nama} disimpan.")
            return redirect("kehadiran:mesin_ubah", pk=m.pk)
    context = {
        "nav": "kehadiran",
        "form": form,
        "m": m,
        "pin_form": PinForm(),
        "berkas_form": PinBerkasForm(),
    }
    if m.pk:
        context["pin"] = selectors.pin_mesin(m)
    return render(request, T + "mesin_ubah.html", context)


def _halaman_mesin(request: HttpRequest, m: MesinPresensi, **forms: object) -> HttpResponse:
    context = {
        "nav": "kehadiran",
        "form": MesinForm(instance=m),
        "m": m,
        "pin": selectors.pin_mesin(m),
        "pin_form": PinForm(),
        "berkas_form": PinBerkasForm(),
        **forms,
    }
    return render(request, T + "mesin_ubah.html", context, status=422)


@login_required
@require_POST
def pin_tambah(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    m = _mesin(request, instansi, pk)
    form = PinForm(request.POST)
    if form.is_valid():
        try:
            services.tambah_pin(request.user, m, form.cleaned_data["pin"], form.cleaned_data["nip"])
        except ValidationError as e:
            _galat(form, e)
        else:
            messages.success(request, f"PIN {form.cleaned_data['pin']} ditambahkan.")
            return redirect("kehadiran:mesin_ubah", pk=m.pk)
    return _halaman_mesin(request, m, pin_form=form)


@login_required
@require_POST
def pin_berkas(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    m = _mesin(request, instansi, pk)
    form = PinBerkasForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            n = services.impor_pin(request.user, m, form.cleaned_data["berkas"])
        except ValidationError as e:
            _galat(form, e)
        else:
            messages.success(request, f"{n} PIN dari berkas disimpan.")
            return redirect("kehadiran:mesin_ubah", pk=m.pk)
    return _halaman_mesin(request, m, berkas_form=form)


@login_required
@require_POST
def pin_hapus(request: HttpRequest, pk: int, pin_pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    m = _mesin(request, instansi, pk)
    pin = PinMesin.objects.filter(mesin=m, pk=pin_pk).select_related("mesin").first()
    if pin is None:
        raise Http404("PIN tidak ditemukan.")
    services.hapus_pin(request.user, pin)
    messages.success(request, f"PIN {pin.pin} dihapus dari mesin {m.nama}.")
    return redirect("kehadiran:mesin_ubah", pk=m.pk)


@login_required
def impor(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    form = ImporForm(request.POST or None, request.FILES or None, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        try:
            i = services.mulai_impor(
                request.user,
                instansi,
                jenis=form.cleaned_data["jenis"],
                nama_berkas=berkas.name,
                isi=berkas.read(),
                mesin=form.cleaned_data["mesin"],
            )
        except ValidationError as e:
            _galat(form, e)
        else:
            return redirect("kehadiran:impor_detail", pk=i.pk)
    context = {"nav": "kehadiran", "form": form, "riwayat": selectors.riwayat_impor(instansi.pk)}
    return render(request, T + "impor.html", context, status=422 if form.errors else 200)


@never_cache
@login_required
def impor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    i = selectors.impor(instansi.pk, pk)
    if i is None:
        raise Http404("Impor ini tidak ditemukan.")
    context = {"nav": "kehadiran", "i": i, "p": i.pekerjaan, "sebelumnya": selectors.impor_sebelumnya(i)}
    return render(request, T + "impor_detail.html", context)


@never_cache
@login_required
def impor_progres(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    i = selectors.impor(instansi.pk, pk)
    if i is None or i.pekerjaan is None:
        raise Http404("Impor ini tidak ditemukan.")
    return progres_atau_muat_ulang(i.pekerjaan, reverse("kehadiran:impor_progres", args=[i.pk]), request)


@login_required
def impor_template(request: HttpRequest) -> HttpResponse:
    instansi_dikelola(request)
    response = HttpResponse(services.template_lembar(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="template-impor-kehadiran.xlsx"'
    return response
