"""Secrets kept in the database (an instansi's gateway password), encrypted with Fernet.

The key is ``KINERJA_KUNCI_RAHASIA`` (a Fernet key: ``python -c "from cryptography.fernet import Fernet;
print(Fernet.generate_key().decode())"``) or, when unset, one derived from ``SECRET_KEY`` with HKDF, so a
database copy alone never reveals the secret. Changing the key makes the stored secrets unreadable: the
admin types them again (the settings page says so).
"""

from __future__ import annotations

import base64
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class RahasiaTakTerbaca(Exception):
    """The stored secret was encrypted with another key."""


def _fernet() -> Fernet:
    kunci = os.environ.get("KINERJA_KUNCI_RAHASIA", "").strip()
    if not kunci:
        turunan = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kinerja-rahasia-v1").derive(
            settings.SECRET_KEY.encode()
        )
        kunci = base64.urlsafe_b64encode(turunan).decode()
    return Fernet(kunci.encode())


def sandikan(teks: str) -> str:
    """The encrypted form of ``teks`` (empty stays empty)."""
    return _fernet().encrypt(teks.encode()).decode() if teks else ""


def buka(sandi: str) -> str:
    """The plain text of an encrypted value; raises RahasiaTakTerbaca when the key changed."""
    if not sandi:
        return ""
    try:
        return _fernet().decrypt(sandi.encode()).decode()
    except InvalidToken as exc:
        raise RahasiaTakTerbaca("Rahasia tersimpan tidak dapat dibuka (kunci berubah); isi ulang.") from exc
