"""The working-calendar pages under ``/kehadiran/kalender/`` (docs/rules.md §27.x).

Admin kepegawaian (``kehadiran.manage_kehadiran``): Jadwal kerja, Varian jadwal, Shift and the roster,
Kalender libur, Pengaturan kehadiran. Anyone working in the instansi (``kehadiran.view_kalender``): the
read-only Kalender kerja. Thin: the writes are in `services`, the reads in `selectors`.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.kehadiran import selectors as sk
from kinerja.kehadiran.halaman import galat_per_bidang, instansi_dikelola, tanggal_iso
from kinerja.kehadiran.kalender import selectors as sel
from kinerja.kehadiran.kalender import services
from kinerja.kehadiran.kalender.forms import PengaturanForm
from kinerja.kehadiran.models import HariLibur, JadwalKerja, PengaturanKehadiran, Shift, VarianJadwal
from kinerja.organisasi.models import Instansi, UnitKerja
from kinerja.permissions import user_instansi_id
from kinerja.rules import kehadiran as aturan_hadir
from kinerja.rules.jenis_hari import JenisHari

T = "kehadiran/kalender/"
PERPRES_HARI = services.jadwal_ke_isian(aturan_hadir.jadwal_perpres_21_2023())
PERPRES = services.isian_dari_hari(PERPRES_HARI)


def _unit(instansi: Instansi, pk: str | None) -> UnitKerja | None:
    if not (pk or "").strip().isdigit():
        return None
    return get_object_or_404(UnitKerja, pk=int(pk or 0), instansi=instansi)


def _ctx(request: HttpRequest, tab: str, **kw: Any) -> dict[str, Any]:
    return {"nav": "kehadiran", "tab": tab, **kw}


# --- Jadwal kerja ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def jadwal(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    galat: dict[str, str] = {}
    unit = _unit(instansi, request.POST.get("unit") if request.method == "POST" else request.GET.get("unit"))
    milik, per_unit = sel.jadwal_instansi(instansi)
    sedang = next((j for j in per_unit if unit and j.unit_id == unit.pk), None) if unit else milik
    if request.method == "POST":
        try:
            services.simpan_jadwal(request.user, instansi, unit, request.POST.get("nama", ""), request.POST)
        except ValidationError as exc:
            galat = galat_per_bidang(exc)
        else:
            messages.success(request, f"Jadwal kerja {unit.nama if unit else 'instansi'} disimpan.")
            return redirect("kehadiran:kalender_jadwal")
        isian: dict[str, Any] = dict(request.POST.items())
    elif sedang is not None:
        isian = services.isian_dari_hari(sedang.hari)
    elif unit is not None:
        isian = services.isian_dari_hari(milik.hari) if milik else dict(PERPRES)
    else:
        isian = dict(PERPRES)
    ctx = _ctx(
        request,
        "jadwal",
        instansi=instansi,
        milik=milik,
        milik_ringkas=sel.ringkas_hari(milik.hari) if milik else sel.ringkas_hari(PERPRES_HARI),
        per_unit=[(j, sel.ringkas_hari(j.hari)) for j in per_unit],
        unit=unit,
        units=sel.unit_instansi(instansi),
        nama=request.POST.get("nama", "") if galat else (sedang.nama if sedang else ""),
        hari=sel.baris_hari(isian, galat),
        galat=galat,
    )
    return render(request, T + "jadwal.html", ctx, status=422 if galat else 200)


@login_required
@require_POST
def jadwal_hapus(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    obj = get_object_or_404(JadwalKerja, pk=pk, instansi=instansi)
    services.hapus_jadwal(request.user, obj)
    messages.success(request, f"Jadwal {obj.nama} dihapus.")
    return redirect("kehadiran:kalender_jadwal")


# --- Varian jadwal --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def varian(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    galat: dict[str, str] = {}
    ubah_pk = request.POST.get("ubah") or request.GET.get("ubah")
    ubah = (
        get_object_or_404(VarianJadwal, pk=int(ubah_pk), instansi=instansi)
        if (ubah_pk or "").isdigit()
        else None
    )
    if request.method == "POST" and "ramadan" not in request.POST:
        unit = _unit(instansi, request.POST.get("unit"))
        try:
            services.simpan_varian(
                request.user,
                instansi,
                unit=unit,
                nama=request.POST.get("nama", ""),
                mulai=tanggal_iso(request.POST.get("mulai")),
                selesai=tanggal_iso(request.POST.get("selesai")),
                isian=request.POST,
                varian=ubah,
            )
        except ValidationError as exc:
            galat = galat_per_bidang(exc)
        else:
            messages.success(request, "Varian jadwal disimpan.")
            return redirect("kehadiran:kalender_varian")
    if request.method == "POST":
        isian: dict[str, Any] = dict(request.POST.items())
        if "ramadan" in request.POST:
            isian = {
                k: v
                for k, v in isian.items()
                if not k.startswith(("kerja_", "masuk_", "pulang_", "istirahat_"))
            }
            isian.update(services.isian_ramadan())
            isian["nama"] = isian.get("nama") or "Ramadan"
    elif ubah is not None:
        isian = {
            **services.isian_dari_hari(ubah.hari),
            "nama": ubah.nama,
            "mulai": ubah.mulai.isoformat(),
            "selesai": ubah.selesai.isoformat(),
            "unit": str(ubah.unit_id or ""),
        }
    else:
        isian = dict(PERPRES)
    ctx = _ctx(
        request,
        "varian",
        instansi=instansi,
        daftar=[(v, sel.ringkas_hari(v.hari)) for v in sel.varian_instansi(instansi)],
        units=sel.unit_instansi(instansi),
        ubah=ubah,
        isian=isian,
        hari=sel.baris_hari(isian, galat),
        galat=galat,
    )
    return render(request, T + "varian.html", ctx, status=422 if galat else 200)


@login_required
@require_POST
def varian_hapus(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    obj = get_object_or_404(VarianJadwal, pk=pk, instansi=instansi)
    services.hapus_varian(request.user, obj)
    messages.success(request, f"Varian {obj.nama} dihapus.")
    return redirect("kehadiran:kalender_varian")


# --- Shift and the roster -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shift(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    galat: dict[str, str] = {}
    ubah_pk = request.POST.get("ubah") or request.GET.get("ubah")
    ubah = get_object_or_404(Shift, pk=int(ubah_pk), instansi=instansi) if (ubah_pk or "").isdigit() else None
    if request.method == "POST":
        try:
            services.simpan_shift(
                request.user,
                instansi,
                nama=request.POST.get("nama", ""),
                masuk=request.POST.get("masuk"),
                pulang=request.POST.get("pulang"),
                istirahat=request.POST.get("istirahat"),
                shift=ubah,
            )
        except ValidationError as exc:
            galat = galat_per_bidang(exc)
        else:
            messages.success(request, "Shift disimpan.")
            return redirect("kehadiran:kalender_shift")
    if request.method == "POST":
        isian: dict[str, Any] = dict(request.POST.items())
    elif ubah is not None:
        isian = {
            "nama": ubah.nama,
            "masuk": f"{ubah.masuk:%H:%M}",
            "pulang": f"{ubah.pulang:%H:%M}",
            "istirahat": ubah.istirahat_menit,
        }
    else:
        isian = {"istirahat": 0}
    ctx = _ctx(
        request,
        "shift",
        instansi=instansi,
        daftar=sel.shift_instansi(instansi),
        units=sel.unit_instansi(instansi),
        ubah=ubah,
        isian=isian,
        galat=galat,
    )
    return render(request, T + "shift.html", ctx, status=422 if galat else 200)


@login_required
@require_POST
def shift_hapus(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    obj = get_object_or_404(Shift, pk=pk, instansi=instansi)
    try:
        services.hapus_shift(request.user, obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Shift {obj.nama} dihapus.")
    return redirect("kehadiran:kalender_shift")


def _bulan(teks: str | None) -> tuple[int, int]:
    try:
        t = datetime.date.fromisoformat(f"{(teks or '').strip()}-01")
    except ValueError:
        t = timezone.localdate()
    return t.year, t.month


@login_required
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    sumber = request.POST if request.method == "POST" else request.GET
    units = sel.unit_instansi(instansi)
    unit = _unit(instansi, sumber.get("unit")) or (units[0] if units else None)
    tahun, bulan = _bulan(sumber.get("bulan"))
    galat: dict[str, str] = {}
    if request.method == "POST" and unit is not None:
        ids = [int(p) for p in request.POST.getlist("pegawai") if p.isdigit()]
        mulai, selesai = tanggal_iso(request.POST.get("mulai")), tanggal_iso(request.POST.get("selesai"))
        try:
            if request.POST.get("aksi") == "kosongkan":
                n = services.kosongkan_jadwal_shift(request.user, instansi, ids, mulai, selesai)
                pesan = f"{n} jadwal shift dikosongkan."
            else:
                sh = request.POST.get("shift", "")
                pilih = Shift.objects.filter(pk=int(sh), instansi=instansi).first() if sh.isdigit() else None
                n = services.atur_jadwal_shift(request.user, instansi, pilih, ids, mulai, selesai)
                pesan = f"{n} hari-pegawai dijadwalkan."
        except ValidationError as exc:
            galat = galat_per_bidang(exc)
        else:
            messages.success(request, pesan)
            return redirect(f"{request.path}?unit={unit.pk}&bulan={tahun}-{bulan:02d}")
    grid = sel.grid_shift(unit, tahun, bulan) if unit else None
    awal = datetime.date(tahun, bulan, 1)
    sebelum = awal - datetime.timedelta(days=1)
    sesudah = awal + datetime.timedelta(days=32)
    ctx = _ctx(
        request,
        "shift",
        instansi=instansi,
        units=units,
        unit=unit,
        grid=grid,
        shifts=sel.shift_instansi(instansi),
        judul_bulan=f"{sel.NAMA_BULAN[bulan - 1]} {tahun}",
        bulan=f"{tahun}-{bulan:02d}",
        bulan_sebelum=f"{sebelum.year}-{sebelum.month:02d}",
        bulan_sesudah=f"{sesudah.year}-{sesudah.month:02d}",
        isian=request.POST if galat else {},
        dipilih=set(request.POST.getlist("pegawai")) if galat else set(),
        galat=galat,
    )
    return render(request, T + "roster.html", ctx, status=422 if galat else 200)


# --- Kalender libur -------------------------------------------------------------------------------------


def _tahun(teks: str | None) -> int:
    return (
        int(teks) if (teks or "").isdigit() and 2000 <= int(teks or 0) <= 2100 else timezone.localdate().year
    )


@login_required
@require_http_methods(["GET", "POST"])
def libur(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    tahun = _tahun(request.POST.get("tahun") or request.GET.get("tahun"))
    galat: dict[str, str] = {}
    ubah_pk = request.POST.get("ubah") or request.GET.get("ubah")
    ubah = (
        get_object_or_404(HariLibur, pk=int(ubah_pk), instansi=instansi)
        if (ubah_pk or "").isdigit()
        else None
    )
    if request.method == "POST":
        try:
            obj = services.simpan_hari_libur(
                request.user,
                instansi,
                tanggal=tanggal_iso(request.POST.get("tanggal")),
                nama=request.POST.get("nama", ""),
                jenis=request.POST.get("jenis", ""),
                libur=ubah,
            )
        except ValidationError as exc:
            galat = galat_per_bidang(exc)
        else:
            messages.success(request, f"{obj.nama} ({obj.tanggal:%d-%m-%Y}) disimpan.")
            return redirect(f"{request.path}?tahun={obj.tanggal.year}")
    if galat:
        isian: dict[str, Any] = dict(request.POST.items())
    elif ubah is not None:
        isian = {"tanggal": ubah.tanggal.isoformat(), "nama": ubah.nama, "jenis": ubah.jenis}
    else:
        isian = {"jenis": JenisHari.LIBUR.value}
    kal = sel.kalender_libur(instansi, tahun)
    ctx = _ctx(
        request,
        "libur",
        instansi=instansi,
        kal=kal,
        tahun=tahun,
        tahun_ini=timezone.localdate().year,
        ada_data=services.data_nasional(tahun) is not None,
        jenis_pilihan=[
            (JenisHari.LIBUR.value, JenisHari.LIBUR.label),
            (JenisHari.CUTI_BERSAMA.value, JenisHari.CUTI_BERSAMA.label),
        ],
        ubah=ubah,
        isian=isian,
        galat=galat,
    )
    return render(request, T + "libur.html", ctx, status=422 if galat else 200)


@login_required
@require_POST
def libur_isi(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    tahun = _tahun(request.POST.get("tahun"))
    try:
        n = services.isi_kalender_nasional(request.user, instansi, tahun)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if n:
            messages.success(
                request, f"{n} hari libur dan cuti bersama tahun {tahun} ditambahkan. Periksa daftarnya."
            )
        else:
            messages.info(
                request, f"Semua tanggal kalender nasional {tahun} sudah ada; tidak ada yang ditambahkan."
            )
    return redirect(f"{reverse('kehadiran:kalender_libur')}?tahun={tahun}")


@login_required
@require_POST
def libur_diperiksa(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    tahun = _tahun(request.POST.get("tahun"))
    services.tandai_diperiksa(request.user, instansi, tahun)
    messages.success(request, f"Kalender libur {tahun} ditandai sudah diperiksa.")
    return redirect(f"{reverse('kehadiran:kalender_libur')}?tahun={tahun}")


@login_required
@require_POST
def libur_hapus(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    obj = get_object_or_404(HariLibur, pk=pk, instansi=instansi)
    services.hapus_hari_libur(request.user, obj)
    messages.success(request, f"{obj.nama} ({obj.tanggal:%d-%m-%Y}) dihapus.")
    return redirect(f"{reverse('kehadiran:kalender_libur')}?tahun={obj.tanggal.year}")


# --- Pengaturan kehadiran -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pengaturan(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    if request.method == "POST":
        form = PengaturanForm(request.POST)
        if form.is_valid():
            try:
                services.simpan_pengaturan(
                    request.user,
                    instansi,
                    form.aturan(),
                    atasan_lihat_tpp=form.cleaned_data["atasan_lihat_tpp"],
                    batas_isi_hari=form.cleaned_data["batas_isi_hari"],
                )
            except ValidationError as exc:
                for k, v in galat_per_bidang(exc).items():
                    form.add_error(k if k in form.fields else None, v)
            else:
                messages.success(request, "Pengaturan kehadiran disimpan.")
                return redirect("kehadiran:kalender_pengaturan")
    else:
        simpan = PengaturanKehadiran.objects.filter(instansi=instansi).first()
        aturan = sk.aturan_kehadiran(instansi.pk)
        awal = {**asdict(aturan), "cara_baca": aturan.cara_baca.value}
        awal["atasan_lihat_tpp"] = simpan.atasan_lihat_tpp if simpan else False
        awal["batas_isi_hari"] = simpan.batas_isi_hari if simpan else 5
        form = PengaturanForm(initial=awal)
    ctx = _ctx(request, "pengaturan", instansi=instansi, form=form)
    return render(request, T + "pengaturan.html", ctx, status=422 if form.errors else 200)


# --- Kalender kerja (read-only, every pegawai) ----------------------------------------------------------


@login_required
def kalender_kerja(request: HttpRequest) -> HttpResponse:
    instansi_id = user_instansi_id(request.user)
    if instansi_id is None or not request.user.has_perm("kehadiran.view_kalender", instansi_id):
        raise PermissionDenied("Kalender kerja hanya untuk pegawai instansi.")
    tahun, bulan = _bulan(request.GET.get("bulan"))
    pegawai = request.user.pegawai if request.user.pegawai_id else None
    data = sel.kalender_kerja(instansi_id, pegawai, tahun, bulan)
    awal = datetime.date(tahun, bulan, 1)
    sebelum = awal - datetime.timedelta(days=1)
    sesudah = awal + datetime.timedelta(days=32)
    ctx = {
        "nav": "kehadiran",
        "data": data,
        "pegawai": pegawai,
        "jadwal_ringkas": sel.ringkas_hari(services.jadwal_ke_isian(data.jadwal)),
        "judul_bulan": f"{sel.NAMA_BULAN[bulan - 1]} {tahun}",
        "bulan_sebelum": f"{sebelum.year}-{sebelum.month:02d}",
        "bulan_sesudah": f"{sesudah.year}-{sesudah.month:02d}",
        "nama_hari": sel.NAMA_HARI,
        "kelola": request.user.has_perm("kehadiran.manage_kehadiran", instansi_id),
    }
    return render(request, T + "kalender_kerja.html", ctx)
