"""Follow-up of the predikat: keberatan, tunjangan kinerja (docs/rules.md §18, §20)."""

from __future__ import annotations

import rules

from kinerja.permissions.base import is_admin_of, is_pemilik

# Filing a keberatan against an evaluation: the pegawai who was rated.
rules.add_perm("tindak_lanjut.file_keberatan", is_pemilik)
# Assigning the pemutus of a keberatan: the admin of its instansi.
rules.add_perm("tindak_lanjut.assign_pemutus", is_admin_of)
# The instansi's tunjangan kinerja table: its admin.
rules.add_perm("tindak_lanjut.change_tukin", is_admin_of)
