"""Rating group and calibration pages (docs/rules.md §15). Thin: resolve the group, check access, render.

* ``/penilaian/kelompok/?periode=N|akhir[&penilai=<pegawai id>|0][&unit=<id>]``: one rating group (default:
  the logged-in penilai's own; ``penilai=0``: the group without a penilai, rated by the admin; a "unit"
  group is named by ``unit``): capaian organisasi, the pola distribusi chart, the pegawai with their
  ratings, the violations with names, a what-if on another capaian (htmx, nothing saved) and finalisation;
* ``/penilaian/kelompok/what-if/``: the what-if fragment;
* ``/penilaian/kelompok/finalisasi/`` (POST): `services_kelompok.finalise_kelompok`;
* ``/penilaian/kalibrasi/?periode=...``: every group under an atasan (the admin: all), with "Minta revisi"
  (POST ``/penilaian/kalibrasi/minta-revisi/``: a notification to the penilai).

Who may see a group: the permission ``penilaian.view_kelompok`` (`kinerja.permissions`, the same rule as the
API and the penetapan documents); what they may do there: `kinerja.permissions.penilaian.akses_kelompok`.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from kinerja.notifikasi import services as notifikasi
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Instansi, Pegawai, Periode, UnitKerja
from kinerja.penilaian import selectors
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.penilaian.selectors import AnggotaKelompok, Kelompok
from kinerja.permissions import allowed, is_admin_of
from kinerja.permissions.penilaian import AksesKelompok, akses_kelompok, may_set_capaian_unit
from kinerja.rules.evaluasi import ModeFinalisasi, Status, Tahap, TahapEvaluasi
from kinerja.rules.types import CapaianOrganisasi, Predikat

T = "penilaian/kelompok/"


class _TidakMenilai(Exception):
    """The logged-in user rates nobody in the periode (their own group is empty)."""


class _TanpaPeriode(_TidakMenilai):
    """The page names no periode and the instansi has none yet (a new instansi): explained, not a 404."""


def _angka(nilai: str, apa: str) -> int:
    if not nilai.isdigit():
        raise Http404(f"{apa} tidak ditemukan.")
    return int(nilai)


def _resolve(
    request: HttpRequest, data: QueryDict, *, ringkas: bool = False
) -> tuple[Kelompok, sk.PilihanPeriode]:
    """The group named by the request (see the module docstring); 404 for an unknown one. ``ringkas``: its
    evaluations as the plain values a page shows (`selectors.kelompok`), for the reading views."""
    user = request.user
    penilai_p = (data.get("penilai") or "").strip()
    unit_p = (data.get("unit") or "").strip()
    penilai = unit = None
    if penilai_p and penilai_p != "0":
        penilai = get_object_or_404(
            Pegawai.objects.select_related("instansi"), pk=_angka(penilai_p, "Pejabat penilai")
        )
    if unit_p:
        unit = get_object_or_404(
            UnitKerja.objects.select_related("instansi"), pk=_angka(unit_p, "Unit kerja")
        )
    if penilai is not None and unit is not None and penilai.instansi_id != unit.instansi_id:
        raise Http404("Kelompok penilaian tidak ditemukan.")
    asal = penilai or unit
    instansi: Instansi | int | None
    if asal is not None:
        instansi = asal.instansi
    elif user.pegawai_id:
        instansi = user.pegawai.instansi_id  # the instansi comes with the periode (one query less)
    else:
        instansi = sk.instansi_user(user)
    if instansi is None:
        raise PermissionDenied("Halaman ini untuk pejabat penilai, atasannya, dan admin kepegawaian.")
    # A write (POST) must name its periode; a page falls back to the running one.
    pilihan = sk.select_periode(instansi, data.get("periode"), ketat=request.method == "POST")
    if pilihan is None:
        if (
            request.method == "GET"
            and not data.get("periode")
            and not Periode.objects.filter(instansi=instansi).exists()
        ):
            raise _TanpaPeriode
        raise Http404("Periode penilaian tidak dikenal atau belum dibuat.")
    if penilai_p == "0":
        target = None
    elif penilai is not None:
        target = penilai
    elif unit is not None and pilihan.periode.instansi.kelompok_distribusi == "unit":
        kepala = org.pimpinan_unit(unit, pilihan.tanggal)
        target = kepala.pegawai if kepala else (user.pegawai if user.pegawai_id else None)
        if target is None:
            raise Http404("Kelompok penilaian tidak ditemukan.")
    elif unit is None and user.pegawai_id:
        target = user.pegawai
    elif unit is None and not penilai_p:
        raise _TidakMenilai  # no group of their own (the admin): the view sends them to kalibrasi
    else:
        raise Http404("Kelompok penilaian tidak ditemukan.")
    try:
        kel = selectors.kelompok(target, pilihan.pp, periode=pilihan.periode, unit=unit, ringkas=ringkas)
    except ValidationError:
        if penilai_p or unit_p:
            raise Http404("Kelompok penilaian tidak ditemukan.") from None
        raise _TidakMenilai from None
    if not kel.evaluasi and not kel.belum_dibuka:
        if not (penilai_p or unit_p):
            raise _TidakMenilai
        raise Http404(
            "Kelompok penilaian tidak ditemukan: pegawai ini tidak menilai siapa pun pada periode ini."
        )
    return kel, pilihan


def _resolve_atau_404(
    request: HttpRequest, data: QueryDict, *, ringkas: bool = False
) -> tuple[Kelompok, sk.PilihanPeriode]:
    try:
        return _resolve(request, data, ringkas=ringkas)
    except _TidakMenilai:
        raise Http404("Kelompok penilaian tidak ditemukan.") from None


def _akses(request: HttpRequest, kel: Kelompok, pilihan: sk.PilihanPeriode) -> AksesKelompok:
    akses = akses_kelompok(request.user, kel, pilihan.tanggal)
    if not akses.lihat:
        raise PermissionDenied(
            "Kelompok penilaian ini hanya dapat dilihat oleh pejabat penilainya, atasannya, dan admin "
            "kepegawaian."
        )
    return akses


def penanda(kel: Kelompok) -> dict[str, str]:
    """The query parameters naming ``kel`` (without the periode)."""
    hasil = {"unit": str(kel.unit.pk)}
    if kel.penilai is None:
        hasil["penilai"] = "0"
    elif kel.mode == "penilai":
        hasil["penilai"] = str(kel.penilai.pk)
    return hasil


def url_kelompok(kel: Kelompok, pilihan: sk.PilihanPeriode) -> str:
    return f"{reverse('penilaian:kelompok')}?{urlencode({'periode': pilihan.kunci, **penanda(kel)})}"


def _url_evaluasi(pk: int) -> str:
    """The evaluation page (built by the evaluation part); "" while that URL does not exist."""
    try:
        return reverse("penilaian:evaluasi", args=[pk])
    except NoReverseMatch:
        return ""


# The labels of the evaluation's choices (as ``get_FOO_display``) and the badge classes of the rows.
_LABEL = {
    nama: {k: str(v) for k, v in Evaluasi._meta.get_field(nama).flatchoices}
    for nama in ("rating_hasil", "rating_perilaku", "saran_hasil", "saran_perilaku", "predikat")
}
_KELAS_PREDIKAT = {
    Predikat.SANGAT_BAIK.value: "text-bg-success",
    Predikat.BAIK.value: "text-bg-primary",
    Predikat.BUTUH_PERBAIKAN.value: "text-bg-warning",
    Predikat.KURANG.value: "bg-danger-subtle text-danger-emphasis border border-danger-subtle",
}
_KELAS_TAHAP = {
    Tahap.FINAL: "text-bg-success",
    Tahap.DINILAI: "text-bg-info",
    Tahap.DIBUKA_KEMBALI: "text-bg-warning",
    Tahap.BELUM_DINILAI: "text-bg-light border",
}


def _label(nama: str, nilai: str) -> str:
    return _LABEL[nama].get(nilai, nilai) if nilai else ""


def _baris(
    e: AnggotaKelompok, url: str, tahap: TahapEvaluasi, di_luar: bool, pimpinan: bool, unit: bool
) -> dict[str, Any]:
    """One member's row of the group table as plain values (the template only prints them)."""
    return {
        "nama": e.pegawai_nama,
        "nip": e.pegawai_nip,
        "jabatan": e.pegawai_jabatan,
        "memimpin": bool(e.unit_dipimpin_id),
        "alasan_ubah_hasil": e.alasan_ubah_hasil,
        "alasan_ubah_perilaku": e.alasan_ubah_perilaku,
        "disesuaikan_atasan_alasan": e.disesuaikan_atasan_alasan,
        "url": url,
        "di_luar": di_luar,
        "pimpinan": pimpinan,
        "penilai_nama": e.penilai_nama if unit else "",
        "final": e.is_final,
        "hasil": _label("rating_hasil", e.rating_hasil),
        "perilaku": _label("rating_perilaku", e.rating_perilaku),
        "saran_hasil": _label("saran_hasil", e.saran_hasil),
        "saran_perilaku": _label("saran_perilaku", e.saran_perilaku),
        "hasil_diubah": e.hasil_diubah_dari_saran,
        "perilaku_diubah": e.perilaku_diubah_dari_saran,
        "predikat": _label("predikat", e.predikat),
        "predikat_kelas": _KELAS_PREDIKAT.get(e.predikat, "text-bg-danger"),
        "tahap": tahap.tahap.label,
        "tahap_kelas": _KELAS_TAHAP.get(tahap.tahap, "text-bg-secondary"),
        "keterangan": tahap.keterangan,
    }


def _judul(kel: Kelompok) -> str:
    if kel.penilai is None:
        return f"Kelompok tanpa pejabat penilai · {kel.unit.nama}"
    if kel.mode == "unit":
        return f"Kelompok penilaian {kel.unit.nama}"
    return f"Kelompok penilaian {kel.penilai.nama_lengkap}"


def _what_if_ctx(kel: Kelompok, nilai: str) -> dict[str, Any]:
    try:
        capaian = CapaianOrganisasi(nilai)
    except ValueError:
        return {"what_if": None}
    cek = kel.what_if()[capaian]
    return {
        "what_if": capaian,
        "what_if_grafik": sk.grafik_kelompok(kel, cek, kunci=f"what-if-{capaian.value}"),
        "what_if_pelanggaran": sk.pelanggaran(kel, cek),
        "what_if_cek": cek,
    }


def _halaman(
    request: HttpRequest,
    kel: Kelompok,
    pilihan: sk.PilihanPeriode,
    akses: AksesKelompok,
    *,
    alasan: str = "",
    galat_finalisasi: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    instansi = kel.periode.instansi
    pelanggaran = sk.pelanggaran(kel)
    di_luar = {n for p in pelanggaran if p.jenis == "max" for n in p.pegawai}
    # Every member shares the periode: whether it has ended is worked out once, each state from plain values.
    penetapan = selectors.status_penetapan_periode(kel.periode, kel.periode_penilaian)
    tahap = {
        e.pk: selectors.tahap_dari(e.status, e.saran_hasil, e.saran_perilaku, e.predikat, penetapan.terbuka)
        for e in kel.evaluasi
    }
    belum_dinilai = [e for e in kel.evaluasi if not tahap[e.pk].dinilai or e.status == Status.DRAFT.value]
    mode_final = ModeFinalisasi(instansi.distribusi_mode)
    hambatan: list[str] = []
    if kel.belum_dibuka:
        nama_belum = ", ".join(s.pegawai_nama for s in kel.belum_dibuka)
        # one full stop even after a gelar such as "M.H." (as the service's message does)
        hambatan.append(f"Evaluasi belum dibuka dan dinilai untuk: {nama_belum}".rstrip(".") + ".")
    # One word for one state (docs/rules.md §15): a fully rated draft is not "belum dinilai".
    for t in (Tahap.BELUM_DINILAI, Tahap.DRAF, Tahap.SIAP_DITETAPKAN):
        nama = [e.pegawai_nama for e in belum_dinilai if tahap[e.pk].tahap is t]
        if nama:
            contoh = next(tahap[e.pk] for e in belum_dinilai if tahap[e.pk].tahap is t)
            hambatan.append(f"{contoh.label.capitalize()}: {', '.join(nama)}".rstrip(".") + ".")
    if any(tahap[e.pk].tahap is Tahap.DRAF for e in belum_dinilai):
        hambatan.append(penetapan.alasan)
    if kel.capaian is None:
        hambatan.append(
            f"Capaian kinerja organisasi {kel.unit.nama} untuk {pilihan.nama} belum ditetapkan; pola "
            "distribusi belum dapat diperiksa."
        )
    diblokir = bool(pelanggaran) and mode_final is ModeFinalisasi.BLOKIR
    if not kel.evaluasi and not kel.belum_dibuka:
        hambatan.append("Kelompok ini belum memiliki evaluasi untuk difinalisasi.")
    contoh = 987654321  # the evaluation page's URL, reversed once for every row
    url = _url_evaluasi(contoh).split(str(contoh))
    pimpinan = {id(e) for e in kel.pimpinan}
    baris = [
        _baris(
            e,
            f"{url[0]}{e.pk}{url[1]}" if url[0] else "",
            tahap[e.pk],
            di_luar=e.pegawai_nama in di_luar and bool(e.predikat),
            pimpinan=id(e) in pimpinan,
            unit=kel.mode == "unit",
        )
        for e in kel.evaluasi
    ]
    final = sum(1 for b in baris if b["final"])
    jumlah = {
        "anggota": len(kel.evaluasi) + len(kel.belum_dibuka),
        "dinilai": sum(1 for t in tahap.values() if t.dinilai),
        "draf": sum(1 for t in tahap.values() if t.tahap is Tahap.DRAF),
        "final": final,
    }
    what_if_nilai = request.GET.get("what_if", "") if request.method == "GET" else ""
    ctx: dict[str, Any] = {
        "nav": "penilaian",
        "kel": kel,
        "judul": _judul(kel),
        "pilihan": pilihan,
        "akses": akses,
        "penanda": penanda(kel),
        "penanda_kueri": urlencode(penanda(kel)),
        "url_ini": url_kelompok(kel, pilihan),
        "grafik": sk.grafik_kelompok(kel, kunci="kelompok"),
        "pelanggaran": pelanggaran,
        "baris": baris,
        "jumlah": jumlah,
        "belum_dinilai": belum_dinilai,
        "mode_final": mode_final,
        "blokir": mode_final is ModeFinalisasi.BLOKIR,
        "hambatan": hambatan,
        "diblokir": diblokir,
        "finalisasi": sk.finalisasi_terakhir(kel) if final else None,
        # a final group is checked with the rules it was finalised with (`selectors.Kelompok`)
        "versi_baru": kel.finalisasi is not None and kel.versi_berlaku != kel.versi_aturan,
        "alasan": alasan,
        "galat_finalisasi": galat_finalisasi,
        "pilihan_capaian": list(CapaianOrganisasi),
        "boleh_capaian": may_set_capaian_unit(user, kel.unit, pilihan.tanggal),
        # The rule itself (not has_perm): a superuser signs nobody's penetapan (docs/rules.md §29.5).
        "boleh_ttd": allowed(user, "dokumen.sign_penetapan", kel),
        "token": uuid.uuid4().hex,
        **_what_if_ctx(kel, what_if_nilai),
    }
    return render(request, T + "halaman.html", ctx, status=status)


@login_required
@require_GET
def kelompok(request: HttpRequest) -> HttpResponse:
    try:
        kel, pilihan = _resolve(request, request.GET, ringkas=True)
    except _TidakMenilai:
        user = request.user
        if allowed(user, "organisasi.view_org"):
            kueri = urlencode({"periode": request.GET.get("periode", "")})
            return redirect(f"{reverse('penilaian:kalibrasi')}?{kueri}")
        instansi = sk.instansi_user(user)
        pilihan = sk.select_periode(instansi, request.GET.get("periode")) if instansi else None
        return render(request, T + "kosong.html", {"nav": "penilaian", "pilihan": pilihan})
    akses = _akses(request, kel, pilihan)
    return _halaman(request, kel, pilihan, akses)


@login_required
@require_GET
def what_if(request: HttpRequest) -> HttpResponse:
    """What-if fragment: the same ratings checked under another capaian organisasi; nothing is saved."""
    kel, pilihan = _resolve_atau_404(request, request.GET, ringkas=True)
    _akses(request, kel, pilihan)
    ctx = {"kel": kel, "pilihan": pilihan, **_what_if_ctx(kel, request.GET.get("what_if", ""))}
    return render(request, T + "_what_if.html", ctx)


@login_required
@require_POST
def finalisasi(request: HttpRequest) -> HttpResponse:
    kel, pilihan = _resolve_atau_404(request, request.POST)
    akses = _akses(request, kel, pilihan)
    alasan = request.POST.get("alasan", "")
    try:
        fin = services_kelompok.finalise_kelompok(
            kel.penilai, pilihan.periode, pilihan.pp, request.user, alasan, unit=kel.unit
        )
    except ValidationError as exc:
        pesan = " ".join(exc.messages)
        kel, pilihan = _resolve_atau_404(request, request.POST, ringkas=True)
        return _halaman(request, kel, pilihan, akses, alasan=alasan, galat_finalisasi=pesan, status=400)
    teks = f"Kelompok difinalisasi: {fin.jumlah_pegawai} evaluasi {pilihan.nama} sekarang final."
    if fin.pelanggaran:
        teks += f" {len(fin.pelanggaran)} pelanggaran pola distribusi dicatat bersama alasannya."
    messages.success(request, teks)
    return redirect(url_kelompok(kel, pilihan))


@login_required
@require_GET
def kalibrasi(request: HttpRequest) -> HttpResponse:
    user = request.user
    instansi = sk.instansi_user(user)
    if instansi is None:
        raise PermissionDenied("Halaman kalibrasi untuk atasan pejabat penilai dan admin kepegawaian.")
    admin = is_admin_of(user, instansi.pk)
    if not admin and not (user.pegawai_id and org.bawahan_semua_qs(user.pegawai).exists()):
        raise PermissionDenied("Halaman kalibrasi untuk atasan pejabat penilai dan admin kepegawaian.")
    pilihan = sk.select_periode(instansi, request.GET.get("periode"))
    ctx: dict[str, Any] = {"nav": "penilaian", "pilihan": pilihan, "admin": admin, "instansi": instansi}
    if pilihan is not None:
        grup = sk.kalibrasi(user, instansi, pilihan)
        ctx.update(
            grup=[
                {
                    "r": r,
                    "kueri": urlencode({"periode": pilihan.kunci, **sk.kelompok_penanda(r)}),
                    "penanda": sk.kelompok_penanda(r),
                }
                for r in grup
            ],
            token=uuid.uuid4().hex,
            blokir=instansi.distribusi_mode == ModeFinalisasi.BLOKIR.value,
        )
    return render(request, T + "kalibrasi.html", ctx)


@login_required
@require_POST
def request_revisi(request: HttpRequest) -> HttpResponse:
    kel, pilihan = _resolve_atau_404(request, request.POST)
    _akses(request, kel, pilihan)
    kembali = request.POST.get("kembali", "")
    tujuan = (
        url_kelompok(kel, pilihan)
        if kembali == "kelompok"
        else f"{reverse('penilaian:kalibrasi')}?{urlencode({'periode': pilihan.kunci})}"
    )
    try:
        hasil = services_kelompok.request_revisi(
            kel,
            request.user,
            request.POST.get("pesan", ""),
            url_kelompok(kel, pilihan),
            request.POST.get("token", ""),
            tanggal=pilihan.tanggal,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(tujuan)
    nama = ", ".join(sorted({notifikasi.nama_user(n.penerima) for n in hasil}))
    messages.success(
        request, f"Permintaan revisi dikirim kepada {nama}" + ("" if nama.endswith(".") else ".")
    )
    return redirect(tujuan)
