"""Bukti dukung pages: the evidence list of one realisasi (an htmx partial the realisasi page can include
or load with hx-get), adding a file or link, deleting, and downloading through a permission check.

Uploaded files live under MEDIA_ROOT, which no URL serves: `unduh` is the only way to read them, and it
asks `perencanaan.view_skp` on the realisasi's SKP (owner, penilai chain, admin of that instansi).

To embed the list in another page: `{% include "pelaksanaan/bukti/_daftar.html" %}` with the context of
:func:`konteks_bukti`, or `<div hx-get="{% url 'pelaksanaan:bukti' r.pk %}" hx-trigger="load"></div>`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kinerja.common.berkas import JENIS_BERKAS, ukuran_tampil
from kinerja.pelaksanaan.bukti import services
from kinerja.pelaksanaan.models import BuktiDukung, Realisasi
from kinerja.permissions import allowed

T = "pelaksanaan/bukti/"
INLINE = {"application/pdf", "image/png", "image/jpeg"}
IKON = {
    "pdf": "bi-file-earmark-pdf text-danger",
    "png": "bi-file-earmark-image text-success",
    "jpeg": "bi-file-earmark-image text-success",
    "docx": "bi-file-earmark-word text-primary",
    "xlsx": "bi-file-earmark-excel text-success",
    "pptx": "bi-file-earmark-ppt text-warning",
    "odt": "bi-file-earmark-text text-primary",
}
JENIS_DARI_TIPE = {tipe: jenis for jenis, tipe, _ in JENIS_BERKAS.values()}


class BuktiForm(forms.Form):
    berkas = forms.FileField(label="Berkas", required=False, allow_empty_file=True)
    tautan = forms.CharField(label="atau tautan", required=False)  # checked by the service
    keterangan = forms.CharField(label="Keterangan", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("berkas") and not (data.get("tautan") or "").strip():
            raise ValidationError("Pilih berkas untuk diunggah atau isi tautan bukti dukung.")
        if data.get("berkas") and (data.get("tautan") or "").strip():
            raise ValidationError("Isi salah satu saja: berkas atau tautan. Tambahkan yang lain sesudahnya.")
        return data


def _realisasi(request: HttpRequest, realisasi_id: int) -> Realisasi:
    """The realisasi if the user may see its SKP (404 when missing, 403 when not theirs to see)."""
    realisasi = get_object_or_404(
        Realisasi.objects.select_related(
            "periode_penilaian", "indikator__rhk__skp__instansi", "indikator__rhk__skp__pegawai"
        ),
        pk=realisasi_id,
    )
    if not request.user.has_perm("perencanaan.view_skp", realisasi.indikator.rhk.skp):
        raise PermissionDenied("Anda tidak berhak melihat bukti dukung ini.")
    return realisasi


def _bukti(request: HttpRequest, pk: int) -> BuktiDukung:
    bukti = get_object_or_404(
        BuktiDukung.objects.select_related(
            "realisasi__periode_penilaian", "realisasi__indikator__rhk__skp__instansi"
        ),
        pk=pk,
    )
    if not request.user.has_perm("perencanaan.view_skp", bukti.realisasi.indikator.rhk.skp):
        raise PermissionDenied("Anda tidak berhak mengakses bukti dukung ini.")
    return bukti


def konteks_bukti(realisasi: Realisasi, user: Any, **extra: Any) -> dict[str, Any]:
    """What `_daftar.html` needs for one realisasi (three queries: the lock, the list, nothing else)."""
    status = services.status_pengisian_realisasi(realisasi)
    pemilik = allowed(user, "pelaksanaan.change_realisasi", realisasi.indikator.rhk.skp)
    daftar = list(realisasi.bukti.select_related("diunggah_oleh__pegawai").order_by("pk"))
    for b in daftar:
        b.ikon = (
            "bi-link-45deg text-secondary"
            if b.jenis == "tautan"
            else IKON.get(JENIS_DARI_TIPE.get(b.tipe, ""), "bi-file-earmark")
        )
        b.ukuran_tampil = ukuran_tampil(b.ukuran) if b.ukuran else ""
        b.lihat = b.tipe in INLINE
        peg = b.diunggah_oleh.pegawai if b.diunggah_oleh and b.diunggah_oleh.pegawai_id else None
        b.oleh_nama = peg.nama_lengkap if peg else (b.diunggah_oleh.username if b.diunggah_oleh else "")
    ctx: dict[str, Any] = {
        "realisasi": realisasi,
        "bukti_list": daftar,
        "pemilik": pemilik,
        "dapat_ubah": pemilik and status.boleh,
        "status_pengisian": status,
        "batas_mb": realisasi.indikator.rhk.skp.instansi.batas_ukuran_bukti_mb,
        "form": BuktiForm(),
    }
    ctx.update(extra)
    return ctx


def _ke_halaman(request: HttpRequest, realisasi: Realisasi, galat: list[str], berhasil: str) -> HttpResponse:
    """Without htmx: the outcome as flash messages on the standalone page."""
    for m in galat:
        messages.error(request, m)
    if berhasil:
        messages.success(request, berhasil)
    return redirect("pelaksanaan:bukti_halaman", realisasi_id=realisasi.pk)


@login_required
def daftar(request: HttpRequest, realisasi_id: int) -> HttpResponse:
    """GET: the evidence partial. POST: add a file or link (owner only, while the periode is open)."""
    realisasi = _realisasi(request, realisasi_id)
    if request.method != "POST":
        return render(request, T + "_daftar.html", konteks_bukti(realisasi, request.user))
    form = BuktiForm(request.POST, request.FILES)
    galat: list[str] = []
    berhasil = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["berkas"]:
                f = data["berkas"]
                bukti = services.add_bukti_berkas(
                    realisasi, request.user, f, f.name, f.size, data["keterangan"]
                )
                berhasil = f"Berkas \u201c{bukti.nama_berkas}\u201d ditambahkan sebagai bukti dukung."
            else:
                services.add_bukti_tautan(realisasi, request.user, data["tautan"], data["keterangan"])
                berhasil = "Tautan ditambahkan sebagai bukti dukung."
        except ValidationError as exc:
            galat = exc.messages
    else:
        galat = [e for errors in form.errors.values() for e in errors]
    if not request.htmx:
        return _ke_halaman(request, realisasi, galat, berhasil)
    ctx = konteks_bukti(realisasi, request.user, galat=galat, berhasil=berhasil)
    if galat:
        ctx["form"] = BuktiForm(
            initial={
                "tautan": request.POST.get("tautan", ""),
                "keterangan": request.POST.get("keterangan", ""),
            }
        )
    return render(request, T + "_daftar.html", ctx, status=200)


@login_required
def halaman(request: HttpRequest, realisasi_id: int) -> HttpResponse:
    """A standalone page with the evidence of one realisasi (for direct links and non-htmx use)."""
    realisasi = _realisasi(request, realisasi_id)
    ctx = konteks_bukti(realisasi, request.user)
    ctx["skp"] = realisasi.indikator.rhk.skp
    ctx["nav"] = "realisasi"
    return render(request, T + "halaman.html", ctx)


@login_required
@require_POST
def hapus(request: HttpRequest, pk: int) -> HttpResponse:
    bukti = _bukti(request, pk)
    realisasi = bukti.realisasi
    try:
        services.delete_bukti(bukti, request.user)
    except ValidationError as exc:
        galat, berhasil = exc.messages, ""
    else:
        galat, berhasil = [], "Bukti dukung dihapus."
    if not request.htmx:
        return _ke_halaman(request, realisasi, galat, berhasil)
    realisasi = _realisasi(request, realisasi.pk)
    return render(
        request, T + "_daftar.html", konteks_bukti(realisasi, request.user, galat=galat, berhasil=berhasil)
    )


@login_required
def unduh(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored file, after the permission check; `?lihat=1` shows a PDF or image in the browser."""
    bukti = _bukti(request, pk)
    if bukti.jenis != BuktiDukung.Jenis.BERKAS or not bukti.berkas:
        raise Http404("Bukti dukung ini berupa tautan, bukan berkas.")
    try:
        f = bukti.berkas.open("rb")
    except FileNotFoundError:
        raise Http404("Berkas tidak ditemukan di penyimpanan.") from None
    inline = request.GET.get("lihat") == "1" and bukti.tipe in INLINE
    response = FileResponse(
        f,
        as_attachment=not inline,
        filename=bukti.nama_berkas,
        content_type=bukti.tipe or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if bukti.tipe != "application/pdf":  # Chrome's PDF viewer does not run under a sandbox CSP
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    response["Cache-Control"] = "private, no-store"
    return response
