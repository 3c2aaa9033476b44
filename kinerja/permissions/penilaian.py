"""Rating: evaluations, rating groups (kelompok penilaian), pola distribusi rules (docs/rules.md §15)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import rules

from kinerja.organisasi.models import UnitKerja, User
from kinerja.organisasi.selectors import pimpinan_unit
from kinerja.penilaian.selectors import penetap_capaian
from kinerja.permissions.base import (
    is_admin_of,
    is_atasan_of,
    is_pemilik,
    is_pimpinan_unit_or_above,
    is_superuser,
)
from kinerja.rules import rating as rating_rules
from kinerja.rules.evaluasi import Peran


def peran_evaluasi(evaluasi: Any, user: Any) -> set[Peran]:
    """The roles `user` holds on this evaluation: penilai (the admin stands in for a missing penilai),
    atasan penilai, admin of its instansi."""
    roles: set[Peran] = set()
    admin = is_admin_of(user, evaluasi.instansi_id)
    if (evaluasi.penilai_id and user.pegawai_id == evaluasi.penilai_id) or (
        evaluasi.penilai_id is None and admin
    ):
        roles.add(Peran.PENILAI)
    if evaluasi.atasan_penilai_id and user.pegawai_id == evaluasi.atasan_penilai_id:
        roles.add(Peran.ATASAN_PENILAI)
    if admin:
        roles.add(Peran.ADMIN)
    return roles


class _Pemeran(NamedTuple):
    """Who rates an evaluation: all `peran_evaluasi` reads of it."""

    penilai_id: int | None
    atasan_penilai_id: int | None
    instansi_id: int


def tanggal_acuan_kelompok(kel: Any) -> datetime.date:
    """The day a group's organisation is read on: the last day of the periode (or of the year)."""
    pp = kel.periode_penilaian
    return pp.selesai if pp else datetime.date(kel.periode.tahun, 12, 31)


def may_finalise_kelompok(user: Any, kel: Any, kepala: Callable[[], Any] | None = None) -> bool:
    """Who may finalise a rating group: penilai or atasan penilai of every evaluation in it; with none
    opened yet, its penilai (the admin for a group without one); in "unit" groups also the head of the
    unit. ``kepala``: returns the head's pegawai (default: the head on `tanggal_acuan_kelompok`); only
    called when needed."""
    if not user.is_authenticated:
        return False
    saya = user.pegawai_id
    if kel.evaluasi:
        # The roles depend only on who rates: asked once per distinct penilai, atasan penilai and instansi.
        perannya = {_Pemeran(e.penilai_id, e.atasan_penilai_id, e.instansi_id) for e in kel.evaluasi}
        boleh = all(peran_evaluasi(p, user) & {Peran.PENILAI, Peran.ATASAN_PENILAI} for p in perannya)
    else:
        boleh = (kel.penilai is not None and saya == kel.penilai.pk) or (
            kel.penilai is None and is_admin_of(user, kel.periode.instansi_id)
        )
    if not boleh and kel.mode == "unit":
        if kepala is None:
            jabatan = pimpinan_unit(kel.unit, tanggal_acuan_kelompok(kel))
            orang = jabatan.pegawai if jabatan else None
        else:
            orang = kepala()
        boleh = bool(orang is not None and saya == orang.pk)
    return bool(boleh)


def _berperan(*peran: Peran) -> Any:
    wanted = set(peran)

    @rules.predicate
    def predicate(user: Any, evaluasi: Any) -> bool:
        return bool(
            evaluasi is not None and user.is_authenticated and peran_evaluasi(evaluasi, user) & wanted
        )

    return predicate


has_peran_evaluasi = _berperan(Peran.PENILAI, Peran.ATASAN_PENILAI, Peran.ADMIN)
is_penilai_evaluasi = _berperan(Peran.PENILAI)
is_atasan_penilai_evaluasi = _berperan(Peran.ATASAN_PENILAI)
is_admin_evaluasi = _berperan(Peran.ADMIN)

# Reading an evaluation (page, document, API): the pegawai, the penilai, the atasan penilai, the admin.
rules.add_perm("penilaian.view_evaluasi", is_superuser | is_pemilik | has_peran_evaluasi)
# Opening an evaluation: its penilai, atasan penilai or the admin.
rules.add_perm("penilaian.open_evaluasi", has_peran_evaluasi)
# Rating, submitting, returning: the penilai (the admin for an evaluation without one).
rules.add_perm("penilaian.rate_evaluasi", is_penilai_evaluasi)
# Adjusting a rating after the penilai: the atasan penilai.
rules.add_perm("penilaian.adjust_evaluasi", is_atasan_penilai_evaluasi)
# Reopening a final evaluation and unlocking one after its deadline: the admin of its instansi.
rules.add_perm("penilaian.reopen_evaluasi", is_admin_evaluasi)
# Recording a penilai outside the instansi (docs/rules.md "Penilai di luar instansi"): the admin of the
# pegawai's instansi (object: the pegawai or the instansi).
rules.add_perm("penilaian.manage_penilai_eksternal", is_admin_of)
# Downloading the scan of an external penilai's decision (object: the evaluation it was entered on): the
# admin of its instansi, who entered it; others read the decision's number and date on the page.
rules.add_perm("penilaian.download_keputusan_eksternal", is_admin_evaluasi)
# The instansi's pola distribusi rules: its admin.
rules.add_perm("penilaian.change_aturan", is_admin_of)
# Computing every rating group of the instansi for a periode at once (a background job on the page "Semua
# evaluasi instansi"; object: the periode or the instansi): its admin kepegawaian, who alone reads every
# evaluation and group of the instansi (docs/rules.md "Evaluasi seluruh kelompok"). A penilai or a unit head
# checks their own group on the group page.
rules.add_perm("penilaian.evaluate_instansi", is_admin_of)


# --- rating group (kelompok penilaian) -------------------------------------------------------------------
# The object is a `kinerja.penilaian.selectors.Kelompok`. Every predicate reads what the group already holds
# (its evaluations and the approved SKP not yet opened) or the org tree of today: a constant number of
# queries whatever the size of the group.


@rules.predicate
def is_admin_of_kelompok(user: Any, kel: Any) -> bool:
    return kel is not None and bool(is_admin_of(user, kel.periode))


@rules.predicate
def is_penilai_kelompok(user: Any, kel: Any) -> bool:
    """The group's pejabat penilai, or the penilai / atasan penilai of any member (evaluated or not yet
    opened), as recorded on the evaluation or the approved SKP."""
    if kel is None or not user.is_authenticated or not user.pegawai_id:
        return False
    saya = user.pegawai_id
    if kel.mode == "penilai" and kel.penilai is not None and kel.penilai.pk == saya:
        return True
    return any(saya in (e.penilai_id, e.atasan_penilai_id) for e in kel.evaluasi) or any(
        saya in (s.penilai_id, s.atasan_penilai_id) for s in kel.belum_dibuka
    )


@rules.predicate
def is_atasan_penilai_kelompok(user: Any, kel: Any) -> bool:
    """Anyone holding a jabatan above the group's penilai today (the calibration page lists their groups).
    "unit" groups have no single penilai: above them is above the head of the unit (next predicate)."""
    if kel is None or kel.mode != "penilai" or kel.penilai is None:
        return False
    return bool(is_atasan_of(user, kel.penilai))


@rules.predicate
def is_pimpinan_unit_kelompok_or_above(user: Any, kel: Any) -> bool:
    """The head of the group's unit (definitif, PLT or PLH) or anyone above the head's post: e.g. the head
    of the instansi reads the top group's penetapan he signs."""
    return kel is not None and bool(is_pimpinan_unit_or_above(user, kel.unit))


@rules.predicate
def finalises_kelompok(user: Any, kel: Any) -> bool:
    return kel is not None and may_finalise_kelompok(user, kel)


# Seeing a rating group (group page, what-if, calibration's "minta revisi", the penetapan predikat PDF and
# xlsx, the API): the admin of its instansi, its penilai and the penilai / atasan penilai of its members,
# anyone above the penilai, the head of its unit or anyone above. Membership alone grants nothing: a
# member reads their own evaluation (`penilaian.view_evaluasi`), not the group.
lihat_kelompok = (
    is_superuser
    | is_admin_of_kelompok
    | is_penilai_kelompok
    | is_pimpinan_unit_kelompok_or_above
    | is_atasan_penilai_kelompok
)
rules.add_perm("penilaian.view_kelompok", lihat_kelompok)
rules.add_perm("penilaian.finalise_kelompok", finalises_kelompok)


def may_set_capaian_unit(user: User, unit: UnitKerja, tanggal: datetime.date) -> bool:
    """The head of the nearest unit above who does not head this unit too; for the top unit (or with no
    other head above) the admin kepegawaian, on the PPK's written decision. Never the unit's own head."""
    penetap, kepala_unit = penetap_capaian(unit, tanggal)
    return rating_rules.may_set_capaian(
        penetap,
        kepala_unit,
        user.pegawai_id if user.is_authenticated else None,
        is_admin_of(user, unit.instansi_id),
    )


@dataclass(frozen=True)
class AksesKelompok:
    """What a user may do on one rating group.

    * ``penilai``: the group's pejabat penilai (the admin for the group without a penilai; in "unit" groups
      also the head of the unit and every penilai with a member);
    * ``atasan``: above the penilai (the atasan penilai on an evaluation of the group, or anyone holding a
      jabatan above the penilai's, or above the unit head in "unit" groups): calibrates, adjusts a rating on
      the evaluation page, asks the penilai to revise;
    * ``admin``: the admin kepegawaian of the instansi (reads);
    * ``finalisasi``: may finalise (`kinerja.permissions.may_finalise_kelompok`);
    * ``lihat``: may see the group at all: the one rule ``penilaian.view_kelompok`` (`kinerja.permissions`),
      the same for the page, the API and the penetapan documents.
    """

    penilai: bool
    atasan: bool
    admin: bool
    finalisasi: bool
    lihat: bool


def kepala_kelompok(kel: Any, tanggal: datetime.date) -> Any:
    """The pegawai responsible for the group: its penilai, or (unit groups) the head of the unit."""
    if kel.mode == "unit" and kel.penilai is not None:
        kepala = pimpinan_unit(kel.unit, tanggal)
        return kepala.pegawai if kepala else None
    return kel.penilai


def akses_kelompok(user: Any, kel: Any, tanggal: datetime.date) -> AksesKelompok:
    """See `AksesKelompok`. A constant number of queries (the org tree of the user, of the penilai and of
    the group's unit)."""
    if not user.is_authenticated:
        return AksesKelompok(False, False, False, False, False)
    admin = is_admin_of(user, kel.periode.instansi_id)
    saya = user.pegawai_id
    kepala = kepala_kelompok(kel, tanggal)
    if kel.penilai is None:
        penilai = admin
    elif kel.mode == "unit":
        penilai = bool(saya) and (
            (kepala is not None and kepala.pk == saya)
            or any(e.penilai_id == saya for e in kel.evaluasi)
            or any(s.penilai_id == saya for s in kel.belum_dibuka)
        )
    else:
        penilai = bool(saya) and kel.penilai.pk == saya
    atasan = False
    if saya and not (kepala is not None and kepala.pk == saya):
        atasan = any(e.atasan_penilai_id == saya for e in kel.evaluasi) or any(
            s.atasan_penilai_id == saya for s in kel.belum_dibuka
        )
        if not atasan and kepala is not None:
            atasan = bool(is_atasan_of(user, kepala))
    # the head of a "unit" group as of the page's date (kepala_kelompok)
    boleh = may_finalise_kelompok(user, kel, kepala=lambda: kepala)
    return AksesKelompok(
        penilai=penilai,
        atasan=atasan,
        admin=admin,
        finalisasi=boleh,
        lihat=user.has_perm("penilaian.view_kelompok", kel),
    )
