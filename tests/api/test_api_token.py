"""Personal API tokens: Bearer authentication, revocation, CSRF, and the "Token API" page."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from kinerja.organisasi import services
from kinerja.organisasi.models import ApiToken, User

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def pelaksana(tim) -> User:  # type: ignore[no-untyped-def]
    return tim.user("staf")


def _bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_token_authenticates_as_its_user_and_only_its_hash_is_stored(pelaksana):
    token, raw = services.create_token(pelaksana, "Skrip rekap")
    assert raw.startswith("knj_") and len(raw) > 40
    assert token.prefix == raw[:8]
    assert token.sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiToken.objects.filter(sha256=raw).exists()
    response = _bearer(raw).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["nip"] == pelaksana.username


@pytest.mark.parametrize("header", ["Bearer knj_tidak-ada", "Bearer ", "Bearer " + "x" * 500])
def test_an_unknown_token_is_401(header):
    response = Client(headers={"Authorization": header}).get("/api/v1/me")
    assert response.status_code == 401


def test_a_revoked_token_is_401_at_once(pelaksana):
    token, raw = services.create_token(pelaksana, "Lama")
    client = _bearer(raw)
    assert client.get("/api/v1/me").status_code == 200
    services.revoke_token(token, pelaksana)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "dicabut" in response.json()["detail"]


def test_an_unknown_token_does_not_fall_back_to_the_session(tim):
    client = tim.client("staf")
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer knj_salah"}).status_code == 401


def test_the_token_of_an_inactive_user_is_refused(pelaksana):
    _, raw = services.create_token(pelaksana, "Uji")
    pelaksana.is_active = False
    pelaksana.save()
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(pelaksana):
    token, raw = services.create_token(pelaksana, "Uji")
    client = _bearer(raw)
    client.get("/api/v1/me")
    token.refresh_from_db()
    first = token.terakhir_dipakai
    assert first is not None
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.terakhir_dipakai == first
    ApiToken.objects.filter(pk=token.pk).update(
        terakhir_dipakai=timezone.now() - datetime.timedelta(minutes=2)
    )
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.terakhir_dipakai > first


def test_tokens_need_no_csrf_but_the_session_does(tim):
    skp_id = tim.skp["kabid"].pk
    session = Client(enforce_csrf_checks=True)
    session.force_login(tim.user("kabid"))
    refused = session.post(f"/api/v1/skp/{skp_id}/ajukan", content_type=JSON)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    # With the CSRF token (as the pages' htmx requests send it) the session works: the service answers.
    session.get("/")
    csrf = session.cookies["csrftoken"].value
    answered = session.post(f"/api/v1/skp/{skp_id}/ajukan", content_type=JSON, headers={"X-CSRFToken": csrf})
    assert answered.status_code == 422
    # A token needs none.
    assert (
        tim.token_client("kabid").post(f"/api/v1/skp/{skp_id}/ajukan", content_type=JSON).status_code == 422
    )


def test_openapi_documents_both_schemes(client):
    """Personal token and session for every endpoint; the instansi token only for the read API of other
    systems (tests/tindak_lanjut/test_api_eksternal.py)."""
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth", "TokenInstansiAuth"}
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


# --- the page -----------------------------------------------------------------------------------------


def test_the_page_needs_login(client):
    response = client.get("/organisasi/token/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_user_menu_links_the_page(tim):
    assert 'href="/organisasi/token/"' in tim.client("rekan").get("/").content.decode()


def test_create_shows_the_token_once_and_it_works(tim, pelaksana):
    client = tim.client("staf")
    page = client.get("/organisasi/token/").content.decode()
    assert "Token API" in page and "Belum ada token" in page
    response = client.post("/organisasi/token/", {"nama": "Dasbor unit"})
    assert response.status_code == 200
    html = response.content.decode()
    raw = re.search(r'id="token-baru" type="text" value="([^"]+)"', html).group(1)
    assert "tidak akan ditampilkan lagi" in html
    assert response["Cache-Control"].startswith("max-age=0")
    assert _bearer(raw).get("/api/v1/me").json()["nip"] == pelaksana.username
    again = client.get("/organisasi/token/").content.decode()
    assert raw not in again
    assert "Dasbor unit" in again and raw[:8] in again
    assert "belum pernah" not in again  # it was just used


def test_a_name_is_required(tim, pelaksana):
    html = tim.client("staf").post("/organisasi/token/", {"nama": ""}).content.decode()
    assert "is-invalid" in html
    assert not pelaksana.api_tokens.exists()


def test_the_number_of_tokens_is_capped(tim, pelaksana):
    for n in range(services.MAX_TOKEN_PER_USER):
        services.create_token(pelaksana, f"t{n}")
    html = tim.client("staf").post("/organisasi/token/", {"nama": "satu lagi"}).content.decode()
    assert "Cabut token yang tidak dipakai lagi" in html
    assert pelaksana.api_tokens.count() == services.MAX_TOKEN_PER_USER


def test_users_see_and_revoke_only_their_own_tokens(tim, pelaksana):
    kabid = tim.user("kabid")
    mine, _ = services.create_token(pelaksana, "Milik pelaksana")
    theirs, their_raw = services.create_token(kabid, "Milik kabid")
    client = tim.client("staf")
    html = client.get("/organisasi/token/").content.decode()
    assert "Milik pelaksana" in html and "Milik kabid" not in html
    assert client.post(f"/organisasi/token/{theirs.pk}/cabut/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert _bearer(their_raw).get("/api/v1/me").status_code == 200
    assert client.get(f"/organisasi/token/{mine.pk}/cabut/").status_code == 405
    response = client.post(f"/organisasi/token/{mine.pk}/cabut/", follow=True)
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert "dicabut" in response.content.decode()


def test_the_admin_has_tokens_too(tim):
    client = tim.client("admin")
    response = client.post("/organisasi/token/", {"nama": "Integrasi SIASN"})
    raw = re.search(r'id="token-baru" type="text" value="([^"]+)"', response.content.decode()).group(1)
    assert _bearer(raw).get("/api/v1/pegawai").status_code == 200
