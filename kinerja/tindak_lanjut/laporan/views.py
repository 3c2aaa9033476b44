"""Follow-up lists (penghargaan, pengembangan, pembinaan, tinjauan sanksi) and angka kredit: pages, PDF,
xlsx. Thin views; reads in `selectors_laporan`; who may see is decided by `cakupan_laporan` (admin of the
instansi: every unit; head of a unit: that unit and its sub-units; anyone else 403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from kinerja.common.pdf import kertas_dari, render_pdf
from kinerja.common.tampil import nip_tampil
from kinerja.common.tanggal import tanggal_panjang
from kinerja.organisasi.models import Instansi
from kinerja.tindak_lanjut.laporan import selectors as sel
from kinerja.tindak_lanjut.laporan.xlsx import angka_kredit_xlsx, tindak_lanjut_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lampiran(isi: bytes, jenis: str, nama: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(isi, content_type=jenis)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{nama}"'
    return response


def _cakupan(request: HttpRequest) -> sel.Cakupan:
    return sel.cakupan_laporan(request.user, request.session.get("instansi_id"))


def _pilihan(
    request: HttpRequest, cakupan: sel.Cakupan, tahun_tersedia: list[int], tahun_bawaan: int | None
) -> dict[str, Any]:
    unit = sel.pilih_unit(cakupan, request.GET.get("unit"))
    semua_tahun = sorted(set(tahun_tersedia) | set(sel.tahun_periode(cakupan.instansi)), reverse=True)
    tahun = sel.select_tahun(request.GET.get("tahun"), semua_tahun, tahun_bawaan)
    return {
        "nav": "tindak_lanjut",
        "cakupan": cakupan,
        "instansi": cakupan.instansi,
        "unit": unit,
        "unit_opsi": sel.pilihan_unit(cakupan),
        "tahun": tahun,
        "tahun_opsi": semua_tahun,
        "kueri": f"tahun={tahun or ''}&unit={unit.pk if unit else ''}",
    }


def _pilihan_tahun(
    request: HttpRequest, tahun_laporan: Callable[[Instansi], list[int]]
) -> tuple[list[int], dict[str, Any]]:
    """The report's years and the filter context; by default the newest year with a report, else the
    newest periode."""
    cakupan = _cakupan(request)
    ada = tahun_laporan(cakupan.instansi)
    periode = sel.tahun_periode(cakupan.instansi)
    bawaan = ada[0] if ada else (periode[0] if periode else None)
    return ada, _pilihan(request, cakupan, ada, bawaan)


def _tindak_lanjut(request: HttpRequest) -> dict[str, Any]:
    final, ctx = _pilihan_tahun(request, sel.tahun_tahunan_final)
    ctx["tahun_final"] = final
    ctx["daftar"] = (
        sel.list_tindak_lanjut(ctx["instansi"], ctx["tahun"], ctx["unit"]) if ctx["tahun"] else None
    )
    return ctx


def _nama_unit(ctx: dict[str, Any]) -> str:
    return ctx["unit"].nama if ctx["unit"] else f"Seluruh {ctx['instansi'].nama}"


def _nama_berkas(awal: str, ctx: dict[str, Any], ext: str) -> str:
    unit = ctx["unit"].kode if ctx["unit"] else "Instansi"
    return f"{awal}-{unit}-{ctx['tahun']}.{ext}"


def _unduh_xlsx(ctx: dict[str, Any], buat: Callable[..., bytes], data: Any, awal: str) -> HttpResponse:
    """The report's workbook (headed by instansi, unit and year) as an attachment."""
    isi = buat(data, ctx["instansi"].nama, _nama_unit(ctx), ctx["tahun"])
    return _lampiran(isi, XLSX, _nama_berkas(awal, ctx, "xlsx"), inline=False)


@require_GET
@login_required
def tindak_lanjut(request: HttpRequest) -> HttpResponse:
    ctx = _tindak_lanjut(request)
    return render(request, "tindak_lanjut/laporan/tindak_lanjut.html", ctx)


@require_GET
@login_required
def tindak_lanjut_pdf(request: HttpRequest) -> HttpResponse:
    ctx = _tindak_lanjut(request)
    pejabat = sel.penandatangan(ctx["cakupan"], ctx["unit"])
    ctx.update(
        nama_unit=_nama_unit(ctx),
        penandatangan=(
            {
                "nama": pejabat.pegawai.nama_lengkap,
                "nip_tampil": nip_tampil(pejabat.pegawai.nip),
                "jabatan": pejabat.jabatan.nama,
                "jenis": pejabat.jenis_label if pejabat.jenis != "definitif" else "",
            }
            if pejabat
            else None
        ),
        dicetak=tanggal_panjang(timezone.now()),
        kota=ctx["instansi"].kota,
    )
    html = render_to_string("tindak_lanjut/laporan/tindak_lanjut_pdf.html", ctx)
    pdf = render_pdf(html, kertas=kertas_dari(request.GET.get("kertas")))
    return _lampiran(pdf, "application/pdf", _nama_berkas("Tindak-Lanjut-Predikat", ctx, "pdf"))


@require_GET
@login_required
def tindak_lanjut_xlsx_view(request: HttpRequest) -> HttpResponse:
    ctx = _tindak_lanjut(request)
    return _unduh_xlsx(ctx, tindak_lanjut_xlsx, ctx["daftar"], "Tindak-Lanjut-Predikat")


def _angka_kredit(request: HttpRequest) -> dict[str, Any]:
    _, ctx = _pilihan_tahun(request, sel.tahun_angka_kredit)
    ctx["laporan"] = (
        sel.laporan_angka_kredit(ctx["instansi"], ctx["tahun"], ctx["unit"]) if ctx["tahun"] else None
    )
    return ctx


@require_GET
@login_required
def angka_kredit(request: HttpRequest) -> HttpResponse:
    return render(request, "tindak_lanjut/laporan/angka_kredit.html", _angka_kredit(request))


@require_GET
@login_required
def angka_kredit_xlsx_view(request: HttpRequest) -> HttpResponse:
    ctx = _angka_kredit(request)
    return _unduh_xlsx(ctx, angka_kredit_xlsx, ctx["laporan"], "Angka-Kredit")
