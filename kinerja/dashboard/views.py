from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache

from kinerja.organisasi import selectors
from kinerja.organisasi.models import Instansi
from kinerja.pelaksanaan.dialog import selectors as selectors_dialog
from kinerja.pelaksanaan.umpan_balik import selectors as selectors_umpan_balik
from kinerja.perencanaan import selectors as perencanaan_selectors
from kinerja.perencanaan.skp import selectors as selectors_skp
from kinerja.permissions import admin_instansi, allowed, is_admin_kepegawaian, is_superuser
from kinerja.tindak_lanjut.keberatan import selectors as selectors_keberatan


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico → the SVG icon; resolved per request, since the hashed static name exists only after
    collectstatic (production's manifest storage)."""
    return HttpResponsePermanentRedirect(static("kinerja/favicon.svg"))


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` when the database answers; 503 otherwise (for load balancers and uptime checks)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return HttpResponse("database tidak menjawab", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One dashboard; its panels depend on what the user is: pegawai, atasan, admin kepegawaian."""
    user = request.user
    context: dict[str, object] = {"nav": "beranda"}
    pegawai = user.pegawai if user.pegawai_id else None
    if pegawai is not None:
        context["rantai"] = selectors.rantai_penilai(pegawai)
        context["penempatan"] = selectors.penempatan_aktif(pegawai)
        context["bawahan"] = selectors.bawahan_langsung(pegawai)
        context["jumlah_bawahan_semua"] = selectors.bawahan_semua_qs(pegawai).count()
        context["skp_saya"] = selectors_skp.ringkasan_skp(pegawai)
        context["umpan_balik"] = selectors_umpan_balik.ringkasan_beranda(user)
        context["tindak_lanjut_dialog"] = selectors_dialog.tindak_lanjut_terbuka(pegawai)
        context["hari_ini"] = timezone.localdate()
        if context["bawahan"]:
            context["skp_menunggu"] = perencanaan_selectors.inbox_penilai(pegawai).count()
        context["predikat_saya"] = selectors_keberatan.predikat_beranda(pegawai.pk)
    if pegawai is not None or is_admin_kepegawaian(user):
        context["keberatan"] = selectors_keberatan.ringkasan_beranda(user)
    if allowed(user, "organisasi.view_org"):
        try:
            instansi = admin_instansi(request)
        except PermissionDenied:
            instansi = None  # a superuser before any instansi exists
        if instansi is not None:
            context["instansi"] = instansi
            context["ringkasan"] = selectors.ringkasan_organisasi(instansi)
            periode = perencanaan_selectors.periode_berjalan(instansi)
            if periode is not None:
                context["progres_skp"] = selectors_skp.total_progres(
                    perencanaan_selectors.progres_skp(instansi, periode)
                )
                context["progres_periode"] = periode
        if is_superuser(user):
            context["semua_instansi"] = Instansi.objects.order_by("nama")
    return render(request, "dashboard/home.html", context)
