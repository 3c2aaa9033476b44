"""Follow-up of the predikat: keberatan, tunjangan kinerja (docs/rules.md §18, §20)."""

from __future__ import annotations

from typing import Any

import rules

from kinerja.permissions.base import is_admin_of, is_pemilik
from kinerja.rules.keberatan import Peran


def peran_keberatan(k: Any, user: Any) -> set[Peran]:
    """The workflow roles of `user` on this keberatan. The admin of the instansi acts as the penilai when
    the evaluation had none (the head of the instansi, rated by the admin)."""
    roles: set[Peran] = set()
    if not user.is_authenticated:
        return roles
    saya = getattr(user, "pegawai_id", None)
    if saya and saya == k.pegawai_id:
        roles.add(Peran.PEGAWAI)
    if (saya and k.penilai_id and saya == k.penilai_id) or (
        k.penilai_id is None and is_admin_of(user, k.instansi_id)
    ):
        roles.add(Peran.PENILAI)
    if saya and k.pemutus_id and saya == k.pemutus_id:
        roles.add(Peran.PEMUTUS)
    return roles


def may_view_keberatan(user: Any, k: Any) -> bool:
    """The pegawai, the penilai, the pemutus, the evaluation's atasan penilai, the admin of the instansi."""
    if not user.is_authenticated:
        return False
    if peran_keberatan(k, user) or is_admin_of(user, k.instansi_id):
        return True
    saya = getattr(user, "pegawai_id", None)
    return bool(saya and saya == k.evaluasi.atasan_penilai_id)


# Filing a keberatan against an evaluation: the pegawai who was rated.
rules.add_perm("tindak_lanjut.file_keberatan", is_pemilik)
# Assigning the pemutus of a keberatan: the admin of its instansi.
rules.add_perm("tindak_lanjut.assign_pemutus", is_admin_of)
# The instansi's tunjangan kinerja table: its admin.
rules.add_perm("tindak_lanjut.change_tukin", is_admin_of)
# The SIASN sync page (every send record of the instansi, SIASN's texts) and queuing sends again: its admin.
rules.add_perm("tindak_lanjut.view_kirim_siasn", is_admin_of)
rules.add_perm("tindak_lanjut.send_siasn", is_admin_of)
# Reading SIASN's data-utama of the pegawai and its mismatch report: the admin of the instansi.
rules.add_perm("tindak_lanjut.check_data_siasn", is_admin_of)
# Loading the pegawai's SIASN ids from a file (an instansi without API access): the admin of the instansi.
rules.add_perm("tindak_lanjut.import_id_siasn", is_admin_of)
