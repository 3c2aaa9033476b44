"""A real OpenID Connect provider for the tests: oidc-provider-mock's Flask app on a werkzeug HTTP server.

It runs in a thread of the test process on a free 127.0.0.1 port, speaks HTTP like ASN Digital's Keycloak
would (discovery, authorize form, token endpoint, JWKS, userinfo, end_session), signs RS256 ID tokens with
its own key, and takes the claims of a subject by `PUT /users/<sub>`.
"""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

import oidc_provider_mock
import requests
import werkzeug.serving

# authlib refuses plain HTTP unless told; the provider only ever listens on 127.0.0.1 here.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")


@dataclass(frozen=True)
class Penyedia:
    issuer: str

    def set_user(self, sub: str, **claims: object) -> None:
        r = requests.put(f"{self.issuer}/users/{quote(sub)}", json=claims, timeout=10)
        assert r.status_code == 204, r.text

    def settings(self, **extra: object) -> dict[str, object]:
        """The Django settings of an instansi that enabled sign-in with this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": "kinerja",
            "OIDC_RP_CLIENT_SECRET": "rahasia-uji",
            **extra,
        }


@contextmanager
def jalankan_penyedia(token_berlaku: datetime.timedelta = datetime.timedelta(hours=1)) -> Iterator[Penyedia]:
    app = oidc_provider_mock.app(require_nonce=True, access_token_max_age=token_berlaku)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Penyedia(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
