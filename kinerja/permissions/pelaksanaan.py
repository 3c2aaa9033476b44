"""Carrying out the SKP: rencana aksi, realisasi, bukti, IIAA, catatan, umpan balik, dialog kinerja."""

from __future__ import annotations

from typing import Any

import rules

from kinerja.permissions.base import is_admin_of, is_pemilik, is_pimpinan_unit_or_above


def boleh_catat(user: Any, skp: Any) -> bool:
    """The SKP's penilai or atasan penilai (as recorded on the SKP), never its owner: they record a dialog
    about it and start feedback threads on it."""
    return bool(
        user.is_authenticated
        and user.pegawai_id
        and user.pegawai_id != skp.pegawai_id
        and user.pegawai_id in (skp.penilai_id, skp.atasan_penilai_id)
    )


@rules.predicate
def is_penilai_skp(user: Any, skp: Any) -> bool:
    return skp is not None and boleh_catat(user, skp)


@rules.predicate
def is_penanggung_jawab(user: Any, tindak: Any) -> bool:
    return bool(
        user.is_authenticated
        and tindak is not None
        and user.pegawai_id
        and user.pegawai_id == tindak.penanggung_jawab_id
    )


# Rencana aksi, realisasi, bukti dukung and the IIAA report of an SKP: its owner only (the SKP's state and
# the entry window are checked by the services: docs/rules.md §12).
rules.add_perm("pelaksanaan.change_realisasi", is_pemilik)
# Reopening realisasi entry of a pegawai: the admin of their instansi.
rules.add_perm("pelaksanaan.unlock_realisasi", is_admin_of)
# A catatan kegiatan: its owner.
rules.add_perm("pelaksanaan.change_catatan", is_pemilik)
# Feedback threads and dialog kinerja on an SKP: its penilai or atasan penilai, not its owner.
rules.add_perm("pelaksanaan.give_umpan_balik", is_penilai_skp)
rules.add_perm("pelaksanaan.record_dialog", is_penilai_skp)
# Marking a follow-up of a dialog done: the one it was given to.
rules.add_perm("pelaksanaan.finish_tindak_lanjut", is_penanggung_jawab)
# The monitoring board of a unit: its head (definitif, PLT or PLH), anyone above, the instansi's admin.
rules.add_perm("pelaksanaan.view_papan_unit", is_admin_of | is_pimpinan_unit_or_above)


@rules.predicate
def is_pencatat_dialog(user: Any, dialog: Any) -> bool:
    """Only the one who recorded a dialog kinerja changes or deletes it."""
    return bool(user.is_authenticated and dialog is not None and user.pk == dialog.dicatat_oleh_id)
