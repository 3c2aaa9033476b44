"""Pelaksanaan pages. Thin: parse, check permission, call a service or selector, render.

Services raise PermissionDenied (-> 403) or ValidationError (shown in place). Every view that touches an
SKP checks `perencanaan.view_skp` first, so nobody learns anything about an SKP they may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from kinerja.common.akses import first_visible
from kinerja.common.forms import apply_errors, dari_antrean, jawaban_antrean
from kinerja.common.pengguna import pegawai_sendiri
from kinerja.pelaksanaan import baris_html, selectors, services
from kinerja.pelaksanaan.catatan.selectors import saran_realisasi
from kinerja.pelaksanaan.forms import BukaKunciForm, RealisasiForm, RencanaAksiForm
from kinerja.pelaksanaan.models import RencanaAksi
from kinerja.perencanaan import selectors as perencanaan_selectors
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.permissions import admin_instansi, is_pemilik, is_penilai_of_skp
from kinerja.rules.alur import Status
from kinerja.rules.realisasi import format_waktu

T = "pelaksanaan/realisasi/"

# =========================================================================================================
# Realisasi
# =========================================================================================================


def _skp(request: HttpRequest, skp_id: int, apa: str = "realisasi") -> Skp:
    """The SKP if the user may see it (404 when it does not exist, 403 when it is not theirs to see);
    ``apa`` names what of the SKP the page shows, in the refusal."""
    skp = first_visible(
        Skp.objects.select_related("periode", "pegawai", "instansi", "jabatan").filter(pk=skp_id),
        request.user,
        "perencanaan.view_skp",
        "SKP tidak ditemukan.",
        f"Anda tidak berhak melihat {apa} SKP ini.",
    )
    _pegawai_pembaca(request, skp)
    return skp  # type: ignore[no-any-return]


def _pegawai_pembaca(request: HttpRequest, skp: Skp) -> None:
    """The owner reading their own SKP: their pegawai is the SKP's, already loaded (no second read for the
    navigation or the "oleh ..." lines)."""
    if is_pemilik(request.user, skp):
        request.user.pegawai = skp.pegawai  # type: ignore[union-attr]


def _pemilik(request: HttpRequest, skp: Skp) -> bool:
    return bool(is_pemilik(request.user, skp))


def _dapat_ubah(request: HttpRequest, skp: Skp) -> bool:
    return _pemilik(request, skp) and skp.status == Status.DISETUJUI.value


def _periode(skp: Skp, nomor: int | str | None) -> tuple[Any, list[Any]]:
    periode = skp.periode  # loaded with the SKP, as its instansi: the periods need not join them again
    if periode.instansi_id == skp.instansi_id and Skp.instansi.is_cached(skp):  # type: ignore[attr-defined]
        periode.instansi = skp.instansi
    daftar = selectors.periode_list(periode, pegawai_id=skp.pegawai_id)
    if not daftar:
        raise Http404("Periode penilaian tahun ini belum dibuat.")
    if isinstance(nomor, int):
        periode = next((p for p in daftar if p.nomor == nomor), None)
        if periode is None:
            raise Http404("Periode tidak dikenal.")
        return periode, daftar
    return selectors.select_periode(daftar, nomor), daftar


_PENANDA = 987_654_321


def _pola(nama: str, *args: int | None) -> Callable[..., str]:
    """The URL ``nama`` reversed once, each ``None`` argument a marker number; the function returned fills
    the markers in order: one `reverse` per page for a link every row has, instead of one `{% url %}` per
    row (the same text: the arguments are plain numbers between slashes). Should a fixed argument look
    like a marker, every call reverses instead."""
    penanda = [f"/{_PENANDA + n}/" for n, a in enumerate(args) if a is None]
    url = reverse(nama, args=[_PENANDA + n if a is None else a for n, a in enumerate(args)])
    if not all(url.count(p) == 1 for p in penanda):

        def lagi(*nilai: int) -> str:
            isian = iter(nilai)
            return reverse(nama, args=[next(isian) if a is None else a for a in args])

        return lagi
    potongan = []
    sisa = url
    for p in penanda:
        depan, _, sisa = sisa.partition(p)
        potongan.append(depan)

    def isi(*nilai: int) -> str:
        return "".join(f"{d}/{v}/" for d, v in zip(potongan, nilai, strict=True)) + sisa

    return isi


def _tautan_baris(skp: Skp, periode: Any, baris: Iterable[selectors.BarisIndikator]) -> None:
    """Set the links of the indikator rows (`_indikator.html`): save, and the realisasi's bukti."""
    simpan = _pola("pelaksanaan:realisasi_simpan", skp.pk, None, periode.nomor)
    bukti = _pola("pelaksanaan:bukti", None)
    bukti_halaman = _pola("pelaksanaan:bukti_halaman", None)
    for b in baris:
        b.url_simpan = simpan(b.indikator.pk)
        if b.realisasi is not None:
            b.url_bukti = bukti(b.realisasi.pk)
            b.url_bukti_halaman = bukti_halaman(b.realisasi.pk)


def _tautan_rencana(skp: Skp, periode: Any, blok: Iterable[tuple[Rhk, list[RencanaAksi]]]) -> None:
    """Set the links of the rencana aksi blocks (`_rencana_aksi.html`): each RHK's block, each action's
    change and delete."""
    rencana = _pola("pelaksanaan:rencana_aksi", skp.pk, None, periode.nomor)
    ubah = _pola("pelaksanaan:rencana_aksi_ubah", None)
    hapus = _pola("pelaksanaan:rencana_aksi_hapus", None)
    for rhk, aksi in blok:
        rhk.url_rencana_aksi = rencana(rhk.pk)  # type: ignore[attr-defined]
        for a in aksi:
            a.url_ubah = ubah(a.pk)  # type: ignore[attr-defined]
            a.url_hapus = hapus(a.pk)  # type: ignore[attr-defined]


def _saran(
    request: HttpRequest,
    b: selectors.BarisIndikator,
    saran: dict[int, Any],
    halaman: selectors.HalamanRealisasi,
    skp: Skp,
    periode: Any,
    pemilik: bool,
) -> str:
    """The catatan kegiatan suggestion under a numeric row (`catatan/_saran.html`), when there is one."""
    s = saran.get(b.indikator.pk)
    if not s or not b.numerik:
        return ""
    ctx = {
        "s": s,
        "b": b,
        "h": halaman,
        "skp": skp,
        "periode": periode,
        "pemilik": pemilik,
        "dapat_ubah": _dapat_ubah(request, skp),
    }
    return render_to_string("pelaksanaan/catatan/_saran.html", ctx, request=request)


def _tab(skp: Skp, sendiri: bool) -> str:
    return (
        reverse("pelaksanaan:realisasi") if sendiri else reverse("pelaksanaan:realisasi_skp", args=[skp.pk])
    )


def _halaman(
    request: HttpRequest,
    skp: Skp,
    sendiri: bool,
    dimuat: tuple[Any, list[Any]] | None = None,
    skp_lain: list[Any] | None = None,
) -> HttpResponse:
    """The page; ``dimuat``: the periode and its list when the caller already read them; ``skp_lain``: the
    owner's other approved SKP of the year when already read."""
    periode, daftar = dimuat or _periode(skp, request.GET.get("periode"))
    halaman = selectors.halaman_realisasi(skp, periode, daftar, pembaca=request.user)
    isian = _dapat_ubah(request, skp) and halaman.status.boleh  # each row with the inputs of a new form
    _tautan_baris(skp, periode, (b for r in halaman.rhk for b in r.indikator))
    token = get_token(request)
    saran = saran_realisasi(skp, periode, (b.indikator for r in halaman.rhk for b in r.indikator))
    pemilik = _pemilik(request, skp)
    for r in halaman.rhk:
        for b in r.indikator:
            b.html = baris_html.baris_indikator(b, periode, token, isian=isian)
        # the RHK's rows in one string, as the template's loop wrote them (one loop per RHK, not per row)
        r.html_indikator = mark_safe(  # noqa: S308 — rows and suggestions are escaped markup already
            "".join(
                f"\n    {b.html}\n    {_saran(request, b, saran, halaman, skp, periode, pemilik)}\n  "
                for b in r.indikator
            )
        )
    _tautan_rencana(skp, periode, ((r.rhk, r.rencana_aksi) for r in halaman.rhk))
    ubah_rencana = _dapat_ubah(request, skp) and halaman.status_rencana.boleh
    for r in halaman.rhk:
        r.html_rencana = baris_html.blok_rencana_aksi(r.rhk, r.rencana_aksi, periode, ubah_rencana)
    hari_ini = timezone.localdate()
    tabs = [
        (
            p,
            p.nama.replace("Triwulan", "TW").replace("Semester", "Sem."),
            p.batas_realisasi < hari_ini,
            p.mulai > hari_ini,
        )
        for p in daftar
    ]
    penilai = is_penilai_of_skp(request.user, skp)
    return render(
        request,
        T + "halaman.html",
        {
            "nav": "realisasi" if pemilik else ("persetujuan" if penilai else "skp"),
            "h": halaman,
            "skp": skp,
            "periode": periode,
            "tabs": tabs,
            "tab_url": _tab(skp, sendiri),
            "pemilik": pemilik,
            "dapat_ubah": _dapat_ubah(request, skp),
            "penilai": penilai,
            "skp_lain": (selectors.skp_lain(skp) if skp_lain is None else skp_lain) if pemilik else [],
        },
    )


@login_required
def realisasi(request: HttpRequest) -> HttpResponse:
    """The pegawai's own realisasi page for their approved SKP of the year (``?periode=N``)."""
    pegawai = pegawai_sendiri(request.user, "Halaman ini untuk pegawai yang memiliki SKP.")
    # the periode of the year and its periods (with the owner's unlocks) in one read
    periode, daftar = selectors.periode_berjalan_dan_daftar(pegawai.instansi_id, pegawai_id=pegawai.pk)
    skp = None
    if periode is not None:
        pp = selectors.select_periode(daftar, request.GET.get("periode")) if daftar else None
        # the periode as the periods carry it, with its instansi: the SKP need not join them again
        semua_disetujui = selectors.skp_disetujui(pegawai, daftar[0].periode if daftar else periode)
        skp = selectors.pilih_skp_realisasi(semua_disetujui, pp)
    if skp is None:
        semua = perencanaan_selectors.skp_berjalan(pegawai, periode) if periode else None
        return render(request, T + "tanpa_skp.html", {"nav": "realisasi", "periode": periode, "skp": semua})
    if not daftar:
        raise Http404("Periode penilaian tahun ini belum dibuat.")
    _pegawai_pembaca(request, skp)
    lain = [s for s in semua_disetujui if s.pk != skp.pk]
    return _halaman(request, skp, sendiri=True, dimuat=(pp, daftar), skp_lain=lain)


@login_required
def realisasi_skp(request: HttpRequest, skp_id: int) -> HttpResponse:
    """The realisasi page of one SKP: editable by its owner, read-only for the penilai chain and admin."""
    skp = _skp(request, skp_id)
    if skp.status != Status.DISETUJUI.value and not skp.disetujui_pada:
        messages.info(request, "Realisasi diisi setelah SKP disetujui pejabat penilai.")
        return redirect("skp:detail", pk=skp.pk)
    return _halaman(request, skp, sendiri=False)


# --- htmx: one indikator --------------------------------------------------------------------------------


def _form_realisasi(baris: selectors.BarisIndikator, data: Any = None) -> RealisasiForm:
    r = baris.realisasi
    initial = {"versi": baris.versi}
    if r is not None:
        initial.update(
            nilai_angka=selectors.angka_tampil(r.nilai_angka) if r.nilai_angka is not None else "",
            nilai_teks=r.nilai_teks,
            narasi=r.narasi,
        )
    return RealisasiForm(
        data,
        numerik=baris.numerik,
        satuan=baris.indikator.satuan,
        initial=initial,
        prefix=f"i{baris.indikator.pk}",
    )


def _indikator(request: HttpRequest, skp_id: int, indikator_id: int) -> tuple[Skp, Indikator]:
    """The SKP (as `_skp` checks it) and one of its indikator with its targets and this year's realisasi:
    the indikator and its SKP in one read, then the two prefetches."""
    indikator = (
        Indikator.objects.select_related(
            "rhk__skp__periode", "rhk__skp__pegawai", "rhk__skp__instansi", "rhk__skp__jabatan"
        )
        .filter(pk=indikator_id, rhk__skp_id=skp_id)
        .first()
    )
    if indikator is None:
        _skp(request, skp_id)  # 404 or 403 about the SKP first, as for every page of it
        raise Http404("Indikator tidak ditemukan.")
    skp = indikator.rhk.skp
    if not request.user.has_perm("perencanaan.view_skp", skp):
        raise PermissionDenied("Anda tidak berhak melihat realisasi SKP ini.")
    _pegawai_pembaca(request, skp)
    prefetch_related_objects([indikator], *selectors.indikator_prefetch(skp.periode_id))
    return skp, indikator


@login_required
def realisasi_simpan(request: HttpRequest, skp_id: int, indikator_id: int, nomor: int) -> HttpResponse:
    """GET: the indikator's row. POST: save its realisasi for the periode (owner only), row re-rendered."""
    skp, indikator = _indikator(request, skp_id, indikator_id)
    periode, daftar = _periode(skp, nomor)
    baris = selectors.baris_indikator(indikator, periode, daftar)
    dapat_ubah = _dapat_ubah(request, skp)
    status = selectors.status_pengisian(skp.pegawai_id, periode)
    ctx: dict[str, Any] = {"skp": skp, "periode": periode, "dapat_ubah": dapat_ubah, "status": status}
    form = None
    if request.method == "POST":
        if not _pemilik(request, skp):
            raise PermissionDenied("Hanya pemilik SKP yang dapat mengisi realisasinya.")
        form = _form_realisasi(baris, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                disimpan = services.save_realisasi(
                    baris.indikator,
                    periode,
                    request.user,
                    nilai_angka=data.get("nilai_angka"),
                    nilai_teks=data.get("nilai_teks", ""),
                    narasi=data.get("narasi", ""),
                    versi=data.get("versi") if data.get("versi") is not None else 0,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
                ctx["konflik"] = getattr(exc, "code", None) == "konflik"
            else:
                if dari_antrean(request):
                    return jawaban_antrean(id=disimpan.pk)
                if not request.htmx:
                    messages.success(request, "Realisasi tersimpan.")
                    return redirect(f"{_tab(skp, True)}?periode={periode.nomor}")
                baris = selectors.baris_indikator(indikator, periode, daftar, ganti=disimpan)
                form = None
                ctx["tersimpan"] = True
        if dari_antrean(request):
            return jawaban_antrean(form)
        if form is not None and not request.htmx:
            for m in [*form.non_field_errors(), *(e for f in form for e in f.errors)]:
                messages.error(request, m)
            return redirect(f"{_tab(skp, True)}?periode={periode.nomor}")
    baris.form = form or (_form_realisasi(baris) if dapat_ubah and status.boleh else None)
    _tautan_baris(skp, periode, [baris])
    ctx["b"] = baris
    return render(request, T + "_indikator.html", ctx)


# --- htmx: rencana aksi of one RHK ------------------------------------------------------------------------


def _blok_rencana(request: HttpRequest, skp: Skp, rhk: Rhk, periode: Any, **extra: Any) -> HttpResponse:
    aksi = selectors.rencana_aksi_rhk(rhk, periode)
    _tautan_rencana(skp, periode, [(rhk, aksi)])
    status = selectors.status_pengisian(skp.pegawai_id, periode, rencana=True)
    ctx = {
        "skp": skp,
        "periode": periode,
        "rhk": rhk,
        "rencana_aksi": aksi,
        "dapat_ubah": _dapat_ubah(request, skp),
        "status_rencana": status,
        **extra,
    }
    response = render(request, T + "_rencana_aksi.html", ctx)
    if request.method == "POST":
        retarget(response, f"#ra-{rhk.pk}")
        reswap(response, "outerHTML")
    return response


def _simpan_rencana(
    request: HttpRequest, skp: Skp, rhk: Rhk, periode: Any, aksi: RencanaAksi | None
) -> HttpResponse:
    if not _pemilik(request, skp):
        raise PermissionDenied("Hanya pemilik SKP yang dapat menulis rencana aksi.")
    form = RencanaAksiForm(request.POST)
    if form.is_valid():
        try:
            services.save_rencana_aksi(
                Rhk.objects.select_related("skp__periode").get(pk=rhk.pk),
                periode,
                request.user,
                form.cleaned_data["teks"],
                aksi=aksi,
                versi=form.cleaned_data.get("versi"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "Rencana aksi tersimpan.")
                return redirect(f"{_tab(skp, True)}?periode={periode.nomor}")
            return _blok_rencana(request, skp, rhk, periode, disorot=True)
    if not request.htmx:
        for m in [*form.non_field_errors(), *form["teks"].errors]:
            messages.error(request, m)
        return redirect(f"{_tab(skp, True)}?periode={periode.nomor}")
    mode = {"mode": "ubah", "edit_id": aksi.pk} if aksi else {"mode": "tambah"}
    return _blok_rencana(request, skp, rhk, periode, form=form, **mode)


@login_required
def rencana_aksi(request: HttpRequest, skp_id: int, rhk_id: int, nomor: int) -> HttpResponse:
    """GET: the block (``?tambah=1`` opens the add form). POST: add a rencana aksi."""
    skp = _skp(request, skp_id)
    periode, _ = _periode(skp, nomor)
    rhk = get_object_or_404(Rhk, pk=rhk_id, skp=skp)
    if request.method == "POST":
        return _simpan_rencana(request, skp, rhk, periode, None)
    if request.GET.get("tambah") and _dapat_ubah(request, skp):
        return _blok_rencana(request, skp, rhk, periode, mode="tambah", form=RencanaAksiForm())
    return _blok_rencana(request, skp, rhk, periode)


def _aksi(request: HttpRequest, pk: int) -> tuple[Skp, RencanaAksi]:
    aksi = get_object_or_404(RencanaAksi.objects.select_related("rhk", "periode_penilaian__periode"), pk=pk)
    return _skp(request, aksi.rhk.skp_id), aksi


@login_required
def rencana_aksi_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    skp, aksi = _aksi(request, pk)
    if request.method == "POST":
        return _simpan_rencana(request, skp, aksi.rhk, aksi.periode_penilaian, aksi)
    if not _dapat_ubah(request, skp):
        raise PermissionDenied("Hanya pemilik SKP yang dapat mengubah rencana aksi.")
    form = RencanaAksiForm(initial={"teks": aksi.teks, "versi": aksi.versi})
    return _blok_rencana(
        request, skp, aksi.rhk, aksi.periode_penilaian, mode="ubah", edit_id=aksi.pk, form=form
    )


@login_required
@require_POST
def rencana_aksi_hapus(request: HttpRequest, pk: int) -> HttpResponse:
    skp, aksi = _aksi(request, pk)
    if not _pemilik(request, skp):
        raise PermissionDenied("Hanya pemilik SKP yang dapat menghapus rencana aksi.")
    versi = request.POST.get("versi")
    try:
        services.delete_rencana_aksi(
            RencanaAksi.objects.select_related("rhk__skp__periode", "periode_penilaian").get(pk=aksi.pk),
            request.user,
            versi=int(versi) if versi and versi.isdigit() else None,
        )
    except ValidationError as exc:
        if not request.htmx:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{_tab(skp, True)}?periode={aksi.periode_penilaian.nomor}")
        return _blok_rencana(request, skp, aksi.rhk, aksi.periode_penilaian, galat=" ".join(exc.messages))
    if not request.htmx:
        messages.success(request, "Rencana aksi dihapus.")
        return redirect(f"{_tab(skp, True)}?periode={aksi.periode_penilaian.nomor}")
    return _blok_rencana(request, skp, aksi.rhk, aksi.periode_penilaian)


# --- admin: buka kunci ------------------------------------------------------------------------------------


@login_required
def buka_kunci(request: HttpRequest) -> HttpResponse:
    """Active unlocks of the admin's instansi and the form to unlock one pegawai and periode."""
    instansi = admin_instansi(request)
    form = BukaKunciForm(request.POST or None, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = services.buka_kunci(
                data["pegawai"], data["periode_penilaian"], request.user, data["alasan"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"Pengisian realisasi {obj.periode_penilaian.nama} untuk {obj.pegawai.nama_lengkap} dibuka "
                f"sampai {format_waktu(timezone.localtime(obj.berlaku_sampai))}.",
            )
            return redirect("pelaksanaan:buka_kunci")
    return render(
        request,
        T + "buka_kunci.html",
        {
            "nav": "organisasi",
            "instansi": instansi,
            "form": form,
            "aktif": selectors.buka_kunci_aktif_instansi(instansi),
            "riwayat": selectors.buka_kunci_riwayat(instansi),
        },
    )
