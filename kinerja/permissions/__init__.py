"""Who may see or change what: the one place that decides (django-rules predicates and permissions).

Views, the API and templates ask `user.has_perm("<app>.<verb_noun>", obj)`; services call
`require(user, perm, obj)` before a write. One module per stage; `base` holds the shared predicates.
Importing this package registers every permission but the documents' (`dokumen`, which reads through
the document builders, themselves above the services); `kinerja.organisasi.apps` imports both at
startup.
"""

from __future__ import annotations

from kinerja.permissions import kehadiran, organisasi, pekerjaan, tindak_lanjut  # noqa: F401  (register)
from kinerja.permissions.base import (
    PESAN_DITOLAK,
    admin_instansi,
    allowed,
    held_paths,
    instansi_id_of,
    is_admin_kepegawaian,
    is_admin_of,
    is_atasan_of,
    is_pemilik,
    is_pimpinan_unit_or_above,
    is_same_instansi,
    is_self,
    is_superuser,
    require,
    user_instansi_id,
)
from kinerja.permissions.pelaksanaan import boleh_catat
from kinerja.permissions.penilaian import may_finalise_kelompok, peran_evaluasi, tanggal_acuan_kelompok
from kinerja.permissions.perencanaan import is_penilai_of_skp, may_plan_unit, peran_perjanjian, peran_skp

__all__ = [
    "PESAN_DITOLAK",
    "admin_instansi",
    "allowed",
    "boleh_catat",
    "held_paths",
    "instansi_id_of",
    "is_admin_kepegawaian",
    "is_admin_of",
    "is_atasan_of",
    "is_pemilik",
    "is_penilai_of_skp",
    "is_pimpinan_unit_or_above",
    "is_same_instansi",
    "is_self",
    "is_superuser",
    "may_finalise_kelompok",
    "may_plan_unit",
    "peran_evaluasi",
    "peran_perjanjian",
    "peran_skp",
    "require",
    "user_instansi_id",
    "tanggal_acuan_kelompok",
]
