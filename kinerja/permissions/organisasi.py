"""Organisation: the instansi, its pegawai and their accounts."""

from __future__ import annotations

from typing import Any

import rules

from kinerja.permissions.base import is_admin_kepegawaian, is_admin_of, is_atasan_of, is_self, is_superuser

rules.add_perm("organisasi.manage_instansi", is_admin_of)
rules.add_perm("organisasi.view_org", is_superuser | is_admin_kepegawaian)
rules.add_perm("organisasi.view_pegawai", is_admin_of | is_self | is_atasan_of)
rules.add_perm("organisasi.change_pegawai", is_admin_of)
# A new instansi is set up by a superuser only.
rules.add_perm("organisasi.create_instansi", is_superuser)


@rules.predicate
def is_token_owner(user: Any, token: Any) -> bool:
    """A personal API token is revoked by its owner only."""
    return bool(user.is_authenticated and token is not None and token.user_id == user.pk)
