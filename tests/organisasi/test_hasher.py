"""Passwords are hashed with argon2id at OWASP's minimum (m=19456 KiB, t=2, p=1); a hash made with other
parameters or another hasher is re-made with these at the next successful login."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import Client

from kinerja.organisasi.keamanan.hashers import Argon2OwaspHasher
from kinerja.organisasi.models import User
from tests import builders as b

pytestmark = pytest.mark.django_db

SANDI = "kinerja-demo"
OWASP = "$argon2id$v=19$m=19456,t=2,p=1$"


def _masuk(username: str, password: str) -> int:
    client = Client(HTTP_USER_AGENT="pytest", REMOTE_ADDR="10.0.0.9")
    return client.post("/login/", {"username": username, "password": password}).status_code


@pytest.fixture
def user() -> User:
    return b.atasan_dan_bawahan().bawahan.user


def test_a_new_password_is_argon2id_at_owasp_minimum(user):
    user.set_password(SANDI)
    user.save()
    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2" + OWASP), stored
    assert isinstance(identify_hasher(stored), Argon2OwaspHasher)
    assert user.check_password(SANDI) and not user.check_password("salah-sandi")


@pytest.mark.parametrize(
    "lama",
    [
        pytest.param(
            lambda: Argon2PasswordHasher().encode(SANDI, Argon2PasswordHasher().salt()), id="argon2-default"
        ),
        pytest.param(lambda: make_password(SANDI, hasher="pbkdf2_sha256"), id="pbkdf2"),
    ],
)
def test_an_old_hash_is_upgraded_at_the_next_login(user, lama):
    encoded = lama()
    assert OWASP not in encoded  # Django's defaults are m=102400,t=2,p=8
    User.objects.filter(pk=user.pk).update(password=encoded)
    assert _masuk(user.username, "salah-sandi") == 200  # a failed login changes nothing
    assert User.objects.get(pk=user.pk).password == encoded
    assert _masuk(user.username, SANDI) == 302
    upgraded = User.objects.get(pk=user.pk).password
    assert upgraded.startswith("argon2" + OWASP), upgraded
    assert _masuk(user.username, SANDI) == 302  # and the new hash works
