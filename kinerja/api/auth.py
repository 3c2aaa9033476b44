"""API authentication: a personal token (`Authorization: Bearer <token>`) or the browser session.

Tokens are issued on the "Token API" page (/organisasi/token/); only their SHA-256 is stored. A request that
carries a Bearer token is decided by the token alone: an unknown or revoked token, or one of an inactive
user, is refused with 401 (it never falls back to the session), and so is every token of a login that
django-axes locked after repeated wrong passwords. A password change deletes the user's tokens. Token
requests need no CSRF token; session requests keep django-ninja's CSRF check on unsafe methods.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from kinerja.organisasi import services
from kinerja.organisasi.keamanan import selectors as selectors_keamanan


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from the "Token API" page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.use_token(token.strip())
        if user is None:
            raise AuthenticationError(401, "Token API tidak dikenal, sudah dicabut, atau akunnya nonaktif.")
        # A token is no way around a lockout (docs/rules.md §24.2): a locked login's tokens are locked too.
        if selectors_keamanan.terkunci(user.username):
            raise AuthenticationError(
                401, "Akun pemilik token ini sedang dikunci karena terlalu banyak percobaan masuk yang gagal."
            )
        # The routers ask `request.user.has_perm(...)`, exactly as the pages do.
        request.user = user
        return user


token_auth = TokenAuth()

#: Token first: django-ninja stops at the first scheme that raises, and the session scheme raises a CSRF
#: error on unsafe methods, which would hide a valid token sent without a session.
AUTH = [token_auth, django_auth]
