from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache

from kinerja.common import cache
from kinerja.dashboard import tugas as tugas_selectors
from kinerja.dashboard.panduan import selectors as panduan
from kinerja.organisasi import selectors
from kinerja.organisasi.models import Instansi, Pegawai, Penempatan
from kinerja.pelaksanaan.dialog import selectors as selectors_dialog
from kinerja.pelaksanaan.umpan_balik import selectors as selectors_umpan_balik
from kinerja.perencanaan import selectors as perencanaan_selectors
from kinerja.perencanaan.skp import selectors as selectors_skp
from kinerja.permissions import admin_instansi, allowed, is_admin_kepegawaian, is_superuser
from kinerja.rules.alur import Status
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


@dataclass(frozen=True)
class TempatSaya:
    """What the dashboard shows of the pegawai's place in the organisation today (cached per pegawai)."""

    penempatan: list[Penempatan]
    rantai: selectors.RantaiPenilai
    bawahan: list[selectors.Pemangku]
    jumlah_bawahan_semua: int
    bawahan_html: str
    """The bawahan table, rendered once with the list it shows (a penilai's 30 rows cost ~4 ms to render)."""


def tempat_saya(pegawai: Pegawai) -> TempatSaya:
    """Placements, penilai chain and bawahan of `pegawai` today (with the bawahan table's HTML, which shows
    nothing but the bawahan's names, NIP and jabatan): cached per pegawai and day, dropped by any change to
    the instansi's units, jabatan, pegawai or placements (`kinerja.dashboard.invalidasi`)."""
    hari = selectors.today()

    def hitung() -> TempatSaya:
        penempatan = selectors.penempatan_aktif(pegawai, hari)
        bawahan = selectors.bawahan_langsung(pegawai, hari, penempatan=penempatan)
        return TempatSaya(
            penempatan,
            selectors.rantai_penilai(pegawai, hari, penempatan=penempatan),
            bawahan,
            selectors.bawahan_semua_qs(pegawai, hari, penempatan=penempatan).count(),
            render_to_string("organisasi/_bawahan_table.html", {"bawahan": bawahan}) if bawahan else "",
        )

    scopes = [cache.pegawai(pegawai.pk), cache.instansi(pegawai.instansi_id)]
    return cache.cached(f"beranda-tempat:{hari.isoformat()}", scopes, hitung)


def skp_menunggu(pegawai: Pegawai) -> int:
    """SKP waiting for this penilai's agreement (cached; dropped when an SKP of theirs changes)."""
    scopes = [cache.scope("skp-penilai", pegawai.pk)]
    return cache.cached("skp-menunggu", scopes, lambda: perencanaan_selectors.inbox_penilai(pegawai).count())


def skp_saya(pegawai: Pegawai) -> selectors_skp.RingkasanSkp:
    """The SKP card's situation: cached per pegawai and day while their current SKP is approved (or not
    made yet), dropped by any save or delete of one of their SKP (`kinerja.dashboard.invalidasi`) and by the
    instansi's periode changes. A draft, submitted or returned SKP is read fresh: what still keeps it from
    being submitted depends on its RHK and indikator, whose edits do not save the SKP."""
    hari = selectors.today()

    def hitung() -> selectors_skp.RingkasanSkp | None:
        ringkasan = selectors_skp.ringkasan_skp(pegawai, rhk_semua=False)
        return ringkasan if ringkasan.skp is None or ringkasan.skp.status == Status.DISETUJUI.value else None

    scopes = [cache.scope("skp-pegawai", pegawai.pk), cache.instansi(pegawai.instansi_id)]
    tersimpan = cache.cached(f"beranda-skp:{hari.isoformat()}", scopes, hitung)
    return tersimpan if tersimpan is not None else selectors_skp.ringkasan_skp(pegawai, rhk_semua=False)


def umpan_balik_saya(user: Any, pegawai: Pegawai) -> dict[str, Any]:
    """The umpan balik card (latest messages to the user, unread count), cached per user: dropped by a
    message on their SKP or a reply in their thread, by their reading (the umpan balik services), by a
    change of the instansi's pegawai (the writers' names) and by an SKP deleted with its threads."""
    scopes = [
        *selectors_umpan_balik.scopes_belum_dibaca(user),
        cache.instansi(pegawai.instansi_id),
        cache.scope("skp-pegawai", pegawai.pk),
        cache.scope("skp-penilai", pegawai.pk),
    ]
    return cache.cached("beranda-umpan-balik", scopes, lambda: selectors_umpan_balik.ringkasan_beranda(user))


def ringkasan_admin(instansi: Instansi) -> dict[str, Any]:
    """The admin's whole-instansi panel: organisation counts and SKP progress of the running periode (cached
    per instansi; dropped by organisation changes and by any SKP change of the instansi)."""
    hari = selectors.today()

    def hitung() -> dict[str, Any]:
        hasil: dict[str, Any] = {"ringkasan": selectors.ringkasan_organisasi(instansi, hari)}
        periode = perencanaan_selectors.periode_berjalan(instansi)
        if periode is not None:
            hasil["progres_skp"] = selectors_skp.total_progres(
                perencanaan_selectors.progres_skp(instansi, periode)
            )
            hasil["progres_periode"] = periode
        return hasil

    scopes = [cache.instansi(instansi.pk), cache.scope("skp-instansi", instansi.pk)]
    return cache.cached(f"beranda-admin:{hari.isoformat()}", scopes, hitung)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One dashboard; its panels depend on what the user is: pegawai, atasan, admin kepegawaian."""
    user = request.user
    context: dict[str, object] = {"nav": "beranda"}
    pegawai = None
    if user.pegawai_id:
        # The pegawai with its instansi in one query; the navigation (context processor) reuses it.
        pegawai = user.pegawai = Pegawai.objects.select_related("instansi").get(pk=user.pegawai_id)
    if pegawai is not None:
        tempat = tempat_saya(pegawai)
        context["rantai"] = tempat.rantai
        context["penempatan"] = tempat.penempatan
        context["bawahan"] = tempat.bawahan
        context["jumlah_bawahan_semua"] = tempat.jumlah_bawahan_semua
        context["bawahan_html"] = tempat.bawahan_html
        context["skp_saya"] = skp_saya(pegawai)
        context["umpan_balik"] = umpan_balik_saya(user, pegawai)
        context["tindak_lanjut_dialog"] = selectors_dialog.tindak_lanjut_terbuka(pegawai)
        context["hari_ini"] = timezone.localdate()
        if tempat.bawahan:
            context["skp_menunggu"] = skp_menunggu(pegawai)
        context["predikat_saya"] = selectors_keberatan.predikat_beranda(pegawai.pk)
    if pegawai is not None or is_admin_kepegawaian(user):
        context["keberatan"] = selectors_keberatan.ringkasan_beranda(user)
    bahan = tugas_selectors.Bahan(
        skp=context.get("skp_saya"),
        umpan_balik_belum=context["umpan_balik"]["belum"] if "umpan_balik" in context else 0,
        keberatan=context.get("keberatan"),
        predikat=context.get("predikat_saya") or [],
        skp_menunggu=context.get("skp_menunggu") or 0,
        penilai=bool(context.get("bawahan")),
    )
    if allowed(user, "organisasi.view_org"):
        try:
            instansi = admin_instansi(request)
        except PermissionDenied:
            instansi = None  # a superuser before any instansi exists
        if instansi is not None:
            context["instansi"] = instansi
            context.update(ringkasan_admin(instansi))
            bahan.admin_instansi = instansi
        # The first-run checklist's link while a step is open (docs/rules.md §36): no query of its own.
        context["panduan_mulai"] = panduan.masih_terbuka(
            instansi, context.get("ringkasan"), context.get("progres_skp")
        )
        if is_superuser(user):
            context["semua_instansi"] = Instansi.objects.order_by("nama")
    context["tugas"] = tugas_selectors.tugas_untuk(user, selectors.today(), bahan)
    return render(request, "dashboard/home.html", context)
