"""Sign-in with ASN Digital: mozilla-django-oidc's views with Kinerja's refusal page and logout (§24.5)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth import views as auth_views
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from kinerja.organisasi.keamanan import dua_langkah, oidc
from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.keamanan.axes import pesan_terkunci

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """Django's login form, with "Masuk dengan ASN Digital" beside it when the instansi enabled OIDC."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_aktif"] = oidc.aktif()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        """A user with an authenticator is not signed in yet: kept pending until the code (§30)."""
        user = form.get_user()
        if selectors_keamanan.punya_dua_langkah(user):
            dua_langkah.tunda(self.request, user, self.get_success_url())
            return redirect("login_kode")
        return super().form_valid(form)


class MasukOIDC(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the browser to the provider with a fresh state and nonce (kept in the session by the library)."""

    get_settings = staticmethod(oidc.pengaturan)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.aktif():
            raise Http404("Masuk dengan ASN Digital tidak diaktifkan di instansi ini.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.pengaturan("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            # The discovery document cannot be had (provider down, wrong issuer): say so, the form stays.
            logger.warning("OIDC: discovery dari %s gagal", settings.OIDC_ISSUER, exc_info=True)
            context = {"penolakan": oidc.Penolakan(oidc.TIDAK_TERHUBUNG)}
            return render(request, "registration/oidc_ditolak.html", context, status=503)
        self.OIDC_RP_CLIENT_ID = oidc.pengaturan("OIDC_RP_CLIENT_ID")
        return super().get(request)  # type: ignore[no-any-return]


def _catat_gagal(request: HttpRequest) -> None:
    """A refusal before any backend ran (an unknown state) is recorded like a failed sign-in (§24.1)."""
    user_login_failed.send(sender=__name__, credentials={"username": None}, request=request)


class KembaliOIDC(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's redirect back: signs the matched login in, or says why not and whom to ask."""

    get_settings = staticmethod(oidc.pengaturan)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.aktif():
            raise Http404("Masuk dengan ASN Digital tidak diaktifkan di instansi ini.")
        state = request.GET.get("state")
        if request.GET.get("error") or state is None or state not in request.session.get("oidc_states", {}):
            # The provider refused, or the state is not one this browser was sent away with (a forged or
            # replayed callback; the library answers with a bare 400): no backend runs, so record it here.
            _catat_gagal(request)
            if request.GET.get("error"):
                return super().get(request)  # type: ignore[no-any-return]  # drops the state, then refuses
            return self.login_failure()
        return super().get(request)  # type: ignore[no-any-return]

    def login_success(self) -> HttpResponse:
        user = self.user
        if not settings.KINERJA_OIDC_TERVERIFIKASI and selectors_keamanan.punya_dua_langkah(user):
            # ASN Digital's own factor does not count here (§30): the code step, as after a password.
            tujuan = self.success_url
            user.backend = "kinerja.organisasi.keamanan.oidc.NipOIDCBackend"
            dua_langkah.tunda(self.request, user, tujuan, oidc=True)
            return redirect("login_kode")
        response = super().login_success()
        self.request.session["oidc_masuk"] = True
        return response  # type: ignore[no-any-return]

    def login_failure(self) -> HttpResponse:
        request = self.request
        penolakan = getattr(request, "kinerja_oidc_penolakan", None) or oidc.Penolakan(oidc.TOKEN_DITOLAK)
        pegawai = None
        if penolakan.alasan == oidc.TIDAK_TERDAFTAR:
            pegawai = selectors_keamanan.pegawai_menurut_nip(penolakan.nip)
        context = {
            "penolakan": penolakan,
            "pegawai": pegawai,
            "pesan_terkunci": pesan_terkunci() if penolakan.alasan == oidc.TERKUNCI else "",
        }
        status = 400 if penolakan.alasan == oidc.TOKEN_DITOLAK else 403
        return render(request, "registration/oidc_ditolak.html", context, status=status)


class KeluarView(auth_views.LogoutView):
    """Ends the local session; after an ASN Digital sign-in, offers the provider's logout as well."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get("oidc_id_token") if request.session.get("oidc_masuk") else None
        if not id_token:
            return super().post(request, *args, **kwargs)
        logout(request)
        url = oidc.url_keluar_penyedia()
        if url:
            kembali = request.build_absolute_uri(reverse("login"))
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "post_logout_redirect_uri": kembali,
                    "client_id": oidc.pengaturan("OIDC_RP_CLIENT_ID"),
                }
            )
            url = f"{url}?{query}"
        return render(request, "registration/keluar_oidc.html", {"url_keluar_penyedia": url})
