"""Penilai outside the instansi (docs/rules.md "Penilai di luar instansi").

* /penilaian/penilai-eksternal/?tahun=YYYY — admin kepegawaian: the external penilai recorded per pegawai
  for a year (and per periode penilaian), with a form to record or change one (``?ubah=<pk>`` fills it).
* /penilaian/evaluasi/<pk>/tetapkan-eksternal/ — POST: the admin enters the ratings of an evaluation on
  the external penilai's written decision (number, date, optional scan).
* /penilaian/keputusan-eksternal/<pk>/berkas/ — the decision's scan, for the admin of the evaluation's
  instansi (`penilaian.download_keputusan_eksternal`); ``?lihat=1`` shows a PDF or image in the browser.
Thin: parse, call the service, show its ValidationError on the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.common.forms import apply_errors
from kinerja.penilaian.eksternal import selectors as sel
from kinerja.penilaian.eksternal import services as services_eksternal
from kinerja.penilaian.evaluasi import views as views_evaluasi
from kinerja.penilaian.forms import PenilaiEksternalForm, TetapkanEksternalForm
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.permissions import is_admin_of

T = "penilaian/eksternal/"
#: Types a browser may show inline (everything else is downloaded).
INLINE = {"application/pdf", "image/png", "image/jpeg"}
TOLAK = "Penilai eksternal hanya dapat dikelola oleh admin kepegawaian instansi."


@login_required
@require_http_methods(["GET", "POST"])
def daftar(request: HttpRequest) -> HttpResponse:
    user = request.user
    instansi = sk.instansi_user(user)
    if instansi is None or not is_admin_of(user, instansi.pk):
        raise PermissionDenied(TOLAK)
    tahun_list = sel.daftar_periode(instansi.pk)
    ctx: dict[str, Any] = {"nav": "penilaian", "instansi": instansi, "tahun_list": tahun_list}
    if not tahun_list:
        return render(request, T + "daftar.html", ctx)
    dipilih = request.GET.get("tahun", "")
    periode = next((p for p in tahun_list if str(p.tahun) == dipilih), None) or sel.periode_default(
        tahun_list
    )
    rows = list(sel.daftar_penilai_eksternal(periode))
    pilihan = {
        "pegawai": sel.pilihan_pegawai(instansi.pk),
        "periode_penilaian": sel.pilihan_periode_penilaian(periode),
    }
    status = 200
    if request.method == "POST":
        form = PenilaiEksternalForm(request.POST, **pilihan)
        if form.is_valid():
            d = form.cleaned_data
            try:
                pe = services_eksternal.record_penilai_eksternal(
                    d["pegawai"], periode, d["periode_penilaian"], d, user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Penilai eksternal {pe.pegawai} dicatat: {pe.nama}.")
                return redirect(f"{reverse('penilaian:penilai_eksternal')}?tahun={periode.tahun}")
        status = 422
    else:
        ubah = next((r for r in rows if str(r.pk) == request.GET.get("ubah")), None)
        awal = {"pegawai": request.GET.get("pegawai")}
        if ubah is not None:
            awal = {
                f: getattr(ubah, f)
                for f in ("pegawai", "periode_penilaian", "status", "nama", "nomor_identitas", "jabatan")
            }
            awal |= {"golongan": ubah.golongan, "instansi_penilai": ubah.instansi_penilai}
        form = PenilaiEksternalForm(initial=awal, **pilihan)
    ctx.update(periode=periode, rows=rows, form=form)
    return render(request, T + "daftar.html", ctx, status=status)


@login_required
@require_POST
def tetapkan(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin enters both ratings on the external penilai's written decision."""
    ev = views_evaluasi.evaluasi_terlihat(request, pk)
    if not request.user.has_perm("penilaian.manage_penilai_eksternal", ev):
        # The pegawai may read his evaluation, but only the admin enters a decision (rules.md §15.1).
        raise PermissionDenied(TOLAK)
    form = TetapkanEksternalForm(request.POST, request.FILES)
    if not form.is_valid():
        return views_evaluasi.render_halaman(request, ev, status=422, form_tetapkan=form)
    d = form.cleaned_data
    berkas = d.get("keputusan_berkas")
    try:
        ev = services_eksternal.rate_on_keputusan_eksternal(
            ev,
            request.user,
            nomor=d["keputusan_nomor"],
            tanggal=d["keputusan_tanggal"],
            rating_hasil=d["rating_hasil"] or None,
            alasan_hasil=d["alasan_hasil"],
            rating_perilaku=d["rating_perilaku"] or None,
            alasan_perilaku=d["alasan_perilaku"],
            catatan=d["catatan"],
            rekomendasi=d["rekomendasi"],
            berkas=berkas,
            nama_berkas=berkas.name if berkas else "",
            ukuran_berkas=berkas.size if berkas else 0,
            versi=views_evaluasi.versi_form(request),
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return views_evaluasi.render_halaman(request, ev, status=422, form_tetapkan=form)
    messages.success(
        request,
        f"Rating atas keputusan {ev.penilai_nama} ditetapkan. Predikat kinerja {ev.pegawai_nama}: "
        f"{ev.get_predikat_display()}.",
    )
    return redirect("penilaian:evaluasi", pk=ev.pk)


@login_required
@require_GET
def berkas_keputusan(request: HttpRequest, pk: int) -> HttpResponse:
    """The scan of an external penilai's decision, after the permission check on its evaluation."""
    keputusan = sel.keputusan_berkas(pk).first()
    if keputusan is None:
        raise Http404("Pindaian keputusan penilai eksternal tidak ditemukan.")
    if not request.user.has_perm("penilaian.download_keputusan_eksternal", keputusan.evaluasi):
        raise PermissionDenied(
            "Pindaian keputusan penilai eksternal hanya dapat diunduh oleh admin kepegawaian instansinya."
        )
    try:
        f = keputusan.berkas.open("rb")
    except FileNotFoundError:
        raise Http404("Berkas tidak ditemukan di penyimpanan.") from None
    inline = request.GET.get("lihat") == "1" and keputusan.jenis in INLINE
    response = FileResponse(
        f,
        as_attachment=not inline,
        filename=keputusan.nama_asli or f"keputusan-{keputusan.pk}",
        content_type=keputusan.jenis or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if keputusan.jenis != "application/pdf":  # Chrome's PDF viewer does not run under a sandbox CSP
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    response["Cache-Control"] = "private, no-store"
    return response
