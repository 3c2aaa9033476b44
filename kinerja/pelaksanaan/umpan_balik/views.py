"""Umpan balik pages.

* /umpan-balik/ — the pegawai's feedback threads (grouped by item and periode), with reply forms; opening
  it marks the messages addressed to them read. A penilai also sees the SKP of their bawahan there.
* /umpan-balik/skp/<skp_id>/ — one SKP's RHK, realisasi and BerAKHLAK values with their threads and the
  form (htmx) to give feedback: penilai and atasan penilai write; the owner replies; others with
  `perencanaan.view_skp` (higher atasan, admin of the instansi) read only; anyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kinerja.organisasi import selectors as org_selectors
from kinerja.pelaksanaan.models import PustakaUmpanBalik, Realisasi, UmpanBalik
from kinerja.pelaksanaan.umpan_balik import selectors as sel
from kinerja.pelaksanaan.umpan_balik import services
from kinerja.pelaksanaan.views import _skp
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.perencanaan.selectors import periode_berjalan
from kinerja.permissions import allowed, is_pemilik
from kinerja.rules import JenisRhk
from kinerja.rules.perilaku import BERAKHLAK

T = "pelaksanaan/umpan_balik/"


def _nomor_rhk(rhk_list: list[Rhk]) -> dict[int, str]:
    nomor: dict[int, str] = {}
    hitung = {JenisRhk.UTAMA.value: 0}
    for r in rhk_list:
        hitung[r.jenis] = hitung.get(r.jenis, 0) + 1
        awalan = "" if r.jenis == JenisRhk.UTAMA.value else "tambahan "
        nomor[r.pk] = f"{awalan}{hitung[r.jenis]}"
    return nomor


# --- the pegawai's page -----------------------------------------------------------------------------------


@login_required
def saya(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.pegawai_id:
        raise PermissionDenied("Halaman ini untuk pegawai.")
    utas = list(sel.utas_qs().filter(skp__pegawai_id=user.pegawai_id))
    sel.prepare_utas(utas, user)
    rhk_ids = {u.rhk_id for u in utas if u.rhk_id} | {
        u.realisasi.indikator.rhk_id for u in utas if u.realisasi_id
    }
    rhk_list = list(
        Rhk.objects.filter(skp__in={u.skp_id for u in utas}).order_by("skp", "jenis", "urutan", "pk")
    )
    nomor = {k: v for k, v in _nomor_rhk(rhk_list).items() if k in rhk_ids}
    kelompok = sel.kelompokkan(utas, nomor)
    belum = sum(k.baru for k in kelompok)
    periode = periode_berjalan(user.pegawai.instansi)
    dinilai = list(
        sel.skp_dinilai(user)
        .filter(periode=periode)
        .annotate(jumlah_utas=Count("umpan_balik", filter=Q(umpan_balik__induk=None)))
    )
    baru = sel.belum_dibaca_per_skp(user, (s.pk for s in dinilai))
    for s in dinilai:
        s.balasan_baru = baru.get(s.pk, 0)
    # Only the threads shown here are read now; the bawahan's replies stay new (in this column and on the
    # dashboard alike) until their SKP's page is opened.
    services.mark_read(user, milik_sendiri=True)
    return render(
        request,
        T + "saya.html",
        {"nav": "umpan_balik", "kelompok": kelompok, "belum": belum, "dinilai": dinilai},
    )


# --- one SKP (the penilai's page) -------------------------------------------------------------------------


def _konteks_skp(request: HttpRequest, skp: Skp, **extra: Any) -> dict[str, Any]:
    user = request.user
    rhk_list = list(
        Rhk.objects.filter(skp=skp)
        .order_by("jenis", "urutan", "pk")
        .prefetch_related(
            Prefetch(
                "indikator",
                queryset=Indikator.objects.order_by("urutan", "pk").prefetch_related(
                    Prefetch(
                        "realisasi",
                        queryset=Realisasi.objects.select_related("periode_penilaian")
                        .annotate(jumlah_bukti=Count("bukti"))
                        .order_by("periode_penilaian__nomor"),
                    )
                ),
            )
        )
    )
    rhk_list.sort(key=lambda r: (r.jenis != JenisRhk.UTAMA.value, r.urutan, r.pk))
    nomor = _nomor_rhk(rhk_list)
    utas = list(sel.utas_qs().filter(skp=skp))
    sel.prepare_utas(utas, user)
    kelompok = sel.kelompokkan(utas, nomor)
    for r in rhk_list:
        r.nomor = nomor[r.pk]
        r.item = f"rhk:{r.pk}"
        for i in r.indikator.all():
            for x in i.realisasi.all():
                x.item = f"realisasi:{x.pk}"
        r.kelompok = [k for k in kelompok if k.jenis != "perilaku" and k.kunci[2] == r.pk]
    perilaku = [
        {
            "nilai": n,
            "item": f"perilaku:{n.kode}",
            "kelompok": [k for k in kelompok if k.jenis == "perilaku" and k.judul == n.nama],
        }
        for n in BERAKHLAK
    ]
    pemberi = allowed(user, "pelaksanaan.give_umpan_balik", skp)
    ctx: dict[str, Any] = {
        "nav": "umpan_balik",
        "skp": skp,
        "rhk_list": rhk_list,
        "perilaku": perilaku,
        "pemberi": pemberi,
        "pemilik": is_pemilik(user, skp),
        "jumlah_utas": len(utas),
        "item_terpilih": request.GET.get("item", ""),
    }
    if pemberi:
        pustaka = services.pustaka_untuk(skp)
        ctx["pustaka"] = [
            (label, [p for p in pustaka if p.nada == nada]) for nada, label in PustakaUmpanBalik.Nada.choices
        ]
        ctx["nada_choices"] = PustakaUmpanBalik.Nada.choices
        ctx["periode_list"] = list(skp.periode.periode_penilaian.all())
        # Feedback is given during a periode: preselect the one running today ("Sepanjang tahun" only when
        # chosen), so a Triwulan IV remark is not filed under the whole year.
        hari_ini = org_selectors.today()
        ctx["periode_awal"] = next(
            (p.pk for p in ctx["periode_list"] if p.mulai <= hari_ini <= p.selesai), None
        )
    ctx.update(extra)
    return ctx


@login_required
def skp(request: HttpRequest, skp_id: int) -> HttpResponse:
    skp = _skp(request, skp_id, "umpan balik")
    ctx = _konteks_skp(request, skp)
    if ctx["pemberi"] or ctx["pemilik"]:
        services.mark_read(request.user, skp)
    return render(request, T + "skp.html", ctx)


def _int(nilai: str | None) -> int | None:
    return int(nilai) if nilai and nilai.isdigit() else None


@login_required
@require_POST
def kirim(request: HttpRequest, skp_id: int) -> HttpResponse:
    """The penilai gives feedback on one item (htmx: returns the page's content with the new thread)."""
    skp = _skp(request, skp_id, "umpan balik")
    form = {
        "item": request.POST.get("item", ""),
        "teks": request.POST.get("teks", ""),
        "frasa": [int(i) for i in request.POST.getlist("frasa") if i.isdigit()],
        "periode": request.POST.get("periode", ""),
        "simpan_nada": request.POST.get("simpan_nada", ""),
    }
    galat: list[str] = []
    baru = None
    try:
        baru = services.give_umpan_balik(
            skp,
            request.user,
            item=form["item"],
            teks=form["teks"],
            frasa_ids=form["frasa"],
            periode_id=_int(form["periode"]),
            simpan_nada=form["simpan_nada"],
        )
    except ValidationError as exc:
        galat = exc.messages
    if not request.htmx:
        for m in galat:
            messages.error(request, m)
        if baru:
            messages.success(request, "Umpan balik terkirim.")
        return redirect("pelaksanaan:umpan_balik_skp", skp_id=skp.pk)
    ctx = _konteks_skp(
        request,
        skp,
        galat=galat,
        berhasil=bool(baru),
        disorot=baru.pk if baru else None,
        form=form if galat else None,
    )
    return render(request, T + "_isi_skp.html", ctx)


@login_required
@require_POST
def balas(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply in a thread (owner, penilai, atasan penilai); htmx: returns the thread."""
    induk = get_object_or_404(UmpanBalik.objects.select_related("skp"), pk=pk, induk=None)
    if not request.user.has_perm("perencanaan.view_skp", induk.skp):
        raise PermissionDenied("Anda tidak berhak melihat umpan balik ini.")
    galat: list[str] = []
    try:
        services.reply_umpan_balik(induk, request.user, request.POST.get("teks", ""))
    except ValidationError as exc:
        galat = exc.messages
    if not request.htmx:
        for m in galat:
            messages.error(request, m)
        if not galat:
            messages.success(request, "Balasan terkirim.")
        if request.POST.get("kembali") == "skp":
            return redirect("pelaksanaan:umpan_balik_skp", skp_id=induk.skp_id)
        return redirect("pelaksanaan:umpan_balik")
    utas = sel.utas_qs().get(pk=induk.pk)
    sel.prepare_utas([utas], request.user)
    utas.galat = galat  # this thread's own reply errors, never the page's
    return render(
        request,
        T + "_utas.html",
        {"u": utas, "boleh_balas": True, "kembali": request.POST.get("kembali", "")},
    )
