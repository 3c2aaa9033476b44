"""The mismatch report between Kinerja and SIASN (docs/rules.md §21.11), admin kepegawaian only.

* ``/tindak-lanjut/siasn/selisih/``: counts, the pegawai whose unit or jabatan differs (both values, which
  side must be fixed and why, the atasan each side implies), those never read from SIASN on their own tab;
  filter per unit; paginated; the last refresh with its progress.
* ``…/segarkan/`` (POST): read every pegawai from SIASN again, as a background job.
* ``…/kemajuan/``: the refresh's progress (polled by htmx while it runs): its job's bar, then a reload of
  the page (``HX-Refresh``); a record queued before reads ran as jobs answers with its own partial.
* ``…/unduh/``: the report as xlsx.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinerja.common.tanggal import tanggal_panjang
from kinerja.organisasi.forms import unit_options
from kinerja.organisasi.models import Instansi, UnitKerja
from kinerja.pekerjaan.views import progres_atau_muat_ulang
from kinerja.permissions import admin_instansi
from kinerja.tindak_lanjut.siasn.data_utama import selectors as sel
from kinerja.tindak_lanjut.siasn.data_utama import services
from kinerja.tindak_lanjut.siasn.kirim.services import PESAN_BELUM_DIKONFIGURASI, is_siasn_configured

T = "tindak_lanjut/siasn/"
PER_HALAMAN = 25
TAMPIL = {"berbeda", "belum"}


def _instansi(request: HttpRequest) -> Instansi:
    instansi = admin_instansi(request)
    if not request.user.has_perm(services.PERM, instansi):
        raise PermissionDenied("Laporan selisih data SIASN hanya untuk admin kepegawaian instansi.")
    return instansi


def _unit(request: HttpRequest, instansi: Instansi) -> UnitKerja | None:
    u = request.GET.get("unit", "")
    return UnitKerja.objects.filter(instansi=instansi, pk=int(u)).first() if u.isdigit() else None


@never_cache
@login_required
@require_GET
def selisih(request: HttpRequest) -> HttpResponse:
    instansi = _instansi(request)
    unit = _unit(request, instansi)
    tampil = request.GET.get("tampil", "berbeda")
    tampil = tampil if tampil in TAMPIL else "berbeda"
    laporan = sel.laporan_selisih(instansi, unit)
    daftar: list[Any] = laporan.berbeda if tampil == "berbeda" else laporan.belum_dibaca
    query = f"tampil={tampil}" + (f"&unit={unit.pk}" if unit else "")
    ctx = {
        "nav": "tindak_lanjut",
        "instansi": instansi,
        "laporan": laporan,
        "unit": unit,
        "tampil": tampil,
        "page": Paginator(daftar, PER_HALAMAN).get_page(request.GET.get("page")),
        "querystring": query,
        "unit_query": f"&unit={unit.pk}" if unit else "",
        "unit_options": unit_options(instansi, str(unit.pk) if unit else None),
        "penyegaran": sel.penyegaran_terakhir(instansi),
        "terakhir_dibaca": sel.terakhir_dibaca(instansi),
        "dikonfigurasi": is_siasn_configured(instansi),
        "pesan_belum_dikonfigurasi": PESAN_BELUM_DIKONFIGURASI,
    }
    return render(request, T + "selisih.html", ctx)


@never_cache
@login_required
@require_GET
def kemajuan(request: HttpRequest) -> HttpResponse:
    instansi = _instansi(request)
    p = sel.penyegaran_terakhir(instansi)
    if p is not None and p.pekerjaan is not None:
        # Its job's bar while it runs; once it has ended the page is loaded again to show the outcome.
        return progres_atau_muat_ulang(p.pekerjaan, reverse("tindak_lanjut:siasn_selisih_kemajuan"), request)
    ctx = {"penyegaran": p, "terakhir_dibaca": sel.terakhir_dibaca(instansi)}
    return render(request, T + "_penyegaran.html", ctx)


@login_required
@require_POST
def segarkan(request: HttpRequest) -> HttpResponse:
    instansi = _instansi(request)
    try:
        p, baru = services.start_refresh(instansi, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tindak_lanjut:siasn_selisih")
    if baru:
        messages.success(
            request,
            f"Pembacaan data utama {p.jumlah} pegawai dari SIASN dimulai di latar belakang; "
            "kemajuannya tampil di halaman ini.",
        )
    else:
        messages.info(request, "Pembacaan data utama dari SIASN masih berjalan; tunggu hingga selesai.")
    return redirect("tindak_lanjut:siasn_selisih")


@never_cache
@login_required
@require_GET
def unduh(request: HttpRequest) -> HttpResponse:
    instansi = _instansi(request)
    unit = _unit(request, instansi)
    laporan = sel.laporan_selisih(instansi, unit)
    judul = f"Selisih data Kinerja dan SIASN — {instansi.nama}"
    kini = timezone.localtime()
    sub = (unit.nama + " · " if unit else "") + f"dibuat {tanggal_panjang(kini)} {kini:%H.%M}"  # §22
    response = HttpResponse(
        sel.xlsx_selisih(laporan, judul, sub),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    nama = f"selisih-siasn-{instansi.kode}" + (f"-unit{unit.pk}" if unit else "")
    response["Content-Disposition"] = f'attachment; filename="{nama}.xlsx"'
    return response
