"""Sign-in with ASN Digital (OpenID Connect) through mozilla-django-oidc (docs/rules.md §24.5).

The library does the redirect dance, the state and the nonce; this module adds what Kinerja needs: endpoints
from the issuer's discovery document (fetched once and cached), the ID token checked for audience, issuer and
expiry (the library leaves the audience unchecked), and the person matched to the login of their pegawai by
the NIP claim. No login is ever created here: a NIP without a login is refused with a page saying whom to ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.models import User

DISCOVERY_CACHE_DETIK = 60 * 60

# Settings the library reads that a deployment normally leaves to the discovery document.
_DARI_DISCOVERY = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}

# Why a sign-in was refused, kept on the request for the callback view's page (docs/rules.md §24.5).
TIDAK_TERDAFTAR = "tidak_terdaftar"  # no login holds this NIP
NONAKTIF = "nonaktif"
TERKUNCI = "terkunci"
TANPA_NIP = "tanpa_nip"  # the provider sent no NIP claim
TOKEN_DITOLAK = "token_ditolak"  # state, nonce, signature, audience, issuer, expiry, or the token request
TIDAK_TERHUBUNG = "tidak_terhubung"  # the provider's discovery document could not be fetched
# Refusals of a person the provider vouched for: recorded, but not counted towards a lock (§24.5).
TIDAK_DIHITUNG = frozenset({TIDAK_TERDAFTAR, NONAKTIF, TANPA_NIP})


@dataclass
class Penolakan:
    alasan: str
    nip: str = ""


def aktif() -> bool:
    """OIDC sign-in is offered when the deployment names an issuer and a client id."""
    return bool(getattr(settings, "OIDC_ISSUER", "") and getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def discovery() -> dict[str, Any]:
    """The issuer's `/.well-known/openid-configuration`, cached for an hour (per issuer)."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    kunci = f"oidc-discovery:{issuer}"
    dokumen = cache.get(kunci)
    if dokumen is None:
        respons = requests.get(
            f"{issuer}/.well-known/openid-configuration",
            timeout=getattr(settings, "OIDC_TIMEOUT", 10),
            verify=getattr(settings, "OIDC_VERIFY_SSL", True),
        )
        respons.raise_for_status()
        dokumen = respons.json()
        if str(dokumen.get("issuer", "")).rstrip("/") != issuer:
            raise ImproperlyConfigured("OIDC: issuer dalam discovery tidak sama dengan OIDC_ISSUER.")
        cache.set(kunci, dokumen, DISCOVERY_CACHE_DETIK)
    return dict(dokumen)


def pengaturan(attr: str, *args: Any) -> Any:
    """The library's settings lookup, with endpoints not set explicitly taken from discovery."""
    nilai = getattr(settings, attr, None)
    if nilai:
        return nilai
    if attr in _DARI_DISCOVERY and aktif():
        dari = discovery().get(_DARI_DISCOVERY[attr])
        if dari:
            return dari
    return import_from_settings(attr, *args)


def url_keluar_penyedia() -> str:
    """The provider's end_session_endpoint (explicit setting or discovery), or "" when unknown."""
    if not aktif():
        return ""
    try:
        return str(pengaturan("OIDC_OP_LOGOUT_ENDPOINT", "") or "")
    except (requests.RequestException, ValueError, ImproperlyConfigured):
        return ""


#: Longer than any NIP or NRP: such a claim is no NIP (and would not fit where axes keeps the login name).
NIP_MAKS = 30


def normalise_nip(nilai: object) -> str:
    """A NIP claim as the login stores it: the spaces (dots, dashes) of "19850315 201001 2 001" removed.
    Only a text or a whole number is a NIP; anything else (a list from a multivalued mapper, true, an
    object) or a text longer than ``NIP_MAKS`` is read as no NIP (docs/rules.md §24.5)."""
    if isinstance(nilai, bool) or not isinstance(nilai, str | int):
        return ""
    teks = str(nilai).strip()
    if re.fullmatch(r"[\d\s.\-]+", teks):
        teks = re.sub(r"\D", "", teks)
    return teks if len(teks) <= NIP_MAKS else ""


def tolak(request: HttpRequest, alasan: str, nip: str = "") -> None:
    request.kinerja_oidc_penolakan = Penolakan(alasan, nip)  # type: ignore[attr-defined]


class NipOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, matching by NIP instead of e-mail and never creating a login."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads its endpoints here; Kinerja reads them when a callback arrives (below), so a
        # password sign-in never fetches the discovery document and an instansi without OIDC needs none.
        self.UserModel = User

    get_settings = staticmethod(pengaturan)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 - the library's attribute names
        return str(pengaturan("OIDC_OP_TOKEN_ENDPOINT"))

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return str(pengaturan("OIDC_OP_USER_ENDPOINT"))

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return str(pengaturan("OIDC_OP_JWKS_ENDPOINT"))

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_SECRET)

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:  # noqa: N802
        return str(getattr(settings, "OIDC_RP_SIGN_ALGO", "RS256"))

    @property
    def OIDC_RP_IDP_SIGN_KEY(self) -> Any:  # noqa: N802
        return None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes a nonce: a password sign-in is none of this backend's business.
        if request is None or "nonce" not in kwargs or not aktif():
            return None
        try:
            user = super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, ValueError, KeyError):
            # A wrong nonce, a bad signature, audience or issuer, an expired token, a refused code.
            tolak(request, TOKEN_DITOLAK)
            return None
        if user is None and not hasattr(request, "kinerja_oidc_penolakan"):
            tolak(request, TOKEN_DITOLAK)
        return user

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The library's check plus what it leaves out: the audience (this client), the issuer, an expiry."""
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("OIDC: algoritme tanda tangan token tidak sesuai.")
        return dict(
            jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER.rstrip("/"),
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        )

    def retrieve_matching_jwk(self, token: str) -> jwt.PyJWK:
        """The provider's signing key: by `kid` when the token names one (Keycloak does), else the one key
        for the token's algorithm. The library's version fails on a token or key without a `kid`."""
        header = jwt.get_unverified_header(token)
        if "kid" in header:
            return super().retrieve_matching_jwk(token)  # type: ignore[no-any-return]
        respons = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
        )
        respons.raise_for_status()
        alg = header.get("alg")
        kunci = [
            k
            for k in respons.json().get("keys", [])
            if k.get("alg", alg) == alg and k.get("use", "sig") == "sig"
        ]
        if len(kunci) != 1:
            raise SuspiciousOperation("OIDC: kunci tanda tangan penyedia tidak dapat dipilih.")
        return jwt.PyJWK(kunci[0])

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        # The NIP may come in the ID token (a Keycloak mapper) or from the userinfo endpoint: both count,
        # and the userinfo's word wins. The userinfo must be about the same subject (OIDC Core 5.3.2).
        info = dict(super().get_userinfo(access_token, id_token, payload))
        if info.get("sub") not in (None, payload.get("sub")):
            raise SuspiciousOperation("OIDC: userinfo untuk subjek lain.")
        return {**payload, **info}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return True  # the NIP is checked in get_or_create_user, with its own refusal

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        nip = normalise_nip(claims.get(settings.OIDC_NIP_CLAIM))
        request = self.request
        request.kinerja_oidc_nip = nip  # the login axes records this attempt under (axes_username)
        if not nip:
            tolak(request, TANPA_NIP)
            return None
        user = User.objects.filter(pegawai__nip=nip).select_related("pegawai").first()
        if user is None:
            tolak(request, TIDAK_TERDAFTAR, nip)
            return None
        if not user.is_active:
            tolak(request, NONAKTIF, nip)
            return None
        if selectors_keamanan.terkunci(user.username):
            tolak(request, TERKUNCI, nip)
            return None
        return user

    def get_user(self, user_id: Any) -> User | None:
        # The library's get_user ignores is_active; a login made inactive mid-session ends like any other.
        return ModelBackend().get_user(user_id)  # type: ignore[return-value]


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The login an attempt is recorded under: the typed username, or the NIP an OIDC provider sent."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = getattr(request, "kinerja_oidc_nip", None)
        if username is None and request.method == "POST":
            username = request.POST.get("username")
    return username
