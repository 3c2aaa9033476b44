"""The SIASN sync page (docs/rules.md §21.9), admin kepegawaian of the instansi only.

* ``/tindak-lanjut/siasn/sinkron/``: counts per status (antri / terkirim / gagal / belum dikirim) and per
  unit; the records filtered (tahun, status, jenis, unit with the units below it, name or NIP) and
  paginated, each with SIASN's text and who must act; whether SIASN is configured and how.
* POST ``…/sinkron/<pk>/kirim-ulang/``: queue one send (`services.resend`); ``…/sinkron/kirim-ulang-gagal/``,
  ``…/sinkron/kirim-belum/``: start one background job that queues them all with its progress, shown on the
  page (`services.start_kirim_massal`); the worker sends them, never this request.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinerja.organisasi.forms import unit_options
from kinerja.organisasi.models import Instansi
from kinerja.permissions import admin_instansi, allowed
from kinerja.tindak_lanjut.models import KirimSiasn
from kinerja.tindak_lanjut.siasn.kirim import selectors as sel
from kinerja.tindak_lanjut.siasn.kirim import services
from kinerja.tindak_lanjut.siasn.klien import ENV

T = "tindak_lanjut/siasn/"
PER_HALAMAN = 50


def _instansi(request: HttpRequest, perm: str) -> Instansi:
    instansi = admin_instansi(request)
    if not allowed(request.user, perm, instansi):
        raise PermissionDenied("Halaman ini hanya untuk admin kepegawaian instansi.")
    return instansi


@never_cache
@login_required
@require_GET
def sinkron(request: HttpRequest) -> HttpResponse:
    instansi = _instansi(request, "tindak_lanjut.view_kirim_siasn")
    tahun_list = sel.daftar_tahun(instansi)
    s = sel.saringan(instansi, tahun_list, request.GET)
    if s.status == sel.BELUM:
        halaman = Paginator(sel.belum_dikirim(instansi, s), PER_HALAMAN).get_page(request.GET.get("page"))
        rows = sel.baris_belum(list(halaman.object_list))
    else:
        halaman = Paginator(sel.kirim(instansi, s), PER_HALAMAN).get_page(request.GET.get("page"))
        rows = sel.baris(list(halaman.object_list))
    query = s.query()
    return render(
        request,
        T + "sinkron.html",
        {
            "nav": "tindak_lanjut",
            "instansi": instansi,
            "dikonfigurasi": services.is_siasn_configured(instansi),
            "variabel": list(ENV),
            "boleh_kirim": allowed(request.user, "tindak_lanjut.send_siasn", instansi),
            "saringan": s,
            "daftar_tahun": tahun_list,
            "label_status": sel.LABEL_STATUS,
            "kelas_status": sel.KELAS_STATUS,
            "label_jenis": sel.LABEL_JENIS,
            "unit_options": unit_options(instansi, str(s.unit.pk) if s.unit else None),
            "ringkasan": sel.ringkasan(instansi, s),
            "halaman": halaman,
            "rows": rows,
            "qs": f"{query}&" if query else "",
            "kembali": f"{reverse('tindak_lanjut:siasn_sinkron')}?{query}",
            "pekerjaan_massal": sel.pekerjaan_massal(instansi),
        },
    )


def _kembali(request: HttpRequest) -> HttpResponse:
    tujuan = request.POST.get("kembali", "")
    if tujuan.startswith(reverse("tindak_lanjut:siasn_sinkron")):
        return redirect(tujuan)
    return redirect("tindak_lanjut:siasn_sinkron")


@require_POST
@login_required
def kirim_ulang(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = _instansi(request, "tindak_lanjut.send_siasn")
    kirim = get_object_or_404(KirimSiasn.objects.select_related("evaluasi"), pk=pk, instansi=instansi)
    try:
        services.resend(kirim, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        ev = kirim.evaluasi
        messages.success(
            request,
            f"Evaluasi {ev.pegawai_nama} ({ev.pegawai_nip}) dimasukkan ke antrean SIASN; "
            "statusnya diperbarui di halaman ini setelah worker mengirimnya.",
        )
    return _kembali(request)


def _mulai_massal(request: HttpRequest, jenis: str, tahun: int | None = None) -> HttpResponse:
    instansi = _instansi(request, "tindak_lanjut.send_siasn")
    try:
        p = services.start_kirim_massal(instansi, request.user, jenis, tahun)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if p.baru:
            messages.success(request, f"{p.judul}: berjalan di latar belakang; kemajuannya tampil di bawah.")
        else:
            messages.info(request, f"{p.judul}: masih berjalan; tunggu hingga selesai.")
    return _kembali(request)


@require_POST
@login_required
def kirim_ulang_gagal(request: HttpRequest) -> HttpResponse:
    return _mulai_massal(request, "gagal")


@require_POST
@login_required
def kirim_belum(request: HttpRequest) -> HttpResponse:
    tahun = request.POST.get("tahun", "")
    return _mulai_massal(request, "belum", int(tahun) if tahun.isdigit() else None)
