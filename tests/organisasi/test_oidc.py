"""Sign-in with ASN Digital (OpenID Connect) against a real provider process (docs/rules.md §24.5).

Django's test client drives the redirect dance; the provider (oidc-provider-mock, over HTTP on 127.0.0.1)
signs the tokens, and Kinerja fetches its discovery document, JWKS, token and userinfo endpoints for real.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import jwt
import pytest
import requests
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client, override_settings

from kinerja.organisasi.keamanan.oidc import NipOIDCBackend
from kinerja.organisasi.models import User
from tests import builders as b

pytestmark = pytest.mark.django_db

CALLBACK = "/login/asn-digital/kembali/"


@pytest.fixture(autouse=True)
def _oidc(penyedia_oidc):  # type: ignore[no-untyped-def]
    cache.clear()
    with override_settings(**penyedia_oidc.settings()):
        yield


@pytest.fixture
def tim() -> b.Tim:
    return b.atasan_dan_bawahan()


def _spasi(nip: str) -> str:
    """A NIP as people write it: "19850315 201001 2 001"."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def _dansa(client: Client, sub: str, ubah: Callable[[str], str] | None = None):  # type: ignore[no-untyped-def]
    """Login page → provider's authorize form (the person picks `sub`) → back to Kinerja's callback."""
    r = client.get("/login/asn-digital/")
    assert r.status_code == 302
    url = r["Location"]
    if ubah is not None:
        url = ubah(url)
    form = requests.post(url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert form.status_code == 302, form.text
    kembali = urlsplit(form.headers["Location"])
    assert kembali.path == CALLBACK
    return client.get(f"{kembali.path}?{kembali.query}")


def _masuk_sebagai(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def test_login_page_offers_asn_digital_only_when_enabled(penyedia_oidc):
    r = Client().get("/login/")
    assert "Masuk dengan ASN Digital" in r.content.decode()
    assert 'name="password"' in r.content.decode()  # the NIP/password form stays
    with override_settings(OIDC_ISSUER="", OIDC_RP_CLIENT_ID=""):
        r = Client().get("/login/")
        assert "Masuk dengan ASN Digital" not in r.content.decode()
        assert Client().get("/login/asn-digital/").status_code == 404
        assert Client().get(CALLBACK + "?code=x&state=y").status_code == 404


def test_the_redirect_goes_to_the_discovered_endpoint_with_state_nonce_and_pkce(penyedia_oidc):
    r = Client().get("/login/asn-digital/")
    url = urlsplit(r["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{penyedia_oidc.issuer}/oauth2/authorize"
    q = parse_qs(url.query)
    assert q["client_id"] == ["kinerja"]
    assert q["scope"] == ["openid profile"]
    assert q["redirect_uri"] == ["http://testserver" + CALLBACK]
    assert q["state"] and q["nonce"] and q["code_challenge_method"] == ["S256"]


def test_a_pegawai_signs_in_matched_by_nip_with_spaces_and_it_is_audited(penyedia_oidc, tim):
    user = tim.bawahan.user
    penyedia_oidc.set_user("budi@asn.go.id", nip=_spasi(tim.bawahan.nip), name="Budi")
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 Chrome/131.0", REMOTE_ADDR="10.0.0.7")
    jumlah_user = User.objects.count()

    r = _dansa(client, "budi@asn.go.id")

    assert r.status_code == 302 and r["Location"] == "/"
    assert _masuk_sebagai(client) == user.pk
    assert User.objects.count() == jumlah_user
    log = AccessLog.objects.get(username=user.username)
    assert log.ip_address == "10.0.0.7"
    assert client.get("/").status_code == 200


def test_the_nip_may_come_in_a_differently_named_claim(penyedia_oidc, tim):
    penyedia_oidc.set_user("nip-lain", nip_baru=tim.bawahan.nip)
    client = Client()
    with override_settings(OIDC_NIP_CLAIM="nip_baru"):
        r = _dansa(client, "nip-lain")
    assert r.status_code == 302
    assert _masuk_sebagai(client) == tim.bawahan.user.pk


def test_a_pegawai_without_a_login_is_sent_to_the_admin_kepegawaian(penyedia_oidc, tim):
    pegawai = b.PegawaiFactory(instansi=tim.instansi)
    User.objects.filter(pegawai=pegawai).delete()
    penyedia_oidc.set_user("tanpa-akun", nip=pegawai.nip)
    jumlah_user = User.objects.count()
    client = Client()

    r = _dansa(client, "tanpa-akun")

    assert r.status_code == 403
    html = r.content.decode()
    assert "belum terdaftar" in html
    assert f"pegawai <strong>{tim.instansi.nama}</strong>" in html
    assert "Mintalah <strong>admin kepegawaian</strong>" in html
    assert _masuk_sebagai(client) is None
    assert User.objects.count() == jumlah_user  # no login made silently
    assert AccessFailureLog.objects.filter(username=pegawai.nip).count() == 1


def test_retrying_without_a_login_is_recorded_but_never_locks(penyedia_oidc, tim):
    pegawai = b.PegawaiFactory(instansi=tim.instansi)
    User.objects.filter(pegawai=pegawai).delete()
    penyedia_oidc.set_user("berulang", nip=pegawai.nip)
    client = Client(REMOTE_ADDR="10.0.0.11")
    for _ in range(6):
        r = _dansa(client, "berulang")
    assert r.status_code == 403
    assert "belum terdaftar" in r.content.decode()
    assert AccessFailureLog.objects.filter(username=pegawai.nip).count() == 6
    assert not AccessAttempt.objects.exists()


def test_an_unknown_nip_is_sent_to_the_bkpsdm(penyedia_oidc, tim):
    penyedia_oidc.set_user("orang-lain", nip="199001012020121001")
    client = Client()
    r = _dansa(client, "orang-lain")
    assert r.status_code == 403
    assert "BKPSDM" in r.content.decode()
    assert _masuk_sebagai(client) is None
    assert not User.objects.filter(username="199001012020121001").exists()


def test_no_nip_claim_is_refused(penyedia_oidc, tim):
    penyedia_oidc.set_user("tanpa-nip", name="Tanpa NIP")
    client = Client()
    r = _dansa(client, "tanpa-nip")
    assert r.status_code == 403
    assert "tidak menyertakan NIP" in r.content.decode()
    assert _masuk_sebagai(client) is None


@pytest.mark.parametrize("bentuk", ["list", "bool", "object", "long"])
def test_a_nip_claim_that_is_no_text_or_number_is_read_as_no_nip(penyedia_oidc, tim, bentuk):
    # §24.5: a multivalued mapper's list, a boolean, an object or an overlong text is no NIP: the "no NIP"
    # page, never the claim's Python form on the page or as the login name axes records.
    nip = tim.bawahan.nip
    nilai = {"list": [nip], "bool": True, "object": {"nip": nip}, "long": nip * 2}[bentuk]
    penyedia_oidc.set_user(f"aneh-{bentuk}", nip=nilai)
    client = Client()
    r = _dansa(client, f"aneh-{bentuk}")
    assert r.status_code == 403
    html = r.content.decode()
    assert "tidak menyertakan NIP" in html and "[" not in html.split("<main")[1].split("</main>")[0]
    assert _masuk_sebagai(client) is None


def test_a_nip_claim_as_a_number_signs_in(penyedia_oidc, tim):
    penyedia_oidc.set_user("angka", nip=int(tim.bawahan.nip))
    client = Client()
    assert _dansa(client, "angka").status_code == 302
    assert _masuk_sebagai(client) == tim.bawahan.user.pk


def test_an_inactive_login_is_refused(penyedia_oidc, tim):
    user = tim.bawahan.user
    user.is_active = False
    user.save()
    penyedia_oidc.set_user("nonaktif", nip=tim.bawahan.nip)
    client = Client()
    r = _dansa(client, "nonaktif")
    assert r.status_code == 403
    assert "tidak aktif" in r.content.decode()
    assert _masuk_sebagai(client) is None
    assert AccessFailureLog.objects.filter(username=user.username).exists()


def test_a_locked_login_stays_locked(penyedia_oidc, tim):
    user = tim.bawahan.user
    for _ in range(5):
        Client(REMOTE_ADDR="10.0.0.9").post("/login/", {"username": user.username, "password": "salah"})
    penyedia_oidc.set_user("terkunci", nip=tim.bawahan.nip)
    client = Client(REMOTE_ADDR="10.0.0.10")
    r = _dansa(client, "terkunci")
    # The refusal counts as one more failure of a locked login: axes answers with its lockout page.
    assert r.status_code in (403, 429)
    assert "dikunci" in r.content.decode()
    assert _masuk_sebagai(client) is None


def test_a_callback_with_a_state_this_browser_was_not_given_is_refused(penyedia_oidc, tim):
    penyedia_oidc.set_user("budi-state", nip=tim.bawahan.nip)
    client = Client()
    client.get("/login/asn-digital/")  # a real state is in the session, but not this one
    r = client.get(CALLBACK + "?" + urlencode({"code": "curian", "state": "palsu"}))
    assert r.status_code == 400
    assert "gagal" in r.content.decode()
    assert _masuk_sebagai(client) is None
    assert AccessFailureLog.objects.count() == 1


def test_a_callback_from_another_browser_is_refused(penyedia_oidc, tim):
    """The code and state were issued to one browser; another one (no state in its session) brings them."""
    penyedia_oidc.set_user("budi-lain", nip=tim.bawahan.nip)
    r = Client().get("/login/asn-digital/")
    form = requests.post(r["Location"], data={"sub": "budi-lain"}, allow_redirects=False, timeout=10)
    kembali = urlsplit(form.headers["Location"])
    penyerang = Client()
    r = penyerang.get(f"{kembali.path}?{kembali.query}")
    assert r.status_code == 400
    assert _masuk_sebagai(penyerang) is None


def test_a_nonce_mismatch_is_refused(penyedia_oidc, tim):
    penyedia_oidc.set_user("budi-nonce", nip=tim.bawahan.nip)
    client = Client()
    r = client.get("/login/asn-digital/")
    state = parse_qs(urlsplit(r["Location"]).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["nonce"] = "nonce-lain"  # as if the token answered another request
    session.save()
    form = requests.post(r["Location"], data={"sub": "budi-nonce"}, allow_redirects=False, timeout=10)
    kembali = urlsplit(form.headers["Location"])
    r = client.get(f"{kembali.path}?{kembali.query}")
    assert r.status_code == 400
    assert _masuk_sebagai(client) is None
    assert AccessFailureLog.objects.count() == 1


def test_an_expired_id_token_is_refused(penyedia_oidc_kedaluwarsa, tim):
    penyedia_oidc_kedaluwarsa.set_user("budi-lama", nip=tim.bawahan.nip)
    client = Client()
    with override_settings(**penyedia_oidc_kedaluwarsa.settings()):
        r = _dansa(client, "budi-lama")
    assert r.status_code == 400
    assert _masuk_sebagai(client) is None


def test_a_code_issued_to_another_client_is_refused(penyedia_oidc, tim):
    penyedia_oidc.set_user("budi-klien", nip=tim.bawahan.nip)

    def klien_lain(url: str) -> str:
        bagian = urlsplit(url)
        q = parse_qs(bagian.query)
        q["client_id"] = ["aplikasi-lain"]
        return urlunsplit(bagian._replace(query=urlencode(q, doseq=True)))

    client = Client()
    r = _dansa(client, "budi-klien", ubah=klien_lain)
    assert r.status_code == 400
    assert _masuk_sebagai(client) is None


def test_an_id_token_for_another_audience_is_refused(penyedia_oidc, tim):
    """A token the real provider signed for another application is not accepted by Kinerja's check."""
    penyedia_oidc.set_user("budi-aud", nip=tim.bawahan.nip)
    redirect_uri = "http://aplikasi-lain.test/kembali"
    params = {
        "response_type": "code",
        "client_id": "aplikasi-lain",
        "redirect_uri": redirect_uri,
        "scope": "openid",
        "state": "s",
        "nonce": "n",
    }
    form = requests.post(
        f"{penyedia_oidc.issuer}/oauth2/authorize?{urlencode(params)}",
        data={"sub": "budi-aud"},
        allow_redirects=False,
        timeout=10,
    )
    code = parse_qs(urlsplit(form.headers["Location"]).query)["code"][0]
    token = requests.post(
        f"{penyedia_oidc.issuer}/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
        auth=("aplikasi-lain", "x"),
        timeout=10,
    ).json()
    aud = jwt.decode(token["id_token"], options={"verify_signature": False})["aud"]
    assert aud in ("aplikasi-lain", ["aplikasi-lain"])
    with pytest.raises(jwt.InvalidAudienceError):
        NipOIDCBackend().verify_token(token["id_token"], nonce="n")


def test_logout_ends_the_session_and_offers_the_providers_logout(penyedia_oidc, tim):
    penyedia_oidc.set_user("budi-keluar", nip=tim.bawahan.nip)
    client = Client()
    _dansa(client, "budi-keluar")
    assert _masuk_sebagai(client) is not None

    r = client.post("/logout/")

    assert r.status_code == 200
    assert _masuk_sebagai(client) is None
    link = r.context["url_keluar_penyedia"]
    bagian = urlsplit(link)
    assert f"{bagian.scheme}://{bagian.netloc}{bagian.path}" == f"{penyedia_oidc.issuer}/oauth2/end_session"
    q = parse_qs(bagian.query)
    assert q["post_logout_redirect_uri"] == ["http://testserver/login/"]
    aud = jwt.decode(q["id_token_hint"][0], options={"verify_signature": False})["aud"]
    assert aud in ("kinerja", ["kinerja"])
    assert client.get("/").status_code == 302  # signed out here


def test_a_password_sign_in_still_logs_out_to_the_login_page(penyedia_oidc, tim):
    user = tim.bawahan.user
    user.set_password("kinerja-demo")
    user.save()
    client = Client()
    r = client.post("/login/", {"username": _spasi(tim.bawahan.nip), "password": "kinerja-demo"})
    assert r.status_code == 302
    assert _masuk_sebagai(client) == user.pk
    r = client.post("/logout/")
    assert r.status_code == 302 and r["Location"] == "/login/"


def test_the_discovery_document_is_fetched_once_and_cached(penyedia_oidc, tim):
    penyedia_oidc.set_user("budi-cache", nip=tim.bawahan.nip)
    with pytest.MonkeyPatch.context() as mp:
        panggilan: list[str] = []
        asli = requests.get

        def hitung(url, *args, **kwargs):  # type: ignore[no-untyped-def]
            panggilan.append(url)
            return asli(url, *args, **kwargs)

        mp.setattr(requests, "get", hitung)
        _dansa(Client(), "budi-cache")
        _dansa(Client(), "budi-cache")
    assert sum(url.endswith("/.well-known/openid-configuration") for url in panggilan) == 1


def test_the_callbacks_code_and_state_are_masked_in_what_axes_keeps(penyedia_oidc, tim):
    client = Client()
    client.get("/login/asn-digital/")
    client.get(CALLBACK + "?" + urlencode({"code": "kode-rahasia", "state": "palsu"}))
    attempt = AccessAttempt.objects.get()
    assert "kode-rahasia" not in attempt.get_data
    assert "palsu" not in attempt.get_data


def test_a_login_made_inactive_while_signed_in_is_signed_out(penyedia_oidc, tim):
    penyedia_oidc.set_user("budi-sesi", nip=tim.bawahan.nip)
    client = Client()
    _dansa(client, "budi-sesi")
    assert client.get("/").status_code == 200
    User.objects.filter(pk=tim.bawahan.user.pk).update(is_active=False)
    assert client.get("/").status_code == 302


def test_a_provider_that_cannot_be_reached_gets_a_page_and_the_form_stays():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the test asks it
    cache.clear()
    with override_settings(OIDC_ISSUER=f"http://127.0.0.1:{port}"):
        r = Client().get("/login/asn-digital/")
    assert r.status_code == 503
    assert "tidak dapat dihubungi" in r.content.decode()
