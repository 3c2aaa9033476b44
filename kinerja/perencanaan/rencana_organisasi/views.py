"""The organisation layer of planning: peta strategi, Manual IKU/IKI, Perjanjian Kinerja, and the cascading
views (pohon kinerja, Matriks Pembagian Peran dan Hasil).

Thin: parse, check permission, call a service or selector. Every read page needs
`perencanaan.view_rencana_organisasi` (the matriks: `perencanaan.view_matriks`); writes go through the
services; `kinerja.permissions` decides who may plan a unit (`may_plan_unit`) and who may move a
Perjanjian Kinerja.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from kinerja.common.forms import apply_errors
from kinerja.organisasi import selectors as org
from kinerja.organisasi.forms import unit_options
from kinerja.organisasi.models import Instansi, Periode, PeriodePenilaian, UnitKerja
from kinerja.perencanaan import selectors, services
from kinerja.perencanaan.models import (
    ManualIndikator,
    ManualTargetPeriode,
    PerjanjianKinerja,
    PerjanjianKinerjaIndikator,
    SasaranStrategis,
)
from kinerja.perencanaan.rencana_organisasi.forms import ManualForm, PkIndikatorForm, SasaranForm
from kinerja.permissions import admin_instansi, allowed, may_plan_unit, peran_perjanjian
from kinerja.rules import Perspektif, alur
from kinerja.rules.alur import Aksi, Peran

T = "perencanaan/rencana/"
VIEW_RENCANA = "perencanaan.view_rencana_organisasi"


# --- helpers ------------------------------------------------------------------------------------------


def _instansi(request: HttpRequest) -> Instansi:
    """The instansi whose plan the user works on: the one they administer or the one they work in."""
    user = request.user
    if allowed(user, "organisasi.view_org"):
        return admin_instansi(request)
    if user.pegawai_id:
        return user.pegawai.instansi
    raise PermissionDenied("Akun ini tidak terhubung dengan instansi mana pun.")


def _unit(request: HttpRequest, unit_id: int) -> UnitKerja:
    unit = get_object_or_404(UnitKerja.objects.select_related("instansi"), pk=unit_id)
    if not request.user.has_perm(VIEW_RENCANA, unit):
        raise PermissionDenied("Rencana kinerja unit ini hanya dapat dilihat pegawai instansinya.")
    return unit


def _periode(request: HttpRequest, instansi: Instansi, tahun: Any = None) -> Periode | None:
    """The Periode of ?tahun= (404 when that year has none), else the running one (None: no periode yet)."""
    tahun = tahun if tahun is not None else request.GET.get("tahun", "")
    if str(tahun).isdigit():
        periode = Periode.objects.filter(instansi=instansi, tahun=int(tahun)).first()
        if periode is None:
            raise Http404(f"Periode tahun {tahun} belum dibuat.")
        return periode
    return selectors.periode_berjalan(instansi)


def _tanpa_periode(request: HttpRequest, instansi: Instansi) -> HttpResponse:
    return render(request, T + "tanpa_periode.html", {"nav": "perencanaan", "instansi": instansi})


def _tahun_list(instansi: Instansi) -> list[int]:
    return list(Periode.objects.filter(instansi=instansi).order_by("-tahun").values_list("tahun", flat=True))


def _unit_puncak(instansi: Instansi) -> UnitKerja:
    unit = UnitKerja.objects.filter(instansi=instansi, parent=None).order_by("path").first()
    if unit is None:
        raise Http404("Instansi ini belum memiliki unit kerja.")
    return unit


def _unit_dipimpin_semua(request: HttpRequest) -> list[UnitKerja]:
    """The units the user heads today, definitif first, then as PLT/PLH."""
    if not request.user.pegawai_id:
        return []
    return [j.unit for j in org.jabatan_dipegang(request.user.pegawai) if j.pimpinan_unit]


def _unit_dipimpin(request: HttpRequest) -> UnitKerja | None:
    units = _unit_dipimpin_semua(request)
    return units[0] if units else None


def _doc_url(name: str, *args: Any) -> str | None:
    """The URL of a document built elsewhere (PDF, xlsx), or None while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _pilihan(request: HttpRequest, instansi: Instansi, unit: UnitKerja | None, periode: Periode) -> dict:
    """Context of the unit and year pickers shown on every page."""
    return {
        "instansi": instansi,
        "unit_options": unit_options(instansi, str(unit.pk) if unit else None),
        "tahun_list": _tahun_list(instansi),
        "periode": periode,
        "tahun": periode.tahun,
    }


def _periode_penilaian(periode: Periode | None) -> list[PeriodePenilaian]:
    return list(periode.periode_penilaian.order_by("nomor")) if periode else []


def _target_list(manual: ManualIndikator, nama_periode: dict[int, str]) -> list[tuple[str, Decimal | None]]:
    """(periode name, target) in periode order; periods without a row show as empty."""
    rows = {t.nomor: t.target for t in manual.target_periode.all()}
    return [(nama, rows.get(nomor)) for nomor, nama in nama_periode.items()]


# --- index --------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """/rencana/?unit=&tahun=&halaman=peta|manual: the unit picker lands here and goes to the page."""
    instansi = _instansi(request)
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = UnitKerja.objects.filter(instansi=instansi, pk=request.GET["unit"]).first()
    unit = unit or _unit_dipimpin(request) or _unit_puncak(instansi)
    name = "rencana:manual_list" if request.GET.get("halaman") == "manual" else "rencana:peta_strategi"
    url = reverse(name, args=[unit.pk])
    if request.GET.get("tahun", "").isdigit():
        url += f"?tahun={request.GET['tahun']}"
    return redirect(url)


# --- peta strategi and sasaran ------------------------------------------------------------------------


def _peta(unit: UnitKerja, periode: Periode) -> list[dict[str, Any]]:
    """The four perspectives in order, each with its sasaran, their IKU and targets (three queries)."""
    nama_periode = {pp.nomor: pp.nama for pp in periode.periode_penilaian.order_by("nomor")}
    sasaran = list(
        SasaranStrategis.objects.filter(unit=unit, tahun=periode.tahun)
        .order_by("urutan", "kode")
        .prefetch_related(
            Prefetch(
                "indikator",
                queryset=ManualIndikator.objects.order_by("kode").prefetch_related(
                    Prefetch("target_periode", queryset=ManualTargetPeriode.objects.order_by("nomor"))
                ),
            )
        )
    )
    for s in sasaran:
        for m in s.indikator.all():
            m.target_list = _target_list(m, nama_periode)
    return [{"perspektif": p, "sasaran": [s for s in sasaran if s.perspektif == p.value]} for p in Perspektif]


def _peta_context(request: HttpRequest, unit: UnitKerja, periode: Periode) -> dict[str, Any]:
    bands = _peta(unit, periode)
    return {
        "nav": "perencanaan",
        "subnav": "peta",
        "unit": unit,
        "bands": bands,
        "jumlah_sasaran": sum(len(b["sasaran"]) for b in bands),
        "boleh_ubah": may_plan_unit(request.user, unit),
        "kepala": org.pimpinan_unit(unit),
        **_pilihan(request, unit.instansi, unit, periode),
    }


@login_required
def peta_strategi(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    periode = _periode(request, unit.instansi)
    if periode is None:
        return _tanpa_periode(request, unit.instansi)
    return render(request, T + "peta_strategi.html", _peta_context(request, unit, periode))


@login_required
def sasaran_form(request: HttpRequest, unit_id: int | None = None, pk: int | None = None) -> HttpResponse:
    """Add (unit_id) or change (pk) a sasaran strategis; inline with htmx, a plain page without it."""
    sasaran = None
    if pk is not None:
        sasaran = get_object_or_404(SasaranStrategis.objects.select_related("unit__instansi"), pk=pk)
        unit_id = sasaran.unit_id
    unit = _unit(request, unit_id)  # type: ignore[arg-type]
    if not may_plan_unit(request.user, unit):
        raise PermissionDenied("Peta strategi diisi oleh pimpinan unit atau admin kepegawaian.")
    periode = _periode(request, unit.instansi, sasaran.tahun if sasaran else None)
    if periode is None:
        return _tanpa_periode(request, unit.instansi)
    initial = {"perspektif": request.GET.get("perspektif")} if sasaran is None else {}
    form = SasaranForm(
        request.POST or None, instance=sasaran, initial=initial, unit=unit, tahun=periode.tahun
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_sasaran(
                unit,
                request.user,
                SasaranStrategis.objects.get(pk=sasaran.pk) if sasaran else None,
                tahun=periode.tahun,
                **{name: form.cleaned_data[name] for name in form._meta.fields},
            )
        except ValidationError as exc:
            apply_errors(form, exc, tandai=False)
        else:
            if request.htmx:
                response = render(
                    request, T + "peta_strategi.html#peta", _peta_context(request, unit, periode)
                )
                return reswap(retarget(response, "#peta"), "outerHTML")
            messages.success(request, f"Sasaran {form.cleaned_data['kode']} disimpan.")
            return redirect(reverse("rencana:peta_strategi", args=[unit.pk]) + f"?tahun={periode.tahun}")
    context = {
        "nav": "perencanaan",
        "subnav": "peta",
        "form": form,
        "unit": unit,
        "sasaran": sasaran,
        "periode": periode,
        "tahun": periode.tahun,
    }
    if request.htmx:
        return render(request, T + "sasaran_form.html#form", context)
    return render(request, T + "sasaran_form.html", context)


# --- Manual IKU/IKI -----------------------------------------------------------------------------------


@login_required
def manual_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    periode = _periode(request, unit.instansi)
    if periode is None:
        return _tanpa_periode(request, unit.instansi)
    periode_penilaian = _periode_penilaian(periode)
    nama_periode = {pp.nomor: pp.nama for pp in periode_penilaian}
    manual = list(
        ManualIndikator.objects.filter(unit=unit, tahun=periode.tahun)
        .select_related("sasaran", "penanggung_jawab")
        .prefetch_related(Prefetch("target_periode", queryset=ManualTargetPeriode.objects.order_by("nomor")))
        .order_by("kode")
    )
    for m in manual:
        m.target_list = _target_list(m, nama_periode)
    return render(
        request,
        T + "manual_list.html",
        {
            "nav": "perencanaan",
            "subnav": "manual",
            "unit": unit,
            "manual": manual,
            "periode_penilaian": periode_penilaian,
            "boleh_ubah": may_plan_unit(request.user, unit),
            **_pilihan(request, unit.instansi, unit, periode),
        },
    )


def _manual(request: HttpRequest, pk: int) -> ManualIndikator:
    manual = get_object_or_404(
        ManualIndikator.objects.select_related("unit__instansi", "sasaran", "penanggung_jawab__unit"), pk=pk
    )
    if not request.user.has_perm(VIEW_RENCANA, manual):
        raise PermissionDenied("Manual indikator ini hanya dapat dilihat pegawai instansinya.")
    return manual


@login_required
def manual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    manual = _manual(request, pk)
    periode = Periode.objects.filter(instansi_id=manual.instansi_id, tahun=manual.tahun).first()
    nama_periode = {pp.nomor: pp.nama for pp in _periode_penilaian(periode)}
    if not nama_periode:  # no periode (any more): name the stored rows by number
        nama_periode = {t.nomor: f"Periode {t.nomor}" for t in manual.target_periode.all()}
    return render(
        request,
        T + "manual_detail.html",
        {
            "nav": "perencanaan",
            "subnav": "manual",
            "manual": manual,
            "unit": manual.unit,
            "tahun": manual.tahun,
            "target_list": _target_list(manual, nama_periode),
            "boleh_ubah": may_plan_unit(request.user, manual.unit),
            "riwayat": manual.history.select_related("history_user")[:10],
        },
    )


@login_required
def manual_form(request: HttpRequest, unit_id: int | None = None, pk: int | None = None) -> HttpResponse:
    manual = _manual(request, pk) if pk is not None else None
    unit = manual.unit if manual else _unit(request, unit_id)  # type: ignore[arg-type]
    if not may_plan_unit(request.user, unit):
        raise PermissionDenied("Manual IKU diisi oleh pimpinan unit atau admin kepegawaian.")
    periode = _periode(request, unit.instansi, manual.tahun if manual else None)
    if periode is None:
        return _tanpa_periode(request, unit.instansi)
    initial = {}
    if manual is None and request.GET.get("sasaran", "").isdigit():
        initial["sasaran"] = request.GET["sasaran"]
    form = ManualForm(
        request.POST or None,
        instance=manual,
        initial=initial,
        unit=unit,
        tahun=periode.tahun,
        periode_penilaian=_periode_penilaian(periode),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_manual(
                unit,
                request.user,
                ManualIndikator.objects.get(pk=manual.pk) if manual else None,
                target_periode=form.target_periode(),
                tahun=periode.tahun,
                **form.model_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc, tandai=False)
        else:
            messages.success(request, f"Manual indikator {saved.kode} disimpan.")
            return redirect("rencana:manual_detail", saved.pk)
    return render(
        request,
        T + "manual_form.html",
        {
            "nav": "perencanaan",
            "subnav": "manual",
            "form": form,
            "manual": manual,
            "unit": unit,
            "periode": periode,
            "tahun": periode.tahun,
        },
    )


# --- Perjanjian Kinerja -------------------------------------------------------------------------------


@login_required
def pk_list(request: HttpRequest) -> HttpResponse:
    """Every unit of the instansi with its head and the head's Perjanjian Kinerja of the year."""
    instansi = _instansi(request)
    if not request.user.has_perm(VIEW_RENCANA, instansi):
        raise PermissionDenied
    periode = _periode(request, instansi)
    if periode is None:
        return _tanpa_periode(request, instansi)
    units = org.unit_tree(instansi)
    per_unit: dict[int, list[PerjanjianKinerja]] = {}
    for pk in selectors.perjanjian_list(instansi, periode).annotate(jumlah_iku=Count("indikator")):
        per_unit.setdefault(pk.unit_id, []).append(pk)
    is_admin = request.user.has_perm("organisasi.manage_instansi", instansi)
    dipimpin = {u.pk for u in _unit_dipimpin_semua(request)}
    rows = []
    for u in units:
        perjanjian = per_unit.get(u.pk, [])
        kepala_id = u.pimpinan.pegawai_id if u.pimpinan else None
        rows.append(
            {
                "unit": u,
                "perjanjian": perjanjian,
                # Display only (the service decides): a head without a PK of their own yet, for whom the
                # admin or the head may draft one.
                "boleh_buat": u.pimpinan is not None
                and not any(p.pegawai_id == kepala_id for p in perjanjian)
                and (is_admin or u.pk in dipimpin),
            }
        )
    jumlah = {
        "unit": len(rows),
        "disetujui": sum(1 for r in rows if any(p.status == "disetujui" for p in r["perjanjian"])),
        "belum": sum(1 for r in rows if not r["perjanjian"]),
    }
    return render(
        request,
        T + "pk_list.html",
        {
            "nav": "perencanaan",
            "subnav": "pk",
            "rows": rows,
            "jumlah": jumlah,
            **_pilihan(request, instansi, None, periode),
        },
    )


@login_required
@require_POST
def pk_create(request: HttpRequest) -> HttpResponse:
    instansi = _instansi(request)
    unit = get_object_or_404(UnitKerja, pk=request.POST.get("unit"), instansi=instansi)
    periode = get_object_or_404(Periode, instansi=instansi, tahun=request.POST.get("tahun"))
    try:
        pk = services.create_perjanjian(unit, periode, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("rencana:pk_list") + f"?tahun={periode.tahun}")
    messages.success(request, f"Perjanjian Kinerja {unit.nama} tahun {periode.tahun} dibuat sebagai draft.")
    return redirect("rencana:pk_detail", pk.pk)


def _perjanjian(request: HttpRequest, pk: int) -> PerjanjianKinerja:
    perjanjian = get_object_or_404(
        PerjanjianKinerja.objects.select_related("periode", "unit", "instansi", "jabatan"), pk=pk
    )
    if not request.user.has_perm(VIEW_RENCANA, perjanjian):
        raise PermissionDenied("Perjanjian Kinerja ini hanya dapat dilihat pegawai instansinya.")
    return perjanjian


def _dapat_ubah_isi(request: HttpRequest, perjanjian: PerjanjianKinerja) -> bool:
    """Display only (services._pk_owner_may_edit decides): the signing head or the admin, while editable."""
    pemilik = Peran.PEMILIK in peran_perjanjian(perjanjian, request.user)
    admin = request.user.has_perm("organisasi.manage_instansi", perjanjian.instansi)
    return (pemilik or admin) and alur.dapat_diubah(perjanjian.status_enum)


def _isi_context(request: HttpRequest, perjanjian: PerjanjianKinerja, form: Any = None) -> dict[str, Any]:
    """The table of sasaran + IKU + target (grouped by sasaran) and the add-row form."""
    items = list(
        perjanjian.indikator.select_related("sasaran", "manual")
        .order_by("urutan", "pk")
        .annotate(jumlah_rhk=Count("rhk"))
    )
    kelompok: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for item in items:
        kelompok.setdefault(item.sasaran_id, {"sasaran": item.sasaran, "items": []})["items"].append(item)
    dapat_ubah = _dapat_ubah_isi(request, perjanjian)
    if dapat_ubah and form is None:
        form = PkIndikatorForm(perjanjian=perjanjian)
        form.limit_manual(None)
    return {
        "perjanjian": perjanjian,
        "kelompok": list(kelompok.values()),
        "jumlah_iku": len(items),
        "dapat_ubah": dapat_ubah,
        "form": form,
    }


@login_required
def pk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    perjanjian = _perjanjian(request, pk)
    peran = peran_perjanjian(perjanjian, request.user)
    aksi: list[Aksi] = []
    for p in (Peran.PEMILIK, Peran.PENYETUJU):
        if p in peran:
            aksi += [a for a in alur.aksi_tersedia(perjanjian.status_enum, p) if a not in aksi]
    return render(
        request,
        T + "pk_detail.html",
        {
            "nav": "perencanaan",
            "subnav": "pk",
            "unit": perjanjian.unit,
            "tahun": perjanjian.periode.tahun,
            "aksi": [a for a in aksi if a is not Aksi.KEMBALIKAN],
            "boleh_kembalikan": Aksi.KEMBALIKAN in aksi,
            "peran": peran,
            "log": perjanjian.log.select_related("oleh__pegawai").order_by("-pada", "-pk"),
            "pdf_url": _doc_url("dokumen:pk_pdf", perjanjian.pk),
            **_isi_context(request, perjanjian),
        },
    )


def _pk_form(request: HttpRequest, perjanjian: PerjanjianKinerja, data: Any) -> PkIndikatorForm:
    """The add-row form with its IKU choices narrowed to the chosen sasaran."""
    form = PkIndikatorForm(data if request.method == "POST" else None, perjanjian=perjanjian)
    # An IKU appears once in a Perjanjian Kinerja: those already in it are not offered again.
    form.fields["manual"].queryset = form.fields["manual"].queryset.exclude(
        pk__in=perjanjian.indikator.values("manual_id")
    )
    sasaran_id = str(data.get("sasaran", ""))
    sasaran = form.fields["sasaran"].queryset.filter(pk=sasaran_id).first() if sasaran_id.isdigit() else None
    form.limit_manual(sasaran)
    if request.method == "POST":
        return form
    # GET from htmx when a select changes: keep the choices, default the target to the Manual's.
    manual_id = str(data.get("manual", ""))
    trigger = request.htmx.trigger_name if request.htmx else None
    manual = None
    if sasaran is not None:
        pilihan = list(form.fields["manual"].queryset)
        manual = next((m for m in pilihan if str(m.pk) == manual_id), None)
        if manual is None and len(pilihan) == 1:
            manual = pilihan[0]  # the sasaran has one IKU: pick it
    target = data.get("target_tahun", "")
    if trigger in ("sasaran", "manual") or not target:
        target = f"{manual.target_tahun.normalize():f}" if manual else ""
    form.initial = {"sasaran": sasaran, "manual": manual, "target_tahun": target}
    return form


@login_required
def pk_indikator_form(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the add-row form again after a select changed (IKU of the sasaran, default target)."""
    perjanjian = _perjanjian(request, pk)
    if not _dapat_ubah_isi(request, perjanjian):
        raise PermissionDenied("Perjanjian Kinerja ini tidak dapat Anda ubah.")
    form = _pk_form(request, perjanjian, request.GET)
    return render(request, T + "pk_detail.html#form_baris", {"perjanjian": perjanjian, "form": form})


@login_required
@require_POST
def pk_indikator_add(request: HttpRequest, pk: int) -> HttpResponse:
    perjanjian = _perjanjian(request, pk)
    form = _pk_form(request, perjanjian, request.POST)
    if form.is_valid():
        try:
            services.save_pk_indikator(
                perjanjian,
                request.user,
                sasaran=form.cleaned_data["sasaran"],
                manual=form.cleaned_data["manual"],
                target_tahun=form.cleaned_data["target_tahun"],
            )
        except ValidationError as exc:
            apply_errors(form, exc, tandai=False)
        else:
            if request.htmx:
                response = render(request, T + "pk_detail.html#isi", _isi_context(request, perjanjian))
                return reswap(retarget(response, "#pk-isi"), "outerHTML")
            messages.success(request, "Baris Perjanjian Kinerja ditambahkan.")
            return redirect("rencana:pk_detail", perjanjian.pk)
    if request.htmx:
        return render(request, T + "pk_detail.html#form_baris", {"perjanjian": perjanjian, "form": form})
    messages.error(
        request, "Baris belum ditambahkan: " + " ".join(e for errs in form.errors.values() for e in errs)
    )
    return redirect("rencana:pk_detail", perjanjian.pk)


@login_required
@require_POST
def pk_indikator_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(PerjanjianKinerjaIndikator.objects.select_related("perjanjian"), pk=item_id)
    perjanjian = _perjanjian(request, item.perjanjian_id)
    galat = None
    try:
        services.delete_pk_indikator(item, request.user)
    except ValidationError as exc:
        galat = " ".join(exc.messages)
    if request.htmx:
        context = _isi_context(request, perjanjian)
        context["galat"] = galat
        return render(request, T + "pk_detail.html#isi", context)
    if galat:
        messages.error(request, galat)
    return redirect("rencana:pk_detail", perjanjian.pk)


@login_required
@require_POST
def pk_aksi(request: HttpRequest, pk: int) -> HttpResponse:
    """A workflow step (ajukan, tarik, setujui, kembalikan with a note, ajukan perubahan)."""
    perjanjian = _perjanjian(request, pk)
    try:
        aksi = Aksi(request.POST.get("aksi", ""))
    except ValueError as exc:
        raise Http404("Aksi tidak dikenal.") from exc
    try:
        services.run_perjanjian(perjanjian, request.user, aksi, request.POST.get("catatan", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        pesan = {
            Aksi.AJUKAN: "Perjanjian Kinerja diajukan kepada pihak kedua untuk disetujui.",
            Aksi.TARIK: "Pengajuan ditarik; Perjanjian Kinerja kembali menjadi draft.",
            Aksi.SETUJUI: "Perjanjian Kinerja disetujui.",
            Aksi.KEMBALIKAN: "Perjanjian Kinerja dikembalikan kepada pihak pertama dengan catatan.",
            Aksi.AJUKAN_PERUBAHAN: "Revisi baru dibuka sebagai draft; ubah isinya lalu ajukan kembali.",
        }[aksi]
        messages.success(request, pesan)
    return redirect("rencana:pk_detail", perjanjian.pk)


# --- pohon kinerja ------------------------------------------------------------------------------------


@login_required
def pohon(request: HttpRequest) -> HttpResponse:
    """The cascade of a unit from its head's Perjanjian Kinerja down (the whole instansi by default)."""
    instansi = _instansi(request)
    if not request.user.has_perm(VIEW_RENCANA, instansi):
        raise PermissionDenied
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = get_object_or_404(UnitKerja, instansi=instansi, pk=request.GET["unit"])
    periode = _periode(request, instansi)
    if periode is None:
        return _tanpa_periode(request, instansi)
    unit = unit or _unit_puncak(instansi)
    return render(
        request,
        T + "pohon.html",
        {
            "nav": "perencanaan",
            "subnav": "pohon",
            "unit": unit,
            "pohon": selectors.pohon_unit(unit, periode, pembaca=request.user),
            **_pilihan(request, instansi, unit, periode),
        },
    )


# --- Matriks Pembagian Peran dan Hasil ----------------------------------------------------------------


@login_required
def matriks_saya(request: HttpRequest) -> HttpResponse:
    """The matriks the user most likely wants: of the unit they head, else of their penilai's unit."""
    instansi = _instansi(request)
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = get_object_or_404(UnitKerja, instansi=instansi, pk=request.GET["unit"])
        if not request.user.has_perm("perencanaan.view_matriks", unit):
            unit = None  # the tab carried a unit this user may not open: theirs instead, never a 403
    unit = unit or _unit_dipimpin(request)
    if unit is None and request.user.pegawai_id:
        penilai = org.rantai_penilai(request.user.pegawai).penilai
        unit = penilai.jabatan.unit if penilai else None
    unit = unit or _unit_puncak(instansi)
    url = reverse("rencana:matriks", args=[unit.pk])
    if request.GET.get("tahun", "").isdigit():
        url += f"?tahun={request.GET['tahun']}"
    return redirect(url)


def _unit_options_matriks(request: HttpRequest, instansi: Instansi, unit: UnitKerja) -> str:
    """The units whose matriks the user may open: every unit for the admin; for a pegawai the units they
    head (with the units below) and the unit their penilai heads."""
    if request.user.has_perm("organisasi.manage_instansi", instansi) or not request.user.pegawai_id:
        return unit_options(instansi, str(unit.pk))
    pegawai = request.user.pegawai
    below = Q(pk=unit.pk)
    for j in org.jabatan_dipegang(pegawai):
        if j.pimpinan_unit:
            below |= Q(path__startswith=j.unit.path)
    penilai = org.rantai_penilai(pegawai).penilai
    if penilai is not None and penilai.jabatan.pimpinan_unit:
        below |= Q(pk=penilai.jabatan.unit_id)
    rows = (
        UnitKerja.objects.filter(below, instansi=instansi).order_by("path").values_list("pk", "nama", "depth")
    )
    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (pk, mark_safe(" selected") if pk == unit.pk else "", "\u2014 " * depth, nama)
            for pk, nama, depth in rows
        ),
    )


@login_required
def matriks(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(UnitKerja.objects.select_related("instansi"), pk=unit_id)
    if not request.user.has_perm("perencanaan.view_matriks", unit):
        raise PermissionDenied(
            "Matriks peran hasil unit ini hanya untuk admin kepegawaian, pimpinan unit beserta atasannya, "
            "dan bawahan langsung pimpinan unit."
        )
    periode = _periode(request, unit.instansi)
    if periode is None:
        return _tanpa_periode(request, unit.instansi)
    m = selectors.matriks_peran_hasil(unit, periode)
    dup = {(r.pk, teks) for r, teks, _ in m.duplikat}
    kosong = {r.pk for r in m.tidak_tercakup}
    baris = []
    asli: dict[tuple[int, str], str] = {}  # the duplicated text as one bawahan wrote it (not lower-cased)
    for r, cells in m.baris:
        sel: list[list[tuple[Any, bool]]] = []
        for cell in cells:
            sel.append([])
            for c in cell:
                key = (r.pk, selectors.teks_normal(c.teks))
                sel[-1].append((c, key in dup))
                asli.setdefault(key, c.teks)
        baris.append({"rhk": r, "sel": sel, "kosong": r.pk in kosong})
    duplikat = [(r, asli.get((r.pk, teks), teks), nama) for r, teks, nama in m.duplikat]
    tahun_qs = f"?tahun={periode.tahun}"
    pdf, xlsx = _doc_url("dokumen:matriks_pdf", unit.pk), _doc_url("dokumen:matriks_xlsx", unit.pk)
    return render(
        request,
        T + "matriks.html",
        {
            "nav": "perencanaan",
            "subnav": "matriks",
            "unit": unit,
            "m": m,
            "baris": baris,
            "duplikat": duplikat,
            "kepala": org.pimpinan_unit(unit),
            "pdf_url": pdf + tahun_qs if pdf else None,
            "xlsx_url": xlsx + tahun_qs if xlsx else None,
            **_pilihan(request, unit.instansi, unit, periode),
            "unit_options": _unit_options_matriks(request, unit.instansi, unit),
        },
    )
