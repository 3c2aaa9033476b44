"""Two-step sign-in: enrolment, the code after the password, recovery codes, throttling (rules.md §30)."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.organisasi.keamanan.dua_langkah import TERTUNDA
from kinerja.organisasi.models import User
from tests import builders as b
from tests.organisasi.dua_langkah_bantu import SANDI, aktifkan, kode

pytestmark = pytest.mark.django_db


@pytest.fixture
def tim() -> b.Tim:
    return b.atasan_dan_bawahan()


@pytest.fixture
def pelaksana(tim: b.Tim) -> User:
    user = tim.bawahan.user
    user.set_password(SANDI)
    user.save()
    return user


def _masuk(user: User, client: Client | None = None):  # type: ignore[no-untyped-def]
    client = client or Client()
    return client.post("/login/", {"username": user.username, "password": SANDI})


def test_enrolment_shows_qr_and_secret_and_confirms_with_the_first_code(pelaksana):
    client = Client()
    client.force_login(pelaksana)
    r = client.get("/akun/dua-langkah/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=pelaksana)
    assert device.confirmed is False
    # the secret is on the page for manual entry, and nowhere in its hex form
    rahasia = r.context["rahasia"]
    assert f'data-rahasia="{rahasia}"' in html and device.key not in html
    assert "Kinerja" in r.context["penerbit"]

    salah = client.post(
        "/akun/dua-langkah/konfirmasi/", {"kode": "000000" if kode(device) != "000000" else "111111"}
    )
    assert salah.status_code == 200 and "Kode salah" in salah.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False

    device.throttle_reset()
    ok = client.post("/akun/dua-langkah/konfirmasi/", {"kode": kode(device)})
    assert ok.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    kode_pemulihan = ok.context["kode"]
    assert len(kode_pemulihan) == 10 and len(set(kode_pemulihan)) == 10
    assert set(StaticToken.objects.filter(device__user=pelaksana).values_list("token", flat=True)) == set(
        kode_pemulihan
    )
    assert "download=" in ok.content.decode() and "no-store" in ok["Cache-Control"]
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # shown once: the page now shows the state, not the codes
    status = client.get("/akun/dua-langkah/").content.decode()
    assert kode_pemulihan[0] not in status and 'id="sisa-kode">10<' in status


def test_the_password_alone_leaves_the_user_pending_until_the_code(pelaksana):
    device, _ = aktifkan(pelaksana)
    client = Client()
    r = _masuk(pelaksana, client)
    assert r.status_code == 302 and r["Location"] == "/login/kode/"
    assert SESSION_KEY not in client.session
    assert client.session[TERTUNDA]["user"] == pelaksana.pk
    assert client.get("/").status_code == 302  # not signed in

    r = client.post("/login/kode/", {"kode": kode(device)})
    assert r.status_code == 302 and r["Location"] == "/"
    assert int(client.session[SESSION_KEY]) == pelaksana.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert TERTUNDA not in client.session
    assert client.get("/").status_code == 200


def test_a_user_without_an_authenticator_signs_in_with_the_password(pelaksana):
    client = Client()
    assert _masuk(pelaksana, client)["Location"] == "/"
    assert int(client.session[SESSION_KEY]) == pelaksana.pk


def test_a_recovery_code_works_once(pelaksana):
    _, pemulihan = aktifkan(pelaksana)
    client = Client()
    _masuk(pelaksana, client)
    r = client.post("/login/kode/", {"kode": pemulihan[0].upper()})
    assert r.status_code == 302 and int(client.session[SESSION_KEY]) == pelaksana.pk
    assert StaticToken.objects.filter(device__user=pelaksana).count() == 9

    lain = Client()
    _masuk(pelaksana, lain)
    r = lain.post("/login/kode/", {"kode": pemulihan[0]})
    assert r.status_code == 400
    assert "sudah pernah dipakai" in r.content.decode()
    assert SESSION_KEY not in lain.session


def test_wrong_codes_are_throttled_with_a_clear_message(pelaksana):
    device, _ = aktifkan(pelaksana)
    benar = kode(device)
    salah = "123456" if benar != "123456" else "654321"
    client = Client()
    _masuk(pelaksana, client)
    pertama = client.post("/login/kode/", {"kode": salah})
    assert pertama.status_code == 400 and "Kode salah" in pertama.content.decode()
    kedua = client.post("/login/kode/", {"kode": benar})  # even the right code waits
    assert kedua.status_code == 400
    assert "Terlalu banyak kode salah. Tunggu" in kedua.content.decode()
    assert SESSION_KEY not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_malformed_code_says_what_is_expected(pelaksana):
    aktifkan(pelaksana)
    client = Client()
    _masuk(pelaksana, client)
    r = client.post("/login/kode/", {"kode": "12"})
    assert "6 angka" in r.content.decode() and r.status_code == 400


def test_the_code_step_without_a_pending_sign_in_goes_back_to_the_login(db):
    assert Client().get("/login/kode/")["Location"] == "/login/"


def test_the_secret_is_never_logged(pelaksana, caplog):
    caplog.set_level("DEBUG")
    device, _ = aktifkan(pelaksana)
    client = Client()
    _masuk(pelaksana, client)
    client.post("/login/kode/", {"kode": kode(device)})
    assert device.key not in caplog.text


def test_recovery_codes_are_made_again_and_the_old_ones_stop(pelaksana):
    device, lama = aktifkan(pelaksana)
    client = Client()
    _masuk(pelaksana, client)
    client.post("/login/kode/", {"kode": kode(device)})
    r = client.post("/akun/dua-langkah/kode-baru/")
    baru = r.context["kode"]
    assert r.status_code == 200 and len(baru) == 10
    tersimpan = set(StaticToken.objects.filter(device__user=pelaksana).values_list("token", flat=True))
    assert tersimpan == set(baru) and not tersimpan & set(lama)


def test_disabling_needs_the_password_or_a_code(pelaksana):
    aktifkan(pelaksana)
    client = Client()
    client.force_login(pelaksana)
    client.post("/akun/dua-langkah/nonaktifkan/", {"kode_atau_sandi": "bukan-sandi"})
    assert TOTPDevice.objects.filter(user=pelaksana).exists()
    client.post("/akun/dua-langkah/nonaktifkan/", {"kode_atau_sandi": SANDI})
    assert not TOTPDevice.objects.filter(user=pelaksana).exists()
    assert _masuk(pelaksana)["Location"] == "/"
