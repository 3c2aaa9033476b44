"""SKP pages: "SKP saya", the SKP page with its htmx editing and workflow, the penilai's inbox, and the
admin's progress per unit. Thin: parse, check permission, call a service or selector, render.

The services decide who may write (owner edits a draft, penilai approves, ...) and raise PermissionDenied
(→ 403) or ValidationError (shown at the field or as a message). Views check `perencanaan.view_skp` first so
nobody learns anything about an SKP they may not see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from kinerja.common.akses import first_visible
from kinerja.common.forms import apply_errors
from kinerja.common.pengguna import pegawai_sendiri
from kinerja.common.tanggal import tanggal_panjang
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import UnitKerja
from kinerja.perencanaan import selectors, services
from kinerja.perencanaan.models import Indikator, PustakaEkspektasi, Rhk, Skp, SkpLampiran
from kinerja.perencanaan.skp import selectors as selectors_skp
from kinerja.perencanaan.skp import services as services_skp
from kinerja.perencanaan.skp.forms import EkspektasiForm, IndikatorForm, KembalikanForm, LampiranForm, RhkForm
from kinerja.permissions import admin_instansi, allowed, is_pemilik, is_penilai_of_skp, peran_skp
from kinerja.rules import Aspek, JenisRhk, Perspektif, alur
from kinerja.rules import skp as skp_rules
from kinerja.rules.alur import Aksi, Peran, Status
from kinerja.rules.perilaku import BERAKHLAK

T = "perencanaan/skp/"


# --- loading and permission -----------------------------------------------------------------------------


def _skp(request: HttpRequest, pk: int, halaman: bool = False) -> Skp:
    """The SKP if the user may see it (404 when it does not exist, 403 when it is not theirs to see).

    `halaman`: for the SKP page or one of its sections, whose contents are read afterwards
    (`selectors_skp.isi_skp`, once the user may see them): with who approved it, without the periods."""
    qs = Skp.objects.filter(pk=pk).select_related("periode", "pegawai", "jabatan").order_by()
    if halaman:
        qs = qs.select_related("disetujui_oleh__pegawai")
    else:
        qs = qs.prefetch_related("periode__periode_penilaian")
    skp = first_visible(
        qs, request.user, "perencanaan.view_skp", "SKP tidak ditemukan.", "Anda tidak berhak melihat SKP ini."
    )
    if is_pemilik(request.user, skp):
        request.user.pegawai = skp.pegawai  # type: ignore[union-attr]  # the owner's own, already loaded
    return skp  # type: ignore[no-any-return]


def _pemilik_dapat_ubah(request: HttpRequest, skp: Skp) -> bool:
    """403 for anyone but the owner; False when the owner may not edit now (status)."""
    if Peran.PEMILIK not in peran_skp(skp, request.user):
        raise PermissionDenied("Hanya pemilik SKP yang dapat mengubah isinya.")
    return alur.dapat_diubah(skp.status_enum)


def _pdf_url(skp: Skp) -> str | None:
    try:
        return reverse("dokumen:skp_pdf", args=[skp.pk])
    except NoReverseMatch:
        return None


def _ttd_url(request: HttpRequest, skp: Skp) -> str | None:
    """The signing page of the approved SKP, when the user must sign it now (docs/rules.md §29.5)."""
    # The rule itself (not has_perm): a superuser signs nobody's SKP.
    if skp.status != Status.DISETUJUI.value or not allowed(request.user, "dokumen.sign_skp", skp):
        return None
    try:
        return reverse("dokumen:ttd_skp", args=[skp.pk])
    except NoReverseMatch:
        return None


# --- what the SKP page shows --------------------------------------------------------------------------


SETIAP = {"bulanan": "Setiap bulan", "triwulanan": "Setiap triwulan", "semesteran": "Setiap semester"}


def _target_periode(skp: Skp, indikator: Indikator, nama: dict[int, str]) -> list[tuple[str, str]]:
    """Per-periode targets as (periode name, shown value); one "Setiap triwulan" row when all are equal.
    The indikator comes from `selectors_skp.rhk_skp` (its `daftar_target`)."""
    rows = []
    for t in indikator.daftar_target:
        if t.target_angka is not None:
            nilai = f"{t.target_angka.normalize():f} {indikator.satuan}".strip()
        else:
            nilai = t.target_teks
        rows.append((nama.get(t.nomor, f"Periode {t.nomor}"), nilai))
    return _ringkas_periode(rows, skp.periode.skema)


def _ringkas_periode(rows: list[tuple[str, str]], skema: str) -> list[tuple[str, str]]:
    isi = {v for _, v in rows if v}
    if len(rows) > 1 and len(isi) == 1 and all(v for _, v in rows):
        return [(SETIAP.get(skema, "Setiap periode"), isi.pop())]
    return rows


def _siapkan_rhk(
    skp: Skp, isi: selectors_skp.IsiSkp, peringatan: dict[int, list[str]] | None = None
) -> tuple[list[Rhk], list[Rhk]]:
    """RHK utama and tambahan, each numbered and carrying its wording warnings and per-periode targets."""
    peringatan = peringatan or {}
    utama, tambahan = [], []
    for r in isi.rhk:
        kelompok = utama if r.jenis == JenisRhk.UTAMA.value else tambahan
        kelompok.append(r)
        r.nomor = len(kelompok)
        r.peringatan = peringatan.get(r.pk) or skp_rules.peringatan_rhk(r.teks)
        for i in r.daftar_indikator:
            i.targets = _target_periode(skp, i, isi.nama_periode)
    return utama, tambahan


def _konteks(
    request: HttpRequest,
    skp: Skp,
    isi: selectors_skp.IsiSkp,
    roles: set[Peran] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """What every part of the SKP page needs (`skp` from `_skp(..., halaman=True)`, `isi` its contents);
    `roles`: the user's roles on it when already asked."""
    roles = peran_skp(skp, request.user) if roles is None else roles
    pemilik, penyetuju = Peran.PEMILIK in roles, Peran.PENYETUJU in roles
    dapat_ubah = pemilik and alur.dapat_diubah(skp.status_enum)
    utama, tambahan = _siapkan_rhk(skp, isi, extra.pop("peringatan", None))
    for r in utama + tambahan:
        if r.pk in extra.get("galat", {}):
            r.galat = extra["galat"][r.pk]
    ctx: dict[str, Any] = {
        "nav": "skp",
        "skp": skp,
        "pemilik": pemilik,
        "penyetuju": penyetuju,
        "dapat_ubah": dapat_ubah,
        "dapat_ekspektasi": penyetuju and skp.status != Status.DISETUJUI.value,
        "rhk_utama": utama,
        "rhk_tambahan": tambahan,
        "kosong": not utama and not tambahan,
        "masalah": selectors.masalah_pengajuan(skp, isi.rhk) if alur.dapat_diubah(skp.status_enum) else [],
    }
    ctx.update(extra)
    return ctx


def _aksi(skp: Skp, roles: set[Peran]) -> list[Aksi]:
    """The workflow actions a user with these roles may take on the SKP now (owner's first, then the
    penilai's)."""
    return [
        a
        for peran in (Peran.PEMILIK, Peran.PENYETUJU)
        if peran in roles
        for a in alur.aksi_tersedia(skp.status_enum, peran)
    ]


def _perilaku(isi: selectors_skp.IsiSkp) -> list[dict[str, Any]]:
    ada = {p.kode: p for p in isi.perilaku}
    return [{"nilai": n, "obj": ada.get(n.kode)} for n in BERAKHLAK]


def _lampiran(
    isi: selectors_skp.IsiSkp, dapat_ubah: bool, forms: dict[str, LampiranForm] | None = None
) -> list[dict[str, Any]]:
    """The three parts of the lampiran, each with its items and, for an owner who may edit, its form."""
    forms = forms or {}
    return [
        {
            "jenis": jenis,
            "label": label,
            "items": [lam for lam in isi.lampiran if lam.jenis == jenis],
            "form": (forms.get(jenis) or LampiranForm(jenis=jenis)) if dapat_ubah else None,
        }
        for jenis, label in SkpLampiran.Jenis.choices
    ]


def _panel_penilai(skp: Skp, isi: selectors_skp.IsiSkp) -> dict[str, Any]:
    """For the penilai: their own RHK, each with this SKP's RHK that intervene it (side by side)."""
    milik_skp = isi.rhk
    baris = [
        (induk, [r for r in milik_skp if r.intervensi_id == induk.pk])
        for induk in services.pilihan_intervensi(skp).select_related(None).only("teks", "jenis")
    ]
    tanpa_induk = [r for r in milik_skp if r.intervensi_id is None and r.jenis == JenisRhk.UTAMA.value]
    return {"panel_rhk": baris, "panel_tanpa_induk": tanpa_induk}


def _riwayat(skp: Skp) -> dict[str, Any]:
    """The history panel: the workflow log, the approved versions, the latest changes of the content."""
    return {
        "log": list(skp.log.select_related("oleh__pegawai")),
        "versi": list(skp.versi.defer("data").select_related("disetujui_oleh__pegawai")),
        "perubahan": selectors_skp.perubahan_skp(skp),
    }


# --- SKP saya -----------------------------------------------------------------------------------------


@login_required
def saya(request: HttpRequest) -> HttpResponse:
    """The pegawai's SKP of the current periode: status, deadline, what is missing, the actions."""
    pegawai = request.user.pegawai if request.user.pegawai_id else None
    if pegawai is None:
        return render(request, T + "saya.html", {"nav": "skp", "tanpa_pegawai": True})
    ringkasan = selectors_skp.ringkasan_skp(pegawai)
    ctx: dict[str, Any] = {"nav": "skp", "ringkasan": ringkasan, "skp": ringkasan.skp}
    skp = ringkasan.skp
    if skp is not None:
        ctx["aksi"] = _aksi(skp, peran_skp(skp, request.user))
        ctx["dapat_ubah"] = alur.dapat_diubah(skp.status_enum)
        ctx["pdf_url"] = _pdf_url(skp) if skp.status == Status.DISETUJUI.value else None
        ctx.update(_tawaran_awal(skp, kosong=not skp.rhk.all()))
        # A new jabatan or penilai since this SKP was made needs a new SKP (the old one keeps its months).
        rantai = org.rantai_penilai(pegawai)
        utama = org.jabatan_utama(pegawai)
        penilai_id = rantai.penilai.pegawai.pk if rantai.penilai else None
        ctx["perlu_skp_baru"] = utama is not None and (
            utama.pk != skp.penempatan_id or penilai_id != skp.penilai_id
        )
        ctx["rantai"] = rantai
    elif ringkasan.periode is not None:
        ctx["rantai"] = org.rantai_penilai(pegawai)
    return render(request, T + "saya.html", ctx)


def _tawaran_awal(skp: Skp, kosong: bool) -> dict[str, bool]:
    """On an empty draft (`kosong`: it has no RHK): may it start from last year's SKP, or from the
    penilai's RHK?"""
    if not alur.dapat_diubah(skp.status_enum) or not kosong:
        return {"tawar_salin": False, "tawar_isi": False}
    return {
        "tawar_salin": Skp.objects.filter(
            pegawai_id=skp.pegawai_id, periode__tahun=skp.periode.tahun - 1
        ).exists(),
        "tawar_isi": services.pilihan_intervensi(skp).filter(jenis=JenisRhk.UTAMA.value).exists(),
    }


@login_required
@require_POST
def buat(request: HttpRequest) -> HttpResponse:
    pegawai = pegawai_sendiri(request.user, "Akun ini tidak terhubung dengan data pegawai.")
    periode = selectors.periode_berjalan(pegawai.instansi)
    if periode is None:
        messages.error(request, "Belum ada periode kinerja. Hubungi admin kepegawaian.")
        return redirect("skp:saya")
    try:
        skp = services.create_skp(pegawai, periode, request.user)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("skp:saya")
    messages.success(
        request,
        f"SKP tahun {periode.tahun} dibuat sebagai draft dengan pejabat penilai "
        f"{skp.penilai_nama or '(admin kepegawaian)'}. Isi RHK dan indikatornya, lalu ajukan.",
    )
    return redirect("skp:detail", pk=skp.pk)


def _isi_rhk(
    request: HttpRequest, skp: Skp, isi: Callable[[], int], pesan: Callable[[int], str]
) -> HttpResponse:
    """Fill the SKP with RHK in one go; say how many, or why not, on the SKP page."""
    try:
        n = isi()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, pesan(n))
    return redirect("skp:detail", pk=skp.pk)


@login_required
@require_POST
def salin(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _skp(request, pk)
    return _isi_rhk(
        request,
        skp,
        lambda: services.copy_from_last_year(skp, request.user),
        lambda n: (
            f"{n} RHK beserta indikator dan lampiran disalin dari SKP tahun {skp.periode.tahun - 1}. "
            "Pilih RHK pimpinan yang diintervensi untuk setiap RHK utama dan sesuaikan targetnya."
        ),
    )


@login_required
@require_POST
def fill_atasan(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _skp(request, pk)
    return _isi_rhk(
        request,
        skp,
        lambda: services.fill_from_rhk_atasan(skp, request.user),
        lambda n: (
            f"{n} RHK dibuat dari RHK {skp.penilai_nama}, masing-masing sudah terhubung ke RHK yang "
            "diintervensi. Tulis ulang setiap RHK sebagai kontribusi Anda dan tambahkan indikatornya."
        ),
    )


# --- the SKP page -------------------------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _skp(request, pk, halaman=True)
    isi = selectors_skp.isi_skp(skp)
    roles = peran_skp(skp, request.user)
    ctx = _konteks(request, skp, isi, roles)
    ctx["perilaku"] = _perilaku(isi)
    ctx["lampiran"] = _lampiran(isi, ctx["dapat_ubah"])
    ctx["pdf_url"] = _pdf_url(skp)
    ctx["ttd_url"] = _ttd_url(request, skp)
    ctx["aksi"] = _aksi(skp, roles)
    if Aksi.KEMBALIKAN in ctx["aksi"]:
        ctx["kembalikan_form"] = KembalikanForm()
    ctx["identitas"] = [
        (
            "Pegawai yang dinilai",
            skp.pegawai_nama,
            skp.pegawai_nip,
            skp.pegawai_pangkat,
            skp.pegawai_jabatan,
            skp.pegawai_unit,
        ),
        (
            "Pejabat penilai kinerja",
            skp.penilai_nama,
            skp.penilai_nip,
            skp.penilai_pangkat,
            skp.penilai_jabatan_nama,
            skp.penilai_unit,
        ),
        (
            "Atasan pejabat penilai kinerja",
            skp.atasan_nama,
            skp.atasan_nip,
            skp.atasan_pangkat,
            skp.atasan_jabatan_nama,
            skp.atasan_unit,
        ),
    ]
    ctx["panel_rhk"] = None
    if is_penilai_of_skp(request.user, skp):
        ctx.update(_panel_penilai(skp, isi))
    if ctx["dapat_ubah"]:
        ctx.update(_tawaran_awal(skp, kosong=ctx["kosong"]))
    return render(request, T + "detail.html", ctx)


@login_required
def riwayat(request: HttpRequest, pk: int) -> HttpResponse:
    """The history panel of the SKP page, loaded when it is opened (htmx); without htmx, a page of its own."""
    skp = _skp(request, pk)
    pemilik = Peran.PEMILIK in peran_skp(skp, request.user)
    ctx = {"nav": "skp", "skp": skp, "pemilik": pemilik, **_riwayat(skp)}
    return render(request, T + ("_riwayat_isi.html" if request.htmx else "riwayat.html"), ctx)


@login_required
def versi(request: HttpRequest, pk: int, revisi: int) -> HttpResponse:
    """An approved revision as it was approved (the stored snapshot), read-only."""
    skp = _skp(request, pk)
    v = get_object_or_404(skp.versi.select_related("disetujui_oleh__pegawai"), revisi=revisi)
    data = v.data
    nama_periode = {str(p.nomor): p.nama for p in skp.periode.periode_penilaian.all()}
    aspek = dict(Aspek.choices())
    perspektif = dict(Perspektif.choices())
    kategori = dict(SkpLampiran.Kategori.choices)
    rhk = data.get("rhk", [])
    for r in rhk:
        r["perspektif"] = perspektif.get(r.get("perspektif") or "", r.get("perspektif") or "")
        for i in r.get("indikator", []):
            i["aspek"] = aspek.get(i.get("aspek", ""), i.get("aspek", ""))
            i["targets"] = _ringkas_periode(
                [(nama_periode.get(str(n), f"Periode {n}"), t) for n, t in (i.get("periode") or {}).items()],
                skp.periode.skema,
            )
    for lam in data.get("lampiran", []):
        lam["kategori_label"] = kategori.get(lam.get("kategori") or "", "")
    ekspektasi = data.get("perilaku", {})
    return render(
        request,
        T + "versi.html",
        {
            "nav": "skp",
            "skp": skp,
            "v": v,
            "data": data,
            "mulai": _tanggal(data.get("mulai")),
            "selesai": _tanggal(data.get("selesai")),
            "identitas": [
                ("Pegawai yang dinilai", data.get("pegawai", {})),
                ("Pejabat penilai kinerja", data.get("penilai", {})),
            ],
            "hasil": [
                ("RHK utama", [r for r in rhk if r.get("jenis") == JenisRhk.UTAMA.value], "A"),
                ("RHK tambahan", [r for r in rhk if r.get("jenis") != JenisRhk.UTAMA.value], "B"),
            ],
            "perilaku": [{"nilai": n, "ekspektasi": ekspektasi.get(n.kode, "")} for n in BERAKHLAK],
            "lampiran": [
                (label, [lam for lam in data.get("lampiran", []) if lam.get("jenis") == jenis])
                for jenis, label in SkpLampiran.Jenis.choices
            ],
            "semua_versi": list(skp.versi.defer("data").order_by("-revisi")),
        },
    )


def _tanggal(iso: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


AKSI_PESAN = {
    Aksi.AJUKAN: "SKP diajukan kepada {penilai} untuk disetujui.",
    Aksi.TARIK: "Pengajuan ditarik; SKP kembali menjadi draft dan dapat diubah.",
    Aksi.SETUJUI: "SKP {pegawai} revisi {revisi} disetujui.",
    Aksi.KEMBALIKAN: "SKP {pegawai} dikembalikan dengan catatan untuk diperbaiki.",
    Aksi.AJUKAN_PERUBAHAN: "Revisi {revisi} dibuka sebagai draft. Versi yang disetujui tetap tersimpan.",
}


@login_required
@require_POST
def aksi(request: HttpRequest, pk: int, aksi: str) -> HttpResponse:
    """A workflow step (ajukan, tarik, setujui, kembalikan, ajukan perubahan) through the services."""
    skp = _skp(request, pk)
    try:
        langkah = Aksi(aksi)
    except ValueError:
        raise Http404("Aksi tidak dikenal.") from None
    catatan = request.POST.get("catatan", "") if langkah is Aksi.KEMBALIKAN else ""
    try:
        skp = services_skp.run_skp(skp, request.user, langkah, catatan)
    except ValidationError as exc:
        judul = "SKP belum dapat diajukan: " if langkah is Aksi.AJUKAN else ""
        messages.error(request, judul + " ".join(exc.messages))
        return redirect("skp:detail", pk=skp.pk)
    pesan = AKSI_PESAN[langkah].format(
        penilai=skp.penilai_nama or "admin kepegawaian", pegawai=skp.pegawai_nama, revisi=skp.revisi
    )
    if langkah is Aksi.AJUKAN and skp.terlambat:
        pesan += f" Pengajuan melewati batas {tanggal_panjang(skp.batas)} dan dicatat terlambat."
    messages.success(request, pesan)
    if langkah in (Aksi.SETUJUI, Aksi.KEMBALIKAN) and is_penilai_of_skp(request.user, skp):
        return redirect("skp:persetujuan")
    return redirect("skp:detail", pk=skp.pk)


# --- htmx: hasil kerja (RHK and indikator) ----------------------------------------------------------------


def _hasil_kerja(request: HttpRequest, pk: int, **extra: Any) -> HttpResponse:
    """The whole hasil kerja section after a change, plus the checklist and history panels out-of-band."""
    if not request.htmx:
        return redirect("skp:detail", pk=pk)
    skp = _skp(request, pk, halaman=True)
    ctx = _konteks(request, skp, selectors_skp.isi_skp(skp), oob=True, **extra)
    ctx["perubahan"] = selectors_skp.perubahan_skp(skp)
    if ctx["dapat_ubah"]:
        ctx.update(_tawaran_awal(skp, kosong=ctx["kosong"]))
    return render(request, T + "_hasil_kerja.html", ctx)


def _rhk_lengkap(skp: Skp, rhk_id: int) -> Rhk:
    """One RHK of the SKP as its card shows it (404 when it is not this SKP's)."""
    rhk = next(iter(selectors_skp.rhk_skp(skp.pk, rhk_id)), None)
    if rhk is None:
        raise Http404("RHK tidak ditemukan.")
    ids = list(skp.rhk.filter(jenis=rhk.jenis).order_by("urutan", "pk").values_list("pk", flat=True))
    rhk.nomor = ids.index(rhk.pk) + 1
    rhk.peringatan = skp_rules.peringatan_rhk(rhk.teks)
    periode = {p.nomor: p.nama for p in skp.periode.periode_penilaian.all()}
    for i in rhk.daftar_indikator:
        i.targets = _target_periode(skp, i, periode)
    return rhk


def _kartu(request: HttpRequest, skp: Skp, rhk: Rhk, **ctx: Any) -> HttpResponse:
    """One RHK card (optionally with an open form); on a form error it replaces the card in place."""
    response = render(
        request,
        T + "_rhk.html",
        {"skp": skp, "rhk": rhk, "dapat_ubah": True, **ctx},
    )
    if request.method == "POST":
        retarget(response, f"#rhk-{rhk.pk}")
        reswap(response, "outerHTML")
    return response


@login_required
def rhk_tambah(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _skp(request, pk)
    if not _pemilik_dapat_ubah(request, skp):
        return _hasil_kerja(request, pk)
    form = RhkForm(request.POST or None, skp=skp)
    if request.method == "POST" and form.is_valid():
        try:
            rhk, peringatan = services_skp.PengubahSkp(skp, request.user).save_rhk(**form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _hasil_kerja(request, pk, peringatan={rhk.pk: peringatan}, disorot=rhk.pk)
    if request.method == "GET" and request.GET.get("batal"):
        form = None  # "Batal": back to the "Tambah RHK" button
    response = render(request, T + "_rhk_baru.html", {"skp": skp, "form": form})
    if request.method == "POST":
        retarget(response, "#rhk-baru")
        reswap(response, "innerHTML")
    return response


@login_required
def rhk_kartu(request: HttpRequest, pk: int, rhk_id: int) -> HttpResponse:
    """One RHK card as shown (used by "Batal" on the card's forms)."""
    skp = _skp(request, pk)
    rhk = _rhk_lengkap(skp, rhk_id)
    dapat_ubah = Peran.PEMILIK in peran_skp(skp, request.user) and alur.dapat_diubah(skp.status_enum)
    return render(request, T + "_rhk.html", {"skp": skp, "rhk": rhk, "dapat_ubah": dapat_ubah})


@login_required
def rhk_ubah(request: HttpRequest, pk: int, rhk_id: int) -> HttpResponse:
    skp = _skp(request, pk)
    if not _pemilik_dapat_ubah(request, skp):
        return _hasil_kerja(request, pk)
    rhk = _rhk_lengkap(skp, rhk_id)
    initial = {
        "teks": rhk.teks,
        "jenis": rhk.jenis,
        "intervensi": rhk.intervensi_id,
        "pk_indikator": rhk.pk_indikator_id,
        "perspektif": rhk.perspektif,
    }
    form = RhkForm(request.POST or None, skp=skp, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            simpan = Rhk.objects.get(pk=rhk.pk)
            _, peringatan = services_skp.PengubahSkp(skp, request.user).save_rhk(
                simpan, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _hasil_kerja(request, pk, peringatan={rhk.pk: peringatan}, disorot=rhk.pk)
    return _kartu(request, skp, rhk, mode="rhk", form=form)


@login_required
@require_POST
def rhk_hapus(request: HttpRequest, pk: int, rhk_id: int) -> HttpResponse:
    skp = _skp(request, pk)
    rhk = get_object_or_404(Rhk.objects.select_related("skp"), pk=rhk_id, skp=skp)
    try:
        services_skp.PengubahSkp(skp, request.user).delete_rhk(rhk)
    except ValidationError as exc:
        return _hasil_kerja(request, pk, galat={rhk_id: " ".join(exc.messages)})
    return _hasil_kerja(request, pk)


@login_required
def indikator_tambah(request: HttpRequest, pk: int, rhk_id: int) -> HttpResponse:
    skp = _skp(request, pk)
    if not _pemilik_dapat_ubah(request, skp):
        return _hasil_kerja(request, pk)
    rhk = _rhk_lengkap(skp, rhk_id)
    periode_list = list(skp.periode.periode_penilaian.all())
    form = IndikatorForm(request.POST or None, skp=skp, periode_list=periode_list)
    if request.method == "POST" and form.is_valid():
        try:
            simpan = Rhk.objects.select_related("skp__periode").get(pk=rhk.pk)
            services_skp.PengubahSkp(skp, request.user).save_indikator(simpan, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _hasil_kerja(request, pk, disorot=rhk.pk)
    return _kartu(request, skp, rhk, mode="indikator_baru", form=form)


@login_required
def indikator_ubah(request: HttpRequest, pk: int, indikator_id: int) -> HttpResponse:
    skp = _skp(request, pk)
    if not _pemilik_dapat_ubah(request, skp):
        return _hasil_kerja(request, pk)
    indikator = get_object_or_404(
        Indikator.objects.prefetch_related("target_periode"), pk=indikator_id, rhk__skp=skp
    )
    rhk = _rhk_lengkap(skp, indikator.rhk_id)
    periode_list = list(skp.periode.periode_penilaian.all())
    form = IndikatorForm(
        request.POST or None,
        skp=skp,
        periode_list=periode_list,
        initial=IndikatorForm.initial_from(indikator),
    )
    if request.method == "POST" and form.is_valid():
        try:
            simpan = Rhk.objects.select_related("skp__periode").get(pk=rhk.pk)
            services_skp.PengubahSkp(skp, request.user).save_indikator(
                simpan, indikator, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _hasil_kerja(request, pk, disorot=rhk.pk)
    return _kartu(request, skp, rhk, mode="indikator", edit_id=indikator.pk, form=form)


@login_required
@require_POST
def indikator_hapus(request: HttpRequest, pk: int, indikator_id: int) -> HttpResponse:
    skp = _skp(request, pk)
    indikator = get_object_or_404(Indikator.objects.select_related("rhk__skp"), pk=indikator_id, rhk__skp=skp)
    try:
        services_skp.PengubahSkp(skp, request.user).delete_indikator(indikator)
    except ValidationError as exc:
        return _hasil_kerja(request, pk, galat={indikator.rhk_id: " ".join(exc.messages)})
    return _hasil_kerja(request, pk, disorot=indikator.rhk_id)


# --- htmx: lampiran and perilaku ------------------------------------------------------------------------


def _bagian_lampiran(
    request: HttpRequest, skp: Skp, forms: dict[str, LampiranForm] | None = None
) -> HttpResponse:
    if not request.htmx:
        return redirect("skp:detail", pk=skp.pk)
    skp = _skp(request, skp.pk, halaman=True)
    isi = selectors_skp.isi_skp(skp)
    ctx = _konteks(request, skp, isi)
    ctx["lampiran"] = _lampiran(isi, ctx["dapat_ubah"], forms)
    return render(request, T + "_lampiran.html", ctx)


@login_required
@require_POST
def lampiran_tambah(request: HttpRequest, pk: int, jenis: str) -> HttpResponse:
    skp = _skp(request, pk)
    if jenis not in SkpLampiran.Jenis.values:
        raise Http404("Jenis lampiran tidak dikenal.")
    form = LampiranForm(request.POST, jenis=jenis)
    if form.is_valid():
        try:
            services_skp.PengubahSkp(skp, request.user).save_lampiran(
                jenis=jenis,
                teks=form.cleaned_data["teks"],
                kategori=form.cleaned_data.get("kategori") or "",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _bagian_lampiran(request, skp)
    return _bagian_lampiran(request, skp, {jenis: form})


@login_required
@require_POST
def lampiran_hapus(request: HttpRequest, pk: int, lampiran_id: int) -> HttpResponse:
    skp = _skp(request, pk)
    lampiran = get_object_or_404(SkpLampiran.objects.select_related("skp"), pk=lampiran_id, skp=skp)
    services_skp.PengubahSkp(skp, request.user).delete_lampiran(lampiran)
    return _bagian_lampiran(request, skp)


@login_required
def ekspektasi(request: HttpRequest, pk: int, kode: str) -> HttpResponse:
    """The penilai writes the ekspektasi khusus of one BerAKHLAK value (htmx: one row of the table)."""
    skp = _skp(request, pk)
    nilai = next((n for n in BERAKHLAK if n.kode == kode), None)
    if nilai is None:
        raise Http404("Nilai perilaku tidak dikenal.")
    if Peran.PENYETUJU not in peran_skp(skp, request.user):
        raise PermissionDenied("Ekspektasi khusus ditulis oleh pejabat penilai.")
    obj = get_object_or_404(skp.perilaku, kode=kode)
    dapat = skp.status != Status.DISETUJUI.value
    ctx: dict[str, Any] = {"skp": skp, "p": {"nilai": nilai, "obj": obj}, "dapat_ekspektasi": dapat}
    if request.method == "POST":
        form = EkspektasiForm(request.POST, kode=kode)
        if form.is_valid():
            try:
                ctx["p"]["obj"] = services.save_ekspektasi(
                    skp, request.user, kode, form.cleaned_data["teks"], form.cleaned_data["simpan_ke_pustaka"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                ctx["tersimpan"] = True
                return render(request, T + "_perilaku_baris.html", ctx)
        ctx.update(edit=True, form=form)
    elif request.GET.get("batal") or not dapat:
        pass
    else:
        ctx.update(edit=True, form=EkspektasiForm(kode=kode, initial={"teks": obj.ekspektasi_khusus}))
    if ctx.get("edit"):
        ctx["pustaka_nilai"] = list(
            PustakaEkspektasi.objects.filter(instansi_id=skp.instansi_id, kode=kode).values_list(
                "teks", flat=True
            )
        )
    return render(request, T + "_perilaku_baris.html", ctx)


# --- penilai: persetujuan --------------------------------------------------------------------------------


@login_required
def persetujuan(request: HttpRequest) -> HttpResponse:
    """SKP awaiting this penilai's agreement, and the SKP status of every bawahan they rate."""
    pegawai = pegawai_sendiri(request.user, "Halaman ini untuk pejabat penilai.")
    periode = selectors.periode_berjalan(pegawai.instansi)
    inbox = list(selectors.inbox_penilai(pegawai))
    # Bulk approval (docs/rules.md §33.7): the reason an SKP may not be picked, for the whole inbox at once.
    alasan = selectors.kelayakan_massal(inbox)
    for s in inbox:
        s.alasan_massal = alasan[s.pk]
    bawahan = selectors_skp.status_bawahan(pegawai, periode) if periode else []
    return render(
        request,
        T + "persetujuan.html",
        {
            "nav": "persetujuan",
            "inbox": inbox,
            "bawahan": bawahan,
            "periode": periode,
            "ada_layak": any(a is None for a in alasan.values()),
        },
    )


def pesan_massal(hasil: services.HasilMassal) -> str:
    """ "n SKP disetujui; m dilewati: <nama> (<alasan>), …" (docs/rules.md §33.7)."""
    pesan = f"{len(hasil.disetujui)} SKP disetujui"
    if hasil.dilewati:
        rincian = ", ".join(f"{nama} ({alasan})" for _, nama, alasan in hasil.dilewati)
        pesan += f"; {len(hasil.dilewati)} dilewati: {rincian}"
    return pesan + "."


@login_required
@require_POST
def setujui_massal(request: HttpRequest) -> HttpResponse:
    """Approve the SKP ticked in the inbox; the service checks each one again (never trusts the form)."""
    pegawai_sendiri(request.user, "Halaman ini untuk pejabat penilai.")
    ids = [int(x) for x in request.POST.getlist("skp") if x.isdigit() and len(x) < 10]
    if not ids:
        messages.error(request, "Pilih SKP yang akan disetujui terlebih dahulu.")
        return redirect("skp:persetujuan")
    hasil = services.approve_skp_massal(ids, request.user)
    (messages.success if not hasil.dilewati else messages.warning)(request, pesan_massal(hasil))
    return redirect("skp:persetujuan")


# --- admin: progres ---------------------------------------------------------------------------------------


def _admin_periode(request: HttpRequest) -> tuple[Any, Any]:
    instansi = admin_instansi(request)
    if not request.user.has_perm("perencanaan.view_progres", instansi):
        raise PermissionDenied("Halaman ini hanya untuk admin kepegawaian.")
    return instansi, selectors.periode_berjalan(instansi)


BATANG = [
    ("disetujui", "bg-success"),
    ("diajukan", "bg-primary"),
    ("dikembalikan", "bg-warning"),
    ("draft", "bg-secondary"),
]


@login_required
def progres(request: HttpRequest) -> HttpResponse:
    instansi, periode = _admin_periode(request)
    rows = selectors.progres_skp(instansi, periode) if periode else []
    for r in rows:
        r.batang = [(s, r.persen(s), warna) for s, warna in BATANG if r.status[s]]
    return render(
        request,
        T + "progres.html",
        {
            "nav": "organisasi",
            "instansi": instansi,
            "periode": periode,
            "rows": rows,
            "total": selectors_skp.total_progres(rows),
        },
    )


@login_required
def progres_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    instansi, periode = _admin_periode(request)
    unit = get_object_or_404(UnitKerja, pk=unit_id, instansi=instansi)
    rows = selectors_skp.pegawai_unit_skp(unit, periode) if periode else []
    return render(
        request,
        T + "progres_unit.html",
        {"nav": "organisasi", "instansi": instansi, "periode": periode, "unit": unit, "rows": rows},
    )
