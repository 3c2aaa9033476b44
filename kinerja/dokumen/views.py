"""Document views: SKP, Perjanjian Kinerja and Matriks as PDF (and the matriks as xlsx); the public
verification page. Thin: check permission, read the content, issue the Dokumen record, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.common import laju
from kinerja.common.pdf import kertas_dari, render_pdf
from kinerja.common.tanggal import tanggal_panjang
from kinerja.dokumen import cetak, selectors, services
from kinerja.dokumen.konteks import konteks_matriks, konteks_perjanjian
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.ttd import verifikasi as ttd_verifikasi
from kinerja.dokumen.xlsx import matriks_xlsx
from kinerja.organisasi.keamanan.axes import alamat_klien
from kinerja.organisasi.models import UnitKerja
from kinerja.perencanaan import selectors as rencana
from kinerja.perencanaan.models import PerjanjianKinerja, Skp, SkpVersi

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dasar(request: HttpRequest) -> str:
    """The site's address as the reader sees it (the base of the verification URL)."""
    return request.build_absolute_uri("/")


def _url_verifikasi(request: HttpRequest, dok: Dokumen) -> str:
    return cetak.url_verifikasi(_dasar(request), dok)


def _lampiran(isi: bytes, content_type: str, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(isi, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _sumber(
    request: HttpRequest,
    muat: Callable[[int], Any],
    pk: int,
    tidak_ada: type[Exception],
    perm: str,
    pesan_404: str,
    pesan_403: str,
) -> Any:
    """The record a document is made from: 404 when ``muat`` finds none, 403 when not the reader's to see."""
    try:
        obj = muat(pk)
    except tidak_ada as exc:
        raise Http404(pesan_404) from exc
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(pesan_403)
    return obj


def _pdf_terbit(request: HttpRequest, dok: Dokumen, kertas: str, html: Callable[[str], str]) -> bytes:
    """The PDF of an issued document, kept while what it depends on stays the same (cetak.kunci_cache)."""
    return cetak.pdf_terbit(dok, _dasar(request), kertas, html)


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise Http404(f"Parameter {name} tidak valid.")
    return int(value)


@require_GET
@login_required
def skp_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The SKP in the official layout; `?revisi=N` prints an earlier approved revision."""
    skp = _sumber(
        request,
        selectors.skp_untuk_dokumen,
        pk,
        Skp.DoesNotExist,
        "perencanaan.view_skp",
        "SKP tidak ditemukan.",
        "Anda tidak berhak melihat SKP ini.",
    )
    try:
        isi = selectors.fill_skp(skp, _int_param(request, "revisi"))
    except SkpVersi.DoesNotExist as exc:
        raise Http404("Revisi SKP ini tidak ada atau belum pernah disetujui.") from exc
    dok = services.issue_skp(skp, isi, request.user)
    pdf = cetak.pdf_skp(skp, isi, dok, _dasar(request), kertas_dari(request.GET.get("kertas")))
    filename = f"SKP-{isi.data['pegawai']['nip']}-{isi.data['tahun']}-r{isi.revisi}.pdf"
    return _lampiran(pdf, "application/pdf", filename)


@require_GET
@login_required
def pk_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    perjanjian = _sumber(
        request,
        selectors.perjanjian_untuk_dokumen,
        pk,
        PerjanjianKinerja.DoesNotExist,
        "perencanaan.view_rencana_organisasi",
        "Perjanjian Kinerja tidak ditemukan.",
        "Anda tidak berhak melihat Perjanjian Kinerja ini.",
    )
    isi = selectors.fill_perjanjian(perjanjian)
    dok = services.issue_perjanjian(perjanjian, isi, request.user)
    pdf = _pdf_terbit(
        request,
        dok,
        kertas_dari(request.GET.get("kertas")),
        lambda url: render_to_string(
            "dokumen/perjanjian_kinerja.html", konteks_perjanjian(isi, dok, url, perjanjian.instansi)
        ),
    )
    filename = f"PK-{perjanjian.pegawai_nip}-{isi.data['tahun']}-r{isi.revisi}.pdf"
    return _lampiran(pdf, "application/pdf", filename)


def _matriks(request: HttpRequest, unit_id: int) -> tuple[UnitKerja, rencana.Matriks, selectors.Isi, Dokumen]:
    unit = get_object_or_404(UnitKerja.objects.select_related("instansi"), pk=unit_id)
    if not request.user.has_perm("perencanaan.view_matriks", unit):
        raise PermissionDenied("Anda tidak berhak melihat matriks unit ini.")
    periode = selectors.periode_matriks(unit, _int_param(request, "tahun"))
    if periode is None:
        raise Http404("Periode tahun tersebut tidak ada.")
    matriks = rencana.matriks_peran_hasil(unit, periode)
    if matriks.pimpinan is None:
        raise Http404(f"Pimpinan {unit.nama} belum memiliki SKP tahun {periode.tahun}.")
    isi = selectors.fill_matriks(matriks, periode)
    dok = services.issue_matriks(matriks, periode, isi, request.user)
    return unit, matriks, isi, dok


@require_GET
@login_required
def matriks_pdf(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit, _, isi, dok = _matriks(request, unit_id)
    html = render_to_string(
        "dokumen/matriks.html", konteks_matriks(isi, dok, _url_verifikasi(request, dok), unit.instansi)
    )
    pdf = render_pdf(html, kertas=kertas_dari(request.GET.get("kertas")), landscape=True)
    return _lampiran(pdf, "application/pdf", f"Matriks-{unit.kode}-{isi.data['tahun']}.pdf")


@require_GET
@login_required
def matriks_xlsx_view(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit, _, isi, dok = _matriks(request, unit_id)
    isi_xlsx = matriks_xlsx(isi.data, _url_verifikasi(request, dok), isi.sha256)
    return _lampiran(isi_xlsx, XLSX, f"Matriks-{unit.kode}-{isi.data['tahun']}.xlsx", inline=False)


@require_GET
def verifikasi(request: HttpRequest, token: str) -> HttpResponse:
    """Public (no login): what the document is, whether it is still valid, and its full hash. The identity
    is masked and remarks about people are left out unless the reader may read the source record
    (docs/rules.md §25.2)."""
    dok = selectors.dokumen_by_token(token)
    if dok is None:
        return render(request, "dokumen/verifikasi_tidak_ditemukan.html", status=404)
    lengkap = request.user.has_perm("dokumen.view_identitas", dok)
    nip = dok.pegawai_nip if lengkap else selectors.mask_nip(dok.pegawai_nip) if dok.pegawai_nip else ""
    return render(
        request,
        "dokumen/verifikasi.html",
        {
            "dokumen": dok,
            "lengkap": lengkap,
            "nama": dok.pegawai_nama if lengkap else selectors.mask_nama(dok.pegawai_nama),
            "nip": nip,
            "diterbitkan": tanggal_panjang(dok.created_at),
            "disetujui": tanggal_panjang(dok.disetujui_pada),
            "keabsahan": selectors.keabsahan(dok),
            **_konteks_ttd(dok, lengkap),
        },
    )


def _konteks_ttd(dok: Dokumen, lengkap: bool) -> dict[str, Any]:
    """The document's signatures for its verification page (docs/rules.md §29.4): signer names masked like
    the pegawai's unless the reader may read the source record."""
    pemeriksaan = ttd_verifikasi.periksa_berkas(dok)
    pengganti = dok.digantikan_oleh
    return {
        "status_pengganti": ttd_verifikasi.label_status_ttd(pengganti.status_ttd) if pengganti else "",
        "status_ttd": ttd_verifikasi.status_dokumen(dok),
        "ttd_berkas": pemeriksaan,
        "ttd_daftar": ttd_verifikasi.tampilkan(pemeriksaan, samarkan=not lengkap) if pemeriksaan else [],
    }


@require_GET
@login_required
def berkas_ttd(request: HttpRequest, token: str) -> HttpResponse:
    """The signed PDF itself: it carries the full names and NIPs, so only for a reader of the source record
    (docs/rules.md §29.4), never on the public page."""
    dok = selectors.dokumen_by_token(token)
    if dok is None or not dok.berkas:
        raise Http404("Dokumen ini belum memiliki berkas bertanda tangan.")
    if not request.user.has_perm("dokumen.view_identitas", dok):
        raise PermissionDenied("Anda tidak berhak mengunduh berkas dokumen ini.")
    with dok.berkas.open("rb") as f:
        isi = f.read()
    return _lampiran(isi, "application/pdf", f"{dok.jenis}-{dok.tahun}-r{dok.revisi}-ttd.pdf", inline=False)


@require_http_methods(["GET", "POST"])
def periksa_berkas(request: HttpRequest) -> HttpResponse:
    """Public: check an uploaded PDF against the record and validate its signatures (docs/rules.md §29.4).
    Nothing uploaded is stored; uploads are limited per client address."""
    konteks: dict[str, Any] = {"batas_mb": ttd_verifikasi.BATAS_UNGGAH_MB}
    status = 200
    if request.method == "POST":
        berkas = request.FILES.get("berkas")
        token = request.POST.get("token", "")
        if laju.melebihi(
            "periksa-pdf",
            alamat_klien(request) or "-",
            ttd_verifikasi.BATAS_UNGGAH_PER_JENDELA,
            ttd_verifikasi.JENDELA_DETIK,
        ):
            konteks["galat"] = "Terlalu banyak pemeriksaan dari alamat Anda. Coba lagi beberapa menit lagi."
            status = 429
        elif berkas is None:
            konteks["galat"] = "Pilih berkas PDF yang ingin diperiksa."
            status = 400
        else:
            try:
                hasil = ttd_verifikasi.periksa_unggahan(berkas, berkas.size or 0)
            except ttd_verifikasi.UnggahanDitolak as exc:
                konteks["galat"] = str(exc)
                status = 400
            else:
                konteks.update(
                    hasil=hasil,
                    # The uploader holds the file, whose signatures name the signers: nothing to mask.
                    ttd_daftar=ttd_verifikasi.tampilkan(hasil.pemeriksaan, samarkan=False),
                    token_asal=token,
                )
    return render(request, "dokumen/periksa.html", konteks, status=status)
