"""Who must use two-step sign-in, and which code was typed (docs/rules.md §30)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.dua_langkah import Kebijakan, jenis_kode, normalisasi_kode, wajib

TABEL = [
    # admin, penilai, policy admin, policy penilai -> must
    (False, False, False, False, False),
    (False, False, True, True, False),  # a plain pegawai: never
    (True, False, False, False, False),  # policy off: nobody
    (True, False, True, False, True),
    (True, False, False, True, False),  # an admin who is not penilai under the penilai policy
    (False, True, False, True, True),
    (False, True, True, False, False),
    (True, True, False, True, True),
    (True, True, True, False, True),
    (True, True, True, True, True),
]


@pytest.mark.parametrize(("admin", "penilai", "k_admin", "k_penilai", "harapan"), TABEL)
def test_wajib_table(admin: bool, penilai: bool, k_admin: bool, k_penilai: bool, harapan: bool) -> None:
    assert wajib(admin, penilai, Kebijakan(admin=k_admin, penilai=k_penilai)) is harapan


@given(st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_wajib_monotone(admin: bool, penilai: bool, k_admin: bool, k_penilai: bool) -> None:
    """More policy never obliges fewer users; no policy obliges nobody."""
    hasil = wajib(admin, penilai, Kebijakan(k_admin, k_penilai))
    assert wajib(admin, penilai, Kebijakan()) is False
    assert not hasil or wajib(admin, penilai, Kebijakan(True, True))
    assert not hasil or admin or penilai


@pytest.mark.parametrize(
    ("teks", "jenis"),
    [
        ("123456", "totp"),
        ("123 456", "totp"),
        ("12345", None),
        ("1234567", None),
        ("abcd2345", "pemulihan"),
        ("ABCD-2345", "pemulihan"),
        ("abcd 234", None),
        ("", None),
        ("12345678", "pemulihan"),
    ],
)
def test_jenis_kode(teks: str, jenis: str | None) -> None:
    assert jenis_kode(normalisasi_kode(teks)) == jenis
