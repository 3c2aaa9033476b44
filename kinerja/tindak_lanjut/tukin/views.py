"""Tunjangan kinerja table of the instansi (docs/rules.md §20.1: CONFIG, no default numbers):
``/tindak-lanjut/tunjangan-kinerja/`` and the list ``…/tunjangan-kinerja/daftar.xlsx``.

Admin kepegawaian only. The page shows the table in force today (or says plainly that none is set), a
form to save a new version (five percentages, the day it applies from, a required reason) and the version
history with who, when, why and the values. The list of a periode is refused with a clear message while no
version applies on the periode's last day.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.common.tanggal import tanggal_panjang
from kinerja.organisasi import selectors as org
from kinerja.permissions import admin_instansi
from kinerja.rules import tukin
from kinerja.rules.types import Predikat
from kinerja.tindak_lanjut.rekap import selectors as sr
from kinerja.tindak_lanjut.tukin import selectors as st
from kinerja.tindak_lanjut.tukin import services as services_tukin
from kinerja.tindak_lanjut.tukin.xlsx import tukin_xlsx

T = "tindak_lanjut/tukin/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tanggal(teks: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(teks.strip())
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def tabel(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    galat: dict[str, str] = {}
    if request.method == "POST":
        berlaku = _tanggal(request.POST.get("berlaku_mulai", ""))
        try:
            row, peringatan = services_tukin.save_tabel(
                instansi,
                {p: request.POST.get(services_tukin.field(p), "") for p in Predikat},
                berlaku,
                request.POST.get("alasan", ""),
                request.user,
            )
        except ValidationError as exc:
            galat = {k: " ".join(v) for k, v in exc.message_dict.items()}
            if request.POST.get("berlaku_mulai", "").strip() and berlaku is None:
                galat["berlaku_mulai"] = "Tanggal berlaku mulai tidak valid."
        else:
            messages.success(
                request,
                f"Tabel tunjangan kinerja versi {row.versi} disimpan; berlaku mulai "
                f"{tanggal_panjang(row.berlaku_mulai)}.",
            )
            for w in peringatan:
                messages.warning(request, w)
            return redirect("tindak_lanjut:tukin")
    versi = st.riwayat(instansi)
    hari_ini = org.today()
    berlaku_kini = st.berlaku(versi, hari_ini)
    akan = [v for v in versi if v.berlaku_mulai > hari_ini]
    dasar = berlaku_kini or (versi[0] if versi else None)
    isian = [
        (
            p,
            services_tukin.field(p),
            request.POST.get(services_tukin.field(p), "")
            if galat
            else (tukin.teks_persen(dasar.persen(p)) if dasar else ""),
        )
        for p in Predikat
    ]
    pilihan = sr.select_periode(
        instansi, request.GET.get("tahun"), request.GET.get("periode"), bawaan_selesai=True
    )
    ctx: dict[str, Any] = {
        "nav": "tindak_lanjut",
        "instansi": instansi,
        "berlaku": berlaku_kini,
        "berlaku_nilai": st.nilai(berlaku_kini) if berlaku_kini else [],
        "berlaku_peringatan": st.peringatan(berlaku_kini) if berlaku_kini else (),
        "akan_berlaku": akan,
        "riwayat": [(v, st.nilai(v)) for v in versi],
        "predikat": list(Predikat),
        "isian": isian,
        "galat": galat,
        "galat_lain": [
            v for k, v in galat.items() if k not in {f for _, f, _ in isian} | {"alasan", "berlaku_mulai"}
        ],
        "alasan": request.POST.get("alasan", "") if galat else "",
        "berlaku_mulai": request.POST.get("berlaku_mulai", "") if galat else hari_ini.isoformat(),
        "pilihan": pilihan,
        "tabel_periode": st.berlaku(versi, pilihan.tanggal) if pilihan else None,
    }
    return render(request, T + "halaman.html", ctx, status=422 if galat else 200)


@login_required
@require_GET
def list_downloads(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    pilihan = sr.select_periode(
        instansi, request.GET.get("tahun"), request.GET.get("periode"), bawaan_selesai=True
    )
    if pilihan is None:
        return _tolak(request, "Instansi belum memiliki periode penilaian.")
    versi = st.riwayat(instansi)
    if not versi:
        return _tolak(
            request,
            "Daftar tunjangan kinerja belum dapat dibuat: tabel tunjangan kinerja instansi belum "
            "ditetapkan. Tetapkan persentase setiap predikat terlebih dahulu.",
        )
    tabel = st.berlaku(versi, pilihan.tanggal)
    if tabel is None:
        return _tolak(
            request,
            f"Daftar tunjangan kinerja {pilihan.nama} belum dapat dibuat: belum ada tabel tunjangan "
            f"kinerja yang berlaku pada {tanggal_panjang(pilihan.tanggal)} (hari terakhir periode).",
        )
    data = st.daftar(instansi, pilihan, tabel)
    resp = HttpResponse(tukin_xlsx(instansi, data), content_type=XLSX)
    resp["Content-Disposition"] = (
        f'attachment; filename="tunjangan-kinerja-{pilihan.periode.tahun}-{pilihan.pilihan.kunci}.xlsx"'
    )
    return resp


def _tolak(request: HttpRequest, pesan: str) -> HttpResponse:
    return render(request, T + "ditolak.html", {"nav": "tindak_lanjut", "pesan": pesan}, status=409)
