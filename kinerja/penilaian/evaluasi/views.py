"""Evaluation pages (docs/rules.md §15). Thin: parse, check permission, call a service or selector, render.

* /penilaian/ — "Penilaian kinerja": for a penilai, their bawahan per periode tab (+ "Akhir (tahunan)")
  with status, ratings, predikat and the realisasi gate; for every pegawai, their own evaluations
  (read-only); for the admin kepegawaian, the SKP without a penilai (the admin rates them) and a link to
  the list of the whole instansi.
* /penilaian/instansi/ — admin: every evaluation of the instansi per periode, searchable, by status.
* /penilaian/mulai/<skp>/ — POST: open (or re-open the draft of) an evaluation, then go to its page.
* /penilaian/evaluasi/<pk>/ — one evaluation on one screen. Reading needs `penilaian.view_evaluasi`
  (403 otherwise, 404 when missing); every write is decided by the service (PermissionDenied → 403,
  ValidationError → shown in place). Rows (RHK, values, "tidak ada realisasi") save with htmx and refresh
  the suggestion, the header and the page's ``versi`` out of band; deciding, adjusting and reopening are
  plain forms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.common.akses import first_visible
from kinerja.common.forms import apply_errors
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Instansi, PeriodePenilaian
from kinerja.pekerjaan.selectors import terakhir as pekerjaan_terakhir
from kinerja.pelaksanaan.selectors import periode_berjalan_dan_daftar
from kinerja.penilaian import services
from kinerja.penilaian.eksternal import selectors as sel_eksternal
from kinerja.penilaian.evaluasi import baris_html, massal
from kinerja.penilaian.evaluasi import selectors as sel
from kinerja.penilaian.forms import (
    BukaKembaliForm,
    BukaKunciForm,
    RatingPerilakuForm,
    RatingRhkForm,
    SesuaikanForm,
    TanpaRealisasiForm,
    TetapkanEksternalForm,
    TetapkanForm,
    set_widget_classes,
)
from kinerja.penilaian.models import Evaluasi, RatingPerilaku, RatingRhk
from kinerja.perencanaan.models import Skp
from kinerja.perencanaan.selectors import periode_berjalan
from kinerja.permissions import (
    admin_instansi,
    allowed,
    is_admin_kepegawaian,
    is_admin_of,
    is_pemilik,
    is_superuser,
    peran_evaluasi,
)
from kinerja.rules.realisasi import format_waktu

T = "penilaian/evaluasi/"


# --- lists ------------------------------------------------------------------------------------------------


def _instansi(request: HttpRequest) -> Instansi | None:
    user = request.user
    if user.pegawai_id:
        return user.pegawai.instansi
    if is_admin_kepegawaian(user):
        return user.admin_instansi
    if is_superuser(user):
        return admin_instansi(request)
    return None


def _tautan(*daftar: list[sel.BarisBawahan]) -> None:
    """Each row's link, the URL reversed once: its evaluation page, or the form opening the evaluation."""
    contoh = 987654321
    evaluasi = reverse("penilaian:evaluasi", args=[contoh]).split(str(contoh))
    mulai = reverse("penilaian:mulai_evaluasi", args=[contoh]).split(str(contoh))
    for baris in daftar:
        for b in baris:
            if b.evaluasi is not None:
                b.url = f"{evaluasi[0]}{b.evaluasi.pk}{evaluasi[1]}"
            else:
                b.url = f"{mulai[0]}{b.skp_id}{mulai[1]}"


def _tulis(request: HttpRequest, tab: sel.Tab, *daftar: list[sel.BarisBawahan], penilai: bool) -> None:
    """Each row's markup (`baris_html`, that of `_baris_bawahan.html`), its link set: the penilai's list
    (``penilai``: evaluations opened and rated from it) or the admin's (read only, with a penilai column)."""
    token = get_token(request)
    for baris in daftar:
        for b in baris:
            b.html = baris_html.baris_bawahan(
                b,
                kode_tab=tab.kode,
                csrf_token=token,
                boleh_buka=penilai,
                boleh_nilai=penilai,
                kolom_penilai=not penilai,
            )


def _is_admin(request: HttpRequest, instansi: Instansi) -> bool:
    return bool(is_admin_of(request.user, instansi))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Penilaian kinerja: my bawahan per periode (penilai), my own evaluations, the admin's entry points."""
    user = request.user
    if user.pegawai_id:
        # The instansi, its running periode and the periode penilaian of the year: one query.
        periode, daftar = periode_berjalan_dan_daftar(user.pegawai.instansi_id)
        instansi = periode.instansi if periode is not None else user.pegawai.instansi
    else:
        found = _instansi(request)
        if found is None:
            raise PermissionDenied("Halaman ini untuk pegawai dan admin kepegawaian.")
        instansi = found
        periode, daftar = periode_berjalan_dan_daftar(instansi.pk)
    ctx: dict[str, Any] = {"nav": "penilaian", "periode": periode, "instansi": instansi}
    if periode is None:
        return render(request, T + "index.html", ctx)
    tabs = sel.tabs(periode, daftar)
    hari_ini = org.today()
    tab = sel.select_tab(tabs, request.GET.get("periode"), hari_ini)
    pegawai = request.user.pegawai if request.user.pegawai_id else None
    admin = _is_admin(request, instansi)
    bawahan = sel.bawahan(pegawai, periode, tab.periode_penilaian) if pegawai else []
    tanpa_penilai = sel.tanpa_penilai(instansi, periode, tab.periode_penilaian) if admin else []
    _tautan(bawahan, tanpa_penilai)
    _tulis(request, tab, bawahan, tanpa_penilai, penilai=True)
    ctx.update(
        tabs=tabs,
        tab=tab,
        terkunci=tab.batas_evaluasi < hari_ini,
        admin=admin,
        bawahan=bawahan,
        belum_disetujui=sel.bawahan_belum_disetujui(pegawai, periode) if pegawai else [],
        tanpa_penilai=tanpa_penilai,
        saya=sel.evaluasi_saya(pegawai, periode) if pegawai else [],
        # Rows in the tab are approved SKP of the year this pegawai rates: no need to ask again.
        menilai=bool(pegawai) and (bool(bawahan) or sel.menilai_tahun_ini(pegawai, periode)),
        label_rating=sel.LABEL_RATING,
    )
    return render(request, T + "index.html", ctx)


@login_required
def instansi(request: HttpRequest) -> HttpResponse:
    """Admin: the evaluations of the whole instansi for one periode, searchable, filterable by status."""
    inst = admin_instansi(request)
    periode = periode_berjalan(inst)
    ctx: dict[str, Any] = {"nav": "penilaian", "periode": periode, "instansi": inst}
    if periode is None:
        return render(request, T + "instansi.html", ctx)
    tabs = sel.tabs(periode)
    tab = sel.select_tab(tabs, request.GET.get("periode"), org.today())
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    qs = sel.list_instansi(inst, periode, tab.periode_penilaian, q, status)
    halaman = Paginator(qs, 50).get_page(request.GET.get("hal"))
    baris = sel.baris_halaman(list(halaman.object_list), periode, tab.periode_penilaian)
    _tautan(baris)
    _tulis(request, tab, baris, penilai=False)
    ctx.update(
        tabs=tabs,
        tab=tab,
        q=q,
        status=status,
        pilihan_status=list(sel.LABEL_STATUS.items()),
        halaman=halaman,
        baris=baris,
        label_rating=sel.LABEL_RATING,
    )
    pp = tab.periode_penilaian
    if pp is not None and request.user.has_perm("penilaian.evaluate_instansi", periode):
        ctx.update(boleh_evaluasi_massal=True, evaluasi_massal=pekerjaan_terakhir(massal.kunci_pekerjaan(pp)))
    return render(request, T + "instansi.html", ctx)


@login_required
@require_POST
def evaluasi_massal(request: HttpRequest) -> HttpResponse:
    """Admin: compute every rating group of one periode in the background (``periode``: its nomor); the
    job's progress, summary and workbook show on the page "Semua evaluasi instansi"."""
    periode = periode_berjalan(admin_instansi(request))
    kode = request.POST.get("periode", "")
    if periode is None or not kode.isdigit():
        raise Http404("Periode tidak dikenal.")
    pp = get_object_or_404(
        PeriodePenilaian.objects.select_related("periode__instansi"), periode=periode, nomor=int(kode)
    )
    p = massal.start_evaluasi_massal(pp, request.user)
    if p.baru:
        messages.success(request, f"{p.judul}: berjalan di latar belakang; kemajuannya tampil di bawah.")
    else:
        messages.info(request, f"{p.judul}: masih berjalan; tunggu hingga selesai.")
    return redirect(f"{reverse('penilaian:instansi_evaluasi')}?periode={pp.nomor}")


@login_required
@require_POST
def mulai(request: HttpRequest, skp_id: int) -> HttpResponse:
    """Open the evaluation of an SKP for a periode (``periode``: its nomor, or "akhir") and show it."""
    skp = get_object_or_404(Skp.objects.select_related("periode", "pegawai", "penilai_jabatan"), pk=skp_id)
    kode = request.POST.get("periode", "")
    pp = None
    if kode != sel.AKHIR:
        if not kode.isdigit():
            raise Http404("Periode tidak dikenal.")
        pp = get_object_or_404(
            PeriodePenilaian.objects.select_related("periode"), periode=skp.periode, nomor=int(kode)
        )
    try:
        ev = services.open_evaluasi(skp, pp, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('penilaian:index')}?periode={kode}")
    return redirect("penilaian:evaluasi", pk=ev.pk)


# --- the page of one evaluation -----------------------------------------------------------------------


def _evaluasi(request: HttpRequest, pk: int) -> Evaluasi:
    """The evaluation if the user may read it (404 when missing, 403 when not theirs to see)."""
    return first_visible(
        sel.dengan_jejak_riwayat(sel.evaluasi_qs()).filter(pk=pk),
        request.user,
        "penilaian.view_evaluasi",
        "Evaluasi tidak ditemukan.",
        "Anda tidak berhak melihat evaluasi ini.",
    )


def _versi(request: HttpRequest) -> int | None:
    """The version the page was read at: the page-level one (kept current by every htmx answer) first."""
    for name in ("versi_halaman", "versi"):
        v = request.POST.get(name, "")
        if v.isdigit():
            return int(v)
    return None


def _form_rhk(b: sel.BarisRhkEvaluasi, data: Any = None) -> RatingRhkForm:
    form = RatingRhkForm(
        data, initial={"rating": b.row.rating, "catatan": b.row.catatan}, auto_id=f"rhk{b.row.pk}_%s"
    )
    return set_widget_classes(form)  # type: ignore[return-value]


def _form_tanpa(b: sel.BarisRhkEvaluasi, data: Any = None) -> TanpaRealisasiForm:
    form = TanpaRealisasiForm(
        data,
        initial={"tanpa": b.row.tanpa_realisasi, "alasan": b.row.tanpa_realisasi_alasan},
        auto_id=f"tr{b.row.pk}_%s",
    )
    return set_widget_classes(form)  # type: ignore[return-value]


def _form_perilaku(p: sel.BarisPerilaku, data: Any = None) -> RatingPerilakuForm:
    form = RatingPerilakuForm(
        data, initial={"rating": p.row.rating, "catatan": p.row.catatan}, auto_id=f"pk{p.row.kode}_%s"
    )
    return set_widget_classes(form)  # type: ignore[return-value]


def _halaman(request: HttpRequest, ev: Evaluasi) -> sel.HalamanEvaluasi:
    h = sel.halaman_evaluasi(ev, request.user)
    if h.bisa_nilai:
        for b in h.rhk:
            b.form = _form_rhk(b)
            b.form_tanpa = _form_tanpa(b)
        for p in h.perilaku:
            p.form = _form_perilaku(p)
    return h


def _render(request: HttpRequest, ev: Evaluasi, status: int = 200, **forms: Any) -> HttpResponse:
    h = _halaman(request, ev)
    # A penilai outside the instansi (docs/rules.md "Penilai di luar instansi"): the admin standing in
    # enters that penilai's decision, so the form asks for its number and date.
    admin = bool(is_admin_of(request.user, ev.instansi_id))
    eksternal = sel_eksternal.penilai_eksternal_untuk(ev) if ev.penilai_id is None else None
    if h.bisa_nilai and h.penetapan.terbuka and "form_tetapkan" not in forms:
        kelas = TetapkanEksternalForm if eksternal is not None and admin else TetapkanForm
        forms["form_tetapkan"] = kelas(initial={"catatan": ev.catatan, "rekomendasi": ev.rekomendasi})
    if h.bisa_sesuaikan and "form_sesuaikan" not in forms:
        forms["form_sesuaikan"] = SesuaikanForm()
    if h.bisa_buka_kembali and "form_buka" not in forms:
        forms["form_buka"] = BukaKembaliForm()
    if h.bisa_buka_kunci and "form_buka_kunci" not in forms:
        forms["form_buka_kunci"] = BukaKunciForm()
    pemilik = is_pemilik(request.user, ev)
    ctx = {
        "nav": "penilaian",
        "h": h,
        "ev": ev,
        "pemilik": pemilik,
        "admin_instansi_ev": admin,
        "eksternal": eksternal,
        "keputusan_eksternal": sel_eksternal.keputusan_evaluasi(ev) if ev.penilai_eksternal_id else [],
        "unduh_keputusan": request.user.has_perm("penilaian.download_keputusan_eksternal", ev),
        "ttd_url": _ttd_url(request, ev),
        **forms,
    }
    return render(request, T + "halaman.html", ctx, status=status)


def _ttd_url(request: HttpRequest, ev: Evaluasi) -> str | None:
    """The signing page of the final evaluation's document, when the user must sign it now (the penilai,
    then the pegawai; docs/rules.md §29.5). The rule itself: a superuser signs for nobody."""
    if not ev.is_final or not allowed(request.user, "dokumen.sign_evaluasi", ev):
        return None
    try:
        return reverse("dokumen:ttd_evaluasi", args=[ev.pk])
    except NoReverseMatch:
        return None


# Used by the pages of the external penilai (kinerja.penilaian.eksternal.views), which answer on this page.
evaluasi_terlihat = _evaluasi
render_halaman = _render
versi_form = _versi


@login_required
def evaluasi(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _evaluasi(request, pk))


def _baris_rhk(h: sel.HalamanEvaluasi, row_id: int) -> sel.BarisRhkEvaluasi:
    for b in h.rhk:
        if b.row.pk == row_id:
            return b
    raise Http404("RHK tidak ditemukan pada evaluasi ini.")


def _pesan(exc: ValidationError) -> list[str]:
    return [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages


def _tandai_hasil(b: Any, exc: Exception | None) -> None:
    """The row's outcome for its answer: saved, or the messages and whether it was a version conflict."""
    if exc is None:
        b.tersimpan = True
        return
    b.galat = _pesan(exc)
    b.konflik = getattr(exc, "code", None) == "konflik" or any(
        getattr(e, "code", None) == "konflik" for e in getattr(exc, "error_list", [])
    )


def _jawab_baris(
    request: HttpRequest,
    ev: Evaluasi,
    template: str,
    cari: Any,
    exc: ValidationError | None,
    data: Any,
    form_attr: str,
    make_form: Any,
    tersimpan: Evaluasi | None = None,
) -> HttpResponse:
    """Answer a row write: without htmx, back to the page with a message; with htmx, the row (with the
    refused form and its errors, or freshly saved) plus the header, the suggestion and ``versi``.
    ``tersimpan``: the evaluation as the service saved it (read with everything `evaluasi_qs` reads)."""
    if not request.htmx:
        if exc is None:
            messages.success(request, "Tersimpan.")
        else:
            for m in _pesan(exc):
                messages.error(request, m)
        return redirect("penilaian:evaluasi", pk=ev.pk)
    ev = tersimpan if tersimpan is not None and exc is None else sel.evaluasi_qs().get(pk=ev.pk)
    h = _halaman(request, ev)
    b = cari(h)
    _tandai_hasil(b, exc)
    if exc is not None and data is not None and h.bisa_nilai:
        form = make_form(b, data)
        form.is_valid()
        apply_errors(form, exc)
        setattr(b, form_attr, form)
    ctx = {"h": h, "ev": ev, "b": b, "p": b, "oob": True}
    return render(request, T + template, ctx)


def _galat_form(form: Any) -> dict[str, list[str]]:
    """The form's own errors (an unknown rating, a note that is too long), per field."""
    return {f: [str(m) for m in msgs] for f, msgs in form.errors.items()}


@login_required
@require_POST
def rate_rhk(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    """The penilai rates one RHK (htmx: the row's form, its badge and the page's header)."""
    return _nilai_baris(request, pk, RatingRhkForm, rhk_row_id=row_id)


def _nilai_baris(
    request: HttpRequest,
    pk: int,
    form_class: type[RatingRhkForm] | type[RatingPerilakuForm],
    *,
    rhk_row_id: int | None = None,
    kode: str | None = None,
) -> HttpResponse:
    """Save the rating of one RHK (``rhk_row_id``) or value (``kode``) through `services.nilai_baris`, which
    reads the evaluation under its lock and its rows once; answer with what the rating changes on the page
    (`_jawab_nilai`). An invalid form is answered from the evaluation as it is (read after the same
    checks: 404 missing, 403 not the user's to see)."""
    form = form_class(request.POST)
    exc: ValidationError | None = None
    hasil: services.BarisDinilai | None = None
    if form.is_valid():
        try:
            hasil = services.nilai_baris(
                pk,
                request.user,
                form.cleaned_data["rating"] or None,
                form.cleaned_data["catatan"],
                rhk_row_id=rhk_row_id,
                kode=kode,
                versi=_versi(request),
            )
        except Evaluasi.DoesNotExist:
            raise Http404("Evaluasi tidak ditemukan.") from None
        except RatingRhk.DoesNotExist:
            raise Http404("RHK tidak ditemukan pada evaluasi ini.") from None
        except RatingPerilaku.DoesNotExist:
            raise Http404("Nilai BerAKHLAK tidak dikenal.") from None
        except ValidationError as e:
            exc = e
    else:
        exc = ValidationError(_galat_form(form))
    if not request.htmx:
        if exc is None:
            messages.success(request, "Tersimpan.")
        else:
            _evaluasi(request, pk)  # an invalid form was not checked yet: 404 / 403 as the page
            for m in _pesan(exc):
                messages.error(request, m)
        return redirect("penilaian:evaluasi", pk=pk)
    if hasil is not None:
        ev, rows, perilaku = hasil.evaluasi, hasil.rhk, hasil.perilaku
    else:
        ev = _evaluasi(request, pk)
        rows = list(ev.rating_rhk.order_by("urutan", "pk"))
        perilaku = list(ev.rating_perilaku_set.order_by("pk"))
    h = sel.halaman_baris(ev, request.user, rows, perilaku, peran_evaluasi(ev, request.user))
    return _jawab_nilai(request, h, exc, rhk_row_id=rhk_row_id, kode=kode)


def _jawab_nilai(
    request: HttpRequest,
    h: sel.HalamanEvaluasi,
    exc: ValidationError | None,
    *,
    rhk_row_id: int | None,
    kode: str | None,
) -> HttpResponse:
    """The htmx answer to a rating of one row: the row's form (saved, or refused with the errors and the
    values sent) and, out of band, its badge, the page's ``versi``, header, counters and suggestions."""
    b: sel.BarisRhkEvaluasi | sel.BarisPerilaku
    if rhk_row_id is not None:
        found_rhk = next((x for x in h.rhk if x.row.pk == rhk_row_id), None)
        if found_rhk is None:
            raise Http404("RHK tidak ditemukan pada evaluasi ini.")
        b, template, make_form = found_rhk, "_respon_rhk_nilai.html", _form_rhk
    else:
        found = next((x for x in h.perilaku if x.row.kode == kode), None)
        if found is None:
            raise Http404("Nilai BerAKHLAK tidak dikenal.")
        b, template, make_form = found, "_respon_perilaku_nilai.html", _form_perilaku
    _tandai_hasil(b, exc)
    if h.bisa_nilai:
        if exc is None:
            b.form = make_form(b)  # type: ignore[arg-type]
        else:
            form = make_form(b, request.POST)  # type: ignore[arg-type]
            form.is_valid()
            apply_errors(form, exc)
            b.form = form
    ev = h.evaluasi
    return render(request, T + template, {"h": h, "ev": ev, "b": b, "p": b, "oob": True})


@login_required
@require_POST
def tanpa_realisasi(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    """The penilai marks (or unmarks) an RHK "tidak ada realisasi" with a reason (htmx row)."""
    ev = _evaluasi(request, pk)
    row = get_object_or_404(ev.rating_rhk.select_related("rhk"), pk=row_id)
    form = TanpaRealisasiForm(request.POST)
    form.is_valid()
    exc: ValidationError | None = None
    tersimpan: Evaluasi | None = None
    if row.rhk is None:
        exc = ValidationError({"alasan": "RHK ini sudah dihapus dari SKP; buka ulang evaluasi."})
    else:
        try:
            tersimpan = services.mark_tanpa_realisasi(
                ev,
                row.rhk,
                form.cleaned_data.get("alasan", ""),
                request.user,
                tanpa=bool(form.cleaned_data.get("tanpa")),
                versi=_versi(request),
            )
        except ValidationError as e:
            exc = e
    return _jawab_baris(
        request,
        ev,
        "_respon_rhk.html",
        lambda h: _baris_rhk(h, row_id),
        exc,
        request.POST,
        "form_tanpa",
        _form_tanpa,
        tersimpan,
    )


@login_required
@require_POST
def rate_perilaku(request: HttpRequest, pk: int, kode: str) -> HttpResponse:
    """The penilai rates one BerAKHLAK value (htmx: the value's form, its badge and the page's header)."""
    return _nilai_baris(request, pk, RatingPerilakuForm, kode=kode.upper())


def _putuskan(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    nama_form: str,
    aksi: Callable[[Evaluasi, dict[str, Any]], Evaluasi],
    pesan: Callable[[Evaluasi], str],
    *,
    wajib_valid: bool = True,
) -> HttpResponse:
    """One decision on the page, taken by ``aksi`` on the form's cleaned data: an invalid form (when
    ``wajib_valid``) or a ValidationError shows the page again with the errors on its form. Without
    ``wajib_valid`` the service judges what is missing (a reason)."""
    ev = _evaluasi(request, pk)
    form = form_class(request.POST)
    if not form.is_valid() and wajib_valid:
        return _render(request, ev, **{nama_form: form})
    try:
        ev = aksi(ev, form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render(request, sel.evaluasi_qs().get(pk=ev.pk), **{nama_form: form})
    messages.success(request, pesan(ev))
    return redirect("penilaian:evaluasi", pk=ev.pk)


@login_required
@require_POST
def tetapkan(request: HttpRequest, pk: int) -> HttpResponse:
    """The penilai accepts the suggestions or overrides them with a written reason."""
    return _putuskan(
        request,
        pk,
        TetapkanForm,
        "form_tetapkan",
        lambda ev, d: services.set_rating(
            ev,
            request.user,
            d["rating_hasil"] or None,
            d["alasan_hasil"],
            d["rating_perilaku"] or None,
            d["alasan_perilaku"],
            catatan=d["catatan"],
            rekomendasi=d["rekomendasi"],
            versi=_versi(request),
        ),
        lambda ev: f"Rating ditetapkan. Predikat kinerja {ev.pegawai_nama}: {ev.get_predikat_display()}.",
    )


@login_required
@require_POST
def sesuaikan(request: HttpRequest, pk: int) -> HttpResponse:
    """The atasan pejabat penilai adjusts a rating, with a reason."""
    return _putuskan(
        request,
        pk,
        SesuaikanForm,
        "form_sesuaikan",
        lambda ev, d: services.adjust_by_atasan(
            ev,
            request.user,
            d["alasan"],
            d["rating_hasil"] or None,
            d["rating_perilaku"] or None,
            versi=_versi(request),
        ),
        lambda ev: f"Rating disesuaikan. Predikat kinerja: {ev.get_predikat_display()}.",
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin kepegawaian reopens a final evaluation, with a reason."""
    return _putuskan(
        request,
        pk,
        BukaKembaliForm,
        "form_buka",
        lambda ev, d: services.reopen(ev, request.user, d.get("alasan", "")),
        lambda ev: "Evaluasi dibuka kembali; pejabat penilai dapat mengubah dan memfinalisasinya lagi.",
        wajib_valid=False,
    )


@login_required
@require_POST
def buka_kunci(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin kepegawaian unlocks the ratings of an evaluation after its deadline, with a reason."""
    return _putuskan(
        request,
        pk,
        BukaKunciForm,
        "form_buka_kunci",
        lambda ev, d: services.unlock_evaluasi(ev, request.user, d.get("alasan", "")),
        lambda ev: (
            f"Kunci evaluasi dibuka sampai {format_waktu(timezone.localtime(ev.kunci_dibuka_sampai))}; "
            "pejabat penilai dapat mengubah rating."
        ),
        wajib_valid=False,
    )
