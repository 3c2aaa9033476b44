"""The signed-in user's own pegawai, for the pages that only a pegawai has."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def pegawai_sendiri(user: Any, pesan: str) -> Any:
    """The pegawai of ``user``'s account; an account without one is refused (403) with ``pesan``."""
    if not user.pegawai_id:
        raise PermissionDenied(pesan)
    return user.pegawai
