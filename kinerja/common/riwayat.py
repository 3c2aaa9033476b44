"""What a history page shows of a change: who made it and each changed field (the settings page and the
evaluation page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Perubahan:
    """One field of a record as it was before and after a change, both as the user reads them."""

    label: str
    dari: str
    ke: str


def nama_pelaku(user: Any, tanpa_user: str) -> str:
    """Who made a change: the pegawai's name, else the account's; ``tanpa_user`` for a change no user made."""
    if user is None:
        return tanpa_user
    if user.pegawai_id:
        return user.pegawai.nama_lengkap
    return user.get_full_name() or user.username
