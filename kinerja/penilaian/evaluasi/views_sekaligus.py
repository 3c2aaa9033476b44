"""Rating in one pass (docs/rules.md §33): /penilaian/evaluasi/<pk>/menilai/.

One form holds every RHK rating with its umpan balik and the seven BerAKHLAK values; one POST saves them
through `services_sekaligus.nilai_sekaligus` (all or nothing). With htmx the form saves itself a moment
after each change and the answer refreshes only the status ("Tersimpan <jam>"), the counters, the
suggestions, the page's ``versi`` and the per-field errors, never the fields being typed in. "Simpan &
lanjut" goes to the next bawahan still to decide (`selectors.tetangga`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.penilaian import services_sekaligus as layanan
from kinerja.penilaian.evaluasi import selectors as sel
from kinerja.penilaian.evaluasi.views import evaluasi_terlihat
from kinerja.penilaian.forms import isian_sekaligus
from kinerja.penilaian.models import Evaluasi, RatingPerilaku, RatingRhk
from kinerja.permissions import peran_evaluasi
from kinerja.rules.kuadran import predikat as kuadran_predikat
from kinerja.rules.types import Rating

T = "penilaian/evaluasi/"
PILIHAN = [(r.value, r.label) for r in Rating]


def _pratinjau(ev: Evaluasi) -> str:
    """The predikat the suggestions give (a preview: the penilai still decides on the evaluation page)."""
    if ev.saran_hasil and ev.saran_perilaku:
        return kuadran_predikat(Rating(ev.saran_hasil), Rating(ev.saran_perilaku)).label
    return ""


def _konteks(
    request: HttpRequest,
    ev: Evaluasi,
    rows: list[RatingRhk],
    perilaku: list[RatingPerilaku],
    galat: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    h = sel.halaman_baris(ev, request.user, rows, perilaku, peran_evaluasi(ev, request.user))
    galat = galat or {}
    for b in h.rhk:
        b.galat = galat.get(f"rhk-{b.row.pk}-rating", []) + galat.get(f"rhk-{b.row.pk}-catatan", [])
    for p in h.perilaku:
        p.galat = galat.get(f"perilaku-{p.row.kode}-rating", []) + galat.get(
            f"perilaku-{p.row.kode}-catatan", []
        )
    return {
        "nav": "penilaian",
        "h": h,
        "ev": ev,
        "pilihan": PILIHAN,
        "pratinjau": _pratinjau(ev),
        "galat_umum": galat.get("__all__", []),
    }


def _jawab(
    request: HttpRequest,
    ev: Evaluasi,
    rows: list[RatingRhk],
    perilaku: list[RatingPerilaku],
    exc: ValidationError | None,
    *,
    segarkan_perilaku: bool = False,
) -> HttpResponse:
    """The htmx answer: the status line, and out of band the version, counters, suggestions, errors."""
    ctx = _konteks(request, ev, rows, perilaku, _galat(exc) if exc is not None else None)
    ctx.update(
        oob=True,
        tersimpan=None if exc else timezone.localtime().strftime("%H.%M"),
        konflik=exc is not None and getattr(exc, "code", None) == "konflik",
        segarkan_perilaku=segarkan_perilaku,
    )
    return render(request, T + "_menilai_respon.html", ctx)  # htmx swaps only a 2xx answer


def _baris(ev: Evaluasi) -> tuple[list[RatingRhk], list[RatingPerilaku]]:
    return list(ev.rating_rhk.order_by("urutan", "pk")), list(ev.rating_perilaku_set.order_by("pk"))


def _tujuan_lanjut(ev: Evaluasi, arah: str) -> str:
    t = sel.tetangga(ev)
    nomor = ev.periode_penilaian.nomor if ev.periode_penilaian_id else "akhir"  # type: ignore[union-attr]
    pilih = t.berikutnya if arah != "sebelumnya" else t.sebelumnya
    if pilih is None:
        return f"{reverse('penilaian:index')}?periode={nomor}"
    return reverse("penilaian:menilai", args=[pilih[0]])


def _versi(request: HttpRequest) -> int | None:
    v = request.POST.get("versi", "")
    return int(v) if v.isdigit() else None


@login_required
def menilai(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the one-pass form (≤ 12 queries, flat in the RHK). POST: save it all at once."""
    if request.method == "POST":
        return _simpan(request, pk)
    ev = evaluasi_terlihat(request, pk)
    rows, perilaku = _baris(ev)
    ctx = _konteks(request, ev, rows, perilaku)
    if not ctx["h"].bisa_nilai:  # read only: the evaluation page shows everything
        return redirect("penilaian:evaluasi", pk=ev.pk)
    ctx["tetangga"] = sel.tetangga(ev)
    return render(request, T + "menilai.html", ctx)


def _simpan(request: HttpRequest, pk: int) -> HttpResponse:
    ev = evaluasi_terlihat(request, pk)  # 404 / 403 as the page, before reading the input
    rows, perilaku = _baris(ev)
    rhk, nilai = isian_sekaligus(request.POST, rows, perilaku)
    try:
        hasil = layanan.nilai_sekaligus(pk, request.user, rhk, nilai, versi=_versi(request))
    except Evaluasi.DoesNotExist:
        raise Http404("Evaluasi tidak ditemukan.") from None
    except ValidationError as exc:
        if not request.htmx:
            ev = evaluasi_terlihat(request, pk)
            rows, perilaku = _baris(ev)
            ctx = _konteks(request, ev, rows, perilaku, _galat(exc))
            ctx["tetangga"] = sel.tetangga(ev)
            ctx["isian"] = request.POST
            return render(request, T + "menilai.html", ctx, status=422)
        ev = sel.evaluasi_qs().get(pk=pk)
        rows, perilaku = _baris(ev)
        return _jawab(request, ev, rows, perilaku, exc)
    arah = request.POST.get("lanjut", "")
    if arah:
        tujuan = _tujuan_lanjut(hasil.evaluasi, arah)
        if request.htmx:
            r = HttpResponse(status=204)
            r["HX-Redirect"] = tujuan
            return r
        messages.success(request, f"Rating {hasil.evaluasi.pegawai_nama} tersimpan.")
        return redirect(tujuan)
    if not request.htmx:
        messages.success(request, "Tersimpan.")
        return redirect("penilaian:menilai", pk=pk)
    return _jawab(request, hasil.evaluasi, hasil.rhk, hasil.perilaku, None)


def _galat(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@login_required
@require_POST
def perilaku_sesuai(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Semua perilaku Sesuai Ekspektasi": the values not yet rated become Sesuai Ekspektasi."""
    evaluasi_terlihat(request, pk)
    try:
        hasil = layanan.perilaku_sesuai_ekspektasi(pk, request.user, versi=_versi(request))
    except Evaluasi.DoesNotExist:
        raise Http404("Evaluasi tidak ditemukan.") from None
    except ValidationError as exc:
        if not request.htmx:
            for m in exc.messages:
                messages.error(request, m)
            return redirect("penilaian:menilai", pk=pk)
        ev = sel.evaluasi_qs().get(pk=pk)
        rows, perilaku = _baris(ev)
        return _jawab(request, ev, rows, perilaku, exc)
    if not request.htmx:
        messages.success(request, f"{hasil.diubah} nilai perilaku diisi Sesuai Ekspektasi.")
        return redirect("penilaian:menilai", pk=pk)
    return _jawab(request, hasil.evaluasi, hasil.rhk, hasil.perilaku, None, segarkan_perilaku=True)
