"""The TPP settings pages of the admin kepegawaian (``kehadiran.manage_kehadiran``, docs/rules.md §28):
Aturan TPP (versions, copy from a preset or the version in force, the edit form, a plain-Indonesian read
view), Tabel pagu TPP, Kelas jabatan and Disiplin (apel/atribut events, hukuman disiplin). Thin:
writes in `services`, reads in `selectors_atur`."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.kehadiran.halaman import galat_per_bidang, instansi_dikelola, tanggal_iso
from kinerja.kehadiran.models import AturanTppInstansi, HukumanDisiplinPegawai, PeristiwaDisiplin
from kinerja.kehadiran.tpp import forms_atur, services
from kinerja.kehadiran.tpp import selectors_atur as sel
from kinerja.kehadiran.tpp.selectors import rentang_bulan
from kinerja.kehadiran.tpp.uraian import uraian
from kinerja.kehadiran.tpp.views import rp
from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.rules import tpp
from kinerja.rules.jadwal import NAMA_BULAN

T = "kehadiran/tppatur/"


def _bulan_ini() -> str:
    return timezone.localdate().strftime("%Y-%m")


# --- Aturan TPP -----------------------------------------------------------------------------------------


@login_required
@require_GET
def aturan(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    berlaku = sel.aturan_berlaku_kini(instansi.pk)
    ctx = {
        "instansi": instansi,
        "berlaku": berlaku,
        "versi": list(sel.versi_aturan(instansi.pk)),
        "preset": [(k, a.nama) for k, a in tpp.PRESET.items()],
        "bulan_ini": _bulan_ini(),
        "nav": "kehadiran",
    }
    return render(request, T + "aturan.html", ctx)


def _sumber(instansi: Instansi, dari: str) -> tpp.AturanTpp:
    """The rule set the form starts from: ``preset:<key>``, ``versi:<n>`` or the version in force."""
    jenis, _, kunci = dari.partition(":")
    if jenis == "preset" and kunci in tpp.PRESET:
        return tpp.PRESET[kunci]
    if jenis == "versi" and kunci.isdigit():
        a = get_object_or_404(AturanTppInstansi, instansi=instansi, versi=int(kunci))
        return tpp.dari_dict(a.aturan)
    berlaku = sel.aturan_berlaku_kini(instansi.pk)
    if berlaku is None:
        return tpp.PRESET["kementerian"]
    return tpp.dari_dict(berlaku.aturan)


@login_required
@require_http_methods(["GET", "POST"])
def aturan_baru(request: HttpRequest) -> HttpResponse:
    instansi = instansi_dikelola(request)
    galat: dict[str, str] = {}
    if request.method == "POST":
        isian = forms_atur.isian_dari_post(request.POST)
        hasil, galat = forms_atur.baca_aturan(isian)
        berlaku_mulai = tanggal_iso(request.POST.get("berlaku_mulai"))
        if request.POST.get("berlaku_mulai") and berlaku_mulai is None:
            galat["berlaku_mulai"] = "Tanggal berlaku mulai tidak valid."
        if not galat:
            try:
                a = services.simpan_aturan(
                    instansi, hasil, berlaku_mulai, request.POST.get("alasan", ""), request.user
                )
            except ValidationError as exc:
                galat = galat_per_bidang(exc)
            else:
                messages.success(request, f"Aturan TPP versi {a.versi} disimpan.")
                return redirect("kehadiran:tpp_aturan_detail", versi=a.versi)
        berlaku_teks, alasan = request.POST.get("berlaku_mulai", ""), request.POST.get("alasan", "")
    else:
        isian = forms_atur.isian_dari_aturan(_sumber(instansi, request.GET.get("dari", "")))
        berlaku_teks, alasan = "", ""
    ctx = {
        "instansi": instansi,
        "isian": isian,
        "b": forms_atur.bidang(isian, galat),
        "galat": galat,
        "berlaku_mulai": berlaku_teks,
        "alasan": alasan,
        "nav": "kehadiran",
    }
    return render(request, T + "aturan_form.html", ctx, status=422 if galat else 200)


@login_required
@require_GET
def aturan_detail(request: HttpRequest, versi: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    a = get_object_or_404(
        AturanTppInstansi.objects.select_related("dibuat_oleh"), instansi=instansi, versi=versi
    )
    try:
        isi = tpp.dari_dict(a.aturan)
    except ValueError:
        raise Http404 from None
    berlaku = sel.aturan_berlaku_kini(instansi.pk)
    ctx = {
        "instansi": instansi,
        "a": a,
        "berlaku": berlaku is not None and berlaku.pk == a.pk,
        "uraian": uraian(isi),
        "nav": "kehadiran",
    }
    return render(request, T + "aturan_detail.html", ctx)


# --- Tabel pagu TPP -------------------------------------------------------------------------------------

KELAS = range(17, 0, -1)
#: Empty per-jabatan rows offered below the filled ones.
JABATAN_KOSONG = 3


@login_required
@require_http_methods(["GET", "POST"])
def pagu(request: HttpRequest) -> HttpResponse:
    """The version in force, the history, the jabatan without a pagu and (``?baru=1`` or a POST) the
    form of a new version prefilled with the last version's rows."""
    instansi = instansi_dikelola(request)
    hari_ini = timezone.localdate()
    berlaku = sel.tabel_pagu_kini(instansi.pk)
    versi = list(sel.versi_pagu(instansi.pk))
    terakhir = versi[0] if versi else None
    galat: dict[str, str] = {}
    form = request.method == "POST" or bool(request.GET.get("baru"))
    if request.method == "POST":
        kelas_isian = {k: request.POST.get(f"kelas[{k}]", "").strip() for k in KELAS}
        jab_isian = []
        i = 1
        while f"jabatan[{i}].id" in request.POST:
            jab_isian.append(
                (request.POST.get(f"jabatan[{i}].id", ""), request.POST.get(f"jabatan[{i}].pagu", "").strip())
            )
            i += 1
        baris: list[tuple[int | None, int | None, str]] = []
        tempat: list[str] = []
        for k in KELAS:
            if kelas_isian[k]:
                baris.append((None, k, kelas_isian[k]))
                tempat.append(f"kelas[{k}]")
        for n, (jid, nilai) in enumerate(jab_isian, start=1):
            if not jid and not nilai:
                continue
            if not jid.isdigit():
                galat[f"jabatan[{n}]"] = f"Baris jabatan {n}: pilih jabatannya."
                continue
            if not nilai:
                galat[f"jabatan[{n}]"] = f"Baris jabatan {n}: isi pagunya."
                continue
            baris.append((int(jid), None, nilai))
            tempat.append(f"jabatan[{n}]")
        berlaku_mulai = tanggal_iso(request.POST.get("berlaku_mulai"))
        if not galat:
            try:
                t = services.simpan_tabel_pagu(
                    instansi, baris, berlaku_mulai, request.POST.get("alasan", ""), request.user
                )
            except ValidationError as exc:
                for k, v in galat_per_bidang(exc).items():
                    if k.startswith("baris[") and k[6:-1].isdigit():
                        k = tempat[int(k[6:-1]) - 1]
                    galat[k] = v
            else:
                messages.success(request, f"Tabel pagu TPP versi {t.versi} disimpan.")
                return redirect("kehadiran:tpp_pagu")
        berlaku_teks, alasan = request.POST.get("berlaku_mulai", ""), request.POST.get("alasan", "")
    else:
        kelas_isian = {k: "" for k in KELAS}
        jab_isian = []
        if terakhir is not None and form:
            for r in sel.baris_pagu(terakhir.pk):
                if r.jabatan_id is not None:
                    jab_isian.append((str(r.jabatan_id), str(r.pagu)))
                elif r.kelas_jabatan is not None:
                    kelas_isian[r.kelas_jabatan] = str(r.pagu)
        berlaku_teks, alasan = "", ""
    baris_berlaku = sel.baris_pagu(berlaku.pk) if berlaku is not None else []
    tanpa = sel.jabatan_tanpa_pagu(instansi.pk, berlaku.pk if berlaku else None, hari_ini)
    ctx = {
        "instansi": instansi,
        "berlaku": berlaku,
        "baris_berlaku": [(r, rp(r.pagu)) for r in baris_berlaku],
        "versi": versi,
        "tanpa": tanpa,
        "form": form,
        "galat": galat,
        "kelas": [(k, kelas_isian[k], galat.get(f"kelas[{k}]", "")) for k in KELAS],
        "jabatan_baris": [
            (n, jid, nilai, galat.get(f"jabatan[{n}]", ""))
            for n, (jid, nilai) in enumerate(jab_isian + [("", "")] * JABATAN_KOSONG, start=1)
        ],
        "jabatan": sel.jabatan_instansi(instansi.pk) if form else [],
        "berlaku_mulai": berlaku_teks,
        "alasan": alasan,
        "nav": "kehadiran",
    }
    return render(request, T + "pagu.html", ctx, status=422 if galat else 200)


# --- Kelas jabatan --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def kelas(request: HttpRequest) -> HttpResponse:
    """Every jabatan of the instansi with its kelas jabatan editable; one POST saves them all."""
    instansi = instansi_dikelola(request)
    jabatan = sel.jabatan_instansi(instansi.pk)
    galat: dict[str, str] = {}
    isian = {j.pk: "" if j.kelas_jabatan is None else str(j.kelas_jabatan) for j in jabatan}
    if request.method == "POST":
        isian = {j.pk: request.POST.get(f"kelas[{j.pk}]", "") for j in jabatan}
        try:
            n = services.simpan_kelas_jabatan(instansi, isian, request.user)
        except ValidationError as exc:
            galat = galat_per_bidang(exc)
        else:
            messages.success(request, f"Kelas jabatan disimpan ({n} jabatan berubah).")
            return redirect("kehadiran:tpp_kelas")
    ctx = {
        "instansi": instansi,
        "baris": [(j, isian[j.pk], galat.get(f"kelas[{j.pk}]", "")) for j in jabatan],
        "galat": galat,
        "nav": "kehadiran",
    }
    return render(request, T + "kelas.html", ctx, status=422 if galat else 200)


# --- Disiplin -------------------------------------------------------------------------------------------


def _pegawai(instansi: Instansi, teks: str) -> Pegawai | None:
    """The instansi's pegawai typed as "NIP", "NIP — nama" or the exact name."""
    teks = (teks or "").strip()
    nip = teks.split(" ", 1)[0]
    qs = Pegawai.objects.filter(instansi=instansi)
    if nip.isdigit():
        return qs.filter(nip=nip).first()
    cocok = list(qs.filter(nama__iexact=teks)[:2]) if teks else []
    return cocok[0] if len(cocok) == 1 else None


def _aktif(h: HukumanDisiplinPegawai, aturan: tpp.AturanTpp | None, hari_ini: datetime.date) -> bool:
    """Whether the decision still cuts this month under the rule set in force (docs/rules.md §28.3)."""
    keputusan = tpp.HukumanDisiplin(h.tanggal, tpp.TingkatHukuman(h.tingkat))
    return aturan is not None and tpp.hukuman_berlaku(aturan, keputusan, hari_ini)


@login_required
@require_http_methods(["GET", "POST"])
def disiplin(request: HttpRequest) -> HttpResponse:
    """The month's apel/atribut events and the instansi's hukuman disiplin, with their add forms."""
    instansi = instansi_dikelola(request)
    hari_ini = timezone.localdate()
    kunci = request.GET.get("bulan") or request.POST.get("bulan") or hari_ini.strftime("%Y-%m")
    try:
        awal = datetime.date.fromisoformat(kunci + "-01")
    except ValueError:
        raise Http404 from None
    awal, akhir = rentang_bulan(awal.year, awal.month)
    galat: dict[str, str] = {}
    aksi = request.POST.get("aksi", "")
    if request.method == "POST":
        pegawai = _pegawai(instansi, request.POST.get("pegawai", ""))
        tanggal = tanggal_iso(request.POST.get("tanggal"))
        if pegawai is None:
            galat["pegawai"] = "Pegawai tidak ditemukan di instansi ini; ketik NIP atau nama lengkapnya."
        if tanggal is None:
            galat["tanggal"] = "Tanggal wajib diisi (format tanggal)."
        if not galat:
            assert pegawai is not None and tanggal is not None
            try:
                if aksi == "hukuman":
                    services.catat_hukuman(
                        pegawai,
                        tanggal,
                        request.POST.get("tingkat", ""),
                        request.POST.get("nomor_sk", ""),
                        request.user,
                    )
                    messages.success(request, f"Hukuman disiplin {pegawai.nama} dicatat.")
                else:
                    services.catat_peristiwa(
                        pegawai,
                        tanggal,
                        request.POST.get("jenis", ""),
                        request.POST.get("keterangan", ""),
                        request.user,
                    )
                    messages.success(request, f"Pelanggaran {pegawai.nama} pada {tanggal:%d-%m-%Y} dicatat.")
            except ValidationError as exc:
                galat = galat_per_bidang(exc)
            else:
                return redirect(f"{reverse('kehadiran:tpp_disiplin')}?bulan={kunci}")
    berlaku = sel.aturan_berlaku_kini(instansi.pk)
    atur = tpp.dari_dict(berlaku.aturan) if berlaku is not None else None
    hukuman = [(h, _aktif(h, atur, hari_ini)) for h in sel.hukuman_instansi(instansi.pk)]
    hukuman.sort(key=lambda x: not x[1])  # active first, each part newest first
    bulan_lalu = awal - datetime.timedelta(days=1)
    ctx = {
        "instansi": instansi,
        "kunci": kunci,
        "judul_bulan": f"{NAMA_BULAN[awal.month - 1]} {awal.year}",
        "sebelum": bulan_lalu.strftime("%Y-%m"),
        "sesudah": (akhir + datetime.timedelta(days=1)).strftime("%Y-%m"),
        "peristiwa": sel.peristiwa_bulan(instansi.pk, awal, akhir),
        "hukuman": hukuman,
        "pegawai": sel.pegawai_pilihan(instansi.pk),
        "jenis": tpp.JenisPeristiwa.choices(),
        "tingkat": tpp.TingkatHukuman.choices(),
        "aksi": aksi,
        "galat": galat,
        "isian": request.POST if galat else {},
        "nav": "kehadiran",
    }
    return render(request, T + "disiplin.html", ctx, status=422 if galat else 200)


@login_required
@require_POST
def peristiwa_hapus(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = instansi_dikelola(request)
    p = get_object_or_404(
        PeristiwaDisiplin.objects.select_related("pegawai"), pk=pk, pegawai__instansi=instansi
    )
    try:
        services.hapus_peristiwa(p, request.user)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, f"Pelanggaran {p.pegawai.nama} pada {p.tanggal:%d-%m-%Y} dihapus.")
    return redirect(f"{reverse('kehadiran:tpp_disiplin')}?bulan={p.tanggal:%Y-%m}")
