"""Units from SIASN (docs/rules.md §21.12), admin kepegawaian only.

* ``/tindak-lanjut/siasn/organisasi/``: the root unor to read, the last read (progress while it runs), the
  differences with Kinerja's units and the problems found, and the button that applies them.
* ``…/baca/`` (POST): read ``referensi/ref-unor`` as a background job.
* ``…/kemajuan/``: the read's state (polled by htmx while it runs: its job's bar, then a page reload).
* ``…/<pk>/terapkan/`` (POST): apply the differences, all or nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinerja.organisasi.impor.services import SHEET_JABATAN, SHEET_UNIT
from kinerja.pekerjaan.views import progres_atau_muat_ulang
from kinerja.permissions import admin_instansi
from kinerja.tindak_lanjut.models import TarikUnorSiasn
from kinerja.tindak_lanjut.siasn.organisasi import services

T = "tindak_lanjut/siasn/"


@never_cache
@login_required
@require_GET
def organisasi(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    tarik = services.tarik_terakhir(instansi)
    ctx = {
        "nav": "tindak_lanjut",
        "instansi": instansi,
        "tarik": tarik,
        "rencana": services.plan_tarik(tarik) if tarik else None,
        "akar_id": (tarik.akar_id if tarik else "") or services.akar_tersimpan(instansi),
    }
    return render(request, T + "organisasi.html", ctx)


@never_cache
@login_required
@require_GET
def kemajuan(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    tarik = services.tarik_terakhir(instansi)
    if tarik is not None and tarik.pekerjaan is not None:
        # Its job's bar while it runs; once it has ended the page is loaded again to show the outcome.
        url = reverse("tindak_lanjut:siasn_organisasi_kemajuan")
        return progres_atau_muat_ulang(tarik.pekerjaan, url, request)
    return render(request, T + "_tarik_unor.html", {"tarik": tarik})


@login_required
@require_POST
def baca(request: HttpRequest) -> HttpResponse:
    instansi = admin_instansi(request)
    try:
        _, baru = services.start_tarik_unor(instansi, request.user, request.POST.get("akar_id", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if baru:
            messages.success(request, "Pembacaan unit dari SIASN dimulai di latar belakang.")
        else:
            messages.info(request, "Pembacaan unit dari SIASN masih berjalan; tunggu hingga selesai.")
    return redirect("tindak_lanjut:siasn_organisasi")


@login_required
@require_POST
def terapkan(request: HttpRequest, pk: int) -> HttpResponse:
    instansi = admin_instansi(request)
    tarik = get_object_or_404(TarikUnorSiasn, pk=pk, instansi=instansi)
    try:
        hasil = services.apply_tarik(tarik, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if hasil.ok:
            c, j = hasil.counts[SHEET_UNIT], hasil.counts[SHEET_JABATAN]
            messages.success(
                request,
                f"Unit dari SIASN diterapkan: {c.created} unit baru, {c.updated} unit diubah, "
                f"{c.unchanged} tetap; {j.created} jabatan pimpinan baru, {j.updated} diubah.",
            )
        else:
            messages.error(
                request,
                "Tidak ada yang disimpan: " + "; ".join(f"baris {e.row}: {e.message}" for e in hasil.errors),
            )
    return redirect("tindak_lanjut:siasn_organisasi")
