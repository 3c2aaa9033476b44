"""Organisation: the instansi, its pegawai and their accounts."""

from __future__ import annotations

from typing import Any

import rules

from kinerja.permissions.base import is_admin_kepegawaian, is_admin_of, is_atasan_of, is_self, is_superuser
from kinerja.rules import dua_langkah
from kinerja.rules.dua_langkah import Kebijakan

rules.add_perm("organisasi.manage_instansi", is_admin_of)
rules.add_perm("organisasi.view_org", is_superuser | is_admin_kepegawaian)
rules.add_perm("organisasi.view_pegawai", is_admin_of | is_self | is_atasan_of)
rules.add_perm("organisasi.change_pegawai", is_admin_of)
# Removing a pegawai's two-step devices (a lost phone, docs/rules.md §30): never one's own this way.
rules.add_perm("organisasi.reset_2fa", is_admin_of & ~is_self)
# A new instansi is set up by a superuser only.
rules.add_perm("organisasi.create_instansi", is_superuser)


@rules.predicate
def is_token_owner(user: Any, token: Any) -> bool:
    """A personal API token is revoked by its owner only."""
    return bool(user.is_authenticated and token is not None and token.user_id == user.pk)


def wajib_dua_langkah(user: Any) -> bool:
    """Must this user pass the second step (docs/rules.md §30)? The instansi's policy for the roles the user
    has: admin kepegawaian of the instansi they administer, pejabat penilai of someone today (the
    navigation's cached role fact). Without either role or policy: no query."""
    if not user.is_authenticated:
        return False
    from kinerja.organisasi.keamanan.selectors import kebijakan_dua_langkah, kebijakan_dua_langkah_pegawai

    admin = bool(is_admin_kepegawaian(user))
    if admin and kebijakan_dua_langkah(user.admin_instansi_id).admin:
        return True
    if not user.pegawai_id:
        return False
    if not kebijakan_dua_langkah_pegawai(user.pegawai_id).penilai:
        return False
    from kinerja.dashboard.context_processors import fakta_peran

    return dua_langkah.wajib(admin, fakta_peran(user)["penilai"], Kebijakan(admin=False, penilai=True))
