"""Pola distribusi rules of the instansi (docs/rules.md §3.7: CONFIG per instansi):
``/penilaian/aturan-distribusi/``.

Admin kepegawaian only. Shows the rules in force per capaian organisasi (the "sebagian besar" predikat and
each constraint with its share), the version and the history (who, when, why, what changed), a form to edit
the shares and the "sebagian besar" predikat with a required reason, and "Kembalikan ke ketentuan bawaan".
Every save is a new version (`services_aturan.save_aturan`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kinerja.penilaian.aturan import selectors as sa
from kinerja.penilaian.aturan import services as services_aturan
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.permissions import is_admin_of
from kinerja.rules.types import Predikat

T = "penilaian/aturan/"
TOLAK = "Aturan pola distribusi hanya dapat dikelola oleh admin kepegawaian instansi."


@login_required
@require_http_methods(["GET", "POST"])
def aturan_distribusi(request: HttpRequest) -> HttpResponse:
    user = request.user
    instansi = sk.instansi_user(user)
    if instansi is None or not is_admin_of(user, instansi.pk):
        raise PermissionDenied(TOLAK)
    versi, rules = sa.aturan_berlaku(instansi)
    galat: dict[str, str] = {}
    aksi = request.POST.get("aksi", "simpan")
    if request.method == "POST":
        alasan = request.POST.get("alasan", "")
        try:
            if aksi == "bawaan":
                row = services_aturan.reset_bawaan(instansi, user, alasan)
            else:
                data = services_aturan.data_dari_formulir(rules, request.POST)
                row = services_aturan.save_aturan(instansi, user, data, alasan)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                galat = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                galat = {"__all__": " ".join(exc.messages)}
        else:
            messages.success(
                request, f"Aturan pola distribusi versi {row.versi} disimpan dan langsung berlaku."
            )
            return redirect("penilaian:aturan_distribusi")
    tabel = sa.tabel(rules)
    if galat and aksi != "bawaan":  # keep what was typed
        for t in tabel:
            t.bulk_input = request.POST.get(t.field_bulk, t.bulk_input)
            for b in t.ketentuan:
                if b.persen is not None and b.field in request.POST:
                    b.nilai_input = request.POST[b.field]
    ctx: dict[str, Any] = {
        "nav": "organisasi",
        "instansi": instansi,
        "versi": versi,
        "tabel": tabel,
        "predikat": list(Predikat),
        "riwayat": sa.riwayat(instansi),
        "galat": galat,
        "galat_lain": [v for k, v in galat.items() if k not in _fields(tabel)],
        "aksi": aksi,
        "alasan": request.POST.get("alasan", "") if galat else "",
    }
    return render(request, T + "halaman.html", ctx, status=422 if galat else 200)


def _fields(tabel: list[sa.TabelCapaian]) -> set[str]:
    return {t.field_bulk for t in tabel} | {b.field for t in tabel for b in t.ketentuan} | {"alasan"}
