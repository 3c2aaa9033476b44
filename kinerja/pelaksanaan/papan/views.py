"""Monitoring boards. Thin: decide who may look, load with `selectors_papan`, render.

* ``/pemantauan/``: the penilai's board of the pegawai they rate (a friendly empty state for anyone
  without bawahan), with the roll-up of their own RHK from the bawahan RHK that intervene them
  (``/pemantauan/rhk-saya/``), loaded when it comes into view (htmx; a page of its own without);
* ``/pemantauan/unit/<id>/``: a unit rolled up per child unit with its own pegawai (drill-down), for the
  head of the unit or anyone above that post (only the pegawai below them), and the admin of the instansi;
* ``/pemantauan/progres/`` (+ ``xlsx/``): the admin's progress pengisian per unit; on a large instansi
  (`organisasi.ukuran`) the xlsx is a background job (POST ``xlsx/``, progress shown on the page); with many
  units the page lists two levels and a unit opens on demand (``progres/unit/<id>/``, htmx rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Instansi, UnitKerja
from kinerja.organisasi.ukuran import instansi_besar
from kinerja.pekerjaan.selectors import terakhir
from kinerja.pelaksanaan.papan import pekerjaan as pekerjaan_papan
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.pelaksanaan.papan import xlsx as xlsx_papan
from kinerja.permissions import admin_instansi, allowed

T = "pelaksanaan/papan/"

# Who may open a unit board: the admin of its instansi, or the head of the unit (definitif/PLT/PLH) or
# anyone holding a jabatan above the head's post (the same predicates as the rest of the app).


_periode = pekerjaan_papan.periode_papan

#: Rows of the penilai's board per page (the filter counts and the summary stay over all bawahan).
BARIS_PER_HALAMAN = 25


def _singkat(nama: str) -> str:
    return nama.replace("Triwulan", "TW").replace("Semester", "Sem.")


def _tabs(daftar: list[Any]) -> list[tuple[Any, str, bool]]:
    hari_ini = timezone.localdate()
    return [(p, _singkat(p.nama), p.mulai > hari_ini) for p in daftar]


def _konteks_periode(periode: Any, pp: Any, daftar: list[Any]) -> dict[str, Any]:
    """The periode tabs every board shows."""
    return {
        "periode": periode,
        "pp": pp,
        "pp_singkat": _singkat(pp.nama) if pp else "",
        "tabs": _tabs(daftar),
    }


def _pola_url(nama: str) -> Any:
    """`reverse(nama, args=[pk])` for many pk at the cost of one reverse (a board links every row)."""
    kiri, kanan = reverse(nama, args=[987654321]).split("987654321")
    return lambda pk: f"{kiri}{pk}{kanan}"


def _tautan(
    rows: Iterable[selectors_papan.BarisPapan], pp: Any, rollup: Iterable[selectors_papan.RollupRhk] = ()
) -> None:
    """Each row's link: the realisasi of the periode when the SKP is in force, else the SKP itself."""
    realisasi, skp = _pola_url("pelaksanaan:realisasi_skp"), _pola_url("skp:detail")
    kueri = f"?periode={pp.nomor}"
    for r in rows:
        if r.skp is not None:
            r.url = realisasi(r.skp.pk) + kueri if r.berlaku else skp(r.skp.pk)
    for g in rollup:
        for b in g.bawahan:
            b.url = realisasi(b.rhk.skp_id) + kueri


def _urut(request: HttpRequest) -> str:
    urut = request.GET.get("urut", "nama")
    return urut if urut in selectors_papan.URUT else "nama"


@login_required
def papan(request: HttpRequest) -> HttpResponse:
    """The penilai's board: their bawahan for the periode, sorted and filtered as asked, a page of
    `BARIS_PER_HALAMAN` rows at a time (``?page=``; a page out of range shows the last)."""
    user = request.user
    if not user.pegawai_id:
        if allowed(user, "organisasi.view_org"):
            return redirect("pelaksanaan:papan_progres")
        raise PermissionDenied("Halaman ini untuk pejabat penilai.")
    pegawai = user.pegawai
    periode, pp, daftar = _periode(pegawai.instansi_id, request.GET.get("periode"))
    ctx: dict[str, Any] = {"nav": "pemantauan", **_konteks_periode(periode, pp, daftar)}
    if pp is None:
        ctx["unit_saya"] = selectors_papan.unit_teratas(pegawai)
        return render(request, T + "penilai.html", ctx)
    halaman = selectors_papan.halaman_penilai(pegawai, periode, pp, daftar)
    semua = halaman.semua
    saring = request.GET.get("saring", "")
    saring = saring if saring in selectors_papan.SARING else ""
    urut = _urut(request)
    ringkasan = selectors_papan.RingkasanUnit(None)
    for r in semua:
        ringkasan.tambah(r)
    halaman_tabel = Paginator(selectors_papan.filter_and_sort(semua, saring, urut), BARIS_PER_HALAMAN)
    page = halaman_tabel.get_page(request.GET.get("page"))
    _tautan(page.object_list, pp)
    ctx.update(
        unit_saya=halaman.unit_saya,
        semua=semua,
        rows=[r.tampilan() for r in page.object_list],
        page=page,
        querystring=urlencode({"periode": pp.nomor, **({"saring": saring} if saring else {}), "urut": urut}),
        ringkasan=ringkasan,
        saring=saring,
        urut=urut,
        pilihan_saring=[
            (k, label, sum(1 for r in semua if f(r))) for k, (label, f) in selectors_papan.SARING.items()
        ],
        pilihan_urut=list(selectors_papan.URUT.items()),
        skp_saya=halaman.skp_saya,
    )
    return render(request, T + "penilai.html", ctx)


#: One line of the roll-up, as `_rollup.html` wrote it per line (tags, spacing); built here in one pass.
_BARIS_ROLLUP = (
    '\n      <li class="d-flex flex-column flex-sm-row justify-content-between gap-sm-2 '
    'border-top pt-1 mt-1">'
    '\n        <span><a href="{url}">{nama}</a>: {teks}</span>'
    '\n        <span class="text-nowrap">{ringkasan}</span>'
    "\n      </li>\n      "
)


def _baris_rollup(bawahan: Iterable[selectors_papan.RhkBawahan]) -> SafeString:
    """The lines of a roll-up group as HTML, every value escaped (as the template's autoescape): a hundred
    lines and more per penilai, where a template loop costs several milliseconds."""
    bagian = []
    for b in bawahan:
        ringkasan = escape(b.ringkasan)
        bagian.append(
            _BARIS_ROLLUP.format(
                url=escape(b.url),
                nama=escape(b.rhk.skp.pegawai_nama),
                teks=escape(b.rhk.teks),
                ringkasan=f'<span class="badge {escape(b.kelas)}">{ringkasan}</span>'
                if b.capaian is not None
                else f'<span class="text-muted">{ringkasan}</span>',
            )
        )
    return mark_safe("".join(bagian))  # noqa: S308 — every value above is escaped


@login_required
@require_GET
def rollup(request: HttpRequest) -> HttpResponse:
    """The board's "Capaian RHK saya dari RHK bawahan": the user's own RHK of the periode with the bawahan RHK
    that intervene them, loaded when the section comes into view (htmx); without htmx, a page of its own."""
    user = request.user
    if not user.pegawai_id:
        raise PermissionDenied("Halaman ini untuk pejabat penilai.")
    pegawai = user.pegawai
    periode, pp, daftar = _periode(pegawai.instansi_id, request.GET.get("periode"))
    if pp is None:
        raise Http404("Periode penilaian tahun ini belum dibuat.")
    skp_saya, daftar_rollup = selectors_papan.rollup_penilai(pegawai, periode, pp, daftar)
    if skp_saya is not None and not user.has_perm("perencanaan.view_skp", skp_saya):
        raise PermissionDenied("Anda tidak berhak melihat SKP ini.")
    _tautan([], pp, daftar_rollup)
    ctx: dict[str, Any] = {
        "nav": "pemantauan",
        **_konteks_periode(periode, pp, daftar),
        "skp_saya": skp_saya,
        "rollup": [(g, _baris_rollup(g.bawahan)) for g in daftar_rollup if g.bawahan],
        "rollup_kosong": [r for r in daftar_rollup if not r.bawahan],
    }
    return render(request, T + ("_rollup.html" if request.htmx else "rollup.html"), ctx)


@login_required
def unit_awal(request: HttpRequest) -> HttpResponse:
    """``/pemantauan/unit/``: the admin's top unit, or the highest unit the user heads."""
    user = request.user
    periode = request.GET.get("periode")
    kueri = f"?{urlencode({'periode': periode})}" if periode else ""
    if user.pegawai_id:
        units = selectors_papan.unit_teratas(user.pegawai)
        if units:
            return redirect(reverse("pelaksanaan:papan_unit", args=[units[0].pk]) + kueri)
    if allowed(user, "organisasi.view_org"):
        instansi = admin_instansi(request)
        akar = UnitKerja.objects.filter(instansi=instansi, parent=None).order_by("path").first()
        if akar is None:
            raise Http404("Instansi ini belum memiliki unit kerja.")
        return redirect(reverse("pelaksanaan:papan_unit", args=[akar.pk]) + kueri)
    messages.info(request, "Anda tidak memimpin unit kerja; berikut pemantauan bawahan yang Anda nilai.")
    return redirect(reverse("pelaksanaan:papan") + kueri)


@login_required
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit: its child units rolled up, its own pegawai, for its head (and above) or the admin."""
    obj = get_object_or_404(UnitKerja.objects.select_related("instansi"), pk=unit_id)
    user = request.user
    if not user.has_perm("pelaksanaan.view_papan_unit", obj):
        raise PermissionDenied("Anda tidak berhak memantau unit kerja ini.")
    admin = user.has_perm("organisasi.manage_instansi", obj.instansi)
    lingkup = None if admin else org.bawahan_semua_qs(user.pegawai)
    periode, pp, daftar = _periode(obj.instansi_id, request.GET.get("periode"))
    ctx: dict[str, Any] = {
        "nav": "organisasi" if admin and not user.pegawai_id else "pemantauan",
        "unit": obj,
        "boleh_zip": user.has_perm("dokumen.unduh_arsip_unit", obj),
        **_konteks_periode(periode, pp, daftar),
    }
    if pp is not None:
        data = selectors_papan.papan_unit(obj, periode, pp, daftar, lingkup)
        if not admin:  # the breadcrumb starts at the highest unit the user heads
            atas = [u.path for u in selectors_papan.unit_teratas(user.pegawai)]
            data.jalur = [u for u in data.jalur if any(u.path.startswith(p) for p in atas)]
        urut = _urut(request)
        _tautan(data.pegawai, pp)
        ctx.update(
            data=data,
            rows=[r.tampilan() for r in selectors_papan.filter_and_sort(data.pegawai, "", urut)],
            urut=urut,
            pilihan_urut=list(selectors_papan.URUT.items()),
        )
    return render(request, T + "unit.html", ctx)


def _admin(request: HttpRequest) -> Instansi:
    instansi = admin_instansi(request)
    if not request.user.has_perm("perencanaan.view_progres", instansi):
        raise PermissionDenied("Halaman ini hanya untuk admin kepegawaian.")
    return instansi


@login_required
def progres(request: HttpRequest) -> HttpResponse:
    """Admin: SKP approved %, realisasi filled %, feedback given % per unit, for the chosen periode."""
    instansi = _admin(request)
    periode, pp, daftar = _periode(instansi.pk, request.GET.get("periode"))
    ctx: dict[str, Any] = {
        "nav": "organisasi",
        "instansi": instansi,
        **_konteks_periode(periode, pp, daftar),
    }
    if pp is not None:
        ctx["data"] = selectors_papan.progres_pengisian(instansi, periode, pp, daftar, halaman=True)
        ctx["xlsx_url"] = f"{reverse('pelaksanaan:papan_progres_xlsx')}?periode={pp.nomor}"
        if instansi_besar(instansi):
            ctx["xlsx_latar"] = True
            ctx["pekerjaan_xlsx"] = terakhir(pekerjaan_papan.kunci(instansi, periode, pp))
    return render(request, T + "progres.html", ctx)


@login_required
@require_GET
def progres_anak(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The rows of an opened unit of a large progres page (htmx): the unit's row again, now opened, and the
    rows of the units right below it. Only the admin of the unit's instansi (another instansi's unit: 404)."""
    instansi = _admin(request)
    unit = get_object_or_404(UnitKerja, pk=unit_id, instansi=instansi)
    periode, pp, daftar = _periode(instansi, request.GET.get("periode"))
    if pp is None:
        raise Http404("Periode penilaian tahun ini belum dibuat.")
    data = selectors_papan.progres_anak(instansi, unit, periode, pp, daftar)
    return render(request, T + "progres.html#baris", {"data": data, "pp": pp})


@login_required
def progres_xlsx(request: HttpRequest) -> HttpResponse:
    """The same numbers as an Excel workbook."""
    instansi = _admin(request)
    periode, pp, daftar = _periode(instansi.pk, request.GET.get("periode"))
    if pp is None:
        raise Http404("Periode penilaian tahun ini belum dibuat.")
    halaman = f"{reverse('pelaksanaan:papan_progres')}?periode={pp.nomor}"
    if request.method == "POST":
        p = pekerjaan_papan.mulai_progres_xlsx(request.user, instansi, periode, pp)
        if p.baru:
            messages.success(
                request, "Excel progres sedang dibuat di latar belakang; kemajuannya tampil di bawah."
            )
        else:
            messages.info(request, "Excel progres ini masih dibuat; tunggu hingga selesai.")
        return redirect(halaman)
    if instansi_besar(instansi):
        messages.info(
            request, "Excel progres instansi sebesar ini dibuat di latar belakang: tekan Unduh Excel."
        )
        return redirect(halaman)
    data = selectors_papan.progres_pengisian(instansi, periode, pp, daftar)
    isi = xlsx_papan.progres_xlsx(instansi, periode, pp, data)
    nama = pekerjaan_papan.nama_berkas(periode, pp)
    response = HttpResponse(
        isi, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{nama}"'
    return response
