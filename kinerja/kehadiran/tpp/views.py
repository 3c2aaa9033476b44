"""TPP pages (docs/rules.md §28): "TPP saya" (a pegawai's months and one month in detail, the open month
as a live estimate) and the admin's instansi month (compute, close, reopen, the table of pegawai)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kinerja.kehadiran.models import BulanTpp, TppPegawai
from kinerja.kehadiran.tpp import selectors as sel
from kinerja.kehadiran.tpp import services
from kinerja.kehadiran.tpp.hasil import hasil_ke_json
from kinerja.organisasi.models import Pegawai, UnitKerja
from kinerja.permissions import admin_instansi
from kinerja.rules.jadwal import NAMA_BULAN
from kinerja.rules.tpp import teks_tanggal
from kinerja.rules.tukin import teks_persen

T = "kehadiran/tpp/"


def rp(x: Any) -> str:
    return "Rp" + f"{int(Decimal(str(x)).quantize(Decimal(1))):,}".replace(",", ".")


def _nama_bulan(tahun: int, bulan: int) -> str:
    return f"{NAMA_BULAN[bulan - 1]} {tahun}"


def _bulan(teks: str) -> tuple[int, int]:
    try:
        d = datetime.date.fromisoformat(teks + "-01")
    except ValueError:
        raise Http404 from None
    return d.year, d.month


def _rincian(hasil: dict[str, Any]) -> dict[str, Any]:
    """The stored result with rupiah texts for the template."""
    segmen = [
        {
            **s,
            "mulai_teks": teks_tanggal(datetime.date.fromisoformat(s["mulai"])),
            "selesai_teks": teks_tanggal(datetime.date.fromisoformat(s["selesai"])),
            "pagu_rp": rp(s["pagu"]),
            "jumlah_rp": rp(s["jumlah"]),
            "potongan_rp": rp(s["potongan"]),
            "batas_rp": rp(s["batas"]),
            "baris": [
                {**r, "rupiah_rp": rp(r["rupiah"]), "persen_teks": teks_persen(Decimal(r["persen"]))}
                for r in s["rincian"]
            ],
        }
        for s in hasil["segmen"]
    ]
    return {**hasil, "segmen": segmen, "bruto_rp": rp(hasil["bruto"]), "pagu_rp": rp(hasil["pagu_bulan"])}


def _pegawai_user(request: HttpRequest) -> Pegawai:
    pegawai = getattr(request.user, "pegawai", None)
    if pegawai is None:
        raise PermissionDenied("Halaman ini untuk pegawai.")
    return pegawai


@login_required
@require_GET
def saya(request: HttpRequest) -> HttpResponse:
    pegawai = _pegawai_user(request)
    return redirect("kehadiran:tpp_pegawai", pk=pegawai.pk)


@login_required
@require_GET
def pegawai(request: HttpRequest, pk: int, bulan: str | None = None) -> HttpResponse:
    """A pegawai's TPP months and one month in detail (the stored row, or the live estimate while the
    month is open and not computed yet)."""
    p = get_object_or_404(Pegawai.objects.only("pk", "nama", "nip", "instansi_id"), pk=pk)
    if not request.user.has_perm("kehadiran.view_tpp", p):
        raise PermissionDenied("Anda tidak berhak melihat TPP pegawai ini.")
    hari_ini = timezone.localdate()
    tahun, bl = _bulan(bulan) if bulan else (hari_ini.year, hari_ini.month)
    riwayat = sel.riwayat_pegawai(p.pk)
    baris = next((r for r in riwayat if (r.bulan.tahun, r.bulan.bulan) == (tahun, bl)), None)
    hasil: dict[str, Any] | None = None
    alasan = ""
    perkiraan = perlu_isi = False
    batas = sel.batas_isi_tersimpan(p.instansi_id, tahun, bl)
    if baris is not None:
        hasil = TppPegawai.objects.values_list("hasil", flat=True).get(pk=baris.pk)
    else:
        h = sel.perkiraan(p.instansi_id, p.pk, tahun, bl, batas)
        if h is None:
            alasan = "Belum ada aturan TPP atau tabel pagu yang berlaku pada bulan ini."
        elif h.hasil is None:
            alasan = h.alasan
        else:
            hasil, perkiraan, perlu_isi = hasil_ke_json(h.hasil), True, h.perlu_isi
    ctx = {
        "p": p,
        "riwayat": [
            (
                r,
                _nama_bulan(r.bulan.tahun, r.bulan.bulan),
                rp(r.bruto),
                f"{r.bulan.tahun}-{r.bulan.bulan:02d}",
            )
            for r in riwayat
        ],
        "judul_bulan": _nama_bulan(tahun, bl),
        "kunci_bulan": f"{tahun}-{bl:02d}",
        "baris": baris,
        "hasil": _rincian(hasil) if hasil else None,
        "perkiraan": perkiraan,
        "alasan": alasan,
        "batas_isi": batas if perlu_isi else None,
        "nav": "kehadiran",
    }
    return render(request, T + "pegawai.html", ctx)


@login_required
@require_GET
def bulan_instansi(request: HttpRequest, bulan: str) -> HttpResponse:
    instansi = admin_instansi(request)
    if not request.user.has_perm("kehadiran.manage_kehadiran", instansi):
        raise PermissionDenied
    tahun, bl = _bulan(bulan)
    b = sel.bulan_tpp(instansi.pk, tahun, bl)
    unit_id = request.GET.get("unit") or None
    halaman = None
    total: list[dict[str, Any]] = []
    if b is not None:
        halaman = Paginator(
            sel.baris_bulan(b, int(unit_id) if unit_id and unit_id.isdigit() else None), 50
        ).get_page(request.GET.get("page"))
        total = [
            {**t, "pagu_rp": rp(t["pagu"] or 0), "bruto_rp": rp(t["bruto"] or 0)}
            for t in sel.total_per_unit(b)
        ]
    ctx = {
        "instansi": instansi,
        "b": b,
        "judul_bulan": _nama_bulan(tahun, bl),
        "kunci_bulan": f"{tahun}-{bl:02d}",
        "halaman": halaman,
        "baris": [(r, rp(r.pagu), rp(r.potongan), rp(r.bruto)) for r in (halaman or [])],
        "total": total,
        "unit_dipilih": unit_id,
        "units": UnitKerja.objects.filter(instansi=instansi).only("pk", "nama").order_by("nama"),
        "pekerjaan": request.session.get(f"tpp-pekerjaan-{tahun}-{bl}"),
        "nav": "kehadiran",
    }
    if ctx["pekerjaan"]:
        from kinerja.pekerjaan.models import Pekerjaan

        ctx["pekerjaan"] = Pekerjaan.objects.filter(pk=ctx["pekerjaan"]).first()
    return render(request, T + "bulan.html", ctx)


@login_required
@require_POST
def bulan_aksi(request: HttpRequest, bulan: str) -> HttpResponse:
    instansi = admin_instansi(request)
    tahun, bl = _bulan(bulan)
    aksi = request.POST.get("aksi")
    try:
        if aksi == "hitung":
            p = services.hitung_bulan(instansi, tahun, bl, request.user)
            request.session[f"tpp-pekerjaan-{tahun}-{bl}"] = p.pk
            messages.info(request, "Penghitungan TPP dimulai; kemajuannya tampil di bawah.")
        elif aksi == "unduh":
            p = services.unduh_daftar(instansi, tahun, bl, request.user)
            request.session[f"tpp-pekerjaan-{tahun}-{bl}"] = p.pk
            messages.info(request, "Daftar TPP (Excel) sedang dibuat; tautan unduhnya tampil di bawah.")
        else:
            b = get_object_or_404(BulanTpp, instansi=instansi, tahun=tahun, bulan=bl)
            if aksi == "tutup":
                services.tutup_bulan(b, request.user)
                messages.success(request, f"TPP {_nama_bulan(tahun, bl)} ditutup.")
            elif aksi == "buka":
                services.buka_bulan(b, request.POST.get("alasan", ""), request.user)
                messages.success(request, f"TPP {_nama_bulan(tahun, bl)} dibuka kembali.")
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    return redirect("kehadiran:tpp_bulan", bulan=bulan)
