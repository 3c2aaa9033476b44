"""Rekap per unit and instansi (docs/rules.md §20.3): ``/tindak-lanjut/rekap/`` (page) and ``…/rekap/xlsx/``.

``?tahun=``, ``?periode=`` (a number or ``akhir``) and ``?unit=`` (drill-down). Admin kepegawaian: the
whole instansi; the head of a unit: its subtree; anyone else 403 (`selectors_rekap`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.tindak_lanjut.rekap import grafik as grafik_rekap
from kinerja.tindak_lanjut.rekap import selectors as sr
from kinerja.tindak_lanjut.rekap.xlsx import rekap_xlsx

T = "tindak_lanjut/rekap/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _data(request: HttpRequest) -> tuple[object, sr.Rekap | None]:
    user = request.user
    instansi = sr.instansi_rekap(user)
    pilihan = sr.select_periode(instansi, request.GET.get("tahun"), request.GET.get("periode"))
    if pilihan is None:
        sr.unit_terlihat(user, instansi, [])  # still refuse who may not see it
        return instansi, None
    semua = request.GET.get("semua") == "1"
    return instansi, sr.rekap(user, instansi, pilihan, request.GET.get("unit"), semua=semua)


@login_required
@require_GET
def rekap(request: HttpRequest) -> HttpResponse:
    instansi, data = _data(request)
    ctx: dict[str, object] = {"nav": "tindak_lanjut", "instansi": instansi, "data": data}
    if data is not None:
        ctx["grafik"] = grafik_rekap.grafik(
            "grafik-rekap",
            f"Sebaran predikat kinerja — {data.judul}, {data.pilihan.nama}",
            data.total.distribusi,
            data.total.final,
        )
        ctx["param"] = f"tahun={data.pilihan.periode.tahun}&periode={data.pilihan.pilihan.kunci}"
        ctx["kueri_unit"] = f"unit={data.fokus.pk}" if data.fokus is not None else ""
    return render(request, T + "halaman.html", ctx)


@login_required
@require_GET
def rekap_unduh(request: HttpRequest) -> HttpResponse:
    instansi, data = _data(request)
    if data is None:
        return HttpResponse("Instansi belum memiliki periode penilaian.", status=404)
    isi = rekap_xlsx(instansi, data)
    kunci = data.pilihan.pilihan.kunci
    unit = f"-unit{data.fokus.pk}" if data.fokus is not None else ""
    resp = HttpResponse(isi, content_type=XLSX)
    resp["Content-Disposition"] = (
        f'attachment; filename="rekap-kinerja-{data.pilihan.periode.tahun}-{kunci}{unit}.xlsx"'
    )
    return resp
