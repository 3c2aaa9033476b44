"""What a sign-in writes and costs: the lockout check in one query, the session row written once, the login
history (django-axes) tied to that session, `last_login`, and the user's cached navigation kept."""

from __future__ import annotations

import hashlib

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from kinerja.common import cache
from kinerja.organisasi.models import User
from tests import builders as b

pytestmark = pytest.mark.django_db

SANDI = "kinerja-demo"


@pytest.fixture
def user() -> User:
    user = b.atasan_dan_bawahan().bawahan.user
    user.set_password(SANDI)
    user.save()
    return user


def _masuk(client: Client, username: str, password: str = SANDI):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password})


def test_a_login_costs_nine_queries(user, django_assert_num_queries):  # type: ignore[no-untyped-def]
    # failures of the login and of the address (one query), the user, whether it has an authenticator and
    # whether the instansi's policy obliges it (docs/rules.md §30), the login history, last_login, and the
    # session's one INSERT (inside the test's transaction: a savepoint around it)
    client = Client(HTTP_USER_AGENT="pytest", REMOTE_ADDR="10.0.0.7")
    with django_assert_num_queries(9):
        assert _masuk(client, user.username).status_code == 302


def test_the_session_row_is_the_cookie_and_the_history_knows_it(user):  # type: ignore[no-untyped-def]
    client = Client(HTTP_USER_AGENT="pytest", REMOTE_ADDR="10.0.0.7")
    sebelum = timezone.now()
    assert _masuk(client, user.username).status_code == 302
    kunci = client.cookies["sessionid"].value
    sesi = Session.objects.get(session_key=kunci)
    assert sesi.get_decoded()["_auth_user_id"] == str(user.pk)
    assert Session.objects.count() == 1  # no empty row left behind by the key change
    log = AccessLog.objects.get(username=user.username)
    assert log.session_hash == hashlib.sha256(kunci.encode()).hexdigest()
    assert User.objects.get(pk=user.pk).last_login >= sebelum
    assert client.get("/").status_code == 200  # signed in
    client.post("/logout/")
    assert AccessLog.objects.get(pk=log.pk).logout_time is not None  # found again by its session
    assert not Session.objects.filter(session_key=kunci).exists()


def test_a_password_change_moves_the_session_to_a_new_row(user):  # type: ignore[no-untyped-def]
    client = Client(HTTP_USER_AGENT="pytest", REMOTE_ADDR="10.0.0.7")
    _masuk(client, user.username)
    pertama = client.cookies["sessionid"].value
    baru = "sandi-baru-yang-kuat-8"
    data = {"old_password": SANDI, "new_password1": baru, "new_password2": baru}
    assert client.post("/akun/kata-sandi/", data).status_code == 302
    kedua = client.cookies["sessionid"].value
    assert kedua != pertama
    assert list(Session.objects.values_list("session_key", flat=True)) == [kedua]
    assert client.get("/").status_code == 200  # still signed in, on the new row


def test_failures_count_per_login_and_per_address_in_one_query(user, django_assert_num_queries):  # type: ignore[no-untyped-def]
    from kinerja.organisasi.keamanan.axes import KinerjaAxesHandler

    lain = b.atasan_dan_bawahan().bawahan.user
    for alamat, username, gagal in [("10.0.0.1", user.username, 2), ("10.0.0.9", lain.username, 7)]:
        AccessAttempt.objects.create(
            username=username,
            ip_address=alamat,
            user_agent="pytest",
            failures_since_start=gagal,
            attempt_time=timezone.now(),
        )
    request = RequestFactory().post("/login/")
    request.axes_ip_address, request.axes_user_agent = "10.0.0.9", "pytest"
    request.axes_attempt_time = timezone.now()
    with django_assert_num_queries(1):
        per_login, per_alamat = KinerjaAxesHandler()._jumlah_gagal(request, {"username": user.username})
    assert (per_login, per_alamat) == (2, 7)
    with override_settings(AXES_FAILURE_LIMIT=5, KINERJA_LOGIN_BATAS_ALAMAT=20):
        # the address's 7 failures weigh 7 × 5 // 20 = 1 against the login's limit; the login's own 2 win
        assert KinerjaAxesHandler().get_failures(request, {"username": user.username}) == 2


def test_a_login_keeps_the_users_cached_navigation(user, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    ditandai = cache.key("uji", [cache.user(user.pk)])
    with django_capture_on_commit_callbacks(execute=True):
        assert _masuk(Client(REMOTE_ADDR="10.0.0.7"), user.username).status_code == 302
    assert cache.key("uji", [cache.user(user.pk)]) == ditandai  # the user's generation was not dropped
    with django_capture_on_commit_callbacks(execute=True):
        user.first_name = "Baru"
        user.save()
    assert cache.key("uji", [cache.user(user.pk)]) != ditandai  # a real change still drops it
