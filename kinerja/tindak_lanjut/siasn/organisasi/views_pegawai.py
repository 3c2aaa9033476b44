"""Pegawai, jabatan and penempatan from SIASN (docs/rules.md §21.12), admin kepegawaian only; the step
after the units (``views_organisasi``).

* ``/tindak-lanjut/siasn/organisasi/pegawai/``: the source of NIPs (Kinerja's active pegawai or an uploaded
  list), the last read with its progress, the differences and problems per NIP, the apply button.
* ``…/baca/`` (POST), ``…/kemajuan/`` (htmx poll), ``…/<pk>/terapkan/`` (POST, all or nothing).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinerja.organisasi.impor.services import SHEET_JABATAN, SHEET_PEGAWAI, SHEET_PENEMPATAN
from kinerja.pekerjaan.views import progres_atau_muat_ulang
from kinerja.permissions import admin_instansi
from kinerja.tindak_lanjut.models import PenyegaranDataUtama
from kinerja.tindak_lanjut.siasn.organisasi import services_pegawai as services

T = "tindak_lanjut/siasn/"
PER_HALAMAN = 25


@never_cache
@login_required
@require_GET
def pegawai(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    bacaan = services.bacaan_terakhir(instansi)
    # An applied read is not compared again: its snapshots are what was written (a re-sync is a new read).
    rencana = services.plan_pegawai(bacaan) if bacaan and not bacaan.diterapkan_pada else None
    halaman = Paginator(rencana.perbedaan if rencana else [], PER_HALAMAN).get_page(request.GET.get("hal"))
    ctx = {
        "nav": "tindak_lanjut",
        "instansi": instansi,
        "bacaan": bacaan,
        "rencana": rencana,
        "halaman": halaman,
        "batas_nip": services.BATAS_NIP,
    }
    return render(request, T + "organisasi_pegawai.html", ctx)


@never_cache
@login_required
@require_GET
def kemajuan(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    bacaan = services.bacaan_terakhir(instansi)
    if bacaan is not None and bacaan.pekerjaan is not None:
        # Its job's bar while it runs; once it has ended the page is loaded again to show the outcome.
        url = reverse("tindak_lanjut:siasn_organisasi_pegawai_kemajuan")
        return progres_atau_muat_ulang(bacaan.pekerjaan, url, request)
    return render(request, T + "_baca_pegawai.html", {"bacaan": bacaan})


@login_required
@require_POST
def baca(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    berkas = request.FILES.get("berkas")
    try:
        if request.POST.get("sumber") == "berkas":
            if berkas is None:
                raise ValidationError("Pilih berkas daftar NIP (xlsx, CSV, atau teks; satu NIP per baris).")
            nips: list[str] | None = services.read_nip_list(berkas, berkas.name or "")
        else:
            nips = None
        _, baru = services.start_baca_pegawai(instansi, request.user, nips)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if baru:
            messages.success(request, "Pembacaan data pegawai dari SIASN dimulai di latar belakang.")
        else:
            messages.info(request, "Pembacaan data utama SIASN masih berjalan; tunggu hingga selesai.")
    return redirect("tindak_lanjut:siasn_organisasi_pegawai")


@login_required
@require_POST
def terapkan(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = admin_instansi(request)
    bacaan = get_object_or_404(PenyegaranDataUtama, pk=pk, instansi=instansi, untuk_impor=True)
    try:
        hasil = services.apply_pegawai(bacaan, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if hasil.ok:
            c = hasil.counts
            messages.success(
                request,
                f"Data dari SIASN diterapkan: {c[SHEET_PEGAWAI].created} pegawai baru, "
                f"{c[SHEET_JABATAN].created} jabatan baru, {c[SHEET_PENEMPATAN].created} penempatan baru, "
                f"{c[SHEET_PENEMPATAN].updated} penempatan ditutup.",
            )
        else:
            messages.error(
                request,
                "Tidak ada yang disimpan: " + "; ".join(f"baris {e.row}: {e.message}" for e in hasil.errors),
            )
    return redirect("tindak_lanjut:siasn_organisasi_pegawai")
