"""Rekap per unit and instansi (docs/rules.md §20.3): ``/tindak-lanjut/rekap/`` (page) and ``…/rekap/xlsx/``.

On a large instansi (`organisasi.ukuran`) the workbook is a background job: the page's button POSTs to
``…/rekap/xlsx/``, which queues it and comes back to the page, where its progress shows; a GET there sends
the user to the page. On a small one the GET downloads it at once.

``?tahun=``, ``?periode=`` (a number or ``akhir``) and ``?unit=`` (drill-down). Admin kepegawaian: the
whole instansi; the head of a unit: its subtree; anyone else 403 (`selectors_rekap`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.organisasi.models import Instansi
from kinerja.organisasi.ukuran import instansi_besar
from kinerja.pekerjaan.selectors import terakhir
from kinerja.tindak_lanjut.rekap import grafik as grafik_rekap
from kinerja.tindak_lanjut.rekap import pekerjaan as pekerjaan_rekap
from kinerja.tindak_lanjut.rekap import selectors as sr
from kinerja.tindak_lanjut.rekap.xlsx import rekap_xlsx

T = "tindak_lanjut/rekap/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pilihan(request: HttpRequest) -> tuple[Instansi, sr.Pilihan | None]:
    """The instansi of the rekap and the chosen period (None when there is none to choose)."""
    instansi = sr.instansi_rekap(request.user)
    pilihan = sr.select_periode(instansi, request.GET.get("tahun"), request.GET.get("periode"))
    if pilihan is None:
        sr.unit_terlihat(request.user, instansi, [])  # still refuse who may not see it
    return instansi, pilihan


def _data(request: HttpRequest) -> tuple[object, sr.Rekap | None]:
    instansi, pilihan = _pilihan(request)
    if pilihan is None:
        return instansi, None
    semua = request.GET.get("semua") == "1"
    return instansi, sr.rekap(request.user, instansi, pilihan, request.GET.get("unit"), semua=semua)


def _data_halaman(request: HttpRequest, *, anak_saja: bool = False) -> tuple[object, sr.Rekap | None]:
    instansi, pilihan = _pilihan(request)
    if pilihan is None:
        return instansi, None
    unit = request.GET.get("unit")
    return instansi, sr.rekap_halaman(request.user, instansi, pilihan, unit, anak_saja=anak_saja)


def _param(data: sr.Rekap) -> str:
    return f"tahun={data.pilihan.periode.tahun}&periode={data.pilihan.pilihan.kunci}"


@login_required
@require_GET
def rekap(request: HttpRequest) -> HttpResponse:
    instansi, data = _data_halaman(request)
    ctx: dict[str, object] = {"nav": "tindak_lanjut", "instansi": instansi, "data": data}
    if data is not None:
        ctx["grafik"] = grafik_rekap.grafik(
            "grafik-rekap",
            f"Sebaran predikat kinerja — {data.judul}, {data.pilihan.nama}",
            data.total.distribusi,
            data.total.final,
        )
        ctx["param"] = _param(data)
        ctx["baris"] = data.baris_halaman
        ctx["kueri_unit"] = f"unit={data.fokus.pk}" if data.fokus is not None else ""
        if instansi_besar(instansi):
            unit = str(data.fokus.pk) if data.fokus is not None else ""
            ctx["xlsx_latar"] = {"tahun": data.pilihan.periode.tahun, "periode": data.pilihan.pilihan.kunci}
            ctx["xlsx_latar"]["unit"] = unit
            ctx["pekerjaan_xlsx"] = terakhir(
                pekerjaan_rekap.kunci(
                    request.user, str(data.pilihan.periode.tahun), data.pilihan.pilihan.kunci, unit
                )
            )
    return render(request, T + "halaman.html", ctx)


@login_required
@require_GET
def rekap_baris(request: HttpRequest) -> HttpResponse:
    """The rows of the units right below ``?unit=`` (htmx, when a row of a large rekap is opened), indented
    one step deeper than ``?k=`` (the opened row's indentation). Who may not see that unit: 403/404."""
    if not request.GET.get("unit"):
        raise Http404("Unit kerja tidak ditemukan.")
    instansi, data = _data_halaman(request, anak_saja=True)
    if data is None:
        raise Http404("Instansi belum memiliki periode penilaian.")
    k = request.GET.get("k", "")
    geser = min(int(k), 50) if k.isdigit() else 0
    for b in data.baris:
        b.kedalaman += geser
    return render(
        request, T + "halaman.html#baris", {"data": data, "param": _param(data), "baris": data.baris}
    )


@login_required
@require_http_methods(["GET", "POST"])
def rekap_unduh(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        pilihan = {k: request.POST.get(k, "") for k in ("tahun", "periode", "unit")}
        p = pekerjaan_rekap.mulai_rekap_xlsx(request.user, **pilihan)
        if p.baru:
            messages.success(
                request, "Rekap Excel sedang dibuat di latar belakang; kemajuannya tampil di bawah."
            )
        else:
            messages.info(request, "Rekap Excel ini masih dibuat; tunggu hingga selesai.")
        kueri = urlencode({k: v for k, v in pilihan.items() if v})
        return redirect(reverse("tindak_lanjut:rekap") + (f"?{kueri}" if kueri else ""))
    if instansi_besar(sr.instansi_rekap(request.user)):
        messages.info(
            request, "Rekap Excel instansi sebesar ini dibuat di latar belakang: tekan Unduh Excel."
        )
        kueri = request.GET.urlencode()
        return redirect(reverse("tindak_lanjut:rekap") + (f"?{kueri}" if kueri else ""))
    instansi, data = _data(request)
    if data is None:
        return HttpResponse("Instansi belum memiliki periode penilaian.", status=404)
    resp = HttpResponse(rekap_xlsx(instansi, data), content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{pekerjaan_rekap.nama_berkas(data)}"'
    return resp
