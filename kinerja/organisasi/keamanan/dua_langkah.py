"""Two-step sign-in (TOTP) in the request: the pending sign-in between password and code, whether a
session counts as verified, and the gate for users the instansi's policy obliges (docs/rules.md §30)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kinerja.common import cache
from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.models import Instansi, User

#: The session key of a sign-in that passed the password and waits for its code.
TERTUNDA = "dua_langkah_tertunda"
#: How long the code step waits after the password (seconds).
BATAS_TERTUNDA = 5 * 60
#: The session key of the policy's answer for this user: [obliged, policy generation, when (epoch s)].
WAJIB_SESI = "dua_langkah_wajib"
#: The answer is asked again after this long (a role gained since sign-in) or when any policy changed.
UMUR_WAJIB_SESI = 60 * 60


def tunda(request: HttpRequest, user: User, tujuan: str, oidc: bool = False) -> None:
    """Keep the user who passed the password (or ASN Digital, `oidc`) in the session, not signed in, until
    the code is given."""
    request.session[TERTUNDA] = {
        "oidc": oidc,
        "user": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "tujuan": tujuan,
        "sampai": time.time() + BATAS_TERTUNDA,
    }


def tertunda(request: HttpRequest) -> tuple[User, str, str] | None:
    """(user, backend, where to go next) of the pending sign-in, None when there is none or it expired."""
    data = request.session.get(TERTUNDA)
    if not data or data.get("sampai", 0) < time.time():
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return user, data["backend"], data["tujuan"]


def akhiri_tunda(request: HttpRequest) -> bool:
    """Drop the pending sign-in; True when it came from ASN Digital (its logout is then offered)."""
    data = request.session.pop(TERTUNDA, None) or {}
    return bool(data.get("oidc"))


def terverifikasi(request: HttpRequest) -> bool:
    """The session passed Kinerja's second step, or came from ASN Digital while its own second factor
    counts (setting KINERJA_OIDC_TERVERIFIKASI)."""
    user: Any = request.user
    if user.is_authenticated and user.is_verified():
        return True
    return bool(
        settings.KINERJA_OIDC_TERVERIFIKASI
        and request.session.get("oidc_masuk")
        and request.session.get(BACKEND_SESSION_KEY) == "kinerja.organisasi.keamanan.oidc.NipOIDCBackend"
    )


def wajib_sesi(request: HttpRequest, user: Any) -> bool:
    """Does the policy oblige this session's user (docs/rules.md §30)? Answered at sign-in and kept in the
    session while no instansi's policy changed and for `UMUR_WAJIB_SESI`; after that from the cached policy
    (`wajib_dua_langkah`), without writing the session. The check on a request right after sign-in costs
    no query."""
    from kinerja.permissions.organisasi import wajib_dua_langkah

    simpan = request.session.get(WAJIB_SESI)
    segar = isinstance(simpan, list) and len(simpan) == 3 and 0 <= time.time() - simpan[2] < UMUR_WAJIB_SESI
    if segar and simpan[1] == _versi_kebijakan():
        return bool(simpan[0])
    return wajib_dua_langkah(user)


def _versi_kebijakan() -> str:
    return cache.key("kebijakan-2fa-sesi", [selectors_keamanan.SCOPE_KEBIJAKAN])


def _masuk(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At sign-in: the policy's answer into the session (the login writes the session anyway)."""
    from kinerja.permissions.organisasi import wajib_dua_langkah

    if request is not None and hasattr(request, "session"):
        request.session[WAJIB_SESI] = [wajib_dua_langkah(user), _versi_kebijakan(), int(time.time())]


def _bebas() -> tuple[str, ...]:
    """Paths a user without a verified session may still open: the way in and out, the enrolment, static
    files, the health check, the installable app's files (they carry no data) and the API (its tokens are a
    credential of their own)."""
    return (
        settings.STATIC_URL,
        "/api/",
        reverse("healthz"),
        reverse("favicon"),
        reverse("login"),
        reverse("logout"),
        reverse("dua_langkah"),
        reverse("manifest"),
        reverse("service_worker"),
        reverse("luring"),
    )


class WajibDuaLangkahMiddleware:
    """Sends a user the policy obliges (`kinerja.permissions.organisasi.wajib_dua_langkah`) and whose
    session is not verified to the code step (has an authenticator) or to the enrolment (has none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        bebas = not user.is_authenticated or request.path.startswith(_bebas())
        if not bebas and not terverifikasi(request) and wajib_sesi(request, user):
            if selectors_keamanan.punya_dua_langkah(user):
                return redirect(f"{reverse('login_kode')}?next={request.path}")
            return redirect("dua_langkah")
        return self.get_response(request)


def _instansi_disimpan(sender: Any, instance: Instansi, **kwargs: Any) -> None:
    cache.invalidate(selectors_keamanan.SCOPE_KEBIJAKAN)


def connect() -> None:
    post_save.connect(_instansi_disimpan, sender=Instansi, dispatch_uid="kebijakan-2fa")
    user_logged_in.connect(_masuk, dispatch_uid="kebijakan-2fa-masuk")
