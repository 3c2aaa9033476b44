"""Admin kepegawaian pages and the pegawai page. Thin: parse, check permission, call a service or selector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kinerja.common.forms import apply_errors
from kinerja.organisasi import selectors, services
from kinerja.organisasi.forms import (
    InstansiBaruForm,
    JabatanForm,
    PegawaiForm,
    PenempatanForm,
    PeriodeCreateForm,
    PeriodeDeadlineForm,
    SetPasswordPegawaiForm,
    UnitKerjaForm,
    unit_options,
)
from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.models import Instansi, Jabatan, JenisAsn, Pegawai, Penempatan, Periode, UnitKerja
from kinerja.permissions import admin_instansi, allowed, is_self
from kinerja.rules import JenisJabatan
from kinerja.rules.jabatan import peringatan_kedudukan
from kinerja.rules.jadwal import Skema

PAGE_SIZE = 25


def _model_fields(form: Any) -> dict[str, Any]:
    """The cleaned values of a ModelForm's own model fields, to hand to a service."""
    return {name: form.cleaned_data[name] for name in form._meta.fields}


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _unit_filter(request: HttpRequest, instansi: Instansi) -> UnitKerja | None:
    """The unit chosen in the list filter, when it belongs to this instansi."""
    if not request.GET.get("unit"):
        return None
    return UnitKerja.objects.filter(instansi=instansi, pk=request.GET.get("unit")).first()


def _stored(obj: Any, **blank: Any) -> Any:
    """A fresh copy of obj for the service (form validation has changed obj), or a new one when unsaved."""
    return type(obj).objects.get(pk=obj.pk) if obj.pk else type(obj)(**blank)


def _submit(
    request: HttpRequest, form: Any, save: Callable[[], Any], done: Callable[[Any], HttpResponse]
) -> HttpResponse | None:
    """On a valid POST: save, then done(result); a service's ValidationError lands on the form instead."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as exc:
            apply_errors(form, exc, tandai=False)
        else:
            return done(saved)
    return None


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "organisasi/form.html", {"nav": "organisasi", "form": form, **context})


@login_required
def select_instansi(request: HttpRequest) -> HttpResponse:
    """Superuser only: choose the instansi the admin pages work on."""
    if not allowed(request.user, "organisasi.create_instansi"):
        raise PermissionDenied("Hanya superuser yang dapat berpindah instansi.")
    if request.method == "POST":
        instansi = get_object_or_404(Instansi, pk=request.POST.get("instansi"))
        request.session["instansi_id"] = instansi.pk
        messages.success(request, f"Sekarang bekerja pada {instansi.nama}.")
    return redirect("dashboard:home")


@login_required
def instansi_create(request: HttpRequest) -> HttpResponse:
    """Superuser only: a new instansi (e.g. a Pemkab), then work on it and import its organisation."""
    if not allowed(request.user, "organisasi.create_instansi"):
        raise PermissionDenied("Hanya superuser yang dapat membuat instansi baru.")
    form = InstansiBaruForm(request.POST or None)

    def done(created: Any) -> HttpResponse:
        instansi, admin = created
        request.session["instansi_id"] = instansi.pk
        akun = f" dengan admin kepegawaian {admin.username}" if admin else ""
        messages.success(
            request,
            f"Instansi {instansi.nama} dibuat{akun}. Sekarang bekerja pada instansi ini: "
            "impor struktur organisasinya dari Excel.",
        )
        return redirect("organisasi:impor")

    return _submit(
        request, form, lambda: services.create_instansi(request.user, **form.cleaned_data), done
    ) or _form_page(
        request,
        form,
        judul="Tambah instansi",
        penjelasan="Instansi baru (mis. pemerintah kabupaten) dengan pengaturan bawaan. Setelah "
        "disimpan, impor unit kerja, jabatan, dan pegawainya dari Excel.",
        kembali="dashboard:home",
    )


# --- unit kerja ---------------------------------------------------------------------------------


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The first levels of the unit tree (deeper units open on demand, `unit_children`), or with ``?q=``
    the units whose name or code matches, each with its path."""
    instansi = admin_instansi(request)
    q = request.GET.get("q", "").strip()
    pohon = selectors.unit_search(instansi, q) if q else selectors.unit_tree_awal(instansi)
    return render(
        request,
        "organisasi/unit_tree.html",
        {"nav": "organisasi", "instansi": instansi, "pohon": pohon, "units": _unit_urls(pohon.units), "q": q},
    )


def _unit_urls(units: list[UnitKerja]) -> list[UnitKerja]:
    """Each row's `url_ubah` and `url_anak`, reversed once per page rather than once per row (hundreds of
    `{% url %}` were a third of the tree page's time)."""
    ubah, anak = (
        reverse(name, args=[987654321]) for name in ("organisasi:unit_edit", "organisasi:unit_children")
    )
    for u in units:
        u.url_ubah = ubah.replace("987654321", str(u.pk))
        u.url_anak = anak.replace("987654321", str(u.pk))
    return units


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows of the units right below a unit of the admin's own instansi (htmx, when a unit is opened)."""
    instansi = admin_instansi(request)
    unit = get_object_or_404(UnitKerja.objects.select_related("instansi"), pk=pk, instansi=instansi)
    return render(
        request,
        "organisasi/unit_tree.html#baris",
        {"units": _unit_urls(selectors.unit_children(unit)), "q": ""},
    )


@login_required
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instansi = admin_instansi(request)
    unit = get_object_or_404(UnitKerja, pk=pk, instansi=instansi) if pk else UnitKerja(instansi=instansi)
    form = UnitKerjaForm(request.POST or None, instance=unit, instansi=instansi)

    def done(_: Any) -> HttpResponse:
        messages.success(request, f"Unit kerja {form.cleaned_data['nama']} disimpan.")
        return redirect("organisasi:unit_tree")

    return _submit(
        request,
        form,
        lambda: services.save_unit_kerja(
            _stored(unit, instansi=instansi), instansi=instansi, **_model_fields(form)
        ),
        done,
    ) or _form_page(
        request,
        form,
        judul="Ubah unit kerja" if pk else "Tambah unit kerja",
        kembali="organisasi:unit_tree",
        riwayat=unit.history.select_related("history_user")[:10] if pk else None,
    )


# --- jabatan ------------------------------------------------------------------------------------


@login_required
def jabatan_list(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    qs = selectors.jabatan_list(
        instansi,
        q=request.GET.get("q", ""),
        unit=_unit_filter(request, instansi),
        jenis=request.GET.get("jenis", ""),
        status=request.GET.get("status", ""),
    )
    return render(
        request,
        "organisasi/jabatan_list.html",
        {
            "nav": "organisasi",
            "page": _page(request, qs),
            "unit_options": unit_options(instansi, request.GET.get("unit")),
            "jenis_choices": JenisJabatan.choices(),
            "filters": request.GET,
        },
    )


@login_required
def jabatan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instansi = admin_instansi(request)
    jabatan = get_object_or_404(Jabatan, pk=pk, instansi=instansi) if pk else Jabatan(instansi=instansi)
    form = JabatanForm(request.POST or None, instance=jabatan, instansi=instansi)

    def done(_: Any) -> HttpResponse:
        messages.success(request, f"Jabatan {form.cleaned_data['nama']} disimpan.")
        parent = form.cleaned_data["parent"]
        warning = peringatan_kedudukan(form.cleaned_data["jenjang"], parent.jenis if parent else None)
        if warning:  # our reading of PermenPANRB 7/2022: warn, never refuse (docs/rules.md §8.1)
            messages.warning(request, warning)
        return redirect("organisasi:jabatan_list")

    return _submit(
        request,
        form,
        lambda: services.save_jabatan(_stored(jabatan, instansi=instansi), **_model_fields(form)),
        done,
    ) or _form_page(
        request,
        form,
        judul="Ubah jabatan" if pk else "Tambah jabatan",
        kembali="organisasi:jabatan_list",
        riwayat=jabatan.history.select_related("history_user")[:10] if pk else None,
    )


# --- pegawai ------------------------------------------------------------------------------------


@login_required
def pegawai_list(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    qs = selectors.pegawai_list(
        instansi,
        q=request.GET.get("q", ""),
        unit=_unit_filter(request, instansi),
        jenis_jabatan=request.GET.get("jenis_jabatan", ""),
        jenis_asn=request.GET.get("jenis_asn", ""),
        status=request.GET.get("status", ""),
    )
    page = _page(request, qs)
    context = {
        "nav": "organisasi",
        "page": page,
        "filters": request.GET,
        "querystring": _querystring_without_page(request),
    }
    if request.htmx:  # the results only: the filter form (and its ~2 000 unit options) stays as it is
        return render(request, "organisasi/pegawai_list.html#hasil", context)
    context.update(
        unit_options=unit_options(instansi, request.GET.get("unit")),
        jenis_jabatan_choices=JenisJabatan.choices(),
        jenis_asn_choices=JenisAsn.choices,
    )
    return render(request, "organisasi/pegawai_list.html", context)


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def pegawai_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pegawai = get_object_or_404(Pegawai.objects.select_related("instansi"), pk=pk)
    if not request.user.has_perm("organisasi.view_pegawai", pegawai):
        raise PermissionDenied("Anda tidak berhak melihat data pegawai ini.")
    can_manage = request.user.has_perm("organisasi.change_pegawai", pegawai)
    context = {
        "nav": "profil" if is_self(request.user, pegawai) else "organisasi",
        "pegawai": pegawai,
        "penempatan_aktif": selectors.penempatan_aktif(pegawai),
        "rantai": selectors.rantai_penilai(pegawai),
        "bawahan": selectors.bawahan_langsung(pegawai),
        "can_manage": can_manage,
    }
    if can_manage:
        context["semua_penempatan"] = pegawai.penempatan.select_related("jabatan", "jabatan__unit").order_by(
            "-mulai"
        )
        context["riwayat"] = pegawai.history.select_related("history_user")[:10]
        context["status_kunci"] = selectors_keamanan.status_kunci(pegawai.nip)
        context["can_reset_2fa"] = request.user.has_perm("organisasi.reset_2fa", pegawai)
        if context["can_reset_2fa"]:
            context["dua_langkah_aktif"] = selectors_keamanan.dua_langkah_pegawai(pegawai)
    return render(request, "organisasi/pegawai_detail.html", context)


@login_required
def pegawai_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instansi = admin_instansi(request)
    pegawai = get_object_or_404(Pegawai, pk=pk, instansi=instansi) if pk else Pegawai(instansi=instansi)
    form = PegawaiForm(request.POST or None, instance=pegawai, instansi=instansi)

    def done(saved: Pegawai) -> HttpResponse:
        messages.success(request, f"Data pegawai {saved.nama_lengkap} disimpan.")
        return redirect("organisasi:pegawai_detail", saved.pk)

    return _submit(
        request,
        form,
        lambda: services.save_pegawai(_stored(pegawai, instansi=instansi), **_model_fields(form)),
        done,
    ) or _form_page(
        request,
        form,
        judul="Ubah data pegawai" if pk else "Tambah pegawai",
        kembali="organisasi:pegawai_list",
    )


@login_required
def penempatan_edit(request: HttpRequest, pegawai_pk: int, pk: int | None = None) -> HttpResponse:
    instansi = admin_instansi(request)
    pegawai = get_object_or_404(Pegawai, pk=pegawai_pk, instansi=instansi)
    penempatan = get_object_or_404(Penempatan, pk=pk, pegawai=pegawai) if pk else Penempatan(pegawai=pegawai)
    form = PenempatanForm(request.POST or None, instance=penempatan, pegawai=pegawai)

    def done(_: Any) -> HttpResponse:
        messages.success(request, "Penempatan disimpan.")
        return redirect("organisasi:pegawai_detail", pegawai.pk)

    return _submit(
        request,
        form,
        lambda: services.save_penempatan(_stored(penempatan, pegawai=pegawai), **_model_fields(form)),
        done,
    ) or _form_page(
        request,
        form,
        judul=f"{'Ubah' if pk else 'Tambah'} penempatan · {pegawai.nama_lengkap}",
        kembali_url=pegawai.pk,
        kembali="organisasi:pegawai_list",
        penjelasan=(
            "Definitif: jabatan yang dipegang pegawai. PLT/PLH: penugasan sementara di samping "
            "jabatannya; pemegang PLT/PLH menjadi pejabat penilai bawahan jabatan itu selama tidak ada "
            "pejabat definitif."
        ),
    )


@login_required
def pegawai_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = admin_instansi(request)
    pegawai = get_object_or_404(Pegawai, pk=pk, instansi=instansi)
    form = SetPasswordPegawaiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password_pegawai(pegawai, form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc.messages)
        else:
            messages.success(
                request, f"Kata sandi {pegawai.nama_lengkap} diatur. Sampaikan kepada yang bersangkutan."
            )
            return redirect("organisasi:pegawai_detail", pegawai.pk)
    return _form_page(
        request,
        form,
        judul=f"Atur kata sandi · {pegawai.nama_lengkap}",
        kembali_url=pegawai.pk,
        kembali="organisasi:pegawai_list",
        penjelasan=(
            f"Pegawai masuk dengan NIP {pegawai.nip_tampil} dan kata sandi ini, "
            "lalu dapat menggantinya sendiri."
        ),
    )


# --- periode ------------------------------------------------------------------------------------


@login_required
def periode_list(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    periode = Periode.objects.filter(instansi=instansi).prefetch_related("periode_penilaian")
    return render(request, "organisasi/periode_list.html", {"nav": "organisasi", "periode_list": periode})


@login_required
def periode_create(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    form = PeriodeCreateForm(request.POST or None, initial={"tahun": selectors.today().year})

    def done(periode: Periode) -> HttpResponse:
        messages.success(
            request, f"Periode {periode.tahun} dibuat dengan jadwal bawaan. Periksa dan sesuaikan."
        )
        return redirect("organisasi:periode_detail", periode.pk)

    return _submit(
        request,
        form,
        lambda: services.create_periode(
            instansi, form.cleaned_data["tahun"], Skema(form.cleaned_data["skema"])
        ),
        done,
    ) or _form_page(
        request,
        form,
        judul="Buat periode kinerja",
        kembali="organisasi:periode_list",
        penjelasan=(
            "Jadwal diisi otomatis: SKP disetujui paling lambat 31 Januari; realisasi paling lambat "
            "5 hari setelah periode berakhir; evaluasi periodik 10 hari setelah periode berakhir; "
            "evaluasi tahunan 15 Januari tahun berikutnya. Semua tanggal dapat diubah setelah "
            "periode dibuat."
        ),
    )


@login_required
def periode_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = admin_instansi(request)
    periode = get_object_or_404(Periode, pk=pk, instansi=instansi)
    initial = {"batas_skp": periode.batas_skp, "batas_evaluasi_tahunan": periode.batas_evaluasi_tahunan}
    form = PeriodeDeadlineForm(request.POST or None, initial=initial, periode=periode)

    def done(_: Any) -> HttpResponse:
        messages.success(request, "Jadwal periode disimpan.")
        return redirect("organisasi:periode_detail", periode.pk)

    saved = _submit(
        request,
        form,
        lambda: services.update_periode_deadlines(
            periode,
            form.cleaned_data["batas_skp"],
            form.cleaned_data["batas_evaluasi_tahunan"],
            form.per_periode(),
        ),
        done,
    )
    if saved is not None:
        return saved
    return render(
        request,
        "organisasi/periode_detail.html",
        {
            "nav": "organisasi",
            "periode": periode,
            "form": form,
            "riwayat": selectors.riwayat_periode(periode),
        },
    )
