"""Sign-in throttling and lockout (django-axes), unlock by the admin, login history, tokens vs password."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client, override_settings
from django.utils import timezone

from kinerja.organisasi import services
from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.models import ApiToken, Pegawai, PembukaanKunciAkun, User
from tests import builders as b

pytestmark = pytest.mark.django_db

SANDI = "kinerja-demo"
UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537"
)


def _masuk(username: str, password: str, alamat: str = "10.0.0.1", client: Client | None = None):  # type: ignore[no-untyped-def]
    client = client or Client(HTTP_USER_AGENT=UA, REMOTE_ADDR=alamat)
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=alamat)


@pytest.fixture
def tim() -> b.Tim:
    return b.atasan_dan_bawahan()


@pytest.fixture
def pelaksana(tim: b.Tim) -> User:
    """The bawahan's login, with a password to sign in with."""
    user = tim.bawahan.user
    user.set_password(SANDI)
    user.save()
    return user


def test_five_wrong_passwords_lock_the_login_and_the_right_one_is_then_refused(pelaksana):
    for _ in range(4):
        assert _masuk(pelaksana.username, "salah-sandi").status_code == 200
    kelima = _masuk(pelaksana.username, "salah-sandi")
    assert kelima.status_code == 429
    assert "dikunci sementara selama 30 menit" in kelima.content.decode()
    benar = _masuk(pelaksana.username, SANDI)
    assert benar.status_code == 429
    assert "_auth_user_id" not in benar.client.session
    # Another login from another address is not affected.
    lain = _masuk(
        User.objects.filter(pegawai__isnull=False).exclude(pk=pelaksana.pk).first().username,
        SANDI,
        alamat="10.0.0.9",
    )
    assert lain.status_code == 302


def test_a_locked_login_is_locked_from_every_address(pelaksana):
    for i in range(5):
        _masuk(pelaksana.username, "salah", alamat=f"10.0.1.{i}")
    assert _masuk(pelaksana.username, SANDI, alamat="10.9.9.9").status_code == 429


def test_the_nip_typed_with_spaces_counts_as_the_same_login(pelaksana):
    nip = pelaksana.username
    dengan_spasi = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    for _ in range(5):
        _masuk(dengan_spasi, "salah")
    assert _masuk(nip, SANDI).status_code == 429


def test_the_lock_ends_after_the_lock_time(pelaksana):
    for _ in range(5):
        _masuk(pelaksana.username, "salah")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert _masuk(pelaksana.username, SANDI).status_code == 302


def test_an_address_is_throttled_after_twenty_failures_on_different_logins(tim, pelaksana):
    lain = b.PegawaiFactory.create_batch(20, instansi=tim.instansi)
    logins = [p.user.username for p in lain] + [pelaksana.username]
    for username in logins[:4]:
        for _ in range(4):  # below the per-login limit
            _masuk(username, "salah", alamat="10.0.2.1")
    for username in logins[4:8]:
        _masuk(username, "salah", alamat="10.0.2.1")
    # 20 failures from this address: locked even for a right password of an untouched login.
    assert _masuk(logins[20], SANDI, alamat="10.0.2.1").status_code == 429
    assert _masuk(logins[20], SANDI, alamat="10.0.2.2").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=datetime.timedelta(minutes=5))
def test_limit_and_lock_time_come_from_settings(pelaksana):
    _masuk(pelaksana.username, "salah")
    response = _masuk(pelaksana.username, "salah")
    assert response.status_code == 429
    assert "selama 5 menit" in response.content.decode()


def test_the_password_is_never_stored(pelaksana):
    _masuk(pelaksana.username, "rahasia-yang-salah-1")
    attempt = AccessAttempt.objects.get()
    assert "rahasia-yang-salah-1" not in attempt.post_data
    assert pelaksana.username in attempt.post_data


def test_the_admin_unlocks_with_a_reason_recorded(tim, pelaksana):
    for _ in range(5):
        _masuk(pelaksana.username, "salah")
    admin = b.klien(tim.admin)
    page = admin.get(f"/organisasi/pegawai/{pelaksana.pegawai_id}/")
    assert "Buka kunci akun" in page.content.decode()
    tanpa_alasan = admin.post(
        f"/organisasi/pegawai/{pelaksana.pegawai_id}/buka-kunci/", {"alasan": " "}, follow=True
    )
    assert "Tuliskan alasan" in tanpa_alasan.content.decode()
    assert selectors_keamanan.terkunci(pelaksana.username)
    response = admin.post(
        f"/organisasi/pegawai/{pelaksana.pegawai_id}/buka-kunci/", {"alasan": "Sudah dihubungi lewat telepon"}
    )
    assert response.status_code == 302
    assert not selectors_keamanan.terkunci(pelaksana.username)
    catatan = PembukaanKunciAkun.objects.get()
    assert catatan.user == pelaksana
    assert catatan.dibuka_oleh == tim.admin
    assert catatan.alasan == "Sudah dihubungi lewat telepon"
    assert catatan.jumlah_gagal == 5
    assert _masuk(pelaksana.username, SANDI).status_code == 302
    riwayat = admin.get(f"/organisasi/pegawai/{pelaksana.pegawai_id}/keamanan/").content.decode()
    assert "Sudah dihubungi lewat telepon" in riwayat


def test_only_the_admin_of_the_instansi_may_unlock(tim, pelaksana, other_instansi):
    for _ in range(5):
        _masuk(pelaksana.username, "salah")
    for user in (pelaksana, tim.atasan.user):
        response = b.klien(user).post(
            f"/organisasi/pegawai/{pelaksana.pegawai_id}/buka-kunci/", {"alasan": "saya sendiri"}
        )
        assert response.status_code == 403
    lain = User.objects.get(admin_instansi=other_instansi)
    client = Client()
    client.force_login(lain)
    assert (
        client.post(f"/organisasi/pegawai/{pelaksana.pegawai_id}/buka-kunci/", {"alasan": "x"}).status_code
        == 403
    )
    assert client.get(f"/organisasi/pegawai/{pelaksana.pegawai_id}/keamanan/").status_code == 403
    assert selectors_keamanan.terkunci(pelaksana.username)
    assert not PembukaanKunciAkun.objects.exists()


def test_own_history_shows_successes_and_failures_with_address_and_browser(pelaksana):
    _masuk(pelaksana.username, "salah", alamat="10.0.3.1")
    client = Client(HTTP_USER_AGENT=UA)
    assert _masuk(pelaksana.username, SANDI, alamat="10.0.3.2", client=client).status_code == 302
    assert AccessLog.objects.filter(username=pelaksana.username, ip_address="10.0.3.2").exists()
    assert AccessFailureLog.objects.filter(username=pelaksana.username, ip_address="10.0.3.1").exists()
    html = client.get("/akun/keamanan/").content.decode()
    assert "10.0.3.1" in html and "10.0.3.2" in html
    assert "Chrome · Windows" in html
    assert ">gagal<" in html and ">berhasil<" in html
    assert "Keamanan akun" in client.get("/").content.decode()  # reachable from the user menu


def test_history_pages_keep_their_query_count_flat(tim, pelaksana, django_assert_max_num_queries):
    admin = b.klien(tim.admin)
    url = f"/organisasi/pegawai/{pelaksana.pegawai_id}/keamanan/"
    for i in range(3):
        _masuk(pelaksana.username, "salah", alamat=f"10.0.4.{i}")
    admin.get(url)
    with django_assert_max_num_queries(30) as few:
        admin.get(url)
    for i in range(30):
        AccessFailureLog.objects.create(username=pelaksana.username, ip_address=f"10.0.5.{i}", user_agent=UA)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin.get(url)


def test_the_forwarded_address_is_used_only_behind_a_configured_proxy(pelaksana):
    client = Client(HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.6.1")
    client.post("/login/", {"username": pelaksana.username, "password": "salah"}, REMOTE_ADDR="10.0.6.254")
    assert AccessFailureLog.objects.get().ip_address == "10.0.6.254"
    AccessFailureLog.objects.all().delete()
    with override_settings(KINERJA_JUMLAH_PROXY=1):
        client.post(
            "/login/", {"username": pelaksana.username, "password": "salah"}, REMOTE_ADDR="10.0.6.254"
        )
    assert AccessFailureLog.objects.get().ip_address == "10.0.6.1"


@pytest.mark.parametrize("diteruskan", ["bukan-alamat", "10.0.6.1, ' OR 1=1 --", "999.1.1.1", "x" * 300])
def test_a_forwarded_value_that_is_no_address_falls_back_to_the_peer_address(pelaksana, diteruskan):
    # A proxy that passes the client's header on unchanged lets the client write anything there; stored as
    # it is, it breaks PostgreSQL's inet column (a 500 on every login) and picks a fresh address per try.
    with override_settings(KINERJA_JUMLAH_PROXY=1):
        response = Client(HTTP_X_FORWARDED_FOR=diteruskan).post(
            "/login/", {"username": pelaksana.username, "password": "salah"}, REMOTE_ADDR="10.0.6.254"
        )
    assert response.status_code == 200
    assert AccessFailureLog.objects.get().ip_address == "10.0.6.254"


def test_a_forwarded_ipv6_address_is_used_behind_a_configured_proxy(pelaksana):
    with override_settings(KINERJA_JUMLAH_PROXY=1):
        Client(HTTP_X_FORWARDED_FOR="2001:db8::7").post(
            "/login/", {"username": pelaksana.username, "password": "salah"}, REMOTE_ADDR="10.0.6.254"
        )
    assert AccessFailureLog.objects.get().ip_address == "2001:db8::7"


# --- tokens -------------------------------------------------------------------------------------------------


def _bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_tokens_end_when_the_password_changes_on_the_password_page(pelaksana):
    _, raw = services.create_token(pelaksana, "Skrip")
    assert _bearer(raw).get("/api/v1/me").status_code == 200
    client = Client()
    client.force_login(pelaksana)
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": SANDI,
            "new_password1": "sandi-baru-yang-kuat-7",
            "new_password2": "sandi-baru-yang-kuat-7",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=pelaksana).exists()
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_tokens_end_when_the_admin_sets_the_password(tim, pelaksana):
    _, raw = services.create_token(pelaksana, "Skrip")
    response = b.klien(tim.admin).post(
        f"/organisasi/pegawai/{pelaksana.pegawai_id}/kata-sandi/",
        {"password1": "sandi-baru-yang-kuat-7", "password2": "sandi-baru-yang-kuat-7"},
    )
    assert response.status_code == 302
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_tokens_end_on_any_password_reset_but_not_on_other_saves(pelaksana):
    _, raw = services.create_token(pelaksana, "Skrip")
    pelaksana.first_name = "Nama Baru"
    pelaksana.save()
    services.save_pegawai(Pegawai.objects.get(pk=pelaksana.pegawai_id), email="baru@contoh.go.id")
    assert _bearer(raw).get("/api/v1/me").status_code == 200
    pelaksana.set_password("sandi-reset-yang-kuat-8")
    pelaksana.save()
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_a_password_rehash_at_login_keeps_the_tokens(pelaksana):
    """Django re-hashes with new hasher settings on login; that is not a password change."""
    from django.contrib.auth.hashers import make_password

    User.objects.filter(pk=pelaksana.pk).update(password=make_password(SANDI, hasher="pbkdf2_sha256"))
    _, raw = services.create_token(pelaksana, "Skrip")
    assert _masuk(pelaksana.username, SANDI).status_code == 302
    assert User.objects.get(pk=pelaksana.pk).password.startswith("argon2")
    assert _bearer(raw).get("/api/v1/me").status_code == 200


def test_a_locked_login_cannot_use_its_tokens_until_unlocked(tim, pelaksana):
    _, raw = services.create_token(pelaksana, "Skrip")
    for _ in range(5):
        _masuk(pelaksana.username, "salah")
    response = _bearer(raw).get("/api/v1/me")
    assert response.status_code == 401
    assert "dikunci" in response.json()["detail"]
    b.klien(tim.admin).post(f"/organisasi/pegawai/{pelaksana.pegawai_id}/buka-kunci/", {"alasan": "aman"})
    assert _bearer(raw).get("/api/v1/me").status_code == 200
