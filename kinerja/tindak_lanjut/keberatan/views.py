"""Keberatan pages (docs/rules.md §18): filing from the evaluation page, the detail with its timeline and the
forms of each role (penjelasan, decision with a live predikat preview, withdrawal, routing), the lists per
role and the admin's board. Thin: find, check who may see it, call the service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kinerja.common.forms import apply_errors
from kinerja.organisasi.models import Pegawai
from kinerja.penilaian.models import Evaluasi
from kinerja.permissions import admin_instansi, allowed, is_admin_of, is_pemilik
from kinerja.permissions.tindak_lanjut import may_view_keberatan, peran_keberatan
from kinerja.rules.keberatan import Peran, Status
from kinerja.tindak_lanjut.keberatan import selectors as sel
from kinerja.tindak_lanjut.keberatan import services
from kinerja.tindak_lanjut.keberatan.forms import (
    AjukanForm,
    AlihkanForm,
    JelaskanForm,
    PutuskanForm,
    TarikForm,
)
from kinerja.tindak_lanjut.models import Keberatan, LampiranKeberatan

T = "tindak_lanjut/keberatan/"
PER_HALAMAN = 50
INLINE = {"application/pdf", "image/png", "image/jpeg"}


def _keberatan(request: HttpRequest, pk: int) -> Keberatan:
    k = sel.keberatan_qs().filter(pk=pk).first()
    if k is None:
        raise Http404("Keberatan tidak ditemukan.")
    if not may_view_keberatan(request.user, k):
        raise PermissionDenied("Anda tidak berhak melihat keberatan ini.")
    return k


# --- filing ---------------------------------------------------------------------------------------------


@login_required
def ajukan(request: HttpRequest, evaluasi_id: int) -> HttpResponse:
    ev = (
        Evaluasi.objects.select_related("instansi", "periode", "periode_penilaian")
        .filter(pk=evaluasi_id)
        .first()
    )
    if ev is None:
        raise Http404("Evaluasi tidak ditemukan.")
    if not is_pemilik(request.user, ev):
        raise PermissionDenied("Keberatan hanya dapat diajukan oleh pegawai yang dinilai.")
    pengajuan = sel.status_pengajuan(ev)
    form = AjukanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        unggahan = [services.Unggahan(f, f.name, f.size) for f in form.cleaned_data["lampiran"]]
        try:
            k = services.ajukan(ev, request.user, form.cleaned_data["alasan"], unggahan)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Keberatan diajukan. Pejabat penilai akan memberi penjelasan.")
            return redirect("tindak_lanjut:keberatan_detail", pk=k.pk)
    ctx = {"nav": "tindak_lanjut", "ev": ev, "form": form, "pengajuan": pengajuan}
    return render(request, T + "ajukan.html", ctx, status=400 if form.errors else 200)


# --- detail and actions ---------------------------------------------------------------------------------


def _konteks_detail(request: HttpRequest, k: Keberatan, **forms: Any) -> dict[str, Any]:
    hari = sel.hari_ini()
    sel.hiasi([k], hari)
    roles = peran_keberatan(k, request.user)
    admin = is_admin_of(request.user, k.instansi_id)
    terbuka = k.terbuka
    ctx: dict[str, Any] = {
        "nav": "tindak_lanjut",
        "k": k,
        "ev": k.evaluasi,
        "lampiran": list(k.lampiran.all()),
        "peran": {p.value for p in roles},
        "admin": admin,
        "bisa_tarik": terbuka and Peran.PEGAWAI in roles,
        "bisa_jelaskan": k.status == Status.DIAJUKAN.value and Peran.PENILAI in roles,
        "bisa_putuskan": terbuka
        and Peran.PEMUTUS in roles
        and (k.status == Status.DIJELASKAN.value or sel.penjelasan_lewat(k, hari)),
        "menunggu_penjelasan": terbuka and Peran.PEMUTUS in roles and k.status == Status.DIAJUKAN.value,
        "bisa_alihkan": terbuka and admin,
        # The pemutus signs the decision document (docs/rules.md §29.7); asked only of a decided one.
        "ttd_keputusan": not terbuka
        and Peran.PEMUTUS in roles
        and allowed(request.user, "dokumen.sign_keputusan_keberatan", k),
    }
    if ctx["bisa_tarik"]:
        ctx["form_tarik"] = forms.get("form_tarik") or TarikForm()
    if ctx["bisa_jelaskan"]:
        ctx["form_jelaskan"] = forms.get("form_jelaskan") or JelaskanForm()
    if ctx["bisa_putuskan"]:
        form = forms.get("form_putuskan") or PutuskanForm(
            initial={"rating_hasil": k.evaluasi.rating_hasil, "rating_perilaku": k.evaluasi.rating_perilaku}
        )
        ctx["form_putuskan"] = form
        hasil = form["rating_hasil"].value() or k.evaluasi.rating_hasil
        perilaku = form["rating_perilaku"].value() or k.evaluasi.rating_perilaku
        ctx["pratinjau"] = sel.preview_predikat(hasil, perilaku)
    if ctx["bisa_alihkan"]:
        ctx["form_alihkan"] = forms.get("form_alihkan") or AlihkanForm(instansi=k.instansi)
    return ctx


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, T + "detail.html", _konteks_detail(request, _keberatan(request, pk)))


def _aksi(
    request: HttpRequest, pk: int, nama_form: str, form_cls: type, jalankan: Any, berhasil: str
) -> HttpResponse:
    k = _keberatan(request, pk)
    kwargs = {"instansi": k.instansi} if form_cls is AlihkanForm else {}
    form = form_cls(request.POST, **kwargs)
    if form.is_valid():
        try:
            jalankan(k, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, berhasil)
            return redirect("tindak_lanjut:keberatan_detail", pk=k.pk)
    k = _keberatan(request, pk)
    return render(request, T + "detail.html", _konteks_detail(request, k, **{nama_form: form}), status=400)


@require_POST
@login_required
def tarik(request: HttpRequest, pk: int) -> HttpResponse:
    return _aksi(
        request,
        pk,
        "form_tarik",
        TarikForm,
        lambda k, d: services.tarik(k, request.user, d["alasan"]),
        "Keberatan ditarik.",
    )


@require_POST
@login_required
def jelaskan(request: HttpRequest, pk: int) -> HttpResponse:
    return _aksi(
        request,
        pk,
        "form_jelaskan",
        JelaskanForm,
        lambda k, d: services.jelaskan(k, request.user, d["penjelasan"]),
        "Penjelasan disimpan; pemutus keberatan diberi tahu.",
    )


@require_POST
@login_required
def putuskan(request: HttpRequest, pk: int) -> HttpResponse:
    def jalankan(k: Keberatan, d: dict[str, Any]) -> None:
        kabul = d["keputusan"] == Status.DIKABULKAN.value
        # Nothing is saved without the confirmation (it works without JavaScript); others get the 403.
        if not d["konfirmasi"] and Peran.PEMUTUS in peran_keberatan(k, request.user):
            galat = {
                "konfirmasi": "Centang pernyataan bahwa keputusan keberatan bersifat final sebelum "
                "menyimpannya."
            }
            if not d["keputusan"]:
                galat["keputusan"] = "Pilih keputusan: ditolak atau dikabulkan."
            raise ValidationError(galat)
        services.putuskan(
            k,
            request.user,
            d["keputusan"],
            d["pertimbangan"],
            rating_hasil=d["rating_hasil"] if kabul else None,
            rating_perilaku=d["rating_perilaku"] if kabul else None,
        )

    return _aksi(request, pk, "form_putuskan", PutuskanForm, jalankan, "Keputusan keberatan disimpan.")


@require_POST
@login_required
def alihkan(request: HttpRequest, pk: int) -> HttpResponse:
    def jalankan(k: Keberatan, d: dict[str, Any]) -> None:
        if d["pemutus"] is None:
            raise ValidationError({"pemutus": "Pilih pegawai yang memutus keberatan ini."})
        services.reassign_pemutus(k, request.user, d["pemutus"], d["alasan"])

    if not is_admin_of(request.user, _keberatan(request, pk).instansi_id):
        raise PermissionDenied(
            "Pemutus keberatan hanya dapat ditetapkan oleh admin kepegawaian instansi ini."
        )
    if request.POST.get("dari") == "papan":
        return _alihkan_dari_papan(request, pk)
    return _aksi(request, pk, "form_alihkan", AlihkanForm, jalankan, "Pemutus keberatan ditetapkan.")


def _alihkan_dari_papan(request: HttpRequest, pk: int) -> HttpResponse:
    """The routing form on the admin board: errors come back as a message on the board."""
    k = _keberatan(request, pk)
    pemutus = Pegawai.objects.filter(pk=request.POST.get("pemutus") or 0, instansi_id=k.instansi_id).first()
    try:
        if pemutus is None:
            raise ValidationError("Pilih pegawai yang memutus keberatan ini.")
        services.reassign_pemutus(k, request.user, pemutus, request.POST.get("alasan", ""))
    except ValidationError as exc:
        messages.error(request, f"Keberatan {k.pegawai.nama_lengkap}: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Pemutus keberatan {k.pegawai.nama_lengkap}: {pemutus.nama_lengkap}.")
    return redirect("tindak_lanjut:keberatan_instansi")


@require_GET
@login_required
def pratinjau(request: HttpRequest, pk: int) -> HttpResponse:
    """The predikat of the chosen ratings by the kuadran (htmx fragment of the decide form)."""
    k = _keberatan(request, pk)
    if Peran.PEMUTUS not in peran_keberatan(k, request.user):
        raise PermissionDenied("Pratinjau keputusan hanya untuk pemutus keberatan.")
    hasil = request.GET.get("rating_hasil") or k.evaluasi.rating_hasil
    perilaku = request.GET.get("rating_perilaku") or k.evaluasi.rating_perilaku
    predikat = sel.preview_predikat(hasil, perilaku)
    ctx = {
        "k": k,
        "keputusan_dipilih": bool(request.GET.get("keputusan")),
        "pratinjau": predikat,
        "pelanggaran": sel.pola_distribusi_bila_dikabulkan(k, predikat),
    }
    return render(request, T + "_pratinjau.html", ctx)


@require_GET
@login_required
def lampiran(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, after the keberatan's permission check; `?lihat=1` shows a PDF or image inline."""
    lamp = LampiranKeberatan.objects.select_related("keberatan").filter(pk=pk).first()
    if lamp is None:
        raise Http404("Lampiran tidak ditemukan.")
    _keberatan(request, lamp.keberatan_id)
    return download_lampiran(lamp, inline=request.GET.get("lihat") == "1")


def download_lampiran(lamp: LampiranKeberatan, inline: bool = False) -> HttpResponse:
    try:
        f = lamp.berkas.open("rb")
    except FileNotFoundError:
        raise Http404("Berkas tidak ditemukan di penyimpanan.") from None
    inline = inline and lamp.jenis in INLINE
    response = FileResponse(
        f,
        as_attachment=not inline,
        filename=lamp.nama_asli,
        content_type=lamp.jenis or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if lamp.jenis != "application/pdf":
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    response["Cache-Control"] = "private, no-store"
    return response


# --- lists ----------------------------------------------------------------------------------------------

TAB = {
    "saya": "Keberatan saya",
    "penjelasan": "Perlu penjelasan",
    "keputusan": "Perlu keputusan",
}


@login_required
def daftar(request: HttpRequest) -> HttpResponse:
    """Keberatan saya / Perlu penjelasan (penilai) / Perlu keputusan (pemutus); ``?semua=1`` shows the
    decided ones too."""
    user = request.user
    semua = request.GET.get("semua") == "1"
    hari = sel.hari_ini()
    bagian = {
        "saya": sel.milik(user),
        "penjelasan": sel.perlu_penjelasan(user, semua),
        "keputusan": sel.perlu_keputusan(user, semua),
    }
    tab = request.GET.get("tab", "")
    if tab not in bagian:
        tab = next((t for t in ("keputusan", "penjelasan") if bagian[t].exists()), "saya")
    halaman = Paginator(bagian[tab], PER_HALAMAN).get_page(request.GET.get("page"))
    rows = sel.hiasi(list(halaman.object_list), hari)
    ctx = {
        "nav": "tindak_lanjut",
        "tab": tab,
        "tabs": TAB,
        "semua": semua,
        "halaman": halaman,
        "rows": rows,
        "terlambat": sel.jumlah_terlambat(bagian["keputusan"], hari) if tab == "keputusan" else 0,
        "admin": allowed(user, "organisasi.view_org"),
    }
    return render(request, T + "daftar.html", ctx)


@login_required
def instansi(request: HttpRequest) -> HttpResponse:
    """The admin's board: every keberatan of the instansi, filtered by status or overdue."""
    inst = admin_instansi(request)
    status = request.GET.get("status", "")
    terlambat = request.GET.get("terlambat") == "1"
    hari = sel.hari_ini()
    qs = sel.papan_admin(inst, status, terlambat)
    halaman = Paginator(qs, PER_HALAMAN).get_page(request.GET.get("page"))
    rows = sel.hiasi(list(halaman.object_list), hari)
    ctx = {
        "nav": "tindak_lanjut",
        "instansi": inst,
        "status": status,
        "terlambat": terlambat,
        "pilihan_status": [("terbuka", "Belum diputus"), *Status.choices()],
        "halaman": halaman,
        "rows": rows,
        "jumlah_terlambat": sel.jumlah_terlambat(sel.papan_admin(inst), hari),
        "pilihan_pemutus": list(sel.pemutus_tersedia(inst).values_list("pk", "nama", "nip"))
        if any(r.tanpa_pemutus for r in rows)
        else [],
    }
    return render(request, T + "instansi.html", ctx)
