"""Pages of the pegawai's days (docs/rules.md §27): "Kehadiran saya" and a bawahan's calendar, the absence
and correction requests and their decisions, the atasan's board, the admin's recap per unit, and the summary
block the rating page loads with htmx. Thin: reads in `selectors`, writes in `services`."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.kehadiran.harian import selectors, services
from kinerja.kehadiran.harian.forms import KetidakhadiranForm, KoreksiForm
from kinerja.kehadiran.models import Ketidakhadiran, KoreksiKehadiran
from kinerja.organisasi.models import Pegawai, UnitKerja
from kinerja.permissions import admin_instansi

T = "kehadiran/harian/"
INLINE = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
#: The longest range the summary block reads (a year of days).
MAKS_RENTANG_HARI = 366
NAMA_HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _bulan(request: HttpRequest) -> tuple[int, int]:
    """``?bulan=2026-03``; this month when missing or unreadable."""
    try:
        t = datetime.datetime.strptime(request.GET.get("bulan", ""), "%Y-%m").date()
    except ValueError:
        t = timezone.localdate()
    return t.year, t.month


def _pegawai_saya(request: HttpRequest) -> Pegawai:
    if not request.user.pegawai_id:
        raise Http404("Akun ini tidak terhubung dengan data pegawai.")
    return Pegawai.objects.get(pk=request.user.pegawai_id)


def _pegawai_bulan(request: HttpRequest, pegawai_id: int) -> Pegawai:
    """The pegawai (with the unit the calendar needs) if the user may see their attendance."""
    tahun, bulan = _bulan(request)
    p = selectors.pegawai_dengan_unit(pegawai_id, selectors.bulan_batas(tahun, bulan)[1])
    if p is None:
        raise Http404("Pegawai tidak ditemukan.")
    if not request.user.has_perm("kehadiran.view_kehadiran", p):
        raise PermissionDenied("Anda tidak berhak melihat kehadiran pegawai ini.")
    return p


def _kalender(request: HttpRequest, pegawai: Pegawai, sendiri: bool) -> HttpResponse:
    tahun, bulan = _bulan(request)
    data = selectors.bulan_pegawai(pegawai, tahun, bulan)
    return render(
        request,
        T + "kalender.html",
        {"nav": "kehadiran", "b": data, "sendiri": sendiri, "nama_hari": NAMA_HARI},
    )


@login_required
def saya(request: HttpRequest) -> HttpResponse:
    if not request.user.pegawai_id:
        raise Http404("Akun ini tidak terhubung dengan data pegawai.")
    return _kalender(request, _pegawai_bulan(request, request.user.pegawai_id), True)


@login_required
def pegawai(request: HttpRequest, pegawai_id: int) -> HttpResponse:
    p = _pegawai_bulan(request, pegawai_id)
    return _kalender(request, p, request.user.has_perm("kehadiran.request_kehadiran", p))


@login_required
def pengajuan(request: HttpRequest, pegawai_id: int) -> HttpResponse:
    """The month's requests, loaded by the calendar with htmx (keeps the calendar within its queries)."""
    p = _pegawai_bulan(request, pegawai_id)
    mulai, selesai = selectors.bulan_batas(*_bulan(request))
    absen, koreksi = selectors.pengajuan_bulan(p.pk, mulai, selesai)
    return render(
        request,
        T + "_pengajuan.html",
        {
            "absen": absen,
            "koreksi": koreksi,
            "sendiri": request.user.has_perm("kehadiran.request_kehadiran", p),
        },
    )


def _unggahan(request: HttpRequest) -> services.Unggahan | None:
    f = request.FILES.get("bukti")
    return services.Unggahan(f, f.name or "", f.size or 0) if f else None


def _galat(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for nama, pesan in exc.message_dict.items():
            form.add_error(nama if nama in form.fields else None, pesan)
    else:
        form.add_error(None, exc.messages)


def _ke_kalender(tanggal: datetime.date) -> str:
    return reverse("kehadiran:saya") + f"?bulan={tanggal:%Y-%m}"


@login_required
def ajukan_absen(request: HttpRequest) -> HttpResponse:
    p = _pegawai_saya(request)
    if request.method == "POST":
        form = KetidakhadiranForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                k = services.ajukan_ketidakhadiran(
                    request.user,
                    p,
                    jenis=d["jenis"],
                    mulai=d["mulai"],
                    selesai=d["selesai"],
                    keterangan=d["keterangan"],
                    bukti=_unggahan(request),
                )
            except ValidationError as exc:
                _galat(form, exc)
            else:
                messages.success(request, "Pengajuan ketidakhadiran terkirim; menunggu persetujuan atasan.")
                return redirect(_ke_kalender(k.mulai))
    else:
        tanggal = request.GET.get("tanggal") or None
        form = KetidakhadiranForm(initial={"mulai": tanggal, "selesai": tanggal})
    return render(
        request, T + "ajukan.html", {"nav": "kehadiran", "form": form, "judul": "Ajukan ketidakhadiran"}
    )


@login_required
def ajukan_koreksi(request: HttpRequest) -> HttpResponse:
    p = _pegawai_saya(request)
    if request.method == "POST":
        form = KoreksiForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                k = services.ajukan_koreksi(
                    request.user,
                    p,
                    tanggal=d["tanggal"],
                    jenis=d["jenis"],
                    masuk=d["masuk"],
                    pulang=d["pulang"],
                    alasan=d["alasan"],
                    bukti=_unggahan(request),
                )
            except ValidationError as exc:
                _galat(form, exc)
            else:
                messages.success(request, "Koreksi kehadiran terkirim; menunggu persetujuan atasan.")
                return redirect(_ke_kalender(k.tanggal))
    else:
        form = KoreksiForm(initial={"tanggal": request.GET.get("tanggal") or None})
    return render(
        request,
        T + "ajukan.html",
        {
            "nav": "kehadiran",
            "form": form,
            "judul": "Ajukan koreksi kehadiran",
            "batas": services.BATAS_KOREKSI_HARI,
        },
    )


def _kembali(request: HttpRequest, bawaan: str) -> str:
    tujuan = request.POST.get("kembali", "")
    return tujuan if tujuan.startswith("/kehadiran/") else bawaan


def _putuskan(request: HttpRequest, obj: Any, fungsi: Any, tanggal: datetime.date) -> HttpResponse:
    setuju = request.POST.get("setuju") == "1"
    try:
        fungsi(request.user, obj, setuju=setuju, catatan=request.POST.get("catatan", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Pengajuan {obj.pegawai.nama} {'disetujui' if setuju else 'ditolak'}.")
    return redirect(_kembali(request, reverse("kehadiran:tim")))


def _batal(request: HttpRequest, obj: Any, fungsi: Any, tanggal: datetime.date) -> HttpResponse:
    try:
        fungsi(request.user, obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Pengajuan dibatalkan.")
    return redirect(_ke_kalender(tanggal))


@login_required
@require_POST
def batal_absen(request: HttpRequest, pk: int) -> HttpResponse:
    k = get_object_or_404(Ketidakhadiran.objects.select_related("pegawai"), pk=pk)
    return _batal(request, k, services.batalkan_ketidakhadiran, k.mulai)


@login_required
@require_POST
def putuskan_absen(request: HttpRequest, pk: int) -> HttpResponse:
    k = get_object_or_404(Ketidakhadiran.objects.select_related("pegawai"), pk=pk)
    return _putuskan(request, k, services.putuskan_ketidakhadiran, k.mulai)


@login_required
@require_POST
def batal_koreksi(request: HttpRequest, pk: int) -> HttpResponse:
    k = get_object_or_404(KoreksiKehadiran.objects.select_related("pegawai"), pk=pk)
    return _batal(request, k, services.batalkan_koreksi, k.tanggal)


@login_required
@require_POST
def putuskan_koreksi(request: HttpRequest, pk: int) -> HttpResponse:
    k = get_object_or_404(KoreksiKehadiran.objects.select_related("pegawai"), pk=pk)
    return _putuskan(request, k, services.putuskan_koreksi, k.tanggal)


def _unduh(request: HttpRequest, obj: Ketidakhadiran | KoreksiKehadiran) -> HttpResponse:
    """The stored bukti after the permission check (MEDIA_ROOT is served by no URL)."""
    if not request.user.has_perm("kehadiran.view_kehadiran", obj.pegawai):
        raise PermissionDenied("Anda tidak berhak mengakses bukti ini.")
    if not obj.bukti:
        raise Http404("Pengajuan ini tidak memiliki bukti.")
    try:
        f = obj.bukti.open("rb")
    except FileNotFoundError:
        raise Http404("Berkas tidak ditemukan di penyimpanan.") from None
    nama = obj.bukti.name.rsplit("/", 1)[-1]
    tipe = next((t for ext, t in INLINE.items() if nama.lower().endswith(ext)), None)
    inline = request.GET.get("lihat") == "1" and tipe is not None
    response = FileResponse(
        f, as_attachment=not inline, filename=nama, content_type=tipe or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    if tipe != "application/pdf":
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def bukti_absen(request: HttpRequest, pk: int) -> HttpResponse:
    return _unduh(request, get_object_or_404(Ketidakhadiran.objects.select_related("pegawai"), pk=pk))


@login_required
def bukti_koreksi(request: HttpRequest, pk: int) -> HttpResponse:
    return _unduh(request, get_object_or_404(KoreksiKehadiran.objects.select_related("pegawai"), pk=pk))


@login_required
def tim(request: HttpRequest) -> HttpResponse:
    p = _pegawai_saya(request)
    semua = request.GET.get("semua") == "1"
    baris, absen, koreksi = selectors.papan_tim(p, semua=semua)
    return render(
        request,
        T + "tim.html",
        {
            "nav": "kehadiran",
            "baris": baris,
            "absen": absen,
            "koreksi": koreksi,
            "semua": semua,
            "hari_ini": timezone.localdate(),
            "kembali": request.get_full_path(),
        },
    )


@login_required
def rekap(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    if not request.user.has_perm("kehadiran.manage_kehadiran", instansi):
        raise PermissionDenied("Halaman ini hanya untuk admin kepegawaian.")
    tahun, bulan = _bulan(request)
    data_bulan = selectors.bulan_batas(tahun, bulan)
    units = list(
        UnitKerja.objects.filter(instansi=instansi).order_by("path").values_list("pk", "nama", "path")
    )
    try:
        unit_id: int | None = int(request.GET.get("unit", ""))
    except ValueError:
        unit_id = None
    sub_unit = request.GET.get("sub", "1") == "1"
    qs = selectors.pegawai_unit(instansi.pk, unit_id, sub_unit=sub_unit, tanggal=data_bulan[1])
    halaman = Paginator(qs, 50).get_page(request.GET.get("halaman"))
    hari_ini = timezone.localdate()
    baris = selectors.rekap(instansi.pk, list(halaman.object_list), *data_bulan, hari_ini)
    total = selectors.Ringkasan()
    for _, r in baris:
        total.tambah(r)
    return render(
        request,
        T + "rekap.html",
        {
            "nav": "kehadiran",
            "baris": baris,
            "total": total,
            "halaman": halaman,
            "units": [(pk, nama, path.count("/")) for pk, nama, path in units],
            "unit_id": unit_id,
            "sub_unit": sub_unit,
            "mulai": data_bulan[0],
            "sebelumnya": (data_bulan[0] - datetime.timedelta(days=1)).strftime("%Y-%m"),
            "berikutnya": (data_bulan[1] + datetime.timedelta(days=1)).strftime("%Y-%m"),
            "jenis_absen": selectors.JENIS_ABSEN,
        },
    )


def _tanggal(nilai: str | None, bawaan: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(nilai) if nilai else bawaan
    except ValueError:
        return bawaan


@login_required
def ringkasan(request: HttpRequest, pegawai_id: int) -> HttpResponse:
    """The rating page's lazily loaded block: evidence for Akuntabel, never a rating."""
    p = get_object_or_404(Pegawai, pk=pegawai_id)
    if not request.user.has_perm("kehadiran.view_kehadiran", p):
        raise PermissionDenied("Anda tidak berhak melihat kehadiran pegawai ini.")
    hari_ini = timezone.localdate()
    mulai = _tanggal(request.GET.get("mulai"), hari_ini.replace(day=1))
    selesai = _tanggal(request.GET.get("selesai"), hari_ini)
    tahun = selectors.tahun_periode(request.GET.get("periode", ""), p.instansi_id)
    if tahun is not None:  # the annual evaluation: the whole year (docs/rules.md §27)
        mulai, selesai = datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31)
    if selesai < mulai:
        mulai, selesai = selesai, mulai
    if (selesai - mulai).days >= MAKS_RENTANG_HARI:
        mulai = selesai - datetime.timedelta(days=MAKS_RENTANG_HARI - 1)
    r = selectors.ringkasan_pegawai(p, mulai, selesai, hari_ini)
    return render(request, T + "_ringkasan.html", {"r": r, "p": p, "mulai": mulai, "selesai": selesai})
