"""Capaian kinerja organisasi (docs/rules.md §13.4): ``/penilaian/capaian-organisasi/?periode=N|akhir``.

The head of a unit sets the capaian of the units below (the nearest unit above with a head decides, never
the unit's own head; the top unit: the admin kepegawaian, recording the PPK's written decision). The admin
sees every unit, with the form only where the admin sets it. Each row shows the value, its note, who set it
and when, and the suggestion from the IKU capaian (loaded per row with htmx:
`services.saran_capaian_organisasi` reads the head's SKP). Setting is
`services.set_capaian_organisasi`; when rated pegawai follow the change, the page says so and links the
groups whose check (or whose head's rating hasil kerja) was re-run.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.organisasi.models import UnitKerja
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.penilaian import services
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.permissions import is_admin_of
from kinerja.permissions.penilaian import may_set_capaian_unit
from kinerja.rules.types import CapaianOrganisasi

T = "penilaian/capaian/"


def _instansi_dan_periode(request: HttpRequest) -> tuple[Any, sk.PilihanPeriode | None]:
    instansi = sk.instansi_user(request.user)
    if instansi is None:
        raise PermissionDenied("Halaman ini untuk pimpinan unit kerja dan admin kepegawaian.")
    if request.method == "POST":
        return instansi, sk.select_periode(instansi, request.POST.get("periode"), ketat=True)
    return instansi, sk.select_periode(instansi, request.GET.get("periode"))


def _pesan_galat(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def _keputusan_ppk(isian: dict[str, str]) -> services.KeputusanPpk:
    """The PPK's decision from the form (only used where the admin sets the capaian)."""
    tanggal = None
    if isian["ppk_tanggal"]:
        try:
            tanggal = datetime.date.fromisoformat(isian["ppk_tanggal"])
        except ValueError:
            raise ValidationError(
                {"ppk_tanggal": f"Tanggal keputusan PPK tidak dikenal: {isian['ppk_tanggal']!r}."}
            ) from None
    return services.KeputusanPpk(isian["ppk_pejabat"], isian["ppk_nomor"], tanggal)


@login_required
@require_http_methods(["GET", "POST"])
def capaian(request: HttpRequest) -> HttpResponse:
    user = request.user
    instansi, pilihan = _instansi_dan_periode(request)
    admin = is_admin_of(user, instansi.pk)
    ctx: dict[str, Any] = {"nav": "penilaian", "instansi": instansi, "pilihan": pilihan, "admin": admin}
    if pilihan is None:
        if request.method == "POST":
            raise Http404("Periode penilaian tidak dikenal atau belum dibuat.")
        if not admin and not (user.pegawai_id and selectors_papan.unit_teratas(user.pegawai)):
            raise PermissionDenied("Halaman ini untuk pimpinan unit kerja dan admin kepegawaian.")
        return render(request, T + "halaman.html", ctx)
    galat: dict[int, str] = {}
    isian: dict[int, dict[str, str]] = {}
    if request.method == "POST":
        unit_id = request.POST.get("unit", "")
        if not unit_id.isdigit():
            raise Http404("Unit kerja tidak ditemukan.")
        unit = get_object_or_404(UnitKerja.objects.select_related("instansi", "parent"), pk=int(unit_id))
        if unit.instansi_id != instansi.pk:
            raise Http404("Unit kerja tidak ditemukan.")
        nilai, catatan = request.POST.get("nilai", ""), request.POST.get("catatan", "")
        ppk = {k: request.POST.get(k, "").strip() for k in ("ppk_pejabat", "ppk_nomor", "ppk_tanggal")}
        try:
            obj = services.set_capaian_organisasi(
                unit, pilihan.periode, pilihan.pp, nilai, catatan, user, _keputusan_ppk(ppk)
            )
        except ValidationError as exc:
            galat[unit.pk] = _pesan_galat(exc)
            isian[unit.pk] = {"nilai": nilai, "catatan": catatan, **ppk}
        else:
            messages.success(
                request,
                f"Capaian kinerja organisasi {unit.nama} untuk {pilihan.nama} ditetapkan: "
                f"{obj.get_nilai_display()}.",
            )
            kueri = urlencode({"periode": pilihan.kunci, "ditetapkan": unit.pk})
            return redirect(f"{reverse('penilaian:capaian')}?{kueri}#unit-{unit.pk}")
    data = sk.baris_capaian(user, instansi, pilihan)
    if not data.baris and not admin and not (user.pegawai_id and selectors_papan.unit_teratas(user.pegawai)):
        raise PermissionDenied(
            "Halaman ini untuk pimpinan unit kerja yang menetapkan capaian kinerja organisasi unit di "
            "bawahnya, dan untuk admin kepegawaian."
        )
    terdampak: list[sk.KelompokTerdampak] = []
    unit_ditetapkan = None
    ditetapkan = request.GET.get("ditetapkan", "")
    if ditetapkan.isdigit():
        unit_ditetapkan = next((b.unit for b in data.baris if b.unit.pk == int(ditetapkan)), None)
        if unit_ditetapkan is not None:
            unit_ditetapkan.instansi = instansi
            terdampak = sk.kelompok_terdampak(unit_ditetapkan, pilihan)
    for b in data.baris:
        b.galat = galat.get(b.unit.pk, "")
        b.isian = isian.get(b.unit.pk) or {
            "nilai": b.capaian.nilai if b.capaian else "",
            "catatan": b.capaian.catatan if b.capaian else "",
            "ppk_pejabat": b.capaian.ppk_pejabat if b.capaian else "",
            "ppk_nomor": b.capaian.ppk_nomor if b.capaian else "",
            "ppk_tanggal": b.capaian.ppk_tanggal.isoformat() if b.capaian and b.capaian.ppk_tanggal else "",
        }
    ctx.update(
        data=data,
        pilihan_capaian=CapaianOrganisasi.choices(),
        terdampak=terdampak,
        unit_ditetapkan=unit_ditetapkan,
        kelompok_url=reverse("penilaian:kelompok"),
    )
    return render(request, T + "halaman.html", ctx, status=400 if galat else 200)


@login_required
@require_GET
def saran(request: HttpRequest) -> HttpResponse:
    """The suggestion for one unit (htmx fragment of a row)."""
    user = request.user
    unit_id = request.GET.get("unit", "")
    if not unit_id.isdigit():
        raise Http404("Unit kerja tidak ditemukan.")
    unit = get_object_or_404(UnitKerja.objects.select_related("instansi", "parent"), pk=int(unit_id))
    pilihan = sk.select_periode(unit.instansi, request.GET.get("periode"))
    if pilihan is None:
        raise Http404("Periode penilaian belum dibuat.")
    admin = is_admin_of(user, unit.instansi_id)
    if not admin and not may_set_capaian_unit(user, unit, pilihan.tanggal):
        raise PermissionDenied("Anda tidak menetapkan capaian kinerja organisasi unit ini.")
    hasil = services.saran_capaian_organisasi(unit, pilihan.pp, pilihan.periode)
    return render(
        request,
        T + "_saran.html",
        {"saran": hasil, "admin": admin, "ada_ambang": bool(unit.instansi.ambang_capaian_organisasi)},
    )
