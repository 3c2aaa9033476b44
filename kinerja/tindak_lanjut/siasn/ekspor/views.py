"""National-system exports and the read API's tokens (docs/rules.md §21), admin kepegawaian of the instansi
only.

* ``/tindak-lanjut/siasn/``: for instansi without API access. Pick the year, annual or one periode, and
  optionally a unit (with the units under it); preview of the requests the API path would post for the
  FINAL evaluations (``skp22/save`` or ``kinerjaperiodik/save``, with BKN's labels and the pegawai's NIP),
  the rows it refuses with its reasons, and downloads as xlsx and JSON. A pegawai without a stored SIASN
  id is exported with the id empty and a warning (§21.2). An export with refused rows is refused (listing
  each reason with the pegawai) unless the admin asks for "ekspor baris yang valid saja"; the refused rows
  are then listed beside the file. The page also holds the upload of the pegawai's SIASN ids
  (``views_id.py``).
* ``/tindak-lanjut/token-sistem/``: create (shown once), list and revoke the tokens other systems of the
  instansi use for ``/api/v1/eksternal/predikat``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinerja.common.token import form_buat_token
from kinerja.organisasi.forms import BootstrapMixin, unit_options
from kinerja.organisasi.models import Instansi, PeriodePenilaian
from kinerja.permissions import admin_instansi, allowed
from kinerja.tindak_lanjut.models import TokenInstansi
from kinerja.tindak_lanjut.siasn import selectors as sel
from kinerja.tindak_lanjut.siasn.ekspor import rows as siasn
from kinerja.tindak_lanjut.siasn.ekspor import selectors as sel_id
from kinerja.tindak_lanjut.siasn.ekspor import services_token
from kinerja.tindak_lanjut.siasn.ekspor.views_id import IdSiasnForm

T = "tindak_lanjut/siasn/"
#: Rows shown in the preview table (the files always hold every row).
PRATINJAU = 200
FORMAT = {"xlsx", "json"}


def _konteks(request: HttpRequest, instansi: Instansi) -> dict[str, Any]:
    g = request.GET
    daftar_tahun = sel.tahun_tersedia(instansi)
    p = sel.pilihan(instansi, g.get("tahun"), g.get("periode"), g.get("unit"), daftar_tahun)
    ctx: dict[str, Any] = {"nav": "tindak_lanjut", "instansi": instansi, "pilihan": p}
    if p is None:
        return ctx
    rows = sel.rows_ekspor(instansi, p)
    hasil = siasn.check_all(rows)
    ctx.update(
        {
            "daftar_tahun": daftar_tahun,
            "daftar_periode": list(PeriodePenilaian.objects.filter(periode=p.periode).order_by("nomor")),
            "periode_dipilih": str(p.periode_penilaian.nomor) if p.periode_penilaian else sel.TAHUNAN,
            "unit_options": unit_options(instansi, str(p.unit.pk) if p.unit else None),
            "rows": rows,
            "hasil": hasil,
            "pratinjau": rows[:PRATINJAU],
            "pratinjau_terpotong": len(rows) > PRATINJAU,
            "belum_final": sel.jumlah_belum_final(instansi, p),
            "query": _query(p),
        }
    )
    return ctx


def _query(p: sel.Pilihan) -> str:
    parts = [f"tahun={p.periode.tahun}"]
    parts.append(f"periode={p.periode_penilaian.nomor if p.periode_penilaian else sel.TAHUNAN}")
    if p.unit is not None:
        parts.append(f"unit={p.unit.pk}")
    return "&".join(parts)


@never_cache
@login_required
@require_GET
def ekspor(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    ctx = _konteks(request, instansi)
    if ctx["pilihan"] is not None and allowed(request.user, "tindak_lanjut.import_id_siasn", instansi):
        ctx["boleh_impor_id"] = True
        ctx["form_id"] = IdSiasnForm()
        ctx["jumlah_pegawai"], ctx["jumlah_id"] = sel_id.jumlah_id(instansi)
    return render(request, T + "ekspor.html", ctx)


@never_cache
@login_required
@require_GET
def unduh(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    ctx = _konteks(request, instansi)
    p: sel.Pilihan | None = ctx["pilihan"]
    fmt = request.GET.get("format", "")
    sebagian = request.GET.get("sebagian") == "1"
    if p is None or fmt not in FORMAT:
        ctx["galat"] = ["Pilih format unduhan xlsx atau JSON."] if p is not None else []
        return render(request, T + "ekspor.html", ctx, status=422 if p is not None else 200)
    hasil: siasn.HasilPeriksa = ctx["hasil"]
    if not ctx["rows"]:
        ctx["galat"] = [f"Tidak ada evaluasi final untuk {p.nama_periode}; tidak ada yang diekspor."]
        return render(request, T + "ekspor.html", ctx, status=422)
    if hasil.bermasalah and not sebagian:
        ctx["galat"] = [
            f"Ekspor ditolak: {len(hasil.bermasalah)} baris tidak lengkap atau tidak sah "
            "(rinciannya di bawah). Perbaiki datanya, atau pilih “Ekspor baris yang valid saja”."
        ]
        return render(request, T + "ekspor.html", ctx, status=422)
    if not hasil.valid:
        ctx["galat"] = ["Tidak ada baris yang valid untuk diekspor."]
        return render(request, T + "ekspor.html", ctx, status=422)
    nama = f"siasn-kinerja-{instansi.kode}-{p.periode.tahun}-" + (
        f"periodik-{p.periode_penilaian.nomor}" if p.periode_penilaian else "tahunan"
    )
    if p.unit is not None:
        nama += f"-unit{p.unit.pk}"
    if fmt == "json":
        dokumen = siasn.dokumen_json(
            hasil.valid,
            instansi_kode=instansi.kode,
            instansi_nama=instansi.nama,
            tahun=p.periode.tahun,
            endpoint=p.endpoint,
            periode_nama=p.nama_periode,
            unit_nama=p.unit.nama if p.unit else None,
            dibuat_pada=sel.sekarang_iso(),
        )
        response = HttpResponse(siasn.ke_json(dokumen), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{nama}.json"'
    else:
        judul = f"Hasil evaluasi kinerja {p.nama_periode} — {instansi.nama}"
        if p.unit is not None:
            judul += f" — {p.unit.nama}"
        response = HttpResponse(
            siasn.ke_xlsx(hasil.valid, judul),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{nama}.xlsx"'
    response["X-Baris-Diekspor"] = str(len(hasil.valid))
    response["X-Baris-Ditolak"] = str(len(hasil.bermasalah))
    return response


class TokenSistemForm(BootstrapMixin, forms.Form):
    nama = forms.CharField(
        label="Nama sistem",
        max_length=100,
        help_text="Sistem yang akan memakai token, mis. “Aplikasi TPP” atau “Manajemen talenta”.",
    )


@never_cache
@login_required
def token_sistem(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    form, token_baru = form_buat_token(
        request, TokenSistemForm, lambda nama: services_token.create_token(instansi, request.user, nama)
    )
    tokens = TokenInstansi.objects.filter(instansi=instansi).select_related("dibuat_oleh")
    return render(
        request,
        T + "token.html",
        {
            "nav": "tindak_lanjut",
            "instansi": instansi,
            "form": form,
            "token_baru": token_baru,
            "tokens": tokens.order_by("dicabut_pada", "-dibuat_pada"),
            "api_url": request.build_absolute_uri("/api/v1/eksternal/predikat"),
        },
        status=422 if request.method == "POST" and token_baru is None else 200,
    )


@require_POST
@login_required
def token_sistem_cabut(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = admin_instansi(request)
    token = get_object_or_404(TokenInstansi, pk=pk, instansi=instansi)
    try:
        services_token.revoke_token(token, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Token “{token.nama}” dicabut; sistem yang memakainya tidak dapat membaca data lagi."
        )
    return redirect("tindak_lanjut:token_sistem")
