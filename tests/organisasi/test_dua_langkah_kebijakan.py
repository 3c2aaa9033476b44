"""Two-step sign-in policy, the admin's reset and ASN Digital sign-in (docs/rules.md §30)."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi import services
from kinerja.organisasi.models import ResetDuaLangkah, User
from kinerja.permissions.organisasi import wajib_dua_langkah
from tests import builders as b
from tests.organisasi.dua_langkah_bantu import SANDI, aktifkan, kode
from tests.organisasi.test_pengaturan_instansi import _data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tim() -> b.Tim:
    tim = b.atasan_dan_bawahan()
    for user in (tim.admin, tim.atasan.user, tim.bawahan.user):
        user.set_password(SANDI)
        user.save()
    return tim


def _wajibkan(tim: b.Tim, admin: bool = False, penilai: bool = False) -> None:
    tim.instansi.wajib_2fa_admin = admin
    tim.instansi.wajib_2fa_penilai = penilai
    tim.instansi.save()


def _masuk(user: User) -> Client:
    client = Client()
    r = client.post("/login/", {"username": user.username, "password": SANDI})
    assert r.status_code == 302
    return client


def test_policy_off_obliges_nobody(tim):
    for user in (tim.admin, tim.atasan.user, tim.bawahan.user):
        assert wajib_dua_langkah(user) is False
        assert _masuk(user).get("/").status_code == 200


def test_admin_policy_sends_the_admin_to_enrol_and_nothing_else_opens(tim):
    _wajibkan(tim, admin=True)
    client = _masuk(tim.admin)
    r = client.get("/")
    assert r.status_code == 302 and r["Location"] == "/akun/dua-langkah/"
    assert client.get("/organisasi/pegawai/")["Location"] == "/akun/dua-langkah/"
    halaman = client.get("/akun/dua-langkah/")
    assert halaman.status_code == 200 and 'id="wajib-2fa"' in halaman.content.decode()
    # exempt: health check, the API (its own credential), static files, sign-out
    assert client.get("/healthz").status_code == 200
    # the installable app's files: a phone not yet verified still loads its service worker and offline page
    for path in ("/sw.js", "/manifest.webmanifest", "/luring/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/tidak-ada").get("Location") != "/akun/dua-langkah/"
    # the penilai and the plain pegawai are not affected by the admin policy
    assert _masuk(tim.atasan.user).get("/").status_code == 200
    # enrolling verifies the session: the rest opens
    device = TOTPDevice.objects.get(user=tim.admin)
    client.post("/akun/dua-langkah/konfirmasi/", {"kode": kode(device)})
    assert client.get("/").status_code == 200


def test_penilai_policy_obliges_a_penilai_and_not_a_plain_pegawai(tim):
    _wajibkan(tim, penilai=True)
    assert wajib_dua_langkah(tim.atasan.user) is True
    assert wajib_dua_langkah(tim.bawahan.user) is False
    assert wajib_dua_langkah(tim.admin) is False
    assert _masuk(tim.atasan.user).get("/")["Location"] == "/akun/dua-langkah/"
    assert _masuk(tim.bawahan.user).get("/").status_code == 200


def test_a_verified_session_is_required_on_every_request(tim):
    _wajibkan(tim, admin=True)
    device, _ = aktifkan(tim.admin)
    client = Client()
    client.force_login(tim.admin)  # a session that skipped the code
    r = client.get("/organisasi/pegawai/")
    assert r.status_code == 302 and r["Location"] == "/login/kode/?next=/organisasi/pegawai/"
    r = client.post(r["Location"], {"kode": kode(device)})
    assert r["Location"] == "/organisasi/pegawai/"
    assert client.get("/organisasi/pegawai/").status_code == 200


def test_a_required_user_cannot_disable_it(tim):
    _wajibkan(tim, admin=True)
    aktifkan(tim.admin)
    client = Client()
    client.force_login(tim.admin)
    client.post("/akun/dua-langkah/nonaktifkan/", {"kode_atau_sandi": SANDI})
    assert TOTPDevice.objects.filter(user=tim.admin).exists()


def test_the_policy_is_set_on_the_settings_page(tim):
    client = Client()
    client.force_login(tim.admin)
    halaman = client.get("/organisasi/pengaturan/").content.decode()
    assert "Keamanan masuk" in halaman and 'name="wajib_2fa_penilai"' in halaman
    r = client.post("/organisasi/pengaturan/", _data(tim.instansi, wajib_2fa_penilai=True))
    assert r.status_code == 302, r.content.decode()[:3000]
    tim.instansi.refresh_from_db()
    assert tim.instansi.wajib_2fa_penilai is True and tim.instansi.wajib_2fa_admin is False
    assert wajib_dua_langkah(tim.atasan.user) is True  # the cached policy was dropped on save
    assert "wajib_2fa_penilai" in services.PENGATURAN_INSTANSI


# --- the admin's reset -------------------------------------------------------------------------------------


def test_admin_resets_a_pegawais_devices_with_a_reason_audited_and_notified(tim):
    aktifkan(tim.bawahan.user)
    client = Client()
    client.force_login(tim.admin)
    detail = client.get(f"/organisasi/pegawai/{tim.bawahan.pk}/").content.decode()
    assert 'id="reset-2fa"' in detail
    url = f"/organisasi/pegawai/{tim.bawahan.pk}/reset-dua-langkah/"

    client.post(url, {"alasan": "  "})
    assert TOTPDevice.objects.filter(user=tim.bawahan.user).exists()

    r = client.post(url, {"alasan": "Ponsel hilang, dikonfirmasi lewat telepon"})
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=tim.bawahan.user).exists()
    assert not StaticDevice.objects.filter(user=tim.bawahan.user).exists()
    catatan = ResetDuaLangkah.objects.get()
    assert (catatan.user, catatan.direset_oleh) == (tim.bawahan.user, tim.admin)
    assert catatan.alasan.startswith("Ponsel hilang") and catatan.jumlah_perangkat == 2
    notif = Notifikasi.objects.get(penerima=tim.bawahan.user, jenis="dua_langkah_reset")
    assert "Ponsel hilang" in notif.isi and notif.tautan == "/akun/dua-langkah/"
    # the pegawai signs in with the password alone again
    assert _masuk(tim.bawahan.user).session.get(SESSION_KEY)


def test_reset_is_refused_to_a_pegawai_another_instansis_admin_and_for_ones_own_account(tim):
    aktifkan(tim.bawahan.user)
    url = f"/organisasi/pegawai/{tim.bawahan.pk}/reset-dua-langkah/"
    lain = b.admin_instansi(b.InstansiFactory())
    for user in (tim.atasan.user, lain):
        client = Client()
        client.force_login(user)
        assert client.post(url, {"alasan": "coba"}).status_code == 403
        detail = client.get(f"/organisasi/pegawai/{tim.bawahan.pk}/").content.decode()
        assert 'id="reset-2fa"' not in detail
    assert TOTPDevice.objects.filter(user=tim.bawahan.user).exists()
    # an admin who is also a pegawai cannot reset their own devices this way
    kepala = tim.kepala.user
    kepala.admin_instansi = tim.instansi
    kepala.save()
    aktifkan(kepala)
    client = Client()
    client.force_login(kepala)
    assert 'id="reset-2fa"' not in client.get(f"/organisasi/pegawai/{tim.kepala.pk}/").content.decode()
    r = client.post(f"/organisasi/pegawai/{tim.kepala.pk}/reset-dua-langkah/", {"alasan": "sendiri"})
    assert r.status_code == 403
    assert TOTPDevice.objects.filter(user=kepala).exists()
    assert not ResetDuaLangkah.objects.exists()


# --- ASN Digital -------------------------------------------------------------------------------------------


@pytest.fixture
def oidc(penyedia_oidc):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    with override_settings(**penyedia_oidc.settings()):
        yield penyedia_oidc


def _oidc_masuk(client: Client, penyedia, pegawai):  # type: ignore[no-untyped-def]
    from urllib.parse import urlsplit

    import requests

    penyedia.set_user(f"{pegawai.nip}@asn.go.id", nip=pegawai.nip, name="X")
    url = client.get("/login/asn-digital/")["Location"]
    form = requests.post(url, data={"sub": f"{pegawai.nip}@asn.go.id"}, allow_redirects=False, timeout=10)
    kembali = urlsplit(form.headers["Location"])
    return client.get(f"{kembali.path}?{kembali.query}")


def test_asn_digital_sign_in_counts_as_verified_by_default(tim, oidc):
    _wajibkan(tim, penilai=True)
    aktifkan(tim.atasan.user)
    client = Client()
    r = _oidc_masuk(client, oidc, tim.atasan)
    assert r["Location"] == "/" and int(client.session[SESSION_KEY]) == tim.atasan.user.pk
    assert client.get("/").status_code == 200


@override_settings(KINERJA_OIDC_TERVERIFIKASI=False)
def test_asn_digital_sign_in_asks_for_the_code_when_configured(tim, oidc):
    _wajibkan(tim, penilai=True)
    device, _ = aktifkan(tim.atasan.user)
    client = Client()
    r = _oidc_masuk(client, oidc, tim.atasan)
    assert r["Location"] == "/login/kode/" and SESSION_KEY not in client.session
    r = client.post("/login/kode/", {"kode": kode(device)})
    assert r["Location"] == "/" and int(client.session[SESSION_KEY]) == tim.atasan.user.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session["oidc_masuk"] is True  # the provider's logout is offered at sign-out
    assert client.get("/").status_code == 200


def test_a_policy_turned_on_reaches_a_session_already_signed_in(tim):
    # the answer kept in the session at sign-in gives way as soon as the instansi's policy changes
    client = _masuk(tim.admin)
    assert client.get("/").status_code == 200
    _wajibkan(tim, admin=True)
    assert client.get("/")["Location"] == "/akun/dua-langkah/"


def test_the_answer_kept_at_sign_in_spares_the_next_requests_the_policy_lookup(tim):
    client = _masuk(tim.bawahan.user)
    with mock.patch("kinerja.permissions.organisasi.wajib_dua_langkah", side_effect=AssertionError):
        assert client.get("/notifikasi/").status_code == 200
    # after an hour the cached policy is asked again (a role gained since sign-in counts)
    with (
        mock.patch("time.time", return_value=time.time() + 2 * 60 * 60),
        mock.patch("kinerja.permissions.organisasi.wajib_dua_langkah", return_value=False) as tanya,
    ):
        assert client.get("/notifikasi/").status_code == 200
    assert tanya.called
