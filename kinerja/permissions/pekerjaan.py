"""Background jobs: the owner and the admin kepegawaian of the job's instansi see it, download its file and
restart it; nobody else (docs/architecture.md "Background jobs")."""

from __future__ import annotations

from typing import Any

import rules

from kinerja.permissions.base import is_admin_of


@rules.predicate
def is_pemilik_pekerjaan(user: Any, pekerjaan: Any) -> bool:
    return bool(user.is_authenticated and pekerjaan is not None and pekerjaan.pemilik_id == user.pk)


rules.add_perm("pekerjaan.view_pekerjaan", is_pemilik_pekerjaan | is_admin_of)
rules.add_perm("pekerjaan.restart_pekerjaan", is_pemilik_pekerjaan | is_admin_of)
